"""The CSV exports are byte for byte what the csv module writes, formulas neutralised.

The reference below writes one dict per row through `write_rows` (the csv module's
minimal quoting, CRLF line ends, the one neutralising rule); the exports use pandas'
writer after neutralising whole columns, which is several times faster.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.files.evidence_csv import write_rows
from commitments.files.export import EXPORTS, evidence_log_csv, frame_to_csv
from commitments.frames import SELECTION_COLUMNS, board_frame, evidence_frame, history_frame, selection_frame
from commitments.ledger import Ledger, View
from commitments.models import Evidence
from commitments.synth import generate


def reference_csv(frame: pd.DataFrame) -> str:
    """The csv module, one dict per row: missing values empty, dates ISO."""

    def cell(value: object) -> object:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return ""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value.isoformat()
        return value

    records = [{str(k): cell(v) for k, v in row.items()} for row in frame.to_dict("records")]
    return write_rows(records, [str(c) for c in frame.columns])


cells = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("=+-@\t\r\n\",' aZ9é;")), max_size=8),
    st.integers(-5, 5),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells, st.text(max_size=6)), max_size=12))
def test_any_cells_give_the_reference_bytes(rows: list[tuple[object, object, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"], dtype=object)
    assert frame_to_csv(frame) == reference_csv(frame)


texts = st.one_of(st.none(), st.text(alphabet=st.sampled_from(list("=+-@\t\r\n\",' aZ9é;")), max_size=8))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 3),
    st.lists(st.lists(texts, min_size=3, max_size=3), min_size=1, max_size=12),
    st.booleans(),
    st.lists(st.one_of(st.none(), st.dates()), min_size=12, max_size=12),
)
def test_frames_of_text_give_the_reference_bytes(
    width: int, rows: list[list[str | None]], pandas_text: bool, days: list[date | None]
) -> None:
    """Text and dates alone (the evidence log, the status history) are written on Arrow's
    buffers: the same bytes, one column or more."""
    frame = pd.DataFrame(
        [r[:width] for r in rows], columns=["a", "b", "c"][:width], dtype="str" if pandas_text else object
    )
    assert frame_to_csv(frame) == reference_csv(frame)
    frame["on"] = pd.Series(days[: len(frame)], dtype=object)
    assert frame_to_csv(frame) == reference_csv(frame)


def test_a_datetime_among_dates_is_written_with_its_time() -> None:
    frame = pd.DataFrame(
        {
            "on": [date(999, 1, 2), None, date(2024, 2, 29), float("nan")],
            "at": [date(2024, 1, 1), datetime(2024, 1, 1, 5), None, None],
            "text": ["=x", "", None, "a,b"],
        },
        dtype=object,
    )
    written = frame_to_csv(frame)
    assert written == reference_csv(frame)
    assert "2024-01-01 05:00:00" in written and "0999-01-02" in written


def test_typed_columns_give_the_reference_bytes() -> None:
    frame = pd.DataFrame(
        {
            "count": np.array([1, -2, 3], dtype=np.int64),
            "share": [0.5, float("nan"), -1.25],
            "text": ["=SUM(A1)", "plain", "-3"],
            "on": [date(2024, 1, 2), None, date(2025, 3, 4)],
        }
    )
    assert frame_to_csv(frame) == reference_csv(frame)


def test_the_three_exports_of_a_synthetic_catalogue_match_the_reference() -> None:
    synthetic = generate(pledges=25, evidence=1200, seed=8)
    ledger = Ledger.from_models(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    view = View(as_of=date(2025, 12, 31), recorded_on=date(2025, 6, 1))
    frames = (
        board_frame(ledger.board(view)),
        evidence_frame(ledger, view),
        history_frame(ledger.history(view)),
    )
    for frame in frames:
        assert len(frame) > 10
        assert frame_to_csv(frame) == reference_csv(frame)
    assert set(EXPORTS) == {"status-board", "evidence-log", "status-history"}


def _hostile(evidence: Evidence, i: int) -> Evidence:
    """Text a CSV writer must quote or neutralise, on every few rows."""
    texts = ['=HYPERLINK("x")', "a, b", 'say "yes"', "line\r\nbreak", "'+1", "-2", "é;ü", "@me", "\tx", ""]
    pick = texts[i % len(texts)]
    return evidence.model_copy(update={"summary": pick or "plain", "quote": pick, "date_note": texts[(i + 3) % 10]})


def test_the_evidence_log_export_quotes_and_neutralises_every_cell() -> None:
    synthetic = generate(pledges=20, evidence=900, seed=4)
    evidence = tuple(_hostile(e, i) for i, e in enumerate(synthetic.evidence))
    ledger = Ledger.from_models(synthetic.commitments, evidence, synthetic.retractions)
    for view in (View(as_of=date(2025, 12, 31)), View(as_of=date(2024, 6, 30), recorded_on=date(2023, 1, 1))):
        written = evidence_log_csv(ledger, view)
        assert written == reference_csv(evidence_frame(ledger, view)).encode("utf-8")
        records = list(csv.reader(io.StringIO(written.decode("utf-8"), newline="")))
        assert len(records) > 100 or view.recorded_on
        assert all(not value.startswith(("=", "+", "-", "@", "\t", "\r")) for r in records for value in r)
        assert any(value == "line\r\nbreak" for r in records for value in r)  # quoted, kept whole
    # Nothing known yet: the header alone.
    assert evidence_log_csv(ledger, View(as_of=date(1990, 1, 1))).count(b"\r\n") == 1


def test_the_selection_frame_is_the_board_frame_cut_to_what_the_filters_read() -> None:
    synthetic = generate(pledges=40, evidence=900, seed=11)
    ledger = Ledger.from_models(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    for as_of in (date(2024, 6, 30), date(2025, 6, 30)):
        board = ledger.board(View(as_of=as_of))
        expected = board_frame(board)[list(SELECTION_COLUMNS)]
        assert len(expected) and expected["flags"].str.len().gt(0).any()
        pd.testing.assert_frame_equal(selection_frame(board), expected)
