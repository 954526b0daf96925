"""The filters and the as-of date every page shares, kept in the session and the URL.

Every page that shows the board's data draws them in the sidebar (`current_filters`), so
they are set once and kept while moving between pages; they are mirrored into the URL's
query string, so a filtered view can be shared as a link.

The chosen values live in one session-state entry of our own (`VALUES_KEY`), not in the
widgets' state: Streamlit drops a widget's state when a run does not draw it (a page
without the sidebar, a page switch), and the values must outlive that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from commitments import config
from commitments.ledger import Ledger, View
from commitments.models import Flag, Stage
from commitments.status import StatusRules
from ui import data

VALUES_KEY = "_shared_view"
# Value name (also the query-parameter name). Lists are comma-separated in the URL.
DATE_PARAMS = ("as_of", "recorded_on")
LIST_PARAMS = ("party", "theme", "stage", "flag")
PARAMS = (*DATE_PARAMS, *LIST_PARAMS, "pending")
STAGES = [s.slug for s in Stage]
FLAGS = [f.value for f in Flag]


@dataclass(frozen=True)
class Filters:
    view: View
    parties: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def apply(self, board: pd.DataFrame) -> pd.DataFrame:
        """The board rows that pass every filter (an empty filter passes everything)."""
        keep = pd.Series(True, index=board.index)
        if self.parties:
            keep &= board["party"].isin(self.parties)
        if self.themes:
            keep &= board["theme"].isin(self.themes)
        if self.stages:
            keep &= board["stage"].isin(self.stages)
        if self.flags:
            keep &= board["flags"].map(lambda f: bool(set(str(f).split(";")) & set(self.flags)))
        return board[keep]


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def shared_values() -> dict[str, Any]:
    """The session's chosen view: as_of, recorded_on, party, theme, stage, flag, pending."""
    values: dict[str, Any] = st.session_state.setdefault(VALUES_KEY, {})
    return values


def _load_from_url(values: dict[str, Any], options: dict[str, list[str]]) -> None:
    """On a session's first run, take the filters from the link that opened it."""
    if values.get("_loaded"):
        return
    values["_loaded"] = True
    params = st.query_params
    for name in DATE_PARAMS:
        parsed = _parse_date(params.get(name))
        if parsed:
            values[name] = min(parsed, date.today())
    for name in LIST_PARAMS:
        raw = params.get(name)
        if raw:
            # Unknown values in a hand-edited link are dropped, not an error.
            values[name] = [v for v in raw.split(",") if v in options[name]]
    if params.get("pending") == "1":
        values["pending"] = True


def _write_to_url(values: dict[str, Any]) -> None:
    wanted: dict[str, str] = {}
    for name in PARAMS:
        value = values.get(name)
        if isinstance(value, list) and value:
            wanted[name] = ",".join(value)
        elif isinstance(value, date) and not (name == "as_of" and value == date.today()):
            wanted[name] = value.isoformat()
        elif value is True:
            wanted[name] = "1"
    for name in list(st.query_params.keys()):
        if name in PARAMS and name not in wanted:
            del st.query_params[name]
    for name, text in wanted.items():
        if st.query_params.get(name) != text:
            st.query_params[name] = text


def sidebar_filters(ledger: Ledger) -> Filters:
    """Draw the shared filters in the sidebar and return what they select."""
    options = {
        "party": sorted({c.party for c in ledger.commitments}),
        "theme": sorted({c.theme for c in ledger.commitments}),
        "stage": STAGES,
        "flag": FLAGS,
    }
    values = shared_values()
    _load_from_url(values, options)
    with st.sidebar:
        st.header("View")
        as_of = st.date_input(
            "As of",
            key="w_as_of",
            value=values.get("as_of", date.today()),
            min_value=date(1990, 1, 1),
            max_value=date.today(),
            help="Count only what had happened and been made public by this date.",
            format="YYYY-MM-DD",
        )
        values["as_of"] = as_of if isinstance(as_of, date) else date.today()
        audit = st.toggle(
            "Only what we had recorded by a date",
            key="w_audit",
            value=values.get("recorded_on") is not None,
            help="The audit view: what the team had entered into the tool by then.",
        )
        recorded_on = None
        if audit:
            picked = st.date_input(
                "Recorded by",
                key="w_recorded_on",
                value=values.get("recorded_on") or values["as_of"],
                max_value=date.today(),
                format="YYYY-MM-DD",
            )
            recorded_on = picked if isinstance(picked, date) else None
        values["recorded_on"] = recorded_on
        pending = False
        if ledger.awaits_review:
            pending = st.toggle(
                "Count rows awaiting review",
                key="w_pending",
                value=bool(values.get("pending")),
                help="Rows a second person has not yet confirmed do not move a status unless this is on.",
            )
        values["pending"] = pending
        st.header("Filters")
        chosen: dict[str, list[str]] = {}
        labels = {"party": "Party", "theme": "Theme", "stage": "Stage", "flag": "Flag"}
        placeholders = {"party": "All parties", "theme": "All themes", "stage": "All stages", "flag": "Any flags"}
        for name in LIST_PARAMS:
            chosen[name] = st.multiselect(
                labels[name],
                options[name],
                key=f"w_{name}",
                default=[v for v in values.get(name, []) if v in options[name]],
                format_func=lambda v: str(v).replace("_", " "),
                placeholder=placeholders[name],
            )
            values[name] = chosen[name]
    _write_to_url(values)
    view = View(
        as_of=values["as_of"],
        recorded_on=recorded_on,
        rules=StatusRules(stale_after_days=config.stale_after_days()),
        include_pending=pending,
    )
    return Filters(view, tuple(chosen["party"]), tuple(chosen["theme"]), tuple(chosen["stage"]), tuple(chosen["flag"]))


def current_filters() -> Filters:
    """Draw the shared sidebar (as-of date and filters) and return what it selects.

    Each page that uses the filters calls this once, at its top. The page draws the
    sidebar itself rather than dashboard.py, because Streamlit runs a page file on its own
    whenever a `pages/` folder sits beside the entry point and `st.navigation` has not run
    yet in the process: a link straight to a page on a freshly started server, and every
    AppTest run after the first.
    """
    return sidebar_filters(data.ledger())
