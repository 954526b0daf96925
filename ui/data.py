"""Cached access to the store for the pages.

The cache key includes the store's revision, which any write changes (in this process
or another one on the same database), so a saved row shows on the next run at once.
"""

from __future__ import annotations

import streamlit as st

from commitments.store import Store, open_store
from commitments.summaries import Snapshot


@st.cache_resource(show_spinner="Opening the database ...")
def store() -> Store:
    """One store per process, created and seeded from data/ on first use."""
    return open_store()


@st.cache_data(show_spinner="Reading evidence ...", max_entries=4)
def _snapshot(_store_url: str, revision: tuple[int, int, int]) -> Snapshot:
    return store().snapshot()


def snapshot() -> Snapshot:
    """Everything in the store, re-read only when something was written."""
    s = store()
    return _snapshot(s.url, s.revision())
