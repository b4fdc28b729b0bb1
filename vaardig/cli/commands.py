"""Taxonomy, index, eval and demo commands."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from taxonomy import load_taxonomy
from taxonomy.encoders import get_encoder
from taxonomy.index import get_index
from vaardig.cli.common import (
    EncoderOpt,
    JsonOpt,
    KindOpt,
    ModelOpt,
    app,
    index_app,
    out,
    taxonomy_app,
    user_errors,
)
from vaardig.settings import get_settings


def _index(encoder: str | None = None, model: str | None = None):
    taxonomy = load_taxonomy()
    return get_index(taxonomy, get_encoder(encoder, model))


@taxonomy_app.command("search")
@user_errors
def taxonomy_search(
    query: Annotated[str, typer.Argument(help="Dutch or English words, e.g. 'lassen'.")],
    kind: KindOpt = "skill",
    top: Annotated[int, typer.Option("--top", "-n", help="How many results.")] = 10,
    as_json: JsonOpt = False,
    encoder: EncoderOpt = None,
    model: ModelOpt = None,
) -> None:
    """Semantic search: the concepts closest to QUERY, best first."""
    if kind not in ("skill", "occupation", "capability"):
        raise ValueError(f"--kind must be skill, occupation or capability, not {kind!r}")
    hits = _index(encoder, model).search(query, kind=kind, k=top)  # type: ignore[arg-type]
    if as_json:
        rows = [
            {"score": round(h.score, 4), "matched_label": h.label, **h.concept.to_dict()}
            for h in hits
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"{kind}: {query}")
    for col in ("score", "label", "matched label", "uri"):
        table.add_column(col)
    for h in hits:
        label = h.concept.label + (" [dim](EN)[/]" if h.concept.label_is_fallback else "")
        table.add_row(f"{h.score:.3f}", label, h.label, h.concept.uri)
    out.print(table)


@taxonomy_app.command("show")
@user_errors
def taxonomy_show(
    uri: Annotated[str, typer.Argument(help="A concept URI.")], as_json: JsonOpt = False
) -> None:
    """Everything the taxonomy knows about one concept."""
    tx = load_taxonomy()
    c = tx.get(uri)
    info: dict[str, Any] = c.to_dict()
    info["broader"] = [b.label for b in tx.broader_of(uri)]
    info["skill_groups"] = [g.label for g in tx.skill_groups(uri)][:5]
    if c.kind == "occupation":
        info["essential_skills"] = [s.label for s, r in tx.skills_of(uri) if r == "essential"]
        info["optional_skills"] = [s.label for s, r in tx.skills_of(uri) if r == "optional"]
    if c.kind == "skill":
        info["occupations"] = len(tx.occupations_of(uri))
    if as_json:
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return
    for key, value in info.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, list):
            value = "; ".join(map(str, value[:25])) + (" …" if len(value) > 25 else "")
        out.print(f"[bold]{key}[/]: {value}", highlight=False)
    out.print(f"[dim]{tx.attribution}[/]")


@taxonomy_app.command("complete")
@user_errors
def taxonomy_complete(
    prefix: Annotated[str, typer.Argument(help="The start of a label.")],
    kind: Annotated[str | None, typer.Option("--kind", "-k")] = None,
    top: Annotated[int, typer.Option("--top", "-n")] = 10,
) -> None:
    """Autocomplete: labels that start with PREFIX."""
    for hit in load_taxonomy().complete(prefix, kind=kind, limit=top):  # type: ignore[arg-type]
        out.print(f"{hit.label}  [dim]{hit.concept.kind} {hit.concept.uri}[/]", highlight=False)


@index_app.command("build")
@user_errors
def index_build(
    encoder: EncoderOpt = None,
    model: ModelOpt = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Ignore the cache.")] = False,
) -> None:
    """Build (or load from cache) the taxonomy index for the configured encoder."""
    t0 = time.perf_counter()
    tx = load_taxonomy()
    idx = get_index(tx, get_encoder(encoder, model), rebuild=rebuild)
    out.print(
        f"Index ready: {idx.size('skill')} skill labels, {idx.size('occupation')} occupation "
        f"labels, encoder {idx.encoder.id}, {time.perf_counter() - t0:.1f}s "
        f"(cache: {get_settings().cache_dir / 'index'})"
    )


@app.command("eval")
@user_errors
def eval_cmd(
    task: Annotated[str, typer.Argument(help="normalisation, occupations or extraction.")],
    data: Annotated[Path, typer.Option("--data", help="A JSONL file in the shared eval format.")],
    as_json: JsonOpt = False,
    encoder: EncoderOpt = None,
    model: ModelOpt = None,
) -> None:
    """Measure the engine on an evaluation file (see eval/README.md)."""
    from eval.tasks import run_task
    from vaardig.engine import Engine

    metrics = run_task(task, data, lambda: Engine(encoder, model))
    if as_json:
        print(json.dumps(metrics))
        return
    for key, value in metrics.items():
        out.print(f"{key:>14}: {value:.4f}" if isinstance(value, float) else f"{key:>14}: {value}")


@app.command("demo")
@user_errors
def demo() -> None:
    """Run the main job end to end on bundled sample data."""
    from vaardig.demo import run_demo

    run_demo(out)
