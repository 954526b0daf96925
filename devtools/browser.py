"""Headless Chromium (Debian's, not a downloaded build) driven by Playwright."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("COMMITMENTS_TEST_CHROMIUM", "/usr/bin/chromium")
# The machines this runs on have no network beyond localhost: background fetches only
# produce refused connections and slow start-up.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium(executable: str = CHROMIUM) -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_for_app(page: Page, timeout_ms: float = 30_000) -> None:
    """Wait until the app is drawn and its script has finished running."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    # Placeholders of a run still arriving (a rerun right after the first) and elements the
    # run has not redrawn yet are not the page.
    page.wait_for_function(
        """() => !document.querySelector("[data-testid='stSkeleton'], [data-stale='true']")""",
        timeout=timeout_ms,
    )
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    # A table is drawn on a canvas after the script ends, and only once it scrolls into view:
    # wait until every one in the window (not in a closed expander or another tab) has its grid.
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stDataFrame']")]
            .every(d => d.offsetParent === null || d.getClientRects().length === 0
                 || d.getBoundingClientRect().top > window.innerHeight || d.querySelector('canvas'))""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)  # let the last delta paint
