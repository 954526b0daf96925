"""The Add evidence page, driven through dashboard.py as a user would: form, correction,
retraction and CSV import, each checked against what the store then holds."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from commitments.files.evidence_csv import EVIDENCE_COLUMNS
from commitments.ledger import View
from commitments.models import Basis, Evidence, Retraction, SourceStrength, Stage
from commitments.store.store import Store
from ui import corrections
from ui.evidence_import import MAX_BYTES

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/add_evidence.py"
NAME = "Test Recorder"

# A submission the models accept: an independent verification of the xylazine pledge.
VALID: dict[str, Any] = {
    "commitment_id": "prc-regulate-xylazine",
    "event_date": date(2024, 9, 2),
    "kind": "independent_verification",
    "speaks_for": "independent",
    "summary": "Test entry: an independent review finds the xylazine controls applied",
    "quote": "Test quote.",
    "source_title": "Test review",
    "source_publisher": "Test institute",
    "source_url": "https://example.org/review",
    "source_published_on": date(2024, 9, 3),
    # A named review verifies on its own; left to the default, an independent row is unattributed.
    "source_strength": "named_investigation",
}


@pytest.fixture
def db(dashboard_db: str) -> str:
    return dashboard_db


def open_page(db: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def widget(at: AppTest, key: str) -> Any:
    for kind in (at.selectbox, at.text_input, at.text_area, at.date_input, at.radio):
        try:
            return kind(key=key)
        except KeyError:
            continue
    raise KeyError(key)


def fill(at: AppTest, prefix: str, values: dict[str, Any], recorder: str = NAME) -> None:
    at.text_input(key="recorder_name").input(recorder)
    for column, value in values.items():
        widget(at, prefix + column).set_value(value)


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


def recorded(db: str) -> list[Evidence]:
    store = Store(db)
    try:
        return store.evidence()
    finally:
        store.dispose()


def rows_in(db: str) -> int:
    return len(recorded(db))


def retractions(db: str) -> list[Retraction]:
    store = Store(db)
    try:
        return store.retractions()
    finally:
        store.dispose()


def test_every_field_of_a_draft_is_on_the_form(db: str) -> None:
    at = open_page(db)
    assert [t.label for t in at.tabs] == ["New evidence", "Correct or retract", "Import CSV"]
    pledge = at.selectbox(key="new_commitment_id")
    store = Store(db)
    pledges = store.commitments()
    store.dispose()
    assert pledge.options == [f"{c.title} ({c.party})" for c in pledges]
    for column in EVIDENCE_COLUMNS:
        if column in ("id", "supersedes", "correction_reason", "recorded_by", "recorded_at"):
            continue  # the id is the form's own, corrections have their tab, the store stamps the rest
        assert widget(at, "new_" + column) is not None


def test_a_valid_submission_records_one_row_and_shows_it(db: str, downloads: dict[str, bytes]) -> None:
    at = open_page(db)
    before = rows_in(db)
    fill(at, "new_", VALID)
    click(at, "Save evidence")

    assert rows_in(db) == before + 1
    saved = recorded(db)[-1]
    assert (saved.summary, saved.recorded_by, saved.source.url) == (VALID["summary"], NAME, VALID["source_url"])
    assert f"Saved as row {saved.id}" in texts(at.success)
    assert VALID["summary"] in at.dataframe[0].value.to_string()
    assert not at.error

    # The same run of the app shows it elsewhere at once: no stale cache.
    at.switch_page("pages/downloads.py").run()
    board = next(v for k, v in downloads.items() if k.startswith("status-board")).decode()
    log = next(v for k, v in downloads.items() if k.startswith("evidence-log")).decode()
    assert saved.id in log
    board_rows = {r["id"]: r for r in csv.DictReader(io.StringIO(board))}
    assert board_rows[VALID["commitment_id"]]["stage"] == "verified"
    assert "Test review (Test institute; named investigation)" in board_rows[VALID["commitment_id"]]["verified_by"]


def test_an_unattributed_independent_report_is_recorded_but_does_not_verify(db: str) -> None:
    at = open_page(db)
    fill(at, "new_", {**VALID, "source_strength": ""})
    click(at, "Save evidence")
    saved = recorded(db)[-1]
    assert saved.source.strength is SourceStrength.UNATTRIBUTED  # the default for an independent report
    store = Store(db)
    try:
        status = store.ledger().status(VALID["commitment_id"], View(as_of=date(2024, 9, 10)))
    finally:
        store.dispose()
    assert status is not None
    assert (status.stage, status.basis) == (Stage.IN_EFFECT, Basis.REPORTED)
    assert status.label == "in effect (reported)"
    assert "Not verified: reported by Test review (Test institute; unattributed)" in status.missing


INVALID = [
    # change to the valid submission -> the field the message must name
    ({"summary": ""}, "Summary"),
    ({"source_url": "javascript:alert(1)"}, "Source URL"),
    ({"event_date": date(2024, 9, 10)}, "Event date"),  # after the source's publication
    ({"speaks_for": "committing_party"}, "Speaks for"),  # an independent verification in its own words
    ({"value": "several"}, "Measured value"),
    ({"commitment_id": None}, "Pledge"),
]


@pytest.mark.parametrize(("change", "label"), INVALID)
def test_an_invalid_submission_records_nothing_names_the_field_and_keeps_the_input(
    db: str, change: dict[str, Any], label: str
) -> None:
    at = open_page(db)
    before = rows_in(db)
    typed = {**VALID, **change}
    fill(at, "new_", typed)
    click(at, "Save evidence")

    assert rows_in(db) == before
    assert f"**{label}**:" in texts(at.error)
    assert "Nothing was saved" in texts(at.error)
    assert not at.success
    for column, value in typed.items():
        assert widget(at, "new_" + column).value == value, column


@pytest.mark.parametrize("summary", [VALID["summary"], ""])
def test_a_submission_without_a_recorder_is_refused(db: str, summary: str) -> None:
    at = open_page(db)
    before = rows_in(db)
    fill(at, "new_", {**VALID, "summary": summary}, recorder="  ")
    click(at, "Save evidence")
    assert rows_in(db) == before
    assert "**Recorded by**:" in texts(at.error)
    assert ("**Summary**:" in texts(at.error)) == (summary == "")  # reported together, not one by one
    assert widget(at, "new_summary").value == summary


def test_submitting_the_same_entry_twice_records_it_once(db: str) -> None:
    at = open_page(db)
    before = rows_in(db)
    fill(at, "new_", VALID)
    click(at, "Save evidence")
    first = texts(at.success)
    fill(at, "new_", VALID)  # what a second click sends: the same values again
    click(at, "Save evidence")
    assert rows_in(db) == before + 1
    assert texts(at.success) == first

    fill(at, "new_", {**VALID, "summary": "Test entry: a second, different row"})
    click(at, "Save evidence")
    assert rows_in(db) == before + 2


def choose_row(at: AppTest, row: Evidence, action: str) -> AppTest:
    at.selectbox(key="fix_pledge").select(row.commitment_id).run()
    at.selectbox(key="fix_row").select(row.id).run()
    at.radio(key="fix_action").set_value(action).run()
    assert not at.exception, at.exception
    return at


def test_a_correction_records_a_superseding_row_with_its_reason(db: str) -> None:
    at = open_page(db)
    old = recorded(db)[0]
    count = rows_in(db)
    at = choose_row(at, old, "correct")
    assert widget(at, "fix_summary").value == old.summary  # prefilled from the row

    fill(at, "fix_", {"summary": "Test entry: corrected summary"})
    click(at, "Save correction")
    assert "Reason for the correction" in texts(at.error)
    assert rows_in(db) == count

    at.text_area(key="fix_correction_reason").input("Test: the summary misread the source")
    click(at, "Save correction")
    rows = recorded(db)
    assert len(rows) == count + 1
    new = rows[-1]
    assert (new.supersedes, new.summary, new.commitment_id) == (
        old.id,
        "Test entry: corrected summary",
        old.commitment_id,
    )
    assert new.correction_reason == "Test: the summary misread the source"
    assert f"supersedes row {old.id}" in texts(at.success)
    listed = at.selectbox(key="fix_row").options
    assert listed == open_labels(db, old.commitment_id)
    assert corrections.row_label(old, None) not in listed
    assert corrections.row_label(new, None) in listed


def open_labels(db: str, commitment_id: str) -> list[str]:
    """What the row list should offer for a pledge: its open rows' labels, newest first."""
    ledger = Store(db).ledger()
    titles = {c.id: c.title for c in ledger.commitments}
    return list(corrections.open_row_labels(ledger, titles, commitment_id).values())


