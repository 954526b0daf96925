"""The domain's vocabulary: pledges, dated evidence, sources and derived status.

Every piece of outside data (catalogue files, CSV imports, form input, database rows)
becomes one of these pydantic models before the rest of the package touches it, so the
validation rules below are the only ones there are.

>>> Stage.IN_EFFECT > Stage.ANNOUNCED
True
>>> period_end(date(2023, 11, 1), DatePrecision.MONTH)
datetime.date(2023, 11, 30)
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from enum import IntEnum, StrEnum
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# The earliest date any pledge or evidence row can carry: earlier ones are typing mistakes.
EARLIEST_DAY = date(1900, 1, 1)


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL in text, and SQLite would: refused here, on both alike.
    if "\x00" in value:
        raise ValueError("must not contain a NUL character (\\x00)")
    return value


NoNul = AfterValidator(_no_nul)

Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=SLUG_PATTERN), NoNul
]
SHORT_TEXT_CHARS = 200  # names, titles, publishers
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_TEXT_CHARS), NoNul]
OptionalShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=SHORT_TEXT_CHARS), NoNul]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000), NoNul]
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300), NoNul]
RowId = Annotated[str, StringConstraints(strip_whitespace=True, max_length=80), NoNul]
RequiredRowId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80), NoNul]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), NoNul]


# Compiled once: a team store validates ten thousand pledges, each with dates and links, on
# every read (re's own cache, keyed by pattern and flags, costs more than the match).
_DAY_TEXT = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*")
_WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", flags=re.IGNORECASE)


def _a_day(value: object) -> object:
    """A date, or text of one as YYYY-MM-DD: never a number (pydantic would read 1722816000 as a day)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DAY_TEXT.fullmatch(value):
        return value.strip()
    if isinstance(value, bool | int | float):
        raise ValueError("must be a date as YYYY-MM-DD, not a number")
    raise ValueError("must be a date as YYYY-MM-DD")


def _plausible_day(value: date) -> date:
    if value < EARLIEST_DAY:
        raise ValueError(f"must be on or after {EARLIEST_DAY.isoformat()}")
    return value


Day = Annotated[date, BeforeValidator(_a_day), AfterValidator(_plausible_day)]


def _check_web_url(value: str) -> str:
    # Only web links are ever rendered as links; javascript:, data:, file: and friends
    # would turn a source citation into an attack.
    if value and not _WEB_URL.match(value):
        raise ValueError("must be an http:// or https:// web address")
    return value


def _as_naive_utc(value: datetime) -> datetime:
    # Stored and compared as naive UTC: SQLite keeps no time zone, and mixing aware and
    # naive datetimes would fail at comparison time, far from the input that caused it.
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value


UtcDatetime = Annotated[datetime, AfterValidator(_as_naive_utc)]

WebUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), NoNul, AfterValidator(_check_web_url)
]


class Stage(IntEnum):
    """How far a pledge has got. Ordered: a later stage implies the earlier ones."""

    PLEDGED = 0
    ANNOUNCED = 1
    IN_EFFECT = 2
    VERIFIED = 3

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", " ")

    @property
    def slug(self) -> str:
        return self.name.lower()

    @classmethod
    def from_slug(cls, value: str) -> Stage:
        return cls[value.strip().upper().replace(" ", "_")]


class Flag(StrEnum):
    """Warnings that can sit on any stage."""

    CONTRADICTED = "contradicted"
    REVERSED = "reversed"
    OVERDUE = "overdue"
    LATE = "late"
    STALE = "stale"
    # An analyst's assessment that the record cannot settle the pledge (see ReasonCode).
    UNABLE_TO_CONCLUDE = "unable_to_conclude"
    NO_PUBLIC_DATA = "no_public_data"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Basis(StrEnum):
    """Whose word the current stage rests on."""

    CLAIMED = "claimed"  # only the committing party says so
    REPORTED = "reported"  # someone else says so too, but not strongly enough to verify it
    INDEPENDENT = "independent"  # corroborated: strong enough to verify (see SourceStrength)
    NONE = "none"  # nothing beyond the pledge itself


