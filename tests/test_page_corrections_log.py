"""The public corrections log page, and every page on a fresh database under each sign-in mode."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from commitments.store.store import open_store
from tests.factories import draft
from tests.test_page_add_evidence import texts

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/corrections_log.py"
PAGES = sorted(f"pages/{p.name}" for p in (Path(DASHBOARD).parent / "pages").glob("*.py"))


@pytest.fixture
def db(dashboard_db: str) -> str:
    return dashboard_db


def open_page(page: str, user: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if user is not None:
        at.user = user
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_a_retraction_and_a_correction_are_listed_with_their_reasons(db: str, downloads: dict[str, bytes]) -> None:
    store = open_store()
    withdrawn, corrected = store.evidence()[:2]
    store.retract(withdrawn.id, '=HYPERLINK("http://x") duplicate of another row', recorded_by="Ana")
    fix = draft(
        **{
            **corrected.model_dump(exclude={"id", "recorded_by", "recorded_at", "needs_review"}),
            "summary": "Corrected summary",
            "supersedes": corrected.id,
            "correction_reason": "the date was misread",
        }
    )
    replacement = store.add_evidence(fix, recorded_by="Ben")
    titles = {c.id: c.title for c in store.commitments()}
    store.dispose()

    at = open_page(PAGE)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Date (UTC)", "Action", "Reason", "By", "Row", "Pledge", "Summary", "Replaced by"]
    # Newest first: the correction was recorded after the retraction.
    assert list(table["Action"]) == ["Superseded", "Retracted"]
    by_row = table.set_index("Row")
    assert by_row.loc[withdrawn.id, "Reason"].endswith("duplicate of another row")
    assert (by_row.loc[withdrawn.id, "By"], by_row.loc[withdrawn.id, "Summary"]) == ("Ana", withdrawn.summary)
    assert by_row.loc[withdrawn.id, "Pledge"] == titles[withdrawn.commitment_id]
    assert (by_row.loc[corrected.id, "Replaced by"], by_row.loc[corrected.id, "Reason"]) == (
        replacement.id,
        "the date was misread",
    )

    rows = list(csv.DictReader(io.StringIO(downloads["corrections_log.csv"].decode("utf-8"))))
    retraction = next(r for r in rows if r["evidence_id"] == withdrawn.id)
    assert retraction["action"] == "retracted"
    assert retraction["by"] == "Ana"
    # Formula-safe: the reason is kept, but no spreadsheet will run it.
    assert retraction["reason"] == '\'=HYPERLINK("http://x") duplicate of another row'
    assert next(r for r in rows if r["evidence_id"] == corrected.id)["replaced_by"] == replacement.id


def test_the_log_is_readable_when_signed_out(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITMENTS_AUTH", "oidc")
    monkeypatch.setenv("COMMITMENTS_RECORDERS", "ana@example.org")
    writer = open_store()
    writer.retract(writer.evidence()[0].id, "withdrawn by the publisher", recorded_by="ana@example.org")
    writer.dispose()
    at = open_page(PAGE, {"is_logged_in": False})
    assert "withdrawn by the publisher" in at.dataframe[0].value.to_string()
    assert not [b for b in at.button if b.label == "Sign in"]


def test_an_empty_log_says_so(db: str) -> None:
    at = open_page(PAGE)
    assert "Nothing has been corrected or retracted yet." in texts(at.info)
    assert not at.dataframe


@pytest.mark.parametrize(
    ("settings", "user"),
    [
        ({}, None),
        ({"COMMITMENTS_AUTH": "oidc", "COMMITMENTS_REQUIRE_REVIEW": "true"}, {"is_logged_in": False}),
        (
            {"COMMITMENTS_AUTH": "oidc", "COMMITMENTS_RECORDERS": "*", "COMMITMENTS_REQUIRE_REVIEW": "true"},
            {"is_logged_in": True, "email": "ana@example.org"},
        ),
    ],
    ids=["no-sign-in", "signed-out", "signed-in-recorder"],
)
def test_every_page_opens_on_a_fresh_database(
    db: str, monkeypatch: pytest.MonkeyPatch, settings: dict[str, str], user: dict[str, Any] | None
) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert "pages/review.py" in PAGES and PAGE in PAGES
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if user is not None:
        at.user = user
    at.run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert at.title, page
