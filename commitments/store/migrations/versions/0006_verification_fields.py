"""Verification you can defend: each row's source strength, reason codes, replies, quote kind.

- `source_strength`: how much the row's source can carry (official_record,
  named_investigation, sourced_report, unattributed). Rows recorded before are given the
  default a new row gets from whose word it is (models.DEFAULT_STRENGTH): an international
  body's word is its own record, the counterpart's a report naming its source, an
  independent report unattributed until someone says otherwise (by a correcting row). So no
  old row verifies a pledge on strength it was never judged to have.
- `reason_code`: why a row goes against a pledge (blocked_by_court, repealed ...), or why
  an assessment cannot conclude (unable_to_conclude, no_public_data). Empty before.
- `replies_to`: the contradiction a row answers (the committing party's right of reply).
- `quote_kind`: verbatim (every row before this revision quotes its source) or paraphrase.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None

# models.DEFAULT_STRENGTH as it was when this was written.
DEFAULT_STRENGTH = {
    "committing_party": "official_record",
    "counterpart": "sourced_report",
    "international_body": "official_record",
    "independent": "unattributed",
}


def upgrade() -> None:
    op.add_column("evidence", sa.Column("source_strength", sa.String(20), nullable=True))
    op.add_column("evidence", sa.Column("reason_code", sa.String(30), nullable=True))
    op.add_column("evidence", sa.Column("replies_to", sa.String(80), nullable=False, server_default=""))
    op.add_column("evidence", sa.Column("quote_kind", sa.String(12), nullable=False, server_default="verbatim"))
    arms = " ".join(f"WHEN '{speaker}' THEN '{strength}'" for speaker, strength in DEFAULT_STRENGTH.items())
    op.execute(f"UPDATE evidence SET source_strength = CASE speaks_for {arms} ELSE 'unattributed' END")


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        for name in ("quote_kind", "replies_to", "reason_code", "source_strength"):
            batch.drop_column(name)
