"""Office documents to PDF and PNG through LibreOffice and poppler: what a reader of the document sees.

Used by the tests that measure the printed documents and by ``make screenshots``; nothing in the CLI
needs it. LibreOffice runs headless with its own throw-away profile (two conversions at once would
otherwise share one) and with the packaged fontconfig rules (:data:`rectifykit.notice.docx.FONTCONFIG`),
so the official faces are replaced by free faces of the same role.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Word", "office", "to_pdf", "to_png", "words"]

FONTCONFIG = Path(__file__).with_name("fonts") / "fonts.conf"


def office() -> str | None:
    """The LibreOffice program, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, outdir: Path, *, timeout: float = 300) -> Path:
    """Convert a .docx or .xlsx file to PDF in ``outdir``; returns the PDF's path."""
    program = office()
    if program is None:
        raise FileNotFoundError("soffice")
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTCONFIG))
    with tempfile.TemporaryDirectory(prefix="rectify-lo-") as profile:
        subprocess.run(
            [program, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(outdir), str(source)],
            check=True, capture_output=True, timeout=timeout, env=env,
        )
    return outdir / (source.stem + ".pdf")


def to_png(pdf: Path, target: Path, *, dpi: int = 60) -> Path:
    """Page 1 of a PDF as a PNG (poppler's pdftoppm)."""
    stem = target.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                   check=True, capture_output=True, timeout=120)
    return target


@dataclass(frozen=True)
class Word:
    """A word of the printed page as ``pdftotext -bbox`` reports it, in points from the top left."""

    page: int
    page_width: float
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page and box (poppler's ``pdftotext -bbox``)."""
    from xml.etree import ElementTree

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=120).stdout
    # poppler's own XHTML; its DOCTYPE is dropped so that nothing but the predefined entities is read.
    root = ElementTree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out, count=1))
    ns = "{http://www.w3.org/1999/xhtml}"
    found = []
    for number, page in enumerate(root.iter(f"{ns}page"), start=1):
        width = float(page.get("width", "0"))
        for word in page.iter(f"{ns}word"):
            x_min, y_min, x_max, y_max = (float(word.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax"))
            found.append(Word(number, width, x_min, y_min, x_max, y_max, word.text or ""))
    return found
