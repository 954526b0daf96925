"""The dashboard's entry point: `streamlit run dashboard.py`.

Builds the navigation and the shared sidebar filters; every screen lives in pages/.
"""

import streamlit as st

from commitments.catalog import CatalogueError
from commitments.store import StoreError
from ui import data, state

st.set_page_config(page_title="Commitment verification", page_icon=":material/fact_check:", layout="wide")

PAGES = {
    "Board": [
        st.Page("pages/status_board.py", title="Status board", icon=":material/dashboard:", default=True),
        # No custom url_path: before st.navigation first runs, Streamlit resolves a deep link
        # against the pages/ file names, so /pledge would open with "Page not found".
        st.Page("pages/pledge_detail.py", title="Pledge detail", icon=":material/description:"),
        st.Page("pages/status_over_time.py", title="Status over time", icon=":material/timeline:"),
    ],
    "Record": [
        st.Page("pages/add_evidence.py", title="Add evidence", icon=":material/add_circle:"),
        st.Page("pages/suggest_evidence.py", title="Suggest evidence", icon=":material/auto_awesome:"),
        st.Page("pages/downloads.py", title="Downloads", icon=":material/download:"),
    ],
    "Help": [
        st.Page("pages/about.py", title="About and method", icon=":material/info:"),
    ],
}

page = st.navigation(PAGES)
try:
    snapshot = data.snapshot()
except (CatalogueError, StoreError) as exc:
    st.error(f"The dashboard cannot open its data: {exc}", icon=":material/error:")
    st.stop()
st.session_state["_filters"] = state.sidebar_filters(snapshot)
state.resume_page()
page.run()
