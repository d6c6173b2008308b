"""Charts as inline SVG and the self-contained HTML pages that hold them (``status``/``rollup --format html``).

A small SVG writer, no plotting library: horizontal bars for completion rates,
one stacked bar for items by band, and a timeline of deadlines with the report
date marked. Every text is escaped; nothing refers outside the page (no
scripts, no links, no web fonts), and the CSS has print rules, so the page can
be mailed, archived or printed for a leaders' meeting as it is. The pages are
Jinja templates (``status.html.j2``, ``rollup.html.j2`` and their frame
``_page.html.j2`` in rectifykit/notice/templates/), overridable in a project's
templates/ folder and run in the notice's sandbox with a plain-data context.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectifykit.i18n import _
from rectifykit.track.rollup import Deadline, deadlines
from rectifykit.track.status import Band, Item, Report

BAND_COLOURS = {
    Band.overdue: "#d9534f",
    Band.due_urgent: "#f0883e",
    Band.due_soon: "#e9b949",
    Band.due_for_review: "#9b7fc7",
    Band.no_deadline: "#5bc0de",
    Band.on_track: "#5b8def",
    Band.done: "#5cb85c",
}
WIDTH = 900
LABEL = 260
"""Width of the label column of a bar chart, in pixels."""
FONT = 'font-family="sans-serif" font-size="13"'
STACK = 12
"""Dots drawn on one day of the timeline at most; beyond that a number says how many more."""


def esc(text: object) -> str:
    """Text made inert in HTML and inline SVG."""
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float = 13) -> float:
    """Approximate width in pixels: wide (CJK) characters take a full em, others about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.55 for c in text)


def clip(text: str, width: float, size: float = 13) -> str:
    """``text`` cut with an ellipsis so that it fits ``width`` pixels."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for c in text:
        if text_width(out + c + "…", size) > width:
            break
        out += c
    return out + "…"


def _svg(height: float, body: list[str], *, title: str) -> str:
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" height="{height:.0f}">'
        f"<title>{esc(title)}</title>" + "".join(body) + "</svg>"
    )


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a fraction 0…1 (None: nothing to show) and the text printed after the bar."""

    label: str
    fraction: float | None
    note: str = ""


def bars(rows: Sequence[Bar], *, title: str, colour: str = "#5b8def") -> str:
    """Horizontal bars on a 0–100 % scale, one per row, with the label on the left and the note on the right."""
    step, top, track = 26, 8, WIDTH - LABEL - 140
    out = []
    for n, row in enumerate(rows):
        y = top + n * step
        fraction = min(max(row.fraction or 0.0, 0.0), 1.0)
        out.append(
            f'<g><title>{esc(row.label)}: {esc(row.note)}</title>'
            f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" {FONT}>{esc(clip(row.label, LABEL - 12))}</text>'
            f'<rect x="{LABEL}" y="{y + 3}" width="{track}" height="16" fill="#eeeeee"/>'
            f'<rect class="bar" x="{LABEL}" y="{y + 3}" width="{track * fraction:.1f}" height="16" fill="{colour}"/>'
            f'<text x="{LABEL + track + 6}" y="{y + 15}" {FONT}>{esc(row.note)}</text></g>'
        )
    return _svg(top * 2 + step * max(len(rows), 1), out, title=title)


@dataclass(frozen=True)
class Segment:
    label: str
    count: int
    colour: str


