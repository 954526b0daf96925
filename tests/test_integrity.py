"""The holes a hostile-input probe found (issue 12), each shut at its root and kept shut.

Security: one checked door for every write, no password in any message, retractions under
review, the deployment's rules kept in the database. Integrity: an export imports back as
nothing new, a retried import records nothing twice, every message uses the spreadsheet's
row numbers, and bad input is one line naming the field, never a traceback.
"""

from __future__ import annotations

import ast
import csv
import io
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from commitments.files.catalog import Catalogue
from commitments.ledger import View
from commitments.models import Basis, RecordState
from commitments.store.store import Store, StoreError, masked_url
from commitments.store.tables import documents_table
from commitments.suggest import documents
from tests.cli import ROOT, run
from tests.conftest import team_store
from tests.factories import draft

PLEDGE = "prc-regulate-xylazine"
SECRET = "S3cretPW"
LATER = View(as_of=date(2030, 1, 1))
VERIFYING = {
    "commitment_id": PLEDGE,
    "event_date": date(2024, 9, 2),
    "kind": "independent_verification",
    "speaks_for": "independent",
    "summary": "A named review finds the xylazine controls applied",
    "source": {"title": "Review", "publisher": "Institute", "strength": "named_investigation"},
}


def dashboard_on(url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The dashboard's first page, drawn on the store at `url` with fresh caches."""
    import streamlit as st

    monkeypatch.setenv("COMMITMENTS_DB_URL", url)
    st.cache_resource.clear()
    try:
        return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    finally:
        st.cache_resource.clear()


# -- 1. one checked door ------------------------------------------------------------------------


def test_accepting_suggestions_is_refused_to_a_reader_and_keeps_nothing(signed_in: Store) -> None:
    document = documents.new_document("Officials said the xylazine rules apply.", "Readout", "reader@example.org")
    row = {
        "commitment_id": PLEDGE,
        "event_date": date(2024, 9, 2),
        "kind": "announcement",
        "speaks_for": "committing_party",
        "summary": "Officials say the rules apply",
        "text": "Officials said the xylazine rules apply.",
        "sentence_index": 0,
    }
    before = len(signed_in.evidence())
    with pytest.raises(StoreError, match="may read the board but not record") as refused:
        documents.accept(signed_in, document, [row])
    assert refused.value.field == "recorded_by"
    assert len(signed_in.evidence()) == before
    with signed_in.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(documents_table)).scalar_one() == 0

    recorder = document.model_copy(update={"recorded_by": "ana@example.org"})
    accepted = documents.accept(signed_in, recorder, [row])
    assert [e.recorded_by for e in accepted] == ["ana@example.org"]


