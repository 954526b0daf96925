"""The three CSV summaries and the Excel workbook as the Downloads page offers them: for the shared date and filters.

The board is filtered with the shared filters; the evidence log and the status history are
then restricted to the pledges left on the board, so the three files always describe the
same pledges. The CSV text itself comes from `commitments.files.export` (formula-neutralised).

`cached_exports` builds the three files once per store revision, date and filters: at
100,000 evidence rows they take about a second to write, and the page runs again on every
click in the sidebar. The workbook (`commitments.files.workbook`) is written only when its
button is clicked, then kept the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pandas as pd
import streamlit as st

from commitments.files.export import export_file_name, frame_to_csv_bytes
from commitments.frames import board_frame, evidence_frame, history_frame
from commitments.ledger import Ledger
from ui import data
from ui.briefing import selection_of, title_of
from ui.state import Filters

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Export:
    what: str  # the summary's name, as in `commitments.files.export.EXPORTS`
    title: str
    description: str
    frame: pd.DataFrame
    file_name: str
    preview_columns: tuple[str, ...]

    @property
    def preview(self) -> pd.DataFrame:
        """The columns a reader needs to recognise the rows; the file has all of them."""
        return self.frame.loc[:, list(self.preview_columns)]

    @cached_property
    def csv_bytes(self) -> bytes:
        return frame_to_csv_bytes(self.frame)


def is_filtered(filters: Filters) -> bool:
    return bool(filters.parties or filters.themes or filters.stages or filters.flags)


def exports(ledger: Ledger, filters: Filters) -> list[Export]:
    """Board, evidence log and status history for the filters' view, in that order."""
    view = filters.view
    board = filters.apply(board_frame(ledger.board(view))).reset_index(drop=True)
    pledges = board["id"].tolist()
    suffix = "-filtered" if is_filtered(filters) else ""
    preview = {
        "status-board": ("title", "party", "status", "flags", "last_evidence_on", "independent_sources"),
        "evidence-log": ("event_date", "commitment_id", "kind", "speaks_for", "summary", "record_state"),
        "status-history": ("on", "title", "from_stage", "stage", "basis", "reason"),
    }
    made = [
        ("status-board", "Status board", "One row per pledge: stage, basis, flags, sources and the reasons.", board),
        (
            "evidence-log",
            "Evidence log",
            "Every evidence row known by the date, newest first, with its record state "
            "(active, superseded or retracted).",
            evidence_frame(ledger, view, pledges),
        ),
        (
            "status-history",
            "Status history",
            "One row per change of stage, basis or flag, with the evidence that caused it.",
            history_frame(ledger.history(view, pledges)),
        ),
    ]
    return [
        Export(what, title, text, frame, export_file_name(what + suffix, view), preview[what])
        for what, title, text, frame in made
    ]


# A resource, not data: the frames and bytes are shared as they are, not pickled per run.
# Underscored arguments are not hashed; the revision, the store's URL and the filters'
# repr (date, axis, rules and every filter) say everything the files depend on.
@st.cache_resource(show_spinner="Writing the CSV files ...", max_entries=4)
def _built(store_url: str, revision: int, key: str, _ledger: Ledger, _filters: Filters) -> tuple[Export, ...]:
    made = tuple(exports(_ledger, _filters))
    for export in made:
        export.csv_bytes  # noqa: B018 - written here, once, while the cache entry is made
    return made


def cached_exports(filters: Filters) -> tuple[Export, ...]:
    """`exports` of the current store for these filters, written again only after a write."""
    store = data.store()
    # The revision is read before the ledger: a write in between gives a newer ledger
    # under the older key, and the next run, seeing the newer revision, builds afresh.
    revision = store.revision()
    return _built(store.url, revision, repr(filters), data.ledger(), filters)


@st.cache_resource(show_spinner=False, max_entries=4)
def _workbook(store_url: str, revision: int, key: str, since: date | None, _ledger: Ledger, _filters: Filters) -> bytes:
    from commitments.files.workbook import workbook_bytes  # XlsxWriter: only when a workbook is asked for

    return workbook_bytes(_ledger, _filters.view, since, selection_of(_filters), title_of(_ledger))


def workbook_download(filters: Filters, since: date | None) -> None:
    """The "Download Excel workbook" button: written when it is clicked, kept per revision, filters and date."""
    store = data.store()
    revision = store.revision()  # before the ledger, as in cached_exports
    ledger = data.ledger()
    suffix = "-filtered" if is_filtered(filters) else ""
    st.download_button(
        "Download Excel workbook",
        data=lambda: _workbook(store.url, revision, repr(filters), since, ledger, filters),
        file_name=export_file_name("workbook" + suffix, filters.view, "xlsx"),
        mime=XLSX_MIME,
        on_click="ignore",
        icon=":material/table_view:",
        key="download_workbook",
        width="stretch",
    )
