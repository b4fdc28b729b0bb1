"""Role profiles: what a role needs, as weighted skills of the skill space.

Three sources, one ``RoleProfile``:

- an ESCO occupation: essential skills weight 1.0, optional ones 0.5;
- a vacancy: the extractor's evidenced claims (not the ones inferred from the job title) with
  confidence >= ``VACANCY_MIN_CONFIDENCE``, outside the "what we offer" section and the "how
  to apply" part (a heading like "Interesse?" or "Solliciteren": "bel Marieke (HR)" is no
  requirement); a claim whose sentence marks it as a nice-to-have ("is een pré", "bij
  voorkeur", "a plus") is optional (0.5), every other one essential (1.0);
- a role HR defines (a future role, or a stored one): a list of (skill, weight, essential),
  read by :func:`load_role_file` from YAML, JSON or CSV.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from extractor.claims import Extraction
from extractor.documents import Document
from matcher.errors import NoSkillsFound, UnknownSkills
from matcher.skills import SkillSpace
from matcher.store.records import Role, RoleSkill

ESSENTIAL_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5
VACANCY_MIN_CONFIDENCE = 0.75
VACANCY_SKIPPED_SECTIONS = frozenset({"offer"})  # training the employer offers is no requirement
APPLY_HEADING = re.compile(
    r"interesse|solliciteer|sollicitatie|solliciteren|contact|meer informatie|reageren|"
    r"how to apply|apply|interested",
    re.IGNORECASE,
)
NICE_TO_HAVE = re.compile(
    r"\b(?:pr[eé]|pluspunt|is een plus|bij voorkeur|strekt tot aanbeveling|een voordeel|"
    r"nice to have|is a plus|preferred|an advantage|desirable)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, eq=False)
class RoleProfile:
    """A role's needs. ``skills`` are sorted essential first, then by weight; ``rows``,
    ``weights`` (float64) and ``essential`` (bool) are the same skills as arrays (n,), and
    ``vector`` the weight-averaged profile vector (dim,), unit length.

    ``key`` identifies the role across sources: ``esco:<occupation uri>``, ``role:<id>`` (a
    stored role), ``vacancy:<source>`` or ``future:<title>``.
    """

    key: str
    title: str
    kind: str  # "esco_occupation", "vacancy" or "future_role"
    skills: tuple[RoleSkill, ...]
    rows: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    essential: np.ndarray = field(repr=False)
    vector: np.ndarray = field(repr=False)
    role_id: int | None = None
    occupation_uri: str | None = None

    def __len__(self) -> int:
        return len(self.skills)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "role_id": self.role_id,
            "occupation_uri": self.occupation_uri,
        }


def make_role(
    space: SkillSpace,
    key: str,
    title: str,
    kind: str,
    skills: Iterable[RoleSkill],
    *,
    role_id: int | None = None,
    occupation_uri: str | None = None,
) -> RoleProfile:
    """A profile from skills; skills outside the skill space are left out, a skill listed
    twice keeps its highest weight and is essential if either says so.

    Raises:
        NoSkillsFound: none of the skills is an ESCO skill.
    """
    merged: dict[str, RoleSkill] = {}
    for skill in skills:
        if skill.skill_uri not in space:
            continue
        seen = merged.get(skill.skill_uri)
        if seen is not None:
            skill = RoleSkill(
                skill.skill_uri, max(seen.weight, skill.weight), seen.essential or skill.essential
            )
        merged[skill.skill_uri] = skill
    if not merged:
        raise NoSkillsFound(title)
    ordered = sorted(
        merged.values(),
        key=lambda s: (not s.essential, -s.weight, space.label(space.row_of[s.skill_uri])),
    )
    rows = space.rows(s.skill_uri for s in ordered)
    weights = np.array([s.weight for s in ordered], dtype=np.float64)
    return RoleProfile(
        key=key,
        title=title,
        kind=kind,
        skills=tuple(ordered),
        rows=rows,
        weights=weights,
        essential=np.array([s.essential for s in ordered], dtype=bool),
        vector=space.profile_vector(rows, weights),
        role_id=role_id,
        occupation_uri=occupation_uri,
    )


def occupation_role(space: SkillSpace, occupation_uri: str) -> RoleProfile:
    """An ESCO occupation as a role. Raises ``ConceptNotFound`` for an unknown URI,
    ``ValueError`` for a concept that is not an occupation, ``NoSkillsFound`` for an occupation
    without skills."""
    concept = space.taxonomy.get(occupation_uri)
    if concept.kind != "occupation":
        raise ValueError(f"{occupation_uri} is a {concept.kind}, not an occupation")
    needs = [
        RoleSkill(
            skill.uri,
            ESSENTIAL_WEIGHT if relation == "essential" else OPTIONAL_WEIGHT,
            relation == "essential",
        )
        for skill, relation in space.taxonomy.skills_of(concept.uri)
    ]
    return make_role(
        space,
        f"esco:{concept.uri}",
        concept.label,
        "esco_occupation",
        needs,
        occupation_uri=concept.uri,
    )


def occupation_roles(space: SkillSpace) -> list[RoleProfile]:
    """Every ESCO occupation that lists at least one skill, as a role (about 3,000)."""
    roles = []
    for concept in space.taxonomy.iter("occupation"):
        try:
            roles.append(occupation_role(space, concept.uri))
        except NoSkillsFound:
            continue
    return roles


def vacancy_skills(
    extraction: Extraction,
    document: Document | None = None,
    min_confidence: float = VACANCY_MIN_CONFIDENCE,
) -> list[RoleSkill]:
    """What a vacancy asks for, from its extraction (see module doc); ``document`` (the
    extracted one) lets claims under a "how to apply" heading be left out."""
    apply_spans = [
        (s.start, s.end)
        for s in (document.sections if document is not None else ())
        if APPLY_HEADING.search(s.heading)
    ]
    needs = []
    for claim in extraction.skills:
        if claim.method == "inferred" or claim.confidence < min_confidence:
            continue
        if claim.evidence.section in VACANCY_SKIPPED_SECTIONS:
            continue
        if any(start <= claim.evidence.start < end for start, end in apply_spans):
            continue
        optional = NICE_TO_HAVE.search(claim.evidence.sentence) is not None
        needs.append(
            RoleSkill(claim.uri, OPTIONAL_WEIGHT if optional else ESSENTIAL_WEIGHT, not optional)
        )
    return needs


def vacancy_role(
    space: SkillSpace,
    extraction: Extraction,
    title: str,
    document: Document | None = None,
    min_confidence: float = VACANCY_MIN_CONFIDENCE,
) -> RoleProfile:
    """A vacancy as a role. Raises ``NoSkillsFound`` when no skill passes the threshold."""
    needs = vacancy_skills(extraction, document, min_confidence)
    if not needs:
        raise NoSkillsFound(extraction.source)
    return make_role(space, f"vacancy:{extraction.source}", title, "vacancy", needs)


def stored_role(space: SkillSpace, role: Role) -> RoleProfile:
    """A role from the role store (vacancy, future role or occupation) as a profile."""
    return make_role(space, f"role:{role.id}", role.title, role.kind, role.skills, role_id=role.id)


# --- role files ----------------------------------------------------------------------------


def load_role_file(space: SkillSpace, path: str | Path) -> list[RoleProfile]:
    """Roles HR defines, from YAML, JSON or CSV; every skill by ESCO label (Dutch or English,
    case-insensitive) or URI.

    YAML/JSON: ``{"roles": [{"title": str, "skills": [{"skill": str, "weight": float,
    "essential": bool} | str, ...]}]}`` (or the list of roles alone). CSV: a header with
    ``role,skill`` and optionally ``weight,essential``. ``essential`` defaults to true, ``weight``
    to 1.0 for essential and 0.5 for optional skills.

    Raises:
        FileNotFoundError; ValueError for a malformed file; UnknownSkills naming every label
        the taxonomy does not know.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such role file")
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8-sig")
    if suffix == ".csv":
        raw = _roles_from_csv(path, text)
    elif suffix in (".yaml", ".yml", ".json"):
        raw = _roles_from_mapping(path, _parse_structured(path, text, suffix))
    else:
        raise ValueError(f"{path}: a role file must be .yaml, .yml, .json or .csv")
    unknown: list[tuple[str, str | None]] = []
    resolved: list[tuple[str, list[RoleSkill]]] = []
    for title, items in raw:
        needs = []
        for label, weight, essential in items:
            uri = resolve_skill(space, label)
            if uri is None:
                if label not in [u for u, _ in unknown]:
                    unknown.append((label, _suggestion(space, label)))
                continue
            needs.append(RoleSkill(uri, weight, essential))
        resolved.append((title, needs))
    if unknown:
        raise UnknownSkills(str(path), unknown)
    return [
        make_role(space, f"future:{title}", title, "future_role", needs)
        for title, needs in resolved
    ]


