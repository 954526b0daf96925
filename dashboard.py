"""The dashboard's entry point: `streamlit run dashboard.py`.

Builds the navigation, nothing else: every screen lives in pages/, and the pages draw
the shared sidebar filters themselves (ui/state.py says why). Imported rather than run,
it gives `streamlit run` the server to start, which reads the store before it serves.
"""

import streamlit as st

# Each visit runs this file as a page script, under the name "__main__".
if __name__ == "__main__":
    st.set_page_config(page_title="Commitment verification", page_icon=":material/fact_check:", layout="wide")

    PAGES = {
        "Board": [
            st.Page("pages/status_board.py", title="Status board", icon=":material/dashboard:", default=True),
            st.Page("pages/changes.py", title="What changed", icon=":material/difference:"),
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
else:
    # `streamlit run dashboard.py` first imports this file to find the server to start:
    # this one reads the store before it takes visitors (ui/startup.py).
    from ui.startup import read_ahead

    app = st.App(__file__, lifespan=read_ahead)
