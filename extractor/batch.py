"""Batch extraction of vacancy feeds: streaming, near-duplicate removal, resumable output.

    report = process_feed(["vacatures_2024.jsonl"], extractor, "extracted.jsonl")
    for record in read_records("extracted.jsonl"):      # one VacancyRecord per vacancy
        ...

The job, in one place (:func:`process_feed`):

1. stream ``Document``s from the feeds (:func:`extractor.ingest.read_feed`), one at a time;
2. drop near-duplicates (the same vacancy on several boards): MinHash over word shingles of the
   normalised text, banded LSH, candidates confirmed on the estimated Jaccard similarity;
3. extract skills in batches, locally or on Ray actors (:mod:`extractor.batch_ray`);
4. append one JSON line per vacancy (:class:`VacancyRecord`) to the output file;
5. after every batch, checkpoint (records consumed, output length, counters) in one SQLite
   transaction, after the output is flushed to disk.

Memory is constant in the number of vacancies: documents stream through, and the duplicate
index and the checkpoint live in an SQLite file next to the output (page cache bounded to
16 MB; the file grows by about 0.8 kB per posting on disk). Postings are compared with
postings of the same or a neighbouring time window only, so the work per posting grows with
the feed's volume per window, not with its length.

A rerun with ``resume=True`` truncates the output to the checkpointed length, forgets duplicate
signatures of batches that never reached the checkpoint, skips the records already consumed
and continues: no vacancy is written twice.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import unicodedata
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from extractor.claims import Extraction
from extractor.documents import Document
from taxonomy import Taxonomy

RECORD_FORMAT = 1  # bump when the JSON line layout changes (old checkpoints then refuse)


# --- the output record -----------------------------------------------------------------------
@dataclass(frozen=True)
class VacancyRecord:
    """One extracted vacancy, as one JSON line of the batch output.

    Attributes:
        id: the feed's vacancy id, or ``Document.source`` when the feed has none.
        source: ``"<feed file>#<id or row>"``.
        date: posting date "YYYY-MM-DD", or None.
        region: as the feed gives it (e.g. "Noord-Brabant"), or None.
        category: the feed's category/sector field, or None.
        title: the vacancy title, or None.
        occupation: URI of the most confident recognised ESCO occupation, or None.
        isco_group: that occupation's 4-digit ISCO-08 code, or None.
        skills: ``(skill URI, confidence in [0, 1], method)`` per skill, most confident first;
            method is "exact", "alias", "semantic" or "inferred" (from the occupation).
    """

    id: str
    source: str
    date: str | None = None
    region: str | None = None
    category: str | None = None
    title: str | None = None
    occupation: str | None = None
    isco_group: str | None = None
    skills: tuple[tuple[str, float, str], ...] = ()

    def to_json(self) -> str:
        """One line of JSON (no newline), keys in a fixed order, UTF-8 text kept as is."""
        payload = asdict(self)
        payload["skills"] = [list(s) for s in self.skills]
        return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VacancyRecord:
        skills = tuple((str(u), float(c), str(m)) for u, c, m in data.get("skills") or ())
        fields = {k: data.get(k) for k in ("date", "region", "category", "title")}
        return cls(
            id=str(data["id"]),
            source=str(data.get("source") or data["id"]),
            occupation=data.get("occupation"),
            isco_group=data.get("isco_group"),
            skills=skills,
            **fields,
        )


def record_from_extraction(
    document: Document, extraction: Extraction, taxonomy: Taxonomy, min_confidence: float = 0.0
) -> VacancyRecord:
    """The output record of one vacancy: its metadata plus skills at ``min_confidence`` or more."""
    meta = document.metadata
    occupation = extraction.occupations[0] if extraction.occupations else None
    isco = None
    if occupation is not None and occupation.uri in taxonomy:
        isco = taxonomy.concepts[occupation.uri].isco_group
    return VacancyRecord(
        id=str(meta.get("id") or document.source),
        source=document.source,
        date=meta.get("date_posted"),
        region=meta.get("region"),
        category=meta.get("category"),
        title=meta.get("title"),
        occupation=occupation.uri if occupation else None,
        isco_group=isco,
        skills=tuple(
            (c.uri, c.confidence, c.method)
            for c in extraction.skills
            if c.confidence >= min_confidence
        ),
    )


class ExtractorLike(Protocol):
    """What batch extraction needs: :class:`extractor.pipeline.SkillExtractor` fits."""

    taxonomy: Taxonomy

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]: ...


def extract_records(
    extractor: ExtractorLike, documents: Sequence[Document], min_confidence: float = 0.0
) -> list[str]:
    """Extract ``documents`` and return their output lines (JSON + "\\n"), in input order.

    The parallel backends call this; the local one writes the same :func:`record_line`, so
    every backend's output is byte for byte the same.
    """
    if not documents:
        return []
    extractions = extractor.extract_many(documents)
    return [
        record_line(d, x, extractor.taxonomy, min_confidence)
        for d, x in zip(documents, extractions, strict=True)
    ]


def record_line(
    document: Document, extraction: Extraction, taxonomy: Taxonomy, min_confidence: float
) -> str:
    """One output line: the vacancy's record as JSON, then a newline."""
    return record_from_extraction(document, extraction, taxonomy, min_confidence).to_json() + "\n"


