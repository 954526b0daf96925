"""Corrections log: every retraction and supersession, with its reason, open to everyone.

Evidence is never edited or deleted; this is where a reader sees what was withdrawn or
replaced, when, by whom and why.
"""

import streamlit as st

from commitments.files.export import frame_to_csv_bytes
from commitments.frames import corrections_frame
from ui import corrections_log, data

ledger = data.ledger()
log = corrections_frame(ledger)

st.title("Corrections log")
st.caption(
    "Rows are never silently changed: a wrong row is superseded by a corrected one, or retracted with a reason. "
    "Both stay on record, and every one is listed here, newest first."
)
if log.empty:
    st.info("Nothing has been corrected or retracted yet.", icon=":material/info:")
    st.stop()

st.download_button(
    "Download the corrections log (CSV)",
    data=frame_to_csv_bytes(log),
    file_name=corrections_log.FILE_NAME,
    mime="text/csv",
    icon=":material/download:",
    help="Cells a spreadsheet would run as a formula are prefixed with an apostrophe.",
)
st.caption(f"{len(log)} correction(s)")
corrections_log.draw(log, ledger)
