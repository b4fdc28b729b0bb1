"""Scenarios from strategic personnel planning: named weights on skills, groups and collections.

A scenario file (YAML or JSON)::

    name: vergaande AI-automatisering
    description: AI neemt routinematig administratief werk over.
    weights:
      - {collection: digital, factor: 1.5}
      - {group: "S2.3", factor: 0.5}            # ESCO skill group, by code, URI or label
      - {skill: "documenten archiveren", factor: 0.2}
    add:                                         # skills the future roles gain
      - {skill: "principes van kunstmatige intelligentie", weight: 1.0, essential: false}

``apply_scenario(role_skills, scenario, taxonomy)`` reweights a future role's skills;
``compare_scenarios(roles, scenarios, taxonomy, gap_report)`` runs any gap report (a callable)
on the baseline and on every scenario's version of the roles, so the results sit side by side.

Which rule applies to a skill: the most specific one. A skill rule beats a skill-group rule
(the nearest group in the hierarchy first), which beats collection rules; when several
collection rules match (a skill can be both digital and transversal), their factors multiply.
A factor of 0 removes the skill from the role.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar

from taxonomy import Taxonomy

Target = Literal["skill", "group", "collection"]
R = TypeVar("R")


class RoleSkill(NamedTuple):
    """One skill of a (future) role: plain ``(uri, weight, essential)`` tuples work too."""

    uri: str
    weight: float
    essential: bool


@dataclass(frozen=True)
class ScenarioWeight:
    """``factor`` for a skill, a skill group or an ESCO collection; ``target`` is resolved to a
    URI (skills, groups) or a collection name by :func:`load_scenario`/:meth:`Scenario.resolve`."""

    kind: Target
    target: str
    factor: float


@dataclass(frozen=True)
class Scenario:
    """A named set of weights, plus skills every future role gains."""

    name: str
    weights: tuple[ScenarioWeight, ...]
    add: tuple[RoleSkill, ...] = ()
    description: str = ""

    def resolve(self, taxonomy: Taxonomy) -> Scenario:
        """The scenario with every skill and group target as a URI.

        Raises:
            ValueError: a target the taxonomy does not know, or a label shared by several
                concepts (the message names it).
        """
        weights = tuple(
            ScenarioWeight(w.kind, _resolve_target(w.kind, w.target, taxonomy, self.name), w.factor)
            for w in self.weights
        )
        add = tuple(
            RoleSkill(_resolve_target("skill", s.uri, taxonomy, self.name), s.weight, s.essential)
            for s in self.add
        )
        return Scenario(self.name, weights, add, self.description)

    def factor(self, skill_uri: str, taxonomy: Taxonomy) -> float:
        """The factor this (resolved) scenario puts on one skill; 1.0 when no rule matches."""
        rules = _Rules.of(self)
        if skill_uri in rules.skills:
            return rules.skills[skill_uri]
        if rules.groups and skill_uri in taxonomy:
            for group in taxonomy.skill_groups(skill_uri):  # nearest first
                if group.uri in rules.groups:
                    return rules.groups[group.uri]
        concept = taxonomy.concepts.get(skill_uri)
        factor = 1.0
        if concept is not None:
            for collection in sorted(concept.collections):
                factor *= rules.collections.get(collection, 1.0)
        return factor


@dataclass
class _Rules:
    skills: dict[str, float] = field(default_factory=dict)
    groups: dict[str, float] = field(default_factory=dict)
    collections: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario) -> _Rules:
        rules = cls()
        for w in scenario.weights:
            table = {"skill": rules.skills, "group": rules.groups, "collection": rules.collections}
            table[w.kind][w.target] = w.factor
        return rules


def apply_scenario(
    role_skills: Iterable[tuple[str, float, bool]], scenario: Scenario, taxonomy: Taxonomy
) -> list[RoleSkill]:
    """A role's skills under ``scenario``: weights multiplied by the matching factor, skills at
    factor 0 dropped, the scenario's added skills appended (unless the role has them).

    Args:
        role_skills: ``(skill URI, weight, essential)`` per skill of the role.
        scenario: resolved or not (it is resolved against ``taxonomy`` here).

    Returns:
        New :class:`RoleSkill` tuples, in the input order, added skills last.
    """
    resolved = scenario.resolve(taxonomy)
    role_skills = list(role_skills)
    out: list[RoleSkill] = []
    for uri, weight, essential in role_skills:
        factor = resolved.factor(uri, taxonomy)
        if factor > 0:
            out.append(RoleSkill(uri, weight * factor, essential))
    present = {s.uri for s in out} | {uri for uri, _, _ in role_skills}
    out += [s for s in resolved.add if s.uri not in present]
    return out


@dataclass(frozen=True)
class ScenarioResult:
    """One scenario's roles and the gap report computed for them."""

    scenario: str
    roles: dict[str, list[RoleSkill]]
    report: object


