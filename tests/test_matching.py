"""Suggestions from a document: dates, ranking, the `match` command, the accept path, the evaluation."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from commitments.files.catalog import Catalogue
from commitments.models import DateCertainty, EvidenceKind, SpeaksFor
from commitments.store.store import Store, StoreError
from commitments.suggest.documents import DocumentError, accept, document_id, get_document, new_document
from commitments.suggest.event_dates import date_mentions, relative_phrases
from commitments.suggest.evidence_cues import guess_kind, mask_party_names, speaks_for
from commitments.suggest.examples import Example, examples_from
from commitments.suggest.matching import PledgeIndex, Proposal, bears_on, propose, rank_in_context, stem
from commitments.suggest.sentences import html_to_text, split_sentences

PROJECT_DIR = Path(__file__).resolve().parent.parent


# -- dates, resolved against the publication date ----------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "expected", "precision", "certainty"),
    [
        ("The PRC announced on August 5 that it will act.", date(2024, 8, 6), date(2024, 8, 5), "day", "inferred"),
        ("China reported incidents in November.", date(2024, 1, 29), date(2023, 11, 1), "month", "inferred"),
        ("China reported incidents in November.", date(2024, 12, 10), date(2024, 11, 1), "month", "inferred"),
        ("The ban took effect on July 31, 2024.", date(2024, 8, 6), date(2024, 7, 31), "day", "stated"),
        ("The ban took effect on 1 May 2024.", date(2024, 8, 6), date(2024, 5, 1), "day", "stated"),
        ("It was launched in January 2024.", date(2024, 8, 6), date(2024, 1, 1), "month", "stated"),
        ("Officials met Tuesday.", date(2024, 8, 8), date(2024, 8, 6), "day", "inferred"),
        ("Officials met Tuesday.", date(2024, 8, 6), date(2024, 8, 6), "day", "inferred"),  # same day
        ("The White House announced Sunday.", date(2024, 1, 29), date(2024, 1, 28), "day", "inferred"),
        ("Police raided a lab yesterday.", date(2024, 3, 1), date(2024, 2, 29), "day", "inferred"),
        ("Customs seized the shipment three days ago.", date(2024, 3, 10), date(2024, 3, 7), "day", "inferred"),
        ("They met with Xi in November last year.", date(2024, 8, 1), date(2023, 11, 1), "month", "inferred"),
        ("The law was passed in 2019.", date(2024, 8, 1), date(2019, 1, 1), "year", "inferred"),
        ("The meeting was held on 2024-07-31.", date(2024, 8, 1), date(2024, 7, 31), "day", "stated"),
    ],
)
def test_a_date_phrase_resolves_against_the_publication_date(
    text: str, published: date, expected: date, precision: str, certainty: str
) -> None:
    mention = date_mentions(text, published)[0]
    assert (mention.on, mention.precision.value, mention.certainty.value) == (expected, precision, certainty)
    assert mention.latest <= published


def test_last_week_is_a_span_of_days_dated_at_its_latest() -> None:
    mention = date_mentions("Last week, officials convened a meeting.", date(2024, 8, 6))[0]
    assert (mention.earliest, mention.latest) == (date(2024, 7, 29), date(2024, 8, 4))
    assert mention.on == date(2024, 8, 4)
    assert mention.certainty is DateCertainty.APPROXIMATE
    assert "2024-07-29" in mention.note


def test_a_date_is_never_after_the_publication_date() -> None:
    for text in ("in December", "on December 20", "Friday", "this month", "this week"):
        for m in date_mentions(f"It happened {text}.", date(2024, 12, 4)):
            assert m.after_publication or m.latest <= date(2024, 12, 4), text


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        # Written for this test. Without a publication date, a date stated in full is still read ...
        ("The ban took effect on July 31, 2024.", date(2024, 7, 31), "day"),
        ("It was launched in January 2024.", date(2024, 1, 1), "month"),
        ("The law was passed in 2019.", date(2019, 1, 1), "year"),
        ("The meeting was held on 2024-07-31.", date(2024, 7, 31), "day"),
        # ... and one that needs the publication date is not.
        ("Officials met last week.", None, None),
        ("The PRC announced on August 5 that it will act.", None, None),
        ("Officials met Tuesday.", None, None),
        ("China reported incidents in November.", None, None),
    ],
)
def test_without_a_publication_date_only_dates_stated_in_full_are_read(
    text: str, expected: date | None, precision: str | None
) -> None:
    mentions = date_mentions(text, None)
    assert [(m.on, m.precision.value) for m in mentions] == ([(expected, precision)] if expected else [])
    assert all(not m.after_publication for m in mentions)
    assert bool(relative_phrases(text)) is (expected is None)


def test_a_proposal_without_a_publication_date_leaves_a_relative_date_unresolved_and_says_so(
    index: PledgeIndex,
) -> None:
    # Written for this test.
    text = (
        "Chinese police arrested three men laundering money for the Sinaloa cartel last Thursday. "
        "Beijing added xylazine to its list of controlled substances on July 15, 2024."
    )
    by_pledge = {p.commitment_id: p for p in propose(text, None, index)}
    arrest = by_pledge["prc-money-laundering-enforcement"]
    assert arrest.event_date is None and arrest.event_date_earliest is None
    assert "'Thursday'" in arrest.date_note and "publication date" in arrest.date_note
    xylazine = by_pledge["prc-regulate-xylazine"]
    assert xylazine.event_date == date(2024, 7, 15) and xylazine.event_date_certainty is DateCertainty.STATED
    undated = propose("Chinese police arrested three men laundering money for the Sinaloa cartel.", None, index)
    assert undated[0].event_date is None and "no publication date" in undated[0].date_note


def test_words_that_look_like_dates_are_not_dates() -> None:
    assert date_mentions("It may take a second look at the march of events.", date(2024, 8, 6)) == []


# -- sentences and HTML ------------------------------------------------------------------


def test_sentences_are_cut_at_full_stops_but_not_after_abbreviations() -> None:
    text = "Mr. Wei met U.S. officials in Washington, D.C. on Aug. 5. The talks ended.\nHeading line"
    assert [s.text for s in split_sentences(text)] == [
        "Mr. Wei met U.S. officials in Washington, D.C. on Aug. 5.",
        "The talks ended.",
        "Heading line",
    ]


def test_html_is_read_as_text_and_scripts_are_dropped() -> None:
    html = "<html><head><title>x</title><script>alert('x')</script></head><body><p>China &amp; the US met.</p></body>"
    assert html_to_text(html) == "China & the US met."


# -- ranking -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(catalogue: Catalogue) -> PledgeIndex:
    return PledgeIndex.build(catalogue.commitments)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Written for this test, in the style of wire copy; not from the seed documents.
        ("Beijing said on Friday it would add xylazine to its list of controlled substances.", "prc-regulate-xylazine"),
        (
            "Chinese regulators placed several nitazene opioids under national control this spring.",
            "prc-schedule-nitazenes",
        ),
        (
            "Chinese police detained three suspects accused of money laundering for a Mexican cartel.",
            "prc-money-laundering-enforcement",
        ),
        ("China filed new incident reports with the INCB database last month.", "prc-report-to-incb"),
        ("Naloxone went on sale over the counter in pharmacies across the country.", "us-naloxone-over-the-counter"),
        (
            "The counternarcotics working group held its third meeting in Beijing on Thursday.",
            "cnwg-regular-meetings",
        ),
    ],
)
def test_an_unseen_sentence_ranks_its_pledge_first(index: PledgeIndex, sentence: str, expected: str) -> None:
    ranked = index.rank(sentence)
    assert ranked[0].commitment_id == expected
    assert ranked[0].matched_terms


@pytest.mark.parametrize(
    ("forms", "meet"),
    [
        (["controlled", "controls", "control"], True),
        (["regulation", "regulates", "regulated", "regulate"], True),
        (["enforcement", "enforced", "enforce"], True),
        (["internationally", "international"], True),
        (["seizures", "seizure"], True),
        (["crisis", "business"], False),  # not plurals: '-s' stays
    ],
)
def test_the_stemmer_meets_inflected_and_derived_forms(forms: list[str], meet: bool) -> None:
    assert (len({stem(f) for f in forms}) == 1) is meet


def test_a_keyword_phrase_keeps_its_small_words(index: PledgeIndex) -> None:
    # "over-the-counter" is a naloxone keyword; the verb "counter" alone is not.
    ranked = index.rank("The ministry vowed to counter the trade in synthetic drugs.")
    assert all(m.commitment_id != "us-naloxone-over-the-counter" or m.keyword_hits == 0 for m in ranked)
    assert index.rank("Naloxone is now sold over the counter.")[0].commitment_id == "us-naloxone-over-the-counter"


def test_a_keyword_several_pledges_share_does_not_propose_on_its_own(index: PledgeIndex) -> None:
    # Written for this test: background about the drug trade, naming no step any pledge asks for.
    assert bears_on(index.rank("Much of the world's supply of fentanyl precursors is made in a few countries.")) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # Written for this test, in the style of a readout; not from the seed documents.
        (
            "The delegations met in Beijing and reviewed recent arrests made by both sides.",
            {"cnwg-regular-meetings", "joint-law-enforcement-coordination"},
        ),
        (
            "Both sides agreed on information sharing about emerging drug threats and law enforcement cooperation.",
            {"joint-exchange-information-emerging-threats", "joint-law-enforcement-coordination"},
        ),
    ],
)
def test_a_sentence_naming_several_pledges_proposes_each(index: PledgeIndex, sentence: str, expected: set[str]) -> None:
    assert expected <= {m.commitment_id for m in bears_on(index.rank(sentence))}


def test_matched_terms_are_the_sentences_own_words(index: PledgeIndex) -> None:
    best = index.rank("Police in Guangdong arrested four people laundering money for Mexican cartels.")
    assert best[0].commitment_id in {"prc-money-laundering-enforcement", "joint-law-enforcement-coordination"}
    assert all(
        term.casefold() in "police in guangdong arrested four people laundering money for mexican cartels."
        for m in best
        for term in m.matched_terms
    )


def test_a_sentence_about_nothing_in_the_catalogue_gets_no_proposal(index: PledgeIndex) -> None:
    text = "The weather in Washington was warm. Markets closed higher on Friday after a quiet week."
    assert propose(text, date(2024, 8, 6), index) == []


def test_one_sentence_listing_several_steps_gives_each_its_own_date(index: PledgeIndex) -> None:
    text = (
        "Officials reviewed the June 18 announcement of the arrest of a man laundering money for the Sinaloa cartel, "
        "and the July 15 announcement to further regulate veterinary anesthetics including xylazine."
    )
    by_pledge = {p.commitment_id: p for p in propose(text, date(2024, 8, 6), index)}
    assert by_pledge["prc-regulate-xylazine"].event_date == date(2024, 7, 15)
    assert by_pledge["prc-money-laundering-enforcement"].event_date == date(2024, 6, 18)
    assert by_pledge["prc-money-laundering-enforcement"].kind is EvidenceKind.ENFORCEMENT_ACTION
    assert by_pledge["prc-regulate-xylazine"].kind is EvidenceKind.ANNOUNCEMENT


def test_a_sentence_without_a_date_takes_the_lead_of_the_document(index: PledgeIndex) -> None:
    text = (
        "On July 31, officials held a senior official meeting of the Counternarcotics Working Group. "
        "They also discussed information sharing on emerging threats."
    )
    second = next(p for p in propose(text, date(2024, 8, 1), index) if p.sentence_index == 1)
    assert second.event_date == date(2024, 7, 31)
    assert "lead" in second.date_note


# Keyword phrases in the forms writers use: written for these tests, not from the seed documents.
@pytest.mark.parametrize(
    ("sentence", "expected", "words"),
    [
        # one extra word inside the phrase ("emerging threats")
        (
            "The agencies will monitor emerging opioid threats together.",
            "joint-exchange-information-emerging-threats",
            "emerging opioid threats",
        ),
        # the governments' names are masked, so the words around them close up ("senior officials")
        (
            "Senior Chinese and American officials met in Geneva on Friday.",
            "cnwg-regular-meetings",
            "Senior Chinese and American officials",
        ),
        # a compound turned round with "of" ("precursor seizures", "information exchange")
        (
            "Inspectors reported seizures of precursors at two ports in May.",
            "joint-address-precursor-diversion",
            "seizures of precursors",
        ),
        (
            "Both ministries agreed on a regular exchange of information about drug routes.",
            "joint-exchange-information-emerging-threats",
            "exchange of information",
        ),
    ],
)
def test_a_keyword_phrase_is_found_in_the_forms_writers_use(
    index: PledgeIndex, sentence: str, expected: str, words: str
) -> None:
    proposed = bears_on(index.rank(sentence))
    assert proposed and proposed[0].commitment_id == expected
    assert words in proposed[0].matched_terms and proposed[0].keyword_hits > 0


def test_a_phrase_with_a_different_word_inside_is_not_the_keyword(index: PledgeIndex) -> None:
    # "precursor seizures" with one word between is found; turned round without "of" it is not.
    ranked = index.rank("Seizures rose while precursors fell.")
    assert all(m.keyword_hits == 0 for m in ranked)


def test_who_is_speaking_is_not_the_topic_even_at_the_start_of_a_clause(index: PledgeIndex) -> None:
    # "Senior administration officials said": the speaker, capitalised after a quotation, is masked
    # like "senior administration officials"; it is not news about the senior officials' meetings.
    sentence = "Fentanyl deaths keep rising, Senior administration officials said."
    assert "officials" not in mask_party_names(sentence)
    assert bears_on(index.rank(sentence)) == []


def test_two_shared_keywords_in_one_clause_are_as_specific_as_a_keyword_of_its_own(index: PledgeIndex) -> None:
    # "scheduling" and "precursor chemicals" are each shared with other pledges; together, in one
    # clause, they name the pledge to schedule precursor chemicals.
    ranked = index.rank("The ministry stepped up scheduling for precursor chemicals used by drug labs.")
    assert ranked[0].commitment_id == "prc-schedule-international-precursors"
    assert ranked[0].keyword_hits > 0 and bears_on(ranked)[0] == ranked[0]
    apart = index.rank("Scheduling was slow, officials said; precursor chemicals kept flowing.")
    international = next(m for m in apart if m.commitment_id == "prc-schedule-international-precursors")
    assert international.keyword_hits == 0  # the two words in different clauses are not a pair


SCHEDULING = "China's ministry placed three fentanyl precursors under national control on September 1."
POINTING_BACK = "These controls were welcomed in Washington."


def test_a_sentence_pointing_back_is_proposed_for_the_pledge_named_before_it(index: PledgeIndex) -> None:
    assert propose(POINTING_BACK, date(2024, 9, 10), index) == []  # alone, its words are too thin
    text = f"{SCHEDULING} {POINTING_BACK}"
    second = [p for p in propose(text, date(2024, 9, 10), index) if p.sentence_index == 1]
    assert second and second[0].commitment_id == "prc-schedule-three-precursors"
    assert second[0].text == POINTING_BACK
    lifted = rank_in_context(split_sentences(text), index)[1][0]
    assert lifted.commitment_id == "prc-schedule-three-precursors" and lifted.from_context > 0


def test_a_proposal_says_whether_its_pledge_came_from_an_earlier_sentence(index: PledgeIndex) -> None:
    proposals = propose(f"{SCHEDULING} {POINTING_BACK}", date(2024, 9, 10), index)
    assert {p.from_context for p in proposals if p.sentence_index == 0} == {False}
    assert {p.from_context for p in proposals if p.sentence_index == 1} == {True}


@pytest.mark.parametrize(
    "follower",
    [
        "The weather in Beijing was warm.",  # shares no word with the pledge
        "Scheduling chemicals this way was welcomed in Washington.",  # does not point back
        "Markets were calm. Traders were quiet. Shops were busy. These controls were welcomed.",
    ],
)
def test_the_sentences_before_do_not_make_a_sentence_bear_on_a_pledge_by_themselves(
    index: PledgeIndex, follower: str
) -> None:
    proposals = propose(f"{SCHEDULING} {follower}", date(2024, 9, 10), index)
    assert proposals and all(p.sentence_index == 0 for p in proposals)


MEETING = "On May 2, the two delegations met in Geneva for counternarcotics talks."


def test_a_sentence_opening_on_a_noun_follows_it_back_to_the_sentence_that_named_the_pledge(
    index: PledgeIndex,
) -> None:
    # Written for this test. "The delegations" is five sentences after the meeting, further than
    # the context window, but the sentences between keep mentioning the delegation.
    text = (
        f"{MEETING} Each delegation brought customs experts. Markets in Geneva were quiet. "
        "A second delegation arrived later. Lunch was served at noon. The delegations exchanged views."
    )
    last = [p for p in propose(text, date(2024, 5, 10), index) if p.sentence_index == 5]
    assert [p.commitment_id for p in last] == ["cnwg-regular-meetings"]
    assert rank_in_context(split_sentences(text), index)[5][0].from_context > 0


def test_a_noun_mentioned_nowhere_in_between_does_not_reach_back_past_the_context_window(index: PledgeIndex) -> None:
    text = (
        f"{MEETING} Customs experts came too. Markets in Geneva were quiet. "
        "Prices rose later. Lunch was served at noon. The delegations exchanged views."
    )
    assert all(p.sentence_index == 0 for p in propose(text, date(2024, 5, 10), index))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # A measure said to take effect on a date is a legal effect, in any tense.
        ("The export licence rule takes effect on November 10.", EvidenceKind.LEGAL_EFFECT),
        ("The new controls will take effect on July 1, the ministry announced.", EvidenceKind.LEGAL_EFFECT),
        ("The notice is effective November 10, 2025.", EvidenceKind.LEGAL_EFFECT),
        ("The amended regulation entered into force last month.", EvidenceKind.LEGAL_EFFECT),
        ("The decision went into effect Monday.", EvidenceKind.LEGAL_EFFECT),
        ("The ministry said the measure was effective in cutting exports.", EvidenceKind.STATEMENT),
        ("The ministry suspended the rule that took effect on May 1.", EvidenceKind.REVERSAL),
        ("Police arrested two chemical traders.", EvidenceKind.ENFORCEMENT_ACTION),
        ("The new controls took effect on Monday.", EvidenceKind.LEGAL_EFFECT),
        ("The ministry announced new controls.", EvidenceKind.ANNOUNCEMENT),
        ("The two delegations met in Beijing.", EvidenceKind.MEETING),
        ("The ministry repealed the regulation.", EvidenceKind.REVERSAL),
        ("China has not acted on the list, officials said.", EvidenceKind.CONTRADICTION),
        ("Officials will meet next month, the ministry announced.", EvidenceKind.ANNOUNCEMENT),
        ("Fentanyl remains a problem.", EvidenceKind.STATEMENT),
    ],
)
def test_the_kind_of_evidence_is_guessed_from_general_cue_words(text: str, kind: EvidenceKind) -> None:
    assert guess_kind(text) is kind


@pytest.mark.parametrize(
    ("publisher", "text", "expected"),
    [
        ("Ministry of Public Security", "Police closed two chemical firms.", SpeaksFor.COMMITTING_PARTY),
        ("Department of State", "Officials reviewed progress.", SpeaksFor.COUNTERPART),
        ("Department of State", "The PRC announced new controls.", SpeaksFor.COMMITTING_PARTY),
        ("Reuters", "Police closed two chemical firms.", SpeaksFor.INDEPENDENT),
        ("Reuters", "Beijing said police closed two firms.", SpeaksFor.COMMITTING_PARTY),
        ("INCB", "China filed 145 incident reports.", SpeaksFor.INTERNATIONAL_BODY),
    ],
)
def test_whose_word_a_sentence_rests_on(publisher: str, text: str, expected: SpeaksFor) -> None:
    assert speaks_for("PRC", "US", publisher, text) is expected


def test_a_sentence_saying_a_measure_takes_effect_on_a_date_is_proposed_as_a_legal_effect(index: PledgeIndex) -> None:
    # Written for this test.
    text = "Beijing's controls on xylazine will take effect on September 1, the ministry announced on Friday."
    proposal = propose(text, date(2024, 8, 20), index)[0]
    assert proposal.commitment_id == "prc-regulate-xylazine" and proposal.kind is EvidenceKind.LEGAL_EFFECT


# -- learning from recorded rows, rejections, explanations --------------------------------

# Written for these tests: a past row in the words a reporter might use, and a new sentence like it.
PAST_ROW = Example(
    commitment_id="joint-exchange-information-emerging-threats",
    text="Chinese anti-drug officials briefed their American counterparts on a new smuggling route through Laos.",
    evidence_id="ev-17",
    summary="PRC briefed the US on a smuggling route",
)
LIKE_IT = "Anti-drug officials briefed counterparts on another smuggling route through Laos."


def test_a_sentence_like_a_recorded_row_is_lifted_towards_its_pledge_and_names_the_row(index: PledgeIndex) -> None:
    pledge = "joint-exchange-information-emerging-threats"
    without = {m.commitment_id: m.score for m in index.rank(LIKE_IT)}.get(pledge, 0.0)
    learned = index.with_examples([PAST_ROW]).rank(LIKE_IT)
    assert learned[0].commitment_id == pledge and learned[0].score > without
    assert learned[0].from_examples > 0 and learned[0].similar_rows == (
        "ev-17: PRC briefed the US on a smuggling route",
    )
    proposal = next(
        p for p in propose(LIKE_IT, date(2024, 8, 6), index, examples=[PAST_ROW]) if p.commitment_id == pledge
    )
    assert "like recorded rows ev-17" in proposal.why and proposal.similar_rows
    # A row of a pledge the catalogue does not hold teaches nothing; a sentence unlike any row gains nothing.
    assert index.with_examples([PAST_ROW.model_copy(update={"commitment_id": "no-such"})]).examples is None
    assert all(m.from_examples == 0 for m in index.with_examples([PAST_ROW]).rank("Markets rose on Friday."))


def test_recorded_rows_become_examples(catalogue: Catalogue) -> None:
    examples = examples_from(catalogue.evidence)
    assert len(examples) == len(catalogue.evidence)
    first, row = examples[0], catalogue.evidence[0]
    assert (first.commitment_id, first.evidence_id, first.summary) == (row.commitment_id, row.id, row.summary)
    assert row.quote in first.text and first.source == row.source.reference


def test_a_rejected_proposal_is_not_proposed_again_for_the_document(index: PledgeIndex) -> None:
    text = "Officials met. Beijing said it would add xylazine to its list of controlled substances on Friday."
    first = propose(text, date(2024, 8, 6), index)
    assert (1, "prc-regulate-xylazine") in {(p.sentence_index, p.commitment_id) for p in first}
    again = propose(text, date(2024, 8, 6), index, rejected={(1, "prc-regulate-xylazine")})
    assert (1, "prc-regulate-xylazine") not in {(p.sentence_index, p.commitment_id) for p in again}
    assert len(again) == len(first) - 1


def test_every_proposal_says_why_in_words(index: PledgeIndex) -> None:
    for p in propose(f"{SCHEDULING} {POINTING_BACK}", date(2024, 9, 10), index):
        assert p.why
        assert all(f"'{t}'" in p.why for t in p.matched_terms)
        assert ("earlier sentence" in p.why) is p.from_context


def test_proposals_are_best_first_and_never_after_publication(index: PledgeIndex) -> None:
    text = (PROJECT_DIR / "data" / "sources" / "000_ff48dbe7871fff2a.txt").read_text(encoding="utf-8")
    proposals = propose(text, date(2024, 8, 6), index, publisher="Department of State")
    assert [p.score for p in proposals] == sorted((p.score for p in proposals), reverse=True)
    assert all(p.event_date is None or p.event_date <= date(2024, 8, 6) for p in proposals)
    xylazine = [p for p in proposals if p.commitment_id == "prc-regulate-xylazine"]
    assert xylazine and xylazine[0].event_date == date(2024, 7, 15)


# -- the match command -------------------------------------------------------------------


def run_match(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "commitments", "match", *args],
        cwd=PROJECT_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_match_prints_a_json_array_of_proposals_best_first() -> None:
    text = "Beijing said it would add xylazine to its list of controlled substances on July 15. Markets rose."
    result = run_match("--published", "2024-08-06", "--source-publisher", "Xinhua", stdin=text)
    assert result.returncode == 0, result.stderr
    proposals = json.loads(result.stdout)
    assert proposals[0]["commitment_id"] == "prc-regulate-xylazine"
    assert {"commitment_id", "score", "event_date", "text", "matched_terms"} <= proposals[0].keys()
    assert proposals[0]["event_date"] == "2024-07-15"
    assert proposals[0]["speaks_for"] == "committing_party"
    assert [p["score"] for p in proposals] == sorted((p["score"] for p in proposals), reverse=True)
    Proposal.model_validate(proposals[0])


def test_match_says_which_proposals_took_their_pledge_from_an_earlier_sentence() -> None:
    result = run_match("--published", "2024-09-10", stdin=f"{SCHEDULING} {POINTING_BACK}")
    assert result.returncode == 0, result.stderr
    flags = {(p["text"], p["from_context"]) for p in json.loads(result.stdout)}
    assert (SCHEDULING, False) in flags and (POINTING_BACK, True) in flags
    assert all(isinstance(flag, bool) for _, flag in flags)


def test_match_reads_a_document_without_a_publication_date() -> None:
    text = "Beijing said it would add xylazine to its list of controlled substances on Tuesday."
    result = run_match(stdin=text)
    assert result.returncode == 0, result.stderr
    proposal = json.loads(result.stdout)[0]
    assert proposal["commitment_id"] == "prc-regulate-xylazine"
    assert proposal["event_date"] is None and "'Tuesday'" in proposal["date_note"]
    assert "optional" in run_match("--help", stdin="").stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--published", "2024-13-01"], "text", "--published"),
        (["--published", "2024-08-06"], "   \n", "stdin"),
        (["--published", "2024-08-06", "--top", "0"], "text", "--top"),
    ],
)
def test_match_refuses_bad_input_with_one_line(args: list[str], stdin: str, message: str) -> None:
    result = run_match(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- the accept path ---------------------------------------------------------------------

DOCUMENT = (
    "On July 15, the PRC announced that it will further regulate veterinary anesthetics including xylazine. "
    "On June 18, PRC police arrested a man laundering money for the Sinaloa cartel."
)


def reviewed_rows(catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    for p in propose(DOCUMENT, date(2024, 8, 6), catalogue.commitments, publisher="Department of State", top=1):
        rows.append({**p.model_dump(), "summary": p.summary[:120]})
    return rows


def test_accepted_rows_land_once_with_the_sentence_and_the_document(store: Store, catalogue: Catalogue) -> None:
    before = len(store.evidence())
    document = new_document(
        DOCUMENT, "Readout", "analyst", publisher="Department of State", published_on=date(2024, 8, 6)
    )
    rows = reviewed_rows(catalogue)
    assert {r["commitment_id"] for r in rows} == {"prc-regulate-xylazine", "prc-money-laundering-enforcement"}
    assert len(store.evidence()) == before  # proposing wrote nothing

    saved = accept(store, document, rows)
    assert len(saved) == 2
    assert len(store.evidence()) == before + 2
    again = accept(store, document, rows)  # a second click
    assert [e.id for e in again] == [e.id for e in saved]
    assert len(store.evidence()) == before + 2

    for row in saved:
        assert row.source.reference == f"document:{document_id(DOCUMENT)}"
        assert row.quote in DOCUMENT and row.quote.startswith("On ")
        assert row.recorded_by == "analyst"
    kept = get_document(store, saved[0].source.reference)
    assert kept is not None and kept.text == DOCUMENT and kept.id == document_id(DOCUMENT)


def test_a_bad_row_refuses_the_whole_acceptance_and_writes_nothing(store: Store, catalogue: Catalogue) -> None:
    before = len(store.evidence())
    document = new_document(DOCUMENT, "Readout", "analyst", published_on=date(2024, 8, 6))
    rows = reviewed_rows(catalogue)
    rows[1] = {**rows[1], "event_date": date(2024, 9, 1)}  # after publication
    with pytest.raises(DocumentError, match=r"row 2, event_date"):
        accept(store, document, rows)
    rows[1] = {**rows[1], "event_date": date(2024, 6, 18), "commitment_id": "no-such-pledge"}
    with pytest.raises(StoreError, match="no-such-pledge"):
        accept(store, document, rows)
    assert len(store.evidence()) == before
    assert get_document(store, document.id) is None


# -- the evaluation ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def evaluation() -> dict[str, dict[str, float]]:
    """bench/match_eval.py's figures by part: seed, tune, test ({"seed": {"top-1 accuracy": 0.9, ...}})."""
    result = subprocess.run(
        [sys.executable, "bench/match_eval.py"], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=300
    )
    print(result.stdout)
    figures: dict[str, dict[str, float]] = {}
    for part, name, value in re.findall(r"^(seed|tune|test) ([a-z0-9 -]+): ([0-9.]+)", result.stdout, re.MULTILINE):
        figures.setdefault(part, {})[name] = float(value)
    names = {"top-1 accuracy", "recall at 3", "date accuracy", "day-date accuracy", "false-proposal rate"}
    assert all(names <= figures.get(part, {}).keys() for part in ("seed", "tune", "test")), result.stdout
    return figures