def read_records(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]):
    """Stream :class:`VacancyRecord`s from one or more batch output files (JSON Lines).

    Raises:
        ValueError: a line is not a vacancy record; the message names file and line.
    """
    for path in [paths] if isinstance(paths, str | os.PathLike) else paths:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield VacancyRecord.from_dict(json.loads(line))
                except (ValueError, KeyError, TypeError) as error:
                    raise ValueError(
                        f"{path}, line {number}: not an extracted vacancy record ({error}); "
                        "write one with `vaardig batch FEED --out FILE`"
                    ) from None


def is_record_file(path: str | os.PathLike[str]) -> bool:
    """True when the first non-empty line of ``path`` is a :class:`VacancyRecord`."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    data = json.loads(line)
                    return isinstance(data, dict) and {"id", "skills", "occupation"} <= set(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return False
    return False


# --- near-duplicates ------------------------------------------------------------------------
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_for_dedupe(text: str) -> list[str]:
    """Words of ``text`` case-folded, without diacritics and punctuation."""
    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", plain).split()


@dataclass(frozen=True)
class DedupeSettings:
    """How near-duplicate postings are recognised.

    Attributes:
        threshold: estimated Jaccard similarity of word shingles at which two postings are the
            same vacancy. At 0.6 a repost with an edited intro, footer or one line less still
            matches; two different vacancies written from one template usually stay below 0.5.
        window_days: postings further apart than this are different vacancies (a job posted
            again months later is new demand). Also bounds the work per posting: only
            postings in the same or a neighbouring window are looked up. None: no window.
            Undated postings are compared with undated postings only.
        shingle_words: words per shingle.
        num_perm: MinHash permutations; a multiple of ``bands``.
        bands: LSH bands (24 bands x 4 rows: a pair at Jaccard 0.6 becomes a candidate with
            probability 0.97, at 0.7 with 0.998, at 0.2 with 0.04; every candidate is then
            checked on its full signature).
    """

    threshold: float = 0.6
    window_days: int | None = 90
    shingle_words: int = 3
    num_perm: int = 96
    bands: int = 24

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError(f"dedupe threshold must be in (0, 1], got {self.threshold}")
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands")


class MinHasher:
    """MinHash signatures of word shingles: ``signature(text) -> (num_perm,) uint32``; the
    share of equal positions in two signatures estimates the Jaccard similarity of the texts.

    Deterministic across processes and platforms (CRC32 shingle hashes, fixed seeds), so a
    resumed run sees the same signatures as the run it continues.
    """

    def __init__(self, num_perm: int = 96, shingle_words: int = 3, seed: int = 1) -> None:
        self.shingle_words = shingle_words
        # one hash function per permutation: splitmix64(shingle hash XOR seed_i)
        self._seeds = np.random.default_rng(seed).integers(
            0, np.iinfo(np.uint64).max, size=num_perm, dtype=np.uint64, endpoint=True
        )

    def shingle_hashes(self, text: str) -> np.ndarray:
        """Distinct CRC32 hashes of the text's word shingles, as uint64."""
        words = normalise_for_dedupe(text)
        k = self.shingle_words
        grams = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
        return np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint64)

    def signature(self, text: str) -> np.ndarray:
        hashes = self.shingle_hashes(text)
        if hashes.size == 0:
            hashes = np.zeros(1, dtype=np.uint64)
        mixed = _splitmix64(hashes[:, None] ^ self._seeds[None, :])
        return (mixed.min(axis=0) >> np.uint64(32)).astype(np.uint32)


