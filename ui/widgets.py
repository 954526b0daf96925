"""Display helpers the pages share: stage badges, flag chips, safe text and source links.

Everything a user typed (summaries, quotes, titles, source names) is shown as text: it
goes through `escape_markdown` before `st.markdown`, and no page here passes
`unsafe_allow_html`. Only http(s) addresses ever become links (`web_url`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from commitments import explain
from commitments.charts import FLAG_COLOURS, STAGE_COLOURS, STAGE_ORDER, status_label
from commitments.models import Basis, Commitment, DatePrecision, Flag, RecordState, Source, SpeaksFor
from ui import state

DETAIL_PAGE = "pages/pledge_detail.py"
CHANGES_PAGE = "pages/changes.py"
# Streamlit wraps a dataframe's text only in rows taller than 4rem (64 px): rows of this
# height show a long title or reason on up to three lines instead of cutting it.
WRAPPING_ROW = 66
PLEDGE_PARAM = "pledge"
PLEDGE_KEY = "pledge"

# Streamlit's named badge colours, matched by hue to the hex colours of the charts.
STAGE_BADGE_COLOURS: dict[str, str] = {
    "pledged": "gray",
    "announced": "blue",
    "in_effect": "yellow",
    "verified": "green",
}
FLAG_BADGE_COLOURS: dict[str, str] = {
    "contradicted": "red",
    "reversed": "violet",
    "overdue": "orange",
    "late": "orange",
    "stale": "gray",
    "unable_to_conclude": "gray",
    "no_public_data": "gray",
}
# Every wording the board can show for a status, in stage order, with its chip colour.
_STATUS_CHIPS: dict[str, str] = {
    status_label(stage, basis.value): STAGE_COLOURS[stage]
    for stage in STAGE_ORDER
    for basis in (Basis.CLAIMED, Basis.REPORTED, Basis.INDEPENDENT)
}
STATUS_OPTIONS: tuple[str, ...] = tuple(_STATUS_CHIPS)
FLAG_OPTIONS: tuple[str, ...] = tuple(f.value for f in Flag)

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=])")
_WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def escape_markdown(text: object) -> str:
    """Text exactly as typed, with nothing Streamlit's Markdown would act on.

    >>> escape_markdown("**bold** [x](javascript:alert(1)) :red[y] $x$")
    '\\\\*\\\\*bold\\\\*\\\\* \\\\[x\\\\]\\\\(javascript\\\\:alert\\\\(1\\\\)\\\\) \\\\:red\\\\[y\\\\] \\\\$x\\\\$'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text)).replace("\n", "  \n")


def web_url(url: object) -> str | None:
    """The address if it is an http(s) web address, else None (so it is never a link).

    >>> web_url("https://example.org/a"), web_url("javascript:alert(1)"), web_url("")
    ('https://example.org/a', None, None)
    """
    text = str(url or "").strip()
    return text if _WEB_URL.match(text) and not any(c in text for c in "()<>\"'") else None


def link_or_text(label: str, url: object) -> str:
    """Markdown for a label that links to `url` only when that is a safe web address."""
    safe = web_url(url)
    return f"[{escape_markdown(label)}]({safe})" if safe else escape_markdown(label)


def source_markdown(source: Source) -> str:
    """One line citing a source: linked title, publisher, date, and where to read it."""
    parts = [link_or_text(source.title, source.url)]
    if source.publisher:
        parts.append(escape_markdown(source.publisher))
    if source.published_on:
        parts.append(source.published_on.strftime("%d %b %Y"))
    line = " — ".join(parts)
    if source.reference:
        line += f" · _{escape_markdown(source.reference)}_"
    return line


def pledged_when(commitment: Commitment) -> str:
    """The date pledged at its real precision: "November 2023", not a made-up day."""
    on = commitment.pledged_on
    if commitment.pledged_on_precision is DatePrecision.MONTH:
        return on.strftime("%B %Y")
    if commitment.pledged_on_precision is DatePrecision.YEAR:
        return str(on.year)
    return on.strftime("%d %B %Y")


def nothing_on_record(commitments: Iterable[Commitment], as_of: date) -> str:
    """Why a screen is empty when the as-of date is before every pledge."""
    earliest = min(commitments, key=lambda c: c.pledged_effective_on, default=None)
    text = f"No pledges on record as of {long_date(as_of)}."
    if earliest is not None:
        text += f" The earliest pledge in the catalogue was made in {pledged_when(earliest)}."
    return text


def long_date(day: date | None, precision: DatePrecision = DatePrecision.DAY) -> str:
    """A date as the page shows it, only as precise as it is known ("Nov 2023"); "—" for none."""
    return explain.date_text(day, precision) if day else "—"


def badge_markdown(label: str, colour: str) -> str:
    # The label is one of our own fixed words; escaping still keeps "]" from ending it.
    return f":{colour}-badge[{escape_markdown(label)}]"


