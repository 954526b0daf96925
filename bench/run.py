"""Speed at scale: one command that prints the figures issue 5 asks for.

    python bench/run.py                      # 25k, 50k, 100k and 200k evidence rows, 1,000 pledges
    python bench/run.py --sizes 25000,50000  # a quick subset
    python bench/run.py --no-browser         # skip headless Chromium
    python bench/run.py --db postgresql+psycopg://USER:PASSWORD@localhost/postgres  # on PostgreSQL
    python bench/run.py --db "$URL" --pledges 10000 --sizes 1000000                 # team scale

For each size it fills a fresh store with the synthetic catalogue
(`python -m commitments synth`, seed 1): a SQLite file by default, or, with `--db` naming a
PostgreSQL server (a role that may create databases), a fresh database there, dropped at
the end. It then times, as medians over `--repeat` runs: the floor (the driver alone reads
every evidence row: Python's sqlite3, or psql's `\\copy` to /dev/null), the `status` command
in a fresh process (and its peak memory), reading the ledger, deriving the board and the full
history from it, the three CSV exports, one form-style insert, the board page's script in
Streamlit's AppTest (cold and warm), the board fully drawn in headless Chromium (cold and
warm) and the peak memory of the dashboard process; then the status command / floor ratio.
It prints a Markdown table; bench/README.md keeps the last one measured. Nothing here is
a test: a slow machine gives slow figures, never a failure.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commitments.cli.synth import load_synthetic  # noqa: E402
from commitments.files.catalog import load_catalogue  # noqa: E402
from commitments.files.export import EXPORTS  # noqa: E402
from commitments.ledger import Ledger, View, week_before  # noqa: E402
from commitments.models import EvidenceDraft  # noqa: E402
from commitments.store.store import Store  # noqa: E402
from devtools.databases import drop_database  # noqa: E402

AS_OF = date(2025, 6, 30)
VIEW = View(as_of=AS_OF)
PLEDGES = 1000
SEED = 1

Figure = dict[str, float | None]
FLOOR = "floor: the driver alone reads every evidence row"
CLI = "`python -m commitments status` (a fresh process)"


def median_time(work: Callable[[], object], repeat: int, setup: Callable[[], Any] | None = None) -> float:
    """Median seconds of `work` over `repeat` runs; `setup` (untimed) runs before each."""
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def build_store(directory: Path, rows: int, pledges: int, server: str | None) -> str:
    """A fresh store of `pledges` synthetic pledges and `rows` evidence rows: a SQLite file in
    `directory`, or a new database on the PostgreSQL `server`."""
    url = (
        f"sqlite:///{directory / f'synth-{pledges}-{rows}.sqlite3'}"
        if server is None
        else create_database(server, f"commitments_bench_{pledges}_{rows}")
    )
    store = Store(url)
    started = time.perf_counter()
    load_synthetic(store, pledges, rows, SEED, progress=rows >= 500_000)
    # The dashboard seeds the catalogue in data/ on first start: do it now, so the cold
    # runs below time reading, not seeding.
    store.ensure_seeded(load_catalogue())
    store.dispose()
    print(f"  filled {rows:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return url


def create_database(server: str, name: str) -> str:
    """A new, empty database `name` on the server (an older one of that name is dropped first)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    drop_database(admin, name)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def drop_benchmark_database(server: str, url: str) -> None:
    import gc

    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    gc.collect()  # the stores the figures opened, and their connection pools
    admin = create_engine(server)
    drop_database(admin, str(make_url(url).database))
    admin.dispose()


def floor_seconds(url: str) -> float:
    """Reading every evidence row with the driver alone: Python's sqlite3 (SQLite) or psql's COPY (PostgreSQL)."""
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            started = time.perf_counter()
            connection.execute("SELECT * FROM evidence").fetchall()
            return time.perf_counter() - started
        finally:
            connection.close()
    import subprocess

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    env = {**os.environ, "PGPASSWORD": parsed.password or ""}
    command = [
        "psql",
        "-h",
        parsed.host or "localhost",
        "-p",
        str(parsed.port or 5432),
        "-U",
        parsed.username or "postgres",
        "-d",
        parsed.database or "postgres",
        "-q",
        "-c",
        "\\copy (select * from evidence) to '/dev/null' csv",
    ]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def cli_seconds(url: str, *arguments: str) -> tuple[float, float]:
    """Wall time and peak memory (MB) of `python -m commitments ...` in a fresh process."""
    import subprocess

    code = (
        "import runpy, sys, atexit\n"
        "def peak():\n"
        "    line = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:'))\n"
        "    print(int(line.split()[1]) / 1024, file=sys.stderr)\n"
        "atexit.register(peak)\n"
        f"sys.argv = ['commitments', *{list(arguments)!r}]\n"
        "runpy.run_module('commitments', run_name='__main__')\n"
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "COMMITMENTS_DB_URL": url},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, None):
        raise RuntimeError(result.stderr[-500:])
    return elapsed, float(result.stderr.strip().splitlines()[-1])


