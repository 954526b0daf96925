"""What every command shares: exit codes, the one-line usage error, date arguments, the view and filter options."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from commitments import config
from commitments.ledger import View
from commitments.models import Commitment
from commitments.selection import Selection
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


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--party", action="append", metavar="PARTY", help="only pledges of this committing party (repeatable)"
    )
    parser.add_argument("--theme", action="append", metavar="THEME", help="only pledges of this theme (repeatable)")


def selection_from_args(args: argparse.Namespace, commitments: Sequence[Commitment]) -> Selection:
    """The --party and --theme filters, each checked against the pledges on record."""
    chosen = {"party": tuple(args.party or ()), "theme": tuple(args.theme or ())}
    for name, values in chosen.items():
        known = sorted({getattr(c, name) for c in commitments})
        unknown = [v for v in values if v not in known]
        if unknown:
            raise UsageError(f"no pledge has {name} {unknown[0]!r} (known: {', '.join(known) or 'none'})")
    return Selection(parties=chosen["party"], themes=chosen["theme"])


def check_output(path: Path, force: bool) -> None:
    """Stop before any work when the output file exists (and --force was not given), or its folder does not."""
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; add --force to overwrite it")
    if not path.parent.is_dir():
        raise UsageError(f"{path}: there is no folder {path.parent}")


def write_output(path: Path, data: bytes, force: bool) -> None:
    """Write a file the user named: an existing one only with --force; any failure is one line."""
    try:
        with path.open("wb" if force else "xb") as out:
            out.write(data)
    except FileExistsError:
        raise UsageError(f"{path} already exists; add --force to overwrite it") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot write it ({exc.strerror or exc})") from None