def compare_scenarios(
    roles: Mapping[str, Sequence[tuple[str, float, bool]]],
    scenarios: Sequence[Scenario],
    taxonomy: Taxonomy,
    gap_report: Callable[[dict[str, list[RoleSkill]]], R],
    baseline: str | None = "basis",
) -> list[ScenarioResult]:
    """Run ``gap_report`` on the roles as they are and under every scenario.

    Args:
        roles: future role name → its skills ``(uri, weight, essential)``.
        scenarios: the scenarios to compare (names must be unique).
        gap_report: computes the workforce gap report for a set of roles (e.g. a closure over
            the firm's passports and ``matcher.gap``); its result is kept as is.
        baseline: name of the unchanged roles' result, listed first; None leaves it out.

    Returns:
        One :class:`ScenarioResult` per scenario, the baseline first.

    Raises:
        ValueError: two scenarios share a name (or use the baseline's name).
    """
    names = [s.name for s in scenarios] + ([baseline] if baseline else [])
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must be unique, got {names}")
    results = []
    if baseline:
        base = {name: [RoleSkill(*s) for s in skills] for name, skills in roles.items()}
        results.append(ScenarioResult(baseline, base, gap_report(base)))
    for scenario in scenarios:
        adjusted = {
            name: apply_scenario(skills, scenario, taxonomy) for name, skills in roles.items()
        }
        results.append(ScenarioResult(scenario.name, adjusted, gap_report(adjusted)))
    return results


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario file (.yaml/.yml or .json).

    Raises:
        FileNotFoundError: no such file.
        ValueError: not valid YAML/JSON, or a missing name, an entry without exactly one of
            skill/group/collection, or a negative or non-numeric factor.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise ValueError(f"{path}: not valid YAML ({error})") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}: not valid JSON ({error}); use .yaml for YAML") from None
    return scenario_from_dict(data, str(path))


def scenario_from_dict(data: object, where: str = "scenario") -> Scenario:
    """A :class:`Scenario` from parsed YAML/JSON (see the module docstring for the layout)."""
    if not isinstance(data, dict) or not str(data.get("name") or "").strip():
        raise ValueError(f"{where}: a scenario needs a 'name' and a list of 'weights'")
    weights = []
    for i, entry in enumerate(data.get("weights") or [], 1):
        kinds = [
            k for k in ("skill", "group", "collection") if isinstance(entry, dict) and k in entry
        ]
        if len(kinds) != 1:
            raise ValueError(
                f"{where}: weight {i} needs exactly one of 'skill', 'group', 'collection'"
            )
        weights.append(
            ScenarioWeight(
                kinds[0],
                str(entry[kinds[0]]).strip(),
                _number(entry.get("factor"), f"{where}: weight {i}"),
            )
        )
    add = []
    for i, entry in enumerate(data.get("add") or [], 1):
        if not isinstance(entry, dict) or "skill" not in entry:
            raise ValueError(f"{where}: added skill {i} needs a 'skill'")
        add.append(
            RoleSkill(
                str(entry["skill"]).strip(),
                _number(entry.get("weight", 1.0), f"{where}: added skill {i}"),
                bool(entry.get("essential", False)),
            )
        )
    if not weights and not add:
        raise ValueError(f"{where}: scenario {data['name']!r} has no weights and adds no skills")
    return Scenario(
        str(data["name"]).strip(), tuple(weights), tuple(add), str(data.get("description") or "")
    )


MAX_FACTOR = 100.0  # a factor or weight beyond this is a typo, not a scenario


def _number(value: object, where: str) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not 0 <= value <= MAX_FACTOR  # also refuses NaN and infinity
    ):
        raise ValueError(
            f"{where}: factor/weight must be a number >= 0 and at most {MAX_FACTOR:g}, "
            f"got {value!r}"
        )
    return float(value)


def _resolve_target(kind: str, target: str, taxonomy: Taxonomy, scenario: str) -> str:
    if kind == "collection":
        known = {c for concept in taxonomy.iter("skill") for c in concept.collections}
        name = target.lower()
        if name not in known:
            raise ValueError(
                f"scenario {scenario!r}: unknown collection {target!r} "
                f"(known: {', '.join(sorted(known))})"
            )
        return name
    wanted = ("skill",) if kind == "skill" else ("skill_group",)
    if target in taxonomy and taxonomy.concepts[target].kind in wanted:
        return target
    if kind == "group":
        for concept in taxonomy.iter("skill_group"):
            if concept.code and concept.code.lower() == target.lower():
                return concept.uri
    hits = [h.concept for h in taxonomy.find_label(target) if h.concept.kind in wanted]
    uris = sorted({c.uri for c in hits})
    if len(uris) == 1:
        return uris[0]
    what = "skill" if kind == "skill" else "skill group"
    if not uris:
        raise ValueError(
            f"scenario {scenario!r}: no ESCO {what} {target!r}; use its URI, its exact label"
            + (" or its code (e.g. S2.3)" if kind == "group" else "")
            + " (find it with `vaardig taxonomy search`)"
        )
    raise ValueError(
        f"scenario {scenario!r}: {target!r} names {len(uris)} {what}s; use one URI: "
        + ", ".join(uris[:3])
    )


def scenario_factor(scenario: Scenario, level: str, key: str, taxonomy: Taxonomy) -> float:
    """The factor a resolved ``scenario`` puts on a trend series: a skill (all rules), a skill
    group (its own rule) or a collection (its own rule); 1.0 when no rule matches."""
    if level == "skill":
        return scenario.factor(key, taxonomy)
    rules = _Rules.of(scenario)
    table = rules.groups if level == "group" else rules.collections
    return table.get(key, 1.0)
