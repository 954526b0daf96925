"""Sign-in roles and second-person review, enforced by the store on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from commitments.access import AccessPolicy, Role
from commitments.files.catalog import Catalogue
from commitments.frames import board_frame, corrections_frame
from commitments.ledger import Ledger, View, end_of_day
from commitments.models import Stage
from commitments.store.store import Store, StoreError
from tests.conftest import team_store
from tests.engine import state_texts
from tests.factories import draft

PLEDGE = "prc-regulate-xylazine"
AS_OF = View(as_of=date(2030, 1, 1))


def stage_of(store: Store, view: View = AS_OF, pledge: str = PLEDGE) -> str:
    board = board_frame(store.ledger().board(view))
    return str(board.set_index("id").loc[pledge, "stage"])


def announced_only(catalogue: Catalogue) -> str:
    """A pledge the catalogue leaves at 'announced', so that a legal-effect row would move it."""
    board = Ledger.from_models(catalogue.commitments, catalogue.evidence).board(AS_OF)
    return next(s.commitment_id for s in board if s.stage is Stage.ANNOUNCED)


@pytest.mark.parametrize(
    ("policy", "who", "role"),
    [
        ({}, "Anyone", Role.REVIEWER),
        ({}, "", Role.READER),
        ({"reviewers": {"rev"}}, "Anyone", Role.RECORDER),
        ({"sign_in": True}, "ana@example.org", Role.READER),
        ({"sign_in": True, "recorders": {"ana@example.org"}}, "ANA@example.org", Role.RECORDER),
        ({"sign_in": True, "recorders": {"*"}}, "new@example.org", Role.RECORDER),
        ({"sign_in": True, "reviewers": {"rev@example.org"}}, "rev@example.org", Role.REVIEWER),
    ],
)
def test_roles(policy: dict[str, object], who: str, role: Role) -> None:
    assert AccessPolicy.model_validate(policy).role_of(who) is role


def test_a_reader_cannot_write_by_calling_the_store(signed_in: Store) -> None:
    before = len(signed_in.evidence())
    with pytest.raises(StoreError) as refused:
        signed_in.add_evidence(draft(commitment_id=PLEDGE), recorded_by="reader@example.org")
    assert refused.value.field == "recorded_by"
    assert "may read the board but not record" in str(refused.value)
    with pytest.raises(StoreError, match="recorded_by"):
        signed_in.retract(signed_in.evidence()[0].id, "no", recorded_by="reader@example.org")
    assert len(signed_in.evidence()) == before
    assert signed_in.retractions() == []


def test_a_recorder_writes_and_the_row_names_them(signed_in: Store) -> None:
    row = signed_in.add_evidence(draft(commitment_id=PLEDGE), recorded_by="ana@example.org")
    assert signed_in.get_evidence(row.id) == row
    assert row.recorded_by == "ana@example.org"
    assert not row.needs_review


def test_rows_under_review_move_no_status_until_someone_else_confirms(reviewed: Store, catalogue: Catalogue) -> None:
    pledge = announced_only(catalogue)
    pending = View(as_of=AS_OF.as_of, include_pending=True)
    assert stage_of(reviewed, pledge=pledge) == "announced"
    before = reviewed.revision()
    row = reviewed.add_evidence(draft(commitment_id=pledge, kind="legal_effect"), recorded_by="Ana")
    assert row.needs_review
    assert stage_of(reviewed, pledge=pledge) == "announced"
    assert stage_of(reviewed, pending, pledge) == "in_effect"
    assert state_texts(reviewed.ledger())[row.id] == "pending review"

    with pytest.raises(StoreError, match="someone other than who recorded it"):
        reviewed.review(row.id, "confirmed", reviewer="Ana")
    with pytest.raises(StoreError) as no_comment:
        reviewed.review(row.id, "returned", reviewer="Ben")
    assert no_comment.value.field == "comment"

    reviewed.review(row.id, "returned", reviewer="Ben", comment="the source is a blog, find the gazette")
    assert state_texts(reviewed.ledger())[row.id] == "sent back: the source is a blog, find the gazette"
    assert stage_of(reviewed, pending, pledge) == "announced"

    confirmed = reviewed.review(row.id, "confirmed", reviewer="Cai")
    assert stage_of(reviewed, pledge=pledge) == "in_effect"
    assert [(r.decision.value, r.reviewer) for r in reviewed.reviews()] == [("returned", "Ben"), ("confirmed", "Cai")]
    assert confirmed.reviewed_at is not None
    assert reviewed.revision() != before
    with pytest.raises(StoreError, match="already confirmed"):
        reviewed.review(row.id, "confirmed", reviewer="Ben")


def test_review_refuses_rows_not_recorded_for_review(store: Store) -> None:
    seed = store.evidence()[0]
    with pytest.raises(StoreError, match="not recorded for review"):
        store.review(seed.id, "confirmed", reviewer="Ben")
    with pytest.raises(StoreError, match="no recorded row"):
        store.review("no-such-row", "confirmed", reviewer="Ben")


def test_only_named_reviewers_review(db_url: str, catalogue: Catalogue) -> None:
    pledge = announced_only(catalogue)
    store = team_store(db_url, catalogue, require_review=True, reviewers={"Rev"})
    row = store.add_evidence(draft(commitment_id=pledge), recorded_by="Ana")
    with pytest.raises(StoreError, match="Ben is not a reviewer"):
        store.review(row.id, "confirmed", reviewer="Ben")
    store.review(row.id, "confirmed", reviewer="Rev")
    assert Stage.ANNOUNCED.slug == stage_of(store, pledge=pledge)
    store.dispose()


def test_corrections_log_lists_every_retraction_and_supersession_with_its_reason(store: Store) -> None:
    first, second = store.evidence()[:2]
    fix = draft(
        **{
            **first.model_dump(exclude={"id", "recorded_by", "recorded_at", "needs_review"}),
            "summary": "Corrected summary",
            "supersedes": first.id,
            "correction_reason": "the date was misread",
        }
    )
    correction = store.add_evidence(fix, recorded_by="Ana")
    store.retract(second.id, "duplicate of another row", recorded_by="Ben")
    log = corrections_frame(store.ledger())
    assert list(log["action"]) == ["superseded", "retracted"] or list(log["action"]) == ["retracted", "superseded"]
    by_row = log.set_index("evidence_id")
    assert by_row.loc[first.id, "reason"] == "the date was misread"
    assert by_row.loc[first.id, "replaced_by"] == correction.id
    assert by_row.loc[first.id, "by"] == "Ana"
    assert by_row.loc[second.id, "reason"] == "duplicate of another row"
    assert by_row.loc[second.id, "by"] == "Ben"


def test_a_row_whose_correction_was_retracted_can_be_corrected_again(store: Store) -> None:
    original = store.evidence()[0]
    fields = original.model_dump(exclude={"id", "recorded_by", "recorded_at", "needs_review"})
    first_fix = store.add_evidence(
        draft(**{**fields, "summary": "First fix", "supersedes": original.id, "correction_reason": "typo"}),
        recorded_by="Ana",
    )
    with pytest.raises(StoreError, match="already been superseded"):
        store.add_evidence(
            draft(**{**fields, "summary": "Second fix", "supersedes": original.id, "correction_reason": "typo"}),
            recorded_by="Ben",
        )
    store.retract(first_fix.id, "the first fix was wrong", recorded_by="Ben")
    second_fix = store.add_evidence(
        draft(**{**fields, "summary": "Second fix", "supersedes": original.id, "correction_reason": "typo"}),
        recorded_by="Ben",
    )
    states = state_texts(store.ledger())
    assert states[original.id] == f"superseded by {second_fix.id}"
    assert states[first_fix.id] == "retracted: the first fix was wrong"


def test_a_retracted_correction_leaves_its_row_active_in_the_log(store: Store) -> None:
    original = store.evidence()[0]
    fields = original.model_dump(exclude={"id", "recorded_by", "recorded_at", "needs_review"})
    fix = store.add_evidence(
        draft(**{**fields, "summary": "A fix", "supersedes": original.id, "correction_reason": "typo"}),
        recorded_by="Ana",
    )
    assert state_texts(store.ledger())[original.id] == f"superseded by {fix.id}"
    store.retract(fix.id, "the fix was wrong", recorded_by="Ben")
    assert state_texts(store.ledger())[original.id] == "active"
    assert state_texts(store.ledger())[original.id] == "active"


def test_the_audit_view_shows_the_comment_known_at_the_time(reviewed: Store) -> None:
    from datetime import datetime

    row = reviewed.add_evidence(draft(commitment_id=PLEDGE), recorded_by="Ana", now=datetime(2025, 1, 1, 9))
    reviewed.review(row.id, "returned", reviewer="Ben", comment="first comment", now=datetime(2025, 1, 2, 9))
    reviewed.review(row.id, "returned", reviewer="Cai", comment="second comment", now=datetime(2025, 1, 5, 9))
    then = end_of_day(date(2025, 1, 3))
    ledger = reviewed.ledger()
    assert state_texts(ledger, then)[row.id] == "sent back: first comment"
    assert state_texts(ledger)[row.id] == "sent back: second comment"
