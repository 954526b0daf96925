"""Alembic migrations of the store's schema, run from code: no alembic.ini needed.

`upgrade_to_head` is what `Store.create_schema` and `python -m commitments db upgrade`
call. It serialises migrations between processes (a PostgreSQL advisory lock, or SQLite's
write lock), adopts a database made before migrations existed by stamping it with the
first revision, and refuses a database written by a newer version of the tool.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent
# Alembic's own bookkeeping table: one row, the revision the database is at.
VERSION_TABLE = "alembic_version"
FIRST_REVISION = "0001"
# The tables the first revision creates: a database holding all of them but no
# alembic_version table was made by `metadata.create_all` before migrations existed.
FIRST_SCHEMA_TABLES = frozenset({"commitments", "evidence", "retractions"})
# Any fixed number: the key of the PostgreSQL advisory lock that one migrating process holds.
_PG_LOCK_KEY = 0x636F6D6D69  # "commi"


class MigrationError(RuntimeError):
    """The database cannot be brought to the schema this version of the tool needs."""


# Alembic is imported only to change a schema: it takes longer to import than the whole
# quick check, which every start of the dashboard and the command line makes.


@cache
def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


@cache
def known_revisions() -> frozenset[str]:
    """The revisions in versions/, read from their file names: `0004_second_person_review.py` is "0004".

    Each file's name starts with its revision id and the ids count up, one after another
    (tests/test_migrations.py checks both against Alembic's own reading of the files).
    """
    return frozenset(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py"))


def head_revision() -> str:
    revisions = known_revisions()
    assert revisions, "the migrations folder has no revisions"
    return max(revisions)


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at; None for a database Alembic has never touched."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    found = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(found) > 1:
        raise MigrationError(f"the database records several schema revisions at once ({', '.join(found)})")
    return str(found[0]) if found else None


def _our_tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names()) & FIRST_SCHEMA_TABLES


def _check_known(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise MigrationError(
            f"this database was written by a newer version of the tool (revision {revision}); upgrade the tool"
        )


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # Held until the transaction ends: a second process starting at the same time
        # waits, then finds the schema already there.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})


def _run(conn: Connection, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = conn
    try:
        if action == "stamp":
            command.stamp(config, revision)
        else:
            command.upgrade(config, revision)
    finally:
        config.attributes.pop("connection", None)


def needs_upgrade(conn: Connection) -> bool:
    """True unless the database is exactly at the head revision (the quick check)."""
    revision = current_revision(conn)
    _check_known(revision)
    return revision != head_revision()


def upgrade_to_head(conn: Connection) -> tuple[str | None, str]:
    """Bring the database to the newest schema inside `conn`'s transaction.

    Returns (revision before, revision after). Must be called inside a transaction
    (`engine.begin()`), so that on PostgreSQL a failed step leaves nothing half-done.
    """
    _lock(conn)
    before = current_revision(conn)
    _check_known(before)
    if before is None:
        present = _our_tables(conn)
        if present == FIRST_SCHEMA_TABLES:
            _run(conn, "stamp", FIRST_REVISION)
        elif present:
            raise MigrationError(
                f"the database holds some of the store's tables ({', '.join(sorted(present))}) but not all, "
                "and no schema revision; restore it from a back-up"
            )
    if current_revision(conn) != head_revision():
        _run(conn, "upgrade", "head")
    return before, head_revision()
