"""`python -m commitments brief`: the one-page brief, as PDF or HTML, for a date and the changes since another."""

from __future__ import annotations

import argparse
from pathlib import Path

from commitments import config
from commitments.cli.common import (
    Subcommands,
    UsageError,
    add_selection_options,
    add_view_options,
    iso_date,
    selection_from_args,
    view_from_args,
)
from commitments.files.catalog import catalogue_title
from commitments.files.writing import check_can_write, write_files
from commitments.ledger import week_before
from commitments.store.store import open_store

FORMATS = {".pdf": "PDF", ".html": "HTML", ".htm": "HTML"}


def cmd_brief(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in FORMATS:
        raise UsageError(f"{output}: the brief is written as .pdf or .html; name a file ending in one of them")
    view = view_from_args(args)
    # pandas, plotly and WeasyPrint: only this command needs them.
    from commitments.files.brief import build_brief, html_to_pdf, render

    since = args.since or week_before(view.as_of)
    if since >= view.as_of:
        raise UsageError(f"--since ({since}) must be before --as-of ({view.as_of})")
    check_can_write(output, args.force)

    ledger = open_store().ledger()
    selection = selection_from_args(args, ledger.commitments)
    title = (
        args.title
        if args.title is not None
        else catalogue_title(Path(config.setting("COMMITMENTS_DATA_DIR")), (c.id for c in ledger.commitments))
    )
    brief = build_brief(ledger, view, since, selection, title)
    page = render(brief, "Letter" if args.paper == "letter" else "A4")
    is_pdf = FORMATS[output.suffix.lower()] == "PDF"
    write_files({output: html_to_pdf(page) if is_pdf else page.encode("utf-8")}, args.force)
    print(f"wrote {output}: {len(brief.board)} pledges, as of {view.as_of}, changes since {since}")
    if brief.chart_note:
        print(f"note: {brief.chart_note}")
    return 0


def register(sub: Subcommands) -> None:
    p = sub.add_parser("brief", help="the one-page brief (PDF or HTML): where each pledge stands, what changed")
    add_view_options(p)
    p.add_argument("--since", type=iso_date, help="list what changed after this date (default: 7 days before --as-of)")
    add_selection_options(p)
    p.add_argument("--output", "-o", required=True, metavar="FILE", help="the file to write: brief.pdf or brief.html")
    p.add_argument("--title", help="the brief's title (default: the catalogue's title)")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="paper size (default: a4)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(run=cmd_brief)
