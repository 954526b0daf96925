"""The catalogue in data/: it loads, it cites its sources faithfully, and it invents nothing.

Two kinds of row live side by side. Seed rows (`seed-NNN-MM`) quote one of the five seed
documents in data/sources/ word for word; every other row comes from a public web page we
may not copy, so it is a paraphrase with the page's URL and its publication date (or a
date note saying why there is none). Counts are read from the files, never written here.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from commitments.files.catalog import DATA_DIR, load_catalogue
from commitments.files.evidence_csv import EVIDENCE_COLUMNS
from commitments.ledger import Ledger, View
from commitments.models import DateCertainty, QuoteKind, SourceStrength, Stage
from tests.engine import status_as_of

REQUIRED_IDS = {
    "prc-shut-down-precursor-firms",
    "prc-schedule-three-precursors",
    "prc-report-to-incb",
    "prc-schedule-nitazenes",
    "prc-regulate-xylazine",
    "prc-money-laundering-enforcement",
    "cnwg-regular-meetings",
}
THEMES = {
    "precursor-control",
    "scheduling",
    "law-enforcement",
    "illicit-finance",
    "information-exchange",
    "multilateral",
    "dialogue",
    "public-health",
    "trade",
}
# The pledges and the web sources the catalogue was brought up to the present with.
NEW_IDS = {
    "prc-pill-press-controls",
    "prc-industry-notices",
    "us-entity-list-removal-ifs",
    "us-fentanyl-tariffs-2025",
    "prc-precursor-export-controls-2025",
    "us-tariff-reduction-2025",
}
WEB_ROW_ID = re.compile(r"pub-[a-z]\d{3}")
WEB_RECORDER = "catalogue research"
CSV_PATH = DATA_DIR / "evidence.csv"


def normalise(text: str) -> str:
    """Collapse every run of whitespace (incl. non-breaking spaces and newlines) to one space."""
    return " ".join(text.split())


@cache
def source_text(reference: str) -> str:
    path = DATA_DIR / reference
    assert path.is_file(), f"cited file {reference} does not exist under data/"
    return normalise(path.read_text(encoding="utf-8"))


def is_seed_pledge(commitment) -> bool:  # type: ignore[no-untyped-def]
    """A pledge recorded in the seed documents: every source is a file under data/sources/."""
    return all(s.reference.startswith("sources/") and not s.url for s in commitment.sources)


def is_seed_row(evidence) -> bool:  # type: ignore[no-untyped-def]
    return evidence.id.startswith("seed-")


def says_why_undated(note: str) -> bool:
    return "no publication date" in note.casefold()


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_catalogue_loads():
    catalogue = load_catalogue()
    assert catalogue.commitments
    assert catalogue.evidence
    # The title names the years covered: from the first pledge to the latest evidence.
    first_year = min(c.pledged_on.year for c in catalogue.commitments)
    last_year = max(e.event_date.year for e in catalogue.evidence)
    assert catalogue.title == f"US–PRC counternarcotics commitments, {first_year}–{last_year}"


def test_required_commitments_present(catalogue):
    assert {c.id for c in catalogue.commitments} >= REQUIRED_IDS | NEW_IDS


def test_parties_and_themes(catalogue):
    for c in catalogue.commitments:
        assert c.theme in THEMES, c.id
        assert c.party in {"PRC", "US", "joint"}, c.id
        if c.party == "joint":
            assert c.counterpart == "", c.id
        else:
            assert c.counterpart in {"PRC", "US"} and c.counterpart != c.party, c.id


def test_seed_pledges_quote_their_seed_verbatim(catalogue):
    seeds = [c for c in catalogue.commitments if is_seed_pledge(c)]
    assert seeds
    for c in seeds:
        assert c.quote, f"{c.id} has no quote"
        assert c.quote_kind is QuoteKind.VERBATIM, c.id
        texts = [source_text(s.reference) for s in c.sources]
        assert any(normalise(c.quote) in t for t in texts), f"{c.id}: quote not found in its sources"


def test_seed_pledge_sources_have_no_invented_urls_or_dates(catalogue):
    for c in catalogue.commitments:
        if not is_seed_pledge(c):
            continue
        for s in c.sources:
            assert s.url == "", f"{c.id}: the seed documents have no URLs"
            assert s.published_on is None, f"{c.id}: no seed states its publication date"
            assert s.reference.startswith("sources/"), c.id


def test_other_pledges_are_paraphrased_from_web_sources(catalogue):
    others = [c for c in catalogue.commitments if not is_seed_pledge(c)]
    assert {c.id for c in others} >= NEW_IDS
    for c in others:
        assert c.quote, f"{c.id} has no quote"
        assert c.quote_kind is QuoteKind.PARAPHRASE, f"{c.id}: a web source's words are paraphrased, not copied"
        assert c.due_on is None, f"{c.id}: no source states a negotiated deadline"
        for s in c.sources:
            assert re.match(r"^https?://", s.url), f"{c.id}: {s.title!r} has no web address"
            assert s.reference == "", c.id
        if any(s.published_on is None for s in c.sources):
            assert says_why_undated(c.note), f"{c.id}: the note must say which source shows no publication date"


def test_incb_indicator(catalogue):
    indicator = catalogue.commitment("prc-report-to-incb").indicator
    assert indicator is not None
    assert indicator.unit == "drug-related incidents reported to the INCB database"
    assert indicator.baseline == 0
    assert indicator.target is None
    assert "first time in almost three years" in indicator.note


def test_csv_header_is_the_evidence_format():
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == list(EVIDENCE_COLUMNS)


def test_seed_rows_quote_their_seed_verbatim(catalogue):
    seeds = [e for e in catalogue.evidence if is_seed_row(e)]
    assert seeds
    for e in seeds:
        assert e.quote, f"{e.id} has no quote"
        assert e.quote_kind is QuoteKind.VERBATIM, e.id
        assert normalise(e.quote) in source_text(e.source.reference), f"{e.id}: quote not found in {e.source.reference}"


def test_evidence_ids_name_their_source(catalogue):
    ids = [e.id for e in catalogue.evidence]
    assert len(ids) == len(set(ids))
    for e in catalogue.evidence:
        if is_seed_row(e):
            match = re.fullmatch(r"seed-(\d{3})-(\d{2})", e.id)
            assert match, e.id
            assert Path(e.source.reference).name.startswith(match.group(1) + "_"), e.id
        else:
            assert WEB_ROW_ID.fullmatch(e.id), f"{e.id}: rows from web sources are pub-<batch><NNN>"


def test_seed_rows_have_no_invented_urls_or_dates(catalogue):
    for e in catalogue.evidence:
        if is_seed_row(e):
            assert e.source.url == "", e.id
            assert e.source.published_on is None, e.id
            assert e.recorded_by == "seed catalogue", e.id


def test_other_rows_are_dated_paraphrases_of_web_pages(catalogue):
    others = [e for e in catalogue.evidence if not is_seed_row(e)]
    assert others
    for e in others:
        assert e.quote, f"{e.id} has no quote"
        assert e.quote_kind is QuoteKind.PARAPHRASE, f"{e.id}: a web source's words are paraphrased, not copied"
        assert re.match(r"^https?://", e.source.url), f"{e.id}: no web address"
        assert e.source.reference == "", e.id
        assert e.source.title and e.source.publisher, e.id
        assert e.source.published_on is not None or says_why_undated(e.date_note), (
            f"{e.id}: no publication date, and the date note does not say why"
        )
        assert e.recorded_by == WEB_RECORDER, e.id


def test_the_same_page_is_cited_the_same_way(catalogue):
    """One URL, one title and publisher: the engine counts publishers, so spellings must agree."""
    cited: dict[str, tuple[str, str, object]] = {}
    for e in catalogue.evidence:
        if e.source.url:
            seen = cited.setdefault(e.source.url, (e.source.title, e.source.publisher, e.source.published_on))
            assert seen == (e.source.title, e.source.publisher, e.source.published_on), e.id


def test_strengths_are_set_on_every_web_row(raw_rows):
    for row in raw_rows:
        if not row["id"].startswith("seed-"):
            assert row["source_strength"] in {s.value for s in SourceStrength}, row["id"]


def test_stated_dates_show_their_year(catalogue):
    # "stated" means the document itself gives the date with its year; the year must then
    # be visible in the quote or in the note that explains the date.
    for e in catalogue.evidence:
        if e.event_date_certainty is DateCertainty.STATED:
            assert str(e.event_date.year) in e.quote + " " + e.date_note, e.id
        else:
            assert e.date_note, f"{e.id}: a resolved or approximate date needs a date_note"


def test_cells_are_formula_safe(raw_rows):
    for number, row in enumerate(raw_rows, start=2):
        for column, cell in row.items():
            assert not (cell or "").startswith(("=", "+", "-", "@", "\t", "\r")), (number, column)


def test_incb_submission_value(catalogue):
    rows = [e for e in catalogue.evidence if e.commitment_id == "prc-report-to-incb" and e.value is not None]
    assert [(e.event_date, e.value) for e in rows] == [(date(2023, 11, 1), 145)]


def test_three_precursors_announced_in_early_august_2024(catalogue):
    commitment = catalogue.commitment("prc-schedule-three-precursors")
    before = status_as_of(commitment, catalogue.evidence, date(2024, 8, 1))
    after = status_as_of(commitment, catalogue.evidence, date(2024, 8, 10))
    assert before is not None and after is not None
    assert before.stage is Stage.PLEDGED
    assert after.stage is Stage.ANNOUNCED


def test_where_sources_disagree_on_a_date_both_are_kept(catalogue):
    def announced_on(pledge: str) -> set[date]:
        return {
            e.event_date
            for e in catalogue.evidence
            if e.commitment_id == pledge and e.kind == "announcement" and e.event_date.year == 2024
        }

    # ChemRadar has the PRC's announcement on August 2, the State Department on August 5.
    assert {date(2024, 8, 2), date(2024, 8, 5)} <= announced_on("prc-schedule-three-precursors")
    # The NNCC's notice to industry: Thursday 16 or Friday 17 November 2023.
    notice = {e.event_date for e in catalogue.evidence if e.commitment_id == "prc-industry-notices"}
    assert {date(2023, 11, 16), date(2023, 11, 17)} <= notice


def test_no_seed_pledge_is_verified_on_one_weak_report(catalogue):
    """As of 10 Aug 2024 the seeds hold no official record or named investigation by anyone
    but the committing party: the INCB figure comes from an advocacy site's own reporting,
    the meeting from an unattributed news report. Neither verifies."""
    ledger = Ledger.from_models(catalogue.commitments, catalogue.evidence)
    board = {s.commitment_id: s for s in ledger.board(View(as_of=date(2024, 8, 10)))}
    assert board["prc-report-to-incb"].stage is not Stage.VERIFIED
    assert board["prc-report-to-incb"].label == "in effect (reported)"
    assert "Not verified: reported by" in board["prc-report-to-incb"].missing
    for status in board.values():
        if status.stage is Stage.VERIFIED:
            assert status.verified_by
            assert (
                all(
                    c.strength in (SourceStrength.OFFICIAL_RECORD, SourceStrength.NAMED_INVESTIGATION)
                    for c in status.verified_by
                )
                or len({c.publisher for c in status.verified_by}) >= 2
            )


def test_every_pledge_states_its_criteria(catalogue):
    for c in catalogue.commitments:
        assert c.criteria is not None, c.id
        assert all(len(text) > 20 for text in (c.criteria.announced, c.criteria.in_effect, c.criteria.verified))


def test_the_board_reaches_the_present(catalogue):
    """As of 1 December 2026 every pledge has a status, and rows from 2025–2026 count."""
    as_of = date(2026, 12, 1)
    ledger = Ledger.from_models(catalogue.commitments, catalogue.evidence)
    board = {s.commitment_id: s for s in ledger.board(View(as_of=as_of))}
    assert set(board) == {c.id for c in catalogue.commitments}
    recent = {e.id for e in catalogue.evidence if e.event_date.year >= 2025 and e.known_on <= as_of}
    assert recent
    assert sum(s.evidence_count for s in board.values()) == sum(e.known_on <= as_of for e in catalogue.evidence)
    deciding = {i for s in board.values() for i in s.evidence_ids}
    assert deciding & recent, "no 2025-2026 row decides a stage or a flag"
    for pledge in ("us-fentanyl-tariffs-2025", "prc-precursor-export-controls-2025", "us-tariff-reduction-2025"):
        assert board[pledge].stage >= Stage.ANNOUNCED, pledge
        assert board[pledge].last_evidence_on is not None and board[pledge].last_evidence_on.year >= 2025, pledge


def test_verification_rests_on_strong_or_corroborated_independent_rows(catalogue):
    """At every date a row became known, a verified pledge names who verified it, and they are
    an official record or named investigation, or sourced reports from two publishers."""
    ledger = Ledger.from_models(catalogue.commitments, catalogue.evidence)
    for day in sorted({e.known_on for e in catalogue.evidence}):
        for status in ledger.board(View(as_of=day)):
            if status.stage is not Stage.VERIFIED:
                continue
            strong = [
                c
                for c in status.verified_by
                if c.strength in (SourceStrength.OFFICIAL_RECORD, SourceStrength.NAMED_INVESTIGATION)
            ]
            assert strong or len({c.publisher.casefold() for c in status.verified_by}) >= 2, (day, status.commitment_id)


def test_the_data_readme_lists_every_web_source():
    """data/README.md lists every page read; at least every page the files cite."""
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    catalogue = load_catalogue()
    urls = {e.source.url for e in catalogue.evidence} | {s.url for c in catalogue.commitments for s in c.sources}
    missing = sorted(u for u in urls - {""} if u not in readme)
    assert not missing, missing
