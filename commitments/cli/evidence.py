"""The catalogue and evidence commands: validate, status, export, import-evidence, retract."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from commitments import config
from commitments.cli.common import (
    Subcommands,
    UsageError,
    add_selection_options,
    add_view_options,
    file_rows,
    iso_date,
    person,
    read_text_file,
    say_who_writes,
    selection_from_args,
    view_from_args,
)
from commitments.files.catalog import catalogue_title, load_catalogue
from commitments.files.evidence_csv import EvidenceFileError, parse_drafts, write_rows
from commitments.records import (
    BOARD_COLUMNS,
    CHANGES_COLUMNS,
    board_json,
    board_records,
    board_table,
    changes_json,
    changes_records,
    changes_table,
)
from commitments.store.store import StoreError, open_store


def cmd_validate(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(Path(args.data_dir))
    print(f"ok: {len(catalogue.commitments)} pledges, {len(catalogue.evidence)} evidence rows in {args.data_dir}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    store = open_store()
    board = store.ledger().board(view_from_args(args))
    if args.format == "csv":
        sys.stdout.write(write_rows(board_records(board), BOARD_COLUMNS))
    elif args.format == "json":
        print(json.dumps(board_json(board), indent=2, ensure_ascii=False))
    else:
        print(board_table(board))
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    view = view_from_args(args)
    if args.since >= view.as_of:
        raise UsageError(f"--since ({args.since}) must be before --as-of ({view.as_of})")
    changes = open_store().ledger().changes(args.since, view, by_recording=args.by_recording)
    if args.format == "csv":
        sys.stdout.write(write_rows(changes_records(changes), CHANGES_COLUMNS))
    elif args.format == "json":
        print(json.dumps(changes_json(changes), indent=2, ensure_ascii=False))
    else:
        print(changes_table(changes))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    # pandas and XlsxWriter: only for the commands that write files.
    from commitments.files.export import export_all, export_file_name
    from commitments.files.writing import prepare_folder, write_files

    view = view_from_args(args)
    if args.since is not None and args.format != "xlsx":
        raise UsageError("--since is for --format xlsx (the workbook's Changes sheet)")
    if args.since is not None and args.since >= view.as_of:
        raise UsageError(f"--since ({args.since}) must be before --as-of ({view.as_of})")
    directory = Path(args.directory)
    ledger = open_store().ledger()
    selection = selection_from_args(args, ledger.commitments)
    ids = None if selection.is_everything else [s.commitment_id for s in selection.of(ledger.board(view))]
    suffix = "" if selection.is_everything else "-filtered"
    if args.format == "csv":
        written = export_all(ledger, view, directory, ids, suffix, force=args.force)
    else:
        from commitments.files.workbook import workbook_bytes

        prepare_folder(directory)
        title = catalogue_title(Path(config.setting("COMMITMENTS_DATA_DIR")), (c.id for c in ledger.commitments))
        path = directory / export_file_name("workbook" + suffix, view, "xlsx")
        written = write_files({path: workbook_bytes(ledger, view, args.since, selection, title)}, args.force)
    for path in written:
        print(path)
    return 0


def cmd_import_evidence(args: argparse.Namespace) -> int:
    path = Path(args.file)
    text = read_text_file(path)
    store = open_store()
    say_who_writes(store, args.recorded_by)
    try:
        drafts = parse_drafts(text, [c.id for c in store.commitments()])
        recording = store.add_many(drafts, args.recorded_by, row_numbers=file_rows(drafts))
    except (EvidenceFileError, StoreError) as exc:
        problems = exc.errors if isinstance(exc, EvidenceFileError) else exc.problems
        if not problems:
            raise
        for problem in problems:
            print(f"{path}: {problem}", file=sys.stderr)
        raise UsageError(f"{path}: nothing imported, {len(problems)} problem(s)") from None
    repeated = len(recording.repeated)
    print(f"{path}: recorded {len(recording.new)} new row(s)" + (f", {repeated} already on record" if repeated else ""))
    numbers = dict(zip((e.id for e in recording.rows), file_rows(drafts), strict=True))
    for row in recording.new:
        print(f"  row {numbers[row.id]}: {row.id}  {row.summary[:70]}")
    return 0


def cmd_retract(args: argparse.Namespace) -> int:
    store = open_store()
    say_who_writes(store, args.recorded_by)
    retraction = store.retract(args.evidence_id, args.reason, recorded_by=args.recorded_by)
    if retraction.needs_review:
        print(f"retraction of {args.evidence_id} recorded; it withdraws the row once someone else confirms it")
    else:
        print(f"retracted {args.evidence_id}")
    return 0


def register(sub: Subcommands) -> None:
    p = sub.add_parser("validate", help="check the catalogue and seed evidence in data/")
    p.add_argument(
        "--data-dir", default=config.setting("COMMITMENTS_DATA_DIR"), help="folder to check (default: data/)"
    )
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("status", help="the status of every pledge on a date")
    add_view_options(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (default: table)")
    p.set_defaults(run=cmd_status)

    p = sub.add_parser("changes", help="what changed between two dates: status before and after, and why")
    p.add_argument("--since", type=iso_date, required=True, help="the earlier date (YYYY-MM-DD)")
    add_view_options(p)
    p.add_argument(
        "--by-recording",
        action="store_true",
        help="what the team learned: compare what had been recorded by --since with what is recorded by --as-of",
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table", help="output format (default: table)")
    p.set_defaults(run=cmd_changes)

    p = sub.add_parser("export", help="write the three CSV summaries (or one Excel workbook) into DIR")
    p.add_argument("directory", metavar="DIR", help="folder to write into (created if missing)")
    add_view_options(p)
    add_selection_options(p)
    p.add_argument(
        "--format",
        choices=["csv", "xlsx"],
        default="csv",
        help="csv: the three machine-format files the import reads (default); xlsx: one workbook, in words",
    )
    p.add_argument(
        "--since", type=iso_date, help="with --format xlsx: add a Changes sheet of what changed after this date"
    )
    p.add_argument("--force", action="store_true", help="replace files of the same names already in DIR")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("import-evidence", help="add the rows of an evidence-log CSV: all or nothing")
    p.add_argument("file", metavar="FILE.csv", help="a CSV in the columns of the evidence-log export")
    p.add_argument("--recorded-by", type=person, required=True, help="who is recording these rows (your name)")
    p.set_defaults(run=cmd_import_evidence)

    p = sub.add_parser("retract", help="withdraw an evidence row, with a reason (it stays on record)")
    p.add_argument("evidence_id", metavar="EVIDENCE_ID")
    p.add_argument("--reason", required=True, help="why the row is withdrawn")
    p.add_argument("--recorded-by", type=person, required=True, help="who is retracting it (your name)")
    p.set_defaults(run=cmd_retract)
