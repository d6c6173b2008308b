"""What each page shows, as plain data for its template (dicts, lists, strings, numbers): no model object
reaches a template."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rectifykit.i18n import _
from rectifykit.model.items import percent
from rectifykit.model.records import State
from rectifykit.model.wording import state_word
from rectifykit.reports.status import MILESTONE_STATES, MILESTONE_WORDS, band_word, days_text
from rectifykit.serve.saving import FIELDS, form_values, measures_text
from rectifykit.serve.workspace import View
from rectifykit.track.status import Band, Counts, Item

PAGE_SIZE = 50
MARKERS = {
    Band.overdue: "‼", Band.due_urgent: "!", Band.due_soon: "◷", Band.due_for_review: "↻",
    Band.no_deadline: "?", Band.on_track: "✓", Band.done: "●",
}
"""A text marker for each band, beside its colour: the band reads without colour too."""


def band(b: Band) -> dict[str, str]:
    return {"key": b.value, "word": band_word(b), "marker": MARKERS[b]}


def counts(c: Counts) -> dict[str, Any]:
    return {"problems": c.problems, "total": c.items, "done": c.done, "open": c.open, "overdue": c.overdue,
            "review": c.due_for_review, "rate": percent(c.completion_rate),
            "width": round((c.completion_rate or 0) * 100)}


def item_row(item: Item) -> dict[str, Any]:
    t = item.unit.tracking
    return {
        "key": item.unit.key, "problem": item.unit.finding.id, "number": item.number,
        "title": item.unit.finding.title, "category": item.category, "state": state_word(item.unit.state),
        "label": item.unit.label, "owner": item.owner, "deadline": t.deadline.isoformat() if t.deadline else "",
        "days": days_text(item), "band": band(item.band),
    }


def dashboard(view: View) -> dict[str, Any]:
    report = view.report
    if report is None:
        return {"report": None, "errors": [diag(d) for d in view.project.errors[:50]]}
    attention = {
        name: [item_row(i) for i in report.items if i.band is b][:20]
        for name, b in (("overdue", Band.overdue), ("urgent", Band.due_urgent), ("review", Band.due_for_review))
    }
    bands = [{**band(b), "n": sum(1 for i in report.items if i.band is b)} for b in Band]
    return {
        "report": True, "as_of": report.as_of.isoformat(), "overall": counts(report.overall), "bands": bands,
        "categories": [{"key": k, "title": report.categories.get(k, k), **counts(c)}
                       for k, c in report.by_category.items()],
        "milestones": [{"what": _(MILESTONE_WORDS[m.key]), "due": m.due.isoformat(),
                        "done": m.done.isoformat() if m.done else "", "state": m.state.value,
                        "word": _(MILESTONE_STATES[m.state.value])} for m in report.milestones],
        "attention": attention,
        "problems": [{"id": f.record.id, "title": f.record.title} for f in view.findings.values()][:PAGE_SIZE],
        "more": max(0, len(view.findings) - PAGE_SIZE),
        "errors": len(view.project.errors), "warnings": len(view.project.warnings),
    }


def problem_list(view: View, query: Mapping[str, str]) -> dict[str, Any]:
    """The items filtered by category, state, owner, band and a search in the title, one page of them."""
    items = view.report.items if view.report else []
    category, state, owner = query.get("category", ""), query.get("state", ""), query.get("owner", "").strip()
    band_key, text = query.get("band", ""), query.get("q", "").strip()
    chosen = [
        i for i in items
        if (not category or i.category == category) and (not state or i.unit.state.value == state)
        and (not owner or owner in i.owner) and (not band_key or i.band.value == band_key)
        and (not text or text in i.unit.finding.title or text in i.unit.finding.id)
    ]
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(page, pages)
    return {
        "rows": [item_row(i) for i in chosen[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]],
        "total": len(chosen), "page": page, "pages": pages,
        "filters": {"category": category, "state": state, "owner": owner, "band": band_key, "q": text},
        "categories": list((view.report.categories if view.report else {}).items()),
        "states": [(s.value, state_word(s)) for s in State], "bands": [band(b) for b in Band],
    }


def diag(d: Any) -> dict[str, Any]:
    return {"path": d.path, "line": d.line, "column": d.column, "code": d.code, "message": d.message,
            "hint": d.hint, "severity": d.severity.value}


def measures(texts: Sequence[Any]) -> list[str]:
    out = []
    for m in texts:
        if isinstance(m, str):
            out.append(m)
        else:
            out.append("".join(x for x in [m.intro or "", *m.items, m.outro or ""]))
    return out


def problem(view: View, pid: str, *, history: list[dict[str, str]] | None) -> dict[str, Any] | None:
    loaded = view.findings.get(pid)
    if loaded is None:
        return None
    record = loaded.record
    items = view.items.get(pid, [])
    blocks = []
    for r, response in enumerate(record.responses):
        units = [i for i in items if i.unit.response_index == r]
        blocks.append({
            "number": r + 1, "label": response.status.label, "measures": measures(response.measures),
            "measures_text": measures_text(response.measures),
            "units": [{**item_row(i), "values": form_values(i.unit), "evidence": list(i.unit.tracking.evidence),
                       "slug": i.unit.key.partition("#")[2], "part": i.unit.part_index is not None,
                       "has_parts": bool(response.parts)} for i in units],
        })
    return {
        "id": record.id, "title": record.title, "description": record.description,
        "category": (view.report.categories if view.report else {}).get(record.category, record.category),
        "points": [{"number": n, "title": p.title or "", "text": p.text or ""} for n, p in enumerate(record.points, 1)],
        "responses": blocks, "file": loaded.path,
        "diagnostics": [diag(d) for d in view.by_file.get(loaded.path, [])],
        "history": history, "fields": FIELDS,
        "states": [(s.value, state_word(s)) for s in State],
    }
