"""The evidence form: its fields as widgets, and what was typed turned into a saved row.

The new-evidence form and the correction form draw the same fields. Every widget is keyed
`<prefix><column>`, where the column is the evidence-log CSV column
(`commitments.files.evidence_csv.EVIDENCE_COLUMNS`): what the user typed stays in session state
after a refused submission, and an error from the models or the store, which names its
column, is drawn under the widget it is about. The checking itself is done only by
`EvidenceDraft` and `Store.add_evidence`; this module carries values and messages between
them and the screen.

Saving happens in the submit button's callback, before the script draws anything, so the
page (and the board, whose cache is keyed on the store's revision) already shows the new
row on the run the click starts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import streamlit as st
from pydantic import TypeAdapter, ValidationError

from commitments import explain
from commitments.files.evidence_csv import evidence_to_row, row_to_fields, validation_errors
from commitments.ledger import View
from commitments.models import (
    DEFAULT_ATTESTATION,
    DEFAULT_STRENGTH,
    Attestation,
    Commitment,
    DateCertainty,
    DatePrecision,
    Direction,
    Evidence,
    EvidenceDraft,
    EvidenceKind,
    QuoteKind,
    ReasonCode,
    ShortText,
    SourceStrength,
    SpeaksFor,
    period_start,
)
from commitments.status import CORROBORATING_PUBLISHERS
from commitments.store.store import StoreError, new_evidence_id
from ui import data
from ui.recorder import current_recorder

FORM_ERROR = "form"  # errors that belong to no single field
RECORDER_ERROR = "recorded_by"

# The columns the form shows, with their labels, in reading order.
LABELS: dict[str, str] = {
    "commitment_id": "Pledge",
    "event_date": "Event date",
    "event_date_precision": "Date precision",
    "event_date_certainty": "Date certainty",
    "date_note": "Date note",
    "kind": "Kind of evidence",
    "direction": "Direction",
    "attests": "Attests",
    "speaks_for": "Speaks for",
    "summary": "Summary",
    "quote": "Quote or rationale",
    "value": "Measured value",
    "source_title": "Source title",
    "source_publisher": "Publisher",
    "source_url": "Source URL",
    "source_published_on": "Source published on",
    "source_reference": "Source reference",
    "source_strength": "Source strength",
    "quote_kind": "Quote is",
    "reason_code": "Reason code",
    "replies_to": "Replies to row",
    "correction_reason": "Reason for the correction",
}
DATE_COLUMNS = ("event_date", "source_published_on")
DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(LABELS, ""),
    "commitment_id": None,
    "event_date": None,
    "event_date_precision": DatePrecision.DAY.value,
    "event_date_certainty": DateCertainty.STATED.value,
    "kind": None,
    "speaks_for": None,
    "source_published_on": None,
    "quote_kind": QuoteKind.VERBATIM.value,
}
# After a save these start empty again; pledge, dates and source usually carry over to
# the next row taken from the same document.
CLEARED_AFTER_SAVE = ("summary", "quote", "value", "date_note")

FROM_KIND = ""
ATTESTS_NOTHING = "none"
DIRECTIONS = [FROM_KIND, *(d.value for d in Direction)]
ATTESTATIONS = [FROM_KIND, *(a.value for a in Attestation), ATTESTS_NOTHING]
FROM_WORD = ""
STRENGTHS = [FROM_WORD, *(s.value for s in SourceStrength)]
NO_REASON = ""
REASONS = [NO_REASON, *(r.value for r in ReasonCode)]


def _label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def _kind_help() -> str:
    moves = "; ".join(
        f"{kind.label} → {attests.value.replace('_', ' ') if attests else 'no stage'}"
        for kind, attests in DEFAULT_ATTESTATION.items()
    )
    return f"What sort of evidence this is. Unless 'Attests' says otherwise, each kind moves the stage: {moves}."


HELP: dict[str, str] = {
    "event_date": "When it happened (not when it was published or entered).",
    "event_date_precision": "Pick month or year when the source gives only that; the date stands for the whole period.",
    "event_date_certainty": "Stated: the source gives the date. Inferred: worked out from a relative date. "
    "Approximate: only roughly known (say how in the date note).",
    "kind": _kind_help(),
    "direction": "Whether the row supports the pledge being kept, counts against it, or is neutral. "
    "'From the kind' uses the kind's usual direction.",
    "attests": "Which stage this row is evidence of. 'From the kind' uses the kind's default; "
    "'nothing' keeps the row out of the stages.",
    "speaks_for": "Whose word this rests on. A US statement that 'the PRC announced …' rests on the PRC's "
    "word, so on a PRC pledge it speaks for the committing party. Only rows that do not are independent.",
    "summary": "One line, at most 300 characters.",
    "quote": "The words of the source; for an assessment, the analyst's rationale.",
    "value": "For pledges with an indicator: the measured number, e.g. incidents reported.",
    "source_url": "An http:// or https:// address.",
    "source_reference": "Where to read the source when it has no URL, e.g. a file name.",
    "source_strength": "How much this source can carry. "
    + " ".join(f"{s.label.capitalize()}: {explain.STRENGTH_MEANINGS[s]}." for s in SourceStrength)
    + " Verified needs one independent official record or named investigation, or sourced reports from "
    f"{CORROBORATING_PUBLISHERS} different publishers. 'From whose word' uses the cautious default: "
    + ", ".join(f"{_label(w.value)} → {DEFAULT_STRENGTH[w].label}" for w in SpeaksFor)
    + ".",
    "quote_kind": "Verbatim: the source's own words. Paraphrase: the facts in your words (for sources that may "
    "not be copied).",
    "reason_code": "For a row against the pledge: why (blocked by a court, repealed ...). For an assessment: "
    "'unable to conclude' or 'no public data' marks a pledge the record cannot settle.",
    "replies_to": "The id of a contradicting row this row answers, in the committing party's own words "
    "(its right of reply). A reply moves no status; it is shown beside the contradiction.",
    "correction_reason": "Why the earlier row is wrong; kept with the new row.",
}


def _strength_label(value: str) -> str:
    return "from whose word it is" if value == FROM_WORD else _label(value)


def _reason_label(value: str) -> str:
    return "none" if value == NO_REASON else ReasonCode(value).label


def _attests_label(value: str) -> str:
    return {FROM_KIND: "from the kind", ATTESTS_NOTHING: "nothing (does not move the stage)"}.get(value, _label(value))


def _direction_label(value: str) -> str:
    return "from the kind" if value == FROM_KIND else value


def key(prefix: str, column: str) -> str:
    return f"{prefix}{column}"


def errors_of(prefix: str) -> dict[str, str]:
    found = st.session_state.get(key(prefix, "errors"))
    return dict(found) if isinstance(found, Mapping) else {}


def start(prefix: str) -> None:
    """Give every field its default unless the user has already typed something."""
    for column, default in DEFAULTS.items():
        st.session_state.setdefault(key(prefix, column), default)
    st.session_state.setdefault(key(prefix, "submission_id"), new_evidence_id())


def _show_error(errors: Mapping[str, str], column: str) -> None:
    if column in errors:
        st.error(f"**{LABELS[column]}**: {errors[column]}", icon=":material/error:")


def _select(prefix: str, column: str, options: Sequence[Any], errors: Mapping[str, str], **kwargs: Any) -> None:
    st.selectbox(
        LABELS[column], options, key=key(prefix, column), help=HELP.get(column), placeholder="Choose …", **kwargs
    )
    _show_error(errors, column)


def _text(prefix: str, column: str, errors: Mapping[str, str], *, area: bool = False, **kwargs: Any) -> None:
    widget = st.text_area if area else st.text_input
    widget(LABELS[column], key=key(prefix, column), help=HELP.get(column), **kwargs)
    _show_error(errors, column)


def _date(prefix: str, column: str, errors: Mapping[str, str]) -> None:
    st.date_input(
        LABELS[column],
        key=key(prefix, column),
        help=HELP.get(column),
        # Far past today: a date the widget will not take is silently dropped, and the user
        # is then told the field is "required"; a future date is refused by check(), saying so.
        min_value=date(1990, 1, 1),
        max_value=date(date.today().year + 100, 12, 31),
        format="YYYY-MM-DD",
    )
    _show_error(errors, column)


def draw_fields(prefix: str, pledges: Sequence[Commitment], *, fixed_pledge: Commitment | None = None) -> None:
    """Draw every evidence field inside the current form, each with its error, if any."""
    errors = errors_of(prefix)
    titles = {c.id: f"{c.title} ({c.party})" for c in pledges}
    if fixed_pledge is None:
        _select(prefix, "commitment_id", list(titles), errors, format_func=lambda i: titles.get(i, i))
    else:
        st.markdown(f"**Pledge:** {fixed_pledge.title} ({fixed_pledge.party})")

    st.markdown("##### When it happened")
    left, middle, right = st.columns(3)
    with left:
        _date(prefix, "event_date", errors)
    with middle:
        _select(prefix, "event_date_precision", [p.value for p in DatePrecision], errors)
    with right:
        _select(prefix, "event_date_certainty", [c.value for c in DateCertainty], errors)
    _text(prefix, "date_note", errors, placeholder="e.g. 'late November', resolved from the summit date")

    st.markdown("##### What it shows")
    cells = st.columns(4)
    with cells[0]:
        _select(prefix, "kind", [k.value for k in EvidenceKind], errors, format_func=_label)
    with cells[1]:
        _select(prefix, "direction", DIRECTIONS, errors, format_func=_direction_label)
    with cells[2]:
        _select(prefix, "attests", ATTESTATIONS, errors, format_func=_attests_label)
    with cells[3]:
        _select(prefix, "speaks_for", [s.value for s in SpeaksFor], errors, format_func=_label)
    _text(prefix, "summary", errors)
    _text(prefix, "quote", errors, area=True, height=100)
    cells = st.columns(4)
    with cells[0]:
        _select(prefix, "quote_kind", [q.value for q in QuoteKind], errors, format_func=_label)
    with cells[1]:
        _text(prefix, "value", errors, placeholder="optional number")
    with cells[2]:
        _select(prefix, "reason_code", REASONS, errors, format_func=_reason_label)
    with cells[3]:
        _text(prefix, "replies_to", errors, placeholder="optional row id")

    st.markdown("##### Source")
    left, right = st.columns(2)
    with left:
        _text(prefix, "source_title", errors)
        _text(prefix, "source_url", errors, placeholder="https://…")
        _text(prefix, "source_reference", errors)
    with right:
        _text(prefix, "source_publisher", errors)
        _date(prefix, "source_published_on", errors)
        _select(prefix, "source_strength", STRENGTHS, errors, format_func=_strength_label)


def draw_reason(prefix: str) -> None:
    _text(prefix, "correction_reason", errors_of(prefix), area=True, height=80)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def typed_cells(prefix: str) -> dict[str, str]:
    """What the form holds, as evidence-log CSV cells (the one text shape of a row)."""
    return {column: _cell(st.session_state.get(key(prefix, column))) for column in LABELS}


def _after_today(cells: Mapping[str, str]) -> dict[str, str]:
    """Dates that have not come yet: evidence records what has happened (and when it was said)."""
    today = date.today()
    late: dict[str, str] = {}
    for column in DATE_COLUMNS:
        try:
            day = date.fromisoformat(cells.get(column, ""))
        except ValueError:
            continue  # empty or unreadable: the models say so
        if column == "event_date" and cells.get("event_date_precision") in {p.value for p in DatePrecision}:
            day = period_start(day, DatePrecision(cells["event_date_precision"]))
        if day > today:
            late[column] = f"can't be after today ({today.isoformat()})"
    return late


def check(cells: Mapping[str, str], **extra: str) -> tuple[EvidenceDraft | None, dict[str, str]]:
    """The draft, or the models' complaints keyed by column (one message per column)."""
    fields = {**row_to_fields(cells), **extra}
    future = _after_today(cells)
    try:
        draft = EvidenceDraft.model_validate(fields)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for raw, error in zip(exc.errors(), validation_errors(exc, 0), strict=True):
            message = error.message
            # A field left empty fails a type or length check whose wording helps nobody.
            if raw["loc"] and cells.get(error.field) == "":
                message = "required; please fill this in"
            errors.setdefault(error.field if error.field in LABELS else FORM_ERROR, message)
        return None, {**errors, **future}
    return (None, future) if future else (draft, {})


