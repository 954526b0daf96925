"""The Downloads page, through dashboard.py: the bytes each download button carries follow
the shared as-of date and filters, and no cell can run as a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from commitments.files.catalog import Catalogue
from commitments.files.evidence_csv import FORMULA_PREFIXES
from commitments.ledger import LOG_COLUMNS as EVIDENCE_LOG_COLUMNS
from commitments.models import EvidenceDraft
from commitments.records import BOARD_COLUMNS, HISTORY_COLUMNS
from commitments.store.store import Store

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/downloads.py"
COLUMNS = {"status-board": BOARD_COLUMNS, "evidence-log": EVIDENCE_LOG_COLUMNS, "status-history": HISTORY_COLUMNS}


@pytest.fixture
def db(dashboard_db: str) -> str:
    return dashboard_db


def open_page(**link: str) -> AppTest:
    """Open the page as a shared link with these query parameters would."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update(link)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def tables(downloads: dict[str, bytes]) -> dict[str, tuple[str, list[dict[str, str]]]]:
    """what -> (file name, rows) for the three summaries drawn on the last run."""
    found = {}
    for name, content in downloads.items():
        what = name.split("_as-of-")[0].removesuffix("-filtered")
        reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
        rows = list(reader)
        assert tuple(reader.fieldnames or ()) == COLUMNS[what], name
        found[what] = (name, rows)
    assert set(found) == set(COLUMNS)
    return found


def test_three_buttons_carry_the_summaries_for_today(
    db: str, downloads: dict[str, bytes], catalogue: Catalogue
) -> None:
    at = open_page()
    assert [b.label for b in at.download_button] == [
        "Download Excel workbook",
        "Download status board",
        "Download evidence log",
        "Download status history",
    ]
    today = date.today().isoformat()
    found = tables(downloads)
    for what, (name, _) in found.items():
        assert name == f"{what}_as-of-{today}.csv"
    board = found["status-board"][1]
    assert [r["id"] for r in board] == [c.id for c in catalogue.commitments]
    assert {r["id"] for r in found["evidence-log"][1]} == {e.id for e in catalogue.evidence}
    assert {r["commitment_id"] for r in found["status-history"][1]} == {c.id for c in catalogue.commitments}
    assert f"{len(board)} row(s)" in "\n".join(c.value for c in at.caption)


def test_the_as_of_date_moves_every_file_into_the_past(
    db: str, downloads: dict[str, bytes], catalogue: Catalogue
) -> None:
    open_page()
    now = tables(downloads)
    downloads.clear()
    past = date(2024, 6, 30)
    open_page(as_of=past.isoformat())
    then = tables(downloads)

    for what, (name, _) in then.items():
        assert name == f"{what}_as-of-2024-06-30.csv"
    log = then["evidence-log"][1]
    assert log and all(date.fromisoformat(r["known_on"]) <= past for r in log)
    assert len(log) < len(now["evidence-log"][1])
    pledged = [c.id for c in catalogue.commitments if c.pledged_effective_on <= past]
    assert [r["id"] for r in then["status-board"][1]] == pledged
    assert all(date.fromisoformat(r["on"]) <= past for r in then["status-history"][1])


def test_the_filters_restrict_all_three_files_to_the_same_pledges(
    db: str, downloads: dict[str, bytes], catalogue: Catalogue
) -> None:
    at = open_page(party="US")
    found = tables(downloads)

    us = {c.id for c in catalogue.commitments if c.party == "US"}
    assert us, "the seed catalogue has US pledges"
    assert {r["id"] for r in found["status-board"][1]} == us
    assert {r["commitment_id"] for r in found["evidence-log"][1]} <= us
    assert {r["commitment_id"] for r in found["status-history"][1]} == us
    for what, (name, _) in found.items():
        assert name.startswith(f"{what}-filtered_as-of-")
    assert "pass the filters" in "\n".join(c.value for c in at.caption)


def test_no_cell_can_run_as_a_formula(db: str, downloads: dict[str, bytes], catalogue: Catalogue) -> None:
    store = Store(db)
    store.ensure_seeded(catalogue)
    hostile = '=HYPERLINK("https://example.org","click")'
    store.add_evidence(
        EvidenceDraft.model_validate(
            {
                "commitment_id": catalogue.commitments[0].id,
                "event_date": date(2024, 9, 2),
                "kind": "statement",
                "speaks_for": "independent",
                "summary": hostile,
                "source": {"title": "+cmd|' /C calc'!A0", "publisher": "@SUM(1+1)"},
            }
        ),
        "-tester",
    )
    store.dispose()
    open_page()
    found = tables(downloads)
    log = found["evidence-log"][1]
    assert any(r["summary"] == "'" + hostile for r in log)
    for what, (_, rows) in found.items():
        for row in rows:
            for column, cell in row.items():
                assert not cell.startswith(FORMULA_PREFIXES), (what, column, cell)


def test_a_row_saved_after_the_files_were_built_is_in_them_on_the_next_run(
    db: str, downloads: dict[str, bytes], catalogue: Catalogue
) -> None:
    # The files are built once and kept; a write must still reach them at once.
    at = open_page()
    before = tables(downloads)
    downloads.clear()
    at.run()
    assert tables(downloads) == before  # the same files again, from the kept copy

    store = Store(db)
    store.add_evidence(
        EvidenceDraft.model_validate(
            {
                "commitment_id": catalogue.commitments[0].id,
                "event_date": date(2024, 9, 3),
                "kind": "statement",
                "speaks_for": "independent",
                "summary": "A row saved after the first download",
                "source": {"title": "Later report", "publisher": "Someone"},
            }
        ),
        "-tester",
    )
    store.dispose()
    downloads.clear()
    at.run()
    after = tables(downloads)
    assert not at.exception, at.exception
    summaries = [r["summary"] for r in after["evidence-log"][1]]
    assert "A row saved after the first download" in summaries
    assert len(after["evidence-log"][1]) == len(before["evidence-log"][1]) + 1


def test_the_excel_button_carries_the_workbook_of_the_date_and_filters(
    db: str, deferred_downloads: dict[str, Any]
) -> None:
    at = open_page(as_of="2024-08-10", party="US")
    assert "UTF-8" in "\n".join(c.value for c in at.caption)  # how to open the CSVs
    (since,) = [d for d in at.date_input if d.label == "Changes since"]
    assert since.value == date(2024, 8, 3)
    since.set_value(date(2024, 7, 1)).run()
    assert not at.exception, at.exception
    book = openpyxl.load_workbook(io.BytesIO(deferred_downloads["workbook-filtered_as-of-2024-08-10.xlsx"]()))
    assert book.sheetnames == ["Read me", "Status board", "Changes", "Evidence log", "Status history"]
    pledges = [r[1].value for r in book["Status board"].iter_rows(min_row=2)]
    assert pledges and all(str(p).startswith("us-") for p in pledges)
    facts = {r[0].value: r[1].value for r in book["Read me"].iter_rows(max_col=2) if r[0].value}
    assert str(facts["Pledges"]).startswith("pledges with party US")
    assert facts["Changes since"] == datetime(2024, 7, 1)  # the date picked in the sidebar
