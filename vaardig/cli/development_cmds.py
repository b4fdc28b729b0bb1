"""``vaardig tshape|kpi|kpi-targets|plan`` and ``vaardig role close``: people development.

A thin shell over :mod:`matcher.development` and the stores. The database is
``VAARDIG_DATABASE_URL`` (default: SQLite in ``VAARDIG_DATA_DIR``); employees are named by their
external id, organisations by id. ``python scripts/make_fixture_firm.py`` builds an example firm
to try them on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from matcher.development import (
    FirmDevelopment,
    KpiReport,
    TeamCoverage,
    TShapeProfile,
    effective_targets,
    learning_kpis,
    newly_confirmed,
    parse_period,
    parse_targets,
    path_plan,
    skill_areas,
)
from matcher.development.kpi import DEFAULT_TARGETS, KPI_LABELS, STATUS_LABELS
from matcher.development.suggestions import STEP_LABELS, STEP_SHARE, BreadthSuggestion
from matcher.development.tshape import COVERAGE_LABELS, SHAPE_LABELS, SHAPES
from matcher.store import (
    LearningStep,
    LearningStore,
    PassportStore,
    PlannedStep,
    RoleStore,
    StoreError,
)
from matcher.store.models import KPI_KEYS, STEP_KINDS
from taxonomy import Taxonomy, load_taxonomy
from vaardig.cli.common import USER_ERRORS, JsonOpt, OrgOpt, app, out, user_errors
from vaardig.cli.passport_cmds import role_app
from vaardig.settings import get_settings

if StoreError not in USER_ERRORS:
    USER_ERRORS.append(StoreError)  # NotFound (organisation, employee, step, role)

plan_app = typer.Typer(
    help="Learning plans: 70-20-10 steps per employee, marked done.", no_args_is_help=True
)
app.add_typer(plan_app, name="plan")

TeamOpt = Annotated[str | None, typer.Option("--team", help="A team name (as in the passports).")]
PlotOpt = Annotated[
    Path | None, typer.Option("--plot", help="Also draw the chart: a .png or .svg file.")
]
STATUS_MARK = {"on_track": "✓ ", "off_track": "✗ ", "no_target": "", "no_data": ""}
TREND_MARK = {"up": "↑", "down": "↓", "flat": "="}
CLOSE_AS = {
    "internal": "filled_internal",
    "external": "filled_external",
    "filled_internal": "filled_internal",
    "filled_external": "filled_external",
    "closed": "closed",
}


@lru_cache(maxsize=1)
def _taxonomy() -> Taxonomy:
    return load_taxonomy()


@dataclass
class _Stores:
    passports: PassportStore
    roles: RoleStore
    learning: LearningStore

    def firm(self, organisation_id: int) -> FirmDevelopment:
        areas = skill_areas(_taxonomy())
        return FirmDevelopment.load(areas, self.passports, self.roles, organisation_id)


@contextmanager
def _stores() -> Iterator[_Stores]:
    passports = PassportStore.open(get_settings().effective_database_url)
    try:
        yield _Stores(passports, RoleStore(passports.database), LearningStore(passports.database))
    finally:
        passports.database.close()


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


# --- tshape ------------------------------------------------------------------------------------


@app.command("tshape")
@user_errors
def tshape_cmd(
    org: OrgOpt,
    employee: Annotated[
        str | None, typer.Argument(help="An employee's external id; leave out for a team.")
    ] = None,
    team: TeamOpt = None,
    suggestions: Annotated[
        int, typer.Option("--suggestions", "-n", min=0, max=5, help="Breadth suggestions (0-5).")
    ] = 5,
    plot: PlotOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """An employee's T (depth, breadth, shape) with breadth suggestions, or a team's coverage:
    areas nobody, one person or several hold. Without EMPLOYEE and --team: the whole firm."""
    if employee and team:
        raise ValueError("give an EMPLOYEE or --team, not both")
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise ValueError(f"--plot must end in .png or .svg, not {plot.name!r}")
    with _stores() as stores:
        firm = stores.firm(org)
        history = stores.learning.history(org) if employee else None
    if employee and history is not None:
        profile = firm.profile(employee)
        year = str(datetime.now(UTC).year)
        learned = newly_confirmed(history, year, profile.employee_id)
        ideas = firm.suggestions(profile, suggestions) if suggestions else []
        if plot is not None:
            from matcher.development.charts import save_chart, tshape_figure

            save_chart(tshape_figure(profile), plot)
        if as_json:
            _print_json(
                {
                    "profile": profile.to_dict(),
                    "suggestions": [s.to_dict() for s in ideas],
                    "newly_confirmed": {
                        "period": year,
                        "skills": [
                            {"uri": uri, "label": label, "confirmed_on": day}
                            for uri, label, day in learned
                        ],
                    },
                }
            )
            return
        _print_profile(org, profile, ideas)
        names = "; ".join(label for _uri, label, _day in learned) or "geen"
        out.print(f"Nieuw bevestigd in {year}: {names}", highlight=False)
    else:
        coverage = firm.coverage(team)
        if plot is not None:
            from matcher.development.charts import coverage_figure, save_chart

            save_chart(coverage_figure(coverage), plot)
        if as_json:
            _print_json(coverage.to_dict())
            return
        _print_coverage(coverage)
    if plot is not None:
        out.print(f"[dim]Grafiek: {plot}[/]", highlight=False)


def _print_profile(org: int, profile: TShapeProfile, ideas: list[BreadthSuggestion]) -> None:
    team = f" (team {profile.team})" if profile.team else ""
    out.print(f"[bold]{profile.external_id}{team}: {profile.shape_label}[/]", highlight=False)
    depth = profile.depth
    if depth:
        out.print(
            f"diepte: {depth.display}: {depth.count} bevestigde vaardigheden, gemiddeld niveau "
            f"{depth.mean_level:.1f}{' (diep)' if depth.deep else ''}",
            highlight=False,
        )
    themes = ", ".join(f"{t.label} {'✓' if t.covered else '–'}" for t in profile.themes)
    out.print(
        f"breedte: {profile.breadth} gebieden; transversaal {profile.themes_covered}/"
        f"{len(profile.themes)}: {themes}",
        highlight=False,
    )
    table = Table(title="Gebieden (sterkste eerst)", title_justify="left")
    for column in ("gebied", "vaardigheden", "niveau", "diep"):
        table.add_column(column, overflow="fold")
    for area in profile.areas:
        table.add_row(
            area.display, str(area.count), f"{area.mean_level:.1f}", "ja" if area.deep else ""
        )
    out.print(table)
    if not ideas:
        return
    table = Table(title="Verbreding: goedkoopste nieuwe gebieden", title_justify="left")
    for column in ("#", "gebied", "score", "ligt naast", "gevraagd door", "beginnen met"):
        table.add_column(column, overflow="fold")
    for n, idea in enumerate(ideas, 1):
        table.add_row(
            str(n),
            idea.label,
            f"{idea.score:.2f}",
            idea.bridge_label or "-",
            ", ".join(idea.roles) or "-",
            "; ".join(label for _uri, label in idea.skills),
        )
    out.print(table)
    for n, idea in enumerate(ideas, 1):
        out.print(f"[bold]{n}. {idea.label}[/] (70-20-10)", highlight=False)
        for step in idea.steps:
            mentor = f" [dim]({step.mentor})[/]" if step.mentor else ""
            out.print(
                f"  {step.share}% {STEP_LABELS[step.kind]}: {step.text}{mentor}", highlight=False
            )
    out.print(
        f"[dim]In het leerplan zetten: vaardig plan add {profile.external_id} --org {org} "
        "--suggestions 1[/]",
        highlight=False,
    )


def _print_coverage(coverage: TeamCoverage) -> None:
    name = f"Team {coverage.team}" if coverage.team else "Het hele bedrijf"
    shapes = ", ".join(f"{SHAPE_LABELS[s]} {coverage.shapes[s]}" for s in SHAPES)
    out.print(f"[bold]{name}: {len(coverage.members)} medewerkers[/] ({shapes})", highlight=False)
    table = Table(title="Medewerkers", title_justify="left")
    for column in ("medewerker", "team", "vorm", "diepte", "breedte", "thema's"):
        table.add_column(column, overflow="fold")
    for m in coverage.members:
        depth = f"{m.depth.display} ({m.depth.count}, {m.depth.mean_level:.1f})" if m.depth else "-"
        table.add_row(
            m.external_id,
            m.team or "",
            m.shape_label,
            depth,
            str(m.breadth),
            f"{m.themes_covered}/{len(m.themes)}",
        )
    out.print(table)
    for status, title in (
        ("nobody", "Gevraagd, maar niemand heeft het"),
        ("one", "Bij één persoon (continuïteitsrisico)"),
    ):
        rows = coverage.with_status(status)
        table = Table(title=f"{title}: {len(rows)} gebieden", title_justify="left")
        columns = ("gebied", "gevraagd (gewicht)") + (("wie",) if status == "one" else ())
        for column in columns:
            table.add_column(column, overflow="fold")
        for area in rows:
            needed = f"{area.needed:g}" if area.needed else "-"
            table.add_row(area.display, needed, *(area.holders if status == "one" else ()))
        out.print(table)
    several = coverage.with_status("several")
    out.print(
        f"{COVERAGE_LABELS['several'].capitalize()}: {len(several)} gebieden bij twee of meer "
        "medewerkers.",
        highlight=False,
    )


# --- KPIs --------------------------------------------------------------------------------------


@app.command("kpi")
@user_errors
def kpi_cmd(
    org: OrgOpt,
    period: Annotated[
        str,
        typer.Option(
            "--period", help="2026, 2026Q1, 2026-03 or 2026-01-01..2026-06-30 (Dutch time)."
        ),
    ],
    team: TeamOpt = None,
    targets: Annotated[
        Path | None,
        typer.Option(
            "--targets", help="YAML/JSON file of targets, e.g. learners_share: 0.8 (overrides)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Learning KPIs for a period, from the database alone, with targets and on/off track."""
    chosen = parse_period(period)
    from_file = _read_targets(targets) if targets is not None else {}
    with _stores() as stores:
        history = stores.learning.history(org)
        stored = stores.learning.targets(org)
    if team is not None and not any(e.team == team for e in history.employees):
        teams = sorted({e.team for e in history.employees if e.team})
        raise ValueError(f"no employees in team {team!r}; teams: {', '.join(teams) or '-'}")
    report = learning_kpis(history, chosen, effective_targets(stored, from_file), team=team)
    if as_json:
        _print_json(report.to_dict())
        return
    _print_kpis(report)


