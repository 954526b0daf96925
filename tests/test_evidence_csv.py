"""The evidence-log CSV: all-or-nothing parsing with row numbers, and formula safety."""

from __future__ import annotations

import csv
import io

import pytest

from commitments.files.evidence_csv import (
    EVIDENCE_COLUMNS,
    EvidenceFileError,
    evidence_to_row,
    neutralise_formula,
    parse_drafts,
    write_rows,
)
from commitments.models import EvidenceDraft
from tests.factories import row

GOOD = {
    "commitment_id": "p",
    "event_date": "2024-08-05",
    "kind": "announcement",
    "speaks_for": "committing_party",
    "summary": "PRC announces it will schedule three precursors",
    "source_title": "U.S.-China Talks Advance on Fentanyl, Synthetic Drugs",
}


def csv_text(*rows: dict[str, str], columns: tuple[str, ...] = EVIDENCE_COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    for r in rows:
        writer.writerow(r)
    return out.getvalue()


def test_good_rows_parse() -> None:
    drafts = parse_drafts(csv_text(GOOD, {**GOOD, "kind": "legal_effect"}), ["p"])
    assert [d.kind.value for d in drafts] == ["announcement", "legal_effect"]


def test_one_bad_row_rejects_the_whole_file_and_names_every_problem() -> None:
    text = csv_text(
        GOOD,
        {**GOOD, "event_date": "August 5"},
        GOOD,
        {**GOOD, "commitment_id": "no-such-pledge"},
        {**GOOD, "source_url": "javascript:alert(1)", "summary": ""},
    )
    with pytest.raises(EvidenceFileError) as caught:
        parse_drafts(text, ["p"])
    found = {(e.row, e.field) for e in caught.value.errors}
    assert found == {(3, "event_date"), (5, "commitment_id"), (6, "source_url"), (6, "summary")}
    assert "row 3, event_date" in str(caught.value)


def test_missing_and_unknown_columns_are_named() -> None:
    with pytest.raises(EvidenceFileError) as caught:
        parse_drafts(csv_text({"commitment_id": "p"}, columns=("commitment_id",)), ["p"])
    assert {(e.row, e.field) for e in caught.value.errors} == {
        (1, c) for c in ("event_date", "kind", "speaks_for", "summary", "source_title")
    }
    with pytest.raises(EvidenceFileError, match="colour: unknown column"):
        parse_drafts(csv_text({**GOOD, "colour": "red"}, columns=(*EVIDENCE_COLUMNS, "colour")), ["p"])


def test_empty_file_and_ragged_rows() -> None:
    with pytest.raises(EvidenceFileError, match="no rows"):
        parse_drafts(csv_text(), ["p"])
    for empty in ("", "\ufeff", "\n\n  \n"):
        with pytest.raises(EvidenceFileError, match=r"row 1: the file is empty; it needs a header row and rows$"):
            parse_drafts(empty, ["p"])
    ragged = csv_text(GOOD) + "p,2024-01-01,extra," + "," * len(EVIDENCE_COLUMNS) + "\n"
    with pytest.raises(EvidenceFileError, match="row 3: more cells"):
        parse_drafts(ragged, ["p"])


def test_export_then_import_gives_back_the_same_drafts() -> None:
    """The evidence-log export is the import format, formula-neutralised cells included."""
    original = [row(summary="-5 precursor seizures at airports", quote="=SUM(A1:A2)"), row(kind="legal_effect")]
    text = write_rows([evidence_to_row(e) for e in original], EVIDENCE_COLUMNS)
    assert "'-5 precursor" in text and "'=SUM" in text
    back = parse_drafts(text, ["p"])
    for before, after in zip(original, back, strict=True):
        stamp = {"recorded_by", "recorded_at", "needs_review"}
        assert after == EvidenceDraft.model_validate(before.model_dump(exclude=stamp))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tlead", "'\tlead"),
        ("\rlead", "'\rlead"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_neutralisation(cell: str, expected: str) -> None:
    assert neutralise_formula(cell) == expected


def test_written_csv_never_starts_a_cell_with_a_formula() -> None:
    text = write_rows([{"a": '=HYPERLINK("http://x")', "b": "@x", "c": 3}], ["a", "b", "c"])
    cells = list(csv.reader(io.StringIO(text)))[1]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert cells[2] == "3"


@pytest.mark.parametrize(
    ("cells", "field", "expected"),
    [
        ({"source_strength": "named_investigation", "speaks_for": "independent"}, "source_strength", None),
        ({"source_strength": "", "speaks_for": "independent"}, "source_strength", None),
        ({"source_strength": "very strong", "speaks_for": "independent"}, "source_strength", "Input should be"),
        ({"reason_code": "disputed", "kind": "contradiction"}, "reason_code", None),
        ({"reason_code": "repealed"}, "reason_code", "for rows against the pledge"),
        ({"reason_code": "no_public_data", "kind": "contradiction"}, "reason_code", "analyst's assessment"),
        ({"replies_to": "ev-1", "kind": "statement"}, "replies_to", None),
        ({"replies_to": "ev-1", "kind": "statement", "speaks_for": "independent"}, "replies_to", "own word"),
        ({"quote_kind": "paraphrase"}, "quote_kind", None),
        ({"quote_kind": "summary"}, "quote_kind", "Input should be"),
    ],
)
def test_the_import_reads_and_checks_the_verification_columns(
    cells: dict[str, str], field: str, expected: str | None
) -> None:
    text = csv_text({**GOOD, **cells})
    if expected is None:
        (draft,) = parse_drafts(text, ["p"])
        if field == "source_strength":
            # Left empty, an independent report is unattributed until someone says otherwise.
            assert draft.source.strength.value == (cells[field] or "unattributed")  # type: ignore[union-attr]
        else:
            assert str(getattr(draft, field).value if field != "replies_to" else draft.replies_to) == cells[field]
        return
    with pytest.raises(EvidenceFileError) as caught:
        parse_drafts(text, ["p"])
    (error,) = caught.value.errors
    assert (error.row, error.field) == (2, field)
    assert expected in error.message
