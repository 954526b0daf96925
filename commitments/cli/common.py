"""What every command shares: exit codes, the one-line usage error, date arguments, the view and filter options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from commitments import config
from commitments.ledger import View
from commitments.models import SHORT_TEXT_CHARS, Commitment
from commitments.selection import Selection
from commitments.status import StatusRules
from commitments.store.store import Store

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


def person(text: str) -> str:
    """A `--recorded-by`/`--by` name: what the store would keep, checked before anything is opened."""
    name = text.strip()
    if not name:
        raise argparse.ArgumentTypeError("say who you are (a name or e-mail address)")
    if len(name) > SHORT_TEXT_CHARS:
        raise argparse.ArgumentTypeError(f"at most {SHORT_TEXT_CHARS} characters (this one has {len(name):,})")
    if "\x00" in name or not name.isprintable():
        raise argparse.ArgumentTypeError("must be printable text (no control characters)")
    return name


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


def read_text_file(path: Path) -> str:
    """A UTF-8 text file's content (a BOM is dropped), or one line saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: a folder, not a file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a UTF-8 text file; save the sheet as 'CSV UTF-8'") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def file_rows(rows: Sequence[object]) -> list[int]:
    """The spreadsheet numbers of a file's data rows: the header is row 1."""
    return list(range(2, len(rows) + 2))


def say_who_writes(store: Store, identity: str) -> None:
    """One line on stderr: who this command writes as, under which of the database's rules.

    The command line cannot check that its user is who they say; it can say plainly whom it
    records and refuse (in the store) what that identity may not do.
    """
    policy = store.policy
    role = policy.role_of(identity).value
    review = "; rows wait for a second person's review" if policy.require_review else ""
    print(f"recording as {identity.strip() or '(nobody)'} ({role}){review}", file=sys.stderr)
    disagreement = store.environment_disagrees()
    if disagreement:
        print(f"note: {disagreement}", file=sys.stderr)


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
