"""Review: rows one person recorded, waiting for a second person to confirm or send back.

Until a row is confirmed it moves no status (the board can count it on request). Who
decided, when and why stays on record below.
"""

import streamlit as st

from commitments.review_queue import review_log, review_queue
from ui import data, recorder, review

ledger = data.ledger()
rules = recorder.policy()
queue = review_queue(ledger)
log = review_log(ledger)

st.title("Review")
if rules.require_review:
    st.caption(
        "Evidence recorded here, and every retraction, is checked by a second person before it moves a status. "
        "Confirm a row when its source says what the summary says; send it back, with a comment, when it needs "
        "fixing. Nobody can confirm what they recorded themselves."
    )
else:
    st.info(
        "Review is not required in this deployment: new rows count as soon as they are recorded. Whoever runs "
        "it can require a second person (`python -m commitments policy set --require-review yes`). Earlier "
        "decisions are listed below.",
        icon=":material/info:",
    )

# Rows recorded while review was required still wait, even if it has since been turned off.
if rules.require_review or not queue.empty:
    can_decide = recorder.may_review()
    if can_decide:
        with st.columns([1, 2])[0]:
            recorder.recorder_input(label="Your name")
    else:
        recorder.read_only_notice("confirm or send back rows")
    pending = int((queue["state"] != "sent back").sum())
    st.subheader(f"Awaiting review: {pending} pending, {len(queue) - pending} sent back")
    review.decided_elsewhere(queue)
    if queue.empty:
        st.success("Nothing is waiting for review.", icon=":material/done_all:")
    for _, row in queue.iterrows():
        review.waiting_row(row, can_decide)

st.subheader("Decisions")
if log.empty:
    st.caption("No row has been confirmed or sent back yet.")
else:
    st.caption("Who confirmed or sent back which row, and when. Newest first.")
    st.dataframe(**review.history_table(log))
