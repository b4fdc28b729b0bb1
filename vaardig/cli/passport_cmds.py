"""``vaardig org|passport|role|match|path|gap-report``: passports, matching and planning.

A thin shell over :class:`vaardig.workflow.Workflow`. The database is ``VAARDIG_DATABASE_URL``
(default: SQLite in ``VAARDIG_DATA_DIR``). Employees are named by their external id
("emp-0042"), organisations by id (``vaardig org create`` prints it).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from matcher.gap_render import readiness_chart, render_html, render_markdown
from matcher.matching import CandidateMatch, RoleMatch
from matcher.store import NotFound, StoreError
from vaardig.cli.common import USER_ERRORS, JsonOpt, OrgOpt, app, out, user_errors
from vaardig.engine import Engine
from vaardig.workflow import Workflow, print_path

USER_ERRORS.append(StoreError)  # NotFound (unknown organisation, employee, role), Conflict

passport_app = typer.Typer(
    help="Skills passports: add CVs, show, confirm or add skills, correct an employee, erase.",
    no_args_is_help=True,
)
role_app = typer.Typer(
    help="The organisation's own roles: vacancies, future roles.", no_args_is_help=True
)
match_app = typer.Typer(help="Match employees, vacancies and roles.", no_args_is_help=True)
app.add_typer(passport_app, name="passport")
app.add_typer(role_app, name="role")
app.add_typer(match_app, name="match")

TopOpt = Annotated[int, typer.Option("--top", "-n", min=1, max=100, help="How many results.")]
EmployeeArg = Annotated[str, typer.Argument(help="The employee's external id, e.g. emp-0042.")]
RoleArg = Annotated[
    str,
    typer.Argument(
        help="A role id, an ESCO occupation URI or label, a vacancy file or a role file."
    ),
]


@lru_cache(maxsize=1)
def engine() -> Engine:
    """One engine per process: the taxonomy, index and models load once."""
    return Engine()


def workflow() -> Workflow:
    return Workflow.open(engine())


def _print_json(payload: Any) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str))


# --- passport ----------------------------------------------------------------------------------


@passport_app.command("add")
@user_errors
def passport_add(
    cv_file: Annotated[Path, typer.Argument(help="A CV: PDF, DOCX, HTML or text.")],
    org: OrgOpt,
    employee: Annotated[
        str, typer.Option("--employee", help="External id; a new one adds the employee.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Extract the skills of CV_FILE into the employee's passport."""
    flow = workflow()
    try:
        report = flow.add_cv(org, employee, cv_file)
    finally:
        flow.close()
    if as_json:
        _print_json(asdict(report))
        return
    out.print(
        f"{employee}: {len(report.added)} new skills, {len(report.updated)} found again, "
        f"{len(report.kept_rejected)} kept rejected (document {report.document_id})",
        highlight=False,
    )
    if not (report.added or report.updated or report.kept_rejected):
        out.print(
            f"[yellow]No skills recognised in {cv_file.name}; the CV is stored. Check that it "
            "writes out work experience or skills (`vaardig extract FILE` shows what is found), "
            "or add skills by hand on the employee's passport page.[/]",
            highlight=False,
        )


