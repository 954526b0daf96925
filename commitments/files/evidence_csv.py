"""The evidence-log CSV: one format for the seed file, the export and the import.

Export -> edit in a spreadsheet -> import works because all three read and write the
columns below; the columns only the export writes (when a row became known, where it
stands) are accepted on import and ignored. Reading is all-or-nothing: every bad row is reported with its row number
(the spreadsheet's, header = row 1) and field, and nothing is returned unless all are good.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from commitments.evidence_row import FILE_COLUMNS, LOG_ONLY_COLUMNS, RECORDING_COLUMNS, field, nested, text_row
from commitments.models import Evidence, EvidenceDraft

# The file's columns come from the evidence row's one declaration (commitments.evidence_row).
EVIDENCE_COLUMNS: tuple[str, ...] = FILE_COLUMNS
REQUIRED_COLUMNS = ("commitment_id", "event_date", "kind", "speaks_for", "summary", "source_title")

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula.

    >>> neutralise_formula('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_formula("PRC announces scheduling")
    'PRC announces scheduling'
    """
    # Text that already starts with an apostrophe before a formula character gets one
    # more, so that `restore_formula_text` gives back exactly what was stored.
    return "'" + value if value.lstrip("'").startswith(FORMULA_PREFIXES) else value


def restore_formula_text(value: str) -> str:
    """Undo `neutralise_formula`, so an exported file imports back unchanged."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    field: str
    message: str

    def __str__(self) -> str:
        # A problem with the row as a whole names no field.
        if self.field in ("", "row"):
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, {self.field}: {self.message}"


class EvidenceFileError(ValueError):
    """The file as a whole was rejected; `errors` says why, row by row."""

    def __init__(self, errors: Sequence[RowError]):
        self.errors = list(errors)
        first = "; ".join(str(e) for e in self.errors[:3])
        more = f" (and {len(self.errors) - 3} more)" if len(self.errors) > 3 else ""
        super().__init__(f"{len(self.errors)} problem(s): {first}{more}")


def evidence_to_row(e: EvidenceDraft) -> dict[str, str]:
    """Flatten a model into the CSV columns, every value as text."""
    return text_row(e)


# What the models strip from text: Python's whitespace except the ASCII separators
# \x1c-\x1f, which pydantic keeps; stripping them here would change text on import.
_BLANKS = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in "\x1c\x1d\x1e\x1f")


def row_to_fields(row: Mapping[str, str | None]) -> dict[str, Any]:
    """Turn a CSV row (text) into the nested shape the models take.

    Empty cells take the model's defaults (a day-precise, stated date; the kind's direction
    and attestation), and the recording columns are kept only when the file fills them in.
    """
    cell = {k: restore_formula_text((row.get(k) or "").strip(_BLANKS)) for k in EVIDENCE_COLUMNS}
    defaults = {"event_date_precision": "day", "event_date_certainty": "stated"}
    cells: dict[str, Any] = {}
    for name, text in cell.items():
        if name in RECORDING_COLUMNS and not (cell["recorded_by"] or cell["recorded_at"]):
            continue
        if text:
            cells[name] = text
        elif name in defaults:
            cells[name] = defaults[name]
        elif field(name).type is str and name != "attests":
            cells[name] = ""
        # other empty cells (dates, numbers, enums) are left for the model's defaults
    fields = nested(cells)
    if "recorded_at" in cells or "recorded_by" in cells:
        fields.setdefault("recorded_by", "")
        fields.setdefault("recorded_at", None)
    return fields


def field_name(loc: tuple[int | str, ...]) -> str:
    """The CSV column (or form field) a pydantic error location points at."""
    parts = [str(p) for p in loc if not isinstance(p, int)]
    if not parts:
        return "row"
    if parts[0] == "source" and len(parts) > 1:
        return f"source_{parts[1]}"
    return parts[0]


def validation_errors(exc: ValidationError, row: int) -> list[RowError]:
    errors = []
    for err in exc.errors():
        message = err["msg"].removeprefix("Value error, ")
        field = field_name(err["loc"])
        # Model-level checks name their field at the start of the message ("due_on: ...").
        if field == "row" and ": " in message and message.split(": ", 1)[0].isidentifier():
            field, message = message.split(": ", 1)
        errors.append(RowError(row, field, message))
    return errors


def read_rows(text: str) -> list[dict[str, str | None]]:
    """Parse CSV text into dicts; refuse files whose header is not an evidence log."""
    if not text.lstrip("\ufeff").strip():
        raise EvidenceFileError([RowError(1, "row", "the file is empty; it needs a header row and rows")])
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise EvidenceFileError([RowError(1, "row", f"not readable as CSV ({exc})")]) from None
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        raise EvidenceFileError([RowError(1, h, "column appears more than once in the header") for h in doubled])
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise EvidenceFileError([RowError(1, c, "required column is missing from the header") for c in missing])
    unknown = [h for h in header if h and h not in EVIDENCE_COLUMNS and h not in LOG_ONLY_COLUMNS]
    if unknown:
        raise EvidenceFileError([RowError(1, h, "unknown column") for h in unknown])
    reader.fieldnames = header
    rows: list[dict[str, str | None]] = []
    try:
        for r in reader:
            rows.append(dict(r))
    except csv.Error as exc:  # e.g. a cell longer than the csv module's limit
        raise EvidenceFileError([RowError(len(rows) + 2, "row", f"not readable as CSV ({exc})")]) from None
    return rows


def parse_drafts(text: str, known_commitments: Iterable[str]) -> list[EvidenceDraft]:
    """All rows as drafts, or EvidenceFileError listing every problem."""
    known = set(known_commitments)
    drafts: list[EvidenceDraft] = []
    errors: list[RowError] = []
    rows = read_rows(text)
    if not rows:
        raise EvidenceFileError([RowError(2, "row", "the file has a header but no rows")])
    for number, row in enumerate(rows, start=2):
        if None in row:
            errors.append(RowError(number, "row", "more cells than the header has columns"))
            continue
        fields = row_to_fields(row)
        fields.pop("recorded_by", None)
        fields.pop("recorded_at", None)
        try:
            draft = EvidenceDraft.model_validate(fields)
        except ValidationError as exc:
            errors.extend(validation_errors(exc, number))
            continue
        if draft.commitment_id not in known:
            errors.append(RowError(number, "commitment_id", f"no pledge with id '{draft.commitment_id}'"))
            continue
        drafts.append(draft)
    if errors:
        raise EvidenceFileError(errors)
    return drafts


def parse_recorded(text: str) -> list[Evidence]:
    """Rows that carry their own recording stamp (the seed file), all or nothing."""
    evidence: list[Evidence] = []
    errors: list[RowError] = []
    for number, row in enumerate(read_rows(text), start=2):
        try:
            evidence.append(Evidence.model_validate(row_to_fields(row)))
        except ValidationError as exc:
            errors.extend(validation_errors(exc, number))
    if errors:
        raise EvidenceFileError(errors)
    return evidence


def write_rows(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """CSV text with every text cell neutralised against formula injection."""
    out = io.StringIO()
    # CRLF, as RFC 4180 says: the csv module quotes a cell only if it holds a character of
    # the line terminator, so with "\n" alone a lone "\r" in the text split the row.
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise_formula(v) if isinstance(v, str) else v for k, v in row.items()})
    return out.getvalue()
