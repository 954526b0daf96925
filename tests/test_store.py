"""The store, on a real SQLite file and a real PostgreSQL server (the `store` fixture).

What a user relies on: seeding is idempotent, every row is stamped with who entered it and
when, nothing is edited or deleted (corrections and retractions are new rows), a batch is
all or nothing, a repeated submission records one row, and refusals name the field.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError

import commitments.store.store
from commitments.files.catalog import Catalogue
from commitments.ledger import View
from commitments.models import Stage
from commitments.store.store import Store, StoreError, utc_now
from tests.factories import draft, pledge

PLEDGE = "store-test-pledge"
AS_OF = date(2025, 1, 1)


@pytest.fixture
def fresh(store: Store) -> Store:
    """The seeded store plus one pledge with no evidence, so its status is ours alone."""
    store.add_commitments([pledge(id=PLEDGE)])
    return store


def stage_of(store: Store) -> Stage:
    status = store.ledger().status(PLEDGE, View(as_of=AS_OF))
    assert status is not None
    return status.stage


def test_seeding_twice_adds_nothing_the_second_time(store: Store, catalogue: Catalogue) -> None:
    before = store.ledger()
    assert [c.id for c in before.commitments] == [c.id for c in catalogue.commitments]
    assert set(before.ids()) == {e.id for e in catalogue.evidence}

    assert store.ensure_seeded(catalogue) == 0
    assert Store(store.url).ensure_seeded(catalogue) == 0  # another process starting up
    after = store.ledger()
    assert after.commitments == before.commitments
    assert after.evidence() == before.evidence()


def test_a_recorded_row_is_stamped_with_who_and_when(fresh: Store) -> None:
    when = datetime(2030, 5, 6, 7, 8, 9)
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="  A. Analyst ", now=when)
    stored = fresh.get_evidence(row.id)
    assert stored is not None
    assert (stored.recorded_by, stored.recorded_at) == ("A. Analyst", when)


def test_the_recording_time_defaults_to_now(fresh: Store) -> None:
    before = utc_now()
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A. Analyst")
    stored = fresh.get_evidence(row.id)
    assert stored is not None
    assert before - timedelta(seconds=1) <= stored.recorded_at <= utc_now() + timedelta(seconds=1)


def test_nobody_records_anonymously(fresh: Store) -> None:
    revision = fresh.revision()
    with pytest.raises(StoreError) as caught:
        fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="   ")
    assert caught.value.field == "recorded_by"
    assert fresh.revision() == revision  # and nothing was written
    assert not [e for e in fresh.evidence() if e.commitment_id == PLEDGE]


def test_a_correction_is_a_new_row_and_the_old_one_stays_readable(fresh: Store) -> None:
    old = fresh.add_evidence(draft(commitment_id=PLEDGE, summary="First reading"), recorded_by="A")
    new = fresh.add_evidence(
        draft(commitment_id=PLEDGE, summary="Second reading", supersedes=old.id, correction_reason="misread"),
        recorded_by="B",
    )
    assert new.id != old.id
    assert fresh.get_evidence(old.id) == old
    corrected = fresh.get_evidence(new.id)
    assert corrected is not None
    assert (corrected.supersedes, corrected.correction_reason, corrected.summary) == (
        old.id,
        "misread",
        "Second reading",
    )
    mine = [e.id for e in fresh.evidence() if e.commitment_id == PLEDGE]
    assert mine == [old.id, new.id]


@pytest.mark.parametrize(
    ("supersedes", "field", "message"),
    [
        ("no-such-row", "supersedes", "no recorded row with id 'no-such-row'"),
        ("FIRST", "supersedes", "has already been superseded"),
    ],
)
def test_a_correction_of_a_missing_or_already_corrected_row_is_refused(
    fresh: Store, supersedes: str, field: str, message: str
) -> None:
    first = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    fresh.add_evidence(draft(commitment_id=PLEDGE, supersedes=first.id, correction_reason="x"), recorded_by="A")
    count = len(fresh.evidence())
    target = first.id if supersedes == "FIRST" else supersedes
    with pytest.raises(StoreError, match=message) as caught:
        fresh.add_evidence(draft(commitment_id=PLEDGE, supersedes=target, correction_reason="y"), recorded_by="A")
    assert caught.value.field == field
    assert len(fresh.evidence()) == count


def test_a_retraction_keeps_the_row_and_records_the_reason(fresh: Store) -> None:
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    retraction = fresh.retract(row.id, "the notice was a draft", recorded_by="B", now=datetime(2030, 2, 3))
    assert fresh.get_evidence(row.id) == row
    assert fresh.retractions()[-1] == retraction
    assert (retraction.evidence_id, retraction.reason, retraction.recorded_by) == (
        row.id,
        "the notice was a draft",
        "B",
    )


def test_a_row_cannot_be_retracted_twice(fresh: Store) -> None:
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    fresh.retract(row.id, "wrong pledge", recorded_by="B")
    with pytest.raises(StoreError, match="already retracted") as caught:
        fresh.retract(row.id, "still wrong", recorded_by="C")
    assert caught.value.field == "evidence_id"
    assert [r.reason for r in fresh.retractions() if r.evidence_id == row.id] == ["wrong pledge"]


@pytest.mark.parametrize(
    ("evidence_id", "reason", "field"),
    [
        ("no-such-row", "because", "evidence_id"),
        ("ROW", "   ", "reason"),
    ],
)
def test_a_bad_retraction_is_refused_naming_the_field(fresh: Store, evidence_id: str, reason: str, field: str) -> None:
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    with pytest.raises(StoreError) as caught:
        fresh.retract(row.id if evidence_id == "ROW" else evidence_id, reason, recorded_by="B")
    assert caught.value.field == field
    assert fresh.retractions() == []


def test_a_batch_with_one_bad_row_records_nothing(fresh: Store) -> None:
    before = fresh.revision()
    drafts = [draft(commitment_id=PLEDGE, summary=f"row {i}") for i in range(5)]
    drafts.insert(3, draft(commitment_id="no-such-pledge"))
    with pytest.raises(StoreError, match="row 4, commitment_id: no pledge with id 'no-such-pledge'") as caught:
        fresh.add_many(drafts, recorded_by="A")
    assert [(p.row, p.field) for p in caught.value.problems] == [(4, "commitment_id")]
    assert fresh.revision() == before
    assert not [e for e in fresh.evidence() if e.commitment_id == PLEDGE]


def test_a_batch_records_every_row(fresh: Store) -> None:
    recording = fresh.add_many([draft(commitment_id=PLEDGE, summary=f"row {i}") for i in range(5)], recorded_by="A")
    assert [e.summary for e in fresh.evidence() if e.commitment_id == PLEDGE] == [f"row {i}" for i in range(5)]
    assert len({r.id for r in recording.rows}) == 5
    assert recording.new == recording.rows and recording.repeated == []


def test_a_batch_reports_every_bad_row_by_the_callers_numbers(fresh: Store) -> None:
    """A file's rows are numbered as its spreadsheet numbers them (the header is row 1)."""
    fine = draft(commitment_id=PLEDGE, summary="fine")
    drafts = [
        fine,
        draft(commitment_id="no-such-pledge"),
        fine,  # the same row twice
        draft(commitment_id=PLEDGE, supersedes="no-such-row", correction_reason="x"),
    ]
    with pytest.raises(StoreError) as caught:
        fresh.add_many(drafts, recorded_by="A", row_numbers=[2, 3, 4, 5])
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "commitment_id"), (4, "id"), (5, "supersedes")]
    assert "the same row as row 2" in caught.value.problems[1].message
    assert str(caught.value).startswith("row 3, commitment_id: ") and "(and 2 more)" in str(caught.value)
    assert not [e for e in fresh.evidence() if e.commitment_id == PLEDGE]