def test_rows_to_correct_are_listed_for_the_chosen_pledge_only(db: str) -> None:
    at = open_page(db)
    rows = at.selectbox(key="fix_row")
    assert rows.disabled and rows.options == []  # nothing to choose before the pledge
    by_pledge = Counter(e.commitment_id for e in recorded(db))
    (pledge_id, _), (other, _) = by_pledge.most_common(2)
    counts = Store(db).ledger().open_row_counts()
    assert len(at.selectbox(key="fix_pledge").options) == len(counts) and pledge_id in counts
    at = at.selectbox(key="fix_pledge").select(pledge_id).run()
    listed = at.selectbox(key="fix_row").options
    assert not at.selectbox(key="fix_row").disabled
    assert len(listed) > 1 and listed == open_labels(db, pledge_id)
    at = at.selectbox(key="fix_pledge").select(other).run()
    assert at.selectbox(key="fix_row").options == open_labels(db, other)


def test_a_retraction_needs_a_reason_and_marks_the_row(db: str) -> None:
    at = open_page(db)
    old = recorded(db)[1]
    at = choose_row(at, old, "retract")
    click(at, "Retract row")
    assert "Reason for the retraction" in texts(at.error)
    assert retractions(db) == []

    at.text_area(key="retract_reason").input("Test: the source was withdrawn")
    click(at, "Retract row")
    assert "**Recorded by**" in texts(at.error)
    assert retractions(db) == []

    at.text_input(key="recorder_name").input(NAME)
    click(at, "Retract row")
    assert [(r.evidence_id, r.reason, r.recorded_by) for r in retractions(db)] == [
        (old.id, "Test: the source was withdrawn", NAME)
    ]
    assert f"Row {old.id} is retracted" in texts(at.success)


