"""Extraction throughput: CVs of about 800 words per second on this machine's cores.

The documents are the bundled fixture CVs joined three at a time (about 700 words each);
throughput is reported per document and per word, and normalised to 800-word CVs. "cold"
clears the extractor's phrase caches (vectors, rankings) before every document (no help from
earlier documents); "warm" keeps them across the batch, as a feed or a batch upload would. Each mode
runs five passes over the documents; the median pass is reported, every pass is listed.
"""

from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

from bench.common import peak_rss_mb

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures" / "documents"
CVS = [
    "cv_heftruckchauffeur.txt",
    "cv_boekhouder.txt",
    "cv_monteur_elektrotechniek.txt",
    "cv_software_developer_en.txt",
]
REPEATS = 5


def _documents():
    from extractor.ingest import document_from_text

    texts = [(FIXTURES / n).read_text(encoding="utf-8") for n in CVS[:3]]
    docs = []
    for i, combo in enumerate(itertools.permutations(texts, 3)):
        docs.append(document_from_text("\n\n".join(combo), source=f"cv-{i}", kind="cv"))
    return docs


def run() -> dict:
    from vaardig.engine import Engine

    engine = Engine()
    extractor = engine.extractor
    docs = _documents()
    extractor.extract(docs[0])  # loads lexicons, lexical model and index once
    words = sum(len(d.text.split()) for d in docs)
    results = {}
    for mode in ("cold", "warm"):
        times = []
        for _ in range(REPEATS):  # a pass takes 1-2 s: repeat it, report the median
            extractor.clear_caches()
            t0 = time.perf_counter()
            if mode == "cold":
                for d in docs:
                    extractor.clear_caches()
                    extractor.extract(d)
            else:
                list(extractor.extract_many(docs))
            times.append(time.perf_counter() - t0)
        dt = statistics.median(times)
        results[mode] = {
            "documents": len(docs),
            "passes": REPEATS,
            "words_per_doc": round(words / len(docs)),
            "docs_per_s": round(len(docs) / dt, 2),
            "words_per_s": round(words / dt),
            "cvs_800_words_per_s": round(words / dt / 800, 2),
            "cvs_800_words_per_s_each_pass": [round(words / t / 800, 2) for t in times],
        }
    return {
        "encoder": engine.encoder.id,
        "threads": engine.encoder.__dict__.get("threads"),
        **results,
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


if __name__ == "__main__":
    from bench.common import write_result

    print(write_result("extraction", run()))
