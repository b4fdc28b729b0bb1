"""Skill *areas* (vakgebieden) and *transversal themes*: how a T-shape is measured.

An **area** is an ESCO skill group at ``AREA_DEPTH`` = 2 below the pillar roots, e.g.
*bedienen van mobiele installaties* (S8.1), *installeren, onderhouden en repareren van
elektrische apparatuur* (S8.8), *boekhouding en belastingen* (knowledge), or *talen*. Why
level 2:

- level 1 has 8 skill groups, 12 knowledge fields and languages: "werken met machines" puts
  a forklift driver and a CNC operator in one area, so everybody looks narrow;
- level 3 has 452 groups: the core of one trade spreads over several of them, so nobody looks
  deep;
- level 2 (74 skill groups such as S8.1, knowledge fields such as *elektriciteit en energie*;
  106 areas hold skills) is what HR calls a vakgebied. Measured on ESCO's own occupations:
  their essential skills fall into a median of 13 level-2 areas, and the strongest of them
  holds a median of 5 of those skills, so one trade has a clear centre.

A skill counts for every area above it (ESCO is a polyhierarchy; about one skill in five sits
in two or more areas). Skills without a level-2 group outside the transversal pillar use their
nearest group (language skills: *talen*). Skills that are only transversal have no area: they
count for the transversal themes instead.

A **transversal theme** is one of the five the SME guidance names: communication,
collaboration, learning, problem solving and digital basics, each defined by the ESCO
transversal groups (T pillar) of that name, plus the S-pillar group of the same name where
ESCO keeps the day-to-day variants (S1.8 *samenwerken met anderen*, S1.9 *oplossen van
problemen*) and ESCO's DigComp collection for digital basics.

**Adjacency** between areas comes from ESCO occupations: ``P(b | a)`` is the share of the
occupations whose skills (essential or optional) touch area ``a`` that also touch ``b``. Areas
that real jobs combine often are cheap to add: the work that uses one tends to bring the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from threading import Lock

import numpy as np

from taxonomy import Taxonomy
from taxonomy.model import Concept

AREA_DEPTH = 2
TRANSVERSAL_ROOT = "T"


@dataclass(frozen=True)
class Theme:
    """A transversal theme: a key, a Dutch label and the ESCO groups/collections that define it."""

    key: str
    label: str
    group_codes: tuple[str, ...]
    collections: tuple[str, ...] = ()


THEMES = (
    Theme("communicatie", "communiceren", ("T4.1",)),
    Theme("samenwerken", "samenwerken", ("T4.3", "S1.8")),
    Theme("leren", "leren", ("T3.4",)),
    Theme("problemen_oplossen", "problemen oplossen", ("T2.3", "S1.9")),
    Theme("digitaal", "digitale basisvaardigheden", ("T1.3",), ("digcomp",)),
)


@dataclass(frozen=True)
class Area:
    uri: str
    label: str
    code: str | None  # "S8.1"; None for knowledge fields (ESCO gives them no code)


class SkillAreas:
    """Areas, themes and area adjacency of one taxonomy (built once; see ``skill_areas``).

    ``areas_of(uri)`` → area URIs of a skill; ``themes_of(uri)`` → theme keys;
    ``proximity(held, area)`` → how cheaply ``area`` is added to the ``held`` areas (0–1).
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._depth: dict[str, int] = {}
        self._areas: dict[str, tuple[str, ...]] = {}
        self._themes: dict[str, tuple[str, ...]] = {}
        groups = list(taxonomy.iter("skill_group"))
        self._transversal = {g.uri for g in groups if self._root_code(g.uri) == TRANSVERSAL_ROOT}
        by_code = {g.code: g.uri for g in groups if g.code}
        self._theme_groups = {
            theme.key: frozenset(by_code[c] for c in theme.group_codes if c in by_code)
            for theme in THEMES
        }

    # -- areas ---------------------------------------------------------------------------

    def area(self, uri: str) -> Area:
        concept = self.taxonomy.get(uri)
        return Area(concept.uri, concept.label, concept.code)

    def label(self, uri: str) -> str:
        concept = self.taxonomy.concepts.get(uri)
        return concept.label if concept is not None else uri

    def areas_of(self, skill_uri: str) -> tuple[str, ...]:
        """The areas a skill counts for (sorted; empty for purely transversal or unknown
        skills)."""
        cached = self._areas.get(skill_uri)
        if cached is not None:
            return cached
        groups = [
            g
            for g in self.taxonomy.skill_groups(skill_uri)
            if g.uri not in self._transversal and self.depth(g.uri) > 0
        ]
        at_depth = sorted({g.uri for g in groups if self.depth(g.uri) == AREA_DEPTH})
        if not at_depth:  # e.g. language skills hang directly under "talen" (level 1)
            shallower = [g.uri for g in groups if self.depth(g.uri) < AREA_DEPTH]
            at_depth = shallower[:1]  # the nearest one (skill_groups is nearest first)
        areas = tuple(at_depth)
        self._areas[skill_uri] = areas
        return areas

    def themes_of(self, skill_uri: str) -> tuple[str, ...]:
        """The transversal themes a skill covers (keys of ``THEMES``, in their order)."""
        cached = self._themes.get(skill_uri)
        if cached is not None:
            return cached
        concept = self.taxonomy.concepts.get(skill_uri)
        above = {g.uri for g in self.taxonomy.skill_groups(skill_uri)} if concept else set()
        themes = tuple(
            theme.key
            for theme in THEMES
            if above & self._theme_groups[theme.key]
            or (concept is not None and concept.collections & set(theme.collections))
        )
        self._themes[skill_uri] = themes
        return themes

    def depth(self, group_uri: str) -> int:
        """Levels below a pillar root ("S", "K", "L", "T" are 0)."""
        if group_uri not in self._depth:
            parents = [
                p.uri for p in self.taxonomy.broader_of(group_uri) if p.kind == "skill_group"
            ]
            self._depth[group_uri] = 1 + min(map(self.depth, parents)) if parents else 0
        return self._depth[group_uri]

    def _root_code(self, group_uri: str) -> str | None:
        roots = [
            a for a in self.taxonomy.ancestors(group_uri) if a.kind == "skill_group" and a.code
        ]
        concept = self.taxonomy.concepts[group_uri]
        top = roots[-1] if roots else concept
        return top.code[:1] if top.code else None

    # -- adjacency -----------------------------------------------------------------------

    @cached_property
    def _cooccurrence(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """(area → column, co-occurrence counts (a, a), occupations per area (a,))."""
        per_occupation = []
        for occupation in self.taxonomy.iter("occupation"):
            skills = self.taxonomy.occupation_skills.get(occupation.uri, ())
            areas = {a for uri, _relation in skills for a in self.areas_of(uri)}
            if areas:
                per_occupation.append(areas)
        column = {a: i for i, a in enumerate(sorted(set().union(*per_occupation)))}
        matrix = np.zeros((len(per_occupation), len(column)), dtype=np.float32)
        for row, areas in enumerate(per_occupation):
            matrix[row, [column[a] for a in areas]] = 1.0
        together = matrix.T @ matrix
        return column, together, np.diag(together).copy()

    def proximity(self, held: Iterable[str], area: str) -> tuple[float, str | None]:
        """How close ``area`` is to the ``held`` areas: the largest ``P(area | a)`` over held
        ``a``, and that ``a`` (the bridge). (0.0, None) when no occupation combines them."""
        column, together, count = self._cooccurrence
        j = column.get(area)
        best, bridge = 0.0, None
        if j is None:
            return best, bridge
        for a in sorted(held):
            i = column.get(a)
            if i is None or count[i] == 0:
                continue
            p = float(together[i, j] / count[i])
            if p > best:
                best, bridge = p, a
        return best, bridge

    def known_areas(self) -> list[str]:
        """Every area some ESCO occupation uses (the candidates for widening a T)."""
        return sorted(self._cooccurrence[0])

    @cached_property
    def _skill_use(self) -> Counter[str]:
        return Counter(
            uri
            for skills in self.taxonomy.occupation_skills.values()
            for uri, relation in skills
            if relation == "essential"
        )

    def typical_skills(self, area: str, k: int = 3) -> list[Concept]:
        """The area's skills that most ESCO occupations list as essential (a starting point
        when none of the firm's roles names a skill in the area)."""
        uses = self._skill_use
        members = [
            self.taxonomy.concepts[uri]
            for uri in uses
            if uri in self.taxonomy.concepts and area in self.areas_of(uri)
        ]
        members.sort(key=lambda c: (-uses[c.uri], c.label_is_fallback, c.label))
        return members[:k]


_CACHE: dict[tuple[str, str, int], SkillAreas] = {}
_CACHE_LOCK = Lock()


def skill_areas(taxonomy: Taxonomy) -> SkillAreas:
    """The ``SkillAreas`` of a taxonomy, built once per taxonomy and process (an explicit
    cache of at most two, like the other per-taxonomy caches)."""
    key = (taxonomy.version, taxonomy.fingerprint, id(taxonomy))
    with _CACHE_LOCK:
        if key not in _CACHE:
            while len(_CACHE) >= 2:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = SkillAreas(taxonomy)
        return _CACHE[key]
