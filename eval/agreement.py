"""How far two people agree on the skills a Dutch vacancy sentence names, and the engine.

The Dutch extraction set (``data/extraction_nl_vaardig_vacatures.jsonl``) was annotated by one
annotator. Its first 60 sentences were annotated again, blind, by a second one
(``data/agreement/extraction_nl_vaardig_vacatures_annotator2.jsonl``; ``data/SOURCES.md``).
This compares the two:

- ``skills``: precision, recall and F1 of the second annotator's skills against the first's
  (micro, over all sentences; F1 is symmetric); ``same_set``: the share of sentences where
  both chose exactly the same skills (both empty included);
- ``names_a_skill``: whether a sentence names any skill at all: the share of sentences where
  both agree, and Cohen's kappa for it;
- ``engine``: the engine's returned skills on the same sentences against each annotator, so
  its F1 can be read against how far two people agree.

Run: ``python -m eval.agreement`` (about 20 s); writes ``results/agreement.json``. Another pair
of annotations: ``python -m eval.agreement --first A.jsonl --second B.jsonl --out R.json``; a
file that is missing or not in the eval format exits with code 2 and one line saying why.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from eval.metrics import set_metrics
from eval.tasks import EvalDataError, Example, read_examples

DATA = Path(__file__).parent / "data"
FIRST = DATA / "extraction_nl_vaardig_vacatures.jsonl"
SECOND = DATA / "agreement" / "extraction_nl_vaardig_vacatures_annotator2.jsonl"
OUT = Path(__file__).parent / "results" / "agreement.json"


def paired(first: list[Example], second: list[Example]) -> list[tuple[Example, Example]]:
    """The first annotation's examples for the sentences the second annotated, in its order.
    The second must annotate the same sentences (same id, same text)."""
    by_id = {e.id: e for e in first}
    pairs = []
    for e in second:
        mine = by_id.get(e.id)
        if mine is None or mine.text != e.text:
            raise EvalDataError(
                f"sentence {e.id!r} of the second annotation is not in the first with the same "
                "text; annotate the first file's sentences"
            )
        pairs.append((mine, e))
    if not pairs:
        raise EvalDataError("the second annotation is empty")
    return pairs


def cohen_kappa(a: list[bool], b: list[bool]) -> float:
    """Cohen's kappa of two yes/no judgements of the same items (1.0: always agree; 0.0: as
    often as chance would)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    chance = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def agreement(pairs: list[tuple[Example, Example]]) -> dict[str, Any]:
    """Skill-level and sentence-level agreement of two annotations of the same sentences."""
    first = [set(a.gold) for a, _ in pairs]
    second = [set(b.gold) for _, b in pairs]
    return {
        "sentences": len(pairs),
        "skills_first": sum(map(len, first)),
        "skills_second": sum(map(len, second)),
        "skills": set_metrics(second, first),
        "same_set": sum(a == b for a, b in zip(first, second, strict=True)) / len(pairs),
        "names_a_skill": {
            "agree": sum(bool(a) == bool(b) for a, b in zip(first, second, strict=True))
            / len(pairs),
            "kappa": cohen_kappa([bool(a) for a in first], [bool(b) for b in second]),
        },
    }


def engine_against_each(pairs: list[tuple[Example, Example]], extractor: Any) -> dict:
    """Precision, recall and F1 of the engine's returned skills against either annotator."""
    results = extractor.rank_and_extract([a.text for a, _ in pairs], [a.lang for a, _ in pairs])
    predicted = [{c.uri for c in r.claims} for r in results]
    return {
        "against_first": set_metrics(predicted, [set(a.gold) for a, _ in pairs]),
        "against_second": set_metrics(predicted, [set(b.gold) for _, b in pairs]),
    }


def main(first: Path = FIRST, second: Path = SECOND, out: Path = OUT, engine=None) -> dict:
    pairs = paired(read_examples(first, "text", True), read_examples(second, "text", True))
    result = agreement(pairs)
    from vaardig.engine import Engine

    engine = engine or Engine()
    result["engine"] = {
        "encoder": engine.encoder.id,
        **engine_against_each(pairs, engine.extractor),
    }
    result["measured"] = datetime.now(UTC).isoformat(timespec="seconds")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    return result


def _arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--first", type=Path, default=FIRST, help="the first annotation (JSONL)")
    parser.add_argument(
        "--second", type=Path, default=SECOND, help="the second annotation of some of its texts"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the results")
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = _arguments()
    try:
        print(json.dumps(main(args.first, args.second, args.out), indent=1))
    except EvalDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
