"""Correcting and retracting recorded evidence rows from the dashboard.

Rows are never edited: a correction is a new row that supersedes the old one (drawn with
the evidence form, prefilled), and a retraction is a dated, reasoned withdrawal recorded
by `Store.retract`. Both keep the old row on record, so "what did we believe when?" can
still be answered.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from pydantic import ValidationError

from commitments.files.evidence_csv import field_name
from commitments.ledger import Ledger
from commitments.models import Evidence, Retraction
from commitments.store.store import StoreError, utc_now
from ui import data, evidence_form
from ui.recorder import current_recorder

PREFIX = "fix_"
PLEDGE_KEY = "fix_pledge"
ROW_KEY = "fix_row"
REASON_KEY = "retract_reason"
RETRACT_ERRORS = "retract_errors"
RETRACTED = "retract_done"
RETRACTION_WAITS = "retract_waits"  # the last retraction waits for a second person's review
# Rows corrected or retracted in this session: a repeated click may choose one again.
CLOSED = "fix_closed"
RETRACT_LABELS = {"reason": "Reason for the retraction", "recorded_by": "Recorded by", "evidence_id": "Row"}


def open_row_labels(ledger: Ledger, titles: dict[str, str], commitment_id: str | None = None) -> dict[str, str]:
    """The label of every open row (of one pledge, if given, then without its title), by id, newest first."""
    shown_titles = None if commitment_id is not None else titles
    return {
        row.evidence_id: _label(
            row.event_date.isoformat(),
            None if shown_titles is None else shown_titles.get(row.commitment_id, row.commitment_id),
            row.summary,
        )
        for row in ledger.open_rows(commitment_id)
    }


def find_row(ledger: Ledger, evidence_id: str | None) -> Evidence | None:
    """One recorded row of the ledger as a model."""
    return ledger.row(evidence_id) if evidence_id else None


def row_label(row: Evidence, titles: dict[str, str] | None) -> str:
    """The row's date, pledge title (from `titles`; None: left out) and summary."""
    title = None if titles is None else titles.get(row.commitment_id, row.commitment_id)
    return _label(row.event_date.isoformat(), title, row.summary)


def _label(day: str, title: str | None, summary: str) -> str:
    """ "2024-08-06 · PRC schedules … · summary"; without the title when it is None."""
    if title is None:
        return f"{day} · {summary}"
    short = title if len(title) <= 50 else title[:49] + "…"
    return f"{day} · {short} · {summary}"


def chosen_row() -> Evidence | None:
    evidence_id = st.session_state.get(ROW_KEY)
    return data.store().get_evidence(evidence_id) if evidence_id else None


def on_row_chosen() -> None:
    """Prefill the correction form with the row just chosen."""
    if st.session_state.get(ROW_KEY) in st.session_state.get(CLOSED, set()):
        return
    row = chosen_row()
    if row is not None:
        evidence_form.prefill(PREFIX, row)
    st.session_state[RETRACT_ERRORS] = {}
    st.session_state[RETRACTED] = ""
    st.session_state[evidence_form.key(PREFIX, "saved")] = ""


def save_correction(old_id: str, commitment_id: str) -> None:
    evidence_form.save(PREFIX, supersedes=old_id, commitment_id=commitment_id)
    if st.session_state.get(evidence_form.key(PREFIX, "saved")):
        st.session_state[RETRACTED] = ""
        _close(old_id)


def _close(evidence_id: str) -> None:
    st.session_state[CLOSED] = {*st.session_state.get(CLOSED, set()), evidence_id}
    st.session_state[ROW_KEY] = None


def retract(now: datetime | None = None) -> None:
    """The retraction form's callback: check with the Retraction model, then record."""
    evidence_id = str(st.session_state.get(ROW_KEY) or "")
    if evidence_id and evidence_id in st.session_state.get(CLOSED, set()):
        return  # a second click on the same retraction
    reason = str(st.session_state.get(REASON_KEY) or "")
    recorder = current_recorder()
    errors: dict[str, str] = {}
    try:
        Retraction.model_validate(
            {"evidence_id": evidence_id, "reason": reason, "recorded_by": recorder, "recorded_at": now or utc_now()}
        )
    except ValidationError as exc:
        for err in exc.errors():
            column = field_name(err["loc"])
            errors.setdefault(
                column, "required; please fill this in" if err["type"] == "string_too_short" else err["msg"]
            )
    if not errors:
        try:
            recorded = data.store().retract(evidence_id, reason, recorder, now)
            st.session_state[RETRACTION_WAITS] = recorded.needs_review
        except StoreError as exc:
            errors = {exc.field or "reason": str(exc).removeprefix(f"{exc.field}: ")}
    st.session_state[RETRACT_ERRORS] = errors
    if not errors:
        st.session_state[RETRACTED] = evidence_id
        st.session_state[evidence_form.key(PREFIX, "saved")] = ""
        st.session_state[REASON_KEY] = ""
        _close(evidence_id)


def retract_errors() -> dict[str, str]:
    found = st.session_state.get(RETRACT_ERRORS)
    return dict(found) if isinstance(found, dict) else {}
