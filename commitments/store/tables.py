"""The store's tables, as SQLAlchemy metadata: what the newest migration builds.

`tests/test_migrations.py` fails while the migrations in `migrations/versions/` and these
tables differ. The evidence table's columns are not written out here: they come from the
evidence row's one declaration (`commitments.evidence_row`), with the types below.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.types import TypeEngine

from commitments.evidence_row import DERIVED_COLUMNS, STORED_FIELDS, FlatField
from commitments.models import (
    Attestation,
    DateCertainty,
    DatePrecision,
    Direction,
    EvidenceKind,
    QuoteKind,
    ReasonCode,
    SourceStrength,
    SpeaksFor,
)

metadata = MetaData()

# Room for each enum's longest value (and a little more), as the first migration sized them.
ENUM_LENGTHS: dict[type[Enum], int] = {
    DatePrecision: 10,
    DateCertainty: 12,
    EvidenceKind: 40,
    Direction: 10,
    Attestation: 12,
    SpeaksFor: 30,
    SourceStrength: 20,
    ReasonCode: 30,
    QuoteKind: 12,
}
# Columns added to a table that already had rows need a default the database fills in.
SERVER_DEFAULTS = {"replies_to": "", "quote_kind": "verbatim"}
# Text up to this many characters is a VARCHAR of the model's length; longer text is TEXT.
LONGEST_VARCHAR = 2000


def _sql_type(f: FlatField) -> TypeEngine[Any]:
    if isinstance(f.type, type) and issubclass(f.type, Enum):
        return String(ENUM_LENGTHS[f.type])
    if f.type is str:
        if f.max_length is not None and f.max_length <= LONGEST_VARCHAR:
            return String(f.max_length)
        return Text()
    if f.type is datetime:
        return DateTime()
    if f.type is date:
        return Date()
    if f.type is float:
        return Float()
    if f.type is bool:
        return Boolean()
    raise TypeError(f"evidence field {f.name}: no column type for {f.type!r}")


def _evidence_column(f: FlatField) -> Column[object]:
    if f.name == "id":
        return Column("id", String(f.max_length), nullable=False, unique=True)
    if f.name == "commitment_id":
        return Column("commitment_id", String(f.max_length), ForeignKey("commitments.id"), nullable=False)
    if f.type is bool:
        # Added to a table that had rows (migration 0004): the server fills them in.
        return Column(f.name, Boolean(), nullable=False, default=False, server_default=false())
    default = "" if f.type is str and not f.nullable else None
    if f.name in SERVER_DEFAULTS:
        value = SERVER_DEFAULTS[f.name]
        return Column(f.name, _sql_type(f), nullable=f.nullable, default=value, server_default=value)
    return Column(f.name, _sql_type(f), nullable=f.nullable, default=default)


commitments_table = Table(
    "commitments",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("party", String(200), nullable=False),
    Column("theme", String(80), nullable=False),
    Column("pledged_on", Date, nullable=False),
    Column("definition", JSON, nullable=False),  # the whole Commitment, as validated
    Column("position", Integer, nullable=False),  # catalogue order
)

evidence_table = Table(
    "evidence",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    *(_evidence_column(f) for f in STORED_FIELDS),
    # Engine keys (evidence_row.derived), filled in by the store on every insert (migration 0005).
    *(Column(name, BigInteger, nullable=False, server_default="0") for name in DERIVED_COLUMNS),
    Index("ix_evidence_commitment", "commitment_id"),
    Index("ix_evidence_supersedes", "supersedes"),  # migration 0002
)

retractions_table = Table(
    "retractions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    # Not unique since migration 0008: a retraction sent back by a reviewer may be followed by another.
    Column("evidence_id", String(80), ForeignKey("evidence.id"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("needs_review", Boolean, nullable=False, default=False, server_default=false()),  # migration 0008
    Index("ix_retractions_evidence", "evidence_id"),
)

# Second-person review decisions, append-only (migration 0004).
reviews_table = Table(
    "reviews",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("evidence_id", String(80), ForeignKey("evidence.id"), nullable=False),
    Column("decision", String(12), nullable=False),
    Column("comment", Text, nullable=False),
    Column("reviewer", String(200), nullable=False),
    Column("reviewed_at", DateTime, nullable=False),
    # What the decision is on: the row, or its latest retraction (migration 0008).
    Column("subject", String(12), nullable=False, default="evidence", server_default="evidence"),
    Index("ix_reviews_evidence", "evidence_id"),
)

# Documents that evidence rows were drawn from, kept verbatim (migration 0003; written by
# commitments/suggest/documents.py): id is the SHA-256 of the text, which rows cite as
# source_reference "document:<id>".
documents_table = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("text", Text, nullable=False),
    Column("title", String(200), nullable=False),
    Column("publisher", String(200), nullable=False, default=""),
    Column("url", String(2000), nullable=False, default=""),
    Column("published_on", Date, nullable=True),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
)

# Every definition each pledge has had, append-only (migration 0007): the audit view reads
# the one in force on its date. commitments.definition is always the newest.
commitment_versions_table = Table(
    "commitment_versions",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("commitment_id", String(80), ForeignKey("commitments.id"), nullable=False),
    Column("definition", JSON, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("note", Text, nullable=False),
    Index("ix_commitment_versions_commitment", "commitment_id"),
)

# Store-wide counters (migration 0007): "revision" goes up by one in every write transaction.
store_state_table = Table(
    "store_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# The deployment's rules (migration 0008), append-only: the latest row applies to every
# process that opens the database, whatever its environment says.
policies_table = Table(
    "policies",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("sign_in", Boolean, nullable=False),
    Column("recorders", Text, nullable=False),  # comma-separated, as in the settings
    Column("reviewers", Text, nullable=False),
    Column("require_review", Boolean, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("note", Text, nullable=False),
)

# Derived, not entered (migration 0009): the engine's columns of each pledge's rows, packed
# (`commitments.store.packs`), re-made in every transaction that adds rows to the pledge.
engine_packs_table = Table(
    "engine_packs",
    metadata,
    Column("commitment_id", String(80), ForeignKey("commitments.id"), primary_key=True),
    Column("row_count", Integer, nullable=False),
    Column("last_seq", BigInteger, nullable=False),  # 0: no rows
    Column("packed", LargeBinary, nullable=False),
)