@passport_app.command("show")
@user_errors
def passport_show(
    employee: EmployeeArg,
    org: OrgOpt,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also inferred (from job titles) and rejected claims.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """An employee's skills passport, with the evidence for each skill."""
    flow = workflow()
    try:
        passport = flow.passport(org, employee)
    finally:
        flow.close()
    if as_json:
        _print_json(asdict(passport))
        return
    shown = [
        c
        for c in passport.claims
        if show_all
        or (c.status != "rejected" and (c.method != "inferred" or c.status == "confirmed"))
    ]
    table = Table(title=f"Passport {passport.employee.external_id}", title_justify="left")
    for column in ("skill", "status", "conf.", "method", "evidence"):
        table.add_column(column, overflow="fold")
    for c in sorted(shown, key=lambda c: (c.status != "confirmed", -c.confidence, c.label)):
        evidence = c.evidence[0].text if c.evidence else ""
        table.add_row(c.label, c.status, f"{c.confidence:.2f}", c.method, evidence)
    out.print(table)
    hidden = len(passport.claims) - len(shown)
    if hidden:
        out.print(f"[dim]{hidden} inferred or rejected claims not shown (--all shows them)[/]")


@passport_app.command("update")
@user_errors
def passport_update(
    employee: EmployeeArg,
    org: OrgOpt,
    name: Annotated[str | None, typer.Option("--name", help="New display name.")] = None,
    team: Annotated[str | None, typer.Option("--team", help="New team.")] = None,
    clear_name: Annotated[
        bool, typer.Option("--clear-name", help="Remove the display name.")
    ] = False,
    clear_team: Annotated[bool, typer.Option("--clear-team", help="Remove the team.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Correct an employee's display name or team (rectification); the external id stays."""
    from matcher.store.passports import KEEP

    if (name is not None and clear_name) or (team is not None and clear_team):
        raise ValueError("give a new value or --clear-…, not both")
    if name is None and team is None and not clear_name and not clear_team:
        raise ValueError("nothing to change: give --name, --team, --clear-name or --clear-team")
    flow = workflow()
    try:
        person = flow.passports.update_employee(
            org,
            employee,
            display_name=None if clear_name else KEEP if name is None else name,
            team=None if clear_team else KEEP if team is None else team,
        )
    finally:
        flow.close()
    if as_json:
        _print_json(asdict(person))
        return
    out.print(
        f"{person.external_id}: name {person.display_name or '-'}, team {person.team or '-'}",
        highlight=False,
    )


SKILL_ACTIONS = {
    "add": "added (confirmed)",
    "confirm": "confirmed",
    "reject": "rejected",
    "reset": "set back to suggested",
}


@passport_app.command("skill")
@user_errors
def passport_skill(
    employee: EmployeeArg,
    skill: Annotated[
        str,
        typer.Argument(
            help="An ESCO skill URI, or a skill label in full (Dutch or English; a preferred "
            "label wins over an alternative one)."
        ),
    ],
    org: OrgOpt,
    action: Annotated[
        str,
        typer.Option("--action", "-a", help="add (by hand, confirmed), confirm, reject or reset."),
    ] = "confirm",
    as_json: JsonOpt = False,
) -> None:
    """Confirm, reject or reset one skill of a passport, or add one by hand."""
    if action not in SKILL_ACTIONS:
        raise ValueError(f"--action must be one of {', '.join(SKILL_ACTIONS)}, not {action!r}")
    concept = engine().taxonomy.resolve(skill, "skill")
    if concept is None:
        raise ValueError(
            f"no ESCO skill has the URI or label {skill!r}: find it with "
            f"`vaardig taxonomy search {skill!r}`"
        )
    flow = workflow()
    try:
        person = flow.passports.get_employee(org, employee)
        if action == "add":
            claim = flow.passports.add_manual_claim(
                org, person.id, concept.uri, concept.label, "cli"
            )
        else:
            status = {"confirm": "confirmed", "reject": "rejected", "reset": "suggested"}[action]
            try:
                claim = flow.passports.set_claim_status(org, person.id, concept.uri, status, "cli")
            except NotFound as exc:
                if exc.kind != "claim":
                    raise
                raise ValueError(
                    f"{employee}'s passport does not hold {concept.label!r}: add it with "
                    "--action add"
                ) from None
    finally:
        flow.close()
    if as_json:
        _print_json(asdict(claim))
        return
    out.print(f"{employee}: {claim.label} {SKILL_ACTIONS[action]}", highlight=False)


@passport_app.command("erase")
@user_errors
def passport_erase(
    employee: EmployeeArg,
    org: OrgOpt,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Right to erasure: delete the employee, passport, documents and history."""
    if not yes:
        typer.confirm(f"Erase employee {employee} of organisation {org}?", abort=True)
    flow = workflow()
    try:
        report = flow.erase_employee(org, employee, actor="cli")
    finally:
        flow.close()
    out.print(
        f"Erased {employee}: {len(report.claim_ids)} claims, {len(report.document_ids)} "
        f"documents, {report.evidence_count} evidence rows, {report.event_count} history events, "
        f"{report.learning_step_count} learning-plan steps",
        highlight=False,
    )


# --- role --------------------------------------------------------------------------------------


@role_app.command("add")
@user_errors
def role_add(
    file: Annotated[
        Path,
        typer.Argument(
            help="A vacancy (PDF, DOCX, HTML, text) or a role file (YAML, JSON, CSV; see samples/)."
        ),
    ],
    org: OrgOpt,
) -> None:
    """Store a vacancy or the roles of a role file as open roles of the organisation."""
    flow = workflow()
    try:
        roles = flow.add_roles(org, file)
    finally:
        flow.close()
    for role in roles:
        out.print(
            f"Role {role.id} ({role.kind}): {role.title}, {len(role.skills)} skills",
            highlight=False,
        )


@role_app.command("list")
@user_errors
def role_list(org: OrgOpt, as_json: JsonOpt = False) -> None:
    """The organisation's roles."""
    flow = workflow()
    try:
        roles = flow.roles.list_roles(org, limit=1000)
    finally:
        flow.close()
    if as_json:
        _print_json([asdict(r) for r in roles])
        return
    table = Table(title=f"Roles of organisation {org}", title_justify="left")
    for column in ("id", "kind", "status", "title", "skills"):
        table.add_column(column)
    for r in roles:
        table.add_row(str(r.id), r.kind, r.status, r.title, str(len(r.skills)))
    out.print(table)


# --- match -------------------------------------------------------------------------------------


@match_app.command("employee")
@user_errors
def match_employee(
    employee: EmployeeArg,
    org: OrgOpt,
    top: TopOpt = 10,
    no_esco: Annotated[
        bool, typer.Option("--no-esco", help="Only the organisation's own roles.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """The roles that fit an employee best: ESCO occupations and the organisation's roles."""
    flow = workflow()
    try:
        matches = flow.match_employee(org, employee, top, esco=not no_esco)
    finally:
        flow.close()
    if as_json:
        _print_json([m.to_dict() for m in matches])
        return
    table = _match_table(f"Roles for {employee}", "role")
    for n, m in enumerate(matches, 1):
        _add_row(table, n, f"{m.role.title} [dim]({_kind(m.role.kind)})[/]", m)
    out.print(table)
    out.print(f"[dim]{flow.engine.taxonomy.attribution}[/]")


@match_app.command("vacancy")
@user_errors
def match_vacancy(
    vacancy_file: Annotated[Path, typer.Argument(help="A vacancy: PDF, DOCX, HTML or text.")],
    org: OrgOpt,
    top: TopOpt = 10,
    as_json: JsonOpt = False,
) -> None:
    """The organisation's own people for a vacancy, best first, with why."""
    flow = workflow()
    try:
        role = flow.read_vacancy(vacancy_file)
        matches = flow.match_vacancy(org, role, top)
    finally:
        flow.close()
    if as_json:
        _print_json(
            {
                "vacancy": {**role.to_dict(), "skills": [asdict(s) for s in role.skills]},
                "candidates": [m.to_dict() for m in matches],
            }
        )
        return
    out.print(f"[bold]{role.title}[/]: {len(role)} skills", highlight=False)
    table = _match_table("Internal candidates", "employee")
    for n, m in enumerate(matches, 1):
        _add_row(table, n, m.external_id, m)
    out.print(table)
    out.print(f"[dim]{flow.engine.taxonomy.attribution}[/]")


@match_app.command("role")
@user_errors
def match_role(role: RoleArg, org: OrgOpt, top: TopOpt = 10, as_json: JsonOpt = False) -> None:
    """A role across the workforce: who is ready, near or far, and who has each skill."""
    flow = workflow()
    try:
        coverage = flow.match_role(org, role)
    finally:
        flow.close()
    if as_json:
        _print_json(coverage.to_dict(max_people=top))
        return
    out.print(
        f"[bold]{coverage.role.title}[/]: {coverage.count('ready')} ready, "
        f"{coverage.count('near')} near, {coverage.count('far')} far "
        f"of {len(coverage.people)} people",
        highlight=False,
    )
    people = Table(title="Best placed", title_justify="left")
    for column in ("employee", "score", "band", "essential missing"):
        people.add_column(column)
    for p in coverage.people[:top]:
        people.add_row(p.external_id, f"{p.score:.1f}", p.band, str(p.missing_essential))
    out.print(people)
    skills = Table(title="Skills in the workforce", title_justify="left")
    for column in ("skill", "essential", "holders", "near", "share"):
        skills.add_column(column)
    for s in coverage.skills:
        skills.add_row(
            s.label,
            "yes" if s.essential else "",
            str(s.holders),
            str(s.near_holders),
            f"{s.share:.0%}",
        )
    out.print(skills)


# --- path and gap report -----------------------------------------------------------------------


@app.command("path")
@user_errors
def path_cmd(employee: EmployeeArg, role: RoleArg, org: OrgOpt, as_json: JsonOpt = False) -> None:
    """A reskilling path from an employee to a role: steps, effort, 70-20-10 learning modes."""
    flow = workflow()
    try:
        path = flow.reskilling_path(org, employee, role)
    finally:
        flow.close()
    if as_json:
        _print_json(path.to_dict())
        return
    out.print(f"[bold]{employee} → {path.role_title}[/]", highlight=False)
    print_path(out, path)


@app.command("gap-report")
@user_errors
def gap_report_cmd(
    roles_file: Annotated[Path, typer.Argument(help="Future roles: YAML, JSON or CSV.")],
    org: OrgOpt,
    output: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Write .md (plus an .svg chart), .html or .json."),
    ] = None,
    scenario_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--scenario",
            help="Scenario file (YAML/JSON; repeatable): compare the report per scenario.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Workforce gap report for future roles: readiness, scarce skills, shortest paths.

    Prints Markdown unless --out or --json is given. With --scenario the report is also run
    with each scenario's weights on the roles, and a comparison is printed (tables) or added
    to the output.
    """
    scenarios = _load_scenarios(scenario_files or [])
    suffix = output.suffix.lower() if output is not None else None
    if suffix not in (None, ".md", ".html", ".json"):
        raise ValueError(f"--out must end in .md, .html or .json, not {output.name!r}")
    flow = workflow()
    try:
        if scenarios:
            comparison = flow.gap_scenarios(org, roles_file, scenarios)
            report = comparison.baseline.report
        else:
            comparison, report = None, flow.gap_report(org, roles_file)
    finally:
        flow.close()
    payload = comparison.to_dict() if comparison is not None else report.to_dict()
    if as_json:
        _print_json(payload)
        return
    if output is None:
        if comparison is None:
            print(render_markdown(report))
        else:
            _print_comparison(comparison)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        output.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n")
    elif suffix == ".html":
        output.write_text(render_html(report, comparison), encoding="utf-8")
    else:
        chart = output.with_suffix(".svg")
        chart.write_text(readiness_chart(report), encoding="utf-8")
        text = render_markdown(report, chart_href=chart.name, comparison=comparison)
        output.write_text(text, encoding="utf-8")
    out.print(f"Wrote {output}", highlight=False)


def _load_scenarios(paths: list[Path]) -> list:
    """Scenario files, checked against the taxonomy before any report is computed."""
    if not paths:
        return []
    from matcher.trends.scenarios import load_scenario

    taxonomy = engine().taxonomy
    return [load_scenario(path).resolve(taxonomy) for path in paths]


def _print_comparison(comparison) -> None:
    """The scenario comparison as tables: readiness per role, scarce skills, changes."""
    base = comparison.baseline
    table = Table(
        title=f"Gap report per scenario ({comparison.headcount} people): "
        "ready / near / far · best candidate (score, change against the basis)",
        title_justify="left",
    )
    table.add_column("role", overflow="fold")
    for outcome in comparison.outcomes:
        table.add_column(outcome.name, overflow="fold")
    for i, title in enumerate(comparison.role_titles):
        cells = []
        for outcome in comparison.outcomes:
            role, before = outcome.roles[i], base.roles[i]
            if role.dropped:
                cells.append("dropped")
                continue
            cell = f"{role.ready} / {role.near} / {role.far}"
            if role.best_score is not None:
                cell += f"\n{role.best_external_id} {role.best_score:.1f}"
                if outcome is not base and before.best_score is not None:
                    cell += f" ({role.best_score - before.best_score:+.1f})"
            cells.append(cell)
        table.add_row(title, *cells)
    out.print(table)
    scarce = Table(title="Scarce skills per scenario", title_justify="left")
    for column in ("scenario", "scarce", "newly scarce", "no longer scarce"):
        scarce.add_column(column, overflow="fold")
    for outcome in comparison.outcomes:
        scarce.add_row(
            outcome.name,
            str(len(outcome.scarce)),
            ", ".join(s.label for s in outcome.newly_scarce) or "-",
            ", ".join(s.label for s in outcome.no_longer_scarce) or "-",
        )
    out.print(scarce)
    for outcome in comparison.outcomes[1:]:
        changes = Table(title=f"What {outcome.name} changes", title_justify="left")
        for column in ("role", "skill", "weight basis", "weight scenario"):
            changes.add_column(column, overflow="fold")
        for role in outcome.roles:
            for c in role.changes:
                changes.add_row(
                    role.title,
                    c.label,
                    "-" if c.before is None else f"{c.before:g}",
                    "-" if c.after is None else f"{c.after:g}",
                )
        out.print(changes)
    out.print(f"[dim]{comparison.attribution}[/]")


# --- helpers -----------------------------------------------------------------------------------


def _match_table(title: str, first: str) -> Table:
    table = Table(title=title, title_justify="left")
    for column in ("#", first, "score", "matched", "near", "missing (essential first)"):
        table.add_column(column, overflow="fold")
    return table


def _add_row(table: Table, n: int, name: str, match: CandidateMatch | RoleMatch) -> None:
    e = match.explanation
    missing = "; ".join(s.label + ("" if s.essential else " (opt.)") for s in e.missing[:4])
    table.add_row(
        str(n),
        name,
        f"{match.score:.1f}",
        ", ".join(s.label for s in e.matched[:4])
        + (f" +{len(e.matched) - 4}" if len(e.matched) > 4 else ""),
        "; ".join(f"{s.label} ≈ {s.held_label}" for s in e.near[:2]),
        missing or "-",
    )


def _kind(kind: str) -> str:
    return {"esco_occupation": "ESCO", "vacancy": "vacancy", "future_role": "future role"}.get(
        kind, kind
    )
