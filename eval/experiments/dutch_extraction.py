"""Experiment: two ideas for Dutch running text, on our Dutch vacancy set.

1. **A claim threshold for Dutch texts**: the threshold (0.85) was tuned on the English
   Decorte sets; Dutch phrases score lower against ESCO. Precision, recall and F1 of the
   returned skills for thresholds 0.66-0.86 (every sentence of the set but one is Dutch).
2. **ESCO's word order**: ESCO's Dutch skill labels put the object first and the infinitive
   last ("abonnementen verkopen"); vacancies write the finite verb first ("je verkoopt
   abonnementen", "je houdt het dossier bij"). Each phrase that opens with a finite verb (a
   word whose simplemma lemma is an infinitive it is not itself) is linked in ESCO's order,
   a separable particle joined to the verb ("bijhouden"). RP@5 and F1 with and without.

Run: ``python -m eval.experiments.dutch_extraction`` (about 3 minutes); writes
``eval/results/experiments/dutch_extraction.json``. Both ideas are measured on the development
set and on the held-out set (``extraction_nl_vaardig_vacatures_test.jsonl``). Outcome
(2026-11-29, after the Dutch tokeniser fix): the best F1 is 0.239 at 0.72-0.74 on the
development set and 0.247 at 0.80 on the held-out one, against 0.220 and 0.224 at 0.85: the same
small gain on both, paid for in precision (0.37 → 0.26 on the development set at 0.72), and at
0.72 a letter's "met vriendelijke groet" becomes *gasten begroeten*. ESCO's word order moves
RP@5 from 38.0 to 36.8 (held-out 35.1 → 33.4) and F1 from 0.220 to 0.218 (held-out 0.224 →
0.231). Neither is used.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import simplemma

from eval.experiments import write_results

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "eval" / "data" / "extraction_nl_vaardig_vacatures.jsonl"
HELD_OUT = ROOT / "eval" / "data" / "extraction_nl_vaardig_vacatures_test.jsonl"
OUT = ROOT / "eval" / "results" / "experiments" / "dutch_extraction.json"
LETTER = "Met vriendelijke groet, Jan de Vries. Ik kijk uit naar uw reactie."
LOW_THRESHOLD = 0.72
THRESHOLDS = (0.66, 0.68, 0.70, 0.72, 0.74, 0.76, 0.78, 0.80, 0.82, 0.85, 0.86)
PARTICLES = frozenset(
    "aan af bij door in mee na om op over terug toe uit vast voor weg samen neer rond".split()  # noqa: SIM905
)


def verb_last(trimmed: list, tokens: list, doc_text: str) -> str | None:
    """ "verkoopt abonnementen" → "abonnementen verkopen"; "houdt het dossier bij" → "het dossier
    bijhouden"; None when the phrase does not open with a finite verb."""
    if len(trimmed) < 2:
        return None
    word = trimmed[0].text.lower()
    lemma = simplemma.lemmatize(word, lang="nl")
    if lemma == word or not lemma.endswith("en") or word.endswith(("en", "s")):
        return None
    rest = doc_text[trimmed[1].idx : trimmed[-1].idx + len(trimmed[-1].text)]
    after = tokens[tokens.index(trimmed[-1]) + 1 :]
    particle = next((t.text.lower() for t in after if not t.is_punct), None)
    if particle in PARTICLES and simplemma.is_known(particle + lemma, lang="nl"):
        lemma = particle + lemma
    return f"{rest} {lemma}"


def _reordering_chunker(original):
    """``sentence_chunks`` with Dutch verb-first phrases relinked in ESCO's order."""
    from extractor import chunks

    def chunker(sent, text=None):
        doc_text = sent.doc.text if text is None else text
        out = []
        for chunk in original(sent, text):
            if chunk.whole_sentence:
                out.append(chunk)
                continue
            tokens = [t for t in sent if chunk.start <= t.idx < chunk.end]
            trimmed = chunks._trim(tokens)
            # the particle of a separable verb is trimmed as a stop word: look just after
            following = [t for t in sent if t.idx >= chunk.end][:2]
            phrase = verb_last(trimmed, trimmed + following, doc_text) if trimmed else None
            out.append(replace(chunk, text=phrase) if phrase else chunk)
        return out

    return chunker


def _measure(engine, examples) -> dict:
    from eval.tasks import evaluate_extraction

    m = evaluate_extraction(examples, engine.extractor)
    return {k: round(m[k], 3) for k in ("rp@5", "precision", "recall", "f1")}


def main() -> None:
    from eval.tasks import read_examples
    from extractor import pipeline
    from extractor.ingest import document_from_text
    from vaardig.engine import Engine

    started = time.perf_counter()
    engine = Engine()
    examples = read_examples(DATA, "text", empty_gold=True)
    held_out = read_examples(HELD_OUT, "text", empty_gold=True)
    calibration = engine.extractor.calibration
    out: dict = {"encoder": engine.encoder.id, "calibrated_threshold": calibration.threshold}
    sweep, sweep_held_out = {}, {}
    for t in THRESHOLDS:
        engine.extractor.calibration = replace(calibration, threshold=t)
        sweep[f"threshold={t}"] = _measure(engine, examples)
        sweep_held_out[f"threshold={t}"] = _measure(engine, held_out)
        print(t, sweep[f"threshold={t}"], sweep_held_out[f"threshold={t}"], flush=True)
        if t == LOW_THRESHOLD:  # what such a threshold makes of a letter's closing line
            letter = document_from_text(LETTER, source="brief.txt")
            out["letter_claims_at_low_threshold"] = [
                c.label for c in engine.extractor.extract(letter).skills
            ]
    engine.extractor.calibration = calibration
    out["threshold_sweep"] = sweep
    out["threshold_sweep_held_out"] = sweep_held_out
    out["as_written"] = _measure(engine, examples)
    out["as_written_held_out"] = _measure(engine, held_out)
    original = pipeline.sentence_chunks
    pipeline.sentence_chunks = _reordering_chunker(original)
    try:
        out["esco_word_order"] = _measure(engine, examples)
        out["esco_word_order_held_out"] = _measure(engine, held_out)
    finally:
        pipeline.sentence_chunks = original
    print(out["as_written"], out["esco_word_order"], flush=True)
    write_results(OUT, out, started)


if __name__ == "__main__":
    main()
