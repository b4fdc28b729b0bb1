"""Measure the skill space matching works in (``matcher/skills.py``, ``matcher/scoring.py``):
the figures their thresholds rest on, for the configured encoder.

- centred cosines of random skill pairs: mean, spread and high percentiles (``NEAR_THRESHOLD``
  should be where spurious near-matches are rare);
- each skill's nearest other skill: the median cosine (most skills should have a near one);
- synthetic people: 60% of an occupation's essential skills, 30% of its optional ones, 30% of a
  second occupation's skills and three random skills; the cosine of their profile with that
  occupation and with a random other one (``COS_FLOOR`` / ``COS_CEIL`` should separate them).

Writes ``eval/results/skill_space/<encoder id>.json``. About a minute on 2 cores. Usage::

    python scripts/measure_skill_space.py
    VAARDIG_ENCODER_ADAPTER=none python scripts/measure_skill_space.py
    python scripts/measure_skill_space.py --pairs 20000 --neighbours 200 --people 30 --out DIR

(the last: smaller samples into another folder, as the tests run it).
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from matcher.roles import occupation_role
from matcher.scoring import COS_CEIL, COS_FLOOR, NEAR_THRESHOLD
from matcher.skills import SkillSpace
from vaardig.engine import Engine

OUT = Path(__file__).resolve().parent.parent / "eval" / "results" / "skill_space"
PAIRS, NEIGHBOURS, PEOPLE = 2_000_000, 3_000, 500


def q(values: np.ndarray, *ps: float) -> dict[str, float]:
    return {f"p{p:g}": round(float(np.percentile(values, p)), 3) for p in ps}


def main(
    pairs_n: int = PAIRS, neighbours: int = NEIGHBOURS, people: int = PEOPLE, out: Path = OUT
) -> Path:
    rng = np.random.default_rng(0)
    engine = Engine()
    space = SkillSpace.from_index(engine.index)
    m = space.matrix
    n = len(m)
    a, b = rng.integers(0, n, pairs_n), rng.integers(0, n, pairs_n)
    keep = a != b
    pairs = np.einsum("ij,ij->i", m[a[keep]], m[b[keep]])
    sample = rng.choice(n, neighbours, replace=False)
    sims = m[sample] @ m.T
    sims[np.arange(neighbours), sample] = -1.0
    nearest = sims.max(axis=1)

    occupations = [c.uri for c in engine.taxonomy.iter("occupation")]
    own, other = [], []
    while len(own) < people:
        first, second, third = (occupation_role(space, u) for u in rng.choice(occupations, 3))
        if first.essential.sum() < 5 or first.key in (second.key, third.key):
            continue
        ess, opt = first.rows[first.essential], first.rows[~first.essential]
        rows = np.concatenate(
            [
                rng.choice(ess, round(0.6 * len(ess)), replace=False),
                rng.choice(opt, round(0.3 * len(opt)), replace=False),
                rng.choice(second.rows, round(0.3 * len(second.rows)), replace=False),
                rng.integers(0, n, 3),
            ]
        )
        rows = np.unique(rows)
        person = space.profile_vector(rows, np.ones(len(rows)))
        own.append(float(person @ first.vector))
        other.append(float(person @ third.vector))
    own_a, other_a = np.array(own), np.array(other)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "encoder": engine.encoder.id,
        "skills": n,
        "near_threshold": NEAR_THRESHOLD,
        "random_pairs": {
            "n": int(keep.sum()),
            "mean": round(float(pairs.mean()), 3),
            "sd": round(float(pairs.std()), 3),
            **q(pairs, 99, 99.9, 99.99),
            "share_at_or_above_near_threshold": float(f"{(pairs >= NEAR_THRESHOLD).mean():.2e}"),
        },
        "nearest_other_skill": {"n": neighbours, **q(nearest, 10, 50, 90)},
        "synthetic_people": {
            "n": people,
            "cos_floor": COS_FLOOR,
            "cos_ceil": COS_CEIL,
            "own_occupation": q(own_a, 5, 50, 95),
            "random_occupation": q(other_a, 5, 50, 95),
        },
    }
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{engine.encoder.id}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=PAIRS, help="random skill pairs")
    parser.add_argument(
        "--neighbours",
        type=int,
        default=NEIGHBOURS,
        help="skills whose nearest other skill is found",
    )
    parser.add_argument("--people", type=int, default=PEOPLE, help="synthetic people")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for <encoder id>.json")
    args = parser.parse_args()
    main(args.pairs, args.neighbours, args.people, args.out)
