"""The engine's columns of each pledge's evidence, kept packed beside the rows: the fast read.

Reading the engine's integers of a million rows (`reading.engine_matrix`) costs the database
a date computation and a lookup per row, and the driver a message per row: about 5 s. Yet
evidence is append-only, so a row's integers never change once it is recorded. Each write
that inserts rows re-packs the matrix rows (ENGINE_COLUMNS) of the pledges it touched, in
the same transaction (`refresh`); a ledger then reads one compressed blob per pledge
(`read_fields`), ten thousand values instead of a million rows. What it reads back is,
row for row, what `engine_matrix` computes (tests/test_packs.py holds them to it).

The packs are derived data: `rebuild` makes them again from the evidence (the migration that
added them, and `python -m commitments db rebuild` after rows were written some other way,
by SQL or an older version of this tool). A read that finds them not covering the evidence
(`read_matrix` returns None) falls back to the row-by-row read and says so in the log.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from commitments.evidence_columns import COLUMN, ENGINE_COLUMNS
from commitments.status import Ints
from commitments.store.errors import StoreError
from commitments.store.reading import engine_matrix
from commitments.store.tables import commitments_table, engine_packs_table, evidence_table

log = logging.getLogger(__name__)

WIDTH = len(ENGINE_COLUMNS)
# A pack is rows of these little-endian fields (whatever the machine: the blob may be read
# on another), each as narrow as the column allows: 56 bytes a row instead of 136, which is
# what decompressing costs. Stamps and keys need 64 bits; sequence numbers, day numbers and
# catalogue positions fit 32 (the tables store them as INTEGER); enum codes and flags fit 8.
_WIDE = frozenset({"recorded", "source_key", "publisher_key"})
_NARROW = frozenset({"needs_review"})
PACK_DTYPE = np.dtype(
    [
        (name, "<i8" if name in _WIDE else "<i1" if values is not None or name in _NARROW else "<i4")
        for name, values in ENGINE_COLUMNS
    ]
)
# Fast over small: most of a pack is keys and stamps that do not compress much anyway.
_LEVEL = 1
# Threads inflating packs (more than the cores gain nothing).
_THREADS = min(4, os.cpu_count() or 1)
# Pledges per `IN (...)` list.
_CHUNK = 500


class PackOverflow(StoreError):
    """A number too wide for its field in a pack: the write is refused whole, nothing is lost
    (the tables' INTEGER columns keep every number in range, so only a hand-made row can)."""


def pack(matrix: Ints) -> bytes:
    """One pledge's matrix rows (ENGINE_COLUMNS, by seq), as a blob."""
    rows = np.empty(len(matrix), dtype=PACK_DTYPE)
    for i, (name, _) in enumerate(ENGINE_COLUMNS):
        info = np.iinfo(PACK_DTYPE[name])
        column = matrix[:, i]
        if len(column) and (column.min() < info.min or column.max() > info.max):
            raise PackOverflow(f"evidence column {name!r} holds a number that does not fit {PACK_DTYPE[name]}")
        rows[name] = column
    return zlib.compress(rows.tobytes(), _LEVEL)


def _inflate(blobs: Sequence[bytes]) -> list[bytes]:
    return [zlib.decompress(b) for b in blobs]


def unpack(blobs: Sequence[bytes]) -> tuple[npt.NDArray[np.void], Ints]:
    """The rows of these packs, one after the other, as PACK_DTYPE records; and how many each held."""
    # zlib lets go of the interpreter while it inflates: two threads, two cores.
    share = max(1, -(-len(blobs) // _THREADS))  # one run of packs per thread, not a task per pack
    runs = [blobs[i : i + share] for i in range(0, len(blobs), share)]
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        parts = [part for run in pool.map(_inflate, runs) for part in run]
    counts = np.array([len(p) // PACK_DTYPE.itemsize for p in parts], dtype=np.int64)
    return np.frombuffer(b"".join(parts), dtype=PACK_DTYPE), counts


def _store(
    conn: Connection, commitment_ids: Sequence[str], matrix: Ints, codes: dict[int, str], fresh: bool = False
) -> None:
    """Write the packs of these pledges from their rows in `matrix` (`codes`: pledge id by
    commitment code; `fresh`: none of them has a pack yet)."""
    pledge_codes = matrix[:, COLUMN["commitment"]]
    order = np.argsort(pledge_codes, kind="stable")  # by pledge, still by seq within each
    starts = np.flatnonzero(np.r_[True, np.diff(pledge_codes[order]) != 0]).tolist() if len(order) else []
    ends = [*starts[1:], len(order)] if starts else []
    groups = {codes[int(pledge_codes[order[b]])]: order[b:e] for b, e in zip(starts, ends, strict=True)}
    values = []
    for cid in commitment_ids:
        mine = matrix[groups.get(cid, np.zeros(0, dtype=np.int64))]
        values.append(
            {
                "commitment_id": cid,
                "row_count": len(mine),
                "last_seq": int(mine[:, COLUMN["seq"]].max()) if len(mine) else 0,
                "packed": pack(mine),
            }
        )
    # Updated in place where a pack exists: a writer waiting on its lock then re-reads the
    # new version of the row, where a deleted one would leave it nothing to wait for.
    kept = (
        set()
        if fresh
        else set(
            conn.execute(
                select(engine_packs_table.c.commitment_id).where(
                    engine_packs_table.c.commitment_id.in_(list(commitment_ids))
                )
            ).scalars()
        )
    )
    changed = [v for v in values if v["commitment_id"] in kept]
    if changed:
        conn.execute(
            update(engine_packs_table)
            .where(engine_packs_table.c.commitment_id == bindparam("pack_of"))
            .values(row_count=bindparam("rows"), last_seq=bindparam("last"), packed=bindparam("blob")),
            [
                {"pack_of": v["commitment_id"], "rows": v["row_count"], "last": v["last_seq"], "blob": v["packed"]}
                for v in changed
            ],
        )
    new = [v for v in values if v["commitment_id"] not in kept]
    if new:
        conn.execute(insert(engine_packs_table), new)


def _codes(conn: Connection, commitment_ids: Sequence[str] | None = None) -> dict[int, str]:
    """Pledge ids by catalogue position: of these pledges (None: of all)."""
    query = select(commitments_table.c.id, commitments_table.c.position)
    if commitment_ids is not None:
        # Not all ten thousand of a team store for the one pledge a form writes to.
        query = query.where(commitments_table.c.id.in_(list(commitment_ids)))
    return {int(p): str(i) for i, p in conn.execute(query)}


def refresh(conn: Connection, commitment_ids: Iterable[str]) -> None:
    """Re-pack these pledges' rows, inside the caller's write transaction (after its inserts).

    The packs are locked first: a concurrent writer of the same pledge (PostgreSQL, read
    committed) then waits for this one to commit, and its re-read sees these rows too.
    """
    wanted = sorted(set(commitment_ids))
    if not wanted:
        return
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        codes = _codes(conn, chunk)
        # Sorted, so two writers lock the packs they share in the same order.
        conn.execute(
            select(engine_packs_table.c.commitment_id)
            .where(engine_packs_table.c.commitment_id.in_(chunk))
            .order_by(engine_packs_table.c.commitment_id)
            .with_for_update()
        ).all()
        _store(conn, chunk, engine_matrix(conn, chunk), codes)


def rows_added(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Re-pack after inserting these evidence rows (as stored): their pledges, and those of
    any earlier row that names one of them as the row it corrects (a restore may bring a
    correction before the row it corrects; a reply always concerns its own pledge)."""
    pledges = {str(r["commitment_id"]) for r in rows}
    ids = [str(r["id"]) for r in rows]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        pledges |= set(
            conn.execute(
                select(evidence_table.c.commitment_id).where(evidence_table.c.supersedes.in_(chunk)).distinct()
            ).scalars()
        )
    refresh(conn, pledges)


def rebuild(conn: Connection) -> int:
    """Every pack made again from the evidence; returns the number of rows packed."""
    codes = _codes(conn)
    if conn.dialect.name == "postgresql":
        # Writers wait until the packs are whole again (SQLite's one writer is this one already).
        conn.execute(text("LOCK TABLE engine_packs IN EXCLUSIVE MODE"))
    conn.execute(delete(engine_packs_table))
    matrix = engine_matrix(conn)
    # A pledge without rows gets an empty pack too: there is then a pack to lock on its first write.
    _store(conn, sorted(codes.values()), matrix, codes, fresh=True)
    return len(matrix)


def read_fields(conn: Connection, positions: dict[str, int]) -> dict[str, Ints] | None:
    """ENGINE_COLUMNS of every evidence row, a column each, by seq, from the packs; None when they do not
    cover the evidence (rows written past them: `python -m commitments db rebuild`).

    `positions`: each pledge's catalogue position, the `commitment` code of ENGINE_COLUMNS.
    """
    covered = conn.execute(
        select(func.coalesce(func.sum(engine_packs_table.c.row_count), 0), func.max(engine_packs_table.c.last_seq))
    ).one()
    rows = conn.execute(select(func.count(), func.max(evidence_table.c.seq)).select_from(evidence_table)).one()
    if (int(covered[0]), int(covered[1] or 0)) != (int(rows[0]), int(rows[1] or 0)):
        log.warning(
            "the evidence packs cover %s of %s rows: reading row by row (run `python -m commitments db rebuild`)",
            covered[0],
            rows[0],
        )
        return None
    driver: Any = conn.connection.driver_connection
    cursor = driver.cursor()
    try:
        cursor.execute("SELECT commitment_id, row_count, packed FROM engine_packs WHERE row_count > 0")
        found = cursor.fetchall()
    finally:
        cursor.close()
    records, counts = unpack([bytes(blob) for _, _, blob in found])
    order = np.argsort(records["seq"], kind="stable")
    records = records[order]  # one gather of whole records: cheaper than one per column
    fields = {name: records[name].astype(np.int64) for name, _ in ENGINE_COLUMNS}
    # The code of each row's pledge as the catalogue has it now (a pack keeps the one it was made with).
    pledge = np.repeat(np.array([positions[str(cid)] for cid, _, _ in found], dtype=np.int64), counts)
    fields["commitment"] = pledge[order]
    return fields