class EvidenceKind(StrEnum):
    ANNOUNCEMENT = "announcement"
    LEGAL_EFFECT = "legal_effect"
    ENFORCEMENT_ACTION = "enforcement_action"
    INDEPENDENT_VERIFICATION = "independent_verification"
    MEETING = "meeting"
    STATEMENT = "statement"
    CONTRADICTION = "contradiction"
    REVERSAL = "reversal"
    ASSESSMENT = "assessment"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class Direction(StrEnum):
    SUPPORTS = "supports"
    AGAINST = "against"
    NEUTRAL = "neutral"


class Attestation(StrEnum):
    """What a row is evidence of, as far as the status engine is concerned."""

    ANNOUNCED = "announced"
    IN_EFFECT = "in_effect"
    REVERSED = "reversed"


class SpeaksFor(StrEnum):
    """Whose word a row rests on, relative to the pledge's committing party.

    The State Department reporting "the PRC announced ..." rests on the PRC's word, so on a
    PRC pledge it is `committing_party`, whoever published it.
    """

    COMMITTING_PARTY = "committing_party"
    COUNTERPART = "counterpart"
    INTERNATIONAL_BODY = "international_body"
    INDEPENDENT = "independent"

    @property
    def is_independent(self) -> bool:
        return self is not SpeaksFor.COMMITTING_PARTY


class SourceStrength(StrEnum):
    """How much a source can carry, strongest first. Verification needs the top tiers, or
    several independent sources of different publishers that name their own sources."""

    OFFICIAL_RECORD = "official_record"  # an official record or data: a gazette, a rule, an INCB report
    NAMED_INVESTIGATION = "named_investigation"  # a named independent investigation or research
    SOURCED_REPORT = "sourced_report"  # a secondary report that names its source
    UNATTRIBUTED = "unattributed"  # an unattributed or second-hand report

    @property
    def label(self) -> str:
        # The member is its value (a str): str's own method, not Enum's slower `.value`,
        # because a team board names a hundred thousand credits.
        return str.replace(self, "_", " ")

    @property
    def tier(self) -> int:
        return list(SourceStrength).index(self) + 1


class ReasonCode(StrEnum):
    """Why a row goes against a pledge, or why an assessment cannot conclude."""

    BLOCKED_BY_COURT = "blocked_by_court"
    REPEALED = "repealed"
    SUSPENDED = "suspended"
    NOT_ENFORCED = "not_enforced"
    DISPUTED = "disputed"
    OTHER = "other"
    # An assessment, not a row against: the record cannot settle the pledge either way.
    UNABLE_TO_CONCLUDE = "unable_to_conclude"
    NO_PUBLIC_DATA = "no_public_data"

    @property
    def label(self) -> str:
        return {
            ReasonCode.BLOCKED_BY_COURT: "blocked by a court",
            ReasonCode.NOT_ENFORCED: "not enforced",
            ReasonCode.NO_PUBLIC_DATA: "no public data",
        }.get(self, self.value.replace("_", " "))

    @property
    def is_gap(self) -> bool:
        return self in GAP_REASONS


GAP_REASONS = frozenset({ReasonCode.UNABLE_TO_CONCLUDE, ReasonCode.NO_PUBLIC_DATA})


class QuoteKind(StrEnum):
    """Whether a quote is the source's own words or ours."""

    VERBATIM = "verbatim"
    PARAPHRASE = "paraphrase"  # the facts in our words (sources we may not copy)


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class DateCertainty(StrEnum):
    STATED = "stated"  # the document gives the full date
    INFERRED = "inferred"  # resolved from a relative or partial date against the document
    APPROXIMATE = "approximate"  # only roughly known; see the date note


# How strong a row's source is unless the row says otherwise. Cautious on purpose: only an
# international body's own record verifies by default; the counterpart government's word
# is a report that names its source (itself), and an independent report counts as
# unattributed until someone checks. An analyst raises a strength by saying so.
DEFAULT_STRENGTH: dict[SpeaksFor, SourceStrength] = {
    SpeaksFor.COMMITTING_PARTY: SourceStrength.OFFICIAL_RECORD,
    SpeaksFor.COUNTERPART: SourceStrength.SOURCED_REPORT,
    SpeaksFor.INTERNATIONAL_BODY: SourceStrength.OFFICIAL_RECORD,
    SpeaksFor.INDEPENDENT: SourceStrength.UNATTRIBUTED,
}