def _splitmix64(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, elementwise (uint64 arithmetic wraps, as intended)."""
    with np.errstate(over="ignore"):
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


# --- run state: checkpoint and duplicate index in one SQLite file ----------------------------
@dataclass(frozen=True)
class Checkpoint:
    """How far a run got. ``seq``: feed records consumed (kept or dropped as duplicates), over
    all feeds in order; ``output_bytes``: valid length of the output file."""

    seq: int = 0
    output_bytes: int = 0
    written: int = 0
    duplicates: int = 0
    done: bool = False


_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS posting (seq INTEGER PRIMARY KEY, id TEXT, day INTEGER, sig BLOB);
CREATE TABLE IF NOT EXISTS band (key INTEGER, seq INTEGER, PRIMARY KEY (key, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS duplicate (seq INTEGER PRIMARY KEY, id TEXT, of_id TEXT, sim REAL);
"""


class RunState:
    """Checkpoint and near-duplicate index of one batch run, stored in one SQLite file.

    Both are committed together (:meth:`commit`), so the duplicate index never knows a posting
    whose batch the checkpoint does not cover (after :meth:`forget_after` on resume).

    Raises:
        ValueError: resuming with other feeds or settings than the checkpointed run.
    """

    def __init__(self, path: Path, config: dict[str, Any], dedupe: DedupeSettings | None):
        self.path = path
        self.dedupe = dedupe
        self._db = sqlite3.connect(path)
        self._db.executescript(_SCHEMA)
        self._db.execute("PRAGMA synchronous = FULL")
        self._db.execute("PRAGMA cache_size = -16000")  # 16 MB of pages, whatever the feed size
        row = self._db.execute("SELECT value FROM run WHERE key = 'config'").fetchone()
        wanted = json.dumps(config, sort_keys=True)
        if row is None:
            self._db.execute("INSERT INTO run VALUES ('config', ?)", (wanted,))
            self._db.commit()
        elif row[0] != wanted:
            self._db.close()
            raise ValueError(
                f"{path} is the checkpoint of a different run (other feeds, feed sizes or "
                "settings); delete it and the output to start again, or choose another --out"
            )
        if dedupe is not None:
            self._hasher = MinHasher(dedupe.num_perm, dedupe.shingle_words)
            self._rows = dedupe.num_perm // dedupe.bands

    @property
    def checkpoint(self) -> Checkpoint:
        row = self._db.execute("SELECT value FROM run WHERE key = 'checkpoint'").fetchone()
        return Checkpoint(**json.loads(row[0])) if row else Checkpoint()

    def forget_after(self, seq: int) -> None:
        """Drop postings recorded after checkpoint ``seq`` (their batch was never written)."""
        for table in ("posting", "band", "duplicate"):
            self._db.execute(f"DELETE FROM {table} WHERE seq > ?", (seq,))
        self._db.commit()

    def commit(self, checkpoint: Checkpoint) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO run VALUES ('checkpoint', ?)",
            (json.dumps(asdict(checkpoint)),),
        )
        self._db.commit()

    def close(self) -> None:
        self._db.close()

    def duplicate_of(self, seq: int, document: Document) -> str | None:
        """The id of an earlier posting this one duplicates, or None after recording it as new.

        The posting is recorded (uncommitted until the next :meth:`commit`) either way.
        """
        assert self.dedupe is not None
        settings = self.dedupe
        sig = self._hasher.signature(document.text)
        day = _day(document.metadata.get("date_posted"))
        vacancy_id = str(document.metadata.get("id") or document.source)
        bucket = self._bucket(day)
        bands = sig.reshape(settings.bands, self._rows)
        keys = _band_keys(bands, bucket)
        near = (bucket - 1, bucket + 1) if bucket >= 0 else ()
        lookup = keys + [k for b in near for k in _band_keys(bands, b)]
        marks = ",".join("?" * len(lookup))
        candidates = self._db.execute(
            f"SELECT DISTINCT p.seq, p.id, p.day, p.sig FROM band b JOIN posting p "
            f"ON p.seq = b.seq WHERE b.key IN ({marks}) ORDER BY p.seq",
            lookup,
        ).fetchall()
        if candidates:
            days = np.array([np.nan if c[2] is None else c[2] for c in candidates])
            sigs = np.frombuffer(b"".join(c[3] for c in candidates), dtype=np.uint32)
            similarity = (sigs.reshape(len(candidates), -1) == sig).mean(axis=1)
            match = similarity >= settings.threshold
            if settings.window_days is not None and day is not None:
                match &= ~(np.abs(days - day) > settings.window_days)  # undated: no limit
            if match.any():
                first = int(np.argmax(match))  # the earliest posting it repeats
                other_id = candidates[first][1]
                self._db.execute(
                    "INSERT INTO duplicate VALUES (?, ?, ?, ?)",
                    (seq, vacancy_id, other_id, float(similarity[first])),
                )
                return str(other_id)
        self._db.execute(
            "INSERT INTO posting VALUES (?, ?, ?, ?)", (seq, vacancy_id, day, sig.tobytes())
        )
        self._db.executemany("INSERT INTO band VALUES (?, ?)", [(k, seq) for k in keys])
        return None

    def _bucket(self, day: int | None) -> int:
        """Time window of a posting (-1: undated, or no window)."""
        window = self.dedupe.window_days if self.dedupe else None
        return day // window if day is not None and window else -1

    def duplicates(self) -> list[tuple[str, str, float]]:
        """(dropped id, id of the posting kept, similarity) for every duplicate so far."""
        return self._db.execute("SELECT id, of_id, sim FROM duplicate ORDER BY seq").fetchall()


