"""The brief: one page for the seed catalogue, naming the date and every pledge; the summary first
for a large catalogue; every piece of text escaped; bad input ends in one line and exit code 2."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from commitments.files import brief
from commitments.files.brief import brief_html, brief_pdf, build_brief
from commitments.files.catalog import Catalogue
from commitments.frames import board_frame
from commitments.ledger import Ledger, View
from commitments.models import Stage
from commitments.selection import Selection
from commitments.synth import generate
from tests.cli import ROOT, run
from tests.factories import pledge, row

AS_OF, SINCE = date(2024, 8, 10), date(2024, 8, 1)
DASHBOARD = str(ROOT / "dashboard.py")


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text, whitespace collapsed (a title wraps inside its table cell)."""
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def seed_ledger(catalogue: Catalogue) -> Ledger:
    return Ledger.from_models(catalogue.commitments, catalogue.evidence)


def test_the_seed_brief_is_one_or_two_pages_naming_the_date_and_every_pledge(
    db_env: dict[str, str], tmp_path: Path, catalogue: Catalogue, seed_ledger: Ledger
) -> None:
    out = tmp_path / "b.pdf"
    done = run(db_env, "brief", "--since", "2024-08-01", "--as-of", "2024-08-10", "--output", str(out))
    assert done.returncode == 0, done.stderr
    board = seed_ledger.board(View(AS_OF))  # the pledges on record by then
    assert f"wrote {out}: {len(board)} pledges" in done.stdout
    pages = pages_text(out.read_bytes())
    assert len(pages) <= 2
    text = " ".join(pages)
    assert "as of 10 Aug 2024" in text and "changes since 1 Aug 2024" in text
    assert catalogue.title in text
    for s in board:
        assert s.commitment.title in text, s.commitment.title
    # Bottom line first, then what changed (each change of status that week), then the sources.
    assert text.index("BOTTOM LINE") < text.index("What changed since 1 Aug 2024") < text.index("Sources")
    moved = [c for c in seed_ledger.changes(SINCE, View(AS_OF)) if c.status_changed]
    assert moved
    for change in moved:
        if change.before is not None and change.before.label != change.after.label:
            assert f"{change.before.label} → {change.after.label}" in text, change
    verified = sum(1 for s in board if s.stage is Stage.VERIFIED)
    are = {0: "none is", 1: "1 is"}.get(verified, f"{verified} are")
    assert f"Of {len(board)} pledges, {are} verified." in text


def test_the_brief_cites_the_sources_behind_each_status_by_number(seed_ledger: Ledger) -> None:
    made = build_brief(seed_ledger, View(AS_OF), SINCE, chart=False)
    numbers = {c.number for c in made.citations}
    assert numbers == set(range(1, len(made.citations) + 1))
    assert all(made.pledge_cites[s.commitment_id] for s in made.board)  # every line cites a source
    assert {n for cited in made.pledge_cites.values() for n in cited} <= numbers
    state = next(c for c in made.citations if "Department of State" in c.text)
    assert state.reference.startswith("sources/") and state.text.endswith("Official record.")
    three = made.pledge_cites["prc-schedule-three-precursors"]
    assert made.step_cites[("prc-schedule-three-precursors", 0)] == three


def test_the_whole_current_catalogue_fits_two_pages_with_short_cells(seed_ledger: Ledger) -> None:
    # Each line's why names whose word it is and cites its sources by number; the sources
    # themselves are at the back, so a line that repeated their titles would push the table
    # onto a third page. Who verified is named by publisher.
    view = View(date(2025, 12, 1))
    board = seed_ledger.board(view)
    assert len(board) == len(seed_ledger.commitments)
    html = brief_html(seed_ledger, view, date(2025, 11, 1), chart=False)
    cells = re.findall(r'<td class="why">(.*?)</td><td class="verified_by">(.*?)</td>', html)
    assert len(cells) == len(board)
    for status, (why, verified) in zip(board, cells, strict=True):
        assert why.startswith(brief._e(status.short_why)), why
        if status.stage is not Stage.PLEDGED:
            assert "word" in status.short_why or "independent" in status.short_why, status.short_why
        for credit in status.verified_by:
            assert brief._e(credit.publisher or credit.title) in verified
            assert credit.publisher == "" or brief._e(credit.title) not in verified
    assert any(s.verified_by for s in board)
    assert len(pages_text(brief_pdf(seed_ledger, view, date(2025, 11, 1)))) <= 2


def test_hostile_text_is_escaped_in_the_html() -> None:
    p = pledge(title="<script>window.__x=1</script> pledge", sources=[{"title": '"><img src=x onerror=alert(1)>'}])
    rows = [
        row(
            on=date(2024, 8, 5),
            summary="<b onmouseover=alert(1)>bold</b>",
            source={"title": "</style><script>alert(2)</script>", "url": 'https://example.org/"onclick=alert(3)'},
        )
    ]
    page = brief_html(Ledger.from_models([p], rows), View(AS_OF), SINCE, title="<i>T</i>", chart=False)
    for raw in ("<script>", "<img src=x", "<b onmouseover", "</style><script>", '"onclick=', "<i>T</i>"):
        assert raw not in page, raw
    assert "&lt;script&gt;window.__x=1&lt;/script&gt; pledge" in page
    assert 'href="https://example.org/&quot;onclick=alert(3)"' in page


