"""Keeping a source document, and accepting proposed evidence rows drawn from it.

When an analyst accepts proposals from a pasted press release, the document itself is
kept (its text under its SHA-256), and each accepted row cites it: the row's quote is the
sentence, its source reference is "document:<sha256>". A later reader sees exactly what
a row was drawn from even after the web page changes or disappears.

Accepting goes through the same checks as the add-evidence form (`EvidenceDraft`, then
`Store.add_many`), writes the document and the rows in one transaction, and is safe to
repeat: each row's id is derived from the document, the sentence and the pledge, so a
second click records nothing new.

>>> document_id("Officials met.")[:12]
'089448aa1baa'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from commitments.files.evidence_csv import RowError, validation_errors
from commitments.models import REFERENCE_PREFIX, Document, Evidence, EvidenceDraft
from commitments.store.store import Store, StoreError, utc_now
from commitments.store.tables import documents_table

MAX_TEXT_CHARS = 1_000_000


class DocumentError(ValueError):
    """Accepted rows were refused; `errors` names each row and field. Nothing was written."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        super().__init__("; ".join(str(e) for e in self.errors[:3]) + (" ..." if len(self.errors) > 3 else ""))


def document_id(text: str) -> str:
    """The SHA-256 of the document's text (UTF-8), in hex: its id and its fingerprint."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def row_id(doc_id: str, sentence_index: int, commitment_id: str) -> str:
    """The evidence id for one sentence of one document about one pledge: the same every time."""
    digest = hashlib.sha256(f"{doc_id}|{sentence_index}|{commitment_id}".encode()).hexdigest()
    return f"doc-{digest[:20]}"


def new_document(
    text: str,
    title: str,
    recorded_by: str,
    publisher: str = "",
    url: str = "",
    published_on: date | None = None,
    now: datetime | None = None,
) -> Document:
    """Validate a document's details (raises pydantic's ValidationError naming the field)."""
    if not text.strip():
        raise ValueError("text: the document is empty")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"text: the document is longer than {MAX_TEXT_CHARS:,} characters")
    return Document(
        id=document_id(text),
        text=text,
        title=title,
        publisher=publisher,
        url=url,
        published_on=published_on,
        recorded_by=recorded_by,
        recorded_at=now or utc_now(),
    )


def drafts_from_rows(document: Document, rows: Sequence[Mapping[str, Any]]) -> list[EvidenceDraft]:
    """Turn reviewed proposal rows into drafts, or raise DocumentError listing every problem.

    Each row holds the editable fields (commitment_id, event_date, event_date_precision,
    event_date_certainty, date_note, kind, direction, speaks_for, source_strength, summary) plus `text`
    (the sentence, kept as the quote) and `sentence_index`. Rows are numbered from 1.
    """
    drafts: list[EvidenceDraft] = []
    errors: list[RowError] = []
    for number, row in enumerate(rows, start=1):
        fields = {
            "id": row_id(document.id, int(row.get("sentence_index") or 0), str(row.get("commitment_id") or "")),
            "commitment_id": row.get("commitment_id"),
            "event_date": row.get("event_date"),
            "event_date_precision": row.get("event_date_precision") or "day",
            "event_date_certainty": row.get("event_date_certainty") or "inferred",
            "date_note": row.get("date_note") or "",
            "kind": row.get("kind"),
            "direction": row.get("direction") or None,
            "speaks_for": row.get("speaks_for"),
            "summary": row.get("summary") or "",
            "quote": row.get("text") or "",
            "source": {**document.source.model_dump(), "strength": row.get("source_strength") or None},
        }
        try:
            drafts.append(EvidenceDraft.model_validate(fields))
        except ValidationError as exc:
            errors.extend(validation_errors(exc, number))
    if errors:
        raise DocumentError(errors)
    return drafts


def accept(store: Store, document: Document, rows: Sequence[Mapping[str, Any]]) -> list[Evidence]:
    """Record the document and the accepted rows, all or nothing; repeating records nothing new.

    Raises DocumentError (a row failed validation) or StoreError (the store refused,
    e.g. an unknown pledge); in both cases nothing is written.
    """
    if not rows:
        raise DocumentError([RowError(0, "accept", "no rows are ticked to accept")])
    drafts = drafts_from_rows(document, rows)
    recorder = document.recorded_by.strip()
    if not recorder:
        raise StoreError("say who is recording this evidence", "recorded_by")

    # The store's one door for evidence, with the document kept in the same transaction:
    # the document and its rows are written together or not at all.
    return store.add_many(drafts, recorder, document.recorded_at, document=document).rows


def get_document(store: Store, doc_id: str) -> Document | None:
    """The kept document with this SHA-256 (or a "document:<sha256>" reference), if any."""
    key = doc_id.removeprefix(REFERENCE_PREFIX)
    with store.engine.connect() as conn:
        row = conn.execute(select(documents_table).where(documents_table.c.id == key)).first()
    return Document.model_validate(dict(row._mapping)) if row else None
