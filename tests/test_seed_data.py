"""The seed data in data/: it loads, it cites its sources faithfully, and it invents nothing."""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from commitments.files.catalog import DATA_DIR, load_catalogue
from commitments.files.evidence_csv import EVIDENCE_COLUMNS
from commitments.models import DateCertainty, Stage
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
}
CSV_PATH = DATA_DIR / "evidence.csv"


def normalise(text: str) -> str:
    """Collapse every run of whitespace (incl. non-breaking spaces and newlines) to one space."""
    return " ".join(text.split())


@cache
def source_text(reference: str) -> str:
    path = DATA_DIR / reference
    assert path.is_file(), f"cited file {reference} does not exist under data/"
    return normalise(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_catalogue_loads():
    catalogue = load_catalogue()
    assert catalogue.title == "US–PRC counternarcotics commitments, 2023–2024"
    assert catalogue.commitments
    assert catalogue.evidence


def test_required_commitments_present(catalogue):
    assert {c.id for c in catalogue.commitments} >= REQUIRED_IDS


def test_parties_and_themes(catalogue):
    for c in catalogue.commitments:
        assert c.theme in THEMES, c.id
        assert c.party in {"PRC", "US", "joint"}, c.id
        if c.party == "joint":
            assert c.counterpart == "", c.id
        else:
            assert c.counterpart in {"PRC", "US"} and c.counterpart != c.party, c.id


def test_commitment_quotes_are_verbatim(catalogue):
    for c in catalogue.commitments:
        assert c.quote, f"{c.id} has no quote"
        texts = [source_text(s.reference) for s in c.sources]
        assert any(normalise(c.quote) in t for t in texts), f"{c.id}: quote not found in its sources"


def test_commitment_sources_have_no_invented_urls_or_dates(catalogue):
    for c in catalogue.commitments:
        for s in c.sources:
            assert s.url == "", f"{c.id}: the seed documents have no URLs"
            assert s.published_on is None, f"{c.id}: no seed states its publication date"
            assert s.reference.startswith("sources/"), c.id


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


def test_evidence_quotes_are_verbatim(catalogue):
    for e in catalogue.evidence:
        assert e.quote, f"{e.id} has no quote"
        assert normalise(e.quote) in source_text(e.source.reference), f"{e.id}: quote not found in {e.source.reference}"


def test_evidence_ids_name_their_seed_file(catalogue):
    ids = [e.id for e in catalogue.evidence]
    assert len(ids) == len(set(ids))
    for e in catalogue.evidence:
        match = re.fullmatch(r"seed-(\d{3})-(\d{2})", e.id)
        assert match, e.id
        assert Path(e.source.reference).name.startswith(match.group(1) + "_"), e.id


def test_evidence_sources_have_no_invented_urls_or_dates(catalogue):
    for e in catalogue.evidence:
        assert e.source.url == "" or re.match(r"^https?://", e.source.url), e.id
        assert e.source.published_on is None, e.id
        assert e.recorded_by == "seed catalogue", e.id


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


def test_three_precursors_announced_on_august_5(catalogue):
    commitment = catalogue.commitment("prc-schedule-three-precursors")
    before = status_as_of(commitment, catalogue.evidence, date(2024, 8, 1))
    after = status_as_of(commitment, catalogue.evidence, date(2024, 8, 10))
    assert before is not None and after is not None
    assert before.stage is Stage.PLEDGED
    assert after.stage is Stage.ANNOUNCED


def test_no_seed_pledge_is_verified_on_one_weak_report(catalogue):
    """As of 10 Aug 2024 the seeds hold no official record or named investigation by anyone
    but the committing party: the INCB figure comes from an advocacy site's own reporting,
    the meeting from an unattributed news report. Neither verifies."""
    from commitments.ledger import Ledger, View
    from commitments.models import SourceStrength, Stage

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
