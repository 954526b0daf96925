"""Cached access to the store for the pages.

The cache key includes the store's revision, which any write changes (in this process
or another one on the same database), so a saved row shows on the next run at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from commitments.files.catalog import CatalogueError
from commitments.frames import glance_frame, selection_frame
from commitments.ledger import Change, Ledger, PledgeStatus, View
from commitments.store.store import Store, StoreError, open_store


@st.cache_resource(show_spinner="Opening the database ...")
def _open_store() -> Store:
    return open_store()


def store() -> Store:
    """One store per process, created and seeded from data/ on first use.

    A store that cannot be opened (a bad URL, a database from a newer version, a broken
    catalogue, a bad setting) stops the page with the reason, not a traceback.
    """
    try:
        return _open_store()
    except (CatalogueError, StoreError, ValueError) as exc:
        st.error(f"The dashboard cannot open its data: {exc}", icon=":material/error:")
        st.stop()


# A resource, not data: cache_data would pickle and unpickle a hundred thousand rows on
# every run. The ledger never changes, so every session can share the one object; the
# revision in the key makes a write (here or in another process) read the store afresh.
@st.cache_resource(show_spinner="Reading evidence ...", max_entries=2)
def _ledger(store_url: str, revision: int) -> Ledger:
    return store().ledger()


def ledger() -> Ledger:
    """Everything in the store, re-read only when something was written."""
    s = store()
    return _ledger(s.url, s.revision())


def ledger_or_error() -> Ledger:
    """`ledger` outside a page (the server's start-up): a store that cannot be opened raises."""
    s = _open_store()
    return _ledger(s.url, s.revision())


# Underscored: the ledger is not hashed; the store's URL and revision say which one it is.
@st.cache_resource(show_spinner=False, max_entries=8)
def _selection_table(store_url: str, revision: int, view: View, _ledger: Ledger) -> pd.DataFrame:
    return selection_frame(_ledger.board(view))


def selection_table(view: View) -> pd.DataFrame:
    """What the filters and the headline figures read of the view's board, one row per pledge
    (`frames.selection_frame`); made once per store revision and view."""
    s = store()
    revision = s.revision()  # before the ledger, as in `ledger`
    return _selection_table(s.url, revision, view, _ledger(s.url, revision)).copy()


@st.cache_resource(show_spinner=False, max_entries=8)
def _glance_table(
    store_url: str, revision: int, filters_key: str, _shown: Sequence[PledgeStatus], _changes: Sequence[Change]
) -> pd.DataFrame:
    return glance_frame(_shown, _changes)


def glance_table(
    ledger: Ledger, filters_key: str, shown: Sequence[PledgeStatus], changes: Sequence[Change]
) -> pd.DataFrame:
    """The board's at-a-glance table of these pledges (read from `ledger`), made once per store
    revision and filters (`filters_key`: everything the pledges shown and their changes depend on)."""
    s = store()
    revision = s.revision()
    if _ledger(s.url, revision) is not ledger:  # written to since the page read it: do not keep
        return glance_frame(shown, changes)
    return _glance_table(s.url, revision, filters_key, shown, changes).copy()
