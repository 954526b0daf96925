"""Recording evidence rows: the checks against what the store holds, and the insert, in one transaction.

Called only through `Store.add_many` (the store's one checked door, which also checks who
may record). Every draft is checked and every problem reported, each with the caller's row
number (a CSV's spreadsheet row, a form's single row), before anything is written. A draft
without an id is given one made from its content, so a file imported twice, or a retry
after a lost connection, records each row once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from commitments.evidence_row import from_stored, stored
from commitments.files.evidence_csv import RowError, validation_errors
from commitments.models import Evidence, EvidenceDraft
from commitments.store import packs
from commitments.store.errors import StoreError
from commitments.store.tables import commitments_table, evidence_table, retractions_table, reviews_table

# Ids written into `IN (...)` lists at a time.
_CHUNK = 500


def content_id(draft: EvidenceDraft) -> str:
    """An id made from everything the draft says (not who records it): the same draft, the same id.

    >>> from datetime import date
    >>> d = EvidenceDraft(commitment_id="p", event_date=date(2024, 1, 1), kind="meeting",
    ...                   speaks_for="independent", summary="Met", source={"title": "Report"})
    >>> content_id(d) == content_id(d.model_copy()), content_id(d).startswith("ev-")
    (True, True)
    """
    content = draft.model_dump(mode="json", exclude={"id"})
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"ev-{digest[:16]}"


@dataclass
class Recording:
    """What a batch of drafts became: every row in the order given, and which were new."""

    rows: list[Evidence] = field(default_factory=list)
    new: list[Evidence] = field(default_factory=list)

    @property
    def repeated(self) -> list[Evidence]:
        """Rows that were already on record (a repeated import or submission)."""
        new = {e.id for e in self.new}
        return [e for e in self.rows if e.id not in new]

    def __len__(self) -> int:
        return len(self.rows)


def _existing(conn: Connection, ids: list[str]) -> dict[str, Evidence]:
    found: dict[str, Evidence] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        # FOR UPDATE (PostgreSQL; SQLite already holds its one write lock): a second
        # correction of the same row waits here, then sees the first and is refused.
        rows = conn.execute(select(evidence_table).where(evidence_table.c.id.in_(chunk)).with_for_update())
        found.update({r.id: from_stored(dict(r._mapping)) for r in rows})
    return found


def open_retractions(conn: Connection, ids: list[str]) -> set[str]:
    """The rows among these whose latest retraction counts or awaits review (was not sent back)."""
    out: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        latest: dict[str, datetime] = {}
        for r in conn.execute(
            select(retractions_table.c.evidence_id, retractions_table.c.recorded_at).where(
                retractions_table.c.evidence_id.in_(chunk)
            )
        ):
            latest[r.evidence_id] = max(latest.get(r.evidence_id, r.recorded_at), r.recorded_at)
        returned = {
            r.evidence_id
            for r in conn.execute(
                select(reviews_table.c.evidence_id, reviews_table.c.reviewed_at, reviews_table.c.decision)
                .where(reviews_table.c.evidence_id.in_(list(latest)))
                .where(reviews_table.c.subject == "retraction")
                .order_by(reviews_table.c.seq)
            )
            if r.reviewed_at >= latest[r.evidence_id] and r.decision == "returned"
        }
        out |= set(latest) - returned
    return out


def record(
    conn: Connection,
    drafts: Sequence[EvidenceDraft],
    recorded_by: str,
    stamp: datetime,
    needs_review: bool,
    row_numbers: Sequence[int] | None = None,
) -> Recording:
    """Check every draft against the store and record them all, or raise StoreError listing every problem."""
    numbers = list(row_numbers) if row_numbers is not None else list(range(1, len(drafts) + 1))
    ids = [d.id or content_id(d) for d in drafts]
    known_pledges = set(conn.execute(select(commitments_table.c.id)).scalars())
    named = sorted(
        {*ids, *(d.supersedes for d in drafts if d.supersedes), *(d.replies_to for d in drafts if d.replies_to)}
    )
    existing = _existing(conn, named)
    retracted = open_retractions(conn, [d.supersedes for d in drafts if d.supersedes])
    already_corrected = _corrected(conn, [d.supersedes for d in drafts if d.supersedes])
    problems: list[RowError] = []
    recording = Recording()
    to_insert: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    corrected_here: dict[str, int] = {}
    for number, draft, evidence_id in zip(numbers, drafts, ids, strict=True):

        def refuse(column: str, message: str, number: int = number) -> None:
            problems.append(RowError(number, column, message))

        if draft.commitment_id not in known_pledges:
            refuse("commitment_id", f"no pledge with id '{draft.commitment_id}'")
            continue
        if evidence_id in first_seen:
            what = "id" if draft.id else "row"
            refuse("id", f"the same {what} as row {first_seen[evidence_id]} ('{evidence_id}')")
            continue
        first_seen[evidence_id] = number
        if evidence_id in existing:
            if _same_content(existing[evidence_id], draft):
                recording.rows.append(existing[evidence_id])  # a repeated submission: already recorded
                continue
            refuse(
                "id",
                f"a different row with id '{evidence_id}' is already recorded; to correct it, leave id empty "
                "and put the old id in 'supersedes' with a reason",
            )
            continue
        if draft.supersedes:
            old = existing.get(draft.supersedes)
            if old is None:
                refuse("supersedes", f"no recorded row with id '{draft.supersedes}' to supersede")
            elif draft.supersedes in retracted:
                refuse("supersedes", f"row '{draft.supersedes}' was retracted and cannot be superseded")
            elif old.commitment_id != draft.commitment_id:
                refuse("commitment_id", "a correction must concern the same pledge as the row it supersedes")
            elif draft.supersedes in already_corrected:
                refuse(
                    "supersedes", f"row '{draft.supersedes}' has already been superseded; correct the newer row instead"
                )
            elif draft.supersedes in corrected_here:
                refuse(
                    "supersedes",
                    f"row '{draft.supersedes}' is corrected twice (also in row {corrected_here[draft.supersedes]})",
                )
            corrected_here.setdefault(draft.supersedes, number)
        if draft.replies_to:
            answered = existing.get(draft.replies_to)
            if answered is None:
                refuse("replies_to", f"no recorded row with id '{draft.replies_to}' to reply to")
            elif answered.commitment_id != draft.commitment_id:
                refuse("replies_to", "a reply must concern the same pledge as the row it answers")
        try:
            row = Evidence.model_validate(
                {
                    **draft.model_dump(),
                    "id": evidence_id,
                    "recorded_by": recorded_by,
                    "recorded_at": stamp,
                    "needs_review": needs_review,
                }
            )
        except ValidationError as exc:
            problems.extend(RowError(number, e.field, e.message) for e in validation_errors(exc, number))
            continue
        to_insert.append(stored(row))
        recording.rows.append(row)
        recording.new.append(row)
    if problems:
        raise StoreError.from_problems(problems, single_row=len(drafts) == 1)
    if to_insert:
        conn.execute(insert(evidence_table), to_insert)
        packs.rows_added(conn, to_insert)
    return recording


def _corrected(conn: Connection, ids: list[str]) -> set[str]:
    """Rows among these that a correction already supersedes (a retracted correction no longer does)."""
    if not ids:
        return set()
    corrections = {
        r.id: r.supersedes
        for r in conn.execute(
            select(evidence_table.c.id, evidence_table.c.supersedes).where(evidence_table.c.supersedes.in_(ids))
        )
    }
    withdrawn = open_retractions(conn, list(corrections))
    return {target for correction, target in corrections.items() if correction not in withdrawn}


def _same_content(existing: Evidence, draft: EvidenceDraft) -> bool:
    fields = set(EvidenceDraft.model_fields) - {"id"}
    return existing.model_dump(include=fields) == draft.model_dump(include=fields)
