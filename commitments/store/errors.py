"""What the store says when it refuses a write: one error type, naming the field and the row."""

from __future__ import annotations

from collections.abc import Sequence

from commitments.files.evidence_csv import RowError


class StoreError(ValueError):
    """A write was refused; nothing was changed. `field` names what was wrong.

    A refused batch lists every problem it found (`problems`), each with the row number the
    caller gave it (a spreadsheet's, header = row 1); the message is the first of them.
    """

    def __init__(self, message: str, field: str = "", problems: Sequence[RowError] = ()):
        self.field = field
        self.problems = list(problems)
        super().__init__(f"{field}: {message}" if field else message)

    @classmethod
    def from_problems(cls, problems: Sequence[RowError], single_row: bool = False) -> StoreError:
        """One error for a batch's problems: "row 3, id: ... (and 2 more)"; without the row for a single row."""
        first = problems[0]
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        message = first.message if single_row else f"row {first.row}, {first.field}: {first.message}"
        return cls(message + more, first.field if single_row else "", problems)
