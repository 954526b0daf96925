"""Hostile text in every field of an evidence row is shown as text, in a real browser.

Rows whose summary, quote, date note, source title, publisher, reference, correction and
retraction reasons and recorder name are XSS payloads are put in the store; then every page
that shows them is opened in headless Chromium. No payload may run (`window.__xss` stays
undefined, no dialog opens), no `javascript:` link or inline event handler reaches the DOM,
and the payloads are readable as the text they are.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect

from commitments.files.catalog import load_catalogue
from commitments.ledger import Ledger, View
from commitments.models import EvidenceDraft, Stage
from commitments.store.store import Store

pytestmark = pytest.mark.browser


def _announced_pledge() -> str:
    """A pledge on record before August 2024 whose status today rests on announcements, so
    the payload rows (announcements of August 2024) are cited under "What it rests on"."""
    catalogue = load_catalogue()
    board = Ledger.from_models(catalogue.commitments, catalogue.evidence).board(View(as_of=date.today()))
    return next(
        s.commitment_id
        for s in board
        if s.stage is Stage.ANNOUNCED and s.commitment.pledged_effective_on < date(2024, 8, 1)
    )


PLEDGE_ID = _announced_pledge()
PLEDGE_TITLE = next(c.title for c in load_catalogue().commitments if c.id == PLEDGE_ID)
TIMEOUT_MS = 30_000
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=window.__xss=1>",
    '"><iframe src=javascript:window.__xss=1>',
    "[click](javascript:window.__xss=1)",
    '<a href="javascript:window.__xss=1">link</a>',
    "<img src=x onerror=alert(1)>",
    '<b onmouseover="window.__xss=1">bold</b> :red[x] $x$ **y**',
]
# The models refuse a javascript: URL outright; an https one can still carry a quote.
QUOTED_URL = 'https://example.org/report"onmouseover=window.__xss=1'
HANDLER_ATTRIBUTES = "[onerror], [onload], [onmouseover], [onclick], [onfocus]"


def hostile_store(db_url: str) -> dict[str, str]:
    """Seed the store and add the payload rows; returns payload -> id of the row it heads."""
    store = Store(db_url)
    store.ensure_seeded(load_catalogue())
    ids: dict[str, str] = {}
    try:
        for n, payload in enumerate(PAYLOADS, start=1):
            draft = EvidenceDraft.model_validate(
                {
                    "commitment_id": PLEDGE_ID,
                    "event_date": date(2024, 8, n),
                    "date_note": payload,
                    "kind": "announcement" if n % 2 else "statement",
                    "speaks_for": "committing_party" if n % 2 else "independent",
                    "summary": payload,
                    "quote": payload,
                    "source": {
                        "title": payload,
                        "publisher": payload,
                        "reference": payload,
                        "url": QUOTED_URL if n == 1 else f"https://example.org/{n}",
                    },
                }
            )
            ids[payload] = store.add_evidence(draft, recorded_by=payload).id
        first, second = PAYLOADS[0], PAYLOADS[1]
        correction = EvidenceDraft.model_validate(
            {
                "commitment_id": PLEDGE_ID,
                "event_date": date(2024, 8, 20),
                "kind": "announcement",
                "speaks_for": "committing_party",
                "summary": f"corrected {first}",
                "source": {"title": first, "publisher": second},
                "supersedes": ids[first],
                "correction_reason": f"{second} {first}",
            }
        )
        store.add_evidence(correction, recorded_by=second)
        store.retract(ids[second], reason=f"{first} {second}", recorded_by=first)
    finally:
        store.dispose()
    return ids


def assert_nothing_ran(page: Page, dialogs: list[str], where: str) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", f"a payload ran on {where}"
    assert dialogs == [], f"a dialog opened on {where}: {dialogs}"
    assert page.locator("a[href^='javascript:' i], iframe[src^='javascript:' i]").count() == 0, where
    assert page.locator(HANDLER_ATTRIBUTES).count() == 0, f"an inline event handler reached the DOM on {where}"
    assert page.locator("script:not([src])").filter(has_text="__xss").count() == 0, where
    assert page.get_by_test_id("stException").count() == 0, where


def hover_chart_points(page: Page, chart: Locator, at_most: int = 25) -> str:
    """Hover over the chart's markers; returns the text of every hover label seen."""
    chart.scroll_into_view_if_needed()
    seen = []
    points = chart.locator(".scatterlayer path.point")
    for i in range(min(points.count(), at_most)):
        points.nth(i).hover(force=True)
        page.wait_for_timeout(100)
        seen.append(chart.locator(".hoverlayer").text_content() or "")
    return "\n".join(seen)