def stacked(segments: Sequence[Segment], *, title: str) -> str:
    """One bar split by count (items by band), with a legend of the non-empty segments under it."""
    shown = [s for s in segments if s.count > 0]
    total = sum(s.count for s in shown)
    out, x = [], 0.0
    for s in shown:
        w = WIDTH * s.count / total
        out.append(
            f'<rect class="segment" x="{x:.1f}" y="4" width="{w:.1f}" height="26" fill="{s.colour}">'
            f"<title>{esc(s.label)}: {s.count}</title></rect>"
        )
        if w > 28:
            out.append(f'<text x="{x + w / 2:.1f}" y="22" text-anchor="middle" fill="#fff" {FONT}>{s.count}</text>')
        x += w
    if not shown:
        none = esc(_("no items"))
        out.append(f'<text x="0" y="22" {FONT}>{none}</text>')
    lx, ly = 0.0, 52
    for s in shown:
        label = f"{s.label} {s.count}"
        width = 18 + text_width(label) + 18
        if lx + width > WIDTH:
            lx, ly = 0.0, ly + 20
        out.append(
            f'<rect x="{lx:.1f}" y="{ly - 11}" width="12" height="12" fill="{s.colour}"/>'
            f'<text x="{lx + 16:.1f}" y="{ly}" {FONT}>{esc(label)}</text>'
        )
        lx += width
    return _svg(ly + 10, out, title=title)


@dataclass(frozen=True)
class Mark:
    """A point on the timeline: a date, what it is, and its colour."""

    day: dt.date
    label: str
    colour: str


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    out = []
    while first <= end:
        if first >= start:
            out.append(first)
        first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return out


def timeline(marks: Sequence[Mark], *, as_of: dt.date, title: str) -> str:
    """Deadlines on a time axis, one dot each (dots of the same day stack up), the report date as a line."""
    if not marks:
        none = esc(_("no deadlines"))
        return _svg(30, [f'<text x="0" y="20" {FONT}>{none}</text>'], title=title)
    days = [m.day for m in marks] + [as_of]
    start, end = min(days) - dt.timedelta(days=7), max(days) + dt.timedelta(days=7)
    span, left, right = (end - start).days, 20, WIDTH - 20

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - start).days / span

    per_day = Counter(m.day for m in marks)
    stack: Counter[dt.date] = Counter()
    dots = []
    for m in sorted(marks, key=lambda m: (m.day, m.label)):
        stack[m.day] += 1
        n = stack[m.day]
        if n > STACK:
            continue
        y = 150 - 11 * (n - 1)
        if n == STACK and per_day[m.day] > STACK:  # a full column: the rest as a number
            more = per_day[m.day] - STACK + 1
            dots.append(f'<text x="{x(m.day):.1f}" y="{y + 4}" text-anchor="middle" {FONT}>+{more}</text>')
            continue
        dots.append(
            f'<circle class="mark" cx="{x(m.day):.1f}" cy="{y}" r="5" fill="{m.colour}">'
            f"<title>{esc(m.day.isoformat())} {esc(m.label)}</title></circle>"
        )
    out = [f'<line x1="{left}" y1="160" x2="{right}" y2="160" stroke="#999"/>']
    months = _months(start, end)
    every = max(1, len(months) // 12)
    for n, month in enumerate(months):
        out.append(f'<line x1="{x(month):.1f}" y1="160" x2="{x(month):.1f}" y2="165" stroke="#999"/>')
        if n % every == 0:
            out.append(f'<text x="{x(month):.1f}" y="180" text-anchor="middle" {FONT}>{month:%Y-%m}</text>')
    ax = x(as_of)
    out.append(f'<line class="as-of" x1="{ax:.1f}" y1="8" x2="{ax:.1f}" y2="160" stroke="#333" '
               'stroke-dasharray="4 3"/>')
    anchor = "end" if ax > WIDTH / 2 else "start"
    out.append(f'<text x="{ax + (-4 if anchor == "end" else 4):.1f}" y="14" text-anchor="{anchor}" {FONT}>'
               f"{esc(as_of.isoformat())}</text>")
    return _svg(190, out + dots, title=title)


# ---------------------------------------------------------------- pages

def render_page(name: str, context: dict[str, Any], *, root: Path | None = None) -> str:
    """A page through the packaged template ``name`` (``status.html.j2``, ``rollup.html.j2``), or the one in
    ``root``'s templates/ folder, in the notice's Jinja sandbox; ``context`` is plain data, and the charts'
    SVG, built and escaped here, is passed as markup. Raises RenderError when a template is missing or fails."""
    from rectifykit import i18n
    from rectifykit.notice import render as rendering

    templates = (root / rendering.PROJECT_TEMPLATES).resolve() if root is not None else None
    env = rendering.environment("html", project_templates=templates,
                                confine=root.resolve() if root is not None else None)
    context = {
        "lang": "zh-CN" if i18n.language() == "zh" else "en",
        "band_colours": [{"band": b.value, "colour": c} for b, c in BAND_COLOURS.items()],
        **context,
    }
    return rendering._run(env, name, context, rendering.search_path(templates), templates)


def chart(title: str, svg: str) -> dict[str, Any]:
    """A chart for a page template: its heading and its SVG (escaped when it was built)."""
    from markupsafe import Markup

    return {"title": title, "svg": Markup(svg)}


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *, classes: Sequence[str] = (),
          numeric: Sequence[int] = (), nowrap: Sequence[int] = ()) -> dict[str, Any]:
    """A table for a page template, as plain data: ``classes`` gives each row a class, ``numeric`` the
    right-aligned columns and ``nowrap`` those that never wrap (dates)."""
    return {
        "header": [str(h) for h in header],
        "rows": [{"cells": ["" if v is None else str(v) for v in row], "class": classes[n] if n < len(classes) else ""}
                 for n, row in enumerate(rows)],
        "numeric": list(numeric), "nowrap": list(nowrap),
    }


