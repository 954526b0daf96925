"""The column-wise status engine gives exactly the reference engine's answers.

Hypothesis draws small catalogues dense with ties (few pledges, few days, shared sources),
corrections, retractions and both time axes; every field the board shows must match
`status.board_as_of` row for row.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.models import (
    Commitment,
    DatePrecision,
    Evidence,
    EvidenceKind,
    Retraction,
    Review,
    ReviewDecision,
    SpeaksFor,
    period_start,
)
from commitments.status import StatusRules, board_as_of
from commitments.status_frame import (
    NO_DAY,
    STATUS_COLUMNS,
    EvidenceTable,
    _days,
    _iso_seconds,
    _period_end,
    day_number,
    from_day_number,
)
from commitments.summaries import Snapshot, View, evidence_frame, history_frame
from commitments.synth import generate

Catalogue = tuple[list[Commitment], list[Evidence], list[Retraction], list[Review]]
START = date(2024, 1, 1)
IMPORTED = datetime(2024, 6, 1, 12, 0)
PLEDGE_IDS = ("alpha", "beta", "gamma")
SOURCES = (
    {"title": "Notice", "publisher": "Ministry"},
    {"title": "Notice", "publisher": "ministry"},  # same source once case is folded
    {"title": "Report", "publisher": "Watchdog", "url": "https://example.org/report"},
    {"title": "Other report", "publisher": "Watchdog", "url": "https://EXAMPLE.org/report"},
    {"title": "Bulletin", "publisher": "", "url": ""},
)


@st.composite
def pledges(draw: st.DrawFn) -> list[Commitment]:
    count = draw(st.integers(1, len(PLEDGE_IDS)))
    out = []
    for pledge_id in PLEDGE_IDS[:count]:
        pledged_on = START + timedelta(days=draw(st.integers(0, 40)))
        precision = draw(st.sampled_from([DatePrecision.DAY, DatePrecision.MONTH]))
        due = draw(st.none() | st.integers(0, 60))
        out.append(
            Commitment.model_validate(
                {
                    "id": pledge_id,
                    "title": f"Pledge {pledge_id}",
                    "party": "PRC",
                    "theme": "scheduling",
                    "pledged_on": pledged_on,
                    "pledged_on_precision": precision,
                    "pledged_at": "a summit",
                    "due_on": pledged_on + timedelta(days=due) if due is not None else None,
                    "sources": [{"title": "Readout"}],
                }
            )
        )
    return out


@st.composite
def evidence_row(draw: st.DrawFn, number: int, commitment_ids: list[str]) -> Evidence:
    kind = draw(st.sampled_from(list(EvidenceKind)))
    speakers = (
        [s for s in SpeaksFor if s.is_independent] if kind is EvidenceKind.INDEPENDENT_VERIFICATION else list(SpeaksFor)
    )
    event = START + timedelta(days=draw(st.integers(0, 80)))
    precision = draw(st.sampled_from([DatePrecision.DAY, DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]))
    start = period_start(event, precision)
    published = draw(st.none() | st.integers(0, 40))
    published_on = start + timedelta(days=published) if published is not None else None
    fields: dict[str, Any] = {
        "id": f"r{number:03d}",
        "commitment_id": draw(st.sampled_from(commitment_ids)),
        "event_date": event,
        "event_date_precision": precision,
        "kind": kind,
        "speaks_for": draw(st.sampled_from(speakers)),
        "summary": f"Row {number}",
        "source": {**draw(st.sampled_from(SOURCES)), "published_on": published_on},
        "recorded_by": "tester",
        "needs_review": draw(st.booleans()) and draw(st.booleans()),
        # Some rows come in one import, all with the same stamp (after every drawn date).
        "recorded_at": IMPORTED
        if draw(st.booleans())
        else datetime.combine(max(start, published_on or start), datetime.min.time())
        + timedelta(hours=draw(st.integers(0, 24 * 90))),
    }
    if kind in (EvidenceKind.STATEMENT, EvidenceKind.ASSESSMENT):
        fields["direction"] = draw(st.sampled_from(["supports", "against", "neutral"]))
        if fields["direction"] == "against" and draw(st.booleans()):
            fields["attests"] = "reversed"
    if kind is EvidenceKind.ASSESSMENT:
        fields["quote"] = "rationale"
    return Evidence.model_validate(fields)


@st.composite
def catalogues(draw: st.DrawFn) -> Catalogue:
    commitments = draw(pledges())
    ids = [c.id for c in commitments] + ["not-in-catalogue"]
    rows: list[Evidence] = [draw(evidence_row(i, ids)) for i in range(draw(st.integers(0, 25)))]
    superseded: set[str] = set()
    for i in range(draw(st.integers(0, 5))):
        if not rows:
            break
        old = draw(st.sampled_from(rows))
        if old.id in superseded:
            continue
        superseded.add(old.id)
        correction = draw(evidence_row(100 + i, [old.commitment_id]))
        rows.append(
            correction.model_copy(
                update={
                    "supersedes": old.id,
                    "correction_reason": "fixed",
                    "recorded_at": max(old.recorded_at, correction.recorded_at)
                    + timedelta(hours=draw(st.integers(0, 500))),
                }
            )
        )
    retractions = []
    for old in draw(st.lists(st.sampled_from(rows), unique_by=lambda e: e.id, max_size=4)) if rows else []:
        retractions.append(
            Retraction(
                evidence_id=old.id,
                reason="withdrawn",
                recorded_by="tester",
                recorded_at=old.recorded_at + timedelta(hours=draw(st.integers(0, 2000))),
            )
        )
    reviews = []
    for old in draw(st.lists(st.sampled_from(rows), max_size=6)) if rows else []:
        decision = draw(st.sampled_from(list(ReviewDecision)))
        reviews.append(
            Review(
                evidence_id=old.id,
                decision=decision,
                comment="not in the source" if decision is ReviewDecision.RETURNED else "",
                reviewer="second",
                # Ties on purpose: the later review of two at the same moment wins.
                reviewed_at=old.recorded_at + timedelta(hours=draw(st.sampled_from([0, 5, 5, 300]))),
            )
        )
    # Store order need not be id order: ties on day and recording stamp are settled by id.
    rows = draw(st.permutations(rows))
    return commitments, rows, retractions, reviews


def assert_same_board(
    catalogue: Catalogue,
    as_of: date,
    recorded_by: datetime | None,
    rules: StatusRules,
    include_pending: bool = False,
) -> None:
    commitments, rows, retractions, reviews = catalogue
    expected = board_as_of(
        commitments,
        rows,
        as_of,
        retractions=retractions,
        recorded_by=recorded_by,
        reviews=reviews,
        include_pending=include_pending,
        rules=rules,
    )
    got = EvidenceTable.from_models(rows, retractions, reviews).board(
        commitments, as_of, recorded_by=recorded_by, include_pending=include_pending, rules=rules
    )
    assert list(got["commitment_id"]) == [s.commitment_id for s in expected]
    for status, row in zip(expected, got.to_dict("records"), strict=True):
        for column in STATUS_COLUMNS:
            assert row[column] == getattr(status, column), (status.commitment_id, column)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalogue=catalogues(),
    as_of=st.integers(0, 200).map(lambda d: START + timedelta(days=d)),
    recorded_by=st.none()
    | st.integers(0, 200).map(lambda d: datetime.combine(START, datetime.min.time()) + timedelta(hours=12 * d)),
    stale=st.sampled_from([5, 30, 180]),
    include_pending=st.booleans(),
)
def test_board_equals_the_reference_engine(
    catalogue: Catalogue,
    as_of: date,
    recorded_by: datetime | None,
    stale: int,
    include_pending: bool,
) -> None:
    assert_same_board(catalogue, as_of, recorded_by, StatusRules(stale_after_days=stale), include_pending)


def test_board_equals_the_reference_on_a_synthetic_catalogue() -> None:
    synthetic = generate(pledges=60, evidence=3000, seed=11)
    for as_of, recorded_by in [
        (date(2019, 6, 30), None),
        (date(2025, 12, 31), None),
        (date(2025, 12, 31), datetime(2022, 1, 1)),
    ]:
        catalogue = (list(synthetic.commitments), list(synthetic.evidence), list(synthetic.retractions), [])
        assert_same_board(catalogue, as_of, recorded_by, StatusRules())


def test_an_empty_store_gives_pledged_rows() -> None:
    commitments = [
        Commitment.model_validate(
            {
                "id": "alpha",
                "title": "A",
                "party": "PRC",
                "theme": "t",
                "pledged_on": START,
                "pledged_at": "x",
                "sources": [{"title": "R"}],
            }
        )
    ]
    board = EvidenceTable.from_models([], []).board(commitments, START + timedelta(days=1))
    assert board["stage"].tolist() == [0]
    assert board["evidence_count"].tolist() == [0]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalogue=catalogues(),
    as_of=st.integers(0, 200).map(lambda d: START + timedelta(days=d)),
    recorded_on=st.none() | st.integers(0, 120).map(lambda d: START + timedelta(days=d)),
    only_first=st.booleans(),
)
def test_evidence_log_equals_the_reference(
    catalogue: Catalogue, as_of: date, recorded_on: date | None, only_first: bool
) -> None:
    commitments, rows, retractions, reviews = catalogue
    reference = Snapshot(tuple(commitments), tuple(rows), tuple(retractions), tuple(reviews))
    columns = Snapshot(
        tuple(commitments),
        tuple(rows),
        tuple(retractions),
        tuple(reviews),
        table=EvidenceTable.from_models(rows, retractions, reviews),
    )
    view = View(as_of=as_of, recorded_on=recorded_on)
    wanted = [commitments[0].id] if only_first else None
    # Same cells; the column path keeps object columns where pandas would infer strings.
    pd.testing.assert_frame_equal(
        evidence_frame(columns, view, wanted), evidence_frame(reference, view, wanted), check_dtype=False
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalogue=catalogues(),
    as_of=st.integers(0, 200).map(lambda d: START + timedelta(days=d)),
    recorded_on=st.none() | st.integers(0, 120).map(lambda d: START + timedelta(days=d)),
    include_pending=st.booleans(),
    only_first=st.booleans(),
)
def test_history_equals_the_reference(
    catalogue: Catalogue, as_of: date, recorded_on: date | None, include_pending: bool, only_first: bool
) -> None:
    commitments, rows, retractions, reviews = catalogue
    reference = Snapshot(tuple(commitments), tuple(rows), tuple(retractions), tuple(reviews))
    columns = Snapshot(
        tuple(commitments),
        tuple(rows),
        tuple(retractions),
        tuple(reviews),
        table=EvidenceTable.from_models(rows, retractions, reviews),
    )
    view = View(as_of=as_of, recorded_on=recorded_on, include_pending=include_pending)
    wanted = [commitments[-1].id] if only_first else None
    pd.testing.assert_frame_equal(history_frame(columns, view, wanted), history_frame(reference, view, wanted))


def test_history_equals_the_reference_on_a_synthetic_catalogue() -> None:
    synthetic = generate(pledges=40, evidence=2500, seed=12)
    reference = Snapshot(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    columns = Snapshot(
        synthetic.commitments,
        synthetic.evidence,
        synthetic.retractions,
        table=EvidenceTable.from_models(synthetic.evidence, synthetic.retractions),
    )
    for view in (View(as_of=date(2025, 12, 31)), View(as_of=date(2024, 1, 1), recorded_on=date(2022, 6, 30))):
        expected = history_frame(reference, view)
        assert len(expected) > 100
        pd.testing.assert_frame_equal(history_frame(columns, view), expected)


def test_remembered_frames_are_copies_a_caller_cannot_spoil() -> None:
    synthetic = generate(pledges=5, evidence=200, seed=2)
    table = EvidenceTable.from_models(synthetic.evidence, synthetic.retractions)
    commitments = synthetic.commitments
    first = table.board(commitments, date(2025, 12, 31))
    first["stage"] = -1
    assert (table.board(commitments, date(2025, 12, 31))["stage"] >= 0).all()
    log = table.evidence_log(date(2025, 12, 31))
    log["summary"] = "changed"
    assert "changed" not in set(table.evidence_log(date(2025, 12, 31))["summary"])
    # Another catalogue (another tuple) gets its own board, not the remembered one.
    assert len(table.board(commitments[:2], date(2025, 12, 31))) == 2


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue=catalogues())
def test_columns_read_as_sqlite_text_prepare_as_from_models(catalogue: Catalogue) -> None:
    """SQLite gives dates as ISO text and flags as 0/1: the prepared columns must not care."""
    _, rows, retractions, reviews = catalogue
    models = EvidenceTable.from_models(rows, retractions, reviews)
    text = models.frame.astype(object).copy()
    for column in ("event_date", "source_published_on"):
        text[column] = [None if d is None else d.isoformat() for d in models.frame[column]]
    text["recorded_at"] = [t.strftime("%Y-%m-%d %H:%M:%S.%f") for t in models.frame["recorded_at"]]
    text["needs_review"] = [int(bool(v)) for v in models.frame["needs_review"]]
    read = EvidenceTable(text, retractions, reviews)
    for name in ("event", "published", "known", "recorded", "attests", "direction", "independent", "needs_review"):
        assert getattr(read, name).tolist() == getattr(models, name).tolist(), name
    for name in ("commitment_codes", "source_codes", "supersedes_pos", "retracted_pos", "order"):
        assert getattr(read, name).tolist() == getattr(models, name).tolist(), name


def test_period_ends_and_missing_dates() -> None:
    days = _days(pd.Series(["2024-02-10", None, "2023-07-31", "2024-12-31"], dtype=object))
    assert days[1] == NO_DAY
    ends = _period_end(days, np.array([0, 1, 1, 2]))
    assert [from_day_number(int(d)) if d != NO_DAY else None for d in ends] == [
        date(2024, 2, 10),
        None,
        date(2023, 7, 31),
        date(2024, 12, 31),
    ]
    assert _period_end(days[[0]], np.array([2])).tolist() == [day_number(date(2024, 12, 31))]
    assert _period_end(days[[0]], np.array([1])).tolist() == [day_number(date(2024, 2, 29))]


def test_positions_of_ids_repeated_unknown_or_none() -> None:
    synthetic = generate(pledges=3, evidence=40, seed=5)
    table = EvidenceTable.from_models(synthetic.evidence)
    first, last = synthetic.evidence[0].id, synthetic.evidence[-1].id
    assert table.positions([last, "no-such-id", first, last]).tolist() == [len(synthetic.evidence) - 1, -1, 0, 39]
    assert table.positions([]).tolist() == []


@given(st.lists(st.datetimes(min_value=datetime(1960, 1, 1), max_value=datetime(2100, 1, 1)), max_size=20))
def test_timestamps_print_as_iso_seconds(stamps: list[datetime]) -> None:
    values = np.array(stamps, dtype="datetime64[us]")
    assert _iso_seconds(values).tolist() == [s.replace(microsecond=0).isoformat() for s in stamps]
