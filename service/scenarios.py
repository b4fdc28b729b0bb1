"""The example scenarios shipped in ``samples/scenarios/`` (YAML), for the API and the gap page.

Each is offered by its file name without suffix ("energietransitie") and can be posted as it
is to ``POST /api/v1/gap-report/scenarios``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from matcher.trends.scenarios import Scenario, load_scenario, scenario_from_dict

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples" / "scenarios"


@lru_cache(maxsize=4)
def example_scenarios(folder: Path = EXAMPLES_DIR) -> dict[str, dict[str, Any]]:
    """Example id → the scenario as a plain dict (name, description, weights, add), sorted by
    id; empty when the folder is missing (an installation without the samples)."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        scenario = load_scenario(path)
        out[path.stem] = {
            "name": scenario.name,
            "description": scenario.description,
            "weights": [{w.kind: w.target, "factor": w.factor} for w in scenario.weights],
            "add": [
                {"skill": s.uri, "weight": s.weight, "essential": s.essential} for s in scenario.add
            ],
        }
    return out


def example_scenario(example_id: str) -> Scenario:
    """One example by id.

    Raises:
        ValueError: no such example (the message lists the ones there are).
    """
    examples = example_scenarios()
    if example_id not in examples:
        raise ValueError(
            f"no example scenario {example_id!r} (examples: {', '.join(examples) or 'none'})"
        )
    return scenario_from_dict(examples[example_id], example_id)
