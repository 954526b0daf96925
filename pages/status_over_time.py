"""Placeholder: being built."""

import streamlit as st

st.title("status_over_time")
