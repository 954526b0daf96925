"""The status rules as a table: one or more cases for each row of the table in commitments/status.py.

Each case names the rule it shows (the table row's own words), the rows of evidence and
the date, and the stage, basis and flags the production engine (the ledger) must give.
Cases stand on each side of every boundary a rule draws (the same day, a day later,
exactly the limit), so flipping any comparison in the rules module makes one fail:
`tests/test_rule_mutations.py` flips each one to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import commitments.status
from commitments.models import Basis, Flag, Retraction, Review, Stage
from commitments.status import StatusRules
from tests.engine import status_as_of
from tests.factories import pledge, row

D = date
AS_OF = D(2024, 6, 1)
RULES = StatusRules(stale_after_days=180)


def table_rules() -> list[str]:
    """The rule column of the table in the status module's docstring, as written there."""
    rules = []
    for line in (commitments.status.__doc__ or "").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.strip().startswith("|") and len(cells) == 2 and not set(cells[0]) <= {"-", ":"} and cells[0] != "rule":
            rules.append(cells[0])
    return rules


def rule(words: str) -> str:
    """The table's rule that starts with these words (so a reworded table breaks here, loudly)."""
    found = [r for r in table_rules() if re.sub(r"`", "", r).startswith(words)]
    assert len(found) == 1, f"no single rule in the table starts with {words!r}: {found}"
    return found[0]


@dataclass(frozen=True)
class Case:
    name: str
    rule: str
    rows: tuple[dict[str, Any], ...]
    stage: Stage
    basis: Basis
    flags: frozenset[Flag] = frozenset()
    as_of: date = AS_OF
    pledge: dict[str, Any] = field(default_factory=dict)
    retractions: tuple[dict[str, Any], ...] = ()
    reviews: tuple[dict[str, Any], ...] = ()
    recorded_on: date | None = None
    include_pending: bool = False


def official(**source: Any) -> dict[str, Any]:
    return {"strength": "official_record", **source}


def run(case: Case) -> tuple[Stage, Basis, frozenset[Flag]]:
    evidence = [row(**dict(r)) for r in case.rows]
    status = status_as_of(
        pledge(**case.pledge),
        evidence,
        case.as_of,
        retractions=[
            Retraction(**{"reason": "withdrawn", "recorded_by": "b", "recorded_at": datetime(2030, 1, 2), **r})
            for r in case.retractions
        ],
        reviews=[Review(**{"reviewer": "b", "reviewed_at": datetime(2030, 1, 2), **r}) for r in case.reviews],
        recorded_on=case.recorded_on,
        include_pending=case.include_pending,
        rules=RULES,
    )
    assert status is not None, case.name
    return status.stage, status.basis, status.flags


ANNOUNCE = dict(kind="announcement", on=D(2024, 3, 1))
IN_FORCE = dict(kind="legal_effect", on=D(2024, 3, 1))
CLAIMED = (Basis.CLAIMED,)

