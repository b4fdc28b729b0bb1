"""``vaardig batch`` (feeds → extracted records), ``vaardig trends`` and ``vaardig scenario``."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from extractor.batch import BatchProgress, BatchReport, is_record_file, process_feed, read_records
from vaardig.cli.common import JsonOpt, app, err, out, user_errors
from vaardig.engine import Engine

BackendOpt = Annotated[
    str,
    typer.Option(
        "--backend",
        help="local (this process), processes (one worker per core, this machine) or ray "
        "(actors, one model each).",
    ),
]
ActorsOpt = Annotated[
    int | None,
    typer.Option(
        "--workers", "--actors", help="Worker processes or Ray actors (default: one per CPU)."
    ),
]


def _run_batch(
    feeds: list[Path],
    output: Path,
    backend: str,
    resume: bool,
    dedupe: bool = True,
    batch_size: int = 32,
    actors: int | None = None,
    engine: Engine | None = None,
) -> BatchReport:
    engine = engine or Engine()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("Vacancies", total=None)

        def show(p: BatchProgress) -> None:
            rate = p.consumed / p.elapsed_s if p.elapsed_s else 0.0
            bar.update(
                task,
                description=(
                    f"{p.written} vacancies written, {p.duplicates} duplicates dropped "
                    f"({rate:.1f} records/s)"
                ),
            )

        return process_feed(
            feeds,
            None,
            output,
            dedupe=dedupe,
            backend=backend,  # type: ignore[arg-type]
            resume=resume,
            batch_size=batch_size,
            progress=show,
            ray_actors=actors,
            # the local model loads only once the output and checkpoint checks have passed
            extractor_factory=(lambda: engine.extractor) if backend == "local" else None,
        )


def _summary(report: BatchReport) -> str:
    resumed = f", resumed after record {report.resumed_from}" if report.resumed_from else ""
    return (
        f"{report.written} vacancies in {report.out_path} ({report.duplicates} duplicates "
        f"dropped, {report.skipped_bad} malformed skipped{resumed}); this run extracted "
        f"{report.extracted} in {report.seconds:.1f} s ({report.per_second:.1f}/s, "
        f"{report.backend})"
    )


@app.command("batch")
@user_errors
def batch(
    feeds: Annotated[list[Path], typer.Argument(help="Vacancy feeds: JSON(L), JSON-LD, CSV, XML.")],
    output: Annotated[Path, typer.Option("--out", "-o", help="Extracted records (JSON Lines).")],
    backend: BackendOpt = "local",
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue the run that wrote --out (after a crash).")
    ] = False,
    no_dedupe: Annotated[
        bool, typer.Option("--no-dedupe", help="Keep near-duplicate postings.")
    ] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Vacancies per checkpoint.")] = 32,
    actors: ActorsOpt = None,
) -> None:
    """Extract skills from every vacancy of the FEEDs into one resumable JSON Lines file."""
    report = _run_batch(feeds, output, backend, resume, not no_dedupe, batch_size, actors)
    out.print(_summary(report), highlight=False)


def _fmt_growth(t) -> str:
    return f"×{t.growth:.2f} [{t.ci_low:.2f}–{t.ci_high:.2f}]"


def _trend_table(title: str, trends, scenario, taxonomy) -> Table:
    from matcher.trends.scenarios import scenario_factor

    table = Table(title=title, title_justify="left")
    for col in ("vaardigheid", "groei/jaar [95%-BI]", "q", "aandeel nu", "prognose"):
        table.add_column(col, overflow="fold")
    if scenario is not None:
        table.add_column(f"scenario: {scenario.name}")
    for t in trends:
        forecast = ""
        if t.forecast is not None:
            f = t.forecast
            interval = f"{100 * f.low[-1]:.1f}–{100 * f.high[-1]:.1f}"
            forecast = f"{f.periods[-1]}: {100 * f.mean[-1]:.1f}% [{interval}]"
        row = [t.label, _fmt_growth(t), f"{t.q_value:.2g}", f"{100 * t.shares[-1]:.1f}%", forecast]
        if scenario is not None:
            factor = scenario_factor(scenario, t.level, t.key, taxonomy)
            base = t.forecast.mean[-1] if t.forecast else t.shares[-1]
            row.append(f"×{factor:g} → {100 * min(1.0, base * factor):.1f}%")
        table.add_row(*row)
    return table


@app.command("trends")
@user_errors
def trends(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="Vacancy feeds, or records written by `vaardig batch` (JSONL)."),
    ],
    by: Annotated[str, typer.Option("--by", help="month or quarter.")] = "quarter",
    group: Annotated[
        str, typer.Option("--group", help="none, isco1, isco2, region or category.")
    ] = "none",
    top: Annotated[
        int, typer.Option("--top", help="Rising/declining skills shown per group.")
    ] = 20,
    level: Annotated[
        str, typer.Option("--level", help="skill, group (ESCO skill groups) or collection.")
    ] = "skill",
    plot: Annotated[
        Path | None, typer.Option("--plot", help="Write charts into this folder.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Chart format: png or svg.")] = "png",
    scenario_file: Annotated[
        Path | None, typer.Option("--scenario", help="Scenario file (YAML/JSON) to overlay.")
    ] = None,
    min_count: Annotated[
        int, typer.Option("--min-count", help="Fewest vacancies for a skill to be tested.")
    ] = 10,
    alpha: Annotated[float, typer.Option("--alpha", help="False discovery rate.")] = 0.05,
    min_growth: Annotated[
        float, typer.Option("--min-growth", help="Smallest growth factor per year called a trend.")
    ] = 1.1,
    horizon: Annotated[int, typer.Option("--horizon", help="Periods to forecast.")] = 4,
    extracted: Annotated[
        Path | None,
        typer.Option("--extracted", help="Keep the extracted feed records here (resumable)."),
    ] = None,
    backend: BackendOpt = "local",
    actors: ActorsOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rising and declining skills per period (and group), with forecasts and charts."""
    from matcher.trends import analyse_trends, load_scenario, plot_report
    from matcher.trends.charts import FORMATS

    for path in inputs:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    if fmt not in FORMATS:
        raise ValueError(f"--format must be png or svg, not {fmt!r}")
    engine = Engine()
    scenario = load_scenario(scenario_file).resolve(engine.taxonomy) if scenario_file else None
    record_files = [p for p in inputs if is_record_file(p)]
    feeds = [p for p in inputs if p not in record_files]
    with tempfile.TemporaryDirectory(prefix="vaardig-trends-") as tmp:
        if feeds:
            target = extracted or Path(tmp) / "extracted.jsonl"
            report = _run_batch(
                feeds, target, backend, resume=target.exists(), actors=actors, engine=engine
            )
            err.print(_summary(report), highlight=False)
            record_files.append(target)
        analysis = analyse_trends(
            read_records(record_files),
            engine.taxonomy,
            by=by,  # type: ignore[arg-type]
            group_by=group,  # type: ignore[arg-type]
            min_count=min_count,
            alpha=alpha,
            min_growth=min_growth,
            horizon=horizon,
            forecast_top=top,
        )
    charts = plot_report(analysis, plot, top=top, fmt=fmt, level=level) if plot else []
    if as_json:
        payload = analysis.to_dict(top=top)
        payload["charts"] = [str(c) for c in charts]
        if scenario is not None:
            payload["scenario"] = _scenario_json(scenario, analysis, level, top, engine.taxonomy)
        payload["attribution"] = engine.taxonomy.attribution
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    out.print(
        f"{analysis.records} vacancies ({analysis.undated} without date left out), "
        f"{analysis.periods[0]} t/m {analysis.periods[-1]}, per {by}; "
        f"{analysis.settings['tests']} series tested, FDR {alpha}",
        highlight=False,
    )
    for key, label in analysis.groups.items():
        n = sum(analysis.vacancies[key])
        rising, declining = analysis.rising(key, level, top), analysis.declining(key, level, top)
        if not rising and not declining:
            out.print(f"[dim]{label} ({n} vacancies): no significant trends[/]")
            continue
        if rising:
            title = f"Stijgend – {label} ({n} vacatures)"
            out.print(_trend_table(title, rising, scenario, engine.taxonomy))
        if declining:
            title = f"Dalend – {label} ({n} vacatures)"
            out.print(_trend_table(title, declining, scenario, engine.taxonomy))
    for chart in charts:
        out.print(f"chart: {chart}", highlight=False)
    out.print(f"[dim]{engine.taxonomy.attribution}[/]")


