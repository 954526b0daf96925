"""Who is writing: the signed-in user, or (without sign-in) a name typed once per session.

This module is the only place that knows the writer's identity. When the database's policy
requires sign-in, it is the e-mail of the user signed in through Streamlit's OIDC login
(`st.login`), and that AccessPolicy (the same one the store enforces) says whether that user may
record or review; everyone else reads. Without sign-in (the local default) the pages ask
for a name, as before.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAuthError

from commitments.access import AccessPolicy, Role
from ui import data
from ui.widgets import escape_markdown

RECORDER_KEY = "recorder_name"
# Streamlit drops a widget's state on a run that does not draw it (another page), so the
# typed name is also kept here, and put back when a page that asks for it is opened again.
KEPT_KEY = "_recorder_name_kept"
SIGN_IN_ERROR = "_sign_in_error"


def policy() -> AccessPolicy:
    """The deployment's rules, as the store enforces them."""
    return data.store().policy


def signed_in_email() -> str:
    """The signed-in user's e-mail ("" when nobody is signed in)."""
    # Only an explicit is_logged_in counts: without an [auth] section st.user may hold
    # placeholder claims that identify nobody.
    if st.user.get("is_logged_in") is not True:
        return ""
    return str(st.user.get("email") or "").strip()


def current_recorder() -> str:
    """The identity every write on this page is recorded under ("" if there is none)."""
    if policy().sign_in:
        return signed_in_email()
    typed = st.session_state[RECORDER_KEY] if RECORDER_KEY in st.session_state else st.session_state.get(KEPT_KEY)
    return str(typed or "").strip()


def may_record() -> bool:
    """Whether this session may write. Without sign-in anyone may, once they give a name."""
    rules = policy()
    return not rules.sign_in or rules.role_of(signed_in_email()) is not Role.READER


def may_review() -> bool:
    """Whether this session may confirm or send back rows (the store still checks each one)."""
    rules = policy()
    return not rules.sign_in or rules.role_of(signed_in_email()) is Role.REVIEWER


def recorder_input(error: str = "", label: str = "Recorded by") -> None:
    """Say who is writing: the signed-in user with a sign-out button, or a name field."""
    if policy().sign_in:
        _signed_in_as()
    else:
        if RECORDER_KEY not in st.session_state and st.session_state.get(KEPT_KEY):
            st.session_state[RECORDER_KEY] = st.session_state[KEPT_KEY]
        st.session_state[KEPT_KEY] = st.text_input(
            label,
            key=RECORDER_KEY,
            placeholder="Your name",
            help="Stored with every row you add, correct, retract or review, so the log says who did what.",
        )
    if error:
        st.error(f"**{label}**: {error}", icon=":material/error:")


def stop_unless_may_record(action: str = "record evidence") -> None:
    """For a page that writes: a read-only notice, and nothing more, for whoever may not."""
    if may_record():
        return
    read_only_notice(action)
    st.stop()


def read_only_notice(action: str) -> None:
    """Why this session cannot `action`, and how to change that (sign in, or ask for a role)."""
    email = signed_in_email()
    if not email:
        st.info(
            f"This dashboard is read-only until you sign in: only named members of the team may {action}. "
            "The status board, the pledges and the corrections log stay open to everyone.",
            icon=":material/lock:",
        )
        sign_in_button()
        return
    if policy().role_of(email) is Role.READER:
        allowed, where = "read the board", "the recorders (or the reviewers, to review as well)"
    else:
        allowed, where = "record evidence", "the reviewers"
    st.info(
        f"You are signed in as {escape_markdown(email)}, who may {allowed} but not {action}. "
        f"Ask whoever runs this dashboard to add your address to {where} "
        "(`python -m commitments policy set`).",
        icon=":material/lock:",
    )
    st.button("Sign out", key="sign_out_read_only", on_click=st.logout, icon=":material/logout:")


def sign_in_button() -> None:
    st.button("Sign in", key="sign_in", type="primary", on_click=_sign_in, icon=":material/login:")
    problem = st.session_state.pop(SIGN_IN_ERROR, "")
    if problem:
        st.error(f"Sign-in is not set up correctly: {problem}", icon=":material/error:")


def _sign_in() -> None:
    try:
        st.login()
    except StreamlitAuthError as exc:  # no [auth] secrets, or Authlib not installed
        st.session_state[SIGN_IN_ERROR] = str(exc)


def _signed_in_as() -> None:
    email = signed_in_email()
    role = policy().role_of(email).value
    # One row that wraps, each part as wide as its words: in fixed columns, inside the narrow
    # column the pages give this, the button's label was cut to "S…".
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"Signed in as **{escape_markdown(email)}** ({role})", width="content")
        st.button("Sign out", key="sign_out", on_click=st.logout, icon=":material/logout:")
