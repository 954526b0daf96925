"""Validation a policy analyst would expect, with messages that name the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from commitments.files.evidence_csv import validation_errors
from commitments.models import Attestation, Direction, Evidence, EvidenceDraft
from tests.factories import draft, pledge


def problems(build: Any, **fields: Any) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        build(**fields)
    return [(e.field, e.message) for e in validation_errors(caught.value, row=1)]


@pytest.mark.parametrize(
    ("fields", "field", "message_part"),
    [
        ({"event_date": "5 August 2024"}, "event_date", "date"),
        ({"event_date": "2024-02-30"}, "event_date", "date"),
        ({"summary": ""}, "summary", "at least 1 character"),
        ({"summary": "x" * 301}, "summary", "at most 300"),
        ({"kind": "rumour"}, "kind", "announcement"),
        ({"speaks_for": "everyone"}, "speaks_for", "committing_party"),
        ({"source": {"url": "javascript:alert(1)"}}, "source_url", "http"),
        ({"source": {"url": "ftp://example.org/x"}}, "source_url", "http"),
        ({"source": {"published_on": date(2024, 1, 1)}}, "event_date", "after the source's publication date"),
        ({"kind": "independent_verification"}, "speaks_for", "committing party"),
        ({"kind": "legal_effect", "direction": "against"}, "direction", "must support"),
        ({"supersedes": "e1"}, "correction_reason", "why"),
        ({"commitment_id": "Not A Slug"}, "commitment_id", "pattern"),
    ],
)
def test_bad_evidence_is_refused_naming_the_field(fields: dict[str, Any], field: str, message_part: str) -> None:
    found = problems(draft, **fields)
    assert any(f == field and message_part in m for f, m in found), found


def test_event_date_not_after_recording() -> None:
    d = draft(event_date=date(2024, 5, 1))
    with pytest.raises(ValidationError, match="is after the day it is recorded"):
        Evidence.model_validate({**d.model_dump(), "id": "e", "recorded_by": "a", "recorded_at": datetime(2024, 4, 1)})


def test_any_unicode_in_names_and_quotes() -> None:
    d = draft(summary="Talks led by 魏晓军 (Wei Xiaojun)", quote="“exchanged their respective concerns”")
    assert "魏晓军" in d.summary


def test_defaults_follow_the_kind() -> None:
    assert draft(kind="legal_effect").attests is Attestation.IN_EFFECT
    assert draft(kind="reversal").direction is Direction.AGAINST
    assert draft(kind="meeting").attests is None
    assert draft(kind="legal_effect", attests="none").attests is None


def test_https_urls_pass_and_text_is_trimmed() -> None:
    d = draft(source={"url": " https://www.state.gov/x "}, summary="  trimmed  ")
    assert d.source.url == "https://www.state.gov/x"
    assert d.summary == "trimmed"


def test_a_measured_value_and_an_indicator() -> None:
    p = pledge(
        indicator={"unit": "incidents reported to the INCB", "baseline": 0, "target": 200, "target_by": "2024-12-31"}
    )
    assert p.indicator is not None and p.indicator.target == 200
    assert draft(value=145).value == 145


def test_due_date_before_pledge_is_refused() -> None:
    with pytest.raises(ValidationError, match="due_on"):
        pledge(due_on=date(2023, 1, 1))


def test_aware_recording_times_are_stored_as_utc() -> None:
    d = draft()
    e = Evidence.model_validate(
        {**d.model_dump(), "id": "e", "recorded_by": "a", "recorded_at": "2024-05-01T12:00:00+02:00"}
    )
    assert e.recorded_at == datetime(2024, 5, 1, 10, 0)


def test_draft_cannot_carry_its_own_recording_stamp() -> None:
    with pytest.raises(ValidationError, match="recorded_by"):
        EvidenceDraft.model_validate({**draft().model_dump(), "recorded_by": "someone else"})
