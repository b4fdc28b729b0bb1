"""``vaardig extract`` (documents) and ``vaardig feed`` (vacancy feeds)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractor.claims import Extraction
from extractor.errors import IngestError
from extractor.ingest import read_document, read_feed
from vaardig.cli.common import USER_ERRORS, JsonOpt, app, err, out, user_errors
from vaardig.engine import Engine

USER_ERRORS.append(IngestError)


def extraction_dict(result: Extraction, attribution: str) -> dict:
    return {
        "source": result.source,
        "lang": result.lang,
        "skills": [c.to_dict() for c in result.skills],
        "occupations": [o.to_dict() for o in result.occupations],
        "attribution": attribution,
    }


def _table(result: Extraction, min_confidence: float) -> Table:
    table = Table(title=f"{result.source} ({result.lang})", title_justify="left")
    for col in ("skill (ESCO)", "conf.", "method", "evidence", "section"):
        table.add_column(col, overflow="fold")
    for c in result.skills:
        if c.confidence < min_confidence:
            continue
        label = c.label + (" (EN)" if c.label_is_fallback else "")
        table.add_row(label, f"{c.confidence:.2f}", c.method, c.evidence.text, c.evidence.section)
    return table


@app.command("extract")
@user_errors
def extract(
    files: Annotated[list[Path], typer.Argument(help="CVs or vacancies: PDF, DOCX, HTML, text.")],
    kind: Annotated[
        str | None, typer.Option(help="cv, vacancy or text (default: guessed).")
    ] = None,
    as_json: JsonOpt = False,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", help="Hide claims below this confidence.")
    ] = 0.0,
    no_inferred: Annotated[
        bool, typer.Option("--no-inferred", help="Leave out skills inferred from job titles.")
    ] = False,
) -> None:
    """Extract ESCO skills, with evidence, from each FILE."""
    engine = Engine()
    documents = [read_document(path, kind=kind) for path in files]
    results = list(engine.extractor.extract_many(documents))
    if no_inferred:
        for r in results:
            r.skills = [c for c in r.skills if c.method != "inferred"]
    if as_json:
        attribution = engine.taxonomy.attribution
        payload = [extraction_dict(r, attribution) for r in results]
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    for r in results:
        if r.occupations:
            titles = ", ".join(f"{o.label} ({o.confidence:.2f})" for o in r.occupations)
            out.print(f"[bold]Occupations:[/] {titles}", highlight=False)
        out.print(_table(r, min_confidence))
    out.print(f"[dim]{engine.taxonomy.attribution}[/]")


@app.command("feed")
@user_errors
def feed(
    path: Annotated[
        Path, typer.Argument(help="A vacancy feed: JSON, JSON Lines, JSON-LD, CSV, XML.")
    ],
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write one JSON line per vacancy here.")
    ] = None,
    text_columns: Annotated[
        str | None, typer.Option(help="Comma-separated fields holding the vacancy text.")
    ] = None,
    skip_bad: Annotated[bool, typer.Option(help="Skip malformed vacancies (reported).")] = False,
) -> None:
    """Extract skills from every vacancy of a feed, streaming, with a progress bar."""
    engine = Engine()
    columns = tuple(c.strip() for c in text_columns.split(",")) if text_columns else None
    reader = read_feed(path, columns, skip_bad=skip_bad)
    sink = output.open("w", encoding="utf-8") if output else None
    counts: dict[str, int] = {}
    n = 0
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("Vacancies", total=None)
            for result in engine.extractor.extract_many(reader):
                n += 1
                bar.update(task, completed=n)
                for c in result.skills:
                    if c.method != "inferred":
                        counts[c.label] = counts.get(c.label, 0) + 1
                if sink:
                    line = extraction_dict(result, engine.taxonomy.attribution)
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    finally:
        if sink:
            sink.close()
    if n == 0:
        raise ValueError(f"{path}: the feed holds no vacancies")
    out.print(f"{n} vacancies read; {len(reader.skipped)} skipped as malformed")
    for problem in reader.skipped[:10]:
        out.print(f"  skipped: {problem}", highlight=False)
    table = Table(title="Most requested skills", title_justify="left")
    table.add_column("skill")
    table.add_column("vacancies", justify="right")
    for label, count in sorted(counts.items(), key=lambda kv: -kv[1])[:20]:
        table.add_row(label, str(count))
    out.print(table)
