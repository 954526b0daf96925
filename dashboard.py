"""The dashboard's entry point: `streamlit run dashboard.py`.

Builds the navigation, nothing else: every screen lives in pages/, and the pages draw
the shared sidebar filters themselves (ui/state.py says why).
"""

import streamlit as st

st.set_page_config(page_title="Commitment verification", page_icon=":material/fact_check:", layout="wide")

PAGES = {
    "Board": [
        st.Page("pages/status_board.py", title="Status board", icon=":material/dashboard:", default=True),
        # No custom url_path: before st.navigation first runs, Streamlit resolves a deep link
        # against the pages/ file names, so /pledge would open with "Page not found".
        st.Page("pages/pledge_detail.py", title="Pledge detail", icon=":material/description:"),
        st.Page("pages/status_over_time.py", title="Status over time", icon=":material/timeline:"),
        st.Page("pages/corrections_log.py", title="Corrections log", icon=":material/history_edu:"),
    ],
    "Record": [
        st.Page("pages/add_evidence.py", title="Add evidence", icon=":material/add_circle:"),
        st.Page("pages/suggest_evidence.py", title="Suggest evidence", icon=":material/auto_awesome:"),
        st.Page("pages/review.py", title="Review", icon=":material/rule:"),
        st.Page("pages/downloads.py", title="Downloads", icon=":material/download:"),
    ],
    "Help": [
        st.Page("pages/about.py", title="About and method", icon=":material/info:"),
    ],
}

st.navigation(PAGES).run()
