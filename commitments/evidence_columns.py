"""The evidence as the status engine reads it: one integer per row and column, nothing else.

Everything the rules compare is a number: dates are day numbers, enums their position in
the enum (`status.*_CODES`), sources and publishers 64-bit keys that the store keeps beside
each row (`evidence_row.derived`), corrections the position of the row they correct. The
store computes these in SQL (`commitments.store.reading`) once, as each row is recorded, and
keeps them packed per pledge (`commitments.store.packs`), which a read unpacks a column each
(`from_fields`);
tests and small catalogues compute the same from models (`EvidenceColumns.from_models`). The
text of a row (its id, summary, source) is read only for the rows a screen shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from commitments.evidence_row import derived
from commitments.models import DatePrecision, Evidence, EvidenceKind
from commitments.status import (
    ATTESTS_CODES,
    DIRECTION_CODES,
    NO_DAY,
    REASON_CODES,
    SPEAKS_FOR_CODES,
    STRENGTH_CODES,
    Bools,
    Ints,
    code_of,
)

EPOCH = date(1970, 1, 1)
PRECISION_CODES = tuple(DatePrecision)
KIND_CODES = tuple(EvidenceKind)
# What a missing date reads as in the integer matrix (NO_DAY does not survive every driver).
MISSING_DAY = -(2**31)

# The engine's columns, in the matrix's order, and which enum codes each (None: a plain number).
ENGINE_COLUMNS: tuple[tuple[str, tuple[object, ...] | None], ...] = (
    ("seq", None),
    ("commitment", None),  # position of the row's pledge in the store's catalogue order
    ("event", None),  # event_date as a day number
    ("precision", PRECISION_CODES),
    ("published", None),  # source_published_on as a day number, MISSING_DAY: not stated
    ("kind", KIND_CODES),
    ("direction", DIRECTION_CODES),
    ("attests", ATTESTS_CODES),
    ("speaks_for", SPEAKS_FOR_CODES),
    ("recorded", None),  # recorded_at in microseconds since the epoch
    ("needs_review", None),
    ("supersedes", None),  # seq of the row a correction supersedes, 0: none
    ("source_key", None),
    ("publisher_key", None),
    ("strength", STRENGTH_CODES),
    ("reason", REASON_CODES),
    ("replies_to", None),  # seq of the row a reply answers, 0: none
)
COLUMN = {name: i for i, (name, _) in enumerate(ENGINE_COLUMNS)}


def day_number(day: date) -> int:
    return (day - EPOCH).days


def from_day_number(number: int) -> date:
    return EPOCH + timedelta(days=int(number))


def microseconds(moment: datetime) -> int:
    """A naive UTC datetime as the `recorded` column counts time."""
    return int(np.datetime64(moment, "us").astype(np.int64))


def _period_end(days: Ints, precision: Ints) -> Ints:
    """The last day of each row's period: the day itself, the end of its month, or of its year."""
    out = days.copy()
    for precision_value, unit in ((DatePrecision.MONTH, "M"), (DatePrecision.YEAR, "Y")):
        rows = np.flatnonzero(precision == PRECISION_CODES.index(precision_value))
        if len(rows):
            periods = days[rows].astype("datetime64[D]").astype(f"datetime64[{unit}]")
            out[rows] = ((periods + 1).astype("datetime64[D]") - 1).astype(np.int64)
    return out


