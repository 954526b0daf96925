"""The command line: `python -m commitments COMMAND ...`.

Every failure a user can cause ends in one line on stderr and exit code 2 (bad input) or
1 (the store could not be used); never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from commitments import config
from commitments.catalog import CatalogueError, load_catalogue
from commitments.evidence_csv import EvidenceFileError, parse_drafts
from commitments.export import export_all, frame_to_csv
from commitments.matching_cli import register as register_match
from commitments.status import StatusRules
from commitments.store import StoreError, open_store
from commitments.summaries import View, board_frame
from commitments.synth_command import register as register_synth

EXIT_BAD_INPUT = 2
EXIT_STORE = 1


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in ISO form (YYYY-MM-DD)") from None


def _view(args: argparse.Namespace) -> View:
    return View(
        as_of=args.as_of or date.today(),
        recorded_on=getattr(args, "recorded_on", None),
        rules=StatusRules(stale_after_days=config.stale_after_days()),
    )


def cmd_validate(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(Path(args.data_dir))
    print(f"ok: {len(catalogue.commitments)} pledges, {len(catalogue.evidence)} evidence rows in {args.data_dir}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    store = open_store()
    frame = board_frame(store.snapshot(), _view(args))
    if args.format == "csv":
        sys.stdout.write(frame_to_csv(frame))
    elif args.format == "json":
        print(frame.to_json(orient="records", date_format="iso", indent=2))
    else:
        columns = ["id", "status", "flags", "stage_since", "last_evidence_on", "independent_sources"]
        print(frame[columns].to_string(index=False))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = open_store()
    for path in export_all(store.snapshot(), _view(args), Path(args.directory)):
        print(path)
    return 0


def cmd_import_evidence(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not a UTF-8 text file; save the sheet as 'CSV UTF-8'") from None
    store = open_store()
    try:
        drafts = parse_drafts(text, [c.id for c in store.commitments()])
    except EvidenceFileError as exc:
        for error in exc.errors:
            print(f"{path}: {error}", file=sys.stderr)
        raise UsageError(f"{path}: nothing imported, {len(exc.errors)} problem(s)") from None
    rows = store.add_many(drafts, recorded_by=args.recorded_by)
    print(f"imported {len(rows)} row(s) from {path}")
    return 0


def cmd_retract(args: argparse.Namespace) -> int:
    store = open_store()
    store.retract(args.evidence_id, args.reason, recorded_by=args.recorded_by)
    print(f"retracted {args.evidence_id}")
    return 0


def _add_view_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=iso_date, help="the date to look from (default: today)")
    parser.add_argument(
        "--recorded-on",
        type=iso_date,
        help="count only what had been entered into the tool by this date (the audit view)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m commitments",
        description="Pledges, dated evidence and explainable status. "
        "The store is COMMITMENTS_DB_URL (default: an SQLite file under var/).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the catalogue and seed evidence in data/")
    p.add_argument(
        "--data-dir", default=config.setting("COMMITMENTS_DATA_DIR"), help="folder to check (default: data/)"
    )
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("status", help="the status of every pledge on a date")
    _add_view_options(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (default: table)")
    p.set_defaults(run=cmd_status)

    p = sub.add_parser("export", help="write the three CSV summaries into DIR")
    p.add_argument("directory", metavar="DIR", help="folder to write into (created if missing)")
    _add_view_options(p)
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("import-evidence", help="add the rows of an evidence-log CSV: all or nothing")
    p.add_argument("file", metavar="FILE.csv", help="a CSV in the columns of the evidence-log export")
    p.add_argument("--recorded-by", required=True, help="who is recording these rows (your name)")
    p.set_defaults(run=cmd_import_evidence)

    p = sub.add_parser("retract", help="withdraw an evidence row, with a reason (it stays on record)")
    p.add_argument("evidence_id", metavar="EVIDENCE_ID")
    p.add_argument("--reason", required=True, help="why the row is withdrawn")
    p.add_argument("--recorded-by", required=True, help="who is retracting it (your name)")
    p.set_defaults(run=cmd_retract)

    import commitments.migrate  # noqa: F401  (registers `db`)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


# Commands that live beside the feature they drive register themselves here.
EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = [
    register_synth,
    register_match,
]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (UsageError, CatalogueError, ValueError) as exc:
        # StoreError and pydantic's ValidationError are ValueErrors too: all user input.
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(f"error: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT if not isinstance(exc, StoreError) or exc.field else EXIT_STORE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
