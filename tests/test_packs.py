"""The evidence packs (`commitments.store.packs`): on real SQLite and PostgreSQL, after every
kind of write, they hold exactly what the row-by-row read computes, and a ledger read from
them is the ledger read row by row. Packs that no longer cover the evidence are noticed, the
read falls back to the rows, and `db rebuild` makes them whole again."""

from __future__ import annotations

import logging
import os
from datetime import date, datetime

import numpy as np
import pytest
from sqlalchemy import insert, select

from commitments.cli.synth import load_synthetic
from commitments.evidence_columns import ENGINE_COLUMNS
from commitments.evidence_row import stored
from commitments.ledger import View
from commitments.store import packs
from commitments.store.reading import commitment_positions, engine_matrix
from commitments.store.store import Store
from commitments.store.tables import engine_packs_table, evidence_table
from tests.cli import run
from tests.factories import draft, pledge, row

PLEDGE = "packs-test-pledge"
OTHER = "packs-test-other"


def packed_and_computed(store: Store) -> tuple[dict[str, np.ndarray] | None, np.ndarray]:
    with store.engine.connect() as conn:
        ids = commitment_positions(conn)
        return packs.read_fields(conn, {cid: i for i, cid in enumerate(ids)}), engine_matrix(conn)


def assert_packs_hold_every_row(store: Store) -> None:
    fields, matrix = packed_and_computed(store)
    assert fields is not None, "the packs do not cover the evidence"
    for i, (name, _) in enumerate(ENGINE_COLUMNS):
        assert fields[name].tolist() == matrix[:, i].tolist(), name


def test_every_kind_of_write_keeps_the_packs_exact(store: Store) -> None:
    assert_packs_hold_every_row(store)  # the seed catalogue, packed as it was seeded
    store.add_commitments([pledge(id=PLEDGE), pledge(id=OTHER)])
    assert_packs_hold_every_row(store)  # a pledge without rows has an empty pack
    first = store.add_evidence(draft(commitment_id=PLEDGE), recorded_by="alice")
    store.add_many(
        [
            draft(commitment_id=PLEDGE, summary="a correction", supersedes=first.id, correction_reason="a typo"),
            draft(commitment_id=OTHER, summary="elsewhere", source={"published_on": date(2024, 3, 1)}),
        ],
        recorded_by="alice",
    )
    reply = store.add_evidence(
        draft(commitment_id=PLEDGE, kind="statement", summary="a reply", direction="against", replies_to=first.id),
        recorded_by="bob",
    )
    store.retract(reply.id, "wrong", recorded_by="bob")
    assert_packs_hold_every_row(store)
    # A trusted bulk load may bring a correction before the row it corrects.
    later = row(commitment_id=PLEDGE, id="packs-later", summary="the corrected row")
    early = row(
        commitment_id=OTHER,
        id="packs-early",
        supersedes="packs-later",
        correction_reason="restored out of order",
        summary="corrects a later row",
    )
    store.load_recorded([early])
    store.load_recorded([later])
    assert_packs_hold_every_row(store)
    load_synthetic(store, 30, 600, seed=3)
    assert_packs_hold_every_row(store)


def test_a_ledger_from_the_packs_is_the_ledger_read_row_by_row(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    load_synthetic(store, 20, 400, seed=5)
    view = View(as_of=date(2025, 6, 30))
    packed = store.ledger()
    monkeypatch.setattr(packs, "read_fields", lambda conn, positions: None)  # the row-by-row read
    by_rows = store.ledger()
    assert packed.board(view) == by_rows.board(view)
    assert packed.history(view) == by_rows.history(view)
    assert packed.changes(date(2025, 1, 1), view) == by_rows.changes(date(2025, 1, 1), view)


def test_rows_written_past_the_packs_are_read_all_the_same_and_rebuild_mends_them(
    store: Store, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    store.add_commitments([pledge(id=PLEDGE)])
    view = View(as_of=date(2025, 6, 30))
    before = store.ledger().status(PLEDGE, view)
    assert before is not None and before.evidence_count == 0
    # As an older version of the tool, or an operator's SQL, would write it: no pack re-made.
    with store.engine.begin() as conn:
        conn.execute(
            insert(evidence_table), [stored(row(commitment_id=PLEDGE, id="by-sql", recorded_at=datetime(2024, 5, 1)))]
        )
    assert packed_and_computed(store)[0] is None
    with caplog.at_level(logging.WARNING, logger=packs.__name__):
        status = store.ledger().status(PLEDGE, view)
    assert status is not None and status.evidence_count == 1
    assert "python -m commitments db rebuild" in caplog.text

    rebuilt = run({**os.environ, "COMMITMENTS_DB_URL": db_url}, "db", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    rows = len(store.evidence())
    assert f"rebuilt the evidence packs from {rows:,} rows" in rebuilt.stdout
    assert_packs_hold_every_row(store)


def test_a_review_or_retraction_leaves_the_packs_alone(store: Store) -> None:
    """They change where a row stands, not its numbers: the ledger works that out from its own tables."""
    store.add_commitments([pledge(id=PLEDGE)])
    added = store.add_evidence(draft(commitment_id=PLEDGE), recorded_by="alice")
    with store.engine.connect() as conn:
        kept = conn.execute(select(engine_packs_table).where(engine_packs_table.c.commitment_id == PLEDGE)).one()
    store.retract(added.id, "duplicate", recorded_by="alice")
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(engine_packs_table).where(engine_packs_table.c.commitment_id == PLEDGE)).one() == kept
        )
    assert_packs_hold_every_row(store)


def test_a_number_too_wide_for_its_field_is_refused_not_cut() -> None:
    matrix = np.zeros((1, len(ENGINE_COLUMNS)), dtype=np.int64)
    matrix[0, [n for n, _ in ENGINE_COLUMNS].index("seq")] = 2**40
    with pytest.raises(packs.PackOverflow, match="'seq'"):
        packs.pack(matrix)
