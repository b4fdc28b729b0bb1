"""Batch extraction of vacancy feeds: throughput (local and Ray), memory, where the time goes.

What each figure measures (every run in its own process, so peak memory is that run's own):

- ``extraction_local``: ``process_feed`` with the real extractor (``Engine().extractor``) on
  ``typical``: 100 hand-written Dutch and English vacancies of a regional feed
  (``bench/data/vacatures_nl_100.jsonl``: 27 occupation groups, 293-1,179 characters, mean
  605; written for this benchmark, not used to tune anything); on ``typical_400``: those and
  300 more written the same way (``bench/data/vacatures_nl_extra_300.jsonl``: 300 distinct
  job titles in all twelve provinces, 2024-2025, 316-1,147 characters, mean 598, 5% English;
  more of them prose than headed lists), a longer feed on which the per-process caches (the
  lemmas of the labels the linker rescores, rankings of repeated phrases) settle as they do
  on a real feed; on the 20 shorter vacancies of
  the test fixtures (``fixture_20``: on so small a feed the per-process caches a long feed
  fills once, such as the lemmas of the taxonomy labels the linker rescores, are a visible
  part of the time); and on synthetic vacancies (``synthetic``; they reuse phrases, so the
  encoder cache helps more than on a real feed). Vacancies per second exclude loading the
  model and the first document of each language (which loads spaCy and the lexicons: a Dutch
  and an English CV); both are reported apart.
- ``extraction_processes``: the typical feeds and the synthetic feed with the "processes" backend
  (one worker process per core on this machine): the workers' start-up (a one-vacancy feed:
  model, index, both languages, first vacancy), the rate after start-up and including it, and
  whether the output is byte-identical to the local run's.
- ``extraction_ray``: the synthetic and the typical feed on a local Ray cluster (one actor per
  core):
  the cluster start, the actors' start-up (measured on a one-vacancy feed: model load and
  first vacancy), the run's total time against the local run's (load + first document +
  extraction), the rate after start-up (vacancies / (run - start-up)), and whether the output
  is byte-identical to the local run's.
- ``profile``: cumulative time per extraction stage over a cProfile pass (shares of the total).
- ``machinery_memory``: peak RSS of reading + near-duplicate removal + checkpointing + writing
  for 10,000 and 100,000 synthetic postings, with a *no-op extractor* (no skills): it shows
  that this machinery's memory does not grow with the feed. It is not an extraction figure.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, write_result

ROOT = Path(__file__).resolve().parent.parent
TYPICAL = ROOT / "bench" / "data" / "vacatures_nl_100.jsonl"
TYPICAL_EXTRA = ROOT / "bench" / "data" / "vacatures_nl_extra_300.jsonl"
FIXTURE = ROOT / "tests" / "fixtures" / "documents" / "vacatures.jsonl"
WARM_UP = [  # one Dutch and one English document: both spaCy pipelines and lexicons loaded
    ROOT / "tests" / "fixtures" / "documents" / "cv_boekhouder.txt",
    ROOT / "tests" / "fixtures" / "documents" / "cv_software_developer_en.txt",
]
STAGES = {  # cumulative, main thread: a stage includes the ones nested in it
    "spaCy, lexicon matches, phrase and title candidates (_prepare)": ("pipeline.py", "_prepare"),
    "waiting for the encoder (Future.result)": ("_base.py", "result"),
    "linking: ConceptLinker.rank": ("linking.py", "rank"),
    "  FAISS search (TaxonomyIndex.search_vectors), in rank": ("index.py", "search_vectors"),
    "claims and job titles (_decide)": ("pipeline.py", "_decide"),
}


def _child(args: list[str], timeout: float = 900) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.batch_bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "2")},
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench child {args} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(n_synthetic: int = 80, n_memory: tuple[int, ...] = (10_000, 100_000)) -> dict:
    """All figures; about 8 minutes on 2 cores (most of it the 100,000-posting run)."""

    with tempfile.TemporaryDirectory(prefix="vaardig-batch-bench-") as name:
        return _run(Path(name), n_synthetic, n_memory)


def _run(tmp: Path, n_synthetic: int, n_memory: tuple[int, ...]) -> dict:
    from matcher.trends.synthetic import generate_feed, write_feed

    synthetic = tmp / "synthetic.jsonl"
    write_feed(generate_feed(n_synthetic, seed=13, duplicate_rate=0.1), synthetic)
    typical_400 = tmp / "typical_400.jsonl"
    typical_400.write_bytes(TYPICAL.read_bytes() + TYPICAL_EXTRA.read_bytes())
    result: dict = {"cpus": os.cpu_count()}
    typical = _child(["--child", "local", "--feed", str(TYPICAL), "--out", str(tmp / "t.jsonl")])
    longer = _child(
        ["--child", "local", "--feed", str(typical_400), "--out", str(tmp / "t4.jsonl")]
    )
    small = _child(["--child", "local", "--feed", str(FIXTURE), "--out", str(tmp / "f.jsonl")])
    local = _child(["--child", "local", "--feed", str(synthetic), "--out", str(tmp / "l.jsonl")])
    result["extraction_local"] = {
        "typical_100_handwritten": typical,
        "typical_400_handwritten": longer,
        "fixture_20_handwritten": small,
        "synthetic": local,
    }
    feeds = (
        ("synthetic", synthetic, local, "l"),
        ("typical_100_handwritten", TYPICAL, typical, "t"),
        ("typical_400_handwritten", typical_400, longer, "t4"),
    )
    result["extraction_processes"] = {
        name: _parallel_run("processes", feed, tmp, ours, local_run)
        for name, feed, local_run, ours in feeds
    }
    try:
        import ray  # noqa: F401

        result["extraction_ray"] = {
            name: _parallel_run("ray", feed, tmp, ours, local_run)
            for name, feed, local_run, ours in feeds
        }
    except ImportError:
        result["extraction_ray"] = "ray not installed (pip install 'vaardig[ray]')"
    result["profile"] = _child(["--child", "profile", "--feed", str(typical_400)])
    memory = {}
    for n in n_memory:
        feed = tmp / f"feed_{n}.jsonl"
        postings = write_feed(generate_feed(n, seed=17), feed)
        memory[str(n)] = _child(
            ["--child", "machinery", "--feed", str(feed), "--out", str(tmp / f"m{n}.jsonl")]
        )
        memory[str(n)]["postings"] = postings
        feed.unlink()
    result["machinery_memory"] = memory
    return result


def _parallel_run(backend: str, feed: Path, tmp: Path, ours: str, local_run: dict) -> dict:
    """One feed on a parallel backend, compared with the local run of the same feed (its
    output in ``tmp/<ours>.jsonl``): byte identity, rate after start-up, total time."""
    out = tmp / f"{backend[0]}{ours}.jsonl"
    run = _child(["--child", backend, "--feed", str(feed), "--out", str(out)])
    run["identical_to_local"] = out.read_bytes() == (tmp / f"{ours}.jsonl").read_bytes()
    rate = run["vacancies_per_s_after_start"]
    run["speedup_after_start_vs_local"] = (
        None if rate is None else round(rate / local_run["vacancies_per_s"], 2)
    )
    if "total_s" in run:  # Ray: the cluster start is part of the cost
        local_total = local_run["load_s"] + local_run["first_document_s"] + local_run["extract_s"]
        run["local_total_s"] = round(local_total, 2)
        run["total_vs_local"] = round(run["total_s"] / local_total, 2)
    return run


# --- children --------------------------------------------------------------------------------
MIN_AFTER_START_S = 1.0  # a shorter remainder is timing noise: no rate is reported for it


def _rate_after_start(vacancies: int, run_s: float, startup_s: float) -> float | None:
    """Vacancies per second once the workers run: the run's time minus the measured start-up
    of a one-vacancy run. None when the feed is so short that (almost) nothing is left after
    the start-up: the difference of two similar timings then means nothing."""
    rest = run_s - startup_s
    return round(vacancies / rest, 2) if rest >= MIN_AFTER_START_S else None


def _local(feed: Path, out: Path) -> dict:
    from extractor.batch import process_feed
    from extractor.ingest import read_document
    from vaardig.engine import Engine

    t0 = time.perf_counter()
    extractor = Engine().extractor
    extractor.index  # noqa: B018  (load everything before timing extraction)
    load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for path in WARM_UP:  # the first document of a language loads its spaCy and lexicons
        extractor.extract(read_document(path))
    warm_up_s = time.perf_counter() - t0
    report = process_feed([feed], extractor, out, batch_size=8)
    return {
        "vacancies": report.extracted,
        "duplicates_dropped": report.duplicates,
        "load_s": round(load_s, 2),
        "first_document_s": round(warm_up_s, 2),
        "extract_s": round(report.seconds, 2),
        "vacancies_per_s": round(report.per_second, 2),
        "mean_chars": round(_mean_chars(out, feed)),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _startup(feed: Path, out: Path, backend: str) -> float:
    """Seconds for a one-vacancy run: new workers or actors load the model, extract it."""
    from extractor.batch import process_feed

    one = out.with_name(out.stem + "_one_vacancy.jsonl")
    one.write_text(feed.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    process_feed([one], None, out.with_name(out.stem + "_one_out.jsonl"), backend=backend)
    return time.perf_counter() - t0


def _processes(feed: Path, out: Path) -> dict:
    from extractor.batch import process_feed

    startup_s = _startup(feed, out, "processes")  # workers: model, both languages
    t0 = time.perf_counter()
    report = process_feed([feed], None, out, backend="processes", batch_size=8)
    run_s = time.perf_counter() - t0
    return {
        "vacancies": report.extracted,
        "workers": os.cpu_count(),
        "worker_start_and_first_vacancy_s": round(startup_s, 2),
        "run_s": round(run_s, 2),
        "vacancies_per_s_after_start": _rate_after_start(report.extracted, run_s, startup_s),
        "vacancies_per_s_including_start": round(report.extracted / run_s, 2),
        "driver_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _ray(feed: Path, out: Path) -> dict:
    import ray

    from extractor.batch import process_feed

    t0 = time.perf_counter()
    ray.init(include_dashboard=False, logging_level="ERROR")
    init_s = time.perf_counter() - t0
    startup_s = _startup(feed, out, "ray")  # each run starts its own actors
    t0 = time.perf_counter()
    report = process_feed([feed], None, out, backend="ray", batch_size=8)
    run_s = time.perf_counter() - t0
    actors = int(ray.cluster_resources().get("CPU", 0)) or os.cpu_count()
    ray.shutdown()
    return {
        "vacancies": report.extracted,
        "actors": actors,
        "cluster_start_s": round(init_s, 2),
        "actor_start_and_first_vacancy_s": round(startup_s, 2),
        "run_s": round(run_s, 2),
        "total_s": round(init_s + run_s, 2),
        "vacancies_per_s_after_start": _rate_after_start(report.extracted, run_s, startup_s),
        "driver_peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _profile(feed: Path) -> dict:
    """Where the time goes. The encoder runs on its own thread beside the main one, which
    cProfile does not see: its busy time comes from the extractor's own counter."""
    from extractor.ingest import read_document, read_feed
    from vaardig.engine import Engine

    extractor = Engine().extractor
    documents = list(read_feed(feed, per_sentence=False))
    for path in WARM_UP:  # both languages' spaCy and lexicons loaded
        extractor.extract(read_document(path))
    profiler = cProfile.Profile()
    encoder_before = extractor.encoder_seconds
    t0 = time.perf_counter()
    profiler.enable()
    list(extractor.extract_many(documents))
    profiler.disable()
    total = time.perf_counter() - t0
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    shares = {}
    for stage, (filename, function) in STAGES.items():
        cumulative = sum(
            ct
            for (f, _, name), (_, _, _, ct, _) in stats.items()
            if f.endswith(filename) and name == function
        )
        shares[stage] = round(cumulative / total, 3)
    encoder = extractor.encoder_seconds - encoder_before
    return {
        "vacancies": len(documents),
        "seconds_under_cprofile": round(total, 2),
        "main_thread_share_of_time": shares,
        "encoder_thread_busy_share_of_time": round(encoder / total, 3),
    }


