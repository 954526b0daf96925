"""The command line: `python -m commitments COMMAND ...`.

Every failure a user can cause ends in one line on stderr and exit code 2 (bad input) or
1 (the store could not be used); never a traceback. Each module here registers its
commands in `COMMANDS`, in the order `--help` lists them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, cast

from commitments.cli import briefing, db, evidence, match, policy, synth
from commitments.cli.common import EXIT_BAD_INPUT, EXIT_STORE, Subcommands, UsageError
from commitments.files.catalog import CatalogueError
from commitments.store.store import StoreError

COMMANDS: tuple[Callable[[Subcommands], None], ...] = (
    evidence.register,
    briefing.register,
    db.register,
    policy.register,
    match.register,
    synth.register,
)


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a mistake is one line (what is wrong, and where help is), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="python -m commitments",
        description="Pledges, dated evidence and explainable status. "
        "The store is COMMITMENTS_DB_URL (default: an SQLite file under var/).",
    )
    # Each command's parser is a OneLineParser too (argparse makes them of the parent's class).
    sub = cast(Subcommands, parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (UsageError, CatalogueError, ValueError) as exc:  # FileRefused, StoreError: ValueErrors too
        # StoreError and pydantic's ValidationError are ValueErrors too: all user input.
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT if not isinstance(exc, StoreError) or exc.field else EXIT_STORE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
