"""`python -m commitments synth`: fill the configured store with a synthetic catalogue.

For scale tests and benchmarks (bench/run.py): a thousand pledges and a hundred thousand
evidence rows load in well under a minute, in batches, with a progress line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from commitments.cli.common import Subcommands, UsageError
from commitments.models import Evidence, Retraction
from commitments.store.store import Store, StoreError
from commitments.synth import iter_catalogue

BATCH_ROWS = 5000


def load_synthetic(store: Store, pledges: int, evidence: int, seed: int = 0, progress: bool = False) -> tuple[int, int]:
    """Add the catalogue for `seed` to `store`; return (evidence rows, retractions) written."""
    store.create_schema()
    commitments, records = iter_catalogue(pledges, evidence, seed)
    store.add_commitments(commitments)
    rows: list[Evidence] = []
    retractions: list[Retraction] = []
    written = [0, 0]
    started = time.perf_counter()

    def flush() -> None:
        store.load_recorded(rows, retractions)
        written[0] += len(rows)
        written[1] += len(retractions)
        rows.clear()
        retractions.clear()
        if progress:
            rate = written[0] / max(time.perf_counter() - started, 1e-9)
            print(f"\rsynth: {written[0]:,} / {evidence:,} evidence rows ({rate:,.0f}/s)", end="", file=sys.stderr)

    for record in records:
        rows.extend(record.evidence)
        retractions.extend(record.retractions)
        if len(rows) >= BATCH_ROWS:
            flush()
    if rows or retractions:
        flush()
    if progress:
        print(file=sys.stderr)
    return written[0], written[1]


def cmd_synth(args: argparse.Namespace) -> int:
    if args.pledges < 1 or args.evidence < 0:
        raise StoreError("give at least one pledge and no negative number of rows", "pledges")
    if not os.environ.get("COMMITMENTS_DB_URL") and not args.force:
        raise UsageError(
            "synth writes made-up rows: point COMMITMENTS_DB_URL at a scratch database "
            "(e.g. sqlite:///var/synth.sqlite3), not the dashboard's own (or give --force)"
        )
    store = Store.from_environment()
    try:
        store.create_schema()
        held = len(store.commitments())
        if held and not args.force:
            raise UsageError(
                f"the database already holds {held} pledge(s); synth fills a new, empty one "
                "(point COMMITMENTS_DB_URL elsewhere, or give --force to add to it)"
            )
        rows, retractions = load_synthetic(store, args.pledges, args.evidence, args.seed, progress=True)
    finally:
        store.dispose()
    print(
        f"added {args.pledges} synthetic pledges, {rows} evidence rows and {retractions} retractions (seed {args.seed})"
    )
    return 0


def register(sub: Subcommands) -> None:
    p = sub.add_parser(
        "synth",
        help="fill the store with a synthetic catalogue (scale tests; every row says 'Synthetic')",
    )
    p.add_argument("--pledges", type=int, required=True, help="how many pledges to make")
    p.add_argument("--evidence", type=int, required=True, help="how many evidence rows, corrections included")
    p.add_argument("--seed", type=int, default=0, help="the same seed always makes the same catalogue (default: 0)")
    p.add_argument(
        "--force",
        action="store_true",
        help="write into the dashboard's own database, or one that already holds pledges",
    )
    p.set_defaults(run=cmd_synth)