def _scenario_json(scenario, analysis, level: str, top: int, taxonomy) -> dict:
    from matcher.trends.scenarios import scenario_factor

    rows = []
    for key in analysis.groups:
        for t in analysis.rising(key, level, top) + analysis.declining(key, level, top):
            factor = scenario_factor(scenario, t.level, t.key, taxonomy)
            base = t.forecast.mean[-1] if t.forecast else t.shares[-1]
            rows.append(
                {
                    "group": key,
                    "key": t.key,
                    "label": t.label,
                    "factor": factor,
                    "share": round(min(1.0, base * factor), 5),
                }
            )
    return {"name": scenario.name, "description": scenario.description, "series": rows}


@app.command("scenario")
@user_errors
def scenario(
    files: Annotated[list[Path], typer.Argument(help="Scenario files (YAML or JSON).")],
    as_json: JsonOpt = False,
) -> None:
    """Check scenario files against the taxonomy and show what each rule weighs."""
    from matcher.trends import load_scenario

    taxonomy = Engine().taxonomy
    payload = []
    for path in files:
        s = load_scenario(path).resolve(taxonomy)
        rules = [
            {
                "kind": w.kind,
                "target": w.target,
                "factor": w.factor,
                "label": taxonomy.concepts[w.target].label if w.kind != "collection" else w.target,
            }
            for w in s.weights
        ]
        added = [
            {
                "uri": a.uri,
                "label": taxonomy.concepts[a.uri].label,
                "weight": a.weight,
                "essential": a.essential,
            }
            for a in s.add
        ]
        payload.append(
            {"name": s.name, "description": s.description, "weights": rules, "add": added}
        )
    if as_json:
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    for item in payload:
        table = Table(title=f"{item['name']}: {item['description']}", title_justify="left")
        for col in ("rule", "target", "factor"):
            table.add_column(col, overflow="fold")
        for rule in item["weights"]:
            table.add_row(rule["kind"], rule["label"], f"×{rule['factor']:g}")
        for skill in item["add"]:
            table.add_row("add", skill["label"], f"weight {skill['weight']:g}")
        out.print(table)