def _band_keys(bands: np.ndarray, bucket: int) -> list[int]:
    """One signed 64-bit LSH key per band (row of ``bands``), salted with band and window."""
    with np.errstate(over="ignore"):
        keys = (np.arange(len(bands), dtype=np.uint64) << np.uint64(40)) ^ np.uint64(
            bucket & 0xFFFFFFFFFF
        )
        for column in bands.T.astype(np.uint64):
            keys = _splitmix64(keys ^ column)
    return keys.view(np.int64).tolist()


def _day(value: Any) -> int | None:
    try:
        return date.fromisoformat(str(value)).toordinal() if value else None
    except ValueError:
        return None


# --- the batch job ---------------------------------------------------------------------------
@dataclass
class Batch:
    """Documents to extract together; ``seq_end``: the checkpoint once they are written."""

    seq_end: int
    documents: list[Document] = field(default_factory=list)
    duplicates: int = 0


@dataclass(frozen=True)
class BatchProgress:
    """Passed to the ``progress`` callback after each checkpoint."""

    consumed: int  # feed records consumed in this run (kept or dropped)
    written: int  # vacancies in the output, over all runs
    duplicates: int  # duplicates dropped, over all runs
    elapsed_s: float


@dataclass(frozen=True)
class BatchReport:
    """What a :func:`process_feed` run did.

    ``written`` and ``duplicates`` count over all runs of the output (resumes included);
    ``extracted`` and ``per_second`` only this run's work.
    """

    out_path: Path
    written: int
    duplicates: int
    extracted: int
    skipped_bad: int
    resumed_from: int
    seconds: float
    backend: str

    @property
    def per_second(self) -> float:
        return self.extracted / self.seconds if self.seconds > 0 else 0.0


Executor = Callable[[Iterable[Batch]], Iterator[tuple[Batch, list[str]]]]


def in_submission_order(
    batches: Iterable[Batch],
    submit: Callable[[list], Any],
    wait: Callable[[Any], list[str]],
    limit: int,
) -> Iterator[tuple[Batch, list[str]]]:
    """The parallel backends' driver loop: ``submit`` each non-empty batch's documents (it
    returns a job), keep at most ``limit`` batches in flight, and yield ``(batch, wait(job))``
    in submission order, so the output is the local backend's whatever finishes first."""
    pending: deque[tuple[Batch, Any]] = deque()
    for batch in batches:
        pending.append((batch, submit(batch.documents) if batch.documents else None))
        while len(pending) >= limit:
            done, job = pending.popleft()
            yield done, wait(job) if job is not None else []
    while pending:
        done, job = pending.popleft()
        yield done, wait(job) if job is not None else []


def load_languages(extractor: ExtractorLike) -> None:
    """Load both languages' spaCy pipelines and lexicons now (a worker or actor does this
    before its first batch, so no batch pays for it)."""
    lexicon = getattr(extractor, "lexicon", None)
    if lexicon is None:  # a stand-in extractor (tests, benchmarks) has none to load
        return
    from extractor.nlp import SUPPORTED, get_nlp

    for lang in SUPPORTED:
        get_nlp(lang)
        lexicon(lang)


