"""The three CSV summaries (status board, evidence log, status history) for any date.

CSV is the machine format: the evidence log is exactly what `import-evidence` reads back.
Every text cell a spreadsheet would run as a formula is neutralised (`neutralise_formula`,
the one rule), so a briefing file opened in Excel or LibreOffice never runs a cell.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commitments.files.evidence_csv import FORMULA_PREFIXES, neutralise_formula
from commitments.files.writing import prepare_folder, write_files
from commitments.frames import board_frame, evidence_frame, history_frame
from commitments.ledger import Ledger, View


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula made inert."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
            continue
        risky = pd.Series(_formula_cells(column), index=column.index)
        if risky.any():
            out[name] = column.astype(object).where(~risky, column[risky].map(neutralise_formula))
    return out


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV as the csv module writes it (minimal quoting, CRLF line ends), formulas neutralised.

    Missing values are empty cells, dates ISO text. The evidence log imports back unchanged.
    A frame of text and dates alone (the evidence log, the status history) is written column
    by column on Arrow's buffers (`_text_csv_bytes`); any other with pandas' writer. Both give
    the csv module's bytes.
    """
    texts = _text_columns(frame)
    if texts is not None:
        return _text_csv_bytes([str(c) for c in frame.columns], [_neutralised(t) for t in texts])
    text = neutralised(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8")


# -- text frames, on Arrow's buffers ------------------------------------------------------------
#
# Every cell becomes Arrow text once; the cells to neutralise or quote are found by their
# bytes with numpy (each character looked for is one ASCII byte, never part of a longer UTF-8
# character), the few found are changed by the one rule, and the lines are joined in C.

_TEXT = pa.large_string()
# The first character of every cell `neutralise_formula` changes: a formula character, or an apostrophe before one.
_FORMULA_BYTES = ("".join(FORMULA_PREFIXES) + "'").encode("ascii")
# What makes the csv module quote a cell (QUOTE_MINIMAL, "\r\n" line ends).
_QUOTE_BYTES = b',"\r\n'
# The cells of a column of dates: dates (a datetime is a date too, with a time to write) or missing.
_DATE_CELLS = {date, type(None), float, type(pd.NaT)}


def _text_cells(column: pd.Series) -> pa.LargeStringArray | None:
    """The column's cells as pandas' writer writes them, as Arrow text, if every cell is text,
    a date (not a datetime) or missing (written empty); else None."""
    if isinstance(column.dtype, pd.StringDtype) and column.dtype.storage == "pyarrow":
        # pandas' own text columns: Arrow text already.
        cells = pa.chunked_array(pa.array(column.array)).combine_chunks().cast(_TEXT)
    elif column.dtype == object or isinstance(column.dtype, pd.StringDtype):
        values = column.to_numpy(dtype=object)
        kind = pd.api.types.infer_dtype(values, skipna=True)
        try:
            if kind in ("string", "empty"):
                cells = pa.array(values, type=_TEXT, from_pandas=True)
            elif kind == "date" and set(map(type, values)) <= _DATE_CELLS:
                cells = pa.array(values, type=pa.date32(), from_pandas=True).cast(_TEXT)  # str(date): ISO
            else:
                return None
        except (pa.ArrowException, TypeError, ValueError):  # e.g. text no UTF-8 can hold: pandas' writer says so
            return None
    else:
        return None
    return pc.fill_null(cells, pa.scalar("", _TEXT)) if cells.null_count else cells


def _text_columns(frame: pd.DataFrame) -> list[pa.LargeStringArray] | None:
    """Every column of a frame of text and dates (rows, named columns), as text; else None."""
    if not len(frame) or not len(frame.columns) or not all(isinstance(c, str) for c in frame.columns):
        return None
    out = []
    for i in range(len(frame.columns)):
        cells = _text_cells(frame.iloc[:, i])
        if cells is None:
            return None
        out.append(cells)
    return out


def _buffers(cells: pa.LargeStringArray) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """A text array's offsets (one more than its cells) and UTF-8 bytes, as numpy views."""
    _, offsets, data = cells.buffers()
    starts = np.frombuffer(offsets, dtype=np.int64, count=len(cells) + 1, offset=cells.offset * 8)
    return starts, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)


def _is_any_of(data: npt.NDArray[np.uint8], characters: bytes) -> npt.NDArray[np.bool_]:
    """Which bytes are one of these (ASCII) characters."""
    found = np.zeros(len(data), dtype=bool)
    for byte in characters:
        found |= data == byte
    return found


def _first_bytes(cells: pa.LargeStringArray) -> npt.NDArray[np.uint8]:
    """Each cell's first byte (0 for an empty cell)."""
    offsets, data = _buffers(cells)
    first = np.zeros(len(cells), dtype=np.uint8)
    filled = np.flatnonzero(offsets[1:] > offsets[:-1])
    first[filled] = data[offsets[:-1][filled]]
    return first


def _formula_mask(cells: pa.LargeStringArray) -> npt.NDArray[np.bool_]:
    """Which cells `neutralise_formula` changes: those it would, of the few that start like a formula."""
    candidates = np.flatnonzero(_is_any_of(_first_bytes(cells), _FORMULA_BYTES))
    risky = np.zeros(len(cells), dtype=bool)
    if len(candidates):
        values = cells.take(pa.array(candidates)).to_pylist()
        risky[candidates] = [neutralise_formula(v) != v for v in values]
    return risky


