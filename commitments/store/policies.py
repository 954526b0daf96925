"""The deployment's policy as the database keeps it: append-only, the latest row rules.

Every process that opens the database (each dashboard, the command line, a script) reads
the same rules from here, so none can record as a reader or skip review because its own
environment says otherwise. A new database takes its first policy from the environment of
the first process that opens it; after that `python -m commitments policy set` changes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from commitments.access import AccessPolicy
from commitments.store.tables import policies_table


@dataclass(frozen=True)
class PolicyVersion:
    """One policy the database has had: the rules, who set them, when and why."""

    policy: AccessPolicy
    recorded_by: str
    recorded_at: datetime
    note: str


def _names(text: str) -> frozenset[str]:
    return frozenset(n.strip() for n in text.split(",") if n.strip())


def policy_version(row: Any) -> PolicyVersion:
    return PolicyVersion(
        policy=AccessPolicy(
            sign_in=bool(row.sign_in),
            recorders=_names(row.recorders),
            reviewers=_names(row.reviewers),
            require_review=bool(row.require_review),
        ),
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        note=row.note,
    )


def latest_policy(conn: Connection) -> PolicyVersion | None:
    row = conn.execute(select(policies_table).order_by(policies_table.c.seq.desc()).limit(1)).first()
    return policy_version(row) if row is not None else None


def insert_policy(conn: Connection, policy: AccessPolicy, recorded_by: str, note: str, at: datetime) -> PolicyVersion:
    values = {
        "sign_in": policy.sign_in,
        "recorders": ",".join(sorted(policy.recorders)),
        "reviewers": ",".join(sorted(policy.reviewers)),
        "require_review": policy.require_review,
        "recorded_by": recorded_by,
        "recorded_at": at,
        "note": note,
    }
    conn.execute(insert(policies_table).values(**values))
    return PolicyVersion(policy, recorded_by, at, note)
