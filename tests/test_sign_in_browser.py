"""Sign-in for real: the dashboard behind an OpenID provider, driven in headless Chromium.

`oidc_dashboard` runs `oidc-provider` (tests/oidc/) and `streamlit run dashboard.py` with the
`[auth]` settings docs/operations.md gives a team, on a fresh database where
ana@example.org records, lead@example.org reviews and review is required. Every sign-in goes
through the provider's own sign-in and consent pages and back through /oauth2callback;
every sign-out through the provider's end-session page.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.oidc_fixtures import READER, RECORDER, REVIEWER, SignInDeployment
from tests.test_e2e import choose, type_date

pytestmark = pytest.mark.browser

TIMEOUT_MS = 45_000  # a slow 2-core machine runs the provider, the dashboard and Chromium at once
PLEDGE_TITLE = "PRC regulates veterinary anesthetics incl. xylazine"
SUMMARY = "Sign-in test row: an independent report says the xylazine controls are in force"
WRITING_PAGES = ("add_evidence", "suggest_evidence", "review")


@pytest.fixture(scope="module")
def browser(oidc_dashboard: SignInDeployment) -> Iterator[Browser]:
    from devtools.browser import chromium
    from tests.conftest import require_chromium

    with chromium(require_chromium()) as launched:
        yield launched


@pytest.fixture
def page(browser: Browser, oidc_dashboard: SignInDeployment, tmp_path: Path) -> Iterator[Page]:
    """A fresh browser profile (no cookies: nobody signed in); its last sight is kept in last.png."""
    context = browser.new_context(viewport={"width": 1400, "height": 1100})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    try:
        yield opened
        opened.screenshot(path=str(tmp_path / "last.png"), full_page=True)
    finally:
        context.close()


def open_page(page: Page, app: SignInDeployment, path: str = "") -> Locator:
    """Open a dashboard page at the address the redirect URI names; its main area, drawn."""
    from devtools.browser import wait_for_app

    page.goto(f"{app.url}/{path}")
    wait_for_app(page, TIMEOUT_MS)
    return page.get_by_test_id("stMainBlockContainer")


def at_home(app: SignInDeployment) -> re.Pattern[str]:
    """The dashboard's home page, where Streamlit lands after the callback (filters may follow)."""
    return re.compile(rf"^{re.escape(app.url)}/(\?.*)?$")


def drawn_to_the_end(main: Locator, path: str) -> None:
    """Wait for the last thing a page draws for a reader; Streamlit draws in order, so the rest is there.

    Counting what a page shows before it is all drawn would find nothing, and prove nothing.
    """
    if path == "review":
        main.get_by_role("heading", name="Decisions").wait_for()
    else:  # a writing page stops after its read-only notice and the notice's button
        main.get_by_role("button", name=re.compile("Sign (in|out)")).wait_for()


def write_controls(main: Locator) -> dict[str, object]:
    """What in the main area could change anything: fields, uploaders and buttons by label.

    A table's own toolbar (search, download, full screen) only reads, so it does not count.
    """
    fields = main.locator("input:not([type=hidden]), textarea, [role=combobox], [data-testid=stFileUploader]")
    buttons = [
        b
        for b in main.get_by_role("button").filter(visible=True).all()
        if not b.evaluate("button => button.closest('[data-testid=stElementToolbar]') !== null")
    ]
    return {"fields": fields.count(), "buttons": sorted(button_label(b) for b in buttons)}


def button_label(button: Locator) -> str:
    """A button's words, without the name of its Material icon (drawn as text, e.g. "login")."""
    label = button.get_by_test_id("stMarkdownContainer")
    if label.count():
        return label.inner_text().strip()
    return button.get_attribute("aria-label") or button.inner_text().strip()


def sign_in(page: Page, app: SignInDeployment, email: str) -> None:
    """From Add evidence's Sign in button, through the provider's pages, back to the dashboard."""
    main = open_page(page, app, "add_evidence")
    with page.expect_request(f"{app.provider_url}/auth?**") as sent:
        main.get_by_role("button", name="Sign in").click()
    # What Streamlit asks of any provider: these are the parameters a team's provider gets too.
    asked = parse_qs(urlsplit(sent.value.url).query)
    assert asked["scope"] == ["openid email profile"]
    assert asked["prompt"] == ["select_account"]
    assert asked["code_challenge_method"] == ["S256"]
    assert asked["redirect_uri"] == [f"{app.url}/oauth2callback"]
    page.wait_for_url(f"{app.provider_url}/interaction/**")
    page.get_by_role("heading", name="Sign in").wait_for()
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Authorize").wait_for()
    assert "email" in page.locator("body").inner_text()
    page.get_by_role("button", name="Allow").click()
    page.wait_for_url(at_home(app))


def sign_out(page: Page, app: SignInDeployment, main: Locator) -> None:
    """The dashboard's Sign out button, then the provider's end-session page, back home."""
    main.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{app.provider_url}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(at_home(app))


def waiting_row(main: Locator, row_id: str) -> Locator:
    """A row's box on the Review page: the innermost block that names it."""
    return main.get_by_test_id("stVerticalBlock").filter(has_text=f"Row {row_id} ·").last


def stored(app: SignInDeployment, query: str, *args: object) -> list[tuple[object, ...]]:
    """Rows straight from the dashboard's SQLite file."""
    with closing(sqlite3.connect(app.db_path)) as db:
        return db.execute(query, args).fetchall()


