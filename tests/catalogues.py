"""Random catalogues dense with ties, corrections, retractions and reviews, for property tests.

Few pledges, few days, shared sources: the cases where an engine's bookkeeping goes wrong.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from commitments.models import (
    Commitment,
    DatePrecision,
    Evidence,
    EvidenceKind,
    Retraction,
    Review,
    ReviewDecision,
    SpeaksFor,
    period_start,
)

Catalogue = tuple[list[Commitment], list[Evidence], list[Retraction], list[Review]]
START = date(2024, 1, 1)
IMPORTED = datetime(2024, 6, 1, 12, 0)
PLEDGE_IDS = ("alpha", "beta", "gamma")
SOURCES = (
    {"title": "Notice", "publisher": "Ministry"},
    {"title": "Notice", "publisher": "ministry"},  # same source once case is folded
    {"title": "Report", "publisher": "Watchdog", "url": "https://example.org/report"},
    {"title": "Other report", "publisher": "Watchdog", "url": "https://EXAMPLE.org/report"},
    {"title": "Bulletin", "publisher": "", "url": ""},
)


@st.composite
def pledges(draw: st.DrawFn) -> list[Commitment]:
    count = draw(st.integers(1, len(PLEDGE_IDS)))
    out = []
    for pledge_id in PLEDGE_IDS[:count]:
        pledged_on = START + timedelta(days=draw(st.integers(0, 40)))
        precision = draw(st.sampled_from([DatePrecision.DAY, DatePrecision.MONTH]))
        due = draw(st.none() | st.integers(0, 60))
        out.append(
            Commitment.model_validate(
                {
                    "id": pledge_id,
                    "title": f"Pledge {pledge_id}",
                    "party": "PRC",
                    "theme": "scheduling",
                    "pledged_on": pledged_on,
                    "pledged_on_precision": precision,
                    "pledged_at": "a summit",
                    "due_on": pledged_on + timedelta(days=due) if due is not None else None,
                    "sources": [{"title": "Readout"}],
                }
            )
        )
    return out


@st.composite
def evidence_row(
    draw: st.DrawFn, number: int, commitment_ids: list[str], strengths: tuple[str, ...] = ("official_record",)
) -> Evidence:
    kind = draw(st.sampled_from(list(EvidenceKind)))
    speakers = (
        [s for s in SpeaksFor if s.is_independent] if kind is EvidenceKind.INDEPENDENT_VERIFICATION else list(SpeaksFor)
    )
    event = START + timedelta(days=draw(st.integers(0, 80)))
    strength = draw(st.sampled_from(strengths))
    precision = draw(st.sampled_from([DatePrecision.DAY, DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]))
    start = period_start(event, precision)
    published = draw(st.none() | st.integers(0, 40))
    published_on = start + timedelta(days=published) if published is not None else None
    fields: dict[str, Any] = {
        "id": f"r{number:03d}",
        "commitment_id": draw(st.sampled_from(commitment_ids)),
        "event_date": event,
        "event_date_precision": precision,
        "kind": kind,
        "speaks_for": draw(st.sampled_from(speakers)),
        "summary": f"Row {number}",
        # Official records: one independent row verifies, as under the first engine's rules.
        "source": {**draw(st.sampled_from(SOURCES)), "published_on": published_on, "strength": strength},
        "recorded_by": "tester",
        "needs_review": draw(st.booleans()) and draw(st.booleans()),
        # Some rows come in one import, all with the same stamp (after every drawn date).
        "recorded_at": IMPORTED
        if draw(st.booleans())
        else datetime.combine(max(start, published_on or start), datetime.min.time())
        + timedelta(hours=draw(st.integers(0, 24 * 90))),
    }
    if kind in (EvidenceKind.STATEMENT, EvidenceKind.ASSESSMENT):
        fields["direction"] = draw(st.sampled_from(["supports", "against", "neutral"]))
        if fields["direction"] == "against" and draw(st.booleans()):
            fields["attests"] = "reversed"
    if kind is EvidenceKind.ASSESSMENT:
        fields["quote"] = "rationale"
    return Evidence.model_validate(fields)


@st.composite
def catalogues(draw: st.DrawFn, strengths: tuple[str, ...] = ("official_record",)) -> Catalogue:
    commitments = draw(pledges())
    ids = [c.id for c in commitments] + ["not-in-catalogue"]
    rows: list[Evidence] = [draw(evidence_row(i, ids, strengths)) for i in range(draw(st.integers(0, 25)))]
    superseded: set[str] = set()
    for i in range(draw(st.integers(0, 5))):
        if not rows:
            break
        old = draw(st.sampled_from(rows))
        if old.id in superseded:
            continue
        superseded.add(old.id)
        correction = draw(evidence_row(100 + i, [old.commitment_id], strengths))
        rows.append(
            correction.model_copy(
                update={
                    "supersedes": old.id,
                    "correction_reason": "fixed",
                    "recorded_at": max(old.recorded_at, correction.recorded_at)
                    + timedelta(hours=draw(st.integers(0, 500))),
                }
            )
        )
    retractions = []
    for old in draw(st.lists(st.sampled_from(rows), unique_by=lambda e: e.id, max_size=4)) if rows else []:
        retractions.append(
            Retraction(
                evidence_id=old.id,
                reason="withdrawn",
                recorded_by="tester",
                recorded_at=old.recorded_at + timedelta(hours=draw(st.integers(0, 2000))),
            )
        )
    reviews = []
    for old in draw(st.lists(st.sampled_from(rows), max_size=6)) if rows else []:
        decision = draw(st.sampled_from(list(ReviewDecision)))
        reviews.append(
            Review(
                evidence_id=old.id,
                decision=decision,
                comment="not in the source" if decision is ReviewDecision.RETURNED else "",
                reviewer="second",
                # Ties on purpose: the later review of two at the same moment wins.
                reviewed_at=old.recorded_at + timedelta(hours=draw(st.sampled_from([0, 5, 5, 300]))),
            )
        )
    # Store order need not be id order: ties on day and recording stamp are settled by id.
    rows = draw(st.permutations(rows))
    return commitments, rows, retractions, reviews
