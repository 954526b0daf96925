"""Persistence: pledges, append-only evidence and retractions, in any SQLAlchemy database.

SQLite (a file under `var/`) by default; PostgreSQL or anything else SQLAlchemy speaks
through `COMMITMENTS_DB_URL`. Evidence rows are only ever inserted: a correction is a new
row that names the row it supersedes, and a retraction is a row in its own table, so the
record of what was believed when is never rewritten. Every write is one transaction.

The schema is made and upgraded by the Alembic migrations in `commitments/store/migrations/`;
`metadata` below must describe what the newest migration builds (a test compares them).
Writers that collide (SQLite's single writer, PostgreSQL serialisation failures, two
processes inserting the same id) are retried a few times before the user hears of it.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import Engine, Table, create_engine, event, func, insert, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from commitments.access import AccessDenied, AccessPolicy
from commitments.config import setting
from commitments.evidence_columns import EvidenceColumns
from commitments.evidence_row import from_stored, stored
from commitments.files.catalog import Catalogue
from commitments.files.evidence_csv import validation_errors
from commitments.ledger import Ledger, PledgeVersion
from commitments.models import Commitment, Evidence, EvidenceDraft, Retraction, Review, ReviewDecision
from commitments.store.migrations import MigrationError, needs_upgrade, upgrade_to_head
from commitments.store.reading import StoreText, commitment_positions, engine_matrix
from commitments.store.tables import (
    commitment_versions_table,
    commitments_table,
    evidence_table,
    retractions_table,
    reviews_table,
    store_state_table,
)

# How often a write that collided with another writer is tried before giving up.
WRITE_ATTEMPTS = 8
# SQLSTATEs after which PostgreSQL itself says to try the transaction again.
_PG_RETRY_STATES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock not available
_UNIQUE_VIOLATION = "23505"
_WRITE_OPTION = "commitments_write"
REVISION_KEY = "revision"
# The version a pledge had before the database kept versions is dated this (migration 0007).
BEFORE_VERSIONS = datetime(1970, 1, 1)

T = TypeVar("T")


class StoreError(ValueError):
    """A write was refused; nothing was changed. `field` names what was wrong."""

    def __init__(self, message: str, field: str = ""):
        self.field = field
        super().__init__(f"{field}: {message}" if field else message)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_evidence_id() -> str:
    return f"ev-{uuid.uuid4().hex[:16]}"


def _evidence_from_row(row: Any) -> Evidence:
    return from_stored(row._mapping)


def _same_content(existing: Evidence, draft: EvidenceDraft) -> bool:
    fields = set(EvidenceDraft.model_fields) - {"id"}
    return existing.model_dump(include=fields) == draft.model_dump(include=fields)


class Store:
    """One database of pledges and evidence. Cheap to create; share one per process."""

    def __init__(self, url: str, policy: AccessPolicy | None = None):
        self.url = url
        # Who may write; enforced here so no page or script can go around it.
        self.policy = policy or AccessPolicy()
        try:
            parsed = make_url(url)
        except Exception as exc:
            raise StoreError(f"not a database URL: {url!r} ({exc})", "COMMITMENTS_DB_URL") from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict[str, Any] = {"timeout": 30} if self.is_sqlite else {}
        try:
            self.engine: Engine = create_engine(url, connect_args=connect_args, pool_pre_ping=not self.is_sqlite)
        except (ImportError, SQLAlchemyError) as exc:  # an unknown dialect or a missing driver
            raise StoreError(f"cannot use {parsed.render_as_string()!r}: {exc}", "COMMITMENTS_DB_URL") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        # Transactions begun here take SQLite's write lock at once (see _sqlite_begin).
        self._writer: Engine = self.engine.execution_options(**{_WRITE_OPTION: True})

    @classmethod
    def from_environment(cls) -> Store:
        return cls(setting("COMMITMENTS_DB_URL"), AccessPolicy.from_settings())

    # -- schema and seeding -------------------------------------------------------------

    def create_schema(self) -> None:
        """Create or upgrade the schema to the newest migration; refuse a newer database."""
        try:
            with self.engine.connect() as conn:
                if not needs_upgrade(conn):
                    return
        except MigrationError as exc:
            raise StoreError(str(exc)) from exc
        except OperationalError as exc:
            raise StoreError(f"cannot open the database at {self.engine.url!r}: {exc.orig}") from exc
        self.upgrade_schema()

    def upgrade_schema(self) -> tuple[str | None, str]:
        """Migrate to the newest schema, keeping every row: (revision before, after).

        One transaction: on PostgreSQL a failed step leaves the database as it was.
        """
        try:
            with self._writer.begin() as conn:
                return upgrade_to_head(conn)
        except MigrationError as exc:
            raise StoreError(str(exc)) from exc
        except OperationalError as exc:
            raise StoreError(f"cannot upgrade the database at {self.engine.url!r}: {exc.orig}") from exc

    def schema_revision(self) -> str | None:
        """The migration the database is at (None: never migrated, e.g. a new file)."""
        from commitments.store.migrations import current_revision

        with self.engine.connect() as conn:
            return current_revision(conn)

    def ensure_seeded(self, catalogue: Catalogue) -> int:
        """Create the schema, add catalogue pledges and seed rows the store lacks.

        Returns the number of seed evidence rows added. Safe to call from several
        processes at once: a race ends with the rows added once.
        """
        self.create_schema()
        # Every start of the dashboard and the command line comes here: look before taking
        # the write lock, which on SQLite would wait behind any writer.
        with self.engine.connect() as conn:
            if not self._catalogue_differs(conn, catalogue):
                return 0
        # If another process seeds between our read and our write, the retry finds its rows.
        return self._write(lambda conn: self._sync_catalogue(conn, catalogue))

    def _catalogue_differs(self, conn: Connection, catalogue: Catalogue) -> bool:
        existing = {
            r.id: r.definition for r in conn.execute(select(commitments_table.c.id, commitments_table.c.definition))
        }
        if any(existing.get(c.id) != json.loads(c.model_dump_json()) for c in catalogue.commitments):
            return True
        return bool(self._missing_seed_rows(conn, catalogue))

    def _missing_seed_rows(self, conn: Connection, catalogue: Catalogue) -> list[Evidence]:
        wanted = [e.id for e in catalogue.evidence]
        known: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            known |= set(conn.execute(select(evidence_table.c.id).where(evidence_table.c.id.in_(chunk))).scalars())
        return [e for e in catalogue.evidence if e.id not in known]

    def _sync_catalogue(self, conn: Connection, catalogue: Catalogue) -> int:
        existing = {
            r.id: r.definition for r in conn.execute(select(commitments_table.c.id, commitments_table.c.definition))
        }
        position = len(existing)
        for i, c in enumerate(catalogue.commitments):
            definition = json.loads(c.model_dump_json())
            values = {
                "title": c.title,
                "party": c.party,
                "theme": c.theme,
                "pledged_on": c.pledged_on,
                "definition": definition,
            }
            if c.id not in existing:
                conn.execute(insert(commitments_table).values(id=c.id, position=position + i, **values))
                _add_version(conn, c.id, definition, "the catalogue's definition", first=True)
            elif existing[c.id] != definition:
                # Pledge definitions are reviewed text in data/, not user entries; the old
                # definition stays readable as an earlier version.
                conn.execute(commitments_table.update().where(commitments_table.c.id == c.id).values(**values))
                _add_version(conn, c.id, definition, "changed in the catalogue file")
        missing = self._missing_seed_rows(conn, catalogue)
        if missing:
            conn.execute(insert(evidence_table), [stored(e) for e in missing])
        return len(missing)

    def add_commitments(self, commitments: Sequence[Commitment]) -> None:
        """Insert new pledges (e.g. a synthetic catalogue) in one transaction."""
        self._write(lambda conn: self._insert_commitments(conn, commitments))

    def _insert_commitments(self, conn: Connection, commitments: Sequence[Commitment]) -> None:
        self._insert_commitment_rows(conn, commitments)
        for c in commitments:
            _add_version(conn, c.id, json.loads(c.model_dump_json()), "added", first=True)

    def _insert_commitment_rows(self, conn: Connection, commitments: Sequence[Commitment]) -> None:
        ids = [c.id for c in commitments]
        taken = set(conn.execute(select(commitments_table.c.id).where(commitments_table.c.id.in_(ids))).scalars())
        doubled = sorted(taken | {i for i in ids if ids.count(i) > 1})
        if doubled:
            raise StoreError(f"a pledge with id '{doubled[0]}' is already recorded", "id")
        start = conn.execute(select(func.count()).select_from(commitments_table)).scalar_one()
        conn.execute(
            insert(commitments_table),
            [
                {
                    "id": c.id,
                    "title": c.title,
                    "party": c.party,
                    "theme": c.theme,
                    "pledged_on": c.pledged_on,
                    "definition": json.loads(c.model_dump_json()),
                    "position": start + i,
                }
                for i, c in enumerate(commitments)
            ],
        )

    # -- reading ------------------------------------------------------------------------

    def commitments(self) -> list[Commitment]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(commitments_table.c.definition).order_by(commitments_table.c.position))
            return [Commitment.model_validate(r.definition) for r in rows]

    def evidence(self) -> list[Evidence]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(evidence_table).order_by(evidence_table.c.seq))
            return [_evidence_from_row(r) for r in rows]

    def get_evidence(self, evidence_id: str) -> Evidence | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(evidence_table).where(evidence_table.c.id == evidence_id)).first()
            return _evidence_from_row(row) if row else None

    def retractions(self) -> list[Retraction]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(retractions_table).order_by(retractions_table.c.seq))
            return [
                Retraction(
                    evidence_id=r.evidence_id, reason=r.reason, recorded_by=r.recorded_by, recorded_at=r.recorded_at
                )
                for r in rows
            ]

    def reviews(self) -> list[Review]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(reviews_table).order_by(reviews_table.c.seq))
            return [
                Review(
                    evidence_id=r.evidence_id,
                    decision=r.decision,
                    comment=r.comment,
                    reviewer=r.reviewer,
                    reviewed_at=r.reviewed_at,
                )
                for r in rows
            ]

    def ledger(self) -> Ledger:
        """Pledges, evidence (as the engine's columns), retractions and reviews, read in one
        transaction: what every screen, export and command asks its questions of. The text
        of rows (ids, summaries, quotes) is read later, for the rows a screen shows."""
        with self.engine.connect() as conn:
            if not self.is_sqlite:
                # One snapshot of the database for every read below (SQLite's read transaction is one already).
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                commitments = [
                    Commitment.model_validate(r.definition)
                    for r in conn.execute(select(commitments_table.c.definition).order_by(commitments_table.c.position))
                ]
                versions = [
                    PledgeVersion(
                        Commitment.model_validate(r.definition), r.recorded_at, r.recorded_at == BEFORE_VERSIONS, r.note
                    )
                    for r in conn.execute(select(commitment_versions_table).order_by(commitment_versions_table.c.seq))
                ]
                retractions, retraction_seqs = _with_seqs(conn, retractions_table, _retraction)
                reviews, review_seqs = _with_seqs(conn, reviews_table, _review)
                columns = EvidenceColumns.from_matrix(engine_matrix(conn), commitment_positions(conn))
        return Ledger(
            commitments,
            columns,
            StoreText(self.engine),
            retractions,
            reviews,
            retraction_seqs,
            review_seqs,
            versions=versions,
        )

    def revision(self) -> int:
        """Goes up with every write (in this process or another on the same database): the
        key for caches in every process."""
        with self.engine.connect() as conn:
            return int(
                conn.execute(
                    select(store_state_table.c.value).where(store_state_table.c.key == REVISION_KEY)
                ).scalar_one()
            )

    # -- writing ------------------------------------------------------------------------

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction, retrying collisions with other writers.

        StoreError raised by `work` (a refusal) goes straight to the caller; so does any
        error after WRITE_ATTEMPTS collisions, as a StoreError. Nothing is half-written.
        """
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                with self._writer.begin() as conn:
                    result = work(conn)
                    # Last, so the one row every writer updates is held for the shortest time.
                    conn.execute(
                        store_state_table.update()
                        .where(store_state_table.c.key == REVISION_KEY)
                        .values(value=store_state_table.c.value + 1)
                    )
                    return result
            except (OperationalError, IntegrityError) as exc:
                # A unique-key clash is settled by one re-read; if it persists it is real.
                if not _is_collision(exc) or (isinstance(exc, IntegrityError) and attempt >= 3):
                    if isinstance(exc, IntegrityError):
                        raise StoreError(f"the database refused the rows: {exc.orig}") from exc
                    raise StoreError(f"the database could not be written: {exc.orig}") from exc
                if attempt == WRITE_ATTEMPTS:
                    raise StoreError(
                        f"the database stayed busy with other writers ({attempt} attempts); nothing was saved, "
                        "try again"
                    ) from exc
                time.sleep(min(2.0, 0.02 * 2**attempt) * random.uniform(0.5, 1.5))
            except SQLAlchemyError as exc:
                raise StoreError(f"the database could not be written: {exc}") from exc
        raise AssertionError("unreachable")

    def add_evidence(self, draft: EvidenceDraft, recorded_by: str, now: datetime | None = None) -> Evidence:
        """Record one row. Submitting the same draft id twice records it once."""
        return self.add_many([draft], recorded_by, now)[0]

    def add_many(
        self, drafts: Sequence[EvidenceDraft], recorded_by: str, now: datetime | None = None
    ) -> list[Evidence]:
        """Record every draft or none; refusals raise StoreError naming the field."""
        self._check_may_record(recorded_by)
        stamp = now or utc_now()
        return self._write(lambda conn: self._insert(conn, drafts, recorded_by.strip(), stamp))

    def _insert(
        self, conn: Connection, drafts: Sequence[EvidenceDraft], recorded_by: str, stamp: datetime
    ) -> list[Evidence]:
        known_commitments = set(conn.execute(select(commitments_table.c.id)).scalars())
        wanted_ids = (
            [d.id for d in drafts if d.id]
            + [d.supersedes for d in drafts if d.supersedes]
            + [d.replies_to for d in drafts if d.replies_to]
        )
        # FOR UPDATE (PostgreSQL; SQLite already holds its one write lock): a second
        # correction of the same row waits here, then sees the first and is refused.
        existing = (
            {
                r.id: _evidence_from_row(r)
                for r in conn.execute(
                    select(evidence_table).where(evidence_table.c.id.in_(wanted_ids)).with_for_update()
                )
            }
            if wanted_ids
            else {}
        )
        retracted = (
            set(
                conn.execute(
                    select(retractions_table.c.evidence_id).where(retractions_table.c.evidence_id.in_(wanted_ids))
                ).scalars()
            )
            if wanted_ids
            else set()
        )
        results: list[Evidence] = []
        to_insert: list[dict[str, Any]] = []
        batch_ids: set[str] = set()
        for number, draft in enumerate(drafts, start=1):
            where = f"row {number}: " if len(drafts) > 1 else ""
            if draft.commitment_id not in known_commitments:
                raise StoreError(f"{where}no pledge with id '{draft.commitment_id}'", "commitment_id")
            if draft.id and draft.id in existing:
                if _same_content(existing[draft.id], draft):
                    results.append(existing[draft.id])  # a repeated submission: already recorded
                    continue
                raise StoreError(
                    f"{where}a different row with id '{draft.id}' is already recorded; to correct it, "
                    "leave id empty and put the old id in 'supersedes' with a reason",
                    "id",
                )
            if draft.id and draft.id in batch_ids:
                raise StoreError(f"{where}id '{draft.id}' appears twice", "id")
            if draft.supersedes:
                old = existing.get(draft.supersedes)
                if old is None:
                    raise StoreError(f"{where}no recorded row with id '{draft.supersedes}' to supersede", "supersedes")
                if draft.supersedes in retracted:
                    raise StoreError(
                        f"{where}row '{draft.supersedes}' was retracted and cannot be superseded", "supersedes"
                    )
                if old.commitment_id != draft.commitment_id:
                    raise StoreError(
                        f"{where}a correction must concern the same pledge as the row it supersedes", "commitment_id"
                    )
            if draft.replies_to:
                answered = existing.get(draft.replies_to)
                if answered is None:
                    raise StoreError(f"{where}no recorded row with id '{draft.replies_to}' to reply to", "replies_to")
                if answered.commitment_id != draft.commitment_id:
                    raise StoreError(f"{where}a reply must concern the same pledge as the row it answers", "replies_to")
            evidence_id = draft.id or new_evidence_id()
            batch_ids.add(evidence_id)
            try:
                row = Evidence.model_validate(
                    {
                        **draft.model_dump(),
                        "id": evidence_id,
                        "recorded_by": recorded_by,
                        "recorded_at": stamp,
                        "needs_review": self.policy.require_review,
                    }
                )
            except ValueError as exc:
                raise StoreError(f"{where}{exc}") from exc
            to_insert.append(stored(row))
            results.append(row)
        superseded = [d.supersedes for d in drafts if d.supersedes]
        if superseded:
            # A correction that was itself retracted no longer supersedes its row, which
            # may then be corrected again.
            already = set(
                conn.execute(
                    select(evidence_table.c.supersedes)
                    .where(evidence_table.c.supersedes.in_(superseded))
                    .where(evidence_table.c.id.not_in(select(retractions_table.c.evidence_id)))
                ).scalars()
            )
            doubled = sorted(already | {s for s in superseded if superseded.count(s) > 1})
            if doubled:
                raise StoreError(
                    f"row '{doubled[0]}' has already been superseded; correct the newer row instead", "supersedes"
                )
        if to_insert:
            conn.execute(insert(evidence_table), to_insert)
        return results

    def retract(self, evidence_id: str, reason: str, recorded_by: str, now: datetime | None = None) -> Retraction:
        """Withdraw a row, with a reason. The row stays on record, marked as retracted."""
        self._check_may_record(recorded_by)
        try:
            retraction = Retraction(
                evidence_id=evidence_id, reason=reason, recorded_by=recorded_by, recorded_at=now or utc_now()
            )
        except ValidationError as exc:
            raise _refusal(exc) from exc
        self._write(lambda conn: _insert_retraction(conn, retraction))
        return retraction

    def review(
        self,
        evidence_id: str,
        decision: ReviewDecision | str,
        reviewer: str,
        comment: str = "",
        now: datetime | None = None,
    ) -> Review:
        """Confirm a row recorded under review, or send it back with a comment.

        Only a reviewer other than the row's recorder may decide; a confirmed row stays
        confirmed (to undo it, retract or correct it, which leaves a record).
        """
        try:
            review = Review(
                evidence_id=evidence_id,
                decision=ReviewDecision(decision),
                comment=comment,
                reviewer=reviewer,
                reviewed_at=now or utc_now(),
            )
        except ValidationError as exc:
            raise _refusal(exc) from exc

        def work(conn: Connection) -> Review:
            row = conn.execute(
                select(evidence_table.c.recorded_by, evidence_table.c.needs_review).where(
                    evidence_table.c.id == evidence_id
                )
            ).first()
            if row is None:
                raise StoreError(f"no recorded row with id '{evidence_id}'", "evidence_id")
            if not row.needs_review:
                raise StoreError(f"row '{evidence_id}' was not recorded for review", "evidence_id")
            try:
                self.policy.check_may_review(reviewer, row.recorded_by)
            except AccessDenied as exc:
                raise StoreError(str(exc).partition(": ")[2], "reviewer") from exc
            last = conn.execute(
                select(reviews_table.c.decision)
                .where(reviews_table.c.evidence_id == evidence_id)
                .order_by(reviews_table.c.seq.desc())
                .limit(1)
            ).scalar()
            if last == ReviewDecision.CONFIRMED.value:
                raise StoreError(f"row '{evidence_id}' is already confirmed", "evidence_id")
            conn.execute(insert(reviews_table).values(**review.model_dump(mode="python")))
            return review

        return self._write(work)

    def _check_may_record(self, recorded_by: str) -> None:
        try:
            self.policy.check_may_record(recorded_by)
        except AccessDenied as exc:
            raise StoreError(str(exc).partition(": ")[2], "recorded_by") from exc

    # -- scale: bulk loading and column-wise reads ---------------------------------------

    def load_recorded(self, evidence: Sequence[Evidence], retractions: Sequence[Retraction] = ()) -> None:
        """Insert rows that already carry their recording stamp, all in one transaction.

        For trusted, already validated models only (a synthetic catalogue, a restore): it
        skips `add_many`'s per-row checks against the store, so it is not for user input.
        """

        def work(conn: Connection) -> None:
            if evidence:
                conn.execute(insert(evidence_table), [stored(e) for e in evidence])
            if retractions:
                conn.execute(insert(retractions_table), [r.model_dump() for r in retractions])

        self._write(work)

    def dispose(self) -> None:
        self.engine.dispose()


def _add_version(conn: Connection, commitment_id: str, definition: Any, note: str, first: bool = False) -> None:
    """Keep a definition of a pledge. A pledge's first definition stands for every earlier
    date too (a catalogue, like its seed rows, is what the team started from); an edit is
    dated now, so the audit view of an earlier date still shows the text then in force."""
    conn.execute(
        insert(commitment_versions_table).values(
            commitment_id=commitment_id,
            definition=definition,
            recorded_by="catalogue",
            recorded_at=BEFORE_VERSIONS if first else utc_now(),
            note=note,
        )
    )


def _retraction(r: Any) -> Retraction:
    return Retraction(evidence_id=r.evidence_id, reason=r.reason, recorded_by=r.recorded_by, recorded_at=r.recorded_at)


def _review(r: Any) -> Review:
    return Review(
        evidence_id=r.evidence_id,
        decision=r.decision,
        comment=r.comment,
        reviewer=r.reviewer,
        reviewed_at=r.reviewed_at,
    )


def _with_seqs(conn: Connection, table: Table, build: Callable[[Any], T]) -> tuple[list[T], list[int]]:
    """Every row of a table that names evidence rows (retractions, reviews), and the seq of the row each names."""
    rows = conn.execute(
        select(table, evidence_table.c.seq.label("evidence_seq"))
        .join(evidence_table, evidence_table.c.id == table.c.evidence_id)
        .order_by(table.c.seq)
    ).all()
    return [build(r) for r in rows], [int(r.evidence_seq) for r in rows]


def _refusal(exc: ValidationError) -> StoreError:
    """The first problem pydantic found, as a StoreError naming its field."""
    first = validation_errors(exc, row=0)[0]
    return StoreError(first.message, first.field)


def _insert_retraction(conn: Connection, retraction: Retraction) -> None:
    evidence_id = retraction.evidence_id
    found = conn.execute(select(evidence_table.c.id).where(evidence_table.c.id == evidence_id)).first()
    if found is None:
        raise StoreError(f"no recorded row with id '{evidence_id}'", "evidence_id")
    done = conn.execute(select(retractions_table.c.seq).where(retractions_table.c.evidence_id == evidence_id)).first()
    if done is not None:
        raise StoreError(f"row '{evidence_id}' is already retracted", "evidence_id")
    conn.execute(insert(retractions_table).values(**retraction.model_dump()))


def _is_collision(exc: OperationalError | IntegrityError) -> bool:
    """True when trying the same transaction again may well succeed."""
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if isinstance(exc, IntegrityError):
        # Two writers inserted the same id at once; on retry the loser finds the winner's
        # row and treats it as a repeated submission (or refuses it, naming the field).
        return sqlstate == _UNIQUE_VIOLATION or "UNIQUE constraint failed" in str(exc.orig)
    if sqlstate is not None:
        return sqlstate in _PG_RETRY_STATES
    message = str(exc.orig).lower()
    return "database is locked" in message or "database is busy" in message


def _sqlite_begin(conn: Connection) -> None:
    # The sqlite3 module's own BEGIN is switched off (isolation_level=None) so that this
    # one runs instead. Writers say IMMEDIATE: they take the write lock before reading,
    # so they queue on busy_timeout; a deferred transaction that reads and then writes
    # can instead fail at once with "database is locked" when another writer got in first.
    immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers carry on while one writer writes; busy_timeout makes a second
    # writer wait instead of failing with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def open_store(catalogue: Catalogue | None = None) -> Store:
    """The store named by the environment, created and seeded from `data/` if new."""
    from commitments.files.catalog import load_catalogue

    store = Store.from_environment()
    store.ensure_seeded(catalogue or load_catalogue(Path(setting("COMMITMENTS_DATA_DIR"))))
    return store
