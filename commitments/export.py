"""The three CSV summaries (status board, evidence log, status history) for any date.

Every text cell goes through `neutralise_formula`, so a briefing file opened in a
spreadsheet never runs a cell as a formula.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from commitments.evidence_csv import write_rows
from commitments.summaries import Snapshot, View, board_frame, evidence_frame, history_frame


def frame_to_csv(frame: pd.DataFrame) -> str:
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
