"""The rectification plan (整改方案) and report (整改情况报告) as plain data for their templates; no Jinja.

Both come from the same records as the notice, with the same numbering: categories （一）（二）… in their
order, problems 1…N across categories. Everything a template gets is plain data (dicts, lists, str, int,
dates), never a record object.

``plan_context`` (``render --template plan``): ``kind`` "plan", ``title``, ``unit``, ``signature``, ``date``
(the day rendered, 2024年7月11日), ``opening`` and ``categories``; a category has ``number``, ``title`` and
``problems``; a problem has ``number``, ``title``, ``description``, ``entries``; an entry (one response, or
one part of one) has ``key``, ``points`` (the points it answers, 一是…), ``measures`` (paragraphs as the
notice prints them), ``leader``, ``department``, ``person`` and ``deadline`` (2024年12月31日, or "").
Its three lists (问题清单、任务清单、责任清单) are the columns of one table per category.

``report_context`` (``render --template report``, internal): the plan's fields, each item also with
``state`` (the canonical state), ``label`` (the published wording), ``done``, ``completed_on``,
``next_review``, ``evidence`` (a list), ``notes``, ``band``; ``counts`` computed as ``status`` computes
them (``problems``, ``total``, ``done``, ``open``, ``overdue``, ``due_for_review``, ``completion_rate``
in percent, ``by_status``: a list of {``state``, ``label``, ``count``}), ``by_category`` (the same per
category, with ``title``) and ``open_items`` (every item not done, with its problem's number and title).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rectifykit.i18n import _
from rectifykit.model import items as tally
from rectifykit.model.dates import cn_date
from rectifykit.model.numbering import measure_prefix, point_prefix
from rectifykit.model.records import Finding, Inspection, MeasureParagraph, State
from rectifykit.model.wording import STATE_LABEL
from rectifykit.track import status

if TYPE_CHECKING:
    from rectifykit.load.project import Project

__all__ = ["INTERNAL", "KINDS", "plan_context", "render", "report_context"]

KINDS = ("plan", "report")
"""The documents besides the notice that ``render --template`` makes from the records."""
INTERNAL = {"report"}
"""Documents that print internal fields (owners, evidence, notes): never to be published."""


def _day(value: dt.date | None) -> str:
    return cn_date(value) if value is not None else ""


def measure_paragraphs(measures: Sequence[str | MeasureParagraph]) -> list[str]:
    """A response's measures as the notice prints them, one string a paragraph."""
    out = []
    for m in measures:
        if isinstance(m, str):
            out.append(m)
        else:
            items = "".join(measure_prefix(n) + text for n, text in enumerate(m.items, start=1))
            out.append((m.intro or "") + items + (m.outro or ""))
    return out


def point_texts(unit: tally.Unit) -> list[str]:
    """The points an item answers, as the notice prints them (一是…)."""
    finding = unit.finding
    out = []
    for n in unit.points:
        if 0 < n <= len(finding.points):
            point = finding.points[n - 1]
            out.append(point_prefix(n) + (point.title or "") + (point.text or ""))
    return out


def _item(item: status.Item, *, internal: bool) -> dict[str, Any]:
    unit, t = item.unit, item.unit.tracking
    responses = unit.finding.responses
    measures = responses[unit.response_index].measures if unit.response_index < len(responses) else []  # a draft
    out: dict[str, Any] = {
        "key": unit.key,
        "points": point_texts(unit),
        "measures": measure_paragraphs(measures),
        "leader": t.leader or "",
        "department": t.department or "",
        "person": t.person or "",
        "deadline": _day(t.deadline),
    }
    if internal:
        out.update(
            state=unit.state.value, label=unit.label, done=unit.done, completed_on=_day(t.completed_on),
            next_review=_day(t.next_review), evidence=list(t.evidence), notes=t.notes or "", band=item.band.value,
        )
    return out


