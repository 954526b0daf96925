"""Small builders for pledges and evidence rows, so tests state only what matters."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from commitments.models import Commitment, Evidence, EvidenceDraft

RECORDED = datetime(2030, 1, 1)


def pledge(**overrides: Any) -> Commitment:
    fields: dict[str, Any] = {
        "id": "p",
        "title": "A pledge",
        "party": "PRC",
        "counterpart": "US",
        "theme": "scheduling",
        "pledged_on": date(2024, 1, 1),
        "pledged_at": "a summit",
        "sources": [{"title": "Readout"}],
    }
    return Commitment.model_validate({**fields, **overrides})


def draft(**overrides: Any) -> EvidenceDraft:
    fields: dict[str, Any] = {
        "commitment_id": "p",
        "event_date": date(2024, 2, 1),
        "kind": "announcement",
        "speaks_for": "committing_party",
        "summary": "Something happened",
        "source": {"title": "Ministry notice", "publisher": "Ministry"},
    }
    source = overrides.pop("source", {})
    return EvidenceDraft.model_validate({**fields, **overrides, "source": {**fields["source"], **source}})


_counter = iter(range(1, 1_000_000))


def row(**overrides: Any) -> Evidence:
    """A recorded row; `on` is shorthand for event_date."""
    if "on" in overrides:
        overrides["event_date"] = overrides.pop("on")
    recorded_by = overrides.pop("recorded_by", "tester")
    recorded_at = overrides.pop("recorded_at", RECORDED)
    evidence_id = overrides.pop("id", f"e{next(_counter)}")
    needs_review = overrides.pop("needs_review", False)
    d = draft(**overrides)
    return Evidence.model_validate(
        {
            **d.model_dump(),
            "id": evidence_id,
            "recorded_by": recorded_by,
            "recorded_at": recorded_at,
            "needs_review": needs_review,
        }
    )
