"""The brief: where the pledges stand on a date, what changed, and who says so, on one page.

Bottom line up front, as a think tank's one-pager reads: the title and the dates, the
bottom line in three sentences, the headline counts, the stages as a chart, what changed
since the earlier date, one line per pledge (status, why, who verified, last evidence),
and numbered sources at the back. A catalogue of more than `ONE_PAGE_PLEDGES` pledges
gets the summary on page one and the table after it.

`build_brief` gathers it from the ledger, `brief_html` writes it as HTML with print CSS
(`brief.css`, A4 or Letter), `brief_pdf` prints that with WeasyPrint. Every piece of text
is escaped; every sentence comes from `commitments.explain`. The chart is Plotly's own
static export (SVG, through Kaleido and a headless Chrome or Chromium); where none can
run, the brief says so in the chart's place and is otherwise whole.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from commitments import explain
from commitments.charts import STAGE_COLOURS, headline_counts, stage_bar_figure
from commitments.frames import board_frame
from commitments.ledger import Change, Ledger, PledgeStatus, View
from commitments.models import Source, SourceStrength, Stage
from commitments.selection import EVERY_PLEDGE, Selection

# What a brief compares with when no earlier date is given: the week before.
# Up to this many pledges the whole brief aims at one page; beyond it the table starts on page two.
ONE_PAGE_PLEDGES = 25
# What the summary lists of the changes before it says "and N more".
CHANGES_LISTED = 6
UNCHANGED_LISTED = 6
# Rows cited for one step of a pledge's history (a day can bring many).
ROWS_CITED_PER_STEP = 3

Paper = Literal["A4", "Letter"]
CSS = (Path(__file__).with_name("brief.css")).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Citation:
    number: int
    text: str  # explain.citation_text
    url: str  # a web address ("" when none)
    reference: str  # where it is kept otherwise (a seed file)


@dataclass
class _Citations:
    """Sources numbered in the order the brief first cites them, one number per document."""

    rows: Mapping[str, Mapping[str, str]]  # evidence id -> its evidence-log row
    numbers: dict[str, int] = field(default_factory=dict)  # source key -> number
    listed: list[Citation] = field(default_factory=list)
    stated: dict[str, bool] = field(default_factory=dict)  # source key -> its citation states a strength

    def _number(self, source: Source) -> int:
        key = source.key  # what counts as one source
        text = explain.citation_text(source.title, source.publisher, source.published_on, source.strength)
        if key not in self.numbers:
            self.numbers[key] = len(self.listed) + 1
            self.listed.append(Citation(self.numbers[key], text, source.url, source.reference))
        elif source.strength is not None and not self.stated[key]:
            # First cited as a pledge's source, which states no strength, then by a row that does.
            number = self.numbers[key]
            self.listed[number - 1] = Citation(number, text, source.url, source.reference)
        self.stated[key] = self.stated.get(key, False) or source.strength is not None
        return self.numbers[key]

    def of_rows(self, evidence_ids: Sequence[str]) -> tuple[int, ...]:
        found = []
        for evidence_id in evidence_ids:
            row = self.rows.get(evidence_id)
            if row is None:
                continue
            source = Source.model_construct(
                title=row["source_title"],
                publisher=row["source_publisher"],
                url=row["source_url"],
                reference=row["source_reference"],
                published_on=date.fromisoformat(row["source_published_on"]) if row["source_published_on"] else None,
                strength=SourceStrength(row["source_strength"]) if row["source_strength"] else None,
            )
            found.append(self._number(source))
        return tuple(dict.fromkeys(found))

    def of_pledge(self, status: PledgeStatus) -> tuple[int, ...]:
        """The pledge's own sources: what a status of "pledged" rests on."""
        return tuple(dict.fromkeys(self._number(s) for s in status.commitment.sources))


