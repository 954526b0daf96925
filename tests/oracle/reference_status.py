"""The first status engine, kept as a test oracle for the one in commitments/ (row by row, slow, readable).

Its rules are those of the engine it was written with; tests compare only where the rules
have not changed since (see tests/test_engine_oracle.py).

The status engine: (pledge, evidence, date) -> stage, flags and the reasons for them.

Pure functions only. The rules, in the order they are applied (the README has the same
table, and `tests/test_status_rules.py` has one row per rule):

| rule | result |
|---|---|
| the pledge is on record by the date | stage `pledged` |
| a row attests `announced` (or `in_effect`) | stage `announced` |
| a row attests `in_effect` | stage `in_effect` |
| a row attesting `in_effect` does not speak for the committing party | stage `verified` |
| every row behind the stage speaks for the committing party | basis `claimed` |
| a row against (not a reversal) is newer than the latest supporting row | flag `contradicted` |
| a reversal is newer than the latest row attesting a stage | flag `reversed` |
| the due date has passed and the stage is below `in_effect` | flag `overdue` |
| `in_effect` was first reached after the due date | flag `late` |
| no row for more than `stale_after_days` days | flag `stale` |

Two time axes: `as_of` counts rows whose event had happened and been published by that
date (`Evidence.known_on`); `recorded_by` (optional) counts only rows, retractions,
corrections and reviews entered into the tool by then, which answers "what did we know
when we briefed?".

Rows recorded under second-person review count once confirmed; while pending they count
only when `include_pending` is asked for, and rows sent back never count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from commitments.models import (
    Attestation,
    Basis,
    Commitment,
    Direction,
    Evidence,
    Flag,
    Retraction,
    Review,
    ReviewDecision,
    Stage,
    _Model,
)


class CommitmentStatus(_Model):
    """Where one pledge stands on one date, and which evidence rows say so."""

    commitment_id: str
    as_of: date
    stage: Stage
    basis: Basis
    flags: frozenset[Flag] = frozenset()
    stage_since: date
    last_evidence_on: date | None = None
    evidence_count: int = 0
    claimed_sources: int = 0
    independent_sources: int = 0
    reasons: tuple[str, ...] = ()
    evidence_ids: tuple[str, ...] = ()

    @property
    def stage_label(self) -> str:
        if self.stage in (Stage.ANNOUNCED, Stage.IN_EFFECT) and self.basis is Basis.CLAIMED:
            return f"{self.stage.label} (claimed)"
        return self.stage.label


class Transition(_Model):
    """One change in a pledge's status, with the evidence rows that caused it."""

    commitment_id: str
    on: date
    stage: Stage
    basis: Basis
    flags: frozenset[Flag]
    previous_stage: Stage | None
    previous_flags: frozenset[Flag]
    evidence_ids: tuple[str, ...]
    reason: str


DEFAULT_STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class StatusRules:
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS


DEFAULT_RULES = StatusRules()


def latest_reviews(reviews: Iterable[Review], recorded_by: datetime | None = None) -> dict[str, Review]:
    """The latest review of each reviewed row, as known at `recorded_by`."""
    latest: dict[str, Review] = {}
    for r in reviews:
        if recorded_by is not None and r.reviewed_at > recorded_by:
            continue
        if r.evidence_id not in latest or r.reviewed_at >= latest[r.evidence_id].reviewed_at:
            latest[r.evidence_id] = r
    return latest


def review_decisions(reviews: Iterable[Review], recorded_by: datetime | None = None) -> dict[str, ReviewDecision]:
    """The latest decision on each reviewed row, as known at `recorded_by`."""
    return {k: v.decision for k, v in latest_reviews(reviews, recorded_by).items()}


