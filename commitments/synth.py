"""A synthetic catalogue: many realistic-looking pledges and evidence rows, for scale tests.

Nothing here is a fact: every title and summary says "Synthetic", every link points at
example.org, and the same seed always gives the same catalogue. The rows follow the
shape of real ones so the status engine meets every case it will meet in use: several
years of dates, every kind of evidence and every `speaks_for`, month-precision dates,
corrections that supersede earlier rows, retractions, contradictions, reversals, due
dates met on time, met late or missed (about a quarter of the pledges stall before
taking effect, a fifth take effect only on their own party's word), and quantitative indicators with values.

>>> first = generate(pledges=3, evidence=40, seed=7)
>>> len(first.commitments), len(first.evidence)
(3, 40)
>>> first == generate(pledges=3, evidence=40, seed=7)
True
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from commitments.models import (
    Commitment,
    DateCertainty,
    DatePrecision,
    Direction,
    Evidence,
    EvidenceKind,
    Retraction,
    SpeaksFor,
    period_start,
)

FIRST_PLEDGE = date(2015, 1, 1)
LAST_PLEDGE = date(2024, 6, 30)
# Fixed, not today: the same seed must give the same rows whatever day it runs.
END = date(2025, 12, 31)
CORRECTION_SHARE = 0.03
RETRACTION_SHARE = 0.01

PARTIES = ("PRC", "US", "Mexico", "Canada", "EU", "India", "joint")
THEMES = (
    "precursor-control",
    "scheduling",
    "law-enforcement",
    "illicit-finance",
    "information-exchange",
    "multilateral",
    "trade",
    "climate",
)
VENUES = (
    "a leaders' summit",
    "a working group meeting",
    "a ministerial dialogue",
    "a joint statement",
    "a treaty review",
)
ACTIONS = (
    "schedules a class of substances",
    "shuts down illicit suppliers",
    "reports seizures to an international database",
    "tightens export licensing",
    "prosecutes money-laundering networks",
    "shares customs data",
    "cuts emissions from a sector",
    "lowers tariffs on a product line",
)
UNITS = ("incidents reported", "firms closed", "tonnes seized", "cases prosecuted", "percent of target")
CURATORS = ("analyst-a", "analyst-b", "analyst-c", "importer")

# Weights of each kind early in a pledge's life and late in it: talk comes first, action
# and outside checks later.
EARLY: dict[EvidenceKind, float] = {
    EvidenceKind.MEETING: 22,
    EvidenceKind.STATEMENT: 24,
    EvidenceKind.ANNOUNCEMENT: 30,
    EvidenceKind.LEGAL_EFFECT: 5,
    EvidenceKind.ENFORCEMENT_ACTION: 4,
    EvidenceKind.INDEPENDENT_VERIFICATION: 2,
    EvidenceKind.CONTRADICTION: 8,
    EvidenceKind.REVERSAL: 1,
    EvidenceKind.ASSESSMENT: 4,
}
LATE: dict[EvidenceKind, float] = {
    EvidenceKind.MEETING: 12,
    EvidenceKind.STATEMENT: 16,
    EvidenceKind.ANNOUNCEMENT: 10,
    EvidenceKind.LEGAL_EFFECT: 16,
    EvidenceKind.ENFORCEMENT_ACTION: 18,
    EvidenceKind.INDEPENDENT_VERIFICATION: 12,
    EvidenceKind.CONTRADICTION: 10,
    EvidenceKind.REVERSAL: 2,
    EvidenceKind.ASSESSMENT: 4,
}
SPEAKERS = tuple(SpeaksFor)
SPEAKER_WEIGHTS = (50, 20, 12, 18)


@dataclass(frozen=True)
class SyntheticCatalogue:
    commitments: tuple[Commitment, ...]
    evidence: tuple[Evidence, ...]
    retractions: tuple[Retraction, ...]


@dataclass(frozen=True)
class PledgeRecord:
    """One pledge's rows: what a bulk load inserts together."""

    evidence: tuple[Evidence, ...]
    retractions: tuple[Retraction, ...]


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _stamp(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 19), rng.randint(0, 59), rng.randint(0, 59)))


