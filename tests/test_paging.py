"""Long tables go to the browser a page at a time."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from commitments.paging import page_of, page_window


@pytest.mark.parametrize(
    ("total", "page", "size", "expected"),
    [
        (0, 1, 500, (0, 0, 1, 1)),
        (1, 1, 500, (0, 1, 1, 1)),
        (500, 1, 500, (0, 500, 1, 1)),
        (501, 2, 500, (500, 501, 2, 2)),
        (100_000, 7, 500, (3000, 3500, 7, 200)),
        (100_000, 0, 500, (0, 500, 1, 200)),  # below the first page: the first
        (100_000, 999, 500, (99_500, 100_000, 200, 200)),  # past the last: the last
    ],
)
def test_page_window(total: int, page: int, size: int, expected: tuple[int, int, int, int]) -> None:
    w = page_window(total, page, size)
    assert (w.start, w.stop, w.page, w.pages) == expected


def test_captions_say_where_the_rows_sit() -> None:
    assert page_window(0, 1).caption == "No rows"
    assert page_window(1, 1).caption == "1 row"
    assert page_window(40, 1).caption == "40 rows"
    assert page_window(100_000, 2, 500).caption == "Rows 501–1,000 of 100,000 (page 2 of 200)"


def test_a_bad_page_size_is_refused() -> None:
    with pytest.raises(ValueError, match="size"):
        page_window(10, 1, 0)


def test_page_of_returns_the_rows_of_that_page() -> None:
    frame = pd.DataFrame({"n": range(1234)})
    rows, window = page_of(frame, 3, 500)
    assert rows["n"].tolist() == list(range(1000, 1234))
    assert window.pages == 3


def _script() -> None:
    import pandas as pd

    from ui.paging import paged_dataframe

    paged_dataframe(pd.DataFrame({"n": range(1200)}), key="log", page_size=500, hide_index=True)


def test_the_widget_ships_one_page_and_moves_between_pages() -> None:
    at = AppTest.from_function(_script).run()
    assert len(at.dataframe[0].value) == 500
    assert at.dataframe[0].value["n"].iloc[0] == 0
    at.number_input(key="log_page").set_value(3).run()
    assert at.dataframe[0].value["n"].tolist() == list(range(1000, 1200))
    assert "page 3 of 3" in at.caption[0].value
