"""``vaardig demo``: the main job end to end on the bundled sample data in ``samples/``.

1. the taxonomy: Dutch search over ESCO skills and occupations;
2. extraction: skills with evidence from a sample CV;
3. passports, matching and a reskilling path (:func:`vaardig.workflow.run_passport_demo`).
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from extractor.ingest import read_document
from vaardig.engine import Engine

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEMO_QUERIES: tuple[tuple[str, str], ...] = (
    ("heftruck rijden", "skill"),
    ("warmtepompen installeren", "skill"),
    ("verpleegkundige", "occupation"),
)


def _taxonomy_part(console: Console, engine: Engine) -> None:
    t0 = time.perf_counter()
    taxonomy = engine.taxonomy
    console.print(
        f"[bold]1. Taxonomy[/] {taxonomy.version}: {taxonomy.count('skill')} skills, "
        f"{taxonomy.count('occupation')} occupations, {taxonomy.count('capability')} "
        f"CompetentNL capabilities; index with {engine.encoder.id} "
        f"ready in {time.perf_counter() - t0:.1f}s"
    )
    for query, kind in DEMO_QUERIES:
        table = Table(title=f"{kind}: “{query}”", title_justify="left")
        table.add_column("score", justify="right")
        table.add_column("ESCO label (NL)")
        table.add_column("matched label")
        for hit in engine.linker.rank([query], kind=kind, k=3)[0]:  # type: ignore[arg-type]
            label = hit.concept.label + (" (EN)" if hit.concept.label_is_fallback else "")
            table.add_row(f"{hit.score:.3f}", label, hit.label)
        console.print(table)


def _extraction_part(console: Console, engine: Engine) -> None:
    path = SAMPLES / "cv_heftruckchauffeur.txt"
    doc = read_document(path)
    t0 = time.perf_counter()
    result = engine.extractor.extract(doc)
    console.print(
        f"\n[bold]2. Extraction[/] from {path.name} ({doc.lang}, {len(doc.text.split())} words) "
        f"in {time.perf_counter() - t0:.2f}s: {len(result.skills)} skills, job titles: "
        + ", ".join(o.label for o in result.occupations)
    )
    table = Table(title_justify="left")
    for col in ("skill (ESCO, NL)", "conf.", "method", "evidence", "section"):
        table.add_column(col, overflow="fold")
    for claim in [c for c in result.skills if c.method != "inferred"][:12]:
        label = claim.label + (" (EN)" if claim.label_is_fallback else "")
        table.add_row(
            label,
            f"{claim.confidence:.2f}",
            claim.method,
            claim.evidence.text,
            claim.evidence.section,
        )
    console.print(table)
    inferred = [c for c in result.skills if c.method == "inferred"]
    if inferred:
        console.print(
            f"[dim]+ {len(inferred)} skills inferred from the job titles (marked "
            "'inferred', weighted lower)[/]"
        )


def run_demo(console: Console) -> None:
    from vaardig.workflow import run_passport_demo

    engine = Engine()
    _taxonomy_part(console, engine)
    _extraction_part(console, engine)
    console.print("\n[bold]3. Passports, matching and a reskilling path[/]")
    run_passport_demo(console, engine)  # ends with the ESCO attribution
