"""Take the README's pictures of the brief and the workbook: `python -m devtools.briefing_shots`.

The brief of the seed catalogue as of 15 March 2026 (changes since 1 February) is printed to
PDF and its first page turned into a PNG by poppler's pdftoppm. The workbook's Status board is
printed by LibreOffice (headless), gridlines and headings on, and turned into a PNG the same
way: a picture of the sheet as a spreadsheet shows it. Needs pdftoppm and soffice on PATH.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import openpyxl
from PIL import Image, ImageChops

from commitments.files.brief import brief_pdf
from commitments.files.catalog import load_catalogue
from commitments.files.workbook import workbook_bytes
from commitments.ledger import Ledger, View
from devtools.server import ROOT

AS_OF, SINCE = date(2026, 3, 15), date(2026, 2, 1)
# The workbook picture: the Status board's first columns (pledge to the last evidence's date).
SHEET, AREA = "Status board", "A1:J18"


def first_page_png(pdf: Path, out: Path, dpi: int) -> None:
    stem = out.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True)


def trimmed(path: Path, margin: int = 16) -> None:
    """Cut the white page around what is printed, leaving a margin."""
    image = Image.open(path).convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
    if box:
        left, top, right, bottom = box
        image.crop((max(left - margin, 0), max(top - margin, 0), right + margin, bottom + margin)).save(path)


def brief_picture(ledger: Ledger, title: str, out: Path, scratch: Path) -> None:
    pdf = scratch / "brief.pdf"
    pdf.write_bytes(brief_pdf(ledger, View(AS_OF), SINCE, title=title, prepared_on=AS_OF))
    first_page_png(pdf, out, dpi=110)


def workbook_picture(ledger: Ledger, title: str, out: Path, scratch: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(ledger, View(AS_OF), SINCE, title=title)))
    for name in book.sheetnames:
        if name != SHEET:
            del book[name]
    ws = book[SHEET]
    ws.print_area = AREA
    ws.print_title_rows = None
    ws.print_title_cols = None
    ws.print_options.gridLines = True
    ws.print_options.headings = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    sheet = scratch / "workbook.xlsx"
    book.save(sheet)
    soffice = shutil.which("soffice") or "soffice"
    profile = f"-env:UserInstallation=file://{scratch / 'profile'}"
    convert = [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(scratch), str(sheet)]
    subprocess.run(convert, check=True, capture_output=True)
    first_page_png(scratch / "workbook.pdf", out, dpi=150)
    trimmed(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNG files")
    args = parser.parse_args()
    seed = load_catalogue()
    ledger = Ledger.from_models(seed.commitments, seed.evidence)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, picture in (("brief-page-1", brief_picture), ("workbook", workbook_picture)):
            target = args.out / f"{name}.png"
            picture(ledger, seed.title, target, Path(scratch))
            print(f"wrote {target}")


if __name__ == "__main__":
    main()
