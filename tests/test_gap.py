"""Workforce gap report: ready / near / far counts, scarce skills, shortest paths, and the
JSON, Markdown, SVG and HTML renderings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from matcher.coverage import NEAR_SCORE, READY_SCORE
from matcher.gap import gap_report
from matcher.gap_render import readiness_chart, render_html, render_markdown
from matcher.passport_index import PassportIndexes
from matcher.roles import load_role_file
from matcher.skills import SkillSpace
from matcher.store import PassportStore

SKILL = "http://data.europa.eu/esco/skill/"
HASKELL = SKILL + "000f1d3d-220f-4789-9c0a-cc742521fb02"
ROLE_FILE = """\
roles:
  - title: magazijnmedewerker <2027>
    skills:
      - heftrucks bedienen
      - voorraad overbrengen
      - een magazijnbeheersysteem gebruiken
      - goederen met precisie opslaan in magazijnen
      - skill: robotica
        essential: false
  - title: boekhouder 2027
    skills: [boekhouding, software voor spreadsheets gebruiken]
"""


@pytest.fixture(scope="module")
def space(index) -> SkillSpace:
    return SkillSpace.from_index(index)


@pytest.fixture
def report(space, tmp_path: Path):
    """Four people against two future roles: ready, near, far and an empty passport."""
    path = tmp_path / "roles.yaml"
    path.write_text(ROLE_FILE, encoding="utf-8")
    warehouse, bookkeeper = load_role_file(space, path)
    store = PassportStore.open(f"sqlite:///{tmp_path / 'vaardig.db'}")
    org = store.create_organisation("Logistiek Noord")
    needs = [s.skill_uri for s in warehouse.skills]
    holdings = {
        "emp-ready": needs,
        "emp-near": needs[:3],
        "emp-far": [HASKELL],
        "emp-empty": [],
    }
    for external_id, uris in holdings.items():
        employee = store.add_employee(org.id, external_id)
        for uri in uris:
            label = space.concept(space.row_of[uri]).label
            store.add_manual_claim(org.id, employee.id, uri, label, actor="hr")
    index = PassportIndexes(space, store).get(org.id)
    yield gap_report(space, index, [warehouse, bookkeeper], organisation_id=org.id)
    store.database.close()


def test_people_are_counted_ready_near_and_far(report):
    warehouse = report.roles[0].coverage
    assert report.headcount == 4
    assert (warehouse.count("ready"), warehouse.count("near"), warehouse.count("far")) == (1, 1, 2)
    assert warehouse.in_band("ready") == ["emp-ready"]
    assert warehouse.in_band("near") == ["emp-near"]
    people = {p.external_id: p for p in warehouse.people}
    assert people["emp-ready"].score >= READY_SCORE and people["emp-ready"].missing_essential == 0
    # a good score with an essential skill missing outright is "near", not "ready"
    assert people["emp-near"].score >= NEAR_SCORE and people["emp-near"].missing_essential == 1
    assert report.roles[1].coverage.count("far") == 4


def test_skills_held_by_fewer_than_two_people_are_scarce(report):
    scarce = {s.label: s for s in report.scarce}
    warehouse = report.roles[0].coverage.skills
    held_by_two = [s.label for s in warehouse if s.holders == 2]  # half of the workforce
    held_by_one = [s.label for s in warehouse if s.holders == 1]
    assert len(held_by_two) == 3 and not set(held_by_two) & set(scarce)
    assert held_by_one and set(held_by_one) <= set(scarce)
    assert scarce["boekhouding"].holders == 0
    assert scarce["boekhouding"].needed_by == ("boekhouder 2027",)
    essential_first = [s.essential_for for s in report.scarce]
    assert essential_first == sorted(essential_first, reverse=True)


def test_shortest_paths_leave_out_ready_people_and_put_the_fewest_hours_first(report):
    shortest = report.roles[0].shortest
    assert "emp-ready" not in [p.external_id for p in shortest]
    assert shortest[0].external_id == "emp-near"
    assert [p.hours for p in shortest] == sorted(p.hours for p in shortest)
    assert shortest[0].steps == 2 and shortest[0].first_steps


def test_json_carries_counts_people_and_attribution(report):
    data = json.loads(json.dumps(report.to_dict()))
    role = data["roles"][0]
    assert role["counts"] == {"ready": 1, "near": 1, "far": 2}
    assert role["ready"] == ["emp-ready"] and role["shortest_paths"]
    assert data["scarce_skills"] and "ESCO" in data["attribution"]


def test_markdown_has_the_tables_and_links_the_chart(report):
    markdown = render_markdown(report, chart_href="gap.svg")
    assert "![Readiness per role](gap.svg)" in markdown
    assert "| magazijnmedewerker <2027> | 1 | 1 | 2 |" in markdown
    assert "## Scarce skills" in markdown and "## Shortest paths" in markdown


def test_chart_is_valid_svg_with_one_bar_segment_per_non_empty_band(report):
    svg = ET.fromstring(readiness_chart(report))
    assert svg.tag.endswith("svg")
    bars = [r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.find("*") is not None]
    assert len(bars) == 3 + 1  # warehouse: ready, near, far; bookkeeper: far


def test_html_is_self_contained_and_escapes_titles(report):
    html = render_html(report)
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "magazijnmedewerker &lt;2027&gt;" in html and "<2027>" not in html
