"""An import killed with SIGKILL part-way leaves all of its file's rows or none, and a readable store.

`python -m commitments import-evidence` records a whole file in one transaction. The test
times one complete import of a 5,000-row file, then starts fresh imports of other files and
kills each (`kill -9`, no chance to clean up) after a different share of that time, so the
kills land while the file is read, validated, inserted or committed. After each kill the
store must hold every row of that file or none of them, and pass an integrity check.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

from commitments.config import PROJECT_DIR
from commitments.files.evidence_csv import EVIDENCE_COLUMNS, evidence_to_row, write_rows
from commitments.models import EvidenceDraft
from commitments.store.store import Store
from commitments.store.tables import evidence_table
from tests.factories import draft

ROWS = 5_000
# Shares of one full import's duration after which an import is killed (the last may come
# too late: finishing is allowed, half-finishing is not).
KILL_AT = (0.4, 0.6, 0.75, 0.85, 0.95, 1.1)
PLEDGE = "prc-regulate-xylazine"


def write_file(path: Path, prefix: str) -> Path:
    drafts: list[EvidenceDraft] = [
        draft(id=f"{prefix}-{n:05d}", commitment_id=PLEDGE, kind="statement", summary=f"{prefix} row {n}")
        for n in range(ROWS)
    ]
    path.write_text(write_rows((evidence_to_row(d) for d in drafts), EVIDENCE_COLUMNS), encoding="utf-8")
    return path


def start_import(url: str, path: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COMMITMENTS_DB_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "commitments", "import-evidence", str(path), "--recorded-by", "crash test"],
        cwd=PROJECT_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def rows_from(store: Store, prefix: str) -> int:
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(evidence_table).where(evidence_table.c.id.like(f"{prefix}-%"))
            ).scalar_one()
        )


def assert_readable(store: Store) -> None:
    with store.engine.connect() as conn:
        if store.is_sqlite:
            assert conn.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
        else:
            assert conn.execute(select(func.count()).select_from(evidence_table)).scalar_one() > 0
    ledger = store.ledger()  # every row still parses into the models
    assert len(ledger.evidence()) == len(ledger) == len(store.evidence())


def test_an_import_killed_part_way_leaves_all_of_its_rows_or_none(store: Store, tmp_path: Path) -> None:
    for prefix in ("warm", "full"):  # the second run, with warm caches, is the one timed
        path = write_file(tmp_path / f"{prefix}.csv", prefix)
        began = time.perf_counter()
        full = start_import(store.url, path)
        _, stderr = full.communicate(timeout=300)
        duration = time.perf_counter() - began
        assert full.returncode == 0, stderr.decode()
        assert rows_from(store, prefix) == ROWS

    outcomes = []
    for attempt, share in enumerate(KILL_AT):
        prefix = f"kill{attempt}"
        process = start_import(store.url, write_file(tmp_path / f"{prefix}.csv", prefix))
        time.sleep(duration * share)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        found = rows_from(store, prefix)
        outcomes.append(
            f"{share:.0%}: {'killed' if process.returncode == -signal.SIGKILL else 'finished'}, {found} rows"
        )
        assert found in (0, ROWS), outcomes
        assert_readable(store)
    print(f"\n{store.engine.dialect.name}: full import {duration:.1f} s; " + "; ".join(outcomes))

    # The kills must have happened (not every import finished before its signal).
    assert any("killed" in o for o in outcomes), outcomes
    # And after all that the store still takes the file in one piece.
    again = start_import(store.url, tmp_path / "kill0.csv")
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr.decode()
    assert rows_from(store, "kill0") == ROWS
    assert_readable(store)
