"""A table drawn one page at a time, so a long log never ships whole to the browser.

    from ui.paging import paged_dataframe
    paged_dataframe(log, key="evidence_log", column_config=..., hide_index=True)

Short tables (up to one page) are drawn exactly as `st.dataframe` would draw them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from commitments.paging import DEFAULT_PAGE_SIZE, page_of, page_window


def paged_dataframe(frame: pd.DataFrame, key: str, page_size: int = DEFAULT_PAGE_SIZE, **dataframe_args: Any) -> Any:
    """Draw `frame` a page at a time with a page selector; returns what st.dataframe returns."""
    pages = page_window(len(frame), 1, page_size).pages
    page = 1
    if pages > 1:
        page = int(st.number_input("Page", min_value=1, max_value=pages, value=1, step=1, key=f"{key}_page", width=160))
    rows, window = page_of(frame, page, page_size)
    shown = st.dataframe(rows, key=key, **dataframe_args)
    if pages > 1:
        st.caption(window.caption)
    return shown
