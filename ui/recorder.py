"""Who is recording evidence: for now, a name typed once per session.

This module is the only place that knows the recorder's identity, so when sign-in comes
(issue 4) the signed-in user replaces the typed name here and nowhere else.
"""

from __future__ import annotations

import streamlit as st

RECORDER_KEY = "recorder_name"


def recorder_input(error: str = "") -> None:
    """Ask for the recorder's name (kept for the whole session, on every tab)."""
    st.text_input(
        "Recorded by",
        key=RECORDER_KEY,
        placeholder="Your name",
        help="Stored with every row you add, correct or retract, so the log says who entered what.",
    )
    if error:
        st.error(f"**Recorded by**: {error}", icon=":material/error:")


def current_recorder() -> str:
    """The name every write on this page is recorded under ("" if none was given)."""
    return str(st.session_state.get(RECORDER_KEY) or "").strip()
