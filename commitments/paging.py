"""Pages of a long table: the browser gets a few hundred rows at a time, never 100,000.

Pure: which rows page N holds and how to say so. `ui/paging.py` draws the selector.

>>> window = page_window(total=1234, page=3, size=500)
>>> (window.start, window.stop, window.pages, window.caption)
(1000, 1234, 3, 'Rows 1,001–1,234 of 1,234 (page 3 of 3)')
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DEFAULT_PAGE_SIZE = 500


@dataclass(frozen=True)
class PageWindow:
    start: int
    stop: int
    page: int
    pages: int
    total: int

    @property
    def caption(self) -> str:
        if self.total == 0:
            return "No rows"
        if self.pages == 1:
            return f"{self.total:,} row{'s' if self.total != 1 else ''}"
        return f"Rows {self.start + 1:,}–{self.stop:,} of {self.total:,} (page {self.page} of {self.pages})"


def page_window(total: int, page: int, size: int = DEFAULT_PAGE_SIZE) -> PageWindow:
    """Rows [start, stop) of page `page` (1-based; out-of-range pages are clamped)."""
    if size < 1:
        raise ValueError("size: a page holds at least one row")
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    start = (page - 1) * size
    return PageWindow(start=start, stop=min(total, start + size), page=page, pages=pages, total=total)


def page_of(frame: pd.DataFrame, page: int, size: int = DEFAULT_PAGE_SIZE) -> tuple[pd.DataFrame, PageWindow]:
    """The rows of one page, and where they sit in the whole."""
    window = page_window(len(frame), page, size)
    return frame.iloc[window.start : window.stop], window