def test_a_large_catalogue_gets_the_summary_on_page_one_and_the_table_after() -> None:
    synthetic = generate(pledges=60, evidence=900, seed=1)
    ledger = Ledger.from_models(synthetic.commitments, synthetic.evidence, synthetic.retractions)
    view = View(date(2025, 6, 30))
    pages = pages_text(brief_pdf(ledger, view, date(2025, 3, 31), title="Synthetic", chart=False))
    assert len(pages) >= 2
    assert "BOTTOM LINE" in pages[0] and "What changed since 31 Mar 2025" in pages[0]
    assert "Where each pledge stands" not in pages[0]
    assert pages[1].lstrip().startswith("Where each pledge stands, as of 30 Jun 2025")
    rest = " ".join(pages[1:])
    for s in ledger.board(view):
        assert s.commitment.title in rest, s.commitment.title
    assert "… and" in pages[0]  # more changes than the summary lists


def test_a_small_catalogue_keeps_the_table_on_page_one(seed_ledger: Ledger) -> None:
    pages = pages_text(brief_pdf(seed_ledger, View(AS_OF), SINCE, chart=False))
    assert "Where each pledge stands" in pages[0]


def test_the_brief_filters_like_the_board(seed_ledger: Ledger) -> None:
    made = build_brief(seed_ledger, View(AS_OF), SINCE, Selection(parties=("US",)), chart=False)
    assert made.board and {s.commitment.party for s in made.board} == {"US"}
    assert made.scope == "pledges with party US"
    assert all(c.commitment.party == "US" for c in made.changes)


@pytest.mark.parametrize(
    ("selection", "link"),
    [
        (Selection(parties=("PRC",)), {"parties": ("PRC",)}),
        (Selection(themes=("scheduling", "dialogue")), {"themes": ("scheduling", "dialogue")}),
        (Selection(stages=("in_effect",)), {"stages": ("in_effect",)}),
        (Selection(flags=("stale",)), {"flags": ("stale",)}),
        (Selection(parties=("joint",), stages=("pledged",)), {"parties": ("joint",), "stages": ("pledged",)}),
    ],
)
def test_a_selection_passes_the_pledges_the_sidebar_filters_pass(
    seed_ledger: Ledger, selection: Selection, link: dict[str, Any]
) -> None:
    from ui.state import Filters

    view = View(AS_OF)
    board = seed_ledger.board(view)
    by_sidebar = Filters(view, SINCE, **link).apply(board_frame(board))["id"].tolist()
    assert [s.commitment_id for s in selection.of(board)] == by_sidebar


def test_without_a_browser_for_the_chart_the_brief_says_so_and_is_whole(
    seed_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoBrowser:
        def to_image(self, **_: Any) -> bytes:
            raise RuntimeError("Could not find Chrome")

    monkeypatch.setattr(brief, "stage_bar_figure", lambda _: NoBrowser())
    made = build_brief(seed_ledger, View(AS_OF), SINCE)
    assert made.chart_svg == b"" and "Could not find Chrome" in made.chart_note
    assert "The chart could not be drawn here" in brief.render(made)


def test_the_html_brief_is_written_by_extension_over_an_old_file_with_force(
    db_env: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "b.html"
    out.write_text("old")
    done = run(db_env, "brief", "--as-of", "2024-08-10", "--party", "US", "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "changes since 3 Aug 2024" in page  # a week before, by default
    assert "pledges with party US" in page
    assert 'src="data:image/svg+xml;base64,' in page, done.stdout  # the chart, from Plotly's static export


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/b.docx"], "written as .pdf or .html"),
        (["-o", "{tmp}/exists.pdf"], "already exists; nothing was written (give --force"),
        (["-o", "{tmp}/no/such/folder/b.pdf"], "there is no folder"),
        (["-o", "{tmp}/b.pdf", "--since", "2024-08-10"], "--since (2024-08-10) must be before --as-of"),
        (["-o", "{tmp}/b.pdf", "--party", "Atlantis"], "no pledge has party 'Atlantis' (known: PRC, US, joint)"),
        (["-o", "{tmp}/b.pdf", "--since", "yesterday"], "is not a date in ISO form"),
    ],
)
def test_bad_input_ends_in_one_line_and_exit_code_2(
    db_env: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "exists.pdf").write_bytes(b"keep me")
    done = run(db_env, "brief", "--as-of", "2024-08-10", *(a.format(tmp=tmp_path) for a in args))
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert "error" in done.stderr.strip().splitlines()[-1]  # one line (after argparse's usage line, for its own)
    assert (tmp_path / "exists.pdf").read_bytes() == b"keep me"


def test_the_status_command_imports_none_of_the_briefing_packages(db_env: dict[str, str]) -> None:
    code = (
        "import sys; from commitments.cli import main; main(['status', '--as-of', '2024-08-10']); "
        "print([m for m in ('pandas', 'plotly', 'weasyprint', 'xlsxwriter', 'kaleido') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=db_env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_board_offers_the_brief_of_its_date_and_filters(
    dashboard_db: str, deferred_downloads: dict[str, Any]
) -> None:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params.update({"as_of": "2024-08-10", "party": "PRC"})
    at.run()
    assert not at.exception, at.exception
    assert "Download brief (PDF)" in [b.label for b in at.download_button]
    make = deferred_downloads["brief-filtered_as-of-2024-08-10.pdf"]
    pdf = make()
    text = " ".join(pages_text(pdf))
    assert "as of 10 Aug 2024" in text and "pledges with party PRC" in text
    assert "PRC shuts down companies dealing in illicit precursor chemicals" in text
    assert "US makes naloxone available over the counter" not in text
    assert make() is pdf  # kept: a second click is at once