def test_the_evaluation_meets_the_date_accuracy_target(evaluation: dict[str, dict[str, float]]) -> None:
    assert evaluation["seed"]["date accuracy"] >= 0.9


def test_the_evaluation_meets_the_top_1_target(evaluation: dict[str, dict[str, float]]) -> None:
    assert evaluation["seed"]["top-1 accuracy"] >= 0.9


# The real set's tuning part, as it stands (bench/match_eval.py's docstring): a floor a change
# must not fall through. The test part is reported, never held here: it is not tuned on.
TUNE_FLOOR = {"top-1 accuracy": 0.75, "recall at 3": 0.8, "day-date accuracy": 0.6}
TUNE_CEILING = {"false-proposal rate": 0.5}


@pytest.mark.parametrize("name", sorted(TUNE_FLOOR))
def test_the_tuning_part_does_not_fall_below_its_floor(evaluation: dict[str, dict[str, float]], name: str) -> None:
    assert evaluation["tune"][name] >= TUNE_FLOOR[name]


def test_the_tuning_part_does_not_propose_more_on_negatives(evaluation: dict[str, dict[str, float]]) -> None:
    assert evaluation["tune"]["false-proposal rate"] <= TUNE_CEILING["false-proposal rate"]


def test_the_real_evaluation_set_is_valid_against_the_catalogue() -> None:
    """Labels naming a pledge the catalogue lacks (or a date not in its passage) would skew every figure."""
    result = subprocess.run(
        [sys.executable, "bench/validate_match_eval_real.py"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("OK")
