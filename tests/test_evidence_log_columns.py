"""The evidence log, built a column at a time, is the log built row by row.

`Ledger.evidence_log_table` reads the stored text of every row it lists in one go, writes the
dates and record states for all of them at once, and looks each kind of state's detail up
once. `reference_log` below is the log as the ledger wrote it before: one dict per row, one
`cell_text` per cell, one `_state_note` per row that is not plainly active. The two must give
the same text, cell for cell, on a store holding every record state there is.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from commitments.evidence_columns import EPOCH, from_day_number
from commitments.evidence_row import FILE_COLUMNS, cell_text
from commitments.files.catalog import Catalogue
from commitments.files.export import evidence_log_csv
from commitments.frames import evidence_frame
from commitments.ledger import LOG_COLUMNS, Ledger, View
from commitments.log_table import iso_days, iso_seconds
from commitments.models import RecordState, ReviewSubject
from commitments.status import NO_DAY, RECORD_STATE_CODES
from commitments.store.store import Store
from tests.conftest import team_store
from tests.factories import draft
from tests.test_export_columns import reference_csv

_FROM_COLUMNS = ("event_date", "source_published_on", "recorded_at")
HOSTILE = ['=HYPERLINK("x")', "a, b", 'say "yes"', "line\r\nbreak", "'+1", "-2", "é;ü", "@me", "\tx", "''=x"]


# -- the reference: the log row by row --------------------------------------------------------


def _state_note(ledger: Ledger, ids: list[str], position: int, state: RecordState, recorded_by: datetime | None) -> str:
    """By which row a row was superseded, why it was retracted, the comment it was sent back
    with, the retraction of it awaiting review: one row's, found by walking every record."""

    def known(at: datetime) -> bool:
        return recorded_by is None or at <= recorded_by

    if state is RecordState.RETRACTED:
        found = [r for r in ledger.retractions if r.evidence_id == ids[position] and known(r.recorded_at)]
        return found[-1].reason if found else ""
    if state is RecordState.ACTIVE:
        waiting = [r for r in ledger.pending_retractions() if r.evidence_id == ids[position] and known(r.recorded_at)]
        return f"a retraction awaits review: {waiting[-1].reason}" if waiting else ""
    if state is RecordState.SENT_BACK:
        latest = None
        for review in ledger.reviews:
            about = review.subject is ReviewSubject.EVIDENCE and review.evidence_id == ids[position]
            if about and known(review.reviewed_at) and (latest is None or review.reviewed_at >= latest.reviewed_at):
                latest = review
        return latest.comment if latest is not None else ""
    if state is RecordState.SUPERSEDED:
        c = ledger.columns
        correcting = np.flatnonzero((c.supersedes == position) & c.entered_by(recorded_by))
        return ids[int(correcting[-1])] if len(correcting) else ""
    return ""


