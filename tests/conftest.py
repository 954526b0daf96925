"""Shared fixtures: stores on a real SQLite file and on a real PostgreSQL server.

A test that needs a service the machine lacks is skipped with a reason that says how to
enable it; under CI (CI=true) it fails instead, so a missing service is never silent.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from commitments.access import AccessPolicy
from commitments.files.catalog import Catalogue, load_catalogue
from commitments.store.store import Store
from devtools.databases import drop_database
from tests.oidc_fixtures import oidc_dashboard  # noqa: F401  (a fixture: sign-in through a real OpenID provider)

PG_ENV = "COMMITMENTS_TEST_PG_URL"
CHROMIUM = os.environ.get("COMMITMENTS_TEST_CHROMIUM", "/usr/bin/chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_service(available: bool, what: str, how: str) -> None:
    """Skip (locally) or fail (in CI) when a test's service is missing."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI but missing: {how}")
    pytest.skip(f"{what} not available; to run this test: {how}")


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    admin_url = os.environ.get(PG_ENV, "")
    require_service(
        bool(admin_url),
        "PostgreSQL",
        f"set {PG_ENV}=postgresql+psycopg://USER:PASSWORD@localhost/postgres (a role allowed to create databases)",
    )
    name = f"commitments_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # the server is down or the role lacks rights
        admin.dispose()
        require_service(False, "PostgreSQL", f"{PG_ENV} is set but unusable ({type(exc).__name__}: {exc})")
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest) -> str:
    """The same test on both backends."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def store(db_url: str, catalogue: Catalogue) -> Iterator[Store]:
    s = Store(db_url)
    s.ensure_seeded(catalogue)
    yield s
    s.dispose()


@pytest.fixture
def dashboard_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite file the dashboard (AppTest) opens, with Streamlit's caches cleared.

    The caches hold the store and its snapshot per process: without clearing them, one
    test's database would answer the next test's pages.
    """
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'dashboard.sqlite3'}"
    monkeypatch.setenv("COMMITMENTS_DB_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes behind every download button a page draws, by file name.

    AppTest does not expose a download button's data, so this keeps what Streamlit hands
    to its in-memory media store.
    """
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    carried: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def keep(self: MemoryMediaFileStorage, data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        if filename and isinstance(data, bytes):
            carried[filename] = data
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    return carried


@pytest.fixture
def sqlite_store(sqlite_url: str, catalogue: Catalogue) -> Iterator[Store]:
    s = Store(sqlite_url)
    s.ensure_seeded(catalogue)
    yield s
    s.dispose()


def require_chromium() -> str:
    """The Chromium binary the browser tests drive; skip (or fail in CI) without one."""
    require_service(
        shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists(),
        "headless Chromium",
        "apt-get install chromium (or set COMMITMENTS_TEST_CHROMIUM to a Chromium binary)",
    )
    return CHROMIUM


@pytest.fixture
def db_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a command-line run on its own new SQLite store."""
    return {**os.environ, "COMMITMENTS_DB_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}


@pytest.fixture
def chromium() -> str:
    return require_chromium()


def team_store(db_url: str, catalogue: Catalogue, **policy: object) -> Store:
    """A seeded store whose database keeps `policy` (an AccessPolicy's fields) as its rules."""
    store = Store(db_url, AccessPolicy.model_validate(policy))
    store.ensure_seeded(catalogue)
    return store


@pytest.fixture
def signed_in(db_url: str, catalogue: Catalogue) -> Iterator[Store]:
    """Sign-in required: ana@example.org records, rev@example.org reviews, everyone else reads."""
    store = team_store(db_url, catalogue, sign_in=True, recorders={"ana@example.org"}, reviewers={"rev@example.org"})
    yield store
    store.dispose()


@pytest.fixture
def reviewed(db_url: str, catalogue: Catalogue) -> Iterator[Store]:
    """No sign-in; every new row and retraction waits for a second person."""
    store = team_store(db_url, catalogue, require_review=True)
    yield store
    store.dispose()


@pytest.fixture
def deferred_downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The functions behind every download button that makes its file only when clicked, by file name.

    A button given a function (`data=callable`) registers it with the media file manager;
    clicking runs it. AppTest cannot click a download, so a test calls the function itself.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    carried: dict[str, Any] = {}
    original = MediaFileManager.add_deferred

    def keep(self: MediaFileManager, data_callable: Any, mimetype: Any, coordinates: str, **kwargs: Any) -> str:
        if kwargs.get("file_name"):
            carried[kwargs["file_name"]] = data_callable
        return original(self, data_callable, mimetype, coordinates, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    return carried
