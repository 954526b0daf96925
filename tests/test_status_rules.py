"""The status rules, one table row each (tests/rule_table.py), run through the production engine.

The cases mirror the table in commitments/status.py and the README; the tests after them
pin what the table cannot say in a row: dates at their precision, the two time axes, the
sources counted, the history.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from commitments.models import Flag, Retraction, Stage
from tests.engine import board_as_of, ledger_of, status_as_of, status_history, view_of
from tests.factories import pledge, row
from tests.rule_table import AS_OF, CASES, Case, run, table_rules

D = date


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_status_rule(case: Case) -> None:
    assert run(case) == (case.stage, case.basis, case.flags)


def test_every_rule_in_the_table_has_a_case() -> None:
    shown = {case.rule for case in CASES}
    missing = [r for r in table_rules() if r not in shown]
    assert not missing, f"rules with no case in tests/rule_table.py: {missing}"


def test_every_rule_in_the_table_is_documented_in_the_readme() -> None:
    """The README's rules table and the engine's docstring table are the same table."""
    import commitments.status

    def table_rows(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if re.match(r"^\|\s*[a-z`]", line.strip())]

    engine_rows = table_rows(commitments.status.__doc__ or "")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert len(engine_rows) >= 10
    for line in engine_rows:
        assert line in readme, f"README is missing the rule row: {line}"


def test_a_pledge_made_after_the_date_is_absent() -> None:
    p = pledge(pledged_on=D(2024, 3, 1))
    assert status_as_of(p, [], D(2024, 2, 28)) is None
    assert board_as_of([p], [], D(2024, 2, 28)) == ()
    assert status_as_of(p, [], D(2024, 3, 1)) is not None


def test_month_precision_counts_from_the_end_of_the_month() -> None:
    p = pledge(pledged_on=D(2023, 11, 1), pledged_on_precision="month")
    assert status_as_of(p, [], D(2023, 11, 29)) is None
    assert status_as_of(p, [], D(2023, 11, 30)) is not None


def test_as_of_needs_the_event_to_be_public() -> None:
    """An event that happened on 1 March but was published on 1 April counts from April."""
    p = pledge()
    late_news = row(kind="legal_effect", on=D(2024, 3, 1), source={"published_on": D(2024, 4, 1)})
    before = status_as_of(p, [late_news], D(2024, 3, 15))
    after = status_as_of(p, [late_news], D(2024, 4, 1))
    assert before is not None and after is not None
    assert before.stage is Stage.PLEDGED
    assert after.stage is Stage.IN_EFFECT
    assert after.stage_since == D(2024, 4, 1)


def test_as_recorded_counts_only_what_the_team_had_entered() -> None:
    p = pledge()
    entered_late = row(kind="legal_effect", on=D(2024, 3, 1), recorded_at=datetime(2024, 5, 1, 9))
    today = status_as_of(p, [entered_late], AS_OF)
    briefed = status_as_of(p, [entered_late], AS_OF, recorded_on=datetime(2024, 4, 30, 23, 59))
    assert today is not None and briefed is not None
    assert today.stage is Stage.IN_EFFECT
    assert briefed.stage is Stage.PLEDGED


def test_claimed_and_verified_count_distinct_sources() -> None:
    p = pledge()
    rows = [
        row(kind="legal_effect", on=D(2024, 3, 1), source={"title": "Gazette", "publisher": "PRC"}),
        row(kind="legal_effect", on=D(2024, 3, 2), source={"title": "Gazette", "publisher": "PRC"}),
        row(kind="legal_effect", on=D(2024, 3, 3), speaks_for="independent", source={"title": "Reuters story"}),
        row(kind="legal_effect", on=D(2024, 3, 4), speaks_for="international_body", source={"title": "INCB report"}),
    ]
    status = status_as_of(p, rows, AS_OF)
    assert status is not None
    assert status.stage is Stage.VERIFIED
    assert (status.claimed_sources, status.independent_sources) == (1, 2)
    # The unattributed wire story is independent but too weak; the INCB's record verifies.
    assert status.stage_since == D(2024, 3, 4)
    assert status.evidence_ids[0] == rows[3].id
    assert [(c.evidence_id, c.strength.value) for c in status.verified_by] == [(rows[3].id, "official_record")]
    assert [(c.evidence_id, c.strength.value) for c in status.reported_by] == [(rows[2].id, "unattributed")]
    assert "Verified by: INCB report (Ministry; official record)." in status.reasons


def test_the_committing_party_alone_never_verifies() -> None:
    rows = [row(kind="legal_effect", on=D(2024, 3, day), source={"title": f"Notice {day}"}) for day in range(1, 20)]
    status = status_as_of(pledge(), rows, AS_OF)
    assert status is not None
    assert status.stage is Stage.IN_EFFECT
    assert status.label == "in effect (claimed)"
    assert status.independent_sources == 0


def test_retracted_and_superseded_rows_stop_counting_but_only_from_when_recorded() -> None:
    p = pledge()
    wrong = row(id="wrong", kind="legal_effect", on=D(2024, 3, 1), recorded_at=datetime(2024, 3, 2))
    retraction = Retraction(
        evidence_id="wrong", reason="misread the notice", recorded_by="a", recorded_at=datetime(2024, 4, 1)
    )
    now = status_as_of(p, [wrong], AS_OF, retractions=[retraction])
    then = status_as_of(p, [wrong], AS_OF, retractions=[retraction], recorded_on=datetime(2024, 3, 15))
    assert now is not None and then is not None
    assert now.stage is Stage.PLEDGED
    assert then.stage is Stage.IN_EFFECT

    corrected = row(
        kind="announcement",
        on=D(2024, 3, 1),
        supersedes="wrong",
        correction_reason="it was only announced",
        recorded_at=datetime(2024, 4, 2),
    )
    after = status_as_of(p, [wrong, corrected], AS_OF)
    assert after is not None
    assert after.stage is Stage.ANNOUNCED
    assert "wrong" not in after.evidence_ids


def test_sources_that_disagree_on_a_date_are_both_kept() -> None:
    p = pledge()
    aug5 = row(kind="announcement", on=D(2024, 8, 5), source={"title": "State Department release"})
    aug6 = row(kind="announcement", on=D(2024, 8, 6), source={"title": "Wire report"}, speaks_for="independent")
    status = status_as_of(p, [aug6, aug5], D(2024, 9, 1))
    assert status is not None
    assert status.stage_since == D(2024, 8, 5)
    ledger = ledger_of([p], [aug6, aug5])
    assert ledger.rows_behind(p.id, view_of(D(2024, 9, 1))) == (aug5.id, aug6.id)
    assert status.evidence_ids == (aug5.id,)
    assert "5 Aug 2024" in status.why


def test_history_lists_each_transition_with_the_rows_that_caused_it() -> None:
    p = pledge(due_on=D(2024, 4, 1))
    a = row(kind="announcement", on=D(2024, 2, 1))
    b = row(kind="legal_effect", on=D(2024, 5, 1))
    c = row(kind="independent_verification", on=D(2024, 6, 1), speaks_for="international_body")
    history = status_history(p, [c, a, b], until=D(2024, 12, 31))
    assert [(t.on, t.stage, set(t.flags)) for t in history] == [
        (D(2024, 1, 1), Stage.PLEDGED, set()),
        (D(2024, 2, 1), Stage.ANNOUNCED, set()),
        (D(2024, 4, 2), Stage.ANNOUNCED, {Flag.OVERDUE}),
        (D(2024, 5, 1), Stage.IN_EFFECT, {Flag.LATE}),
        (D(2024, 6, 1), Stage.VERIFIED, {Flag.LATE}),
    ]
    assert history[1].evidence_ids == (a.id,)
    assert history[3].evidence_ids == (b.id,)
    assert history[2].evidence_ids == ()
    assert "now overdue" in history[2].reason


def test_history_stops_at_the_date_asked() -> None:
    p = pledge()
    rows = [row(kind="announcement", on=D(2024, 2, 1)), row(kind="legal_effect", on=D(2024, 5, 1))]
    assert [t.stage for t in status_history(p, rows, until=D(2024, 3, 1))] == [Stage.PLEDGED, Stage.ANNOUNCED]
    assert status_history(p, rows, until=D(2023, 12, 31)) == ()


def test_rows_under_review_count_once_confirmed_and_pending_only_when_asked() -> None:
    from commitments.models import Review

    p = pledge()
    pending = row(id="pending", kind="legal_effect", on=D(2024, 3, 1), needs_review=True)
    assert status_as_of(p, [pending], AS_OF).stage is Stage.PLEDGED  # type: ignore[union-attr]
    assert status_as_of(p, [pending], AS_OF, include_pending=True).stage is Stage.IN_EFFECT  # type: ignore[union-attr]

    confirmed = Review(evidence_id="pending", decision="confirmed", reviewer="b", reviewed_at=datetime(2024, 4, 1))
    assert status_as_of(p, [pending], AS_OF, reviews=[confirmed]).stage is Stage.IN_EFFECT  # type: ignore[union-attr]
    before_review = status_as_of(p, [pending], AS_OF, reviews=[confirmed], recorded_on=datetime(2024, 3, 31))
    assert before_review is not None and before_review.stage is Stage.PLEDGED
    board = board_as_of([p], [pending], AS_OF, reviews=[confirmed])
    assert board[0].stage is Stage.IN_EFFECT

    returned = Review(
        evidence_id="pending",
        decision="returned",
        comment="wrong source",
        reviewer="b",
        reviewed_at=datetime(2024, 4, 1),
    )
    sent_back = status_as_of(p, [pending], AS_OF, reviews=[returned], include_pending=True)
    assert sent_back is not None and sent_back.stage is Stage.PLEDGED


def test_retracting_a_correction_brings_back_the_row_it_replaced() -> None:
    p = pledge()
    original = row(id="original", kind="legal_effect", on=D(2024, 3, 1), recorded_at=datetime(2024, 3, 2))
    correction = row(
        id="correction",
        kind="announcement",
        on=D(2024, 3, 1),
        supersedes="original",
        correction_reason="thought it was only announced",
        recorded_at=datetime(2024, 3, 10),
    )
    withdrawn = Retraction(
        evidence_id="correction",
        reason="the gazette does show it in force",
        recorded_by="b",
        recorded_at=datetime(2024, 4, 1),
    )
    corrected = status_as_of(p, [original, correction], AS_OF)
    restored = status_as_of(p, [original, correction], AS_OF, retractions=[withdrawn])
    assert corrected is not None and restored is not None
    assert corrected.stage is Stage.ANNOUNCED
    assert restored.stage is Stage.IN_EFFECT
    assert "original" in restored.evidence_ids
