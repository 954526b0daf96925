"""Commitment verification: pledges, dated evidence, and status that explains itself.

The package never imports streamlit; the dashboard in `pages/` is a thin layer on top.
"""
