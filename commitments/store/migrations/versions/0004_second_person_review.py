"""Second-person review: rows recorded under review, and reviewers' decisions.

`evidence.needs_review` is set once, when a row is recorded while the deployment requires
review (existing rows were recorded without it: false). `reviews` is append-only: each
confirmation or sending-back is a new row with who decided, when and why.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite allows it with a default): a batch rebuild of `evidence`
    # would drop the table that retractions and reviews point at.
    op.add_column("evidence", sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "reviews",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("evidence_id", sa.String(80), sa.ForeignKey("evidence.id"), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("reviewer", sa.String(200), nullable=False),
        sa.Column("reviewed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reviews_evidence", "reviews", ["evidence_id"])


def downgrade() -> None:
    op.drop_index("ix_reviews_evidence", table_name="reviews")
    op.drop_table("reviews")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("needs_review")
