"""Schema migrations: every earlier database upgrades without losing a row; a newer one is refused.

Run on both backends (`db_url`). Databases at old revisions are built the way an older
version of the tool built them: by running the migrations only up to that revision, or
(before migrations existed) by `metadata.create_all` of the first schema.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Engine, ForeignKey, Index, MetaData, Table, create_engine, insert, select, text
from sqlalchemy.engine import Connection

from commitments.config import PROJECT_DIR
from commitments.evidence_row import flat as store_columns
from commitments.files.catalog import Catalogue
from commitments.ledger import Ledger, View
from commitments.models import DEFAULT_STRENGTH, Evidence
from commitments.store.migrations import (
    FIRST_REVISION,
    alembic_config,
    current_revision,
    head_revision,
    known_revisions,
    script_directory,
)
from commitments.store.store import Store, StoreError
from commitments.store.tables import commitments_table, evidence_table, metadata, retractions_table
from tests.factories import draft
from tests.test_packs import assert_packs_hold_every_row

TABLES = ("commitments", "evidence", "retractions")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    e = create_engine(db_url)
    yield e
    e.dispose()


def migrate_to(conn: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = conn
    try:
        command.upgrade(config, revision)
    finally:
        config.attributes.pop("connection")


def fill(conn: Connection, catalogue: Catalogue) -> None:
    """Pledges, the seed evidence, a correction and a retraction, as the first schema held them."""
    conn.execute(
        insert(commitments_table),
        [
            {
                "id": c.id,
                "title": c.title,
                "party": c.party,
                "theme": c.theme,
                "pledged_on": c.pledged_on,
                "definition": c.model_dump(mode="json"),
                "position": i,
            }
            for i, c in enumerate(catalogue.commitments)
        ],
    )
    first_evidence = first_schema_metadata().tables["evidence"]
    conn.execute(insert(first_evidence), [first_schema_values(e) for e in catalogue.evidence])
    first = catalogue.evidence[0]
    conn.execute(
        insert(first_evidence),
        {
            **first_schema_values(first),
            "id": "old-correction",
            "supersedes": first.id,
            "correction_reason": "made by the first schema",
        },
    )
    conn.execute(
        insert(first_schema_metadata().tables["retractions"]),
        {
            "evidence_id": catalogue.evidence[1].id,
            "reason": "made by the first schema",
            "recorded_by": "old",
            "recorded_at": first.recorded_at,
        },
    )


def first_schema_values(e: Evidence) -> dict[str, Any]:
    """An evidence row in the columns the first schema had (later ones add columns)."""
    columns = set(first_schema_metadata().tables["evidence"].columns.keys())
    return {k: v for k, v in store_columns(e).items() if k in columns}


def every_row(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the first schema's tables, in the first schema's columns."""
    old = first_schema_metadata().tables
    with engine.connect() as conn:
        return {
            t.name: [
                tuple(r)
                for r in conn.execute(
                    select(*(t.c[col.name] for col in old[t.name].columns)).order_by(*t.primary_key.columns)
                )
            ]
            for t in (commitments_table, evidence_table, retractions_table)
        }


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def run_cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMITMENTS_DB_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "commitments", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_migrations_build_exactly_the_schema_the_code_declares(engine: Engine, db_url: str) -> None:
    Store(db_url).create_schema()
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    assert revision_of(engine) == head_revision()


def test_db_upgrade_keeps_every_row_of_a_first_schema_database(
    engine: Engine, db_url: str, catalogue: Catalogue
) -> None:
    with engine.begin() as conn:
        migrate_to(conn, FIRST_REVISION)
        fill(conn, catalogue)
    before = every_row(engine)
    assert revision_of(engine) == FIRST_REVISION

    upgrade = run_cli(db_url, "db", "upgrade")
    assert upgrade.returncode == 0, upgrade.stderr
    assert f"from revision {FIRST_REVISION} to {head_revision()}" in upgrade.stdout

    assert every_row(engine) == before
    assert sum(len(rows) for rows in before.values()) == len(catalogue.commitments) + len(catalogue.evidence) + 2
    current = run_cli(db_url, "db", "current")
    assert current.stdout.strip() == f"{head_revision()} (the newest)"
    # And the upgraded store works: it reads the old rows and takes new ones.
    store = Store(db_url)
    assert store.ensure_seeded(catalogue) == 0
    added = store.add_evidence(draft(commitment_id=catalogue.commitments[0].id), recorded_by="after upgrade")
    assert store.get_evidence("old-correction") is not None
    assert store.get_evidence(added.id) == added
    # Migration 0006 gave every old row the strength a new row gets from whose word it is,
    # and 0007 a first version of every pledge and a revision to count writes from.
    for old in store.evidence():
        assert old.source.strength is DEFAULT_STRENGTH[old.speaks_for], old.id
    ledger = store.ledger()
    assert all(len(ledger.versions(c.id)) == 1 and ledger.versions(c.id)[0].before_versions for c in ledger.commitments)
    # And 0009 packed the old rows (and the one added since) for the fast read.
    assert_packs_hold_every_row(store)
    revision = store.revision()
    store.add_evidence(draft(commitment_id=catalogue.commitments[0].id, summary="again"), recorded_by="after upgrade")
    assert store.revision() == revision + 1
    store.dispose()