def resolve_skill(space: SkillSpace, text: str) -> str | None:
    """The ESCO skill URI for a URI or an exact label (preferred labels win), else None."""
    concept = space.taxonomy.resolve(text, "skill")
    return concept.uri if concept is not None and concept.uri in space else None


def _suggestion(space: SkillSpace, label: str) -> str | None:
    if not label.strip() or label.startswith("http"):
        return None
    hits = space.index.search(label, kind="skill", k=1)
    return hits[0].concept.label if hits else None


RawRole = tuple[str, list[tuple[str, float, bool]]]


def _parse_structured(path: Path, text: str, suffix: str) -> Any:
    try:
        if suffix == ".json":
            return json.loads(text)
        import yaml

        return yaml.safe_load(text)
    except Exception as exc:  # yaml and json raise many types; all mean "malformed"
        raise ValueError(f"{path}: cannot parse the role file: {exc}") from None


def _roles_from_mapping(path: Path, data: Any) -> list[RawRole]:
    roles = data.get("roles") if isinstance(data, dict) else data
    if not isinstance(roles, list) or not roles:
        raise ValueError(f"{path}: expected a list of roles under 'roles:'")
    out = []
    for i, role in enumerate(roles, 1):
        if not isinstance(role, dict) or not str(role.get("title") or "").strip():
            raise ValueError(f"{path}: role {i} needs a 'title'")
        skills = role.get("skills")
        if not isinstance(skills, list) or not skills:
            raise ValueError(f"{path}: role {role['title']!r} needs a list of 'skills'")
        items = []
        for item in skills:
            if isinstance(item, str):
                items.append((item, ESSENTIAL_WEIGHT, True))
            elif isinstance(item, dict) and isinstance(item.get("skill"), str):
                items.append(
                    _item(path, item["skill"], item.get("weight"), item.get("essential", True))
                )
            else:
                raise ValueError(f"{path}: role {role['title']!r}: bad skill entry {item!r}")
        out.append((str(role["title"]).strip(), items))
    return out


