"""Alembic environment for the service's own tables (``service.models``).

Run through ``service.schema.upgrade_service_schema(database)`` at start-up, after the passport
store's migrations. Its version table is ``service_alembic_version``, so the two histories
never meet; autogenerate only looks at the service's tables.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from service.models import SERVICE_TABLES, metadata

VERSION_TABLE = "service_alembic_version"


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ == "table":
        return name in SERVICE_TABLES
    return True


connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise SystemExit("run service migrations through service.schema.upgrade_service_schema")
context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    include_object=_include,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
