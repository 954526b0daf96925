"""A table drawn one page at a time, so a long log never ships whole to the browser.

    from ui.paging import paged_dataframe
    paged_dataframe(log, key="evidence_log", column_config=..., hide_index=True)

Short tables (up to one page) are drawn exactly as `st.dataframe` would draw them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from commitments.paging import DEFAULT_PAGE_SIZE, PageWindow, page_of, page_window


def page_selector(total: int, size: int, key: str, label: str = "Page") -> PageWindow:
    """The page the reader chose, with a number box drawn only when there is more than one."""
    pages = page_window(total, 1, size).pages
    page = 1
    if pages > 1:
        page = int(st.number_input(label, min_value=1, max_value=pages, value=1, step=1, key=key, width=160))
    return page_window(total, page, size)


def paged_dataframe(frame: pd.DataFrame, key: str, page_size: int = DEFAULT_PAGE_SIZE, **dataframe_args: Any) -> Any:
    """Draw `frame` a page at a time with a page selector; returns what st.dataframe returns."""
    window = page_selector(len(frame), page_size, key=f"{key}_page")
    rows, _ = page_of(frame, window.page, page_size)
    shown = st.dataframe(rows, key=key, **dataframe_args)
    if window.pages > 1:
        st.caption(window.caption)
    return shown
