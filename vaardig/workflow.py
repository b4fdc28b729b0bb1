"""Vaardig's main job in one place: CV → passport, vacancy → internal candidates, employee →
roles, reskilling path, workforce gap report. The CLI, the service and the demo all call this.

    workflow = Workflow.open()                                   # engine + database from settings
    org = workflow.passports.create_organisation("Installatiebedrijf De Vonk")
    workflow.add_cv(org.id, "emp-001", "cv.pdf")                  # ingest → extract → passport
    workflow.match_vacancy(org.id, "vacature.txt")                # → [CandidateMatch], best first
    workflow.match_employee(org.id, "emp-001")                    # → [RoleMatch]
    workflow.reskilling_path(org.id, "emp-001", "vacature.txt")   # → ReskillingPath
    workflow.gap_report(org.id, "future_roles.yaml")              # → GapReport
    workflow.gap_scenarios(org.id, "future_roles.yaml", [scenario]) # → ScenarioComparison
    workflow.erase_employee(org.id, "emp-001")                    # database and index

Employees are referred to by their external (pseudonymous) id, or by internal id as an int.
Roles are referred to by a stored role id, an ESCO occupation URI or label, a vacancy file or a
role file (see :meth:`Workflow.resolve_role`).
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from extractor.documents import Document
from extractor.errors import FileTooLargeError
from extractor.ingest import DEFAULT_MAX_BYTES, read_document
from matcher.coverage import RoleCoverage, role_coverage
from matcher.errors import NoPassports, NoSkillsFound, UnknownRole
from matcher.gap import GapReport, gap_report
from matcher.matching import CandidateMatch, RoleMatch, top_candidates, top_roles
from matcher.passport_index import PassportIndex, PassportIndexes
from matcher.paths import ReskillingPath, reskilling_path
from matcher.profiles import passport_skills
from matcher.role_index import RoleIndex
from matcher.roles import (
    RoleProfile,
    load_role_file,
    occupation_role,
    occupation_roles,
    stored_role,
    vacancy_role,
)
from matcher.skills import SkillSpace
from matcher.store import (
    AlreadyExists,
    Employee,
    ErasureReport,
    MergeReport,
    NotFound,
    Passport,
    PassportStore,
    Role,
    RoleStore,
)
from taxonomy.index import TaxonomyIndex
from vaardig.engine import Engine
from vaardig.settings import get_settings

if TYPE_CHECKING:
    from matcher.gap_scenarios import ScenarioComparison
    from matcher.trends.scenarios import Scenario

ROLE_FILE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@lru_cache(maxsize=2)
def skill_space(index: TaxonomyIndex) -> SkillSpace:
    """The skill space of a taxonomy index (built once per index and process)."""
    return SkillSpace.from_index(index)


@lru_cache(maxsize=2)
def occupation_index(space: SkillSpace) -> RoleIndex:
    """All ESCO occupations as roles, in one index (built once per space and process)."""
    return RoleIndex(space, occupation_roles(space))


class Workflow:
    """An engine (taxonomy, extractor) plus the stores, and the per-organisation indexes."""

    def __init__(self, engine: Engine, passports: PassportStore, roles: RoleStore | None = None):
        self.engine = engine
        self.passports = passports
        self.roles = roles or RoleStore(passports.database)

    @classmethod
    def open(cls, engine: Engine | None = None, database_url: str | None = None) -> Workflow:
        """Connect to ``database_url`` (default: ``VAARDIG_DATABASE_URL``, else SQLite in
        ``VAARDIG_DATA_DIR``), upgrading its schema."""
        url = database_url or get_settings().effective_database_url
        return cls(engine or Engine(), PassportStore.open(url))

    def close(self) -> None:
        self.passports.database.close()

    @cached_property
    def space(self) -> SkillSpace:
        return skill_space(self.engine.index)

    @cached_property
    def occupations(self) -> RoleIndex:
        return occupation_index(self.space)

    @cached_property
    def indexes(self) -> PassportIndexes:
        return PassportIndexes(self.space, self.passports)

    # --- passports -----------------------------------------------------------------------------

    def add_cv(
        self,
        organisation_id: int,
        employee: str | int,
        source: str | os.PathLike[str] | bytes,
        filename: str | None = None,
    ) -> MergeReport:
        """Read a CV, extract its skills and merge them into the employee's passport; an unknown
        external id (str) is added as a new employee. Raises ``IngestError`` for an unreadable
        file (nothing is stored then), ``AlreadyExists`` for a file already stored in the
        organisation (same bytes), and ``NotFound`` for an unknown organisation."""
        content, name = _read_bytes(source, filename)
        for stored in self.passports.find_documents(organisation_id, content):
            # the same bytes again (a batch run twice): the same evidence would only be doubled
            owner = self.passports.get_employee(organisation_id, stored.employee_id)
            raise AlreadyExists(
                f"{name}: this file is already in the passport of {owner.external_id} (added "
                f"{stored.uploaded_at:%Y-%m-%d} as {stored.filename}); nothing was added"
            )
        document = read_document(content, filename=name, kind="cv")
        extraction = self.engine.extractor.extract(document)
        person = self._employee(organisation_id, employee, create=isinstance(employee, str))
        report = self.passports.build_passport_from_document(
            organisation_id,
            person.id,
            filename=name,
            content=content,
            text=document.text,
            lang=document.lang,
            claims=extraction.skills,
        )
        self.indexes.refresh(organisation_id, person.id)
        return report

    def passport(self, organisation_id: int, employee: str | int) -> Passport:
        return self.passports.passport(organisation_id, employee)

    def passport_changed(self, organisation_id: int, employee_id: int) -> None:
        """Call after changing a passport outside this class (e.g. confirming a claim)."""
        self.indexes.refresh(organisation_id, employee_id)

    def erase_employee(
        self, organisation_id: int, employee: str | int, actor: str = "system"
    ) -> ErasureReport:
        """Right to erasure: the employee's rows, documents and history in the database,
        their vector and profile in the loaded index, and the extractor's in-memory phrase
        caches (phrases of their CV may be among them; the caches are not kept per person,
        so they are emptied)."""
        person = self.passports.get_employee(organisation_id, employee)
        report = self.passports.erase_employee(organisation_id, person.id, actor=actor)
        self.indexes.remove(organisation_id, person.id)
        self.engine.forget_cached_phrases()
        return report

    # --- roles ---------------------------------------------------------------------------------

    def read_vacancy(
        self, source: str | os.PathLike[str] | bytes, filename: str | None = None
    ) -> RoleProfile:
        """A vacancy file as a role. Raises ``NoSkillsFound`` when no skill is recognised."""
        return self._vacancy(*_read_bytes(source, filename))[1]

    def _vacancy(self, content: bytes, name: str) -> tuple[Document, RoleProfile]:
        document = read_document(content, filename=name, kind="vacancy")
        extraction = self.engine.extractor.extract(document)
        title = str(document.metadata.get("title") or "").strip() or _first_line(document.text)
        return document, vacancy_role(self.space, extraction, title or name, document)

    def add_roles(self, organisation_id: int, path: str | os.PathLike[str]) -> list[Role]:
        """Store a vacancy file (with its document) or the roles of a role file as the
        organisation's open roles; they then show up in ``match_employee``."""
        path = Path(path)
        if path.suffix.lower() in ROLE_FILE_SUFFIXES:
            return [
                self.roles.add_role(organisation_id, "future_role", role.title, role.skills)
                for role in load_role_file(self.space, path)
            ]
        content, name = _read_bytes(path, None)
        document, role = self._vacancy(content, name)
        stored = self.passports.add_document(
            organisation_id, None, "vacancy", name, content, document.text, document.lang
        )
        return [
            self.roles.add_role(
                organisation_id, "vacancy", role.title, role.skills, source_document_id=stored.id
            )
        ]

    def organisation_roles(self, organisation_id: int) -> RoleIndex:
        """The organisation's open roles in an index of their own (never shared)."""
        roles, offset = [], 0
        while True:
            page = self.roles.list_roles(organisation_id, status="open", offset=offset, limit=1000)
            roles += [stored_role(self.space, role) for role in page]
            offset += len(page)
            if len(page) < 1000:
                return RoleIndex(self.space, roles)

    def resolve_role(self, organisation_id: int, reference: str) -> RoleProfile:
        """A role from: a stored role id ("12"), an ESCO occupation URI or exact label, a
        vacancy file, or a role file that defines exactly one role.

        Raises ``NotFound``/``UnknownRole`` (404-style), ``NoSkillsFound``, ``IngestError``.
        """
        reference = reference.strip()
        if reference.isdigit():
            return stored_role(self.space, self.roles.get_role(organisation_id, int(reference)))
        if reference.startswith("http"):
            return occupation_role(self.space, reference)
        path = Path(reference)
        if path.is_file():
            if path.suffix.lower() not in ROLE_FILE_SUFFIXES:
                return self.read_vacancy(path)
            roles = load_role_file(self.space, path)
            if len(roles) != 1:
                titles = ", ".join(repr(r.title) for r in roles)
                raise UnknownRole(
                    reference,
                    f"the file defines {len(roles)} roles: {titles}; "
                    "use a file with one role, or `vaardig gap-report`",
                )
            return roles[0]
        hits = self.engine.taxonomy.find_label(reference, kind="occupation")
        if hits:
            return occupation_role(self.space, hits[0].concept.uri)
        closest = self.engine.index.search(reference, kind="occupation", k=3)
        raise UnknownRole(
            reference, "closest ESCO occupations: " + "; ".join(h.concept.label for h in closest)
        )

    # --- matching ------------------------------------------------------------------------------

    def match_employee(
        self, organisation_id: int, employee: str | int, k: int = 10, *, esco: bool = True
    ) -> list[RoleMatch]:
        """The best roles for an employee: ESCO occupations (unless ``esco`` is False) and the
        organisation's open roles. Raises ``NoSkillsFound`` for an empty passport."""
        passport = self.passports.passport(organisation_id, employee)
        person = passport_skills(self.space, passport)
        if not len(person):
            raise NoSkillsFound(
                f"employee {passport.employee.external_id}",
                "Their passport has no active skills: add a CV with `vaardig passport add`.",
            )
        indexes = [self.organisation_roles(organisation_id)]
        if esco:
            indexes.append(self.occupations)
        return top_roles(self.space, person, indexes, k, passport=passport)

    def match_vacancy(
        self,
        organisation_id: int,
        vacancy: str | os.PathLike[str] | bytes | RoleProfile,
        k: int = 10,
    ) -> list[CandidateMatch]:
        """The organisation's own people for a vacancy (file, bytes or profile), best first,
        each with an explanation and the evidence from their passport."""
        role = vacancy if isinstance(vacancy, RoleProfile) else self.read_vacancy(vacancy)
        index = self._index(organisation_id)
        while True:
            missing: list[int] = []
            loader = functools.partial(self._passports_present, organisation_id, missing=missing)
            matches = top_candidates(self.space, index, role, k, passports=loader)
            if not missing:
                return matches
            index.remove(missing)  # erased by another process since the index was built

    def match_role(self, organisation_id: int, role: str | RoleProfile) -> RoleCoverage:
        """A role against the whole workforce: ready / near / far, and who has each skill."""
        profile = (
            role if isinstance(role, RoleProfile) else self.resolve_role(organisation_id, role)
        )
        return role_coverage(self.space, self._index(organisation_id), profile)

    def reskilling_path(
        self, organisation_id: int, employee: str | int, role: str | RoleProfile
    ) -> ReskillingPath:
        """What the employee needs to learn for the role, in order, with mentors from their
        own organisation."""
        person = self.passports.get_employee(organisation_id, employee)
        profile = (
            role if isinstance(role, RoleProfile) else self.resolve_role(organisation_id, role)
        )
        index = self.indexes.get(organisation_id)
        skills = (
            index.person(person.id)
            if person.id in index
            else passport_skills(self.space, self.passports.passport(organisation_id, person.id))
        )
        return reskilling_path(
            self.space,
            profile,
            skills,
            colleagues=index,
            employee_id=person.id,
            external_id=person.external_id,
        )

    def gap_report(
        self, organisation_id: int, roles: str | os.PathLike[str] | Sequence[RoleProfile]
    ) -> GapReport:
        """The workforce gap report for a role file (or profiles)."""
        profiles = (
            load_role_file(self.space, roles) if isinstance(roles, str | os.PathLike) else roles
        )
        return gap_report(
            self.space,
            self._index(organisation_id),
            list(profiles),
            organisation_id=organisation_id,
        )

    def gap_scenarios(
        self,
        organisation_id: int,
        roles: str | os.PathLike[str] | Sequence[RoleProfile],
        scenarios: Sequence[Scenario],
    ) -> ScenarioComparison:
        """The gap report for a role file (or profiles) as it is ("basis") and under each
        scenario, compared (:func:`matcher.gap_scenarios.compare_gap_scenarios`)."""
        from matcher.gap_scenarios import compare_gap_scenarios

        profiles = (
            load_role_file(self.space, roles) if isinstance(roles, str | os.PathLike) else roles
        )
        return compare_gap_scenarios(
            self.space,
            self._index(organisation_id),
            list(profiles),
            scenarios,
            organisation_id=organisation_id,
        )

    # --- helpers -------------------------------------------------------------------------------

    def _employee(self, organisation_id: int, employee: str | int, create: bool) -> Employee:
        try:
            return self.passports.get_employee(organisation_id, employee)
        except NotFound as exc:
            if not create or exc.kind != "employee":
                raise
            return self.passports.add_employee(organisation_id, str(employee))

    def _index(self, organisation_id: int) -> PassportIndex:
        index = self.indexes.get(organisation_id)
        if not len(index):
            raise NoPassports(organisation_id)
        return index

    def _passports_present(
        self, organisation_id: int, ids: Sequence[int], missing: list[int]
    ) -> list[Passport]:
        wanted = list(ids)
        while True:
            try:
                return self.passports.passports(organisation_id, wanted)
            except NotFound as exc:
                if exc.kind != "employee" or exc.key not in wanted:
                    raise
                wanted.remove(exc.key)
                missing.append(exc.key)