def store_error(exc: StoreError) -> dict[str, str]:
    message = str(exc).removeprefix(f"{exc.field}: ") if exc.field else str(exc)
    column = exc.field if exc.field in LABELS or exc.field == RECORDER_ERROR else FORM_ERROR
    return {column: message}


def _submission_id(prefix: str, fingerprint: str) -> str:
    """One id per form instance; a repeat of the last saved submission reuses its id.

    A double click sends the same values twice, possibly after the first click's run has
    already moved on to a fresh id; matching the content keeps it to one recorded row.
    """
    last = st.session_state.get(key(prefix, "last_saved"))
    if _is_last_saved(prefix, fingerprint) and isinstance(last, tuple):
        return str(last[1])
    return str(st.session_state.setdefault(key(prefix, "submission_id"), new_evidence_id()))


def _is_last_saved(prefix: str, fingerprint: str) -> bool:
    last = st.session_state.get(key(prefix, "last_saved"))
    return isinstance(last, tuple) and last[0] == fingerprint


def save(prefix: str, *, supersedes: str = "", commitment_id: str = "") -> None:
    """The submit callback: check, save, and leave the outcome in session state."""
    cells = typed_cells(prefix)
    if commitment_id:
        cells["commitment_id"] = commitment_id
    recorder = current_recorder()
    fingerprint = json.dumps([cells, supersedes, recorder], sort_keys=True)
    evidence_id = _submission_id(prefix, fingerprint)
    draft, errors = check(cells, id=evidence_id, supersedes=supersedes)
    saved: Evidence | None = None
    if draft is None:
        # Report a missing recorder with the draft's problems, not on the next attempt.
        try:
            TypeAdapter(ShortText).validate_python(recorder)
        except ValidationError:
            errors[RECORDER_ERROR] = "required; please give your name"
    else:
        repeated = _is_last_saved(prefix, fingerprint)
        before = _status_label(draft.commitment_id)
        try:
            saved = data.store().add_evidence(draft, recorder)
        except StoreError as exc:
            errors = store_error(exc)
        else:
            if not repeated:  # a second click changes nothing: what the first one did stands
                # With pending rows counted: what the row does now, or will do once confirmed.
                st.session_state[key(prefix, "moved")] = (before, _status_label(draft.commitment_id))
    st.session_state[key(prefix, "errors")] = errors
    st.session_state[key(prefix, "saved")] = saved.id if saved else ""
    if saved is not None:
        st.session_state[key(prefix, "last_saved")] = (fingerprint, saved.id)
        st.session_state[key(prefix, "submission_id")] = new_evidence_id()
        for column in CLEARED_AFTER_SAVE:
            st.session_state[key(prefix, column)] = DEFAULTS[column]


