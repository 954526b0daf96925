"""Reading evidence fast: the engine's integers computed by the database, text only for rows shown.

`engine_matrix` asks the database for `ENGINE_COLUMNS` of every row, each already a number
(day numbers, enum codes, microseconds, the row a correction supersedes), so the driver
makes no string per cell: SQLite returns small integers, PostgreSQL streams them with a
binary COPY that numpy reads in place. The same read, for some pledges, is what
`commitments.store.packs` makes each pledge's pack from; a ledger reads the
packs, and this only when they do not cover the evidence. `StoreText` reads the text of a
row (its id, summary, source ...) later, for the rows a screen or a file needs.

Only SQLite and PostgreSQL are spoken here: the SQL below uses each one's date functions.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

from commitments.evidence_columns import ENGINE_COLUMNS, MISSING_DAY
from commitments.evidence_row import STORED_COLUMNS
from commitments.status import Ints

_EVIDENCE_COLUMN_NAMES = frozenset(STORED_COLUMNS)
# Sequence numbers per `IN (...)` list when reading some rows' text.
_CHUNK = 5000


class UnsupportedDatabase(ValueError):
    """The store's fast reads speak SQLite and PostgreSQL only."""


def _enum_case(column: str, values: tuple[object, ...]) -> str:
    """SQL giving each enum value's position in `values` (None: a NULL, "" or "none" cell).

    A value the models do not know reads as None where None is one of the values (for a
    strength: the weakest), else as -1, which no rule matches.
    """
    arms = []
    for i, value in enumerate(values):
        if value is None:
            arms.append(f"WHEN {column} IS NULL OR {column} IN ('', 'none') THEN {i}")
        else:
            text = str(getattr(value, "value", value)).replace("'", "''")
            arms.append(f"WHEN {column} = '{text}' THEN {i}")
    fallback = values.index(None) if None in values else -1
    return f"CASE {' '.join(arms)} ELSE {fallback} END"


def _day(dialect: str, column: str) -> str:
    if dialect == "sqlite":
        return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"
    return f"({column} - DATE '1970-01-01')"


def _microseconds(dialect: str, column: str) -> str:
    if dialect == "sqlite":
        # SQLAlchemy stores "YYYY-MM-DD HH:MM:SS.ffffff": whole seconds, then the digits after the dot.
        return (
            f"CAST(strftime('%s', {column}) AS INTEGER) * 1000000"
            f" + CAST(COALESCE(NULLIF(substr({column}, 21, 6), ''), '0') AS INTEGER)"
        )
    return f"CAST(EXTRACT(EPOCH FROM {column}) * 1000000 AS BIGINT)"


def engine_query(dialect: str, where: str = "") -> str:
    """The SELECT that gives ENGINE_COLUMNS for every evidence row (or those `where`, a
    condition on `e`, the evidence), in store order."""
    if dialect not in ("sqlite", "postgresql"):
        raise UnsupportedDatabase(f"the store reads SQLite and PostgreSQL databases, not {dialect}")
    expressions = {
        "seq": "e.seq",
        "commitment": "c.position",
        "event": _day(dialect, "e.event_date"),
        "published": f"COALESCE({_day(dialect, 'e.source_published_on')}, {MISSING_DAY})",
        "recorded": _microseconds(dialect, "e.recorded_at"),
        "needs_review": "CASE WHEN e.needs_review THEN 1 ELSE 0 END",
        "supersedes": "COALESCE(t.seq, 0)",
        "source_key": "e.source_key",
        "publisher_key": "e.publisher_key",
        "replies_to": "COALESCE(r.seq, 0)",
    }
    enums = {"precision": "e.event_date_precision", "strength": "e.source_strength", "reason": "e.reason_code"}
    parts = []
    for name, values in ENGINE_COLUMNS:
        sql = expressions[name] if values is None else _enum_case(enums.get(name, f"e.{name}"), values)
        parts.append(f"CAST({sql} AS BIGINT)" if dialect == "postgresql" else sql)
    return (
        f"SELECT {', '.join(parts)} FROM evidence e "
        "JOIN commitments c ON c.id = e.commitment_id "
        "LEFT JOIN evidence t ON t.id = e.supersedes AND e.supersedes <> '' "
        "LEFT JOIN evidence r ON r.id = e.replies_to AND e.replies_to <> '' "
        f"{f'WHERE {where} ' if where else ''}ORDER BY e.seq"
    )


