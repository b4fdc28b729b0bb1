"""Role profiles in a FAISS index, for employee → roles retrieval.

One index holds the ESCO occupations (shared by all organisations, built once per process);
each organisation's own roles (vacancies, future roles) get an index of their own, so one
organisation's roles never show up for another's people.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from matcher.roles import RoleProfile
from matcher.skills import SkillSpace
from matcher.vector_index import IdVectors


class RoleIndex:
    """Exact inner-product search over role vectors (:class:`matcher.vector_index.IdVectors`);
    ids are assigned in order of adding."""

    def __init__(self, space: SkillSpace, roles: Sequence[RoleProfile] = ()) -> None:
        self.space = space
        self._vectors = IdVectors(space.dim)
        self._roles: dict[int, RoleProfile] = {}
        self._id_of: dict[str, int] = {}
        self._next = 0
        self._lock = threading.RLock()
        self.add(roles)

    def __len__(self) -> int:
        return len(self._roles)

    def add(self, roles: Sequence[RoleProfile]) -> None:
        """Add roles, replacing any with the same ``key``."""
        if not roles:
            return
        with self._lock:
            self.remove([r.key for r in roles if r.key in self._id_of])
            ids = np.arange(self._next, self._next + len(roles), dtype=np.int64)
            self._next += len(roles)
            vectors = np.stack([r.vector for r in roles]).astype(np.float32)
            self._vectors.add(ids, vectors)
            for role_id, role in zip(ids.tolist(), roles, strict=True):
                self._roles[role_id] = role
                self._id_of[role.key] = role_id

    def remove(self, keys: Sequence[str]) -> int:
        with self._lock:
            ids = [self._id_of.pop(k) for k in keys if k in self._id_of]
            if ids:
                self._vectors.remove(np.array(ids, dtype=np.int64))
                for role_id in ids:
                    del self._roles[role_id]
            return len(ids)

    def get(self, key: str) -> RoleProfile | None:
        with self._lock:
            role_id = self._id_of.get(key)
            return None if role_id is None else self._roles[role_id]

    def roles(self) -> list[RoleProfile]:
        with self._lock:
            return [self._roles[i] for i in sorted(self._roles)]

    def search(self, vector: np.ndarray, k: int) -> list[tuple[RoleProfile, float]]:
        """The ``k`` roles whose vectors are closest to ``vector``, as (role, cosine)."""
        if k < 1:
            raise ValueError("k must be at least 1")
        with self._lock:
            ids, scores = self._vectors.search(vector, k)
            return [(self._roles[int(i)], float(c)) for i, c in zip(ids, scores, strict=True)]