def test_opening_a_first_schema_database_upgrades_it(engine: Engine, db_url: str, catalogue: Catalogue) -> None:
    with engine.begin() as conn:
        migrate_to(conn, FIRST_REVISION)
        fill(conn, catalogue)
    before = every_row(engine)
    store = Store(db_url)
    assert store.ensure_seeded(catalogue) == 0
    upgraded = store.ledger()
    store.dispose()
    assert revision_of(engine) == head_revision()
    assert every_row(engine) == before
    # The engine keys filled in by migration 0005 are the ones the store writes for new
    # rows: the upgraded store's board is the board of the same rows held as models.
    held = Ledger.from_models(upgraded.commitments, upgraded.evidence(), upgraded.retractions)
    for day in (date(2024, 8, 10), date(2026, 1, 1)):
        assert upgraded.board(View(as_of=day)) == held.board(View(as_of=day))


def first_schema_metadata() -> MetaData:
    """The tables as `metadata.create_all` made them before migrations (revision 0001).

    Later migrations add tables and columns; they are left out here, so a test that fills
    this schema fills what a first-schema database really held.
    """
    old = MetaData()
    for name in ("commitments", "evidence", "retractions"):
        table = metadata.tables[name]
        columns = [
            Column(
                c.name,
                c.type,
                *(ForeignKey(fk.target_fullname) for fk in c.foreign_keys),
                primary_key=c.primary_key,
                nullable=c.nullable,
                # The first schema kept one retraction per row (migration 0008 lifted that).
                unique=c.unique or (name, c.name) == ("retractions", "evidence_id"),
                autoincrement=c.autoincrement,
            )
            for c in table.columns
            if c.name not in LATER_COLUMNS
        ]
        Table(name, old, *columns)
    Index("ix_evidence_commitment", old.tables["evidence"].c.commitment_id)
    return old


# Added by migrations 0004 to 0006.
LATER_COLUMNS = {
    "needs_review",
    "source_key",
    "publisher_key",
    "source_strength",
    "reason_code",
    "replies_to",
    "quote_kind",
}


def test_a_database_made_before_migrations_is_adopted_and_upgraded(
    engine: Engine, db_url: str, catalogue: Catalogue
) -> None:
    first_schema_metadata().create_all(engine)
    with engine.begin() as conn:
        fill(conn, catalogue)
    before = every_row(engine)
    assert revision_of(engine) is None

    store = Store(db_url)
    store.ensure_seeded(catalogue)
    store.dispose()

    assert revision_of(engine) == head_revision()
    assert every_row(engine) == before
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []


def test_a_database_from_a_newer_tool_is_refused(engine: Engine, db_url: str, catalogue: Catalogue) -> None:
    Store(db_url).ensure_seeded(catalogue)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    before = every_row(engine)

    with pytest.raises(StoreError) as caught:
        Store(db_url).ensure_seeded(catalogue)
    assert str(caught.value) == (
        "this database was written by a newer version of the tool (revision 9999); upgrade the tool"
    )

    status = run_cli(db_url, "status")
    assert status.returncode == 1
    assert "newer version of the tool (revision 9999)" in status.stderr
    assert "Traceback" not in status.stderr
    upgrade = run_cli(db_url, "db", "upgrade")
    assert upgrade.returncode == 1
    assert "newer version of the tool (revision 9999)" in upgrade.stderr
    assert "newer than this tool knows" in run_cli(db_url, "db", "current").stdout
    assert every_row(engine) == before


def test_a_database_with_only_some_of_the_tables_is_refused(engine: Engine, db_url: str) -> None:
    first_schema_metadata().tables["commitments"].create(engine)
    with pytest.raises(StoreError, match="some of the store's tables \\(commitments\\) but not all"):
        Store(db_url).create_schema()
    assert revision_of(engine) is None


def test_db_current_on_a_new_database_says_there_is_no_schema(db_url: str) -> None:
    result = run_cli(db_url, "db", "current")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("none (no schema yet")
    assert f"newest is {head_revision()}" in result.stdout


def test_the_quick_check_reads_revisions_as_alembic_does(engine: Engine) -> None:
    """Revisions come from file names and the version table without importing Alembic; they must agree."""
    walked = list(script_directory().walk_revisions())
    assert known_revisions() == {s.revision for s in walked}
    assert head_revision() == script_directory().get_current_head()
    # Ids count up one after another, so the largest is the newest.
    assert [s.revision for s in reversed(walked)] == sorted(known_revisions())
    for revision in (None, FIRST_REVISION, head_revision()):
        with engine.begin() as conn:
            if revision is not None:
                migrate_to(conn, revision)
            assert current_revision(conn) == MigrationContext.configure(conn).get_current_revision() == revision


def test_the_dashboard_and_command_line_start_without_importing_alembic(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'quick.sqlite3'}"
    Store(url).create_schema()
    code = (
        "import sys; from commitments.store.store import Store; "
        f"Store({url!r}).create_schema(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
