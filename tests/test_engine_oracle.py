"""The ledger's engine agrees with the first, row-by-row engine wherever their rules are the same.

The first engine (tests/oracle/reference_status.py) folds rows one at a time; the ledger
derives each pledge's history for every pledge at once and reads boards from it. On random
catalogues dense with ties, corrections, retractions and reviews, both time axes, every
field of the board that the rules decide must match.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commitments.ledger import Ledger, View
from commitments.models import Flag
from commitments.status import StatusRules
from tests.catalogues import START, Catalogue, catalogues
from tests.oracle.reference_status import board_as_of


def assert_same_board(catalogue: Catalogue, view: View) -> None:
    commitments, rows, retractions, reviews = catalogue
    expected = board_as_of(
        commitments,
        rows,
        view.as_of,
        retractions=retractions,
        recorded_by=view.recorded_by,
        reviews=reviews,
        include_pending=view.include_pending,
        rules=view.rules,
    )
    got = Ledger.from_models(commitments, rows, retractions, reviews).board(view)
    assert [s.commitment_id for s in got] == [s.commitment_id for s in expected]
    for old, new in zip(expected, got, strict=True):
        pledge = next(c for c in commitments if c.id == old.commitment_id)
        fields = ("stage", "basis", "flags", "stage_since", "evidence_count", "claimed_sources", "independent_sources")
        for name in fields:
            assert getattr(new, name) == getattr(old, name), (old.commitment_id, name)
        # The first engine lets a row known before the pledge went on record count before it.
        if old.last_evidence_on is None or old.last_evidence_on >= pledge.pledged_effective_on:
            assert new.last_evidence_on == old.last_evidence_on


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    catalogue=catalogues(),
    as_of_offset=st.integers(0, 200),
    recorded_offset=st.none() | st.integers(0, 24 * 200),
    stale_days=st.sampled_from([1, 10, 180]),
    include_pending=st.booleans(),
)
def test_boards_match_the_first_engine(
    catalogue: Catalogue, as_of_offset: int, recorded_offset: int | None, stale_days: int, include_pending: bool
) -> None:
    recorded_on = (
        (datetime.combine(START, datetime.min.time()) + timedelta(hours=recorded_offset)).date()
        if recorded_offset is not None
        else None
    )
    view = View(
        as_of=START + timedelta(days=as_of_offset),
        recorded_on=recorded_on,
        rules=StatusRules(stale_after_days=stale_days),
        include_pending=include_pending,
    )
    assert_same_board(catalogue, view)


def test_an_empty_ledger_has_an_empty_board() -> None:
    assert Ledger.from_models([], []).board(View(as_of=date(2024, 1, 1))) == ()


ALL_STRENGTHS = ("official_record", "named_investigation", "sourced_report", "unattributed")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue=catalogues(strengths=ALL_STRENGTHS), as_of_offset=st.integers(0, 150))
def test_a_board_read_from_the_history_is_the_board_of_the_rows_known_by_then(
    catalogue: Catalogue, as_of_offset: int
) -> None:
    """History first: reading the whole history at D gives what the rows known by D alone give.

    Corrections are left out: a correction replaces its row from when it was recorded,
    whatever its own event date, so dropping it by its date would change what it replaced.
    """
    commitments, rows, retractions, reviews = catalogue
    rows = [r for r in rows if not r.supersedes]
    view = View(as_of=START + timedelta(days=as_of_offset))
    whole = Ledger.from_models(commitments, rows, retractions, reviews).board(view)
    known = [r for r in rows if r.known_on <= view.as_of]
    cut = Ledger.from_models(commitments, known, retractions, reviews).board(view)
    for full, part in zip(whole, cut, strict=True):
        assert (full.stage, full.basis, full.flags, full.stage_since, full.last_evidence_on) == (
            part.stage,
            part.basis,
            part.flags,
            part.stage_since,
            part.last_evidence_on,
        ), full.commitment_id
        assert (full.evidence_count, full.claimed_sources, full.independent_sources) == (
            part.evidence_count,
            part.claimed_sources,
            part.independent_sources,
        )
        assert [c.evidence_id for c in full.verified_by] == [c.evidence_id for c in part.verified_by]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalogue=catalogues(strengths=ALL_STRENGTHS))
def test_the_transitions_are_the_days_the_board_changes(catalogue: Catalogue) -> None:
    commitments, rows, retractions, reviews = catalogue
    ledger = Ledger.from_models(commitments, rows, retractions, reviews)
    until = START + timedelta(days=130)
    seen: dict[str, list[tuple[object, ...]]] = {c.id: [] for c in commitments}
    previous: dict[str, tuple[object, ...]] = {}
    day = START
    while day <= until:
        for status in ledger.board(View(as_of=day)):
            state = (status.stage, status.basis, status.flags - {Flag.STALE})
            if previous.get(status.commitment_id) != state:
                seen[status.commitment_id].append((day, *state))
            previous[status.commitment_id] = state
        day += timedelta(days=1)
    history = ledger.history(View(as_of=until))
    for c in commitments:
        assert [(t.on, t.stage, t.basis, t.flags) for t in history if t.commitment_id == c.id] == seen[c.id]