def active_evidence(
    evidence: Iterable[Evidence],
    retractions: Iterable[Retraction] = (),
    recorded_by: datetime | None = None,
    reviews: Iterable[Review] = (),
    include_pending: bool = False,
) -> list[Evidence]:
    """The rows that count: entered by `recorded_by`, neither retracted nor superseded,
    and confirmed if they were recorded under review (or pending, if asked for)."""
    rows = [e for e in evidence if recorded_by is None or e.recorded_at <= recorded_by]
    if any(e.needs_review for e in rows):
        decisions = review_decisions(reviews, recorded_by)
        allowed = {ReviewDecision.CONFIRMED, None} if include_pending else {ReviewDecision.CONFIRMED}
        rows = [e for e in rows if not e.needs_review or decisions.get(e.id) in allowed]
    retracted = {r.evidence_id for r in retractions if recorded_by is None or r.recorded_at <= recorded_by}
    rows = [e for e in rows if e.id not in retracted]
    # Only a correction that itself still counts supersedes: retracting a correction
    # brings back the row it had replaced.
    superseded = {e.supersedes for e in rows if e.supersedes}
    return [e for e in rows if e.id not in superseded]


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, datetime.max.time())


def _source_label(row: Evidence) -> str:
    who = row.speaks_for.value.replace("_", " ")
    via = row.source.publisher or row.source.title
    return f"{who}, via {via}"


# The wording of every reason, in one place: the column engine (status_frame.py) uses
# these too, so both engines explain a status in the same words.


def pledged_reason(c: Commitment) -> str:
    pledged_on = c.pledged_on.isoformat() if c.pledged_on_precision == "day" else c.pledged_on.strftime("%Y-%m")
    return f"pledged ({pledged_on}) at {c.pledged_at}"


def sources_reason(stage: Stage, claimed: int, independent: int) -> str:
    return f"{stage.label}: {claimed} source(s) speaking for the committing party, {independent} independent source(s)"


def contradicted_reason(summary: str, evidence_id: str, on: date, support_on: date | None) -> str:
    support = f" ({support_on})" if support_on else ""
    return f"contradicted: {summary} [{evidence_id}] on {on} is newer than the latest support{support}"


def reversed_reason(summary: str, evidence_id: str, on: date) -> str:
    return f"reversed: {summary} [{evidence_id}] on {on}"


def overdue_reason(due_on: date) -> str:
    return f"overdue: due {due_on}, not in effect"


def late_reason(due_on: date, in_effect_on: date) -> str:
    return f"late: due {due_on}, in effect from {in_effect_on}"


def stale_reason(quiet_since: date, rules: StatusRules) -> str:
    return f"stale: no evidence since {quiet_since} (more than {rules.stale_after_days} days)"


