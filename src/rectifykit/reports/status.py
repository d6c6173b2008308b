"""``rectify status`` output: a rich table, JSON, CSV and markdown over one status report.

JSON (version 1, stable; documented in README)::

    {"version": 1, "as_of": "YYYY-MM-DD",
     "summary": {"problems", "total", "by_status": {state: n}, "done", "open", "overdue",
                 "due_for_review", "completion_rate", "by_category": {key: {...same...}}},
     "milestones": [{"key", "due", "done", "state"}],
     "items": [{"id", "problem", "title", "points", "category", "status", "label",
                "owner": {"leader", "department", "person"}, "deadline", "band", "overdue",
                "days_overdue", "days_left", "due_for_review", "next_review", "completed_on"}]}
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence

from rectifykit import i18n
from rectifykit.i18n import N_, _
from rectifykit.model.items import percent
from rectifykit.model.records import State
from rectifykit.model.wording import state_word
from rectifykit.reports.diagnostics import md_cell
from rectifykit.track.status import Band, Counts, Item, Report

BAND_LABEL = {
    Band.overdue: "逾期",
    Band.due_urgent: "紧急",
    Band.due_soon: "临近时限",
    Band.due_for_review: "到期复查",
    Band.no_deadline: "无时限",
    Band.on_track: "正常推进",
    Band.done: "已完成",
}
"""Each band's word (Chinese): the status table, the ledger and the HTML pages say the same."""
BAND_ENGLISH = {
    Band.overdue: "OVERDUE",
    Band.due_urgent: "URGENT",
    Band.due_soon: "due soon",
    Band.due_for_review: "review",
    Band.no_deadline: "no deadline",
    Band.on_track: "on track",
    Band.done: "done",
}


def band_word(band: Band) -> str:
    """The band's word in the run's language."""
    return BAND_LABEL[band] if i18n.language() == "zh" else BAND_ENGLISH[band]
BAND_STYLES = {
    Band.overdue: "bold white on red",
    Band.due_urgent: "bold red",
    Band.due_soon: "yellow",
    Band.due_for_review: "magenta",
    Band.no_deadline: "cyan",
    Band.on_track: "green",
    Band.done: "dim",
}
MILESTONE_WORDS = {
    "plan_due": N_("rectification plan due"),
    "concentrated_end": N_("concentrated rectification period ends"),
    "report_due": N_("progress report due"),
}
MILESTONE_STATES = {
    "met": N_("met"),
    "late": N_("met late"),
    "overdue": N_("not recorded, past due"),
    "pending": N_("pending"),
    "ended": N_("ended"),
}
PLAIN_LIMIT = 200
"""Above this many rows the table is printed as plain lines (a rich table row per item is slow)."""


def cn_points(points: Sequence[int]) -> str:
    from rectifykit.model.numbering import cn_number

    return "、".join(cn_number(p) for p in points)


def days_text(item: Item) -> str:
    if item.days_left is None:
        return ""
    if item.days_left < 0:
        return _("{n} days late").format(n=-item.days_left)
    if item.days_left == 0:
        return _("due today")
    return _("{n} days left").format(n=item.days_left)


def counts_dict(c: Counts) -> dict[str, object]:
    """Counts in the shape of the JSON summary (``status`` and ``rollup`` alike)."""
    return {
        "problems": c.problems,
        "total": c.items,
        "by_status": {s.value: c.by_state[s] for s in State},
        "done": c.done,
        "open": c.open,
        "overdue": c.overdue,
        "due_for_review": c.due_for_review,
        "completion_rate": None if c.completion_rate is None else round(c.completion_rate, 4),
    }


