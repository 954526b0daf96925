"""The filters, the as-of date and the "changes since" date every page shares, kept in the
session and the URL.

Every page that shows the board's data draws them in the sidebar (`current_filters`), so
they are set once and kept while moving between pages; they are mirrored into the URL's
query string, so a filtered view can be shared as a link.

The chosen values live in one session-state entry of our own (`VALUES_KEY`), not in the
widgets' state: Streamlit drops a widget's state when a run does not draw it (a page
without the sidebar, a page switch), and the values must outlive that. A value in a link
that cannot be used (not a date, a date after today, a party no pledge has) is left out
and said so on the page, never dropped in silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from commitments import config
from commitments.ledger import Ledger, View, week_before
from commitments.models import Flag, Stage
from commitments.status import StatusRules
from ui import data

VALUES_KEY = "_shared_view"
# Value name (also the query-parameter name). Lists are comma-separated in the URL.
DATE_PARAMS = ("as_of", "recorded_on", "since")
LIST_PARAMS = ("party", "theme", "stage", "flag")
PARAMS = (*DATE_PARAMS, *LIST_PARAMS, "pending")
STAGES = [s.slug for s in Stage]
FLAGS = [f.value for f in Flag]
EARLIEST = date(1990, 1, 1)
PROBLEMS_KEY = "_link_problems"


@dataclass(frozen=True)
class Filters:
    view: View
    since: date
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
    """On a session's first run, take the filters from the link that opened it.

    What cannot be used is left out, and why is kept for the page to say (`link_problems`).
    """
    if values.get("_loaded"):
        return
    values["_loaded"] = True
    params = st.query_params
    problems: list[str] = []
    today = date.today()
    for name in DATE_PARAMS:
        raw = params.get(name)
        if not raw:
            continue
        parsed = _parse_date(raw)
        if parsed is None:
            problems.append(f"{name}={raw!r} is not a date (YYYY-MM-DD); it was left out")
        elif parsed > today and name == "since":
            problems.append(f"{name}={raw} is after today; a week before the as-of date is used instead")
        elif parsed > today:
            problems.append(f"{name}={raw} is after today; today ({today.isoformat()}) is used instead")
            values[name] = today
        elif parsed < EARLIEST:
            problems.append(f"{name}={raw} is before {EARLIEST.isoformat()}; it was left out")
        else:
            values[name] = parsed
    for name in LIST_PARAMS:
        raw = params.get(name)
        if raw:
            wanted = [v for v in raw.split(",") if v]
            values[name] = [v for v in wanted if v in options[name]]
            unknown = [v for v in wanted if v not in options[name]]
            if unknown:
                known = ", ".join(options[name]) or "none"
                problems.append(f"{name}={','.join(unknown)}: no such {name} (known: {known}); it was left out")
    pending = params.get("pending")
    if pending == "1":
        values["pending"] = True
    elif pending:
        problems.append(f"pending={pending!r}: say pending=1 to count rows awaiting review; it was left out")
    st.session_state[PROBLEMS_KEY] = problems


def set_as_of(day: date) -> None:
    """A button's callback: look from `day` (the sidebar's date field follows on the next run)."""
    shared_values()["as_of"] = day
    # The field keeps its own value while it exists; without it, it is drawn with this one.
    st.session_state.pop("w_as_of", None)


def link_problems() -> list[str]:
    """What the link that opened this session asked for that could not be used (said once)."""
    found = st.session_state.pop(PROBLEMS_KEY, [])
    return list(found) if isinstance(found, list) else []


def _write_to_url(values: dict[str, Any]) -> None:
    wanted: dict[str, str] = {}
    for name in PARAMS:
        value = values.get(name)
        if isinstance(value, list) and value:
            wanted[name] = ",".join(value)
        elif isinstance(value, date) and not (name == "as_of" and value == date.today()):
            wanted[name] = value.isoformat()
        # since: None stands for the default (a week before as-of), which needs no parameter
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
            min_value=EARLIEST,
            max_value=date.today(),
            help="Count only what had happened and been made public by this date.",
            format="YYYY-MM-DD",
        )
        values["as_of"] = as_of if isinstance(as_of, date) else date.today()
        since = _since_input(values)
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
    return Filters(
        view, since, tuple(chosen["party"]), tuple(chosen["theme"]), tuple(chosen["stage"]), tuple(chosen["flag"])
    )


def _since_input(values: dict[str, Any]) -> date:
    """The "changes since" date: a week before as-of unless chosen; always before as-of."""
    as_of: date = values["as_of"]
    latest = as_of - timedelta(days=1)
    chosen = values.get("since")
    if isinstance(chosen, date) and chosen > latest:
        # The as-of date moved back past it: the default again, said in the sidebar.
        st.warning(f"Changes since {chosen.isoformat()} is not before the as-of date; a week before is used.")
        chosen = None
    default = week_before(as_of)
    wanted = chosen if isinstance(chosen, date) else default
    # The widget's own state would outlive a change of as-of date; its key follows the bounds.
    picked = st.date_input(
        "Changes since",
        key=f"w_since_{as_of.isoformat()}",
        value=max(min(wanted, latest), EARLIEST),
        min_value=EARLIEST,
        max_value=latest,
        help="The board's Changed column and the Changes page compare this date with the as-of date.",
        format="YYYY-MM-DD",
    )
    since = picked if isinstance(picked, date) else default
    values["since"] = None if since == default else since
    return since


def current_filters() -> Filters:
    """Draw the shared sidebar (as-of date and filters) and return what it selects.

    Each page that uses the filters calls this once, at its top. The page draws the
    sidebar itself rather than dashboard.py, because AppTest runs a page file on its own
    after its first run (a served dashboard always runs dashboard.py: ui/startup.py).
    """
    return sidebar_filters(data.ledger())
