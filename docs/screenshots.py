"""Pictures of real command output for the README and the user guide (``make screenshots``, ``make docs``).

docs/status.svg: ``rectify status --as-of 2024-12-25`` on the embedded example, 80 columns.
docs/status-html.png: ``rectify status --format html --as-of 2025-01-20`` in headless Chromium (skipped without it).
docs/notice.png, plan.png, report.png, ledger.png: page 1 of each office document as LibreOffice prints it
(pdftoppm; skipped without LibreOffice and poppler).

The user guide's pictures are made by ``docs/gen_docs.py`` with the helpers here: :func:`ansi_svg` turns a
command's coloured terminal output into an SVG, :func:`page_screenshot` photographs an HTML page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from rectifykit import check, i18n
from rectifykit.reports import charts
from rectifykit.reports import status as statusview
from rectifykit.track import status

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2024, 12, 25)
HTML_AS_OF = dt.date(2025, 1, 20)
"""A date at which the example has overdue items and items due for review: every colour shows."""
WIDTH = 80


def main() -> None:
    i18n.set_language("zh")
    project = check.load(REPO, today=AS_OF)
    report = status.build(project.inspection.record, [f.record for f in project.findings], as_of=AS_OF)
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor")
    console.print(f"$ rectify status --as-of {AS_OF.isoformat()}", style="bold")
    statusview.print_table(report, status.select(report.items), console)
    target = REPO / "docs" / "status.svg"
    save_svg(console, target, title="rectify status")
    print(f"wrote {target.relative_to(REPO)}")
    html_screenshot()
    document_screenshots()


DOCUMENTS = (
    ("notice", ["render", "--format", "docx"], "docx"),
    ("plan", ["render", "--template", "plan", "--format", "docx"], "docx"),
    ("report", ["render", "--template", "report", "--format", "docx"], "docx"),
    ("ledger", ["ledger"], "xlsx"),
)
"""The office documents whose first printed page the README shows: docs/NAME.png."""


def document_screenshots() -> None:
    """Page 1 of the notice, the plan, the report and the ledger as LibreOffice prints them (pdftoppm)."""
    from rectifykit.notice import pdf

    if pdf.office() is None or shutil.which("pdftoppm") is None:
        print("skipped docs/notice.png, plan.png, report.png, ledger.png: LibreOffice or poppler is not installed "
              "(apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk)")
        return
    rectify = [str(Path(sys.executable).with_name("rectify"))]
    with tempfile.TemporaryDirectory() as folder:
        for name, args, suffix in DOCUMENTS:
            source = Path(folder) / f"{name}.{suffix}"
            subprocess.run([*rectify, *args, "--root", str(REPO), "--as-of", AS_OF.isoformat(), "-o", str(source)],
                           check=True, capture_output=True, timeout=300)
            target = REPO / "docs" / f"{name}.png"
            pdf.to_png(pdf.to_pdf(source, Path(folder)), target, dpi=50)
            print(f"wrote {target.relative_to(REPO)}")


def save_svg(console: Console, target: Path, *, title: str) -> None:
    """Save what the console recorded as SVG, with Chinese text as wide as the terminal shows it.

    rich sizes each text run by its number of characters (``textLength``), but a Chinese character takes
    two terminal cells: left alone, the browser squeezes every Chinese run to half its width.
    """
    svg = console.export_svg(title=title)

    def widen(match: re.Match[str]) -> str:
        text = html.unescape(match["text"])
        width = float(match["length"]) / max(len(text), 1) * cell_len(text)
        return f'{match["head"]}textLength="{width:g}"{match["tail"]}>{match["text"]}</text>'

    svg = re.sub(r'(?P<head><text [^>]*?)textLength="(?P<length>[0-9.]+)"(?P<tail>[^>]*)>(?P<text>[^<]*)</text>',
                 widen, svg)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(svg, encoding="utf-8")


def ansi_svg(command: str, output: str, target: Path, *, title: str = "rectify") -> None:
    """Save a command line and its coloured terminal output (ANSI escapes) as an SVG picture."""
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor", file=_Null())
    console.print(f"$ {command}", style="bold", markup=False, highlight=False)
    console.print(Text.from_ansi(output), highlight=False, soft_wrap=True)
    save_svg(console, target, title=title)


class _Null:
    """A console file that discards what is printed (only the recording is kept)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def browser() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def page_screenshot(page: Path, target: Path, *, size: tuple[int, int] = (1000, 1250)) -> bool:
    """Photograph an HTML page in headless Chromium; False (and nothing written) when there is no browser."""
    found = browser()
    if found is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([found, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={Path(folder) / 'profile'}", f"--window-size={size[0]},{size[1]}",
                        f"--screenshot={target}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    return True


def html_screenshot() -> None:
    if browser() is None:
        print("skipped docs/status-html.png: Chromium is not installed (apt-get install chromium)")
        return
    project = check.load(REPO, today=HTML_AS_OF)
    inspection = project.inspection.record
    report = status.build(inspection, [f.record for f in project.findings], as_of=HTML_AS_OF)
    target = REPO / "docs" / "status-html.png"
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "status.html"
        page.write_text(charts.status_page(report, status.select(report.items), unit=inspection.unit),
                        encoding="utf-8")
        page_screenshot(page, target)
    print(f"wrote {target.relative_to(REPO)}")


if __name__ == "__main__":
    main()
