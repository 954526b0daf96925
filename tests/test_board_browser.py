"""The board as a policy officer opens it, in headless Chromium on `streamlit run dashboard.py`:
a link straight to a page on a freshly started server, the board in an 800-pixel window,
and the "changes since" date carried by a link.

The tables are canvas grids; what they show is read from the accessible table Streamlit's
grid keeps beside the canvas, which holds only the columns in view.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

THREE_PRECURSORS = "PRC schedules three essential fentanyl precursors"


def visible_headers(page: Page) -> list[str]:
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    grid.locator("[role=columnheader]").first.wait_for(state="attached")
    return [h.inner_text().strip() for h in grid.locator("[role=columnheader]").all()]


def row_cells(page: Page, first_text: str) -> list[str]:
    """The visible cells of the grid row holding `first_text`."""
    row = page.get_by_test_id("stDataFrame").first.locator("[role=row]").filter(has_text=first_text).first
    return [c.inner_text().strip() for c in row.locator("[role=gridcell]").all()]


def test_a_deep_link_on_a_fresh_server_draws_the_real_navigation(chromium: str, tmp_path: Path) -> None:
    from devtools.browser import chromium as launch
    from devtools.browser import wait_for_app
    from devtools.server import running_dashboard

    with running_dashboard(f"sqlite:///{tmp_path / 'deep.sqlite3'}", tmp_path) as app, launch(chromium) as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # The first request the server ever gets: straight to a page, as from an e-mail.
        page.goto(app.url + "/pledge_detail?pledge=prc-report-to-incb&as_of=2024-08-10")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == "PRC reports drug-related incidents to the INCB database"
        nav = page.get_by_test_id("stSidebarNav")
        links = [a.inner_text().splitlines()[-1].strip() for a in nav.get_by_role("link").all()]
        # The app's own titles, in its sections; not the pages/ file names Streamlit would list.
        assert links[:3] == ["Status board", "What changed", "Pledge detail"], links
        assert "status board" not in links and "dashboard" not in links
        assert nav.get_by_text("Record", exact=True).count() == 1
        width = page.evaluate(
            "document.querySelector('[data-testid=stMainBlockContainer]').getBoundingClientRect().width"
        )
        assert width > 900, width  # the wide layout dashboard.py sets, not Streamlit's narrow default
        assert "As of 10 Aug 2024" in page.get_by_test_id("stCaptionContainer").first.inner_text()


def test_the_board_in_a_narrow_window_shows_status_and_what_changed(chromium: str, tmp_path: Path) -> None:
    from devtools.browser import chromium as launch
    from devtools.browser import wait_for_app
    from devtools.server import running_dashboard

    with running_dashboard(f"sqlite:///{tmp_path / 'narrow.sqlite3'}", tmp_path) as app, launch(chromium) as browser:
        page = browser.new_page(viewport={"width": 800, "height": 1000})
        page.goto(app.url + "/?as_of=2024-08-10&since=2024-08-01")
        wait_for_app(page)
        headers = visible_headers(page)
        assert headers[:2] == ["Status", "Pledge"], headers
        grid = page.get_by_test_id("stDataFrame").first.bounding_box()
        assert grid is not None and grid["x"] + grid["width"] <= 800
        cells = row_cells(page, THREE_PRECURSORS)
        assert cells[:2] == ["announced (claimed)", THREE_PRECURSORS], cells
        assert "changed status** since" not in page.content()  # markdown rendered, not shown raw
        assert "changed status since 1 Aug 2024" in page.get_by_test_id("stMain").inner_text()
        # The since date travels with the link to the What changed page.
        page.get_by_role("link", name="What changed").last.click()
        page.wait_for_url("**/changes?**")
        wait_for_app(page)
        assert "since=2024-08-01" in page.url and "as_of=2024-08-10" in page.url
        assert page.locator("h1").first.inner_text() == "What changed"
        assert "Since 1 Aug 2024" in page.get_by_test_id("stCaptionContainer").first.inner_text()
