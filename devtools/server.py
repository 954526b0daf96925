"""Start `streamlit run dashboard.py` on a free port and stop it again."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Dashboard:
    url: str
    db_url: str
    log: Path
    # Seconds from starting the process until it answered its health check (it reads the store first).
    ready_after: float = 0.0


@contextmanager
def running_dashboard(
    db_url: str,
    log_dir: Path,
    extra_env: dict[str, str] | None = None,
    *,
    port: int | None = None,
    extra_args: list[str] | None = None,
) -> Iterator[Dashboard]:
    """The dashboard on `db_url`, served on 127.0.0.1 until the block ends.

    `port`: a port chosen beforehand (e.g. one an identity provider's redirect URI names);
    `extra_args`: more `streamlit run` options, e.g. `--secrets.files=...`.
    """
    port = port or free_port()
    log = log_dir / f"streamlit-{port}.log"
    env = {**os.environ, "COMMITMENTS_DB_URL": db_url, **(extra_env or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
        *(extra_args or []),
    ]
    with log.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_healthy(port, process, log)
            ready_after = time.perf_counter() - started
            yield Dashboard(url=f"http://127.0.0.1:{port}", db_url=db_url, log=log, ready_after=ready_after)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"streamlit did not become healthy in {timeout} s:\n{log.read_text()[-2000:]}")