@dataclass(frozen=True)
class Brief:
    """Everything the brief shows, gathered; `render` lays it out."""

    title: str
    view: View
    since: date
    scope: str
    board: tuple[PledgeStatus, ...]
    changes: tuple[Change, ...]  # status changes first, then those that only gained evidence
    citations: tuple[Citation, ...]
    pledge_cites: Mapping[str, tuple[int, ...]]  # pledge id -> the sources behind its status
    step_cites: Mapping[tuple[str, int], tuple[int, ...]]  # (pledge id, step) -> sources of that step
    chart_svg: bytes  # b"" when the static export could not run
    chart_note: str
    prepared_on: date

    @property
    def large(self) -> bool:
        return len(self.board) > ONE_PAGE_PLEDGES


def stage_chart_svg(board: Sequence[PledgeStatus], tries: int = 2) -> tuple[bytes, str]:
    """The stage chart as SVG from Plotly's static export, or (b"", why not) where it cannot run.

    A browser that fails to start once (it happens on a busy machine) is given a second try.
    """
    figure = stage_bar_figure(board_frame(board))
    reason = ""
    for _ in range(tries):
        try:
            return figure.to_image(format="svg"), ""
        except Exception as exc:  # Kaleido missing, no Chrome or Chromium, a browser that would not start
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return b"", f"The chart could not be drawn here (Plotly's static export: {reason[:160]})."


def build_brief(
    ledger: Ledger,
    view: View,
    since: date,
    selection: Selection = EVERY_PLEDGE,
    title: str = "",
    chart: bool = True,
    prepared_on: date | None = None,
) -> Brief:
    """The brief of the pledges `selection` passes, as of the view's date, with the changes since `since`."""
    board = selection.of(ledger.board(view))
    kept = {s.commitment_id for s in board}
    changes = [c for c in ledger.changes(since, view) if c.commitment_id in kept]
    changes.sort(key=lambda c: not c.status_changed)  # stable: catalogue order within each group
    cited_ids = [i for s in board for i in (*s.evidence_ids, *(r.evidence_id for r in s.reported_by))]
    cited_ids += [i for c in changes for t in c.transitions for i in t.evidence_ids[:ROWS_CITED_PER_STEP]]
    rows = {r["id"]: r for r in ledger.evidence_log(view, evidence_ids=cited_ids)} if cited_ids else {}
    citations = _Citations(rows)
    step_cites = {
        (c.commitment_id, k): citations.of_rows(t.evidence_ids[:ROWS_CITED_PER_STEP])
        for c in changes
        if c.status_changed
        for k, t in enumerate(c.transitions)
    }
    pledge_cites = {}
    for s in board:
        ids = [*s.evidence_ids, *(r.evidence_id for r in s.reported_by)]
        pledge_cites[s.commitment_id] = citations.of_rows(ids) if ids else citations.of_pledge(s)
    svg, note = stage_chart_svg(board) if chart and board else (b"", "")
    return Brief(
        title=title,
        view=view,
        since=since,
        scope=selection.text,
        board=board,
        changes=tuple(changes),
        citations=tuple(citations.listed),
        pledge_cites=pledge_cites,
        step_cites=step_cites,
        chart_svg=svg,
        chart_note=note,
        prepared_on=prepared_on or date.today(),
    )


# -- the page -------------------------------------------------------------------------------


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _cites(numbers: Sequence[int]) -> str:
    if not numbers:
        return ""
    links = ",&nbsp;".join(f'<a href="#source-{n}">{n}</a>' for n in sorted(numbers))
    # A plain space before the bracket: WeasyPrint breaks a cell's line at its first space when
    # the text ends in an inline element joined to it by a no-break space.
    return f' <span class="cite">[{links}]</span>'


def _masthead(b: Brief) -> str:
    dates = [f"<strong>{_e(explain.view_text(b.view.as_of, b.view.recorded_on, b.view.include_pending))}</strong>"]
    dates += [f"changes since {_e(explain.date_text(b.since))}", _e(b.scope)]
    dates += [f"prepared {_e(explain.date_text(b.prepared_on))}"]
    title = f"<h1>{_e(b.title)}</h1>" if b.title else ""
    return (
        '<header class="masthead"><p class="kicker">Commitment verification brief</p>'
        f'{title}<p class="dates">{" · ".join(dates)}</p></header>'
    )


