"""Skill demand per period: how many vacancies ask for each skill, skill group and collection.

    counts = count_demand(read_records("extracted.jsonl"), taxonomy, by="quarter",
                          group_by="isco1")
    counts.vacancies["all"]            # (T,) vacancies per period
    counts.series("all")               # {("skill", uri): (T,) vacancies asking for it, ...}

A vacancy counts once per skill, and once per skill group or collection however many of its
skills fall in it, so every count divided by the period's vacancies is a share in [0, 1].
Records stream through; memory grows with the distinct (group, skill, period) combinations,
not with the number of vacancies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np

from extractor.batch import VacancyRecord
from taxonomy import Taxonomy

PeriodKind = Literal["month", "quarter"]
GroupBy = Literal["none", "isco1", "isco2", "region", "category"]
Level = Literal["skill", "group", "collection"]
PERIOD_KINDS = ("month", "quarter")
GROUP_BYS = ("none", "isco1", "isco2", "region", "category")
LEVELS = ("skill", "group", "collection")
PERIODS_PER_YEAR = {"month": 12, "quarter": 4}
ALL = "all"
UNKNOWN = "onbekend"

COLLECTION_LABELS = {
    "digital": "digitale vaardigheden",
    "green": "groene vaardigheden",
    "transversal": "transversale vaardigheden",
    "language": "talen",
    "research": "onderzoeksvaardigheden",
    "digcomp": "digitale competenties (DigComp)",
}


def period_number(day: str, by: PeriodKind) -> int:
    """Months or quarters since year 0 for an ISO date ("2024-05-17" → 2024*12 + 4 for months).

    Raises:
        ValueError: ``day`` is not an ISO date.
    """
    d = date.fromisoformat(day[:10])
    return d.year * 12 + d.month - 1 if by == "month" else d.year * 4 + (d.month - 1) // 3


def period_label(number: int, by: PeriodKind) -> str:
    """ "2024-05" (month) or "2024Q2" (quarter) for a :func:`period_number`."""
    if by == "month":
        return f"{number // 12}-{number % 12 + 1:02d}"
    return f"{number // 4}Q{number % 4 + 1}"


def group_of(record: VacancyRecord, group_by: GroupBy) -> str:
    """The group a vacancy belongs to under ``group_by`` (``UNKNOWN`` when it lacks the field)."""
    if group_by == "none":
        return ALL
    if group_by in ("isco1", "isco2"):
        digits = 1 if group_by == "isco1" else 2
        return record.isco_group[:digits] if record.isco_group else UNKNOWN
    value = record.region if group_by == "region" else record.category
    return value or UNKNOWN


class NotEnoughData(ValueError):
    """The vacancies cannot show a trend (the data, not the parameters, is the problem).

    ``reason``: "empty" (no vacancies), "undated" (none has a posting date), "span" (fewer
    than 4 periods), or "counts" (no skill in enough vacancies); ``periods``: how many
    periods the vacancies span (0 when unknown).
    """

    def __init__(self, message: str, reason: str, periods: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.periods = periods


class Rollup:
    """Skill → the skill groups (at one depth of the ESCO hierarchy) and collections it is in.

    ``depth`` 1 is the top (e.g. S7 "construction"), 2 the next (S7.2), 3 the next (S7.2.1).
    Cached per skill; a skill the taxonomy does not know rolls up to nothing.
    """

    def __init__(self, taxonomy: Taxonomy, depth: int = 2) -> None:
        if depth < 1:
            raise ValueError(f"group depth must be at least 1, got {depth}")
        self.taxonomy = taxonomy
        self.depth = depth
        self._groups: dict[str, tuple[str, ...]] = {}
        self._group_depth: dict[str, int] = {}

    def groups(self, skill_uri: str) -> tuple[str, ...]:
        cached = self._groups.get(skill_uri)
        if cached is None:
            if skill_uri in self.taxonomy:
                cached = tuple(
                    g.uri
                    for g in self.taxonomy.skill_groups(skill_uri)
                    if self._depth_of(g.uri) == self.depth
                )
            else:
                cached = ()
            self._groups[skill_uri] = cached
        return cached

    def collections(self, skill_uri: str) -> frozenset[str]:
        concept = self.taxonomy.concepts.get(skill_uri)
        return concept.collections if concept is not None else frozenset()

    def _depth_of(self, group_uri: str) -> int:
        if group_uri not in self._group_depth:
            self._group_depth[group_uri] = sum(
                1 for c in self.taxonomy.ancestors(group_uri) if c.kind == "skill_group"
            )
        return self._group_depth[group_uri]


@dataclass
class DemandCounts:
    """Vacancies and skill demand per group and period.

    Attributes:
        by: "month" or "quarter".
        group_by: how vacancies were grouped; the group "all" always holds every vacancy.
        periods: period labels, contiguous from the first to the last dated vacancy.
        vacancies: group → (T,) int array, vacancies per period.
        counts: group → {(level, key): (T,) int array}; key is a skill or group URI, or a
            collection name ("digital", "green", ...).
        records: vacancies read; ``undated``: of those, left out for lack of a date.
    """

    by: PeriodKind
    group_by: GroupBy
    periods: list[str]
    vacancies: dict[str, np.ndarray]
    counts: dict[str, dict[tuple[str, str], np.ndarray]]
    records: int = 0
    undated: int = 0
    groups: list[str] = field(default_factory=list)

    def series(self, group: str = ALL) -> dict[tuple[str, str], np.ndarray]:
        """All counted series of one group."""
        try:
            return self.counts[group]
        except KeyError:
            raise ValueError(f"no group {group!r} (groups: {', '.join(self.groups)})") from None


def count_demand(
    records: Iterable[VacancyRecord],
    taxonomy: Taxonomy | None = None,
    by: PeriodKind = "quarter",
    group_by: GroupBy = "none",
    levels: Iterable[Level] = LEVELS,
    include_inferred: bool = False,
    min_confidence: float = 0.5,
    group_depth: int = 2,
) -> DemandCounts:
    """Count skill demand per period (and group), streaming over ``records``.

    Args:
        records: extracted vacancies (e.g. :func:`extractor.batch.read_records`).
        taxonomy: needed for the "group" and "collection" levels.
        by: "month" or "quarter".
        group_by: "none", "isco1"/"isco2" (ISCO-08 major/sub-major group of the recognised
            occupation), "region" or "category".
        levels: which of "skill", "group", "collection" to count.
        include_inferred: also count skills inferred from the job title (off by default: they
            follow the occupation mix, not what vacancies ask for).
        min_confidence: skill claims below this confidence are not counted.
        group_depth: depth of the ESCO skill groups for the "group" level.

    Raises:
        ValueError: unknown ``by``/``group_by``/level; no dated vacancy at all; or a
            rollup level without a taxonomy.
    """
    if by not in PERIOD_KINDS:
        raise ValueError(f"--by must be one of {', '.join(PERIOD_KINDS)}, not {by!r}")
    if group_by not in GROUP_BYS:
        raise ValueError(f"--group must be one of {', '.join(GROUP_BYS)}, not {group_by!r}")
    levels = tuple(levels)
    for level in levels:
        if level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    rollup = None
    if {"group", "collection"} & set(levels):
        if taxonomy is None:
            raise ValueError("rolling skills up to groups and collections needs the taxonomy")
        rollup = Rollup(taxonomy, group_depth)

    keys: dict[tuple[str, str], int] = {}
    group_ids: dict[str, int] = {ALL: 0}
    n_vacancies: Counter[tuple[int, int]] = Counter()
    n_demand: Counter[tuple[int, int, int]] = Counter()
    total = undated = 0
    for record in records:
        total += 1
        try:
            period = period_number(record.date, by) if record.date else None
        except ValueError:
            period = None
        if period is None:
            undated += 1
            continue
        groups = [0]
        if group_by != "none":
            groups.append(group_ids.setdefault(group_of(record, group_by), len(group_ids)))
        asked = _asked(record, levels, rollup, include_inferred, min_confidence)
        ids = [keys.setdefault(k, len(keys)) for k in asked]
        for g in groups:
            n_vacancies[g, period] += 1
            for k in ids:
                n_demand[g, k, period] += 1

    if not n_vacancies:
        raise NotEnoughData(
            f"none of the {total} vacancies has a posting date, so no trend can be computed"
            if total
            else "no vacancies to analyse",
            "undated" if total else "empty",
        )
    first = min(p for _, p in n_vacancies)
    last = max(p for _, p in n_vacancies)
    periods = [period_label(p, by) for p in range(first, last + 1)]
    names = {i: g for g, i in group_ids.items()}
    key_of = {i: k for k, i in keys.items()}
    vacancies = {g: np.zeros(len(periods), dtype=np.int64) for g in group_ids}
    for (g, p), n in n_vacancies.items():
        vacancies[names[g]][p - first] = n
    counts: dict[str, dict[tuple[str, str], np.ndarray]] = {g: {} for g in group_ids}
    for (g, k, p), n in n_demand.items():
        series = counts[names[g]].setdefault(key_of[k], np.zeros(len(periods), dtype=np.int64))
        series[p - first] = n
    order = [ALL, *sorted(g for g in group_ids if g != ALL)]
    return DemandCounts(by, group_by, periods, vacancies, counts, total, undated, order)


def _asked(
    record: VacancyRecord,
    levels: tuple[str, ...],
    rollup: Rollup | None,
    include_inferred: bool,
    min_confidence: float,
) -> set[tuple[str, str]]:
    skills = {
        uri
        for uri, confidence, method in record.skills
        if confidence >= min_confidence and (include_inferred or method != "inferred")
    }
    asked: set[tuple[str, str]] = set()
    if "skill" in levels:
        asked.update(("skill", uri) for uri in skills)
    if rollup is not None:
        for uri in skills:
            if "group" in levels:
                asked.update(("group", g) for g in rollup.groups(uri))
            if "collection" in levels:
                asked.update(("collection", c) for c in rollup.collections(uri))
    return asked


def label_of(level: str, key: str, taxonomy: Taxonomy | None) -> str:
    """A readable (Dutch where ESCO has it) label for a counted key."""
    if level == "collection":
        return COLLECTION_LABELS.get(key, key)
    if taxonomy is not None and key in taxonomy:
        concept = taxonomy.concepts[key]
        if level == "group" and concept.code:
            return f"{concept.code} {concept.label}"
        return concept.label
    return key


def group_label(group: str, group_by: str, taxonomy: Taxonomy | None) -> str:
    """ "7 Ambachtslieden" for ISCO groups; the group itself otherwise."""
    if group_by in ("isco1", "isco2") and taxonomy is not None and group not in (ALL, UNKNOWN):
        concept = taxonomy.concepts.get(f"http://data.europa.eu/esco/isco/C{group}")
        if concept is not None:
            return f"{group} {concept.label}"
    return group