def _counts(c: status.Counts) -> dict[str, Any]:
    """The counts in the words of the documents, computed by status (so they equal ``status --format json``)."""
    rate = c.completion_rate
    return {
        "problems": c.problems, "total": c.items, "done": c.done, "open": c.open, "overdue": c.overdue,
        "due_for_review": c.due_for_review,
        "completion_rate": "" if rate is None else f"{rate:.2%}",
        "by_status": [{"state": s.value, "label": STATE_LABEL[s], "count": c.by_state[s]} for s in State],
    }


def _title(inspection: Inspection, what: str) -> str:
    round_ = inspection.round or ""
    if not round_.endswith("巡察"):
        round_ += "巡察"
    return f"{inspection.unit}关于{round_}{what}"


def _base(inspection: Inspection, findings: Sequence[Finding], *, as_of: dt.date, internal: bool,
          what: str) -> tuple[dict[str, Any], status.Report]:
    report = status.build(inspection, findings, as_of=as_of)
    categories: list[dict[str, Any]] = []
    problems: dict[tuple[str, int], dict[str, Any]] = {}
    for key, title in report.categories.items():
        categories.append({"key": key, "number": len(categories) + 1, "title": title, "problems": []})
    by_key = {c["key"]: c for c in categories}
    for item in report.items:
        problem = problems.get((item.category, item.number))
        if problem is None:
            finding = item.unit.finding
            problem = {"number": item.number, "id": finding.id, "title": finding.title,
                       "description": finding.description or "", "entries": []}
            problems[(item.category, item.number)] = problem
            by_key[item.category]["problems"].append(problem)
        problem["entries"].append(_item(item, internal=internal))
    context = {
        "kind": "report" if internal else "plan",
        "internal": internal,
        "title": _title(inspection, what),
        "unit": inspection.unit,
        "signature": inspection.signature or inspection.unit,
        "date": cn_date(as_of),
        "as_of": as_of,
        "categories": [c for c in categories if c["problems"]],
    }
    return context, report


def plan_context(inspection: Inspection, findings: Sequence[Finding], *, as_of: dt.date) -> dict[str, Any]:
    """The plan's context: every problem with its measures, owners and deadline, by category."""
    context, _report = _base(inspection, findings, as_of=as_of, internal=False, what="反馈意见的整改方案")
    return context


def report_context(inspection: Inspection, findings: Sequence[Finding], *, as_of: dt.date) -> dict[str, Any]:
    """The report's context: the plan's, with states, dates, evidence, the counts and what stays open."""
    context, report = _base(inspection, findings, as_of=as_of, internal=True, what="整改情况的报告")
    context["counts"] = _counts(report.overall)
    context["by_category"] = [dict(_counts(c), title=report.categories.get(k, k))
                              for k, c in report.by_category.items()]
    context["open_items"] = [
        dict(item, problem=problem["number"], problem_title=problem["title"])
        for category in context["categories"] for problem in category["problems"]
        for item in problem["entries"] if not item["done"]
    ]
    return context


def render(records: Project, kind: str, *, fmt: str = "md", as_of: dt.date) -> str:
    """The plan or the report (``kind``) as text through ``{kind}.{fmt}.j2``: the notice's sandbox,
    escaping, lookup (the project's ``templates/`` first) and errors; the context is plain data.
    Raises RenderError when a template is missing or fails."""
    from rectifykit.notice import render as rendering

    if records.inspection is None:
        raise rendering.RenderError(_("the project has no valid inspection record"))
    build = report_context if kind == "report" else plan_context
    context = build(records.inspection.record, records.records, as_of=as_of)
    project_templates = (records.root / rendering.PROJECT_TEMPLATES).resolve()
    env = rendering.environment(fmt, project_templates=project_templates, confine=records.root.resolve())
    where = rendering.search_path(project_templates)
    return rendering._run(env, f"{kind}.{fmt}.j2", context, where, project_templates)