def _private_store_calls(path: Path) -> list[str]:
    """`something_store._name` (or `store()._name`) anywhere in a file: a way round the door."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = ast.unparse(node.value)
            if "store" in base.lower() and base != "self":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {base}.{node.attr}")
    return found


def test_no_module_reaches_past_the_stores_public_methods() -> None:
    sources = [*ROOT.glob("commitments/**/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("pages/*.py")]
    sources.append(ROOT / "dashboard.py")
    assert len(sources) > 30
    assert [call for path in sources for call in _private_store_calls(path)] == []


# -- 2. no password in any message --------------------------------------------------------------

UNREADABLE_PORT = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:abc/db"
NO_SERVER = f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/db"


def test_a_url_that_cannot_be_read_is_shown_without_its_password() -> None:
    assert masked_url(UNREADABLE_PORT) == "postgresql+psycopg://u:***@127.0.0.1:abc/db"
    with pytest.raises(StoreError) as refused:
        Store(UNREADABLE_PORT)
    assert SECRET not in str(refused.value) and "127.0.0.1:abc" in str(refused.value)


@pytest.mark.parametrize("url", [UNREADABLE_PORT, NO_SERVER])
@pytest.mark.parametrize("command", [("status",), ("db", "current"), ("policy", "show")])
def test_the_command_line_never_prints_the_password(url: str, command: tuple[str, ...]) -> None:
    result = run({**os.environ, "COMMITMENTS_DB_URL": url}, *command)
    assert result.returncode in (1, 2)
    assert SECRET not in result.stdout + result.stderr
    assert "COMMITMENTS_DB_URL" in result.stderr and "u:***@127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_wrong_password_on_a_real_server_is_not_echoed(postgres_url: str) -> None:
    from sqlalchemy.engine import make_url

    wrong = make_url(postgres_url).set(password=SECRET).render_as_string(hide_password=False)
    result = run({**os.environ, "COMMITMENTS_DB_URL": wrong}, "status")
    assert result.returncode != 0
    assert SECRET not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("url", [UNREADABLE_PORT, NO_SERVER])
def test_a_signed_out_visitor_never_sees_the_password(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMITMENTS_AUTH", "oidc")
    at = dashboard_on(url, monkeypatch)
    assert not at.exception
    page = "\n".join(str(e.value) for e in [*at.error, *at.markdown, *at.info, *at.warning, *at.caption])
    assert "The dashboard cannot open its data" in page and "COMMITMENTS_DB_URL" in page
    assert SECRET not in page


# -- 3. retractions wait for review -------------------------------------------------------------


def test_a_retraction_under_review_moves_nothing_until_someone_else_confirms_it(reviewed: Store) -> None:
    row = reviewed.add_evidence(draft(**VERIFYING), "Ana")
    reviewed.review(row.id, "confirmed", "Ben")
    assert reviewed.ledger().status(PLEDGE, LATER).basis is Basis.INDEPENDENT  # type: ignore[union-attr]

    retraction = reviewed.retract(row.id, "the review was withdrawn", "Ana")
    assert retraction.needs_review and reviewed.retractions()[-1].needs_review
    ledger = reviewed.ledger()
    assert ledger.status(PLEDGE, LATER).basis is Basis.INDEPENDENT  # type: ignore[union-attr]
    assert [r.evidence_id for r in ledger.pending_retractions()] == [row.id]
    with pytest.raises(StoreError, match=r"already retracted .*awaits review"):
        reviewed.retract(row.id, "twice", "Cy")
    with pytest.raises(StoreError, match="someone other than who recorded it"):
        reviewed.review(row.id, "confirmed", "Ana", subject="retraction")

    reviewed.review(row.id, "returned", "Ben", "the review still stands", subject="retraction")
    assert reviewed.ledger().status(PLEDGE, LATER).basis is Basis.INDEPENDENT  # type: ignore[union-attr]
    assert reviewed.ledger().pending_retractions() == ()

    reviewed.retract(row.id, "the institute withdrew it in writing", "Ana")
    reviewed.review(row.id, "confirmed", "Ben", subject="retraction")
    after = reviewed.ledger()
    assert after.status(PLEDGE, LATER).basis is not Basis.INDEPENDENT  # type: ignore[union-attr]
    assert [r.subject.value for r in reviewed.reviews()] == ["evidence", "retraction", "retraction"]


def test_withdrawing_a_row_that_never_counted_needs_no_second_person(reviewed: Store) -> None:
    row = reviewed.add_evidence(draft(**VERIFYING), "Ana")  # pending: it moves nothing yet
    retraction = reviewed.retract(row.id, "recorded against the wrong pledge", "Ana")
    assert not retraction.needs_review
    assert reviewed.ledger().pending_retractions() == ()
    with pytest.raises(StoreError, match="has no retraction awaiting review"):
        reviewed.review(row.id, "confirmed", "Ben", subject="retraction")


def test_the_review_page_confirms_a_retraction(dashboard_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_page_review import app, board_status, click, go, shown

    monkeypatch.setenv("COMMITMENTS_REQUIRE_REVIEW", "true")
    at = app()
    store = Store(dashboard_db)
    row = store.add_evidence(draft(**VERIFYING), "Ana")
    store.review(row.id, "confirmed", "Ben")
    verified = board_status(at)
    store.retract(row.id, "the review was withdrawn", "Ana")
    assert board_status(at) == verified

    go(at, "pages/review.py")
    page = shown(at.markdown) + shown(at.caption) + shown(at.warning)
    assert "Retraction" in page and "the review was withdrawn" in page
    at.text_input(key="recorder_name").input("Ben")
    at.run()
    click(at, "Confirm")
    assert "retraction" in shown(at.success).lower(), shown(at.error)
    assert board_status(at) != verified
    store.dispose()


def test_the_add_evidence_page_says_a_retraction_waits_for_review(
    dashboard_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_page_add_evidence import choose_row, click, open_page, recorded, texts

    monkeypatch.setenv("COMMITMENTS_REQUIRE_REVIEW", "true")
    at = open_page(dashboard_db)
    seed = recorded(dashboard_db)[1]
    at = choose_row(at, seed, "retract")
    at.text_area(key="retract_reason").input("the source was withdrawn")
    at.text_input(key="recorder_name").input("Ana")
    click(at, "Retract row")
    assert f"Retraction of row {seed.id} recorded: the row counts until someone else confirms" in texts(at.success)
    store = Store(dashboard_db)
    assert [(r.evidence_id, r.needs_review) for r in store.retractions()] == [(seed.id, True)]
    assert seed.id not in store.ledger().ids_in(RecordState.RETRACTED)
    store.dispose()


# -- 4. the database's rules bind every process -------------------------------------------------


def evidence_file(tmp_path: Path, *summaries: str) -> Path:
    path = tmp_path / "rows.csv"
    lines = [f"{PLEDGE},2024-07-15,announcement,committing_party,{s},Readout" for s in summaries]
    path.write_text("commitment_id,event_date,kind,speaks_for,summary,source_title\n" + "\n".join(lines) + "\n")
    return path


def test_the_command_line_obeys_the_policy_kept_in_the_database(db_env: dict[str, str], tmp_path: Path) -> None:
    team = {**db_env, "COMMITMENTS_AUTH": "oidc", "COMMITMENTS_RECORDERS": "ana@example.org"}
    assert run(team, "status").returncode == 0  # the first process stores its environment's rules
    setting = run(team, "policy", "set", "--require-review", "yes", "--by", "ops@example.org")
    assert setting.returncode == 0, setting.stderr
    plain = {k: v for k, v in db_env.items() if not k.startswith("COMMITMENTS_") or k == "COMMITMENTS_DB_URL"}
    url = db_env["COMMITMENTS_DB_URL"]
    before = len(Store(url).evidence())

    refused = run(plain, "import-evidence", str(evidence_file(tmp_path, "A")), "--recorded-by", "reader@example.org")
    assert refused.returncode == 2
    assert "recording as reader@example.org (reader)" in refused.stderr
    assert "reader@example.org may read the board but not record" in refused.stderr
    assert len(Store(url).evidence()) == before

    recorded = run(plain, "import-evidence", str(evidence_file(tmp_path, "B")), "--recorded-by", "ana@example.org")
    assert recorded.returncode == 0, recorded.stderr
    assert "rows wait for a second person's review" in recorded.stderr
    assert Store(url).evidence()[-1].needs_review

    disagreeing = {**plain, "COMMITMENTS_REQUIRE_REVIEW": "false"}
    shown = run(disagreeing, "policy", "show")
    assert "now: sign-in required; recorders: ana@example.org" in shown.stdout
    assert "by ops@example.org" in shown.stdout and "the database's policy applies" in shown.stdout


def test_the_dashboard_obeys_the_policy_kept_in_the_database(
    dashboard_db: str, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = team_store(dashboard_db, catalogue, sign_in=True, recorders={"ana@example.org"})
    store.dispose()
    monkeypatch.delenv("COMMITMENTS_AUTH", raising=False)  # this process says nothing about sign-in
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/add_evidence.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.label == "Save evidence"]
    assert not [t for t in at.text_input if t.key == "recorder_name"]


# -- 6, 7, 8. export, import, retry, row numbers ------------------------------------------------


def test_an_unchanged_export_imports_as_nothing_new(db_env: dict[str, str], tmp_path: Path) -> None:
    assert run(db_env, "export", str(tmp_path / "out"), "--as-of", "2030-01-01").returncode == 0
    exported = tmp_path / "out" / "evidence-log_as-of-2030-01-01.csv"
    before = len(Store(db_env["COMMITMENTS_DB_URL"]).evidence())
    result = run(db_env, "import-evidence", str(exported), "--recorded-by", "Analyst")
    assert result.returncode == 0, result.stderr
    assert f"recorded 0 new row(s), {before} already on record" in result.stdout
    assert len(Store(db_env["COMMITMENTS_DB_URL"]).evidence()) == before


def test_a_retried_import_records_nothing_twice_and_names_the_new_ids(db_env: dict[str, str], tmp_path: Path) -> None:
    path = evidence_file(tmp_path, "First", "Second")
    first = run(db_env, "import-evidence", str(path), "--recorded-by", "Analyst")
    assert first.returncode == 0, first.stderr
    assert "recorded 2 new row(s)" in first.stdout
    stored = Store(db_env["COMMITMENTS_DB_URL"]).evidence()
    assert f"row 2: {stored[-2].id}" in first.stdout and f"row 3: {stored[-1].id}" in first.stdout

    again = run(db_env, "import-evidence", str(path), "--recorded-by", "Analyst")
    assert again.returncode == 0 and "recorded 0 new row(s), 2 already on record" in again.stdout
    assert len(Store(db_env["COMMITMENTS_DB_URL"]).evidence()) == len(stored)


def test_every_bad_row_is_reported_by_its_spreadsheet_number(db_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "commitment_id,event_date,kind,speaks_for,summary,source_title\n"
        f"{PLEDGE},2024-07-15,announcement,committing_party,Fine,Readout\n"
        "no-such-pledge,2024-07-15,announcement,committing_party,Unknown pledge,Readout\n"
        f"{PLEDGE},15/07/2024,announcement,committing_party,Bad date,Readout\n"
        f"{PLEDGE},2024-07-15,rumour,committing_party,Bad kind,Readout\n"
    )
    result = run(db_env, "import-evidence", str(path), "--recorded-by", "Analyst")
    assert result.returncode == 2
    for expected in ("row 3, commitment_id", "row 4, event_date", "row 5, kind", "nothing imported, 3 problem(s)"):
        assert expected in result.stderr


def test_a_one_row_file_names_its_row(db_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    path.write_text(
        "commitment_id,event_date,kind,speaks_for,summary,source_title\n"
        "no-such-pledge,2024-07-15,announcement,committing_party,Unknown pledge,Readout\n"
    )
    result = run(db_env, "import-evidence", str(path), "--recorded-by", "Analyst")
    assert result.returncode == 2 and "row 2, commitment_id" in result.stderr


# -- 9. one line naming the field, never a traceback --------------------------------------------


def one_line_refusal(result: Any, *expected: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


def test_a_file_that_is_not_a_database_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "notes.sqlite3"
    fake.write_text("these are my notes, not a database\n")
    result = run({**os.environ, "COMMITMENTS_DB_URL": f"sqlite:///{fake}"}, "status")
    one_line_refusal(result, "COMMITMENTS_DB_URL", "file is not a database")
    assert fake.read_text() == "these are my notes, not a database\n"


def test_the_dashboard_on_a_file_that_is_not_a_database_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    fake = tmp_path / "notes.sqlite3"
    fake.write_text("these are my notes, not a database\n")
    monkeypatch.setenv("COMMITMENTS_DB_URL", f"sqlite:///{fake}")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    assert "file is not a database" in "\n".join(str(e.value) for e in at.error)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("file", "is a file, not a folder"),
        ("below-file", "part of this path is a file"),
        ("link", "is a link"),
        ("existing", "already exists; nothing was written (give --force"),
        ("linked-name", "is a link; nothing was written"),
    ],
)
def test_export_refuses_to_write_where_it_should_not(
    db_env: dict[str, str], tmp_path: Path, target: str, expected: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    board = out / "status-board_as-of-2030-01-01.csv"
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("keep me\n")
    if target == "file":
        destination = elsewhere
    elif target == "below-file":
        destination = elsewhere / "inside"
    elif target == "link":
        destination = tmp_path / "link"
        destination.symlink_to(out)
    elif target == "existing":
        board.write_text("yesterday's board\n")
        destination = out
    else:
        board.symlink_to(elsewhere)
        destination = out
    result = run(db_env, "export", str(destination), "--as-of", "2030-01-01")
    one_line_refusal(result, expected)
    assert elsewhere.read_text() == "keep me\n"
    assert not (out / "evidence-log_as-of-2030-01-01.csv").exists()  # nothing at all was written
    if target == "existing":
        assert board.read_text() == "yesterday's board\n"
        assert run(db_env, "export", str(out), "--as-of", "2030-01-01", "--force").returncode == 0
        assert board.read_text().startswith("id,")


def test_export_to_a_folder_that_cannot_be_made(db_env: dict[str, str]) -> None:
    one_line_refusal(run(db_env, "export", "/proc/self/no-such-folder"), "/proc/self/no-such-folder", "cannot be made")


def test_importing_a_folder_is_refused(db_env: dict[str, str], tmp_path: Path) -> None:
    one_line_refusal(run(db_env, "import-evidence", str(tmp_path), "--recorded-by", "A"), "a folder, not a file")


def test_db_current_on_an_unreachable_server(tmp_path: Path) -> None:
    result = run({**os.environ, "COMMITMENTS_DB_URL": "postgresql+psycopg://u@127.0.0.1:1/db"}, "db", "current")
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert "COMMITMENTS_DB_URL" in result.stderr and "Connection refused" in result.stderr


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"event_date": "2099-06-01"}, "row 2, event_date: 2099-06-01 is after the day it is recorded"),
        ({"event_date": "1722816000"}, "row 2, event_date: must be a date as YYYY-MM-DD"),
        ({"event_date": "0"}, "row 2, event_date"),
        ({"event_date": "0001-01-01"}, "row 2, event_date: must be on or after 1900-01-01"),
        ({"source_published_on": "1722816000"}, "row 2, source_published_on"),
        ({"summary": "a NUL\x00inside"}, "row 2, summary: must not contain a NUL character"),
        ({"source_title": "\x00"}, "row 2, source_title: must not contain a NUL character"),
    ],
)
def test_bad_cells_are_refused_naming_row_and_field(
    db_env: dict[str, str], tmp_path: Path, cells: dict[str, str], expected: str
) -> None:
    row = {
        "commitment_id": PLEDGE,
        "event_date": "2024-07-15",
        "kind": "announcement",
        "speaks_for": "committing_party",
        "summary": "A row",
        "source_title": "Readout",
        "source_published_on": "",
        **cells,
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    path = tmp_path / "bad.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    one_line_refusal(run(db_env, "import-evidence", str(path), "--recorded-by", "A"), expected, "nothing imported")


@pytest.mark.parametrize("field", ["summary", "quote", "date_note", "source.title", "source.publisher"])
def test_a_nul_character_is_refused_naming_its_field(store: Store, field: str) -> None:
    """SQLite would keep a NUL and PostgreSQL would refuse the whole transaction: both refuse it here."""
    before = len(store.evidence())
    top, _, inner = field.partition(".")
    fields: dict[str, Any] = {"commitment_id": PLEDGE}
    if inner:
        fields["source"] = {inner: "before\x00after"}
    else:
        fields[top] = "before\x00after"
    with pytest.raises(ValueError, match=f"(?s){inner or top}.*NUL"):
        store.add_evidence(draft(**fields), "A")
    with pytest.raises(StoreError, match="NUL") as refused:
        store.retract(store.evidence()[0].id, "a reason\x00", "A")
    assert refused.value.field == "reason"
    assert len(store.evidence()) == before


def test_an_over_long_recorder_name_is_refused_naming_the_option(db_env: dict[str, str], tmp_path: Path) -> None:
    result = run(db_env, "import-evidence", str(evidence_file(tmp_path, "A")), "--recorded-by", "x" * 500)
    one_line_refusal(result, "--recorded-by", "at most 200 characters")
    assert len(result.stderr.strip().splitlines()) == 1


def test_match_caps_what_it_reads_from_stdin(db_env: dict[str, str]) -> None:
    result = run(db_env, "match", "--published", "2024-08-05", stdin="word " * 500_000)
    one_line_refusal(result, "stdin: longer than 2,097,152 characters")


def test_the_form_says_a_future_event_date_is_after_today(dashboard_db: str) -> None:
    from tests.test_page_add_evidence import VALID, click, fill, open_page, rows_in, texts

    at = open_page(dashboard_db)
    before = rows_in(dashboard_db)
    fill(at, "new_", {**VALID, "event_date": date(2099, 6, 1)})
    click(at, "Save evidence")
    errors = texts(at.error)
    assert f"**Event date**: can't be after today ({date.today().isoformat()})" in errors
    assert "required" not in errors.split("Nothing was saved")[0]
    assert at.date_input(key="new_event_date").value == date(2099, 6, 1)  # what was typed is kept
    assert rows_in(dashboard_db) == before
