"""Engine keys: each evidence row's source and publisher as a 64-bit number.

The status engine counts distinct sources (and, for verification, distinct publishers)
behind a stage. Reading three text columns of every row to find out which rows cite the
same source is most of the cost of deriving a board, so the store keeps the answer beside
each row: `source_key` hashes the source's key (its URL, else publisher|title, case-folded)
and `publisher_key` its publisher (else its title). Existing rows are filled in here with
the same function the store uses for new rows (commitments.evidence_row.key_hash, copied
so that this migration keeps doing what it did when it was written).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None

BATCH = 5000


def _key_hash(text: str) -> int:
    digest = hashlib.blake2b(text.casefold().encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def upgrade() -> None:
    for name in ("source_key", "publisher_key"):
        op.add_column("evidence", sa.Column(name, sa.BigInteger, nullable=False, server_default="0"))
    conn = op.get_bind()
    evidence = sa.table(
        "evidence",
        sa.column("seq", sa.Integer),
        sa.column("source_url", sa.String),
        sa.column("source_publisher", sa.String),
        sa.column("source_title", sa.String),
        sa.column("source_key", sa.BigInteger),
        sa.column("publisher_key", sa.BigInteger),
    )
    rows = conn.execute(
        sa.select(evidence.c.seq, evidence.c.source_url, evidence.c.source_publisher, evidence.c.source_title)
    ).all()
    update = (
        evidence.update()
        .where(evidence.c.seq == sa.bindparam("row"))
        .values(source_key=sa.bindparam("source"), publisher_key=sa.bindparam("publisher"))
    )
    for start in range(0, len(rows), BATCH):
        conn.execute(
            update,
            [
                {
                    "row": seq,
                    "source": _key_hash(url or f"{publisher}|{title}"),
                    "publisher": _key_hash(publisher or title),
                }
                for seq, url, publisher, title in rows[start : start + BATCH]
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("publisher_key")
        batch.drop_column("source_key")
