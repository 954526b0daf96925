"""The ledger's answers as plain rows in the machine format: what the CSVs, the JSON and the frames hold.

Plain dicts, no pandas: the command line prints a board of a thousand pledges without
importing it. `commitments.frames` makes DataFrames of the same rows for the pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from commitments import explain
from commitments.ledger import Change, PledgeStatus, Transition

BOARD_COLUMNS = (
    "id",
    "title",
    "party",
    "theme",
    "stage",
    "basis",
    "status",
    "flags",
    "stage_since",
    "stage_since_text",
    "last_evidence_on",
    "last_evidence_text",
    "days_since_pledged",
    "evidence_count",
    "claimed_sources",
    "independent_sources",
    "verified_by",
    "reported_by",
    "missing",
    "pledged_on",
    "due_on",
    "why",
    "reasons",
)
HISTORY_COLUMNS = (
    "commitment_id",
    "title",
    "on",
    "from_stage",
    "from_basis",
    "stage",
    "basis",
    "flags",
    "evidence_ids",
    "reason",
)
CORRECTIONS_COLUMNS = ("on", "action", "evidence_id", "commitment_id", "summary", "reason", "by", "replaced_by")


def flags_text(flags: frozenset[object]) -> str:
    return ";".join(sorted(str(getattr(f, "value", f)) for f in flags))


def board_records(board: Sequence[PledgeStatus]) -> list[dict[str, Any]]:
    """One row per pledge on the board, in its order, in BOARD_COLUMNS."""
    rows = []
    for s in board:
        c = s.commitment
        rows.append(
            {
                "id": c.id,
                "title": c.title,
                "party": c.party,
                "theme": c.theme,
                "stage": s.stage.slug,
                "basis": s.basis.value,
                "status": s.label,
                "flags": flags_text(s.flags),
                "stage_since": s.stage_since,
                "stage_since_text": explain.date_text(s.stage_since, s.stage_since_precision),
                "last_evidence_on": s.last_evidence_on,
                "last_evidence_text": explain.date_text(s.last_evidence_on, s.last_evidence_precision),
                "days_since_pledged": (s.as_of - c.pledged_on).days,
                "evidence_count": s.evidence_count,
                "claimed_sources": s.claimed_sources,
                "independent_sources": s.independent_sources,
                "verified_by": "; ".join(credit.cited for credit in s.verified_by),
                "reported_by": "; ".join(credit.cited for credit in s.reported_by),
                "missing": s.missing,
                "pledged_on": c.pledged_on,
                "due_on": c.due_on,
                "why": s.why,
                "reasons": " | ".join(s.reasons),
            }
        )
    return rows


def history_records(history: Sequence[Transition]) -> list[dict[str, Any]]:
    """One row per change of status, in HISTORY_COLUMNS."""
    return [
        {
            "commitment_id": t.commitment_id,
            "title": t.commitment.title,
            "on": t.on,
            "from_stage": t.previous[0].slug if t.previous else "",
            "from_basis": t.previous[1].value if t.previous else "",
            "stage": t.stage.slug,
            "basis": t.basis.value,
            "flags": flags_text(t.flags),
            "evidence_ids": ";".join(t.evidence_ids),
            "reason": t.reason,
        }
        for t in history
    ]


def board_json(board: Sequence[PledgeStatus]) -> list[dict[str, Any]]:
    """The board as JSON-ready objects: dates as ISO dates, flags and verifiers as lists."""
    out = []
    for s, row in zip(board, board_records(board), strict=True):
        record: dict[str, Any] = {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items() if k not in ("flags", "reasons")
        }
        record["flags"] = sorted(f.value for f in s.flags)
        record["reasons"] = list(s.reasons)
        record["criteria"] = s.commitment.criteria.model_dump() if s.commitment.criteria else None
        for name, credits in (("verified_by", s.verified_by), ("reported_by", s.reported_by)):
            record[name] = [
                {
                    "title": credit.title,
                    "publisher": credit.publisher,
                    "strength": credit.strength.value,
                    "url": credit.url,
                    "speaks_for": credit.speaks_for.value,
                    "known_on": credit.known_on.isoformat(),
                    "evidence_id": credit.evidence_id,
                }
                for credit in credits
            ]
        out.append(record)
    return out


TABLE_COLUMNS = (
    ("id", "pledge"),
    ("status", "status"),
    ("flags", "flags"),
    ("stage_since_text", "since"),
    ("last_evidence_text", "last evidence"),
    ("independent_sources", "independent"),
)


def board_table(board: Sequence[PledgeStatus]) -> str:
    """The board as a plain-text table for a terminal: one line per pledge, "—" for nothing."""
    rows = [
        [str(r[key]) if r[key] not in ("", None) else "—" for key, _ in TABLE_COLUMNS] for r in board_records(board)
    ]
    header = [label for _, label in TABLE_COLUMNS]
    if not rows:
        return "no pledges on record by this date"
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in [header, *rows]
    ]
    return "\n".join(lines)


CHANGES_COLUMNS = (
    "commitment_id",
    "title",
    "since",
    "before",
    "after",
    "status_changed",
    "steps",
    "evidence_ids",
    "new_evidence_ids",
    "correction_ids",
    "why",
)


def changes_records(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """One row per pledge that changed (or gained evidence) between two dates, in CHANGES_COLUMNS."""
    return [
        {
            "commitment_id": c.commitment_id,
            "title": c.commitment.title,
            "since": c.since,
            "before": c.before.label if c.before else "not yet pledged",
            "after": c.after.label,
            "status_changed": c.status_changed,
            "steps": " | ".join(explain.step_text(t.on, t.reason) for t in c.transitions),
            "evidence_ids": ";".join(c.evidence_ids),
            "new_evidence_ids": ";".join(c.new_evidence_ids),
            "correction_ids": ";".join(c.correction_ids),
            "why": c.after.why,
        }
        for c in changes
    ]


def changes_json(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The changes as JSON-ready objects: ids as lists, dates as ISO dates, each step with its rows."""
    return [
        {
            "commitment_id": c.commitment_id,
            "title": c.commitment.title,
            "since": c.since.isoformat(),
            "as_of": c.after.as_of.isoformat(),
            "before": c.before.label if c.before else None,
            "after": c.after.label,
            "before_flags": sorted(f.value for f in c.before.flags) if c.before else [],
            "after_flags": sorted(f.value for f in c.after.flags),
            "status_changed": c.status_changed,
            "evidence_ids": list(c.evidence_ids),
            "steps": [
                {"on": t.on.isoformat(), "status": t.label, "reason": t.reason, "evidence_ids": list(t.evidence_ids)}
                for t in c.transitions
            ],
            "new_evidence_ids": list(c.new_evidence_ids),
            "correction_ids": list(c.correction_ids),
        }
        for c in changes
    ]


CHANGES_TABLE = (("commitment_id", "pledge"), ("before", "before"), ("after", "after"), ("evidence_ids", "rows"))


def changes_table(changes: Sequence[Change]) -> str:
    """The changes of status as a plain-text table (pledges that only gained evidence are left out)."""
    records = [r for r in changes_records(changes) if r["status_changed"]]
    if not records:
        return "no status changed between these dates"
    rows = [[str(r[key]) or "—" for key, _ in CHANGES_TABLE] for r in records]
    header = [label for _, label in CHANGES_TABLE]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) for line in [header, *rows])
    return "\n".join(line.rstrip() for line in lines)
