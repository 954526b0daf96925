"""The column-wise CSV writer gives the same bytes as the row-by-row reference."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from commitments.files.export import EXPORTS, evidence_log_csv, frame_to_csv, frame_to_csv_by_rows
from commitments.models import Evidence
from commitments.status_frame import EvidenceTable
from commitments.summaries import Snapshot, View, board_frame, evidence_frame, history_frame
from commitments.synth import generate

cells = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("=+-@\t\r\n\",' aZ9é;")), max_size=8),
    st.integers(-5, 5),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
    st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cells, cells, st.text(max_size=6)), max_size=12))
def test_any_cells_give_the_reference_bytes(rows: list[tuple[object, object, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["a", "b", "c"])
    assert frame_to_csv(frame) == frame_to_csv_by_rows(frame)


def test_typed_columns_give_the_reference_bytes() -> None:
    frame = pd.DataFrame(
        {
            "count": np.array([1, -2, 3], dtype=np.int64),
            "share": [0.5, float("nan"), -1.25],
            "text": ["=SUM(A1)", "plain", "-3"],
            "on": [date(2024, 1, 2), None, date(2025, 3, 4)],
            "at": pd.to_datetime([datetime(2024, 1, 2, 3, 4, 5), datetime(2024, 2, 3), datetime(2024, 3, 4)]),
        }
    )
    assert frame_to_csv(frame) == frame_to_csv_by_rows(frame)


def test_the_three_exports_of_a_synthetic_catalogue_match_the_reference() -> None:
    synthetic = generate(pledges=25, evidence=1200, seed=8)
    snapshot = Snapshot(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    view = View(as_of=date(2025, 12, 31), recorded_on=date(2025, 6, 1))
    for build in (board_frame, evidence_frame, history_frame):
        frame = build(snapshot, view)
        assert len(frame) > 10
        assert frame_to_csv(frame) == frame_to_csv_by_rows(frame)
    assert set(EXPORTS) == {"status-board", "evidence-log", "status-history"}


def _hostile(evidence: Evidence, i: int) -> Evidence:
    """Text a CSV writer must quote or neutralise, on every few rows."""
    texts = ['=HYPERLINK("x")', "a, b", 'say "yes"', "line\r\nbreak", "'+1", "-2", "é;ü", "@me", "\tx", ""]
    pick = texts[i % len(texts)]
    return evidence.model_copy(update={"summary": pick or "plain", "quote": pick, "date_note": texts[(i + 3) % 10]})


def test_the_evidence_log_from_columns_gives_the_reference_bytes() -> None:
    """The export's own path (Arrow columns) writes exactly what the row-by-row reference writes."""
    synthetic = generate(pledges=20, evidence=900, seed=4)
    evidence = tuple(_hostile(e, i) for i, e in enumerate(synthetic.evidence))
    models = Snapshot(synthetic.commitments, evidence, synthetic.retractions)
    columns = Snapshot(
        synthetic.commitments,
        evidence,
        synthetic.retractions,
        table=EvidenceTable.from_models(evidence, synthetic.retractions),
    )
    for view in (View(as_of=date(2025, 12, 31)), View(as_of=date(2024, 6, 30), recorded_on=date(2023, 1, 1))):
        expected = frame_to_csv_by_rows(evidence_frame(models, view)).encode("utf-8")
        assert expected.count(b"\r\n") > 100
        assert evidence_log_csv(columns, view) == expected
        assert evidence_log_csv(models, view) == expected
    # Nothing known yet: the header alone.
    early = View(as_of=date(1990, 1, 1))
    assert evidence_log_csv(columns, early) == frame_to_csv_by_rows(evidence_frame(models, early)).encode("utf-8")
