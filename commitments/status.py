"""The status rules: which evidence rows count, and what they make of a pledge. The one place.

The rules, in the order they apply (the README has the same table, and
`tests/test_status_rules.py` has a row for each, run through the production engine):

| rule | result |
|---|---|
| a row is retracted, superseded by a correction that counts, or sent back by a reviewer | it does not count |
| a row recorded under review is not yet confirmed | it counts only when pending rows are asked for |
| the pledge is on record by the date | stage `pledged` |
| a row attests `announced` (or `in_effect`) | stage `announced` |
| a row attests `in_effect` | stage `in_effect` |
| an independent row attests `in_effect` from an `official_record` or a `named_investigation` | stage `verified` |
| independent rows attest `in_effect` from 2 publishers, each at least a `sourced_report` | stage `verified` |
| every row behind the stage speaks for the committing party | basis `claimed` |
| an independent row is behind the stage, but too weak to verify it | basis `reported` |
| independent rows behind `announced` would verify it, were it in effect | basis `independent` |
| a row against (not a reversal, not a reply) is newer than the latest supporting row | flag `contradicted` |
| a reversal is newer than the latest row attesting a stage | flag `reversed` |
| an assessment that cannot conclude is newer than the latest stage row | flag `unable_to_conclude` / `no_public_data` |
| a reply to a contradiction (the committing party's answer) | moves nothing |
| the due date has passed and the stage is below `in_effect` | flag `overdue` |
| `in_effect` was first reached after the due date | flag `late` |
| no row for more than `stale_after_days` days | flag `stale` |

Sources have a strength, strongest first: `official_record` (an official record or data
of a government or an international body), `named_investigation` (a named independent
investigation or research), `sourced_report` (a secondary report that names its source),
`unattributed` (an unattributed or second-hand report). Only sources that do not speak for
the committing party can verify; one unattributed report never does.

Which rows count, on the two time axes: *as of D* counts rows whose event had happened and
been made public by D (`known_on`, in `commitments.history`); *as recorded on R* counts only
the rows, retractions, corrections and reviews entered into the tool by the end of R. Of
those, a row counts unless it was retracted, superseded by a correction that counts, or
recorded under review and not (yet) confirmed; rows awaiting review count only when asked.

Everything here is a pure function over numpy columns, one per rule, so that
`commitments.history` applies each rule to every pledge at every date at once, and the
rule table's test can pin every comparison written below (`tests/test_rule_mutations.py`
flips each one and expects the table to fail).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from commitments.models import (
    Attestation,
    Basis,
    Direction,
    Flag,
    ReasonCode,
    RecordState,
    ReviewDecision,
    SourceStrength,
    SpeaksFor,
    Stage,
)

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

DEFAULT_STALE_AFTER_DAYS = 180
# "No such day" in day-number columns: earlier than every real day, so "newer than none" holds.
NO_DAY = np.iinfo(np.int64).min

# How the engine's columns code the models' enums: each value's position in its enum.
STAGE_CODE = {s: int(s) for s in Stage}
BASIS_CODES = tuple(Basis)
ATTESTS_CODES: tuple[Attestation | None, ...] = (None, *Attestation)
DIRECTION_CODES = tuple(Direction)
SPEAKS_FOR_CODES = tuple(SpeaksFor)
DECISION_CODES: tuple[ReviewDecision | None, ...] = (None, *ReviewDecision)
RECORD_STATE_CODES = tuple(RecordState)
STRENGTH_CODES: tuple[SourceStrength | None, ...] = (*SourceStrength, None)  # strongest first
REASON_CODES: tuple[ReasonCode | None, ...] = (None, *ReasonCode)
# Flags that evidence sets, as bits (stale depends on the calendar alone: it is worked out
# when a date is read, never kept in a history).
FLAG_BITS: dict[Flag, int] = {
    Flag.CONTRADICTED: 1,
    Flag.REVERSED: 2,
    Flag.OVERDUE: 4,
    Flag.LATE: 8,
    Flag.UNABLE_TO_CONCLUDE: 16,
    Flag.NO_PUBLIC_DATA: 32,
}
# How many publishers that name their sources it takes, together, to verify a pledge.
CORROBORATING_PUBLISHERS = 2


@dataclass(frozen=True)
class StatusRules:
    """The rules' one setting."""

    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS


DEFAULT_RULES = StatusRules()


