"""The ledger: everything the store holds, read once, and every question the screens ask of it.

`Store.ledger()` reads the pledges, the evidence (as columns, see
`commitments.evidence_columns`), retractions and reviews, and hands back a `Ledger`. The
pages, the command line and the exports all ask it the same questions, through typed
methods: the board as of a date, each pledge's history, the evidence log, which rows are
open to correction, where each row stands. There is one status engine behind them
(`commitments.history` applying the rules of `commitments.status`), so no two of them can
disagree. A ledger never changes; a write makes the next read a new one.

Each time axis (what counts as recorded by a date, with or without rows awaiting review)
gets its history derived once and kept; a board for any date on it is a read of that history.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from commitments import explain
from commitments import status as rules
from commitments.evidence_columns import (
    PRECISION_CODES,
    EvidenceColumns,
    day_number,
    from_day_number,
)
from commitments.evidence_row import FILE_COLUMNS, LOG_ONLY_COLUMNS, STORED_COLUMNS, flat, from_stored
from commitments.history import History, columns_roles, derive, first_of_pairs
from commitments.models import (
    Basis,
    Commitment,
    DatePrecision,
    Evidence,
    Flag,
    RecordState,
    Retraction,
    Review,
    ReviewDecision,
    ReviewSubject,
    SourceStrength,
    SpeaksFor,
    Stage,
)
from commitments.status import (
    BASIS_CODES,
    DECISION_CODES,
    DEFAULT_RULES,
    NO_DAY,
    REASON_CODES,
    RECORD_STATE_CODES,
    SPEAKS_FOR_CODES,
    STAGE_CODE,
    STRENGTH_CODES,
    Bools,
    Ints,
    StatusRules,
)

if TYPE_CHECKING:
    import pyarrow as pa

# The evidence log: the evidence file's columns, when each row became known, where it stands.
LOG_COLUMNS: tuple[str, ...] = (*FILE_COLUMNS, *LOG_ONLY_COLUMNS)

K = TypeVar("K")
V = TypeVar("V")

# Python objects in a numpy array.
Objects = npt.NDArray[np.object_]

# The text a board names its rows by (and the summary of those its reasons quote).
NAMING_COLUMNS = ("id", "source_title", "source_publisher", "source_url")


class RowText(Protocol):
    """Where a ledger reads the text of rows: the store (`store.reading.StoreText`), or models."""

    def ids(self) -> list[str]:
        """Every row's id, in store order."""
        ...

    def cells(
        self, names: Sequence[str], seqs: Sequence[int] | None, nonempty: str | None = None
    ) -> dict[int, dict[str, Any]]:
        """{seq: {column: value}} of these rows (None: every row; `nonempty`: only rows where that
        text column is not empty), values as the store keeps them."""
        ...

    def rows(self, names: Sequence[str], seqs: Sequence[int] | None) -> list[tuple[Any, ...]]:
        """(seq, *these columns) of these rows (None: every row), in no particular order, values
        as the store keeps them: many rows in one read."""
        ...


class ModelText:
    """The text of rows held as models (seq 1, 2, ... in order)."""

    def __init__(self, evidence: Sequence[Evidence]):
        self._rows = [flat(e) for e in evidence]

    def ids(self) -> list[str]:
        return [str(r["id"]) for r in self._rows]

    def cells(
        self, names: Sequence[str], seqs: Sequence[int] | None, nonempty: str | None = None
    ) -> dict[int, dict[str, Any]]:
        wanted = range(1, len(self._rows) + 1) if seqs is None else seqs
        return {
            int(s): {n: self._rows[int(s) - 1][n] for n in names}
            for s in wanted
            if 0 < int(s) <= len(self._rows) and (nonempty is None or self._rows[int(s) - 1][nonempty])
        }

    def rows(self, names: Sequence[str], seqs: Sequence[int] | None) -> list[tuple[Any, ...]]:
        count = len(self._rows)
        wanted = range(1, count + 1) if seqs is None else [int(s) for s in seqs if 0 < int(s) <= count]
        return [(s, *(self._rows[s - 1][n] for n in names)) for s in wanted]


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.max.time())


# "What changed this week": the since date a briefing uses unless told otherwise.
WEEK = timedelta(days=7)


def week_before(as_of: date) -> date:
    """The default "changes since" date: seven days before the as-of date."""
    return as_of - WEEK


@dataclass(frozen=True)
class View:
    """Which date to look from, and on which axis."""

    as_of: date
    # When set, only what had been entered by the end of that day counts ("as recorded").
    recorded_on: date | None = None
    rules: StatusRules = DEFAULT_RULES
    # Count rows still waiting for a second person's confirmation.
    include_pending: bool = False

    @property
    def recorded_by(self) -> datetime | None:
        return end_of_day(self.recorded_on) if self.recorded_on else None


@dataclass(frozen=True)
class Credit:
    """A source behind a stage, named for a reader."""

    evidence_id: str
    title: str
    publisher: str
    url: str
    speaks_for: SpeaksFor
    known_on: date
    strength: SourceStrength

    @property
    def name(self) -> str:
        return explain.source_text(self.title, self.publisher)

    # Kept once worked out (a frozen dataclass still has a __dict__ for it): the board's
    # reasons and its CSV each name every credit, about 90,000 on a team board.
    @cached_property
    def cited(self) -> str:
        """The source with its strength: "INCB annual report (INCB; official record)"."""
        return explain.credit_text(self.title, self.publisher, self.strength)


@dataclass(frozen=True)
class StatusAt:
    """Where one pledge stood on one date, without the why: what a change compares against.

    A `PledgeStatus` is one with the why added. A change reads this alone for the date it
    starts from (`Ledger.statuses_at`): the same stage, basis and flags, staleness included,
    straight from the history, with no credits, reasons or row text to build.
    """

    commitment: Commitment
    as_of: date
    stage: Stage
    basis: Basis
    flags: frozenset[Flag]

    @property
    def commitment_id(self) -> str:
        return self.commitment.id

    @property
    def label(self) -> str:
        return explain.status_label(self.stage, self.basis)