def csv_text(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EVIDENCE_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def import_row(**overrides: str) -> dict[str, str]:
    row = {
        "commitment_id": "prc-schedule-nitazenes",
        "event_date": "2024-09-02",
        "kind": "statement",
        "speaks_for": "independent",
        "summary": "Test entry: imported row",
        "source_title": "Test report",
        "source_url": "https://example.org/report",
        "source_published_on": "2024-09-03",
    }
    return {**row, **overrides}


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, content, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_template_is_the_import_format_with_a_real_example(db: str, downloads: dict[str, bytes]) -> None:
    at = open_page(db)
    assert [b.label for b in at.download_button] == ["Download the template"]
    template = downloads["evidence-import-template.csv"].decode()
    rows = list(csv.DictReader(io.StringIO(template)))
    assert list(rows[0]) == list(EVIDENCE_COLUMNS)
    assert rows[0]["id"] in {e.id for e in recorded(db)}
    assert rows[0]["recorded_by"] == rows[0]["recorded_at"] == ""

    # Uploading it unchanged adds nothing: the example is already on record.
    before = rows_in(db)
    at.text_input(key="recorder_name").input(NAME)
    upload(at, "template.csv", template.encode())
    click(at, "Import 1 rows")
    assert rows_in(db) == before
    assert "Imported 0 new row(s)" in texts(at.success)


def test_a_good_file_is_previewed_and_imported_whole(db: str) -> None:
    at = open_page(db)
    at.text_input(key="recorder_name").input(NAME)
    before = rows_in(db)
    upload(at, "good.csv", csv_text([import_row(), import_row(summary="Test entry: a second imported row")]))
    preview = at.dataframe[0].value
    assert list(preview.index) == [2, 3]
    assert "Test entry: a second imported row" in preview["summary"].tolist()
    assert rows_in(db) == before  # nothing before the click

    click(at, "Import 2 rows")
    assert rows_in(db) == before + 2
    assert "Imported 2 new row(s) from good.csv" in texts(at.success)
    assert not at.file_uploader[0].value  # emptied for the next file


def test_one_bad_row_stops_the_whole_file_with_row_numbers(db: str) -> None:
    at = open_page(db)
    before = rows_in(db)
    bad = [import_row(), import_row(source_url="javascript:alert(1)"), import_row(event_date="someday")]
    upload(at, "bad.csv", csv_text(bad))
    errors = at.dataframe[0].value
    assert errors[["row", "column"]].values.tolist() == [[3, "source_url"], [4, "event_date"]]
    button = next(b for b in at.button if b.label.startswith("Import"))
    assert button.disabled
    preview = at.dataframe[1].value
    assert preview.loc[3, "problems"].startswith("source_url:")
    assert preview.loc[2, "problems"] == ""
    assert rows_in(db) == before


def test_a_file_the_store_refuses_saves_none_of_its_rows(db: str) -> None:
    at = open_page(db)
    at.text_input(key="recorder_name").input(NAME)
    before = rows_in(db)
    rows = [import_row(), import_row(supersedes="no-such-row", correction_reason="Test: wrong")]
    upload(at, "refused.csv", csv_text(rows))
    click(at, "Import 2 rows")
    assert rows_in(db) == before
    message = texts(at.error)
    assert "Nothing was imported" in message and "row 3" in message and "no-such-row" in message


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"just text", "not a CSV file"),
        ("huge.csv", b"x" * (MAX_BYTES + 1), "the limit is 5 MB"),
        ("latin1.csv", "id,summary\nx,caf\xe9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_files_that_are_not_small_csv_are_refused_clearly(db: str, name: str, content: bytes, message: str) -> None:
    at = open_page(db)
    upload(at, name, content)
    assert message in texts(at.error)
    assert not [b for b in at.button if b.label.startswith("Import")]
