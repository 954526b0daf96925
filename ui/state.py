"""The filters and the as-of date every page shares, kept in the session and the URL.

`dashboard.py` draws them in the sidebar on every run, before the page, so they are set
once and kept while moving between pages; they are mirrored into the URL's query string,
so a filtered view can be shared as a link.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from commitments import config
from commitments.models import Flag, Stage
from commitments.status import StatusRules
from commitments.summaries import Snapshot, View

ENTRY_POINT = str(Path(__file__).resolve().parent.parent / "dashboard.py")
# Session-state key -> query-parameter name. Lists are stored comma-separated.
PARAMS = {
    "f_as_of": "as_of",
    "f_recorded_on": "recorded_on",
    "f_party": "party",
    "f_theme": "theme",
    "f_stage": "stage",
    "f_flag": "flag",
}
LIST_KEYS = ("f_party", "f_theme", "f_stage", "f_flag")
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


def _load_from_url(options: dict[str, list[str]]) -> None:
    """On a session's first run, take the filters from the link that opened it."""
    if st.session_state.get("_filters_loaded"):
        return
    st.session_state["_filters_loaded"] = True
    params = st.query_params
    as_of = _parse_date(params.get("as_of"))
    if as_of:
        st.session_state["f_as_of"] = as_of
    recorded = _parse_date(params.get("recorded_on"))
    if recorded:
        st.session_state["f_recorded_on"] = recorded
        st.session_state["f_audit"] = True
    for key in LIST_KEYS:
        raw = params.get(PARAMS[key])
        if raw:
            # Unknown values in a hand-edited link are dropped, not an error.
            st.session_state[key] = [v for v in raw.split(",") if v in options[key]]


KEPT_KEY = "_filters_kept"
KEPT = (*PARAMS, "f_audit")


def _keep() -> None:
    """Copy the filter widgets' values to a key of our own, which outlives the widgets."""
    st.session_state[KEPT_KEY] = {k: st.session_state[k] for k in KEPT if k in st.session_state}


def _restore_kept() -> None:
    # st.switch_page reruns without the browser's widget states, and Streamlit then drops
    # the filter widgets' values: put back the ones the previous run had.
    for key, value in st.session_state.get(KEPT_KEY, {}).items():
        if key not in st.session_state:
            st.session_state[key] = value


def _write_to_url() -> None:
    wanted: dict[str, str] = {}
    for key, name in PARAMS.items():
        value = st.session_state.get(key)
        if key == "f_recorded_on" and not st.session_state.get("f_audit"):
            continue
        if isinstance(value, list) and value:
            wanted[name] = ",".join(value)
        elif isinstance(value, date) and not (key == "f_as_of" and value == date.today()):
            wanted[name] = value.isoformat()
    for name in list(st.query_params.keys()):
        if name in PARAMS.values() and name not in wanted:
            del st.query_params[name]
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value


def sidebar_filters(snapshot: Snapshot) -> Filters:
    """Draw the shared filters in the sidebar and return what they select."""
    options = {
        "f_party": sorted({c.party for c in snapshot.commitments}),
        "f_theme": sorted({c.theme for c in snapshot.commitments}),
        "f_stage": STAGES,
        "f_flag": FLAGS,
    }
    _load_from_url(options)
    _restore_kept()
    with st.sidebar:
        st.header("View")
        as_of = st.date_input(
            "As of",
            key="f_as_of",
            value=st.session_state.get("f_as_of", date.today()),
            min_value=date(1990, 1, 1),
            max_value=date.today(),
            help="Count only what had happened and been made public by this date.",
            format="YYYY-MM-DD",
        )
        audit = st.toggle(
            "Only what we had recorded by a date",
            key="f_audit",
            help="The audit view: what the team had entered into the tool by then.",
        )
        recorded_on = None
        if audit:
            recorded_on = st.date_input(
                "Recorded by",
                key="f_recorded_on",
                value=st.session_state.get("f_recorded_on", as_of),
                max_value=date.today(),
                format="YYYY-MM-DD",
            )
        st.header("Filters")
        parties = st.multiselect("Party", options["f_party"], key="f_party", placeholder="All parties")
        themes = st.multiselect("Theme", options["f_theme"], key="f_theme", placeholder="All themes")
        stages = st.multiselect(
            "Stage", STAGES, key="f_stage", format_func=lambda s: s.replace("_", " "), placeholder="All stages"
        )
        flags = st.multiselect("Flag", FLAGS, key="f_flag", placeholder="Any flags")
    _keep()
    _write_to_url()
    assert isinstance(as_of, date)
    view = View(
        as_of=as_of,
        recorded_on=recorded_on if isinstance(recorded_on, date) else None,
        rules=StatusRules(stale_after_days=config.stale_after_days()),
    )
    return Filters(view, tuple(parties), tuple(themes), tuple(stages), tuple(flags))


RESUME_KEY = "_resume_page"


def current_filters() -> Filters:
    """The filters drawn by dashboard.py on this run (pages call this)."""
    filters = st.session_state.get("_filters")
    if isinstance(filters, Filters):
        return filters
    # Streamlit ran this page file without dashboard.py: on a freshly started server, a link
    # straight to a page is resolved against the pages/ folder until st.navigation has run
    # once. Run the entry point (it draws the filters and registers the pages), then come
    # back to this page with the link's parameters.
    if not st.session_state.get("_resumed"):
        st.session_state["_resumed"] = True
        st.session_state[RESUME_KEY] = inspect.stack()[1].filename
        st.switch_page(ENTRY_POINT, query_params=st.query_params.to_dict())
    raise RuntimeError("the shared filters are drawn by dashboard.py; run the app through it")


def resume_page() -> None:
    """In dashboard.py, after the filters: go back to a page that had to run it first."""
    page = st.session_state.pop(RESUME_KEY, None)
    if page:
        st.switch_page(page, query_params=st.query_params.to_dict())
