"""The inline-SVG charts and the self-contained pages of `status --format html` and `rollup --format html`."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rectifykit.reports import charts
from support import rectify

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
runner = CliRunner()


def parse(svg: str) -> ET.Element:
    """An inline SVG parsed as XML: well-formed, every text escaped."""
    return ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))


run = rectify


# --- the SVG writer ---------------------------------------------------------------------


def test_bars_are_as_long_as_their_fraction() -> None:
    svg = parse(charts.bars([charts.Bar("甲", 1.0, "100%"), charts.Bar("乙", 0.25, "25%"), charts.Bar("丙", None)],
                            title="t"))
    widths = [float(r.get("width")) for r in svg.iter(f"{SVG}rect") if r.get("class") == "bar"]
    assert widths[0] > 0
    assert widths[1] == pytest.approx(widths[0] / 4, abs=0.1)
    assert widths[2] == 0


def test_text_is_escaped_and_long_labels_are_clipped() -> None:
    evil = '<script>alert("x")</script>&' + "很长的单位名称" * 10
    out = charts.bars([charts.Bar(evil, 0.5, "<b>")], title=evil)
    assert "<script" not in out and "<b>" not in out
    svg = parse(out)
    label = next(t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.startswith("<script"))
    assert label.endswith("…")
    assert charts.text_width(label) <= charts.LABEL - 12
    assert svg.find(f"{SVG}title").text == evil  # the whole text stays in the tooltip


def test_stacked_segments_share_the_width_and_empty_ones_are_left_out() -> None:
    segments = [charts.Segment("a", 3, "#f00"), charts.Segment("b", 0, "#0f0"), charts.Segment("c", 1, "#00f")]
    svg = parse(charts.stacked(segments, title="bands"))
    rects = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "segment"]
    assert [r.get("fill") for r in rects] == ["#f00", "#00f"]
    assert sum(float(r.get("width")) for r in rects) == pytest.approx(charts.WIDTH, abs=0.2)
    assert float(rects[0].get("width")) == pytest.approx(3 * float(rects[1].get("width")), abs=0.2)
    assert "no items" in charts.stacked([], title="none")


def test_timeline_places_dots_in_date_order_and_marks_the_report_date() -> None:
    day = dt.date(2024, 6, 30)
    marks = [charts.Mark(day, "b", "#f00"), charts.Mark(day + dt.timedelta(days=90), "c", "#0f0"),
             charts.Mark(day, "a", "#00f")]
    svg = parse(charts.timeline(marks, as_of=dt.date(2024, 8, 1), title="deadlines"))
    dots = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "mark"]
    assert len(dots) == 3
    xs = [float(c.get("cx")) for c in dots]
    assert xs[0] == xs[1] < xs[2]  # same day, same column
    assert float(dots[0].get("cy")) != float(dots[1].get("cy"))  # stacked
    as_of = next(line for line in svg.iter(f"{SVG}line") if line.get("class") == "as-of")
    assert xs[0] < float(as_of.get("x1")) < xs[2]
    assert "no deadlines" in charts.timeline([], as_of=day, title="none")


def test_a_crowded_day_shows_how_many_more() -> None:
    day = dt.date(2024, 12, 31)
    marks = [charts.Mark(day, f"item {n}", "#f00") for n in range(30)]
    svg = parse(charts.timeline(marks, as_of=day, title="t"))
    assert len([c for c in svg.iter(f"{SVG}circle") if c.get("class") == "mark"]) == charts.STACK - 1
    assert any(t.text == f"+{30 - charts.STACK + 1}" for t in svg.iter(f"{SVG}text"))


# --- the pages ----------------------------------------------------------------------------


class Page(HTMLParser):
    """Counts what a page holds and whether it refers to anything outside itself."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.outside: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.outside += [f"{tag} {k}={v}" for k, v in attrs if k in ("src", "href", "srcset", "action")]


def read_page(text: str) -> Page:
    page = Page()
    page.feed(text)
    assert "<script" not in text.lower() and "@import" not in text and "url(" not in text
    assert page.outside == []
    return page


def test_status_page_is_self_contained_with_three_charts_and_the_table() -> None:
    result = run("status", "--root", str(REPO), "--format", "html", "--as-of", "2025-01-20", "--all")
    assert result.exit_code == 0
    page = read_page(result.stdout)
    assert page.tags["svg"] == 3
    assert page.tags["tr"] == 1 + 35  # header and one row per item
    assert "@media print" in result.stdout
    assert 'class="overdue"' in result.stdout


def test_rollup_page(tmp_path: Path) -> None:
    out = tmp_path / "rollup.html"
    result = run("rollup", str(REPO), "--format", "html", "-o", str(out), "--sample", "2", "--seed", "1",
                 "--as-of", "2025-01-20")
    assert result.exit_code == 0, result.output
    page = read_page(out.read_text(encoding="utf-8"))
    assert page.tags["svg"] == 3
    assert page.tags["table"] == 2  # the units and the sample


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_the_pages_open_in_headless_chromium(tmp_path: Path) -> None:
    status = tmp_path / "status.html"
    status.write_text(run("status", "--root", str(REPO), "--format", "html", "--as-of", "2025-01-20").stdout,
                      encoding="utf-8")
    rollup = tmp_path / "rollup.html"
    assert run("rollup", str(REPO), "--format", "html", "-o", str(rollup)).exit_code == 0
    for page in (status, rollup):
        shown = subprocess.run(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
             "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout
        assert shown.count("<svg") == 3
        assert "<table>" in shown
