"""The pledge detail page, driven through dashboard.py, and the display helpers it uses."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from streamlit.testing.v1 import AppTest

from commitments.files.catalog import load_catalogue
from commitments.ledger import Ledger, View
from commitments.models import Evidence
from commitments.store.store import Store
from tests.factories import draft
from ui.widgets import escape_markdown, web_url

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
DETAIL = "pages/pledge_detail.py"
INCB = "prc-report-to-incb"
THREE_PRECURSORS = "prc-schedule-three-precursors"
MEETINGS = "cnwg-regular-meetings"


@pytest.fixture
def db_url(dashboard_db: str) -> str:
    return dashboard_db


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(db_url)
    s.ensure_seeded(load_catalogue())  # as the dashboard does on first start
    yield s
    s.dispose()


def open_detail(pledge: str | None, as_of: date | None = None) -> AppTest:
    """The detail page as a shared link opens it (filters in the link, see test_page_board)."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if pledge:
        at.query_params["pledge"] = pledge
    if as_of:
        at.query_params["as_of"] = as_of.isoformat()
    at.run()
    at.switch_page(DETAIL).run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table drawn with this column ("Known on": why; "Recorded by": the log)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def figure(chart: object) -> go.Figure:
    return pio.from_json(chart.proto.spec)  # type: ignore[attr-defined]