def synth_commitment(rng: random.Random, number: int) -> Commitment:
    """One pledge; about half have a due date, about a fifth a quantitative indicator."""
    theme = THEMES[number % len(THEMES)]
    party = rng.choice(PARTIES)
    counterpart = rng.choice([p for p in PARTIES if p != party])
    pledged_on = _day_between(rng, FIRST_PLEDGE, LAST_PLEDGE)
    precision = DatePrecision.MONTH if rng.random() < 0.15 else DatePrecision.DAY
    if precision is DatePrecision.MONTH:
        pledged_on = pledged_on.replace(day=1)
    due_on = pledged_on + timedelta(days=rng.randint(120, 900)) if rng.random() < 0.5 else None
    indicator = None
    if rng.random() < 0.2:
        baseline = float(rng.randint(0, 50))
        indicator = {
            "unit": rng.choice(UNITS),
            "baseline": baseline,
            "target": baseline + rng.randint(10, 500),
            "target_by": due_on,
        }
    action = rng.choice(ACTIONS)
    return Commitment.model_validate(
        {
            "id": f"synth-{number:05d}-{theme}",
            "title": f"Synthetic pledge {number}: {party} {action}",
            "description": "Generated for scale tests; not a real pledge.",
            "party": party,
            "counterpart": counterpart,
            "theme": theme,
            "pledged_on": pledged_on,
            "pledged_on_precision": precision,
            "pledged_at": rng.choice(VENUES),
            "due_on": due_on,
            "sources": [
                {
                    "title": f"Synthetic readout {number}",
                    "publisher": f"{party} government (synthetic)",
                    "url": f"https://example.org/synthetic/pledges/{number}",
                    "published_on": pledged_on,
                }
            ],
            "keywords": [theme.replace("-", " "), action.split()[0]],
            "indicator": indicator,
        }
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def _publisher(speaks_for: SpeaksFor, c: Commitment, rng: random.Random) -> str:
    if speaks_for is SpeaksFor.COMMITTING_PARTY:
        return rng.choice([f"{c.party} ministry (synthetic)", f"{c.counterpart} embassy readout (synthetic)"])
    if speaks_for is SpeaksFor.COUNTERPART:
        return f"{c.counterpart} ministry (synthetic)"
    if speaks_for is SpeaksFor.INTERNATIONAL_BODY:
        return rng.choice(["International board (synthetic)", "UN office (synthetic)"])
    return f"Independent research group {rng.randint(1, 12)} (synthetic)"


IN_EFFECT_KINDS = (EvidenceKind.LEGAL_EFFECT, EvidenceKind.ENFORCEMENT_ACTION, EvidenceKind.INDEPENDENT_VERIFICATION)
FATES = ("normal", "stalled", "claimed")
FATE_WEIGHTS = (55, 25, 20)


def _evidence(rng: random.Random, c: Commitment, number: int, fraction: float, fate: str = "normal") -> Evidence:
    """One original row, `fraction` of the way through the pledge's life.

    A "stalled" pledge never gets past talk: its would-be implementing steps are
    statements. A "claimed" one takes effect only on the committing party's word.
    """
    weights = {k: EARLY[k] * (1 - fraction) + LATE[k] * fraction for k in EvidenceKind}
    kind = rng.choices(list(weights), weights=list(weights.values()))[0]
    if fate == "stalled" and kind in IN_EFFECT_KINDS:
        kind = EvidenceKind.STATEMENT
    if fate == "claimed" and kind is EvidenceKind.INDEPENDENT_VERIFICATION:
        kind = EvidenceKind.LEGAL_EFFECT
    if kind is EvidenceKind.INDEPENDENT_VERIFICATION:
        speaks_for = rng.choice([s for s in SPEAKERS if s.is_independent])
    elif fate == "claimed" and kind in IN_EFFECT_KINDS:
        speaks_for = SpeaksFor.COMMITTING_PARTY
    else:
        speaks_for = rng.choices(SPEAKERS, weights=SPEAKER_WEIGHTS)[0]
    first = max(c.pledged_on, FIRST_PLEDGE)
    span = (END - first).days
    event = first + timedelta(days=min(span, int(span * fraction) + rng.randint(-20, 20)))
    event = max(first, event)
    precision = DatePrecision.MONTH if rng.random() < 0.08 else DatePrecision.DAY
    if precision is DatePrecision.MONTH:
        event = event.replace(day=1)
    published = event + timedelta(days=rng.choice((0, 0, 0, 1, 2, 7, 30)))
    # Most rows are entered within weeks; some are backfilled much later (the audit axis).
    lag = rng.randint(0, 30) if rng.random() < 0.9 else rng.randint(60, 700)
    recorded_on = max(published, period_start(event, precision), min(END, published + timedelta(days=lag)))
    direction: Direction | None = None
    attests: str | None = None
    quote = ""
    if kind is EvidenceKind.STATEMENT:
        direction = rng.choices(list(Direction), weights=(70, 15, 15))[0]
    elif kind is EvidenceKind.ASSESSMENT:
        direction = rng.choice((Direction.SUPPORTS, Direction.AGAINST))
        if direction is Direction.AGAINST and rng.random() < 0.3:
            attests = "reversed"
        quote = "Synthetic analyst rationale: weighed the rows above."
    value = None
    if c.indicator is not None and kind in (
        EvidenceKind.STATEMENT,
        EvidenceKind.ASSESSMENT,
        EvidenceKind.INDEPENDENT_VERIFICATION,
    ):
        baseline = c.indicator.baseline or 0.0
        target = c.indicator.target or baseline + 100
        value = round(baseline + (target - baseline) * fraction * rng.uniform(0.5, 1.2), 1)
    publisher = _publisher(speaks_for, c, rng)
    document = rng.randint(1, 40)
    return Evidence.model_validate(
        {
            "id": f"syn-{number:07d}",
            "commitment_id": c.id,
            "event_date": event,
            "event_date_precision": precision,
            "event_date_certainty": DateCertainty.APPROXIMATE
            if precision is DatePrecision.MONTH
            else DateCertainty.STATED,
            "date_note": "month only in the source" if precision is DatePrecision.MONTH else "",
            "kind": kind,
            "direction": direction,
            "attests": attests,
            "speaks_for": speaks_for,
            "summary": f"Synthetic {kind.label} {number} on {c.id}",
            "quote": quote,
            "source": {
                "title": f"Synthetic document {document}",
                "publisher": publisher,
                # A small pool of documents per publisher, so sources repeat as they do in life.
                "url": f"https://example.org/synthetic/{_slug(publisher)}/{document}",
                "published_on": published,
            },
            "value": value,
            "recorded_by": rng.choice(CURATORS),
            "recorded_at": _stamp(rng, recorded_on),
        }
    )


def _correction(rng: random.Random, old: Evidence, number: int) -> Evidence:
    """A later row that supersedes `old`: a misread date, or a claim that was only talk."""
    fields = old.model_dump()
    if rng.random() < 0.7 or old.kind is EvidenceKind.ASSESSMENT:
        # Earlier, never later: the source and the recording still postdate the event.
        fields["event_date"] = period_start(old.event_date, old.event_date_precision) - timedelta(
            days=rng.randint(0, 10)
        )
        fields["event_date_precision"] = DatePrecision.DAY
        reason = "Synthetic correction: the date was misread"
    else:
        fields.update(kind=EvidenceKind.STATEMENT, direction=None, attests=None)
        reason = "Synthetic correction: a statement, not an implementing step"
    fields.update(
        id=f"syn-{number:07d}",
        summary=f"Corrected: {old.summary}",
        supersedes=old.id,
        correction_reason=reason,
        recorded_at=old.recorded_at + timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 12)),
    )
    return Evidence.model_validate(fields)


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` rows over `parts` pledges, unevenly (a few pledges draw most of the news)."""
    if parts == 0:
        return []
    weights = [rng.paretovariate(1.5) for _ in range(parts)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(parts), k=min(parts, total - sum(counts))) if total > sum(counts) else []:
        counts[i] += 1
    while sum(counts) < total:  # only when parts < the remainder
        counts[rng.randrange(parts)] += 1
    return counts


def iter_catalogue(pledges: int, evidence: int, seed: int = 0) -> tuple[tuple[Commitment, ...], Iterator[PledgeRecord]]:
    """The pledges, and their rows one pledge at a time (so a bulk load keeps little in memory).

    Exactly `evidence` evidence rows in all, about 3 % of them corrections, and about 1 %
    as many retractions.
    """
    if pledges < 1 and evidence > 0:
        raise ValueError("pledges: evidence needs at least one pledge")
    if pledges < 0 or evidence < 0:
        raise ValueError("pledges and evidence must not be negative")
    rng = random.Random(seed)
    commitments = tuple(synth_commitment(rng, i + 1) for i in range(pledges))
    counts = _split(rng, evidence, pledges)

    def records() -> Iterator[PledgeRecord]:
        number = 0
        for c, count in zip(commitments, counts, strict=True):
            corrections = sum(1 for _ in range(count) if rng.random() < CORRECTION_SHARE) if count > 1 else 0
            corrections = min(corrections, count // 2)
            originals = count - corrections
            fate = rng.choices(FATES, weights=FATE_WEIGHTS)[0]
            rows: list[Evidence] = []
            for k in range(originals):
                number += 1
                rows.append(_evidence(rng, c, number, (k + rng.random()) / originals, fate))
            corrected = rng.sample(range(originals), k=corrections)
            for i in corrected:
                number += 1
                rows.append(_correction(rng, rows[i], number))
            untouched = [i for i in range(originals) if i not in set(corrected)]
            retracted = [i for i in untouched if rng.random() < RETRACTION_SHARE]
            retractions = tuple(
                Retraction(
                    evidence_id=rows[i].id,
                    reason="Synthetic retraction: the source was withdrawn",
                    recorded_by=rng.choice(CURATORS),
                    recorded_at=rows[i].recorded_at + timedelta(days=rng.randint(1, 120)),
                )
                for i in retracted
            )
            yield PledgeRecord(tuple(rows), retractions)

    return commitments, records()


def generate(pledges: int, evidence: int, seed: int = 0) -> SyntheticCatalogue:
    """The whole synthetic catalogue in memory (tests and small sizes)."""
    commitments, records = iter_catalogue(pledges, evidence, seed)
    rows: list[Evidence] = []
    retractions: list[Retraction] = []
    for record in records:
        rows.extend(record.evidence)
        retractions.extend(record.retractions)
    return SyntheticCatalogue(commitments, tuple(rows), tuple(retractions))
