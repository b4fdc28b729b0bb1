"""Reskilling paths: prerequisites first, then closest to what the person has; effort; 70-20-10
learning modes with mentors from the person's own organisation only."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matcher.passport_index import PassportIndexes
from matcher.paths import HOURS_PER_WEEK, effort_hours, learning_modes, reskilling_path
from matcher.profiles import PersonSkills
from matcher.roles import make_role
from matcher.skills import SkillSpace
from matcher.store import PassportStore, RoleSkill
from matcher.store.testing import skill_claim

SKILL = "http://data.europa.eu/esco/skill/"
HASKELL = SKILL + "000f1d3d-220f-4789-9c0a-cc742521fb02"
PROGRAMMING = SKILL + "21d2f96d-35f7-4e3f-9745-c533d2dd6e97"  # computerprogrammering
PYTHON = SKILL + "ccd0a1d9-afda-43d9-b901-96344886e14d"
MARKETING_STRATEGY = SKILL + "08fd2839-670c-4f16-8024-97437f2035ab"
MARKETING_PRINCIPLES = SKILL + "de03f4fd-c147-4477-a048-7109e5ba2d6f"  # essential for the above
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"
ACCOUNTING = SKILL + "ecc18804-a466-40d9-98b4-fba5cd67dd4b"
MAINTAIN_PV = SKILL + "33784b61-bd86-4451-8a89-741ada5f8475"
MAINTAIN_SOLAR = SKILL + "9cf2856d-0375-4ec3-a51f-7f9c82119859"


@pytest.fixture(scope="module")
def space(index) -> SkillSpace:
    return SkillSpace.from_index(index)


@pytest.fixture
def store(tmp_path: Path):
    store = PassportStore.open(f"sqlite:///{tmp_path / 'vaardig.db'}")
    yield store
    store.database.close()


def role_of(space: SkillSpace, *uris: str):
    return make_role(
        space, "t", "test role", "future_role", [RoleSkill(u, 1.0, True) for u in uris]
    )


def person(space: SkillSpace, *uris: str) -> PersonSkills:
    return PersonSkills.from_rows(space, space.rows(uris), np.ones(len(uris)))


def test_a_broader_skill_comes_before_its_narrower_one(space):
    assert PROGRAMMING in {c.uri for c in space.taxonomy.ancestors(HASKELL)}
    path = reskilling_path(space, role_of(space, HASKELL, PROGRAMMING), person(space, PYTHON))
    order = [step.uri for step in path.steps]
    assert order.index(PROGRAMMING) < order.index(HASKELL)
    haskell = next(step for step in path.steps if step.uri == HASKELL)
    assert space.concept(space.row_of[PROGRAMMING]).label in haskell.prerequisites


def test_an_essential_related_skill_comes_first(space):
    related = dict((c.uri, r) for c, r in space.taxonomy.related_of(MARKETING_STRATEGY))
    assert related[MARKETING_PRINCIPLES] == "essential"
    path = reskilling_path(
        space, role_of(space, MARKETING_STRATEGY, MARKETING_PRINCIPLES), person(space, FORKLIFT)
    )
    assert [s.uri for s in path.steps] == [MARKETING_PRINCIPLES, MARKETING_STRATEGY]


def test_without_prerequisites_the_skill_closest_to_what_the_person_has_comes_first(space):
    path = reskilling_path(
        space, role_of(space, ACCOUNTING, MAINTAIN_PV), person(space, MAINTAIN_SOLAR)
    )
    first, second = path.steps
    assert first.uri == MAINTAIN_PV and first.status == "near"
    assert first.closest_uri == MAINTAIN_SOLAR and first.closeness > second.closeness
    assert second.uri == ACCOUNTING and second.status == "missing"
    assert second.closest_uri is None  # nothing held is close to bookkeeping


def test_held_skills_are_not_steps_and_hours_add_up(space):
    path = reskilling_path(space, role_of(space, FORKLIFT, ACCOUNTING), person(space, FORKLIFT))
    assert [s.uri for s in path.steps] == [ACCOUNTING]
    assert path.total_hours == sum(s.hours for s in path.steps)
    assert path.weeks == -(-path.total_hours // HOURS_PER_WEEK)
    json.dumps(path.to_dict())


def test_effort_falls_as_the_closest_held_skill_gets_closer(space):
    concept = space.concept(space.row_of[MAINTAIN_PV])
    far, near, same = (effort_hours(concept, c) for c in (0.0, 0.6, 0.95))
    assert far > near > same >= 4
    assert all(h % 4 == 0 for h in (far, near, same))


def test_learning_modes_cover_70_20_10_and_depend_on_the_skill(space):
    english = next(c for c in space.taxonomy.iter("skill") if c.pref_en == "English")
    language = learning_modes(english, ())
    assert "taalcursus" in language.formal
    practical = learning_modes(space.concept(space.row_of[FORKLIFT]), ("emp-7",))
    assert "heftrucks bedienen" in practical.on_the_job
    assert practical.mentors == ("emp-7",) and practical.formal


def test_mentors_are_colleagues_of_the_same_organisation_with_the_skill_confirmed(space, store):
    ours = store.create_organisation("Ons bedrijf")
    theirs = store.create_organisation("Ander bedrijf")
    learner = store.add_employee(ours.id, "emp-learner")
    store.add_manual_claim(ours.id, learner.id, FORKLIFT, "heftrucks bedienen", actor="hr")
    mentor = store.add_employee(ours.id, "emp-mentor")
    store.add_manual_claim(ours.id, mentor.id, MAINTAIN_PV, "pv onderhouden", actor="hr")
    unconfirmed = store.add_employee(ours.id, "emp-unconfirmed")
    text = "Ik onderhoud fotovoltaïsche systemen."
    document = store.add_document(
        ours.id, unconfirmed.id, "cv", "cv.txt", text.encode(), text, "nl"
    )
    claim = skill_claim(MAINTAIN_PV, "pv onderhouden", text, "onderhoud fotovoltaïsche systemen")
    store.merge_claims(ours.id, unconfirmed.id, document.id, [claim])
    outsider = store.add_employee(theirs.id, "emp-outsider")
    store.add_manual_claim(theirs.id, outsider.id, MAINTAIN_PV, "pv onderhouden", actor="hr")

    indexes = PassportIndexes(space, store)
    colleagues = indexes.get(ours.id)
    path = reskilling_path(
        space,
        role_of(space, MAINTAIN_PV),
        colleagues.person(learner.id),
        colleagues=colleagues,
        employee_id=learner.id,
        external_id="emp-learner",
    )
    assert path.steps[0].modes.mentors == ("emp-mentor",)
    own = reskilling_path(
        space,
        role_of(space, MAINTAIN_PV, ACCOUNTING),
        colleagues.person(mentor.id),
        colleagues=colleagues,
        employee_id=mentor.id,
    )
    assert "emp-mentor" not in [m for s in own.steps for m in s.modes.mentors]