@dataclass(frozen=True)
class PledgeStatus(StatusAt):
    """Where one pledge stands on one date, why, and on whose word."""

    stage_since: date
    stage_since_precision: DatePrecision
    last_evidence_on: date | None
    last_evidence_precision: DatePrecision
    evidence_count: int
    claimed_sources: int
    independent_sources: int
    # The independent rows that verified it (empty below verified), one per source.
    verified_by: tuple[Credit, ...]
    # The independent rows behind a stage they do not verify (a report too weak, or not yet in effect).
    reported_by: tuple[Credit, ...]
    # What verifying it would still need ("" when verified, or nothing is in effect yet).
    missing: str
    # Plain-English sentences: why the stage, what is behind it, then each flag.
    reasons: tuple[str, ...]
    # The first reason without its source, for where the source is cited apart (the brief).
    short_why: str
    # The rows that decided it: the one that reached the stage, those that verified it, and
    # those behind each flag.
    evidence_ids: tuple[str, ...]

    @property
    def why(self) -> str:
        return self.reasons[0]

    @property
    def verifiers(self) -> str:
        """Who verified it, shortly: "INCB (official record)", "A, B (sourced report)"; "" if unverified."""
        if not self.verified_by:
            return ""
        names = ", ".join(dict.fromkeys(v.publisher or v.title for v in self.verified_by))
        strengths = ", ".join(dict.fromkeys(v.strength.label for v in self.verified_by))
        return f"{names} ({strengths})"


@dataclass(frozen=True)
class Transition:
    """One change of a pledge's stage, basis or flags, with the rows that became known that day."""

    commitment: Commitment
    on: date
    stage: Stage
    basis: Basis
    flags: frozenset[Flag]
    previous: tuple[Stage, Basis, frozenset[Flag]] | None
    evidence_ids: tuple[str, ...]
    reason: str

    @property
    def commitment_id(self) -> str:
        return self.commitment.id

    @property
    def label(self) -> str:
        return explain.status_label(self.stage, self.basis)


@dataclass(frozen=True)
class Change:
    """What happened to one pledge between two dates: its status before and after, the steps
    in between and the rows behind them, and what else was added or corrected meanwhile."""

    commitment: Commitment
    since: date
    before: StatusAt | None  # None: not yet on record at `since`
    after: PledgeStatus
    transitions: tuple[Transition, ...]  # each change of status in between, oldest first
    new_evidence_ids: tuple[str, ...]  # rows that became known (or, on the recorded axis, were entered) meanwhile
    correction_ids: tuple[str, ...]  # rows corrected or retracted meanwhile (by when that was recorded)

    @property
    def commitment_id(self) -> str:
        return self.commitment.id

    @property
    def status_changed(self) -> bool:
        """Stage, basis or a flag other than staleness (which comes with the calendar) differs."""
        if self.before is None:
            return True
        return _state(self.before) != _state(self.after)

    @property
    def summary(self) -> str:
        """The change in a few words: "pledged → announced (claimed)", "now contradicted",
        "new on record" ("" when only evidence was added)."""
        if self.before is None:
            return "new on record"
        if not self.status_changed:
            return ""
        return explain.transition_sentence(_state(self.before), _state(self.after), [])

    @property
    def evidence_ids(self) -> tuple[str, ...]:
        """The rows that caused the changes of status."""
        return tuple(dict.fromkeys(i for t in self.transitions for i in t.evidence_ids))


def _state(status: StatusAt) -> tuple[Stage, Basis, frozenset[Flag]]:
    return status.stage, status.basis, status.flags - {Flag.STALE}


@dataclass(frozen=True)
class RowState:
    """Where one recorded row stands, and the detail: by which row, the reason, the comment."""

    state: RecordState
    note: str = ""


@dataclass(frozen=True)
class OpenRow:
    """A row that still counts, as the correction and retraction forms list it."""

    evidence_id: str
    commitment_id: str
    event_date: date
    summary: str


@dataclass(frozen=True)
class PledgeVersion:
    """One definition a pledge has had (its wording and its criteria), and when it was recorded."""

    commitment: Commitment
    recorded_at: datetime
    # The definition a database held before it kept versions: in force on every earlier date.
    before_versions: bool = False
    note: str = ""


@dataclass(frozen=True)
class _Read:
    """A history read on a view's date: the pledges on record, aligned arrays."""

    pledge: Ints  # pledge index in the history
    checkpoint: Ints  # the checkpoint in force
    quiet_since: Ints  # the day since which no row became known (the pledge's start, if none)
    stale: Bools


def _read_at(h: History, view: View) -> _Read:
    """Which checkpoint is in force for each pledge on record on the view's date, and whether it
    is stale then (staleness comes with the calendar: no history keeps it)."""
    as_of = day_number(view.as_of)
    at = h.in_force(as_of)
    on_record = np.flatnonzero(at >= 0)
    cp = at[on_record]
    quiet_since = np.where(h.last_known[cp] != NO_DAY, h.last_known[cp], h.start[on_record])
    return _Read(on_record, cp, quiet_since, rules.stale(as_of, quiet_since, view.rules))


@dataclass
class _Axis:
    states: Ints
    counted: Bools
    history: History


@dataclass
class _Memo:
    lock: threading.Lock = field(default_factory=threading.Lock)
    axes: dict[tuple[datetime | None, bool], _Axis] = field(default_factory=dict)
    boards: dict[View, tuple[PledgeStatus, ...]] = field(default_factory=dict)
    changes: dict[tuple[date, View, bool], tuple[Change, ...]] = field(default_factory=dict)
    id_positions: dict[str, int] | None = None

    # Boards and changes are kept per view: a session moving through dates makes many, so
    # the oldest goes once a table holds MOST of them.
    MOST: ClassVar[int] = 16

    def found(self, table: dict[K, V], key: K) -> V | None:
        with self.lock:
            return table.get(key)

    def keep(self, table: dict[K, V], key: K, value: V) -> V:
        with self.lock:
            if len(table) >= self.MOST:
                table.pop(next(iter(table)))
            table[key] = value
        return value


