"""What changed between two dates: read from the one history, on both time axes."""

from __future__ import annotations

import json
from datetime import date, datetime

from commitments.files.catalog import Catalogue, load_catalogue
from commitments.ledger import Ledger, StatusAt, View
from commitments.models import Evidence, Flag, Retraction
from tests.cli import run
from tests.factories import pledge, row

D = date


def first_announcement(catalogue: Catalogue, pledge: str) -> Evidence:
    """The row that moved a pledge to announced: the sources date the three precursors'
    announcement both August 2 (ChemRadar) and August 5, 2024 (State Department)."""
    return min(
        (e for e in catalogue.evidence if e.commitment_id == pledge and e.kind == "announcement"),
        key=lambda e: (e.known_on, e.id),
    )


def test_the_three_precursors_move_from_pledged_to_announced_in_the_week() -> None:
    catalogue = load_catalogue()
    changes = Ledger.from_models(catalogue.commitments, catalogue.evidence).changes(D(2024, 8, 1), View(D(2024, 8, 10)))
    by_id = {c.commitment_id: c for c in changes}
    three = by_id["prc-schedule-three-precursors"]
    first = first_announcement(catalogue, "prc-schedule-three-precursors")
    assert (three.before.label, three.after.label) == ("pledged", "announced (claimed)")  # type: ignore[union-attr]
    assert three.status_changed
    assert [t.on for t in three.transitions] == [first.known_on] == [D(2024, 8, 2)]
    assert three.evidence_ids == (first.id,)
    # A pledge that only gained evidence is listed, but not as a change of status.
    assert not by_id["prc-schedule-international-precursors"].status_changed
    # The other change of the week: the House China committee disputed the White House's
    # account on August 5 (pub-a020), which flags the precursor-firms pledge contradicted.
    assert [c.commitment_id for c in changes if c.status_changed] == [
        "prc-shut-down-precursor-firms",
        "prc-schedule-three-precursors",
    ]
    firms = by_id["prc-shut-down-precursor-firms"]
    assert Flag.CONTRADICTED not in firms.before.flags  # type: ignore[union-attr]
    assert Flag.CONTRADICTED in firms.after.flags
    assert firms.evidence_ids == ("pub-a020",)


def test_steps_outside_the_window_are_not_changes() -> None:
    p = pledge()
    rows = [row(kind="announcement", on=D(2024, 2, 1)), row(kind="legal_effect", on=D(2024, 5, 1))]
    ledger = Ledger.from_models([p], rows)
    (change,) = ledger.changes(D(2024, 4, 1), View(D(2024, 6, 1)))
    assert [t.on for t in change.transitions] == [D(2024, 5, 1)]
    assert (change.before.stage.slug, change.after.stage.slug) == ("announced", "in_effect")  # type: ignore[union-attr]
    assert ledger.changes(D(2024, 5, 1), View(D(2024, 6, 1))) == ()  # the step on the 1st is before the window


def test_a_pledge_made_in_the_window_has_no_before() -> None:
    p = pledge(pledged_on=D(2024, 3, 5))
    (change,) = Ledger.from_models([p], []).changes(D(2024, 3, 1), View(D(2024, 3, 10)))
    assert change.before is None and change.status_changed


