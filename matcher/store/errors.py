"""What the passport store raises: one exception per thing a caller can act on.

``NotFound`` maps to HTTP 404, ``AlreadyExists`` and ``Conflict`` to 409; bad arguments
(an unknown status, a proficiency outside 1–4) raise plain ``ValueError``.
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class for everything the store raises on purpose."""


class NotFound(StoreError, LookupError):
    """An organisation, employee, document, claim or role does not exist (in this organisation).

    Attributes:
        kind: what was looked up, e.g. "employee".
        key: the id or external id that was asked for.
    """

    def __init__(self, kind: str, key: object, scope: str = "") -> None:
        self.kind = kind
        self.key = key
        where = f" in {scope}" if scope else ""
        super().__init__(f"{kind} {key!r} does not exist{where}")


class AlreadyExists(StoreError):
    """A second row with the same natural key, e.g. an external employee id already in use."""


class Conflict(StoreError):
    """Someone else changed the row since it was read (optimistic locking), or a write kept
    colliding with concurrent writers after all retries. Reload and try again."""
