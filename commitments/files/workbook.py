"""The workbook: one Excel file with a sheet per summary and a "Read me", in words, for people.

Sheets: "Read me" (the date, the filters, what each sheet and column holds, the method in
brief), "Status board", "Changes" (when an earlier date is given), "Evidence log" and
"Status history". Headers and values are words ("in effect (claimed)", "the PRC's word"),
never codes; dates are real date cells with the date as precisely as it is known beside
them ("Jan 2024"); every sheet names the pledge in its first column, has its header row
frozen, filters on every column and set widths.

Every text cell is written as a string (`write_string`, and XlsxWriter told never to turn
text into formulas, links or numbers), so a summary that begins with "=" stays text: no
cell of the workbook is a formula. The CSVs stay the machine format that the import reads;
this is the file for reading.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from commitments import explain
from commitments.ledger import Change, Ledger, PledgeStatus, Transition, View
from commitments.models import (
    Commitment,
    DatePrecision,
    EvidenceKind,
    ReasonCode,
    RecordState,
    SourceStrength,
    SpeaksFor,
)
from commitments.selection import EVERY_PLEDGE, Selection

Cell = str | int | float | date | datetime | None
Kind = Literal["text", "date", "datetime", "number", "link"]
OPTIONS = {
    # Text is text: never a formula, a link or a number, whatever it starts with.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # Rows are written in order and flushed: a hundred thousand evidence rows stay small in memory.
    "constant_memory": True,
}
EXCEL_URL_LIMIT = 2079


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


@dataclass(frozen=True)
class Sheet:
    name: str
    about: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[Sequence[Cell]]]


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


# -- writing --------------------------------------------------------------------------------


class _Formats:
    def __init__(self, book: Workbook):
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#ECEFF1", "bottom": 1}
        )
        self.text = book.add_format({"valign": "top"})
        self.date = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "align": "left"})
        self.datetime = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss", "valign": "top", "align": "left"})
        self.number = book.add_format({"valign": "top"})
        self.link = book.add_format({"valign": "top", "font_color": "#1A56A8", "underline": 1})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.label = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _write(ws: Worksheet, f: _Formats, row: int, col: int, kind: Kind, value: Cell) -> None:
    if value is None or value == "":
        return
    if kind in ("date", "datetime") and isinstance(value, date):
        ws.write_datetime(row, col, value, f.date if kind == "date" else f.datetime)
    elif kind == "number" and isinstance(value, int | float):
        ws.write_number(row, col, value, f.number)
    elif (
        kind == "link"
        and isinstance(value, str)
        and value.lower().startswith(("http://", "https://"))
        and len(value) <= EXCEL_URL_LIMIT
        and ws.write_url(row, col, value, f.link, string=value) == 0
    ):
        return
    else:
        ws.write_string(row, col, str(value), f.text)


def _write_sheet(book: Workbook, f: _Formats, sheet: Sheet) -> int:
    ws = book.add_worksheet(sheet.name)
    # Two lines for the header: a heading wraps where its column is narrower ("Stage since (as known)").
    ws.set_row(0, 2 * ROW_HEIGHT)
    for col, column in enumerate(sheet.columns):
        ws.set_column(col, col, column.width)
        ws.write_string(0, col, column.heading, f.header)
    ws.freeze_panes(1, 1)
    # Printed (or saved as PDF): landscape, the header row and the pledge on every page.
    ws.set_landscape()
    ws.repeat_rows(0)
    ws.repeat_columns(0)
    n = 0
    for n, cells in enumerate(sheet.rows(), start=1):
        for col, (column, value) in enumerate(zip(sheet.columns, cells, strict=True)):
            _write(ws, f, n, col, column.kind, value)
    ws.autofilter(0, 0, max(n, 1), len(sheet.columns) - 1)
    return n


TEXT_WIDTH = 110  # the Read me's text column, in characters
ROW_HEIGHT = 15  # points, one line of the default font


def _lines(text: str, width: int) -> int:
    """About how many lines `text` wraps to in a column `width` characters wide."""
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += len(word) + (1 if used else 0)
    return lines


def _write_read_me(book: Workbook, f: _Formats, facts: Sequence[tuple[str, Cell]], sheets: Sequence[Sheet]) -> None:
    """Label and text in two columns, nothing merged, so every row's height follows its text."""
    ws = book.add_worksheet("Read me")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, TEXT_WIDTH)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.write_string(0, 0, "Commitment verification workbook", f.title)
    row = 2

    def line(label: str, value: Cell) -> None:
        nonlocal row
        # Nothing sizes a row to wrapped text on opening in every program: say its height.
        ws.set_row(row, ROW_HEIGHT * _lines(str(value or ""), TEXT_WIDTH))
        if label:
            ws.write_string(row, 0, label, f.label)
        if isinstance(value, date):
            ws.write_datetime(row, 1, value, f.date)
        elif value:
            ws.write_string(row, 1, str(value), f.wrap)
        row += 1

    for label, value in facts:
        line(label, value)
    row += 1
    for k, sheet in enumerate(sheets):
        line("Sheets" if k == 0 else "", f"{sheet.name}: {sheet.about}")
    row += 1
    for k, sentence in enumerate(explain.METHOD_IN_BRIEF):
        line("Method in brief" if k == 0 else "", sentence)
    for sheet in sheets:
        row += 1
        ws.set_row(row, ROW_HEIGHT + 3)
        ws.write_string(row, 0, sheet.name, f.header)
        ws.write_string(row, 1, "Column: what it holds", f.header)
        row += 1
        for column in sheet.columns:
            ws.set_row(row, ROW_HEIGHT * _lines(f"{column.heading}: {column.meaning}", TEXT_WIDTH))
            ws.write_rich_string(row, 1, f.label, column.heading, f.wrap, f": {column.meaning}", f.wrap)
            row += 1


