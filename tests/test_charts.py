"""The plotly builders in commitments.charts, on small hand-made tables."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from commitments import charts
from commitments.frames import board_frame, evidence_frame, history_frame
from commitments.ledger import Ledger, View
from commitments.models import Indicator
from tests.factories import pledge, row

# Two pledges: "a" pledged 1 Jan, announced 1 Mar; "b" pledged 1 Feb, verified 1 Mar, then
# contradicted 1 May (a change of flags, not of stage).
HISTORY = pd.DataFrame(
    [
        ("a", "Pledge A", date(2024, 1, 1), "", "pledged", "none", "", "", "pledged"),
        ("a", "Pledge A", date(2024, 3, 1), "pledged", "announced", "claimed", "", "e1", "announced: notice"),
        ("b", "Pledge <b>B</b>", date(2024, 2, 1), "", "pledged", "none", "", "", "pledged"),
        ("b", "Pledge <b>B</b>", date(2024, 3, 1), "pledged", "verified", "independent", "", "e2", "verified"),
        ("b", "Pledge <b>B</b>", date(2024, 5, 1), "verified", "verified", "independent", "contradicted", "e3", "+c"),
    ],
    columns=["commitment_id", "title", "on", "from_stage", "stage", "basis", "flags", "evidence_ids", "reason"],
)


def counts_on(counts: pd.DataFrame, day: date) -> dict[str, int]:
    part = counts[counts["on"] == pd.Timestamp(day)]
    return dict(zip(part["stage"], part["pledges"], strict=True))


@pytest.mark.parametrize(
    ("day", "pledged", "announced", "in_effect", "verified"),
    [
        (date(2024, 1, 1), 1, 0, 0, 0),
        (date(2024, 2, 1), 2, 0, 0, 0),
        (date(2024, 3, 1), 0, 1, 0, 1),
        (date(2024, 5, 1), 0, 1, 0, 1),
        (date(2024, 6, 30), 0, 1, 0, 1),
    ],
)
def test_stage_counts_at_every_change_date(
    day: date, pledged: int, announced: int, in_effect: int, verified: int
) -> None:
    counts = charts.stage_counts_over_time(HISTORY, until=date(2024, 6, 30))
    assert counts_on(counts, day) == {
        "pledged": pledged,
        "announced": announced,
        "in_effect": in_effect,
        "verified": verified,
    }


def test_stage_counts_sample_one_row_per_stage_per_date() -> None:
    counts = charts.stage_counts_over_time(HISTORY, until=date(2024, 6, 30))
    expected_dates = [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1), date(2024, 5, 1), date(2024, 6, 30)]
    assert sorted({d.date() for d in counts["on"]}) == expected_dates
    assert len(counts) == len(expected_dates) * len(charts.STAGE_ORDER)


def test_stage_counts_stop_at_until() -> None:
    counts = charts.stage_counts_over_time(HISTORY, until=date(2024, 2, 15))
    assert counts["on"].max() == pd.Timestamp(2024, 2, 15)
    assert counts_on(counts, date(2024, 2, 15)) == {"pledged": 2, "announced": 0, "in_effect": 0, "verified": 0}


@pytest.mark.parametrize(
    ("day", "pledged", "announced", "verified"),
    [(date(2024, 1, 31), 1, 0, 0), (date(2024, 2, 29), 2, 0, 0), (date(2024, 3, 31), 0, 1, 1)],
)
def test_monthly_sampling_counts_at_month_ends(day: date, pledged: int, announced: int, verified: int) -> None:
    counts = charts.stage_counts_over_time(HISTORY, until=date(2024, 6, 30), freq="ME")
    assert counts_on(counts, day) == {"pledged": pledged, "announced": announced, "in_effect": 0, "verified": verified}
    assert {d.date() for d in counts["on"]} == {
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
    }


def test_changes_name_the_pledges_escaped_for_hover() -> None:
    counts = charts.stage_counts_over_time(HISTORY, until=date(2024, 6, 30))
    on_march_first = counts[counts["on"] == pd.Timestamp(2024, 3, 1)]["changes"].iloc[0]
    assert "Pledge A" in on_march_first
    assert "Pledge &lt;b&gt;B&lt;/b&gt;" in on_march_first
    assert "<b>B</b>" not in on_march_first
    assert (counts[counts["on"] == pd.Timestamp(2024, 6, 30)]["changes"] == "").all()


def test_empty_history_gives_empty_counts_and_a_drawable_figure() -> None:
    empty = HISTORY.iloc[0:0]
    counts = charts.stage_counts_over_time(empty, until=date(2024, 6, 30))
    assert counts.empty
    fig = charts.stage_area_figure(counts)
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_stage_counts_match_the_board_on_every_date() -> None:
    # Cross-check with the status engine: counting transitions must give the board's stages.
    commitments = (
        pledge(id="p", pledged_on=date(2024, 1, 1)),
        pledge(id="q", pledged_on=date(2024, 2, 1), due_on=date(2024, 4, 1)),
    )
    evidence = (
        row(commitment_id="p", on=date(2024, 2, 1), kind="announcement"),
        row(commitment_id="p", on=date(2024, 3, 1), kind="legal_effect"),
        row(commitment_id="q", on=date(2024, 3, 1), kind="announcement"),
        row(commitment_id="q", on=date(2024, 5, 1), kind="independent_verification", speaks_for="independent"),
    )
    ledger = Ledger.from_models(commitments, evidence)
    until = date(2024, 6, 1)
    counts = charts.stage_counts_over_time(history_frame(ledger.history(View(as_of=until))), until)
    for day in sorted({d.date() for d in counts["on"]}):
        board = board_frame(ledger.board(View(as_of=day)))
        expected = {stage: int((board["stage"] == stage).sum()) for stage in charts.STAGE_ORDER}
        assert counts_on(counts, day) == expected, day


def test_sampling_frequency_stays_exact_for_small_histories() -> None:
    assert charts.sampling_frequency(HISTORY) is None
    many = pd.DataFrame({"on": pd.date_range("2020-01-01", periods=charts.MAX_EXACT_DATES + 1, freq="D")})
    assert charts.sampling_frequency(many) == "W-SUN"
    sparse = pd.DataFrame({"on": pd.date_range("2010-01-01", periods=charts.MAX_EXACT_DATES + 1, freq="W")})
    assert charts.sampling_frequency(sparse) == "ME"


def test_stage_area_figure_stacks_one_trace_per_stage_with_labelled_axes() -> None:
    counts = charts.stage_counts_over_time(HISTORY, until=date(2024, 6, 30))
    fig = charts.stage_area_figure(counts)
    stages = [t for t in fig.data if t.stackgroup == "stages"]
    assert [t.name for t in stages] == [charts.STAGE_LABELS[s] for s in charts.STAGE_ORDER]
    assert [t.line.color for t in stages] == [charts.STAGE_COLOURS[s] for s in charts.STAGE_ORDER]
    assert fig.layout.xaxis.title.text == "Date"
    assert fig.layout.yaxis.title.text == "Number of pledges"
    (changes,) = [t for t in fig.data if t.name == "Status changes"]
    assert len(changes.x) == 4  # every change date, not the quiet end date
    assert list(changes.y) == [1, 2, 2, 2]
    breakdown, what_changed = changes.customdata[2]
    assert breakdown == "2 pledges: 0 pledged · 1 announced · 0 in effect · 1 verified"
    assert "Pledge A" in what_changed
    assert all(t.hoverinfo == "skip" for t in stages)


@pytest.mark.parametrize(
    ("stage", "basis", "label"),
    [
        ("pledged", "none", "pledged"),
        ("announced", "claimed", "announced (claimed)"),
        ("announced", "independent", "announced"),
        ("in_effect", "claimed", "in effect (claimed)"),
        ("verified", "independent", "verified"),
    ],
)
def test_status_label(stage: str, basis: str, label: str) -> None:
    assert charts.status_label(stage, basis) == label


def test_stage_segments_chain_from_change_to_change() -> None:
    segments = charts.stage_segments(HISTORY, until=date(2024, 6, 30))
    b = segments[segments["commitment_id"] == "b"]
    assert list(b["start"].dt.date) == [date(2024, 2, 1), date(2024, 3, 1), date(2024, 5, 1)]
    assert list(b["end"].dt.date) == [date(2024, 3, 1), date(2024, 5, 1), date(2024, 7, 1)]
    assert list(b["status"]) == ["pledged", "verified", "verified"]
    assert "&lt;b&gt;B&lt;/b&gt;" in b["hover"].iloc[0]


def test_stage_segments_hover_carries_the_evidence_rows() -> None:
    evidence = pd.DataFrame(
        [
            {
                "id": "e2",
                "known_on": "2024-03-01",
                "summary": "INCB confirms <script>",
                "speaks_for": "international_body",
                "source_publisher": "INCB",
                "source_title": "Report",
            }
        ]
    )
    segments = charts.stage_segments(HISTORY, until=date(2024, 6, 30), evidence=evidence)
    hover = segments[(segments["commitment_id"] == "b") & (segments["start"] == pd.Timestamp(2024, 3, 1))]["hover"]
    assert "INCB confirms &lt;script&gt;" in hover.iloc[0]
    assert "international body, via INCB" in hover.iloc[0]


def test_gantt_figure_has_a_row_per_pledge_and_hatches_claimed_spells() -> None:
    fig = charts.gantt_figure(charts.stage_segments(HISTORY, until=date(2024, 6, 30)))
    assert {t.name for t in fig.data} == {"Pledged", "Announced", "Verified"}
    assert {y for t in fig.data for y in t.y} == {"Pledge A", "Pledge <b>B</b>"}
    (announced,) = [t for t in fig.data if t.name == "Announced"]
    assert list(announced.marker.pattern.shape) == ["/"]
    (verified,) = [t for t in fig.data if t.name == "Verified"]
    assert set(verified.marker.pattern.shape) == {""}
    assert fig.layout.xaxis.title.text == "Date"
    assert fig.layout.yaxis.title.text == "Pledge"


def _evidence_frame() -> pd.DataFrame:
    commitments = (pledge(id="p", indicator={"unit": "incidents reported", "baseline": 0, "target": 200}),)
    first = row(id="r1", commitment_id="p", on=date(2024, 2, 1), kind="statement", value=100)
    evidence = (
        first,
        row(id="r2", commitment_id="p", on=date(2024, 4, 1), kind="statement", value=150),
        row(
            id="r3",
            commitment_id="p",
            on=date(2024, 2, 1),
            kind="statement",
            value=120,
            supersedes="r1",
            correction_reason="misread table",
            recorded_at=datetime(2030, 1, 2),
        ),
        row(id="r4", commitment_id="p", on=date(2024, 5, 1), kind="meeting"),
    )
    return evidence_frame(Ledger.from_models(commitments, evidence), View(as_of=date(2024, 6, 1)))


def test_indicator_values_keep_only_counted_measurements_oldest_first() -> None:
    values = charts.indicator_values(_evidence_frame())
    assert list(values["id"]) == ["r3", "r2"]
    assert list(values["value"]) == [120.0, 150.0]


def test_indicator_figure_draws_values_against_baseline_and_target() -> None:
    indicator = Indicator(unit="incidents reported", baseline=0, target=200)
    fig = charts.indicator_figure(charts.indicator_values(_evidence_frame()), indicator)
    assert list(fig.data[0].y) == [120.0, 150.0]
    assert sorted(shape.y0 for shape in fig.layout.shapes) == [0, 200]
    assert fig.layout.yaxis.title.text == "Incidents reported"
    assert fig.layout.xaxis.title.text


def test_pledge_timeline_marks_withdrawn_rows_hollow() -> None:
    evidence = _evidence_frame()
    history = HISTORY[HISTORY["commitment_id"] == "a"]
    fig = charts.pledge_timeline_figure(charts.stage_segments(history, date(2024, 6, 1)), evidence)
    markers = [t for t in fig.data if t.type == "scatter"]
    assert sum(len(t.x) for t in markers) == len(evidence)
    symbols = [s for t in markers for s in t.marker.symbol]
    withdrawn = int((evidence["record_state"] != "active").sum())
    assert withdrawn == 1
    assert symbols.count("circle-open") == withdrawn
    assert symbols.count("circle") == len(evidence) - withdrawn
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_headline_counts_from_a_board() -> None:
    board = pd.DataFrame(
        {
            "stage": ["pledged", "announced", "in_effect", "in_effect", "verified"],
            "basis": ["none", "claimed", "claimed", "claimed", "independent"],
            "flags": ["stale", "", "contradicted;stale", "overdue", ""],
        }
    )
    counts = {h.label: h.count for h in charts.headline_counts(board)}
    assert counts == {
        "Pledges": 5,
        "Verified": 1,
        "In effect, only claimed": 2,
        "Announced": 1,
        "Pledged only": 1,
        "Contradicted": 1,
        "Overdue": 1,
        "Stale": 2,
    }
