"""The deployment's policy in the database, and retractions that wait for review.

- `policies`: who may record and review, whether sign-in and review are required. The
  latest row is the rule for every process that opens the database (the dashboard, the
  command line, a script), whatever its own environment says. A database without one
  takes its first from the environment of the first process that opens it.
- `retractions.needs_review`: a retraction recorded while review is required withdraws
  nothing until someone other than its recorder confirms it; `reviews.subject` says whether
  a decision is on the row or on its retraction. A row's retraction may be followed by
  another once a reviewer has sent the first back, so `evidence_id` is no longer unique.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policies",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sign_in", sa.Boolean, nullable=False),
        sa.Column("recorders", sa.Text, nullable=False),
        sa.Column("reviewers", sa.Text, nullable=False),
        sa.Column("require_review", sa.Boolean, nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.add_column("reviews", sa.Column("subject", sa.String(12), nullable=False, server_default="evidence"))
    needs_review = sa.Column("needs_review", sa.Boolean, nullable=False, server_default=sa.false())
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a constraint, and the first schema's has no name: rebuild the
        # table from a definition without it (nothing points at retractions, so this is safe).
        without_unique = sa.Table(
            "retractions",
            sa.MetaData(),
            sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("evidence_id", sa.String(80), sa.ForeignKey("evidence.id"), nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
            sa.Column("recorded_by", sa.String(200), nullable=False),
            sa.Column("recorded_at", sa.DateTime, nullable=False),
        )
        with op.batch_alter_table("retractions", copy_from=without_unique, recreate="always") as batch:
            batch.add_column(needs_review)
    else:
        for constraint in sa.inspect(op.get_bind()).get_unique_constraints("retractions"):
            if constraint["column_names"] == ["evidence_id"]:
                op.drop_constraint(str(constraint["name"]), "retractions", type_="unique")
        op.add_column("retractions", needs_review)
    op.create_index("ix_retractions_evidence", "retractions", ["evidence_id"])


def downgrade() -> None:
    op.drop_index("ix_retractions_evidence", table_name="retractions")
    with op.batch_alter_table("retractions", recreate="always") as batch:
        batch.drop_column("needs_review")
        batch.create_unique_constraint("uq_retractions_evidence_id", ["evidence_id"])
    op.drop_column("reviews", "subject")
    op.drop_table("policies")
