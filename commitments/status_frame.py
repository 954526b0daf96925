"""The status engine's rules, applied to whole columns at once: the fast path for big stores.

`commitments/status.py` folds evidence one row at a time and stays the reference: it is
the one place a reader learns the rules. This module gives the same answers (a property
test, `tests/test_status_frame.py`, checks every field against it on random catalogues)
from the evidence as a DataFrame, with numpy group operations instead of a Python loop
over the rows, so a board of a thousand pledges and a hundred thousand rows takes a
fraction of the time it takes to read those rows from the database.

The rows stay columns: pydantic models are built only for the few rows a screen shows
(`EvidenceTable.models_for`), or all at once, lazily, when a caller iterates them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any, overload

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from commitments.evidence_row import STORED_COLUMNS, flat, from_stored, number_text
from commitments.models import (
    Attestation,
    Basis,
    Commitment,
    DatePrecision,
    Direction,
    Evidence,
    Flag,
    Retraction,
    Review,
    ReviewDecision,
    SpeaksFor,
    Stage,
)
from commitments.status import (
    DEFAULT_RULES,
    StatusRules,
    contradicted_reason,
    late_reason,
    latest_reviews,
    overdue_reason,
    pledged_reason,
    reversed_reason,
    review_decisions,
    sources_reason,
    stale_reason,
)

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

EPOCH = date(1970, 1, 1)
NO_DAY = np.iinfo(np.int64).min  # "no such date" in day-number columns
NEVER = np.iinfo(np.int64).max

ATTESTS_CODE = {None: 0, "": 0, "none": 0, Attestation.ANNOUNCED.value: 1, Attestation.IN_EFFECT.value: 2}
ATTESTS_CODE[Attestation.REVERSED.value] = 3
DIRECTION_CODE = {Direction.SUPPORTS.value: 1, Direction.AGAINST.value: 2, Direction.NEUTRAL.value: 0}
INDEPENDENT_CODE = {s.value: int(s is not SpeaksFor.COMMITTING_PARTY) for s in SpeaksFor}
PRECISION_CODE = {DatePrecision.DAY.value: 0, DatePrecision.MONTH.value: 1, DatePrecision.YEAR.value: 2, None: 0}
STATUS_COLUMNS = (
    "commitment_id",
    "stage",
    "basis",
    "flags",
    "stage_since",
    "last_evidence_on",
    "evidence_count",
    "claimed_sources",
    "independent_sources",
    "reasons",
    "evidence_ids",
)


# summaries.HISTORY_COLUMNS (summaries imports this module, so the names are repeated).
HISTORY_COLUMNS = ("commitment_id", "title", "on", "from_stage", "stage", "basis", "flags", "evidence_ids", "reason")
BASES = (Basis.NONE, Basis.CLAIMED, Basis.INDEPENDENT)
# Staleness is left out of history, as in status.status_history.
FLAG_BITS = {Flag.CONTRADICTED: 1, Flag.REVERSED: 2, Flag.OVERDUE: 4, Flag.LATE: 8}
# Every combination of flags as its sorted names, the way the frames print them.
FLAG_NAMES = [sorted(f.value for f, bit in FLAG_BITS.items() if mask & bit) for mask in range(16)]


def _label(stage: Stage, basis: Basis) -> str:
    """CommitmentStatus.stage_label."""
    if stage in (Stage.ANNOUNCED, Stage.IN_EFFECT) and basis is Basis.CLAIMED:
        return f"{stage.label} (claimed)"
    return stage.label


def day_number(day: date) -> int:
    return (day - EPOCH).days


def from_day_number(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


def _days(column: pd.Series) -> Ints:
    """Dates (date objects, ISO text or datetime64) as day numbers; missing -> NO_DAY."""
    values = column.to_numpy(dtype=object)
    first = next((v for v in values if v is not None and v == v), None)  # stops at the first date
    if isinstance(first, str):
        # SQLite gives ISO text: Arrow parses it in C, a little faster than pandas.
        try:
            parsed = pc.cast(pa.array(values, type=pa.string(), from_pandas=True), pa.date32())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
        else:
            numbers: Ints = pc.fill_null(parsed.cast(pa.int32()), 0).to_numpy().astype(np.int64)
            numbers[parsed.is_null().to_numpy(zero_copy_only=False)] = NO_DAY
            return numbers
    dates = _timestamps(column).to_numpy(dtype="datetime64[D]")
    out = dates.astype(np.int64)  # NaT is the smallest int64, i.e. NO_DAY
    out[np.isnat(dates)] = NO_DAY
    return out


def _timestamps(column: pd.Series) -> pd.Series:
    """Dates or datetimes as the store's drivers give them (ISO text on SQLite, objects elsewhere)."""
    values = column.to_numpy(dtype=object)
    first = next((v for v in values if v is not None and v == v), None)  # stops at the first date
    if isinstance(first, str):
        return pd.Series(pd.to_datetime(values, format="ISO8601"))
    return pd.Series(pd.to_datetime(values))


def _period_end(days: Ints, precision: Ints) -> Ints:
    """The last day of each row's period (the day itself, its month or its year: PRECISION_CODE)."""
    out = days.copy()
    for code, unit in ((1, "M"), (2, "Y")):
        rows = np.flatnonzero(precision == code)
        if len(rows):
            periods = days[rows].astype("datetime64[D]").astype(f"datetime64[{unit}]")
            out[rows] = ((periods + 1).astype("datetime64[D]") - 1).astype(np.int64)
    return out


