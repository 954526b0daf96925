"""Tools for developers: run the dashboard on a scratch database, drive it in Chromium.

Used by the end-to-end tests, the README screenshot script and the benchmark, so all
three start the app the same way a user does: `streamlit run dashboard.py`.
"""