def status_badges(stage: str, basis: str, flags: Iterable[str]) -> str:
    """Markdown: the coloured stage badge followed by one chip per flag."""
    badges = [badge_markdown(status_label(stage, basis), STAGE_BADGE_COLOURS[stage])]
    badges += [badge_markdown(f, FLAG_BADGE_COLOURS.get(f, "gray")) for f in flags if f]
    return " ".join(badges)


def status_column(label: str = "Status") -> Any:
    """A read-only dataframe column that shows the status as a coloured chip."""
    return st.column_config.MultiselectColumn(
        label,
        options=list(STATUS_OPTIONS),
        color=list(_STATUS_CHIPS.values()),
        width=170,
        help="Stage reached; “(claimed)”: only the committing party says so; “(reported)”: someone else "
        "reports it, but no source strong enough to verify it.",
    )


def flags_column(label: str = "Flags") -> Any:
    return st.column_config.MultiselectColumn(
        label,
        options=list(FLAG_OPTIONS),
        color=[FLAG_COLOURS[f] for f in FLAG_OPTIONS],
        width=150,
        help="Contradicted, reversed, overdue, late, stale (no evidence for a long time), or an assessment "
        "that the record cannot conclude.",
    )


def link_column(label: str = "Link") -> Any:
    return st.column_config.LinkColumn(label, display_text="Open ↗", help="The source, on the web")


def view_caption(filters: state.Filters) -> str:
    """A line saying which date the screen looks from (and, in the audit view, records)."""
    view = filters.view
    text = f"As of **{long_date(view.as_of)}**"
    if view.recorded_on:
        text += f" · only what had been recorded by **{long_date(view.recorded_on)}** (audit view)"
    active = [
        ("party", filters.parties),
        ("theme", filters.themes),
        ("stage", tuple(s.replace("_", " ") for s in filters.stages)),
        ("flag", filters.flags),
    ]
    chosen = [f"{name}: {escape_markdown(', '.join(values))}" for name, values in active if values]
    if chosen:
        text += " · filtered by " + "; ".join(chosen)
    return text


def show_link_problems() -> None:
    """Say what the link that opened the page asked for and could not have (once per session)."""
    problems = state.link_problems()
    if problems:
        listed = "".join(f"\n- {escape_markdown(p)}" for p in problems)
        st.warning(f"Part of the link could not be used:{listed}", icon=":material/link_off:")


def shared_params() -> dict[str, str]:
    """The shared date and filters as the link carries them, for a link to another page."""
    return {k: str(v) for k, v in st.query_params.to_dict().items() if k in state.PARAMS}


def changes_headline(changes: Sequence[Any], since: date) -> str:
    """ "**3 pledges changed** since 1 Aug 2024", counting changes of status only."""
    moved = sum(1 for c in changes if c.status_changed)
    when = explain.date_text(since)
    if not moved:
        return f"No pledge changed status since {when}."
    return f"**{explain.count_text(moved, 'pledge')} changed status** since {when}."


def explain_if_all_stale(statuses: Sequence[Any], filters: state.Filters) -> None:
    """When every pledge shown is stale, say why, and offer the date of the newest evidence.

    Opened on today's date, a catalogue nobody has added to for months is all stale: the
    board says so in a sentence rather than leaving a column of grey chips to puzzle over.
    """
    if not statuses or not all(Flag.STALE in s.flags for s in statuses):
        return
    latest = max((s.last_evidence_on for s in statuses if s.last_evidence_on), default=None)
    days = filters.view.rules.stale_after_days
    if latest is None:
        st.info(f"Every pledge shown is flagged stale: none has evidence, and each is over {days} days old.")
        return
    st.info(
        f"Every pledge shown is flagged stale: the newest evidence on record is from {long_date(latest)}, "
        f"more than {days} days before {long_date(filters.view.as_of)}. Nothing newer has been recorded.",
        icon=":material/hourglass_disabled:",
    )
    st.button(
        f"View as of {long_date(latest)}",
        key="as_of_latest_evidence",
        on_click=state.set_as_of,
        args=(latest,),
        icon=":material/event:",
        help="Look from the date of the newest evidence instead of today",
    )


def saved_sentence(row: Any, titles: dict[str, str], before: str, after: str) -> str:
    """What saving a row did, in words: "Saved as row X. <pledge>: pledged → announced (claimed)."

    Under review, what it will do once someone else confirms it.
    """
    title = escape_markdown(titles.get(row.commitment_id, row.commitment_id))
    if not after:
        effect = "not yet on the board on today's date"
    elif before and before != after:
        effect = f"**{escape_markdown(before)} → {escape_markdown(after)}**"
    else:
        effect = f"still **{escape_markdown(after)}**"
    if row.needs_review:
        return (
            f"Saved as row {row.id}. It moves no status until someone else confirms it on the Review page; "
            f"then {title}: {effect}."
        )
    return f"Saved as row {row.id}. {title}: {effect} (as of today). It counts on the board and the pledge's page now."


