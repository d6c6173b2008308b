"""The documents as a reader sees them: converted to PDF by LibreOffice and measured with poppler.

Skipped, with the reason, where LibreOffice or poppler is missing (a user's laptop); CI installs both
(.ci/run) and there these tests must pass.
"""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import openpyxl
import pytest

from rectifykit.notice import pdf
from support import rectify

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-12-25"
MM = 72 / 25.4
BODY = 16.0  # 三号, points
LEFT, RIGHT = 28 * MM, 26 * MM

pytestmark = [
    pytest.mark.skipif(pdf.office() is None,
                       reason="LibreOffice is not installed (Debian: apt-get install libreoffice-writer-nogui "
                              "libreoffice-calc-nogui fonts-noto-cjk)"),
    pytest.mark.skipif(shutil.which("pdftotext") is None,
                       reason="poppler is not installed (Debian: apt-get install poppler-utils)"),
]


def lines(words: list[pdf.Word]) -> list[list[pdf.Word]]:
    """Words grouped into printed lines (same page, same baseline), top to bottom."""
    grouped: dict[tuple[int, int], list[pdf.Word]] = defaultdict(list)
    for word in words:
        grouped[(word.page, round(word.y_max))].append(word)
    return [sorted(grouped[key], key=lambda w: w.x_min) for key in sorted(grouped)]


@pytest.fixture(scope="module")
def notice(tmp_path_factory) -> tuple[Path, list[pdf.Word]]:
    out = tmp_path_factory.mktemp("printed")
    result = rectify("render", "--root", str(REPO), "--format", "docx", "-o", str(out / "notice.docx"),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    printed = pdf.to_pdf(out / "notice.docx", out)
    return printed, pdf.words(printed)


def test_the_notice_prints_on_about_thirty_pages_of_28_character_lines(notice) -> None:
    _, words = notice
    assert 26 <= max(w.page for w in words) <= 34
    width = words[0].page_width - LEFT - RIGHT
    full = [line for line in lines(words)
            if line[0].x_min < LEFT + 2.5 * BODY and line[-1].x_max > LEFT + width - BODY]
    chars = [sum(len(w.text) for w in line) for line in full]
    assert len(chars) > 300
    assert 27 <= statistics.median(chars) <= 29


def test_the_title_is_centred_on_page_one(notice) -> None:
    _, words = notice
    title = lines(words)[0]
    assert title[0].page == 1 and "".join(w.text for w in title).startswith("中共鄂城区司法局党组关于")
    centre = (title[0].x_min + title[-1].x_max) / 2
    assert abs(centre - (LEFT + (title[0].page_width - LEFT - RIGHT) / 2)) < BODY / 2


def test_the_date_is_four_characters_from_the_right_margin_and_the_signature_centred_above_it(notice) -> None:
    _, words = notice
    printed = lines(words)
    date = next(line for line in reversed(printed) if "".join(w.text for w in line) == "2024年7月11日")
    signature = printed[printed.index(date) - 1]
    assert "".join(w.text for w in signature) == "中共鄂城区司法局党组"
    margin = date[0].page_width - RIGHT
    assert abs((margin - date[-1].x_max) - 4 * BODY) < BODY / 4  # 右空四字
    centre = lambda line: (line[0].x_min + line[-1].x_max) / 2  # noqa: E731
    assert abs(centre(signature) - centre(date)) < BODY / 2


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> tuple[Path, list[pdf.Word]]:
    out = tmp_path_factory.mktemp("ledger")
    result = rectify("ledger", "--root", str(REPO), "-o", str(out / "ledger.xlsx"), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    printed = pdf.to_pdf(out / "ledger.xlsx", out)
    return out / "ledger.xlsx", pdf.words(printed)


def test_the_ledger_prints_at_nine_points_or_more(ledger) -> None:
    _, words = ledger
    # A Chinese character is exactly as wide as its size: the printed size of each all-Chinese word.
    sizes = [(w.x_max - w.x_min) / len(w.text) for w in words
             if len(w.text) >= 2 and all(unicodedata.east_asian_width(c) == "W" for c in w.text)]
    assert sizes and min(sizes) >= 8.9, min(sizes)


def test_no_ledger_cell_is_clipped(ledger) -> None:
    """Every character of every cell is printed: a clipped cell loses characters, so some count falls short."""
    path, words = ledger
    printed = Counter("".join(w.text for w in words))
    book = openpyxl.load_workbook(path)
    expected: Counter[str] = Counter()
    for name in ("整改台账", "汇总"):
        for row in book[name].iter_rows(values_only=True):
            expected.update("".join(str(v).split()) for v in row if isinstance(v, str))
    expected = Counter("".join(expected.elements()))
    short = {c: (n, printed[c]) for c, n in expected.items() if printed[c] < n}
    assert not short


def test_the_ledger_repeats_its_header_and_prints_the_summary_on_one_page(ledger) -> None:
    _, words = ledger
    pages = {w.page for w in words}
    with_header = {w.page for w in words if w.text == "整改措施"}
    summary = [w for w in words if w.text.startswith("完成率")]
    summary_pages = {w.page for w in words if "汇总" in w.text and w.text.endswith("汇总")}
    assert len(summary_pages) == 1
    (page,) = summary_pages
    assert with_header >= pages - {page}
    assert all(w.page == page for w in summary)  # the whole 汇总 sheet, its note too, on one page
    assert dt.date.fromisoformat(AS_OF)


@pytest.mark.parametrize("kind", ["plan", "report"])
def test_the_plan_and_the_report_print_in_the_notices_layout(tmp_path, kind) -> None:
    source = tmp_path / f"{kind}.docx"
    result = rectify("render", "--root", str(REPO), "--template", kind, "--format", "docx", "-o", str(source),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    words = pdf.words(pdf.to_pdf(source, tmp_path))
    printed = lines(words)
    title = printed[0]
    assert title[0].page == 1 and "".join(w.text for w in title).startswith("中共鄂城区司法局党组关于")
    centre = (title[0].x_min + title[-1].x_max) / 2
    assert abs(centre - (LEFT + (title[0].page_width - LEFT - RIGHT) / 2)) < BODY / 2
    date = next(line for line in reversed(printed) if "".join(w.text for w in line) == "2024年12月25日")
    assert abs((date[0].page_width - RIGHT - date[-1].x_max) - 4 * BODY) < BODY / 4
    assert max(w.page for w in words) <= 60