def item_dict(item: Item) -> dict[str, object]:
    t = item.unit.tracking
    return {
        "id": item.unit.key,
        "problem": item.number,
        "title": item.unit.finding.title,
        "points": list(item.unit.points),
        "category": item.category,
        "status": item.unit.state.value,
        "label": item.unit.label,
        "owner": {"leader": t.leader, "department": t.department, "person": t.person},
        "deadline": t.deadline.isoformat() if t.deadline else None,
        "band": item.band.value,
        "overdue": item.overdue,
        "days_overdue": item.days_overdue,
        "days_left": item.days_left,
        "due_for_review": item.band is Band.due_for_review,
        "next_review": t.next_review.isoformat() if t.next_review else None,
        "completed_on": t.completed_on.isoformat() if t.completed_on else None,
    }


def to_json(report: Report, items: Sequence[Item]) -> str:
    summary = counts_dict(report.overall)
    summary["by_category"] = {key: counts_dict(c) for key, c in report.by_category.items()}
    payload = {
        "version": 1,
        "as_of": report.as_of.isoformat(),
        "summary": summary,
        "milestones": [
            {"key": m.key, "due": m.due.isoformat(), "done": m.done.isoformat() if m.done else None,
             "state": m.state.value}
            for m in report.milestones
        ],
        "items": [item_dict(i) for i in items],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


COLUMNS = (
    N_("band"), N_("problem"), N_("points"), N_("status"), N_("owner"), N_("deadline"), N_("days"), N_("next review"),
)
TABLE_COLUMNS = (N_("band"), N_("problem"), N_("points"), N_("status"), N_("owner"), N_("date"), N_("days"))
"""The terminal table: the date is the deadline of an open item, the review date of one due for review."""


def _table_row(item: Item) -> list[str]:
    t = item.unit.tracking
    if item.band is Band.due_for_review and t.next_review:
        date, days = t.next_review.isoformat(), _("review")
    else:
        date, days = (t.deadline.isoformat() if t.deadline else ""), _short_days(item)
    number = f"{item.number}.{item.unit.finding.title}"  # the title whole, as the notice prints it
    return [band_word(item.band), number, cn_points(item.unit.points), item.unit.label, item.owner, date, days]


PROBLEM, POINTS, OWNER = 1, 2, 4
"""The columns that give way when the table is wider than the terminal: the title, the owner, the points."""
MINIMUM = {PROBLEM: 12, OWNER: 8, POINTS: 6}
WRAP_TITLE = 24
"""A title column at least this wide shows each title whole over several lines; a narrower one cuts it."""


def fit_widths(rows: Sequence[list[str]], width: int) -> tuple[list[int], bool]:
    """Column widths (in terminal cells) for the status table in ``width`` columns, and whether titles wrap.

    Band, status, date and days are as wide as their widest cell or header (a state is never broken).
    The title, then the owner, then the points give way, each down to its minimum; the title is shown
    whole (wrapped) when its column is at least :data:`WRAP_TITLE` wide, else cut at a character.
    """
    from rich.cells import cell_len

    widths = [max(cell_len(_(name)), *(cell_len(row[n]) for row in rows)) for n, name in enumerate(TABLE_COLUMNS)]
    over = sum(widths) + 2 * (len(widths) - 1) - width
    for column in (PROBLEM, OWNER, POINTS):
        if over <= 0:
            break
        give = min(over, max(0, widths[column] - MINIMUM[column]))
        widths[column] -= give
        over -= give
    natural_title = max(cell_len(row[PROBLEM]) for row in rows)
    return widths, widths[PROBLEM] < natural_title and widths[PROBLEM] >= WRAP_TITLE


def _short_days(item: Item) -> str:
    if item.days_left is None:
        return ""
    if item.days_left < 0:
        return _("{n}d late").format(n=-item.days_left)
    return _("{n}d left").format(n=item.days_left)


def _row(item: Item) -> list[str]:
    t = item.unit.tracking
    return [
        band_word(item.band),
        f"{item.number}.{item.unit.finding.title.rstrip('。')}",
        cn_points(item.unit.points),
        item.unit.label,
        item.owner,
        t.deadline.isoformat() if t.deadline else "",
        days_text(item),
        t.next_review.isoformat() if t.next_review else "",
    ]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def csv_cell(text: str) -> str:
    """A cell that a spreadsheet program opens as text, never as a formula (OWASP's CSV-injection guidance).

    Text starting with = + - @, a tab or a carriage return gets a single quote before it; a plain number
    (-3) stays as it is.
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(items: Sequence[Item]) -> str:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly; every cell inert (``csv_cell``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(_(c)) for c in COLUMNS])
    for item in items:
        writer.writerow([csv_cell(cell) for cell in _row(item)])
    return "\ufeff" + buffer.getvalue()


def summary_lines(report: Report) -> list[str]:
    """The totals overall and per category, and the milestones, one line each."""
    lines = [_("as of {date}").format(date=report.as_of.isoformat())]

    def line(name: str, c: Counts) -> str:
        states = " · ".join(f"{state_word(s)} {c.by_state[s]}" for s in State if c.by_state[s])
        return _(
            "{name}: {problems} problems, {total} items ({states}); open {open}, overdue {overdue}, "
            "due for review {review}; completion rate {rate}"
        ).format(
            name=name, problems=c.problems, total=c.items, states=states or "—", open=c.open,
            overdue=c.overdue, review=c.due_for_review, rate=percent(c.completion_rate),
        )

    lines.append(line(_("overall"), report.overall))
    for key, c in report.by_category.items():
        lines.append(line(report.categories.get(key, key), c))
    for m in report.milestones:
        state = _(MILESTONE_STATES[m.state])
        if m.done:
            state = _("{state} on {date}").format(state=state, date=m.done.isoformat())
        name = _(MILESTONE_WORDS[m.key])
        lines.append(_("{name}: {due} — {state}").format(name=name, due=m.due.isoformat(), state=state))
    lines.append(_("completion rate = (completed + completed, kept up + deemed completed) ÷ all items"))
    return lines


def to_md(report: Report, items: Sequence[Item]) -> str:
    header = [_(c) for c in COLUMNS]
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for item in items:
        out.append("| " + " | ".join(md_cell(c) for c in _row(item)) + " |")
    if not items:
        out.append("| " + _("nothing needs attention") + " |" + " |" * (len(header) - 1))
    out.append("")
    out += [f"- {md_cell(x)}" for x in summary_lines(report)]
    return "\n".join(out) + "\n"


def print_table(report: Report, items: Sequence[Item], console) -> None:
    """The table (plain lines for large sets), then the summary."""
    from rich import box
    from rich.table import Table

    if len(items) > PLAIN_LIMIT:
        # One write of ready lines: a rich render per line costs ~0.1 ms × 10,000 items (PERFORMANCE.md).
        from rich.style import Style

        styles = {band: Style.parse(style) for band, style in BAND_STYLES.items()}
        colours = console.color_system if console.is_terminal and not console.no_color else None
        lines = []
        for item in items:
            line = "  ".join(x for x in _row(item) if x)
            lines.append(styles[item.band].render(line, color_system=colours) if colours else line)
        console.file.write("\n".join(lines) + "\n")
    elif items:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, header_style="bold")
        rows = [_table_row(item) for item in items]
        widths, wrap_title = fit_widths(rows, console.width)
        # The owner and points wrap (at spaces and 、); a state, a date or a band word never does.
        for name, width, wrap in zip(TABLE_COLUMNS, widths, (0, wrap_title, 1, 0, 1, 0, 0), strict=True):
            table.add_column(_(name), width=width, no_wrap=not wrap, overflow="fold" if wrap else "ellipsis")
        for item, row in zip(items, rows, strict=True):
            table.add_row(*row, style=BAND_STYLES[item.band])
        console.print(table)
    else:
        console.print(_("nothing needs attention"))
    for line in summary_lines(report):
        console.print(line, highlight=False, markup=False)
