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

from commitments.frames import log_frame
from commitments.ledger import Ledger, View
from commitments.models import RecordState

PENDING = RecordState.PENDING.label
SENT_BACK = RecordState.SENT_BACK.label

QUEUE_COLUMNS = (
    "evidence_id",
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
    return log_frame(ledger.evidence_log(View(as_of=date.max), known_by=date.max, evidence_ids=evidence_ids))


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
            "commitment_id": waiting["commitment_id"],
            "title": waiting["commitment_id"].map(lambda i: titles.get(str(i), str(i))),
            "state": state.map(lambda s: RecordState(s).label),
            "comment": waiting["record_note"].where(state == RecordState.SENT_BACK.value, ""),
            **{name: waiting[name] for name in QUEUE_COLUMNS[5:]},
        },
        columns=list(QUEUE_COLUMNS),
    )
    # Rows nobody has looked at first; rows sent back wait on their recorder as much as on a reviewer.
    frame["_sent_back"] = frame["state"] != PENDING
    ordered = frame.sort_values(["_sent_back", "recorded_at", "evidence_id"], kind="stable")
    return ordered.drop(columns="_sent_back").reset_index(drop=True)


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
