"""``vaardig demo``: the main job end to end on bundled sample data."""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from taxonomy import load_taxonomy
from taxonomy.encoders import get_encoder
from taxonomy.index import get_index

DEMO_QUERIES: tuple[tuple[str, str], ...] = (
    ("heftruck rijden", "skill"),
    ("lassen", "skill"),
    ("warmtepompen installeren", "skill"),
    ("boekhouding bijhouden", "skill"),
    ("klanten te woord staan", "skill"),
    ("verpleegkundige", "occupation"),
    ("vrachtwagenchauffeur", "occupation"),
    ("software developer", "occupation"),
)


def run_demo(console: Console) -> None:
    t0 = time.perf_counter()
    taxonomy = load_taxonomy()
    console.print(
        f"Taxonomy {taxonomy.version}: {taxonomy.count('skill')} skills, "
        f"{taxonomy.count('occupation')} occupations, {taxonomy.count('capability')} "
        f"CompetentNL capabilities ({time.perf_counter() - t0:.1f}s)"
    )
    index = get_index(taxonomy, get_encoder())
    console.print(f"Index ready with encoder {index.encoder.id} ({time.perf_counter() - t0:.1f}s)")
    for query, kind in DEMO_QUERIES:
        table = Table(title=f"{kind}: “{query}”", title_justify="left")
        table.add_column("score", justify="right")
        table.add_column("ESCO label (NL)")
        table.add_column("matched label")
        for hit in index.search(query, kind=kind, k=3):  # type: ignore[arg-type]
            label = hit.concept.label + (" (EN)" if hit.concept.label_is_fallback else "")
            table.add_row(f"{hit.score:.3f}", label, hit.label)
        console.print(table)
    console.print(f"[dim]{taxonomy.attribution}[/]")
