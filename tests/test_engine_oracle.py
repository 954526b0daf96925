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
