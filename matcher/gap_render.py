"""The gap report as Markdown, HTML and an SVG bar chart (no plotting library needed).

svg = readiness_chart(report)                      # stacked bars ready / near / far
markdown = render_markdown(report, chart_href="gap-report.svg")
html = render_html(report)                         # one self-contained file, chart inline
html = render_html(report, comparison)             # plus the scenario comparison
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from matcher.coverage import NEAR_SCORE, READY_SCORE
from matcher.gap import SCARCE_MIN_HOLDERS, SCARCE_SHARE, GapReport
from matcher.paths import HOURS_PER_WEEK

if TYPE_CHECKING:  # the comparison pulls in matcher.trends: imported only where it is used
    from matcher.gap_scenarios import RoleOutcome, ScenarioComparison

COLOURS = {"ready": "#2e7d32", "near": "#f9a825", "far": "#bdbdbd"}
_LABEL_WIDTH, _BAR_WIDTH, _ROW, _TOP = 260, 400, 30, 40


def readiness_chart(report: GapReport) -> str:
    """An SVG with one stacked bar per role: how many people are ready, near and far."""
    height = _TOP + _ROW * len(report.roles) + 40
    width = _LABEL_WIDTH + _BAR_WIDTH + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f"<title>Readiness per role ({report.headcount} people)</title>",
        f'<text x="0" y="16" font-size="14" font-weight="bold">Readiness per role '
        f"({report.headcount} people)</text>",
    ]
    total = max(report.headcount, 1)
    for i, gap in enumerate(report.roles):
        y = _TOP + i * _ROW
        title = gap.role.title if len(gap.role.title) <= 38 else gap.role.title[:37] + "…"
        parts.append(
            f'<text x="{_LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(title)}</text>'
        )
        x = float(_LABEL_WIDTH)
        for band in ("ready", "near", "far"):
            count = gap.coverage.count(band)
            w = _BAR_WIDTH * count / total
            if count:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="20" '
                    f'fill="{COLOURS[band]}"><title>{band}: {count}</title></rect>'
                )
                if w >= 18:
                    parts.append(
                        f'<text x="{x + w / 2:.1f}" y="{y + 14}" text-anchor="middle" '
                        f'fill="{"#000" if band != "ready" else "#fff"}">{count}</text>'
                    )
            x += w
    legend_y = _TOP + _ROW * len(report.roles) + 12
    for k, band in enumerate(("ready", "near", "far")):
        x = _LABEL_WIDTH + k * 110
        parts.append(
            f'<rect x="{x}" y="{legend_y}" width="12" height="12" fill="{COLOURS[band]}"/>'
        )
        parts.append(f'<text x="{x + 18}" y="{legend_y + 11}">{band}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def render_markdown(
    report: GapReport,
    chart_href: str | None = None,
    comparison: ScenarioComparison | None = None,
) -> str:
    """The report in Markdown; ``chart_href`` links the SVG chart (written next to it);
    ``comparison`` adds a section comparing scenarios (:func:`comparison_markdown`)."""
    lines = [
        "# Workforce gap report",
        "",
        f"{_scope(report)} · {report.headcount} people · "
        f"generated {report.generated_at:%Y-%m-%d %H:%M} UTC",
        "",
    ]
    if chart_href:
        lines += [f"![Readiness per role]({chart_href})", ""]
    lines += ["## Readiness per role", "", "| role | ready | near | far |", "|---|--:|--:|--:|"]
    for gap in report.roles:
        c = gap.coverage
        lines.append(
            f"| {_md(gap.role.title)} | {c.count('ready')} | {c.count('near')} | {c.count('far')} |"
        )
    lines += ["", _bands_note(), "", "## Scarce skills", ""]
    if report.scarce:
        lines += [
            "| skill | needed by | essential for | holders | near | share |",
            "|---|---|--:|--:|--:|--:|",
        ]
        for s in report.scarce:
            lines.append(
                f"| {_md(s.label)} | {_md(', '.join(s.needed_by))} | {s.essential_for} "
                f"| {s.holders} | {s.near_holders} | {s.share:.0%} |"
            )
    else:
        lines.append("No scarce skills: every needed skill is held widely enough.")
    lines += ["", _scarce_note(), "", "## Shortest paths", ""]
    for gap in report.roles:
        lines += [f"### {_md(gap.role.title)}", ""]
        if not gap.shortest:
            lines += ["Everyone is ready, or nobody has a passport yet.", ""]
            continue
        lines += [
            "| employee | score now | band | hours | steps | first steps |",
            "|---|--:|---|--:|--:|---|",
        ]
        for p in gap.shortest:
            lines.append(
                f"| {_md(p.external_id)} | {p.score:.1f} | {p.band} | {p.hours} | "
                f"{p.steps} | {_md('; '.join(p.first_steps))} |"
            )
        lines.append("")
    if comparison is not None:
        lines += [comparison_markdown(comparison), ""]
    lines += [
        f"Hours are estimates (see docs/matching.md); {HOURS_PER_WEEK} hours a week of "
        "learning time next to the job.",
        "",
        f"_{_md(report.attribution)}_",
        "",
    ]
    return "\n".join(lines)


def render_html(report: GapReport, comparison: ScenarioComparison | None = None) -> str:
    """The report as one self-contained HTML page with the chart inline; ``comparison`` adds
    a section comparing scenarios (:func:`comparison_html`)."""
    rows = "".join(
        f"<tr><td>{escape(g.role.title)}</td><td>{g.coverage.count('ready')}</td>"
        f"<td>{g.coverage.count('near')}</td><td>{g.coverage.count('far')}</td></tr>"
        for g in report.roles
    )
    scarce = (
        "".join(
            f"<tr><td>{escape(s.label)}</td><td>{escape(', '.join(s.needed_by))}</td>"
            f"<td>{s.essential_for}</td><td>{s.holders}</td><td>{s.near_holders}</td>"
            f"<td>{s.share:.0%}</td></tr>"
            for s in report.scarce
        )
        or '<tr><td colspan="6">No scarce skills.</td></tr>'
    )
    paths = []
    for gap in report.roles:
        body = (
            "".join(
                f"<tr><td>{escape(p.external_id)}</td><td>{p.score:.1f}</td><td>{p.band}</td>"
                f"<td>{p.hours}</td><td>{p.steps}</td>"
                f"<td>{escape('; '.join(p.first_steps))}</td></tr>"
                for p in gap.shortest
            )
            or '<tr><td colspan="6">Everyone is ready, or nobody has a passport yet.</td></tr>'
        )
        paths.append(
            f"<h3>{escape(gap.role.title)}</h3><table><tr><th>employee</th><th>score now</th>"
            f"<th>band</th><th>hours</th><th>steps</th><th>first steps</th></tr>{body}</table>"
        )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Workforce gap report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse;margin:.5em 0 1em}}td,th{{border:1px solid #ccc;padding:.25em .6em;
text-align:left}}small{{color:#555}}</style></head><body>
<h1>Workforce gap report</h1>
<p>{escape(_scope(report))} · {report.headcount} people · generated
{report.generated_at:%Y-%m-%d %H:%M} UTC</p>
{readiness_chart(report)}
<h2>Readiness per role</h2>
<table><tr><th>role</th><th>ready</th><th>near</th><th>far</th></tr>{rows}</table>
<p><small>{escape(_bands_note())}</small></p>
<h2>Scarce skills</h2>
<table><tr><th>skill</th><th>needed by</th><th>essential for</th><th>holders</th><th>near</th>
<th>share</th></tr>{scarce}</table>
<p><small>{escape(_scarce_note())}</small></p>
<h2>Shortest paths</h2>
{"".join(paths)}
{comparison_html(comparison) if comparison is not None else ""}
<p><small>Hours are estimates; {HOURS_PER_WEEK} hours a week of learning time next to the
job. {escape(report.attribution)}</small></p>
</body></html>
"""