def test_a_row_without_an_id_is_recorded_once_however_often_it_comes(fresh: Store) -> None:
    """Rows with no id get one from their content: a retried or repeated import records nothing twice."""
    rows = [draft(commitment_id=PLEDGE, summary=f"row {i}") for i in range(3)]
    first = fresh.add_many(rows, recorded_by="A")
    again = fresh.add_many(rows, recorded_by="B")
    assert [e.id for e in again.rows] == [e.id for e in first.rows]
    assert (len(again.new), len(again.repeated)) == (0, 3)
    assert len([e for e in fresh.evidence() if e.commitment_id == PLEDGE]) == 3
    assert all(e.recorded_by == "A" for e in again.rows)  # kept as first recorded


def test_evidence_about_an_unknown_pledge_is_refused_naming_the_field(fresh: Store) -> None:
    with pytest.raises(StoreError, match="no pledge with id 'nope'") as caught:
        fresh.add_evidence(draft(commitment_id="nope"), recorded_by="A")
    assert caught.value.field == "commitment_id"
    assert str(caught.value).startswith("commitment_id: ")


def test_submitting_the_same_draft_twice_records_one_row(fresh: Store) -> None:
    submission = draft(id="form-7f3a", commitment_id=PLEDGE)
    first = fresh.add_evidence(submission, recorded_by="A")
    second = fresh.add_evidence(submission, recorded_by="A")  # the double click
    assert first == second
    assert [e.id for e in fresh.evidence() if e.commitment_id == PLEDGE] == ["form-7f3a"]


