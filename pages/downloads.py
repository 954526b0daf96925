"""Downloads: the board, the evidence log and the status history as CSV, for the shared date and filters."""

import streamlit as st

from ui import exports
from ui.state import current_filters

filters = current_filters()
view = filters.view

st.title("Downloads")
axis = f"as of {view.as_of.isoformat()}"
if view.recorded_on is not None:
    axis += f", counting only what was recorded by {view.recorded_on.isoformat()}"
scope = "the pledges that pass the filters in the sidebar" if exports.is_filtered(filters) else "every pledge"
st.caption(
    f"Three CSV files, {axis}, for {scope}. Change the date or the filters in the sidebar to change them. "
    "Cells that a spreadsheet would run as a formula are prefixed with an apostrophe."
)

for export in exports.cached_exports(filters):
    with st.container(border=True):
        text, button = st.columns([3, 1], vertical_alignment="center")
        with text:
            st.subheader(export.title)
            st.caption(f"{export.description} **{len(export.frame)} row(s).**")
        with button:
            st.download_button(
                f"Download {export.title.lower()}",
                data=export.csv_bytes,
                file_name=export.file_name,
                mime="text/csv",
                icon=":material/download:",
                key=f"download_{export.what}",
                help=export.file_name,
                width="stretch",
            )
        if export.frame.empty:
            st.info("No rows for this date and these filters.", icon=":material/info:")
        else:
            st.dataframe(export.preview.head(5), hide_index=True, width="stretch")
            st.caption(
                f"Preview: {min(5, len(export.frame))} of {len(export.frame)} rows and {export.preview.shape[1]} of "
                f"{export.frame.shape[1]} columns. The file has them all."
            )
