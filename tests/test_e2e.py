"""End to end: `streamlit run dashboard.py` on a temporary database, driven in headless Chromium.

A reader opens the board, records a piece of evidence with the form as a user would
(sidebar navigation, comboboxes, date fields, typing), and finds it on the pledge's page,
in the reasons for its status, and on the board; the store holds it exactly once.

The tables are canvas grids, so their contents are read the way a user would take them
away: with the table's own "Download as CSV" button.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from commitments.charts import status_label
from commitments.files.catalog import load_catalogue
from commitments.store.store import Store

pytestmark = pytest.mark.browser

PLEDGE_ID = "prc-regulate-xylazine"
PLEDGE_TITLE = "PRC regulates veterinary anesthetics incl. xylazine"
SUMMARY = "E2E test row: an independent report says the xylazine controls are in force"
SOURCE_TITLE = "E2E test source (not a real publication)"
RECORDER = "E2E Tester"
TIMEOUT_MS = 30_000

# Streamlit saves a grid's CSV with the File System Access API when the browser has it;
# without it, it falls back to an ordinary download, which Playwright can catch.
NO_SAVE_PICKER = "delete window.showSaveFilePicker;"


def grid_csv(page: Page, grid: Locator) -> list[dict[str, str]]:
    """A dataframe's rows, through its toolbar's "Download as CSV" button."""
    grid.scroll_into_view_if_needed()
    grid.hover()
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        grid.get_by_role("button", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def metric(page: Page, label: str) -> int:
    named = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    box = page.get_by_test_id("stMetric").filter(has=named)
    return int(box.get_by_test_id("stMetricValue").inner_text())


def choose(page: Page, scope: Locator, label: str, option: str) -> None:
    """Pick an option in a Streamlit selectbox (a combobox): click it, then the option."""
    box = scope.get_by_label(label, exact=True)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        # A click that lands while another field is closing its popover only focuses the box.
        box.click()
        try:
            wanted.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    wanted.click()
    page.get_by_role("listbox").wait_for(state="detached")


def type_date(scope: Locator, label: str, day: str) -> None:
    """Type a YYYY-MM-DD date into a date field, segment by segment as a keyboard user would."""
    scope.get_by_role("spinbutton", name=f"year, {label}").click()
    scope.page.keyboard.type(day.replace("-", ""))


def test_evidence_added_in_the_form_shows_on_the_detail_and_the_board(chromium: str, tmp_path: Path) -> None:
    from devtools.browser import chromium as launch
    from devtools.browser import wait_for_app
    from devtools.server import running_dashboard

    db_url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    seeded = Store(db_url)
    seeded.ensure_seeded(load_catalogue())
    rows_before = len(seeded.evidence())
    seeded.dispose()

    with running_dashboard(db_url, tmp_path) as app, launch(chromium) as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 1200}, accept_downloads=True)
        context.add_init_script(NO_SAVE_PICKER)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            # -- the board, on the seed data ------------------------------------------------
            page.goto(app.url + "/")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == "Status board"
            board = {r["Pledge"]: r for r in grid_csv(page, page.get_by_test_id("stDataFrame").first)}
            assert {c.title for c in load_catalogue().commitments} <= set(board)
            assert "verified" not in board[PLEDGE_TITLE]["Status"]
            verified_before = metric(page, "Verified")

            # -- add evidence, through the sidebar ------------------------------------------
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Add evidence").click()
            page.wait_for_url("**/add_evidence")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == "Add evidence"

            recorder = page.get_by_label("Recorded by", exact=True)
            recorder.fill(RECORDER)
            recorder.press("Enter")
            wait_for_app(page)

            form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Save evidence"))
            choose(page, form, "Pledge", f"{PLEDGE_TITLE} (PRC)")
            type_date(form, "Event date", "2024-09-02")
            choose(page, form, "Kind of evidence", "legal effect")
            choose(page, form, "Speaks for", "independent")
            form.get_by_label("Summary", exact=True).fill(SUMMARY)
            form.get_by_label("Source title", exact=True).fill(SOURCE_TITLE)
            form.get_by_label("Publisher", exact=True).fill("E2E test publisher")
            type_date(form, "Source published on", "2024-09-03")
            # An independent report verifies only if it is strong enough: this one is an official record.
            choose(page, form, "Source strength", "official record")
            form.get_by_role("button", name="Save evidence").click()
            wait_for_app(page)

            saved = page.get_by_test_id("stAlertContentSuccess").filter(has_text="Saved as row")
            saved.wait_for()
            found = re.search(r"Saved as row (\S+?)\.", saved.inner_text())
            assert found, saved.inner_text()
            row_id = found.group(1)
            assert page.get_by_test_id("stAlertContentError").count() == 0

            # -- the pledge's page ----------------------------------------------------------
            page.goto(f"{app.url}/pledge_detail?pledge={PLEDGE_ID}")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == PLEDGE_TITLE
            why = page.get_by_test_id("stMarkdownContainer").filter(has_text=f"row {row_id}")
            why.first.wait_for()
            assert SUMMARY in why.first.inner_text()
            assert page.get_by_text(status_label("verified", "independent"), exact=True).first.is_visible()
            log = grid_csv(page, page.get_by_test_id("stDataFrame").last)
            ours = [r for r in log if r["Row"] == row_id]
            assert len(ours) == 1
            assert ours[0]["Summary"] == SUMMARY
            assert ours[0]["Source"] == SOURCE_TITLE
            assert ours[0]["Recorded by"] == RECORDER
            assert ours[0]["Kind"] == "legal effect"
            assert log[0]["Row"] == row_id, "the evidence log is newest first"

            # -- and the board moved ---------------------------------------------------------
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Status board").click()
            wait_for_app(page)
            board = {r["Pledge"]: r for r in grid_csv(page, page.get_by_test_id("stDataFrame").first)}
            assert "verified" in board[PLEDGE_TITLE]["Status"]
            assert metric(page, "Verified") == verified_before + 1
        except BaseException:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            raise
        finally:
            context.close()

    # -- the store holds it once --------------------------------------------------------------
    store = Store(db_url)
    try:
        evidence = store.evidence()
        assert [e.summary for e in evidence if e.id == row_id] == [SUMMARY]
        assert len(evidence) == rows_before + 1
        (ours_stored,) = (e for e in evidence if e.id == row_id)
        assert ours_stored.commitment_id == PLEDGE_ID
        assert ours_stored.recorded_by == RECORDER
        assert ours_stored.speaks_for.value == "independent"
        assert ours_stored.event_date.isoformat() == "2024-09-02"
    finally:
        store.dispose()