def store_figures(url: str, repeat: int) -> Figure:
    store = Store(url)
    out: Figure = {}
    out[FLOOR] = statistics.median(floor_seconds(url) for _ in range(repeat))
    cli = [cli_seconds(url, "status", "--as-of", AS_OF.isoformat()) for _ in range(repeat)]
    out[CLI] = statistics.median(t for t, _ in cli)
    out["  peak memory of that command (MB)"] = statistics.median(m for _, m in cli)
    out["read the ledger (Store.ledger)"] = median_time(store.ledger, repeat)
    ledgers: list[Ledger] = []

    def fresh_ledger() -> None:
        ledgers[:] = [store.ledger()]

    out["derive the board of every pledge (read not included)"] = median_time(
        lambda: ledgers[0].board(VIEW), repeat, fresh_ledger
    )
    out["full status history of all pledges (read not included)"] = median_time(
        lambda: ledgers[0].history(VIEW), repeat, fresh_ledger
    )
    out["what changed in the week before (read not included)"] = median_time(
        lambda: ledgers[0].changes(week_before(AS_OF), VIEW), repeat, fresh_ledger
    )
    for name, build in EXPORTS.items():
        out[f"CSV export: {name}"] = median_time(lambda build=build: build(ledgers[0], VIEW), repeat, fresh_ledger)
    commitment_id = store.ledger().board(VIEW)[0].commitment_id
    drafts = iter(
        EvidenceDraft.model_validate(
            {
                "commitment_id": commitment_id,
                "event_date": date(2025, 1, 2),
                "kind": "statement",
                "speaks_for": "independent",
                "summary": f"Benchmark insert {i} (synthetic)",
                "source": {"title": "Benchmark", "publisher": "bench/run.py"},
            }
        )
        for i in range(1000)
    )
    out["one form-style insert (Store.add_evidence)"] = median_time(
        lambda: store.add_evidence(next(drafts), "bench", datetime(2025, 1, 3)), max(repeat, 5)
    )
    store.dispose()
    return out


def apptest_figures(url: str, repeat: int) -> Figure:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["COMMITMENTS_DB_URL"] = url
    os.chdir(ROOT)
    out: Figure = {}
    colds, warms = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=300)
        started = time.perf_counter()
        at.run()
        colds.append(time.perf_counter() - started)
        if at.exception:
            raise RuntimeError(f"the board page failed: {at.exception[0].value}")
        for _ in range(repeat):
            started = time.perf_counter()
            at.run()
            warms.append(time.perf_counter() - started)
    st.cache_data.clear()
    st.cache_resource.clear()
    out["board page script, AppTest cold"] = statistics.median(colds)
    out["board page script, AppTest warm"] = statistics.median(warms)
    return out


def browser_figures(url: str, repeat: int, log_dir: Path) -> Figure:
    from devtools.browser import chromium
    from devtools.server import running_dashboard

    out: Figure = {}
    colds, warms, peaks, starts = [], [], [], []
    with chromium() as browser:
        for _ in range(repeat):
            # A new server each time: the first load is the first visit after a start
            # (cold), the next ones come to a server that has served pages (warm). The
            # server reads the store before it answers its health check: that start-up
            # is timed on its own line.
            with running_dashboard(url, log_dir) as dashboard:
                starts.append(dashboard.ready_after)
                for attempt in range(repeat + 1):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    started = time.perf_counter()
                    page.goto(dashboard.url)
                    page.wait_for_selector("[data-testid='stDataFrame']", timeout=120_000)
                    page.wait_for_selector(
                        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000
                    )
                    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)
                    (colds if attempt == 0 else warms).append(time.perf_counter() - started)
                    page.close()
                peaks.append(_peak_rss_mb(dashboard))
    out["dashboard start until it takes visitors (reads the store)"] = statistics.median(starts)
    out["board fully drawn in Chromium, cold"] = statistics.median(colds)
    out["board fully drawn in Chromium, warm"] = statistics.median(warms)
    out["peak memory of the dashboard process (MB)"] = statistics.median(peaks)
    return out


