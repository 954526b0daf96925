"""The words the tool says a status in: labels, dates at their precision, whose word, and why.

Every sentence the board, the pledge page, the CSVs, the workbook and the brief use to
explain a status is written here, once, in plain English: "In effect since 1 Sep 2024 on
the PRC's word: ...", never `in_effect on 2024-09-01 [ev-1]`.

>>> status_label(Stage.IN_EFFECT, Basis.CLAIMED)
'in effect (claimed)'
>>> date_text(date(2024, 1, 1), DatePrecision.MONTH), date_text(date(2024, 8, 5), DatePrecision.DAY)
('Jan 2024', '5 Aug 2024')
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from commitments.models import (
    Basis,
    Commitment,
    DatePrecision,
    Flag,
    ReasonCode,
    RecordState,
    SourceStrength,
    SpeaksFor,
    Stage,
)
from commitments.status import CORROBORATING_PUBLISHERS


class Credited(Protocol):
    """A source behind a stage, as `verification_gap` names it (ledger.Credit)."""

    @property
    def cited(self) -> str: ...


# Stages a committing party can reach on its own word: their label says whose word it is.
CLAIMABLE = (Stage.ANNOUNCED, Stage.IN_EFFECT)


def status_label(stage: Stage, basis: Basis) -> str:
    """The board's wording for a stage on a basis: "in effect (claimed)", "in effect (reported)", "verified".

    >>> status_label(Stage.IN_EFFECT, Basis.REPORTED), status_label(Stage.VERIFIED, Basis.INDEPENDENT)
    ('in effect (reported)', 'verified')
    """
    if stage in CLAIMABLE and basis in (Basis.CLAIMED, Basis.REPORTED):
        return f"{stage.label} ({basis.value})"
    return stage.label


BASIS_MEANINGS: dict[Basis, str] = {
    Basis.NONE: "nothing on record beyond the pledge itself",
    Basis.CLAIMED: "only the committing party's own word",
    Basis.REPORTED: "someone else reports it too, but no source strong enough to verify it",
    Basis.INDEPENDENT: "independent sources strong enough to verify it",
}
STRENGTH_MEANINGS: dict[SourceStrength, str] = {
    SourceStrength.OFFICIAL_RECORD: "an official record or data of a government or an international body "
    "(a gazette notice, a regulation, an INCB report, a Treasury designation)",
    SourceStrength.NAMED_INVESTIGATION: "a named independent investigation or research with its own findings",
    SourceStrength.SOURCED_REPORT: "a secondary report that names its source",
    SourceStrength.UNATTRIBUTED: "an unattributed or second-hand report",
}


def date_text(day: date | None, precision: DatePrecision = DatePrecision.DAY) -> str:
    """A date no more precise than it is known: "5 Aug 2024", "Aug 2024", "2024" ("" for none)."""
    if day is None:
        return ""
    if precision is DatePrecision.YEAR:
        return str(day.year)
    if precision is DatePrecision.MONTH:
        return day.strftime("%b %Y")
    return f"{day.day} {day:%b %Y}"


def whose_word(speaks_for: SpeaksFor, commitment: Commitment) -> str:
    """Whose word a row rests on, named for this pledge: "the PRC's word", "the US (counterpart)"."""
    if speaks_for is SpeaksFor.COMMITTING_PARTY:
        return f"{_party(commitment.party)}'s word" if commitment.party.lower() != "joint" else "the parties' own word"
    if speaks_for is SpeaksFor.COUNTERPART:
        return f"{_party(commitment.counterpart)} (counterpart)" if commitment.counterpart else "the counterpart"
    if speaks_for is SpeaksFor.INTERNATIONAL_BODY:
        return "an international body"
    return "independent"


def _party(name: str) -> str:
    # "PRC's word" reads as "the PRC's word"; a name that is already a phrase keeps its own article.
    return name if name.lower().startswith("the ") else f"the {name}"


def source_text(title: str, publisher: str) -> str:
    """A source named for a reader: "Readout (The White House)", or the title alone."""
    if publisher and publisher.casefold() not in title.casefold():
        return f"{title} ({publisher})"
    return title


def credit_text(title: str, publisher: str, strength: SourceStrength) -> str:
    """A source and how much it can carry: "INCB annual report (INCB; official record)"."""
    if publisher and publisher.casefold() not in title.casefold():
        return f"{title} ({publisher}; {strength.label})"
    return f"{title} ({strength.label})"


def verified_sentence(cited: list[str]) -> str:
    return "Verified by: " + "; ".join(cited) + "."


def verification_gap(reported: Sequence[Credited], commitment: Commitment) -> str:
    """What verifying a pledge in effect would still need, given the independent rows behind it."""
    need = (
        "an official record or a named investigation from someone who does not speak for "
        f"{_speaker(commitment)}, or reports naming their sources from {CORROBORATING_PUBLISHERS} different publishers"
    )
    if not reported:
        return f"Not verified: only {_speaker(commitment)}'s own word so far; verifying needs {need}."
    named = "; ".join(r.cited for r in reported)
    return f"Not verified: reported by {named}; verifying needs {need}."


def _speaker(commitment: Commitment) -> str:
    return _party(commitment.party) if commitment.party.lower() != "joint" else "the parties"


def stage_sentence(
    stage: Stage,
    basis: Basis,
    since: date,
    since_precision: DatePrecision,
    commitment: Commitment,
    source: str = "",
    speaks_for: SpeaksFor | None = None,
    evidence_count: int = 0,
) -> str:
    """Why the pledge stands where it does, in one sentence."""
    when = date_text(since, since_precision)
    if stage is Stage.PLEDGED:
        pledged = date_text(commitment.pledged_on, commitment.pledged_on_precision)
        if not evidence_count:
            return f"Pledged in {pledged} ({commitment.pledged_at}); no evidence recorded yet."
        rows = "1 row" if evidence_count == 1 else f"{evidence_count} rows"
        return f"Pledged in {pledged}; {rows} on record, none showing a concrete step yet."
    word = f", {whose_word(speaks_for, commitment)}" if speaks_for is not None else ""
    by = f": {source}{word}" if source else ""
    if stage is Stage.VERIFIED:
        return f"Verified since {when}{by}."
    label = stage.label.capitalize()
    tail = " No independent source yet." if basis is Basis.CLAIMED else ""
    return f"{label} since {when}{by}.{tail}"


def sources_sentence(claimed: int, independent: int, commitment: Commitment) -> str:
    def many(n: int, what: str) -> str:
        return f"{n} {what}" if n == 1 else f"{n} {what}s"

    party = _party(commitment.party) if commitment.party.lower() != "joint" else "the parties"
    return (
        f"Behind this stage: {many(claimed, 'source')} speaking for {party}, {many(independent, 'independent source')}."
    )


def _why(reason: ReasonCode | None) -> str:
    return f" ({reason.label})" if reason is not None else ""


def contradicted_sentence(
    on: date, summary: str, source: str, support_on: date | None, reason: ReasonCode | None = None
) -> str:
    support = f" (latest support: {date_text(support_on)})" if support_on else " (no support on record)"
    return f"Contradicted{_why(reason)} on {date_text(on)}: {summary} ({source}), newer than the support{support}."


def reply_sentence(on: date, summary: str, source: str, commitment: Commitment) -> str:
    speaker = _speaker(commitment)
    return f"{speaker[:1].upper()}{speaker[1:]} replied on {date_text(on)}: {summary} ({source})."


def reversed_sentence(on: date, summary: str, source: str, reason: ReasonCode | None = None) -> str:
    return f"Reversed{_why(reason)} on {date_text(on)}: {summary} ({source})."


def gap_sentence(on: date, summary: str, source: str, reason: ReasonCode | None) -> str:
    what = reason.label.capitalize() if reason is not None else "Cannot conclude"
    return f"{what} (assessment of {date_text(on)}): {summary} ({source})."


def overdue_sentence(due_on: date) -> str:
    return f"Overdue: due {date_text(due_on)}, and not in effect."


def late_sentence(due_on: date, in_effect_on: date) -> str:
    return f"Late: due {date_text(due_on)}, in effect only from {date_text(in_effect_on)}."


def stale_sentence(quiet_since: date, precision: DatePrecision, stale_after_days: int, had_evidence: bool) -> str:
    since = "no evidence since" if had_evidence else "no evidence since the pledge in"
    return f"Stale: {since} {date_text(quiet_since, precision)} (more than {stale_after_days} days)."


FLAG_SENTENCE_ORDER = (Flag.CONTRADICTED, Flag.REVERSED, Flag.OVERDUE, Flag.LATE, Flag.STALE)


def transition_sentence(
    before: tuple[Stage, Basis, frozenset[Flag]] | None,
    after: tuple[Stage, Basis, frozenset[Flag]],
    summaries: list[str],
) -> str:
    """What changed at one step of a pledge's history: "pledged → announced (claimed): ..."."""
    if before is None:
        changes = ["pledged"] if not summaries else [f"{status_label(after[0], after[1])} on its first evidence"]
    else:
        changes = []
        if before[:2] != after[:2]:
            changes.append(f"{status_label(before[0], before[1])} → {status_label(after[0], after[1])}")
        changes += [f"now {f.label}" for f in sorted(after[2] - before[2])]
        changes += [f"no longer {f.label}" for f in sorted(before[2] - after[2])]
    text = ", ".join(changes)
    if summaries:
        text += ": " + "; ".join(summaries[:3]) + (" …" if len(summaries) > 3 else "")
    return text


def record_text(state: RecordState, note: str = "") -> str:
    """Where a row stands, in words: "active", "superseded by ev-…", "retracted: why", "sent back: comment"."""
    if not note:
        return state.label
    joiner = " by " if state is RecordState.SUPERSEDED else ": "
    return f"{state.label}{joiner}{note}"