def reference_log(
    ledger: Ledger,
    view: View,
    commitment_ids: Iterable[str] | None = None,
    known_by: date | None = None,
    evidence_ids: Iterable[str] | None = None,
) -> list[dict[str, str]]:
    """The evidence log, one row at a time."""
    c = ledger.columns
    states = ledger._axis(view.recorded_by, view.include_pending).states
    ids = ledger.ids()
    names = [n for n in FILE_COLUMNS if n not in _FROM_COLUMNS]
    text = ledger.text.cells(names, None)
    wanted_pledges = set(commitment_ids) if commitment_ids is not None else None
    wanted_rows = set(evidence_ids) if evidence_ids is not None else None
    limit = (known_by or view.as_of) - EPOCH
    keys, out = [], []
    for p in range(len(c)):
        pledge = c.commitment_ids[int(c.commitment_codes[p])]
        if states[p] < 0 or int(c.known[p]) > limit.days:
            continue
        if (wanted_pledges is not None and pledge not in wanted_pledges) or (
            wanted_rows is not None and ids[p] not in wanted_rows
        ):
            continue
        cells = text[int(c.seq[p])]
        state = RECORD_STATE_CODES[int(states[p])]
        record = {name: cell_text(name, cells.get(name)) for name in names}
        record["event_date"] = from_day_number(int(c.event[p])).isoformat()
        record["source_published_on"] = (
            from_day_number(int(c.published[p])).isoformat() if c.published[p] != NO_DAY else ""
        )
        record["recorded_at"] = str(np.datetime64(int(c.recorded[p]) // 1_000_000, "s"))
        record["known_on"] = from_day_number(int(c.known[p])).isoformat()
        record["record_state"] = state.value
        record["record_note"] = _state_note(ledger, ids, p, state, view.recorded_by)
        keys.append((-int(c.event[p]), -(int(c.recorded[p]) // 1_000_000), p))
        out.append({name: record[name] for name in LOG_COLUMNS})
    return [row for _, row in sorted(zip(keys, out, strict=True), key=lambda pair: pair[0])]


# -- a store with every record state -----------------------------------------------------------


@pytest.fixture
def every_state(db_url: str, catalogue: Catalogue) -> Iterator[Store]:
    """The seed catalogue, corrected and retracted, then rows under review: pending, sent back
    (once and twice), confirmed, confirmed then corrected, retracted with and without review,
    retractions awaiting review; text that a spreadsheet would run or a CSV writer must quote."""
    store = team_store(db_url, catalogue)
    rng = random.Random(3)
    start = datetime(2026, 3, 1, 9)
    seeded = store.evidence()
    pledges = [c.id for c in catalogue.commitments]

    def fields(row: Any, **changes: Any) -> Any:
        return draft(**{**row.model_dump(exclude={"id", "recorded_by", "recorded_at", "needs_review"}), **changes})

    for i, row in enumerate(seeded[:3]):
        store.add_evidence(
            fields(row, summary=HOSTILE[i], supersedes=row.id, correction_reason=HOSTILE[i + 1]),
            recorded_by="Ana",
            now=start + timedelta(days=i),
        )
    for i, row in enumerate(seeded[10:12]):
        store.retract(row.id, f"{HOSTILE[i]} reason", recorded_by="Ben", now=start + timedelta(days=5 + i))
    twice = store.add_evidence(fields(seeded[30], summary="retracted twice"), recorded_by="Ana", now=start).id
    waits = store.add_evidence(fields(seeded[31], summary="its retraction waits"), recorded_by="Ana", now=start).id
    # Corrected, the correction retracted (2026-06-05), corrected again.
    twice_corrected = store.add_evidence(fields(seeded[32], summary="corrected twice"), recorded_by="Ana", now=start)
    for on in (datetime(2026, 5, 1), datetime(2026, 6, 10)):
        correction = store.add_evidence(
            fields(twice_corrected, summary=f"fix of {on:%B}", supersedes=twice_corrected.id, correction_reason="x"),
            recorded_by="Ben",
            now=on,
        )
        if on.month == 5:
            store.retract(correction.id, "the fix was wrong", recorded_by="Cai", now=datetime(2026, 6, 5))
    store.set_policy(store.policy.model_copy(update={"require_review": True}), recorded_by="admin")
    rows = [
        store.add_evidence(
            draft(
                commitment_id=rng.choice(pledges),
                event_date=date(2023, 1, 1) + timedelta(days=rng.randrange(1000)),
                event_date_precision=rng.choice(["day", "month", "year"]),
                speaks_for=rng.choice(["committing_party", "independent"]),
                summary=f"{HOSTILE[i % len(HOSTILE)]} {i}",
                quote=HOSTILE[(i + 3) % len(HOSTILE)],
                date_note=HOSTILE[(i + 5) % len(HOSTILE)],
                value=rng.choice([None, 3.0, 0.1 + 0.2, 1e20, -4.5]),
                source={
                    "title": f"{HOSTILE[(i + 1) % len(HOSTILE)]} title",
                    "publisher": rng.choice(["", "Xinhua", "-pub"]),
                    "url": rng.choice(["", "https://example.org/x?a=1,2"]),
                    "published_on": rng.choice([None, date(2026, 1, 5)]),
                },
            ),
            recorded_by="Ana",
            now=start + timedelta(days=20 + i),
        )
        for i in range(32)
    ]
    for i, row in enumerate(rows):
        on = start + timedelta(days=100 + 3 * i)
        kind = i % 8
        if kind == 1:
            store.review(row.id, "returned", reviewer="Ben", comment=f"{HOSTILE[i % len(HOSTILE)]} comment", now=on)
        elif kind == 2:
            store.review(row.id, "confirmed", reviewer="Ben", now=on)
        elif kind == 3:
            store.review(row.id, "returned", reviewer="Ben", comment="first", now=on)
            store.review(row.id, "returned", reviewer="Cai", comment="second", now=on + timedelta(days=40))
        elif kind == 4:  # confirmed, then a retraction awaiting review
            store.review(row.id, "confirmed", reviewer="Ben", now=on)
            store.retract(row.id, f"=retract {i}", recorded_by="Cai", now=on + timedelta(days=1))
        elif kind == 5:  # confirmed, retracted, the retraction confirmed
            store.review(row.id, "confirmed", reviewer="Ben", now=on)
            store.retract(row.id, "confirmed retraction", recorded_by="Cai", now=on + timedelta(days=1))
            store.review(row.id, "confirmed", reviewer="Dee", now=on + timedelta(days=2), subject="retraction")
        elif kind == 6:  # never confirmed, withdrawn
            store.retract(row.id, "withdrawn before review", recorded_by="Cai", now=on)
        elif kind == 7:  # confirmed, then a correction (itself awaiting review)
            store.review(row.id, "confirmed", reviewer="Ben", now=on)
            store.add_evidence(
                fields(row, summary=f"fix {i}", supersedes=row.id, correction_reason="-typo"),
                recorded_by="Cai",
                now=on + timedelta(days=1),
            )
    for i, row in enumerate(seeded[20:23]):
        store.retract(row.id, f"@pending {i}", recorded_by="Ben", now=start + timedelta(days=300 + i))
    # Retracted twice: the first retraction sent back after 2026-06-01, the second confirmed.
    store.retract(twice, "first reason", recorded_by="Ben", now=datetime(2026, 5, 20))
    store.review(twice, "returned", reviewer="Cai", comment="no", now=datetime(2026, 6, 10), subject="retraction")
    store.retract(twice, "second reason", recorded_by="Ben", now=datetime(2026, 6, 15))
    store.review(twice, "confirmed", reviewer="Cai", now=datetime(2026, 6, 20), subject="retraction")
    store.retract(waits, "recorded after 2026-06-01", recorded_by="Ben", now=datetime(2026, 6, 15))
    # Sent back before 2026-06-01, and again after.
    returned = store.add_evidence(fields(seeded[33], summary="sent back twice"), recorded_by="Ana", now=start).id
    store.review(returned, "returned", reviewer="Ben", comment="early comment", now=datetime(2026, 5, 1))
    store.review(returned, "returned", reviewer="Ben", comment="late comment", now=datetime(2026, 6, 20))
    yield store
    store.dispose()


VIEWS = [
    View(as_of=date(2025, 6, 30)),
    View(as_of=date.max),
    View(as_of=date.max, include_pending=True),
    View(as_of=date(2026, 12, 31), recorded_on=date(2026, 6, 1)),
    View(as_of=date.max, recorded_on=date(2026, 6, 1), include_pending=True),
    View(as_of=date(2024, 8, 10), recorded_on=date(2026, 3, 2)),
    View(as_of=date(1990, 1, 1)),
]


def test_the_store_holds_every_record_state(every_state: Store) -> None:
    ledger = every_state.ledger()
    states = {s.state for s in ledger.row_states() if s is not None}
    assert states == set(RecordState)
    assert ledger.pending_retractions()
    notes = {s.state: s.note for s in ledger.row_states() if s is not None and s.note}
    assert set(notes) == {RecordState.ACTIVE, RecordState.SENT_BACK, RecordState.SUPERSEDED, RecordState.RETRACTED}


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_the_log_by_columns_is_the_log_by_rows(every_state: Store, view: View) -> None:
    ledger = every_state.ledger()
    pledges = [c.id for c in ledger.commitments]
    for chosen in (None, pledges[::3], pledges[:1], []):
        expected = reference_log(ledger, view, chosen)
        assert ledger.evidence_log(view, chosen) == expected
        frame = evidence_frame(ledger, view, chosen)
        assert list(frame.columns) == list(LOG_COLUMNS)
        assert frame.to_dict("records") == expected
        assert evidence_log_csv(ledger, view, chosen) == reference_csv(frame).encode("utf-8")
    some = ledger.ids()[::5]
    everything = View(as_of=date.max, recorded_on=view.recorded_on, include_pending=view.include_pending)
    assert ledger.evidence_log(everything, known_by=date.max, evidence_ids=some) == reference_log(
        ledger, everything, known_by=date.max, evidence_ids=some
    )


def test_a_ledger_of_models_writes_the_same_log(every_state: Store) -> None:
    stored = every_state.ledger()
    held = Ledger.from_models(
        stored.commitments, every_state.evidence(), every_state.retractions(), every_state.reviews()
    )
    for view in VIEWS:
        assert held.evidence_log(view) == stored.evidence_log(view) == reference_log(held, view)


def test_row_states_say_what_state_of_says(every_state: Store) -> None:
    ledger = every_state.ledger()
    for recorded_by in (None, datetime(2026, 6, 1, 23, 59)):
        states = ledger.row_states(recorded_by, include_pending=True)
        for evidence_id, found in zip(ledger.ids(), states, strict=True):
            assert ledger.state_of(evidence_id, recorded_by, include_pending=True) == found


def test_dates_and_stamps_are_written_as_isoformat_writes_them() -> None:
    days = [date.min, date(999, 3, 4), date(1969, 12, 31), date(1970, 1, 1), date(2024, 2, 29), date.max]
    numbers = np.array([(d - EPOCH).days for d in days], dtype=np.int64)
    assert iso_days(numbers).to_pylist() == [d.isoformat() for d in days]
    moments = [datetime(1, 1, 1), datetime(1969, 12, 31, 23, 59, 59, 999_999), datetime(2024, 6, 30, 9, 15, 1, 5)]
    moments.append(datetime.max)
    micro = np.array([int(np.datetime64(m, "us").astype(np.int64)) for m in moments], dtype=np.int64)
    assert iso_seconds(micro).to_pylist() == [m.isoformat(timespec="seconds") for m in moments]
