"""The first schema: pledges, append-only evidence and retractions.

Exactly what `metadata.create_all` made before migrations existed, so such a database is
stamped with this revision rather than rebuilt.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("party", sa.String(200), nullable=False),
        sa.Column("theme", sa.String(80), nullable=False),
        sa.Column("pledged_on", sa.Date, nullable=False),
        sa.Column("definition", sa.JSON, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_table(
        "evidence",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("commitment_id", sa.String(80), sa.ForeignKey("commitments.id"), nullable=False),
        sa.Column("event_date", sa.Date, nullable=False),
        sa.Column("event_date_precision", sa.String(10), nullable=False),
        sa.Column("event_date_certainty", sa.String(12), nullable=False),
        sa.Column("date_note", sa.Text, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("attests", sa.String(12), nullable=True),
        sa.Column("speaks_for", sa.String(30), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("source_title", sa.String(200), nullable=False),
        sa.Column("source_publisher", sa.String(200), nullable=False),
        sa.Column("source_url", sa.String(2000), nullable=False),
        sa.Column("source_published_on", sa.Date, nullable=True),
        sa.Column("source_reference", sa.String(200), nullable=False),
        sa.Column("value", sa.Float, nullable=True),
        sa.Column("supersedes", sa.String(80), nullable=False),
        sa.Column("correction_reason", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("id"),
    )
    op.create_index("ix_evidence_commitment", "evidence", ["commitment_id"])
    op.create_table(
        "retractions",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("evidence_id", sa.String(80), sa.ForeignKey("evidence.id"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("evidence_id"),
    )


def downgrade() -> None:
    op.drop_table("retractions")
    op.drop_index("ix_evidence_commitment", table_name="evidence")
    op.drop_table("evidence")
    op.drop_table("commitments")
