"""Settings, declared once as data: name, default and help.

Everything that reads configuration reads it through `setting()`, and
`tests/test_docs.py` fails if a setting here is missing from the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "COMMITMENTS_DB_URL",
        f"sqlite:///{PROJECT_DIR / 'var' / 'commitments.sqlite3'}",
        "SQLAlchemy URL of the store. Default: an SQLite file under var/, created and "
        "seeded from data/ on first use. Use postgresql+psycopg://user:pass@host/db for a team.",
    ),
    Setting(
        "COMMITMENTS_DATA_DIR",
        str(PROJECT_DIR / "data"),
        "Folder holding catalogue.toml and evidence.csv: the store adds the pledges and seed rows it lacks "
        "each time it opens.",
    ),
    Setting(
        "COMMITMENTS_AUTH",
        "none",
        "For a new database (its first policy): 'none': the dashboard asks for the recorder's name. "
        "'oidc': sign-in with Streamlit's built-in OIDC login ([auth] in .streamlit/secrets.toml); only "
        "named recorders may write. Later: `policy set --auth`.",
    ),
    Setting(
        "COMMITMENTS_RECORDERS",
        "",
        "For a new database: with sign-in, comma-separated e-mail addresses allowed to record evidence "
        "('*' for every signed-in user). Everyone else gets a read-only board. Later: `policy set --recorders`.",
    ),
    Setting(
        "COMMITMENTS_REVIEWERS",
        "",
        "For a new database: comma-separated identities allowed to confirm or send back rows others "
        "recorded (they may record too). Without sign-in and with no list, anyone but the recorder. "
        "Later: `policy set --reviewers`.",
    ),
    Setting(
        "COMMITMENTS_REQUIRE_REVIEW",
        "false",
        "For a new database: 'true': a new row, correction or retraction stays pending, and moves no "
        "status, until a second person confirms it. Later: `policy set --require-review`.",
    ),
    Setting(
        "COMMITMENTS_STALE_DAYS",
        "180",
        "A pledge with no evidence for more than this many days is flagged stale.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def setting(name: str) -> str:
    """The value in the environment, or the declared default."""
    return os.environ.get(name) or _BY_NAME[name].default


def stale_after_days() -> int:
    raw = setting("COMMITMENTS_STALE_DAYS")
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"COMMITMENTS_STALE_DAYS must be a whole number of days, not {raw!r}") from None
    if days < 1:
        raise ValueError("COMMITMENTS_STALE_DAYS must be at least 1")
    return days
