"""What every command shares: exit codes, the one-line usage error, date arguments, the view options."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from commitments import config
from commitments.ledger import View
from commitments.status import StatusRules

EXIT_BAD_INPUT = 2
EXIT_STORE = 1

# argparse's subparsers type is generic only to type checkers.
if TYPE_CHECKING:
    Subcommands: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]
else:
    Subcommands: TypeAlias = argparse._SubParsersAction


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in ISO form (YYYY-MM-DD)") from None


def view_from_args(args: argparse.Namespace) -> View:
    return View(
        as_of=args.as_of or date.today(),
        recorded_on=getattr(args, "recorded_on", None),
        rules=StatusRules(stale_after_days=config.stale_after_days()),
    )


def add_view_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=iso_date, help="the date to look from (default: today)")
    parser.add_argument(
        "--recorded-on",
        type=iso_date,
        help="count only what had been entered into the tool by this date (the audit view)",
    )