def local_executor(extractor: ExtractorLike, min_confidence: float = 0.0) -> Executor:
    """Extract the batches in this process, in order, as one stream of documents: the
    extractor can then encode the next documents while it links these (``SkillExtractor``
    does), and each batch comes back as soon as its last document is done."""

    def run(batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[str]]]:
        pending: deque[tuple[Batch, list[str]]] = deque()  # read, not yet handed back

        def documents() -> Iterator[Document]:
            for batch in batches:
                pending.append((batch, []))
                yield from batch.documents

        def done() -> Iterator[tuple[Batch, list[str]]]:  # empty batches (all duplicates) too
            while pending and len(pending[0][1]) == len(pending[0][0].documents):
                yield pending.popleft()

        for extraction in extractor.extract_many(documents()):
            yield from done()
            batch, lines = pending[0]
            document = batch.documents[len(lines)]
            lines.append(record_line(document, extraction, extractor.taxonomy, min_confidence))
            yield from done()
        yield from done()

    return run


def process_feed(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    extractor: ExtractorLike | None,
    out_path: str | os.PathLike[str],
    checkpoint_path: str | os.PathLike[str] | None = None,
    *,
    dedupe: bool | DedupeSettings = True,
    backend: Literal["local", "processes", "ray"] = "local",
    resume: bool = False,
    batch_size: int = 32,
    min_confidence: float = 0.0,
    progress: Callable[[BatchProgress], None] | None = None,
    text_columns: Sequence[str] | None = None,
    ray_actors: int | None = None,
    extractor_factory: Callable[[], ExtractorLike] | None = None,
) -> BatchReport:
    """Extract every vacancy of ``paths`` into ``out_path`` (JSON Lines of :class:`VacancyRecord`).

    Args:
        paths: one or more feeds (JSON, JSON Lines, JSON-LD, CSV, XML), processed in order.
        extractor: the local backend's extractor (e.g. ``Engine().extractor``); unused by Ray.
        out_path: the output file.
        checkpoint_path: SQLite state file; default ``<out_path>.state``.
        dedupe: True (default settings), a :class:`DedupeSettings`, or False.
        backend: "local" (this process), "processes" (worker processes on this machine, one
            extractor each: uses every core) or "ray" (actors holding one extractor each).
        resume: continue the run that wrote ``out_path``; without it an existing output or
            checkpoint is an error rather than being overwritten.
        batch_size: vacancies per batch (and per checkpoint).
        min_confidence: leave out skill claims below this confidence.
        progress: called with a :class:`BatchProgress` after every checkpoint.
        text_columns: feed fields holding the vacancy text (see ``read_feed``).
        ray_actors: number of Ray actors or worker processes (default: one per CPU).
        extractor_factory: builds the extractor: for "local" when ``extractor`` is None (after
            the checks, so a refused run loads no model); for "processes" and "ray" inside each
            worker or actor (default: the ``Engine`` with this process's ``VAARDIG_*``
            settings; must pickle).

    Returns:
        A :class:`BatchReport`. Malformed vacancies are skipped and counted, never fatal.

    Raises:
        FileNotFoundError: a feed does not exist.
        ValueError: the output exists and ``resume`` is False; or the checkpoint belongs to a
            run with other feeds or settings.
        IngestError: a feed file is malformed as a whole (broken JSON array, bad XML).
    """
    feeds = [Path(p) for p in ([paths] if isinstance(paths, str | os.PathLike) else paths)]
    if not feeds:
        raise ValueError("give at least one feed file")
    for feed in feeds:
        if not feed.is_file():
            raise FileNotFoundError(f"{feed}: no such feed file")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    out = Path(out_path)
    state_path = Path(checkpoint_path) if checkpoint_path else out.with_name(out.name + ".state")
    settings = DedupeSettings() if dedupe is True else (dedupe or None)
    if not resume and (out.exists() or state_path.exists()):
        raise ValueError(
            f"{out} or its checkpoint {state_path.name} already exists: pass --resume to "
            "continue that run, or delete them / choose another --out to start again"
        )
    if resume and out.exists() and not state_path.exists():
        raise ValueError(
            f"{out} exists but has no checkpoint ({state_path.name}), so it cannot be resumed "
            "safely; delete it or choose another --out"
        )
    config = {
        "format": RECORD_FORMAT,
        "feeds": [[str(f.resolve()), f.stat().st_size] for f in feeds],
        "dedupe": asdict(settings) if settings else None,
        "min_confidence": min_confidence,
        "text_columns": list(text_columns) if text_columns else None,
    }
    if backend not in ("local", "processes", "ray"):
        raise ValueError(f"backend must be 'local', 'processes' or 'ray', not {backend!r}")
    if backend == "local" and extractor is None and extractor_factory is None:
        raise ValueError("the local backend needs an extractor (e.g. Engine().extractor)")
    executor: Executor | None = None
    if backend == "ray":  # fails here, before any work, when Ray is not installed
        from extractor.batch_ray import ray_executor

        executor = ray_executor(extractor_factory, ray_actors, min_confidence)
    elif backend == "processes":
        from extractor.batch_procs import process_executor

        executor = process_executor(extractor_factory, ray_actors, min_confidence)

    state = RunState(state_path, config, settings)
    started = time.perf_counter()
    try:
        checkpoint = state.checkpoint
        resumed_from = checkpoint.seq
        size = out.stat().st_size if out.exists() else 0
        if size < checkpoint.output_bytes:
            raise ValueError(
                f"{out} is shorter ({size} bytes) than its checkpoint says "
                f"({checkpoint.output_bytes}): it was changed or deleted after the run; delete "
                f"{state_path.name} to start again"
            )
        if checkpoint.done:
            return BatchReport(
                out, checkpoint.written, checkpoint.duplicates, 0, 0, resumed_from, 0.0, backend
            )
        state.forget_after(checkpoint.seq)
        if executor is None:  # the local model loads only when there is work to do
            executor = local_executor(extractor or extractor_factory(), min_confidence)  # type: ignore[misc]
        readers: list = []
        batches = _batches(feeds, state, checkpoint.seq, batch_size, text_columns, readers)
        extracted = 0
        with _open_output(out, checkpoint.output_bytes) as sink:
            for batch, lines in executor(batches):
                sink.write("".join(lines).encode("utf-8"))
                sink.flush()
                os.fsync(sink.fileno())
                extracted += len(lines)
                checkpoint = replace(
                    checkpoint,
                    seq=batch.seq_end,
                    output_bytes=sink.tell(),
                    written=checkpoint.written + len(lines),
                    duplicates=checkpoint.duplicates + batch.duplicates,
                )
                state.commit(checkpoint)
                if progress is not None:
                    progress(
                        BatchProgress(
                            batch.seq_end - resumed_from,
                            checkpoint.written,
                            checkpoint.duplicates,
                            time.perf_counter() - started,
                        )
                    )
        state.commit(replace(checkpoint, done=True))
        skipped = sum(len(r.skipped) for r in readers)
        seconds = time.perf_counter() - started
        return BatchReport(
            out,
            checkpoint.written,
            checkpoint.duplicates,
            extracted,
            skipped,
            resumed_from,
            seconds,
            backend,
        )
    finally:
        state.close()


