"""Status board: where every pledge stands on the chosen date, and who says so."""

import pandas as pd
import streamlit as st

from commitments.charts import headline_counts
from commitments.frames import board_frame
from ui import briefing, data, state, widgets

filters = state.current_filters()
ledger = data.ledger()
everything = board_frame(ledger.board(filters.view))
board = filters.apply(everything)

st.title("Status board")
st.caption(widgets.view_caption(filters))

if everything.empty:
    st.info(widgets.nothing_on_record(ledger.commitments, filters.view.as_of), icon=":material/event_busy:")
    st.stop()

headlines = headline_counts(board)
for row in (headlines[:4], headlines[4:]):
    for column, headline in zip(st.columns(len(row), border=True), row, strict=True):
        column.metric(headline.label, headline.count, help=headline.help)
briefing.brief_download(filters)

if board.empty:
    st.info(
        f"None of the {len(everything)} pledges on record match the filters. "
        "Clear a filter in the sidebar to see more.",
        icon=":material/filter_alt_off:",
    )
    st.stop()

table = pd.DataFrame(
    {
        "Pledge": board["title"],
        "Party": board["party"],
        "Theme": board["theme"].str.replace("-", " "),
        "Status": board["status"].map(lambda s: [s]),
        "Verified by": board["verified_by"].replace("", None),
        "Why": board["why"],
        "Independent sources": board["independent_sources"],
        "Claimed sources": board["claimed_sources"],
        "Flags": board["flags"].map(lambda f: [x for x in str(f).split(";") if x]),
        "Last evidence": pd.to_datetime(board["last_evidence_on"]),
        "Days since pledged": board["days_since_pledged"],
    }
).reset_index(drop=True)

st.subheader(f"{len(board)} pledge{'s' if len(board) != 1 else ''}")
st.caption("Select a row to open the pledge, its evidence and the reasons for its status.")
selection = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    # Tall enough for every row of a normal catalogue: a board is read at a glance, not scrolled.
    height=min(36 + 35 * len(table), 36 + 35 * 25),
    on_select="rerun",
    selection_mode="single-row",
    # A fresh key after each opening: a selection the browser restores (e.g. on "back")
    # belongs to the old key, so it cannot send the reader straight back to the detail.
    key=f"board_table_{st.session_state.get('_board_opens', 0)}",
    column_config={
        "Pledge": st.column_config.TextColumn("Pledge", width=320),
        "Party": st.column_config.TextColumn("Party", width=60),
        "Theme": st.column_config.TextColumn("Theme", width=150),
        "Status": widgets.status_column(),
        "Verified by": st.column_config.TextColumn(
            "Verified by", width=220, help="The independent sources that verify it, with their strength"
        ),
        "Why": st.column_config.TextColumn("Why", width=360, help="What the stage rests on, in one sentence"),
        "Flags": widgets.flags_column(),
        "Independent sources": st.column_config.NumberColumn(
            "Independent", help="Sources that do not speak for the committing party", width=85
        ),
        "Claimed sources": st.column_config.NumberColumn(
            "Claimed", help="Sources speaking for the committing party", width=70
        ),
        "Last evidence": st.column_config.DateColumn("Last evidence", format="YYYY-MM-DD", width=105),
        "Days since pledged": st.column_config.NumberColumn("Days pledged", format="%d", width=95),
    },
)
ids = list(board["id"])
titles = dict(zip(board["id"], board["title"], strict=True))
rows = selection.selection.rows if selection else []
if rows:
    st.session_state["_board_opens"] = st.session_state.get("_board_opens", 0) + 1
    widgets.open_pledge_detail(ids[rows[0]])

with st.container(horizontal=True, vertical_alignment="bottom"):
    chosen = st.selectbox(
        "Open a pledge",
        ids,
        index=None,
        format_func=lambda i: titles[i],
        placeholder="Choose a pledge …",
        key="board_open_pledge",
        width=520,
    )
    if st.button("Open detail", icon=":material/arrow_forward:", disabled=chosen is None) and chosen:
        widgets.open_pledge_detail(chosen)