@dataclass
class _Fold:
    """Everything the rules need, accumulated row by row in `known_on` order."""

    commitment: Commitment
    announced_on: date | None = None
    in_effect_on: date | None = None
    verified_on: date | None = None
    stage_rows: dict[Stage, list[Evidence]] = field(default_factory=dict)
    latest_support: Evidence | None = None
    latest_against: Evidence | None = None
    latest_reversal: Evidence | None = None
    latest_attesting_on: date | None = None
    last_evidence_on: date | None = None
    count: int = 0

    def add(self, row: Evidence) -> None:
        on = row.known_on
        self.count += 1
        self.last_evidence_on = on if self.last_evidence_on is None else max(self.last_evidence_on, on)
        if row.direction is Direction.SUPPORTS:
            self.latest_support = row
        if row.attests is Attestation.REVERSED:
            self.latest_reversal = row
        elif row.direction is Direction.AGAINST:
            self.latest_against = row
        if row.attests in (Attestation.ANNOUNCED, Attestation.IN_EFFECT):
            self.latest_attesting_on = on
            self.stage_rows.setdefault(Stage.ANNOUNCED, []).append(row)
            if self.announced_on is None:
                self.announced_on = on
        if row.attests is Attestation.IN_EFFECT:
            self.stage_rows.setdefault(Stage.IN_EFFECT, []).append(row)
            if self.in_effect_on is None:
                self.in_effect_on = on
            if row.speaks_for.is_independent:
                self.stage_rows.setdefault(Stage.VERIFIED, []).append(row)
                if self.verified_on is None:
                    self.verified_on = on

    def snapshot(self, as_of: date, rules: StatusRules) -> CommitmentStatus:
        c = self.commitment
        if self.verified_on is not None:
            stage, since = Stage.VERIFIED, self.verified_on
        elif self.in_effect_on is not None:
            stage, since = Stage.IN_EFFECT, self.in_effect_on
        elif self.announced_on is not None:
            stage, since = Stage.ANNOUNCED, self.announced_on
        else:
            stage, since = Stage.PLEDGED, c.pledged_effective_on

        reasons = [pledged_reason(c)]
        ids: list[str] = []
        behind = self.stage_rows.get(Stage.IN_EFFECT if stage is Stage.VERIFIED else stage, [])
        claimed_keys = {r.source.key for r in behind if not r.speaks_for.is_independent}
        independent_keys = {r.source.key for r in behind if r.speaks_for.is_independent}
        if stage is Stage.PLEDGED:
            basis = Basis.NONE
        elif independent_keys:
            basis = Basis.INDEPENDENT
        else:
            basis = Basis.CLAIMED
        for row in behind:
            ids.append(row.id)
            what = row.attests.value if row.attests else row.kind.value
            reasons.append(f"{what} on {row.known_on}: {row.summary} [{row.id}] ({_source_label(row)})")
        if stage is not Stage.PLEDGED:
            reasons.append(sources_reason(stage, len(claimed_keys), len(independent_keys)))

        flags: set[Flag] = set()
        support_on = self.latest_support.known_on if self.latest_support else None
        if self.latest_against is not None and (support_on is None or self.latest_against.known_on > support_on):
            flags.add(Flag.CONTRADICTED)
            ids.append(self.latest_against.id)
            against = self.latest_against
            reasons.append(contradicted_reason(against.summary, against.id, against.known_on, support_on))
        if self.latest_reversal is not None and (
            self.latest_attesting_on is None or self.latest_reversal.known_on > self.latest_attesting_on
        ):
            flags.add(Flag.REVERSED)
            ids.append(self.latest_reversal.id)
            reversal = self.latest_reversal
            reasons.append(reversed_reason(reversal.summary, reversal.id, reversal.known_on))
        if c.due_on is not None:
            if stage < Stage.IN_EFFECT and as_of > c.due_on:
                flags.add(Flag.OVERDUE)
                reasons.append(overdue_reason(c.due_on))
            if self.in_effect_on is not None and self.in_effect_on > c.due_on:
                flags.add(Flag.LATE)
                reasons.append(late_reason(c.due_on, self.in_effect_on))
        quiet_since = self.last_evidence_on or c.pledged_effective_on
        if (as_of - quiet_since).days > rules.stale_after_days:
            flags.add(Flag.STALE)
            reasons.append(stale_reason(quiet_since, rules))

        return CommitmentStatus(
            commitment_id=c.id,
            as_of=as_of,
            stage=stage,
            basis=basis,
            flags=frozenset(flags),
            stage_since=since,
            last_evidence_on=self.last_evidence_on,
            evidence_count=self.count,
            claimed_sources=len(claimed_keys),
            independent_sources=len(independent_keys),
            reasons=tuple(reasons),
            evidence_ids=tuple(dict.fromkeys(ids)),
        )


def _rows_for(commitment: Commitment, rows: Iterable[Evidence]) -> list[Evidence]:
    mine = [r for r in rows if r.commitment_id == commitment.id]
    # Ties on the date keep recording order, so a later correction wins a same-day race.
    mine.sort(key=lambda r: (r.known_on, r.recorded_at, r.id))
    return mine


def status_as_of(
    commitment: Commitment,
    evidence: Iterable[Evidence],
    as_of: date,
    *,
    retractions: Iterable[Retraction] = (),
    recorded_by: datetime | None = None,
    reviews: Iterable[Review] = (),
    include_pending: bool = False,
    rules: StatusRules = DEFAULT_RULES,
) -> CommitmentStatus | None:
    """The pledge's status on `as_of`, or None if it had not been pledged by then."""
    active = active_evidence(evidence, retractions, recorded_by, reviews, include_pending)
    return _status_from_active(commitment, active, as_of, rules)