def code_of(values: tuple[object, ...], value: object) -> int:
    return values.index(value)


# -- which rows count -------------------------------------------------------------------------


def record_states(
    entered: Bools,
    needs_review: Bools,
    decision: Ints,
    retracted: Bools,
    supersedes: Ints,
    include_pending: bool,
) -> Ints:
    """Each row's RecordState (as its code), or -1 for a row not yet entered.

    `decision` is the latest review decision known (DECISION_CODES), `retracted` whether a
    retraction that counts names the row, `supersedes` the position of the row a row
    corrects (-1: none). A correction supersedes while it counts itself, so retracting a
    correction brings back the row it had replaced; a correction awaiting review
    supersedes only when pending rows are counted.
    """
    active, pending, sent_back, superseded, withdrawn = (
        code_of(RECORD_STATE_CODES, s)
        for s in (
            RecordState.ACTIVE,
            RecordState.PENDING,
            RecordState.SENT_BACK,
            RecordState.SUPERSEDED,
            RecordState.RETRACTED,
        )
    )
    undecided = decision == code_of(DECISION_CODES, None)
    returned = decision == code_of(DECISION_CODES, ReviewDecision.RETURNED)
    state = np.full(len(entered), active, dtype=np.int64)
    state[needs_review & undecided] = pending
    state[needs_review & returned] = sent_back
    state[retracted] = withdrawn
    state[~entered] = -1
    correcting = (state == active) | ((state == pending) & include_pending)
    targets = supersedes[correcting & (supersedes >= 0)]
    targets = targets[state[targets] >= 0]
    state[targets[state[targets] != withdrawn]] = superseded
    return state


def counts(states: Ints, include_pending: bool) -> Bools:
    """Which rows move a status: active ones, and those awaiting review when they are asked for."""
    counted: Bools = states == code_of(RECORD_STATE_CODES, RecordState.ACTIVE)
    if include_pending:
        counted |= states == code_of(RECORD_STATE_CODES, RecordState.PENDING)
    return counted


# -- what each counting row is evidence of ----------------------------------------------------


@dataclass(frozen=True)
class RowRoles:
    """What each row is evidence of, as the rules below read it."""

    attesting: Bools  # attests a stage: announced or in effect
    in_effect: Bools  # attests in effect
    reversal: Bools  # attests a reversal
    independent: Bools  # does not speak for the committing party
    support: Bools  # supports the pledge (a reply is not support: it answers a contradiction)
    against: Bools  # against it, and not a reversal (those have a rule of their own)
    verifies_alone: Bools  # independent, from an official record or a named investigation
    corroborates: Bools  # independent, and names its source (a sourced report or better)
    unable_to_conclude: Bools  # an assessment that the record cannot settle the pledge
    no_public_data: Bools  # an assessment that there is no public data to settle it


def row_roles(attests: Ints, direction: Ints, speaks_for: Ints, strength: Ints, reason: Ints, reply: Bools) -> RowRoles:
    announced = attests == code_of(ATTESTS_CODES, Attestation.ANNOUNCED)
    in_effect = attests == code_of(ATTESTS_CODES, Attestation.IN_EFFECT)
    reversal = attests == code_of(ATTESTS_CODES, Attestation.REVERSED)
    against = direction == code_of(DIRECTION_CODES, Direction.AGAINST)
    independent = speaks_for != code_of(SPEAKS_FOR_CODES, SpeaksFor.COMMITTING_PARTY)
    return RowRoles(
        attesting=announced | in_effect,
        in_effect=in_effect,
        reversal=reversal,
        independent=independent,
        support=(direction == code_of(DIRECTION_CODES, Direction.SUPPORTS)) & ~reply,
        against=against & ~reversal & ~reply,
        # Strength codes count up from the strongest (STRENGTH_CODES).
        verifies_alone=independent & (strength <= code_of(STRENGTH_CODES, SourceStrength.NAMED_INVESTIGATION)),
        corroborates=independent & (strength <= code_of(STRENGTH_CODES, SourceStrength.SOURCED_REPORT)),
        unable_to_conclude=reason == code_of(REASON_CODES, ReasonCode.UNABLE_TO_CONCLUDE),
        no_public_data=reason == code_of(REASON_CODES, ReasonCode.NO_PUBLIC_DATA),
    )


# -- stage and basis ----------------------------------------------------------------------------


