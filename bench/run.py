"""``make bench``: run every benchmark and write bench/results/*.json plus RESULTS.md."""

from __future__ import annotations

import json
import sys

from bench import (
    batch_bench,
    crash_bench,
    extraction_bench,
    import_bench,
    load_bench,
    matching_bench,
    taxonomy_bench,
    trends_bench,
)
from bench.common import RESULTS, write_result

BENCHMARKS = {
    "taxonomy": taxonomy_bench.run,
    "import": import_bench.run,
    "extraction": extraction_bench.run,
    "matching": matching_bench.run,
    "batch": batch_bench.run,
    "trends": trends_bench.run,
    "load": load_bench.run,
    "crash": crash_bench.run,
}


def main(names: list[str]) -> None:
    chosen = names or list(BENCHMARKS)
    for name in chosen:
        if name not in BENCHMARKS:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHMARKS)}")
        print(f"== {name}", flush=True)
        path = write_result(name, BENCHMARKS[name]())
        print(path.read_text())
    lines = ["# Benchmark results", "", "Written by `make bench`; one JSON file per benchmark.", ""]
    for path in sorted(RESULTS.glob("*.json")):
        data = json.loads(path.read_text())
        lines += [
            f"## {data['benchmark']} ({data['date']})",
            "",
            "```json",
            json.dumps({k: v for k, v in data.items() if k not in ("benchmark", "date")}, indent=1),
            "```",
            "",
        ]
    (RESULTS.parent / "RESULTS.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
