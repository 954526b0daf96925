"""The dashboard behind a real OpenID provider: `oidc_dashboard`, for the sign-in browser test.

The provider is `oidc-provider` (tests/oidc/provider.mjs, run by Node); the dashboard is
`streamlit run dashboard.py` with an `[auth]` secrets section pointing at it, exactly as
docs/operations.md (*Sign-in*) tells a team to configure its own provider. Both listen on
free ports of localhost until the test module is done.
"""

from __future__ import annotations

import fcntl
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

OIDC_DIR = Path(__file__).resolve().parent / "oidc"
READER = "reader@example.org"
RECORDER = "ana@example.org"
REVIEWER = "lead@example.org"
NODE_AT_LEAST = (20, 19)
HOW_TO_ENABLE = "install Node.js 20.19 or later and npm (apt-get install nodejs npm), then npm ci --prefix tests/oidc"


@dataclass(frozen=True)
class SignInDeployment:
    # The dashboard, at the address its redirect URI names (http://localhost:PORT): the browser
    # must use that host, not 127.0.0.1: the sign-in cookie is set for it and names its origin.
    url: str
    provider_url: str  # the provider's issuer
    db_url: str
    db_path: Path
    logs: Path  # the folder holding both servers' logs


@pytest.fixture(scope="module")
def oidc_dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInDeployment]:
    """The dashboard on a fresh SQLite file, with sign-in through a real OpenID provider."""
    from devtools.server import free_port, running_dashboard
    from tests.conftest import require_chromium  # here, not above: conftest imports this module

    require_chromium()
    _install_provider()
    logs = tmp_path_factory.mktemp("oidc")
    db_path = logs / "dashboard.sqlite3"  # does not exist yet: the dashboard creates and seeds it
    db_url = f"sqlite:///{db_path}"
    app_port = free_port()
    provider_port = next(p for p in iter(free_port, None) if p != app_port)
    app_url = f"http://localhost:{app_port}"
    redirect_uri = f"{app_url}/oauth2callback"
    client_id, client_secret = "commitments-dashboard", secrets.token_urlsafe(24)

    # Who may do what, as an operator sets it for a new deployment: these settings, read with a
    # fresh database (should the rules move into the database, seeded from the settings when it
    # is new, this stays the way to set them up).
    policy = {
        "COMMITMENTS_AUTH": "oidc",
        "COMMITMENTS_RECORDERS": RECORDER,
        "COMMITMENTS_REVIEWERS": REVIEWER,
        "COMMITMENTS_REQUIRE_REVIEW": "true",
    }
    auth = {
        "redirect_uri": redirect_uri,
        "cookie_secret": secrets.token_hex(32),
        "client_id": client_id,
        "client_secret": client_secret,
        "server_metadata_url": f"http://localhost:{provider_port}/.well-known/openid-configuration",
    }
    secrets_toml = logs / "secrets.toml"
    # A JSON string is a valid TOML basic string.
    secrets_toml.write_text("[auth]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in auth.items()))

    with (
        _running_provider(provider_port, client_id, client_secret, redirect_uri, logs) as provider_url,
        running_dashboard(
            db_url, logs, extra_env=policy, port=app_port, extra_args=[f"--secrets.files={secrets_toml}"]
        ),
    ):
        yield SignInDeployment(url=app_url, provider_url=provider_url, db_url=db_url, db_path=db_path, logs=logs)


def _install_provider() -> None:
    """Node, and tests/oidc's packages (`npm ci` when node_modules is missing)."""
    from tests.conftest import require_service

    node, npm = shutil.which("node"), shutil.which("npm")
    require_service(node is not None and npm is not None, "Node.js and npm", HOW_TO_ENABLE)
    version = subprocess.run([str(node), "--version"], capture_output=True, text=True).stdout.strip()
    require_service(
        _version(version) >= NODE_AT_LEAST,
        f"Node.js {'.'.join(map(str, NODE_AT_LEAST))} or later (oidc-provider 9), here {version or 'unknown'}",
        HOW_TO_ENABLE,
    )
    installed = OIDC_DIR / "node_modules" / "oidc-provider" / "package.json"
    # pytest-xdist workers may get here at once: one installs, the others wait and find it done.
    with (Path(tempfile.gettempdir()) / "commitments-oidc-npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed.exists():
            return
        done = subprocess.run(
            [str(npm), "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=OIDC_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
    require_service(
        done.returncode == 0 and installed.exists(),
        "the test OpenID provider's packages",
        f"npm ci --prefix tests/oidc (it said: {(done.stderr or done.stdout).strip()[-500:]})",
    )


def _version(text: str) -> tuple[int, ...]:
    """(20, 19, 0) from "v20.19.0"; () from anything else."""
    try:
        return tuple(int(part) for part in text.removeprefix("v").split("."))
    except ValueError:
        return ()


@contextmanager
def _running_provider(port: int, client_id: str, client_secret: str, redirect_uri: str, logs: Path) -> Iterator[str]:
    """tests/oidc/provider.mjs on `port`, until the block ends; yields its issuer."""
    issuer = f"http://localhost:{port}"
    env = {
        **os.environ,
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": client_id,
        "OIDC_CLIENT_SECRET": client_secret,
        "OIDC_REDIRECT_URI": redirect_uri,
    }
    log = logs / f"oidc-provider-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(shutil.which("node")), "provider.mjs"], cwd=OIDC_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            _wait_for_discovery(issuer, process, log)
            yield issuer
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_discovery(issuer: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the OpenID provider exited early:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as response:
                if json.load(response).get("issuer") == issuer:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the OpenID provider did not answer in {timeout} s:\n{log.read_text()[-2000:]}")
