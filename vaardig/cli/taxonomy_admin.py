"""``vaardig taxonomy import|list|use|coverage``: install ESCO downloads, switch versions."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from taxonomy import load_taxonomy
from taxonomy.coverage import coverage, coverage_report
from taxonomy.importer import DEFAULT_LIMITS, ImportLimits, import_taxonomy
from taxonomy.loader import read_manifest
from taxonomy.model import ESCO_ATTRIBUTION
from taxonomy.taxonomy import Taxonomy
from taxonomy.versions import (
    TaxonomyVersion,
    get_version,
    list_versions,
    missing_concepts,
    use_version,
)
from vaardig.cli.common import EncoderOpt, JsonOpt, ModelOpt, err, out, taxonomy_app, user_errors
from vaardig.settings import get_settings

_URI = re.compile(r"http://data\.europa\.eu/esco/[A-Za-z-]+/[A-Za-z0-9._-]+")
NoIndexOpt = Annotated[
    bool,
    typer.Option(
        "--no-index", help="Do not build the vector index now (it is built on first use)."
    ),
]


def _activate(
    version: TaxonomyVersion, build_index: bool, encoder: str | None, model: str | None
) -> Taxonomy:
    """Load the version and (optionally) its index first, then make it active: a version that
    fails to load, or an interrupted index build, leaves the active taxonomy as it was."""
    taxonomy = load_taxonomy(version.path)
    if build_index:
        from taxonomy.encoders import get_encoder
        from taxonomy.index import get_index

        index = get_index(taxonomy, get_encoder(encoder, model))
        out.print(
            f"Index ready: {index.size('skill'):,} skill and {index.size('occupation'):,} "
            "occupation labels"
        )
    use_version(version.id)
    if get_settings().taxonomy_dir:
        err.print(
            "[yellow]Note:[/] VAARDIG_TAXONOMY_DIR is set and overrides the active version; "
            "unset it to use this one."
        )
    return taxonomy


def _nl_skill_share(cov: dict[str, Any]) -> str:
    skills = cov["languages"]["nl"]["skill"]
    done, total = skills["preferred"], skills["total"]
    return f"{done:,} of {total:,} ({_pct(done, total)})"


def _pct(part: int, total: int) -> str:
    return f"{100 * part / total:.1f}%" if total else "-"


@taxonomy_app.command("import")
@user_errors
def taxonomy_import(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="The ESCO CSV zips (a classification zip per language plus the relations zip), "
            "or the folders they unpack to."
        ),
    ],
    version_id: Annotated[
        str | None, typer.Option("--id", help="Version id (default: esco-<version>-<langs>).")
    ] = None,
    esco_version: Annotated[
        str | None,
        typer.Option("--esco-version", help="The ESCO version, if the file names do not say it."),
    ] = None,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Installed version that supplies files the download lacks (default: the "
            "active, newest or bundled one of the same ESCO version).",
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an installed version with the same id.")
    ] = False,
    activate: Annotated[
        bool, typer.Option("--use/--no-use", help="Make the imported version active.")
    ] = True,
    no_index: NoIndexOpt = False,
    allow_small: Annotated[
        bool,
        typer.Option(
            "--allow-small",
            help="Accept files with fewer rows than a complete ESCO release (trimmed test data).",
        ),
    ] = False,
    as_json: JsonOpt = False,
    encoder: EncoderOpt = None,
    model: ModelOpt = None,
) -> None:
    """Check and install an official ESCO CSV download as a new taxonomy version."""
    try:
        before = coverage(load_taxonomy())
    except Exception:  # the report's "before" is a courtesy; a broken active version is no bar
        before = None
    limits = ImportLimits.relaxed() if allow_small else DEFAULT_LIMITS
    with err.status("Checking the ESCO files...") as status:
        report = import_taxonomy(
            paths,
            version_id=version_id,
            esco_version=esco_version,
            base=base,
            limits=limits,
            activate=False,
            replace=replace,
            progress=lambda where: status.update(f"Checking {where}"),
        )
    version = get_version(report.version_id)
    taxonomy = (
        _activate(version, not no_index, encoder, model)
        if activate
        else load_taxonomy(version.path)
    )
    after = coverage(taxonomy, read_manifest(version.path))
    if as_json:
        payload = {
            **report.to_dict(),
            "activated": activate,
            "coverage_before": before,
            "coverage_after": after,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    out.print(
        f"Installed [bold]{report.version_id}[/] (ESCO {report.esco_version}; languages "
        f"{', '.join(report.languages)}) in {report.seconds:.1f}s: "
        f"{report.rows.get('en/skills_en.csv.gz', 0):,} skills, "
        f"{report.rows.get('en/occupations_en.csv.gz', 0):,} occupations",
        highlight=False,
    )
    if report.base:
        out.print(f"Files not in the download came from {report.base}.", highlight=False)
    for target, n in report.filled_from_base.items():
        out.print(
            f"{target}: {n:,} concepts without a label in the download keep the label of "
            f"{report.base}.",
            highlight=False,
        )
    for warning in report.warnings:
        out.print(f"[yellow]Warning:[/] {warning}", highlight=False)
    if report.ignored:
        out.print(f"[dim]Not used: {', '.join(report.ignored)}[/]", highlight=False)
    share = f"Skills with a Dutch label: {_nl_skill_share(after)}"
    if before is not None:
        share += f" (was {_nl_skill_share(before)} in {before['version']})"
    out.print(share, highlight=False)
    out.print(
        "Now active."
        if activate
        else f"Not active; switch with `vaardig taxonomy use {report.version_id}`."
    )


@taxonomy_app.command("list")
@user_errors
def taxonomy_list(as_json: JsonOpt = False) -> None:
    """The installed taxonomy versions; * marks the active one."""
    versions = list_versions()
    if as_json:
        print(json.dumps([v.to_dict() for v in versions], ensure_ascii=False, indent=1))
        return
    table = Table(title="Taxonomy versions")
    for col in ("", "id", "ESCO", "languages", "imported", "base", "path"):
        table.add_column(col)
    for v in versions:
        table.add_row(
            "*" if v.active else "",
            v.id,
            v.esco_version or "?",
            ", ".join(v.languages),
            v.imported_at or "(shipped)",
            v.base or "",
            str(v.path),
        )
    out.print(table)


@taxonomy_app.command("use")
@user_errors
def taxonomy_use(
    version_id: Annotated[
        str, typer.Argument(help="A version id from `vaardig taxonomy list`, or 'bundled'.")
    ],
    no_index: NoIndexOpt = False,
    check_uris: Annotated[
        Path | None,
        typer.Option(
            "--check-uris",
            help="A file with concept URIs (e.g. exported passports): report those the version "
            "lacks.",
        ),
    ] = None,
    encoder: EncoderOpt = None,
    model: ModelOpt = None,
) -> None:
    """Switch the active taxonomy version (building or loading its index)."""
    version = get_version(version_id)
    uris = _URI.findall(check_uris.read_text(encoding="utf-8")) if check_uris else []
    taxonomy = _activate(version, not no_index, encoder, model)
    out.print(
        f"Active taxonomy: [bold]{version.id}[/] (ESCO {version.esco_version or '?'}; "
        f"{', '.join(version.languages)}): {taxonomy.count('skill'):,} skills, "
        f"{taxonomy.count('occupation'):,} occupations",
        highlight=False,
    )
    if check_uris is not None:
        missing = missing_concepts(uris, taxonomy)
        out.print(
            f"{len(missing)} of {len(set(uris))} URIs in {check_uris.name} are not in "
            f"{version.id}" + (":" if missing else "."),
            highlight=False,
        )
        for uri in missing:
            out.print(f"  {uri}", highlight=False)


@taxonomy_app.command("coverage")
@user_errors
def taxonomy_coverage(
    version_id: Annotated[
        str | None, typer.Option("--version", help="A version id (default: the active one).")
    ] = None,
    list_fallbacks: Annotated[
        int,
        typer.Option(
            "--list-fallbacks", help="List the N most used skills shown with an English label."
        ),
    ] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Per language: skills and occupations with a preferred label, alt labels, a description."""
    cov = coverage_report(get_version(version_id).path if version_id else None, list_fallbacks)
    fallbacks = cov["fallback_skills"]
    if as_json:
        print(json.dumps(cov, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"Label coverage: {cov['version']}")
    for col in ("language", "kind", "preferred label", "alt labels", "description"):
        table.add_column(col)
    for lang, kinds in cov["languages"].items():
        for kind, c in kinds.items():
            table.add_row(
                lang,
                kind,
                f"{c['preferred']:,} / {c['total']:,} ({_pct(c['preferred'], c['total'])})",
                f"{c['alt']:,} ({_pct(c['alt'], c['total'])})",
                f"{c['description']:,} ({_pct(c['description'], c['total'])})",
            )
    out.print(table)
    skills = cov["languages"]["nl"]["skill"]["total"]
    out.print(
        f"Shown in English (no Dutch label): {cov['fallback']['skill']:,} skills "
        f"({_pct(cov['fallback']['skill'], skills)}), {cov['fallback']['occupation']:,} "
        "occupations",
        highlight=False,
    )
    if fallbacks:
        out.print(f"Most used skills without a Dutch label (top {len(fallbacks)}):")
        for f in fallbacks:
            n = f["occupations"]
            out.print(
                f"  {f['label_en']}  [dim]{n} occupation{'' if n == 1 else 's'}  {f['uri']}[/]",
                highlight=False,
            )
        out.print(f"[dim]{ESCO_ATTRIBUTION}[/]")
