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

from collections.abc import Mapping, Sequence
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
        return f"Pledged in {pledged}; {count_text(evidence_count, 'row')} on record, none showing a concrete step yet."
    word = f", {whose_word(speaks_for, commitment)}" if speaks_for is not None else ""
    # Without the source (the brief cites it by number) the sentence still says whose word it is.
    by = f": {source}{word}" if source else word
    if stage is Stage.VERIFIED:
        return f"Verified since {when}{by}."
    label = stage.label.capitalize()
    tail = " No independent source yet." if basis is Basis.CLAIMED else ""
    return f"{label} since {when}{by}.{tail}"


def count_text(n: int, what: str) -> str:
    """A count and its noun: "1 row", "3 rows".

    >>> count_text(1, "pledge"), count_text(0, "pledge")
    ('1 pledge', '0 pledges')
    """
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def sources_sentence(claimed: int, independent: int, commitment: Commitment) -> str:
    party = _party(commitment.party) if commitment.party.lower() != "joint" else "the parties"
    return (
        f"Behind this stage: {count_text(claimed, 'source')} speaking for {party}, "
        f"{count_text(independent, 'independent source')}."
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


# -- the briefing: how the brief and the workbook name a view, its scope, its changes, its sources


def view_text(as_of: date, recorded_on: date | None = None, include_pending: bool = False) -> str:
    """The date a brief looks from, and on which axis.

    >>> view_text(date(2024, 8, 10), date(2024, 8, 12))
    'as of 10 Aug 2024, counting only what was recorded by 12 Aug 2024'
    """
    text = f"as of {date_text(as_of)}"
    if recorded_on is not None:
        text += f", counting only what was recorded by {date_text(recorded_on)}"
    if include_pending:
        text += ", rows awaiting review counted"
    return text


def scope_text(
    parties: Sequence[str] = (), themes: Sequence[str] = (), stages: Sequence[str] = (), flags: Sequence[str] = ()
) -> str:
    """Which pledges a brief or a workbook covers, from the shared filters.

    >>> scope_text(), scope_text(parties=["PRC", "US"], stages=["in_effect"])
    ('every pledge', 'pledges with party PRC or US and stage in effect')
    """
    chosen = (
        ("party", [str(p) for p in parties]),
        ("theme", [str(t).replace("-", " ") for t in themes]),
        ("stage", [Stage.from_slug(s).label for s in stages]),
        ("flag", [Flag(f).label for f in flags]),
    )
    parts = [f"{name} {' or '.join(values)}" for name, values in chosen if values]
    return "pledges with " + " and ".join(parts) if parts else "every pledge"


def step_text(on: date, reason: str) -> str:
    """One step of a pledge's history: "5 Aug 2024: pledged → announced (claimed): ..."."""
    return f"{date_text(on)}: {reason}"


def unchanged_text(new_rows: int, corrections: int) -> str:
    """A pledge that gained evidence (or had rows corrected) without changing status.

    >>> unchanged_text(1, 0), unchanged_text(0, 2)
    ('1 new evidence row; status unchanged', '2 corrections; status unchanged')
    """
    parts = [count_text(new_rows, "new evidence row")] if new_rows else []
    parts += [count_text(corrections, "correction")] if corrections else []
    return ", ".join(parts) + "; status unchanged"


def _are(n: int) -> str:
    return "none is" if n == 0 else ("1 is" if n == 1 else f"{n} are")


def bottom_line(counts: Mapping[str, int], changed: int, since: date, party: str = "the committing party") -> str:
    """The brief's first sentences: how many pledges stand where, and how many moved.

    `counts` by status label (`status_label`), as the board has them.

    >>> bottom_line({"pledged": 9, "announced (claimed)": 3, "in effect (claimed)": 3,
    ...              "in effect (reported)": 2}, 1, date(2024, 8, 1))  # doctest: +NORMALIZE_WHITESPACE
    "Of 17 pledges, none is verified. 5 are in effect: 3 only on the committing party's word, 2 also
    reported by others, too weakly to verify. 3 are announced; 9 show no concrete step yet.
    Since 1 Aug 2024, 1 pledge changed status."
    """
    total = sum(counts.values())
    if not total:
        return "No pledge is on record for this date and scope."

    def n(*labels: str) -> int:
        return sum(counts.get(label, 0) for label in labels)

    verified = n(status_label(Stage.VERIFIED, Basis.INDEPENDENT))
    claimed, reported = (n(status_label(Stage.IN_EFFECT, b)) for b in (Basis.CLAIMED, Basis.REPORTED))
    in_effect = claimed + reported + n(status_label(Stage.IN_EFFECT, Basis.INDEPENDENT))
    announced = sum(v for k, v in counts.items() if k.startswith(Stage.ANNOUNCED.label))
    pledged = n(status_label(Stage.PLEDGED, Basis.NONE))
    text = f"Of {count_text(total, 'pledge')}, {_are(verified)} verified."
    if in_effect:
        detail = [f"{claimed} only on {party}'s word"] if claimed else []
        detail += [f"{reported} also reported by others, too weakly to verify"] if reported else []
        text += f" {_are(in_effect).capitalize()} in effect" + (": " + ", ".join(detail) if detail else "") + "."
    rest = [f"{_are(announced)} announced"] if announced else []
    rest += [f"{pledged} {'shows' if pledged == 1 else 'show'} no concrete step yet"] if pledged else []
    if rest:
        text += " " + "; ".join(rest)[:1].upper() + "; ".join(rest)[1:] + "."
    moved = "no pledge" if not changed else count_text(changed, "pledge")
    return f"{text} Since {date_text(since)}, {moved} changed status."


def citation_text(title: str, publisher: str, published_on: date | None, strength: SourceStrength | None) -> str:
    """A numbered source at the back of a brief: title, publisher, date, how much it can carry.

    >>> citation_text("Annual report 2024", "INCB", date(2024, 3, 5), SourceStrength.OFFICIAL_RECORD)
    'Annual report 2024. INCB, 5 Mar 2024. Official record.'
    """
    text = title.rstrip(".") + "."
    if publisher and publisher.casefold() not in title.casefold():
        text += f" {publisher}"
        text += f", {date_text(published_on)}." if published_on else "."
    elif published_on:
        text += f" {date_text(published_on)}."
    if strength is not None:
        text += f" {strength.label.capitalize()}."
    return text


# How the brief and the workbook read, in a few sentences (the README and the About page say it at length).
METHOD_IN_BRIEF: tuple[str, ...] = (
    "A status is derived from dated evidence, never typed in: pledged, announced, in effect, verified.",
    "In effect (claimed) rests only on the committing party's own word; in effect (reported) is reported by "
    "others too, but by no source strong enough to verify it.",
    "Verified needs an independent official record or named investigation, or reports naming their sources "
    f"from {CORROBORATING_PUBLISHERS} different publishers; one unattributed report never verifies.",
    "As of a date counts what had happened and been made public by then; a date known only to the month "
    "counts from the month's end.",
    "Evidence is never edited: corrections and retractions are new rows, kept on record with their reasons.",
)

# Column headings of the workbook and the brief, in words, and what each column holds: (heading, meaning).
HEADINGS: dict[str, tuple[str, str]] = {
    "pledge": ("Pledge", "What was pledged, in the catalogue's words."),
    "pledge_id": ("Pledge id", "The pledge's stable id, as in the CSV files and the dashboard's links."),
    "party": ("Party", "Who made the pledge (the committing party)."),
    "theme": ("Theme", "What the pledge is about."),
    "status": (
        "Status",
        "The stage and whose word it rests on: pledged, announced, in effect (claimed: only the committing "
        "party's word; reported: others too, but too weakly to verify), verified.",
    ),
    "flags": ("Flags", "Warnings on the status: contradicted, reversed, overdue, late, stale, unable to conclude."),
    "stage_since": ("Stage since", "When the pledge reached its stage, as a date (a month's or year's last day)."),
    "last_evidence_on": ("Last evidence", "When the latest evidence became known, as a date."),
    "pledged_on": ("Pledged on", "When the pledge was made, as a date."),
    "known_as": ("(as known)", "The date beside it, no more precise than it is known: '5 Aug 2024', 'Jan 2024'."),
    "due_on": ("Due", "The pledge's own deadline, if it has one."),
    "evidence_count": ("Evidence rows", "How many evidence rows count for the pledge by the date."),
    "claimed_sources": ("Claimed sources", "Sources behind the stage that speak for the committing party."),
    "independent_sources": ("Independent sources", "Sources behind the stage that do not speak for it."),
    "verified_by": ("Verified by", "The independent sources that verify it, with how strong each is."),
    "reported_by": ("Reported by", "Independent sources behind the stage that do not verify it (yet)."),
    "missing": ("What verifying needs", "What would still have to come in for the pledge to count as verified."),
    "why": ("Why", "What the stage rests on, in one sentence."),
    "reasons": ("All reasons", "Every reason for the status: the stage, its sources, each flag."),
    "before": ("Status before", "The status on the earlier date."),
    "after": ("Status now", "The status on the as-of date."),
    "status_changed": ("Status changed", "yes: stage, basis or a flag other than stale moved between the dates."),
    "steps": ("Steps", "Each change of status between the dates, with its date and the evidence that caused it."),
    "change_rows": ("Rows behind the change", "The ids of the evidence rows that changed the status."),
    "new_rows": ("New rows", "Evidence rows that became known between the dates."),
    "corrected_rows": ("Corrected rows", "Rows corrected or retracted between the dates."),
    "row_id": ("Row id", "The evidence row's id (the evidence-log CSV's `id`)."),
    "event_date": ("Event date", "When it happened, as a date (a month's or year's first day)."),
    "date_certainty": ("Date certainty", "stated in the source, inferred from it, or approximate."),
    "date_note": ("Date note", "How the date was read from the source."),
    "kind": ("Kind", "announcement, legal effect, enforcement action, statement, meeting, assessment ..."),
    "direction": ("Direction", "Whether the row supports the pledge, goes against it, or neither."),
    "attests": ("Attests", "The stage the row is evidence of, if any."),
    "whose_word": ("Whose word", "Whom the row speaks for, relative to the pledge's committing party."),
    "summary": ("Summary", "The evidence in one line."),
    "quote": ("Quote", "The source's words (or our paraphrase, where marked)."),
    "source": ("Source", "The document's title."),
    "publisher": ("Publisher", "Who published it."),
    "link": ("Link", "Where to read it."),
    "reference": ("Reference", "Where it is kept when it has no link (e.g. a seed file)."),
    "published_on": ("Published on", "When the source was published, as a date."),
    "strength": ("Source strength", "official record, named investigation, sourced report or unattributed."),
    "value": ("Value", "A measured value, in the pledge's indicator's unit."),
    "known_on": ("Known on", "The first date on which the row had both happened and been published."),
    "record_state": ("Record state", "active, superseded (by which row), retracted (why), pending or sent back."),
    "corrects": ("Corrects row", "The row this one supersedes."),
    "correction_reason": ("Why corrected", "Why the earlier row was corrected."),
    "reason": ("Reason", "Why a row goes against the pledge, or why an assessment cannot conclude."),
    "replies_to": ("Replies to row", "The contradiction this row answers, in the committing party's words."),
    "recorded_by": ("Recorded by", "Who entered the row."),
    "recorded_at": ("Recorded at", "When it was entered (UTC)."),
    "on": ("On", "The date of the change."),
    "history_after": ("Status after", "The status from that date on."),
    "what_changed": ("What changed", "The change, and the evidence that caused it."),
    "history_rows": ("Rows", "The ids of the evidence rows that became known that day."),
}


def heading(key: str) -> str:
    """A column's heading: `heading("pledge_id")` is "Pledge id"."""
    return HEADINGS[key][0]
