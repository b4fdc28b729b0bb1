"""Learning KPIs over a period, computed from the database alone (``LearningStore.history``).

A **period** is a calendar year ("2026"), quarter ("2026Q1"), month ("2026-03") or date range
("2026-01-01..2026-06-30", both days included), in Dutch time (Europe/Amsterdam). Each KPI is
also computed for the period before it (the previous year, quarter, month, or the same number
of days), so a report shows the trend.

The KPIs (``headcount`` = employees added before the period's end):

- ``learners_share``: the share of the headcount with at least one *newly confirmed* skill in
  the period. A skill is newly confirmed when the first "confirmed" event of that
  (employee, skill) in the passport history falls in the period; confirming a skill again
  after it was set back does not count twice.
- ``new_skills_per_employee``: newly confirmed (employee, skill) pairs / headcount.
- ``steps_completed_share``: of the learning-plan steps due in the period (cancelled ones
  left out), the share marked done before the period's end.
- ``internal_fill_rate``: of the vacancies closed in the period as filled, the share filled
  internally ("filled_internal" / ("filled_internal" + "filled_external")).
- ``future_gaps_closed_share``: the skills of open future roles that nobody held confirmed at
  the start of the period (or when the role was added, if later), and the share of them that
  somebody holds confirmed at its end.

With ``team``, the people-based KPIs count that team only; vacancies and future roles belong
to the firm and stay firm-wide. The report also lists the skills most gained and the future-role
gaps closed. Erasing an employee removes their history, so KPIs of past periods can change
after an erasure (the right to erasure outranks an unchanged report).

**Targets** per KPI: a minimum (``value >= minimum``) and/or "rising" (``value > previous``).
``DEFAULT_TARGETS`` are the two examples of the SME guidance: 80% of staff learn at least one
new skill (per year), and the share of vacancies filled internally rises. Stored targets
(``LearningStore.set_target``) replace them per KPI; a targets file replaces those.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from matcher.store.models import KPI_KEYS
from matcher.store.records import KpiTarget, LearningHistory

LOCAL = ZoneInfo("Europe/Amsterdam")
TOP_SKILLS = 10
STATUS_ACTIONS = ("suggested", "confirmed", "rejected", "removed")

KPI_LABELS = {
    "learners_share": "medewerkers met een nieuw bevestigde vaardigheid",
    "new_skills_per_employee": "nieuw bevestigde vaardigheden per medewerker",
    "steps_completed_share": "afgeronde leerstappen (van de geplande)",
    "internal_fill_rate": "intern vervulde vacatures",
    "future_gaps_closed_share": "gedichte gaten voor toekomstige rollen",
}
KPI_UNITS = {
    "learners_share": "share",
    "new_skills_per_employee": "number",
    "steps_completed_share": "share",
    "internal_fill_rate": "share",
    "future_gaps_closed_share": "share",
}
DEFAULT_TARGETS = {
    "learners_share": KpiTarget("learners_share", minimum=0.8),
    "internal_fill_rate": KpiTarget("internal_fill_rate", must_rise=True),
}
STATUS_LABELS = {
    "on_track": "op koers",
    "off_track": "niet op koers",
    "no_target": "geen doel",
    "no_data": "geen gegevens",
}


# -- periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """``[start, end)`` as aware datetimes (local midnight), with the text it was parsed from."""

    label: str
    first_day: date
    end_day: date  # exclusive
    kind: str  # "year", "quarter", "month" or "range"

    @property
    def start(self) -> datetime:
        return _local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        return _local_midnight(self.end_day)

    @property
    def last_day(self) -> date:
        return self.end_day - timedelta(days=1)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def previous(self) -> Period:
        """The period just before: previous year, quarter or month; for a range, the same
        number of days ending where this one starts."""
        if self.kind == "year":
            return parse_period(str(self.first_day.year - 1))
        if self.kind == "quarter":
            q = (self.first_day.month - 1) // 3 + 1
            year, q = (self.first_day.year, q - 1) if q > 1 else (self.first_day.year - 1, 4)
            return parse_period(f"{year}Q{q}")
        if self.kind == "month":
            first = (self.first_day - timedelta(days=1)).replace(day=1)
            return parse_period(f"{first:%Y-%m}")
        first = self.first_day - (self.end_day - self.first_day)
        return parse_period(f"{first}..{self.first_day - timedelta(days=1)}")

    def to_dict(self) -> dict[str, str]:
        return {
            "label": self.label,
            "kind": self.kind,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


def parse_period(text: str) -> Period:
    """ "2026", "2026Q1", "2026-03" or "2026-01-01..2026-06-30" (last day included).

    Raises:
        ValueError: anything else, or a range that ends before it starts.
    """
    value = (text or "").strip()
    if m := _YEAR.match(value):
        year = int(m[1])
        return Period(value, date(year, 1, 1), date(year + 1, 1, 1), "year")
    if m := _QUARTER.match(value):
        year, q = int(m[1]), int(m[2])
        end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
        return Period(f"{year}Q{q}", date(year, 3 * q - 2, 1), end, "quarter")
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"period {text!r}: month must be 01–12")
        end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return Period(value, date(year, month, 1), end, "month")
    if m := _RANGE.match(value):
        try:
            first, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError as exc:
            raise ValueError(f"period {text!r}: {exc}") from None
        if last < first:
            raise ValueError(f"period {text!r} ends before it starts")
        return Period(f"{first}..{last}", first, last + timedelta(days=1), "range")
    raise ValueError(
        f"period {text!r} not understood: use a year (2026), a quarter (2026Q1), a month "
        "(2026-03) or a date range (2026-01-01..2026-06-30)"
    )


def _local_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=LOCAL).astimezone(UTC)


# -- targets -------------------------------------------------------------------------------


def parse_targets(data: Mapping[str, Any]) -> dict[str, KpiTarget]:
    """Targets from a mapping (a YAML/JSON file's content): ``kpi: 0.8``, ``kpi: rising`` (or
    "stijgend"), or ``kpi: {minimum: 0.5, rising: true}``.

    Raises ``ValueError`` naming the first bad entry.
    """
    from matcher.store.learning import validate_target

    if not isinstance(data, Mapping):
        raise ValueError("a targets file maps KPIs to targets, e.g. learners_share: 0.8")
    out = {}
    for kpi, value in data.items():
        if isinstance(value, str) and value.strip().lower() in ("rising", "stijgend"):
            target = KpiTarget(str(kpi), must_rise=True)
        elif isinstance(value, Mapping):
            unknown = set(value) - {"minimum", "rising"}
            if unknown:
                raise ValueError(f"target for {kpi}: unknown keys {sorted(unknown)}")
            target = KpiTarget(str(kpi), value.get("minimum"), bool(value.get("rising", False)))
        else:
            target = KpiTarget(str(kpi), value)  # type: ignore[arg-type]
        out[str(kpi)] = validate_target(target)
    return out


def effective_targets(*layers: Mapping[str, KpiTarget] | None) -> dict[str, KpiTarget]:
    """``DEFAULT_TARGETS`` overridden by each layer in turn (stored targets, then a file)."""
    merged = dict(DEFAULT_TARGETS)
    for layer in layers:
        merged.update(layer or {})
    return merged


# -- the report ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiValue:
    key: str
    value: float | None  # None: nothing to measure (no headcount, no vacancies closed, ...)
    numerator: float
    denominator: float
    previous: float | None
    target: KpiTarget | None

    @property
    def label(self) -> str:
        return KPI_LABELS[self.key]

    @property
    def unit(self) -> str:
        return KPI_UNITS[self.key]

    @property
    def trend(self) -> str | None:
        """ "up", "down", "flat", or None without both values."""
        if self.value is None or self.previous is None:
            return None
        if abs(self.value - self.previous) < 1e-9:
            return "flat"
        return "up" if self.value > self.previous else "down"

    @property
    def status(self) -> str:
        """ "on_track", "off_track", "no_target" or "no_data" (see the module doc)."""
        if self.target is None:
            return "no_target"
        if self.value is None:
            return "no_data"
        if self.target.minimum is not None and self.value < self.target.minimum - 1e-9:
            return "off_track"
        if self.target.must_rise:
            if self.previous is None:
                return "no_data"
            if self.value <= self.previous + 1e-9:
                return "off_track"
        return "on_track"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "value": _round(self.value),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "previous": _round(self.previous),
            "trend": self.trend,
            "target": (
                {"minimum": self.target.minimum, "rising": self.target.must_rise}
                if self.target
                else None
            ),
            "status": self.status,
            "status_label": STATUS_LABELS[self.status],
        }


@dataclass(frozen=True)
class GainedSkill:
    uri: str
    label: str
    employees: int  # how many people newly confirmed it in the period


@dataclass(frozen=True)
class ClosedGap:
    role: str
    uri: str
    label: str
    closed_on: date  # the first confirmation in the period that filled it


@dataclass(frozen=True)
class KpiReport:
    organisation_id: int
    period: Period
    previous_period: Period
    team: str | None
    headcount: int
    kpis: tuple[KpiValue, ...]
    top_skills: tuple[GainedSkill, ...]
    gaps_closed: tuple[ClosedGap, ...]
    partial: bool  # the period had not ended when the report was made
    generated_at: datetime = field(compare=False)

    def kpi(self, key: str) -> KpiValue:
        return next(k for k in self.kpis if k.key == key)

    def to_dict(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "period": self.period.to_dict(),
            "previous_period": self.previous_period.to_dict(),
            "team": self.team,
            "headcount": self.headcount,
            "partial": self.partial,
            "generated_at": self.generated_at.isoformat(),
            "kpis": [k.to_dict() for k in self.kpis],
            "top_skills": [
                {"uri": s.uri, "label": s.label, "employees": s.employees} for s in self.top_skills
            ],
            "gaps_closed": [
                {
                    "role": g.role,
                    "uri": g.uri,
                    "label": g.label,
                    "closed_on": g.closed_on.isoformat(),
                }
                for g in self.gaps_closed
            ],
        }


def learning_kpis(
    history: LearningHistory,
    period: Period | str,
    targets: Mapping[str, KpiTarget] | None = None,
    *,
    team: str | None = None,
    now: datetime | None = None,
) -> KpiReport:
    """The KPI report for ``period`` (and the trend against the one before).

    ``targets``: the full set to judge by (see ``effective_targets``); None means the defaults.
    """
    period = parse_period(period) if isinstance(period, str) else period
    previous = period.previous()
    targets = effective_targets() if targets is None else dict(targets)
    now = now or datetime.now(UTC)
    people = {e.id for e in history.employees if team is None or e.team == team}
    facts = _Facts(history, people)
    current, before = facts.values(period), facts.values(previous)
    kpis = tuple(
        KpiValue(
            key,
            current[key][0],
            current[key][1],
            current[key][2],
            before[key][0],
            targets.get(key),
        )
        for key in KPI_KEYS
    )
    gained = Counter(uri for (_emp, uri) in facts.new_in(period))
    labels = history.skill_labels
    top = sorted(gained.items(), key=lambda item: (-item[1], labels.get(item[0], item[0])))
    return KpiReport(
        organisation_id=history.organisation_id,
        period=period,
        previous_period=previous,
        team=team,
        headcount=facts.headcount(period),
        kpis=kpis,
        top_skills=tuple(
            GainedSkill(uri, labels.get(uri, uri), count) for uri, count in top[:TOP_SKILLS]
        ),
        gaps_closed=tuple(facts.gaps(period)[1]),
        partial=period.end > now,
        generated_at=now,
    )


def newly_confirmed(
    history: LearningHistory, period: Period | str, employee_id: int
) -> list[tuple[str, str, date]]:
    """One person's newly confirmed skills in the period (see ``learners_share``), as
    (skill URI, label, day), oldest first: the per-person view of the learning KPIs."""
    period = parse_period(period) if isinstance(period, str) else period
    facts = _Facts(history, {employee_id})
    labels = history.skill_labels
    found = [
        (uri, labels.get(uri, uri), facts.first_confirmed[(employee, uri)])
        for employee, uri in facts.new_in(period)
    ]
    found.sort(key=lambda item: (item[2], item[1]))
    return [(uri, label, at.astimezone(LOCAL).date()) for uri, label, at in found]


class _Facts:
    """The history folded into what the KPIs count, for any period."""

    def __init__(self, history: LearningHistory, people: set[int]) -> None:
        self.history = history
        self.people = people
        self.created = {e.id: e.created_at for e in history.employees if e.id in people}
        self.first_confirmed: dict[tuple[int, str], datetime] = {}
        self.timeline: dict[str, list[tuple[datetime, int, str]]] = defaultdict(list)
        for event in history.events:  # oldest first
            if event.action not in STATUS_ACTIONS:
                continue
            self.timeline[event.skill_uri].append((event.at, event.employee_id, event.action))
            if event.employee_id in people and event.action == "confirmed":
                self.first_confirmed.setdefault((event.employee_id, event.skill_uri), event.at)

    def headcount(self, period: Period) -> int:
        return sum(1 for at in self.created.values() if at < period.end)

    def new_in(self, period: Period) -> list[tuple[int, str]]:
        return [
            key
            for key, at in self.first_confirmed.items()
            if period.contains(at) and self.created[key[0]] < period.end
        ]

    def values(self, period: Period) -> dict[str, tuple[float | None, float, float]]:
        headcount = self.headcount(period)
        new = self.new_in(period)
        learners = len({employee for employee, _ in new})
        due = [
            s
            for s in self.history.steps
            if s.employee_id in self.people
            and s.status != "cancelled"
            and period.first_day <= s.due < period.end_day
        ]
        done = [s for s in due if s.status == "done" and s.done_at and s.done_at < period.end]
        filled = Counter(
            r.status
            for r in self.history.roles
            if r.kind == "vacancy"
            and r.status in ("filled_internal", "filled_external")
            and r.closed_at is not None
            and period.contains(r.closed_at)
        )
        internal, filled_total = filled["filled_internal"], filled.total()
        gaps, closed = self.gaps(period)
        return {
            "learners_share": _ratio(learners, headcount),
            "new_skills_per_employee": _ratio(len(new), headcount),
            "steps_completed_share": _ratio(len(done), len(due)),
            "internal_fill_rate": _ratio(internal, filled_total),
            "future_gaps_closed_share": _ratio(len(closed), gaps),
        }

    def held_by_someone(self, skill_uri: str, before: datetime) -> datetime | None:
        """When the skill was last confirmed by someone who still held it just before
        ``before``; None when nobody held it confirmed then."""
        state: dict[int, tuple[str, datetime]] = {}
        for at, employee, action in self.timeline.get(skill_uri, ()):
            if at >= before:
                break
            state[employee] = (action, at)
        held = [at for action, at in state.values() if action == "confirmed"]
        return max(held) if held else None

    def gaps(self, period: Period) -> tuple[int, list[ClosedGap]]:
        """(skills of open future roles nobody held at the start, those closed by the end)."""
        labels = self.history.skill_labels
        count, closed = 0, []
        for role in self.history.roles:
            if role.kind != "future_role" or role.created_at >= period.end:
                continue
            if role.closed_at is not None and role.closed_at < period.start:
                continue
            start = max(period.start, role.created_at)
            for need in role.skills:
                if self.held_by_someone(need.skill_uri, start) is not None:
                    continue
                count += 1
                filled = self._first_confirmed_between(need.skill_uri, start, period.end)
                if filled is not None and self.held_by_someone(need.skill_uri, period.end):
                    label = labels.get(need.skill_uri, need.skill_uri)
                    closed.append(
                        ClosedGap(
                            role.title, need.skill_uri, label, filled.astimezone(LOCAL).date()
                        )
                    )
        closed.sort(key=lambda g: (g.closed_on, g.role, g.label))
        return count, closed

    def _first_confirmed_between(
        self, skill_uri: str, start: datetime, end: datetime
    ) -> datetime | None:
        return next(
            (
                at
                for at, _employee, action in self.timeline.get(skill_uri, ())
                if action == "confirmed" and start <= at < end
            ),
            None,
        )


def _ratio(numerator: int, denominator: int) -> tuple[float | None, float, float]:
    value = numerator / denominator if denominator else None
    return value, float(numerator), float(denominator)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
