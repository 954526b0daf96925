"""The Monday briefing on the pages: a "changes since" date shared like the as-of date and kept
in the link, the board's Changed column and headline, the What changed page, a link that
cannot be used said so, an all-stale board explained, and what saving a row moved."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from commitments.files.catalog import Catalogue
from commitments.ledger import Ledger, View
from tests.test_page_add_evidence import VALID, fill, texts
from tests.test_page_board import DASHBOARD, THREE_PRECURSORS, board_table, first, open_board

AS_OF, SINCE = date(2024, 8, 10), date(2024, 8, 1)
PLEDGE_ID = "prc-schedule-three-precursors"


@pytest.fixture
def db(dashboard_db: str) -> str:
    return dashboard_db


@pytest.fixture(scope="module")
def seed(catalogue: Catalogue) -> Ledger:
    return Ledger.from_models(catalogue.commitments, catalogue.evidence)


def since_input(at: AppTest) -> Any:
    (found,) = [d for d in at.sidebar.date_input if d.label == "Changes since"]
    return found


def markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def test_the_board_says_what_changed_since_the_date_in_the_link(db: str, seed: Ledger) -> None:
    at = open_board(AS_OF, since=SINCE.isoformat())
    assert since_input(at).value == SINCE
    table = board_table(at)
    row = table.loc[table["Pledge"] == THREE_PRECURSORS].iloc[0]
    assert first(row["Status"]) == "announced (claimed)"
    assert row["Changed"] == "pledged → announced (claimed)"
    moved = [c for c in seed.changes(SINCE, View(AS_OF)) if c.status_changed]
    assert f"**{len(moved)} pledges changed status** since 1 Aug 2024." in markdown(at)
    unchanged = table.loc[~table["Pledge"].isin([c.commitment.title for c in moved])]
    assert (unchanged["Changed"] == "").all()


def test_the_since_date_defaults_to_a_week_before_and_is_kept_in_the_link_when_chosen(db: str) -> None:
    at = open_board(AS_OF)
    assert since_input(at).value == AS_OF - timedelta(days=7)
    assert "since" not in at.query_params  # the default needs no parameter
    since_input(at).set_value(SINCE).run()
    assert at.query_params["since"] == [SINCE.isoformat()] or at.query_params["since"] == SINCE.isoformat()
    at.switch_page("pages/changes.py").run()
    assert not at.exception
    assert since_input(at).value == SINCE  # shared by every page, like the as-of date


def test_the_changes_page_lists_before_after_and_the_rows_behind(db: str, seed: Ledger) -> None:
    at = open_board(AS_OF, since=SINCE.isoformat())
    at.switch_page("pages/changes.py").run()
    assert not at.exception
    assert at.title[0].value == "What changed"
    (moved, *_rest) = [d.value for d in at.dataframe]
    row = moved.loc[moved["Pledge"] == THREE_PRECURSORS].iloc[0]
    assert (row["Before"], row["After"]) == ("pledged", "announced (claimed)")
    (change,) = [c for c in seed.changes(SINCE, View(AS_OF)) if c.commitment_id == PLEDGE_ID]
    assert row["Caused by"] == ", ".join(change.evidence_ids) and change.evidence_ids
    assert row["New evidence"] == len(change.new_evidence_ids)
    assert "Status changed (2)" in [s.value for s in at.subheader]
    (download,) = [b for b in at.get("download_button") if "changes" in b.proto.label.lower()]
    assert download is not None


def test_on_the_recorded_axis_the_page_says_what_the_team_learned(db: str) -> None:
    """The seed rows were all recorded before August 2024: that week, the team learned nothing."""
    at = open_board(AS_OF, since=SINCE.isoformat())
    at.switch_page("pages/changes.py").run()
    at.toggle(key="changes_by_recording").set_value(True).run()
    assert not at.exception
    assert not at.dataframe
    assert "Nothing was recorded about the pledges shown between 1 Aug 2024 and 10 Aug 2024" in texts(at.info)


def test_a_link_that_cannot_be_used_is_reported_not_dropped(db: str) -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(as_of="2024-13-01", party="Atlantis,PRC", flag="sparkly", since="2099-01-01")
    at.run()
    assert not at.exception
    warning = texts(at.warning).replace("\\", "")
    assert "Part of the link could not be used" in warning
    assert "as_of='2024-13-01' is not a date" in warning
    assert "party=Atlantis: no such party" in warning and "flag=sparkly: no such flag" in warning
    assert "since=2099-01-01 is after today" in warning
    assert at.sidebar.multiselect(key="w_party").value == ["PRC"]  # what could be used, is
    assert since_input(at).value == date.today() - timedelta(days=7)
    at.run()
    assert "Part of the link could not be used" not in texts(at.warning)  # said once


def test_a_since_date_after_the_as_of_date_falls_back_to_a_week_before(db: str) -> None:
    at = open_board(AS_OF, since="2024-09-01")
    assert since_input(at).value == AS_OF - timedelta(days=7)
    assert "is not before the as-of date" in texts(at.sidebar.warning)


def test_an_all_stale_board_says_why_and_offers_the_newest_evidence_date(db: str, seed: Ledger) -> None:
    far = date.today()
    board = seed.board(View(far))
    latest = max(s.last_evidence_on for s in board if s.last_evidence_on)
    if latest >= far - timedelta(days=180):
        pytest.skip("the catalogue has recent evidence: not every pledge is stale today")
    at = open_board()
    note = texts(at.info)
    assert "Every pledge shown is flagged stale: the newest evidence on record is from" in note
    label = f"View as of {latest.day} {latest:%b %Y}"
    (button,) = [b for b in at.button if b.label == label]
    button.click().run()
    assert not at.exception
    assert at.sidebar.date_input(key="w_as_of").value == latest
    assert "Every pledge shown is flagged stale" not in texts(at.info)


def test_after_saving_the_page_says_what_moved_and_links_to_the_pledge(db: str) -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("pages/add_evidence.py").run()
    fill(at, "new_", VALID)
    next(b for b in at.button if b.label == "Save evidence").click().run()
    assert not at.exception
    saved = texts(at.success)
    assert "xylazine: **in effect \\(claimed\\) → verified** (as of today)" in saved
    (link,) = [p for p in at.get("page_link") if p.proto.label == "Open the pledge"]
    assert "pledge_detail" in link.proto.page