def test_xss_payloads_in_evidence_are_shown_as_text_and_never_run(chromium: str, tmp_path: Path) -> None:
    from devtools.browser import chromium as launch
    from devtools.browser import wait_for_app
    from devtools.server import running_dashboard

    db_url = f"sqlite:///{tmp_path / 'xss.sqlite3'}"
    hostile_store(db_url)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    with running_dashboard(db_url, tmp_path) as app, launch(chromium) as browser:
        context = browser.new_context(viewport={"width": 1600, "height": 1200})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        page.on("dialog", on_dialog)
        try:
            page.goto(app.url + "/")
            wait_for_app(page)
            assert page.locator("h1").first.inner_text() == "Status board"
            assert_nothing_ran(page, dialogs, "the board")

            # -- the pledge's page: reasons, markers, evidence log ---------------------------
            page.goto(f"{app.url}/pledge_detail?pledge={PLEDGE_ID}")
            wait_for_app(page)
            assert_nothing_ran(page, dialogs, "the pledge detail")
            shown = page.locator("[data-testid='stMain']").inner_text()
            visible = [p for p in PAYLOADS if p in shown]
            assert visible, "no payload is readable as text on the pledge detail"
            hovered = hover_chart_points(page, page.get_by_test_id("stPlotlyChart").first)
            assert any(p in hovered for p in PAYLOADS), "no payload is readable in the markers' hover labels"
            assert_nothing_ran(page, dialogs, "the pledge detail after hovering the markers")

            # -- status over time, reached through the sidebar (same window, so a payload
            # that ran on an earlier screen would still be seen) -----------------------------
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Status over time").click()
            page.wait_for_url("**/status_over_time*")
            wait_for_app(page)
            for chart in page.get_by_test_id("stPlotlyChart").all():
                hover_chart_points(page, chart)
            page.get_by_text("Every status change").click()
            wait_for_app(page)
            assert_nothing_ran(page, dialogs, "status over time")

            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Downloads").click()
            page.wait_for_url("**/downloads*")
            wait_for_app(page)
            assert page.get_by_test_id("stDownloadButton").count() == 4  # the workbook and the three CSVs
            assert_nothing_ran(page, dialogs, "downloads")

            # -- add evidence: choose a hostile row to correct ---------------------------------
            page.get_by_test_id("stSidebarNav").get_by_role("link", name="Add evidence").click()
            page.wait_for_url("**/add_evidence*")
            wait_for_app(page)
            page.get_by_role("tab", name="Correct or retract").click()
            # The pledge first, then its rows.
            page.get_by_label("Pledge the row is about", exact=True).click()
            page.keyboard.type(PLEDGE_TITLE)
            page.get_by_role("option").filter(has_text=PLEDGE_TITLE).first.click()
            page.get_by_role("listbox").wait_for(state="detached")
            wait_for_app(page)
            # Typing narrows the (virtualised) list to the hostile rows, as a user would search.
            page.get_by_label("Row to correct or retract", exact=True).click()
            page.keyboard.type("__xss")
            options = page.get_by_role("option")
            options.first.wait_for()
            labels = "\n".join(options.all_inner_texts())
            assert PAYLOADS[2] in labels and PAYLOADS[5] in labels, labels
            options.filter(has_text=PAYLOADS[2]).first.click()
            page.get_by_role("listbox").wait_for(state="detached")
            wait_for_app(page)
            correct_form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Save correction"))
            # The choice's callback prefills the form on the run it starts: wait for that run.
            for label, value in [
                ("Summary", PAYLOADS[2]),
                ("Source title", PAYLOADS[2]),
                ("Source URL", "https://example.org/3"),
            ]:
                expect(correct_form.get_by_label(label, exact=True)).to_have_value(value, timeout=TIMEOUT_MS)
            wait_for_app(page)
            assert_nothing_ran(page, dialogs, "add evidence, correct or retract")

            corrections = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Corrections log")
            if corrections.count():
                corrections.click()
                wait_for_app(page)
                assert_nothing_ran(page, dialogs, "the corrections log")
        except BaseException:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            raise
        finally:
            context.close()