def numbers(array: object) -> list[float]:
    """A plotly data array, which plotly 6 may send as base64 ("bdata") in the JSON."""
    if isinstance(array, dict) and "bdata" in array:
        return [float(v) for v in np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"])]
    return [float(v) for v in array]  # type: ignore[attr-defined]


def shown_text(at: AppTest) -> str:
    """Everything drawn as Markdown, with the escaping taken off, as a reader sees it."""
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def status_for(ledger: Ledger, pledge: str, as_of: date):  # type: ignore[no-untyped-def]
    status = ledger.status(pledge, View(as_of=as_of))
    assert status is not None
    return status


def rows_known(ledger: Ledger, pledge: str, as_of: date) -> list[Evidence]:
    return [e for e in ledger.evidence([pledge]) if e.known_on <= as_of]


@pytest.mark.parametrize("pledge", [INCB, THREE_PRECURSORS, MEETINGS])
def test_detail_explains_why_the_pledge_has_its_status(store: Store, pledge: str) -> None:
    as_of = date(2024, 8, 10)
    at = open_detail(pledge, as_of)
    ledger = store.ledger()
    status = status_for(ledger, pledge, as_of)
    assert at.title[0].value == next(c.title for c in ledger.commitments if c.id == pledge)
    assert "Why this status" in [h.value for h in at.subheader]
    text = shown_text(at)
    for reason in status.reasons:
        assert reason in text
    assert status.label in text
    behind = {*ledger.rows_behind(pledge, View(as_of=as_of)), *status.evidence_ids}
    for evidence_id in behind:
        assert f"row `{evidence_id}`" in text  # cited under "What it rests on"


def test_evidence_log_is_newest_first_with_who_recorded_each_row(store: Store) -> None:
    as_of = date(2024, 8, 10)
    at = open_detail(MEETINGS, as_of)
    log = table(at, "Recorded by")
    expected = rows_known(store.ledger(), MEETINGS, as_of)
    assert len(expected) > 1
    assert sorted(log["Row"]) == sorted(e.id for e in expected)
    assert list(log["Event date"]) == sorted(log["Event date"], reverse=True)
    recorders = {e.id: e.recorded_by for e in expected}
    assert all(log["Recorded by"] == log["Row"].map(recorders))


@pytest.mark.parametrize(
    ("as_of", "stage_label", "announcement_listed"),
    [(date(2024, 8, 1), "pledged", False), (date(2024, 8, 6), "announced (claimed)", True)],
)
def test_as_of_moves_the_detail_into_the_past(
    store: Store, as_of: date, stage_label: str, announcement_listed: bool
) -> None:
    at = open_detail(THREE_PRECURSORS, as_of)
    badge = next(m.value for m in at.markdown if "-badge[" in m.value)
    assert badge.startswith(f":{'gray' if stage_label == 'pledged' else 'blue'}-badge[{escape_markdown(stage_label)}]")
    log = table(at, "Recorded by")
    announcements = [
        e.id for e in rows_known(store.ledger(), THREE_PRECURSORS, date(2024, 8, 6)) if e.kind == "announcement"
    ]
    assert announcements
    assert (set(announcements) <= set(log["Row"])) is announcement_listed


@pytest.mark.parametrize(
    ("pledge", "kind"),
    [(INCB, "verbatim"), ("prc-precursor-export-controls-2025", "paraphrase"), ("prc-industry-notices", "paraphrase")],
)
def test_the_page_says_whether_quotes_are_the_sources_words(store: Store, pledge: str, kind: str) -> None:
    as_of = date(2026, 12, 1)
    at = open_detail(pledge, as_of)
    commitment = next(c for c in store.commitments() if c.id == pledge)
    assert commitment.quote_kind.value == kind
    captions = [c.value for c in at.caption]
    assert ("Paraphrase: the source's facts in our words, not its own." in captions) is (kind == "paraphrase")
    log = table(at, "Recorded by")
    expected = {e.id: e.quote_kind.value for e in rows_known(store.ledger(), pledge, as_of)}
    assert expected
    assert dict(zip(log["Row"], log["Quote is"], strict=True)) == expected
    assert set(expected.values()) == {kind}


def test_an_indicator_pledge_draws_its_measured_values(store: Store) -> None:
    at = open_detail(INCB, date(2024, 8, 10))
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    measured = figure(charts[1])
    expected = sorted(
        (e.event_date.isoformat(), e.value)
        for e in rows_known(store.ledger(), INCB, date(2024, 8, 10))
        if e.value is not None
    )
    assert expected
    assert [v for _, v in expected] == numbers(measured.data[0].y)
    assert measured.layout.yaxis.title.text
    assert measured.layout.xaxis.title.text


def test_a_pledge_without_an_indicator_draws_only_its_timeline(store: Store) -> None:
    at = open_detail(THREE_PRECURSORS, date(2024, 8, 10))
    (timeline,) = at.get("plotly_chart")
    markers = [t for t in figure(timeline).data if t.type == "scatter"]
    assert sum(len(t.x) for t in markers) == len(rows_known(store.ledger(), THREE_PRECURSORS, date(2024, 8, 10)))


def test_before_the_pledge_the_page_says_it_was_not_yet_made(store: Store) -> None:
    at = open_detail(THREE_PRECURSORS, date(2023, 6, 1))
    assert [i.value for i in at.info if "Not yet on record as of 1 Jun 2023" in i.value]
    assert "Why this status" not in [h.value for h in at.subheader]


def test_without_a_pledge_the_page_offers_a_picker(db_url: str) -> None:
    at = open_detail(None)
    assert at.selectbox[0].value is None
    assert [i.value for i in at.info if "Choose a pledge" in i.value]
    at.selectbox[0].set_value(MEETINGS).run()
    assert at.title[0].value == "The Counternarcotics Working Group meets and reports progress"
    assert at.query_params["pledge"] == MEETINGS


def test_an_unknown_pledge_in_the_link_is_named_not_a_traceback(db_url: str) -> None:
    at = open_detail("no-such-pledge")
    assert [w.value for w in at.warning if "no-such-pledge" in w.value.replace("\\", "")]
    assert at.selectbox[0].value is None


def test_corrections_and_retractions_stay_in_the_log_with_their_state(store: Store) -> None:
    first = store.add_evidence(
        draft(commitment_id=THREE_PRECURSORS, event_date=date(2024, 8, 20), summary="Scheduling notice published"),
        "analyst-a",
    )
    corrected = store.add_evidence(
        draft(
            commitment_id=THREE_PRECURSORS,
            event_date=date(2024, 8, 21),
            summary="Scheduling notice published (date corrected)",
            supersedes=first.id,
            correction_reason="the notice is dated the 21st",
        ),
        "analyst-b",
    )
    wrong = store.add_evidence(
        draft(commitment_id=THREE_PRECURSORS, event_date=date(2024, 8, 22), summary="Entered on the wrong pledge"),
        "analyst-a",
    )
    store.retract(wrong.id, "belongs to another pledge", "analyst-b")

    log = table(open_detail(THREE_PRECURSORS), "Recorded by").set_index("Row")
    assert log.loc[first.id, "Record"] == f"superseded by {corrected.id}"
    assert log.loc[wrong.id, "Record"] == "retracted: belongs to another pledge"
    assert log.loc[corrected.id, "Record"] == "active"
    assert log.loc[corrected.id, "Recorded by"] == "analyst-b"


def test_typed_text_is_shown_as_text_not_markup(store: Store) -> None:
    hostile = "**Bold** [click](javascript:alert(1)) <img src=x onerror=alert(1)> :red[alarm]"
    store.add_evidence(
        draft(commitment_id=THREE_PRECURSORS, event_date=date(2024, 8, 20), summary=hostile), "analyst-a"
    )
    at = open_detail(THREE_PRECURSORS, date(2024, 8, 25))  # while the row is behind the stage
    raw = "\n".join(m.value for m in at.markdown)
    assert escape_markdown(hostile) in raw
    assert "[click](javascript" not in raw
    assert not any(getattr(m.proto, "allow_html", False) for m in at.markdown)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("plain words", "plain words"),
        ("**bold**", "\\*\\*bold\\*\\*"),
        ("[x](https://e.org)", "\\[x\\]\\(https\\:\\/\\/e\\.org\\)".replace("\\/", "/")),
        (":red[alarm]", "\\:red\\[alarm\\]"),
        ("$1 and $2", "\\$1 and \\$2"),
        ("<b>hi</b>", "\\<b\\>hi\\</b\\>"),
    ],
)
def test_escape_markdown(typed: str, shown: str) -> None:
    assert escape_markdown(typed) == shown


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://www.state.gov/readout", "https://www.state.gov/readout"),
        ("http://example.org/a?b=1", "http://example.org/a?b=1"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("ftp://example.org/file", None),
        ("https://example.org/a)b", None),
        ("", None),
        (None, None),
    ],
)
def test_only_web_addresses_become_links(url: str | None, link: str | None) -> None:
    assert web_url(url) == link


