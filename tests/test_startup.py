"""The server reads the store before it takes visitors, and a store it cannot read does not stop it."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path

import pytest
import streamlit as st

from commitments.files.catalog import load_catalogue
from commitments.store.store import Store
from devtools.server import running_dashboard
from ui import data, startup


def test_reading_ahead_fills_the_cache_the_pages_read(dashboard_db: str) -> None:
    assert startup.read_store_ahead() is True
    ledger = data.ledger_or_error()
    assert len(ledger.commitments) == len(load_catalogue().commitments)  # seeded on first open
    # A page's own call finds the same object: nothing is read again.
    assert data.ledger_or_error() is ledger


def test_a_store_that_cannot_be_read_is_logged_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("COMMITMENTS_DB_URL", "not a database url")
    st.cache_resource.clear()
    logger = logging.getLogger(startup.__name__)
    monkeypatch.setattr(logger, "propagate", True)
    with caplog.at_level(logging.WARNING, logger=startup.__name__):
        assert startup.read_store_ahead() is False

        async def serve() -> None:
            async with startup.read_ahead(None):
                pass

        asyncio.run(serve())  # the lifespan still lets the server start
    assert "Could not read the store ahead" in caplog.text and "COMMITMENTS_DB_URL" in caplog.text
    st.cache_resource.clear()


def test_streamlit_run_reads_the_store_before_it_answers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'started.sqlite3'}"
    with running_dashboard(url, tmp_path) as dashboard:
        log = dashboard.log.read_text()
    found = re.search(r"Read the store ahead of the first visit: (\d+) pledges, (\d+) evidence rows", log)
    assert found, log
    store = Store(url)
    try:
        assert (int(found[1]), int(found[2])) == (len(store.commitments()), len(store.evidence()))
    finally:
        store.dispose()