def workbook_bytes(
    ledger: Ledger,
    view: View,
    since: date | None = None,
    selection: Selection = EVERY_PLEDGE,
    title: str = "",
    prepared_on: date | None = None,
) -> bytes:
    """The workbook of the pledges `selection` passes, as of the view's date (and the changes since `since`)."""
    board = selection.of(ledger.board(view))
    pledges = {s.commitment_id: s.commitment for s in board}
    ids = list(pledges)
    sheets = [
        Sheet(
            "Status board",
            "one row per pledge: its status, why, who verified it, when.",
            BOARD,
            lambda: board_rows(board),
        ),
    ]
    if since is not None:
        changes = [c for c in ledger.changes(since, view) if c.commitment_id in pledges]
        sheets.append(
            Sheet(
                "Changes",
                f"each pledge whose status changed, or that gained evidence, since {explain.date_text(since)}.",
                CHANGES,
                lambda: change_rows(changes),
            )
        )
    sheets += [
        Sheet(
            "Evidence log",
            "every evidence row known by the date, newest first, with where it stands (active, corrected, retracted).",
            LOG,
            lambda: log_rows(ledger.evidence_log(view, ids), pledges),
        ),
        Sheet(
            "Status history",
            "each change of a pledge's status up to the date, and the evidence that caused it.",
            HISTORY,
            lambda: history_rows(ledger.history(view, ids)),
        ),
    ]
    facts: list[tuple[str, Cell]] = [("Catalogue", title)] if title else []
    facts += [
        ("As of", view.as_of),
        ("", explain.view_text(view.as_of, view.recorded_on, view.include_pending)),
        ("Changes since", since if since is not None else "not asked for: no Changes sheet"),
        ("Pledges", f"{selection.text} ({explain.count_text(len(board), 'pledge')})"),
        ("Prepared", prepared_on or date.today()),
        (
            "Dates",
            "Date columns hold real dates (for a month or a year: its first or last day, as the heading says); "
            "the column headed '(as known)' beside each says how precisely it is known, e.g. 'Jan 2024'.",
        ),
    ]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, OPTIONS)
    formats = _Formats(book)
    _write_read_me(book, formats, facts, sheets)
    for sheet in sheets:
        _write_sheet(book, formats, sheet)
    book.close()
    return out.getvalue()
