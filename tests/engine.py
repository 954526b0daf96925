"""The production engine through the shapes the rule tests speak in: one pledge, some rows, a date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from commitments.explain import record_text
from commitments.ledger import Ledger, PledgeStatus, Transition, View
from commitments.models import Commitment, Evidence, Retraction, Review
from commitments.status import DEFAULT_RULES, StatusRules


def ledger_of(
    commitments: Sequence[Commitment],
    evidence: Sequence[Evidence],
    retractions: Sequence[Retraction] = (),
    reviews: Sequence[Review] = (),
) -> Ledger:
    return Ledger.from_models(commitments, evidence, retractions, reviews)


def view_of(
    as_of: date,
    recorded_on: date | datetime | None = None,
    include_pending: bool = False,
    rules: StatusRules = DEFAULT_RULES,
) -> View:
    if isinstance(recorded_on, datetime):
        recorded_on = recorded_on.date()
    return View(as_of=as_of, recorded_on=recorded_on, rules=rules, include_pending=include_pending)


def board_as_of(
    commitments: Sequence[Commitment],
    evidence: Sequence[Evidence],
    as_of: date,
    *,
    retractions: Sequence[Retraction] = (),
    recorded_on: date | datetime | None = None,
    reviews: Sequence[Review] = (),
    include_pending: bool = False,
    rules: StatusRules = DEFAULT_RULES,
) -> tuple[PledgeStatus, ...]:
    ledger = ledger_of(commitments, evidence, retractions, reviews)
    return ledger.board(view_of(as_of, recorded_on, include_pending, rules))


def status_as_of(
    commitment: Commitment,
    evidence: Sequence[Evidence],
    as_of: date,
    **options: object,
) -> PledgeStatus | None:
    board = board_as_of([commitment], evidence, as_of, **options)  # type: ignore[arg-type]
    return board[0] if board else None


def status_history(
    commitment: Commitment,
    evidence: Sequence[Evidence],
    *,
    until: date,
    retractions: Sequence[Retraction] = (),
    recorded_on: date | datetime | None = None,
    reviews: Sequence[Review] = (),
    include_pending: bool = False,
) -> tuple[Transition, ...]:
    ledger = ledger_of([commitment], evidence, retractions, reviews)
    return ledger.history(view_of(until, recorded_on, include_pending))


def state_texts(ledger: Ledger, recorded_by: datetime | None = None) -> dict[str, str]:
    """Every entered row's state as a reader would say it: "superseded by X", "sent back: why"."""
    out = {}
    for evidence_id, found in zip(ledger.ids(), ledger.row_states(recorded_by), strict=True):
        if found is None:
            continue
        out[str(evidence_id)] = record_text(found.state, found.note)
    return out