def test_a_reader_signs_in_reads_a_read_only_board_and_signs_out(page: Page, oidc_dashboard: SignInDeployment) -> None:
    app = oidc_dashboard
    # -- signed out: the board is open, the writing pages offer sign-in -------------------------
    main = open_page(page, app)
    assert main.locator("h1").first.inner_text() == "Status board"
    main.get_by_test_id("stDataFrame").wait_for()  # drawn a moment after the script ends
    main = open_page(page, app, "add_evidence")
    drawn_to_the_end(main, "add_evidence")
    assert "read-only until you sign in" in main.get_by_test_id("stAlert").inner_text()
    assert write_controls(main) == {"fields": 0, "buttons": ["Sign in"]}

    # -- signed in as a reader: the same board, nothing to write with -------------------------
    sign_in(page, app, READER)
    main = page.get_by_test_id("stMainBlockContainer")
    assert main.locator("h1").first.inner_text() == "Status board"
    for path in WRITING_PAGES:
        main = open_page(page, app, path)
        drawn_to_the_end(main, path)
        notice = main.get_by_test_id("stAlert").filter(has_text="You are signed in as").inner_text()
        assert f"You are signed in as {READER}, who may read the board" in notice.replace("\\", ""), path
        assert write_controls(main) == {"fields": 0, "buttons": ["Sign out"]}, path
        assert main.get_by_role("button", name=re.compile("Save|Import|Suggest|Confirm|Send back")).count() == 0

    # -- signed out again -----------------------------------------------------------------------
    sign_out(page, app, main)
    main = open_page(page, app, "add_evidence")
    drawn_to_the_end(main, "add_evidence")
    assert "read-only until you sign in" in main.get_by_test_id("stAlert").inner_text()
    assert write_controls(main) == {"fields": 0, "buttons": ["Sign in"]}


def test_a_recorder_records_a_row_that_only_someone_else_may_confirm(
    page: Page, oidc_dashboard: SignInDeployment, tmp_path: Path
) -> None:
    app = oidc_dashboard
    # -- ana records a row through the form -------------------------------------------------------
    sign_in(page, app, RECORDER)
    main = open_page(page, app, "add_evidence")
    expect(main).to_contain_text(f"Signed in as {RECORDER} (recorder)")
    form = main.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="Save evidence"))
    expect(form.get_by_role("button", name="Save evidence")).to_be_visible()
    # The button can be drawn before the fields above it; wait for the last field, then count.
    expect(form.get_by_label("Source published on", exact=True)).to_be_visible()
    assert form.locator("input:not([type=hidden]), textarea").count() > 5
    assert main.get_by_label("Recorded by", exact=True).count() == 0  # the sign-in says who records
    page.screenshot(path=str(tmp_path / "add-evidence-signed-in.png"), full_page=True)
    choose(page, form, "Pledge", f"{PLEDGE_TITLE} (PRC)")
    type_date(form, "Event date", "2024-09-02")
    choose(page, form, "Kind of evidence", "legal effect")
    choose(page, form, "Speaks for", "independent")
    form.get_by_label("Summary", exact=True).fill(SUMMARY)
    form.get_by_label("Source title", exact=True).fill("Sign-in test source (not a real publication)")
    form.get_by_label("Publisher", exact=True).fill("Sign-in test publisher")
    type_date(form, "Source published on", "2024-09-03")
    form.get_by_role("button", name="Save evidence").click()
    saved = main.get_by_test_id("stAlertContentSuccess").filter(has_text="Saved as row")
    saved.wait_for()
    found = re.search(r"Saved as row (\S+?)\.", saved.inner_text())
    assert found, saved.inner_text()
    row_id = found.group(1)
    assert "moves no status until someone else confirms it" in saved.inner_text()

    # -- on Review she sees her row, and nothing to confirm it with ----------------------------------
    main = open_page(page, app, "review")
    drawn_to_the_end(main, "review")
    row = waiting_row(main, row_id)
    assert SUMMARY in row.inner_text()
    assert f"recorded by {RECORDER}" in row.inner_text()
    notice = main.get_by_test_id("stAlert").filter(has_text="You are signed in as").inner_text()
    assert f"{RECORDER}, who may record evidence but not confirm or send back rows" in notice.replace("\\", "")
    assert write_controls(main) == {"fields": 0, "buttons": ["Sign out"]}
    assert stored(app, "SELECT recorded_by, needs_review, summary FROM evidence WHERE id = ?", row_id) == [
        (RECORDER, 1, SUMMARY)
    ]
    assert stored(app, "SELECT * FROM reviews WHERE evidence_id = ?", row_id) == []
    sign_out(page, app, main)

    # -- lead confirms it ------------------------------------------------------------------------
    sign_in(page, app, REVIEWER)
    main = open_page(page, app, "review")
    expect(main).to_contain_text(f"Signed in as {REVIEWER} (reviewer)")
    row = waiting_row(main, row_id)
    row.get_by_role("button", name="Confirm").click()
    main.get_by_test_id("stAlertContentSuccess").filter(has_text=f"Row {row_id} confirmed").wait_for()
    assert stored(app, "SELECT decision, reviewer FROM reviews WHERE evidence_id = ?", row_id) == [
        ("confirmed", REVIEWER)
    ]
