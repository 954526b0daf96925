"""Status and evidence as DataFrames: the tables the board, the CSVs and the charts share.

One function per table, each a pure function of the models, so a page, the CLI and an
export of the same date can never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from commitments.files.evidence_csv import EVIDENCE_COLUMNS, evidence_to_row
from commitments.models import Basis, Commitment, CommitmentStatus, Evidence, Retraction, Review, ReviewDecision, Stage
from commitments.status import DEFAULT_RULES, StatusRules, board_as_of, end_of_day, latest_reviews, status_history
from commitments.status_frame import EvidenceTable

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
    "last_evidence_on",
    "days_since_pledged",
    "evidence_count",
    "claimed_sources",
    "independent_sources",
    "pledged_on",
    "due_on",
    "reasons",
)
EVIDENCE_LOG_COLUMNS = (*EVIDENCE_COLUMNS, "known_on", "record_state")
HISTORY_COLUMNS = (
    "commitment_id",
    "title",
    "on",
    "from_stage",
    "stage",
    "basis",
    "flags",
    "evidence_ids",
    "reason",
)


@dataclass(frozen=True)
class Snapshot:
    """Everything the store holds, read once and shared by every table of one request."""

    commitments: tuple[Commitment, ...]
    # A tuple, or for a big store a LazyEvidence that builds the models on first use.
    evidence: Sequence[Evidence]
    retractions: tuple[Retraction, ...]
    reviews: tuple[Review, ...] = ()
    # The same evidence as columns (Store.frame_snapshot): the board is then computed by
    # commitments.status_frame, which gives the reference engine's answers much faster.
    table: EvidenceTable | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class View:
    """Which date to look from, and on which axis."""

    as_of: date
    # When set, only what had been entered by the end of that day counts ("as recorded").
    recorded_on: date | None = None
    rules: StatusRules = DEFAULT_RULES
    # Count rows still waiting for a second person's confirmation.
    include_pending: bool = False

    @property
    def recorded_by(self) -> datetime | None:
        return end_of_day(self.recorded_on) if self.recorded_on else None


def statuses(snapshot: Snapshot, view: View) -> list[CommitmentStatus]:
    if snapshot.table is not None:
        return _statuses_from_table(snapshot, snapshot.table, view)
    return board_as_of(
        snapshot.commitments,
        snapshot.evidence,
        view.as_of,
        retractions=snapshot.retractions,
        recorded_by=view.recorded_by,
        reviews=snapshot.reviews,
        include_pending=view.include_pending,
        rules=view.rules,
    )


def board_frame(snapshot: Snapshot, view: View) -> pd.DataFrame:
    """One row per pledge on record by the view's date."""
    if snapshot.table is not None:
        return _board_frame_from_table(snapshot, snapshot.table, view)
    by_id = {c.id: c for c in snapshot.commitments}
    rows = []
    for s in statuses(snapshot, view):
        c = by_id[s.commitment_id]
        rows.append(
            {
                "id": c.id,
                "title": c.title,
                "party": c.party,
                "theme": c.theme,
                "stage": s.stage.slug,
                "basis": s.basis.value,
                "status": s.stage_label,
                "flags": ";".join(sorted(f.value for f in s.flags)),
                "stage_since": s.stage_since,
                "last_evidence_on": s.last_evidence_on,
                "days_since_pledged": (view.as_of - c.pledged_on).days,
                "evidence_count": s.evidence_count,
                "claimed_sources": s.claimed_sources,
                "independent_sources": s.independent_sources,
                "pledged_on": c.pledged_on,
                "due_on": c.due_on,
                "reasons": " | ".join(s.reasons),
            }
        )
    return pd.DataFrame(rows, columns=list(BOARD_COLUMNS))


def _statuses_from_table(snapshot: Snapshot, table: EvidenceTable, view: View) -> list[CommitmentStatus]:
    """`statuses` from columns: the same models, without building one per evidence row."""
    board = table.board(
        snapshot.commitments,
        view.as_of,
        recorded_by=view.recorded_by,
        include_pending=view.include_pending,
        rules=view.rules,
    )
    return [
        CommitmentStatus.model_validate({**{str(k): v for k, v in row.items()}, "as_of": view.as_of})
        for row in board.to_dict("records")
    ]


def _board_frame_from_table(snapshot: Snapshot, table: EvidenceTable, view: View) -> pd.DataFrame:
    """`board_frame` from columns: the same table (a test checks), without a loop over the rows."""
    status = table.board(
        snapshot.commitments,
        view.as_of,
        recorded_by=view.recorded_by,
        include_pending=view.include_pending,
        rules=view.rules,
    )
    by_id = {c.id: c for c in snapshot.commitments}
    pledges = [by_id[i] for i in status["commitment_id"]]
    stages = [Stage(s) for s in status["stage"]]
    bases = [Basis(b) for b in status["basis"]]
    return pd.DataFrame(
        {
            "id": status["commitment_id"],
            "title": [c.title for c in pledges],
            "party": [c.party for c in pledges],
            "theme": [c.theme for c in pledges],
            "stage": [s.slug for s in stages],
            "basis": [b.value for b in bases],
            "status": [
                f"{s.label} (claimed)" if s in (Stage.ANNOUNCED, Stage.IN_EFFECT) and b is Basis.CLAIMED else s.label
                for s, b in zip(stages, bases, strict=True)
            ],
            "flags": [";".join(sorted(f.value for f in flags)) for flags in status["flags"]],
            "stage_since": status["stage_since"],
            "last_evidence_on": status["last_evidence_on"],
            "days_since_pledged": [(view.as_of - c.pledged_on).days for c in pledges],
            "evidence_count": status["evidence_count"],
            "claimed_sources": status["claimed_sources"],
            "independent_sources": status["independent_sources"],
            "pledged_on": [c.pledged_on for c in pledges],
            "due_on": [c.due_on for c in pledges],
            "reasons": [" | ".join(r) for r in status["reasons"]],
        },
        columns=list(BOARD_COLUMNS),
    )


