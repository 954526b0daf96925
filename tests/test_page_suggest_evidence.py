"""The Suggest evidence page, driven through dashboard.py: proposals appear, nothing is
written before acceptance, and accepting two rows records exactly two rows, once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from commitments.store.store import Store
from commitments.suggest.documents import document_id, get_document

DASHBOARD = str(Path(__file__).resolve().parent.parent / "dashboard.py")
PAGE = "pages/suggest_evidence.py"

# Written for this test in the style of a readout; not one of the seed documents.
DOCUMENT = (
    "On July 15, the PRC announced that it will further regulate veterinary anesthetics including xylazine.\n"
    "On June 18, PRC police arrested a man laundering money for the Sinaloa cartel.\n"
    "The weather in Washington was warm."
)


@pytest.fixture
def db(dashboard_db: str) -> str:
    return dashboard_db


def evidence_count(url: str) -> int:
    store = Store(url)
    try:
        return len(store.evidence())
    finally:
        store.dispose()


def open_page() -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def suggested(at: AppTest) -> AppTest:
    at.text_input(key="recorder_name").input("Test Analyst")
    at.text_area(key="sg_text").input(DOCUMENT)
    at.date_input(key="sg_published").set_value(date(2024, 8, 6))
    at.text_input(key="sg_title").input("Readout of a meeting")
    at.text_input(key="sg_publisher").input("Department of State")
    at.button[0].click().run()
    assert not at.exception
    return at


def test_proposals_appear_and_nothing_is_written_before_accepting(db: str) -> None:
    at = open_page()
    before = evidence_count(db)
    at = suggested(at)
    table = at.dataframe[0].value
    assert {"prc-regulate-xylazine", "prc-money-laundering-enforcement"} <= set(table["commitment_id"])
    assert not any("weather" in str(text) for text in table["text"]), "a sentence on nothing is proposed"
    assert not table["accept"].any()
    dates = dict(zip(table["commitment_id"], table["event_date"], strict=True))
    assert str(dates["prc-regulate-xylazine"])[:10] == "2024-07-15"
    assert any("Nothing is recorded until you accept" in i.value for i in at.info)
    assert evidence_count(db) == before


def test_accepting_two_rows_records_exactly_two_rows_once(db: str) -> None:
    at = suggested(open_page())
    before = evidence_count(db)
    key = f"sg_editor_{at.session_state['sg_generation']}"
    at.session_state[key] = {
        "edited_rows": {0: {"accept": True}, 1: {"accept": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    accept = next(b for b in at.button if b.label == "Accept ticked rows")
    accept.click().run()
    assert not at.exception
    assert evidence_count(db) == before + 2
    assert any("Recorded 2 new row(s)" in s.value for s in at.success)

    accept = next(b for b in at.button if b.label == "Accept ticked rows")
    accept.click().run()  # a second click
    assert evidence_count(db) == before + 2
    assert any("Recorded 0 new row(s)" in s.value and "2 already on record" in s.value for s in at.success)

    store = Store(db)
    rows = [e for e in store.evidence() if e.source.reference == f"document:{document_id(DOCUMENT)}"]
    kept = get_document(store, document_id(DOCUMENT))
    store.dispose()
    assert len(rows) == 2
    assert all(r.quote in DOCUMENT and r.recorded_by == "Test Analyst" for r in rows)
    assert kept is not None and kept.text == DOCUMENT


def test_accepting_without_a_title_names_the_field_and_writes_nothing(db: str) -> None:
    at = suggested(open_page())
    at.text_input(key="sg_title").input("")
    at.button[0].click().run()  # suggest again, now without a title
    before = evidence_count(db)
    key = f"sg_editor_{at.session_state['sg_generation']}"
    at.session_state[key] = {"edited_rows": {0: {"accept": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    next(b for b in at.button if b.label == "Accept ticked rows").click().run()
    assert any(e.value.startswith("Source title:") for e in at.error)
    assert evidence_count(db) == before


def test_the_table_says_read_only_which_rows_took_their_pledge_from_an_earlier_sentence(db: str) -> None:
    # Written for this test: the second sentence names its pledge only by pointing back.
    first = "On July 15, the PRC announced that it will further regulate veterinary anesthetics including xylazine."
    second = "These rules on veterinary medicines were welcomed in Washington."
    at = open_page()
    at.text_input(key="recorder_name").input("Test Analyst")
    at.text_area(key="sg_text").input(f"{first}\n{second}")
    at.date_input(key="sg_published").set_value(date(2024, 8, 6))
    at.button[0].click().run()
    assert not at.exception
    editor = at.dataframe[0]
    table = editor.value
    flags = dict(zip(table["text"], table["from_context"], strict=True))
    assert flags == {first: False, second: True}
    column = json.loads(editor.proto.columns)["from_context"]
    assert column["label"] == "From earlier sentence" and column["disabled"] is True


def test_a_document_without_a_publication_date_is_read_and_its_relative_dates_stay_unresolved(db: str) -> None:
    at = open_page()
    at.text_input(key="recorder_name").input("Test Analyst")
    # Written for this test: one date stated in full, one relative.
    at.text_area(key="sg_text").input(
        "On July 15, 2024, the PRC announced that it will further regulate veterinary anesthetics including "
        "xylazine.\nOn Tuesday, PRC police arrested a man laundering money for the Sinaloa cartel."
    )
    at.button[0].click().run()
    assert not at.exception
    table = at.dataframe[0].value
    dates = dict(zip(table["commitment_id"], table["event_date"], strict=True))
    assert str(dates["prc-regulate-xylazine"])[:10] == "2024-07-15"
    assert pd.isna(dates["prc-money-laundering-enforcement"])
    assert any("No publication date" in i.value for i in at.info)


def test_kinds_and_whose_word_are_offered_as_words_and_each_row_says_why(db: str) -> None:
    at = suggested(open_page())
    editor = at.dataframe[0]
    columns = json.loads(editor.proto.columns)
    for name, value, words in [
        ("kind", "enforcement_action", "enforcement action"),
        ("speaks_for", "committing_party", "committing party"),
        ("event_date_certainty", "inferred", "inferred"),
    ]:
        options = {o["value"]: o["label"] for o in columns[name]["type_config"]["options"]}
        assert options[value] == words
    why = dict(zip(editor.value["commitment_id"], editor.value["why"], strict=True))
    assert "'xylazine'" in why["prc-regulate-xylazine"]
    # The seeded catalogue's recorded rows are examples: a sentence like one names it.
    assert "like recorded rows" in why["prc-money-laundering-enforcement"]


def test_a_rejected_proposal_leaves_the_table_and_is_not_proposed_again_for_the_document(db: str) -> None:
    at = suggested(open_page())
    table = at.dataframe[0].value
    first = (int(table["sentence_index"][0]), table["commitment_id"][0])
    key = f"sg_editor_{at.session_state['sg_generation']}"
    at.session_state[key] = {"edited_rows": {0: {"reject": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    next(b for b in at.button if b.label == "Reject ticked rows").click().run()
    assert not at.exception
    assert any("Rejected 1 proposal" in i.value for i in at.info)
    left = at.dataframe[0].value
    assert first not in set(zip(left["sentence_index"].astype(int), left["commitment_id"], strict=True))
    at.button[0].click().run()  # suggest again, the same document
    again = at.dataframe[0].value
    assert first not in set(zip(again["sentence_index"].astype(int), again["commitment_id"], strict=True))
    assert len(again) == len(table) - 1