def _open_output(out: Path, valid_bytes: int):
    """The output opened for appending after ``valid_bytes`` (a torn tail is cut off)."""
    handle = out.open("r+b") if out.exists() else out.open("w+b")
    handle.truncate(valid_bytes)
    handle.seek(valid_bytes)
    return handle


def _batches(
    feeds: list[Path],
    state: RunState,
    done_seq: int,
    batch_size: int,
    text_columns: Sequence[str] | None,
    readers: list,
) -> Iterator[Batch]:
    """Batches of new, non-duplicate documents after record ``done_seq``."""
    from extractor.ingest import read_feed

    seq = 0
    batch = Batch(seq_end=done_seq)
    for feed in feeds:
        # per_sentence=False: every sentence is read in the vacancy's language. Detecting each
        # sentence's (so an English passage is matched with English lemmas, as for a single
        # document) would halve the ingestion rate, for vacancies that are seldom mixed
        columns = tuple(text_columns) if text_columns else None
        reader = read_feed(feed, columns, skip_bad=True, per_sentence=False)
        readers.append(reader)
        for document in reader:
            seq += 1
            if seq <= done_seq:
                continue
            batch.seq_end = seq
            if state.dedupe is not None and state.duplicate_of(seq, document) is not None:
                batch.duplicates += 1
                continue
            batch.documents.append(document)
            if len(batch.documents) >= batch_size:
                yield batch
                batch = Batch(seq_end=seq)
    if batch.seq_end > done_seq or batch.documents:
        yield batch
