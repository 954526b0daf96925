"""The corrections log as the page shows it: readable column names, action chips, dates as dates."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from commitments.ledger import Ledger
from ui.paging import paged_dataframe

FILE_NAME = "corrections_log.csv"
ACTION_LABELS = {"retracted": "Retracted", "superseded": "Superseded"}


def draw(log: pd.DataFrame, ledger: Ledger) -> None:
    """One line per correction, newest first, a page at a time."""
    titles = {c.id: c.title for c in ledger.commitments}
    frame = pd.DataFrame(
        {
            "Date (UTC)": pd.to_datetime(log["on"]),
            "Action": log["action"].map(lambda a: ACTION_LABELS.get(str(a), str(a))),
            # What a reader comes for first: why, and who said so; then which row it was.
            "Reason": log["reason"],
            "By": log["by"],
            "Row": log["evidence_id"],
            "Pledge": log["commitment_id"].map(lambda i: titles.get(str(i), str(i))),
            "Summary": log["summary"],
            "Replaced by": log["replaced_by"],
        }
    )
    config = {
        "Date (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        "Action": st.column_config.TextColumn(width="small"),
        "Reason": st.column_config.TextColumn(width=320),
        "Pledge": st.column_config.TextColumn(width="medium"),
    }
    paged_dataframe(frame, key="corrections_log", column_config=config, hide_index=True, width="stretch")
