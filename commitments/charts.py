"""Plotly figures for the dashboard, built from the tables in `commitments.frames`.

Pure functions of DataFrames: no streamlit, no store. The colours of stages and flags are
declared here once, so the charts and the board's badges always agree.

Every piece of user text that reaches a hover label goes through `html.escape`: plotly
renders a subset of HTML in hover text, and a summary is data, not markup.

>>> segments = stage_segments(pd.DataFrame([
...     {"commitment_id": "p", "title": "A pledge", "on": date(2024, 1, 1), "stage": "pledged",
...      "basis": "none", "flags": "", "evidence_ids": "", "reason": "pledged"},
...     {"commitment_id": "p", "title": "A pledge", "on": date(2024, 3, 1), "stage": "announced",
...      "basis": "claimed", "flags": "", "evidence_ids": "e1", "reason": "announced"},
... ]), until=date(2024, 6, 30))
>>> [(s.stage, s.start.date().isoformat(), s.end.date().isoformat()) for s in segments.itertuples()]
[('pledged', '2024-01-01', '2024-03-01'), ('announced', '2024-03-01', '2024-07-01')]
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from commitments import explain
from commitments.models import Basis, Direction, Indicator, SpeaksFor, Stage

STAGE_ORDER: tuple[str, ...] = tuple(s.slug for s in Stage)
STAGE_LABELS: dict[str, str] = {s.slug: s.label.capitalize() for s in Stage}
# Grey -> blue -> amber -> green: amber is "in effect, but only on the party's word",
# green is corroborated by someone else.
STAGE_COLOURS: dict[str, str] = {
    "pledged": "#94a3b8",
    "announced": "#5b8def",
    "in_effect": "#d99a00",
    "verified": "#2e7d32",
}
FLAG_COLOURS: dict[str, str] = {
    "contradicted": "#c62828",
    "reversed": "#7b1fa2",
    "overdue": "#ef6c00",
    "late": "#8d6e63",
    "stale": "#78909c",
    "unable_to_conclude": "#6d4c41",
    "no_public_data": "#546e7a",
}
DIRECTION_COLOURS: dict[str, str] = {
    Direction.SUPPORTS.value: "#2e7d32",
    Direction.AGAINST.value: "#c62828",
    Direction.NEUTRAL.value: "#607d8b",
}
SPEAKER_LABELS: dict[str, str] = {
    SpeaksFor.COMMITTING_PARTY.value: "Committing party",
    SpeaksFor.COUNTERPART.value: "Counterpart",
    SpeaksFor.INTERNATIONAL_BODY.value: "International body",
    SpeaksFor.INDEPENDENT.value: "Independent",
}
STATUS_ROW = "Status"

FONT = {"family": "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif", "size": 13}
# More changes than this on one date are summarised, so a hover label stays readable.
MAX_CHANGES_IN_HOVER = 6
# Beyond this many distinct change dates the counts are sampled per week or month.
MAX_EXACT_DATES = 250


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        plot_bgcolor="white",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1, "title": None},
        hoverlabel={"align": "left"},
    )
    fig.update_xaxes(title_text=x_title, showgrid=True, gridcolor="#eceff1", automargin=True)
    fig.update_yaxes(title_text=y_title, showgrid=True, gridcolor="#eceff1", automargin=True)
    return fig


def _text(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def status_label(stage: str, basis: str) -> str:
    """`explain.status_label` for a stage and basis as the frames spell them ("in_effect", "claimed")."""
    return explain.status_label(Stage.from_slug(stage), Basis(basis))


def _evidence_lines(ids: str, evidence: Mapping[str, str]) -> list[str]:
    return [evidence.get(i, f"[{_text(i)}]") for i in ids.split(";") if i]


def evidence_notes(evidence: pd.DataFrame) -> dict[str, str]:
    """Evidence id -> one escaped hover line: date, summary, who it speaks for."""
    if evidence.empty:
        return {}
    publisher = evidence["source_publisher"].to_numpy(dtype=object)
    # As `publisher or title`: any truthy publisher wins, an empty one falls back to the title.
    via = np.where(_per_value(evidence["source_publisher"], bool).astype(bool), publisher, evidence["source_title"])
    lines = (
        "• "
        + _per_value(evidence["known_on"], _text)
        + ": "
        + _per_value(evidence["summary"], lambda s: _text(_shorten(str(s), 90)))
        + "<br>   <i>"
        + _per_value(evidence["speaks_for"], lambda s: _text(SPEAKER_LABELS.get(str(s), str(s)).lower()))
        + ", via "
        + _per_value(pd.Series(via, dtype=object), lambda v: _text(_shorten(str(v), 50)))
        + "</i>"
    )
    return dict(zip(evidence["id"].map(str), lines.tolist(), strict=True))


def _per_value(values: pd.Series | pd.Index, render: Callable[[Any], object]) -> np.ndarray:
    """`render` of every value, as an object array, calling it once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    rendered = np.empty(len(uniques), dtype=object)
    rendered[:] = [render(u) for u in uniques]
    return rendered[codes]


