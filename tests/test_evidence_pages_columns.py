"""The evidence pages' helpers give the same answers from the column snapshot as from models.

At scale the pages read `Store.frame_snapshot` (evidence as columns) so as not to build a
model of every row; `Store.snapshot` (every row a model) is the reference. Both are read
from one real SQLite store holding the seed catalogue plus a synthetic one with
corrections and retractions.
"""

from __future__ import annotations

import pytest

from commitments.cli.synth import load_synthetic
from commitments.files.catalog import DATA_DIR
from commitments.store.store import Store
from commitments.summaries import Snapshot
from ui import corrections, evidence_import, method


@pytest.fixture
def snapshots(sqlite_store: Store) -> tuple[Snapshot, Snapshot]:
    """(models, columns) of the same store."""
    load_synthetic(sqlite_store, 12, 500, 3)
    models, columns = sqlite_store.snapshot(), sqlite_store.frame_snapshot()
    assert models.table is None and columns.table is not None
    return models, columns


def test_open_row_labels_are_the_same_rows_in_the_same_order(snapshots: tuple[Snapshot, Snapshot]) -> None:
    models, columns = snapshots
    titles = {c.id: c.title for c in models.commitments}
    expected = {e.id: corrections.row_label(e, titles) for e in corrections.open_rows(models)}
    assert len(expected) > 100
    assert len(expected) < len(models.evidence)  # superseded and retracted rows are left out
    labels = corrections.open_row_labels(columns, titles)
    assert list(labels.items()) == list(expected.items())
    assert corrections.open_row_labels(models, titles) == expected


def test_one_pledges_open_rows_and_the_counts_agree(snapshots: tuple[Snapshot, Snapshot]) -> None:
    models, columns = snapshots
    titles = {c.id: c.title for c in models.commitments}
    counts = corrections.open_row_counts(models)
    assert corrections.open_row_counts(columns) == counts
    assert list(counts) == [c.id for c in models.commitments if c.id in counts]  # catalogue order
    assert sum(counts.values()) == len(corrections.open_rows(models))
    for pledge_id in list(counts)[::3]:
        expected = {e.id: corrections.row_label(e, None) for e in corrections.open_rows(models, pledge_id)}
        assert all(titles[pledge_id][:20] not in label for label in expected.values())
        assert len(expected) == counts[pledge_id]
        assert list(corrections.open_row_labels(columns, titles, pledge_id).items()) == list(expected.items())
        assert corrections.open_row_labels(models, titles, pledge_id) == expected


def test_find_row_builds_the_same_model(snapshots: tuple[Snapshot, Snapshot]) -> None:
    models, columns = snapshots
    for evidence in list(models.evidence)[::37]:
        assert corrections.find_row(columns, evidence.id) == evidence
        assert corrections.find_row(models, evidence.id) == evidence
    assert corrections.find_row(columns, "no-such-row") is None
    assert corrections.find_row(columns, None) is None


def test_the_import_template_carries_the_same_example(snapshots: tuple[Snapshot, Snapshot]) -> None:
    models, columns = snapshots
    template = evidence_import.template_csv(models)
    assert len(template.splitlines()) == 2  # the header and one real row
    assert evidence_import.template_csv(columns) == template


def test_seed_documents_count_the_same_citing_rows(snapshots: tuple[Snapshot, Snapshot]) -> None:
    models, columns = snapshots
    documents = method.seed_documents(DATA_DIR, models)
    assert any(d.evidence_rows > 0 for d in documents)
    assert method.seed_documents(DATA_DIR, columns) == documents


def test_the_count_of_rows_that_count_is_the_same(snapshots: tuple[Snapshot, Snapshot]) -> None:
    models, columns = snapshots
    expected = sum(1 for e in corrections.open_rows(models))
    assert 0 < expected < len(models.evidence)
    assert method.counting_rows(columns) == method.counting_rows(models) == expected
