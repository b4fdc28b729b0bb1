"""``vaardig serve`` (the web service) and ``vaardig org`` (organisations and API keys)."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from matcher.store import StoreError
from vaardig.cli.common import USER_ERRORS, JsonOpt, app, out, user_errors

USER_ERRORS.append(StoreError)  # an unknown organisation id is the user's to fix
org_app = typer.Typer(
    help="Organisations and their API keys (for the web service).", no_args_is_help=True
)
app.add_typer(org_app, name="org")


@app.command("serve")
@user_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (see docs/deployment.md).")
    ] = 1,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load demo data and print its admin key.")
    ] = False,
    preload: Annotated[
        bool, typer.Option("--preload/--no-preload", help="Load the model at start-up.")
    ] = True,
) -> None:
    """Run the API and the HR web page (uvicorn). Settings come from VAARDIG_* variables."""
    import os

    import uvicorn

    if not 1 <= port <= 65535:
        raise ValueError(f"--port must be 1–65535, got {port}")
    if workers < 1:
        raise ValueError(f"--workers must be at least 1, got {workers}")
    if preload:
        os.environ["VAARDIG_PRELOAD"] = "true"
    engine = _load_demo(host, port) if demo else None
    out.print(f"Vaardig op http://{host}:{port}  (API-documentatie: /docs)")
    options = {
        "host": host,
        "port": port,
        "access_log": False,  # our own access log names route templates only, never values
        "log_level": "info",
        "timeout_graceful_shutdown": 10,
    }
    if workers == 1:  # in this process: reuse the engine the demo already loaded
        from service.app import create_app

        uvicorn.run(create_app(engine=engine), **options)
    else:  # each worker process builds its own app (see docs/deployment.md)
        uvicorn.run("service.app:create_app", factory=True, workers=workers, **options)


def _load_demo(host: str, port: int):
    """Seed (or find) the demo organisations; returns the loaded engine for reuse."""
    from service.app import create_app
    from service.demo import ensure_demo, ensure_example_firm

    app_instance = create_app(web=False)
    state = app_instance.state.vaardig
    try:
        organisation_id, key = ensure_demo(state, say=lambda line: out.print(line))
        example_id, example_key = ensure_example_firm(state, say=lambda line: out.print(line))
    finally:
        state.jobs.shutdown()
        state.database.close()
    out.print(
        f"\n[bold]Demo-organisatie {organisation_id}[/]. Log in op http://{host}:{port}/login "
        f"met de beheersleutel:\n\n    [bold green]{key}[/]\n"
        f"\n[bold]Voorbeeldbedrijf {example_id}[/] (Ontwikkeling en Leer-KPI's met twee jaar "
        f"geschiedenis): log in met\n\n    [bold green]{example_key}[/]\n"
    )
    return state.engine


@org_app.command("create")
@user_errors
def org_create(
    name: Annotated[str, typer.Argument(help="The organisation's name.")],
    retention_days: Annotated[
        int | None,
        typer.Option("--retention-days", help="Delete uploaded documents after this many days."),
    ] = None,
) -> None:
    """Create an organisation and print its first admin key (shown once)."""
    state = _state()
    try:
        organisation = state.passports.create_organisation(
            name, document_retention_days=retention_days
        )
        _, key = state.keys.create(organisation.id, "beheer", "admin")
    finally:
        state.database.close()
    out.print(f"Organisation {organisation.id} created. Admin key (store it now):")
    out.print(key, highlight=False)


@org_app.command("list")
@user_errors
def org_list(as_json: JsonOpt = False) -> None:
    """List the organisations in the database: id, name, created, retention, employees."""
    state = _state()
    try:
        organisations = state.passports.list_organisations()
    finally:
        state.database.close()
    if as_json:
        rows = [
            {
                "id": org.id,
                "name": org.name,
                "created_at": org.created_at.isoformat(),
                "document_retention_days": org.document_retention_days,
                "employees": employees,
            }
            for org, employees in organisations
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not organisations:
        out.print('No organisations yet: create one with `vaardig org create "Name"`.')
        return
    table = Table(title="Organisations", title_justify="left")
    for column in ("id", "name", "created", "documents kept", "employees"):
        table.add_column(column, justify="right" if column in ("id", "employees") else "left")
    for org, employees in organisations:
        kept = (
            f"{org.document_retention_days} days" if org.document_retention_days else "until erased"
        )
        table.add_row(str(org.id), org.name, f"{org.created_at:%Y-%m-%d}", kept, str(employees))
    out.print(table)


@org_app.command("key")
@user_errors
def org_key(
    organisation_id: Annotated[int, typer.Argument(help="The organisation's id.")],
    role: Annotated[
        str, typer.Option("--role", help="admin, hr, recruiter or network-coordinator.")
    ] = "hr",
    name: Annotated[str, typer.Option("--name", help="What the key is for.")] = "cli",
) -> None:
    """Create another API key for an organisation and print it (shown once)."""
    state = _state()
    try:
        state.passports.get_organisation(organisation_id)
        key, plaintext = state.keys.create(organisation_id, name, role)
    finally:
        state.database.close()
    out.print(f"Key {key.id} ({role}) for organisation {organisation_id}:")
    out.print(plaintext, highlight=False)


def _state():
    from service.app import create_app

    return create_app(web=False).state.vaardig