def _bottom_line(b: Brief) -> str:
    counts: dict[str, int] = {}
    for s in b.board:
        counts[s.label] = counts.get(s.label, 0) + 1
    changed = sum(1 for c in b.changes if c.status_changed)
    text = explain.bottom_line(counts, changed, b.since)
    return f'<section class="bluf"><h2>Bottom line</h2><p>{_e(text)}</p></section>'


def _counts(b: Brief) -> str:
    if not b.board:
        return ""
    tiles = "".join(
        f'<div class="tile{" zero" if h.count == 0 else ""}"><span class="n">{h.count}</span>'
        f'<span class="label">{_e(h.label)}</span></div>'
        for h in headline_counts(board_frame(b.board))
    )
    return f'<section class="counts">{tiles}</section>'


def _chart(b: Brief) -> str:
    if not b.board:
        return ""
    if not b.chart_svg:
        return f'<p class="chart-note">{_e(b.chart_note)}</p>' if b.chart_note else ""
    data = base64.b64encode(b.chart_svg).decode("ascii")
    return (
        '<figure class="chart">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{_e(_chart_caption(b))}" title="{_e(_chart_caption(b))}">'
        "</figure>"
    )


def _chart_caption(b: Brief) -> str:
    at = {stage: 0 for stage in Stage}
    for s in b.board:
        at[s.stage] += 1
    each = ", ".join(f"{stage.label} {n}" for stage, n in at.items())
    return f"Pledges at each stage, {explain.view_text(b.view.as_of)}: {each}."


def _changes(b: Brief) -> str:
    moved = [c for c in b.changes if c.status_changed]
    quiet = [c for c in b.changes if not c.status_changed]
    listed = moved if not b.large else moved[:CHANGES_LISTED]
    items = []
    for c in listed:
        steps = "; ".join(
            _e(explain.step_text(t.on, t.reason)) + _cites(b.step_cites.get((c.commitment_id, k), ()))
            for k, t in enumerate(c.transitions)
        ) or _e(f"{c.before.label if c.before else 'not yet on record'} → {c.after.label}")
        items.append(f"<li><strong>{_e(c.commitment.title)}</strong>: {steps}</li>")
    if len(moved) > len(listed):
        items.append(f'<li class="more">… and {len(moved) - len(listed)} more; the table shows each pledge.</li>')
    if not moved:
        items.append(f"<li>{_e(f'No pledge changed status since {explain.date_text(b.since)}.')}</li>")
    body = f"<ul>{''.join(items)}</ul>"
    if quiet:
        shown = quiet[:UNCHANGED_LISTED]
        also = "; ".join(
            f"{_e(c.commitment.title)} ({_e(explain.unchanged_text(len(c.new_evidence_ids), len(c.correction_ids)))})"
            for c in shown
        )
        more = f"; and {len(quiet) - len(shown)} more" if len(quiet) > len(shown) else ""
        body += f'<p class="also"><strong>Also new on record:</strong> {also}{more}.</p>'
    heading = _e(f"What changed since {explain.date_text(b.since)}")
    return f'<section class="changes"><h2>{heading}</h2>{body}</section>'


def _status_cell(s: PledgeStatus) -> str:
    colour = STAGE_COLOURS[s.stage.slug]
    flags = ", ".join(sorted(f.label for f in s.flags))
    flagged = f'<span class="flags">{_e(flags)}</span>' if flags else ""
    return f'<span class="pill" style="border-color:{colour};color:{colour}">{_e(s.label)}</span>{flagged}'


