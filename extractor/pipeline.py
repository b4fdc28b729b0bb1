"""Skill extraction: Document → sentences → mentions → linked ``SkillClaim``s.

Stages, each a small function over a batch:

1. ``nlp.pipe`` per language: tokens, sentences, lemma keys (:mod:`extractor.nlp`);
2. exact mentions from the label/alias matchers (:mod:`extractor.lexicon`);
3. phrase candidates where no exact mention covers the text (:mod:`extractor.chunks`);
4. one encoder call for all new candidate texts of the batch (an LRU cache skips repeats);
5. linking: the fused semantic + lexical ranking (:mod:`extractor.linking`), blended with the
   sentence as context (mean of the sentence's candidate vectors, so no extra encoding);
6. decision with a calibrated threshold, then one claim per skill with all its evidence;
7. job titles linked to ESCO occupations; their essential skills become *inferred* claims,
   weighted below evidenced ones.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from extractor.aliases import Alias, LabelBlock, load_aliases, load_label_blocks
from extractor.calibration import Calibration
from extractor.chunks import sentence_chunks
from extractor.claims import Evidence, Extraction, OccupationClaim, SkillClaim
from extractor.documents import NO_SKILL_SECTIONS, Document
from extractor.lexicon import Lexicon, LexiconMatch, load_lexicon
from extractor.linking import ConceptLinker, content_lemmas
from extractor.nlp import get_nlp, preload_lemma_keys
from extractor.titles import job_title
from taxonomy.index import SearchHit, TaxonomyIndex

EXACT_CONFIDENCE = {"preferred": 0.95, "alternative": 0.9, "alias": 0.9, "alias_context": 0.8}
INFERRED_WEIGHT = 0.5  # an inferred skill is at most half as certain as the title it came from
SINGLE_WORD_MARGIN = 0.06  # a bare word ("afhandelen") needs a higher score to become a claim;
# 0.06 from eval/experiments/single_word_margin.py (as good or better than 0.03 on every set)
EXTRACTION_DEPTH = 20  # candidates rescored per phrase when extracting claims
RANKING_DEPTH, RANKING_K = 50, 20  # deeper when a full skill ranking is wanted (evaluation)
# texts whose ranking is kept per concept kind (a bounded LRU, like the vector cache's 50,000)
RANKING_CACHE = 20_000


def _shared_label(hits: list) -> bool:
    """Whether the best hit's label is also another hit's label (several concepts share it)."""
    if len(hits) < 2:
        return False
    best = hits[0].label.casefold()
    return any(h.label.casefold() == best for h in hits[1:])


class _VectorCache:
    """LRU of text → embedding, shared across documents of a run.

    ``claim`` (before a batch is encoded) and ``add`` (after) bracket the encoder call that
    runs on the encoding thread; both run under the extractor's lock."""

    def __init__(self, encode: Callable[[list[str]], np.ndarray], size: int = 50_000) -> None:
        self.size = size
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()

        self._in_flight: set[str] = set()
        self._encode = encode

    def claim(self, texts: Iterable[str]) -> list[str]:
        """The texts that need encoding (neither cached nor already being encoded for an
        earlier batch); they are marked in flight. Cached ones are refreshed so that the
        vectors arriving meanwhile cannot push them out."""
        new = []
        for text in dict.fromkeys(texts):
            if text in self._data:
                self._data.move_to_end(text)
            elif text not in self._in_flight:
                new.append(text)
        self._in_flight.update(new)
        return new

    def clear(self) -> None:
        self._data.clear()

    def add(self, texts: list[str], vectors: np.ndarray | None) -> None:
        for text, vec in zip(texts, () if vectors is None else vectors, strict=True):
            self._data[text] = vec
        self._in_flight.difference_update(texts)
        while len(self._data) > self.size:
            self._data.popitem(last=False)

    def __getitem__(self, text: str) -> np.ndarray:
        vec = self._data.get(text)
        if vec is None:  # claimed by a batch of another thread that is not finished yet
            vec = self._data[text] = self._encode([text])[0]
        self._data.move_to_end(text)
        return vec