def stage(announced: Bools, in_effect: Bools, verified: Bools) -> Ints:
    """The furthest stage reached: each argument says whether that stage's rows are on record."""
    return np.select(
        [verified, in_effect, announced],
        [STAGE_CODE[Stage.VERIFIED], STAGE_CODE[Stage.IN_EFFECT], STAGE_CODE[Stage.ANNOUNCED]],
        STAGE_CODE[Stage.PLEDGED],
    ).astype(np.int64)


def corroborated(alone: Bools, publishers: Ints) -> Bools:
    """Rows strong enough to verify: one that `verifies_alone`, or `corroborates` rows from
    CORROBORATING_PUBLISHERS publishers (`publishers`: how many distinct publishers so far)."""
    enough: Bools = alone | (publishers >= CORROBORATING_PUBLISHERS)
    return enough


def basis(stages: Ints, independent_behind: Bools, corroborated_behind: Bools) -> Ints:
    """Whose word the stage rests on, from what is behind it: independent rows at all, and
    independent rows strong enough to verify (`corroborated`)."""
    pledged = stages == STAGE_CODE[Stage.PLEDGED]
    verified = stages == STAGE_CODE[Stage.VERIFIED]
    return np.select(
        [pledged, verified | corroborated_behind, independent_behind],
        [
            code_of(BASIS_CODES, Basis.NONE),
            code_of(BASIS_CODES, Basis.INDEPENDENT),
            code_of(BASIS_CODES, Basis.REPORTED),
        ],
        code_of(BASIS_CODES, Basis.CLAIMED),
    ).astype(np.int64)


# -- flags ---------------------------------------------------------------------------------------


def contradicted(against_on: Ints, support_on: Ints) -> Bools:
    """A row against (not a reversal) is newer than the latest supporting row (NO_DAY: none)."""
    flagged: Bools = (against_on != NO_DAY) & (against_on > support_on)
    return flagged


def reversed_(reversal_on: Ints, attesting_on: Ints) -> Bools:
    """A reversal is newer than the latest row attesting a stage (NO_DAY: none)."""
    flagged: Bools = (reversal_on != NO_DAY) & (reversal_on > attesting_on)
    return flagged


def cannot_conclude(assessment_on: Ints, attesting_on: Ints) -> Bools:
    """An assessment that the record cannot settle the pledge (NO_DAY: none) is newer than
    the latest row attesting a stage: a newer step on record settles it again."""
    flagged: Bools = (assessment_on != NO_DAY) & (assessment_on > attesting_on)
    return flagged


def overdue(stages: Ints, day: Ints, due: Ints) -> Bools:
    """The due date (NO_DAY: none) has passed on `day` and the stage is below in effect."""
    flagged: Bools = (due != NO_DAY) & (stages < STAGE_CODE[Stage.IN_EFFECT]) & (day > due)
    return flagged


def late(in_effect_on: Ints, due: Ints) -> Bools:
    """In effect (NO_DAY: not yet) was first reached after the due date (NO_DAY: none)."""
    flagged: Bools = (due != NO_DAY) & (in_effect_on != NO_DAY) & (in_effect_on > due)
    return flagged


def stale(as_of: int, quiet_since: Ints, rules: StatusRules) -> Bools:
    """No row for more than `stale_after_days` days before `as_of` (since the pledge, if none)."""
    flagged: Bools = (as_of - quiet_since) > rules.stale_after_days
    return flagged


def flag_bits(
    contradicted: Bools,
    reversed_: Bools,
    overdue: Bools,
    late: Bools,
    unable_to_conclude: Bools,
    no_public_data: Bools,
) -> Ints:
    bits = np.zeros(len(contradicted), dtype=np.int64)
    for mask, flag in (
        (contradicted, Flag.CONTRADICTED),
        (reversed_, Flag.REVERSED),
        (overdue, Flag.OVERDUE),
        (late, Flag.LATE),
        (unable_to_conclude, Flag.UNABLE_TO_CONCLUDE),
        (no_public_data, Flag.NO_PUBLIC_DATA),
    ):
        bits |= np.where(mask, FLAG_BITS[flag], 0)
    return bits


@cache  # a few dozen values name every state: a board asks once per pledge
def flags_of(bits: int) -> frozenset[Flag]:
    return frozenset(f for f, bit in FLAG_BITS.items() if bits & bit)
