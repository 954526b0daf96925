"""Each pledge's status history, derived once from the rows that count, with the rules of `status`.

History first: a pledge's state is worked out at every *checkpoint* (the day it went on
record, each day a counting row became known, the day after its due date), for every
pledge at once, with running maxima and first occurrences over the rows sorted by pledge
and day. The board as of any date is that history read at the date (plus staleness, which
depends on the calendar alone); the transitions are the checkpoints where stage, basis or
flags changed; "what changed between D1 and D2" is the transitions in between.

A row known before its pledge went on record (a month-precise pledge, an earlier report)
counts from the pledge's first day: no pledge has a status before it exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from commitments import status as rules
from commitments.evidence_columns import EvidenceColumns, day_number
from commitments.models import Commitment, Stage
from commitments.status import NO_DAY, STAGE_CODE, Bools, Ints


@dataclass(frozen=True)
class History:
    """Every pledge's state at each of its checkpoints. Arrays, aligned as described."""

    pledges: tuple[Commitment, ...]  # catalogue order; "pledge index" below is a position here
    start: Ints  # per pledge: the day it went on record
    due: Ints  # per pledge: its due date (NO_DAY: none)
    # The counting rows, by pledge, then known_on, then recording time, then store order.
    rows: Ints  # positions in the EvidenceColumns
    row_pledge: Ints
    row_day: Ints  # the checkpoint it counts at: its known_on, or the pledge's start if later
    pledge_rows: Ints  # per pledge: index in `rows` where its rows begin (they end where the next begins)
    # Checkpoints, by pledge then day.
    pledge: Ints
    day: Ints
    cut: Ints  # index in `rows` of the last row counted by then (pledge_rows - 1: none yet)
    stage: Ints  # STAGE_CODE
    basis: Ints  # status.BASIS_CODES
    flags: Ints  # status.FLAG_BITS
    since: Ints  # the day the stage was reached (the known_on of the row that reached it)
    since_row: Ints  # index in `rows` of the row that reached it (-1: pledged)
    last_known: Ints  # the latest known_on among the rows counted (NO_DAY: none)
    count: Ints  # rows counted
    claimed_sources: Ints  # distinct sources behind the stage speaking for the committing party
    independent_sources: Ints  # ... and not speaking for it
    support_day: Ints  # the latest supporting row's known_on (NO_DAY: none)
    against_row: Ints  # index in `rows` of the latest row against (not a reversal), -1: none
    reversal_row: Ints  # ... of the latest reversal
    gap_row: Ints  # ... of the latest assessment that the record cannot settle the pledge
    in_effect_day: Ints  # the day in effect was first reached (NO_DAY: not yet)
    # For reading a date: checkpoint keys are pledge * span + (day - low).
    low: int
    span: int

    def in_force(self, day: int) -> Ints:
        """For each pledge, the checkpoint in force on `day` (-1: not yet on record)."""
        count = len(self.pledges)
        if not count or not len(self.pledge):
            return np.full(count, -1, dtype=np.int64)
        offset = min(max(day - self.low, -1), self.span - 1)
        keys = np.arange(count, dtype=np.int64) * self.span + offset
        found = np.searchsorted(self.pledge * self.span + (self.day - self.low), keys, side="right") - 1
        on_record = (self.start <= day) & (found >= 0)
        on_record[on_record] &= self.pledge[found[on_record]] == np.flatnonzero(on_record)
        return np.where(on_record, found, -1)

    def changed(self) -> Bools:
        """Checkpoints where a pledge's stage, basis or flags changed (its first checkpoint included)."""
        first = np.ones(len(self.pledge), dtype=bool)
        first[1:] = self.pledge[1:] != self.pledge[:-1]
        previous = np.maximum(np.arange(len(self.pledge)) - 1, 0)
        different = (
            (self.stage != self.stage[previous])
            | (self.basis != self.basis[previous])
            | (self.flags != self.flags[previous])
        )
        out: Bools = first | different
        return out

    def rows_added(self, checkpoint: int) -> Ints:
        """Indexes in `rows` of the rows that became known on this checkpoint's day."""
        p = int(self.pledge[checkpoint])
        previous = int(self.cut[checkpoint - 1]) if checkpoint > 0 and self.pledge[checkpoint - 1] == p else -1
        begin = max(previous + 1, int(self.pledge_rows[p]))
        return np.arange(begin, int(self.cut[checkpoint]) + 1, dtype=np.int64)


def columns_roles(columns: EvidenceColumns, positions: Ints) -> rules.RowRoles:
    """What these rows are evidence of, by the rules (`status.row_roles`)."""
    return rules.row_roles(
        columns.attests[positions],
        columns.direction[positions],
        columns.speaks_for[positions],
        columns.strength[positions],
        columns.reason[positions],
        columns.replies_to[positions] >= 0,
    )


