"""The status board, driven through dashboard.py as a user drives it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from commitments.files.catalog import load_catalogue
from commitments.frames import board_frame
from commitments.ledger import View
from commitments.models import EvidenceDraft
from commitments.store.store import Store

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
THREE_PRECURSORS = "PRC schedules three essential fentanyl precursors"


@pytest.fixture
def db_url(dashboard_db: str) -> str:
    return dashboard_db


def open_board(as_of: date | None = None, **link: str) -> AppTest:
    """The board as a user lands on it, from a link carrying the shared filters."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if as_of is not None:
        link["as_of"] = as_of.isoformat()
    at.query_params.update(link)
    at.run()
    assert not at.exception, at.exception
    return at


def board_table(at: AppTest) -> pd.DataFrame:
    (table,) = [df.value for df in at.dataframe if "Pledge" in df.value.columns]
    return table


def first(cell: object) -> str:
    """A chip column's cell (a list after the round trip through Arrow) as its one value."""
    return cell if isinstance(cell, str) else str(next(iter(cell)))  # type: ignore[call-overload]


def status_of(at: AppTest, title: str) -> str:
    table = board_table(at)
    (status,) = table.loc[table["Pledge"] == title, "Status"]
    return str(status[0])


def seeded_board(url: str, as_of: date) -> pd.DataFrame:
    store = Store(url)
    store.ensure_seeded(load_catalogue())  # as the dashboard does on first start
    try:
        return board_frame(store.ledger().board(View(as_of=as_of)))
    finally:
        store.dispose()


def test_board_renders_every_pledge_on_the_seed_data(db_url: str) -> None:
    at = open_board()
    expected = seeded_board(db_url, date.today())
    assert len(expected) > 0
    assert sorted(board_table(at)["Pledge"]) == sorted(expected["title"])
    assert at.title[0].value == "Status board"
    assert not at.error


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        # The PRC's announcement is dated August 2 (ChemRadar) or August 5, 2024 (State
        # Department); its controls took effect on September 1, 2024.
        (date(2024, 8, 1), "pledged"),
        (date(2024, 8, 5), "announced (claimed)"),
        (date(2024, 8, 31), "announced (claimed)"),
        (date(2024, 9, 1), "in effect (claimed)"),
    ],
)
def test_as_of_moves_the_board_into_the_past(db_url: str, as_of: date, status: str) -> None:
    at = open_board(as_of)
    assert status_of(at, THREE_PRECURSORS) == status


def test_as_of_before_any_pledge_explains_the_empty_board(db_url: str) -> None:
    at = open_board(date(2023, 1, 1))
    assert [i.value for i in at.info if "No pledges on record as of 1 Jan 2023" in i.value]
    assert not at.dataframe
    assert not at.metric


def test_party_filter_removes_the_joint_pledges(db_url: str) -> None:
    assert "joint" in set(board_table(open_board())["Party"])
    at = open_board(party="PRC")
    assert at.multiselect(key="w_party").value == ["PRC"]
    table = board_table(at)
    assert set(table["Party"]) == {"PRC"}
    assert at.metric[0].value == str(len(table))


@pytest.mark.parametrize(
    ("link", "column", "allowed"),
    [
        ({"stage": "in_effect"}, "Status", {"in effect (claimed)", "in effect (reported)", "in effect"}),
        (
            {"stage": "announced,in_effect"},
            "Status",
            {"announced (claimed)", "announced (reported)", "announced", "in effect (claimed)", "in effect (reported)"},
        ),
        ({"theme": "scheduling"}, "Theme", {"scheduling"}),
        ({"party": "US,joint"}, "Party", {"US", "joint"}),
    ],
)
def test_filters_keep_only_matching_rows(db_url: str, link: dict[str, str], column: str, allowed: set[str]) -> None:
    everything = board_table(open_board(date(2024, 9, 1)))
    table = board_table(open_board(date(2024, 9, 1), **link))
    values = {first(v) for v in table[column]}
    assert values and values <= allowed
    all_values = [first(v) for v in everything[column]]
    assert len(table) == sum(v in allowed for v in all_values)


def test_flag_filter_keeps_the_flagged_pledges(db_url: str) -> None:
    expected = seeded_board(db_url, date(2024, 8, 10))
    stale = expected[expected["flags"].str.contains("stale")]
    assert 0 < len(stale) < len(expected), "the seed data should have some stale pledges in August 2024"
    table = board_table(open_board(date(2024, 8, 10), flag="stale"))
    assert sorted(table["Pledge"]) == sorted(stale["title"])
    assert all("stale" in flags for flags in table["Flags"])


def test_filters_that_match_nothing_say_so(db_url: str) -> None:
    board = seeded_board(db_url, date(2024, 9, 1))
    assert not ((board["party"] == "joint") & (board["stage"] == "verified")).any(), "choose another filter"
    at = open_board(date(2024, 9, 1), party="joint", stage="verified")
    assert [i.value for i in at.info if "match the filters" in i.value]
    assert not at.dataframe


def test_the_audit_view_counts_only_what_was_recorded_by_then(db_url: str) -> None:
    # The seed rows were all recorded before today; a day before any recording shows none.
    at = open_board(date(2024, 9, 1), recorded_on="2000-01-01")
    table = board_table(at)
    assert {first(s) for s in table["Status"]} == {"pledged"}
    assert "audit view" in at.caption[0].value


