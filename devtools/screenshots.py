"""Take the README's screenshots of every page: `python -m devtools.screenshots`.

Starts the dashboard on a fresh database seeded from data/, opens each page in headless
Chromium at a fixed as-of date (so the pictures do not change with the calendar) and
writes docs/screenshots/<page>.png.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from devtools.browser import chromium, wait_for_app
from devtools.server import ROOT, running_dashboard

AS_OF = "2026-03-15"
SINCE = "2026-02-01"
# (file name, path and query string after the host)
PAGES = [
    ("status-board", f"/?as_of={AS_OF}&since={SINCE}"),
    ("what-changed", f"/changes?as_of={AS_OF}&since={SINCE}"),
    ("pledge-detail", f"/pledge_detail?pledge=prc-report-to-incb&as_of={AS_OF}"),
    ("status-over-time", f"/status_over_time?as_of={AS_OF}"),
    ("add-evidence", "/add_evidence"),
    ("suggest-evidence", "/suggest_evidence"),
    ("downloads", f"/downloads?as_of={AS_OF}"),
    ("review", "/review"),
    ("corrections-log", "/corrections_log"),
    ("about", "/about"),
]


def take_screenshots(out_dir: Path, width: int = 1400, height: int = 1500) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        db_url = f"sqlite:///{Path(scratch) / 'screenshots.sqlite3'}"
        with running_dashboard(db_url, Path(scratch)) as app, chromium() as browser:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in PAGES:
                page.goto(app.url + path)
                wait_for_app(page)
                target = out_dir / f"{name}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
                print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNG files")
    args = parser.parse_args()
    take_screenshots(args.out)


if __name__ == "__main__":
    main()