def _text(column: pd.Series, nullable: bool = False) -> npt.NDArray[np.object_]:
    """A text column as an object array; a nullable one gets "" for missing values."""
    values = column.to_numpy(dtype=object, copy=nullable)
    if nullable:
        values[pd.isna(values)] = ""
    return values


def _codes(column: pd.Series, mapping: dict[Any, int]) -> Ints:
    """A column of few distinct values (enum values, None) as small integers.

    One dict lookup per cell, in C: comparing an object array with each value in turn
    costs several times more, most of all where cells are None. `mapping` names every
    value the models allow; anything else (never written by the store) reads as 0.
    """
    values = column.to_numpy(dtype=object)
    try:
        return np.fromiter(map(mapping.__getitem__, values), dtype=np.int64, count=len(values))
    except (KeyError, TypeError):
        return np.fromiter((mapping.get(v, 0) for v in values), dtype=np.int64, count=len(values))


def _factorize(values: npt.NDArray[np.object_]) -> tuple[Ints, list[Any]]:
    """Codes and distinct values of a text column (as pd.factorize), hashed by Arrow in C."""
    try:
        encoded = pa.array(values, type=pa.string()).dictionary_encode()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64), list(uniques)
    indices = encoded.indices
    if indices.null_count:
        indices = pc.fill_null(indices, -1)
    return indices.to_numpy().astype(np.int64), encoded.dictionary.to_pylist()


def _flags(column: pd.Series) -> Bools:
    """A boolean column as the drivers give it (0/1 on SQLite, bool on PostgreSQL, maybe None)."""
    values = column.to_numpy(dtype=object)
    flags: Bools = values == 1  # True == 1 too
    return flags


def _source_codes(
    url: npt.NDArray[np.object_], publisher: npt.NDArray[np.object_], title: npt.NDArray[np.object_]
) -> Ints:
    """Source.key (the URL, else publisher|title, case-folded) as one integer per distinct source.

    Sources repeat: the text is grouped first and case-folded once per distinct value.
    """
    keys = url.copy()
    no_url = url == ""
    keys[no_url] = publisher[no_url] + "|" + title[no_url]
    raw_codes, raw_keys = _factorize(keys)
    folded_codes = pd.factorize(np.array([str(k).casefold() for k in raw_keys], dtype=object))[0]
    return np.asarray(folded_codes, dtype=np.int64)[raw_codes] if len(raw_codes) else np.zeros(0, np.int64)


def _reference_order(codes: Ints, known: Ints, recorded: npt.NDArray[np.datetime64]) -> Ints:
    """Row positions by pledge, then known_on, then recording time (ties left as read).

    Pledge and day share one sort key (codes are small, days fit in 32 bits), which
    saves one of lexsort's passes.
    """
    if not len(codes):
        return np.zeros(0, np.int64)
    low = int(known.min())
    span = int(known.max()) - low + 1
    if span * (int(codes.max()) + 1) < 2**62:
        return np.lexsort((recorded, codes * span + (known - low))).astype(np.int64)
    return np.lexsort((recorded, known, codes)).astype(np.int64)


def log_columns() -> list[str]:
    """The evidence log's columns: the evidence file's, then when each row became known and its state."""
    from commitments.files.evidence_csv import EVIDENCE_COLUMNS

    return [*EVIDENCE_COLUMNS, "known_on", "record_state"]


def _iso_seconds(stamps: npt.NDArray[np.datetime64]) -> npt.NDArray[np.object_]:
    """Timestamps as ISO text to the second ("2024-03-09T16:25:28").

    Printed as a day and a time of day, each distinct one once: stamps are nearly all
    different, but their days and their times of day repeat.
    """
    seconds = stamps.astype("datetime64[s]").astype(np.int64)
    days, time_of_day = np.divmod(seconds, 86_400)
    day_values, day_index = np.unique(days, return_inverse=True)
    day_text = np.datetime_as_string(day_values.astype("datetime64[D]")).astype(object)
    time_values, time_index = np.unique(time_of_day, return_inverse=True)
    time_text = np.array(
        [f"T{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}" for t in time_values.tolist()], dtype=object
    )
    out: npt.NDArray[np.object_] = day_text[day_index] + time_text[time_index]
    return out


