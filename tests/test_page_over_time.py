"""The status-over-time page, driven through dashboard.py."""

from __future__ import annotations

import base64
import html
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from commitments.cli.synth import load_synthetic
from commitments.files.catalog import load_catalogue
from commitments.frames import board_frame
from commitments.ledger import View
from commitments.store.store import Store

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
OVER_TIME = "pages/status_over_time.py"
STAGES = ("Pledged", "Announced", "In effect", "Verified")


@pytest.fixture
def db_url(dashboard_db: str) -> str:
    return dashboard_db


def seeded_board(url: str, as_of: date):  # type: ignore[no-untyped-def]
    store = Store(url)
    store.ensure_seeded(load_catalogue())
    try:
        return board_frame(store.ledger().board(View(as_of=as_of)))
    finally:
        store.dispose()


def open_over_time(**link: str) -> AppTest:
    """The page as a shared link opens it (filters in the link, see test_page_board)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(link)
    at.run()
    at.switch_page(OVER_TIME).run()
    assert not at.exception, at.exception
    return at


def _plain_arrays(obj: dict[str, Any]) -> Any:
    # Plotly 6 may send numeric arrays as base64 ("bdata"); tests read them as lists.
    if "bdata" in obj and "dtype" in obj:
        array = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=obj["dtype"])
        return array.reshape(obj["shape"]).tolist() if "shape" in obj else array.tolist()
    return obj


def figures(at: AppTest) -> list[go.Figure]:
    return [go.Figure(json.loads(chart.proto.spec, object_hook=_plain_arrays)) for chart in at.get("plotly_chart")]


def last_counts(area: go.Figure) -> dict[str, int]:
    """Pledges per stage on the last date of the stacked chart."""
    return {t.name: int(list(t.y)[-1]) for t in area.data if t.name in STAGES}


def gantt_rows(gantt: go.Figure) -> set[str]:
    return {str(y) for t in gantt.data for y in t.y}


def test_both_charts_render_on_the_seed_data_with_labelled_axes(db_url: str) -> None:
    at = open_over_time()
    area, gantt = figures(at)
    assert at.title[0].value == "Status over time"
    for fig in (area, gantt):
        assert fig.layout.title.text
        assert fig.layout.xaxis.title.text
        assert fig.layout.yaxis.title.text
    assert {t.name for t in area.data} >= set(STAGES)
    assert sum(last_counts(area).values()) == len(seeded_board(db_url, date.today()))


@pytest.mark.parametrize("as_of", [date(2024, 2, 1), date(2024, 8, 10)])
def test_the_last_counts_equal_the_board_on_the_as_of_date(db_url: str, as_of: date) -> None:
    area, _ = figures(open_over_time(as_of=as_of.isoformat()))
    board = seeded_board(db_url, as_of)
    expected = {
        label: int((board["stage"] == slug).sum())
        for label, slug in zip(STAGES, ("pledged", "announced", "in_effect", "verified"), strict=True)
    }
    assert last_counts(area) == expected


def test_the_charts_follow_the_party_filter(db_url: str) -> None:
    board = seeded_board(db_url, date(2024, 8, 10))
    prc = board[board["party"] == "PRC"]
    assert 0 < len(prc) < len(board)
    area, gantt = figures(open_over_time(as_of="2024-08-10", party="PRC"))
    assert sum(last_counts(area).values()) == len(prc)
    assert len(gantt_rows(gantt)) == len(prc)
    everything = figures(open_over_time(as_of="2024-08-10"))[1]
    assert len(gantt_rows(everything)) == len(board)


def test_hovering_a_change_names_the_pledge_and_its_evidence(db_url: str) -> None:
    area, gantt = figures(open_over_time(as_of="2024-08-10"))
    (changes,) = [t for t in area.data if t.name == "Status changes"]
    hover = " ".join(str(part) for c in changes.customdata for part in c)
    assert "PRC schedules three essential fentanyl precursors" in hover
    store = Store(db_url)
    try:
        # The sources date the announcement August 2 and August 5, 2024: the bar starts at the first.
        announcement = min(
            (
                e
                for e in store.evidence()
                if e.commitment_id == "prc-schedule-three-precursors"
                and e.kind == "announcement"
                and e.known_on <= date(2024, 8, 10)
            ),
            key=lambda e: (e.known_on, e.id),
        )
    finally:
        store.dispose()
    (announced,) = [t for t in gantt.data if t.name == "Announced"]
    bars = " ".join(str(c[0]) for c in announced.customdata)
    assert html.escape(announcement.summary[:40]) in bars


def test_before_any_pledge_the_page_explains_why_it_is_empty(db_url: str) -> None:
    at = open_over_time(as_of="2023-01-01")
    assert [i.value for i in at.info if "No pledges on record as of 1 Jan 2023" in i.value]
    assert not at.get("plotly_chart")


def test_filters_that_match_nothing_say_so(db_url: str) -> None:
    board = seeded_board(db_url, date(2024, 8, 10))
    assert not ((board["party"] == "joint") & (board["stage"] == "verified")).any(), "choose another filter"
    at = open_over_time(as_of="2024-08-10", party="joint", stage="verified")
    assert [i.value for i in at.info if "match the filters" in i.value]
    assert not at.get("plotly_chart")


@pytest.mark.browser
def test_a_link_straight_to_the_page_works_on_a_freshly_started_server(chromium: str, tmp_path: Path) -> None:
    # Until st.navigation has run once, Streamlit resolves a link against the pages/ folder
    # and runs the page file alone; the page must still get the link's filters, not a traceback.
    from devtools.browser import chromium as launch
    from devtools.browser import wait_for_app
    from devtools.server import running_dashboard

    with running_dashboard(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", tmp_path) as app, launch(chromium) as browser:
        page = browser.new_page()
        page.goto(app.url + "/status_over_time?as_of=2024-08-10&party=PRC")
        wait_for_app(page)
        page.wait_for_selector("[data-testid='stPlotlyChart']", timeout=30_000)
        assert page.locator("h1").first.inner_text() == "Status over time"
        assert "filtered by party: PRC" in page.locator("[data-testid='stCaptionContainer']").first.inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        assert "/status_over_time" in page.url


def test_a_long_board_draws_its_timeline_a_page_of_pledges_at_a_time(db_url: str) -> None:
    store = Store(db_url)
    try:
        store.ensure_seeded(load_catalogue())
        load_synthetic(store, pledges=80, evidence=800, seed=2)
        board = board_frame(store.ledger().board(View(as_of=date(2025, 12, 31))))
    finally:
        store.dispose()
    assert len(board) > 2 * 40
    at = open_over_time(as_of="2025-12-31")
    area, gantt = figures(at)
    assert sum(last_counts(area).values()) == len(board)  # the counts cover every pledge
    first = gantt_rows(gantt)
    assert len(first) == 40
    assert "of " + f"{len(board):,}" in " ".join(c.value for c in at.caption)
    pages = at.number_input(key="gantt_page")
    count = -(-len(board) // 40)
    assert pages.max == count
    at = pages.set_value(count).run()
    last = gantt_rows(figures(at)[1])
    assert len(last) == len(board) - 40 * (count - 1)
    assert first.isdisjoint(last)
