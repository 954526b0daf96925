"""Second-person review as tables: the rows awaiting a decision, and every decision taken.

Pure functions of a ledger, read by the Review page. The rules themselves (who may
decide, what a pending row counts for) live in access.py, store/store.py and status.py;
these tables only show where each row stands.

>>> empty = Ledger.from_models([], [])
>>> review_queue(empty).empty, review_log(empty).empty
(True, True)
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from commitments.frames import evidence_frame
from commitments.ledger import Ledger, View
from commitments.models import RecordState, ReviewSubject

PENDING = RecordState.PENDING.label
SENT_BACK = RecordState.SENT_BACK.label

QUEUE_COLUMNS = (
    "evidence_id",
    "subject",  # what the decision is on: the row itself, or its retraction
    "commitment_id",
    "title",
    "state",
    "comment",
    "summary",
    "event_date",
    "kind",
    "speaks_for",
    "source_title",
    "source_publisher",
    "source_url",
    "source_published_on",
    "recorded_by",
    "recorded_at",
)
REVIEW_LOG_COLUMNS = (
    "reviewed_at",
    "decision",
    "subject",
    "evidence_id",
    "commitment_id",
    "title",
    "summary",
    "recorded_by",
    "reviewer",
    "comment",
)


def _every_row(ledger: Ledger, evidence_ids: list[str] | None = None) -> pd.DataFrame:
    # The evidence log of every row ever entered, whatever its date, with its record state.
    return evidence_frame(ledger, View(as_of=date.max), known_by=date.max, evidence_ids=evidence_ids)


def review_queue(ledger: Ledger) -> pd.DataFrame:
    """Rows pending review, then rows sent back (neither corrected nor retracted since); oldest first."""
    waiting_states = {RecordState.PENDING.value, RecordState.SENT_BACK.value}
    log = _every_row(ledger, list(ledger.ids_in(RecordState.PENDING, RecordState.SENT_BACK)))
    waiting = log[log["record_state"].isin(waiting_states)]
    # A row that a correction awaiting review would replace waits on that correction, not on a reviewer.
    replaced = set(waiting.loc[waiting["record_state"] == RecordState.PENDING.value, "supersedes"]) - {""}
    waiting = waiting[~waiting["id"].isin(replaced)]
    titles = {c.id: c.title for c in ledger.commitments}
    state = waiting["record_state"].astype(str)
    frame = pd.DataFrame(
        {
            "evidence_id": waiting["id"],
            "subject": ReviewSubject.EVIDENCE.value,
            "commitment_id": waiting["commitment_id"],
            "title": waiting["commitment_id"].map(lambda i: titles.get(str(i), str(i))),
            "state": state.map(lambda s: RecordState(s).label),
            "comment": waiting["record_note"].where(state == RecordState.SENT_BACK.value, ""),
            **{name: waiting[name] for name in QUEUE_COLUMNS[6:]},
        },
        columns=list(QUEUE_COLUMNS),
    )
    frame = (
        pd.concat([frame, _waiting_retractions(ledger, titles)], ignore_index=True)
        if len(frame)
        else (_waiting_retractions(ledger, titles))
    )
    # Rows nobody has looked at first; rows sent back wait on their recorder as much as on a reviewer.
    frame["_sent_back"] = frame["state"] == RecordState.SENT_BACK.label
    ordered = frame.sort_values(["_sent_back", "recorded_at", "evidence_id"], kind="stable")
    return ordered.drop(columns="_sent_back").reset_index(drop=True)


def _waiting_retractions(ledger: Ledger, titles: dict[str, str]) -> pd.DataFrame:
    """Retractions recorded under review that nobody has decided on: they withdraw nothing yet."""
    waiting = ledger.pending_retractions()
    if not waiting:
        return pd.DataFrame(columns=list(QUEUE_COLUMNS))
    log = _every_row(ledger, [r.evidence_id for r in waiting]).set_index("id")
    rows = []
    for r in waiting:
        row = log.loc[r.evidence_id] if r.evidence_id in log.index else None
        rows.append(
            {
                **{name: (str(row[name]) if row is not None else "") for name in QUEUE_COLUMNS[6:]},
                "evidence_id": r.evidence_id,
                "subject": ReviewSubject.RETRACTION.value,
                "commitment_id": str(row["commitment_id"]) if row is not None else "",
                "title": titles.get(str(row["commitment_id"]), "") if row is not None else "",
                "state": "retraction pending review",
                "comment": f"Retract because: {r.reason}",
                "recorded_by": r.recorded_by,
                "recorded_at": r.recorded_at.isoformat(timespec="seconds"),
            }
        )
    return pd.DataFrame(rows, columns=list(QUEUE_COLUMNS))


def review_log(ledger: Ledger) -> pd.DataFrame:
    """Every decision taken (who confirmed or sent back which row, when, and why), newest first."""
    if not ledger.reviews:
        return pd.DataFrame(columns=list(REVIEW_LOG_COLUMNS))
    log = _every_row(ledger, list(dict.fromkeys(r.evidence_id for r in ledger.reviews))).set_index("id")
    titles = {c.id: c.title for c in ledger.commitments}

    def cell(evidence_id: str, column: str) -> str:
        return str(log.at[evidence_id, column]) if evidence_id in log.index else ""

    rows = [
        {
            "reviewed_at": r.reviewed_at,
            "decision": r.decision.value,
            "subject": r.subject.value,
            "evidence_id": r.evidence_id,
            "commitment_id": cell(r.evidence_id, "commitment_id"),
            "title": titles.get(cell(r.evidence_id, "commitment_id"), ""),
            "summary": cell(r.evidence_id, "summary"),
            "recorded_by": cell(r.evidence_id, "recorded_by"),
            "reviewer": r.reviewer,
            "comment": r.comment,
        }
        for r in ledger.reviews
    ]
    frame = pd.DataFrame(rows, columns=list(REVIEW_LOG_COLUMNS))
    return frame.sort_values("reviewed_at", ascending=False, kind="stable").reset_index(drop=True)
