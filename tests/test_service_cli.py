"""``vaardig org`` and ``vaardig serve``: organisations and keys from the command line."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import vaardig.cli.serve_cmds  # noqa: F401  (registers serve and org on the app)
from service.settings import get_service_settings
from vaardig.cli.common import app


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("VAARDIG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("VAARDIG_DATABASE_URL", raising=False)
    get_service_settings.cache_clear()
    yield tmp_path / "data"
    get_service_settings.cache_clear()


def test_org_create_prints_an_admin_key_that_works(data_dir):
    result = CliRunner().invoke(app, ["org", "create", "Transport Jansen BV"])
    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1]
    assert key.startswith("vrd_")
    from service.app import create_app

    state = create_app(web=False).state.vaardig
    principal = state.keys.authenticate(key)
    assert principal is not None and principal.role == "admin"
    state.database.close()


def test_org_key_makes_a_key_of_the_given_role(data_dir):
    runner = CliRunner()
    runner.invoke(app, ["org", "create", "Transport Jansen BV"])
    result = runner.invoke(app, ["org", "key", "1", "--role", "recruiter"])
    assert result.exit_code == 0, result.output
    assert "recruiter" in result.output


def test_unknown_organisation_and_role_are_one_line_errors(data_dir):
    runner = CliRunner()
    result = runner.invoke(app, ["org", "key", "42"])
    assert result.exit_code == 2 and "organisation 42" in result.output
    runner.invoke(app, ["org", "create", "X"])
    result = runner.invoke(app, ["org", "key", "1", "--role", "baas"])
    assert result.exit_code == 2 and "role must be one of" in result.output


def test_org_list_shows_each_organisation_without_personal_data(data_dir):
    runner = CliRunner()
    empty = runner.invoke(app, ["org", "list"])
    assert empty.exit_code == 0 and "vaardig org create" in empty.output
    runner.invoke(app, ["org", "create", "Transport Jansen BV"])
    runner.invoke(app, ["org", "create", "Bakkerij Jansen", "--retention-days", "30"])
    table = runner.invoke(app, ["org", "list"])
    assert table.exit_code == 0, table.output
    assert "Transport Jansen BV" in table.output and "30 days" in table.output
    rows = json.loads(runner.invoke(app, ["org", "list", "--json"]).stdout)
    assert [(r["id"], r["name"], r["employees"]) for r in rows] == [
        (1, "Transport Jansen BV", 0),
        (2, "Bakkerij Jansen", 0),
    ]
    assert rows[1]["document_retention_days"] == 30


def test_serve_refuses_a_bad_port_before_starting(data_dir):
    result = CliRunner().invoke(app, ["serve", "--port", "70000"])
    assert result.exit_code == 2 and "--port" in result.output
