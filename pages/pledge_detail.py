"""Pledge detail: the pledge, its status and why, its history, and its evidence log."""

import pandas as pd
import streamlit as st

from commitments import charts
from commitments.frames import evidence_frame, history_frame
from commitments.models import QuoteKind
from ui import data, state, widgets

filters = state.current_filters()
view = filters.view
ledger = data.ledger()
by_id = {c.id: c for c in ledger.commitments}

wanted = widgets.chosen_pledge()
if wanted and wanted not in by_id:
    st.warning(f"There is no pledge with the id “{widgets.escape_markdown(wanted)}”. Choose one below.")
    wanted = None
ids = list(by_id)
picked = st.selectbox(
    "Pledge",
    ids,
    index=ids.index(wanted) if wanted else None,
    format_func=lambda i: by_id[i].title,
    placeholder="Choose a pledge …",
)
widgets.remember_pledge(picked)
if picked is None:
    st.title("Pledge detail")
    st.info("Choose a pledge above, or select one on the status board.", icon=":material/touch_app:")
    st.stop()

pledge = by_id[picked]
# The board's own answer for this pledge, so the two always agree.
status = ledger.status(pledge.id, view)
evidence = evidence_frame(ledger, view, [pledge.id])
history = history_frame(ledger.history(view, [pledge.id]))

st.title(pledge.title)
st.caption(widgets.view_caption(filters))
if status is None:
    st.info(
        f"Not yet on record as of {widgets.long_date(view.as_of)}: this pledge was made in "
        f"{widgets.pledged_when(pledge)}. Move the as-of date forward to see its status.",
        icon=":material/event_busy:",
    )
else:
    st.markdown(widgets.status_badges(status.stage.slug, status.basis.value, sorted(f.value for f in status.flags)))

# -- the pledge ---------------------------------------------------------------------------
about, figures = st.columns([3, 2], gap="large")
with about:
    if pledge.description:
        st.markdown(widgets.escape_markdown(pledge.description))
    counterpart = f" → {pledge.counterpart}" if pledge.counterpart else ""
    facts = [
        ("Who", f"{pledge.party}{counterpart}"),
        ("Theme", pledge.theme.replace("-", " ")),
        ("Pledged", f"{widgets.pledged_when(pledge)}, {pledge.pledged_at}"),
        ("Due", widgets.long_date(pledge.due_on) if pledge.due_on else "no due date stated"),
    ]
    st.markdown("  \n".join(f"**{label}:** {widgets.escape_markdown(value)}" for label, value in facts))
    if pledge.quote:
        st.markdown("> " + widgets.escape_markdown(pledge.quote).replace("  \n", "  \n> "))
        if pledge.quote_kind is QuoteKind.PARAPHRASE:
            st.caption("Paraphrase: the source's facts in our words, not its own.")
    st.markdown("**Sources**")
    st.markdown("\n".join(f"- {widgets.source_markdown(s)}" for s in pledge.sources))
    st.markdown("**What would count** (stated before the evidence is weighed)")
    st.markdown(widgets.criteria_markdown(pledge))
    versions = ledger.versions(pledge.id)
    if len(versions) > 1:
        with st.expander(f"Earlier definitions of this pledge ({len(versions) - 1})"):
            for version in versions[:-1]:
                when = (
                    "before versions were kept" if version.before_versions else widgets.long_date(version.recorded_at)
                )
                st.markdown(
                    f"**In force from {widgets.escape_markdown(when)}** — {widgets.escape_markdown(version.note)}"
                )
                st.markdown(widgets.criteria_markdown(version.commitment))
    if pledge.note:
        with st.expander("Note on the record"):
            st.markdown(widgets.escape_markdown(pledge.note))
with figures:
    if status is not None:
        first, second = st.columns(2)
        first.metric("Independent sources", status.independent_sources, help="Sources not speaking for the party")
        second.metric("Claimed sources", status.claimed_sources, help="Sources speaking for the committing party")
        first.metric("Evidence rows counted", status.evidence_count)
        second.metric("Days since pledged", (view.as_of - pledge.pledged_on).days)
        st.markdown(
            f"**At this stage since:** {widgets.long_date(status.stage_since, status.stage_since_precision)}  \n"
            f"**Last evidence:** {widgets.long_date(status.last_evidence_on, status.last_evidence_precision)}"
        )

# -- why this status ----------------------------------------------------------------------
if status is not None:
    st.subheader("Why this status")
    st.markdown("\n".join(f"- {widgets.escape_markdown(reason)}" for reason in status.reasons))
    behind_ids = [*ledger.rows_behind(pledge.id, view), *status.evidence_ids]
    behind = evidence[evidence["id"].isin(behind_ids)].sort_values("known_on", kind="stable")
    if not behind.empty:
        st.markdown("**What it rests on**")
        st.markdown(widgets.citation_markdown(behind, pledge))

# -- history and measurements -------------------------------------------------------------
if not history.empty:
    segments = charts.stage_segments(history, view.as_of, evidence)
    st.plotly_chart(charts.pledge_timeline_figure(segments, evidence), key="pledge_timeline")
    st.caption(
        "The band shows the status over time (hatched: resting only on the committing party's word). "
        "Markers are evidence rows on the date they became known; hollow markers were superseded or retracted."
    )
if pledge.indicator is not None:
    values = charts.indicator_values(evidence)
    st.subheader(f"Measured: {pledge.indicator.unit}")
    if pledge.indicator.note:
        st.caption(widgets.escape_markdown(pledge.indicator.note))
    if values.empty:
        st.info("No measured values recorded yet for this indicator.", icon=":material/query_stats:")
    else:
        st.plotly_chart(charts.indicator_figure(values, pledge.indicator), key="indicator")

# -- evidence log -------------------------------------------------------------------------
st.subheader("Evidence log")
if evidence.empty:
    st.info(f"No evidence recorded for this pledge as of {widgets.long_date(view.as_of)}.", icon=":material/inbox:")
else:
    st.caption("Newest first. Rows are never edited: corrections supersede, retractions withdraw, both stay here.")
    st.dataframe(
        pd.DataFrame(
            {
                "Event date": pd.to_datetime(evidence["event_date"]),
                "Kind": evidence["kind"].str.replace("_", " "),
                "Direction": evidence["direction"],
                "Speaks for": evidence["speaks_for"].map(charts.SPEAKER_LABELS),
                "Summary": evidence["summary"],
                "Quote": evidence["quote"],
                "Quote is": evidence["quote_kind"],
                "Strength": evidence["source_strength"].str.replace("_", " "),
                "Reason": evidence["reason_code"].str.replace("_", " "),
                "Replies to": evidence["replies_to"],
                "Value": pd.to_numeric(evidence["value"].replace("", None)),
                "Source": evidence["source_title"],
                "Publisher": evidence["source_publisher"],
                "Link": evidence["source_url"].map(widgets.web_url),
                "Reference": evidence["source_reference"],
                "Recorded by": evidence["recorded_by"],
                "Recorded at": pd.to_datetime(evidence["recorded_at"]),
                "Record": widgets.record_texts(evidence),
                "Row": evidence["id"],
            }
        ).dropna(axis="columns", how="all"),
        hide_index=True,
        width="stretch",
        column_config={
            "Event date": st.column_config.DateColumn(format="YYYY-MM-DD"),
            "Summary": st.column_config.TextColumn(width="large"),
            "Link": widgets.link_column(),
            "Recorded at": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        },
        key="evidence_log",
    )
