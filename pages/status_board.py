"""Status board: where every pledge stands on the chosen date, what changed, and who says so."""

import streamlit as st

from commitments.charts import headline_counts
from ui import briefing, data, state, widgets

filters = state.current_filters()
ledger = data.ledger()
statuses = ledger.board(filters.view)
everything = data.selection_table(filters.view)
board = filters.apply(everything)

st.title("Status board")
st.caption(widgets.view_caption(filters))
widgets.show_link_problems()

if everything.empty:
    st.info(widgets.nothing_on_record(ledger.commitments, filters.view.as_of), icon=":material/event_busy:")
    st.stop()

headlines = headline_counts(board)
for row in (headlines[:4], headlines[4:]):
    for column, headline in zip(st.columns(len(row), border=True), row, strict=True):
        column.metric(headline.label, headline.count, help=headline.help)

shown_ids = set(board["id"])
shown = [s for s in statuses if s.commitment_id in shown_ids]
changes = [c for c in ledger.changes(filters.since, filters.view) if c.commitment_id in shown_ids]
with st.container(horizontal=True, vertical_alignment="center"):
    st.markdown(widgets.changes_headline(changes, filters.since))
    st.page_link(
        widgets.CHANGES_PAGE, label="What changed", icon=":material/difference:", query_params=widgets.shared_params()
    )
    briefing.brief_download(filters)
widgets.explain_if_all_stale(shown, filters)

if board.empty:
    st.info(
        f"None of the {len(everything)} pledges on record match the filters. "
        "Clear a filter in the sidebar to see more.",
        icon=":material/filter_alt_off:",
    )
    st.stop()

table = data.glance_table(ledger, repr(filters), shown, changes)
ids = list(table.pop("id"))
titles = dict(zip(ids, table["Pledge"], strict=True))
table["Status"] = table["Status"].map(lambda s: [s])

st.subheader(f"{len(table)} pledge{'s' if len(table) != 1 else ''}")
st.caption("Select a row to open the pledge, its evidence and the reasons for its status.")
columns = {
    # Status first, then the pledge: in view on the narrowest window. (Not pinned:
    # Streamlit greys out a pinned column's text.)
    "Status": widgets.status_column(),
    "Pledge": st.column_config.TextColumn("Pledge", width=250),
    "Changed": st.column_config.TextColumn(
        "Changed", width=150, help=f"What changed since {widgets.long_date(filters.since)} (the sidebar's date)"
    ),
    "Last evidence": st.column_config.TextColumn(
        "Last evidence", width=95, help="The newest evidence, as precisely as its date is known"
    ),
    "Verified by": st.column_config.TextColumn(
        "Verified by", width=170, help="The independent publishers whose reports verify it"
    ),
    "Why": st.column_config.TextColumn("Why", width=420, help="What the stage rests on, with its source"),
    "Flags": widgets.flags_column(),
    "Independent": st.column_config.NumberColumn(
        "Independent", help="Sources that do not speak for the committing party", width=85
    ),
    "Claimed": st.column_config.NumberColumn("Claimed", help="Sources speaking for the committing party", width=70),
    "Party": st.column_config.TextColumn("Party", width=60),
    "Theme": st.column_config.TextColumn("Theme", width=140),
    "Days pledged": st.column_config.NumberColumn("Days pledged", format="%d", width=95),
}
widgets.pledge_table(table, ids, columns, key="board_table", most_rows=25)

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