def _roles_from_csv(path: Path, text: str) -> list[RawRole]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or not {"role", "skill"} <= set(reader.fieldnames):
        raise ValueError(f"{path}: the CSV needs a header with at least 'role,skill'")
    roles: dict[str, list[tuple[str, float, bool]]] = {}
    for line, row in enumerate(reader, 2):
        title, skill = (row.get("role") or "").strip(), (row.get("skill") or "").strip()
        if not title or not skill:
            raise ValueError(f"{path}: line {line} needs a role and a skill")
        essential = (row.get("essential") or "true").strip().lower()
        if essential not in ("true", "false", "yes", "no", "1", "0", "ja", "nee"):
            raise ValueError(f"{path}: line {line}: essential must be true or false")
        roles.setdefault(title, []).append(
            _item(path, skill, row.get("weight") or None, essential in ("true", "yes", "1", "ja"))
        )
    if not roles:
        raise ValueError(f"{path}: the CSV holds no roles")
    return list(roles.items())


def _item(path: Path, skill: str, weight: object, essential: object) -> tuple[str, float, bool]:
    if not isinstance(essential, bool):
        raise ValueError(f"{path}: skill {skill!r}: essential must be true or false")
    if weight is None:
        weight = ESSENTIAL_WEIGHT if essential else OPTIONAL_WEIGHT
    try:
        value = float(weight)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{path}: skill {skill!r}: weight must be a number") from None
    if not 0 < value <= 10:
        raise ValueError(f"{path}: skill {skill!r}: weight must be in (0, 10], got {value}")
    return skill.strip(), value, essential


def role_titles(roles: Sequence[RoleProfile]) -> str:
    return ", ".join(repr(r.title) for r in roles)