def test_the_status_before_is_the_board_at_the_since_date_without_building_it() -> None:
    """`Change.before` has the stage, basis and flags (staleness included) the board at the
    since date gives, on both axes, read from the history: that board is never made."""
    quiet = pledge(id="quiet", pledged_on=D(2023, 1, 1))  # nothing for over 180 days: stale at since
    disputed = pledge(id="disputed")
    new = pledge(id="new", pledged_on=D(2024, 6, 5))  # not yet on record at since
    entered = datetime(2024, 6, 1)  # by the end of the since date, unless said
    rows = [
        row(commitment_id="quiet", kind="announcement", on=D(2023, 2, 1), recorded_at=entered),
        row(commitment_id="quiet", kind="legal_effect", on=D(2024, 6, 3), recorded_at=datetime(2024, 6, 3)),
        row(commitment_id="disputed", kind="announcement", on=D(2024, 2, 1), recorded_at=entered),
        row(
            commitment_id="disputed",
            kind="contradiction",
            on=D(2024, 3, 1),
            speaks_for="independent",
            recorded_at=entered,
        ),
        # Known before the since date, entered after it: settles the dispute on one axis only.
        row(commitment_id="disputed", kind="legal_effect", on=D(2024, 5, 20), recorded_at=datetime(2024, 6, 4)),
    ]
    ledger = Ledger.from_models([quiet, disputed, new], rows)
    view = View(as_of=D(2024, 6, 10))
    since = D(2024, 6, 1)
    for by_recording, before_view in (
        (False, View(as_of=since)),
        (True, View(as_of=view.as_of, recorded_on=since)),
    ):
        board = {s.commitment_id: s for s in ledger.board(before_view)}
        ledger._memo.boards.clear()
        changes = {c.commitment_id: c for c in ledger.changes(since, view, by_recording=by_recording)}
        assert before_view not in ledger._memo.boards
        for cid, change in changes.items():
            was = board.get(cid)
            expected = was and StatusAt(was.commitment, was.as_of, was.stage, was.basis, was.flags)
            assert change.before == expected, (by_recording, cid)
        assert by_recording or changes["new"].before is None
    as_of_since = {s.commitment_id: s for s in ledger.statuses_at(View(as_of=since))}
    assert Flag.STALE in as_of_since["quiet"].flags and as_of_since["quiet"].label == "announced (claimed)"
    assert as_of_since["disputed"].label == "in effect (claimed)" and not as_of_since["disputed"].flags
    recorded_by_since = ledger.statuses_at(View(as_of=view.as_of, recorded_on=since))
    assert {s.commitment_id: s.flags for s in recorded_by_since}["disputed"] == {Flag.CONTRADICTED}


def test_what_we_learned_compares_what_was_recorded_by_each_date() -> None:
    """On the recorded axis: a row about March, entered in May, is what the team learned in May."""
    p = pledge()
    late = row(kind="legal_effect", on=D(2024, 3, 1), recorded_at=datetime(2024, 5, 2, 9))
    wrong = row(kind="announcement", on=D(2024, 2, 1), recorded_at=datetime(2024, 2, 2))
    withdrawn = Retraction(evidence_id=wrong.id, reason="misread", recorded_by="b", recorded_at=datetime(2024, 5, 3))
    ledger = Ledger.from_models([p], [wrong, late], [withdrawn])
    view = View(as_of=D(2024, 5, 10))
    # As of the dates, nothing became known in the window; the retraction is listed, as a correction.
    (as_of_axis,) = ledger.changes(D(2024, 4, 30), view)
    assert not as_of_axis.status_changed and as_of_axis.correction_ids == (wrong.id,)
    (learned,) = ledger.changes(D(2024, 4, 30), view, by_recording=True)
    assert (learned.before.label, learned.after.label) == ("announced (claimed)", "in effect (claimed)")  # type: ignore[union-attr]
    assert learned.new_evidence_ids == (late.id,)
    assert learned.correction_ids == (wrong.id,)


def test_the_command_lists_the_change_as_table_csv_and_json(db_env: dict[str, str], catalogue: Catalogue) -> None:
    table = run(db_env, "changes", "--since", "2024-08-01", "--as-of", "2024-08-10")
    assert table.returncode == 0, table.stderr
    line = next(t for t in table.stdout.splitlines() if t.startswith("prc-schedule-three-precursors "))
    assert line.split()[:4] == ["prc-schedule-three-precursors", "pledged", "announced", "(claimed)"]
    listed = json.loads(
        run(db_env, "changes", "--since", "2024-08-01", "--as-of", "2024-08-10", "--format", "json").stdout
    )
    three = next(c for c in listed if c["commitment_id"] == "prc-schedule-three-precursors")
    assert (three["before"], three["after"], three["evidence_ids"]) == (
        "pledged",
        "announced (claimed)",
        [first_announcement(catalogue, "prc-schedule-three-precursors").id],
    )
    assert three["title"] == "PRC schedules three essential fentanyl precursors"
    assert "status_changed" in run(db_env, "changes", "--since", "2024-08-01", "--format", "csv").stdout.splitlines()[0]
    backwards = run(db_env, "changes", "--since", "2024-08-10", "--as-of", "2024-08-01")
    assert backwards.returncode == 2
    assert "must be before" in backwards.stderr