def test_log_columns_are_plain_data(store: Store) -> None:
    # Summaries go into the table as strings: a dataframe cell never renders markup.
    at = open_detail(MEETINGS, date(2024, 8, 10))
    log = table(at, "Recorded by")
    assert isinstance(log, pd.DataFrame)
    assert log["Summary"].map(type).eq(str).all()


def test_the_pledge_states_what_would_count_and_keeps_earlier_definitions(store: Store) -> None:
    pledge = next(c for c in store.commitments() if c.id == INCB)
    assert pledge.criteria is not None
    text = shown_text(open_detail(INCB, date(2024, 8, 10)))
    assert "What would count" in text
    for line in (pledge.criteria.announced, pledge.criteria.in_effect, pledge.criteria.verified):
        assert line in text
    assert "Earlier definitions" not in [e.label for e in open_detail(INCB).expander]

    # An edit of the criteria in the catalogue file: the page shows the new text, and the old.
    from commitments.files.catalog import Catalogue, load_catalogue

    catalogue = load_catalogue()
    edited = pledge.model_copy(update={"criteria": pledge.criteria.model_copy(update={"verified": "A new test."})})
    store.ensure_seeded(
        Catalogue(
            catalogue.title, tuple(edited if c.id == INCB else c for c in catalogue.commitments), catalogue.evidence
        )
    )
    at = open_detail(INCB, date(2024, 8, 10))
    text = shown_text(at)
    assert "**Verified:** A new test." in text
    (earlier,) = [e for e in at.expander if e.label.startswith("Earlier definitions")]
    assert pledge.criteria.verified in "\n".join(m.value for m in earlier.markdown).replace("\\", "")


def test_the_stage_and_last_evidence_dates_are_shown_as_precisely_as_they_are_known(store: Store) -> None:
    # The INCB pledge's one row is dated to the month (November 2023): a day would claim more.
    status = store.ledger().status(INCB, View(as_of=date(2025, 12, 1)))
    assert status is not None and status.last_evidence_precision.value == "month"
    at = open_detail(INCB, date(2025, 12, 1))
    text = "\n".join(m.value for m in at.markdown)
    assert "**At this stage since:** Nov 2023" in text
    assert "**Last evidence:** Nov 2023" in text
