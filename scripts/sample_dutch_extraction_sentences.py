"""Draw the sentences of the Dutch extraction dev set from the bench's hand-written vacancies.

``eval/data/extraction_nl_vaardig_vacatures.jsonl`` is annotated by hand (see
``eval/data/SOURCES.md``); this script only chooses which sentences, deterministically, so the
choice is not made by looking at what the engine finds. From the 400 vacancies in
``bench/data/`` (Dutch ones only), 120 are drawn at random (seed 2026) and from each one unit
that can describe the work: a bullet under "Wat ga je doen?" / "Wat vragen wij?", or a
sentence of a prose paragraph that is not about the offer or how to apply. Units under five
words are skipped. Writes JSONL ``{"id", "text", "lang", "vacancy", "title"}`` to stdout.

``--held-out`` draws the held-out test set instead
(``eval/data/extraction_nl_vaardig_vacatures_test.jsonl``): 100 more vacancies (seed 2027)
from those the development draw did not take, one unit each, annotated the same way. It is
measured, never tuned on.

Usage: python scripts/sample_dutch_extraction_sentences.py [--held-out] > /tmp/sample.jsonl
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FEEDS = [
    ROOT / "bench" / "data" / name
    for name in ("vacatures_nl_100.jsonl", "vacatures_nl_extra_300.jsonl")
]
KEEP = {"wat ga je doen?", "wat vragen wij?"}
OFFER = re.compile(
    r"\b(bied(en|t)|solliciteer|sollicitatie|salaris|uurloon|contract|reiskosten|interesse|"
    r"mail|bel |vakantiedagen|pensioen|cao)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
N_VACANCIES, SEED, MIN_WORDS = 120, 2026, 5
N_HELD_OUT, HELD_OUT_SEED = 100, 2027


def units(description: str) -> list[str]:
    """Bullets of the work/requirement sections and sentences of prose paragraphs."""
    out, section = [], None
    for block in description.split("\n"):
        line = block.strip()
        if not line:
            continue
        if line.endswith("?") and len(line.split()) <= 4:
            section = line.lower()
            continue
        if line.startswith("- "):
            if section in KEEP:
                out.append(line[2:].strip())
            continue
        section = None  # a prose paragraph
        out += [s.strip() for s in SENTENCE_END.split(line) if not OFFER.search(s)]
    return [u for u in out if len(u.split()) >= MIN_WORDS]


def draw(held_out: bool = False) -> list[tuple[dict, str]]:
    """(vacancy, sentence) pairs of the development set, or of the held-out test set."""
    vacancies = [json.loads(line) for f in FEEDS for line in f.open(encoding="utf-8")]
    dutch = [v for v in vacancies if "What do we" not in v["description"]]
    rng = random.Random(SEED)
    dev = rng.sample(dutch, N_VACANCIES)
    if held_out:
        taken = {v["id"] for v in dev}
        rng = random.Random(HELD_OUT_SEED)
        chosen = rng.sample([v for v in dutch if v["id"] not in taken], N_HELD_OUT)
    else:
        chosen = dev
    out = []
    for v in chosen:
        choices = units(v["description"])
        if not choices:
            continue
        out.append((v, rng.choice(choices)))
    return out


def main() -> None:
    for v, text in draw(held_out="--held-out" in sys.argv[1:]):
        row = {"id": f"nl-vac-{v['id']}", "text": text, "lang": "nl", "vacancy": v["id"]}
        sys.stdout.write(json.dumps({**row, "title": v["title"]}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
