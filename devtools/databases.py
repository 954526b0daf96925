"""Scratch PostgreSQL databases for the tests and the benchmark: dropped cleanly without superuser rights."""

from __future__ import annotations

import time

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError


def drop_database(admin: Engine, name: str, attempts: int = 20) -> None:
    """Drop database `name` (if it exists), first ending this role's sessions still in it.

    Not ``DROP DATABASE ... WITH (FORCE)``: PostgreSQL 15 refuses that to a non-superuser when
    an autovacuum worker happens to be in the database (a bulk insert invites one), while a
    plain DROP tells autovacuum to stop by itself. The role may end its own sessions (a store
    a failing test never disposed, or the one a page script keeps in Streamlit's cache)."""
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for attempt in range(attempts):
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND usename = current_user AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            try:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                return
            except OperationalError:  # still in use ("being accessed by other users")
                if attempt == attempts - 1:
                    raise
                time.sleep(0.25)
