"""The evidence pages' helpers, read from the store's ledger: open rows, labels, counts, the template.

A synthetic store with corrections and retractions, so the helpers meet rows that no
longer count; each helper is checked against what the store's own models say.
"""

from __future__ import annotations

import pytest

from commitments.cli.synth import load_synthetic
from commitments.files.catalog import DATA_DIR
from commitments.ledger import Ledger
from commitments.models import RecordState
from commitments.store.store import Store
from ui import corrections, evidence_import, method


@pytest.fixture
def ledger(sqlite_store: Store) -> Ledger:
    load_synthetic(sqlite_store, 12, 500, 3)
    return sqlite_store.ledger()


def open_models(ledger: Ledger) -> list:  # type: ignore[type-arg]
    """The open rows worked out from the models and the record states, newest event first."""
    states = dict(zip(ledger.ids(), ledger.row_states(), strict=True))
    models = [e for e in ledger.evidence() if states[e.id] and states[e.id].state is RecordState.ACTIVE]
    return sorted(models, key=lambda e: (e.event_date, e.recorded_at), reverse=True)


def test_open_row_labels_list_the_rows_that_count_newest_first(ledger: Ledger) -> None:
    titles = {c.id: c.title for c in ledger.commitments}
    expected = open_models(ledger)
    labels = corrections.open_row_labels(ledger, titles)
    assert len(labels) > 100
    assert len(labels) < len(ledger)  # superseded and retracted rows are left out
    assert set(labels) == {e.id for e in expected}
    dates = [label.split(" · ")[0] for label in labels.values()]
    assert dates == sorted(dates, reverse=True)
    first = expected[0]
    assert labels[first.id] == corrections.row_label(first, titles)


def test_one_pledges_open_rows_and_the_counts_agree(ledger: Ledger) -> None:
    titles = {c.id: c.title for c in ledger.commitments}
    counts = ledger.open_row_counts()
    assert list(counts) == [c.id for c in ledger.commitments if c.id in counts]  # catalogue order
    assert sum(counts.values()) == len(open_models(ledger))
    for pledge_id in list(counts)[::3]:
        labels = corrections.open_row_labels(ledger, titles, pledge_id)
        assert len(labels) == counts[pledge_id]
        assert all(titles[pledge_id][:20] not in label for label in labels.values())


def test_find_row_builds_the_stored_model(ledger: Ledger, sqlite_store: Store) -> None:
    for evidence_id in ledger.ids()[::37]:
        assert corrections.find_row(ledger, evidence_id) == sqlite_store.get_evidence(evidence_id)
    assert corrections.find_row(ledger, "no-such-row") is None
    assert corrections.find_row(ledger, None) is None


def test_the_import_template_carries_one_open_original_row(ledger: Ledger) -> None:
    template = evidence_import.template_csv(ledger)
    assert len(template.splitlines()) == 2  # the header and one real row
    example_id = template.splitlines()[1].split(",")[0]
    assert example_id in {e.id for e in open_models(ledger) if not e.supersedes}


def test_seed_documents_count_their_citing_rows(sqlite_store: Store) -> None:
    documents = method.seed_documents(DATA_DIR, sqlite_store.ledger())
    assert documents and all(d.evidence_rows > 0 for d in documents)


def test_the_count_of_rows_that_count(ledger: Ledger) -> None:
    assert 0 < ledger.counting_rows() == len(open_models(ledger)) < len(ledger)
