"""The three CSV summaries (status board, evidence log, status history) for any date.

CSV is the machine format: the evidence log is exactly what `import-evidence` reads back.
Every text cell a spreadsheet would run as a formula is neutralised (`neutralise_formula`,
the one rule), so a briefing file opened in Excel or LibreOffice never runs a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pandas as pd

from commitments.files.evidence_csv import neutralise_formula
from commitments.files.writing import prepare_folder, write_files
from commitments.frames import board_frame, evidence_frame, history_frame
from commitments.ledger import Ledger, View

# A cell that starts with one of these (after any apostrophes) is one `neutralise_formula` changes.
_RISKY = r"^'*[=+\-@\t\r]"


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell that a spreadsheet would run as a formula made inert."""
    out = frame.copy()
    for name in out.columns:
        column = out[name]
        if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
            continue
        try:
            risky = column.str.match(_RISKY, na=False)
        except AttributeError:  # no text in the column (dates, numbers): nothing to neutralise
            continue
        if risky.any():
            out[name] = column.astype(object).where(~risky, column[risky].map(neutralise_formula))
    return out


def frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV as the csv module writes it (minimal quoting, CRLF line ends), formulas neutralised.

    Missing values are empty cells, dates ISO text. The evidence log imports back unchanged.
    """
    text = neutralised(frame).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8")


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
