"""``vaardig extract`` (documents) and ``vaardig feed`` (vacancy feeds)."""

from __future__ import annotations

import json
from collections import deque
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


def extraction_dict(
    result: Extraction, attribution: str, notice: str | None = None, text: str | None = None
) -> dict:
    """One document's extraction as JSON. ``text`` is the document text as read (normalised):
    the evidence offsets (``start``, ``end``) index it, not the file's raw bytes."""
    return {
        "source": result.source,
        "lang": result.lang,
        "text": text,
        "skills": [c.to_dict() for c in result.skills],
        "occupations": [o.to_dict() for o in result.occupations],
        "notice": notice,
        "attribution": attribution,
    }


def _table(result: Extraction) -> Table:
    table = Table(title=f"{result.source} ({result.lang})", title_justify="left")
    for col in ("skill (ESCO)", "conf.", "method", "evidence", "section"):
        table.add_column(col, overflow="fold")
    for c in result.skills:
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
    notices = [_hide(r, min_confidence, no_inferred, engine) for r in results]
    if as_json:
        attribution = engine.taxonomy.attribution
        payload = [
            extraction_dict(r, attribution, n, d.text)
            for r, n, d in zip(results, notices, documents, strict=True)
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    for r, notice in zip(results, notices, strict=True):
        if r.occupations:
            titles = ", ".join(f"{o.label} ({o.confidence:.2f})" for o in r.occupations)
            out.print(f"[bold]Occupations:[/] {titles}", highlight=False)
        out.print(_table(r))
        if notice:
            out.print(f"[yellow]{notice}[/]", highlight=False)
    out.print(f"[dim]{engine.taxonomy.attribution}[/]")


def _hide(
    result: Extraction, min_confidence: float, no_inferred: bool, engine: Engine
) -> str | None:
    """Drop the claims the options hide; a line saying why nothing is left, if nothing is."""
    found = len(result.skills)
    notice = result.notice(engine.taxonomy)
    if no_inferred:
        result.skills = [c for c in result.skills if c.method != "inferred"]
    hidden_inferred = found - len(result.skills)
    result.skills = [c for c in result.skills if c.confidence >= min_confidence]
    if result.skills or notice:
        return notice
    if hidden_inferred == found:
        return (
            f"All {found} skills of {result.source} are inferred from job titles, which "
            "--no-inferred hides; leave it out to see them."
        )
    return (
        f"All {found - hidden_inferred} skills found in {result.source} are below "
        f"--min-confidence {min_confidence:g}; lower it to see them."
    )


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
    if output is not None and output.is_dir():
        raise ValueError(
            f"{output}: this is a folder; give --out a file name, e.g. {output / 'skills.jsonl'}"
        )
    sink = output.open("w", encoding="utf-8") if output else None
    pending: deque = deque()  # the documents being extracted, in order: their text goes out

    def documents():
        for document in reader:
            pending.append(document)
            yield document

    counts: dict[str, int] = {}
    n = empty = 0
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
            for result in engine.extractor.extract_many(documents()):
                document = pending.popleft()
                n += 1
                bar.update(task, completed=n)
                for c in result.skills:
                    if c.method != "inferred":
                        counts[c.label] = counts.get(c.label, 0) + 1
                notice = result.notice(engine.taxonomy)
                empty += notice is not None
                if sink:
                    line = extraction_dict(
                        result, engine.taxonomy.attribution, notice, document.text
                    )
                    sink.write(json.dumps(line, ensure_ascii=False) + "\n")
    finally:
        if sink:
            sink.close()
    if n == 0:  # an empty feed is refused by the reader: here every vacancy was malformed
        first = f"; the first: {reader.skipped[0]}" if reader.skipped else ""
        raise ValueError(
            f"{path}: no vacancy could be read, all {len(reader.skipped)} are malformed{first}"
        )
    out.print(f"{n} vacancies read; {len(reader.skipped)} skipped as malformed")
    for problem in reader.skipped[:10]:
        out.print(f"  skipped: {problem}", highlight=False)
    for problem in reader.warnings[:10]:
        out.print(f"  [yellow]warning:[/] {problem}", highlight=False)
    if len(reader.warnings) > 10:
        out.print(f"  ... and {len(reader.warnings) - 10} more warnings", highlight=False)
    if empty:
        where = f" (each line's 'notice' in {output} says why)" if output else ""
        out.print(
            f"[yellow]{empty} of {n} vacancies gave no skills{where}: check that the feed's "
            "text fields hold the vacancy text (--text-columns).[/]",
            highlight=False,
        )
    table = Table(title="Most requested skills", title_justify="left")
    table.add_column("skill")
    table.add_column("vacancies", justify="right")
    for label, count in sorted(counts.items(), key=lambda kv: -kv[1])[:20]:
        table.add_row(label, str(count))
    out.print(table)