class EvidenceTable:
    """Evidence rows and retractions as columns, prepared once per read of the store.

    Immutable after construction; boards are remembered per view, so a page that asks
    twice for the same date pays once.
    """

    def __init__(self, frame: pd.DataFrame, retractions: Sequence[Retraction] = (), reviews: Sequence[Review] = ()):
        self.frame = frame.reset_index(drop=True)
        self.retractions = tuple(retractions)
        self.reviews = tuple(reviews)
        f = self.frame
        # Stores from before second-person review have no such column: nothing awaits review.
        self.needs_review: Bools = _flags(f["needs_review"]) if "needs_review" in f else np.zeros(len(f), bool)
        # Plain object arrays throughout: pandas' string inference would cost more than
        # the whole status derivation.
        self.ids = _text(f["id"])
        self.commitment_codes, uniques = _factorize(_text(f["commitment_id"]))
        self.commitment_ids: list[str] = [str(u) for u in uniques]
        self.event = event = _days(f["event_date"])
        self.published = published = _days(f["source_published_on"])
        effective = _period_end(event, _codes(f["event_date_precision"], PRECISION_CODE))
        # The "as of" axis: done and public (models.EvidenceDraft.known_on).
        self.known: Ints = np.where(published == NO_DAY, effective, np.maximum(effective, published))
        self.recorded: npt.NDArray[np.datetime64] = _timestamps(f["recorded_at"]).to_numpy(dtype="datetime64[us]")
        self.attests: Ints = _codes(f["attests"], ATTESTS_CODE)
        self.direction: Ints = _codes(f["direction"], DIRECTION_CODE)
        self.independent: Bools = _codes(f["speaks_for"], INDEPENDENT_CODE) == 1
        self.source_codes: Ints = _source_codes(
            _text(f["source_url"]), _text(f["source_publisher"]), _text(f["source_title"])
        )
        # Arrow hashes the few ids looked up and scans all of them in C: building a hash
        # index of every id, as pandas would, costs twice as much.
        self._ids_arrow = pa.array(self.ids, type=pa.string())
        supersedes = _text(f["supersedes"])
        corrections = np.flatnonzero(supersedes != "")
        self.supersedes_pos: Ints = np.full(len(f), -1, dtype=np.int64)
        self.supersedes_pos[corrections] = self.positions(supersedes[corrections])
        self.retracted_pos: Ints = self.positions([r.evidence_id for r in self.retractions])
        self.summaries = _text(f["summary"])
        self.retracted_at = np.array([r.recorded_at for r in self.retractions], dtype="datetime64[us]")
        # The reference engine's order within a pledge: known_on, then recording time, then id.
        order = _reference_order(self.commitment_codes, self.known, self.recorded)
        codes, days, stamps = self.commitment_codes[order], self.known[order], self.recorded[order]
        tied = (codes[1:] == codes[:-1]) & (days[1:] == days[:-1]) & (stamps[1:] == stamps[:-1])
        if tied.any():
            # Rows of one pledge, day and recording stamp (an import): the id decides, as in
            # the reference. Only those runs are re-sorted, each staying where it is.
            in_run = np.zeros(len(order), dtype=bool)
            in_run[1:] |= tied
            in_run[:-1] |= tied
            positions = np.flatnonzero(in_run)
            run_start = np.ones(len(order), dtype=bool)
            run_start[1:] = ~tied
            run = np.cumsum(run_start)[positions]
            id_rank = pd.factorize(self.ids[order[positions]], sort=True)[0]
            order[positions] = order[positions][np.lexsort((id_rank, run))]
        self.order: Ints = order.astype(np.int64)
        self._memo: dict[tuple[Any, ...], tuple[object, pd.DataFrame]] = {}
        self._models: tuple[Evidence, ...] | None = None

    @classmethod
    def from_models(
        cls, evidence: Iterable[Evidence], retractions: Sequence[Retraction] = (), reviews: Sequence[Review] = ()
    ) -> EvidenceTable:
        """The same columns the store gives, built from models (tests, small catalogues)."""
        records = [flat(e) for e in evidence]
        return cls(pd.DataFrame(records, columns=list(STORED_COLUMNS)), retractions, reviews)

    def __len__(self) -> int:
        return len(self.frame)

    def of_pledges(self, commitment_ids: Iterable[str]) -> Bools:
        """Which rows are about one of these pledges."""
        wanted = set(commitment_ids)
        codes = [i for i, cid in enumerate(self.commitment_ids) if cid in wanted]
        found: Bools = np.isin(self.commitment_codes, codes)
        return found

    def positions(self, evidence_ids: Iterable[str]) -> Ints:
        """Row positions of these ids (-1 for an id not in the table)."""
        wanted = np.array(list(evidence_ids), dtype=object)
        if not len(wanted):
            return np.zeros(0, dtype=np.int64)
        codes, keys = pd.factorize(wanted)
        found = pc.index_in(self._ids_arrow, value_set=pa.array(keys, type=pa.string()))
        rows = np.flatnonzero(found.is_valid().to_numpy(zero_copy_only=False))
        key_rows = np.full(len(keys) + 1, -1, dtype=np.int64)  # the extra slot answers code -1 (None)
        key_rows[found.take(pa.array(rows)).to_numpy(zero_copy_only=False).astype(np.int64)] = rows
        return key_rows[codes]

    # -- which rows count ---------------------------------------------------------------

    def active(self, recorded_by: datetime | None = None, include_pending: bool = False) -> Bools:
        """`status.active_evidence` as a mask: entered by then, neither retracted nor superseded,
        and confirmed if recorded under review (or still pending, if asked for)."""
        alive = self._entered(recorded_by)
        if self.needs_review.any():
            # Reviews are few; the reference's own reading of them is the one rule there is.
            decisions = review_decisions(self.reviews, recorded_by)
            decided = self.positions(list(decisions))
            confirmed = np.zeros(len(self), dtype=bool)
            undecided = np.ones(len(self), dtype=bool)
            for position, decision in zip(decided.tolist(), decisions.values(), strict=True):
                if position >= 0:
                    undecided[position] = False
                    confirmed[position] = decision is ReviewDecision.CONFIRMED
            allowed = confirmed | undecided if include_pending else confirmed
            alive &= ~(self.needs_review & ~allowed)
        retracted = self.retracted_pos >= 0
        if recorded_by is not None:
            retracted &= self.retracted_at <= np.datetime64(recorded_by, "us")
        alive[self.retracted_pos[retracted]] = False
        # Only corrections that still count supersede (as in status.active_evidence).
        superseded = np.zeros(len(self), dtype=bool)
        corrections = alive & (self.supersedes_pos >= 0)
        superseded[self.supersedes_pos[corrections]] = True
        return alive & ~superseded

    # -- the board ----------------------------------------------------------------------

    def board(
        self,
        commitments: Sequence[Commitment],
        as_of: date,
        *,
        recorded_by: datetime | None = None,
        include_pending: bool = False,
        rules: StatusRules = DEFAULT_RULES,
    ) -> pd.DataFrame:
        """`status.board_as_of` as a DataFrame, one row per pledge in catalogue order.

        Columns are STATUS_COLUMNS with the models' types (Stage, Basis, frozenset of
        Flag, dates, tuples). Remembered per (commitments, date, axis, rules).
        """
        key = ("board", id(commitments), as_of, recorded_by, include_pending, rules)
        return self._remember(
            key, commitments, lambda: self._board(commitments, as_of, recorded_by, include_pending, rules)
        )

    def _remember(self, key: tuple[Any, ...], owner: object, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        """`compute()` once per key; callers get copies, so none can change what others see.

        `owner` is an object whose id() is part of the key: it is kept alive with the
        result, and checked, so a recycled id can never return another catalogue's board.
        """
        remembered = self._memo.get(key)
        if remembered is not None and remembered[0] is owner:
            return remembered[1].copy()
        frame = compute()
        if len(self._memo) >= 8:  # an evidence log at 100k rows holds ~20 MB of references
            self._memo.pop(next(iter(self._memo)))
        self._memo[key] = (owner, frame)
        return frame.copy()

    def _board(
        self,
        commitments: Sequence[Commitment],
        as_of: date,
        recorded_by: datetime | None,
        include_pending: bool,
        rules: StatusRules,
    ) -> pd.DataFrame:
        on_record = [c for c in commitments if c.pledged_effective_on <= as_of]
        g_count = len(on_record)
        # Each row's position in `on_record`, or -1 for rows of pledges not on the board.
        position = {c.id: i for i, c in enumerate(on_record)}
        code_to_group = np.array([position.get(cid, -1) for cid in self.commitment_ids], dtype=np.int64)
        group_all = code_to_group[self.commitment_codes] if len(self) else np.zeros(0, np.int64)
        as_of_day = day_number(as_of)
        counted = self.active(recorded_by, include_pending) & (self.known <= as_of_day) & (group_all >= 0)
        rows = self.order[counted[self.order]]  # counted rows, in the reference's order
        g = group_all[rows]
        known = self.known[rows]
        attests = self.attests[rows]
        direction = self.direction[rows]
        independent = self.independent[rows]

        def latest(mask: Bools) -> Ints:
            out = np.full(g_count, NO_DAY, dtype=np.int64)
            np.maximum.at(out, g[mask], known[mask])
            return out

        def earliest(mask: Bools) -> Ints:
            out = np.full(g_count, NEVER, dtype=np.int64)
            np.minimum.at(out, g[mask], known[mask])
            return out

        def last_row(mask: Bools) -> Ints:
            """The last row in the reference order meeting `mask`, per pledge (-1: none)."""
            out = np.full(g_count, -1, dtype=np.int64)
            picked = np.flatnonzero(mask)
            if len(picked):
                groups, first_from_end = np.unique(g[picked][::-1], return_index=True)
                out[groups] = rows[picked[::-1][first_from_end]]
            return out

        attesting = (attests == 1) | (attests == 2)
        in_effect = attests == 2
        reversal = attests == 3
        against = (direction == 2) & ~reversal
        count = np.bincount(g, minlength=g_count).astype(np.int64)
        last_on = latest(np.ones(len(rows), dtype=bool))
        announced_on = earliest(attesting)
        in_effect_on = earliest(in_effect)
        verified_on = earliest(in_effect & independent)
        support_on = latest(direction == 1)
        attesting_on = latest(attesting)
        against_row = last_row(against)
        reversal_row = last_row(reversal)

        pledged_day = np.array([day_number(c.pledged_effective_on) for c in on_record], dtype=np.int64)
        stage = np.select(
            [verified_on != NEVER, in_effect_on != NEVER, announced_on != NEVER],
            [int(Stage.VERIFIED), int(Stage.IN_EFFECT), int(Stage.ANNOUNCED)],
            int(Stage.PLEDGED),
        ).astype(np.int64)
        since = np.select(
            [stage == Stage.VERIFIED, stage == Stage.IN_EFFECT, stage == Stage.ANNOUNCED],
            [verified_on, in_effect_on, announced_on],
            pledged_day,
        )

        # The rows behind the stage: every attesting row for `announced`, the in-effect
        # rows for `in_effect` and `verified`.
        row_stage = stage[g] if len(rows) else np.zeros(0, np.int64)
        behind = ((row_stage == Stage.ANNOUNCED) & attesting) | ((row_stage >= Stage.IN_EFFECT) & in_effect)
        claimed_sources, independent_sources = self._source_counts(
            g[behind], independent[behind], rows[behind], g_count
        )

        known_or_none = np.append(self.known, NO_DAY)  # index -1 ("no such row") reads NO_DAY
        against_on = known_or_none[against_row]
        reversal_on = known_or_none[reversal_row]
        contradicted = (against_row >= 0) & ((support_on == NO_DAY) | (against_on > support_on))
        reversed_ = (reversal_row >= 0) & ((attesting_on == NO_DAY) | (reversal_on > attesting_on))
        due = np.array([day_number(c.due_on) if c.due_on else NO_DAY for c in on_record], dtype=np.int64)
        has_due = due != NO_DAY
        overdue = has_due & (stage < Stage.IN_EFFECT) & (as_of_day > due)
        late = has_due & (in_effect_on != NEVER) & (in_effect_on > due)
        quiet_since = np.where(last_on == NO_DAY, pledged_day, last_on)
        stale = (as_of_day - quiet_since) > rules.stale_after_days

        behind_reasons = self._row_reasons(rows[behind], g[behind], g_count)
        out = []
        for i, c in enumerate(on_record):
            s = Stage(int(stage[i]))
            basis = Basis.NONE if s is Stage.PLEDGED else Basis.INDEPENDENT if independent_sources[i] else Basis.CLAIMED
            flags: set[Flag] = set()
            reasons = [pledged_reason(c), *behind_reasons[i][1]]
            ids = list(behind_reasons[i][0])
            if s is not Stage.PLEDGED:
                reasons.append(sources_reason(s, int(claimed_sources[i]), int(independent_sources[i])))
            if contradicted[i]:
                flags.add(Flag.CONTRADICTED)
                r = int(against_row[i])
                ids.append(self.ids[r])
                support = from_day_number(support_on[i]) if support_on[i] != NO_DAY else None
                reasons.append(
                    contradicted_reason(self.summaries[r], self.ids[r], from_day_number(self.known[r]), support)
                )
            if reversed_[i]:
                flags.add(Flag.REVERSED)
                r = int(reversal_row[i])
                ids.append(self.ids[r])
                reasons.append(reversed_reason(self.summaries[r], self.ids[r], from_day_number(self.known[r])))
            if (overdue[i] or late[i]) and c.due_on is not None:  # both need a due date (has_due)
                if overdue[i]:
                    flags.add(Flag.OVERDUE)
                    reasons.append(overdue_reason(c.due_on))
                if late[i]:
                    flags.add(Flag.LATE)
                    reasons.append(late_reason(c.due_on, from_day_number(in_effect_on[i])))
            if stale[i]:
                flags.add(Flag.STALE)
                reasons.append(stale_reason(from_day_number(quiet_since[i]), rules))
            out.append(
                (
                    c.id,
                    s,
                    basis,
                    frozenset(flags),
                    from_day_number(since[i]),
                    from_day_number(last_on[i]) if last_on[i] != NO_DAY else None,
                    int(count[i]),
                    int(claimed_sources[i]),
                    int(independent_sources[i]),
                    tuple(reasons),
                    tuple(dict.fromkeys(ids)),
                )
            )
        return pd.DataFrame(out, columns=list(STATUS_COLUMNS))

    def _source_counts(self, g: Ints, independent: Bools, rows: Ints, g_count: int) -> tuple[Ints, Ints]:
        """Distinct sources behind each pledge's stage, split by whose word they carry."""
        width = int(self.source_codes.max()) + 1 if len(self.source_codes) else 1
        combined = np.unique((g * 2 + independent.astype(np.int64)) * width + self.source_codes[rows])
        bucket = combined // width
        per = np.bincount(bucket, minlength=2 * g_count).reshape(g_count, 2) if g_count else np.zeros((0, 2), np.int64)
        return per[:, 0].astype(np.int64), per[:, 1].astype(np.int64)

    def _row_reasons(self, rows: Ints, g: Ints, g_count: int) -> list[tuple[list[str], list[str]]]:
        """For each pledge, the ids and one-line reasons of the rows behind its stage, in order."""
        out: list[tuple[list[str], list[str]]] = [([], []) for _ in range(g_count)]
        if not len(rows):
            return out
        f = self.frame

        def column(name: str) -> npt.NDArray[np.object_]:
            return _text(f[name].iloc[rows], nullable=name == "attests")

        attests = column("attests")
        label = np.where((attests != "") & (attests != "none"), attests, column("kind"))
        days, day_codes = np.unique(self.known[rows], return_inverse=True)
        known = np.datetime_as_string(days.astype("datetime64[D]")).astype(object)[day_codes]
        ids = self.ids[rows]
        publisher = column("source_publisher")
        via = np.where(publisher != "", publisher, column("source_title"))
        codes, speakers = pd.factorize(column("speaks_for"))
        who = np.array([str(s).replace("_", " ") for s in speakers], dtype=object)[codes]
        # Object arrays add element by element in C: no pandas string inference, no loop here.
        text = label + " on " + known + ": " + column("summary") + " [" + ids + "] (" + who + ", via " + via + ")"
        # Rows come grouped by pledge (the reference order sorts by pledge first), so each
        # pledge's reasons are one contiguous slice: split at the group boundaries.
        starts = np.concatenate(([0], np.flatnonzero(np.diff(g)) + 1))
        ends = np.append(starts[1:], len(g))
        for group, start, end in zip(g[starts].tolist(), starts.tolist(), ends.tolist(), strict=True):
            out[group] = (ids[start:end].tolist(), text[start:end].tolist())
        return out

    # -- status history -----------------------------------------------------------------

    def history(
        self,
        commitments: Sequence[Commitment],
        until: date,
        *,
        recorded_by: datetime | None = None,
        include_pending: bool = False,
        commitment_ids: Iterable[str] | None = None,
    ) -> pd.DataFrame:
        """`summaries.history_frame` from columns: every change of status up to `until`.

        The reference replays each pledge's rows one checkpoint at a time; here every
        checkpoint of every pledge is one row of a table, and the state at each is a
        running count or running maximum within its pledge. Remembered like `board`.
        """
        ids = tuple(commitment_ids) if commitment_ids is not None else None
        key = ("history", id(commitments), until, recorded_by, include_pending, ids)
        return self._remember(
            key, commitments, lambda: self._history(commitments, until, recorded_by, include_pending, ids)
        )

    def _history(
        self,
        commitments: Sequence[Commitment],
        until: date,
        recorded_by: datetime | None,
        include_pending: bool,
        commitment_ids: Iterable[str] | None,
    ) -> pd.DataFrame:
        wanted = set(commitment_ids) if commitment_ids is not None else None
        until_day = day_number(until)
        on_record = [c for c in commitments if c.pledged_effective_on <= until and (wanted is None or c.id in wanted)]
        g_count = len(on_record)
        position = {c.id: i for i, c in enumerate(on_record)}
        code_to_group = np.array([position.get(cid, -1) for cid in self.commitment_ids], dtype=np.int64)
        group_all = code_to_group[self.commitment_codes] if len(self) else np.zeros(0, np.int64)
        counted = self.active(recorded_by, include_pending) & (self.known <= until_day) & (group_all >= 0)
        rows = self.order[counted[self.order]]
        rows = rows[np.argsort(group_all[rows], kind="stable")]  # by pledge in catalogue order, then as the reference
        g = group_all[rows]
        known = self.known[rows]
        attests, direction, independent = self.attests[rows], self.direction[rows], self.independent[rows]

        start = np.array([day_number(c.pledged_effective_on) for c in on_record], dtype=np.int64)
        due = np.array([day_number(c.due_on) if c.due_on else NO_DAY for c in on_record], dtype=np.int64)
        has_due = due != NO_DAY
        overdue_from = np.where(has_due, due + 1, NO_DAY)
        due_checkpoint = has_due & (start <= overdue_from) & (overdue_from <= until_day)
        groups = np.arange(g_count, dtype=np.int64)
        cp_groups = np.concatenate((g, groups, groups[due_checkpoint]))
        cp_days = np.concatenate((known, start, overdue_from[due_checkpoint]))
        if not len(cp_days):
            return pd.DataFrame(columns=list(HISTORY_COLUMNS))
        low = int(cp_days.min())
        span = int(cp_days.max()) - low + 2
        keys = np.unique(cp_groups * span + (cp_days - low))
        cpg, cpday = keys // span, keys % span + low
        row_cp = np.searchsorted(keys, g * span + (known - low))
        n_cp = len(keys)

        def first_day(mask: Bools) -> Ints:
            out = np.full(g_count, NEVER, dtype=np.int64)
            np.minimum.at(out, g[mask], known[mask])
            return out

        def running_latest(mask: Bools) -> Ints:
            """Latest day (shifted to be >= 1; 0 = none) of a masked row up to each checkpoint."""
            out = np.zeros(n_cp, dtype=np.int64)
            np.maximum.at(out, row_cp[mask], known[mask] - low + 1)
            # Offsetting each pledge above the last keeps the running maximum inside it.
            offset = cpg * (span + 2)
            return np.asarray(np.maximum.accumulate(out + offset) - offset, dtype=np.int64)

        attesting = (attests == 1) | (attests == 2)
        in_effect = attests == 2
        reversal = attests == 3
        against = (direction == 2) & ~reversal
        first_in_effect = first_day(in_effect)
        announced = first_day(attesting)[cpg] <= cpday
        is_in_effect = first_in_effect[cpg] <= cpday
        verified = first_day(in_effect & independent)[cpg] <= cpday
        announced_independently = first_day(attesting & independent)[cpg] <= cpday
        stage = np.select([verified, is_in_effect, announced], [3, 2, 1], 0).astype(np.int64)
        basis = np.select([stage == 0, stage == 3, stage == 2, announced_independently], [0, 2, 1, 2], 1).astype(
            np.int64
        )
        support_on = running_latest(direction == 1)
        against_on = running_latest(against)
        reversal_on = running_latest(reversal)
        attesting_on = running_latest(attesting)
        flags = (
            np.where(
                (against_on > 0) & ((support_on == 0) | (against_on > support_on)), FLAG_BITS[Flag.CONTRADICTED], 0
            )
            | np.where(
                (reversal_on > 0) & ((attesting_on == 0) | (reversal_on > attesting_on)), FLAG_BITS[Flag.REVERSED], 0
            )
            | np.where(has_due[cpg] & (stage < 2) & (cpday > due[cpg]), FLAG_BITS[Flag.OVERDUE], 0)
            | np.where(has_due[cpg] & is_in_effect & (first_in_effect[cpg] > due[cpg]), FLAG_BITS[Flag.LATE], 0)
        )
        first = np.ones(n_cp, dtype=bool)
        first[1:] = cpg[1:] != cpg[:-1]
        previous = np.maximum(np.arange(n_cp) - 1, 0)
        changed = first | (stage != stage[previous]) | (basis != basis[previous]) | (flags != flags[previous])
        row_start = np.searchsorted(row_cp, np.arange(n_cp), side="left")
        row_end = np.searchsorted(row_cp, np.arange(n_cp), side="right")

        out = []
        for i in np.flatnonzero(changed).tolist():
            c = on_record[int(cpg[i])]
            added = rows[row_start[i] : row_end[i]]
            now = Stage(int(stage[i])), BASES[int(basis[i])]
            if first[i]:
                before = None
                reason = f"{_label(*now)} on first evidence" if len(added) else "pledged"
            else:
                before = Stage(int(stage[i - 1])), BASES[int(basis[i - 1])]
                changes = [f"{_label(*before)} -> {_label(*now)}"] if before != now else []
                gained, lost = int(flags[i]) & ~int(flags[i - 1]), int(flags[i - 1]) & ~int(flags[i])
                changes += [f"+{name}" for name in FLAG_NAMES[gained]] + [f"-{name}" for name in FLAG_NAMES[lost]]
                reason = ", ".join(changes)
                if len(added):
                    summaries = "; ".join(str(self.summaries[r]) for r in added[:3])
                    reason += ": " + summaries + (" ..." if len(added) > 3 else "")
            out.append(
                (
                    c.id,
                    c.title,
                    from_day_number(int(cpday[i])),
                    before[0].slug if before else "",
                    now[0].slug,
                    now[1].value,
                    ";".join(FLAG_NAMES[int(flags[i])]),
                    ";".join(str(self.ids[r]) for r in added),
                    reason,
                )
            )
        return pd.DataFrame(out, columns=list(HISTORY_COLUMNS))

    # -- the evidence log ----------------------------------------------------------------

    def record_states(self, recorded_by: datetime | None = None) -> npt.NDArray[np.object_]:
        """`summaries.record_states` as a column: "" for rows not yet entered by `recorded_by`."""
        entered = self._entered(recorded_by)
        state = np.where(entered, "active", "").astype(object)
        if self.needs_review.any():
            latest = latest_reviews(self.reviews, recorded_by)
            pending = self.needs_review & entered
            positions = self.positions(list(latest))
            for position, review in zip(positions.tolist(), latest.values(), strict=True):
                if position < 0 or not pending[position]:
                    continue
                pending[position] = False
                if review.decision is ReviewDecision.RETURNED:
                    state[position] = f"sent back: {review.comment}"
            state[pending] = "pending review"
        retracted = np.zeros(len(self), dtype=bool)
        for retraction, position in zip(self.retractions, self.retracted_pos.tolist(), strict=True):
            if position >= 0 and (recorded_by is None or retraction.recorded_at <= recorded_by):
                retracted[position] = True
        # A retracted correction no longer supersedes its row (as in status.active_evidence).
        corrections = np.flatnonzero(entered & (self.supersedes_pos >= 0) & ~retracted)
        targets = self.supersedes_pos[corrections]
        corrections, targets = corrections[entered[targets]], targets[entered[targets]]
        # The last correction of a row names it, as in the reference's loop.
        targets_from_end, first_from_end = np.unique(targets[::-1], return_index=True)
        state[targets_from_end] = "superseded by " + self.ids[corrections[::-1][first_from_end]]
        for retraction, position in zip(self.retractions, self.retracted_pos.tolist(), strict=True):
            if position >= 0 and entered[position] and (recorded_by is None or retraction.recorded_at <= recorded_by):
                state[position] = f"retracted: {retraction.reason}"
        return state

    def _entered(self, recorded_by: datetime | None) -> Bools:
        if recorded_by is None:
            return np.ones(len(self), dtype=bool)
        return self.recorded <= np.datetime64(recorded_by, "us")

    def evidence_log(
        self, as_of: date, recorded_by: datetime | None = None, commitment_ids: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """`summaries.evidence_frame` from columns: every row known by `as_of`, newest event first."""
        ids = tuple(commitment_ids) if commitment_ids is not None else None
        key = ("log", as_of, recorded_by, ids)
        return self._remember(key, self, lambda: self._evidence_log(as_of, recorded_by, ids))

    def _evidence_log(
        self, as_of: date, recorded_by: datetime | None, commitment_ids: Iterable[str] | None
    ) -> pd.DataFrame:
        rows, computed = self._log_rows(as_of, recorded_by, commitment_ids)
        names = log_columns()
        # One object block, filled column by column and handed to pandas as it is: its
        # string inference, or consolidating separate columns, would take longer than all
        # of the rest.
        block = np.empty((len(names), len(rows)), dtype=object)
        for i, name in enumerate(names):
            block[i] = computed[name] if name in computed else _text(self.frame[name])[rows]
        return pd.DataFrame(block.T, columns=names, dtype=object, copy=False)

    def evidence_log_arrow(
        self, as_of: date, recorded_by: datetime | None = None, commitment_ids: Iterable[str] | None = None
    ) -> pa.Table:
        """`evidence_log` as Arrow text columns, for writing files: the same cells, no Python objects.

        Stored text is turned into Arrow in store order, and the log takes its rows from
        there in C: picking Python strings in date order touches them all over memory,
        which gets slower per row as the store grows.
        """
        rows, computed = self._log_rows(as_of, recorded_by, commitment_ids)
        picked = pa.array(rows, type=pa.int64())
        columns = [
            pa.array(computed[name], type=pa.string()) if name in computed else self._arrow_text(name).take(picked)
            for name in log_columns()
        ]
        return pa.Table.from_arrays(columns, names=log_columns())

    def _arrow_text(self, name: str) -> pa.StringArray:
        # Not kept: at 100k rows the log's text columns are ~60 MB as Arrow, and a file is
        # written far less often than a page is drawn.
        return pc.fill_null(pa.array(_text(self.frame[name]), type=pa.string()), "")

    def _log_rows(
        self, as_of: date, recorded_by: datetime | None, commitment_ids: Iterable[str] | None
    ) -> tuple[Ints, dict[str, npt.NDArray[np.object_]]]:
        """The evidence log's rows, newest event first, and the columns it prints differently from the store."""
        # The export's own number formatting, so both paths print values alike.

        states = self.record_states(recorded_by)
        keep = (states != "") & (self.known <= day_number(as_of))
        if commitment_ids is not None:
            keep &= self.of_pledges(commitment_ids)
        rows = np.flatnonzero(keep)

        def iso(days: Ints) -> npt.NDArray[np.object_]:
            # Days repeat: each distinct one is printed once.
            distinct, which = np.unique(days, return_inverse=True)
            text = np.datetime_as_string(distinct.astype("datetime64[D]")).astype(object)
            text[distinct == NO_DAY] = ""
            return text[which]

        # Newest event first, then newest recording (to the second, as the text sorts);
        # ties keep store order, as the reference's stable sort does.
        seconds = self.recorded[rows].astype("datetime64[s]").astype(np.int64)
        rows = rows[np.lexsort((-seconds, -self.event[rows]))]
        attests = np.array(
            ["none", *(a.value for a in sorted(Attestation, key=ATTESTS_CODE.__getitem__))], dtype=object
        )
        values = self.frame["value"].to_numpy(dtype=object)[rows]
        present = ~pd.isna(values)
        text_values = np.full(len(rows), "", dtype=object)
        text_values[present] = [number_text(float(v)) for v in values[present]]
        computed = {
            "event_date": iso(self.event[rows]),
            "source_published_on": iso(self.published[rows]),
            "attests": attests[self.attests[rows]],
            "value": text_values,
            "recorded_at": _iso_seconds(self.recorded[rows]),
            "known_on": iso(self.known[rows]),
            "record_state": states[rows],
        }
        return rows, computed

    # -- models, built only when asked for ------------------------------------------------

    def models_for(self, commitment_ids: Iterable[str]) -> tuple[Evidence, ...]:
        """Validated models for the rows of some pledges, in recording order."""
        wanted = self.of_pledges(commitment_ids)
        return tuple(
            _evidence_from_record({str(k): v for k, v in r.items()}) for r in self.frame[wanted].to_dict("records")
        )

    def correction_models(self) -> tuple[Evidence, ...]:
        """The rows a corrections log needs, in recording order: corrections, the rows they
        supersede and retracted rows (a few, where `models` would build every row)."""
        corrections = np.flatnonzero(self.supersedes_pos >= 0)
        wanted = np.unique(
            np.concatenate([corrections, self.supersedes_pos[corrections], self.retracted_pos[self.retracted_pos >= 0]])
        )
        return tuple(
            _evidence_from_record({str(k): v for k, v in r.items()}) for r in self.frame.iloc[wanted].to_dict("records")
        )

    def models(self) -> tuple[Evidence, ...]:
        """Every row as a validated model (slow for a big store: built once, then kept)."""
        if self._models is None:
            self._models = tuple(
                _evidence_from_record({str(k): v for k, v in r.items()}) for r in self.frame.to_dict("records")
            )
        return self._models


class LazyEvidence(Sequence[Evidence]):
    """The evidence of an EvidenceTable as a sequence of models, built on first use."""

    def __init__(self, table: EvidenceTable):
        self.table = table

    def __len__(self) -> int:
        return len(self.table)

    @overload
    def __getitem__(self, index: int) -> Evidence: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Evidence]: ...
    def __getitem__(self, index: int | slice) -> Evidence | Sequence[Evidence]:
        return self.table.models()[index]

    def __iter__(self) -> Iterator[Evidence]:
        return iter(self.table.models())


def _evidence_from_record(m: dict[str, Any]) -> Evidence:
    return from_stored({k: None if (not isinstance(v, str) and pd.isna(v)) else v for k, v in m.items()})


__all__ = ["STATUS_COLUMNS", "EvidenceTable", "LazyEvidence"]