def _read_targets(path: Path) -> dict:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such targets file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML or JSON ({exc})") from None
    return parse_targets(data or {})


def _print_kpis(report: KpiReport) -> None:
    scope = f"team {report.team}" if report.team else "het hele bedrijf"
    running = " (loopt nog)" if report.partial else ""
    out.print(
        f"[bold]Leer-KPI's {report.period.label}{running}[/], organisatie "
        f"{report.organisation_id}, {scope}: {report.headcount} medewerkers",
        highlight=False,
    )
    table = Table(title_justify="left")
    previous = f"vorige ({report.previous_period.label})"
    for column in ("KPI", "waarde", "telling", previous, "doel", "status"):
        table.add_column(column, overflow="fold")
    for k in report.kpis:
        trend = TREND_MARK.get(k.trend or "", "")
        table.add_row(
            k.label,
            _fmt(k.value, k.unit),
            f"{k.numerator:g} / {k.denominator:g}",
            f"{_fmt(k.previous, k.unit)} {trend}".strip(),
            _fmt_target(k.target, k.unit),
            STATUS_MARK[k.status] + STATUS_LABELS[k.status],
        )
    out.print(table)
    if report.top_skills:
        gained = "; ".join(f"{s.label} ({s.employees})" for s in report.top_skills[:5])
        out.print(f"Meest gewonnen vaardigheden: {gained}", highlight=False)
    for gap in report.gaps_closed:
        out.print(
            f"Gat gedicht voor ‘{gap.role}’: {gap.label} ({gap.closed_on:%d-%m-%Y})",
            highlight=False,
        )


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:.0%}" if unit == "share" else f"{value:.2f}"


