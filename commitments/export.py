"""The three CSV summaries (status board, evidence log, status history) for any date.

Every text cell goes through `neutralise_formula`, so a briefing file opened in a
spreadsheet never runs a cell as a formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from commitments.evidence_csv import FORMULA_PREFIXES, neutralise_formula, write_rows
from commitments.summaries import Snapshot, View, board_frame, evidence_frame, history_frame


def frame_to_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text, column by column (a hundred thousand rows in well under a second).

    Cell for cell the same as `frame_to_csv_by_rows` (a test checks): missing values are
    empty, dates ISO, and text that a spreadsheet would run as a formula is neutralised.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(c) for c in frame.columns])
    writer.writerows(zip(*(_column_cells(frame[c]) for c in frame.columns), strict=True))
    return out.getvalue()


def _column_cells(column: pd.Series) -> list[object]:
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # the common case, checked in C
        texts = np.ones(len(values), dtype=bool)
        cells = values
        first = values.astype("U1")  # each cell's first character, in C
    else:
        missing = pd.isna(values)
        texts = np.array([isinstance(v, str) for v in values], dtype=bool)
        cells = np.array(
            ["" if m else v.isoformat() if isinstance(v, date) else v for v, m in zip(values, missing, strict=True)],
            dtype=object,
        )
        texts &= ~missing
        first = np.where(texts, values, "").astype("U1")
    # Only text starting with a formula character or an apostrophe can change: find those
    # in C, then let `neutralise_formula` (the one rule) decide each of the few.
    risky = np.flatnonzero(np.isin(first, [*(p[0] for p in FORMULA_PREFIXES), "'"]))
    if len(risky):
        cells = cells.copy()
        for i in risky:
            cells[i] = neutralise_formula(values[i])
    return list(cells)


def frame_to_csv_by_rows(frame: pd.DataFrame) -> str:
    """The reference: one dict per row through `write_rows` (slow on big frames)."""

    def cell(value: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, date):
            return value.isoformat()
        return value

    records = [{str(k): cell(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return write_rows(records, [str(c) for c in frame.columns])


def export_file_name(what: str, view: View) -> str:
    """Names that say what and when: `status-board_as-of-2024-08-10.csv`."""
    name = f"{what}_as-of-{view.as_of.isoformat()}"
    if view.recorded_on is not None:
        name += f"_recorded-by-{view.recorded_on.isoformat()}"
    return f"{name}.csv"


def board_csv(snapshot: Snapshot, view: View) -> str:
    return frame_to_csv(board_frame(snapshot, view))


def evidence_log_csv(snapshot: Snapshot, view: View) -> str:
    return frame_to_csv(evidence_frame(snapshot, view))


def history_csv(snapshot: Snapshot, view: View) -> str:
    return frame_to_csv(history_frame(snapshot, view))


EXPORTS = {
    "status-board": board_csv,
    "evidence-log": evidence_log_csv,
    "status-history": history_csv,
}


def export_all(snapshot: Snapshot, view: View, directory: Path) -> list[Path]:
    """Write the three summaries into `directory`; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for what, build in EXPORTS.items():
        path = directory / export_file_name(what, view)
        path.write_text(build(snapshot, view), encoding="utf-8")
        written.append(path)
    return written
