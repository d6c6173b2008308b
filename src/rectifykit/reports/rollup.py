"""``rectify rollup`` output: JSON, the table rows, markdown and the HTML page over one roll-up."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rectifykit.i18n import _
from rectifykit.model.items import percent
from rectifykit.model.records import State
from rectifykit.reports.diagnostics import md_cell
from rectifykit.reports.status import counts_dict
from rectifykit.track.rollup import Rollup
from rectifykit.track.status import Band, Counts


def to_json(r: Rollup) -> str:
    payload = {
        "version": 1,
        "as_of": r.as_of.isoformat(),
        "units": [{"unit": u.unit, "path": u.path, "problems_done": u.problems_done, **counts_dict(u.counts)}
                  for u in r.units],
        "total": {"problems_done": r.problems_done, **counts_dict(r.total)},
        "sample": {
            "seed": r.seed,
            "per_unit": r.per_unit,
            "items": [
                {"unit": s.unit, "path": s.path, "id": s.key, "problem": s.number, "title": s.problem,
                 "status": s.state.value, "label": s.label,
                 "completed_on": s.completed_on.isoformat() if s.completed_on else None,
                 "evidence": list(s.evidence)}
                for s in r.sample
            ],
        },
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def header() -> list[str]:
    """Columns of the table, markdown and HTML views; "completed" counts completed and kept up."""
    return [_("unit"), _("problems"), _("all done"), _("items"), _("completed"), _("deemed"), _("open"),
            _("overdue"), _("review"), _("rate")]


def _line(name: str, problems_done: int, c: Counts) -> list[str]:
    completed = c.by_state[State.completed] + c.by_state[State.completed_ongoing]
    return [name, str(c.problems), str(problems_done), str(c.items), str(completed),
            str(c.by_state[State.deemed_completed]), str(c.open), str(c.overdue), str(c.due_for_review),
            percent(c.completion_rate)]


def table_rows(r: Rollup) -> list[list[str]]:
    """One row per unit, then the totals (the last row)."""
    rows = [_line(u.unit, u.problems_done, u.counts) for u in r.units]
    rows.append(_line(_("total"), r.problems_done, r.total))
    return rows


def sample_header() -> list[str]:
    return [_("unit"), _("item"), _("problem"), _("status"), _("completed on"), _("evidence")]


def sample_rows(r: Rollup) -> list[list[str]]:
    return [[s.unit, s.key, s.problem, s.label, s.completed_on.isoformat() if s.completed_on else "",
             "; ".join(s.evidence)] for s in r.sample]


def sample_note(r: Rollup) -> str:
    message = _("sample for re-checking: up to {n} closed items per unit, seed {seed} "
                "(draw it again with --seed {seed})")
    return message.format(n=r.per_unit, seed=r.seed)


def _md_table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
    return out


def to_md(r: Rollup) -> str:
    out = [_("as of {date}").format(date=r.as_of.isoformat()), "", *_md_table(header(), table_rows(r))]
    out += ["", _("completion rate = (completed + completed, kept up + deemed completed) ÷ all items")]
    if r.sample:
        out += ["", sample_note(r), "", *_md_table(sample_header(), sample_rows(r))]
    return "\n".join(out) + "\n"


def to_html(r: Rollup, *, root: Path | None = None) -> str:
    """One self-contained page through ``rollup.html.j2`` (``root``'s templates/ first): completion by unit,
    items by band, deadlines, and the tables."""
    from rectifykit.reports import charts

    rates = [charts.Bar(_("total"), r.total.completion_rate,
                        f"{percent(r.total.completion_rate)} ({r.total.done}/{r.total.items})")]
    rates += [charts.Bar(u.unit, u.counts.completion_rate,
                         f"{percent(u.counts.completion_rate)} ({u.counts.done}/{u.counts.items})") for u in r.units]
    bands: Counter[Band] = Counter()
    for u in r.units:
        bands.update(u.bands)
    open_marks = [m for u in r.units for m in charts.marks_of(u.deadlines, prefix=f"{u.unit} ")]
    tables = [{"title": _("Units"), "table": charts.table(header(), table_rows(r), numeric=range(1, 10)),
               "note": _("completion rate = (completed + completed, kept up + deemed completed) ÷ all items")}]
    if r.sample:
        tables.append({"title": _("Sample for re-checking"), "note": sample_note(r),
                       "table": charts.table(sample_header(), sample_rows(r), nowrap=(4,))})
    context = {
        "title": _("Rectification across units"),
        "meta": _("as of {date}").format(date=r.as_of.isoformat()),
        "charts": [
            charts.chart(_("Completion by unit"), charts.bars(rates, title=_("Completion by unit"))),
            charts.chart(_("Items by band"), charts.stacked(charts.segments_of_bands(bands), title=_("Items by band"))),
            charts.chart(_("Deadlines and review dates"),
                         charts.timeline(open_marks, as_of=r.as_of, title=_("Deadlines and review dates"))),
        ],
        "tables": tables,
    }
    return charts.render_page("rollup.html.j2", context, root=root)
