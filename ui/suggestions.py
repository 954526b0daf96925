"""The "Suggest evidence" page's glue: read the document, hold the proposals, accept rows.

Proposals come from `commitments.suggest.matching.propose` (which writes nothing); accepting goes
through `commitments.suggest.documents.accept`, the same `EvidenceDraft` checks and store insert
as the add-evidence form, with the document kept under its SHA-256.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from commitments.files.evidence_csv import field_name
from commitments.models import (
    DEFAULT_STRENGTH,
    DateCertainty,
    DatePrecision,
    Direction,
    EvidenceKind,
    SourceStrength,
    SpeaksFor,
)
from commitments.store.store import StoreError
from commitments.suggest.documents import DocumentError, accept, document_id, new_document, row_id
from commitments.suggest.examples import examples_from
from commitments.suggest.matching import PledgeIndex, propose
from commitments.suggest.sentences import html_to_text
from ui import data
from ui.recorder import current_recorder

TEXT = "sg_text"
UPLOAD = "sg_upload"
PUBLISHED = "sg_published"
TITLE = "sg_title"
PUBLISHER = "sg_publisher"
URL = "sg_url"
PROPOSED = "sg_proposed"  # the Suggestion the table shows
MESSAGE = "sg_message"  # (level, text) after suggesting or accepting
GENERATION = "sg_generation"  # bumped for each new suggestion: a fresh, unedited table
# The proposals the analyst rejected, per document: {sha256: {(sentence index, pledge id)}}.
# Kept in this browser session only (the store has no table for them): a new session, or
# another analyst, sees a rejected proposal again.
REJECTED = "sg_rejected"
MAX_BYTES = 2 * 1024 * 1024
PROPOSALS_PER_SENTENCE = 5
# The matcher learns from at most this many recorded rows, the newest that still count.
MAX_EXAMPLES = 5000

EDITABLE = [
    "commitment_id",
    "event_date",
    "event_date_precision",
    "event_date_certainty",
    "kind",
    "direction",
    "speaks_for",
    "source_strength",
    "summary",
    "date_note",
]
READ_ONLY = ["text", "why", "score", "matched_terms", "from_context", "similar_rows", "alternatives", "sentence_index"]
SHOWN = ["accept", "reject", *EDITABLE, *READ_ONLY]


@dataclass(frozen=True)
class Suggestion:
    """The document the proposals were made from, as it was when "Suggest" was pressed."""

    text: str
    published: date | None  # None: not known; relative dates are then left unresolved
    title: str
    publisher: str
    url: str
    rows: tuple[dict[str, Any], ...]


@st.cache_resource(show_spinner="Learning from the recorded rows ...", max_entries=2)
def _pledge_index(store_url: str, revision: int) -> PledgeIndex:
    """The catalogue and the rows recorded so far, prepared for matching; rebuilt after any write."""
    ledger = data.ledger()
    newest = [r.evidence_id for r in ledger.open_rows()[:MAX_EXAMPLES]]
    return PledgeIndex.build(ledger.commitments, examples_from(ledger.evidence(evidence_ids=newest)))


def pledge_index() -> PledgeIndex:
    s = data.store()
    return _pledge_index(s.url, s.revision())


def rejected_for(text: str) -> set[tuple[int, str]]:
    """The (sentence index, pledge) proposals rejected for this document in this session."""
    found: dict[str, set[tuple[int, str]]] = st.session_state.get(REJECTED, {})
    return set(found.get(document_id(text), set()))


def editor_key() -> str:
    return f"sg_editor_{st.session_state.get(GENERATION, 0)}"


def _uploaded_text() -> tuple[str, str]:
    upload = st.session_state.get(UPLOAD)
    if upload is None:
        return "", ""
    raw = upload.getvalue()
    if len(raw) > MAX_BYTES:
        return "", f"{upload.name}: larger than {MAX_BYTES // (1024 * 1024)} MB"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "", f"{upload.name}: not a UTF-8 text file"
    is_html = upload.name.lower().endswith((".html", ".htm")) or text.lstrip()[:1] == "<"
    return (html_to_text(text) if is_html else text), ""


def suggest() -> None:
    """The "Suggest rows" callback: read the inputs, propose, keep the proposals in the session."""
    text, problem = _uploaded_text()
    text = text or str(st.session_state.get(TEXT) or "")
    published = st.session_state.get(PUBLISHED)
    if problem:
        st.session_state[MESSAGE] = ("error", f"Upload: {problem}")
        return
    if not text.strip():
        st.session_state[MESSAGE] = ("error", "Document: paste the text or upload a .txt or .html file")
        return
    if not isinstance(published, date):
        published = None  # accepted: dates the text states in full are read, relative ones are not
    publisher = str(st.session_state.get(PUBLISHER) or "").strip()
    proposals = propose(
        text,
        published,
        pledge_index(),
        publisher=publisher,
        top=PROPOSALS_PER_SENTENCE,
        rejected=rejected_for(text),
    )
    rows = []
    for p in proposals:
        row = p.model_dump(mode="python")
        row["accept"] = False
        row["reject"] = False
        row["matched_terms"] = ", ".join(p.matched_terms)
        row["similar_rows"] = "; ".join(p.similar_rows)
        row["alternatives"] = ", ".join(f"{a.commitment_id} ({a.score:.1f})" for a in p.alternatives)
        # The cautious default for whose word it is; the analyst raises it after reading the source.
        row["source_strength"] = DEFAULT_STRENGTH[SpeaksFor(row["speaks_for"])].value
        rows.append(row)
    st.session_state[PROPOSED] = Suggestion(
        text=text,
        published=published,
        title=str(st.session_state.get(TITLE) or "").strip(),
        publisher=publisher,
        url=str(st.session_state.get(URL) or "").strip(),
        rows=tuple(rows),
    )
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    found = f"{len(rows)} proposed row(s)" if rows else "no sentence that bears on a pledge"
    undated = (
        " No publication date was given: relative dates ('last week', 'on Tuesday') are left unresolved; "
        "give those rows' event dates before accepting."
        if published is None
        else ""
    )
    st.session_state[MESSAGE] = ("info", f"Found {found}. Nothing is recorded until you accept.{undated}")


def proposals_frame(suggestion: Suggestion) -> pd.DataFrame:
    frame = pd.DataFrame(list(suggestion.rows), columns=SHOWN)
    frame["event_date"] = pd.to_datetime(frame["event_date"]).dt.date
    return frame


def in_words(value: Any) -> str:
    """A stored value as the analyst reads it: "enforcement_action" is "enforcement action".

    >>> in_words("committing_party")
    'committing party'
    """
    return str(value).replace("_", " ")


def column_config(pledge_ids: list[str]) -> dict[str, Any]:
    def choice(label: str, options: list[str], **kwargs: Any) -> Any:
        # The table holds the stored values; the cells and the list show them as words.
        return st.column_config.SelectboxColumn(label, options=options, required=True, format_func=in_words, **kwargs)

    return {
        "accept": st.column_config.CheckboxColumn("Accept", help="Tick the rows to record", default=False),
        "reject": st.column_config.CheckboxColumn(
            "Reject",
            help="Tick the proposals that are wrong, then 'Reject ticked rows': they are not proposed again for "
            "this document in this session",
            default=False,
        ),
        "commitment_id": choice("Pledge", pledge_ids, width="medium"),
        "event_date": st.column_config.DateColumn("Event date", format="YYYY-MM-DD", required=True),
        "event_date_precision": choice("Precision", [p.value for p in DatePrecision]),
        "event_date_certainty": choice("How sure", [c.value for c in DateCertainty]),
        "kind": choice("Kind", [k.value for k in EvidenceKind]),
        "direction": choice("Direction", [d.value for d in Direction]),
        "speaks_for": choice("Speaks for", [s.value for s in SpeaksFor]),
        "source_strength": choice(
            "Source strength",
            [s.value for s in SourceStrength],
            help="Official record, named investigation, sourced report or unattributed: only strong independent "
            "sources verify a pledge",
        ),
        "summary": st.column_config.TextColumn("Summary", max_chars=300, required=True, width="large"),
        "date_note": st.column_config.TextColumn("Date note"),
        "text": st.column_config.TextColumn("Sentence (kept as the quote)", width="large"),
        "why": st.column_config.TextColumn(
            "Why proposed", width="large", help="The words that matched and the recorded rows the sentence is like"
        ),
        "similar_rows": st.column_config.TextColumn("Like recorded rows"),
        "score": st.column_config.NumberColumn("Score", format="%.1f"),
        "matched_terms": st.column_config.TextColumn("Matched words"),
        "from_context": st.column_config.CheckboxColumn(
            "From earlier sentence",
            help="The pledge was named in an earlier sentence this one points back to: check it speaks of it",
        ),
        "alternatives": st.column_config.TextColumn("Other pledges"),
        "sentence_index": st.column_config.NumberColumn("Sentence #"),
    }


def _date(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def reject_ticked(suggestion: Suggestion, edited: pd.DataFrame) -> None:
    """Forget the rows ticked "Reject": they leave the table and are not proposed again for this document."""
    ticked = edited[edited["reject"].fillna(False).astype(bool)]
    if ticked.empty:
        st.session_state[MESSAGE] = ("error", "Reject: tick the proposals to reject first")
        return
    gone = {(int(r["sentence_index"]), str(r["commitment_id"])) for r in ticked.to_dict("records")}
    # The pledge as proposed, not as edited: the analyst rejects what the matcher said.
    proposed = {
        (int(r["sentence_index"]), str(r["commitment_id"])) for i, r in enumerate(suggestion.rows) if i in ticked.index
    }
    rejected: dict[str, set[tuple[int, str]]] = dict(st.session_state.get(REJECTED, {}))
    key = document_id(suggestion.text)
    rejected[key] = rejected.get(key, set()) | gone | proposed
    st.session_state[REJECTED] = rejected
    kept = tuple(r for i, r in enumerate(suggestion.rows) if i not in ticked.index)
    st.session_state[PROPOSED] = replace(suggestion, rows=kept)
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.session_state[MESSAGE] = (
        "info",
        f"Rejected {len(ticked)} proposal(s): not proposed again for this document in this session.",
    )


def accept_ticked(suggestion: Suggestion, edited: pd.DataFrame) -> None:
    """Record the ticked rows (all or none) and leave the outcome in session state."""
    ticked = edited[edited["accept"].fillna(False).astype(bool)]
    table_rows = [int(i) + 1 for i in ticked.index]
    rows = [{**r, "event_date": _date(r["event_date"])} for r in ticked.to_dict("records")]
    if not rows:
        st.session_state[MESSAGE] = ("error", "Accept: tick at least one row first")
        return
    recorder = current_recorder()
    if not recorder:
        st.session_state[MESSAGE] = ("error", "Recorded by: say who is recording this evidence")
        return
    try:
        document = new_document(
            suggestion.text,
            suggestion.title,
            recorder,
            publisher=suggestion.publisher,
            url=suggestion.url,
            published_on=suggestion.published,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        label = {"title": "Source title", "url": "Source URL", "publisher": "Publisher"}.get(
            field_name(first["loc"]), field_name(first["loc"])
        )
        st.session_state[MESSAGE] = ("error", f"{label}: {first['msg'].removeprefix('Value error, ')}")
        return
    except ValueError as exc:
        st.session_state[MESSAGE] = ("error", str(exc))
        return
    store = data.store()
    ids = [row_id(document.id, int(r.get("sentence_index") or 0), str(r.get("commitment_id") or "")) for r in rows]
    already = sum(1 for i in ids if store.get_evidence(i) is not None)
    try:
        saved = accept(store, document, rows)
    except DocumentError as exc:
        problems = "; ".join(
            f"table row {table_rows[e.row - 1] if 0 < e.row <= len(table_rows) else e.row}, {e.field}: {e.message}"
            for e in exc.errors
        )
        st.session_state[MESSAGE] = ("error", f"Nothing recorded. {problems}")
        return
    except StoreError as exc:
        st.session_state[MESSAGE] = ("error", f"Nothing recorded. {exc}")
        return
    new = len(saved) - already
    st.session_state[MESSAGE] = (
        "success",
        f"Recorded {new} new row(s) from this document ({already} already on record). "
        f"The document is kept as document:{document.id[:12]}….",
    )
