"""The in-memory :class:`Taxonomy`: concepts, hierarchy, relations and label lookups."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from taxonomy.model import (
    COMPETENTNL_ATTRIBUTION,
    ESCO_ATTRIBUTION,
    ESCO_LICENCE,
    Concept,
    ConceptKind,
    ConceptNotFound,
    normalise_label,
)


@dataclass(frozen=True)
class LabelHit:
    """A concept found through one of its labels."""

    concept: Concept
    label: str


@dataclass
class Taxonomy:
    """ESCO skills, occupations, groups and relations, plus CompetentNL capabilities.

    Build with :func:`taxonomy.load_taxonomy`. Lookups:

    - ``get(uri)`` → :class:`Concept` (raises :class:`ConceptNotFound`);
    - ``find_label(text, kind)`` → exact label matches, case- and diacritic-insensitive;
    - ``complete(prefix, kind, limit)`` → autocomplete over all labels, shortest first.
    """

    version: str
    languages: tuple[str, ...]
    concepts: dict[str, Concept]
    broader: dict[str, tuple[str, ...]]
    occupation_skills: dict[str, tuple[tuple[str, str], ...]]
    related_skills: dict[str, tuple[tuple[str, str], ...]]
    fingerprint: str = ""  # hash of the source files; derived caches are keyed by it
    _narrower: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _skill_occupations: dict[str, tuple[tuple[str, str], ...]] = field(
        default_factory=dict, repr=False
    )
    _by_label: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict, repr=False)
    _sorted_keys: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        narrower: dict[str, list[str]] = defaultdict(list)
        for child, parents in self.broader.items():
            for parent in parents:
                narrower[parent].append(child)
        self._narrower = {k: tuple(v) for k, v in narrower.items()}
        skill_occ: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for occ, rels in self.occupation_skills.items():
            for skill, rel in rels:
                skill_occ[skill].append((occ, rel))
        self._skill_occupations = {k: tuple(v) for k, v in skill_occ.items()}
        by_label: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for concept in self.concepts.values():
            for label in concept.labels():
                key = normalise_label(label)
                if key and (concept.uri, label) not in by_label[key]:
                    by_label[key].append((concept.uri, label))
        self._by_label = {k: tuple(v) for k, v in by_label.items()}
        self._sorted_keys = sorted(self._by_label)

    # --- attribution -------------------------------------------------------------------------
    @property
    def attribution(self) -> str:
        return f"{ESCO_ATTRIBUTION} {ESCO_LICENCE} {COMPETENTNL_ATTRIBUTION}"

    # --- concepts ----------------------------------------------------------------------------
    def get(self, uri: str) -> Concept:
        """The concept with this URI; raises :class:`ConceptNotFound` with a hint."""
        try:
            return self.concepts[uri.strip()]
        except KeyError:
            raise ConceptNotFound(
                f"no concept with URI {uri!r} in taxonomy {self.version}; "
                "search by label with `vaardig taxonomy search TEXT`"
            ) from None

    def __contains__(self, uri: object) -> bool:
        return uri in self.concepts

    def iter(self, kind: ConceptKind) -> Iterator[Concept]:
        return (c for c in self.concepts.values() if c.kind == kind)

    def count(self, kind: ConceptKind) -> int:
        return sum(1 for _ in self.iter(kind))

    # --- hierarchy and relations -------------------------------------------------------------
    def broader_of(self, uri: str) -> list[Concept]:
        return [self.concepts[u] for u in self.broader.get(uri, ()) if u in self.concepts]

    def narrower_of(self, uri: str) -> list[Concept]:
        return [self.concepts[u] for u in self._narrower.get(uri, ()) if u in self.concepts]

    def ancestors(self, uri: str) -> list[Concept]:
        """All broader concepts, nearest first (breadth-first, no repeats)."""
        seen: set[str] = set()
        frontier, out = [uri], []
        while frontier:
            nxt = []
            for u in frontier:
                for parent in self.broader.get(u, ()):
                    if parent not in seen and parent in self.concepts:
                        seen.add(parent)
                        out.append(self.concepts[parent])
                        nxt.append(parent)
            frontier = nxt
        return out

    def skill_groups(self, uri: str) -> list[Concept]:
        """The skill groups above a skill, nearest first."""
        return [c for c in self.ancestors(uri) if c.kind == "skill_group"]

    def skills_of(
        self, occupation_uri: str, relation: str | None = None
    ) -> list[tuple[Concept, str]]:
        """(skill, "essential"|"optional") for an occupation, essential first."""
        self.get(occupation_uri)
        rels = [
            (self.concepts[s], r)
            for s, r in self.occupation_skills.get(occupation_uri, ())
            if s in self.concepts and (relation is None or r == relation)
        ]
        return sorted(rels, key=lambda sr: (sr[1] != "essential", sr[0].label))

    def occupations_of(self, skill_uri: str) -> list[tuple[Concept, str]]:
        """(occupation, relation) for every occupation that lists this skill."""
        return [
            (self.concepts[o], r)
            for o, r in self._skill_occupations.get(skill_uri, ())
            if o in self.concepts
        ]

    def related_of(self, skill_uri: str) -> list[tuple[Concept, str]]:
        return [
            (self.concepts[s], r)
            for s, r in self.related_skills.get(skill_uri, ())
            if s in self.concepts
        ]

    # --- label lookups -----------------------------------------------------------------------
    def find_label(self, text: str, kind: ConceptKind | None = None) -> list[LabelHit]:
        """Concepts with a label equal to ``text`` (case/diacritic/whitespace-insensitive);
        concepts whose *preferred* label it is come first ("boekhouder" is the occupation
        *boekhouder* before *hoofd boekhouding*, which has it as an alternative label)."""
        key = _checked_key(text)
        hits = [LabelHit(self.concepts[uri], label) for uri, label in self._by_label.get(key, ())]
        hits = [h for h in hits if kind is None or h.concept.kind == kind]
        return sorted(hits, key=lambda h: h.label not in (h.concept.pref_nl, h.concept.pref_en))

    def resolve(self, text: str, kind: ConceptKind) -> Concept | None:
        """The concept of ``kind`` that a URI or an exact label names, else ``None``. Where a
        label belongs to several concepts, one whose preferred label it is wins; among equals,
        the lowest URI (so the same text always gives the same concept)."""
        text = text.strip()
        if text in self.concepts:
            concept = self.concepts[text]
            return concept if concept.kind == kind else None
        if not text or text.startswith("http"):
            return None
        hits = self.find_label(text, kind)
        key = normalise_label(text)
        preferred = [
            h.concept
            for h in hits
            if key in (normalise_label(h.concept.pref_nl or ""), normalise_label(h.concept.pref_en))
        ]
        candidates = preferred or [h.concept for h in hits]
        return min(candidates, key=lambda c: c.uri) if candidates else None

    def complete(
        self, prefix: str, kind: ConceptKind | None = None, limit: int = 10
    ) -> list[LabelHit]:
        """Autocomplete: concepts with a label starting with ``prefix``; shortest labels first,
        one hit per concept."""
        key = _checked_key(prefix)
        start = bisect.bisect_left(self._sorted_keys, key)
        candidates: list[tuple[int, str, LabelHit]] = []
        seen: set[str] = set()
        for i in range(start, len(self._sorted_keys)):
            label_key = self._sorted_keys[i]
            if not label_key.startswith(key):
                break
            for uri, label in self._by_label[label_key]:
                concept = self.concepts[uri]
                if (kind is None or concept.kind == kind) and uri not in seen:
                    seen.add(uri)
                    candidates.append((len(label_key), label_key, LabelHit(concept, label)))
        candidates.sort(key=lambda t: (t[0], t[1]))
        return [hit for _, _, hit in candidates[:limit]]

    def all_labels(self, kinds: tuple[ConceptKind, ...]) -> list[tuple[str, str]]:
        """(label text, concept URI) for every label of every concept of the given kinds,
        in a stable order (the index is built from this list)."""
        out = []
        for uri in sorted(self.concepts):
            concept = self.concepts[uri]
            if concept.kind in kinds:
                out.extend((label, uri) for label in concept.labels())
        return out


def _checked_key(text: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError("empty query: give a word or phrase, e.g. 'lassen'")
    return normalise_label(text)
