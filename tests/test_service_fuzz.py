"""Malformed requests to every endpoint: always a 4xx with the error body, never a 5xx."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from service.testing import (
    WAREHOUSE_SKILLS,
    add_passport,
    add_role,
    iter_routes,
    new_organisation,
    scratch_app,
    state_of,
)

JSON = "application/json"
BODIES: list[tuple[bytes, str | None]] = [
    (b"", None),
    (b"{", JSON),
    (b"null", JSON),
    (b"[]", JSON),
    (b'"x"', JSON),
    (b'{"a":' * 2000 + b"1" + b"}" * 2000, JSON),  # deeply nested
    (bytes(range(256)), JSON),
    (b"\x00\xff\xfe", "text/plain"),
    (b"--zzz\r\ngarbage", "multipart/form-data; boundary=zzz"),
    (b"--x\r\nContent-Disposition: form-data\r\n\r\n", "multipart/form-data"),
    (b"a=%zz&&&=&files=", "application/x-www-form-urlencoded"),
    (
        b'{"external_id": 5, "skill_uri": ["x"], "status": 3, "network_id": "x", '
        b'"role_id": -1, "text": 7, "title": {}, "skills": "x", "join_code": 1, "name": null, '
        b'"proficiency": "hoog", "expected_version": -5, "document_retention_days": 0}',
        JSON,
    ),
    (
        b'{"network_id": 1e400, "role_id": 99999999999999999999999, "to_organisation_id": '
        b'-99999999999999999999, "skills": [{"skill_uri": null, "weight": "NaN"}]}',
        JSON,
    ),
    (b'{"text": "' + b"\\ud800" * 10 + b'", "skill_uri": "\\u0000"}', JSON),
]
PATH_VALUES = ["abc", "-1", "0", "99999999999999999999999", "%00", "1e3", "..%2f"]
QUERY = "?limit=-1&offset=abc&k=1e9&q=&prefix=%00&kind=planet&role_id=x&source=alles&status=%ff"


@pytest.fixture(scope="module")
def target(tmp_path_factory):
    app = scratch_app(tmp_path_factory.mktemp("fuzz"))
    org, key = new_organisation(app, "Fuzz BV")
    employee = add_passport(app, org.id, "emp-1", WAREHOUSE_SKILLS[:2])
    role = add_role(app, org.id, "Heftruckchauffeur", WAREHOUSE_SKILLS)
    network, _ = state_of(app).networks.create_network(org.id, "Netwerk")
    ids = {
        "employee_id": employee.id,
        "document_id": 1,
        "role_id": role.id,
        "network_id": network.id,
        "request_id": 1,
        "key_id": 1,
        "job_id": "0" * 32,
        "step_id": 1,
    }
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield app, client, ids


def test_malformed_bodies_paths_and_queries_never_give_a_5xx(target):
    app, client, ids = target
    failures, sent, statuses = [], 0, {}
    for path, methods, _name in iter_routes(app):
        if path.startswith(("/docs", "/openapi", "/static", "/logout")):
            continue
        params = re.findall(r"\{(\w+)\}", path)
        real = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        junk = [re.sub(r"\{(\w+)\}", value, path) for value in PATH_VALUES if params]
        for method in sorted(methods):
            bodies = BODIES if method in ("POST", "PUT", "PATCH") else [(b"", None)]
            # every body against the real ids; junk ids and the junk query with one body each
            requests = [(real, body, "") for body in bodies]
            requests += [(url, bodies[-1], "") for url in junk] + [(real, bodies[-1], QUERY)]
            for url, (body, content_type), query in requests:
                headers = {"Content-Type": content_type} if content_type else {}
                response = client.request(method, url + query, content=body, headers=headers)
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                sent += 1
                if response.status_code >= 500:
                    failures.append((method, url, content_type, body[:40], response.text[:200]))
                elif response.status_code >= 400 and "json" in response.headers.get(
                    "content-type", ""
                ):
                    error = response.json().get("error", {})
                    if not error.get("code") or not error.get("message"):
                        failures.append((method, url, "no error body", response.text[:200]))
    assert sent > 500
    assert {400, 404, 415, 422} <= set(statuses), statuses  # every layer was reached
    assert not failures, failures[:10]