def _status_label(commitment_id: str) -> str:
    """The pledge's status today, counting rows that await review ("" before it is on record)."""
    found = data.ledger().status(commitment_id, View(as_of=date.today(), include_pending=True))
    return found.label if found else ""


def moved(prefix: str) -> tuple[str, str]:
    """The saved row's pledge status before and after the save (or once the row is confirmed)."""
    found = st.session_state.get(key(prefix, "moved"))
    return (str(found[0]), str(found[1])) if isinstance(found, tuple) else ("", "")


def prefill(prefix: str, row: Evidence) -> None:
    """Put an existing row into the form, ready to be corrected."""
    cells = evidence_to_row(row)
    for column in LABELS:
        value: Any = cells.get(column, "")
        if column in DATE_COLUMNS:
            value = date.fromisoformat(value) if value else None
        st.session_state[key(prefix, column)] = value
    st.session_state[key(prefix, "correction_reason")] = ""
    st.session_state[key(prefix, "errors")] = {}


def row_table(row: Evidence, pledge_title: str = "") -> dict[str, str]:
    """A recorded row as label -> text, for showing it back to the user."""
    cells = evidence_to_row(row)
    if pledge_title:
        cells["commitment_id"] = pledge_title
    for column in (
        "event_date_precision",
        "event_date_certainty",
        "kind",
        "direction",
        "attests",
        "speaks_for",
        "source_strength",
        "quote_kind",
        "reason_code",
    ):
        cells[column] = _label(cells[column])
    shown = {"Row id": row.id, **{LABELS[c]: cells[c] for c in LABELS if cells.get(c)}}
    shown["Recorded by"] = row.recorded_by
    shown["Recorded at (UTC)"] = row.recorded_at.isoformat(timespec="seconds")
    return shown


def show_outcome(prefix: str) -> None:
    """Under the form: a summary of what to fix, or nothing."""
    errors = errors_of(prefix)
    if not errors:
        return
    named = [LABELS.get(c, "Recorded by" if c == RECORDER_ERROR else "") for c in errors]
    fields = ", ".join(n for n in named if n)
    st.error(f"Nothing was saved. Please check: {fields}." if fields else "Nothing was saved.", icon=":material/error:")
    if FORM_ERROR in errors:
        st.error(errors[FORM_ERROR], icon=":material/error:")