# What each kind of evidence attests unless the row says otherwise.
DEFAULT_ATTESTATION: dict[EvidenceKind, Attestation | None] = {
    EvidenceKind.ANNOUNCEMENT: Attestation.ANNOUNCED,
    EvidenceKind.LEGAL_EFFECT: Attestation.IN_EFFECT,
    EvidenceKind.ENFORCEMENT_ACTION: Attestation.IN_EFFECT,
    EvidenceKind.INDEPENDENT_VERIFICATION: Attestation.IN_EFFECT,
    EvidenceKind.REVERSAL: Attestation.REVERSED,
    EvidenceKind.MEETING: None,
    EvidenceKind.STATEMENT: None,
    EvidenceKind.CONTRADICTION: None,
    EvidenceKind.ASSESSMENT: None,
}

DEFAULT_DIRECTION: dict[EvidenceKind, Direction] = {
    EvidenceKind.CONTRADICTION: Direction.AGAINST,
    EvidenceKind.REVERSAL: Direction.AGAINST,
    EvidenceKind.MEETING: Direction.NEUTRAL,
}


def period_end(day: date, precision: DatePrecision) -> date:
    """The last day a date of this precision can stand for (November 2023 -> 30 Nov)."""
    if precision is DatePrecision.DAY:
        return day
    if precision is DatePrecision.MONTH:
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return date(day.year, 12, 31)


def period_start(day: date, precision: DatePrecision) -> date:
    if precision is DatePrecision.DAY:
        return day
    if precision is DatePrecision.MONTH:
        return date(day.year, day.month, 1)
    return date(day.year, 1, 1)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(_Model):
    """A document that records a pledge or a piece of evidence."""

    title: ShortText
    publisher: OptionalShortText = ""
    url: WebUrl = ""
    published_on: Day | None = None
    # Where the document can be read when it has no URL, e.g. the seed file's name.
    reference: OptionalShortText = ""
    # How much it can carry (SourceStrength); an evidence row fills it in from whose word it is.
    strength: SourceStrength | None = None

    @property
    def key(self) -> str:
        """What makes two citations the same source when counting sources."""
        return (self.url or f"{self.publisher}|{self.title}").casefold()


# How a row cites a kept document: source_reference "document:<sha256>".
REFERENCE_PREFIX = "document:"


class Document(_Model):
    """A source document as kept in the store (its text under its SHA-256, which rows cite)."""

    id: str
    text: Annotated[str, NoNul]
    title: ShortText
    publisher: OptionalShortText = ""
    url: WebUrl = ""
    published_on: Day | None = None
    recorded_by: ShortText
    recorded_at: UtcDatetime

    @property
    def reference(self) -> str:
        return REFERENCE_PREFIX + self.id

    @property
    def source(self) -> Source:
        """The citation every row drawn from this document carries."""
        return Source(
            title=self.title,
            publisher=self.publisher,
            url=self.url,
            published_on=self.published_on,
            reference=self.reference,
        )


class Indicator(_Model):
    """A quantity that shows progress on a pledge, e.g. incidents reported to the INCB."""

    unit: ShortText
    baseline: float | None = None
    target: float | None = None
    target_by: Day | None = None
    note: LongText = ""


class Criteria(_Model):
    """What would count, stated before any evidence is weighed: the test of each stage."""

    announced: LongText = Field(min_length=1, description="What would count as announcing a concrete step.")
    in_effect: LongText = Field(min_length=1, description="What would count as the measure being in effect.")
    verified: LongText = Field(min_length=1, description="What independent record would verify it.")


