"""Dates in a sentence, resolved against the day the document was published.

News and readouts date events relative to themselves: "last week", "on August 5", "in
November", "Tuesday". `date_mentions` finds such phrases and lets dateparser resolve each
one with the publication date as its base, preferring the past, so "in November" in a
text published in January 2024 is November 2023. This module only finds the candidate
phrases and turns dateparser's answer into what an evidence row needs: a date, its
precision, how sure it is, and the earliest and latest day it can stand for.

>>> [m.text for m in date_mentions("Officials met on July 31 and again last week.", date(2024, 8, 6))]
['July 31', 'last week']
>>> m = date_mentions("China reported 145 incidents in November.", date(2024, 1, 29))[0]
>>> (m.on.isoformat(), m.precision.value, m.certainty.value)
('2023-11-01', 'month', 'inferred')

A document whose publication date is not known still has its absolute dates ("July 31,
2024", "in January 2024", "in 2019"); the relative ones ("last week", "on August 5") stay
unresolved, and `relative_phrases` names them so the proposal can say so:

>>> [m.text for m in date_mentions("Officials met on July 31, 2024 and again last week.", None)]
['July 31, 2024']
>>> relative_phrases("Officials met on July 31, 2024 and again last week.")
['last week']
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser
from pydantic import BaseModel, ConfigDict

from commitments.models import DateCertainty, DatePrecision, period_end, period_start

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMBER = r"(?:\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|a few)"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"

# Candidate phrases only; dateparser does the resolving. Ordered longest first so that
# "July 31, 2024" wins over "July 31" at the same place.
_CANDIDATES = re.compile(
    rf"""
    (?P<full>\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b | \b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b | \b{_YEAR}-\d{{2}}-\d{{2}}\b)
  | (?P<month_year>\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b)
  | (?P<month_last_year>\b{_MONTH}\s+(?:of\s+)?last\s+year\b)
  | (?P<month_day>\b{_MONTH}\s+{_DAY}\b(?!\s*(?:%|percent|million|billion)) | \b{_DAY}\s+{_MONTH}\b)
  | (?P<month>\b(?:January|February|March|April|June|July|August|September|October|November|December)\b
             | (?:(?<=\bin\s)|(?<=\bIn\s)|(?<=\bof\s)|(?<=\bsince\s))May\b)
  | (?P<weekday>\b{_WEEKDAY}\b)
  | (?P<relative>(?i:\b(?:last|this|past|previous)\s+(?:week|month|year)\b
             | \b{_NUMBER}\s+(?:days?|weeks?|months?|years?)\s+ago\b
             | \b(?:yesterday|today)\b))
  | (?P<year>(?:(?<=\bin\s)|(?<=\bIn\s)|(?<=\bsince\s)|(?<=\bduring\s)|(?<=\bby\s)|(?<=\bof\s)){_YEAR}\b)
    """,
    re.VERBOSE,
)

# The phrases that name a date on their own, whatever day the document was published.
_ABSOLUTE = frozenset({"full", "month_year", "year"})
# The base for absolute phrases when there is no publication date (dateparser needs one).
_NO_BASE = date(9999, 12, 31)

_PRECISION_OF_PERIOD = {
    "day": DatePrecision.DAY,
    "week": DatePrecision.DAY,
    "month": DatePrecision.MONTH,
    "year": DatePrecision.YEAR,
}


class DateMention(BaseModel):
    """One date phrase in a sentence and what it resolves to."""

    model_config = ConfigDict(frozen=True)

    text: str
    start: int
    end: int
    on: date  # the date to record: the period's start, or the latest day of a vague span
    precision: DatePrecision
    certainty: DateCertainty
    earliest: date  # the span of days the phrase allows, never after the publication
    latest: date
    note: str = ""
    after_publication: bool = False  # a planned date ("will meet on Tuesday")

    def contains(self, day: date) -> bool:
        return self.earliest <= day <= self.latest


@lru_cache(maxsize=64)
def _parser(published: date) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(published.year, published.month, published.day, 12),
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
        },
    )


def _resolve(phrase: str, published: date) -> tuple[date, str] | None:
    data = _parser(published).get_date_data(phrase)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), str(data.period or "day")


def _mention(match: re.Match[str], published: date | None) -> DateMention | None:
    group = match.lastgroup or ""
    if published is None:
        # Only an absolute phrase can be read: it needs no base.
        return _mention(match, _NO_BASE) if group in _ABSOLUTE else None
    phrase = match.group(0)
    base = published
    if group == "month_last_year":
        # "November last year": the month, in the year before the publication's.
        phrase = re.sub(r"\s+(?:of\s+)?last\s+year$", "", phrase)
        base = date(published.year - 1, 12, 31)
    resolved = _resolve(phrase, base)
    if resolved is None:
        return None
    on, period = resolved
    precision = _PRECISION_OF_PERIOD.get(period, DatePrecision.DAY)
    certainty = DateCertainty.STATED if group == "full" or group == "month_year" else DateCertainty.INFERRED
    earliest, latest = period_start(on, precision), period_end(on, precision)
    note = ""
    if group == "weekday" and on + timedelta(days=7) <= published:
        # dateparser, asked for the past, skips the publication day itself; news uses a
        # bare weekday for the same day too ("officials said Tuesday").
        on = earliest = latest = on + timedelta(days=7)
    if period == "week":
        monday = on - timedelta(days=on.weekday())
        earliest, latest = monday, monday + timedelta(days=6)
        certainty = DateCertainty.APPROXIMATE
    elif group == "relative" and precision is not DatePrecision.DAY:
        certainty = DateCertainty.APPROXIMATE
    after = earliest > published and published != _NO_BASE
    if not after:
        latest = min(latest, published)
    if period == "week":
        # Some day in that week: record the latest it can be, so nothing is counted as
        # done before it certainly was.
        on = latest
        note = f"some day between {earliest.isoformat()} and {latest.isoformat()} ('{match.group(0)}')"
    elif precision is not DatePrecision.DAY:
        on = earliest
    return DateMention(
        text=match.group(0),
        start=match.start(),
        end=match.end(),
        on=on,
        precision=precision,
        certainty=certainty,
        earliest=earliest,
        latest=latest,
        note=note,
        after_publication=after,
    )


def date_mentions(sentence: str, published: date | None) -> list[DateMention]:
    """Every date phrase in the sentence, resolved; phrases dateparser cannot read are left out.

    Without a publication date (None) only the absolute phrases are resolved.
    """
    mentions = []
    for match in _CANDIDATES.finditer(sentence):
        mention = _mention(match, published)
        if mention is not None:
            mentions.append(mention)
    return mentions


def relative_phrases(sentence: str) -> list[str]:
    """The date phrases that only a publication date can resolve ("last week", "on August 5", "Tuesday")."""
    return [m.group(0) for m in _CANDIDATES.finditer(sentence) if (m.lastgroup or "") not in _ABSOLUTE]