def band_segments(items: Sequence[Item]) -> list[Segment]:
    return segments_of_bands(Counter(i.band for i in items))


def segments_of_bands(counts: Mapping[Band, int]) -> list[Segment]:
    """Items by band (the roll-up adds up each unit's counts)."""
    from rectifykit.reports.status import band_word

    return [Segment(band_word(b), counts.get(b, 0), BAND_COLOURS[b]) for b in Band]


def deadline_marks(items: Sequence[Item], *, prefix: str = "") -> list[Mark]:
    """Each open item with a deadline, and each item due for review at its review date, coloured by band."""
    return marks_of(deadlines(items), prefix=prefix)


def marks_of(found: Sequence[Deadline], *, prefix: str = "") -> list[Mark]:
    return [Mark(d.day, f"{prefix}{d.text}", BAND_COLOURS[d.band]) for d in found]


def status_page(report: Report, items: Sequence[Item], *, unit: str, root: Path | None = None) -> str:
    """``rectify status --format html``: the summary, three charts and the table of the items shown, through
    ``status.html.j2`` (``root``'s templates/ first)."""
    from rectifykit.model.items import percent
    from rectifykit.reports.status import band_word, cn_points, days_text, summary_lines

    rates = [Bar(_("overall"), report.overall.completion_rate,
                 f"{percent(report.overall.completion_rate)} ({report.overall.done}/{report.overall.items})")]
    for key, c in report.by_category.items():
        rates.append(Bar(report.categories.get(key, key), c.completion_rate,
                         f"{percent(c.completion_rate)} ({c.done}/{c.items})"))
    header = [_("band"), _("problem"), _("points"), _("status"), _("owner"), _("deadline"), _("days"),
              _("next review")]
    rows, classes = [], []
    for i in items:
        t = i.unit.tracking
        rows.append([band_word(i.band), f"{i.number}.{i.unit.finding.title}", cn_points(i.unit.points),
                     i.unit.label, i.owner, t.deadline.isoformat() if t.deadline else "", days_text(i),
                     t.next_review.isoformat() if t.next_review else ""])
        classes.append(i.band.value)
    title = _("{unit}: rectification status").format(unit=unit)
    lines = summary_lines(report)
    context = {
        "title": title,
        "meta": lines[0],
        "summary": lines[1:],
        "charts": [
            chart(_("Completion by category"), bars(rates, title=_("Completion by category"))),
            chart(_("Items by band"), stacked(band_segments(report.items), title=_("Items by band"))),
            chart(_("Deadlines and review dates"), timeline(deadline_marks(report.items), as_of=report.as_of,
                                                             title=_("Deadlines and review dates"))),
        ],
        "items_title": _("Items"),
        "items": table(header, rows, classes=classes, nowrap=(5, 6, 7)),
        "nothing": _("nothing needs attention"),
    }
    return render_page("status.html.j2", context, root=root)
