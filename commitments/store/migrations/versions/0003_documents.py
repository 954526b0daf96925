"""Keep the documents that evidence rows are drawn from.

The "Suggest evidence" page stores each accepted document's text under its SHA-256, and
the rows drawn from it cite "document:<sha256>" as their source reference, so a reader
can see exactly what a row came from after the web page changes or disappears.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database made by `metadata.create_all` may hold the table already.
    if sa.inspect(op.get_bind()).has_table("documents"):
        return
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("publisher", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("published_on", sa.Date, nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("documents")
