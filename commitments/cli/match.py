"""`python -m commitments match`: a document on stdin in, proposed evidence rows out (JSON).

    python -m commitments match --published 2024-08-06 --source-publisher "Department of State" < release.txt
    python -m commitments match < undated.txt   # no publication date: relative dates stay unresolved

Prints a JSON array of proposals, best first; each has at least `commitment_id`,
`score`, `event_date` (ISO date or null), `text` (the sentence) and `matched_terms`.
It reads the catalogue in `data/` and writes nothing: proposals become evidence only
when an analyst accepts them on the "Suggest evidence" page.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from commitments import config
from commitments.cli.common import Subcommands
from commitments.files.catalog import load_catalogue

# As the Suggest page: a press release or a report, not a book.
MAX_CHARACTERS = 2 * 1024 * 1024


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in ISO form (YYYY-MM-DD)") from None


def _top(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def cmd_match(args: argparse.Namespace) -> int:
    # The matcher's libraries load only for this command: every other one starts faster.
    from commitments.suggest.matching import propose
    from commitments.suggest.sentences import html_to_text

    text = sys.stdin.read(MAX_CHARACTERS + 1)
    if len(text) > MAX_CHARACTERS:
        raise ValueError(f"stdin: longer than {MAX_CHARACTERS:,} characters; split the document into parts")
    if args.html or text.lstrip().startswith("<"):
        text = html_to_text(text)
    if not text.strip():
        raise ValueError("stdin: no text to read; pipe the document in, e.g. `... match --published DATE < doc.txt`")
    catalogue = load_catalogue(Path(args.data_dir))
    proposals = propose(text, args.published, catalogue.commitments, publisher=args.source_publisher, top=args.top)
    print(json.dumps([p.model_dump(mode="json") for p in proposals], indent=2, ensure_ascii=False))
    return 0


def register(sub: Subcommands) -> None:
    p = sub.add_parser("match", help="propose evidence rows for a document read from stdin (JSON out; writes nothing)")
    p.add_argument(
        "--published",
        type=_iso_date,
        default=None,
        help="the document's publication date (YYYY-MM-DD); optional: without it, dates the text states in full "
        "are still read, relative ones ('last week', 'on August 5') stay unresolved (event_date null) and "
        "each proposal's date_note says so",
    )
    p.add_argument(
        "--source-publisher",
        default="",
        help="who published it (e.g. 'Department of State', 'Xinhua'): decides whose word a row rests on",
    )
    p.add_argument("--top", type=_top, default=3, help="at most this many pledges per sentence (default: 3)")
    p.add_argument("--html", action="store_true", help="the input is HTML (detected when it starts with '<')")
    p.add_argument(
        "--data-dir", default=config.setting("COMMITMENTS_DATA_DIR"), help="catalogue folder (default: data/)"
    )
    p.set_defaults(run=cmd_match)
