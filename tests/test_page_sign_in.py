"""Sign-in and roles on the pages, driven through dashboard.py as a signed-in (or not) user.

AppTest's `user` is what the app reads as `st.user`, so these are the identities Streamlit's
OIDC login would hand the dashboard.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from commitments.store.store import Store, open_store
from tests.test_page_add_evidence import VALID, click, texts, widget

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
WRITING_PAGES = ("pages/add_evidence.py", "pages/suggest_evidence.py")
RECORDER = "ana@example.org"
READER = "reader@example.org"


@pytest.fixture
def db(dashboard_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COMMITMENTS_AUTH", "oidc")
    monkeypatch.setenv("COMMITMENTS_RECORDERS", RECORDER)
    return dashboard_db


def signed_in(email: str) -> dict[str, Any]:
    return {"is_logged_in": True, "email": email, "name": email.split("@")[0]}


def open_page(page: str, user: dict[str, Any]) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.user = user
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def shown(elements: Any) -> str:
    """Element text as the reader sees it (Markdown escapes removed)."""
    return texts(elements).replace("\\", "")


def rows_in(db: str) -> int:
    store = open_store()  # the page's own database (COMMITMENTS_DB_URL), seeded if new
    assert store.url == db
    try:
        return len(store.evidence())
    finally:
        store.dispose()


@pytest.mark.parametrize("page", WRITING_PAGES)
def test_a_reader_gets_a_read_only_notice_and_no_form(db: str, page: str) -> None:
    before = rows_in(db)
    at = open_page(page, signed_in(READER))
    assert f"signed in as {READER}, who may read the board but not record evidence" in shown(at.info)
    assert "add your address to the recorders (or the reviewers, to review as well)" in shown(at.info)
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.text_input and not at.text_area and not at.selectbox
    assert not at.tabs
    assert rows_in(db) == before


def test_a_reader_cannot_save_even_with_the_form_state_of_a_recorder(db: str) -> None:
    # Typed values left in the session (e.g. before an administrator removed the reader's
    # role) give a reader no form to submit; the board still reads the same rows.
    before = rows_in(db)
    at = open_page("pages/add_evidence.py", signed_in(RECORDER))
    for column, value in VALID.items():
        widget(at, "new_" + column).set_value(value)
    at.user = signed_in(READER)
    at.run()
    assert not any(b.label == "Save evidence" for b in at.button)
    assert rows_in(db) == before
    at.switch_page("pages/status_board.py").run()
    assert not at.exception
    assert not at.info or "read-only" not in shown(at.info)
    assert len(at.dataframe) == 1


def test_a_recorder_saves_a_row_under_their_e_mail(db: str) -> None:
    at = open_page("pages/add_evidence.py", signed_in(RECORDER))
    assert f"Signed in as **{RECORDER}** (recorder)" in shown(at.markdown)
    # The identity comes from the sign-in: there is no name to type.
    assert not [t for t in at.text_input if t.key == "recorder_name"]
    before = rows_in(db)
    for column, value in VALID.items():
        widget(at, "new_" + column).set_value(value)
    click(at, "Save evidence")
    assert not at.error, texts(at.error)
    store = Store(db)
    saved = store.evidence()[-1]
    store.dispose()
    assert rows_in(db) == before + 1
    assert (saved.summary, saved.recorded_by) == (VALID["summary"], RECORDER)
    assert f"Saved as row {saved.id}" in texts(at.success)


def test_recorders_are_matched_without_regard_to_case(db: str) -> None:
    at = open_page("pages/add_evidence.py", signed_in("Ana@Example.ORG"))
    assert any(b.label == "Save evidence" for b in at.button)


@pytest.mark.parametrize("page", WRITING_PAGES)
def test_signed_out_users_are_offered_sign_in(db: str, page: str) -> None:
    at = open_page(page, {"is_logged_in": False})
    assert "read-only until you sign in" in shown(at.info)
    assert [b.label for b in at.button] == ["Sign in"]
    assert not any(b.label in ("Save evidence", "Confirm") for b in at.button)


def test_sign_in_without_auth_secrets_says_what_is_missing(db: str) -> None:
    at = open_page("pages/add_evidence.py", {"is_logged_in": False})
    click(at, "Sign in")
    assert "Sign-in is not set up correctly" in texts(at.error)


def test_the_board_stays_readable_when_signed_out(db: str) -> None:
    at = open_page("pages/status_board.py", {"is_logged_in": False})
    assert len(at.dataframe) == 1
    assert not at.info or "sign in" not in shown(at.info)


def test_without_sign_in_the_page_asks_for_a_name(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITMENTS_AUTH", "none")
    # Streamlit's placeholder identity (no is_logged_in) must not be taken for a user.
    at = open_page("pages/add_evidence.py", {"email": "test@example.com"})
    assert at.text_input(key="recorder_name").label == "Recorded by"
    at.text_input(key="recorder_name").input("Typed Name")
    for column, value in VALID.items():
        widget(at, "new_" + column).set_value(value)
    click(at, "Save evidence")
    store = Store(db)
    assert store.evidence()[-1].recorded_by == "Typed Name"
    store.dispose()