CASES: list[Case] = [
    # -- which rows count -------------------------------------------------------------------
    Case(
        "a retracted row does not count",
        rule("a row is retracted"),
        (dict(IN_FORCE, id="a"),),
        Stage.PLEDGED,
        Basis.NONE,
        retractions=(dict(evidence_id="a"),),
    ),
    Case(
        "a correction replaces the first row on record",
        rule("a row is retracted"),
        (
            dict(IN_FORCE, id="first"),
            dict(ANNOUNCE, id="fix", supersedes="first", correction_reason="only announced"),
        ),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
    ),
    Case(
        "a correction of a retracted row replaces nothing",
        rule("a row is retracted"),
        (
            dict(ANNOUNCE, id="old"),
            dict(IN_FORCE, id="fix", supersedes="old", correction_reason="in force after all"),
        ),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        retractions=(dict(evidence_id="old"),),
    ),
    Case(
        "a retracted correction brings back the row it replaced",
        rule("a row is retracted"),
        (
            dict(IN_FORCE, id="original"),
            dict(ANNOUNCE, id="fix", supersedes="original", correction_reason="thought it only announced"),
        ),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        retractions=(dict(evidence_id="fix"),),
    ),
    Case(
        "a row sent back by a reviewer does not count, even when pending rows do",
        rule("a row is retracted"),
        (dict(IN_FORCE, id="r", needs_review=True),),
        Stage.PLEDGED,
        Basis.NONE,
        reviews=(dict(evidence_id="r", decision="returned", comment="wrong source"),),
        include_pending=True,
    ),
    Case(
        "a confirmed row counts",
        rule("a row recorded under review"),
        (dict(IN_FORCE, id="r", needs_review=True),),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        reviews=(dict(evidence_id="r", decision="confirmed"),),
    ),
    Case(
        "a row awaiting review does not count",
        rule("a row recorded under review"),
        (dict(IN_FORCE, id="r", needs_review=True),),
        Stage.PLEDGED,
        Basis.NONE,
    ),
    Case(
        "a row awaiting review counts when pending rows are asked for",
        rule("a row recorded under review"),
        (dict(IN_FORCE, id="r", needs_review=True),),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        include_pending=True,
    ),
    Case(
        "a correction awaiting review replaces its row only when pending rows are asked for",
        rule("a row recorded under review"),
        (
            dict(IN_FORCE, id="first"),
            dict(ANNOUNCE, id="fix", supersedes="first", correction_reason="x", needs_review=True),
        ),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        include_pending=True,
    ),
    Case(
        "as recorded: a row entered after the date does not count",
        rule("a row is retracted"),
        (dict(IN_FORCE, recorded_at=datetime(2024, 5, 1, 9)),),
        Stage.PLEDGED,
        Basis.NONE,
        recorded_on=D(2024, 4, 30),
    ),
    Case(
        "as recorded: a row entered on the date counts",
        rule("a row is retracted"),
        (dict(IN_FORCE, recorded_at=datetime(2024, 5, 1, 9)),),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        recorded_on=D(2024, 5, 1),
    ),
    # -- stages -------------------------------------------------------------------------------
    Case("the pledge is on record", rule("the pledge is on record"), (), Stage.PLEDGED, Basis.NONE),
    Case(
        "meetings and statements move no stage",
        rule("the pledge is on record"),
        (dict(kind="meeting", on=D(2024, 3, 1)), dict(kind="statement", on=D(2024, 3, 2))),
        Stage.PLEDGED,
        Basis.NONE,
    ),
    Case("an announcement", rule("a row attests announced"), (ANNOUNCE,), Stage.ANNOUNCED, Basis.CLAIMED),
    Case("a legal effect", rule("a row attests in_effect"), (IN_FORCE,), Stage.IN_EFFECT, Basis.CLAIMED),
    Case(
        "an enforcement action",
        rule("a row attests in_effect"),
        (dict(kind="enforcement_action", on=D(2024, 3, 1)),),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
    ),
    Case(
        "any kind may attest a stage explicitly",
        rule("a row attests in_effect"),
        (dict(kind="meeting", on=D(2024, 3, 1), direction="supports", attests="in_effect"),),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
    ),
    Case(
        "an independent official record verifies",
        rule("an independent row attests in_effect from an official_record"),
        (IN_FORCE, dict(IN_FORCE, on=D(2024, 4, 1), speaks_for="international_body", source=official())),
        Stage.VERIFIED,
        Basis.INDEPENDENT,
    ),
    Case(
        "a named independent investigation verifies",
        rule("an independent row attests in_effect from an official_record"),
        (dict(IN_FORCE, speaks_for="independent", source={"strength": "named_investigation"}),),
        Stage.VERIFIED,
        Basis.INDEPENDENT,
    ),
    Case(
        "one sourced report does not verify",
        rule("an independent row is behind the stage"),
        (dict(IN_FORCE, speaks_for="counterpart", source={"strength": "sourced_report"}),),
        Stage.IN_EFFECT,
        Basis.REPORTED,
    ),
    Case(
        "one unattributed report does not verify",
        rule("an independent row is behind the stage"),
        (dict(IN_FORCE, speaks_for="independent"),),  # unattributed: the default for independent media
        Stage.IN_EFFECT,
        Basis.REPORTED,
    ),
    Case(
        "sourced reports from two publishers verify",
        rule("independent rows attest in_effect from 2 publishers"),
        (
            dict(IN_FORCE, speaks_for="independent", source={"publisher": "AP", "strength": "sourced_report"}),
            dict(
                IN_FORCE,
                on=D(2024, 3, 5),
                speaks_for="independent",
                source={"title": "Wire", "publisher": "Reuters", "strength": "sourced_report"},
            ),
        ),
        Stage.VERIFIED,
        Basis.INDEPENDENT,
    ),
    Case(
        "two sourced reports from one publisher do not verify",
        rule("independent rows attest in_effect from 2 publishers"),
        (
            dict(IN_FORCE, speaks_for="independent", source={"publisher": "AP", "strength": "sourced_report"}),
            dict(
                IN_FORCE,
                on=D(2024, 3, 5),
                speaks_for="independent",
                source={"title": "Follow-up", "publisher": "AP", "strength": "sourced_report"},
            ),
        ),
        Stage.IN_EFFECT,
        Basis.REPORTED,
    ),
    Case(
        "a sourced report and an unattributed one do not verify",
        rule("independent rows attest in_effect from 2 publishers"),
        (
            dict(IN_FORCE, speaks_for="independent", source={"publisher": "AP", "strength": "sourced_report"}),
            dict(IN_FORCE, on=D(2024, 3, 5), speaks_for="independent", source={"publisher": "Blog"}),
        ),
        Stage.IN_EFFECT,
        Basis.REPORTED,
    ),
    Case(
        "the committing party's own records never verify",
        rule("every row behind the stage speaks for the committing party"),
        (IN_FORCE, dict(IN_FORCE, on=D(2024, 4, 1), source=official(title="Gazette"))),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
    ),
    # -- basis of an announcement ----------------------------------------------------------------
    Case(
        "an announcement on the party's word is claimed",
        rule("every row behind the stage speaks for the committing party"),
        (ANNOUNCE,),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
    ),
    Case(
        "an announcement an unattributed report repeats is reported",
        rule("an independent row is behind the stage"),
        (dict(ANNOUNCE, speaks_for="independent"),),
        Stage.ANNOUNCED,
        Basis.REPORTED,
    ),
    Case(
        "an announcement an international body records is independent",
        rule("independent rows behind announced would verify it"),
        (dict(ANNOUNCE, speaks_for="international_body"),),
        Stage.ANNOUNCED,
        Basis.INDEPENDENT,
    ),
    # -- flags -------------------------------------------------------------------------------------
    Case(
        "against, newer than the latest support: contradicted",
        rule("a row against"),
        (ANNOUNCE, dict(kind="contradiction", on=D(2024, 4, 1), speaks_for="independent")),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        frozenset({Flag.CONTRADICTED}),
    ),
    Case(
        "against, on the same day as the latest support: not contradicted",
        rule("a row against"),
        (ANNOUNCE, dict(kind="contradiction", on=D(2024, 3, 1), speaks_for="independent")),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
    ),
    Case(
        "against, older than the latest support: not contradicted",
        rule("a row against"),
        (dict(kind="contradiction", on=D(2024, 2, 1), speaks_for="independent"), ANNOUNCE),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
    ),
    Case(
        "against, with no support at all: contradicted",
        rule("a row against"),
        (dict(kind="contradiction", on=D(2024, 2, 1), speaks_for="independent"),),
        Stage.PLEDGED,
        Basis.NONE,
        frozenset({Flag.CONTRADICTED}),
    ),
    Case(
        "a reply to a contradiction moves nothing: still contradicted",
        rule("a reply to a contradiction"),
        (
            ANNOUNCE,
            dict(kind="contradiction", id="c", on=D(2024, 4, 1), speaks_for="independent", reason_code="disputed"),
            dict(kind="statement", on=D(2024, 4, 5), direction="supports", replies_to="c", summary="We did it"),
        ),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        frozenset({Flag.CONTRADICTED}),
    ),
    Case(
        "a reply answering support does not contradict either",
        rule("a reply to a contradiction"),
        (
            ANNOUNCE,
            dict(kind="contradiction", id="c", on=D(2024, 2, 1), speaks_for="independent"),
            dict(kind="statement", on=D(2024, 4, 5), direction="against", replies_to="c", summary="We object"),
        ),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
    ),
    Case(
        "a reversal newer than the latest stage row: reversed",
        rule("a reversal is newer"),
        (IN_FORCE, dict(kind="reversal", on=D(2024, 4, 1), speaks_for="independent", reason_code="repealed")),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        frozenset({Flag.REVERSED}),
    ),
    Case(
        "a reversal on the same day as the latest stage row: not reversed",
        rule("a reversal is newer"),
        (IN_FORCE, dict(kind="reversal", on=D(2024, 3, 1), speaks_for="independent")),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
    ),
    Case(
        "back in effect after a reversal: not reversed",
        rule("a reversal is newer"),
        (IN_FORCE, dict(kind="reversal", on=D(2024, 4, 1)), dict(IN_FORCE, on=D(2024, 5, 1))),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
    ),
    Case(
        "an analyst's assessment can mark a reversal, dated and explained",
        rule("a reversal is newer"),
        (
            IN_FORCE,
            dict(
                kind="assessment",
                on=D(2024, 4, 1),
                speaks_for="independent",
                attests="reversed",
                direction="against",
                reason_code="blocked_by_court",
                quote="A court blocked the measure; treat as reversed.",
            ),
        ),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        frozenset({Flag.REVERSED}),
    ),
    Case(
        "an assessment that the record cannot settle it: unable to conclude",
        rule("an assessment that cannot conclude"),
        (
            ANNOUNCE,
            dict(
                kind="assessment",
                on=D(2024, 4, 1),
                speaks_for="independent",
                direction="neutral",
                reason_code="unable_to_conclude",
                quote="Reports conflict and none can be checked.",
            ),
        ),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        frozenset({Flag.UNABLE_TO_CONCLUDE}),
    ),
    Case(
        "an assessment that there is no public data: no public data",
        rule("an assessment that cannot conclude"),
        (
            dict(
                kind="assessment",
                on=D(2024, 4, 1),
                speaks_for="independent",
                direction="neutral",
                reason_code="no_public_data",
                quote="No figures are published.",
            ),
        ),
        Stage.PLEDGED,
        Basis.NONE,
        frozenset({Flag.NO_PUBLIC_DATA}),
    ),
    Case(
        "the same day as the latest stage row: the step settles it",
        rule("an assessment that cannot conclude"),
        (
            ANNOUNCE,
            dict(
                kind="assessment",
                on=D(2024, 3, 1),
                speaks_for="independent",
                direction="neutral",
                reason_code="no_public_data",
                quote="No figures are published.",
            ),
        ),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
    ),
    Case(
        "due date passed before in effect: overdue",
        rule("the due date has passed"),
        (ANNOUNCE,),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        frozenset({Flag.OVERDUE}),
        pledge={"due_on": D(2024, 5, 31)},
    ),
    Case(
        "on the due date itself: not yet overdue",
        rule("the due date has passed"),
        (ANNOUNCE,),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        pledge={"due_on": AS_OF},
    ),
    Case(
        "evidence on the due date itself: not yet overdue",
        rule("the due date has passed"),
        (ANNOUNCE, dict(kind="statement", on=AS_OF)),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        pledge={"due_on": AS_OF},
    ),
    Case(
        "in effect, past the due date: not overdue (and late)",
        rule("the due date has passed"),
        (IN_FORCE,),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        frozenset({Flag.LATE}),
        pledge={"due_on": D(2024, 2, 29)},
    ),
    Case(
        "in effect the day after the due date: late",
        rule("in_effect was first reached after the due date"),
        (IN_FORCE,),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        frozenset({Flag.LATE}),
        pledge={"due_on": D(2024, 2, 29)},
    ),
    Case(
        "in effect on the due date: not late",
        rule("in_effect was first reached after the due date"),
        (IN_FORCE,),
        Stage.IN_EFFECT,
        Basis.CLAIMED,
        pledge={"due_on": D(2024, 3, 1)},
    ),
    Case(
        "no evidence for one day more than the limit: stale",
        rule("no row for more than"),
        (dict(ANNOUNCE, on=D(2024, 1, 10)),),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        frozenset({Flag.STALE}),
        as_of=D(2024, 7, 9),  # 181 days later
    ),
    Case(
        "no evidence for exactly the limit: not stale",
        rule("no row for more than"),
        (dict(ANNOUNCE, on=D(2024, 1, 10)),),
        Stage.ANNOUNCED,
        Basis.CLAIMED,
        as_of=D(2024, 7, 8),  # 180 days later
    ),
]
