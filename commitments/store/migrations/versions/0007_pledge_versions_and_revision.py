"""Pledge versions, and one revision number for the whole store.

- `commitment_versions` keeps every definition a pledge has had (its text and its
  criteria), each with when it was recorded, so the audit view shows the criteria in force
  on a past date. `commitments.definition` stays the current one. Pledges already in the
  database get their current definition as a first version dated 1970-01-01: it is what
  the database held before it kept versions, and the audit view of any earlier date shows
  it, as it did.
- `store_state` holds the store's revision: every write transaction adds one, so every
  dashboard process sees a catalogue edit or a new row on its next run (a count of rows
  missed edits that change no count).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

BEFORE_VERSIONS = datetime(1970, 1, 1)


def upgrade() -> None:
    versions = op.create_table(
        "commitment_versions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.String(80), sa.ForeignKey("commitments.id"), nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_commitment_versions_commitment", "commitment_versions", ["commitment_id"])
    state = op.create_table(
        "store_state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger, nullable=False),
    )
    conn = op.get_bind()
    commitments = sa.table("commitments", sa.column("id", sa.String), sa.column("definition", sa.JSON))
    existing = conn.execute(sa.select(commitments.c.id, commitments.c.definition)).all()
    if existing:
        op.bulk_insert(
            versions,
            [
                {
                    "commitment_id": commitment_id,
                    "definition": definition,
                    "recorded_by": "migration 0007",
                    "recorded_at": BEFORE_VERSIONS,
                    "note": "the definition this database held before it kept versions",
                }
                for commitment_id, definition in existing
            ],
        )
    op.bulk_insert(state, [{"key": "revision", "value": 1}])


def downgrade() -> None:
    op.drop_table("store_state")
    op.drop_index("ix_commitment_versions_commitment", table_name="commitment_versions")
    op.drop_table("commitment_versions")