def _read_bytes(source: str | os.PathLike[str] | bytes, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes):
        return source, filename or "<upload>"
    path = Path(source)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    size = path.stat().st_size
    if size > DEFAULT_MAX_BYTES:  # refuse before reading a huge file into memory
        raise FileTooLargeError(path.name, size, DEFAULT_MAX_BYTES)
    return path.read_bytes(), filename or path.name


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:200]


# --- demo --------------------------------------------------------------------------------------


def run_passport_demo(console: Console, engine: Engine | None = None) -> None:
    """``vaardig demo``: passports for the sample employees, the sample vacancy's internal
    candidates with explanations, a reskilling path and the gap report's counts. Uses a
    throw-away SQLite database, never the configured one."""
    with tempfile.TemporaryDirectory(prefix="vaardig-demo-") as folder:
        workflow = Workflow.open(engine, f"sqlite:///{Path(folder) / 'demo.db'}")
        try:
            _demo(console, workflow)
        finally:
            workflow.close()


def _demo(console: Console, workflow: Workflow) -> None:
    org = workflow.passports.create_organisation("Installatiebedrijf De Vonk (demo)")
    console.rule("Skills passports")
    for n, cv in enumerate(sorted(SAMPLES.glob("cv_*.txt")), 1):
        workflow.add_cv(org.id, f"emp-{n:03d}", cv)
        claims = workflow.passport(org.id, f"emp-{n:03d}").claims
        inferred = sum(c.method == "inferred" for c in claims)
        console.print(
            f"emp-{n:03d} ← {cv.name}: {len(claims) - inferred} skills with evidence, "
            f"{inferred} inferred from job titles",
            highlight=False,
        )
    vacancy = workflow.read_vacancy(SAMPLES / "vacature_servicemonteur_zonnepanelen.txt")
    console.rule(f"Internal candidates for “{vacancy.title}”")
    matches = workflow.match_vacancy(org.id, vacancy, k=5)
    table = Table(title_justify="left")
    for column in ("employee", "score", "matched", "near", "missing (essential first)"):
        table.add_column(column, overflow="fold")
    for m in matches:
        e = m.explanation
        table.add_row(
            m.external_id,
            f"{m.score:.1f}",
            str(len(e.matched)),
            str(len(e.near)),
            "; ".join(s.label for s in e.missing[:3]) or "-",
        )
    console.print(table)
    best = matches[0]
    console.print(f"[bold]Why {best.external_id}[/]", highlight=False)
    for skill in best.explanation.matched[:5]:
        evidence = skill.evidence[0].text if skill.evidence else ""
        console.print(f"  ✓ {skill.label}  [dim]“{evidence}”[/]", highlight=False)
    for near in best.explanation.near[:3]:
        console.print(
            f"  ≈ {near.label} ← {near.held_label} ({near.similarity:.2f})", highlight=False
        )
    path = workflow.reskilling_path(org.id, best.external_id, vacancy)
    console.rule(f"Reskilling path {best.external_id} → {vacancy.title}")
    print_path(console, path)
    report = workflow.gap_report(org.id, SAMPLES / "future_roles.yaml")
    console.rule("Future roles (samples/future_roles.yaml)")
    for gap in report.roles:
        c = gap.coverage
        console.print(
            f"{gap.role.title}: {c.count('ready')} ready, {c.count('near')} near, "
            f"{c.count('far')} far",
            highlight=False,
        )
    console.print(f"[dim]{workflow.engine.taxonomy.attribution}[/]")


def print_path(console: Console, path: ReskillingPath) -> None:
    """A reskilling path as a table (shared by the demo and the CLI)."""
    table = Table(
        title_justify="left",
        title=f"score now {path.score:.1f}; about "
        f"{path.total_hours} hours (~{path.weeks} weeks at 4 h/week)",
    )
    for column in ("#", "skill", "closest held skill", "hours", "on the job / mentor / course"):
        table.add_column(column, overflow="fold")
    for step in path.steps:
        closest = f"{step.closest_label} ({step.closeness:.2f})" if step.closest_label else "-"
        mentors = (
            ", ".join(step.modes.mentors) or "nog geen collega met deze vaardigheid (bevestigd)"
        )
        marker = "" if step.essential else " [dim](optional)[/]"
        table.add_row(
            str(step.order),
            step.label + marker,
            closest,
            str(step.hours),
            f"{step.modes.on_the_job}\nmentor: {mentors}\ncourse: {step.modes.formal}",
        )
    if not path.steps:
        console.print("Nothing to learn: the employee already holds every skill of the role.")
        return
    console.print(table)
