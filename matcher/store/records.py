"""What the store hands out: plain frozen dataclasses, never ORM objects.

A ``Passport`` is a snapshot: it stays valid after its database session is gone, can be
pickled, and compares by value, which is what ``matcher`` and ``service`` need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Organisation:
    id: int
    name: str
    created_at: datetime
    document_retention_days: int | None = None


@dataclass(frozen=True)
class Employee:
    id: int
    organisation_id: int
    external_id: str  # pseudonymous, unique per organisation, e.g. "emp-0042"
    display_name: str | None
    team: str | None
    created_at: datetime


@dataclass(frozen=True)
class StoredDocument:
    """A stored document's metadata; ``content`` and ``text`` only from ``get_document``."""

    id: int
    organisation_id: int
    employee_id: int | None
    kind: str  # "cv", "vacancy" or "text"
    filename: str
    lang: str
    sha256: str  # of ``content``
    uploaded_at: datetime
    size: int  # bytes
    content: bytes | None = None
    text: str | None = None


@dataclass(frozen=True)
class ClaimEvidence:
    """One place a claim was found. ``document_id`` is None once retention purged the document."""

    document_id: int | None
    start: int  # char offsets into the document's text
    end: int
    text: str
    sentence: str  # "" once retention purged the document
    section: str
    method: str
    confidence: float
    extracted_at: datetime


@dataclass(frozen=True)
class PassportClaim:
    """One skill in a passport.

    ``status`` is "suggested" (found, nobody looked yet), "confirmed" or "rejected" (by a
    person); ``proficiency`` is 1–4 or None, ``proficiency_source`` "inferred" or "set".
    ``version`` goes up with every change; pass it back as ``expected_version`` to refuse
    writing over someone else's change.
    """

    skill_uri: str
    label: str
    status: str
    confidence: float
    method: str
    proficiency: int | None
    proficiency_source: str | None
    first_seen: datetime
    last_used: date | None
    confirmed_at: datetime | None
    confirmed_by: str | None
    updated_at: datetime
    version: int
    evidence: tuple[ClaimEvidence, ...] = ()


@dataclass(frozen=True)
class Passport:
    """An employee and their skill claims (rejected ones included, sorted by skill URI)."""

    employee: Employee
    claims: tuple[PassportClaim, ...]

    def claim(self, skill_uri: str) -> PassportClaim | None:
        return next((c for c in self.claims if c.skill_uri == skill_uri), None)

    @property
    def active_claims(self) -> tuple[PassportClaim, ...]:
        """Suggested and confirmed claims: what matching should count."""
        return tuple(c for c in self.claims if c.status != "rejected")


@dataclass(frozen=True)
class MergeReport:
    """What ``merge_claims`` did, by skill URI.

    ``added``: new claims (status "suggested"). ``updated``: claims already in the passport
    (suggested or confirmed) found again; new evidence is added, confidence and ``last_used``
    may rise. ``kept_rejected``: rejected claims found again; the evidence is recorded, the
    status stays "rejected". ``evidence_added`` is 0 when the document was merged before.
    """

    document_id: int
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    kept_rejected: tuple[str, ...] = ()
    evidence_added: int = 0


@dataclass(frozen=True)
class ErasureReport:
    """Everything ``erase_employee`` deleted, so callers can drop index entries and caches."""

    organisation_id: int
    employee_id: int
    document_ids: tuple[int, ...]
    claim_ids: tuple[int, ...]
    skill_uris: tuple[str, ...]
    evidence_count: int
    event_count: int
    learning_step_count: int = 0


@dataclass(frozen=True)
class PurgeReport:
    """Documents deleted by retention; their claims stay, their evidence loses the sentence."""

    organisation_id: int
    cutoff: datetime
    document_ids: tuple[int, ...]
    evidence_scrubbed: int


@dataclass(frozen=True)
class RoleSkill:
    skill_uri: str
    weight: float = 1.0
    essential: bool = True


@dataclass(frozen=True)
class Role:
    id: int
    organisation_id: int
    kind: str  # "vacancy", "future_role" or "esco_occupation"
    title: str
    status: str  # "open", "filled_internal", "filled_external" or "closed"
    source_document_id: int | None
    created_at: datetime
    closed_at: datetime | None
    skills: tuple[RoleSkill, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    organisation_id: int
    actor: str
    action: str
    subject_type: str
    subject_id: int | None
    at: datetime


@dataclass(frozen=True)
class LearningStep:
    """One step of an employee's learning plan.

    ``kind`` is a 70-20-10 mode: "on_the_job", "rotation", "project" (70), "colleague" (20) or
    "course" (10). ``status`` is "planned", "done" or "cancelled"; ``due`` is the date it
    should be done by; ``mentor_id`` the colleague to learn from (None once erased).
    """

    id: int
    organisation_id: int
    employee_id: int
    kind: str
    title: str
    area_uri: str | None
    skill_uri: str | None
    role_id: int | None
    mentor_id: int | None
    status: str
    planned_at: datetime
    due: date
    done_at: datetime | None


@dataclass(frozen=True)
class PlannedStep:
    """A step to add to a plan (``LearningStore.add_steps``); ``due`` None means the default."""

    kind: str
    title: str
    due: date | None = None
    area_uri: str | None = None
    skill_uri: str | None = None
    role_id: int | None = None
    mentor_id: int | None = None


@dataclass(frozen=True)
class KpiTarget:
    """A learning KPI's target: at least ``minimum`` (when set) and, with ``must_rise``, above
    the previous period's value."""

    kpi: str
    minimum: float | None = None
    must_rise: bool = False


@dataclass(frozen=True)
class ClaimEvent:
    """One entry of a passport's history (``claim_events``)."""

    employee_id: int
    skill_uri: str
    action: str  # "suggested", "confirmed", "rejected", "proficiency_set" or "removed"
    at: datetime


@dataclass(frozen=True)
class LearningHistory:
    """Everything the learning KPIs are computed from, read in one transaction: the
    organisation's employees, passport history (oldest first), roles and plan steps, and the
    label each skill has in a passport."""

    organisation_id: int
    employees: tuple[Employee, ...]
    events: tuple[ClaimEvent, ...]
    roles: tuple[Role, ...]
    steps: tuple[LearningStep, ...]
    skill_labels: dict[str, str] = field(default_factory=dict, compare=False)
