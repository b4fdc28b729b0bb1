"""One-off experiments behind the design notes in ``eval/README.md`` (not part of ``make eval``)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def write_results(path: Path, results: dict[str, Any], started: float) -> None:
    """Write an experiment's results as JSON (under eval/results/experiments/), with how long
    it ran (since ``started``, a ``time.perf_counter()`` value) and when."""
    results["seconds"] = round(time.perf_counter() - started)
    results["measured"] = datetime.now(UTC).isoformat(timespec="seconds")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