@pytest.mark.parametrize("as_of", [date(2024, 2, 1), date(2024, 8, 10), date(2026, 1, 1)])
def test_headline_counts_equal_the_board_rows(db_url: str, as_of: date) -> None:
    at = open_board(as_of)
    board = seeded_board(db_url, as_of)
    flags = board["flags"].str.split(";")
    expected = {
        "Pledges": len(board),
        "Verified": (board["stage"] == "verified").sum(),
        "In effect, only claimed": ((board["stage"] == "in_effect") & (board["basis"] == "claimed")).sum(),
        "Announced": (board["stage"] == "announced").sum(),
        "Pledged only": (board["stage"] == "pledged").sum(),
        "Contradicted": flags.map(lambda f: "contradicted" in f).sum(),
        "Overdue": flags.map(lambda f: "overdue" in f).sum(),
        "Stale": flags.map(lambda f: "stale" in f).sum(),
    }
    shown = {m.label: int(m.value) for m in at.metric}
    assert shown == {label: int(count) for label, count in expected.items()}
    assert len(board_table(at)) == len(board)


def test_choosing_a_pledge_opens_its_detail_with_the_filters_kept(db_url: str) -> None:
    at = open_board(date(2024, 9, 1), party="PRC")
    at.selectbox(key="board_open_pledge").set_value("prc-schedule-three-precursors").run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == THREE_PRECURSORS
    link = {name: str(at.query_params[name]) for name in ("pledge", "party", "as_of")}
    assert link == {"pledge": "prc-schedule-three-precursors", "party": "PRC", "as_of": "2024-09-01"}


@pytest.mark.browser
def test_opening_a_pledge_in_the_browser_keeps_the_filters(chromium: str, tmp_path: Path) -> None:
    # st.switch_page reruns without the browser's widget states; the shared filters must
    # survive it (AppTest does not show this: it keeps widget values across a switch).
    from devtools.browser import chromium as launch
    from devtools.browser import wait_for_app
    from devtools.server import running_dashboard
    from tests.test_e2e import choose

    with running_dashboard(f"sqlite:///{tmp_path / 'open.sqlite3'}", tmp_path) as app, launch(chromium) as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1200})
        page.goto(app.url + "/?as_of=2024-08-10&party=PRC")
        wait_for_app(page)
        choose(page, page.get_by_test_id("stMain"), "Open a pledge", THREE_PRECURSORS)
        wait_for_app(page)
        page.get_by_role("button", name="Open detail").click()
        page.wait_for_url("**/pledge_detail?**")
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() == THREE_PRECURSORS
        caption = page.locator("[data-testid='stCaptionContainer']").first.inner_text()
        assert "As of 10 Aug 2024" in caption
        assert "party: PRC" in caption
        assert "as_of=2024-08-10" in page.url and "party=PRC" in page.url
        assert page.locator("[data-testid='stAlertContentWarning']").count() == 0


def test_filters_set_in_the_sidebar_are_kept_on_every_page(db_url: str) -> None:
    """Set once on the board, the filters and as-of date follow the reader to other pages."""
    at = open_board()
    at.sidebar.multiselect(key="w_party").set_value(["US"]).run()
    at.sidebar.date_input(key="w_as_of").set_value(date(2024, 8, 10)).run()
    us_titles = set(seeded_board(db_url, date(2024, 8, 10)).query("party == 'US'")["title"])
    assert us_titles
    assert set(board_table(at)["Pledge"]) == us_titles

    at.switch_page("pages/downloads.py").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="w_party").value == ["US"]
    assert at.sidebar.date_input(key="w_as_of").value == date(2024, 8, 10)
    assert at.query_params["party"] == "US"

    at.switch_page("pages/add_evidence.py").run()  # a page without the filters
    at.switch_page("pages/status_board.py").run()
    assert at.sidebar.multiselect(key="w_party").value == ["US"]
    assert set(board_table(at)["Pledge"]) == us_titles


def test_the_board_names_who_verified_and_how_strong(db_url: str) -> None:
    before = seeded_board(db_url, date(2024, 9, 10))
    verified_before = set(before.loc[before["stage"] == "verified", "title"])
    store = Store(db_url)
    store.ensure_seeded(load_catalogue())
    store.add_evidence(
        EvidenceDraft.model_validate(
            {
                "commitment_id": "prc-schedule-three-precursors",
                "event_date": date(2024, 9, 2),
                "kind": "independent_verification",
                "speaks_for": "international_body",
                "summary": "Test row: the INCB lists the three precursors as controlled in China",
                "source": {"title": "Test precursor report", "publisher": "INCB"},
            }
        ),
        "Tester",
    )
    store.dispose()
    table = board_table(open_board(date(2024, 9, 10)))
    row = table.loc[table["Pledge"] == THREE_PRECURSORS].iloc[0]
    assert first(row["Status"]) == "verified"
    assert row["Verified by"] == "INCB (official record)"  # the publisher, and how strong
    assert row["Why"].startswith("Verified since 2 Sep 2024: Test precursor report (INCB), an international body.")
    # Nothing else changes: what the catalogue verifies stays verified, and nothing more is.
    others = table.loc[table["Pledge"] != THREE_PRECURSORS]
    assert {p for p, s in zip(others["Pledge"], others["Status"], strict=True) if first(s) == "verified"} == (
        verified_before - {THREE_PRECURSORS}
    )
    for _, other in others.iterrows():
        assert (first(other["Status"]) == "verified") is (other["Verified by"] != ""), other["Pledge"]
    incb = table.loc[table["Pledge"] == "PRC reports drug-related incidents to the INCB database"].iloc[0]
    assert first(incb["Status"]) == "in effect (reported)"
    assert incb["Verified by"] == ""
