"""Check match_eval_real.csv (the labelled set of real passages) and print its counts.

    python bench/validate_match_eval_real.py [--csv bench/match_eval_real.csv] [--catalogue data/catalogue.toml]

Checks: the header; passage ids; one split per source (URL) and per passage; commitment ids
(the catalogue's); a passage with no pledge has exactly one
row; no duplicate (passage, pledge); event dates are ISO dates whose precision is day, month
(stored as the 1st) or year (stored as 1 January), empty together with their precision;
date_text, when given, is found in the passage as worded; published_on parses (leniently) or
is empty, and every source with an empty one says so in its note. Exits 1 on any error.
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
import tomllib
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = [
    "passage_id",
    "split",
    "source_url",
    "source_title",
    "source_publisher",
    "published_on",
    "passage",
    "commitment_id",
    "date_text",
    "event_date",
    "event_date_precision",
    "note",
]
PUBLISHED_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d",
    "%Y%m%d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A, %B %d, %Y",
    "%A, %d %B %Y",
    "%m/%d/%y",
    "%d.%m.%Y",
    "%Y-%m",
    "%Y/%m",
    "%Y",
    "%B %Y",
    "%d %B, %Y",
    "%B %d, %Y — %I:%M %p EST",
    "%m/%d/%Y, %I:%M %p",
    "%H:%M, %B %d, %Y",
    "%m/%d/%Y %I:%M:%S %p",
    "%H:%M UTC+8, %Y-%m-%d",
    "%m/%d/%Y",
)


def parse_published(text: str) -> date | None:
    text = " ".join(text.split())
    for fmt in PUBLISHED_FORMATS:
        for candidate in (text, text.title(), re.sub(r"^(\d{2}:\d{2}) ", r"\1, ", text)):
            try:
                return datetime.strptime(candidate, fmt).date()
            except ValueError:
                pass
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv", type=Path, default=HERE / "match_eval_real.csv")
    parser.add_argument("--catalogue", type=Path, default=HERE.parent / "data" / "catalogue.toml")
    args = parser.parse_args()
    errors: list[str] = []
    catalogue_ids = {c["id"] for c in tomllib.loads(args.catalogue.read_text(encoding="utf-8"))["commitments"]}
    valid = catalogue_ids

    with args.csv.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            errors.append(f"header {reader.fieldnames} != {COLUMNS}")
        rows = list(reader)

    passages: dict[str, dict[str, str]] = {}
    labels: dict[str, list[str]] = collections.defaultdict(list)
    split_of_source: dict[str, set[str]] = collections.defaultdict(set)
    for n, row in enumerate(rows, start=2):
        where = f"line {n} ({row['passage_id']})"
        if not re.fullmatch(r"C\d{3}-\d{2}", row["passage_id"]):
            errors.append(f"{where}: bad passage_id")
        if row["split"] not in ("tune", "test"):
            errors.append(f"{where}: split {row['split']!r}")
        if not row["source_url"].startswith(("http://", "https://")):
            errors.append(f"{where}: source_url {row['source_url']!r}")
        if not row["passage"].strip() or not row["source_publisher"].strip():
            errors.append(f"{where}: empty passage or publisher")
        split_of_source[row["source_url"]].add(row["split"])
        shared = {
            k: row[k] for k in ("split", "source_url", "source_title", "source_publisher", "published_on", "passage")
        }
        if row["passage_id"] in passages and passages[row["passage_id"]] != shared:
            errors.append(f"{where}: rows of one passage disagree")
        passages.setdefault(row["passage_id"], shared)
        labels[row["passage_id"]].append(row["commitment_id"])
        cid = row["commitment_id"]
        if cid and cid not in valid:
            errors.append(f"{where}: unknown commitment_id {cid!r}")
        if row["date_text"] and row["date_text"].lower() not in row["passage"].lower():
            errors.append(f"{where}: date_text {row['date_text']!r} not in the passage")
        ed, prec = row["event_date"], row["event_date_precision"]
        if bool(ed) != bool(prec):
            errors.append(f"{where}: event_date and precision must be given together")
        if ed:
            try:
                day = date.fromisoformat(ed)
            except ValueError:
                errors.append(f"{where}: event_date {ed!r} is not an ISO date")
            else:
                if prec not in ("day", "month", "year"):
                    errors.append(f"{where}: precision {prec!r}")
                if (prec == "month" and day.day != 1) or (prec == "year" and (day.month, day.day) != (1, 1)):
                    errors.append(f"{where}: {prec} precision not stored as the period's first day")
        if not cid and (ed or row["date_text"]):
            errors.append(f"{where}: a no-pledge row carries a date")
        if not row["published_on"] and "source date:" not in row["note"]:
            errors.append(f"{where}: empty published_on without a note")
        if row["published_on"] and parse_published(row["published_on"]) is None:
            errors.append(f"{where}: published_on {row['published_on']!r} does not parse")

    for url, splits in split_of_source.items():
        if len(splits) > 1:
            errors.append(f"source in both splits: {url}")
    for pid, ids in labels.items():
        if "" in ids and len(ids) > 1:
            errors.append(f"{pid}: an empty commitment_id next to other labels")
        if len(ids) != len(set(ids)):
            errors.append(f"{pid}: duplicate commitment_id")

    # ---- counts
    def summary(split: str | None) -> None:
        pids = [p for p, v in passages.items() if split is None or v["split"] == split]
        sources = {passages[p]["source_url"] for p in pids}
        neg = [p for p in pids if labels[p] == [""]]
        pos_rows = [(p, c) for p in pids for c in labels[p] if c]
        per = collections.Counter(c for _, c in pos_rows)
        dated = sum(1 for r in rows if r["passage_id"] in set(pids) and r["event_date"])
        name = split or "all"
        print(
            f"[{name}] sources {len(sources)}, passages {len(pids)}, positive passages {len(pids) - len(neg)}, "
            f"negative passages {len(neg)} ({len(neg) / len(pids):.0%}), positive rows {len(pos_rows)} "
            f"(with event_date {dated})"
        )
        if split is None:
            return
        for cid in sorted(valid):
            print(f"    {per.get(cid, 0):3d}  {cid}")

    summary(None)
    summary("tune")
    summary("test")
    n_sources = len(split_of_source)
    n_neg = sum(1 for ids in labels.values() if ids == [""])
    if len(passages) < 130:
        errors.append(f"only {len(passages)} passages (< 130)")
    if n_sources < 32:
        errors.append(f"only {n_sources} sources (< 32)")
    if n_neg / len(passages) < 0.35:
        errors.append(f"negatives {n_neg / len(passages):.2f} < 0.35")
    unparsed_empty = sorted({v["source_url"] for v in passages.values() if not v["published_on"]})
    print(f"sources with no published_on: {len(unparsed_empty)}")
    for line in errors:
        print("ERROR", line)
    print("OK" if not errors else f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
