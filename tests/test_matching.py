"""Matching: profiles, role profiles, pair scores, explanations, vacancy → internal candidates,
employee → roles, tenant isolation. Real taxonomy index, real extractor on the fixture CVs and
vacancies, real SQLite passport store."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from extractor.ingest import document_from_text, read_document
from matcher.errors import NoSkillsFound, UnknownSkills
from matcher.matching import top_candidates, top_roles
from matcher.passport_index import PassportIndex, PassportIndexes, passport_entry
from matcher.profiles import PersonSkills, claim_strength, passport_skills
from matcher.role_index import RoleIndex
from matcher.roles import (
    ESSENTIAL_WEIGHT,
    OPTIONAL_WEIGHT,
    load_role_file,
    make_role,
    occupation_role,
    occupation_roles,
    vacancy_role,
)
from matcher.scoring import NEAR_THRESHOLD, score_people, score_roles
from matcher.skills import SkillSpace
from matcher.store import NotFound, PassportStore, RoleSkill

DOCS = Path(__file__).parent / "fixtures" / "documents"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
FORKLIFT = SKILL + "28cb374e-6261-4133-8371-f9a5470145da"  # heftrucks bedienen
TRANSFER_STOCK = SKILL + "fc0fbc9c-b24d-42fa-ae66-c9b4945b6bc0"  # voorraad overbrengen
ACCOUNTING = SKILL + "ecc18804-a466-40d9-98b4-fba5cd67dd4b"  # boekhouding
SPREADSHEETS = SKILL + "1973c966-f236-40c9-b2d4-5d71a89019be"
MOUNT_PV = SKILL + "08a5f6dd-d3dd-4371-9919-6d730f34499c"  # fotovoltaïsche panelen installeren
MAINTAIN_PV = SKILL + "33784b61-bd86-4451-8a89-741ada5f8475"
MAINTAIN_SOLAR = SKILL + "9cf2856d-0375-4ec3-a51f-7f9c82119859"  # zonne-energiesystemen onderh.
FORKLIFT_DRIVER = OCCUPATION + "eeac6251-1974-42f5-91ed-513c6c883755"
GENERAL_NURSE = OCCUPATION + "8d3e8aaa-791b-4c75-a465-f3f827028f50"
CVS = {
    "emp-forklift": "cv_heftruckchauffeur.txt",
    "emp-bookkeeper": "cv_boekhouder.txt",
    "emp-electrician": "cv_monteur_elektrotechniek.txt",
    "emp-developer": "cv_software_developer_en.txt",
}


@pytest.fixture(scope="module")
def space(index) -> SkillSpace:
    return SkillSpace.from_index(index)


@pytest.fixture(scope="module")
def extractor(index):
    from extractor.linking import ConceptLinker
    from extractor.pipeline import SkillExtractor

    return SkillExtractor(index, ConceptLinker(index))


@pytest.fixture(scope="module")
def extracted(extractor) -> dict[str, tuple]:
    """(document, extraction, raw bytes) per fixture CV, extracted once for the module."""
    out = {}
    for employee, name in CVS.items():
        document = read_document(DOCS / name, kind="cv")
        out[employee] = (document, extractor.extract(document), (DOCS / name).read_bytes())
    return out


@pytest.fixture(scope="module")
def vacancy(extractor, space):
    def read(name: str):
        document = read_document(DOCS / name, kind="vacancy")
        extraction = extractor.extract(document)
        return vacancy_role(space, extraction, document.metadata.get("title") or name, document)

    return read


@pytest.fixture
def store(tmp_path: Path):
    store = PassportStore.open(f"sqlite:///{tmp_path / 'vaardig.db'}")
    yield store
    store.database.close()


def add_cv(store: PassportStore, org_id: int, employee: str, extracted) -> int:
    document, extraction, raw = extracted[employee]
    person = store.add_employee(org_id, employee)
    store.build_passport_from_document(
        org_id,
        person.id,
        filename=document.source,
        content=raw,
        text=document.text,
        lang=document.lang,
        claims=extraction.skills,
    )
    return person.id


def person_with(space: SkillSpace, uris: list[str], strength: float = 1.0) -> PersonSkills:
    return PersonSkills.from_rows(space, space.rows(uris), np.full(len(uris), strength))


# --- skill space and profiles --------------------------------------------------------------------


def test_skill_vectors_are_unit_length_and_centred(space):
    norms = np.linalg.norm(space.matrix, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    assert np.linalg.norm(space.matrix.mean(axis=0)) < 0.05


def test_near_matrix_is_symmetric_with_the_skill_itself_at_one(space):
    rows = space.rows([FORKLIFT, MAINTAIN_SOLAR, MAINTAIN_PV])
    block = space.near_block(rows, rows)
    assert np.allclose(np.diag(block), 1.0)
    assert np.array_equal(block, block.T)
    # maintaining solar and PV systems are near; solar systems and forklifts are not
    assert block[1, 2] >= NEAR_THRESHOLD and block[0, 1] == 0


def test_claim_strength_orders_confirmed_suggested_inferred_and_drops_rejected():
    confirmed = claim_strength("confirmed", 0.5, "semantic")
    suggested = claim_strength("suggested", 0.9, "exact")
    inferred = claim_strength("suggested", 0.45, "inferred")
    assert confirmed == 1.0 > suggested > inferred > 0
    assert claim_strength("rejected", 0.99, "exact") == 0.0
    assert claim_strength("confirmed", 1.0, "exact", proficiency=1) < confirmed


def test_passport_profile_leaves_out_rejected_claims(space, store, extracted):
    org = store.create_organisation("Transport Jansen BV")
    employee_id = add_cv(store, org.id, "emp-forklift", extracted)
    before = passport_skills(space, store.passport(org.id, employee_id))
    store.set_claim_status(org.id, employee_id, FORKLIFT, "rejected", actor="hr")
    after = passport_skills(space, store.passport(org.id, employee_id))
    assert space.row_of[FORKLIFT] in before.rows
    assert space.row_of[FORKLIFT] not in after.rows
    assert len(after) == len(before) - 1


# --- role profiles -------------------------------------------------------------------------------


def test_occupation_role_weighs_essential_skills_one_and_optional_half(space):
    role = occupation_role(space, FORKLIFT_DRIVER)
    assert role.title == "heftruckchauffeur"
    assert FORKLIFT in {s.skill_uri for s in role.skills if s.essential}
    assert set(role.weights[role.essential]) == {ESSENTIAL_WEIGHT}
    assert set(role.weights[~role.essential]) <= {OPTIONAL_WEIGHT}
    assert list(role.essential) == sorted(role.essential, reverse=True)  # essential first


def test_vacancy_role_keeps_requirements_and_leaves_out_offer_contact_and_inferred(vacancy, space):
    role = vacancy("vacature_heftruckchauffeur.txt")
    uris = {s.skill_uri for s in role.skills}
    assert FORKLIFT in uris
    labels = {space.concept(space.row_of[u]).pref_en for u in uris}
    assert "human resource management" not in labels  # "bel Marieke (HR)" is no requirement
    assert len(role) < 20  # the occupation's inferred essentials are not copied in


def test_vacancy_without_recognisable_skills_raises_no_skills_found(extractor, space):
    document = document_from_text(
        "Wij zoeken een nieuwe collega.\nBel ons gerust voor meer informatie.",
        source="leeg.txt",
        kind="vacancy",
    )
    extraction = extractor.extract(document)
    with pytest.raises(NoSkillsFound, match="no recognisable skills"):
        vacancy_role(space, extraction, "Nieuwe collega", document)


def test_role_file_resolves_dutch_and_english_labels_with_defaults(space):
    roles = load_role_file(space, SAMPLES / "future_roles.yaml")
    solar = next(r for r in roles if "zonnepanelen" in r.title)
    by_uri = {s.skill_uri: s for s in solar.skills}
    assert by_uri[MOUNT_PV].essential and by_uri[MOUNT_PV].weight == 1.0
    optional = [s for s in solar.skills if not s.essential]
    assert optional and all(s.weight <= OPTIONAL_WEIGHT for s in optional)
    assert solar.kind == "future_role"


def test_role_file_in_csv_and_json_gives_the_same_role(space, tmp_path):
    csv_file = tmp_path / "roles.csv"
    csv_file.write_text(
        "role,skill,weight,essential\n"
        "magazijn 2027,heftrucks bedienen,1,true\n"
        "magazijn 2027,transfer stock,0.5,false\n"
    )
    json_file = tmp_path / "roles.json"
    json_file.write_text(
        '{"roles": [{"title": "magazijn 2027", "skills": ["heftrucks bedienen", '
        '{"skill": "' + TRANSFER_STOCK + '", "essential": false}]}]}'
    )
    (from_csv,), (from_json,) = load_role_file(space, csv_file), load_role_file(space, json_file)
    assert from_csv.skills == from_json.skills
    assert from_csv.skills == (
        RoleSkill(FORKLIFT, 1.0, True),
        RoleSkill(TRANSFER_STOCK, 0.5, False),
    )


def test_role_file_with_unknown_labels_names_every_one(space, tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text(
        "roles:\n  - title: x\n    skills: [heftrucks bedienen, tijdreizen, gedachten lezen]\n"
    )
    with pytest.raises(UnknownSkills) as error:
        load_role_file(space, path)
    assert error.value.labels == ("tijdreizen", "gedachten lezen")
    assert "did you mean" in str(error.value)


# --- scores --------------------------------------------------------------------------------------


def test_holding_every_role_skill_confirmed_scores_100_and_nothing_scores_0(space):
    role = make_role(
        space,
        "t",
        "t",
        "future_role",
        [RoleSkill(u, 1.0, True) for u in (FORKLIFT, TRANSFER_STOCK, ACCOUNTING)],
    )
    full = person_with(space, [FORKLIFT, TRANSFER_STOCK, ACCOUNTING])
    empty = PersonSkills.from_rows(space, np.zeros(0, int), np.zeros(0))
    scores = score_people(space, [full, empty], role)
    assert scores[0].score == 100.0 and scores[0].coverage == 1.0
    assert scores[1].score == 0.0 and scores[1].missing_essential == 3


def test_a_near_skill_earns_partial_credit(space):
    role = make_role(space, "t", "t", "future_role", [RoleSkill(MAINTAIN_PV, 1.0, True)])
    near = score_people(space, [person_with(space, [MAINTAIN_SOLAR])], role)[0]
    far = score_people(space, [person_with(space, [ACCOUNTING])], role)[0]
    assert 0.3 <= near.coverage <= 0.7
    assert far.coverage == 0.0 and near.score > far.score


def test_score_of_a_pair_is_the_same_alone_in_a_batch_and_from_either_side(space):
    roles = [occupation_role(space, FORKLIFT_DRIVER), occupation_role(space, GENERAL_NURSE)]
    people = [
        person_with(space, [FORKLIFT, TRANSFER_STOCK], 0.9),
        person_with(space, [ACCOUNTING, SPREADSHEETS]),
        person_with(space, [MOUNT_PV]),
    ]
    for role in roles:
        batch = score_people(space, people, role)
        for person, pair in zip(people, batch, strict=True):
            alone = score_people(space, [person], role)[0]
            other_side = score_roles(space, person, [roles[1], role, roles[0]])[1]
            assert pair.score == alone.score == other_side.score
            assert pair.coverage == alone.coverage == other_side.coverage


def test_adding_an_unrelated_employee_never_changes_another_pairs_score(
    space, store, extracted, vacancy
):
    org = store.create_organisation("Logistiek Noord")
    forklift_id = add_cv(store, org.id, "emp-forklift", extracted)
    add_cv(store, org.id, "emp-electrician", extracted)
    role = vacancy("vacature_heftruckchauffeur.txt")
    index = PassportIndexes(space, store).build(org.id)
    before = {m.employee_id: m.score for m in top_candidates(space, index, role, 10)}
    bookkeeper = add_cv(store, org.id, "emp-bookkeeper", extracted)
    index.add([passport_entry(space, store.passport(org.id, bookkeeper))])
    after = {m.employee_id: m.score for m in top_candidates(space, index, role, 10)}
    assert before[forklift_id] == after[forklift_id]
    assert {k: after[k] for k in before} == before


# --- vacancy → internal candidates ---------------------------------------------------------------


@pytest.fixture
def workforce(space, store, extracted):
    """One organisation with the four fixture CVs as passports, and its index."""
    org = store.create_organisation("Installatiebedrijf De Vonk")
    ids = {employee: add_cv(store, org.id, employee, extracted) for employee in CVS}
    return org.id, ids, PassportIndexes(space, store).get(org.id)


def test_forklift_vacancy_ranks_the_forklift_driver_first_with_evidence(
    space, store, workforce, vacancy
):
    org_id, _ids, index = workforce
    role = vacancy("vacature_heftruckchauffeur.txt")
    matches = top_candidates(space, index, role, 4, passports=lambda e: store.passports(org_id, e))
    assert matches[0].external_id == "emp-forklift"
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    best = matches[0]
    forklift = next(s for s in best.explanation.matched if s.uri == FORKLIFT)
    assert forklift.evidence and "heftruck" in forklift.evidence[0].text.lower()
    assert forklift.status == "suggested"
    assert 0 <= matches[-1].score < best.score <= 100


def test_electrician_vacancy_ranks_the_electrician_first(space, workforce, vacancy):
    _, _, index = workforce
    matches = top_candidates(space, index, vacancy("vacature_monteur_elektrotechniek.txt"), 4)
    assert matches[0].external_id == "emp-electrician"
    assert matches[0].score - matches[1].score > 20


def test_explanation_lists_near_matches_with_similarity_and_missing_essential_first(
    space, workforce, vacancy
):
    _, _, index = workforce
    role = vacancy("vacature_monteur_elektrotechniek.txt")
    for match in top_candidates(space, index, role, 4):
        e = match.explanation
        covered = [s.uri for s in e.matched] + [s.uri for s in e.near] + [s.uri for s in e.missing]
        assert sorted(covered) == sorted(s.skill_uri for s in role.skills)
        for near in e.near:
            assert near.similarity >= NEAR_THRESHOLD and near.held_uri != near.uri
            assert near.relation in ("similar", "broader", "narrower", "related")
        essential = [s.essential for s in e.missing]
        assert essential == sorted(essential, reverse=True)


def test_vacancy_matching_never_returns_another_organisations_people(
    space, store, extracted, vacancy
):
    ours = store.create_organisation("Ons bedrijf")
    theirs = store.create_organisation("Ander bedrijf")
    add_cv(store, ours.id, "emp-bookkeeper", extracted)
    add_cv(store, theirs.id, "emp-forklift", extracted)
    indexes = PassportIndexes(space, store)
    matches = top_candidates(space, indexes.get(ours.id), vacancy("vacature_heftruckchauffeur.txt"))
    assert [m.external_id for m in matches] == ["emp-bookkeeper"]
    assert set(indexes.get(ours.id).employee_ids()).isdisjoint(
        indexes.get(theirs.id).employee_ids()
    )


def test_unknown_organisation_and_employee_are_not_found(space, store):
    indexes = PassportIndexes(space, store)
    with pytest.raises(NotFound, match="organisation 999"):
        indexes.get(999)
    with pytest.raises(NotFound, match="employee 42"):
        PassportIndex(space, organisation_id=1).person(42)


# --- employee → roles ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def occupations(space) -> RoleIndex:
    return RoleIndex(space, occupation_roles(space))


def test_forklift_cv_ranks_a_warehouse_occupation_above_nurse(space, store, extracted, occupations):
    org = store.create_organisation("Transport Jansen BV")
    passport = store.passport(org.id, add_cv(store, org.id, "emp-forklift", extracted))
    person = passport_skills(space, passport)
    matches = top_roles(space, person, [occupations], 5, passport=passport)
    titles = [m.role.title for m in matches]
    assert any(t in ("heftruckchauffeur", "orderpicker", "magazijnmedewerker") for t in titles[:3])
    forklift, nurse = score_roles(
        space,
        person,
        [occupation_role(space, FORKLIFT_DRIVER), occupation_role(space, GENERAL_NURSE)],
    )
    assert forklift.score > nurse.score + 30
    assert matches[0].explanation.matched


def test_employee_roles_include_the_organisations_own_roles(space, occupations):
    person = person_with(space, [MOUNT_PV, MAINTAIN_PV])
    own = make_role(
        space,
        "role:1",
        "medewerker zonnepanelen 2027",
        "future_role",
        [RoleSkill(MOUNT_PV, 1.0, True), RoleSkill(MAINTAIN_PV, 1.0, True)],
    )
    matches = top_roles(space, person, [RoleIndex(space, [own]), occupations], 3)
    assert matches[0].role.key == "role:1" and matches[0].score == 100.0


def test_the_skill_space_script_measures_what_the_scoring_thresholds_rest_on(tmp_path):
    """scripts/measure_skill_space.py, on small samples: the figures NEAR_THRESHOLD and
    COS_FLOOR / COS_CEIL were set from (docs/matching.md) hold for the default encoder."""
    import json
    import subprocess
    import sys

    script = Path(__file__).parents[1] / "scripts" / "measure_skill_space.py"
    args = ["--pairs", "20000", "--neighbours", "200", "--people", "40", "--out", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (path,) = tmp_path.glob("*.json")
    result = json.loads(path.read_text())
    assert path.stem == result["encoder"]
    assert result["skills"] > 13_000
    pairs = result["random_pairs"]
    assert abs(pairs["mean"]) < 0.02  # the space is centred
    assert pairs["share_at_or_above_near_threshold"] < 0.005  # spurious near-matches are rare
    people = result["synthetic_people"]
    assert people["n"] == 40 and result["nearest_other_skill"]["n"] == 200
    # a person's profile is far closer to their own occupation than to a random one
    assert people["own_occupation"]["p50"] > people["random_occupation"]["p50"] + 0.4
    assert people["own_occupation"]["p50"] > people["cos_floor"]