class Ledger:
    """Pledges, evidence, retractions and reviews as read at one moment, and what they say."""

    def __init__(
        self,
        commitments: Sequence[Commitment],
        columns: EvidenceColumns,
        text: RowText,
        retractions: Sequence[Retraction] = (),
        reviews: Sequence[Review] = (),
        retraction_seqs: Sequence[int] | None = None,
        review_seqs: Sequence[int] | None = None,
        versions: Sequence[PledgeVersion] | None = None,
    ):
        """`retraction_seqs` and `review_seqs`: the seq of the row each names (looked up by id if
        not given). `versions`: every definition each pledge has had, oldest first (none given:
        each pledge has had only its current one, always)."""
        self.commitments = tuple(commitments)
        self._versions = (
            tuple(versions)
            if versions is not None
            else tuple(PledgeVersion(c, datetime.min, before_versions=True) for c in self.commitments)
        )
        self.columns = columns
        self.text = text
        self.retractions = tuple(retractions)
        self.reviews = tuple(reviews)
        self._by_id = {c.id: c for c in self.commitments}
        self._memo = _Memo()
        self._retraction_rows = self._rows_named(self.retractions, retraction_seqs)
        self._review_rows = self._rows_named(self.reviews, review_seqs)

    @classmethod
    def from_models(
        cls,
        commitments: Sequence[Commitment],
        evidence: Sequence[Evidence],
        retractions: Sequence[Retraction] = (),
        reviews: Sequence[Review] = (),
    ) -> Ledger:
        """A ledger of rows held as models (tests, a catalogue not yet in a store)."""
        evidence = tuple(evidence)
        columns = EvidenceColumns.from_models(evidence, [c.id for c in commitments])
        return cls(commitments, columns, ModelText(evidence), retractions, reviews)

    def __len__(self) -> int:
        return len(self.columns)

    def commitment(self, commitment_id: str) -> Commitment | None:
        return self._by_id.get(commitment_id)

    def versions(self, commitment_id: str) -> tuple[PledgeVersion, ...]:
        """Every definition this pledge has had, oldest first."""
        return tuple(v for v in self._versions if v.commitment.id == commitment_id)

    def commitments_for(self, recorded_by: datetime | None) -> tuple[Commitment, ...]:
        """The pledges as defined at `recorded_by` (None: now), in catalogue order; a pledge
        not yet entered by then is left out."""
        if recorded_by is None:
            return self.commitments
        in_force: dict[str, Commitment] = {}
        for version in self._versions:
            if version.before_versions or version.recorded_at <= recorded_by:
                in_force[version.commitment.id] = version.commitment
        return tuple(in_force[c.id] for c in self.commitments if c.id in in_force)

    # -- rows by id, and their text -------------------------------------------------------

    def _rows_named(self, records: Sequence[Retraction | Review], seqs: Sequence[int] | None) -> Ints:
        if seqs is not None:
            return self.columns.positions_of_seqs(list(seqs))
        return self.positions([r.evidence_id for r in records])

    def positions(self, evidence_ids: Iterable[str]) -> Ints:
        """Row positions of these ids (-1 for an id not recorded)."""
        wanted = list(evidence_ids)
        if not wanted:
            return np.zeros(0, dtype=np.int64)
        with self._memo.lock:
            index = self._memo.id_positions
        if index is None:
            index = {evidence_id: i for i, evidence_id in enumerate(self.text.ids())}
            with self._memo.lock:
                self._memo.id_positions = index
        return np.array([index.get(evidence_id, -1) for evidence_id in wanted], dtype=np.int64)

    def ids(self) -> list[str]:
        """Every row's id, in store order."""
        return self.text.ids()

    def cited(self, names: Sequence[str], column: str) -> list[dict[str, Any]]:
        """These text columns of every row whose `column` is not empty (e.g. rows citing a seed file)."""
        return list(self.text.cells(names, None, nonempty=column).values())

    def _cells(self, positions: Iterable[int], names: Sequence[str]) -> dict[int, dict[str, Any]]:
        """{position: {column: value}} of these rows' text."""
        wanted = sorted({int(p) for p in positions if int(p) >= 0})
        if not wanted:
            return {}
        seqs = self.columns.seq[wanted]
        every = len(wanted) == len(self.columns)
        found = self.text.cells(names, None if every else seqs.tolist())
        return {p: found[int(s)] for p, s in zip(wanted, seqs.tolist(), strict=True) if int(s) in found}

    def _ids(self, positions: Ints) -> list[str]:
        cells = self._cells(positions.tolist(), ("id",))
        return [str(cells[int(p)]["id"]) for p in positions.tolist()]

    def _text_values(self, positions: Ints, names: Sequence[str]) -> list[tuple[Any, ...]]:
        """These text columns of the rows at these positions, in their order, values as the store
        keeps them: one read, whatever the number of rows."""
        if not len(positions):
            return [() for _ in names]
        wanted = self.columns.seq[positions]
        distinct = np.unique(wanted)
        # Most of the store: reading every row beats tens of thousands of numbers in IN lists.
        every = 2 * len(distinct) > len(self.columns)
        # A Python object per cell, in their millions, and a tuple per row: they would set off
        # the cycle collector again and again, each time walking all of them. None of them can
        # be part of a cycle, so it waits until the rows are gone.
        with _collector_paused():
            found = self.text.rows(names, None if every else distinct.tolist())
            seqs = np.fromiter((row[0] for row in found), dtype=np.int64, count=len(found))
            order = np.argsort(seqs, kind="stable")
            take = order[np.minimum(np.searchsorted(seqs, wanted, sorter=order), len(seqs) - 1)] if found else wanted
            if not found or (seqs[take] != wanted).any():
                raise LookupError("the store holds no text for some evidence rows the ledger has")
            # Rows in the order asked for first (a pointer each), then their cells column by column.
            columns = list(zip(*[found[i] for i in take.tolist()], strict=True))[1:]
            del found  # before the collector runs again: a hundred thousand rows it need not walk
        return columns

    # -- which rows count -----------------------------------------------------------------

    def _axis(self, recorded_by: datetime | None, include_pending: bool) -> _Axis:
        key = (recorded_by, include_pending)
        with self._memo.lock:
            found = self._memo.axes.get(key)
        if found is not None:
            return found
        states = self._states(recorded_by, include_pending)
        counted = rules.counts(states, include_pending)
        axis = _Axis(states, counted, derive(self.columns, self.commitments_for(recorded_by), counted))
        with self._memo.lock:
            self._memo.axes[key] = axis
        return axis

    def _row_reviews(self) -> Iterable[tuple[Review, int]]:
        """Reviews of rows (not of retractions), with the position of the row each decides on."""
        return (
            (review, position)
            for review, position in zip(self.reviews, self._review_rows.tolist(), strict=True)
            if review.subject is ReviewSubject.EVIDENCE
        )

    def _retraction_decisions(self, recorded_by: datetime | None) -> list[ReviewDecision | None]:
        """For each retraction, the latest decision on it known at `recorded_by` (None: none).

        A review of a retraction decides on the row's latest retraction recorded before it.
        """
        decisions: list[ReviewDecision | None] = [None] * len(self.retractions)
        for review in self.reviews:
            if review.subject is not ReviewSubject.RETRACTION or (recorded_by and review.reviewed_at > recorded_by):
                continue
            earlier = [
                i
                for i, r in enumerate(self.retractions)
                if r.evidence_id == review.evidence_id and r.recorded_at <= review.reviewed_at
            ]
            if earlier:
                decisions[earlier[-1]] = review.decision
        return decisions

    def _retraction_counts(self, i: int, decision: ReviewDecision | None, include_pending: bool) -> bool:
        """Whether a retraction withdraws its row: it needs no review, or was confirmed (or waits, if asked)."""
        if not self.retractions[i].needs_review:
            return True
        return decision is ReviewDecision.CONFIRMED or (decision is None and include_pending)

    def _states(self, recorded_by: datetime | None, include_pending: bool) -> Ints:
        c = self.columns
        entered = c.entered_by(recorded_by)
        decision = np.zeros(len(c), dtype=np.int64)
        for position, review in _latest_reviews(self._row_reviews(), recorded_by).items():
            if position >= 0:
                decision[position] = rules.code_of(DECISION_CODES, review.decision)
        retracted = np.zeros(len(c), dtype=bool)
        decisions = self._retraction_decisions(recorded_by)
        for i, (retraction, position) in enumerate(zip(self.retractions, self._retraction_rows.tolist(), strict=True)):
            if position < 0 or (recorded_by is not None and retraction.recorded_at > recorded_by):
                continue
            if self._retraction_counts(i, decisions[i], include_pending):
                retracted[position] = True
        return rules.record_states(entered, c.needs_review, decision, retracted, c.supersedes, include_pending)

    def _pending_retraction_indices(self) -> list[int]:
        """Which retractions (their index in `self.retractions`) wait for a review nobody has
        given yet: the latest of a row's, recorded under review, undecided."""
        decisions = self._retraction_decisions(None)
        latest = {r.evidence_id: i for i, r in enumerate(self.retractions)}
        return [
            i
            for i, r in enumerate(self.retractions)
            if r.needs_review and decisions[i] is None and latest[r.evidence_id] == i
        ]

    def pending_retractions(self) -> tuple[Retraction, ...]:
        """Retractions recorded under review that nobody has decided on yet, oldest first."""
        return tuple(self.retractions[i] for i in self._pending_retraction_indices())

    def row_states(self, recorded_by: datetime | None = None, include_pending: bool = False) -> list[RowState | None]:
        """Where every row stands (None: not yet entered by `recorded_by`), in store order."""
        states = self._axis(recorded_by, include_pending).states
        entered = np.flatnonzero(states >= 0)
        notes = self._state_notes(entered, states[entered], recorded_by).tolist()
        out: list[RowState | None] = [None] * len(states)
        for position, code, note in zip(entered.tolist(), states[entered].tolist(), notes, strict=True):
            out[position] = RowState(RECORD_STATE_CODES[code], note)
        return out

    def state_of(
        self, evidence_id: str, recorded_by: datetime | None = None, include_pending: bool = False
    ) -> RowState | None:
        """Where one row stands (None: no such row, or not yet entered by `recorded_by`)."""
        position = int(self.positions([evidence_id])[0])
        if position < 0:
            return None
        code = int(self._axis(recorded_by, include_pending).states[position])
        if code < 0:
            return None
        note = self._state_notes(np.array([position]), np.array([code]), recorded_by)[0]
        return RowState(RECORD_STATE_CODES[code], str(note))

    def ids_in(self, *wanted: RecordState) -> tuple[str, ...]:
        """The ids of the rows now in one of these states, in store order."""
        states = self._axis(None, False).states
        codes = [rules.code_of(RECORD_STATE_CODES, s) for s in wanted]
        return tuple(self._ids(np.flatnonzero(np.isin(states, codes))))

    def _state_notes(self, positions: Ints, codes: Ints, recorded_by: datetime | None) -> Objects:
        """The detail of each row's state (`codes`: RECORD_STATE_CODES), as known at `recorded_by`:
        by which row it was superseded, why it was retracted, the comment it was sent back
        with, or, for a row that counts, the retraction of it awaiting review ("" for none).
        For many rows at once: each kind of detail is looked up once, for the rows in that state."""
        c = self.columns
        notes: Objects = np.full(len(positions), "", dtype=object)

        def known(at: datetime) -> bool:
            return recorded_by is None or at <= recorded_by

        def rows_in(state: RecordState) -> tuple[Ints, list[int]]:
            at = np.flatnonzero(codes == rules.code_of(RECORD_STATE_CODES, state))
            return at, positions[at].tolist()

        at, rows = rows_in(RecordState.RETRACTED)
        if len(at):
            # The latest retraction of each row known by then.
            reasons = {
                p: r.reason
                for r, p in zip(self.retractions, self._retraction_rows.tolist(), strict=True)
                if p >= 0 and known(r.recorded_at)
            }
            notes[at] = [reasons.get(p, "") for p in rows]
        at, rows = rows_in(RecordState.ACTIVE)
        if len(at):
            waiting = {
                int(self._retraction_rows[i]): f"a retraction awaits review: {self.retractions[i].reason}"
                for i in self._pending_retraction_indices()
                if known(self.retractions[i].recorded_at)
            }
            if waiting:
                notes[at] = [waiting.get(p, "") for p in rows]
        at, rows = rows_in(RecordState.SENT_BACK)
        if len(at):
            latest = _latest_reviews(self._row_reviews(), recorded_by)
            notes[at] = [latest[p].comment if p in latest else "" for p in rows]
        at, rows = rows_in(RecordState.SUPERSEDED)
        if len(at):
            # The last correction of each row entered by then names it.
            correcting = np.flatnonzero((c.supersedes >= 0) & c.entered_by(recorded_by))
            by = dict(zip(c.supersedes[correcting].tolist(), correcting.tolist(), strict=True))
            named = [(i, by[p]) for i, p in zip(at.tolist(), rows, strict=True) if p in by]
            if named:
                ids = self._ids(np.array([b for _, b in named], dtype=np.int64))
                notes[[i for i, _ in named]] = ids
        return notes

    def counting_rows(self) -> int:
        """How many rows count now (neither superseded, retracted nor awaiting review)."""
        return int(self._axis(None, False).counted.sum())

    @property
    def awaits_review(self) -> bool:
        """Whether any row was recorded under review (the pending toggle is offered only then)."""
        return bool(self.columns.needs_review.any())

    # -- the board --------------------------------------------------------------------------

    def board(self, view: View) -> tuple[PledgeStatus, ...]:
        """The status of every pledge on record by the view's date, in catalogue order."""
        found = self._memo.found(self._memo.boards, view)
        if found is not None:
            return found
        axis = self._axis(view.recorded_by, view.include_pending)
        # Tens of thousands of statuses, credits and sentences, none in a cycle: the collector
        # would walk the ones made so far again and again while they are made. Paused, it
        # walks them a few times after (in whatever runs next): about 0.1 s less in all at
        # 10,000 pledges, and 0.3 s less before the board is there.
        with _collector_paused():
            statuses = tuple(self._statuses(axis, view))
        return self._memo.keep(self._memo.boards, view, statuses)

    def status(self, commitment_id: str, view: View) -> PledgeStatus | None:
        return next((s for s in self.board(view) if s.commitment_id == commitment_id), None)

    def statuses_at(self, view: View) -> tuple[StatusAt, ...]:
        """The stage, basis and flags of every pledge on record by the view's date, in catalogue
        order: the board without its reasons and sources, read from the history alone."""
        h = self._axis(view.recorded_by, view.include_pending).history
        read = _read_at(h, view)
        # A few codes name every pledge's state: each becomes enums and flags once.
        codes = zip(
            h.stage[read.checkpoint].tolist(),
            h.basis[read.checkpoint].tolist(),
            h.flags[read.checkpoint].tolist(),
            read.stale.tolist(),
            strict=True,
        )
        states: dict[tuple[int, int, int, bool], tuple[Stage, Basis, frozenset[Flag]]] = {}
        out = []
        for p, key in zip(read.pledge.tolist(), codes, strict=True):
            state = states.get(key)
            if state is None:
                stage, basis, bits, stale = key
                flags = rules.flags_of(bits) | ({Flag.STALE} if stale else frozenset())
                state = states[key] = (Stage(stage), BASIS_CODES[basis], flags)
            out.append(StatusAt(h.pledges[p], view.as_of, *state))
        return tuple(out)

    def _statuses(self, axis: _Axis, view: View) -> list[PledgeStatus]:
        h = axis.history
        read = _read_at(h, view)
        on_record, cp, quiet_since, stale = read.pledge, read.checkpoint, read.quiet_since, read.stale
        c = self.columns

        def position(row: int) -> int:
            return int(h.rows[row]) if row >= 0 else -1

        # First the rows each status names, so that their text is read in one go.
        credited = self._independent_rows(h, read)
        flag_rows = {
            int(i): [position(int(h.against_row[i])), position(int(h.reversal_row[i])), position(int(h.gap_row[i]))]
            for i in cp.tolist()
        }
        replies = self._replies(axis.counted)
        # The rows a reason quotes (what reached the stage, what flags it, the replies to those)
        # need their summary too; the sources credited, ninety thousand on a team board, not.
        quoted = {position(int(h.since_row[i])) for i in cp.tolist()}
        quoted |= {p for rows in flag_rows.values() for p in rows}
        quoted |= {r for p in quoted if p in replies for r in replies[p]}
        named = quoted | {v for strong, weak in credited.values() for v in (*strong, *weak)}
        text = self._cells(named, NAMING_COLUMNS)
        for p, cells in self._cells(quoted, ("summary",)).items():
            text[p]["summary"] = cells["summary"]

        credit = self._credits([v for strong, weak in credited.values() for v in (*strong, *weak)], text)

        def cited(p: int) -> tuple[date, str, str]:
            return (
                from_day_number(int(c.known[p])),
                str(text[p]["summary"]),
                explain.source_text(str(text[p]["source_title"]), str(text[p]["source_publisher"] or "")),
            )

        out = []
        for k, (p, i) in enumerate(zip(on_record.tolist(), cp.tolist(), strict=True)):
            commitment = h.pledges[p]
            stage = Stage(int(h.stage[i]))
            basis = BASIS_CODES[int(h.basis[i])]
            flags = set(rules.flags_of(int(h.flags[i])))
            ids: list[str] = []
            since_precision = commitment.pledged_on_precision if stage is Stage.PLEDGED else DatePrecision.DAY
            source, speaks_for = "", None
            decided_by = position(int(h.since_row[i]))
            if decided_by >= 0:
                ids.append(str(text[decided_by]["id"]))
                since_precision = PRECISION_CODES[int(c.known_precision[decided_by])]
                source = cited(decided_by)[2]
                speaks_for = SPEAKS_FOR_CODES[int(c.speaks_for[decided_by])]
            count = int(h.count[i])
            since = from_day_number(int(h.since[i]))
            strong, weak = credited.get(i, ([], []))
            verified_by = tuple(credit[v] for v in strong) if stage is Stage.VERIFIED else ()
            reported_by = tuple(credit[v] for v in (weak if stage is Stage.VERIFIED else strong + weak))
            missing = ""
            if stage is Stage.IN_EFFECT:
                missing = explain.verification_gap(reported_by, commitment)
            reasons = [
                explain.stage_sentence(stage, basis, since, since_precision, commitment, source, speaks_for, count)
            ]
            short_why = explain.stage_sentence(stage, basis, since, since_precision, commitment, "", speaks_for, count)
            if verified_by:
                reasons.append(explain.verified_sentence([v.cited for v in verified_by]))
            if missing:
                reasons.append(missing)
            if stage is not Stage.PLEDGED:
                reasons.append(
                    explain.sources_sentence(int(h.claimed_sources[i]), int(h.independent_sources[i]), commitment)
                )
            ids += [v.evidence_id for v in verified_by]
            against, reversal, gap = flag_rows[i]
            if Flag.CONTRADICTED in flags:
                ids.append(str(text[against]["id"]))
                support = int(h.support_day[i])
                reasons.append(
                    explain.contradicted_sentence(
                        *cited(against),
                        from_day_number(support) if support != NO_DAY else None,
                        REASON_CODES[int(c.reason[against])],
                    )
                )
                for reply in replies.get(against, []):
                    reasons.append(explain.reply_sentence(*cited(reply), commitment))
                    ids.append(str(text[reply]["id"]))
            if Flag.REVERSED in flags:
                ids.append(str(text[reversal]["id"]))
                reasons.append(explain.reversed_sentence(*cited(reversal), REASON_CODES[int(c.reason[reversal])]))
            if flags & {Flag.UNABLE_TO_CONCLUDE, Flag.NO_PUBLIC_DATA}:
                ids.append(str(text[gap]["id"]))
                reasons.append(explain.gap_sentence(*cited(gap), REASON_CODES[int(c.reason[gap])]))
            if Flag.OVERDUE in flags and commitment.due_on:
                reasons.append(explain.overdue_sentence(commitment.due_on))
            if Flag.LATE in flags and commitment.due_on:
                reasons.append(explain.late_sentence(commitment.due_on, from_day_number(int(h.in_effect_day[i]))))
            last = int(h.last_known[i])
            last_precision = commitment.pledged_on_precision
            if last != NO_DAY:
                # Rows are in known_on order: the last counted row is the latest known.
                last_precision = PRECISION_CODES[int(c.known_precision[int(h.rows[int(h.cut[i])])])]
            if stale[k]:
                flags.add(Flag.STALE)
                reasons.append(
                    explain.stale_sentence(
                        from_day_number(int(quiet_since[k])),
                        last_precision,
                        view.rules.stale_after_days,
                        had_evidence=last != NO_DAY,
                    )
                )
            out.append(
                PledgeStatus(
                    commitment=commitment,
                    as_of=view.as_of,
                    stage=stage,
                    basis=basis,
                    flags=frozenset(flags),
                    stage_since=since,
                    stage_since_precision=since_precision,
                    last_evidence_on=from_day_number(last) if last != NO_DAY else None,
                    last_evidence_precision=last_precision if last != NO_DAY else DatePrecision.DAY,
                    evidence_count=count,
                    claimed_sources=int(h.claimed_sources[i]),
                    independent_sources=int(h.independent_sources[i]),
                    verified_by=verified_by,
                    reported_by=reported_by,
                    missing=missing,
                    reasons=tuple(reasons),
                    short_why=short_why,
                    evidence_ids=tuple(dict.fromkeys(ids)),
                )
            )
        return out

    def _credits(self, positions: list[int], text: dict[int, dict[str, Any]]) -> dict[int, Credit]:
        """The Credit of each of these rows, their columns read for all of them at once."""
        c = self.columns
        at = np.array(positions, dtype=np.int64)
        known = c.known[at].astype("datetime64[D]").tolist()  # dates, as from_day_number gives them
        speaks_for = [SPEAKS_FOR_CODES[s] for s in c.speaks_for[at].tolist()]
        strength = [STRENGTH_CODES[s] or SourceStrength.UNATTRIBUTED for s in c.strength[at].tolist()]
        return {
            p: Credit(
                evidence_id=str(text[p]["id"]),
                title=str(text[p]["source_title"]),
                publisher=str(text[p]["source_publisher"] or ""),
                url=str(text[p]["source_url"] or ""),
                speaks_for=who,
                known_on=on,
                strength=how,
            )
            for p, on, who, how in zip(positions, known, speaks_for, strength, strict=True)
        }

    def _replies(self, counted: Bools) -> dict[int, list[int]]:
        """For each row answered by a counting reply, the positions of those replies."""
        replying = np.flatnonzero(counted & (self.columns.replies_to >= 0))
        out: dict[int, list[int]] = {}
        for reply, target in zip(replying.tolist(), self.columns.replies_to[replying].tolist(), strict=True):
            out.setdefault(int(target), []).append(int(reply))
        return out

    def _independent_rows(self, h: History, read: _Read) -> dict[int, tuple[list[int], list[int]]]:
        """For each pledge read past pledged (by its checkpoint): the independent rows behind its
        stage by then (positions), one per source, first first: those strong enough to count
        towards verifying it, and the rest. Every pledge at once, over the history's rows."""
        c = self.columns
        stage = h.stage[read.checkpoint]
        past = stage != STAGE_CODE[Stage.PLEDGED]
        pledges, checkpoints = read.pledge[past], read.checkpoint[past]
        # Per pledge: the last row counted by its checkpoint (-1: none, or not read), and
        # whether the rows behind its stage are those attesting (announced) or in effect.
        last = np.full(len(h.pledges), -1, dtype=np.int64)
        last[pledges] = h.cut[checkpoints]
        announced = np.zeros(len(h.pledges), dtype=bool)
        announced[pledges] = stage[past] == STAGE_CODE[Stage.ANNOUNCED]
        g = h.row_pledge
        roles = columns_roles(c, h.rows)
        behind = np.where(announced[g], roles.attesting, roles.in_effect)
        picked = np.flatnonzero((np.arange(len(h.rows)) <= last[g]) & behind & roles.independent)
        distinct = np.sort(first_of_pairs(g[picked], c.source_codes[h.rows[picked]], picked))
        strong = roles.verifies_alone[distinct] | roles.corroborates[distinct]
        out: dict[int, tuple[list[int], list[int]]] = {int(i): ([], []) for i in checkpoints.tolist()}
        checkpoint_of = dict(zip(pledges.tolist(), checkpoints.tolist(), strict=True))
        for pledge, position, counts in zip(
            g[distinct].tolist(), h.rows[distinct].tolist(), strong.tolist(), strict=True
        ):
            out[checkpoint_of[pledge]][0 if counts else 1].append(position)
        return out

    def rows_behind(self, commitment_id: str, view: View) -> tuple[str, ...]:
        """Every row behind the pledge's stage on the view's date (all attesting rows for
        announced, the in-effect rows for in effect and verified), oldest first."""
        h = self._axis(view.recorded_by, view.include_pending).history
        p = next((i for i, c in enumerate(h.pledges) if c.id == commitment_id), -1)
        if p < 0:
            return ()
        i = int(h.in_force(day_number(view.as_of))[p])
        if i < 0 or Stage(int(h.stage[i])) is Stage.PLEDGED:
            return ()
        c = self.columns
        positions = h.rows[int(h.pledge_rows[p]) : int(h.cut[i]) + 1]
        roles = columns_roles(c, positions)
        mask = roles.attesting if Stage(int(h.stage[i])) is Stage.ANNOUNCED else roles.in_effect
        return tuple(self._ids(positions[mask]))

    # -- changes between two dates ---------------------------------------------------------------

    def changes(self, since: date, view: View, by_recording: bool = False) -> tuple[Change, ...]:
        """Every pledge whose status changed between `since` and the view's date, or that gained
        evidence or corrections meanwhile, in catalogue order.

        On the as-of axis (the default) this reads the one history twice, at `since` and at
        the view's date; the steps between are its transitions. `by_recording` answers "what
        did we learn?" instead: the board as the team had recorded it by the end of `since`
        against the board as recorded by the end of the view's date, both as of that date.
        """
        if by_recording:
            before_view = View(
                as_of=view.as_of, recorded_on=since, rules=view.rules, include_pending=view.include_pending
            )
            after_view = View(
                as_of=view.as_of, recorded_on=view.as_of, rules=view.rules, include_pending=view.include_pending
            )
        else:
            before_view = View(
                as_of=since, recorded_on=view.recorded_on, rules=view.rules, include_pending=view.include_pending
            )
            after_view = view
        key = (since, view, by_recording)
        found = self._memo.found(self._memo.changes, key)
        if found is not None:
            return found
        # Only the stage, basis and flags at `since` are compared and shown: no second full board.
        before = {s.commitment_id: s for s in self.statuses_at(before_view)}
        after = self.board(after_view)
        transitions: dict[str, list[Transition]] = {}
        if not by_recording:
            # Only the window's checkpoints become Transition objects: the board asks for
            # this on every run, and a whole history is thousands of them.
            h = self._axis(view.recorded_by, view.include_pending).history
            in_window = h.changed() & (h.day > day_number(since)) & (h.day <= day_number(view.as_of))
            for t in self._transitions(h, in_window):
                transitions.setdefault(t.commitment_id, []).append(t)
        new_rows, corrected = self._window_rows(since, view, by_recording)
        out = []
        for status in after:
            change = Change(
                commitment=status.commitment,
                since=since,
                before=before.get(status.commitment_id),
                after=status,
                transitions=tuple(transitions.get(status.commitment_id, ())),
                new_evidence_ids=tuple(new_rows.get(status.commitment_id, ())),
                correction_ids=tuple(corrected.get(status.commitment_id, ())),
            )
            if change.status_changed or change.new_evidence_ids or change.correction_ids:
                out.append(change)
        return self._memo.keep(self._memo.changes, key, tuple(out))

    def _window_rows(
        self, since: date, view: View, by_recording: bool
    ) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Per pledge: the rows new in the window, and the rows corrected or retracted in it."""
        c = self.columns
        states = self._axis(view.recorded_by, view.include_pending).states
        entered = states >= 0
        start, end = end_of_day(since), view.recorded_by or end_of_day(view.as_of)
        if by_recording:
            new = entered & (c.recorded > _us(start)) & (c.recorded <= _us(end))
        else:
            new = entered & (c.known > day_number(since)) & (c.known <= day_number(view.as_of))
        corrected = np.zeros(len(c), dtype=bool)
        correcting = np.flatnonzero(
            entered & (c.supersedes >= 0) & (c.recorded > _us(start)) & (c.recorded <= _us(end))
        )
        corrected[c.supersedes[correcting]] = True
        for r, at in zip(self.retractions, self._retraction_rows.tolist(), strict=True):
            if at >= 0 and start < r.recorded_at <= end:
                corrected[at] = True

        def by_pledge(mask: Bools) -> dict[str, list[str]]:
            rows = np.flatnonzero(mask)
            out: dict[str, list[str]] = {}
            for position, evidence_id in zip(rows.tolist(), self._ids(rows), strict=True):
                out.setdefault(c.commitment_ids[int(c.commitment_codes[position])], []).append(evidence_id)
            return out

        return by_pledge(new), by_pledge(corrected)

    # -- history ------------------------------------------------------------------------------

    def history(self, view: View, commitment_ids: Iterable[str] | None = None) -> tuple[Transition, ...]:
        """Every change of stage, basis or flag up to the view's date, pledge by pledge in
        catalogue order, oldest first. Staleness is not a change: it comes with the calendar."""
        h = self._axis(view.recorded_by, view.include_pending).history
        changed = h.changed() & (h.day <= day_number(view.as_of))
        if commitment_ids is not None and len(h.pledges):
            wanted = set(commitment_ids)
            changed &= np.array([c.id in wanted for c in h.pledges], dtype=bool)[h.pledge]
        return self._transitions(h, changed)

    def _transitions(self, h: History, changed: Bools) -> tuple[Transition, ...]:
        """The transitions at the checkpoints `changed` marks: the states of all of them, and
        the ids and summaries of the rows each added, read in one go."""
        checkpoints = np.flatnonzero(changed)
        if not len(checkpoints):
            return ()
        # The rows each added (`History.rows_added`): from after the previous checkpoint's cut.
        pledge = h.pledge[checkpoints]
        before = np.maximum(checkpoints - 1, 0)
        same = (checkpoints > 0) & (h.pledge[before] == pledge)
        begin = np.maximum(np.where(same, h.cut[before], -1) + 1, h.pledge_rows[pledge])
        end = np.maximum(h.cut[checkpoints] + 1, begin)
        added = np.concatenate([h.rows[b:e] for b, e in zip(begin.tolist(), end.tolist(), strict=True)])
        ids, summaries = (list(map(str, v)) for v in self._text_values(added, ("id", "summary")))
        ends = np.cumsum(end - begin).tolist()
        # Each state once: a few codes name every checkpoint's stage, basis and flags.
        states = {
            (stage, basis, bits): (Stage(stage), BASIS_CODES[basis], rules.flags_of(bits))
            for stage, basis, bits in set(zip(h.stage.tolist(), h.basis.tolist(), h.flags.tolist(), strict=True))
        }
        state = [states[key] for key in zip(h.stage.tolist(), h.basis.tolist(), h.flags.tolist(), strict=True)]
        days = h.day[checkpoints].astype("datetime64[D]").tolist()
        out = []
        for k, (i, first, on) in enumerate(zip(checkpoints.tolist(), (~same).tolist(), days, strict=True)):
            now = state[i]
            previous = None if first else state[i - 1]
            start = ends[k - 1] if k else 0
            out.append(
                Transition(
                    commitment=h.pledges[int(pledge[k])],
                    on=on,
                    stage=now[0],
                    basis=now[1],
                    flags=now[2],
                    previous=previous,
                    evidence_ids=tuple(ids[start : ends[k]]),
                    reason=explain.transition_sentence(previous, now, summaries[start : min(ends[k], start + 4)]),
                )
            )
        return tuple(out)

    # -- the evidence log ---------------------------------------------------------------------

    def evidence_log(
        self,
        view: View,
        commitment_ids: Iterable[str] | None = None,
        known_by: date | None = None,
        evidence_ids: Iterable[str] | None = None,
    ) -> list[dict[str, str]]:
        """`evidence_log_table`, one dict of LOG_COLUMNS per row."""
        rows: list[dict[str, str]] = self.evidence_log_table(view, commitment_ids, known_by, evidence_ids).to_pylist()
        return rows

    def evidence_log_table(
        self,
        view: View,
        commitment_ids: Iterable[str] | None = None,
        known_by: date | None = None,
        evidence_ids: Iterable[str] | None = None,
    ) -> pa.Table:
        """Every row entered by the view's recording date and known by its date (or by
        `known_by`; `date.max` for every row), newest event first, with its record state:
        an Arrow table of text in LOG_COLUMNS, each cell as the evidence-log CSV writes it."""
        states = self._axis(view.recorded_by, view.include_pending).states
        c = self.columns
        keep = (states >= 0) & (c.known <= day_number(known_by or view.as_of))
        if commitment_ids is not None:
            keep &= c.of_pledges(set(commitment_ids))
        if evidence_ids is not None:
            wanted = np.zeros(len(c), dtype=bool)
            found = self.positions(evidence_ids)
            wanted[found[found >= 0]] = True
            keep &= wanted
        rows = np.flatnonzero(keep)
        # Newest event first, then newest recording (to the second); ties keep store order.
        seconds = c.recorded[rows] // 1_000_000
        rows = rows[np.lexsort((-seconds, -c.event[rows]))]
        # Arrow (and the pandas it brings) only when a log is asked for: `status` never loads them.
        from commitments import log_table

        codes = states[rows]
        notes = self._state_notes(rows, codes, view.recorded_by).tolist()
        # The stored text is Python objects (millions) only until it is Arrow text; the cycle
        # collector, which would walk every one of them each time it ran, waits till then.
        with _collector_paused():
            stored = dict(zip(_LOG_TEXT_COLUMNS, self._text_values(rows, _LOG_TEXT_COLUMNS), strict=True))
            table = log_table.build(
                stored=stored,
                event=c.event[rows],
                published=c.published[rows],
                recorded=c.recorded[rows],
                known=c.known[rows],
                states=codes,
                notes=notes,
            )
            del stored
        return table

    # -- models, for the few rows a form shows -------------------------------------------------

    def evidence(
        self, commitment_ids: Iterable[str] | None = None, evidence_ids: Iterable[str] | None = None
    ) -> tuple[Evidence, ...]:
        """Validated models of some rows (of these pledges, or with these ids; all if neither), in store order."""
        c = self.columns
        if evidence_ids is not None:
            found = self.positions(evidence_ids)
            rows = np.unique(found[found >= 0])
        elif commitment_ids is not None:
            rows = np.flatnonzero(c.of_pledges(set(commitment_ids)))
        else:
            rows = np.arange(len(c))
        text = self._cells(rows.tolist(), STORED_COLUMNS)
        return tuple(from_stored(text[int(r)]) for r in rows.tolist())

    def row(self, evidence_id: str) -> Evidence | None:
        found = self.evidence(evidence_ids=[evidence_id])
        return found[0] if found else None

    def open_rows(self, commitment_id: str | None = None) -> tuple[OpenRow, ...]:
        """Rows that still count (neither superseded nor retracted), newest event first."""
        c = self.columns
        states = self._axis(None, False).states
        wanted = states == rules.code_of(RECORD_STATE_CODES, RecordState.ACTIVE)
        if commitment_id is not None:
            wanted &= c.of_pledges({commitment_id})
        rows = np.flatnonzero(wanted)
        rows = rows[np.lexsort((-c.recorded[rows], -c.event[rows]))]
        text = self._cells(rows.tolist(), ("id", "summary"))
        return tuple(
            OpenRow(
                str(text[r]["id"]),
                c.commitment_ids[int(c.commitment_codes[r])],
                from_day_number(int(c.event[r])),
                str(text[r]["summary"]),
            )
            for r in rows.tolist()
        )

    def open_row_counts(self) -> dict[str, int]:
        """How many open rows each pledge has, for pledges that have any, in catalogue order."""
        c = self.columns
        states = self._axis(None, False).states
        active = c.commitment_codes[states == rules.code_of(RECORD_STATE_CODES, RecordState.ACTIVE)]
        per_code = np.bincount(active, minlength=len(c.commitment_ids)).tolist()
        counts = {cid: n for cid, n in zip(c.commitment_ids, per_code, strict=True) if n}
        order = [p.id for p in self.commitments]
        return {cid: counts[cid] for cid in [*order, *sorted(set(counts) - set(order))] if cid in counts}

    def correction_ids(self) -> tuple[str, ...]:
        """The rows a corrections log is about: retracted rows, corrections and the rows they replace."""
        c = self.columns
        correcting = np.flatnonzero(c.supersedes >= 0)
        positions = np.unique(np.concatenate([correcting, c.supersedes[correcting]]))
        return tuple(dict.fromkeys([*self._ids(positions), *(r.evidence_id for r in self.retractions)]))


# Log columns written from the engine's own columns (dates, stamps), not from the stored text ...
_LOG_FROM_COLUMNS = ("event_date", "source_published_on", "recorded_at")
# ... and those read from it.
_LOG_TEXT_COLUMNS = tuple(n for n in FILE_COLUMNS if n not in _LOG_FROM_COLUMNS)


def _us(moment: datetime) -> int:
    return int(np.datetime64(moment, "us").astype(np.int64))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (as it was, after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _latest_reviews(reviews: Iterable[tuple[Review, int]], recorded_by: datetime | None) -> dict[int, Review]:
    """The latest review of each reviewed row (by position), as known at `recorded_by`."""
    latest: dict[int, Review] = {}
    for review, position in reviews:
        if recorded_by is not None and review.reviewed_at > recorded_by:
            continue
        if position not in latest or review.reviewed_at >= latest[position].reviewed_at:
            latest[position] = review
    return latest
