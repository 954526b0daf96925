"""The vectorised charts (`stage_counts_over_time`, `stage_segments`, `evidence_notes`) give
exactly what the earlier row-by-row versions gave.

The reference versions below are the row-by-row code as it was before it was vectorised,
kept here only to compare against: on the hand-made history of test_charts.py, on random
histories with awkward cases (ties on a day, markup in titles, unknown evidence rows, long
reasons) and on the histories the status engine derives from a synthetic catalogue.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta

import pandas as pd
import pytest

from commitments import charts
from commitments.frames import evidence_frame, history_frame
from commitments.ledger import Ledger, View
from commitments.synth import generate
from tests.test_charts import HISTORY

# -- the row-by-row reference -------------------------------------------------------------


def reference_evidence_notes(evidence: pd.DataFrame) -> dict[str, str]:
    """Evidence id -> one escaped hover line: date, summary, who it speaks for."""
    notes: dict[str, str] = {}
    for row in evidence.itertuples(index=False):
        speaker = charts.SPEAKER_LABELS.get(str(row.speaks_for), str(row.speaks_for)).lower()
        via = row.source_publisher or row.source_title
        notes[str(row.id)] = (
            f"• {charts._text(row.known_on)}: {charts._text(charts._shorten(str(row.summary), 90))}"
            f"<br>   <i>{charts._text(speaker)}, via {charts._text(charts._shorten(str(via), 50))}</i>"
        )
    return notes


def reference_stage_counts(
    history: pd.DataFrame, until: date, freq: str | None = None, titles: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """How many pledges stood at each stage on each date, from `frames.history_frame`.

    Counts only change when a status does, so by default there is one row per stage for
    every date on which some pledge changed, plus `until`; a pandas `freq` ("W-SUN",
    "ME") samples at period ends instead. `changes` lists (escaped, for hover labels)
    which pledges changed since the previous date, and why.

    Columns: on (Timestamp), stage, pledges (int), changes (str).
    """
    columns = ["on", "stage", "pledges", "changes"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    h = history.assign(on=pd.to_datetime(history["on"])).sort_values("on", kind="stable")
    end = pd.Timestamp(until)
    h = h[h["on"] <= end]
    if h.empty:
        return pd.DataFrame(columns=columns)
    if freq is None:
        samples = pd.DatetimeIndex(sorted({*h["on"], end}))
    else:
        samples = pd.DatetimeIndex(sorted({*pd.date_range(h["on"].min(), end, freq=freq), end}))

    wide = h.drop_duplicates(["commitment_id", "on"], keep="last").pivot(
        index="on", columns="commitment_id", values="stage"
    )
    wide = wide.reindex(wide.index.union(samples)).ffill().loc[samples]
    # Before its first transition a pledge's cell is empty, so it is not counted at all.
    counts = {stage: (wide == stage).sum(axis=1).to_dict() for stage in charts.STAGE_ORDER}

    slot = samples.searchsorted(h["on"], side="left")
    changes: dict[pd.Timestamp, list[str]] = {}
    for position, row in zip(slot, h.itertuples(index=False), strict=True):
        name = (titles or {}).get(str(row.commitment_id), str(row.title))
        changes.setdefault(samples[int(position)], []).append(
            f"<b>{charts._text(charts._shorten(name, 50))}</b>: {charts._text(charts._shorten(str(row.reason), 110))}"
        )
    rows = []
    for on in samples:
        lines = changes.get(on, [])
        text = "<br>".join(lines[: charts.MAX_CHANGES_IN_HOVER])
        if len(lines) > charts.MAX_CHANGES_IN_HOVER:
            text += f"<br>… and {len(lines) - charts.MAX_CHANGES_IN_HOVER} more"
        for stage in charts.STAGE_ORDER:
            rows.append({"on": on, "stage": stage, "pledges": int(counts[stage][on]), "changes": text})
    return pd.DataFrame(rows, columns=columns)


def reference_stage_segments(history: pd.DataFrame, until: date, evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per spell at a status: from one change to the next (or to `until`).

    Columns: commitment_id, title, stage, basis, status, flags, start, end, reason, hover.
    The last spell ends the day after `until`, so a change on `until` still shows.
    """
    columns = ["commitment_id", "title", "stage", "basis", "status", "flags", "start", "end", "reason", "hover"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    notes = reference_evidence_notes(evidence) if evidence is not None else {}
    finish = pd.Timestamp(until + timedelta(days=1))
    rows = []
    for commitment_id, part in history.groupby("commitment_id", sort=False):
        part = part.assign(on=pd.to_datetime(part["on"])).sort_values("on", kind="stable")
        starts = list(part["on"])
        ends = [*starts[1:], finish]
        for row, start, end in zip(part.itertuples(index=False), starts, ends, strict=True):
            status = charts.status_label(str(row.stage), str(row.basis))
            flags = str(row.flags).replace(";", ", ")
            lines = [
                f"<b>{charts._text(charts._shorten(str(row.title), 70))}</b>",
                f"{charts._text(status)}{' — ' + charts._text(flags) if flags else ''}",
                f"from {start:%d %b %Y} to {(end - timedelta(days=1)):%d %b %Y}",
                f"Change: {charts._text(charts._shorten(str(row.reason), 120))}",
                *charts._evidence_lines(str(row.evidence_ids), notes),
            ]
            rows.append(
                {
                    "commitment_id": commitment_id,
                    "title": row.title,
                    "stage": row.stage,
                    "basis": row.basis,
                    "status": status,
                    "flags": row.flags,
                    "start": start,
                    "end": end,
                    "reason": row.reason,
                    "hover": "<br>".join(lines),
                }
            )
    return pd.DataFrame(rows, columns=columns)


# -- comparisons ---------------------------------------------------------------------------

STAGES = [*charts.STAGE_ORDER]
BASES = ["none", "claimed", "independent"]
FLAGS = ["", "", "contradicted", "overdue;stale", "late"]


def random_history(seed: int, pledges: int = 12, changes: int = 80) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A history and an evidence log with ties on a day, markup, long text and dangling ids."""
    rng = random.Random(seed)
    first = date(2023, 1, 1)
    rows = []
    for _ in range(changes):
        p = rng.randrange(pledges)
        ids = ";".join(f"e{rng.randrange(60)}" for _ in range(rng.randrange(4)))
        rows.append(
            {
                "commitment_id": f"p{p}",
                "title": f"Pledge <i>{p}</i> & co" + " long" * rng.randrange(20),
                "on": first + timedelta(days=rng.randrange(400)),
                "from_stage": rng.choice(STAGES),
                "stage": rng.choice(STAGES),
                "basis": rng.choice(BASES),
                "flags": rng.choice(FLAGS),
                "evidence_ids": ids,
                "reason": "why " + "'quoted' " * rng.randrange(30),
            }
        )
    evidence = pd.DataFrame(
        [
            {
                "id": f"e{i}",
                "known_on": (first + timedelta(days=i)).isoformat(),
                "summary": f"Summary {i} <script>" + " x" * rng.randrange(60),
                "speaks_for": rng.choice(["committing_party", "independent", "counterpart", "someone_else"]),
                "source_publisher": rng.choice(["", 'Ministry "A"', "INCB"]),
                "source_title": f"Report {i}",
            }
            for i in range(50)  # e50..e59 are referenced but unknown
        ]
    )
    return pd.DataFrame(rows), evidence


def synthetic_history(seed: int) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], date]:
    catalogue = generate(15, 600, seed=seed)
    ledger = Ledger.from_models(catalogue.commitments, catalogue.evidence, catalogue.retractions)
    until = date(2026, 6, 30)
    view = View(as_of=until)
    titles = {c.id: f"Title of {c.id}" for c in catalogue.commitments[::2]}
    return history_frame(ledger.history(view)), evidence_frame(ledger, view), titles, until


@pytest.mark.parametrize("freq", [None, "W-SUN", "ME"])
@pytest.mark.parametrize("until", [date(2024, 2, 15), date(2024, 3, 1), date(2024, 6, 30), date(2023, 1, 1)])
def test_counts_match_the_reference_on_the_hand_made_history(freq: str | None, until: date) -> None:
    pd.testing.assert_frame_equal(
        charts.stage_counts_over_time(HISTORY, until, freq), reference_stage_counts(HISTORY, until, freq)
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("freq", [None, "W-SUN", "ME"])
def test_counts_match_the_reference_on_random_histories(seed: int, freq: str | None) -> None:
    history, _ = random_history(seed)
    titles = {"p1": "Renamed <b>one</b>", "p2": "x" * 80}
    until = date(2023, 1, 1) + timedelta(days=300)
    expected = reference_stage_counts(history, until, freq, titles)
    assert not expected.empty and (expected["pledges"] > 0).any()
    pd.testing.assert_frame_equal(charts.stage_counts_over_time(history, until, freq, titles), expected)


def test_counts_say_how_many_more_changed_than_the_hover_shows() -> None:
    history, _ = random_history(1, pledges=40, changes=300)
    counts = charts.stage_counts_over_time(history, date(2024, 6, 1), "ME")
    assert counts["changes"].str.contains("more").any()
    pd.testing.assert_frame_equal(counts, reference_stage_counts(history, date(2024, 6, 1), "ME"))


@pytest.mark.parametrize("until", [date(2024, 2, 15), date(2024, 6, 30)])
def test_segments_match_the_reference_on_the_hand_made_history(until: date) -> None:
    pd.testing.assert_frame_equal(charts.stage_segments(HISTORY, until), reference_stage_segments(HISTORY, until))


@pytest.mark.parametrize("seed", range(6))
def test_segments_match_the_reference_on_random_histories(seed: int) -> None:
    history, evidence = random_history(seed)
    until = date(2024, 6, 30)
    expected = reference_stage_segments(history, until, evidence)
    assert expected["hover"].str.contains("<br>• ").any()  # some spells carry evidence lines
    pd.testing.assert_frame_equal(charts.stage_segments(history, until, evidence), expected)
    pd.testing.assert_frame_equal(charts.stage_segments(history, until), reference_stage_segments(history, until))


@pytest.mark.parametrize("seed", range(3))
def test_notes_match_the_reference(seed: int) -> None:
    _, evidence = random_history(seed)
    assert charts.evidence_notes(evidence) == reference_evidence_notes(evidence)


@pytest.mark.parametrize("seed", [1, 2])
def test_charts_match_the_reference_on_a_synthetic_catalogue(seed: int) -> None:
    history, evidence, titles, until = synthetic_history(seed)
    assert len(history) > 30
    for freq in (None, "W-SUN", "ME"):
        pd.testing.assert_frame_equal(
            charts.stage_counts_over_time(history, until, freq, titles),
            reference_stage_counts(history, until, freq, titles),
        )
    pd.testing.assert_frame_equal(
        charts.stage_segments(history, until, evidence), reference_stage_segments(history, until, evidence)
    )
    assert charts.evidence_notes(evidence) == reference_evidence_notes(evidence)