@functools.cache
def _threadpools():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _one_thread(beside_encoder: bool):
    """BLAS and OpenMP (numpy, FAISS) on one thread while this thread links phrases beside
    the encoder: their idle worker threads busy-wait after each call, taking the core the
    encoder needs. Alone (one CV, a stream's last batch) FAISS keeps its threads, so a CV's
    searches run on both cores. (Both choices come from A/B timings by hand on 2 cores, not
    from a benchmark in the repo.)
    The limit is process-wide while it lasts."""
    return _threadpools().limit(limits=1) if beside_encoder else contextlib.nullcontext()


def _chunked(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class _Prepared:
    per_doc: list[tuple]  # (document, spaCy doc, exact matches, candidates, titles)
    new_texts: list[str]  # texts this batch sends to the encoder
    job: Future | None = None  # the encoder's work on new_texts

    def phrase_texts(self) -> list[str]:
        """The batch's distinct phrase-candidate texts (linked to skills)."""
        return list(dict.fromkeys(c.text for *_, phrases, _titles in self.per_doc for c in phrases))

    def title_texts(self) -> list[str]:
        """The batch's distinct job-title texts (linked to occupations)."""
        return list(dict.fromkeys(t.text for *_, titles in self.per_doc for t in titles))


@dataclass
class _Candidate:
    start: int
    end: int
    text: str
    sentence: int
    whole_sentence: bool


_SEGMENT = re.compile(r"[^,:;|/–—()\n]+")
_COMPANY = re.compile(r"\b(B\.?V\.?|N\.?V\.?|BV|NV|GmbH|Ltd|Inc|VOF|gemeente)\b", re.IGNORECASE)
HEADER_LINES = 4  # lines above the first heading that may hold "name – title"
_NOT_TITLES = frozenset({"curriculum vitae", "cv", "resume", "résumé", "levensloop"})
_DATE_TEXT = (  # date words of CV job lines, Dutch and English
    "heden nu tot huidig present now current today to till until jan januari january feb "
    "februari february mrt maart mar march apr april mei may jun juni june jul juli july "
    "aug augustus august sep sept september okt oktober oct october nov november dec december"
)
_DATE_WORDS = frozenset(_DATE_TEXT.split())
_NAME_PARTICLES = frozenset(
    ("van", "de", "der", "den", "het", "ter", "ten", "te", "'t", "op", "in", "von", "da", "du")
)
_CONTACT = re.compile(r"@|https?://|www\.|\b[\w-]+\.(?:com|nl|org|io|be|net|eu|dev)\b", re.I)


def _is_date_line(text: str) -> bool:
    """ "mrt 2018 – heden", "2015 - 2020", "Sep 2018 – Feb 2021": dates only."""
    words = re.findall(r"\w+", text.lower())
    return bool(words) and all(w.isdigit() or w in _DATE_WORDS for w in words)


def _title_like(text: str) -> bool:
    """A segment that could be a job title: 1–5 words, no digits, no firm, no date word."""
    words = text.split()
    return (
        1 <= len(words) <= 5
        and not any(ch.isdigit() for ch in text)
        and not _COMPANY.search(text)
        and not _is_date_line(text)
        and text.lower() not in _NOT_TITLES
    )


def _looks_like_name(text: str) -> bool:
    """Two to five capitalised words (name particles aside): "Kevin van den Berg"."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and words[0][:1].isupper()
        and all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
    )


class SkillExtractor:
    """Extract ESCO skills (and job titles) from documents.

    ``extract(doc)`` → :class:`Extraction`; ``extract_many(docs)`` streams batches with one
    model load and one encoder call per batch.

    Thread-safe: batches from several threads run one at a time (the phrase-vector cache and
    the lazily loaded lexicons are shared state, and the encoder already uses every core).

    ``aliases`` and ``label_blocks`` default to the bundled alias table and the list of
    taxonomy labels that must not match a concept exactly (``extractor/data/``).
    """

    def __init__(
        self,
        index: TaxonomyIndex,
        linker: ConceptLinker | None = None,
        aliases: list[Alias] | None = None,
        calibration: Calibration | None = None,
        cache_dir: Path | None = None,
        infer_from_titles: bool = True,
        batch_size: int = 16,
        label_blocks: list[LabelBlock] | None = None,
    ) -> None:
        from vaardig.settings import get_settings

        self.index = index
        self.taxonomy = index.taxonomy
        self.linker = linker or ConceptLinker(index)
        self.aliases = load_aliases() if aliases is None else aliases
        self.label_blocks = load_label_blocks() if label_blocks is None else label_blocks
        self.calibration = calibration or Calibration.for_encoder(index.encoder)
        self.cache_dir = Path(cache_dir or get_settings().cache_dir)
        self.infer_from_titles = infer_from_titles
        self.batch_size = batch_size
        self._lexicons: dict[tuple[str, str], Lexicon] = {}
        self._vectors = _VectorCache(self._encode)
        self._rankings: dict[str, OrderedDict[str, list[SearchHit]]] = {
            "skill": OrderedDict(),
            "occupation": OrderedDict(),
        }
        self._encode_lock = threading.Lock()
        self.encoder_seconds = 0.0  # time spent in the encoder, and texts encoded, so far
        self.encoded_texts = 0
        self._encoder_pool: ThreadPoolExecutor | None = None
        self._lemmas_loaded: set[str] = set()
        self._lock = threading.RLock()
        # whole sentences as extra candidates improve the full ranking (evaluation) but never
        # become claims, so ordinary extraction skips encoding them
        self._rank_sentences = False

    def lexicon(self, lang: str, kind: str = "skill") -> Lexicon:
        key = (lang, kind)
        with self._lock:
            return self._lexicon(key, lang, kind)

    def _lexicon(self, key: tuple[str, str], lang: str, kind: str) -> Lexicon:
        if key not in self._lexicons:
            skills = kind == "skill"
            self._lexicons[key] = load_lexicon(
                self.taxonomy,
                lang,
                kind,
                self.aliases if skills else [],
                self.cache_dir,  # type: ignore[arg-type]
                self.label_blocks if skills else [],
            )
        return self._lexicons[key]

    # --- public API ----------------------------------------------------------------------------
    def cached_phrases(self) -> set[str]:
        """The phrases whose vector or ranking is held in memory now (they come from the
        documents extracted so far, so they can be personal data)."""
        with self._lock:
            return set(self._vectors._data).union(*self._rankings.values())

    def clear_caches(self) -> None:
        """Forget the cached phrase vectors and rankings (erasure calls this: the phrases come
        from CVs). Only speed changes; a phrase being encoded for a batch in progress comes
        back with that batch."""
        with self._lock:
            self._vectors.clear()
            for cache in self._rankings.values():
                cache.clear()

    def extract(self, document: Document) -> Extraction:
        """All skills and job titles in one document (a batch of one)."""
        return next(iter(self.extract_many([document])))

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        """Stream extractions, ``batch_size`` documents at a time, in input order.

        Pipelined: while one batch is linked and decided (Python, one core), the next batch's
        new phrases are encoded on a background thread (the encoder releases the GIL), so a
        feed keeps both cores busy. The results are the same as one document at a time: a
        phrase's vector and ranking do not depend on the phrases beside it, and batches are
        decided in order.
        """
        pending: _Prepared | None = None
        for batch in _chunked(documents, self.batch_size):
            try:  # the encoder may still be busy with the batch before
                prepared = self._prepare(batch, beside_encoder=pending is not None)
            except Exception:
                if pending is not None:  # the batches before a bad one still come out
                    yield from self._finish(pending)
                raise
            self._submit(prepared)
            if pending is not None:  # linked while the encoder works on this batch
                yield from self._finish(pending, beside_encoder=True)
            pending = prepared
        if pending is not None:
            yield from self._finish(pending)

    def rank_and_extract(self, texts: Sequence[str], langs: Sequence[str]) -> list[Extraction]:
        """Extraction on raw texts (no ingestion) with the full skill ranking, for the
        evaluation harness (whole sentences are encoded too: slower)."""
        docs = [
            Document(
                text=t, lang=lang if lang in ("nl", "en") else "nl", source=f"text-{i}", kind="text"
            )
            for i, (t, lang) in enumerate(zip(texts, langs, strict=True))
        ]
        with self._lock:
            self._rank_sentences = True
            try:
                return list(self.extract_many(docs))
            finally:
                self._rank_sentences = False

    # --- stages --------------------------------------------------------------------------------
    def _prepare(self, documents: list[Document], beside_encoder: bool = False) -> _Prepared:
        """spaCy, exact mentions, phrase and title candidates; which texts need encoding."""
        with self._lock, _one_thread(beside_encoder):
            for d in documents:
                if not d.text.strip():
                    raise ValueError(f"{d.source}: the document has no text to extract skills from")
            self._preload_lemmas({"nl"} | {d.lang for d in documents})
            spacy_docs: list = [None] * len(documents)
            for lang in ("nl", "en"):
                idx = [i for i, d in enumerate(documents) if d.lang == lang]
                for i, sdoc in zip(
                    idx, get_nlp(lang).pipe(documents[i].text for i in idx), strict=True
                ):
                    spacy_docs[i] = sdoc
            per_doc = []
            texts: list[str] = []
            for document, sdoc in zip(documents, spacy_docs, strict=True):
                matches, candidates = self._mentions(document, sdoc)
                titles = self._title_candidates(document, sdoc)
                per_doc.append((document, sdoc, matches, candidates, titles))
                texts += [c.text for c in candidates] + [t.text for t in titles]
            return _Prepared(per_doc, self._vectors.claim(texts))

    def _encode(self, texts: list[str]) -> np.ndarray | None:
        """Encoder call for one batch's new texts (on the encoding thread)."""
        if not texts:
            return None
        with self._encode_lock:
            started = time.perf_counter()
            vectors = self.index.encoder.encode_queries(texts)
            self.encoder_seconds += time.perf_counter() - started
            self.encoded_texts += len(texts)
            return vectors

    def _submit(self, prepared: _Prepared) -> None:
        """Queue the batch's new texts on the encoding thread, one job per batch."""
        prepared.job = self._encoding_thread().submit(self._encode, prepared.new_texts)

    def _finish(self, prepared: _Prepared, beside_encoder: bool = False) -> list[Extraction]:
        vectors = prepared.job.result() if prepared.job is not None else None
        with self._lock, _one_thread(beside_encoder):
            self._vectors.add(prepared.new_texts, vectors)
            if not self._rank_sentences:  # one linker call per kind for the whole batch
                self._ranked("skill", prepared.phrase_texts())
                self._ranked("occupation", prepared.title_texts())
            return [self._decide(*item) for item in prepared.per_doc]

    def _ranked(self, kind: str, texts: list[str]) -> list[list[SearchHit]]:
        """The linker's ranking per text (skills: top 10 of ``EXTRACTION_DEPTH`` candidates;
        occupations: the best), from an LRU of earlier results; the texts not in it are
        ranked in one call (one FAISS search). A text's ranking does not depend on the other
        texts of the call, so the cache changes speed only."""
        cache = self._rankings[kind]
        new = [t for t in dict.fromkeys(texts) if t not in cache]
        if new:
            vecs = np.stack([self._vectors[t] for t in new])
            if kind == "skill":
                ranked = self.linker.rank(new, "skill", k=10, vectors=vecs, depth=EXTRACTION_DEPTH)
            else:
                ranked = self.linker.rank(new, "occupation", k=1, vectors=vecs)
            for text, hits in zip(new, ranked, strict=True):
                cache[text] = hits
            while len(cache) > RANKING_CACHE:
                cache.popitem(last=False)
        out = []
        for t in texts:
            cache.move_to_end(t)
            out.append(cache[t])
        return out

    def _encoding_thread(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._encoder_pool is None:
                self._encoder_pool = ThreadPoolExecutor(1, thread_name_prefix="vaardig-encode")
            return self._encoder_pool

    def _preload_lemmas(self, langs: set[str]) -> None:
        """The lemma keys of every taxonomy label word, from the disk cache (the linker
        lemmatises labels in Dutch whatever the document's language; spaCy needs the
        document's)."""
        for lang in sorted(langs - self._lemmas_loaded):
            preload_lemma_keys(lang, self.taxonomy.fingerprint, self._label_texts, self.cache_dir)
            self._lemmas_loaded.add(lang)

    def _label_texts(self) -> Iterator[str]:
        for labels in self.index._labels.values():
            yield from labels
        for alias in self.aliases:
            yield alias.alias

    def _mentions(self, document: Document, sdoc) -> tuple[list[LexiconMatch], list[_Candidate]]:
        headings = np.zeros(len(document.text) + 1, dtype=bool)
        for section in document.sections:
            # headings are not skills; nor is anything in a section that never describes the
            # work (a vacancy's offer, how to apply, personal details)
            skipped = section.name in NO_SKILL_SECTIONS
            end = section.end if skipped else section.start + len(section.heading)
            headings[section.start : end] = True
        # the sentences in the other language (a Dutch CV's English summary), marked per char
        other = "en" if document.lang == "nl" else "nl"
        foreign = [(s, e) for s, e, lang in document.sentence_langs or () if lang == other]
        in_other = np.zeros(len(document.text) + 1, dtype=bool)
        for start, end in foreign:
            in_other[start:end] = True
        matches = [
            m
            for m in self._lexicon_matches(document, sdoc, other, foreign, in_other)
            if not headings[m.span.start_char : m.span.end_char].any()
        ]
        covered = headings.copy()
        for m in matches:
            covered[m.span.start_char : m.span.end_char] = True
        candidates = []
        vocabularies = {
            lang: self.lexicon(lang).vocabulary
            for lang in ((document.lang, other) if foreign else (document.lang,))
        }
        for si, sent in enumerate(sdoc.sents):
            lang = other if in_other[sent.start_char] else document.lang
            vocabulary = vocabularies[lang]
            for chunk in sentence_chunks(sent, document.text):
                if chunk.whole_sentence and not self._rank_sentences:
                    continue  # whole sentences only feed the full ranking, never a claim
                if not chunk.whole_sentence and not (content_lemmas(chunk.text, lang) & vocabulary):
                    continue  # names, places, firms: no word any skill label uses
                if covered[chunk.start : chunk.end].all() and not (
                    chunk.whole_sentence and not headings[chunk.start : chunk.end].any()
                ):
                    continue
                candidates.append(
                    _Candidate(chunk.start, chunk.end, chunk.text, si, chunk.whole_sentence)
                )
        return matches, candidates

    def _lexicon_matches(
        self, document: Document, sdoc, other: str, foreign: list, in_other: np.ndarray
    ) -> list[LexiconMatch]:
        """Labels and aliases in the text. The ``foreign`` sentences ((start, end) in the
        ``other`` language, as ``Document.sentence_langs`` marks them; ``in_other`` per char)
        are matched with that language's lemmas and lexicon: "Managed budgets" is *manage
        budgets*, which Dutch lemmas of English words would miss."""
        own = self.lexicon(document.lang).find(sdoc)
        if not foreign:
            return own
        matches = [m for m in own if not in_other[m.span.start_char : m.span.end_char].any()]
        texts = (document.text[start:end] for start, end in foreign)
        for (start, _), fdoc in zip(foreign, get_nlp(other).pipe(texts), strict=True):
            for m in self.lexicon(other).find(fdoc):
                span = sdoc.char_span(
                    start + m.span.start_char, start + m.span.end_char, alignment_mode="expand"
                )
                if span is not None:
                    matches.append(LexiconMatch(span, m.entries))
        return sorted(matches, key=lambda m: m.span.start)

    def _title_candidates(self, document: Document, sdoc) -> list[_Candidate]:
        """Job-title candidates: the vacancy title, and the short segments of the first line
        and of work-experience lines of a CV ("2019 - heden: Heftruckchauffeur, Firma, Plaats").

        A vacancy title is linked without its decorations ("Vacature: Lasser (m/v/x) 40 uur"
        as "Lasser", :func:`extractor.titles.job_title`); its span is the title's words in the
        text. A title not in the text (a web page's <title>) counts where its job title is."""
        out: list[_Candidate] = []
        title = str(document.metadata.get("title") or "").strip()
        job = job_title(title, document.lang) if title else None
        if job and title in document.text:
            at = document.text.index(title)
            out.append(_Candidate(at + job.start, at + job.end, job.text, -1, True))
        elif job and (found := re.search(rf"(?<!\w){re.escape(job.text)}(?!\w)", document.text)):
            out.append(_Candidate(found.start(), found.end(), job.text, -1, True))
        if document.kind == "vacancy" and not title:
            first = next(iter(sdoc.sents), None)
            job = job_title(first.text, document.lang) if first is not None else None
            if job and len(job.text.split()) <= 8:
                start = first.start_char
                out.append(_Candidate(start + job.start, start + job.end, job.text, 0, True))
        if document.kind != "cv":
            return out
        sentences = list(sdoc.sents)
        first_heading = document.sections[0].start if document.sections else len(document.text)
        for si, sent in enumerate(sentences):
            segments = [
                (m.start(), text)
                for m in _SEGMENT.finditer(sent.text)
                if _title_like(text := m.group(0).strip(" ."))
            ]
            if sent.start_char < first_heading and si < HEADER_LINES:
                if _CONTACT.search(sent.text):
                    continue  # e-mail, website, GitHub: contact details, not a title
                # the header: "Naam – titel"; a person's name is not a job title ("Jeroen
                # Bakker" is no baker), nor is "Curriculum vitae"
                chosen = [(i, t) for i, t in segments if not _looks_like_name(t)]
            elif document.section_at(sent.start_char) == "experience" and (
                any(ch.isdigit() for ch in sent.text)  # "2019 - heden: Monteur, Firma, Plaats"
                or (si > 0 and _is_date_line(sentences[si - 1].text))  # title below a date line
            ):
                chosen = segments[:1]  # the title comes first; then the firm and the place
            else:
                continue
            for offset, text in chosen:
                start = sent.start_char + offset + sent.text[offset:].index(text)
                out.append(_Candidate(start, start + len(text), text, si, True))
        return out

    def _decide(self, document, sdoc, matches, candidates, titles) -> Extraction:
        cal = self.calibration
        sentences = list(sdoc.sents)
        claims: dict[str, list[SkillClaim]] = defaultdict(list)
        scores: dict[str, float] = {}

        def evidence(start: int, end: int, si: int) -> Evidence:
            sent = sentences[si].text.strip() if si >= 0 else document.text[start:end]
            return Evidence(start, end, document.text[start:end], sent, document.section_at(start))

        sent_index = {s.start: i for i, s in enumerate(sentences)}
        for m in matches:
            si = sent_index.get(m.span.sent.start, 0)
            end = m.span.end_char
            if len(m.span[-1].text) == 2 and m.span[-1].text[1] == ".":
                end -= 1  # "rijbewijs C." at a sentence end: the evidence is "rijbewijs C"
            for entry in m.entries:
                for uri in entry.uris:
                    if entry.alias is not None:
                        key = "alias_context" if entry.alias.requires_context else "alias"
                        method = "alias"
                    else:
                        key = "preferred" if entry.preferred else "alternative"
                        method = "exact"
                    conf = (
                        EXACT_CONFIDENCE[key]
                        if len(m.entries) == 1
                        else (EXACT_CONFIDENCE[key] - 0.1)
                    )
                    claims[uri].append(
                        self._claim(
                            uri,
                            conf,
                            method,  # type: ignore[arg-type]
                            evidence(m.span.start_char, end, si),
                            entry.label,
                        )
                    )
                    scores[uri] = max(scores.get(uri, 0.0), 1.0 + conf)

        if candidates:
            vecs = np.stack([self._vectors[c.text] for c in candidates])
            context = self._sentence_context(candidates, vecs)
            if self._rank_sentences:  # the full ranking for evaluation: deeper, exact search
                ranked = self.linker.rank(
                    [c.text for c in candidates],
                    kind="skill",
                    k=RANKING_K,
                    vectors=vecs,
                    depth=RANKING_DEPTH,
                    exact=True,
                )
            else:
                ranked = self._ranked("skill", [c.text for c in candidates])
            emb = self.index.embeddings
            for c, hits, ctx in zip(candidates, ranked, context, strict=True):
                margin = SINGLE_WORD_MARGIN if " " not in c.text else 0.0
                # a bare word whose best label several concepts share ("programmeren": three
                # programming skills) does not say which of them is meant: none is claimed
                shared = margin and _shared_label(hits[:3])
                for rank, hit in enumerate(hits):
                    label_vec = emb[self.index._row_of[hit.label]]
                    score = (1 - cal.context_weight) * hit.score + cal.context_weight * float(
                        label_vec @ ctx
                    )
                    # one bare word ("afhandelen") is weak evidence: it must clear a higher
                    # bar to become a claim, and the ranking orders concepts by how far their
                    # evidence clears its own bar, so it ranks below a phrase's equal score
                    scores[hit.concept.uri] = max(scores.get(hit.concept.uri, 0.0), score - margin)
                    needed = cal.threshold + margin
                    if rank < 3 and score >= needed and not c.whole_sentence and not shared:
                        claims[hit.concept.uri].append(
                            self._claim(
                                hit.concept.uri,
                                cal.confidence(score),
                                "semantic",
                                evidence(c.start, c.end, c.sentence),
                                hit.label,
                            )
                        )

        occupations = self._occupations(document, titles, evidence)
        if self.infer_from_titles:
            for occ in occupations:
                for skill, _ in self.taxonomy.skills_of(occ.uri, "essential"):
                    if skill.uri in claims:
                        continue
                    conf = round(occ.confidence * INFERRED_WEIGHT, 3)
                    claims[skill.uri].append(
                        self._claim(skill.uri, conf, "inferred", occ.evidence, occ.label, occ.uri)
                    )
        skills = [self._merge(v) for v in claims.values()]
        # evidenced claims first: an inferred one (half its title's confidence) can carry a
        # higher number than a semantic claim just above the threshold, but no sentence shows it
        skills.sort(key=lambda c: (c.method == "inferred", -c.confidence, c.evidence.start))
        ranking = sorted(scores, key=lambda u: -scores[u])
        return Extraction(document.source, document.lang, skills, occupations, ranking)

    def _sentence_context(self, candidates: list[_Candidate], vecs: np.ndarray) -> np.ndarray:
        """Per candidate, the normalised mean vector of its sentence's candidates."""
        by_sentence: dict[int, list[int]] = defaultdict(list)
        for i, c in enumerate(candidates):
            by_sentence[c.sentence].append(i)
        ctx = np.empty_like(vecs)
        for rows in by_sentence.values():
            mean = vecs[rows].mean(axis=0)
            ctx[rows] = mean / (np.linalg.norm(mean) or 1.0)
        return ctx

    def _occupations(self, document, titles, evidence) -> list[OccupationClaim]:
        """Link title candidates: an exact occupation label wins; otherwise the fused ranking
        must reach ``occupation_threshold``. A label several occupations share ("monteur": a
        film editor's and a forestry mechanic's) names one of them only where the ranking on
        all their labels puts it first; else the title claims no occupation."""
        if not titles:
            return []
        cal = self.calibration
        ranked = self._ranked("occupation", [t.text for t in titles])
        out: dict[str, OccupationClaim] = {}
        for t, hits in zip(titles, ranked, strict=True):
            exact = self.taxonomy.find_label(t.text, kind="occupation")
            if len({h.concept.uri for h in exact}) > 1:
                top = hits[0].concept.uri if hits else None
                exact = [h for h in exact if h.concept.uri == top]
                if not exact:
                    continue
            if exact:
                concept, matched, conf = (
                    exact[0].concept,
                    exact[0].label,
                    EXACT_CONFIDENCE["alternative"],
                )
            elif hits and hits[0].score >= cal.occupation_threshold:
                concept, matched = hits[0].concept, hits[0].label
                conf = cal.confidence(hits[0].score - cal.occupation_threshold + cal.threshold)
            else:
                continue
            if concept.uri not in out or out[concept.uri].confidence < conf:
                out[concept.uri] = OccupationClaim(
                    concept.uri,
                    concept.label,
                    round(conf, 3),
                    evidence(t.start, t.end, t.sentence),
                    matched,
                )
        return sorted(out.values(), key=lambda o: -o.confidence)

    def _claim(self, uri, confidence, method, ev, matched, inferred_from=None) -> SkillClaim:
        concept = self.taxonomy.concepts[uri]
        return SkillClaim(
            uri=uri,
            label=concept.label,
            confidence=round(float(confidence), 3),
            method=method,
            evidence=ev,
            label_is_fallback=concept.label_is_fallback,
            matched_label=matched,
            inferred_from=inferred_from,
        )

    @staticmethod
    def _merge(claims: list[SkillClaim]) -> SkillClaim:
        """One claim per skill: the most confident, with the other spans as extra evidence."""
        best = max(claims, key=lambda c: (c.confidence, -c.evidence.start))
        others = tuple(dict.fromkeys(c.evidence for c in claims if c.evidence != best.evidence))
        return SkillClaim(**{**best.__dict__, "other_evidence": others})