def narrowed(snapshot: Snapshot, commitment_ids: Sequence[str] | None) -> Snapshot:
    """The snapshot cut down to some pledges' evidence, built without touching the rest.

    On a big store (a column-wise snapshot) a pledge's page then validates its own few
    rows instead of every row in the store.
    """
    if commitment_ids is None or snapshot.table is None:
        return snapshot
    return Snapshot(
        snapshot.commitments, snapshot.table.models_for(commitment_ids), snapshot.retractions, snapshot.reviews
    )


def record_states(snapshot: Snapshot, recorded_by: datetime | None = None) -> dict[str, str]:
    """For every row: active, pending review, sent back, superseded (by which row) or retracted (why)."""
    rows = [e for e in snapshot.evidence if recorded_by is None or e.recorded_at <= recorded_by]
    latest = latest_reviews(snapshot.reviews, recorded_by)
    states = {}
    for e in rows:
        review = latest.get(e.id)
        if not e.needs_review:
            states[e.id] = "active"
        elif review is None:
            states[e.id] = "pending review"
        elif review.decision is ReviewDecision.RETURNED:
            states[e.id] = f"sent back: {review.comment}"
        else:
            states[e.id] = "active"
    retracted = {r.evidence_id: r for r in snapshot.retractions if recorded_by is None or r.recorded_at <= recorded_by}
    for e in rows:
        # A retracted correction no longer supersedes its row (as in status.active_evidence).
        if e.supersedes in states and e.id not in retracted:
            states[e.supersedes] = f"superseded by {e.id}"
    for evidence_id, r in retracted.items():
        if evidence_id in states:
            states[evidence_id] = f"retracted: {r.reason}"
    return states


def evidence_frame(snapshot: Snapshot, view: View, commitment_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Every row known by the view's date, newest event first, with its record state."""
    if snapshot.table is not None:
        return snapshot.table.evidence_log(view.as_of, view.recorded_by, commitment_ids)
    states = record_states(snapshot, view.recorded_by)
    wanted = set(commitment_ids) if commitment_ids is not None else None
    rows = []
    for e in snapshot.evidence:
        if e.id not in states or e.known_on > view.as_of:
            continue
        if wanted is not None and e.commitment_id not in wanted:
            continue
        rows.append({**evidence_to_row(e), "known_on": e.known_on.isoformat(), "record_state": states[e.id]})
    frame = pd.DataFrame(rows, columns=list(EVIDENCE_LOG_COLUMNS))
    return frame.sort_values(["event_date", "recorded_at"], ascending=False, kind="stable").reset_index(drop=True)


def history_frame(snapshot: Snapshot, view: View, commitment_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per change of status, for every pledge, up to the view's date."""
    if snapshot.table is not None:
        return snapshot.table.history(
            snapshot.commitments,
            view.as_of,
            recorded_by=view.recorded_by,
            include_pending=view.include_pending,
            commitment_ids=commitment_ids,
        )
    snapshot = narrowed(snapshot, commitment_ids)
    wanted = set(commitment_ids) if commitment_ids is not None else None
    by_commitment: dict[str, list[Evidence]] = {}
    for e in snapshot.evidence:
        by_commitment.setdefault(e.commitment_id, []).append(e)
    rows = []
    for c in snapshot.commitments:
        if wanted is not None and c.id not in wanted:
            continue
        for t in status_history(
            c,
            by_commitment.get(c.id, []),
            until=view.as_of,
            retractions=snapshot.retractions,
            recorded_by=view.recorded_by,
            reviews=snapshot.reviews,
            include_pending=view.include_pending,
            rules=view.rules,
        ):
            rows.append(
                {
                    "commitment_id": c.id,
                    "title": c.title,
                    "on": t.on,
                    "from_stage": t.previous_stage.slug if t.previous_stage is not None else "",
                    "stage": t.stage.slug,
                    "basis": t.basis.value,
                    "flags": ";".join(sorted(f.value for f in t.flags)),
                    "evidence_ids": ";".join(t.evidence_ids),
                    "reason": t.reason,
                }
            )
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))


CORRECTIONS_COLUMNS = (
    "on",
    "action",
    "evidence_id",
    "commitment_id",
    "summary",
    "reason",
    "by",
    "replaced_by",
)


def corrections_frame(snapshot: Snapshot) -> pd.DataFrame:
    """The public corrections log: every retraction and supersession with its reason, newest first."""
    # On a column snapshot, build models only for the rows the log is about.
    involved = snapshot.table.correction_models() if snapshot.table is not None else snapshot.evidence
    by_id = {e.id: e for e in involved}
    rows = []
    for r in snapshot.retractions:
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
