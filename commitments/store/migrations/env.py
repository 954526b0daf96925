"""Alembic's entry point, run by `commitments.store.migrations.upgrade_to_head`.

The caller hands over an open connection in a transaction (config.attributes), so the
migration takes part in that transaction and its lock; there is no alembic.ini and no URL
here.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection


def run_migrations(connection: Connection) -> None:
    from commitments.store.tables import metadata

    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds a table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


# Outside an Alembic run (e.g. pytest collecting doctests) there is no context to use.
_config = getattr(context, "config", None)
if _config is not None:
    _connection = _config.attributes.get("connection")
    if _connection is None:
        raise RuntimeError("run migrations through `python -m commitments db upgrade`, not the alembic command")
    run_migrations(_connection)
