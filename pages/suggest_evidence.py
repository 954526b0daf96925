"""Suggest evidence: paste or upload a document, review the proposed rows, accept the right ones."""

from datetime import date

import streamlit as st

from ui import data, suggestions
from ui.recorder import recorder_input, stop_unless_may_record

st.title("Suggest evidence from a document")
st.caption(
    "Paste a press release, readout or article. Each sentence that bears on a pledge becomes a proposed "
    "evidence row: the pledge, the date (relative dates are read against the publication date), the kind "
    "and whose word it is, with why it was proposed (the words that matched, the recorded rows it is like). "
    "Nothing is recorded until you tick rows and accept them; accepted rows quote their sentence and cite "
    "the document, which is kept as it is now. Rejected proposals are not proposed again for the same "
    "document in this session."
)
stop_unless_may_record()

recorder_input()
left, right = st.columns([3, 2])
with left:
    st.text_area("Document text", key=suggestions.TEXT, height=220, placeholder="Paste the document here")
    st.file_uploader(
        "Or upload a .txt or .html file",
        type=["txt", "html", "htm"],
        key=suggestions.UPLOAD,
        help="HTML is reduced to its text; scripts and markup are dropped.",
    )
with right:
    st.date_input(
        "Published on",
        key=suggestions.PUBLISHED,
        value=None,
        max_value=date.today(),
        format="YYYY-MM-DD",
        help="Relative dates ('last week', 'on Tuesday') are read against it. Leave it empty if the document "
        "does not say: those dates then stay unresolved and you give them.",
    )
    st.text_input("Source title", key=suggestions.TITLE)
    st.text_input("Publisher", key=suggestions.PUBLISHER, help="Decides whose word a row rests on, e.g. Xinhua")
    st.text_input("Source URL", key=suggestions.URL, placeholder="https://")
st.button("Suggest rows", type="primary", on_click=suggestions.suggest, icon=":material/auto_awesome:")

message = st.session_state.get(suggestions.MESSAGE)
if message:
    level, text = message
    {"error": st.error, "success": st.success}.get(level, st.info)(text)

suggestion = st.session_state.get(suggestions.PROPOSED)
if isinstance(suggestion, suggestions.Suggestion) and suggestion.rows:
    st.subheader(f"Proposed rows ({len(suggestion.rows)})")
    pledge_ids = [c.id for c in data.ledger().commitments]
    edited = st.data_editor(
        suggestions.proposals_frame(suggestion),
        key=suggestions.editor_key(),
        column_config=suggestions.column_config(pledge_ids),
        disabled=suggestions.READ_ONLY,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
    )
    accept_col, reject_col = st.columns(2)
    if accept_col.button("Accept ticked rows", icon=":material/done_all:"):
        suggestions.accept_ticked(suggestion, edited)
        st.rerun()
    if reject_col.button("Reject ticked rows", icon=":material/block:"):
        suggestions.reject_ticked(suggestion, edited)
        st.rerun()
