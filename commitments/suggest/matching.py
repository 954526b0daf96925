"""Suggestions: a document's sentences, matched to pledges, as evidence rows to review.

Given a document and the day it was published, `propose` cuts the text into sentences
and, for each sentence that bears on a pledge, proposes an evidence row: the pledges it
bears on (ranked, with a score and the words that matched), the event date resolved
against the publication date, how sure that date is, a guess at the kind of evidence,
its direction, and whose word it rests on. Nothing here writes anywhere: an analyst
accepts, edits or rejects each proposal (see `commitments.suggest.documents` for the accept path).

The method is transparent and offline. A pledge is described by its catalogue entry:
keywords (the strongest signal: a keyword phrase found word for word, or in the forms
writers use, see `_find`; two of a pledge's keywords in one clause count as a keyword of
its own), title and description (scored with BM25, the bm25s library, so words shared by many pledges,
like "fentanyl", count for little), and the evidence rows already recorded (`examples`: a
sentence like past rows of a pledge gains score, see `commitments.suggest.examples`). Each
proposal says why it was made (`Proposal.why`), and a proposal the analyst rejected for a
document (`rejected`) is not made again.
Within a sentence, the clause holding a pledge's matched words decides that pledge's
date and kind, so one sentence listing three steps yields three rows with three dates.

>>> from commitments.models import Commitment, Source
>>> pledge = Commitment(id="ban-x", title="Country bans substance X", party="A", theme="t",
...     pledged_on=date(2024, 1, 1), pledged_at="summit", sources=(Source(title="s"),), keywords=("substance X",))
>>> found = propose("Officials met. On May 3 the ministry banned substance X.", date(2024, 6, 1), [pledge])
>>> [(p.commitment_id, p.event_date.isoformat(), p.matched_terms) for p in found]
[('ban-x', '2024-05-03', ('substance X',))]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import bm25s
from pydantic import BaseModel, ConfigDict, Field

from commitments.models import Commitment, DateCertainty, DatePrecision, Direction, EvidenceKind, SpeaksFor
from commitments.suggest.event_dates import DateMention, date_mentions, relative_phrases
from commitments.suggest.evidence_cues import guess_direction, guess_kind, is_future, mask_party_names, speaks_for
from commitments.suggest.examples import Example, ExampleIndex
from commitments.suggest.sentences import Sentence, split_sentences

# A sentence bears on a pledge when it contains one of the pledge's keyword phrases, or,
# without one, when its words overlap the pledge's description by at least this score.
# Below it a sentence only shares a common word or two ("fentanyl", "officials").
MIN_SCORE = 12.0
# A keyword of the pledge's own proposes the sentence from this score up (its own weight is
# usually enough; a lone keyword in a sentence about something else is not).
KEYWORD_FLOOR = 0.0
# A further pledge from the same sentence needs at least this share of the best score
# (a sentence listing several steps bears on several pledges).
SECOND_PLEDGE_SHARE = 0.2
# A keyword phrase from the catalogue is an analyst's statement that these words mean this
# pledge: it counts for this many times what the same words would earn as loose terms.
KEYWORD_WEIGHT = 1.5
# A sentence that refers back ("this set of actions", "the delegations") inherits the
# pledges the sentences just before it were proposed for: each of the last CONTEXT_WINDOW
# proposing sentences passes on its score times CONTEXT_WEIGHT, decaying by CONTEXT_DECAY
# per sentence in between. Only pledges the sentence shares a word with take it up, and
# whether the sentence is proposed at all still rests on its own words (CONTEXT_FLOOR).
CONTEXT_WINDOW = 3
CONTEXT_WEIGHT = 0.5
CONTEXT_DECAY = 0.5
CONTEXT_FLOOR = 3.0
# A sentence resembling past evidence rows of a pledge (see commitments.suggest.examples) gains
# this many points per unit of cosine similarity to the most alike row.
EXAMPLE_WEIGHT = 20.0
# A date at most this many days before publication is "news": the document's lead.
LEAD_WINDOW_DAYS = 14
# "On July 15, the PRC announced that it will ...": a date this close before the saying
# verb dates the announcement.
ANNOUNCER_GAP = 24
# With no date anywhere before it, a news sentence reports the last days before publication.
RECENT_DAYS = 6

_STOPWORDS = frozenset(
    "a an the and or of to in on at by for from with as is are was were be been being it its this that these "  # noqa: SIM905
    "those their there they them he she his her we our you your i not but if than then so such into over "
    "under about after before during since until also has have had do does did can could would should may "
    "might must will shall which who whom whose what when where while how all any both each few more most "
    "other some own same very just now part further including include includes included".split()
)
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_CLAUSE_BREAK = re.compile(
    r";|:|,\s+(?=(?:and\s+)?(?:the|including|while|but|which|as well as|after|following|although)\b)|\s+and\s+the\s+"
)


def stem(word: str) -> str:
    """A light suffix stripper: inflections and a few derivations meet their pledge words.

    One inflection goes ('-s', '-es', '-ies', '-ed', '-ing'), then one derivation ('-ment',
    '-ion', '-ally'), then a final 'e' and a doubled consonant, so that the forms a
    reporter uses meet the form the catalogue uses ("controlled" / "controls",
    "regulation" / "regulate", "enforcement" / "enforce").

    >>> [stem(w) for w in ["nitazenes", "scheduling", "schedule", "companies", "arrested"]]
    ['nitazen', 'schedul', 'schedul', 'company', 'arrest']
    >>> [stem(w) for w in ["controlled", "controls", "regulation", "regulates", "enforcement", "enforced"]]
    ['control', 'control', 'regulat', 'regulat', 'enforc', 'enforc']
    >>> [stem(w) for w in ["internationally", "international", "crisis", "business"]]
    ['international', 'international', 'crisis', 'business']
    """
    w = word.casefold().replace("’", "'")
    w = w.removesuffix("'s")
    if len(w) <= 4:
        return w
    if w.endswith("ies") and len(w) > 5:
        w = w[:-3] + "y"
    else:
        for suffix in ("ing", "ed", "es", "s"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                if suffix == "s" and w.endswith(("ss", "us", "is")):
                    break
                w = w[: -len(suffix)]
                break
    for suffix, replacement in (("ally", "al"), ("ment", ""), ("ion", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)] + replacement
            break
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeious":
        w = w[:-1]
    return w


@dataclass(frozen=True)
class Token:
    stem: str
    surface: str
    start: int
    end: int


def tokens(text: str, keep_stopwords: bool = False) -> list[Token]:
    return [
        Token(stem(m.group(0)), m.group(0), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if keep_stopwords or m.group(0).casefold() not in _STOPWORDS
    ]


class PledgeMatch(BaseModel):
    """One pledge a sentence may bear on, with the evidence for thinking so."""

    model_config = ConfigDict(frozen=True)

    commitment_id: str
    score: float
    matched_terms: tuple[str, ...] = ()
    keyword_hits: int = Field(default=0, exclude=True)
    # the part of the score taken from the sentences before it (0: its own words only)
    from_context: float = 0.0
    # the sentence's opening noun is the word an earlier sentence named this pledge by
    linked: bool = Field(default=False, exclude=True)
    spans: tuple[tuple[int, int], ...] = Field(default=(), exclude=True)
    # the part of the score taken from past evidence rows the sentence resembles, and those rows
    from_examples: float = 0.0
    similar_rows: tuple[str, ...] = ()  # "id: summary" of each, most alike first


class Proposal(BaseModel):
    """A proposed evidence row: one sentence, one pledge. Never written without acceptance."""

    model_config = ConfigDict(frozen=True)

    commitment_id: str
    score: float
    matched_terms: tuple[str, ...]
    text: str  # the sentence, verbatim: becomes the row's quote
    sentence_index: int
    event_date: date | None
    event_date_precision: DatePrecision
    event_date_certainty: DateCertainty
    event_date_earliest: date | None
    event_date_latest: date | None
    date_note: str
    date_text: str  # the words the date was read from ("" when none)
    kind: EvidenceKind
    direction: Direction
    speaks_for: SpeaksFor
    summary: str
    alternatives: tuple[PledgeMatch, ...] = ()
    # the pledge was named by an earlier sentence ("The delegations ...", "this set of actions"):
    # the analyst checks that the sentence really speaks of it
    from_context: bool = False
    # recorded evidence rows of this pledge the sentence resembles ("id: summary"), most alike first
    similar_rows: tuple[str, ...] = ()
    why: str = ""  # the proposal explained in words: what matched, which past rows, which earlier sentence


def explain(match: PledgeMatch) -> str:
    """Why a sentence is proposed for a pledge, in the analyst's words.

    >>> explain(PledgeMatch(commitment_id="x", score=20.0, matched_terms=("xylazine",), similar_rows=("r1: Ban",)))
    "words: 'xylazine'; like recorded rows r1: Ban"
    """
    parts = []
    if match.matched_terms:
        parts.append("words: " + ", ".join(f"'{t}'" for t in match.matched_terms))
    if match.similar_rows:
        parts.append("like recorded rows " + "; ".join(match.similar_rows))
    if match.from_context:
        parts.append("the pledge was named by an earlier sentence this one points back to")
    return "; ".join(parts)


def _bm25_profile(c: Commitment) -> list[str]:
    # The quote and note are left out on purpose: they are sentences from the seed
    # documents, and matching against them would only recognise text already seen.
    words = [c.title, c.title, c.description, *c.keywords, *c.keywords]
    return [t.stem for text in words for t in tokens(text)]


# BM25's constants (bm25s, Lucene's variant): how fast repeats of a word saturate, and how much a
# long pledge profile is discounted. Lucene leaves out BM25's (k1 + 1) factor; it is put back
# so that scores keep the scale MIN_SCORE and the other thresholds were set on.
BM25_K1 = 1.2
BM25_B = 0.25


@dataclass(frozen=True)
class PledgeIndex:
    """The catalogue, prepared for matching: term statistics and keyword phrases."""

    commitments: tuple[Commitment, ...]
    profiles: tuple[Counter[str], ...]
    bm25: bm25s.BM25  # the pledges' profiles, indexed
    idf: dict[str, float]  # how rare each profile word is among the pledges (a word shown as matched is > 1)
    # per pledge: (stems, keyword, weight, distinctive: no other pledge has this keyword)
    phrases: tuple[tuple[tuple[tuple[str, ...], str, float, bool], ...], ...]
    examples: ExampleIndex | None = None  # past evidence rows, to learn from

    @classmethod
    def build(cls, commitments: Iterable[Commitment], examples: Iterable[Example] = ()) -> PledgeIndex:
        pledges = tuple(commitments)
        profiles = tuple(Counter(_bm25_profile(c)) for c in pledges)
        n = max(len(pledges), 1)
        df: Counter[str] = Counter(term for profile in profiles for term in profile)
        idf = {term: math.log(1 + (n - d + 0.5) / (d + 0.5)) for term, d in df.items()}
        # Small words stay in a keyword phrase, as they do in the sentence it is looked for in
        # ("over the counter" must not shrink to "counter").
        keyword_stems = [
            {tuple(t.stem for t in tokens(k, keep_stopwords=True)): k for k in c.keywords if tokens(k)} for c in pledges
        ]
        phrase_df: Counter[tuple[str, ...]] = Counter(p for kws in keyword_stems for p in kws)
        phrases = tuple(
            tuple(
                (
                    p,
                    keyword,
                    KEYWORD_WEIGHT
                    * math.log(1 + (n - phrase_df[p] + 0.5) / (phrase_df[p] + 0.5))
                    * (1 + 0.5 * (len(p) - 1)),
                    phrase_df[p] == 1,
                )
                for p, keyword in kws.items()
            )
            for kws in keyword_stems
        )
        bm25 = bm25s.BM25(method="lucene", k1=BM25_K1, b=BM25_B)
        bm25.index([list(profile.elements()) for profile in profiles], show_progress=False)
        return cls(pledges, profiles, bm25, idf, phrases).with_examples(examples)

    def with_examples(self, examples: Iterable[Example]) -> PledgeIndex:
        """The same catalogue, learning from these past rows (those of pledges it does not hold are left out)."""
        ids = {c.id for c in self.commitments}
        kept = [e for e in examples if e.commitment_id in ids]
        return replace(self, examples=ExampleIndex.build(kept) if kept else None)

    def lexical_scores(self, query: set[str]) -> list[float]:
        """Each pledge's BM25 score for the sentence's distinct stems, in catalogue order."""
        known = sorted(term for term in query if term in self.idf)
        if not known:
            return [0.0] * len(self.commitments)
        return [float(x) * (BM25_K1 + 1) for x in self.bm25.get_scores(known)]

    def commitment(self, commitment_id: str) -> Commitment:
        return self.commitments[self.position(commitment_id)]

    def position(self, commitment_id: str) -> int:
        """Where the pledge is in catalogue order (its profile's index)."""
        for at, c in enumerate(self.commitments):
            if c.id == commitment_id:
                return at
        raise KeyError(commitment_id)

    def rank(self, sentence: str) -> list[PledgeMatch]:
        """Every pledge that shares a weighted term with the sentence, best first."""
        masked = mask_party_names(sentence)
        toks = tokens(masked)
        query = {t.stem for t in toks}
        # Keyword phrases match word for word, small words included ("over the counter").
        every = tokens(masked, keep_stopwords=True)
        stems = [t.stem for t in every]
        parts = clauses(sentence)
        lexical = self.lexical_scores(query)
        alike = self.examples.by_pledge(sentence) if self.examples is not None else {}
        matches = []
        for i, c in enumerate(self.commitments):
            score = 0.0
            terms: list[str] = []
            spans: list[tuple[int, int]] = []
            covered: set[int] = set()
            hits = 0
            found: list[tuple[int, int, float]] = []  # (start, end, weight) of each keyword phrase found
            for phrase, _keyword, weight, distinctive in self.phrases[i]:
                for first, last in _find(stems, phrase):
                    score += weight
                    found.append((every[first].start, every[last].end, weight))
                    start, end = every[first].start, every[last].end
                    terms.append(sentence[start:end])  # the sentence's own words, as the analyst will see them
                    spans.append((start, end))
                    covered.update(t.start for t in every[first : last + 1])
                    hits += distinctive
                    break
            paired = _paired(found, parts)
            if paired:
                # Two of the pledge's keyword phrases in one clause ("the scheduling of ... precursor
                # chemicals"): together they are as specific as a keyword no other pledge has.
                score += paired
                hits += 1
            score += lexical[i]
            similarity, rows = alike.get(c.id, (0.0, ()))
            learned = EXAMPLE_WEIGHT * similarity
            score += learned
            for term in query & self.profiles[i].keys():
                for t in toks:
                    if t.stem == term:
                        if t.start not in covered and self.idf[term] > 1.0:
                            terms.append(t.surface)
                            spans.append((t.start, t.end))
                        break
            if score > 0:
                matches.append(
                    PledgeMatch(
                        commitment_id=c.id,
                        score=round(score, 3),
                        matched_terms=_unique(terms),
                        keyword_hits=hits,
                        spans=tuple(spans),
                        from_examples=round(learned, 3),
                        similar_rows=tuple(f"{e.evidence_id}: {e.summary or e.text[:80]}" for e in rows),
                    )
                )
        return sorted(matches, key=lambda m: (-m.score, m.commitment_id))


def _paired(found: Sequence[tuple[int, int, float]], parts: Sequence[tuple[int, int]]) -> float:
    """The weaker weight of the best pair of separate keyword phrases in one clause (0: no pair).

    Phrases that overlap ("senior official meeting" and "senior official") are one mention, not a pair.
    """
    best = 0.0
    for a, b in parts:
        inside = [f for f in found if a <= f[0] < b]
        for i, (start, end, weight) in enumerate(inside):
            for other_start, other_end, other_weight in inside[i + 1 :]:
                if end <= other_start or other_end <= start:
                    best = max(best, min(weight, other_weight))
    return best


def _find(stems: Sequence[str], phrase: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where a keyword phrase occurs in the sentence: (first, last) token positions, in order.

    Besides the phrase word for word, two forms a writer commonly uses for the same words:
    one extra word inside the phrase ("emerging drug trends" for "emerging trends", "senior
    US and Chinese officials" for "senior officials" once the governments' names are
    masked), and a two-word compound turned round with "of" or "on" ("seizures of
    precursors" for "precursor seizures", "exchange of information" for "information
    exchange").
    """
    n = len(phrase)
    found: list[tuple[int, int]] = []
    for i in range(len(stems)):
        if tuple(stems[i : i + n]) == phrase:
            found.append((i, i + n - 1))
        elif n >= 2 and stems[i] == phrase[0]:
            # one extra word after any of the phrase's words but the last
            for gap in range(1, n):
                window = stems[i : i + n + 1]
                if len(window) == n + 1 and tuple(window[:gap]) + tuple(window[gap + 1 :]) == phrase:
                    found.append((i, i + n))
                    break
        if n == 2 and stems[i] == phrase[1]:
            rest = stems[i + 1 : i + 4]
            if rest[:1] in (["of"], ["on"]):
                j = 2 if rest[1:2] == ["the"] else 1
                if rest[j : j + 1] == [phrase[0]]:
                    found.append((i, i + j + 1))
    return sorted(set(found))


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item.casefold() not in {s.casefold() for s in seen}:
            seen[item] = None
    return tuple(seen)


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the sentence's clauses (cut at semicolons, colons and listing commas)."""
    spans = []
    start = 0
    for cut in _CLAUSE_BREAK.finditer(sentence):
        spans.append((start, cut.start()))
        start = cut.end()
    spans.append((start, len(sentence)))
    return [(a, b) for a, b in spans if sentence[a:b].strip()]


def _focus(sentence: str, match: PledgeMatch) -> tuple[int, int]:
    """The clause holding most of a pledge's matched words: it speaks about that pledge."""
    parts = clauses(sentence)
    if not match.spans:
        return (0, len(sentence))
    counts = [sum(1 for s, _ in match.spans if a <= s < b) for a, b in parts]
    return parts[max(range(len(parts)), key=lambda i: (counts[i], -i))]


@dataclass(frozen=True)
class EventDate:
    on: date | None
    precision: DatePrecision
    certainty: DateCertainty
    earliest: date | None
    latest: date | None
    note: str
    text: str

    @classmethod
    def of(cls, mention: DateMention, certainty: DateCertainty | None = None, note: str = "") -> EventDate:
        return cls(
            mention.on,
            mention.precision,
            certainty or mention.certainty,
            mention.earliest,
            mention.latest,
            note or mention.note,
            mention.text,
        )


_SAYING_NEAR = re.compile(r"\b(?:announc\w*|sa(?:id|ys)|stat(?:ed|es)|told|revealed|declared)\b", re.IGNORECASE)


def _sentence_date(sentence: str, focus: tuple[int, int], published: date | None) -> EventDate | None:
    """The date of what the sentence (about this pledge) reports, from the sentence alone."""
    mentions = [m for m in date_mentions(sentence, published) if not m.after_publication]
    if not mentions:
        return None
    a, b = focus
    if is_future(sentence[a:b]):
        # "will meet on Tuesday": the planned day is not an event yet; the row records the
        # announcement, dated by the words that say when it was made ("announced Sunday").
        # "announced Sunday", "announced on August 5", "On July 15, the PRC announced".
        for m in mentions:
            for say in _SAYING_NEAR.finditer(sentence):
                if 0 <= m.start - say.end() <= 4 or 0 <= say.start() - m.end <= ANNOUNCER_GAP:
                    return EventDate.of(m)
        return None
    inside = [m for m in mentions if a <= m.start < b]
    middle = (a + b) / 2
    best = min(inside or mentions, key=lambda m: abs((m.start + m.end) / 2 - middle))
    return EventDate.of(best)


def _lead(sentence: str, published: date | None) -> EventDate | None:
    """The date of the news a document reports: its first date close to publication.

    Later sentences without a date of their own ("Officials also discussed ...") are
    about the same event. Background dates ("launched in 2019") are too old to be the lead.
    Without a publication date nothing says which date is recent: there is no lead.
    """
    if published is None:
        return None
    if is_future(sentence):
        when = _sentence_date(sentence, (0, len(sentence)), published)
        recent = [when] if when is not None else []
    else:
        recent = [EventDate.of(m) for m in date_mentions(sentence, published) if not m.after_publication]
    for when in recent:
        if when.latest is not None and when.latest >= published - timedelta(days=LEAD_WINDOW_DAYS):
            return when
    return None


def _no_date(published: date | None, lead: EventDate | None, sentence: str = "") -> EventDate:
    if published is None:
        relative = relative_phrases(sentence)
        note = (
            f"not resolved: '{relative[0]}' needs the publication date, which is not known; give the event date"
            if relative
            else "no date in the sentence and no publication date: give the event date"
        )
        return EventDate(
            None, DatePrecision.DAY, DateCertainty.APPROXIMATE, None, None, note, relative[0] if relative else ""
        )
    if lead is not None:
        return EventDate(
            lead.on,
            lead.precision,
            DateCertainty.INFERRED if lead.certainty is not DateCertainty.APPROXIMATE else lead.certainty,
            lead.earliest,
            lead.latest,
            f"no date in the sentence; taken from the document's lead ('{lead.text}')",
            lead.text,
        )
    return EventDate(
        published,
        DatePrecision.DAY,
        DateCertainty.APPROXIMATE,
        published - timedelta(days=RECENT_DAYS),
        published,
        "no date in the sentence; at the latest the publication date, probably the days just before it",
        "",
    )


def _summary(sentence: str, focus: tuple[int, int]) -> str:
    if len(sentence) <= 200:
        return sentence
    clause = sentence[focus[0] : focus[1]].strip(" ,;:")
    text = clause if 20 <= len(clause) <= 200 else sentence
    return text if len(text) <= 200 else text[:199].rsplit(" ", 1)[0] + "…"


def bears_on(ranked: Sequence[PledgeMatch], top: int = 3) -> list[PledgeMatch]:
    """The pledges a sentence is proposed for, from its ranking: none, one, or a few."""
    if not ranked:
        return []
    best = ranked[0]
    if best.score < (KEYWORD_FLOOR if best.keyword_hits else MIN_SCORE):
        return []
    if best.from_context and best.score - best.from_context < CONTEXT_FLOOR and not (best.keyword_hits or best.linked):
        return []  # the sentence's own words are too thin to say it bears on anything
    # A further pledge either scores close to the best, or is named by a keyword of its own
    # ("recent arrests" in a sentence about a meeting): a sentence listing several steps.
    others = [
        m
        for m in ranked[1:]
        if m.score >= MIN_SCORE / 2 and (m.score >= SECOND_PLEDGE_SHARE * best.score or m.keyword_hits > 0)
    ]
    return [best, *others][:top]


# A sentence that opens on a definite, demonstrative or possessive word ("The delegations",
# "This group", "Our Administration") speaks of something already introduced.
_REFERS_BACK = re.compile(r"^[\W_]*(?:the|this|these|that|those|such|our|its|their)\b", re.IGNORECASE)


def refers_back(sentence: str) -> bool:
    """Whether the sentence opens on words that point to something named before it.

    >>> [refers_back(s) for s in ["The delegations met.", '"Our plan works."', "Officials met."]]
    [True, True, False]
    """
    return _REFERS_BACK.match(sentence) is not None


# Words that say when or how many before the noun a sentence opens on ("The Tuesday
# meeting", "This week's talks", "The two delegations"): the noun is the word after them.
_MODIFIERS = frozenset(
    stem(word)
    for word in "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "  # noqa: SIM905
    "august september october november december day week month year today yesterday last next first second "
    "two three four five six seven eight nine ten new recent".split()
)


def referent(sentence: str) -> str:
    """The stem of the noun a pointing-back sentence opens on ("" when it does not point back).

    >>> [referent(s) for s in ['The delegations "exchanged views".', "This week's meeting ended.", "Officials met."]]
    ['delegat', 'meet', '']
    """
    opening = _REFERS_BACK.match(sentence)
    if opening is None:
        return ""
    for t in tokens(mask_party_names(sentence[opening.end() :])):
        if stem(t.surface) not in _MODIFIERS and not t.surface.isdigit():
            return t.stem
    return ""


def _named_stems(index: PledgeIndex, sentence: str, match: PledgeMatch) -> frozenset[str]:
    """The sentence's words that speak of the pledge: those it matched on, and any other word of
    the pledge's own profile ("national control" names the scheduling pledge's "control" even
    though, common to many pledges, the word is too weak to count as matched)."""
    matched = {t.stem for start, end in match.spans for t in tokens(sentence[start:end])}
    profile = index.profiles[index.position(match.commitment_id)]
    return frozenset(matched | {t.stem for t in tokens(sentence) if t.stem in profile})


def rank_in_context(sentences: Sequence[Sentence], index: PledgeIndex) -> list[list[PledgeMatch]]:
    """Each sentence's ranking, lifted by the pledges the sentences just before it bear on.

    "The delegations exchanged views" or "this set of actions" name their pledge only
    through an earlier sentence. Each pledge the sentence shares a word with gains part of
    the score it had in the recent proposing sentences (see CONTEXT_WEIGHT); a pledge the
    sentence shares no word with gains nothing, so a sentence about something else stays
    about something else. Headings rank nothing and pass nothing on.

    A sentence that opens on a noun ("The delegations ...") is linked to the sentence that
    named a pledge by that same noun, following the noun back through the sentences that
    keep mentioning it ("the delegation was led by ...", "... led the Chinese delegation"),
    each at most CONTEXT_WINDOW sentences from the next: that pledge's lift does not decay,
    and the noun counts as the sentence's own word for it (see `bears_on`).
    """
    rankings: list[list[PledgeMatch]] = []
    mentions: list[frozenset[str]] = []  # the stems of each sentence's words
    # the proposing sentences by position: pledge -> (own score, stems of the words it matched on)
    proposing: dict[int, dict[str, tuple[float, frozenset[str]]]] = {}
    for position, sentence in enumerate(sentences):
        mentions.append(frozenset(t.stem for t in tokens(sentence.text)))
        if is_heading(sentence.text):
            rankings.append([])
            continue
        own = index.rank(sentence.text)
        chosen = bears_on(own, top=len(own))
        if chosen:
            # It names its pledges itself: the context would only blur its own ranking.
            rankings.append(own)
            proposing[position] = {m.commitment_id: (m.score, _named_stems(index, sentence.text, m)) for m in chosen}
            continue
        # A sentence naming a pledge by its catalogue keyword says what it is about, even
        # when that falls short of a proposal ("The July 2024 CNWG was chaired by ..."):
        # it does not refer back to the steps before it.
        pointing = refers_back(sentence.text) and not any(m.keyword_hits for m in own)
        inherited: dict[str, float] = {}
        for at in range(max(0, position - CONTEXT_WINDOW), position) if pointing else ():
            for commitment_id, (score, _) in proposing.get(at, {}).items():
                lift = CONTEXT_WEIGHT * score * CONTEXT_DECAY ** (position - at - 1)
                inherited[commitment_id] = max(inherited.get(commitment_id, 0.0), lift)
        linked = _antecedent(referent(sentence.text), position, mentions, proposing) if pointing else {}
        for commitment_id, score in linked.items():
            inherited[commitment_id] = max(inherited.get(commitment_id, 0.0), CONTEXT_WEIGHT * score)
        ranked = [
            m.model_copy(
                update={
                    "score": round(m.score + lift, 3),
                    "from_context": round(lift, 3),
                    "linked": m.commitment_id in linked,
                }
            )
            if (lift := inherited.get(m.commitment_id, 0.0))
            else m
            for m in own
        ]
        ranked.sort(key=lambda m: (-m.score, m.commitment_id))
        rankings.append(ranked)
    return rankings


def _antecedent(
    noun: str,
    position: int,
    mentions: Sequence[frozenset[str]],
    proposing: dict[int, dict[str, tuple[float, frozenset[str]]]],
) -> dict[str, float]:
    """The pledges (with their scores) an earlier sentence named by `noun`, reached through a chain of mentions."""
    last = position
    for at in range(position - 1, -1, -1):
        if not noun or last - at > CONTEXT_WINDOW:
            break
        if noun in mentions[at]:
            last = at
            named = {c: score for c, (score, stems) in proposing.get(at, {}).items() if noun in stems}
            if named:
                return named
    return {}


def is_heading(sentence: str) -> bool:
    """A title or dateline: a short line that does not end like a sentence. It repeats the body."""
    return not re.search(r"[.!?][\"'”’)]*$", sentence) and len(sentence.split()) <= 15


def propose(
    text: str,
    published: date | None,
    commitments: Iterable[Commitment] | PledgeIndex,
    publisher: str = "",
    top: int = 3,
    examples: Sequence[Example] = (),
    rejected: Collection[tuple[int, str]] = (),
) -> list[Proposal]:
    """Proposed evidence rows for a document, best first. Pure: reads nothing, writes nothing.

    `published` may be None (the publication date is not known): absolute dates are still
    read, relative ones ("last week") are left unresolved and the proposal's `date_note` says so.
    `examples` are recorded evidence rows to learn from (see `commitments.suggest.examples`);
    `rejected` holds the (sentence index, pledge) proposals an analyst rejected for this
    document: they are not proposed again.
    """
    index = commitments if isinstance(commitments, PledgeIndex) else PledgeIndex.build(commitments)
    if examples:
        index = index.with_examples(examples)
    proposals: list[Proposal] = []
    lead: EventDate | None = None
    sentences = split_sentences(text)
    for sentence, ranked in zip(sentences, rank_in_context(sentences, index), strict=True):
        for match in bears_on(ranked, top):
            if (sentence.index, match.commitment_id) in rejected:
                continue
            proposals.append(_proposal(index, sentence, match, ranked, published, publisher, lead))
        lead = lead or _lead(sentence.text, published)
    return sorted(proposals, key=lambda p: (-p.score, p.sentence_index))


def _proposal(
    index: PledgeIndex,
    sentence: Sentence,
    match: PledgeMatch,
    ranked: list[PledgeMatch],
    published: date | None,
    publisher: str,
    lead: EventDate | None,
) -> Proposal:
    pledge = index.commitment(match.commitment_id)
    focus = _focus(sentence.text, match)
    clause = sentence.text[focus[0] : focus[1]]
    when = _sentence_date(sentence.text, focus, published) or _no_date(published, lead, sentence.text)
    kind = guess_kind(clause)
    if kind is EvidenceKind.LEGAL_EFFECT:
        pass  # "takes effect on July 1" says when the law applies, whoever announced it
    elif is_future(clause) and _SAYING_NEAR.search(sentence.text):
        kind = EvidenceKind.ANNOUNCEMENT  # "officials will meet ..., the White House announced"
    elif kind is EvidenceKind.STATEMENT:
        # A listed item ("disrupt the illicit financing ...") takes its kind from the main
        # clause ("Discussions focused on ...").
        main = clauses(sentence.text)[0]
        kind = guess_kind(sentence.text[main[0] : main[1]])
    voice = speaks_for(pledge.party, pledge.counterpart, publisher, clause) if clause else SpeaksFor.INDEPENDENT
    if voice is not SpeaksFor.COMMITTING_PARTY:
        voice = speaks_for(pledge.party, pledge.counterpart, publisher, sentence.text)
    if kind is EvidenceKind.INDEPENDENT_VERIFICATION and not voice.is_independent:
        kind = EvidenceKind.STATEMENT  # a party cannot verify itself
    return Proposal(
        commitment_id=match.commitment_id,
        score=match.score,
        matched_terms=match.matched_terms,
        text=sentence.text,
        sentence_index=sentence.index,
        event_date=when.on,
        event_date_precision=when.precision,
        event_date_certainty=when.certainty,
        event_date_earliest=when.earliest,
        event_date_latest=when.latest,
        date_note=when.note,
        date_text=when.text,
        kind=kind,
        direction=guess_direction(kind),
        speaks_for=voice,
        summary=_summary(sentence.text, focus),
        alternatives=tuple(m for m in ranked[:4] if m.commitment_id != match.commitment_id)[:3],
        from_context=match.from_context > 0,
        similar_rows=match.similar_rows,
        why=explain(match),
    )
