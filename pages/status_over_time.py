"""Status over time: how many pledges stood at each stage on each date, and each pledge's path."""

import pandas as pd
import streamlit as st

from commitments import charts
from commitments.frames import evidence_frame, history_frame
from ui import data, state, widgets
from ui.paging import page_selector, paged_dataframe

GANTT_PLEDGES = 40

filters = state.current_filters()
view = filters.view
ledger = data.ledger()
board = filters.apply(data.selection_table(view))

st.title("Status over time")
st.caption(widgets.view_caption(filters))

if board.empty:
    everything_empty = not any(c.pledged_effective_on <= view.as_of for c in ledger.commitments)
    if everything_empty:
        st.info(widgets.nothing_on_record(ledger.commitments, view.as_of), icon=":material/event_busy:")
    else:
        st.info(
            "No pledges match the filters. Clear a filter in the sidebar to see more.", icon=":material/filter_alt_off:"
        )
    st.stop()

ids = list(board["id"])
history = history_frame(ledger.history(view, ids))
titles = dict(zip(board["id"], board["title"], strict=True))

frequency = charts.sampling_frequency(history)
counts = charts.stage_counts_over_time(history, view.as_of, frequency, titles)
st.plotly_chart(charts.stage_area_figure(counts, f"Pledges at each stage ({len(ids)} pledges)"), key="stage_area")
resolution = {None: "on every date a status changed", "W-SUN": "weekly", "ME": "monthly"}[frequency]
st.caption(
    f"Counts {resolution}, up to {widgets.long_date(view.as_of)}. "
    "Diamonds mark status changes: hover one to see which pledges changed, and on what evidence."
)

# A chart with a row per pledge is readable for a few dozen pledges, not a thousand: a
# page of them at a time, in board order.
window = page_selector(len(ids), GANTT_PLEDGES, key="gantt_page", label="Pledges page")
shown = ids[window.start : window.stop]
segments = charts.stage_segments(
    history[history["commitment_id"].isin(shown)], view.as_of, evidence_frame(ledger, view, shown)
)
st.plotly_chart(charts.gantt_figure(segments), key="stage_gantt")
st.caption(
    "One row per pledge; each bar is a spell at one stage. Hatched bars rest only on the committing party's word. "
    "Hover a bar for the change that started it and the evidence behind it."
    + (
        f" Pledges {window.start + 1:,}–{window.stop:,} of {window.total:,}, in board order: "
        "choose another page above, or narrow the filters."
        if window.pages > 1
        else ""
    )
)

with st.expander(f"Every status change ({len(history)})"):
    # A page at a time: at scale this list runs to tens of thousands of changes.
    paged_dataframe(
        pd.DataFrame(
            {
                "Date": pd.to_datetime(history["on"]),
                "Pledge": history["title"],
                "Status": [
                    [charts.status_label(s, b)] for s, b in zip(history["stage"], history["basis"], strict=True)
                ],
                "Flags": history["flags"].map(lambda f: [x for x in str(f).split(";") if x]),
                "Change": history["reason"],
                "Evidence rows": history["evidence_ids"].str.replace(";", ", "),
            }
        ).sort_values("Date", ascending=False, kind="stable"),
        hide_index=True,
        width="stretch",
        column_config={
            "Date": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Status": widgets.status_column(),
            "Flags": widgets.flags_column(),
            "Change": st.column_config.TextColumn(width="large"),
        },
        key="history_table",
    )