def chosen_pledge() -> str | None:
    """The pledge the detail page should show: from the link first, then the session."""
    from_url = st.query_params.get(PLEDGE_PARAM)
    if from_url:
        return str(from_url)
    value = st.session_state.get(PLEDGE_KEY)
    return str(value) if value else None


def remember_pledge(pledge_id: str | None) -> None:
    """Keep the chosen pledge in the session and the link, so the page can be shared."""
    st.session_state[PLEDGE_KEY] = pledge_id
    if pledge_id:
        if st.query_params.get(PLEDGE_PARAM) != pledge_id:
            st.query_params[PLEDGE_PARAM] = pledge_id
    elif PLEDGE_PARAM in st.query_params:
        del st.query_params[PLEDGE_PARAM]


def pledge_table(table: Any, ids: Sequence[str], column_config: dict[str, Any], key: str, most_rows: int) -> None:
    """A table with one row per pledge; selecting a row opens that pledge's detail.

    Rows are tall enough that a long title wraps instead of being cut, and the table tall
    enough for ``most_rows`` rows: a board is read at a glance, not scrolled."""
    opens = f"_{key}_opens"
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        row_height=WRAPPING_ROW,
        height=min(38 + WRAPPING_ROW * len(table), 38 + WRAPPING_ROW * most_rows),
        column_config=column_config,
        on_select="rerun",
        selection_mode="single-row",
        # A fresh key after each opening: a selection the browser restores (e.g. on "back")
        # belongs to the old key, so it cannot send the reader straight back to the detail.
        key=f"{key}_{st.session_state.get(opens, 0)}",
    )
    chosen = picked.selection.rows if picked else []
    if chosen:
        st.session_state[opens] = st.session_state.get(opens, 0) + 1
        open_pledge_detail(ids[chosen[0]])


def open_pledge_detail(pledge_id: str) -> None:
    """Go to the pledge's detail page, keeping the shared filters in the link."""
    st.session_state[PLEDGE_KEY] = pledge_id
    st.switch_page(DETAIL_PAGE, query_params={**shared_params(), PLEDGE_PARAM: pledge_id})


def citation_markdown(rows: Any, commitment: Commitment) -> str:
    """A numbered list of evidence-log rows as a reader would cite them: when, what, the source
    (linked when it is a web address), whose word, and the row's id."""
    lines = []
    for n, row in enumerate(rows.to_dict("records"), start=1):
        when = explain.date_text(date.fromisoformat(str(row["known_on"]))) if row["known_on"] else ""
        source = link_or_text(
            explain.source_text(str(row["source_title"]), str(row["source_publisher"])), row["source_url"]
        )
        word = explain.whose_word(SpeaksFor(str(row["speaks_for"])), commitment)
        lines.append(
            f"{n}. {escape_markdown(when)} — {escape_markdown(row['summary'])} — {source} · "
            f"_{escape_markdown(word)}_ · row {code_span(row['id'])}"
        )
    return "\n".join(lines)


def code_span(text: object) -> str:
    """Text as inline code (shown exactly, in a fixed font); text holding a backtick is escaped instead.

    >>> code_span("ev-1")
    '`ev-1`'
    """
    value = str(text)
    return f"`{value}`" if "`" not in value and value.strip() == value and value else escape_markdown(value)


def record_texts(log: Any) -> list[str]:
    """The evidence log's record column in words ("superseded by ev-…", "retracted: why")."""
    return [
        explain.record_text(RecordState(str(state)), str(note or ""))
        for state, note in zip(log["record_state"], log["record_note"], strict=True)
    ]


def criteria_markdown(commitment: Commitment) -> str:
    """What would count as each stage, as the pledge states it in advance (or that it states none)."""
    criteria = commitment.criteria
    if criteria is None:
        return "_No criteria are stated for this pledge: each stage is judged by the general rules._"
    return "\n".join(
        f"- **{label}:** {escape_markdown(text)}"
        for label, text in (
            ("Announced", criteria.announced),
            ("In effect", criteria.in_effect),
            ("Verified", criteria.verified),
        )
    )


def earlier_versions_markdown(versions: Sequence[Any]) -> str:
    """Each earlier definition of a pledge (ledger.PledgeVersion), with when it held, oldest first."""
    blocks = []
    for version, following in itertools.pairwise(versions):
        start = "before versions were kept" if version.before_versions else long_date(version.recorded_at)
        title = escape_markdown(version.commitment.title)
        blocks.append(
            f"**From {escape_markdown(start)} until {escape_markdown(long_date(following.recorded_at))}:** {title}"
            f"  \n{criteria_markdown(version.commitment)}"
        )
    return "\n\n".join(blocks)
