"""The brief as the status board offers it: a PDF of the shared date and filters, printed on request.

The button hands Streamlit a function, not bytes: the brief (a chart drawn by a headless
browser, then the page printed by WeasyPrint: a few seconds) is made only when someone
clicks, never on each run of the board. It is kept per store revision, date and filters,
like the CSV files (`ui.exports`), so a second click, or a colleague's, is at once.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from commitments import config, explain
from commitments.files.catalog import catalogue_title
from commitments.files.export import export_file_name
from commitments.ledger import Ledger
from commitments.selection import Selection
from ui import data
from ui.state import Filters


def selection_of(filters: Filters) -> Selection:
    """The sidebar's filters, as the brief and the workbook take them."""
    return Selection(filters.parties, filters.themes, filters.stages, filters.flags)


def title_of(ledger: Ledger) -> str:
    """The catalogue's title, when the store holds its pledges."""
    return catalogue_title(Path(config.setting("COMMITMENTS_DATA_DIR")), (c.id for c in ledger.commitments))


# Underscored arguments are not hashed: the store's URL and revision and the filters' repr
# (date, axis, rules and every filter) say everything the brief depends on.
@st.cache_resource(show_spinner=False, max_entries=4)
def _brief_pdf(store_url: str, revision: int, key: str, _ledger: Ledger, _filters: Filters) -> bytes:
    from commitments.files.brief import brief_pdf  # WeasyPrint: only when a brief is asked for

    return brief_pdf(_ledger, _filters.view, _filters.since, selection_of(_filters), title_of(_ledger))


def brief_download(filters: Filters) -> None:
    """The "Download brief (PDF)" button for the board's date and filters."""
    store = data.store()
    revision = store.revision()  # before the ledger: see ui.exports.cached_exports
    ledger = data.ledger()
    view = filters.view
    suffix = "" if selection_of(filters).is_everything else "-filtered"
    st.download_button(
        "Download brief (PDF)",
        data=lambda: _brief_pdf(store.url, revision, repr(filters), ledger, filters),
        file_name=export_file_name("brief" + suffix, view, "pdf"),
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        key="download_brief",
        help=(
            f"A one-page brief of {selection_of(filters).text}, {explain.view_text(view.as_of, view.recorded_on)}: "
            f"the bottom line, what changed since {explain.date_text(filters.since)}, one line per pledge and "
            "the sources. "
            "It is made when you click (a few seconds)."
        ),
    )
