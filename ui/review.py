"""The Review page's glue: one decision form per waiting row, and its outcome in the session.

The store decides whether a decision stands (a reviewer other than the recorder, a
comment to send a row back); a refusal is shown under the row it is about, with the
store's own words, and changes nothing.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from commitments.models import ReviewDecision, ReviewSubject
from commitments.store.store import StoreError
from ui import data, widgets
from ui.recorder import current_recorder

OUTCOME = "_review_outcome"  # (evidence_id, "success" | "error", message)
FIELD_LABELS = {"comment": "Comment", "reviewer": "Reviewer", "evidence_id": "Row"}


def item_key(evidence_id: str, subject: str = ReviewSubject.EVIDENCE.value) -> str:
    """One waiting item: a row, or a row's retraction (both may wait at once)."""
    return evidence_id if subject == ReviewSubject.EVIDENCE.value else f"{subject}:{evidence_id}"


def comment_key(evidence_id: str, subject: str = ReviewSubject.EVIDENCE.value) -> str:
    return f"review_comment_{item_key(evidence_id, subject)}"


def decide(evidence_id: str, decision: str, subject: str = ReviewSubject.EVIDENCE.value) -> None:
    """A decision button's callback: ask the store to record it, keep the outcome for the next run."""
    key = item_key(evidence_id, subject)
    comment = str(st.session_state.get(comment_key(evidence_id, subject)) or "")
    reviewer = current_recorder()
    try:
        data.store().review(evidence_id, decision, reviewer, comment, subject=subject)
    except StoreError as exc:
        label = FIELD_LABELS.get(exc.field, exc.field or "Review")
        message = str(exc).removeprefix(f"{exc.field}: ")
        if not reviewer:
            label, message = "Your name", "say who you are first (above)"
        st.session_state[OUTCOME] = (key, "error", f"**{label}**: {widgets.escape_markdown(message)}")
        return
    if subject == ReviewSubject.RETRACTION.value:
        what = f"The retraction of row {evidence_id}"
        done = "confirmed: the row no longer counts" if decision == ReviewDecision.CONFIRMED else "sent back"
    else:
        what = f"Row {evidence_id}"
        done = "confirmed: it now counts on the board" if decision == ReviewDecision.CONFIRMED else "sent back"
    st.session_state[OUTCOME] = (key, "success", f"{what} {done}.")
    st.session_state[comment_key(evidence_id, subject)] = ""


def outcome() -> tuple[str, str, str] | None:
    found = st.session_state.get(OUTCOME)
    return found if isinstance(found, tuple) else None


def show_outcome(evidence_id: str | None = None) -> None:
    """The last decision's outcome, once (for one row, or for any row when `evidence_id` is None)."""
    shown = outcome()
    if shown is None or (evidence_id is not None and shown[0] != evidence_id):
        return
    del st.session_state[OUTCOME]
    if shown[1] == "success":
        st.success(shown[2], icon=":material/check:")
    else:
        st.error(shown[2], icon=":material/error:")


def decided_elsewhere(queue: pd.DataFrame) -> None:
    """The outcome of a decision whose row has left the queue (confirmed), where it is seen."""
    shown = outcome()
    waiting = {item_key(str(r["evidence_id"]), str(r["subject"])) for _, r in queue.iterrows()}
    if shown and shown[0] not in waiting:
        show_outcome()


def waiting_row(row: pd.Series, can_decide: bool) -> None:
    """One row awaiting review: what it says, where from, who recorded it, and the decision form."""
    evidence_id, subject = str(row["evidence_id"]), str(row["subject"])
    key = item_key(evidence_id, subject)
    retraction = subject == ReviewSubject.RETRACTION.value
    with st.container(border=True):
        if retraction:
            badge = ":violet-badge[:material/delete: Retraction pending review]"
        elif row["state"] == "sent back":
            badge = ":orange-badge[:material/undo: Sent back]"
        else:
            badge = ":blue-badge[:material/hourglass_top: Pending review]"
        st.markdown(f"{badge} **{widgets.escape_markdown(row['title'])}**")
        st.markdown(widgets.escape_markdown(row["summary"]))
        st.caption(" · ".join(widgets.escape_markdown(fact) for fact in _facts(row)))
        parts = [widgets.link_or_text(str(row["source_title"]), row["source_url"])]
        parts += [widgets.escape_markdown(row[c]) for c in ("source_publisher", "source_published_on") if row[c]]
        st.markdown("Source: " + " — ".join(parts))
        if retraction:
            st.warning(widgets.escape_markdown(row["comment"]), icon=":material/delete:")
        elif row["comment"]:
            st.warning(f"Sent back: {widgets.escape_markdown(row['comment'])}", icon=":material/comment:")
        show_outcome(key)
        if can_decide:
            with st.form(f"review_{key}", border=False):
                st.text_input(
                    "Comment",
                    key=comment_key(evidence_id, subject),
                    placeholder="Required to send it back; optional to confirm",
                )
                confirm, send_back, _ = st.columns([1, 1, 3])
                confirm.form_submit_button(
                    "Confirm",
                    type="primary",
                    icon=":material/check:",
                    on_click=decide,
                    args=(evidence_id, ReviewDecision.CONFIRMED.value, subject),
                    width="stretch",
                )
                send_back.form_submit_button(
                    "Send back",
                    icon=":material/undo:",
                    on_click=decide,
                    args=(evidence_id, ReviewDecision.RETURNED.value, subject),
                    width="stretch",
                )


def _facts(row: pd.Series) -> list[str]:
    recorded = str(row["recorded_at"]).replace("T", " ")[:16]
    return [
        f"Row {row['evidence_id']}",
        f"event {row['event_date']}",
        str(row["kind"]).replace("_", " "),
        f"speaks for: {str(row['speaks_for']).replace('_', ' ')}",
        f"recorded by {row['recorded_by']} on {recorded} UTC",
    ]


def history_table(log: pd.DataFrame) -> dict[str, Any]:
    """The review log as the page shows it: readable column names, dates as dates."""
    table = pd.DataFrame(
        {
            "When (UTC)": pd.to_datetime(log["reviewed_at"]),
            "Decision": log["decision"],
            "Reviewer": log["reviewer"],
            "Comment": log["comment"],
            "Row": log["evidence_id"],
            "Pledge": log["title"],
            "Summary": log["summary"],
            "Recorded by": log["recorded_by"],
        }
    )
    config = {
        "When (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        "Comment": st.column_config.TextColumn(width=280),
        "Pledge": st.column_config.TextColumn(width="medium"),
    }
    return {"data": table, "column_config": config, "hide_index": True, "width": "stretch"}
