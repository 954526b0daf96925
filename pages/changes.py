"""What changed: each pledge's status before and after, the rows that moved it, and what
else was added or corrected between the "changes since" date and the as-of date."""

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from commitments import explain
from commitments.files.evidence_csv import write_rows
from commitments.ledger import Change
from commitments.records import CHANGES_COLUMNS, changes_records
from ui import data, state, widgets

filters = state.current_filters()
ledger = data.ledger()
shown_ids = set(filters.apply(data.selection_table(filters.view))["id"])

st.title("What changed")
st.caption(f"Since **{widgets.long_date(filters.since)}** · " + widgets.view_caption(filters))
widgets.show_link_problems()
learned = st.toggle(
    "What we learned (by the date it was recorded)",
    key="changes_by_recording",
    help="Off: what happened between the two dates, as the evidence dates it. On: what the team recorded "
    "between them, corrections and retractions included: what did we learn this week?",
)
changes = [c for c in ledger.changes(filters.since, filters.view, by_recording=learned) if c.commitment_id in shown_ids]
moved = [c for c in changes if c.status_changed]
quiet = [c for c in changes if not c.status_changed]
st.markdown(widgets.changes_headline(changes, filters.since))
if not changes:
    st.info(
        f"Nothing was {'recorded' if learned else 'added'} about the pledges shown between "
        f"{widgets.long_date(filters.since)} and {widgets.long_date(filters.view.as_of)}. Move the "
        "“Changes since” date in the sidebar back to look further.",
        icon=":material/event_available:",
    )
    st.stop()

st.download_button(
    "Download the changes (CSV)",
    data=write_rows(changes_records(changes), CHANGES_COLUMNS).encode("utf-8"),
    file_name=f"changes_{filters.since.isoformat()}_to_{filters.view.as_of.isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
)


def change_table(rows: Sequence[Change]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Pledge": [c.commitment.title for c in rows],
            "Before": [c.before.label if c.before else "not yet on record" for c in rows],
            "After": [c.after.label for c in rows],
            "What changed": [c.summary or "evidence added" for c in rows],
            "Steps": [" · ".join(explain.step_text(t.on, t.reason) for t in c.transitions) for c in rows],
            "Caused by": [", ".join(c.evidence_ids) for c in rows],
            "New evidence": [len(c.new_evidence_ids) for c in rows],
            "Corrections": [len(c.correction_ids) for c in rows],
        }
    )


COLUMNS = {
    "Pledge": st.column_config.TextColumn("Pledge", width=260),
    "Before": st.column_config.TextColumn("Before", width=140),
    "After": st.column_config.TextColumn("After", width=140),
    "What changed": st.column_config.TextColumn("What changed", width=180),
    "Steps": st.column_config.TextColumn("Steps", width=480, help="Each change of status, dated, and why"),
    "Caused by": st.column_config.TextColumn("Caused by", width=160, help="The evidence rows that moved it"),
    "New evidence": st.column_config.NumberColumn("New rows", width=80, help="Evidence that became known meanwhile"),
    "Corrections": st.column_config.NumberColumn("Corrections", width=90, help="Rows corrected or retracted"),
}


def draw(title: str, rows: Sequence[Change], key: str) -> None:
    st.subheader(title)
    table = change_table(rows)
    widgets.pledge_table(table, [r.commitment_id for r in rows], COLUMNS, key=key, most_rows=15)


if moved:
    draw(f"Status changed ({len(moved)})", moved, "changes_moved")
if quiet:
    draw(f"Evidence added, status unchanged ({len(quiet)})", quiet, "changes_quiet")
st.caption("Select a row to open the pledge, its evidence and the reasons for its status.")
