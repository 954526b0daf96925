"""`python -m commitments db upgrade|current|rebuild`: the store's schema from the command line.

Upgrading is also done on every start (`open_store`), so this command is for operators
who want to upgrade deliberately (after a back-up), or check where a database stands.
"""

from __future__ import annotations

import argparse

from commitments.cli.common import Subcommands
from commitments.store.migrations import head_revision, known_revisions
from commitments.store.store import Store


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    store = Store.from_environment()
    try:
        before, after = store.upgrade_schema()
    finally:
        store.dispose()
    if before == after:
        print(f"already at revision {after} (the newest); nothing to do")
    else:
        print(f"upgraded from revision {before or 'none (new or pre-migration database)'} to {after}")
    return 0


def cmd_db_current(args: argparse.Namespace) -> int:
    store = Store.from_environment()
    try:
        revision = store.schema_revision()
    finally:
        store.dispose()
    head = head_revision()
    if revision is None:
        print(f"none (no schema yet, or made before migrations); this tool's newest is {head}")
    elif revision == head:
        print(f"{revision} (the newest)")
    elif revision in known_revisions():
        print(f"{revision} (older than {head}: run `python -m commitments db upgrade`)")
    else:
        print(f"{revision} (newer than this tool knows, {head}: upgrade the tool)")
    return 0


def cmd_db_rebuild(args: argparse.Namespace) -> int:
    store = Store.from_environment()
    try:
        store.upgrade_schema()
        print("packing the engine's columns of every evidence row ...", flush=True)
        rows = store.rebuild_packs()
    finally:
        store.dispose()
    print(f"rebuilt the evidence packs from {rows:,} rows")
    return 0


def register(sub: Subcommands) -> None:
    db = sub.add_parser("db", help="the database schema: upgrade it, or show its revision")
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    p = actions.add_parser(
        "upgrade", help="bring the database (COMMITMENTS_DB_URL) to the newest schema, keeping every row"
    )
    p.set_defaults(run=cmd_db_upgrade)
    p = actions.add_parser("current", help="print the schema revision the database is at")
    p.set_defaults(run=cmd_db_current)
    p = actions.add_parser(
        "rebuild",
        help="make the evidence packs (the fast read of every row) again from the evidence: after rows were "
        "written by SQL, a restore or an older version of this tool",
    )
    p.set_defaults(run=cmd_db_rebuild)
