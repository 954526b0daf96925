"""Index evidence rows by the row they supersede.

Every correction checks that its row has not been superseded already, and the corrections
log lists supersessions; both look rows up by `supersedes`, which had no index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_evidence_supersedes", "evidence", ["supersedes"])


def downgrade() -> None:
    op.drop_index("ix_evidence_supersedes", table_name="evidence")