def _status_from_active(
    commitment: Commitment, active: Iterable[Evidence], as_of: date, rules: StatusRules
) -> CommitmentStatus | None:
    if commitment.pledged_effective_on > as_of:
        return None
    fold = _Fold(commitment)
    for row in _rows_for(commitment, active):
        if row.known_on > as_of:
            break
        fold.add(row)
    return fold.snapshot(as_of, rules)


def board_as_of(
    commitments: Sequence[Commitment],
    evidence: Iterable[Evidence],
    as_of: date,
    *,
    retractions: Iterable[Retraction] = (),
    recorded_by: datetime | None = None,
    reviews: Iterable[Review] = (),
    include_pending: bool = False,
    rules: StatusRules = DEFAULT_RULES,
) -> list[CommitmentStatus]:
    """The status of every pledge on record by `as_of`, in catalogue order."""
    active = active_evidence(evidence, retractions, recorded_by, reviews, include_pending)
    by_commitment: dict[str, list[Evidence]] = {}
    for row in active:
        by_commitment.setdefault(row.commitment_id, []).append(row)
    statuses = []
    for c in commitments:
        status = _status_from_active(c, by_commitment.get(c.id, []), as_of, rules)
        if status is not None:
            statuses.append(status)
    return statuses


def status_history(
    commitment: Commitment,
    evidence: Iterable[Evidence],
    *,
    until: date,
    retractions: Iterable[Retraction] = (),
    recorded_by: datetime | None = None,
    reviews: Iterable[Review] = (),
    include_pending: bool = False,
    rules: StatusRules = DEFAULT_RULES,
) -> list[Transition]:
    """Every change of stage, basis or flag from the pledge until `until`, oldest first.

    Staleness is left out: it changes with the calendar, not with evidence, so it would
    add a transition for every quiet spell and hide the ones that matter.
    """
    start = commitment.pledged_effective_on
    if start > until:
        return []
    active = active_evidence(evidence, retractions, recorded_by, reviews, include_pending)
    rows = [r for r in _rows_for(commitment, active) if r.known_on <= until]
    checkpoints = sorted({start, *(r.known_on for r in rows)} | _due_checkpoints(commitment, start, until))
    fold = _Fold(commitment)
    transitions: list[Transition] = []
    previous: CommitmentStatus | None = None
    i = 0
    for day in checkpoints:
        added: list[Evidence] = []
        while i < len(rows) and rows[i].known_on <= day:
            fold.add(rows[i])
            added.append(rows[i])
            i += 1
        current = fold.snapshot(day, rules)
        flags = current.flags - {Flag.STALE}
        old_flags = previous.flags - {Flag.STALE} if previous else frozenset()
        if previous is None or (current.stage, current.basis, flags) != (previous.stage, previous.basis, old_flags):
            transitions.append(
                Transition(
                    commitment_id=commitment.id,
                    on=day,
                    stage=current.stage,
                    basis=current.basis,
                    flags=flags,
                    previous_stage=previous.stage if previous else None,
                    previous_flags=old_flags,
                    evidence_ids=tuple(r.id for r in added),
                    reason=_transition_reason(previous, current, flags, old_flags, added),
                )
            )
        previous = current
    return transitions


def _due_checkpoints(commitment: Commitment, start: date, until: date) -> set[date]:
    if commitment.due_on is None:
        return set()
    overdue_from = commitment.due_on + timedelta(days=1)
    return {overdue_from} if start <= overdue_from <= until else set()


def _transition_reason(
    previous: CommitmentStatus | None,
    current: CommitmentStatus,
    flags: frozenset[Flag],
    old_flags: frozenset[Flag],
    added: list[Evidence],
) -> str:
    if previous is None:
        return "pledged" if not added else f"{current.stage_label} on first evidence"
    changes = []
    if current.stage != previous.stage or current.basis != previous.basis:
        changes.append(f"{previous.stage_label} -> {current.stage_label}")
    changes += [f"+{f.value}" for f in sorted(flags - old_flags)]
    changes += [f"-{f.value}" for f in sorted(old_flags - flags)]
    summary = ", ".join(changes)
    if added:
        summary += ": " + "; ".join(r.summary for r in added[:3]) + (" ..." if len(added) > 3 else "")
    return summary
