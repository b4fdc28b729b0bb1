"""The T as a picture, and a team's coverage, as PNG or SVG (matplotlib, no display needed).

    tshape_svg(profile)                          # SVG text for the web page
    save_chart(tshape_figure(profile), "t.png")  # a file; .png or .svg by suffix
    save_chart(coverage_figure(team), "team.svg")

In the T chart every area is a bar hanging from the crossbar, its height the number of
confirmed skills; the deepest area is in the middle and the others step outwards, so a
T-shaped profile looks like a T, an I-shaped one like an I. The dashed line is the depth
threshold (``DEEP_MIN_SKILLS``). Like ``matcher.trends.charts``, SVG output is deterministic
(fixed ids, no date), so a chart in the docs only changes when its data does.
"""

from __future__ import annotations

import io
import os
import textwrap
from contextlib import contextmanager
from html import escape
from pathlib import Path

from matcher.development.tshape import (
    DEEP_MIN_SKILLS,
    TeamCoverage,
    TShapeProfile,
)

FORMATS = ("png", "svg")
MAX_BARS = 16
LABEL_CHARS = 36
WRAP_CHARS = 34
_DEEP, _HELD, _THEME_ON, _THEME_OFF = "#1b5e7f", "#8fb8cc", "#1b7f5b", "#c8c8c8"
_STATUS_COLOURS = {"nobody": "#b3403a", "one": "#e08a1e", "several": "#1b7f5b"}
_RC = {"svg.hashsalt": "vaardig", "svg.fonttype": "none", "font.size": 9}


@contextmanager
def _style():
    import matplotlib

    with matplotlib.rc_context(_RC):
        yield


def _figure(width: float, height: float):
    from matplotlib.figure import Figure  # no pyplot: no global figure state, no display

    return Figure(figsize=(width, height), layout="constrained")


