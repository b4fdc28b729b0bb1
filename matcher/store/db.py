"""Engines, transactions and schema upgrades for the passport store.

SQLite (a file under the data directory) is the embedded default; PostgreSQL works by URL
(``postgresql+psycopg://user:pass@host/db``). ``Database.open(url)`` upgrades the schema to
the newest Alembic revision and gives you ``read(work)`` / ``write(work)``, which run
``work(session)`` in one transaction each.

Writes are serialised per passport: on SQLite by ``BEGIN IMMEDIATE`` (one writer at a time,
others wait up to ``BUSY_TIMEOUT_MS``), on PostgreSQL by a row lock on the employee taken by
the store. Writes that still collide (a lost race on a unique key, a stale version, a
deadlock, a busy SQLite file) are retried a few times from the start, then raise ``Conflict``.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from matcher.store.errors import Conflict

T = TypeVar("T")

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
WRITE_ATTEMPTS = 6
_SQLITE_BEGIN = "vaardig_sqlite_begin"  # execution option: "DEFERRED" or "IMMEDIATE"
_PG_TRANSIENT = {"40001", "40P01"}  # serialization failure, deadlock detected
_SQLITE_TRANSIENT = {"SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_LOCKED"}
_PG_UNIQUE = {"23505"}
_SQLITE_UNIQUE = {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"}
_MIGRATION_LOCK_ID = 0x7661617264  # "vaard": one schema upgrade at a time on PostgreSQL


def make_engine(url: str) -> Engine:
    """An engine for ``url``. For SQLite: creates the parent directory, and every connection
    gets foreign keys on, WAL, ``busy_timeout`` and ``secure_delete`` (erased rows are
    overwritten with zeros, not left in free pages)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file:")
    if not in_memory:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed)
    _configure_sqlite(engine, wal=not in_memory)
    return engine


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # We emit BEGIN ourselves (below): the sqlite3 module's implicit transactions do not
        # cover SELECTs, and cannot be made IMMEDIATE per transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        if wal:
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def upgrade_database(target: str | Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` (``alembic upgrade head``).

    Safe to call at every start-up and from several processes at once: SQLite takes the write
    lock first, PostgreSQL an advisory lock, so only one process migrates.
    """
    engine = make_engine(target) if isinstance(target, str) else target
    try:
        options = {_SQLITE_BEGIN: "IMMEDIATE"}
        with engine.connect().execution_options(**options) as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
            command.upgrade(alembic_config(connection), revision)
    finally:
        if isinstance(target, str):
            engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our migrations, without an ini file. With ``connection``, the
    migrations run on it (inside its transaction)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


@dataclass
class Database:
    """An engine plus a session factory; ``read``/``write`` run one unit of work each."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str, *, upgrade: bool = True) -> Database:
        """Connect to ``url`` and (by default) bring its schema to the newest revision."""
        engine = make_engine(url)
        if upgrade:
            upgrade_database(engine)
        return cls(engine, sessionmaker(engine, expire_on_commit=False))

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def compact_log(self) -> bool:
        """SQLite: copy the WAL into the database file and truncate it, so bytes of deleted
        rows do not linger in the log (``secure_delete`` already zeroes them in the file).
        Returns False when other readers kept it from completing (it is retried at the next
        erasure, and SQLite checkpoints on its own); always True on other databases."""
        if not self.is_sqlite:
            return True
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            busy, _log_frames, _checkpointed = cursor.execute(
                "PRAGMA wal_checkpoint(TRUNCATE)"
            ).fetchone()
            cursor.close()
        finally:
            raw.close()
        return busy == 0

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read transaction (a consistent snapshot) and return its result."""
        with self.sessions() as session, session.begin():
            if not self.is_sqlite:  # SQLite transactions are serializable already
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            return work(session)

    def write(self, work: Callable[[Session], T], *, retry_integrity: bool = False) -> T:
        """Run ``work`` in a write transaction; commit if it returns, roll back if it raises.

        Transient collisions with other writers re-run ``work`` from the start in a fresh
        transaction (so ``work`` must not consume one-shot inputs twice). With
        ``retry_integrity``, a unique-key violation counts as such a collision (a concurrent
        insert of the same key); otherwise it propagates, as do all other integrity errors.

        Raises:
            Conflict: still colliding after ``WRITE_ATTEMPTS`` tries.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            with self.sessions() as session:
                try:
                    session.connection(execution_options={_SQLITE_BEGIN: "IMMEDIATE"})
                    result = work(session)
                    session.commit()
                    return result
                except (DBAPIError, StaleDataError) as exc:
                    session.rollback()
                    if not _is_transient(exc, retry_integrity):
                        raise
                    if attempt == WRITE_ATTEMPTS:
                        raise Conflict(
                            f"gave up after {attempt} attempts: concurrent writers kept "
                            f"colliding ({type(exc).__name__}); try again"
                        ) from exc
                time.sleep(random.uniform(0, 0.02 * 2**attempt))
        raise AssertionError("unreachable")


def _is_transient(exc: Exception, retry_integrity: bool) -> bool:
    if isinstance(exc, StaleDataError):
        return True
    original = getattr(exc, "orig", None)
    sqlstate = getattr(original, "sqlstate", None)
    sqlite_error = getattr(original, "sqlite_errorname", None)
    if isinstance(exc, IntegrityError):
        return retry_integrity and (sqlstate in _PG_UNIQUE or sqlite_error in _SQLITE_UNIQUE)
    return sqlstate in _PG_TRANSIENT or sqlite_error in _SQLITE_TRANSIENT
