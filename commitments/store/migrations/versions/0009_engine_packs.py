"""The engine's columns of each pledge's evidence, packed beside the rows (`commitments.store.packs`).

Derived data: made here from the rows already recorded, then re-made for a pledge in every
transaction that adds rows to it, so that a ledger reads ten thousand blobs, not a million
rows. `python -m commitments db rebuild` makes them again from the evidence.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision: str | None = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "engine_packs",
        sa.Column("commitment_id", sa.String(80), sa.ForeignKey("commitments.id"), primary_key=True),
        sa.Column("row_count", sa.Integer, nullable=False),
        sa.Column("last_seq", sa.BigInteger, nullable=False),
        sa.Column("packed", sa.LargeBinary, nullable=False),
    )
    # The code that reads them makes them: one definition of what a pack holds.
    from commitments.store.packs import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_table("engine_packs")