def _distinct_sorted(values: Ints) -> Ints:
    """The distinct values, ascending; fastest when `values` is a few sorted runs end to end."""
    ordered = np.sort(values, kind="stable")  # a merge of the runs
    keep = np.ones(len(ordered), dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    out: Ints = ordered[keep]
    return out


def first_of_pairs(group: Ints, key: Ints, at: Ints) -> Ints:
    """Of `at` (ascending, aligned with `group` and `key`), the first of each distinct (group, key)."""
    order = np.lexsort((key, group))  # stable: within a pair, in the order of `at`
    group, key = group[order], key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = (group[1:] != group[:-1]) | (key[1:] != key[:-1])
    out: Ints = at[order[first]]
    return out


def derive(columns: EvidenceColumns, pledges: Sequence[Commitment], counted: Bools) -> History:
    """The history of every pledge from the rows that `counted` marks, by the rules in `status`."""
    pledges = tuple(pledges)
    count = len(pledges)
    index = {c.id: i for i, c in enumerate(pledges)}
    pledge_of_code = np.array([index.get(cid, -1) for cid in columns.commitment_ids], dtype=np.int64)
    pledge_of_row = pledge_of_code[columns.commitment_codes] if len(columns) else np.zeros(0, dtype=np.int64)
    start = np.array([day_number(c.pledged_effective_on) for c in pledges], dtype=np.int64)
    due = np.array([day_number(c.due_on) if c.due_on else NO_DAY for c in pledges], dtype=np.int64)

    positions = np.flatnonzero(counted & (pledge_of_row >= 0))
    g = pledge_of_row[positions]
    # By pledge, then known_on, then recording time; ties keep store order (lexsort is stable).
    order = np.lexsort((columns.recorded[positions], columns.known[positions], g))
    rows, g = positions[order], g[order]
    known = columns.known[rows]
    day = np.maximum(known, start[g])  # the checkpoint a row counts at
    n = len(rows)
    pledge_rows = np.searchsorted(g, np.arange(count), side="left").astype(np.int64)
    roles = columns_roles(columns, rows)

    # Checkpoints: each pledge's first day, each day one of its rows became known, and the
    # day after its due date (when it may become overdue).
    has_due = due != NO_DAY
    overdue_from = np.where(has_due, np.maximum(due + 1, start), start)
    every_day = np.concatenate((start, day, overdue_from))
    low = int(every_day.min()) if len(every_day) else 0
    span = (int(every_day.max()) - low + 2) if len(every_day) else 1
    row_keys = g * span + (day - low)
    pledge_index = np.arange(count, dtype=np.int64)
    # Each of the three is sorted already (rows by pledge, then day): a stable sort of them
    # together merges their runs, far cheaper than hashing a million keys to find the distinct.
    keys = _distinct_sorted(
        np.concatenate((row_keys, pledge_index * span + (start - low), pledge_index * span + (overdue_from - low)))
    )
    cp_pledge, cp_day = keys // span, keys % span + low
    cut = np.maximum(np.searchsorted(row_keys, keys, side="right") - 1, pledge_rows[cp_pledge] - 1)
    first_of_pledge = pledge_rows[cp_pledge]

    def first_row(mask: Bools) -> Ints:
        """Per pledge, the index of its first row meeting `mask` (-1: none)."""
        out = np.full(count, -1, dtype=np.int64)
        picked = np.flatnonzero(mask)
        groups, first = np.unique(g[picked], return_index=True)
        out[groups] = picked[first]
        return out

    def reached(first: Ints) -> Bools:
        """Whether each checkpoint counts that pledge's first such row."""
        at = first[cp_pledge]
        out: Bools = (at >= 0) & (at <= cut)
        return out

    def last_row(mask: Bools) -> Ints:
        """Per checkpoint, the index of the pledge's latest row meeting `mask` counted by then (-1: none)."""
        if not n:
            return np.full(len(keys), -1, dtype=np.int64)
        running = np.maximum.accumulate(np.where(mask, np.arange(n), -1))
        at = np.where(cut >= 0, running[np.maximum(cut, 0)], -1)
        return np.where(at >= first_of_pledge, at, -1)

    def day_of(row: Ints) -> Ints:
        """The known_on of these rows (NO_DAY for -1): the rules compare when rows became known."""
        return np.where(row >= 0, known[np.maximum(row, 0)] if n else NO_DAY, NO_DAY)

    def running_distinct(mask: Bools, keys: Ints) -> Ints:
        """Per row, with a leading 0: how many distinct `keys` the pledge's rows meeting `mask` have, up to it.

        Indexed by row + 1; subtract the value at the pledge's first row to count within it.
        """
        picked = np.flatnonzero(mask)
        firsts = np.zeros(n + 1, dtype=np.int64)
        firsts[first_of_pairs(g[picked], keys[rows[picked]], picked) + 1] = 1
        return np.cumsum(firsts)

    def distinct_by_checkpoint(mask: Bools, keys: Ints) -> Ints:
        """Per checkpoint, how many distinct `keys` the pledge's rows meeting `mask` have, by then."""
        running = running_distinct(mask, keys)
        return np.asarray(running[cut + 1] - running[first_of_pledge], dtype=np.int64)

    def distinct_sources(mask: Bools) -> Ints:
        return distinct_by_checkpoint(mask, columns.source_codes)

    def corroborating_rows(behind: Bools) -> Bools:
        """Rows at which the rows behind a stage, up to and including them, are strong enough to verify it."""
        if not n:
            return np.zeros(0, dtype=bool)
        alone_so_far = np.maximum.accumulate(np.where(behind & roles.verifies_alone, np.arange(n), -1))
        running = running_distinct(behind & roles.corroborates, columns.publisher_codes)
        return rules.corroborated(alone_so_far >= pledge_rows[g], running[1:] - running[pledge_rows[g]])

    announced_first = first_row(roles.attesting)
    in_effect_first = first_row(roles.in_effect)
    verified_first = first_row(roles.in_effect & corroborating_rows(roles.in_effect))
    stage = rules.stage(reached(announced_first), reached(in_effect_first), reached(verified_first))
    since_first = np.select(
        [
            stage == STAGE_CODE[Stage.VERIFIED],
            stage == STAGE_CODE[Stage.IN_EFFECT],
            stage == STAGE_CODE[Stage.ANNOUNCED],
        ],
        [verified_first[cp_pledge], in_effect_first[cp_pledge], announced_first[cp_pledge]],
        -1,
    )
    since = np.where(since_first >= 0, day_of(since_first), start[cp_pledge])

    announced_stage = stage == STAGE_CODE[Stage.ANNOUNCED]
    behind_in_effect = stage >= STAGE_CODE[Stage.IN_EFFECT]
    independent_behind = (announced_stage & reached(first_row(roles.attesting & roles.independent))) | (
        behind_in_effect & reached(first_row(roles.in_effect & roles.independent))
    )
    corroborated_behind = announced_stage & reached(first_row(roles.attesting & corroborating_rows(roles.attesting)))
    basis = rules.basis(stage, independent_behind, corroborated_behind)

    def behind_stage(whose: Bools) -> Ints:
        """Distinct sources among the rows behind each checkpoint's stage that `whose` marks."""
        return np.where(
            announced_stage,
            distinct_sources(roles.attesting & whose),
            np.where(behind_in_effect, distinct_sources(roles.in_effect & whose), 0),
        )

    claimed_sources = behind_stage(~roles.independent)
    independent_sources = behind_stage(roles.independent)

    support_day = day_of(last_row(roles.support))
    against_row = last_row(roles.against)
    reversal_row = last_row(roles.reversal)
    attesting_day = day_of(last_row(roles.attesting))
    gap_row = last_row(roles.unable_to_conclude | roles.no_public_data)
    gap_open = rules.cannot_conclude(day_of(gap_row), attesting_day)
    gap_is_unable = roles.unable_to_conclude[np.maximum(gap_row, 0)] if n else np.zeros(len(keys), dtype=bool)
    in_effect_day = np.where(reached(in_effect_first), day_of(in_effect_first[cp_pledge]), NO_DAY)
    cp_due = due[cp_pledge]
    flags = rules.flag_bits(
        rules.contradicted(day_of(against_row), support_day),
        rules.reversed_(day_of(reversal_row), attesting_day),
        rules.overdue(stage, cp_day, cp_due),
        rules.late(in_effect_day, cp_due),
        gap_open & gap_is_unable,
        gap_open & ~gap_is_unable,
    )

    counted_any = cut >= first_of_pledge
    last_known = np.where(counted_any, day_of(cut), NO_DAY)  # rows are in known_on order

    return History(
        pledges=pledges,
        start=start,
        due=due,
        rows=rows,
        row_pledge=g,
        row_day=day,
        pledge_rows=pledge_rows,
        pledge=cp_pledge,
        day=cp_day,
        cut=cut,
        stage=stage,
        basis=basis,
        flags=flags,
        since=since,
        since_row=since_first,
        last_known=last_known,
        count=cut - first_of_pledge + 1,
        claimed_sources=claimed_sources,
        independent_sources=independent_sources,
        support_day=support_day,
        against_row=against_row,
        reversal_row=reversal_row,
        gap_row=gap_row,
        in_effect_day=in_effect_day,
        low=low,
        span=span,
    )