def _status_labels(stages: pd.Series, bases: pd.Series) -> list[str]:
    pairs = [(str(s), str(b)) for s, b in zip(stages.to_numpy(dtype=object), bases.to_numpy(dtype=object), strict=True)]
    labels = {pair: status_label(*pair) for pair in set(pairs)}
    return [labels[pair] for pair in pairs]


# -- headline counts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    label: str
    count: int
    help: str


def headline_counts(board: pd.DataFrame) -> list[Headline]:
    """The board's headline figures, counted from `frames.board_frame` rows."""
    stage, basis = board["stage"], board["basis"]
    flags = board["flags"].fillna("").astype(str).str.split(";")

    def flagged(flag: str) -> int:
        return int(flags.map(lambda fs: flag in fs).sum())

    return [
        Headline("Pledges", len(board), "Pledges on record by the as-of date, after the filters."),
        Headline(
            "Verified",
            int((stage == "verified").sum()),
            "In effect, corroborated by a source other than the committing party.",
        ),
        Headline(
            "In effect, only claimed",
            int(((stage == "in_effect") & (basis == Basis.CLAIMED.value)).sum()),
            "In effect on the committing party's word alone: not yet independently verified.",
        ),
        Headline("Announced", int((stage == "announced").sum()), "A concrete implementing step was announced."),
        Headline("Pledged only", int((stage == "pledged").sum()), "Nothing on record beyond the pledge itself."),
        Headline("Contradicted", flagged("contradicted"), "Evidence against is newer than the latest support."),
        Headline("Overdue", flagged("overdue"), "The due date has passed and the pledge is not in effect."),
        Headline("Stale", flagged("stale"), "No evidence for longer than the configured number of days."),
    ]


def stage_bar_figure(board: pd.DataFrame, width: int = 720, height: int = 30) -> go.Figure:
    """Pledges at each stage on one date as one stacked bar, labelled inside, sized for print (the brief's chart).

    From `frames.board_frame` rows. A stage no pledge is at has no segment (the brief's counts name it).
    """
    counts = board["stage"].value_counts()
    total = int(counts.sum())
    fig = go.Figure()
    for stage in STAGE_ORDER:
        n = int(counts.get(stage, 0))
        if not n:
            continue
        fig.add_trace(
            go.Bar(
                x=[n],
                y=[""],
                orientation="h",
                name=STAGE_LABELS[stage],
                marker={"color": STAGE_COLOURS[stage], "line": {"color": "white", "width": 2}},
                text=[f"{STAGE_LABELS[stage]} {n}"],
                textposition="inside",
                insidetextanchor="middle",
                textangle=0,
                textfont={"color": "white", "size": 12},
                hoverinfo="skip",
            )
        )
    fig.update_layout(
        barmode="stack",
        font={**FONT, "size": 12},
        width=width,
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        bargap=0,
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
        uniformtext={"minsize": 9, "mode": "hide"},
    )
    fig.update_xaxes(visible=False, range=[0, max(total, 1)], fixedrange=True)
    fig.update_yaxes(visible=False, fixedrange=True)
    return fig


# -- stage counts over time ---------------------------------------------------------------


def sampling_frequency(history: pd.DataFrame) -> str | None:
    """None (every change date) while that stays readable, else weekly or monthly."""
    dates = pd.to_datetime(history["on"]).drop_duplicates()
    if len(dates) <= MAX_EXACT_DATES:
        return None
    span_days = (dates.max() - dates.min()).days
    return "W-SUN" if span_days <= 3 * 366 else "ME"


