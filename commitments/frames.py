"""The ledger's answers as DataFrames: the tables the pages draw and the CSVs write.

Each is `commitments.records` (the rows, in the machine format) as a DataFrame, so a page,
the command line and an export of the same view never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from commitments.ledger import LOG_COLUMNS, Ledger, PledgeStatus, Transition, View
from commitments.models import RecordState
from commitments.records import BOARD_COLUMNS, CORRECTIONS_COLUMNS, HISTORY_COLUMNS, board_records, history_records


def board_frame(board: Sequence[PledgeStatus]) -> pd.DataFrame:
    """One row per pledge on the board, in its order."""
    return pd.DataFrame(board_records(board), columns=list(BOARD_COLUMNS))


def history_frame(history: Sequence[Transition]) -> pd.DataFrame:
    """One row per change of status."""
    return pd.DataFrame(history_records(history), columns=list(HISTORY_COLUMNS))


def log_frame(log: Sequence[dict[str, str]]) -> pd.DataFrame:
    """The evidence log (`Ledger.evidence_log`): text columns in LOG_COLUMNS, one row each."""
    return pd.DataFrame(list(log), columns=list(LOG_COLUMNS), dtype=object)


def evidence_frame(ledger: Ledger, view: View, commitment_ids: Sequence[str] | None = None) -> pd.DataFrame:
    return log_frame(ledger.evidence_log(view, commitment_ids))


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
