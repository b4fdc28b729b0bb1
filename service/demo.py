"""Demo data for ``vaardig serve --demo``: one organisation, its admin key, the sample CVs as
employees, the sample vacancy and future roles, and a regional network with a second firm
(the same sample people; two of them consent to network matching), and synthetic vacancy data
for the Trends page. Beside it, with an admin key of its own, the example firm of
``matcher.development.fixture_firm`` (20 people, two years of history, learning plans): what
the Ontwikkeling and Leer-KPI's pages need to show something (the sample CVs are only now
uploaded and have no history). A separate organisation rather than merged: its ids, dates and
KPI values stay those its docs and tests count by hand, and the sample firm stays small.

The keys are written to ``<data dir>/demo-key`` and ``<data dir>/demo-key-voorbeeldbedrijf``
(mode 0600) so a restart with ``--demo`` reuses the same organisations instead of adding more.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from matcher.roles import load_role_file
from service.deps import ServiceState
from service.routers.roles import _save_vacancy
from service.uploads import extract, parse_document

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DEMO_ORGANISATION = "Demo Techniek & Logistiek BV"
PARTNER_ORGANISATION = "Brabant Distributie BV"
DEMO_NETWORK = "HR-netwerk Midden-Brabant"
CONSENTING = ("heftruck", "monteur")
DEMO_TREND_VACANCIES = 3000
TEAMS = {"heftruck": "logistiek", "boekhouder": "administratie", "monteur": "techniek"}


def ensure_demo(
    state: ServiceState, samples: Path = SAMPLES, say: Callable[[str], None] = print
) -> tuple[int, str]:
    """The demo organisation's id and admin key, seeding it on first use."""
    return _ensure(state, "demo-key", lambda: seed_demo(state, samples, say))


def ensure_example_firm(state: ServiceState, say: Callable[[str], None] = print) -> tuple[int, str]:
    """The example firm's organisation id and admin key, building it on first use (1–2 s)."""
    return _ensure(state, "demo-key-voorbeeldbedrijf", lambda: seed_example_firm(state, say))


def seed_example_firm(state: ServiceState, say: Callable[[str], None] = print) -> tuple[int, str]:
    """Build the example firm (``matcher.development.fixture_firm``) with an admin key."""
    from matcher.development.fixture_firm import build_fixture_firm

    firm = build_fixture_firm(state.passports)
    _, key = state.keys.create(firm.organisation_id, "demo-beheer", "admin")
    say(
        f"Demo: voorbeeldbedrijf (organisatie {firm.organisation_id}) met "
        f"{len(firm.employees)} medewerkers en twee jaar leergeschiedenis klaar."
    )
    return firm.organisation_id, key


def _ensure(state: ServiceState, name: str, seed: Callable[[], tuple[int, str]]) -> tuple[int, str]:
    """The organisation whose admin key is in ``<data dir>/<name>``; ``seed`` makes it when the
    file is missing or its key no longer works (a fresh database)."""
    key_file = Path(state.settings.data_dir) / name
    if key_file.is_file():
        key = key_file.read_text().strip()
        principal = state.keys.authenticate(key)
        if principal is not None:
            return principal.organisation_id, key
    organisation_id, key = seed()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return organisation_id, key


def seed_demo(
    state: ServiceState, samples: Path = SAMPLES, say: Callable[[str], None] = print
) -> tuple[int, str]:
    """Create the demo organisation with employees, a vacancy and future roles."""
    if not samples.is_dir():
        raise FileNotFoundError(f"{samples}: the sample documents are missing")
    organisation = state.passports.create_organisation(DEMO_ORGANISATION)
    org = organisation.id
    _, key = state.keys.create(org, "demo-beheer", "admin")
    cvs = sorted(samples.glob("cv_*.*"))
    say(f"Demo: {len(cvs)} cv's inlezen (de eerste keer laadt het model, even geduld)…")
    documents = [parse_document(state, path.read_bytes(), path.name, "cv") for path in cvs]
    extractions = extract(state, documents)
    for number, (path, document, extraction) in enumerate(
        zip(cvs, documents, extractions, strict=True), 1
    ):
        team = next((t for word, t in TEAMS.items() if word in path.stem), None)
        _add_employee(state, org, f"mw-{number:04d}", team, path, document, extraction)
    for path in sorted(samples.glob("vacature_*.*")):
        document = parse_document(state, path.read_bytes(), path.name, "vacancy")
        (extraction,) = extract(state, [document])
        _save_vacancy(state, org, document, path.read_bytes(), extraction, None)
    roles_file = samples / "future_roles.yaml"
    if roles_file.is_file():
        space = state.matching().space
        for profile in load_role_file(space, roles_file):
            state.roles.add_role(org, "future_role", profile.title, list(profile.skills))
    _seed_network(state, org, cvs, documents, extractions)
    seed_trend_data(state, org)
    say(f"Demo: organisatie {org} met {len(cvs)} medewerkers klaar, plus een regionaal netwerk.")
    return org, key


def _add_employee(state, org, external_id, team, path, document, extraction):
    employee = state.passports.add_employee(org, external_id, team=team)
    state.passports.build_passport_from_document(
        org,
        employee.id,
        filename=path.name,
        content=path.read_bytes(),
        text=document.text,
        lang=document.lang,
        claims=extraction.claims,
    )
    state.passport_changed(org, employee.id)
    return employee


def seed_trend_data(state, org: int, vacancies: int = DEMO_TREND_VACANCIES) -> None:
    """Vacancy data for the Trends page: synthetic Dutch vacancies 2022–2024 with known
    trends (``matcher.trends.synthetic``), as a perfect extractor would record them (running
    the real extractor over thousands of vacancies would take minutes at every first start)."""
    from matcher.trends.synthetic import generate_feed
    from service.trends import TrendStore

    records = [
        v.extraction_record() for v in generate_feed(vacancies, seed=7) if not v.duplicate_of
    ]
    TrendStore(state.database).add(
        org, "synthetische vacatures 2022-2024 (demo)", "records", records, "demo"
    )


def _seed_network(state, org, cvs, documents, extractions) -> None:
    """A second firm in a regional network with the demo firm; two of its people consent."""
    partner = state.passports.create_organisation(PARTNER_ORGANISATION)
    network, code = state.networks.create_network(org, DEMO_NETWORK)
    state.networks.join(partner.id, code)
    for number, (path, document, extraction) in enumerate(
        zip(cvs, documents, extractions, strict=True), 1
    ):
        employee = _add_employee(
            state, partner.id, f"bd-{number:03d}", None, path, document, extraction
        )
        if any(word in path.stem for word in CONSENTING):  # these agreed to network matching
            state.networks.give_consent(partner.id, employee.id, network.id, "demo")