def test_a_different_draft_with_a_used_id_is_refused(fresh: Store) -> None:
    fresh.add_evidence(draft(id="form-7f3a", commitment_id=PLEDGE, summary="One thing"), recorded_by="A")
    with pytest.raises(StoreError, match="a different row with id 'form-7f3a'") as caught:
        fresh.add_evidence(draft(id="form-7f3a", commitment_id=PLEDGE, summary="Another"), recorded_by="A")
    assert caught.value.field == "id"
    stored = fresh.get_evidence("form-7f3a")
    assert stored is not None and stored.summary == "One thing"


def test_the_status_engine_sees_corrections_and_retractions(fresh: Store) -> None:
    assert stage_of(fresh) is Stage.PLEDGED
    claim = fresh.add_evidence(
        draft(commitment_id=PLEDGE, kind="legal_effect", event_date=date(2024, 3, 1)), recorded_by="A"
    )
    assert stage_of(fresh) is Stage.IN_EFFECT
    correction = fresh.add_evidence(
        draft(
            commitment_id=PLEDGE,
            kind="announcement",
            event_date=date(2024, 3, 1),
            supersedes=claim.id,
            correction_reason="the notice announced the rule; it took effect later",
        ),
        recorded_by="B",
    )
    assert stage_of(fresh) is Stage.ANNOUNCED
    fresh.retract(correction.id, "the announcement was about another pledge", recorded_by="C")
    assert stage_of(fresh) is not Stage.ANNOUNCED


def test_the_status_engine_drops_a_retracted_row(fresh: Store) -> None:
    claim = fresh.add_evidence(draft(commitment_id=PLEDGE, kind="legal_effect"), recorded_by="A")
    assert stage_of(fresh) is Stage.IN_EFFECT
    fresh.retract(claim.id, "the decree was never published", recorded_by="B")
    assert stage_of(fresh) is Stage.PLEDGED


def test_every_write_changes_the_revision(fresh: Store) -> None:
    seen = [fresh.revision()]
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    seen.append(fresh.revision())
    fresh.retract(row.id, "wrong", recorded_by="A")
    seen.append(fresh.revision())
    fresh.add_commitments([pledge(id="another-pledge")])
    seen.append(fresh.revision())
    assert len(set(seen)) == len(seen)


def test_a_pledge_id_cannot_be_added_twice(fresh: Store) -> None:
    with pytest.raises(StoreError, match=f"'{PLEDGE}' is already recorded") as caught:
        fresh.add_commitments([pledge(id="brand-new"), pledge(id=PLEDGE)])
    assert caught.value.field == "id"
    assert "brand-new" not in {c.id for c in fresh.commitments()}


def test_a_bad_url_names_the_setting() -> None:
    with pytest.raises(StoreError) as caught:
        Store("not a url at all")
    assert caught.value.field == "COMMITMENTS_DB_URL"


class _Locked(Exception):
    """What the driver says when another writer holds the database."""

    def __str__(self) -> str:
        return "database is locked"


def _flaky_insert(fails: int, real: object) -> object:
    calls = {"n": 0}

    def insert(*args: object) -> object:
        calls["n"] += 1
        if calls["n"] <= fails:
            raise OperationalError("INSERT INTO evidence ...", {}, _Locked())
        return real(*args)  # type: ignore[operator]

    return insert


