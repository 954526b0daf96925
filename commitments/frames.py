"""The ledger's answers as DataFrames: the tables the pages draw and the CSVs write.

Each is `commitments.records` (the rows, in the machine format) as a DataFrame, so a page,
the command line and an export of the same view never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

from commitments import explain
from commitments.ledger import Change, Ledger, PledgeStatus, Transition, View
from commitments.models import RecordState
from commitments.records import (
    BOARD_COLUMNS,
    CORRECTIONS_COLUMNS,
    HISTORY_COLUMNS,
    board_records,
    flags_text,
    history_records,
)


def board_frame(board: Sequence[PledgeStatus]) -> pd.DataFrame:
    """One row per pledge on the board, in its order."""
    return pd.DataFrame(board_records(board), columns=list(BOARD_COLUMNS))


# What the sidebar's filters and the board's headline figures read of a board.
SELECTION_COLUMNS = ("id", "title", "party", "theme", "stage", "basis", "flags")


def selection_frame(board: Sequence[PledgeStatus]) -> pd.DataFrame:
    """`board_frame`'s SELECTION_COLUMNS alone: a page that filters and counts a team board
    need not name its ninety thousand credits to do it."""
    rows = [
        {
            "id": s.commitment.id,
            "title": s.commitment.title,
            "party": s.commitment.party,
            "theme": s.commitment.theme,
            "stage": s.stage.slug,
            "basis": s.basis.value,
            "flags": flags_text(s.flags),
        }
        for s in board
    ]
    return pd.DataFrame(rows, columns=list(SELECTION_COLUMNS))


GLANCE_COLUMNS = (
    "id",
    "Status",
    "Pledge",
    "Changed",
    "Last evidence",
    "Verified by",
    "Why",
    "Flags",
    "Independent",
    "Claimed",
    "Party",
    "Theme",
    "Days pledged",
)


def glance_frame(board: Sequence[PledgeStatus], changes: Sequence[Change]) -> pd.DataFrame:
    """The board as a reader scans it, in words: status first, what changed, the latest
    evidence at the precision it is known, who verified it (publishers), why, and the rest.

    `changes` (Ledger.changes) fill the Changed column; a pledge with no change there is "".
    """
    changed = {c.commitment_id: c.summary for c in changes}
    rows = [
        {
            "id": s.commitment_id,
            "Status": s.label,
            "Pledge": s.commitment.title,
            "Changed": changed.get(s.commitment_id, ""),
            "Last evidence": explain.date_text(s.last_evidence_on, s.last_evidence_precision),
            "Verified by": s.verifiers,
            "Why": s.why,
            "Flags": sorted(f.value for f in s.flags),
            "Independent": s.independent_sources,
            "Claimed": s.claimed_sources,
            "Party": s.commitment.party,
            "Theme": s.commitment.theme.replace("-", " "),
            "Days pledged": (s.as_of - s.commitment.pledged_on).days,
        }
        for s in board
    ]
    return pd.DataFrame(rows, columns=list(GLANCE_COLUMNS))


def history_frame(history: Sequence[Transition]) -> pd.DataFrame:
    """One row per change of status."""
    return pd.DataFrame(history_records(history), columns=list(HISTORY_COLUMNS))


def evidence_frame(
    ledger: Ledger,
    view: View,
    commitment_ids: Iterable[str] | None = None,
    known_by: date | None = None,
    evidence_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The evidence log (`Ledger.evidence_log_table`): text columns in LOG_COLUMNS, one row each."""
    frame: pd.DataFrame = ledger.evidence_log_table(view, commitment_ids, known_by, evidence_ids).to_pandas()
    return frame


def corrections_frame(ledger: Ledger) -> pd.DataFrame:
    """The public corrections log: every retraction and supersession with its reason, newest first."""
    involved = ledger.evidence(evidence_ids=ledger.correction_ids())
    by_id = {e.id: e for e in involved}
    rows = []
    for r in ledger.retractions:
        withdrawn = by_id.get(r.evidence_id)
        rows.append(
            {
                "on": r.recorded_at,
                "action": "retracted",
                "evidence_id": r.evidence_id,
                "commitment_id": withdrawn.commitment_id if withdrawn else "",
                "summary": withdrawn.summary if withdrawn else "",
                "reason": r.reason,
                "by": r.recorded_by,
                "replaced_by": "",
            }
        )
    for e in involved:
        if not e.supersedes:
            continue
        old = by_id.get(e.supersedes)
        rows.append(
            {
                "on": e.recorded_at,
                "action": "superseded",
                "evidence_id": e.supersedes,
                "commitment_id": e.commitment_id,
                "summary": old.summary if old else "",
                "reason": e.correction_reason,
                "by": e.recorded_by,
                "replaced_by": e.id,
            }
        )
    frame = pd.DataFrame(rows, columns=list(CORRECTIONS_COLUMNS))
    return frame.sort_values("on", ascending=False, kind="stable").reset_index(drop=True)


def counts_as(state: object) -> bool:
    """Whether a log row's record_state is one that counts."""
    return str(state) == RecordState.ACTIVE.value