def _formula_cells(column: pd.Series) -> npt.NDArray[np.bool_]:
    """Which cells of a column `neutralise_formula` changes (text only: other values are left alone)."""
    cells = _text_cells(column)
    if cells is not None:
        return _formula_mask(cells)
    return np.fromiter(
        (isinstance(v, str) and neutralise_formula(v) != v for v in column.to_numpy(dtype=object)),
        dtype=bool,
        count=len(column),
    )


def _neutralised(cells: pa.LargeStringArray) -> pa.LargeStringArray:
    """The cells, those a spreadsheet would run as a formula neutralised."""
    risky = _formula_mask(cells)
    if not risky.any():
        return cells
    changed = [neutralise_formula(v) for v in cells.filter(pa.array(risky)).to_pylist()]
    return pc.replace_with_mask(cells, pa.array(risky), pa.array(changed, type=_TEXT))


def _quoted(cells: pa.LargeStringArray, alone: bool) -> pa.LargeStringArray:
    """csv.QUOTE_MINIMAL: quote a cell holding a comma, a quote or a line break, doubling quotes.

    The csv module also quotes an empty cell that is a row's only cell (`alone`), or the
    line would be blank.
    """
    offsets, data = _buffers(cells)
    hits = np.flatnonzero(_is_any_of(data[offsets[0] : offsets[-1]], _QUOTE_BYTES)) + offsets[0]
    needs = np.zeros(len(cells), dtype=bool)
    needs[np.searchsorted(offsets, hits, side="right") - 1] = True
    if alone:
        needs |= offsets[1:] == offsets[:-1]
    if not needs.any():
        return cells
    some = cells.filter(pa.array(needs))
    quote = pa.scalar('"', _TEXT)
    quoted = pc.binary_join_element_wise(quote, pc.replace_substring(some, '"', '""'), quote, pa.scalar("", _TEXT))
    return pc.replace_with_mask(cells, pa.array(needs), quoted)


def _text_csv_bytes(names: list[str], columns: list[pa.LargeStringArray]) -> bytes:
    """The csv module's bytes for this header and these columns of text (rows and columns: at least one)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(names)
    quoted = [_quoted(c, len(columns) == 1) for c in columns]
    # The line end rides on the last cell, so the lines are joined in one pass.
    quoted[-1] = pc.binary_join_element_wise(quoted[-1], pa.scalar("", _TEXT), pa.scalar("\r\n", _TEXT))
    lines = pc.binary_join_element_wise(*quoted, pa.scalar(",", _TEXT))
    offsets, data = _buffers(lines)
    return header.getvalue().encode("utf-8") + data[offsets[0] : offsets[-1]].tobytes()


def frame_to_csv(frame: pd.DataFrame) -> str:
    return frame_to_csv_bytes(frame).decode("utf-8")


def export_file_name(what: str, view: View, extension: str = "csv") -> str:
    """Names that say what and when: `status-board_as-of-2024-08-10.csv`."""
    name = f"{what}_as-of-{view.as_of.isoformat()}"
    if view.recorded_on is not None:
        name += f"_recorded-by-{view.recorded_on.isoformat()}"
    return f"{name}.{extension}"


def board_csv(ledger: Ledger, view: View, commitment_ids: Sequence[str] | None = None) -> bytes:
    board = ledger.board(view)
    if commitment_ids is not None:
        wanted = set(commitment_ids)
        board = tuple(s for s in board if s.commitment_id in wanted)
    return frame_to_csv_bytes(board_frame(board))


def evidence_log_csv(ledger: Ledger, view: View, commitment_ids: Sequence[str] | None = None) -> bytes:
    return frame_to_csv_bytes(evidence_frame(ledger, view, commitment_ids))


def history_csv(ledger: Ledger, view: View, commitment_ids: Sequence[str] | None = None) -> bytes:
    return frame_to_csv_bytes(history_frame(ledger.history(view, commitment_ids)))


class Summary(Protocol):
    """One CSV summary of a view, of some pledges (all when None)."""

    def __call__(self, ledger: Ledger, view: View, commitment_ids: Sequence[str] | None = None) -> bytes: ...


EXPORTS: dict[str, Summary] = {
    "status-board": board_csv,
    "evidence-log": evidence_log_csv,
    "status-history": history_csv,
}


def export_all(
    ledger: Ledger,
    view: View,
    directory: Path,
    commitment_ids: Sequence[str] | None = None,
    suffix: str = "",
    force: bool = False,
) -> list[Path]:
    """Write the three summaries (of these pledges; all if None) into `directory`; return the paths written.

    `suffix` goes after each file's name ("-filtered" when the pledges were chosen by a filter).
    Raises FileRefused (nothing written) for a folder that cannot be used, a link, or a file
    already there unless `force`.
    """
    prepare_folder(directory)
    files = {
        directory / export_file_name(what + suffix, view): build(ledger, view, commitment_ids)
        for what, build in EXPORTS.items()
    }
    return write_files(files, force)
