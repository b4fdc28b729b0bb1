"""Bring the service's tables up to date (Alembic, ``service/migrations``).

Runs after the passport store's own upgrade (``Database.open``), in one transaction that first
takes the database's write lock (SQLite) or an advisory lock (PostgreSQL), so several workers
starting together migrate once.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from matcher.store import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_LOCK_ID = 0x7661617265  # one service-schema upgrade at a time on PostgreSQL


def service_alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade_service_schema(database: Database, revision: str = "head") -> None:
    """Create or upgrade the service tables in ``database`` (idempotent)."""
    with database.engine.connect() as connection:
        if database.is_sqlite:
            connection = connection.execution_options(vaardig_sqlite_begin="IMMEDIATE")
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_ID})")
            command.upgrade(service_alembic_config(connection), revision)
