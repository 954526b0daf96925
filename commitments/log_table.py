"""The evidence log as an Arrow table of text: every cell as the evidence-log CSV writes it.

`Ledger.evidence_log_table` chooses the rows, reads their stored text in one go and works out
where each stands; this writes all of it as text a column at a time: the stored values as
`cell_text` writes them (text as it is, converted in C), the dates and the recording time
from the engine's day numbers and microseconds, the record states by their codes. Nothing
here is per row in Python except the rare cell that is not text (a number, a date).

The ledger imports this module only when a log is asked for, so that the commands that never
write one (`status`) do not load Arrow, nor the pandas it brings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from commitments.evidence_row import FILE_COLUMNS, LOG_ONLY_COLUMNS, cell_text, column_text
from commitments.status import NO_DAY, RECORD_STATE_CODES, Ints

TEXT = pa.large_string()
_STATE_VALUES = pa.array([s.value for s in RECORD_STATE_CODES], type=TEXT)
# The same columns as `ledger.LOG_COLUMNS`, whose order the table keeps.
_COLUMNS: tuple[str, ...] = (*FILE_COLUMNS, *LOG_ONLY_COLUMNS)


def build(
    stored: Mapping[str, Sequence[Any]],
    event: Ints,
    published: Ints,
    recorded: Ints,
    known: Ints,
    states: Ints,
    notes: Sequence[str],
) -> pa.Table:
    """The log of some rows, in order: their `stored` text columns (values as the store keeps
    them), their engine columns (day numbers, `published` NO_DAY when not stated, microseconds),
    their record states (RECORD_STATE_CODES) and the detail of each."""
    out = {name: text_column(name, values) for name, values in stored.items()}
    stated = published != NO_DAY
    out["event_date"] = iso_days(event)
    out["source_published_on"] = pc.if_else(
        pa.array(stated), iso_days(np.where(stated, published, 0)), pa.scalar("", TEXT)
    )
    out["recorded_at"] = iso_seconds(recorded)
    out["known_on"] = iso_days(known)
    out["record_state"] = _STATE_VALUES.take(pa.array(states, type=pa.int64()))
    out["record_note"] = pa.array(notes, type=TEXT)
    return pa.table({name: out[name] for name in _COLUMNS})


def text_column(name: str, values: Sequence[Any]) -> pa.Array:
    """One stored column's values as Arrow text, each as `cell_text` writes it."""
    try:
        found = pa.array(values)
    except (pa.ArrowException, TypeError, ValueError):  # numbers, dates, a mixture: cell by cell below
        found = None
    if found is not None and (pa.types.is_string(found.type) or pa.types.is_null(found.type)):
        # Text and empty cells, the usual column (Arrow infers text only when every cell is text
        # or empty): converted in C, the empty ones as `cell_text` writes them.
        cells = found.cast(TEXT)
        return pc.fill_null(cells, pa.scalar(cell_text(name, None), TEXT)) if cells.null_count else cells
    return pa.array(column_text(name, values), type=TEXT)


def iso_days(days: Ints) -> pa.Array:
    """Day numbers as ISO dates ("2024-06-30"), `date.isoformat`'s text."""
    return pa.array(days, type=pa.int64()).cast(pa.int32()).cast(pa.date32()).cast(TEXT)


def iso_seconds(microseconds: Ints) -> pa.Array:
    """Microsecond stamps as ISO text to the second ("2024-06-30T09:15:00"), `isoformat(timespec="seconds")`'s."""
    seconds = pa.array(microseconds // 1_000_000, type=pa.timestamp("s")).cast(TEXT)
    return pc.replace_substring(seconds, " ", "T", max_replacements=1)
