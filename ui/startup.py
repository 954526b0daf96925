"""Server start-up: real navigation from the first request, and the store read before it.

`streamlit run dashboard.py` imports dashboard.py once to find the server it serves
(an `st.App`); `read_ahead` is that server's start-up hook. It opens the store and reads
the ledger every page reads into the same cache the pages use, so the first visit after
a (re)start costs what any later visit costs. The server answers its health check, and
takes visitors, once this is done: at 100,000 evidence rows about a second and a half.

It also makes the first request to any page draw the app's own navigation (see
`navigation_from_the_first_request`), so a deep link works right after a restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from streamlit.logger import get_logger

_LOGGER = get_logger(__name__)
# Cached functions called outside a page run say so once per call; here that is expected.
_NO_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


@asynccontextmanager
async def read_ahead(app: Any) -> AsyncIterator[None]:
    """The `st.App` lifespan: read the store (in a worker thread), then serve."""
    navigation_from_the_first_request()
    await asyncio.to_thread(read_store_ahead)
    yield


def navigation_from_the_first_request() -> None:
    """Run dashboard.py (and its `st.navigation`) for every request, the first one included.

    Streamlit decides once per process whether the app is an old-style multipage app: with
    a `pages/` folder beside the entry point, until `st.navigation` has run once, it serves
    a link such as /pledge_detail by running pages/pledge_detail.py alone, with navigation
    made from the file names and the default (narrow) layout. Calling `st.navigation`
    makes that decision "no" for the process; a deep link after a restart arrives before
    any page has, so the answer is given here, before the first visitor. The flag is
    Streamlit's own (`st.navigation` sets it the same way).
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def read_store_ahead() -> bool:
    """Fill the pages' cache with the store's ledger; False (logged, never raised) if it cannot be read.

    A store that cannot be opened is not the server's to refuse: the pages show the reason.
    """
    started = time.perf_counter()
    quiet = logging.getLogger(_NO_CONTEXT_LOGGER)
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        from ui import data

        try:
            ledger = data.ledger_or_error()
        except Exception as exc:  # whatever it is, the pages report it too; the server must start
            _LOGGER.warning("Could not read the store ahead of the first visit: %s", exc)
            return False
    finally:
        quiet.setLevel(level)
    _LOGGER.info(
        "Read the store ahead of the first visit: %d pledges, %d evidence rows in %.2f s",
        len(ledger.commitments),
        len(ledger),
        time.perf_counter() - started,
    )
    return True