def engine_matrix(conn: Connection, commitment_ids: Sequence[str] | None = None) -> Ints:
    """ENGINE_COLUMNS of every evidence row (or of these pledges' rows), one row of integers each, by seq."""
    dialect = conn.dialect.name
    width = len(ENGINE_COLUMNS)
    driver: Any = conn.connection.driver_connection
    parameters: tuple[Any, ...]
    if commitment_ids is None:
        if dialect == "postgresql":
            return _binary_copy(driver, engine_query(dialect), width)
        query, parameters = engine_query(dialect), ()
    elif dialect == "postgresql":
        query, parameters = engine_query(dialect, "e.commitment_id = ANY(%s)"), (list(commitment_ids),)
    else:
        query = engine_query(dialect, f"e.commitment_id IN ({','.join('?' * len(commitment_ids))})")
        parameters = tuple(commitment_ids)
    cursor = driver.cursor()
    try:
        cursor.execute(query, parameters)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return np.array(rows, dtype=np.int64).reshape(-1, width)


def _binary_copy(driver: Any, query: str, width: int) -> Ints:
    """A COPY of bigint columns, read as one numpy array (PostgreSQL's binary COPY format)."""
    buffer = io.BytesIO()
    with driver.cursor() as cursor, cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT binary)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    data = buffer.getbuffer()
    # A 19-byte header, then per row: a 2-byte field count and, per field, a 4-byte length
    # and 8 bytes of big-endian integer; then a 2-byte trailer. No column is ever NULL.
    header, trailer = 19, 2
    row = np.dtype([("fields", ">i2"), *((f"f{i}", [("length", ">i4"), ("value", ">i8")]) for i in range(width))])
    body = data[header : len(data) - trailer]
    records = np.frombuffer(body, dtype=row)
    out = np.empty((len(records), width), dtype=np.int64)
    for i in range(width):
        out[:, i] = records[f"f{i}"]["value"]
    return out


def commitment_positions(conn: Connection) -> list[str]:
    """The pledge ids by catalogue position (the `commitment` code of ENGINE_COLUMNS)."""
    pairs = conn.execute(text("SELECT id, position FROM commitments")).all()
    ids = [""] * (max((p for _, p in pairs), default=-1) + 1)
    for commitment_id, position in pairs:
        ids[position] = commitment_id
    return ids


def _column_name(name: str) -> str:
    """A column of the evidence table, checked: names are written into the SQL."""
    if name not in _EVIDENCE_COLUMN_NAMES:
        raise ValueError(f"no evidence column {name!r}")
    return name


class StoreText:
    """The text columns of evidence rows, read from the store for the rows asked for."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def ids(self) -> list[str]:
        return [str(v[0]) for v in self._rows("SELECT id FROM evidence ORDER BY seq")]

    def cells(
        self, names: Sequence[str], seqs: Sequence[int] | None, nonempty: str | None = None
    ) -> dict[int, dict[str, Any]]:
        """{seq: {column: value}} for these rows (None: every row; `nonempty`: where that column is not '')."""
        return {int(row[0]): dict(zip(names, row[1:], strict=True)) for row in self._select(names, seqs, nonempty)}

    def rows(self, names: Sequence[str], seqs: Sequence[int] | None) -> list[tuple[Any, ...]]:
        """(seq, *names) of these rows (None: every row), in no particular order."""
        return self._select(names, seqs)

    def _select(
        self, names: Sequence[str], seqs: Sequence[int] | None, nonempty: str | None = None
    ) -> list[tuple[Any, ...]]:
        """(seq, *names) of these rows (None: every row; `nonempty`: where that column is not ''), in one connection."""
        columns = ", ".join(["seq", *(_column_name(n) for n in names)])
        if seqs is None:
            batches: list[list[int] | None] = [None]
        else:
            wanted = sorted({int(s) for s in seqs})
            batches = [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
        queries = []
        for batch in batches:
            if batch is not None and not batch:
                continue
            # The numbers are ints we made: written into the query, read by the primary key.
            conditions = [] if batch is None else [f"seq IN ({','.join(str(s) for s in batch)})"]
            if nonempty is not None:
                conditions.append(f"{_column_name(nonempty)} <> ''")
            condition = f" WHERE {' AND '.join(conditions)}" if conditions else ""
            queries.append(f"SELECT {columns} FROM evidence{condition}")
        return self._rows(*queries)

    def _rows(self, *queries: str) -> list[tuple[Any, ...]]:
        """Every row of these queries, one after the other, on one connection."""
        out: list[tuple[Any, ...]] = []
        if not queries:
            return out
        with self.engine.connect() as conn:
            driver: Any = conn.connection.driver_connection
            cursor = driver.cursor()
            try:
                for query in queries:
                    cursor.execute(query)
                    out += cursor.fetchall()
            finally:
                cursor.close()
        return out