def tshape_figure(profile: TShapeProfile):
    """A figure of one person's T (see the module doc)."""
    with _style():
        areas = list(profile.areas[:MAX_BARS])
        order = _centre_out(len(areas))
        width = max(7.0, 0.55 * len(areas) + 2.5)
        fig = _figure(width, 5.2)
        ax = fig.add_subplot()
        heights = [a.count for a in areas]
        xs = [order[i] for i in range(len(areas))]
        colours = [_DEEP if a.deep else _HELD for a in areas]
        ax.bar(xs, [-h for h in heights], color=colours, width=0.8, edgecolor="white")
        for x, area in zip(xs, areas, strict=True):
            ax.text(x, -area.count - 0.25, str(area.count), ha="center", va="top")
        top = max([*heights, DEEP_MIN_SKILLS]) + 1.5
        ax.axhline(-DEEP_MIN_SKILLS, color="#555555", linestyle="--", linewidth=0.8)
        ax.text(
            len(areas) - 0.4 if areas else 0.6,
            -DEEP_MIN_SKILLS + 0.15,
            f"diepte vanaf {DEEP_MIN_SKILLS}",
            ha="right",
            va="bottom",
            color="#555555",
        )
        ax.axhline(0, color="#222222", linewidth=2.5)
        ax.set_ylim(-top, 1.8)
        ax.set_xlim(-0.7, max(len(areas), 1) - 0.3)
        ax.set_xticks(xs, [_short(a.display) for a in areas], rotation=40, ha="right")
        ticks = range(0, int(top) + 1, max(1, int(top) // 6))
        ax.set_yticks([-t for t in ticks], [str(t) for t in ticks])
        ax.set_ylabel("bevestigde vaardigheden per gebied")
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        for i, theme in enumerate(profile.themes):
            ax.text(
                (i + 0.5) / len(profile.themes),
                0.97,
                ("● " if theme.covered else "○ ") + theme.key.replace("_", " "),
                transform=ax.transAxes,
                ha="center",
                va="top",
                color=_THEME_ON if theme.covered else _THEME_OFF,
            )
        depth = profile.depth
        summary = "nog geen bevestigde vaardigheden in een gebied"
        if depth:
            level = f"{depth.mean_level:.1f}".replace(".", ",")  # a Dutch decimal comma
            summary = (
                f"diepte: {_short(depth.display, 48)} ({depth.count} vaardigheden, niveau {level})"
            )
        fig.suptitle(
            f"{profile.external_id}: {profile.shape_label}\n{summary}\nbreedte: "
            f"{profile.breadth} gebieden, {profile.themes_covered}/{len(profile.themes)} "
            "transversale thema's",
            x=0.01,
            ha="left",
            fontsize=10,
        )
        if len(profile.areas) > MAX_BARS:
            ax.text(
                1.0,
                -0.02,
                f"+{len(profile.areas) - MAX_BARS} gebieden met minder vaardigheden",
                transform=ax.transAxes,
                ha="right",
                va="top",
                color="#555555",
            )
        return fig


def coverage_figure(coverage: TeamCoverage):
    """Per area: how many people in the team hold it, coloured nobody / one / several, on an
    axis of whole people from 0, with a legend. Long area names wrap at a word boundary (two
    lines at most, then "…"); the full name is the label's ``gid`` (``coverage-label-i``), so
    ``coverage_svg`` can add it as a tooltip."""
    with _style():
        from matplotlib.patches import Patch
        from matplotlib.ticker import MaxNLocator

        areas = list(coverage.areas[: MAX_BARS * 2])
        labels = [_wrap(a.display) + (" *" if a.needed > 0 else "") for a in areas]
        lines = sum(label.count("\n") + 1 for label in labels)
        fig = _figure(8.0, max(2.8, 0.2 * lines + 0.1 * len(areas) + 1.8))
        ax = fig.add_subplot()
        ys = list(range(len(areas)))[::-1]
        counts = [len(a.holders) for a in areas]
        top = max([*counts, 1])
        colours = [_STATUS_COLOURS[a.status] for a in areas]
        # an area nobody holds gets a thin stub (2% of the axis), so it is visible
        ax.barh(ys, [max(c, 0.02 * top) for c in counts], color=colours, height=0.7)
        ax.set_yticks(ys, labels)
        for i, tick in enumerate(ax.get_yticklabels()):  # in the order of `areas`
            tick.set_gid(f"coverage-label-{i}")
        ax.set_xlim(0, top + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        ax.set_xlabel("medewerkers met ten minste één bevestigde vaardigheid in het gebied")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        name = f"team {coverage.team}" if coverage.team else "het hele bedrijf"
        fig.suptitle(
            f"Dekking van {name} ({len(coverage.members)} medewerkers)",
            x=0.01,
            ha="left",
            fontsize=10,
        )
        handles = [
            Patch(color=_STATUS_COLOURS[status], label=label)
            for status, label in (
                ("nobody", "niemand"),
                ("one", "één persoon (continuïteitsrisico)"),
                ("several", "meerdere"),
            )
        ]
        if any(a.needed > 0 for a in areas):
            handles.append(Patch(color="none", label="* gevraagd door vacatures en rollen"))
        fig.legend(
            handles=handles,
            loc="outside lower left",
            ncols=2,
            frameon=False,
            handlelength=1.2,
        )
        return fig


def save_chart(fig, path: str | os.PathLike[str]) -> Path:
    """Write a figure as .png or .svg (by suffix). Raises ``ValueError`` for another suffix."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ValueError(f"{path}: charts are written as .png or .svg, not .{suffix or '?'}")
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Date": None} if suffix == "svg" else {"Software": None}
    with _style():
        fig.savefig(path, dpi=120, metadata=metadata)
    return path


def chart_svg(fig) -> str:
    """A figure as SVG text (deterministic), to embed in a web page."""
    buffer = io.StringIO()
    with _style():
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg") :]  # drop the XML prologue and doctype: inline in HTML


def tshape_svg(profile: TShapeProfile) -> str:
    return chart_svg(tshape_figure(profile))


def coverage_svg(coverage: TeamCoverage) -> str:
    """The coverage chart as SVG, each area label with its full name as a ``<title>`` tooltip."""
    text = chart_svg(coverage_figure(coverage))
    for i, area in enumerate(coverage.areas[: MAX_BARS * 2]):
        anchor = f'<g id="coverage-label-{i}">'
        text = text.replace(anchor, f"{anchor}<title>{escape(area.display)}</title>", 1)
    return text


def _centre_out(n: int) -> list[int]:
    """x positions for bars 0..n-1 (strongest first): the strongest in the middle, then
    alternately right and left of it."""
    middle = (n - 1) // 2
    positions = [middle]
    for i in range(1, n):
        offset = (i + 1) // 2
        positions.append(middle + offset if i % 2 else middle - offset)
    return positions


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` cut to ``limit`` characters between words, ending in "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return cut.rstrip(" ,;:-") + "…"


def _wrap(text: str, width: int = WRAP_CHARS, lines: int = 2) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters, broken between words;
    what does not fit is cut at a word boundary and ends in "…"."""
    wrapped = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        last = wrapped[-1]
        if len(last) > width - 2:
            last = last.rsplit(" ", 1)[0] if " " in last else last[: width - 2]
        wrapped[-1] = last.rstrip(" ,;:-") + " …"
    return "\n".join(wrapped)
