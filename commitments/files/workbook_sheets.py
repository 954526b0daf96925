"""The workbook's sheets in words: each column's heading and kind, and each summary's rows.

Declared once here and written by `commitments.files.workbook`: a column says which heading
(`explain.HEADINGS`) heads it and what it holds (text, a date, a number, a link); a date
column is followed by the same date said as precisely as it is known ("Jan 2024"). The rows
turn the ledger's answers into words: "in effect (claimed)", "the PRC's word", "official record".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from commitments import explain
from commitments.ledger import Change, PledgeStatus, Transition
from commitments.models import (
    Commitment,
    DatePrecision,
    EvidenceKind,
    ReasonCode,
    RecordState,
    SourceStrength,
    SpeaksFor,
)

Cell = str | int | float | date | datetime | None
Kind = Literal["text", "date", "datetime", "number", "link"]


@dataclass(frozen=True)
class Column:
    key: str  # in explain.HEADINGS
    kind: Kind = "text"
    width: int = 16
    known: bool = False  # the column holds how precisely the date before it is known

    @property
    def heading(self) -> str:
        return f"{explain.heading(self.key)} (as known)" if self.known else explain.heading(self.key)

    @property
    def meaning(self) -> str:
        return explain.HEADINGS["known_as" if self.known else self.key][1]


def _text(key: str, width: int = 16) -> Column:
    return Column(key, "text", width)


def _date(key: str) -> tuple[Column, Column]:
    return Column(key, "date", 12), Column(key, "text", 14, known=True)


PLEDGE = (_text("pledge", 60), _text("pledge_id", 36))
BOARD = (
    *PLEDGE,
    _text("party", 9),
    _text("theme", 18),
    _text("status", 20),
    _text("flags", 18),
    *_date("stage_since"),
    *_date("last_evidence_on"),
    Column("evidence_count", "number", 10),
    Column("claimed_sources", "number", 10),
    Column("independent_sources", "number", 11),
    _text("verified_by", 50),
    _text("reported_by", 50),
    _text("missing", 60),
    _text("why", 90),
    *_date("pledged_on"),
    Column("due_on", "date", 12),
    _text("reasons", 120),
)
CHANGES = (
    *PLEDGE,
    _text("before", 20),
    _text("after", 20),
    _text("status_changed", 10),
    _text("steps", 100),
    _text("change_rows", 24),
    _text("new_rows", 24),
    _text("corrected_rows", 24),
    _text("why", 90),
)
LOG = (
    *PLEDGE,
    _text("row_id", 22),
    *_date("event_date"),
    _text("date_certainty", 12),
    _text("date_note", 40),
    _text("kind", 18),
    _text("direction", 10),
    _text("attests", 10),
    _text("whose_word", 22),
    _text("summary", 70),
    _text("quote", 70),
    _text("source", 50),
    _text("publisher", 28),
    Column("link", "link", 40),
    _text("reference", 30),
    Column("published_on", "date", 12),
    _text("strength", 18),
    Column("value", "number", 10),
    Column("known_on", "date", 12),
    _text("record_state", 28),
    _text("corrects", 22),
    _text("correction_reason", 40),
    _text("reason", 20),
    _text("replies_to", 22),
    _text("recorded_by", 18),
    Column("recorded_at", "datetime", 19),
)
HISTORY = (
    *PLEDGE,
    Column("on", "date", 12),
    _text("before", 20),
    _text("history_after", 20),
    _text("flags", 18),
    _text("history_rows", 24),
    _text("what_changed", 110),
)


# -- the rows, in words ---------------------------------------------------------------------


def _flags(flags: Iterable[Any]) -> str:
    return ", ".join(sorted(f.label for f in flags))


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids)


def board_rows(board: Sequence[PledgeStatus]) -> Iterator[list[Cell]]:
    for s in board:
        c = s.commitment
        yield [
            c.title,
            c.id,
            c.party,
            c.theme.replace("-", " "),
            s.label,
            _flags(s.flags),
            s.stage_since,
            explain.date_text(s.stage_since, s.stage_since_precision),
            s.last_evidence_on,
            explain.date_text(s.last_evidence_on, s.last_evidence_precision),
            s.evidence_count,
            s.claimed_sources,
            s.independent_sources,
            "; ".join(v.cited for v in s.verified_by),
            "; ".join(r.cited for r in s.reported_by),
            s.missing,
            s.why,
            c.pledged_on,
            explain.date_text(c.pledged_on, c.pledged_on_precision),
            c.due_on,
            " ".join(s.reasons),
        ]


def change_rows(changes: Sequence[Change]) -> Iterator[list[Cell]]:
    for ch in changes:
        yield [
            ch.commitment.title,
            ch.commitment_id,
            ch.before.label if ch.before else "not yet on record",
            ch.after.label,
            "yes" if ch.status_changed else "no",
            " | ".join(explain.step_text(t.on, t.reason) for t in ch.transitions),
            _ids(ch.evidence_ids),
            _ids(ch.new_evidence_ids),
            _ids(ch.correction_ids),
            ch.after.why,
        ]


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def _word(enum: Callable[[str], Any], text: str) -> str:
    return str(enum(text).label) if text else ""


def log_rows(log: Iterable[Mapping[str, str]], pledges: Mapping[str, Commitment]) -> Iterator[list[Cell]]:
    for r in log:
        pledge = pledges.get(r["commitment_id"])
        speaker = SpeaksFor(r["speaks_for"])
        event = date.fromisoformat(r["event_date"])
        yield [
            pledge.title if pledge else r["commitment_id"],
            r["commitment_id"],
            r["id"],
            event,
            explain.date_text(event, DatePrecision(r["event_date_precision"] or "day")),
            r["event_date_certainty"],
            r["date_note"],
            _word(EvidenceKind, r["kind"]),
            r["direction"],
            "" if r["attests"] in ("", "none") else r["attests"].replace("_", " "),
            explain.whose_word(speaker, pledge) if pledge else speaker.value.replace("_", " "),
            r["summary"],
            r["quote"],
            r["source_title"],
            r["source_publisher"],
            r["source_url"],
            r["source_reference"],
            _day(r["source_published_on"]),
            _word(SourceStrength, r["source_strength"]),
            float(r["value"]) if r["value"] else None,
            _day(r["known_on"]),
            explain.record_text(RecordState(r["record_state"]), r["record_note"]),
            r["supersedes"],
            r["correction_reason"],
            _word(ReasonCode, r["reason_code"]),
            r["replies_to"],
            r["recorded_by"],
            datetime.fromisoformat(r["recorded_at"]) if r["recorded_at"] else None,
        ]


def history_rows(history: Sequence[Transition]) -> Iterator[list[Cell]]:
    for t in history:
        yield [
            t.commitment.title,
            t.commitment_id,
            t.on,
            explain.status_label(*t.previous[:2]) if t.previous else "",
            t.label,
            _flags(t.flags),
            _ids(t.evidence_ids),
            t.reason,
        ]