@dataclass(frozen=True)
class EvidenceColumns:
    """Every recorded row, coded for the rules, in store order. Immutable; built once per read."""

    seq: Ints  # the store's sequence number (ascending)
    commitment_codes: Ints  # position in `commitment_ids`
    commitment_ids: tuple[str, ...]
    event: Ints  # day numbers
    precision: Ints  # PRECISION_CODES
    published: Ints  # NO_DAY: not stated
    known: Ints  # done and public: the "as of" axis (EvidenceDraft.known_on)
    known_precision: Ints  # how precisely `known` is known: the event's precision, unless publication decides
    kind: Ints  # KIND_CODES
    direction: Ints  # DIRECTION_CODES
    attests: Ints  # ATTESTS_CODES
    speaks_for: Ints  # SPEAKS_FOR_CODES
    recorded: Ints  # microseconds since the epoch
    needs_review: Bools
    supersedes: Ints  # position of the row a correction supersedes, -1: none
    source_codes: Ints  # one number per distinct Source.key
    publisher_codes: Ints  # one number per distinct publisher (or title, when none is named)
    strength: Ints  # STRENGTH_CODES
    reason: Ints  # REASON_CODES
    replies_to: Ints  # position of the row a reply answers, -1: none

    @classmethod
    def from_matrix(cls, matrix: Ints, commitment_ids: Sequence[str]) -> EvidenceColumns:
        """From the store's integer matrix (ENGINE_COLUMNS, one row per evidence row, by seq)."""
        m = np.asarray(matrix, dtype=np.int64).reshape(-1, len(ENGINE_COLUMNS))
        return cls.from_fields({name: m[:, COLUMN[name]] for name, _ in ENGINE_COLUMNS}, commitment_ids)

    @classmethod
    def from_fields(cls, fields: Mapping[str, Ints], commitment_ids: Sequence[str]) -> EvidenceColumns:
        """From the same numbers a column each (every name of ENGINE_COLUMNS, rows by seq)."""

        def column(name: str) -> Ints:
            return np.ascontiguousarray(fields[name], dtype=np.int64)

        seq = column("seq")
        event = column("event")
        precision = column("precision")
        published = column("published")
        published = np.where(published == MISSING_DAY, NO_DAY, published)
        effective = _period_end(event, precision)
        known = np.where(published == NO_DAY, effective, np.maximum(effective, published))
        publication_decides = (published != NO_DAY) & (published > effective)

        def position_of(seqs: Ints) -> Ints:
            """Positions of the rows with these seqs (0: none, and not found: -1)."""
            out = np.full(len(seqs), -1, dtype=np.int64)
            named = np.flatnonzero(seqs > 0)
            if len(named):
                where = np.searchsorted(seq, seqs[named])
                found = (where < len(seq)) & (seq[np.minimum(where, len(seq) - 1)] == seqs[named])
                out[named[found]] = where[found]
            return out

        return cls(
            seq=seq,
            commitment_codes=column("commitment"),
            commitment_ids=tuple(commitment_ids),
            event=event,
            precision=precision,
            published=published,
            known=known,
            known_precision=np.where(publication_decides, PRECISION_CODES.index(DatePrecision.DAY), precision),
            kind=column("kind"),
            direction=column("direction"),
            attests=column("attests"),
            speaks_for=column("speaks_for"),
            recorded=column("recorded"),
            needs_review=column("needs_review") != 0,
            supersedes=position_of(column("supersedes")),
            source_codes=column("source_key"),
            publisher_codes=column("publisher_key"),
            strength=column("strength"),
            reason=column("reason"),
            replies_to=position_of(column("replies_to")),
        )

    @classmethod
    def from_models(cls, evidence: Sequence[Evidence], commitment_ids: Sequence[str]) -> EvidenceColumns:
        """The same columns for rows held as models (seq 1, 2, ... in this order)."""
        position = {cid: i for i, cid in enumerate(commitment_ids)}
        extra = [cid for cid in dict.fromkeys(e.commitment_id for e in evidence) if cid not in position]
        ids = [*commitment_ids, *extra]
        position.update({cid: len(commitment_ids) + i for i, cid in enumerate(extra)})
        seq_of = {e.id: i + 1 for i, e in enumerate(evidence)}
        rows = []
        for i, e in enumerate(evidence):
            keys = derived(e)
            rows.append(
                (
                    i + 1,
                    position[e.commitment_id],
                    day_number(e.event_date),
                    code_of(PRECISION_CODES, e.event_date_precision),
                    day_number(e.source.published_on) if e.source.published_on else MISSING_DAY,
                    code_of(KIND_CODES, e.kind),
                    code_of(DIRECTION_CODES, e.direction),
                    code_of(ATTESTS_CODES, e.attests),
                    code_of(SPEAKS_FOR_CODES, e.speaks_for),
                    microseconds(e.recorded_at),
                    int(e.needs_review),
                    seq_of.get(e.supersedes, 0) if e.supersedes else 0,
                    keys["source_key"],
                    keys["publisher_key"],
                    code_of(STRENGTH_CODES, e.source.strength),
                    code_of(REASON_CODES, e.reason_code),
                    seq_of.get(e.replies_to, 0) if e.replies_to else 0,
                )
            )
        matrix = np.array(rows, dtype=np.int64) if rows else np.zeros((0, len(ENGINE_COLUMNS)), dtype=np.int64)
        return cls.from_matrix(matrix, ids)

    def __len__(self) -> int:
        return len(self.seq)

    def of_pledges(self, commitment_ids: Sequence[str] | set[str]) -> Bools:
        wanted = set(commitment_ids)
        codes = [i for i, cid in enumerate(self.commitment_ids) if cid in wanted]
        found: Bools = np.isin(self.commitment_codes, codes)
        return found

    def entered_by(self, recorded_by: datetime | None) -> Bools:
        if recorded_by is None:
            return np.ones(len(self), dtype=bool)
        entered: Bools = self.recorded <= microseconds(recorded_by)
        return entered

    def positions_of_seqs(self, seqs: Sequence[int] | Ints) -> Ints:
        """Row positions of these sequence numbers (-1: not in these columns)."""
        wanted = np.asarray(seqs, dtype=np.int64)
        where = np.searchsorted(self.seq, wanted)
        clipped = np.minimum(where, max(len(self.seq) - 1, 0))
        found = (where < len(self.seq)) & (self.seq[clipped] == wanted) if len(self.seq) else np.zeros(0, bool)
        return np.where(found, where, -1).astype(np.int64)
