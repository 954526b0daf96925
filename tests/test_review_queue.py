"""The review queue and the review log: which rows wait for a second person, and who decided what."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from commitments.access import AccessPolicy
from commitments.files.catalog import Catalogue
from commitments.review_queue import QUEUE_COLUMNS, REVIEW_LOG_COLUMNS, review_log, review_queue
from commitments.store.store import Store
from tests.factories import draft

PLEDGE = "prc-regulate-xylazine"


@pytest.fixture
def reviewed(sqlite_url: str, catalogue: Catalogue) -> Iterator[Store]:
    store = Store(sqlite_url, AccessPolicy(require_review=True))
    store.ensure_seeded(catalogue)
    yield store
    store.dispose()


def at(minute: int) -> datetime:
    return datetime(2030, 1, 1, 9, minute)


def test_the_queue_holds_rows_still_waiting_pending_first(reviewed: Store) -> None:
    rows = {
        name: reviewed.add_evidence(draft(commitment_id=PLEDGE, summary=name), "Ana", now=at(minute))
        for minute, name in enumerate(["sent back", "pending late", "confirmed", "retracted", "corrected"])
    }
    rows["pending early"] = reviewed.add_evidence(
        draft(commitment_id=PLEDGE, summary="pending early"), "Ana", now=at(0)
    )
    reviewed.review(rows["sent back"].id, "returned", "Ben", "cite the gazette", now=at(10))
    reviewed.review(rows["confirmed"].id, "confirmed", "Ben", now=at(11))
    reviewed.retract(rows["retracted"].id, "duplicate", "Ana", now=at(12))
    fix = draft(commitment_id=PLEDGE, summary="the correction", supersedes=rows["corrected"].id, correction_reason="x")
    correction = reviewed.add_evidence(fix, "Ana", now=at(13))

    queue = review_queue(reviewed.ledger())
    assert list(queue.columns) == list(QUEUE_COLUMNS)
    assert list(zip(queue["summary"], queue["state"], queue["comment"], strict=True)) == [
        ("pending early", "pending review", ""),
        ("pending late", "pending review", ""),
        ("the correction", "pending review", ""),
        ("sent back", "sent back", "cite the gazette"),
    ]
    assert set(queue["recorded_by"]) == {"Ana"}
    assert correction.id in set(queue["evidence_id"])


def test_the_log_names_who_decided_when_newest_first(reviewed: Store) -> None:
    row = reviewed.add_evidence(draft(commitment_id=PLEDGE, summary="a row"), "Ana", now=at(0))
    reviewed.review(row.id, "returned", "Ben", "cite the gazette", now=at(1))
    reviewed.review(row.id, "confirmed", "Cai", now=at(2))
    log = review_log(reviewed.ledger())
    assert list(log.columns) == list(REVIEW_LOG_COLUMNS)
    assert log[["decision", "reviewer", "comment", "recorded_by", "summary"]].values.tolist() == [
        ["confirmed", "Cai", "", "Ana", "a row"],
        ["returned", "Ben", "cite the gazette", "Ana", "a row"],
    ]
    assert list(log["reviewed_at"]) == [at(2), at(1)]


def test_a_store_without_review_has_an_empty_queue_and_log(sqlite_store: Store) -> None:
    assert review_queue(sqlite_store.ledger()).empty
    assert review_log(sqlite_store.ledger()).empty