def _table(b: Brief) -> str:
    if not b.board:
        return ""
    head = "".join(
        f'<th class="{key}">{_e(explain.heading(key))}</th>'
        for key in ("pledge", "status", "why", "verified_by", "last_evidence_on")
    )
    rows = []
    for s in b.board:
        # Short cells: the sources themselves are in the numbered citations.
        verified = _e(s.verifiers) or '<span class="none">—</span>'
        last = explain.date_text(s.last_evidence_on, s.last_evidence_precision) if s.last_evidence_on else ""
        rows.append(
            f'<tr><td class="pledge">{_e(s.commitment.title)}</td><td class="status">{_status_cell(s)}</td>'
            f'<td class="why">{_e(s.short_why)}{_cites(b.pledge_cites.get(s.commitment_id, ()))}</td>'
            f'<td class="verified_by">{verified}</td>'
            f'<td class="last_evidence_on">{_e(last) or "<span class=none>—</span>"}</td></tr>'
        )
    heading = _e(f"Where each pledge stands, {explain.view_text(b.view.as_of)}")
    # With nothing verified the column holds only dashes: it narrows, and the reasons get the room.
    verified = "some-verified" if any(s.verified_by for s in b.board) else "none-verified"
    return (
        f'<section class="pledges"><h2>{heading}</h2>'
        f'<table class="{verified}"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _sources(b: Brief) -> str:
    if not b.citations:
        return ""
    items = []
    for c in b.citations:
        where = ""
        if c.url.lower().startswith(("http://", "https://")):
            where = f' <a class="url" href="{_e(c.url)}">{_e(c.url)}</a>'
        elif c.reference:
            where = f' <span class="ref">{_e(c.reference)}</span>'
        items.append(f'<li id="source-{c.number}" value="{c.number}">{_e(c.text)}{where}</li>')
    return f'<section class="sources"><h2>Sources</h2><ol>{"".join(items)}</ol></section>'


def _method() -> str:
    return f'<footer class="method"><strong>How to read this.</strong> {_e(" ".join(explain.METHOD_IN_BRIEF))}</footer>'


def render(b: Brief, paper: Paper = "A4") -> str:
    """The brief as one HTML document with its print CSS."""
    # The page's running foot is an element of the page (CSS `running()`), so its text is escaped as HTML.
    running = f'<p class="running">{_e(b.title + " · " if b.title else "")}{_e(explain.view_text(b.view.as_of))}</p>'
    classes = "large" if b.large else "short"
    parts = (
        running,
        _masthead(b),
        _bottom_line(b),
        _counts(b),
        _chart(b),
        _changes(b),
        _table(b),
        _sources(b),
        _method(),
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_e(b.title or 'Commitment verification brief')} — {_e(explain.date_text(b.view.as_of))}</title>"
        f'<meta name="generator" content="commitments brief"><meta name="dcterms.created" content="{b.prepared_on}">'
        f"<style>{CSS}\n@page {{ size: {paper}; }}</style></head>"
        f'<body class="{classes}">{"".join(parts)}</body></html>'
    )


def brief_html(
    ledger: Ledger,
    view: View,
    since: date,
    selection: Selection = EVERY_PLEDGE,
    title: str = "",
    paper: Paper = "A4",
    chart: bool = True,
    prepared_on: date | None = None,
) -> str:
    """The brief as HTML (open it in a browser, or print it)."""
    return render(build_brief(ledger, view, since, selection, title, chart, prepared_on), paper)


def html_to_pdf(page: str) -> bytes:
    """Print an HTML page with WeasyPrint (imported here: only the PDF needs it)."""
    import weasyprint

    pdf: bytes = weasyprint.HTML(string=page).write_pdf()
    return pdf


def brief_pdf(
    ledger: Ledger,
    view: View,
    since: date,
    selection: Selection = EVERY_PLEDGE,
    title: str = "",
    paper: Paper = "A4",
    chart: bool = True,
    prepared_on: date | None = None,
) -> bytes:
    """The brief as PDF bytes."""
    return html_to_pdf(brief_html(ledger, view, since, selection, title, paper, chart, prepared_on))