def test_a_write_that_meets_a_lock_is_retried_and_recorded_once(fresh: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commitments.store.store.time, "sleep", lambda _: None)
    monkeypatch.setattr(commitments.store.store, "record", _flaky_insert(3, commitments.store.store.record))
    row = fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    assert [e.id for e in fresh.evidence() if e.commitment_id == PLEDGE] == [row.id]


def test_a_lock_that_never_clears_ends_in_a_clear_refusal(fresh: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(commitments.store.store.time, "sleep", lambda _: None)
    monkeypatch.setattr(commitments.store.store, "record", _flaky_insert(1000, commitments.store.store.record))
    with pytest.raises(StoreError, match=r"stayed busy with other writers .*nothing was saved, try again"):
        fresh.add_evidence(draft(commitment_id=PLEDGE), recorded_by="A")
    assert not [e for e in fresh.evidence() if e.commitment_id == PLEDGE]


def test_every_write_moves_the_revision_a_catalogue_edit_too(store: Store, catalogue: Catalogue) -> None:
    """Caches in every process key on the revision: an edit that changes no row count must move it."""
    first = store.revision()
    store.add_evidence(draft(commitment_id=catalogue.commitments[0].id), recorded_by="Ana")
    second = store.revision()
    assert second > first
    edited = catalogue.commitments[0].model_copy(update={"title": "A pledge, reworded"})
    changed = Catalogue(catalogue.title, (edited, *catalogue.commitments[1:]), catalogue.evidence)
    assert store.ensure_seeded(changed) == 0
    assert store.revision() > second
    assert store.ledger().commitment(edited.id).title == "A pledge, reworded"  # type: ignore[union-attr]
    assert store.ensure_seeded(changed) == 0
    assert store.revision() == second + 1  # nothing to do: nothing written


def test_an_edited_pledge_keeps_its_old_definition_for_the_audit_view(store: Store, catalogue: Catalogue) -> None:
    original = catalogue.commitments[0]
    edited = original.model_copy(
        update={"criteria": original.criteria.model_copy(update={"verified": "An INCB report names the firms."})}
    )
    before_edit = utc_now()
    store.ensure_seeded(Catalogue(catalogue.title, (edited, *catalogue.commitments[1:]), catalogue.evidence))
    ledger = store.ledger()
    versions = ledger.versions(original.id)
    assert [v.commitment for v in versions][-2:] == [original, edited]
    assert versions[-1].recorded_at >= before_edit
    assert ledger.commitment(original.id) == edited
    then = View(as_of=AS_OF, recorded_on=before_edit.date() - timedelta(days=1))
    assert ledger.commitments_for(then.recorded_by)[0] == original
    assert ledger.status(original.id, then).commitment == original  # type: ignore[union-attr]
    assert ledger.status(original.id, View(as_of=AS_OF)).commitment == edited  # type: ignore[union-attr]


def test_a_reply_must_answer_a_recorded_row_of_the_same_pledge(fresh: Store, catalogue: Catalogue) -> None:
    against = fresh.add_evidence(
        draft(commitment_id=PLEDGE, kind="contradiction", speaks_for="independent", reason_code="disputed"), "Ana"
    )
    reply = draft(commitment_id=PLEDGE, kind="statement", summary="The ministry answers", replies_to=against.id)
    recorded = fresh.add_evidence(reply, "Ana")
    assert recorded.replies_to == against.id
    with pytest.raises(StoreError) as missing:
        fresh.add_evidence(draft(commitment_id=PLEDGE, kind="statement", replies_to="no-such-row"), "Ana")
    assert missing.value.field == "replies_to"
    other = catalogue.commitments[0].id
    with pytest.raises(StoreError, match="same pledge"):
        fresh.add_evidence(draft(commitment_id=other, kind="statement", replies_to=against.id), "Ana")
    status = fresh.ledger().status(PLEDGE, View(as_of=date(2026, 1, 1)))
    assert status is not None
    assert any(r.startswith("The PRC replied on") and "The ministry answers" in r for r in status.reasons)