class Commitment(_Model):
    """A pledge: who promised what, to whom, when and where, and what would count as keeping it."""

    id: Slug
    title: ShortText
    description: LongText = ""
    party: ShortText = Field(description="The committing party, e.g. PRC, US, joint.")
    counterpart: OptionalShortText = ""
    theme: Slug
    pledged_on: Day
    pledged_on_precision: DatePrecision = DatePrecision.DAY
    pledged_at: ShortText = Field(description="Where it was pledged: summit, working group ...")
    due_on: Day | None = None
    sources: tuple[Source, ...] = Field(min_length=1)
    quote: LongText = ""
    keywords: tuple[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)], ...] = ()
    indicator: Indicator | None = None
    note: LongText = ""
    quote_kind: QuoteKind = QuoteKind.VERBATIM
    criteria: Criteria | None = None

    @model_validator(mode="after")
    def _due_after_pledge(self) -> Self:
        if self.due_on is not None and self.due_on < self.pledged_on:
            raise ValueError("due_on: the due date is before the date pledged")
        return self

    @property
    def pledged_effective_on(self) -> date:
        """The first date on which the pledge is certainly on record."""
        return period_end(self.pledged_on, self.pledged_on_precision)


class EvidenceDraft(_Model):
    """A piece of evidence as someone proposes it, before the store records it.

    `recorded_by` and `recorded_at` are not here: the store stamps them, so nobody can
    backdate what the team knew.
    """

    id: RowId = ""
    commitment_id: Slug
    event_date: Day
    event_date_precision: DatePrecision = DatePrecision.DAY
    event_date_certainty: DateCertainty = DateCertainty.STATED
    date_note: LongText = ""
    kind: EvidenceKind
    # Filled in from the kind when left out (see _defaults_from_kind).
    direction: Direction = Direction.SUPPORTS
    attests: Attestation | None = None
    speaks_for: SpeaksFor
    summary: Summary
    quote: LongText = ""
    source: Source
    # NaN and infinity are not measurements; they would also break sums and charts.
    value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    supersedes: RowId = ""
    correction_reason: LongText = ""
    # Why it goes against the pledge (reversal, contradiction), or why an assessment cannot conclude.
    reason_code: ReasonCode | None = None
    # The row of a contradiction this row answers, in the committing party's words (right of reply).
    replies_to: RowId = ""
    quote_kind: QuoteKind = QuoteKind.VERBATIM

    @model_validator(mode="before")
    @classmethod
    def _default_strength(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        try:
            speaker = SpeaksFor(str(data.get("speaks_for")))
        except ValueError:
            return data
        source = data.get("source")
        if isinstance(source, Source) and source.strength is None:
            data = {**data, "source": source.model_copy(update={"strength": DEFAULT_STRENGTH[speaker]})}
        elif isinstance(source, dict) and source.get("strength") in (None, ""):
            data = {**data, "source": {**source, "strength": DEFAULT_STRENGTH[speaker]}}
        return data

    @model_validator(mode="before")
    @classmethod
    def _defaults_from_kind(cls, data: object) -> object:
        if isinstance(data, dict):
            if data.get("reason_code") == "":
                data = {**data, "reason_code": None}
            kind = data.get("kind")
            try:
                kind = EvidenceKind(kind) if kind is not None else None
            except ValueError:
                return data
            if kind is not None:
                if data.get("direction") in (None, ""):
                    data = {**data, "direction": DEFAULT_DIRECTION.get(kind, Direction.SUPPORTS)}
                attests = data.get("attests")
                if attests in (None, ""):
                    data = {**data, "attests": DEFAULT_ATTESTATION[kind]}
                elif attests == "none":
                    # An explicit "none" keeps a row of a stage-moving kind out of the stages.
                    data = {**data, "attests": None}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        published = self.source.published_on
        if published is not None and period_start(self.event_date, self.event_date_precision) > published:
            raise ValueError(
                f"event_date: the event date is after the source's publication date ({published.isoformat()})"
            )
        if self.attests in (Attestation.ANNOUNCED, Attestation.IN_EFFECT) and self.direction is not Direction.SUPPORTS:
            raise ValueError(f"direction: a row that attests '{self.attests.value}' must support the pledge")
        if self.attests is Attestation.REVERSED and self.direction is not Direction.AGAINST:
            raise ValueError("direction: a row that attests a reversal must be 'against'")
        if self.kind is EvidenceKind.INDEPENDENT_VERIFICATION and not self.speaks_for.is_independent:
            raise ValueError("speaks_for: independent verification cannot rest on the committing party's own word")
        if self.supersedes and not self.correction_reason:
            raise ValueError("correction_reason: say why the earlier row is being corrected")
        if self.kind is EvidenceKind.ASSESSMENT and not (self.quote or self.date_note):
            raise ValueError("quote: an assessment needs its rationale (in the quote field)")
        if self.reason_code is not None:
            if self.reason_code.is_gap and (self.kind is not EvidenceKind.ASSESSMENT or self.attests is not None):
                raise ValueError(
                    f"reason_code: '{self.reason_code.value}' is an analyst's assessment "
                    "(kind assessment, attests none)"
                )
            if not self.reason_code.is_gap and self.direction is not Direction.AGAINST:
                raise ValueError(f"reason_code: '{self.reason_code.value}' is for rows against the pledge")
        if self.replies_to:
            if self.speaks_for is not SpeaksFor.COMMITTING_PARTY:
                raise ValueError("replies_to: a reply is the committing party's own word (speaks_for committing_party)")
            if self.attests is not None:
                raise ValueError("attests: a reply answers a contradiction; it attests no stage (attests none)")
            if self.replies_to == self.id or self.replies_to == self.supersedes:
                raise ValueError("replies_to: a row answers another row, not itself or the row it corrects")
        return self

    @property
    def event_effective_on(self) -> date:
        """The first date by which the event had certainly happened."""
        return period_end(self.event_date, self.event_date_precision)

    @property
    def known_on(self) -> date:
        """The first date on which the row was both done and public: the "as of" axis."""
        published = self.source.published_on
        event = self.event_effective_on
        return max(event, published) if published is not None else event


class Evidence(EvidenceDraft):
    """A recorded evidence row. Rows are never edited; corrections are new rows."""

    id: RequiredRowId
    recorded_by: ShortText
    recorded_at: UtcDatetime
    # Set when the row was recorded under second-person review: it moves no status
    # until someone other than its recorder confirms it.
    needs_review: bool = False

    @model_validator(mode="after")
    def _not_before_recording(self) -> Self:
        if period_start(self.event_date, self.event_date_precision) > self.recorded_at.date():
            raise ValueError(
                f"event_date: {self.event_date} is after the day it is recorded ({self.recorded_at.date()}); "
                "evidence records what has already happened"
            )
        return self


class Retraction(_Model):
    """A withdrawal of an evidence row, with the reason; the row itself stays on record.

    Under second-person review a retraction waits, like a new row, and withdraws nothing
    until someone other than its recorder confirms it.
    """

    evidence_id: RequiredRowId
    reason: Reason
    recorded_by: ShortText
    recorded_at: UtcDatetime
    needs_review: bool = False


class ReviewDecision(StrEnum):
    CONFIRMED = "confirmed"
    RETURNED = "returned"  # sent back to the recorder with a comment


class RecordState(StrEnum):
    """Where a recorded row stands: whether it counts, and if not, why not."""

    ACTIVE = "active"  # counts
    PENDING = "pending_review"  # recorded under review, not yet confirmed
    SENT_BACK = "sent_back"  # a reviewer returned it with a comment
    SUPERSEDED = "superseded"  # a correction replaced it
    RETRACTED = "retracted"  # withdrawn, with a reason

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class ReviewSubject(StrEnum):
    """What a review decides on: the row itself, or the row's latest retraction."""

    EVIDENCE = "evidence"
    RETRACTION = "retraction"


class Review(_Model):
    """A second person's decision on a row, or a retraction, recorded under review. Append-only."""

    evidence_id: RequiredRowId
    subject: ReviewSubject = ReviewSubject.EVIDENCE
    decision: ReviewDecision
    comment: LongText = ""
    reviewer: ShortText
    reviewed_at: UtcDatetime

    @model_validator(mode="after")
    def _returned_needs_comment(self) -> Self:
        if self.decision is ReviewDecision.RETURNED and not self.comment:
            raise ValueError("comment: say why the row is sent back")
        return self
