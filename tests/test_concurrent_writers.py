"""Several processes writing to one store at once: nothing lost, nothing doubled, no lock errors.

Eight separate processes (spawned, as separate dashboard servers would be) each record
250 rows with 250 separate `add_evidence` calls, all starting together, on an SQLite file
and on PostgreSQL. Every writer must finish without an error reaching it, and the store
must end with exactly the 2,000 rows they made, each once. The time taken is printed
(run with -s to see it), not asserted.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from commitments.models import EvidenceDraft
from commitments.store.store import Store

WRITERS = 8
ROWS_EACH = 250
PLEDGE = "prc-schedule-three-precursors"
RECORDER = "concurrency-test"


def _draft(writer: int, n: int, draft_id: str = "") -> EvidenceDraft:
    return EvidenceDraft.model_validate(
        {
            "id": draft_id,
            "commitment_id": PLEDGE,
            "event_date": date(2024, 2, 1),
            "kind": "statement",
            "speaks_for": "independent",
            "summary": f"writer {writer} row {n}",
            "source": {"title": "Concurrency test"},
        }
    )


def _write_rows(url: str, writer: int, start: Barrier, results: Queue[tuple[int, str]]) -> None:
    """One writer process: ROWS_EACH separate transactions. Reports '' or the error it met."""
    store = Store(url)
    try:
        start.wait(timeout=120)
        for n in range(ROWS_EACH):
            store.add_evidence(_draft(writer, n), recorded_by=f"{RECORDER} {writer}")
        results.put((writer, ""))
    except Exception as exc:
        results.put((writer, f"{type(exc).__name__}: {exc}"))
    finally:
        store.dispose()


def _submit_same(url: str, writer: int, start: Barrier, results: Queue[tuple[int, str]]) -> None:
    """One of several double clicks at once: every process submits the same draft id."""
    store = Store(url)
    try:
        start.wait(timeout=120)
        results.put((writer, store.add_evidence(_draft(0, 0, draft_id="double-click"), recorded_by=RECORDER).id))
    except Exception as exc:
        results.put((writer, f"{type(exc).__name__}: {exc}"))
    finally:
        store.dispose()


def _run_together(target: Callable[..., None], url: str) -> list[str]:
    """Start WRITERS spawned processes that wait for each other, then run `target` at once."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(WRITERS)
    results: Queue[tuple[int, str]] = ctx.Queue()
    processes = [ctx.Process(target=target, args=(url, w, start, results)) for w in range(WRITERS)]
    for process in processes:
        process.start()
    try:
        reported = dict(results.get(timeout=600) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=60)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in processes] == [0] * WRITERS
    return [reported[w] for w in range(WRITERS)]


def test_eight_writers_at_once_record_every_row_exactly_once(store: Store) -> None:
    before = len(store.evidence())
    began = time.perf_counter()
    errors = [e for e in _run_together(_write_rows, store.url) if e]
    took = time.perf_counter() - began
    print(f"\n{store.engine.dialect.name}: {WRITERS} writers x {ROWS_EACH} transactions in {took:.1f} s")

    assert errors == []
    ours = [e for e in store.evidence() if e.recorded_by.startswith(RECORDER)]
    assert len(store.evidence()) - before == WRITERS * ROWS_EACH
    made = Counter(e.summary for e in ours)
    assert made == Counter(f"writer {w} row {n}" for w in range(WRITERS) for n in range(ROWS_EACH))
    assert len({e.id for e in ours}) == WRITERS * ROWS_EACH


def test_a_submission_sent_by_eight_processes_at_once_is_recorded_once(store: Store) -> None:
    before = len(store.evidence())
    results = _run_together(_submit_same, store.url)
    assert results == ["double-click"] * WRITERS
    assert len(store.evidence()) - before == 1
