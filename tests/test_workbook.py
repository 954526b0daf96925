"""The workbook: a sheet per summary and a Read me, headers and values in words, real dates with
their precision beside them, text that stays text (no cell is a formula), Chinese intact, and a
file LibreOffice reads back."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from commitments.files.catalog import Catalogue
from commitments.files.workbook import workbook_bytes
from commitments.files.workbook_sheets import BOARD, HISTORY, LOG
from commitments.ledger import Ledger, PledgeStatus, View
from commitments.models import DatePrecision
from commitments.selection import Selection
from tests.cli import run
from tests.conftest import require_service
from tests.factories import row

AS_OF, SINCE = date(2024, 8, 10), date(2024, 8, 1)
FORMULA = '=HYPERLINK("x")'
NAME = "魏晓军"
SHEETS = ["Read me", "Status board", "Changes", "Evidence log", "Status history"]


@pytest.fixture(scope="module")
def workbook(catalogue: Catalogue) -> bytes:
    hostile = row(
        id="hostile-1",
        commitment_id="prc-schedule-nitazenes",
        on=date(2024, 8, 6),
        kind="statement",
        speaks_for="independent",
        summary=FORMULA,
        quote=f"{NAME} 说：这是一个测试。",
        source={"title": "@SUM(1+1)", "publisher": NAME, "url": "https://example.org/report"},
        recorded_by=f"+{NAME}",
    )
    ledger = Ledger.from_models(catalogue.commitments, (*catalogue.evidence, hostile))
    return workbook_bytes(ledger, View(AS_OF), SINCE, title=catalogue.title, prepared_on=date(2024, 8, 11))


def sheet_rows(ws: Worksheet) -> list[dict[str, Any]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]


def test_one_sheet_per_summary_and_a_read_me(workbook: bytes, catalogue: Catalogue) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == SHEETS
    read_me = "\n".join(str(c.value) for r in book["Read me"].iter_rows() for c in r if c.value is not None)
    on_record = len(Ledger.from_models(catalogue.commitments, catalogue.evidence).board(View(AS_OF)))
    every = f"every pledge ({on_record} pledges)"
    for wanted in ("As of", "as of 10 Aug 2024", every, "Method in brief", "Changes since"):
        assert wanted in read_me, wanted
    assert "Stage since (as known): The date beside it" in read_me  # what each column means


@pytest.mark.parametrize(
    ("sheet", "columns"), [("Status board", BOARD), ("Evidence log", LOG), ("Status history", HISTORY)]
)
def test_headers_are_words_and_every_sheet_names_the_pledge(workbook: bytes, sheet: str, columns: Any) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(workbook))[sheet]
    header = [c.value for c in ws[1]]
    assert header == [c.heading for c in columns]
    assert header[:2] == ["Pledge", "Pledge id"]
    assert all("_" not in h and h[0].isupper() for h in header), header
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    titles = {r["Pledge"] for r in sheet_rows(ws)}
    assert "PRC schedules key nitazenes controlled internationally" in titles
    assert ws.column_dimensions["A"].width >= 40


def seed_board(catalogue: Catalogue) -> dict[str, PledgeStatus]:
    """What the engine says of each pledge on AS_OF: what the workbook must say, in words."""
    return {
        s.commitment_id: s for s in Ledger.from_models(catalogue.commitments, catalogue.evidence).board(View(AS_OF))
    }


def test_values_are_words(workbook: bytes, catalogue: Catalogue) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    board = {r["Pledge id"]: r for r in sheet_rows(book["Status board"])}
    expected = seed_board(catalogue)
    assert {k: r["Status"] for k, r in board.items()} == {k: s.label for k, s in expected.items()}
    assert {"in effect (claimed)", "announced (claimed)", "pledged"} <= {r["Status"] for r in board.values()}
    flagged = next(k for k, s in expected.items() if len(s.flags) == 1)
    assert board[flagged]["Flags"] == next(iter(expected[flagged].flags)).label
    log = sheet_rows(book["Evidence log"])
    words = {(r["Whose word"], r["Kind"], r["Source strength"]) for r in log}
    assert ("the PRC's word", "announcement", "official record") in words
    assert ("independent", "statement", "unattributed") in words
    assert {r["Record state"] for r in log} == {"active"}
    changes = {r["Pledge id"]: r for r in sheet_rows(book["Changes"])}
    three = changes["prc-schedule-three-precursors"]
    assert (three["Status before"], three["Status now"], three["Status changed"]) == (
        "pledged",
        "announced (claimed)",
        "yes",
    )


def test_dates_are_dates_with_their_precision_beside_them(workbook: bytes, catalogue: Catalogue) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    board = {r["Pledge id"]: r for r in sheet_rows(book["Status board"])}
    monthly = next(s for s in seed_board(catalogue).values() if s.stage_since_precision is DatePrecision.MONTH)
    shown = board[monthly.commitment_id]
    # Known only to the month: the cell holds a real date (the engine's), the text beside it the month.
    assert shown["Stage since"] == datetime.combine(monthly.stage_since, datetime.min.time())
    assert shown["Stage since (as known)"] == monthly.stage_since.strftime("%b %Y")
    ws = book["Status board"]
    column = [c.value for c in ws[1]].index("Stage since") + 1
    cell = ws.cell(row=2, column=column)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    log = {r["Row id"]: r for r in sheet_rows(book["Evidence log"])}
    assert isinstance(log["hostile-1"]["Recorded at"], datetime)
    assert book["Read me"]["B4"].is_date


def test_text_stays_text_no_cell_is_a_formula_and_chinese_is_intact(workbook: bytes) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    for ws in book.worksheets:
        for r in ws.iter_rows():
            for cell in r:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    (hostile,) = [r for r in sheet_rows(book["Evidence log"]) if r["Row id"] == "hostile-1"]
    assert hostile["Summary"] == FORMULA
    assert hostile["Source"] == "@SUM(1+1)"
    assert hostile["Publisher"] == NAME and hostile["Recorded by"] == f"+{NAME}"
    assert hostile["Quote"] == f"{NAME} 说：这是一个测试。"
    assert hostile["Whose word"] == "independent"
    assert hostile["Link"] == "https://example.org/report"


def test_without_an_earlier_date_there_is_no_changes_sheet(catalogue: Catalogue) -> None:
    ledger = Ledger.from_models(catalogue.commitments, catalogue.evidence)
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(ledger, View(AS_OF), selection=Selection(parties=("US",)))))
    assert "Changes" not in book.sheetnames
    assert {r["Pledge id"][:3] for r in sheet_rows(book["Status board"])} == {"us-"}
    read_me = " ".join(str(c.value) for r in book["Read me"].iter_rows() for c in r if c.value is not None)
    us = sum(1 for s in seed_board(catalogue).values() if s.commitment.party == "US")
    assert f"pledges with party US ({us} pledges)" in read_me and "not asked for" in read_me


def test_libreoffice_reads_it_back_with_the_chinese_text_and_no_formula(
    workbook: bytes, tmp_path: Path, catalogue: Catalogue
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require_service(soffice is not None, "LibreOffice", "apt-get install libreoffice-calc-nogui (or libreoffice-calc)")
    assert soffice is not None
    source = tmp_path / "workbook.xlsx"
    source.write_bytes(workbook)
    # Comma-separated, quoted, UTF-8 (76), every sheet to its own file (the last option, -1).
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    read = {
        name: list(csv.reader((tmp_path / f"workbook-{name}.csv").read_text(encoding="utf-8").splitlines()))
        for name in SHEETS
    }
    log = read["Evidence log"]
    assert log[0][:3] == ["Pledge", "Pledge id", "Row id"]
    (hostile,) = [r for r in log if "hostile-1" in r]
    assert FORMULA in hostile  # read as the text it is: a formula would have come back as its result
    assert NAME in hostile and f"{NAME} 说：这是一个测试。" in hostile
    board = read["Status board"]
    assert board[0][:5] == ["Pledge", "Pledge id", "Party", "Theme", "Status"]
    monthly = next(s for s in seed_board(catalogue).values() if s.stage_since_precision is DatePrecision.MONTH)
    assert [r[7] for r in board if r[1] == monthly.commitment_id] == [monthly.stage_since.strftime("%b %Y")]


def test_export_writes_the_workbook_and_keeps_the_csvs_as_the_default(db_env: dict[str, str], tmp_path: Path) -> None:
    done = run(db_env, "export", str(tmp_path), "--as-of", "2024-08-10", "--format", "xlsx", "--since", "2024-08-01")
    assert done.returncode == 0, done.stderr
    path = tmp_path / "workbook_as-of-2024-08-10.xlsx"
    assert done.stdout.strip() == str(path)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS
    filtered = run(db_env, "export", str(tmp_path / "us"), "--as-of", "2024-08-10", "--party", "US")
    assert filtered.returncode == 0, filtered.stderr
    assert sorted(p.name for p in (tmp_path / "us").iterdir()) == [
        "evidence-log-filtered_as-of-2024-08-10.csv",
        "status-board-filtered_as-of-2024-08-10.csv",
        "status-history-filtered_as-of-2024-08-10.csv",
    ]
    board = (tmp_path / "us" / "status-board-filtered_as-of-2024-08-10.csv").read_text(encoding="utf-8")
    assert {line.split(",")[0][:3] for line in board.splitlines()[1:]} == {"us-"}
    refused = run(db_env, "export", str(tmp_path), "--since", "2024-08-01")
    assert refused.returncode == 2 and "--since is for --format xlsx" in refused.stderr