def comparison_markdown(comparison: ScenarioComparison) -> str:
    """The scenario comparison as a Markdown section: readiness and best candidate per role and
    scenario, scarce skills per scenario, and what each scenario changes."""
    base = comparison.baseline
    names = [o.name for o in comparison.outcomes]
    lines = [
        "## Scenarios",
        "",
        f"The same {comparison.headcount} people against the roles as they are "
        f"({base.name}) and as each scenario reweights them. Per role: ready / near / far, "
        "then the best internal candidate's score (change against the basis).",
        "",
        "| role | " + " | ".join(_md(n) for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for i, title in enumerate(comparison.role_titles):
        cells = [_md(_role_cell(o.roles[i], base.roles[i], o is base)) for o in comparison.outcomes]
        lines.append(f"| {_md(title)} | " + " | ".join(cells) + " |")
    lines += ["", "### Scarce skills per scenario", ""]
    lines += ["| scenario | scarce | newly scarce | no longer scarce |", "|---|--:|---|---|"]
    for o in comparison.outcomes:
        lines.append(
            f"| {_md(o.name)} | {len(o.scarce)} | "
            f"{_md(', '.join(s.label for s in o.newly_scarce)) or '-'} | "
            f"{_md(', '.join(s.label for s in o.no_longer_scarce)) or '-'} |"
        )
    for o in comparison.outcomes[1:]:
        lines += ["", f"### What {_md(o.name)} changes", ""]
        if o.description:
            lines += [_md(o.description), ""]
        changed = [r for r in o.roles if r.changes or r.dropped]
        if not changed:
            lines.append("No skill of these roles is weighted differently.")
        for r in changed:
            lines.append(f"- **{_md(r.title)}**: {_md(_changes_text(r))}")
    return "\n".join(lines)


def comparison_html(comparison: ScenarioComparison) -> str:
    """The scenario comparison as an HTML section (see :func:`comparison_markdown`)."""
    base = comparison.baseline
    head = "".join(f"<th>{escape(o.name)}</th>" for o in comparison.outcomes)
    rows = "".join(
        f"<tr><td>{escape(title)}</td>"
        + "".join(
            f"<td>{escape(_role_cell(o.roles[i], base.roles[i], o is base))}</td>"
            for o in comparison.outcomes
        )
        + "</tr>"
        for i, title in enumerate(comparison.role_titles)
    )
    scarce = "".join(
        f"<tr><td>{escape(o.name)}</td><td>{len(o.scarce)}</td>"
        f"<td>{escape(', '.join(s.label for s in o.newly_scarce)) or '-'}</td>"
        f"<td>{escape(', '.join(s.label for s in o.no_longer_scarce)) or '-'}</td></tr>"
        for o in comparison.outcomes
    )
    changes = []
    for o in comparison.outcomes[1:]:
        items = "".join(
            f"<li><strong>{escape(r.title)}</strong>: {escape(_changes_text(r))}</li>"
            for r in o.roles
            if r.changes or r.dropped
        )
        description = f"<p>{escape(o.description)}</p>" if o.description else ""
        changes.append(
            f"<h3>What {escape(o.name)} changes</h3>{description}"
            f"<ul>{items or '<li>No skill of these roles is weighted differently.</li>'}</ul>"
        )
    return (
        f"<h2>Scenarios</h2><p>The same {comparison.headcount} people against the roles as they "
        f"are ({escape(base.name)}) and as each scenario reweights them. Per role: ready / near "
        "/ far, then the best internal candidate's score (change against the basis).</p>"
        f"<table><tr><th>role</th>{head}</tr>{rows}</table>"
        "<h3>Scarce skills per scenario</h3><table><tr><th>scenario</th><th>scarce</th>"
        f"<th>newly scarce</th><th>no longer scarce</th></tr>{scarce}</table>" + "".join(changes)
    )


def _role_cell(outcome: RoleOutcome, base: RoleOutcome, is_base: bool) -> str:
    """ "1 / 2 / 1 · emp-7 72.3 (-4.1)": bands and the best candidate, change against basis."""
    if outcome.dropped:
        return "dropped (no skill left)"
    cell = f"{outcome.ready} / {outcome.near} / {outcome.far}"
    if outcome.best_score is None:
        return cell
    cell += f" · {outcome.best_external_id} {outcome.best_score:.1f}"
    if not is_base and base.best_score is not None:
        cell += f" ({outcome.best_score - base.best_score:+.1f})"
    return cell


def _changes_text(outcome: RoleOutcome) -> str:
    if outcome.dropped:
        return "every skill removed: the role drops out"
    parts = []
    for c in outcome.changes:
        if c.before is None:
            parts.append(f"+ {c.label} (weight {c.after:g})")
        elif c.after is None:
            parts.append(f"- {c.label}")
        else:
            parts.append(f"{c.label} {c.before:g} → {c.after:g}")
    return "; ".join(parts)


def _scope(report: GapReport) -> str:
    return f"Organisation {report.organisation_id}" if report.organisation_id else "Workforce"


def _bands_note() -> str:
    return (
        f"Ready: score ≥ {READY_SCORE:.0f} and no essential skill missing; near: score ≥ "
        f"{NEAR_SCORE:.0f}; far: the rest."
    )


def _scarce_note() -> str:
    return (
        f"Scarce: held by at most {SCARCE_SHARE:.0%} of the workforce, or by fewer than "
        f"{SCARCE_MIN_HOLDERS} people."
    )


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
