"""Alembic environment for the passport store.

Normally run through ``matcher.store.db.upgrade_database(url)``, which passes its connection
in ``config.attributes["connection"]``. For writing a new revision by hand:

    alembic -c matcher/store/migrations/alembic.ini -x url=sqlite:////tmp/dev.db upgrade head
    alembic -c matcher/store/migrations/alembic.ini -x url=sqlite:////tmp/dev.db \
        revision --autogenerate -m "what changed"

Without ``-x url=...`` the URL comes from the Vaardig settings (``VAARDIG_DATABASE_URL`` or
the SQLite file under ``VAARDIG_DATA_DIR``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from matcher.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER much
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url")
    if url:
        return url
    from vaardig.settings import get_settings

    return get_settings().effective_database_url


connection = context.config.attributes.get("connection")
if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
if connection is not None:
    _run(connection)
else:
    from matcher.store.db import make_engine

    engine = make_engine(_url())
    try:
        with engine.connect() as own_connection:
            _run(own_connection)
            own_connection.commit()
    finally:
        engine.dispose()