def _peak_rss_mb(dashboard: Any) -> float:
    """VmHWM (peak resident memory) of the streamlit process serving `dashboard`."""
    port = dashboard.url.rsplit(":", 1)[1]
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = status.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(command) and f"--server.port={port}".encode() in command:
            for line in (status.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return float("nan")


def memory_probe(url: str) -> float:
    """Peak memory (MB) of a fresh process that loads the board page (no browser needed)."""
    import subprocess

    code = (
        "import os; from streamlit.testing.v1 import AppTest; "
        f"os.chdir({str(ROOT)!r}); at = AppTest.from_file('dashboard.py', default_timeout=300); at.run(); "
        # VmHWM, not getrusage: Linux carries ru_maxrss over exec, so a child spawned by
        # this (big) process would report the parent's peak.
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM:')) / 1024)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "COMMITMENTS_DB_URL": url, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(result.stdout.strip().splitlines()[-1])


def _server_version(server: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(server)
    with engine.connect() as conn:
        version = str(conn.execute(text("SHOW server_version")).scalar())
    engine.dispose()
    return version


def machine() -> str:
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs (nproc), {memory} RAM, Python {platform.python_version()}, {platform.platform()}; "
        f"load average at the end {load} (other work on the machine inflates every figure)"
    )


def render(results: dict[int, Figure], sizes: list[int]) -> str:
    names = list(dict.fromkeys(name for figures in results.values() for name in figures))
    header = ["figure (seconds unless stated)", *[f"{s:,}" for s in sizes]]
    growth = 100_000 in sizes and 200_000 in sizes
    if growth:
        header.append("100k→200k")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name in names:
        cells = [name]
        for s in sizes:
            value = results[s].get(name)
            cells.append("–" if value is None else f"{value:.0f}" if "MB" in name else f"{value:.3f}")
        if growth:
            a, b = results[100_000].get(name), results[200_000].get(name)
            cells.append(f"×{b / a:.2f}" if a and b else "–")
        lines.append("| " + " | ".join(cells) + " |")
    ratio = ["status command / floor"]
    for s in sizes:
        a, b = results[s].get(CLI), results[s].get(FLOOR)
        ratio.append(f"{a / b:.2f}" if a and b else "–")
    if growth:
        ratio.append("")
    lines.append("| " + " | ".join(ratio) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="25000,50000,100000,200000", help="evidence rows, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless Chromium figures")
    parser.add_argument("--keep", metavar="DIR", help="keep the synthetic stores in DIR (default: a temporary folder)")
    parser.add_argument("--pledges", type=int, default=PLEDGES, help=f"synthetic pledges (default {PLEDGES:,})")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="a PostgreSQL server to run on (a role that may create databases; the benchmark's are dropped after)",
    )
    args = parser.parse_args(argv)
    if args.db and not args.db.startswith("postgresql"):
        parser.error(
            "--db takes a PostgreSQL URL (postgresql+psycopg://USER:PASSWORD@HOST/postgres); SQLite is the default"
        )
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    results: dict[int, Figure] = {}
    with tempfile.TemporaryDirectory(prefix="commitments-bench-") as scratch:
        directory = Path(args.keep or scratch)
        directory.mkdir(parents=True, exist_ok=True)
        for rows in sizes:
            print(f"{rows:,} evidence rows, {args.pledges:,} pledges", file=sys.stderr)
            url = build_store(directory, rows, args.pledges, args.db)
            figures: Figure = {}
            groups: list[Callable[[], Figure]] = [
                lambda url=url: store_figures(url, args.repeat),
                lambda url=url: apptest_figures(url, args.repeat),
            ]
            if args.no_browser:
                groups.append(lambda url=url: {"peak memory of the dashboard process (MB)": memory_probe(url)})
            else:
                groups.append(lambda url=url: browser_figures(url, args.repeat, directory))
            for group in groups:
                try:
                    figures.update(group())
                except Exception as exc:  # one broken figure must not lose the others
                    print(f"  FAILED: {type(exc).__name__}: {str(exc)[:500]}", file=sys.stderr)
                    for log in directory.glob("streamlit-*.log"):
                        print(f"  {log.name}: {log.read_text()[-1500:]}", file=sys.stderr)
            results[rows] = figures
            for name, value in figures.items():
                print(f"  {name}: {value:.3f}" if value is not None else f"  {name}: –", file=sys.stderr)
            if args.db and not args.keep:
                drop_benchmark_database(args.db, url)
    backend = "PostgreSQL " + _server_version(args.db) if args.db else "SQLite"
    print(
        f"Measured {date.today().isoformat()} on {backend}, {args.pledges:,} pledges, {machine()}; "
        f"medians of {args.repeat} runs.\n"
    )
    print(render(results, sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
