"""The command line as a user runs it: real subprocesses on a temporary SQLite store."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest

from commitments.files.catalog import Catalogue
from commitments.store.store import Store
from tests.cli import run


def board(env: dict[str, str], *args: str) -> dict[str, dict[str, str]]:
    result = run(env, "status", "--format", "csv", *args)
    assert result.returncode == 0, result.stderr
    return {r["id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_validate_accepts_the_seed_data(db_env: dict[str, str], catalogue: Catalogue) -> None:
    result = run(db_env, "validate")
    assert result.returncode == 0, result.stderr
    assert f"{len(catalogue.commitments)} pledges" in result.stdout


def test_status_lists_every_seed_pledge(db_env: dict[str, str], catalogue: Catalogue) -> None:
    assert set(board(db_env)) == {c.id for c in catalogue.commitments}


def test_as_of_moves_three_precursors_across_the_august_announcement(
    db_env: dict[str, str], catalogue: Catalogue
) -> None:
    before = board(db_env, "--as-of", "2024-08-01")["prc-schedule-three-precursors"]
    after = board(db_env, "--as-of", "2024-08-10")["prc-schedule-three-precursors"]
    assert (before["stage"], after["stage"]) == ("pledged", "announced")
    # The sources date the PRC's announcement August 2 and August 5, 2024: the earlier counts.
    first = min(
        e.known_on
        for e in catalogue.evidence
        if e.commitment_id == "prc-schedule-three-precursors" and e.kind == "announcement"
    )
    assert after["stage_since"] == first.isoformat() == "2024-08-02"


def test_status_json_and_table(db_env: dict[str, str]) -> None:
    result = run(db_env, "status", "--format", "json", "--as-of", "2024-08-10")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {"id", "stage", "basis", "flags", "reasons", "verified_by", "criteria"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    incb = by_id["prc-report-to-incb"]
    assert (incb["stage"], incb["basis"]) == ("in_effect", "reported")  # one unattributed report
    assert incb["verified_by"] == []
    assert [(c["publisher"], c["strength"]) for c in incb["reported_by"]] == [("Emily's Hope", "unattributed")]
    assert set(incb["criteria"]) == {"announced", "in_effect", "verified"}
    assert incb["stage_since"] == "2023-11-30"  # an ISO date, not a timestamp
    table = run(db_env, "status", "--as-of", "2024-08-10")
    assert "prc-schedule-three-precursors" in table.stdout


def test_export_writes_three_named_files(db_env: dict[str, str], tmp_path: Path) -> None:
    result = run(db_env, "export", str(tmp_path / "out"), "--as-of", "2024-08-10")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "evidence-log_as-of-2024-08-10.csv",
        "status-board_as-of-2024-08-10.csv",
        "status-history_as-of-2024-08-10.csv",
    ]


def test_export_edit_import_round_trip(db_env: dict[str, str], tmp_path: Path) -> None:
    run(db_env, "export", str(tmp_path), "--as-of", "2024-08-10")
    exported = (tmp_path / "evidence-log_as-of-2024-08-10.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(exported)))
    new = {**rows[0], "id": "", "summary": "=A new row, edited in a spreadsheet", "recorded_by": "", "recorded_at": ""}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerow(new)
    edited = tmp_path / "edited.csv"
    # known_on, record_state and record_note are the export's own columns: accepted and ignored.
    assert {"known_on", "record_state", "record_note"} <= set(rows[0])
    edited.write_text(out.getvalue(), encoding="utf-8")
    before = len(Store(db_env["COMMITMENTS_DB_URL"]).evidence())
    result = run(db_env, "import-evidence", str(edited), "--recorded-by", "Analyst")
    assert result.returncode == 0, result.stderr
    stored = Store(db_env["COMMITMENTS_DB_URL"]).evidence()
    assert len(stored) == before + 1
    assert stored[-1].summary == "=A new row, edited in a spreadsheet"
    assert stored[-1].recorded_by == "Analyst"


def test_import_is_all_or_nothing_with_row_numbers(db_env: dict[str, str], tmp_path: Path) -> None:
    good = "prc-regulate-xylazine,2024-07-15,announcement,committing_party,Xylazine rules announced,Readout"
    bad = "prc-regulate-xylazine,15/07/2024,announcement,committing_party,Bad date,Readout"
    path = tmp_path / "rows.csv"
    path.write_text(
        "commitment_id,event_date,kind,speaks_for,summary,source_title\n" + "\n".join([good, bad, good]) + "\n",
        encoding="utf-8",
    )
    assert run(db_env, "status").returncode == 0  # creates and seeds the store
    before = len(Store(db_env["COMMITMENTS_DB_URL"]).evidence())
    result = run(db_env, "import-evidence", str(path), "--recorded-by", "Analyst")
    assert result.returncode == 2
    assert "row 3, event_date" in result.stderr
    assert "nothing imported" in result.stderr
    assert len(Store(db_env["COMMITMENTS_DB_URL"]).evidence()) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "--as-of", "2024-02-30"), "not a date in ISO form"),
        (("status", "--format", "xml"), "invalid choice"),
        (("import-evidence", "/no/such/file.csv", "--recorded-by", "A"), "no such file"),
        (("retract", "no-such-row", "--reason", "typo", "--recorded-by", "A"), "no recorded row"),
        (("retract", "x", "--reason", "typo"), "--recorded-by"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(db_env: dict[str, str], args: tuple[str, ...], message: str) -> None:
    result = run(db_env, *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_database_url_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "COMMITMENTS_DB_URL": "nonsense://"}
    result = run(env, "status")
    assert result.returncode != 0
    assert "COMMITMENTS_DB_URL" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["validate", "status", "export", "import-evidence", "retract"])
def test_help_for_each_command(db_env: dict[str, str], command: str) -> None:
    result = run(db_env, command, "--help")
    assert result.returncode == 0
    assert "usage:" in result.stdout
