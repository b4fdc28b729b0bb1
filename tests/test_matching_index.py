"""The passport and role indexes: incremental add/remove without rebuilding, per-organisation
indexes built from the database, the switch to IVF for large organisations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from matcher.matching import rank_candidates
from matcher.passport_index import IndexEntry, PassportIndex, PassportIndexes, passport_entry
from matcher.profiles import PersonSkills
from matcher.role_index import RoleIndex
from matcher.roles import make_role, occupation_roles
from matcher.scoring import score_people
from matcher.skills import SkillSpace
from matcher.store import PassportStore, RoleSkill
from matcher.synthetic import synthetic_people, synthetic_vacancies
from matcher.vector_index import IdVectors

SKILL = "http://data.europa.eu/esco/skill/"
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"
TRANSFER_STOCK = SKILL + "fc0fbc9c-b24d-42fa-ae66-c9b4945b6bc0"
ACCOUNTING = SKILL + "ecc18804-a466-40d9-98b4-fba5cd67dd4b"


@pytest.fixture(scope="module")
def space(index) -> SkillSpace:
    return SkillSpace.from_index(index)


@pytest.fixture(scope="module")
def occupations(space):
    return occupation_roles(space)


@pytest.fixture
def store(tmp_path: Path):
    store = PassportStore.open(f"sqlite:///{tmp_path / 'vaardig.db'}")
    yield store
    store.database.close()


def entry(space: SkillSpace, employee_id: int, uris: list[str]) -> IndexEntry:
    person = PersonSkills.from_rows(space, space.rows(uris), np.ones(len(uris)))
    return IndexEntry.of(employee_id, f"emp-{employee_id}", person)


def test_add_then_remove_one_passport_leaves_the_others_untouched(space):
    index = PassportIndex(space)
    index.add(
        [
            entry(space, 1, [FORKLIFT]),
            entry(space, 2, [ACCOUNTING]),
            entry(space, 3, [FORKLIFT, TRANSFER_STOCK]),
        ]
    )
    vector_of_3 = index.person(3).vector.copy()
    assert index.remove([1]) == 1
    assert len(index) == 2 and index.vectors_in_faiss == 2 and 1 not in index
    assert 1 not in [i for i, _ in index.search(index.person(3).vector, 10)]
    assert np.array_equal(index.person(3).vector, vector_of_3)
    assert index.remove([1]) == 0  # removing twice is harmless


def test_adding_a_known_employee_replaces_their_profile(space):
    index = PassportIndex(space)
    index.add([entry(space, 1, [FORKLIFT]), entry(space, 2, [ACCOUNTING])])
    index.add([entry(space, 1, [ACCOUNTING])])
    assert len(index) == 2 and index.vectors_in_faiss == 2
    assert list(index.person(1).rows) == [space.row_of[ACCOUNTING]]
    best, _ = index.search(index.person(2).vector, 1)[0]
    assert best in (1, 2)


def test_index_profile_equals_the_profile_from_the_passport(space, store):
    org = store.create_organisation("Transport Jansen BV")
    employee = store.add_employee(org.id, "emp-1")
    for uri, label in ((FORKLIFT, "heftrucks bedienen"), (TRANSFER_STOCK, "voorraad overbrengen")):
        store.add_manual_claim(org.id, employee.id, uri, label, actor="hr")
    passport = store.passport(org.id, employee.id)
    index = PassportIndexes(space, store).get(org.id)
    from_passport = passport_entry(space, passport)
    from_index = index.person(employee.id)
    assert np.array_equal(from_index.rows, from_passport.rows)
    direct = PersonSkills.from_rows(space, from_passport.rows, from_passport.strength)
    assert np.array_equal(from_index.vector, direct.vector)


def test_refresh_picks_up_a_changed_passport_and_remove_drops_it(space, store):
    org = store.create_organisation("Transport Jansen BV")
    employee = store.add_employee(org.id, "emp-1")
    store.add_manual_claim(org.id, employee.id, FORKLIFT, "heftrucks bedienen", actor="hr")
    indexes = PassportIndexes(space, store)
    index = indexes.get(org.id)
    store.add_manual_claim(org.id, employee.id, ACCOUNTING, "boekhouding", actor="hr")
    indexes.refresh(org.id, employee.id)
    assert space.row_of[ACCOUNTING] in index.person(employee.id).rows
    indexes.remove(org.id, employee.id)
    assert employee.id not in index and index.vectors_in_faiss == 0


def test_confirmed_holders_are_only_confirmed_claims_of_this_organisation(space):
    index = PassportIndex(space, organisation_id=1)
    rows = space.rows([FORKLIFT, ACCOUNTING])
    confirmed = PersonSkills.from_rows(space, rows, np.ones(2), np.array([True, False]))
    index.add([IndexEntry.of(1, "emp-1", confirmed), entry(space, 2, [FORKLIFT])])
    assert index.confirmed_holders(FORKLIFT) == [1]
    assert index.confirmed_holders(ACCOUNTING) == []
    index.remove([1])
    assert index.confirmed_holders(FORKLIFT) == []


def test_role_index_replaces_roles_by_key(space):
    index = RoleIndex(space)
    first = make_role(space, "role:1", "magazijn", "vacancy", [RoleSkill(FORKLIFT, 1, True)])
    second = make_role(space, "role:1", "boekhouding", "vacancy", [RoleSkill(ACCOUNTING, 1, True)])
    index.add([first])
    index.add([second])
    assert len(index) == 1 and index.get("role:1").title == "boekhouding"
    assert index.remove(["role:1"]) == 1 and index.search(second.vector, 5) == []


def test_large_indexes_switch_to_ivf_and_still_find_and_remove_by_id():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3_000, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store = IdVectors(16, flat_max=2_000)
    ids = np.arange(10, 3_010)
    store.add(ids[:1_500], vectors[:1_500])
    assert store.kind == "flat"
    store.add(ids[1_500:], vectors[1_500:])
    assert store.kind.startswith("ivf") and len(store) == 3_000
    found, _ = store.search(vectors[42], 1)
    assert found[0] == 52
    assert np.array_equal(store.reconstruct(52), vectors[42])
    assert store.remove(np.array([52])) == 1 and 52 not in store.search(vectors[42], 10)[0]


def test_retrieval_plus_rescoring_finds_the_exhaustive_best(space, occupations):
    people = synthetic_people(space, occupations, 3_000, seed=5)
    index = PassportIndex(space)
    index.add(people)
    ids = index.employee_ids()
    everyone = index.people(ids)
    for role in synthetic_vacancies(space, occupations, 5, seed=6):
        exhaustive = score_people(space, everyone, role)
        best = max(range(len(ids)), key=lambda n: (exhaustive[n].score, exhaustive[n].coverage))
        top = rank_candidates(space, index, role, 10)
        assert top[0][1].score == exhaustive[best].score
        assert [pair.score for _, pair in top] == sorted((p.score for _, p in top), reverse=True)
