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
this is the file for reading. What each sheet's columns and rows say is declared in
`commitments.files.workbook_sheets`; this module writes them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from commitments import explain
from commitments.files.workbook_sheets import (
    BOARD,
    CHANGES,
    HISTORY,
    LOG,
    Cell,
    Column,
    Kind,
    board_rows,
    change_rows,
    history_rows,
    log_rows,
)
from commitments.ledger import Ledger, View
from commitments.selection import EVERY_PLEDGE, Selection

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
class Sheet:
    name: str
    about: str
    columns: tuple[Column, ...]
    rows: Callable[[], Iterable[Sequence[Cell]]]


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
