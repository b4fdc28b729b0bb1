"""The passports of one organisation in memory: profile vectors in a FAISS index keyed by
employee id (candidate retrieval), and each person's skill rows and strengths (exact rescoring).

One index per organisation, so a query never touches another organisation's vectors. Indexes
are built from the database on first use in a process and then kept current by the caller
(``PassportIndexes.refresh`` after a passport changes, ``remove`` after an erasure); they are
never written to disk. Why: the database is then the only copy of personal data, so an erasure
cannot leave a vector behind in a file, and no index can be stale after another process wrote
to the database. Building is cheap (bench/results/matching.json: 300 passports from SQLite in
about a second, 100,000 synthetic ones in seconds).

Search is exact up to 5,000 people and IVF beyond (:mod:`matcher.vector_index`); adding,
replacing or removing one passport touches only its own vector.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.profiles import PersonSkills, passport_skills
from matcher.skills import SkillSpace
from matcher.store.errors import NotFound
from matcher.store.passports import PassportStore
from matcher.store.records import Passport
from matcher.vector_index import IdVectors


@dataclass(frozen=True, eq=False)
class IndexEntry:
    """One employee's matching data: ``rows`` (m,) int64, ascending, ``strength`` (m,)
    float64, ``confirmed`` (m,) bool (see :class:`matcher.profiles.PersonSkills`)."""

    employee_id: int
    external_id: str
    rows: np.ndarray
    strength: np.ndarray
    confirmed: np.ndarray

    def __post_init__(self) -> None:
        if len(self.rows) > 1 and (np.diff(self.rows) <= 0).any():
            raise ValueError(f"employee {self.employee_id}: rows must be unique and ascending")

    @classmethod
    def of(cls, employee_id: int, external_id: str, person: PersonSkills) -> IndexEntry:
        return cls(employee_id, external_id, person.rows, person.strength, person.confirmed)


def passport_entry(space: SkillSpace, passport: Passport) -> IndexEntry:
    employee = passport.employee
    return IndexEntry.of(employee.id, employee.external_id, passport_skills(space, passport))


class PassportIndex:
    """Profiles of one organisation's employees. Thread-safe: one lock around every operation."""

    def __init__(self, space: SkillSpace, organisation_id: int | None = None) -> None:
        self.space = space
        self.organisation_id = organisation_id
        self._vectors = IdVectors(space.dim)
        self._entries: dict[int, IndexEntry] = {}
        self._holders: dict[int, set[int]] = {}  # skill row -> employees with it confirmed
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, employee_id: object) -> bool:
        return employee_id in self._entries

    @property
    def vectors_in_faiss(self) -> int:
        return len(self._vectors)

    @property
    def search_kind(self) -> str:
        """ "flat" (exact) or "ivf<lists>/<probes>" (see :mod:`matcher.vector_index`)."""
        return self._vectors.kind

    def employee_ids(self) -> list[int]:
        with self._lock:
            return sorted(self._entries)

    def add(self, entries: Sequence[IndexEntry]) -> None:
        """Add entries, replacing any with the same employee id; one FAISS add for all."""
        if not entries:
            return
        ids = np.array([e.employee_id for e in entries], dtype=np.int64)
        if len(np.unique(ids)) != len(ids):
            raise ValueError("an employee id occurs twice in one add")
        sizes = [len(e.rows) for e in entries]
        offsets = np.cumsum([0, *sizes])
        rows = np.concatenate([e.rows for e in entries]) if offsets[-1] else np.zeros(0, int)
        strength = np.concatenate([e.strength for e in entries]) if offsets[-1] else np.zeros(0)
        vectors = self.space.profile_vectors(rows, strength, offsets)
        with self._lock:
            self._remove_locked([i for i in ids.tolist() if i in self._entries])
            self._vectors.add(ids, vectors)
            for entry in entries:
                self._entries[entry.employee_id] = entry
                for row in entry.rows[entry.confirmed].tolist():
                    self._holders.setdefault(row, set()).add(entry.employee_id)

    def remove(self, employee_ids: Iterable[int]) -> int:
        """Drop employees (vector and profile); returns how many were there."""
        with self._lock:
            return self._remove_locked([i for i in employee_ids if i in self._entries])

    def _remove_locked(self, employee_ids: list[int]) -> int:
        if not employee_ids:
            return 0
        self._vectors.remove(np.array(employee_ids, dtype=np.int64))
        for employee_id in employee_ids:
            entry = self._entries.pop(employee_id)
            for row in entry.rows[entry.confirmed].tolist():
                holders = self._holders.get(row)
                if holders is not None:
                    holders.discard(employee_id)
                    if not holders:
                        del self._holders[row]
        return len(employee_ids)

    def search(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` employees whose profile vectors are closest to ``vector`` (dim,), as
        (employee id, cosine), best first."""
        if k < 1:
            raise ValueError("k must be at least 1")
        with self._lock:
            ids, scores = self._vectors.search(vector, k)
        return [(int(i), float(c)) for i, c in zip(ids, scores, strict=True)]

    def entry(self, employee_id: int) -> IndexEntry:
        with self._lock:
            try:
                return self._entries[employee_id]
            except KeyError:
                raise NotFound("employee", employee_id, self._scope()) from None

    def people(self, employee_ids: Sequence[int]) -> list[PersonSkills]:
        """:meth:`person` for many employees at once (one lock, one FAISS call)."""
        with self._lock:
            try:
                entries = [self._entries[i] for i in employee_ids]
            except KeyError as exc:
                raise NotFound("employee", exc.args[0], self._scope()) from None
            vectors = self._vectors.reconstruct_many(np.array(employee_ids, dtype=np.int64))
        return [
            PersonSkills(e.rows, e.strength, e.confirmed, v)
            for e, v in zip(entries, vectors, strict=True)
        ]

    def person(self, employee_id: int) -> PersonSkills:
        """The employee's profile; the vector is the one in FAISS, which equals the one
        :func:`matcher.profiles.person_skills` computes from their passport."""
        entry = self.entry(employee_id)
        with self._lock:
            vector = self._vectors.reconstruct(employee_id)
        return PersonSkills(entry.rows, entry.strength, entry.confirmed, vector)

    def confirmed_holders(self, skill_uri: str) -> list[int]:
        """Employees of this organisation whose passport has ``skill_uri`` confirmed."""
        row = self.space.row_of.get(skill_uri)
        with self._lock:
            return sorted(self._holders.get(row, ())) if row is not None else []

    def _scope(self) -> str:
        return f"organisation {self.organisation_id}" if self.organisation_id else "the index"


class PassportIndexes:
    """One :class:`PassportIndex` per organisation, built from the store on first use.

    Callers that change a passport call :meth:`refresh`; erasure calls :meth:`remove`. Both do
    nothing for an organisation whose index is not loaded (it is built fresh when needed).
    """

    def __init__(self, space: SkillSpace, store: PassportStore) -> None:
        self.space = space
        self.store = store
        self._indexes: dict[int, PassportIndex] = {}
        self._lock = threading.Lock()

    def get(self, organisation_id: int) -> PassportIndex:
        """The organisation's index. Raises ``NotFound`` for an unknown organisation."""
        with self._lock:
            index = self._indexes.get(organisation_id)
            if index is None:
                index = self.build(organisation_id)
                self._indexes[organisation_id] = index
            return index

    def build(self, organisation_id: int) -> PassportIndex:
        """A fresh index of the organisation's passports, read from the store."""
        self.store.get_organisation(organisation_id)
        index = PassportIndex(self.space, organisation_id)
        passports = self.store.passports(organisation_id)
        index.add([passport_entry(self.space, p) for p in passports])
        return index

    def is_loaded(self, organisation_id: int) -> bool:
        return organisation_id in self._indexes

    def refresh(self, organisation_id: int, employee_id: int) -> None:
        """Re-read one passport into a loaded index (after claims were added or changed)."""
        index = self._indexes.get(organisation_id)
        if index is not None:
            passport = self.store.passport(organisation_id, employee_id)
            index.add([passport_entry(self.space, passport)])

    def remove(self, organisation_id: int, employee_id: int) -> None:
        """Drop an employee from a loaded index (after erasure)."""
        index = self._indexes.get(organisation_id)
        if index is not None:
            index.remove([employee_id])

    def forget(self, organisation_id: int) -> None:
        with self._lock:
            self._indexes.pop(organisation_id, None)
