"""Second-person review as tables: the rows awaiting a decision, and every decision taken.

Pure functions of a snapshot, read by the Review page. The rules themselves (who may
decide, what a pending row counts for) live in access.py, store.py and status.py; these
tables only show where each row stands.

>>> review_queue(Snapshot((), (), ())).empty, review_log(Snapshot((), (), ())).empty
(True, True)
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from commitments.summaries import Snapshot, View, evidence_frame

PENDING = "pending review"
SENT_BACK = "sent back: "

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


def _every_row(snapshot: Snapshot) -> pd.DataFrame:
    # The evidence log as of the end of time: every row ever entered, with its record
    # state (a row dated this month counts as known only at the month's end).
    return evidence_frame(snapshot, View(as_of=date.max))


def review_queue(snapshot: Snapshot) -> pd.DataFrame:
    """Rows pending review, then rows sent back (neither corrected nor retracted since); oldest first."""
    log = _every_row(snapshot)
    states = log["record_state"].astype(str)
    waiting = log[(states == PENDING) | states.str.startswith(SENT_BACK)]
    titles = {c.id: c.title for c in snapshot.commitments}
    state = waiting["record_state"].astype(str)
    frame = pd.DataFrame(
        {
            "evidence_id": waiting["id"],
            "commitment_id": waiting["commitment_id"],
            "title": waiting["commitment_id"].map(lambda i: titles.get(str(i), str(i))),
            "state": state.map(lambda s: "sent back" if s.startswith(SENT_BACK) else PENDING),
            "comment": state.map(lambda s: s.removeprefix(SENT_BACK) if s.startswith(SENT_BACK) else ""),
            **{name: waiting[name] for name in QUEUE_COLUMNS[5:]},
        },
        columns=list(QUEUE_COLUMNS),
    )
    # Rows nobody has looked at first; rows sent back wait on their recorder as much as on a reviewer.
    frame["_sent_back"] = frame["state"] != PENDING
    ordered = frame.sort_values(["_sent_back", "recorded_at", "evidence_id"], kind="stable")
    return ordered.drop(columns="_sent_back").reset_index(drop=True)


def review_log(snapshot: Snapshot) -> pd.DataFrame:
    """Every decision taken (who confirmed or sent back which row, when, and why), newest first."""
    if not snapshot.reviews:
        return pd.DataFrame(columns=list(REVIEW_LOG_COLUMNS))
    log = _every_row(snapshot).set_index("id")
    titles = {c.id: c.title for c in snapshot.commitments}

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
        for r in snapshot.reviews
    ]
    frame = pd.DataFrame(rows, columns=list(REVIEW_LOG_COLUMNS))
    return frame.sort_values("reviewed_at", ascending=False, kind="stable").reset_index(drop=True)
