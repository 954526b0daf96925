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
import os
import random
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import Engine, Select, Table, Text, case, cast, create_engine, event, func, insert, null, select
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from commitments.access import AccessDenied, AccessPolicy
from commitments.config import setting
from commitments.evidence_columns import EvidenceColumns
from commitments.evidence_row import from_stored, stored
from commitments.files.catalog import Catalogue
from commitments.files.evidence_csv import validation_errors
from commitments.ledger import Ledger, PledgeVersion
from commitments.models import (
    Commitment,
    Document,
    Evidence,
    EvidenceDraft,
    Retraction,
    Review,
    ReviewDecision,
    ReviewSubject,
)
from commitments.store import packs
from commitments.store.errors import StoreError as StoreError
from commitments.store.migrations import MigrationError, needs_upgrade, upgrade_to_head
from commitments.store.policies import PolicyVersion, insert_policy, latest_policy, policy_version
from commitments.store.reading import StoreText, commitment_positions, engine_matrix
from commitments.store.recording import Recording, open_retractions, record
from commitments.store.tables import (
    commitment_versions_table,
    commitments_table,
    documents_table,
    evidence_table,
    policies_table,
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
# The setting a database that cannot be opened is blamed on (a wrong path, host or password).
SETTING = "COMMITMENTS_DB_URL"
# The version a pledge had before the database kept versions is dated this (migration 0007).
BEFORE_VERSIONS = datetime(1970, 1, 1)

T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_evidence_id() -> str:
    return f"ev-{uuid.uuid4().hex[:16]}"


def _evidence_from_row(row: Any) -> Evidence:
    return from_stored(row._mapping)


class Store:
    """One database of pledges and evidence. Cheap to create; share one per process."""

    def __init__(self, url: str, policy: AccessPolicy | None = None):
        self.url = url
        # The rules a new database starts with (the database's own apply once it has them).
        self._first_policy = policy or AccessPolicy()
        try:
            parsed = make_url(url)
        except Exception as exc:
            # Never the password: an unreadable URL is shown with it blanked out.
            problem = str(exc).replace(url, masked_url(url))
            raise StoreError(f"not a database URL: {masked_url(url)!r} ({problem})", "COMMITMENTS_DB_URL") from exc
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite and parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"cannot make the folder for {parsed.database}: {exc.strerror or exc}", "COMMITMENTS_DB_URL"
                ) from exc
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
        """The store named by COMMITMENTS_DB_URL; a new database takes its policy from the environment."""
        return cls(setting("COMMITMENTS_DB_URL"), AccessPolicy.from_settings())

    def environment_disagrees(self) -> str:
        """Why this process's settings are not the rules here ("" when they agree or set nothing)."""
        try:
            wanted = AccessPolicy.from_settings()
        except ValueError as exc:
            return str(exc)
        found = self.policy
        if wanted == found or (wanted == AccessPolicy() and not _policy_settings_given()):
            return ""
        return (
            f"the database's policy applies ({found.describe()}), not this environment's ({wanted.describe()}); "
            "change it with `python -m commitments policy set`"
        )

    # -- schema and seeding -------------------------------------------------------------

    @property
    def shown_url(self) -> str:
        """The store's URL as messages show it: the password blanked out."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _opening(self, action: str) -> Iterator[None]:
        """Database errors (no server, a file that is not a database, a wrong password) as one StoreError line."""
        try:
            yield
        except MigrationError as exc:  # the database is fine; this tool is too old for it
            raise StoreError(str(exc)) from exc
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            if "file is not a database" in reason or "malformed" in reason:
                reason += " (is this SQLite file a database made by this tool, and not damaged?)"
            raise StoreError(f"cannot {action} the database at {self.shown_url}: {reason}", SETTING) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot {action} the database at {self.shown_url}: {exc}", SETTING) from exc

    def create_schema(self) -> None:
        """Create or upgrade the schema to the newest migration; refuse a newer database."""
        with self._opening("open"), self.engine.connect() as conn:
            if not needs_upgrade(conn):
                return
        self.upgrade_schema()

    def upgrade_schema(self) -> tuple[str | None, str]:
        """Migrate to the newest schema, keeping every row: (revision before, after).

        One transaction: on PostgreSQL a failed step leaves the database as it was.
        """
        with self._opening("upgrade"), self._writer.begin() as conn:
            return upgrade_to_head(conn)

    def schema_revision(self) -> str | None:
        """The migration the database is at (None: never migrated, e.g. a new file)."""
        from commitments.store.migrations import current_revision

        with self._opening("read"), self.engine.connect() as conn:
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
        if latest_policy(conn) is None:
            return True
        # Only the catalogue's own pledges: a team store holds thousands more.
        existing = {
            r.id: r.definition
            for r in conn.execute(
                select(commitments_table.c.id, commitments_table.c.definition).where(
                    commitments_table.c.id.in_([c.id for c in catalogue.commitments])
                )
            )
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
        if latest_policy(conn) is None:
            insert_policy(
                conn, self._first_policy, "first start", "taken from the environment of the first process", utc_now()
            )
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
        packs.refresh(conn, [c.id for c in catalogue.commitments if c.id not in existing])
        missing = self._missing_seed_rows(conn, catalogue)
        if missing:
            _insert_evidence(conn, [stored(e) for e in missing])
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
        packs.refresh(conn, ids)

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
            return [_retraction(r) for r in conn.execute(select(retractions_table).order_by(retractions_table.c.seq))]

    def reviews(self) -> list[Review]:
        with self.engine.connect() as conn:
            return [_review(r) for r in conn.execute(select(reviews_table).order_by(reviews_table.c.seq))]

    def ledger(self) -> Ledger:
        """Pledges, evidence (as the engine's columns), retractions and reviews, read in one
        transaction: what every screen, export and command asks its questions of. The text
        of rows (ids, summaries, quotes) is read later, for the rows a screen shows."""
        with self._opening("read"), self.engine.connect() as conn:
            if not self.is_sqlite:
                # One snapshot of the database for every read below (SQLite's read transaction is one already).
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                definitions = conn.execute(
                    select(commitments_table.c.id, commitments_table.c.definition).order_by(
                        commitments_table.c.position
                    )
                ).all()
                commitments = [Commitment.model_validate(r.definition) for r in definitions]
                current = {r.id: c for r, c in zip(definitions, commitments, strict=True)}

                def definition(commitment_id: str, stored: Any) -> Commitment:
                    # None: the pledge's current definition (most versions are), validated above.
                    return current[commitment_id] if stored is None else Commitment.model_validate(stored)

                versions = [
                    PledgeVersion(
                        definition(r.commitment_id, r.definition),
                        r.recorded_at,
                        r.recorded_at == BEFORE_VERSIONS,
                        r.note,
                    )
                    for r in conn.execute(_versions_query())
                ]
                retractions, retraction_seqs = _with_seqs(conn, retractions_table, _retraction)
                reviews, review_seqs = _with_seqs(conn, reviews_table, _review)
                ids = commitment_positions(conn)
                fields = packs.read_fields(conn, {cid: i for i, cid in enumerate(ids)})
                columns = (
                    EvidenceColumns.from_matrix(engine_matrix(conn), ids)
                    if fields is None
                    else EvidenceColumns.from_fields(fields, ids)
                )
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
        """Record one row. Submitting the same draft twice records it once."""
        return self.add_many([draft], recorded_by, now).rows[0]

    def add_many(
        self,
        drafts: Sequence[EvidenceDraft],
        recorded_by: str,
        now: datetime | None = None,
        row_numbers: Sequence[int] | None = None,
        document: Document | None = None,
    ) -> Recording:
        """Record every draft or none: the store's one door for evidence, checked against the policy.

        `row_numbers` are what refusals call each draft (a file's spreadsheet rows); every
        problem is reported (StoreError.problems). `document`, when the rows were drawn from
        one, is kept in the same transaction (commitments.suggest.documents.accept).
        """
        stamp = now or utc_now()
        who = recorded_by.strip()

        def work(conn: Connection) -> Recording:
            policy = self._check_may_record(conn, who)
            if document is not None:
                _keep_document(conn, document)
            return record(conn, drafts, who, stamp, policy.require_review, row_numbers)

        return self._write(work)

    def retract(self, evidence_id: str, reason: str, recorded_by: str, now: datetime | None = None) -> Retraction:
        """Withdraw a row, with a reason. The row stays on record, marked as retracted; under
        review, the retraction waits for a second person like any new row."""
        try:
            retraction = Retraction(
                evidence_id=evidence_id, reason=reason, recorded_by=recorded_by, recorded_at=now or utc_now()
            )
        except ValidationError as exc:
            raise _refusal(exc) from exc

        def work(conn: Connection) -> Retraction:
            policy = self._check_may_record(conn, retraction.recorded_by)
            found = conn.execute(
                select(evidence_table.c.needs_review).where(evidence_table.c.id == evidence_id)
            ).first()
            if found is None:
                raise StoreError(f"no recorded row with id '{evidence_id}'", "evidence_id")
            if evidence_id in open_retractions(conn, [evidence_id]):
                raise StoreError(
                    f"row '{evidence_id}' is already retracted (or its retraction awaits review)", "evidence_id"
                )
            # Withdrawing a row that has never counted (still unconfirmed) moves no status, so
            # it needs no second person; withdrawing one that counts waits for review.
            counts = not found.needs_review or _confirmed(conn, evidence_id)
            recorded = retraction.model_copy(update={"needs_review": policy.require_review and counts})
            conn.execute(insert(retractions_table).values(**recorded.model_dump()))
            return recorded

        return self._write(work)

    def review(
        self,
        evidence_id: str,
        decision: ReviewDecision | str,
        reviewer: str,
        comment: str = "",
        now: datetime | None = None,
        subject: ReviewSubject | str = ReviewSubject.EVIDENCE,
    ) -> Review:
        """Confirm a row (or its retraction) recorded under review, or send it back with a comment.

        Only a reviewer other than whoever recorded it may decide; a confirmed row stays
        confirmed (to undo it, retract or correct it, which leaves a record).
        """
        try:
            review = Review(
                evidence_id=evidence_id,
                subject=ReviewSubject(subject),
                decision=ReviewDecision(decision),
                comment=comment,
                reviewer=reviewer,
                reviewed_at=now or utc_now(),
            )
        except ValidationError as exc:
            raise _refusal(exc) from exc
        except ValueError as exc:
            raise StoreError(str(exc), "decision") from exc

        def work(conn: Connection) -> Review:
            row = conn.execute(
                select(evidence_table.c.recorded_by, evidence_table.c.needs_review).where(
                    evidence_table.c.id == evidence_id
                )
            ).first()
            if row is None:
                raise StoreError(f"no recorded row with id '{evidence_id}'", "evidence_id")
            recorded_by, since = row.recorded_by, None
            if review.subject is ReviewSubject.RETRACTION:
                latest = conn.execute(
                    select(retractions_table)
                    .where(retractions_table.c.evidence_id == evidence_id)
                    .order_by(retractions_table.c.seq.desc())
                    .limit(1)
                ).first()
                if latest is None or not latest.needs_review:
                    raise StoreError(f"row '{evidence_id}' has no retraction awaiting review", "evidence_id")
                recorded_by, since = latest.recorded_by, latest.recorded_at
            elif not row.needs_review:
                raise StoreError(f"row '{evidence_id}' was not recorded for review", "evidence_id")
            try:
                self._policy(conn).check_may_review(reviewer, recorded_by)
            except AccessDenied as exc:
                raise StoreError(str(exc).partition(": ")[2], "reviewer") from exc
            query = (
                select(reviews_table.c.decision)
                .where(reviews_table.c.evidence_id == evidence_id)
                .where(reviews_table.c.subject == review.subject.value)
            )
            if since is not None:
                query = query.where(reviews_table.c.reviewed_at >= since)
            last = conn.execute(query.order_by(reviews_table.c.seq.desc()).limit(1)).scalar()
            if last == ReviewDecision.CONFIRMED.value:
                raise StoreError(f"row '{evidence_id}' is already confirmed", "evidence_id")
            conn.execute(insert(reviews_table).values(**review.model_dump(mode="python")))
            return review

        return self._write(work)

    # -- the deployment's policy ------------------------------------------------------------

    @property
    def policy(self) -> AccessPolicy:
        """The rules every process on this database obeys (the database's, once it has one)."""
        with self.engine.connect() as conn:
            return self._policy(conn)

    def _policy(self, conn: Connection) -> AccessPolicy:
        found = latest_policy(conn)
        return found.policy if found is not None else self._first_policy

    def set_policy(self, policy: AccessPolicy, recorded_by: str, note: str = "") -> PolicyVersion:
        """Make `policy` the database's rules from now on; the earlier ones stay on record."""
        who = recorded_by.strip()
        if not who:
            raise StoreError("say who is changing the policy", "recorded_by")

        def work(conn: Connection) -> PolicyVersion:
            return insert_policy(conn, policy, who, note or "set with `python -m commitments policy set`", utc_now())

        return self._write(work)

    def policy_history(self) -> list[PolicyVersion]:
        with self.engine.connect() as conn:
            return [policy_version(r) for r in conn.execute(select(policies_table).order_by(policies_table.c.seq))]

    def _check_may_record(self, conn: Connection, recorded_by: str) -> AccessPolicy:
        policy = self._policy(conn)
        try:
            policy.check_may_record(recorded_by)
        except AccessDenied as exc:
            raise StoreError(str(exc).partition(": ")[2], "recorded_by") from exc
        return policy

    # -- scale: bulk loading and column-wise reads ---------------------------------------

    def load_recorded(self, evidence: Sequence[Evidence], retractions: Sequence[Retraction] = ()) -> None:
        """Insert rows that already carry their recording stamp, all in one transaction.

        For trusted, already validated models only (a synthetic catalogue, a restore): it
        skips `add_many`'s per-row checks against the store, so it is not for user input.
        """

        def work(conn: Connection) -> None:
            if evidence:
                _insert_evidence(conn, [stored(e) for e in evidence])
            if retractions:
                conn.execute(insert(retractions_table), [r.model_dump() for r in retractions])

        self._write(work)

    def rebuild_packs(self) -> int:
        """Make the evidence packs (`commitments.store.packs`) again from every row; returns the rows packed."""
        with self._opening("rebuild"):
            return self._write(packs.rebuild)

    def dispose(self) -> None:
        self.engine.dispose()


def _versions_query() -> Select[Any]:
    """Every pledge version, oldest first; the definition NULL where it is the pledge's
    current one, as the text says (most are: parsing ten thousand of them again costs)."""
    v, c = commitment_versions_table, commitments_table
    same = cast(v.c.definition, Text) == cast(c.c.definition, Text)
    return (
        select(
            v.c.commitment_id,
            case((same, null()), else_=v.c.definition).label("definition"),
            v.c.recorded_at,
            v.c.note,
        )
        .join(c, c.c.id == v.c.commitment_id)
        .order_by(v.c.seq)
    )


def _insert_evidence(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert evidence rows (as stored) and re-pack their pledges, in the caller's transaction."""
    conn.execute(insert(evidence_table), rows)
    packs.rows_added(conn, rows)


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


def _confirmed(conn: Connection, evidence_id: str) -> bool:
    """Whether a row recorded under review was confirmed (a confirmation is final)."""
    found = conn.execute(
        select(reviews_table.c.seq)
        .where(reviews_table.c.evidence_id == evidence_id)
        .where(reviews_table.c.subject == ReviewSubject.EVIDENCE.value)
        .where(reviews_table.c.decision == ReviewDecision.CONFIRMED.value)
        .limit(1)
    ).first()
    return found is not None


def _retraction(r: Any) -> Retraction:
    # Every field the model has, by name: a field added later cannot be left behind here.
    return Retraction.model_validate({name: getattr(r, name) for name in Retraction.model_fields})


def _review(r: Any) -> Review:
    return Review.model_validate({name: getattr(r, name) for name in Review.model_fields})


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


def masked_url(url: str) -> str:
    """A database URL with its password blanked out, even one SQLAlchemy cannot read.

    >>> masked_url("postgresql+psycopg://u:S3cretPW@127.0.0.1:abc/db")
    'postgresql+psycopg://u:***@127.0.0.1:abc/db'
    """
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def _policy_settings_given() -> bool:
    names = ("COMMITMENTS_AUTH", "COMMITMENTS_RECORDERS", "COMMITMENTS_REVIEWERS", "COMMITMENTS_REQUIRE_REVIEW")
    return any(os.environ.get(name) for name in names)


def _keep_document(conn: Connection, document: Document) -> None:
    found = conn.execute(select(documents_table.c.id).where(documents_table.c.id == document.id)).first()
    if found is None:
        conn.execute(insert(documents_table).values(**document.model_dump()))


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