def _fmt_target(target, unit: str) -> str:
    if target is None:
        return "-"
    parts = []
    if target.minimum is not None:
        parts.append(f"≥ {_fmt(target.minimum, unit)}")
    if target.must_rise:
        parts.append("stijgend")
    return " en ".join(parts)


@app.command("kpi-targets")
@user_errors
def kpi_targets_cmd(
    org: OrgOpt,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="KPI=VALUE, VALUE a number or 'rising' (repeatable)."),
    ] = None,
    clear: Annotated[
        list[str] | None, typer.Option("--clear", help="Remove a stored target (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the organisation's KPI targets; --set and --clear change the stored ones."""
    changes = {}
    for item in set_ or []:
        kpi, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--set needs KPI=VALUE, e.g. learners_share=0.8; got {item!r}")
        changes.update(parse_targets({kpi.strip(): _number_or_word(value.strip())}))
    with _stores() as stores:
        for kpi in clear or []:
            stores.learning.clear_target(org, kpi)
        for target in changes.values():
            stores.learning.set_target(
                org, target.kpi, minimum=target.minimum, must_rise=target.must_rise
            )
        stored = stores.learning.targets(org)
    targets = effective_targets(stored)
    if as_json:
        _print_json({key: asdict(t) for key, t in targets.items()})
        return
    table = Table(title=f"Doelen van organisatie {org}", title_justify="left")
    for column in ("KPI", "sleutel", "doel", "bron"):
        table.add_column(column)
    for key in KPI_KEYS:
        target = targets.get(key)
        source = "opgeslagen" if key in stored else ("standaard" if key in DEFAULT_TARGETS else "")
        unit = "number" if key == "new_skills_per_employee" else "share"
        table.add_row(KPI_LABELS[key], key, _fmt_target(target, unit), source)
    out.print(table)


def _number_or_word(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


# --- plan --------------------------------------------------------------------------------------


@plan_app.command("list")
@user_errors
def plan_list(
    org: OrgOpt,
    employee: Annotated[str | None, typer.Argument(help="External id; leave out for all.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="planned, done or cancelled.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The learning plan of one employee, or of everyone, by due date."""
    with _stores() as stores:
        employee_id = stores.passports.get_employee(org, employee).id if employee else None
        steps = stores.learning.list_steps(org, employee_id=employee_id, status=status)
        names = _external_ids(stores, org)
    if as_json:
        _print_json([_step_dict(s, names) for s in steps])
        return
    _print_steps(steps, names, f"Leerplan {employee or f'organisatie {org}'}")


@plan_app.command("add")
@user_errors
def plan_add(
    employee: Annotated[str, typer.Argument(help="The employee's external id.")],
    org: OrgOpt,
    suggestions: Annotated[
        int,
        typer.Option(
            "--suggestions", min=0, max=5, help="Add the 70-20-10 steps of the N best suggestions."
        ),
    ] = 0,
    kind: Annotated[
        str | None, typer.Option("--kind", help=f"One step by hand: {', '.join(STEP_KINDS)}.")
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="What to do (Dutch).")] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="YYYY-MM-DD (default: a quarter from today).")
    ] = None,
    mentor: Annotated[
        str | None, typer.Option("--mentor", help="A colleague's external id.")
    ] = None,
    role: Annotated[
        str | None,
        typer.Option(
            "--role", help="The reskilling path to a role (id, ESCO URI or label, or a file)."
        ),
    ] = None,
) -> None:
    """Plan steps: from breadth suggestions (--suggestions N), the reskilling path to a role
    (--role), or one by hand (--kind, --title)."""
    if sum([bool(suggestions), bool(kind or title), role is not None]) != 1:
        raise ValueError("give --suggestions N, --role ROLE, or --kind and --title for one step")
    with _stores() as stores:
        person = stores.passports.get_employee(org, employee)
        if role is not None:
            planned = _path_steps(stores, org, person.id, role)
        elif suggestions:
            firm = stores.firm(org)
            ideas = firm.suggestions(firm.profile(person.id), suggestions)
            if not ideas:
                raise ValueError(f"no breadth suggestions for {employee}: nothing to plan")
            planned = [step for idea in ideas for step in idea.planned_steps(firm.role_ids)]
        else:
            if not kind or not title:
                raise ValueError("a step by hand needs both --kind and --title")
            mentor_id = stores.passports.get_employee(org, mentor).id if mentor else None
            planned = [PlannedStep(kind, title, due=_date(due), mentor_id=mentor_id)]
        steps = stores.learning.add_steps(org, person.id, planned)
        names = _external_ids(stores, org)
    _print_steps(steps, names, f"Toegevoegd aan het leerplan van {employee}")


@plan_app.command("done")
@user_errors
def plan_done(
    step_id: Annotated[int, typer.Argument(help="The step's id (`vaardig plan list`).")],
    org: OrgOpt,
    on: Annotated[
        str | None, typer.Option("--on", help="YYYY-MM-DD it was done (default: now).")
    ] = None,
) -> None:
    """Mark a step of a learning plan done."""
    when = datetime.combine(_date(on), time(12), tzinfo=UTC) if on else None
    with _stores() as stores:
        step = stores.learning.mark_done(org, step_id, at=when)
    out.print(f"Stap {step.id} afgerond op {step.done_at:%d-%m-%Y}: {step.title}", highlight=False)


@plan_app.command("cancel")
@user_errors
def plan_cancel(
    step_id: Annotated[int, typer.Argument(help="The step's id (`vaardig plan list`).")],
    org: OrgOpt,
) -> None:
    """Cancel a planned step (it no longer counts in the completion KPI)."""
    with _stores() as stores:
        step = stores.learning.cancel_step(org, step_id)
    out.print(f"Stap {step.id} geannuleerd: {step.title}", highlight=False)


def _path_steps(stores: _Stores, org: int, employee_id: int, role: str) -> list[PlannedStep]:
    from vaardig.engine import Engine
    from vaardig.workflow import Workflow

    flow = Workflow(Engine(), stores.passports, stores.roles)
    path = flow.reskilling_path(org, employee_id, role)
    if not path.steps:
        raise ValueError(f"the employee already holds every skill of {path.role_title!r}")
    mentors = {external: id_ for id_, external in _external_ids(stores, org).items()}
    role_id = int(role) if role.strip().isdigit() else None
    return path_plan(path, mentors, start=datetime.now(UTC).date(), role_id=role_id)


def _external_ids(stores: _Stores, organisation_id: int) -> dict[int, str]:
    names, offset = {}, 0
    while True:
        page = stores.passports.list_employees(organisation_id, offset=offset, limit=1000)
        names.update({e.id: e.external_id for e in page})
        offset += len(page)
        if len(page) < 1000:
            return names


def _step_dict(step: LearningStep, names: dict[int, str]) -> dict[str, Any]:
    return {
        **asdict(step),
        "employee": names.get(step.employee_id),
        "mentor": names.get(step.mentor_id) if step.mentor_id else None,
        "share": STEP_SHARE[step.kind],
    }


def _print_steps(steps: list[LearningStep], names: dict[int, str], title: str) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("id", "medewerker", "soort", "stap", "mentor", "deadline", "status"):
        table.add_column(column, overflow="fold")
    for s in steps:
        done = f" {s.done_at:%d-%m-%Y}" if s.done_at else ""
        table.add_row(
            str(s.id),
            names.get(s.employee_id, str(s.employee_id)),
            f"{STEP_SHARE[s.kind]}% {STEP_LABELS[s.kind]}",
            s.title,
            names.get(s.mentor_id, "") if s.mentor_id else "",
            f"{s.due:%d-%m-%Y}",
            {"planned": "gepland", "done": "afgerond", "cancelled": "geannuleerd"}[s.status] + done,
        )
    out.print(table)


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {text!r} must be YYYY-MM-DD") from None


# --- role close --------------------------------------------------------------------------------


@role_app.command("close")
@user_errors
def role_close(
    role_id: Annotated[int, typer.Argument(help="The role's id (`vaardig role list`).")],
    org: OrgOpt,
    outcome: Annotated[
        str, typer.Option("--as", help="internal, external (filled) or closed (not filled).")
    ],
) -> None:
    """Record how a vacancy ended: filled internally, externally, or closed (for the KPIs)."""
    status = CLOSE_AS.get(outcome.strip().lower())
    if status is None:
        raise ValueError(f"--as must be internal, external or closed, not {outcome!r}")
    with _stores() as stores:
        role = stores.roles.close_role(org, role_id, status)
    out.print(f"Rol {role.id} ({role.title}): {role.status}", highlight=False)
