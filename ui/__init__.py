"""Streamlit glue shared by the pages: cached loading, the shared filters, badges.

Pages stay thin by calling these; the domain itself lives in `commitments/`.
"""
