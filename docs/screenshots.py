"""Regenerate the README's pictures from real command output (``make screenshots``).

docs/status.svg: ``rectify status --as-of 2024-12-25`` on the embedded example, 80 columns.
docs/status-html.png: ``rectify status --format html --as-of 2025-01-20`` in headless Chromium (skipped without it).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

from rich.console import Console

from rectifykit import charts, i18n, status, statusview
from rectifykit.load import load_project

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 12, 25)
HTML_AS_OF = dt.date(2025, 1, 20)
"""A date at which the example has overdue items and items due for review: every colour shows."""


def main() -> None:
    i18n.set_language("zh")
    project = load_project(REPO, today=AS_OF)
    report = status.build(project.inspection.record, [f.record for f in project.findings], as_of=AS_OF)
    console = Console(record=True, width=80, force_terminal=True, color_system="truecolor")
    console.print(f"$ rectify status --as-of {AS_OF.isoformat()}", style="bold")
    statusview.print_table(report, status.select(report.items), console)
    target = REPO / "docs" / "status.svg"
    console.save_svg(str(target), title="rectify status")
    print(f"wrote {target.relative_to(REPO)}")
    html_screenshot()


def html_screenshot() -> None:
    browser = shutil.which("chromium")
    if browser is None:
        print("skipped docs/status-html.png: Chromium is not installed (apt-get install chromium)")
        return
    project = load_project(REPO, today=HTML_AS_OF)
    inspection = project.inspection.record
    report = status.build(inspection, [f.record for f in project.findings], as_of=HTML_AS_OF)
    target = REPO / "docs" / "status-html.png"
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "status.html"
        page.write_text(charts.status_page(report, status.select(report.items), unit=inspection.unit),
                        encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={Path(folder) / 'profile'}", "--window-size=1000,1250",
                        f"--screenshot={target}", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
