"""The synthetic catalogue: deterministic, the sizes asked for, valid, and loadable."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from commitments.cli.synth import load_synthetic
from commitments.frames import board_frame
from commitments.ledger import Ledger, View
from commitments.models import Commitment, Evidence, EvidenceKind, Retraction, SpeaksFor
from commitments.store.store import Store
from commitments.synth import generate

PROJECT = Path(__file__).resolve().parent.parent


def test_the_same_seed_gives_the_same_catalogue_and_another_seed_does_not() -> None:
    assert generate(20, 500, seed=5) == generate(20, 500, seed=5)
    assert generate(20, 500, seed=5).evidence != generate(20, 500, seed=6).evidence


@pytest.mark.parametrize(("pledges", "evidence"), [(1, 0), (1, 1), (3, 2), (10, 37), (50, 2000)])
def test_counts_are_the_ones_asked_for(pledges: int, evidence: int) -> None:
    synthetic = generate(pledges, evidence, seed=1)
    assert len(synthetic.commitments) == pledges
    assert len(synthetic.evidence) == evidence
    assert len({c.id for c in synthetic.commitments}) == pledges
    assert len({e.id for e in synthetic.evidence}) == evidence


def test_every_row_is_a_valid_model_that_survives_a_round_trip() -> None:
    synthetic = generate(40, 3000, seed=2)
    for c in synthetic.commitments:
        assert Commitment.model_validate(c.model_dump()) == c
    for e in synthetic.evidence:
        assert Evidence.model_validate(e.model_dump()) == e
        assert "Synthetic" in e.summary or e.summary.startswith("Corrected: Synthetic")
    for r in synthetic.retractions:
        assert Retraction.model_validate(r.model_dump()) == r


def test_it_covers_every_kind_speaker_and_the_awkward_cases() -> None:
    synthetic = generate(100, 6000, seed=3)
    rows = synthetic.evidence
    assert set(Counter(e.kind for e in rows)) == set(EvidenceKind)
    assert set(Counter(e.speaks_for for e in rows)) == set(SpeaksFor)
    assert any(e.supersedes for e in rows)
    assert synthetic.retractions
    assert any(e.value is not None for e in rows)
    assert any(c.indicator is not None for c in synthetic.commitments)
    assert any(e.event_date_precision == "month" for e in rows)
    assert len({e.event_date.year for e in rows}) >= 5
    ledger = Ledger.from_models(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    statuses = board_frame(ledger.board(View(as_of=date(2025, 12, 31))))
    flags = ";".join(statuses["flags"])
    for flag in ("contradicted", "reversed", "overdue", "late", "stale"):
        assert flag in flags
    assert set(statuses["stage"]) == {"pledged", "announced", "in_effect", "verified"}


def test_corrections_and_retractions_point_at_earlier_rows_of_the_same_pledge() -> None:
    synthetic = generate(60, 4000, seed=4)
    by_id = {e.id: e for e in synthetic.evidence}
    superseded = [e.supersedes for e in synthetic.evidence if e.supersedes]
    assert len(superseded) == len(set(superseded)), "a row is superseded at most once"
    retracted = {r.evidence_id for r in synthetic.retractions}
    for e in synthetic.evidence:
        if e.supersedes:
            old = by_id[e.supersedes]
            assert old.commitment_id == e.commitment_id
            assert old.recorded_at < e.recorded_at
            assert e.supersedes not in retracted
    for r in synthetic.retractions:
        assert by_id[r.evidence_id].recorded_at < r.recorded_at
    ledger = Ledger.from_models(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    assert ledger.counting_rows() == len(synthetic.evidence) - len(superseded) - len(retracted)


def test_a_loaded_store_reads_back_what_the_models_say(db_url: str) -> None:
    """The store's fast read (cursor or COPY into Arrow) gives the same ledger as the models."""
    store = Store(db_url)
    try:
        rows, retractions = load_synthetic(store, pledges=30, evidence=1500, seed=9)
        synthetic = generate(30, 1500, seed=9)
        assert (rows, retractions) == (1500, len(synthetic.retractions))
        assert store.evidence() == list(synthetic.evidence)
        read = store.ledger()
        held = Ledger.from_models(synthetic.commitments, synthetic.evidence, synthetic.retractions)
        assert len(read) == 1500
        assert read.evidence() == held.evidence() == tuple(synthetic.evidence)
        for view in (View(as_of=date(2021, 3, 1)), View(as_of=date(2025, 12, 31), recorded_on=date(2023, 1, 1))):
            assert read.board(view) == held.board(view)
            assert read.history(view) == held.history(view)
        one = [synthetic.commitments[0].id]
        everything = View(as_of=date(2025, 12, 31))
        assert read.evidence_log(everything, one) == held.evidence_log(everything, one)
    finally:
        store.dispose()


def test_the_command_fills_the_configured_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synth.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "commitments", "synth", "--pledges", "5", "--evidence", "120", "--seed", "3"],
        cwd=PROJECT,
        env={"COMMITMENTS_DB_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "120 evidence rows" in result.stdout
    assert "synth: 120 / 120" in result.stderr
    store = Store(url)
    try:
        assert len(store.commitments()) == 5
        assert len(store.evidence()) == 120
        assert max(e.recorded_at for e in store.evidence()) < datetime(2027, 1, 1)
    finally:
        store.dispose()


def test_the_command_refuses_a_second_load_of_the_same_pledges(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'synth.sqlite3'}"
    command = [sys.executable, "-m", "commitments", "synth", "--pledges", "2", "--evidence", "10"]
    env = {"COMMITMENTS_DB_URL": url, "PATH": "/usr/bin:/bin"}
    assert subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, timeout=120).returncode == 0
    again = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2
    assert "already holds 2 pledge(s)" in again.stderr and "--force" in again.stderr
    assert len(Store(url).evidence()) == 10


def test_the_command_will_not_write_into_the_dashboards_own_database(tmp_path: Path) -> None:
    """Without COMMITMENTS_DB_URL, synth would mix made-up rows into the real catalogue's store."""
    command = [sys.executable, "-m", "commitments", "synth", "--pledges", "2", "--evidence", "10"]
    refused = subprocess.run(
        command,
        cwd=PROJECT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2
    assert "scratch database" in refused.stderr and "Traceback" not in refused.stderr