def stage_counts_over_time(
    history: pd.DataFrame, until: date, freq: str | None = None, titles: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """How many pledges stood at each stage on each date, from `frames.history_frame`.

    Counts only change when a status does, so by default there is one row per stage for
    every date on which some pledge changed, plus `until`; a pandas `freq` ("W-SUN",
    "ME") samples at period ends instead. `changes` lists (escaped, for hover labels)
    which pledges changed since the previous date, and why.

    Columns: on (Timestamp), stage, pledges (int), changes (str).
    """
    columns = ["on", "stage", "pledges", "changes"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    h = history.assign(on=pd.to_datetime(history["on"])).sort_values("on", kind="stable")
    end = pd.Timestamp(until)
    h = h[h["on"] <= end].reset_index(drop=True)
    if h.empty:
        return pd.DataFrame(columns=columns)
    if freq is None:
        samples = pd.DatetimeIndex(sorted({*h["on"].unique(), end}))
    else:
        samples = pd.DatetimeIndex(sorted({*pd.date_range(h["on"].min(), end, freq=freq), end}))

    counts = _stage_counts_at(h, samples)
    texts = _changes_per_sample(h, samples, titles or {})
    stages = len(STAGE_ORDER)
    return pd.DataFrame(
        {
            "on": samples.repeat(stages),
            "stage": list(STAGE_ORDER) * len(samples),
            "pledges": counts.ravel().tolist(),
            "changes": [text for text in texts for _ in range(stages)],
        },
        columns=columns,
    )


def _stage_counts_at(h: pd.DataFrame, samples: pd.DatetimeIndex) -> np.ndarray:
    """Pledges at each stage on each sample date: a samples x stages array of counts.

    A pledge's last change on a day is its stage from that day on; each change adds one to
    its new stage and takes one from the stage it left, so running sums of those steps over
    the change dates give the counts. Before its first change a pledge counts nowhere, and
    a stage outside STAGE_ORDER counts nowhere either.
    """
    last = h.drop_duplicates(["commitment_id", "on"], keep="last").sort_values(["commitment_id", "on"], kind="stable")
    code = pd.Categorical(last["stage"], categories=list(STAGE_ORDER)).codes.astype(np.int64)
    same_pledge = last["commitment_id"].to_numpy() == np.roll(last["commitment_id"].to_numpy(), 1)
    same_pledge[:1] = False
    left = np.where(same_pledge, np.roll(code, 1), -1)
    days = last["on"].to_numpy()
    change_days, day_index = np.unique(days, return_inverse=True)
    stages = len(STAGE_ORDER)
    steps = np.zeros((len(change_days), stages), dtype=np.int64)
    entered = code >= 0
    np.add.at(steps, (day_index[entered], code[entered]), 1)
    exited = left >= 0
    np.add.at(steps, (day_index[exited], left[exited]), -1)
    running = np.cumsum(steps, axis=0)
    position = np.searchsorted(change_days, samples.to_numpy().astype(change_days.dtype), side="right") - 1
    counts = np.zeros((len(samples), stages), dtype=np.int64)
    known = position >= 0
    counts[known] = running[position[known]]
    return counts


def _changes_per_sample(h: pd.DataFrame, samples: pd.DatetimeIndex, titles: Mapping[str, str]) -> list[str]:
    """The hover text of each sample: the first few changes since the previous one, and how many more."""
    slot = samples.searchsorted(h["on"], side="left")
    per_slot = np.bincount(slot, minlength=len(samples))
    # Only the first MAX_CHANGES_IN_HOVER lines of a sample are shown: build just those.
    rank = pd.Series(slot).groupby(slot).cumcount().to_numpy()
    shown = h[rank < MAX_CHANGES_IN_HOVER]
    lines: list[list[str]] = [[] for _ in samples]
    for position, commitment_id, title, reason in zip(
        slot[rank < MAX_CHANGES_IN_HOVER], shown["commitment_id"], shown["title"], shown["reason"], strict=True
    ):
        name = titles.get(str(commitment_id), str(title))
        lines[int(position)].append(f"<b>{_text(_shorten(name, 50))}</b>: {_text(_shorten(str(reason), 110))}")
    texts = []
    for shown_lines, total in zip(lines, per_slot.tolist(), strict=True):
        text = "<br>".join(shown_lines)
        if total > MAX_CHANGES_IN_HOVER:
            text += f"<br>… and {total - MAX_CHANGES_IN_HOVER} more"
        texts.append(text)
    return texts


def stage_area_figure(counts: pd.DataFrame, title: str = "Pledges at each stage") -> go.Figure:
    """A stacked step chart of `stage_counts_over_time`, with a hover marker at each change."""
    fig = go.Figure()
    for stage in STAGE_ORDER:
        part = counts[counts["stage"] == stage]
        fig.add_trace(
            go.Scatter(
                x=part["on"],
                y=part["pledges"],
                name=STAGE_LABELS[stage],
                mode="lines",
                line={"shape": "hv", "width": 0.5, "color": STAGE_COLOURS[stage]},
                fillcolor=STAGE_COLOURS[stage],
                stackgroup="stages",
                # The diamonds carry the hover: a step's own points sit only at its corners.
                hoverinfo="skip",
            )
        )
    if not counts.empty:
        wide = counts.pivot(index="on", columns="stage", values="pledges").reindex(columns=list(STAGE_ORDER))
        changes = counts.groupby("on", sort=True)["changes"].first()
        changed = changes[changes != ""].index
        per_date: dict[object, dict[str, int]] = {
            on: {str(s): int(n) for s, n in row.items()} for on, row in wide.to_dict("index").items()
        }
        breakdown = [
            f"{sum(per_date[on].values())} pledges: "
            + " · ".join(f"{per_date[on][s]} {STAGE_LABELS[s].lower()}" for s in STAGE_ORDER)
            for on in changed
        ]
        fig.add_trace(
            go.Scatter(
                x=changed,
                y=wide.loc[changed].sum(axis=1),
                name="Status changes",
                mode="markers",
                marker={"symbol": "diamond", "size": 10, "color": "#263238", "line": {"width": 1, "color": "white"}},
                customdata=list(zip(breakdown, changes.loc[changed], strict=True)),
                hovertemplate="<b>%{x|%d %b %Y}</b> — %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
    _layout(fig, title, "Date", "Number of pledges", height=420)
    fig.update_yaxes(rangemode="tozero", tickformat="d")
    fig.update_layout(hovermode="closest")
    return fig


# -- per-pledge timelines ---------------------------------------------------------------------


def stage_segments(history: pd.DataFrame, until: date, evidence: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per spell at a status: from one change to the next (or to `until`).

    Columns: commitment_id, title, stage, basis, status, flags, start, end, reason, hover.
    The last spell ends the day after `until`, so a change on `until` still shows.
    Pledges come in the order they first appear in `history`, each one's spells by date.
    """
    columns = ["commitment_id", "title", "stage", "basis", "status", "flags", "start", "end", "reason", "hover"]
    if history.empty:
        return pd.DataFrame(columns=columns)
    finish = pd.Timestamp(until + timedelta(days=1))
    on = pd.to_datetime(history["on"])
    group = pd.factorize(history["commitment_id"])[0]
    order = np.lexsort((on.to_numpy(), group))  # stable: equal dates keep their order in `history`
    h = history.iloc[order].reset_index(drop=True)
    start = on.iloc[order].reset_index(drop=True)
    last_of_pledge = np.append(group[order][1:] != group[order][:-1], True)
    end = start.shift(-1).where(~last_of_pledge, finish)
    end = end.astype(start.dtype)

    stage, basis = h["stage"], h["basis"]
    status = _status_labels(stage, basis)
    flags = _per_value(h["flags"], lambda f: str(f).replace(";", ", "))
    # Iterating plain objects: pandas' arrow-backed strings are slow to walk one by one.
    evidence_ids = [str(ids) for ids in h["evidence_ids"].to_numpy(dtype=object)]
    notes: dict[str, str] = {}
    if evidence is not None:
        referenced = {i for ids in evidence_ids for i in ids.split(";") if i}
        wanted = np.fromiter((str(i) in referenced for i in evidence["id"].to_numpy(dtype=object)), bool, len(evidence))
        notes = evidence_notes(evidence[wanted])
    evidence_lines = ["".join("<br>" + line for line in _evidence_lines(ids, notes)) for ids in evidence_ids]
    hover = (
        "<b>"
        + _per_value(h["title"], lambda t: _text(_shorten(str(t), 70)))
        + "</b><br>"
        + _per_value(pd.Series(status, dtype=object), _text)
        + np.where(flags != "", " — " + _per_value(pd.Series(flags, dtype=object), _text), "")
        + "<br>from "
        + _per_value(start, lambda d: f"{d:%d %b %Y}")
        + " to "
        + _per_value(end - timedelta(days=1), lambda d: f"{d:%d %b %Y}")
        + "<br>Change: "
        + _per_value(h["reason"], lambda r: _text(_shorten(str(r), 120)))
        + np.asarray(evidence_lines, dtype=object)
    )
    return pd.DataFrame(
        {
            "commitment_id": h["commitment_id"],
            "title": h["title"],
            "stage": stage,
            "basis": basis,
            "status": status,
            "flags": h["flags"],
            "start": start,
            "end": end,
            "reason": h["reason"],
            "hover": hover.tolist(),
        },
        columns=columns,
    )


def _bar_traces(segments: pd.DataFrame, y: pd.Series, show_legend: bool = True) -> list[go.Bar]:
    """Horizontal bars on a date axis, one trace per stage (so the legend names stages)."""
    traces = []
    for stage in STAGE_ORDER:
        mask = segments["stage"] == stage
        part = segments[mask]
        if part.empty:
            continue
        claimed = part["basis"] == Basis.CLAIMED.value
        traces.append(
            go.Bar(
                base=part["start"],
                x=(part["end"] - part["start"]).dt.total_seconds() * 1000,
                y=y[mask],
                orientation="h",
                name=STAGE_LABELS[stage],
                legendgroup=stage,
                showlegend=show_legend,
                marker={
                    "color": STAGE_COLOURS[stage],
                    "line": {"color": "white", "width": 1},
                    # Hatching marks a stage resting only on the committing party's word.
                    "pattern": {
                        "shape": ["/" if c else "" for c in claimed],
                        "fillmode": "overlay",
                        "fgcolor": "rgba(255,255,255,0.55)",
                        "size": 8,
                    },
                },
                customdata=part[["hover"]].to_numpy(),
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    return traces


def gantt_figure(segments: pd.DataFrame, title: str = "Stages of each pledge over time") -> go.Figure:
    """One row per pledge, one coloured bar per spell at a stage (hatched: claimed only)."""
    labels = segments["title"].map(lambda t: _shorten(str(t), 55))
    fig = go.Figure(_bar_traces(segments, labels))
    order = list(dict.fromkeys(labels))
    rows = max(len(order), 1)
    _layout(fig, title, "Date", "Pledge", height=140 + 34 * rows)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_xaxes(type="date")
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], showgrid=False)
    return fig


def pledge_timeline_figure(
    segments: pd.DataFrame, evidence: pd.DataFrame, title: str = "Status history and evidence"
) -> go.Figure:
    """A single pledge: its status as a band, its evidence as markers by who speaks.

    Markers are placed on the date a row became known (`known_on`, the as-of axis);
    filled when the row counts, hollow when it was superseded or retracted.
    """
    fig = go.Figure(_bar_traces(segments, pd.Series(STATUS_ROW, index=segments.index)))
    notes = evidence_notes(evidence)
    rows = evidence.assign(
        x=pd.to_datetime(evidence["known_on"]),
        y=evidence["speaks_for"].map(lambda s: SPEAKER_LABELS.get(str(s), str(s))),
        active=evidence["record_state"] == "active",
    )
    for direction, colour in DIRECTION_COLOURS.items():
        part = rows[rows["direction"] == direction]
        if part.empty:
            continue
        hover = [
            f"{notes[str(r.id)]}<br>{_text(str(r.kind).replace('_', ' '))} ({_text(direction)}), "
            f"row {_text(r.id)}" + ("" if r.active else f"<br><b>{_text(_shorten(str(r.record_state), 90))}</b>")
            for r in part.itertuples(index=False)
        ]
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers",
                name=f"Evidence: {direction}",
                marker={
                    "size": 12,
                    "color": colour,
                    "symbol": ["circle" if a else "circle-open" for a in part["active"]],
                    "line": {"width": 1.5, "color": colour},
                },
                customdata=[[h] for h in hover],
                hovertemplate="%{customdata[0]}<extra></extra>",
            )
        )
    categories = [STATUS_ROW, *SPEAKER_LABELS.values()]
    _layout(fig, title, "Date (when the pledge or evidence became known)", "", height=360)
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_xaxes(type="date")
    fig.update_yaxes(
        title_text="Status · evidence by source",
        categoryorder="array",
        categoryarray=categories[::-1],
        range=[-0.5, len(categories) - 0.5],
        showgrid=False,
    )
    return fig


# -- indicators ---------------------------------------------------------------------------


def indicator_values(evidence: pd.DataFrame) -> pd.DataFrame:
    """The measured values among the rows that count, oldest first.

    Columns: event_date (Timestamp), value (float), summary, id, speaks_for.
    """
    has_value = (evidence["value"].astype(str).str.strip() != "") & (evidence["record_state"] == "active")
    rows = evidence[has_value]
    return (
        pd.DataFrame(
            {
                "event_date": pd.to_datetime(rows["event_date"]),
                "value": pd.to_numeric(rows["value"]),
                "summary": rows["summary"],
                "id": rows["id"],
                "speaks_for": rows["speaks_for"],
            }
        )
        .sort_values("event_date", kind="stable")
        .reset_index(drop=True)
    )


def indicator_figure(values: pd.DataFrame, indicator: Indicator, title: str = "Measured values") -> go.Figure:
    """Measured values over time, against the indicator's baseline and target."""
    hover = [
        f"<b>{r.event_date:%d %b %Y}</b>: {r.value:g} {_text(indicator.unit)}<br>{_text(_shorten(str(r.summary), 90))}"
        f"<br><i>{_text(SPEAKER_LABELS.get(str(r.speaks_for), str(r.speaks_for)))}, row {_text(r.id)}</i>"
        for r in values.itertuples(index=False)
    ]
    fig = go.Figure(
        go.Scatter(
            x=values["event_date"],
            y=values["value"],
            mode="lines+markers",
            name="Measured",
            line={"color": "#1f4e79", "width": 2},
            marker={"size": 9},
            customdata=[[h] for h in hover],
            hovertemplate="%{customdata[0]}<extra></extra>",
        )
    )
    if indicator.baseline is not None:
        fig.add_hline(
            y=indicator.baseline,
            line={"dash": "dot", "color": "#78909c"},
            annotation_text=f"Baseline {indicator.baseline:g}",
            annotation_position="top right",
        )
    if indicator.target is not None:
        fig.add_hline(
            y=indicator.target,
            line={"dash": "dash", "color": STAGE_COLOURS["verified"]},
            annotation_text=f"Target {indicator.target:g}",
            annotation_position="top right",
        )
    if indicator.target_by is not None:
        fig.add_vline(x=pd.Timestamp(indicator.target_by).timestamp() * 1000, line={"dash": "dot", "color": "#9e9e9e"})
    _layout(fig, title, "Date of the measured event", _axis_title(indicator.unit), height=360)
    # A lone measurement would otherwise get an axis a few milliseconds wide.
    first, last = values["event_date"].min(), values["event_date"].max()
    if pd.notna(first) and (last - first).days < 120:
        middle = first + (last - first) / 2
        fig.update_xaxes(range=[middle - pd.Timedelta(days=90), middle + pd.Timedelta(days=90)])
    fig.update_xaxes(type="date")
    top = max([values["value"].max(), indicator.target or 0, indicator.baseline or 0])
    fig.update_yaxes(range=[0, (top or 1) * 1.15])
    return fig


def _axis_title(text: str, width: int = 32) -> str:
    """An axis title that fits beside the plot: first letter up, long titles on two lines."""
    text = text[:1].upper() + text[1:]
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, len(text) // 2 + 8)
    return text if cut <= 0 else text[:cut] + "<br>" + text[cut + 1 :]
