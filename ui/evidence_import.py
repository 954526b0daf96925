"""Importing evidence from a CSV file on the dashboard: template, checks, preview, save.

The file format is the evidence log's (`commitments.files.evidence_csv`), so an exported log
edited in a spreadsheet imports back. Reading is all-or-nothing (`parse_drafts` reports
every bad row with its spreadsheet row number) and so is saving (`Store.add_many`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from commitments.files.evidence_csv import (
    EVIDENCE_COLUMNS,
    RECORDING_COLUMNS,
    EvidenceFileError,
    RowError,
    evidence_to_row,
    parse_drafts,
    read_rows,
    write_rows,
)
from commitments.ledger import Ledger
from commitments.models import Evidence, EvidenceDraft
from commitments.store.store import StoreError
from ui import data
from ui.recorder import current_recorder

MAX_MEGABYTES = 5
MAX_BYTES = MAX_MEGABYTES * 1024 * 1024
TEMPLATE_FILE_NAME = "evidence-import-template.csv"
GENERATION = "import_generation"  # bumped after a successful import, to empty the uploader
RESULT = "import_result"
ERROR = "import_error"


def template_csv(ledger: Ledger) -> str:
    """The import header plus one real recorded row as an example.

    The example keeps its id, so importing the template unchanged records nothing new.
    """
    example = _first_open_original(ledger)
    rows = []
    if example is not None:
        row = evidence_to_row(example)
        rows.append({**row, **dict.fromkeys(RECORDING_COLUMNS, "")})
    return write_rows(rows, EVIDENCE_COLUMNS)


def _first_open_original(ledger: Ledger) -> Evidence | None:
    """The first open row in store order that corrects nothing."""
    open_ids = {row.evidence_id for row in ledger.open_rows()}
    for evidence_id in ledger.ids():
        if evidence_id in open_ids:
            model = ledger.row(str(evidence_id))
            if model is not None and not model.supersedes:
                return model
    return None


def upload_key() -> str:
    return f"import_upload_{st.session_state.get(GENERATION, 0)}"


@dataclass
class Checked:
    """An uploaded file, read and checked: drafts if all is well, else the problems."""

    name: str
    problem: str = ""
    rows: list[dict[str, str | None]] = field(default_factory=list)
    drafts: list[EvidenceDraft] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def check_upload(name: str, content: bytes, known_pledges: set[str]) -> Checked:
    """Refuse what is not a small UTF-8 CSV; otherwise parse every row."""
    if not name.lower().endswith(".csv"):
        return Checked(name, f"'{name}' is not a CSV file; upload a .csv file (use the template).")
    if len(content) > MAX_BYTES:
        size = len(content) / 1024 / 1024
        return Checked(
            name, f"'{name}' is {size:.1f} MB; the limit is {MAX_MEGABYTES} MB. Split it into smaller files."
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Checked(name, f"'{name}' is not UTF-8 text; in your spreadsheet, save it as 'CSV UTF-8'.")
    checked = Checked(name)
    try:
        checked.rows = read_rows(text)
        checked.drafts = parse_drafts(text, known_pledges)
    except EvidenceFileError as exc:
        checked.errors = exc.errors
    return checked


def uploaded() -> Checked | None:
    upload = st.session_state.get(upload_key())
    if upload is None:
        return None
    known = {c.id for c in data.ledger().commitments}
    return check_upload(upload.name, upload.getvalue(), known)


def preview_frame(checked: Checked) -> pd.DataFrame:
    """The rows as they will be saved, or as they were read when some are wrong."""
    if checked.drafts:
        records: list[dict[str, str | None]] = [dict(evidence_to_row(d)) for d in checked.drafts]
    else:
        records = checked.rows
    columns = [c for c in EVIDENCE_COLUMNS if c not in RECORDING_COLUMNS]
    frame = pd.DataFrame(records, columns=columns)
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="row")  # the spreadsheet's numbering
    if checked.errors:
        problems: dict[int, list[str]] = {}
        for e in checked.errors:
            problems.setdefault(e.row, []).append(f"{e.field}: {e.message}")
        frame.insert(0, "problems", ["; ".join(problems.get(int(row), [])) for row in frame.index])
    return frame


def errors_frame(errors: list[RowError]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"row": e.row, "column": e.field, "problem": e.message} for e in errors], columns=["row", "column", "problem"]
    )


def import_rows() -> None:
    """The import button's callback: save every row or none."""
    st.session_state[RESULT] = None
    st.session_state[ERROR] = ""
    checked = uploaded()
    if checked is None or checked.problem or checked.errors or not checked.drafts:
        st.session_state[ERROR] = "Nothing was imported: the file has problems (see above)."
        return
    numbers = list(range(2, len(checked.drafts) + 2))  # the spreadsheet's rows: the header is row 1
    try:
        saved = data.store().add_many(checked.drafts, current_recorder(), row_numbers=numbers)
    except StoreError as exc:
        if exc.problems:
            st.session_state[ERROR] = (
                "Nothing was imported: "
                + "; ".join(str(p) for p in exc.problems[:5])
                + (f" (and {len(exc.problems) - 5} more)" if len(exc.problems) > 5 else "")
            )
        else:
            where = f" ({exc.field})" if exc.field else ""
            st.session_state[ERROR] = f"Nothing was imported{where}: {str(exc).removeprefix(f'{exc.field}: ')}"
        return
    st.session_state[RESULT] = {
        "file": checked.name,
        "new": [e.id for e in saved.new],
        "repeated": len(saved.repeated),
    }
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