class _NoSkills:
    """Stand-in for the extractor in the machinery-memory run only: finds nothing."""

    def __init__(self) -> None:
        from taxonomy import load_taxonomy

        self.taxonomy = load_taxonomy()

    def extract_many(self, documents):
        from extractor.claims import Extraction

        for d in documents:
            yield Extraction(d.source, d.lang, [], [])


def _machinery(feed: Path, out: Path) -> dict:
    from extractor.batch import process_feed

    stand_in = _NoSkills()
    before = peak_rss_mb()
    report = process_feed([feed], stand_in, out, batch_size=64)
    state = out.with_name(out.name + ".state")
    return {
        "written": report.written,
        "duplicates_dropped": report.duplicates,
        "seconds": round(report.seconds, 1),
        "postings_per_s": round((report.written + report.duplicates) / report.seconds, 1),
        "rss_before_mb": round(before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "state_file_mb": round(state.stat().st_size / 1e6, 1),
    }


def _mean_chars(out: Path, feed: Path) -> float:
    from extractor.ingest import read_feed

    kept = {json.loads(line)["id"] for line in out.read_text().splitlines()}
    sizes = [
        len(d.text) for d in read_feed(feed, per_sentence=False) if d.metadata.get("id") in kept
    ]
    return sum(sizes) / max(1, len(sizes))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=("local", "processes", "ray", "profile", "machinery"))
    parser.add_argument("--feed", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child is None:
        print(write_result("batch", run()))
        return
    if args.child == "local":
        result = _local(args.feed, args.out)
    elif args.child == "processes":
        result = _processes(args.feed, args.out)
    elif args.child == "ray":
        result = _ray(args.feed, args.out)
    elif args.child == "profile":
        result = _profile(args.feed)
    else:
        result = _machinery(args.feed, args.out)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
