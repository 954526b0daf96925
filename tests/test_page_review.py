"""Second-person review on the pages: a saved row waits, moves nothing, and is confirmed
(or sent back with a comment) by someone else on the Review page, all through dashboard.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from commitments.store.store import open_store
from tests.factories import draft
from tests.test_page_add_evidence import VALID, click, texts, widget

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
REVIEW = "pages/review.py"
BOARD = "pages/status_board.py"
PLEDGE = str(VALID["commitment_id"])


@pytest.fixture
def db(dashboard_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COMMITMENTS_REQUIRE_REVIEW", "true")
    return dashboard_db


def shown(elements: Any) -> str:
    return texts(elements).replace("\\", "")


def app(user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if user is not None:
        at.user = user
    at.run()
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def board_status(at: AppTest) -> str:
    """The Status cell the board shows for the pledge under test."""
    go(at, BOARD)
    store = open_store()
    title = next(c.title for c in store.commitments() if c.id == PLEDGE)
    store.dispose()
    table = at.dataframe[0].value.set_index("Pledge")
    return str(table.loc[title, "Status"])


def buttons(at: AppTest, label: str) -> list[Any]:
    return [b for b in at.button if b.label == label]


def test_a_saved_row_waits_for_someone_else_before_it_moves_the_board(db: str) -> None:
    at = app()
    status_before = board_status(at)

    go(at, "pages/add_evidence.py")
    at.text_input(key="recorder_name").input("Ana")
    for column, value in VALID.items():
        widget(at, "new_" + column).set_value(value)
    click(at, "Save evidence")
    assert "moves no status until someone else confirms it" in texts(at.success)
    store = open_store()
    saved = store.evidence()[-1]
    store.dispose()
    assert saved.needs_review and saved.recorded_by == "Ana"
    assert board_status(at) == status_before

    go(at, REVIEW)
    assert "Awaiting review: 1 pending, 0 sent back" in texts(at.subheader)
    page = shown(at.markdown) + shown(at.caption)
    for expected in (VALID["summary"], VALID["source_title"], "recorded by Ana", saved.id):
        assert expected in page
    # The recorder, still "Ana" in this session, cannot confirm their own row.
    click(at, "Confirm")
    assert "someone other than who recorded it" in shown(at.error)
    assert board_status(at) == status_before

    go(at, REVIEW)
    at.text_input(key="recorder_name").input("Ben")
    at.run()
    click(at, "Send back")
    assert "Comment" in shown(at.error) and "say why the row is sent back" in shown(at.error)
    at.text_input(key=f"review_comment_{saved.id}").input("the source is a blog; find the gazette")
    click(at, "Send back")
    assert f"Row {saved.id} sent back" in shown(at.success)
    assert "Awaiting review: 0 pending, 1 sent back" in texts(at.subheader)
    assert "the source is a blog; find the gazette" in shown(at.warning)
    assert board_status(at) == status_before

    go(at, REVIEW)
    click(at, "Confirm")
    assert f"Row {saved.id} confirmed" in shown(at.success), (shown(at.error), shown(at.success))
    assert "Nothing is waiting for review." in texts(at.success)
    decisions = at.dataframe[0].value
    assert list(zip(decisions["Decision"], decisions["Reviewer"], decisions["Row"], strict=True)) == [
        ("confirmed", "Ben", saved.id),
        ("returned", "Ben", saved.id),
    ]
    assert decisions["When (UTC)"].notna().all()
    assert board_status(at) != status_before


def test_the_board_can_count_pending_rows_on_request(db: str) -> None:
    store = open_store()
    store.add_evidence(draft(commitment_id=PLEDGE, kind="independent_verification", speaks_for="independent"), "Ana")
    store.dispose()
    at = app()
    without = board_status(at)
    at.toggle(key="w_pending").set_value(True).run()
    assert board_status(at) != without


def test_with_sign_in_only_reviewers_get_the_decision_buttons(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITMENTS_AUTH", "oidc")
    monkeypatch.setenv("COMMITMENTS_RECORDERS", "ana@example.org")
    monkeypatch.setenv("COMMITMENTS_REVIEWERS", "rev@example.org")
    store = open_store()
    row = store.add_evidence(draft(commitment_id=PLEDGE), "ana@example.org")
    store.dispose()

    recorder = go(app({"is_logged_in": True, "email": "ana@example.org"}), REVIEW)
    assert "ana@example.org, who may record evidence but not confirm or send back rows" in shown(recorder.info)
    assert "add your address to the reviewers (`python -m commitments policy set`)" in shown(recorder.info)
    assert not buttons(recorder, "Confirm")
    assert row.summary in shown(recorder.markdown)  # the queue itself is open to read

    reviewer = go(app({"is_logged_in": True, "email": "rev@example.org"}), REVIEW)
    assert "Signed in as **rev@example.org** (reviewer)" in shown(reviewer.markdown)
    click(reviewer, "Confirm")
    store = open_store()
    assert [(r.evidence_id, r.reviewer) for r in store.reviews()] == [(row.id, "rev@example.org")]
    store.dispose()


def test_without_required_review_the_page_says_so_and_shows_history(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITMENTS_REQUIRE_REVIEW", "false")
    at = go(app(), REVIEW)
    assert "Review is not required in this deployment" in texts(at.info)
    assert not buttons(at, "Confirm") and not at.text_input
    assert "No row has been confirmed or sent back yet." in texts(at.caption)
