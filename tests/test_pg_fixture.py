"""The PostgreSQL test fixture cleans up after itself without superuser rights."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text

from devtools.databases import drop_database
from tests.conftest import PG_ENV


def test_a_test_database_is_dropped_while_a_session_is_still_connected(postgres_url: str) -> None:
    name = create_engine(postgres_url).url.database
    assert name
    left_open = create_engine(postgres_url).connect()  # e.g. a store a failing test never disposed
    left_open.execute(text("SELECT 1"))
    admin = create_engine(os.environ[PG_ENV], isolation_level="AUTOCOMMIT")
    try:
        drop_database(admin, name)
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        assert exists is None
    finally:
        admin.dispose()
        left_open.invalidate()
