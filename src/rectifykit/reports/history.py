"""``rectify diff`` and ``rectify log`` out: text, markdown (a pull-request comment) and JSON.

JSON (version 1; fields are only ever added) of ``diff``::

    {"version": 1,
     "base": {"rev": "main", "commit": "<sha>", "as_of": "2024-03-01"},
     "head": {"rev": null, "commit": null, "as_of": "2024-05-01"},      # null: the working tree
     "problems": {"added": [REF], "removed": [REF]},
     "items": {"added": [REF + state, label], "removed": [...]},
     "status": [REF + "from": {"state", "label"}, "to": {"state", "label"}],
     "deadlines": [REF + "from", "to"],                                 # dates or null
     "overdue": [REF + "deadline", "days_overdue"],
     "measures": [REF + "change" (added|edited|removed), "old", "new"],
     "fields": [REF + "field", "from", "to"],
     "review": [DIAGNOSTIC],                                            # as validate --format json
     "unreadable": [DIAGNOSTIC + "side" (base|head)],
     "summary": {"problems_added": 1, …}}

where REF is ``{"item": "id#2", "problem": "id", "number": 6, "title": "…"}``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from rectifykit.i18n import N_, _
from rectifykit.model.wording import field_word, state_word
from rectifykit.reports import diagnostics as report
from rectifykit.reports.diagnostics import md_cell, md_code
from rectifykit.track.history import Changes, Event, History, ItemRef, Snapshot

CHANGE_WORDS = {"added": N_("added"), "edited": N_("edited"), "removed": N_("removed")}


def _ref(ref: ItemRef) -> dict[str, Any]:
    return {"item": ref.item, "problem": ref.problem, "number": ref.number, "title": ref.title}


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _side(snap: Snapshot, as_of: dt.date) -> dict[str, Any]:
    return {"rev": snap.rev, "commit": snap.commit.sha if snap.commit else None, "as_of": as_of.isoformat()}


def summary(changes: Changes) -> dict[str, int]:
    return {
        "problems_added": len(changes.problems_added),
        "problems_removed": len(changes.problems_removed),
        "items_added": len(changes.items_added),
        "items_removed": len(changes.items_removed),
        "status_changes": len(changes.status),
        "deadlines_moved": len(changes.deadlines),
        "became_overdue": len(changes.overdue),
        "measures_changed": len(changes.measures),
        "fields_changed": len(changes.fields),
        "review_problems": len(changes.review),
    }


def diff_json(changes: Changes) -> str:
    c = changes
    payload = {
        "version": 1,
        "base": _side(c.base, c.base_as_of),
        "head": _side(c.head, c.head_as_of),
        "problems": {"added": [_ref(r) for r in c.problems_added], "removed": [_ref(r) for r in c.problems_removed]},
        "items": {
            side: [{**_ref(i.ref), "state": i.state.value, "label": i.label} for i in entries]
            for side, entries in (("added", c.items_added), ("removed", c.items_removed))
        },
        "status": [
            {**_ref(s.ref), "from": {"state": s.old_state.value, "label": s.old_label},
             "to": {"state": s.new_state.value, "label": s.new_label}}
            for s in c.status
        ],
        "deadlines": [{**_ref(d.ref), "from": _date(d.old), "to": _date(d.new)} for d in c.deadlines],
        "overdue": [{**_ref(o.ref), "deadline": o.deadline.isoformat(), "days_overdue": o.days} for o in c.overdue],
        "measures": [{**_ref(m.ref), "change": m.change, "old": m.old, "new": m.new} for m in c.measures],
        "fields": [{**_ref(f.ref), "field": f.field, "from": f.old, "to": f.new} for f in c.fields],
        "review": [d.as_dict() for d in c.review],
        "unreadable": [
            {**d.as_dict(), "side": side}
            for side, snap in (("base", c.base), ("head", c.head))
            for d in sorted(snap.problems)
        ],
        "summary": summary(c),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _name(ref: ItemRef) -> str:
    number = f"{ref.number}. " if ref.number else ""
    return f"{ref.item} ({number}{ref.title})"


def _state(state: Any, label: str) -> str:
    """The published label, and the state's word where the label is not that word (整改完毕（整改完成）)."""
    if state is None:
        return label or "—"
    word = state_word(state)
    if not label or label == word:
        return word
    return _("{label} ({state})").format(label=label, state=word)


def _none(value: Any) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value.isoformat() if isinstance(value, dt.date) else value)


def _sections(changes: Changes) -> list[tuple[str, tuple[str, ...], str, list[tuple[str, ...]]]]:
    """Each kind of change: heading, table headers, the line form for text, rows of cells."""
    c = changes
    item, before, after = _("item"), _("before"), _("after")
    return [
        (_("Problems added"), (_("problem"),), "{0}", [(_name(r),) for r in c.problems_added]),
        (_("Problems removed"), (_("problem"),), "{0}", [(_name(r),) for r in c.problems_removed]),
        (_("Items added"), (item, _("status")), "{0}: {1}",
         [(_name(i.ref), _state(i.state, i.label)) for i in c.items_added]),
        (_("Items removed"), (item, _("status")), "{0}: {1}",
         [(_name(i.ref), _state(i.state, i.label)) for i in c.items_removed]),
        (_("Status changed"), (item, before, after), "{0}: {1} → {2}",
         [(_name(s.ref), _state(s.old_state, s.old_label), _state(s.new_state, s.new_label)) for s in c.status]),
        (_("Deadlines moved"), (item, before, after), "{0}: {1} → {2}",
         [(_name(d.ref), _none(d.old), _none(d.new)) for d in c.deadlines]),
        (_("Became overdue"), (item, _("deadline"), _("overdue by")), "{0}: {1}, {2}",
         [(_name(o.ref), o.deadline.isoformat(), _("{n} days").format(n=o.days)) for o in c.overdue]),
        (_("Measures"), (item, _("change"), before, after), "{0}: {1}: {2} → {3}",
         [(_name(m.ref), _(CHANGE_WORDS[m.change]), _none(m.old), _none(m.new)) for m in c.measures]),
        (_("Other fields"), (item, _("field"), before, after), "{0}: {1}: {2} → {3}",
         [(_name(f.ref), field_word(f.field), _none(f.old), _none(f.new)) for f in c.fields]),
    ]


def _title(changes: Changes) -> str:
    c = changes
    return _("Changes from {base} ({base_date}) to {head} ({head_date})").format(
        base=c.base.label, base_date=c.base_as_of.isoformat(), head=c.head.label, head_date=c.head_as_of.isoformat()
    )


def diff_text(changes: Changes) -> str:
    lines = [_title(changes), ""]
    for heading, _headers, form, rows in _sections(changes):
        if rows:
            lines.append(f"{heading} ({len(rows)}):")
            lines += ["  " + form.format(*row) for row in rows]
            lines.append("")
    lines += _problem_lines(changes)
    if changes.empty:
        lines.append(_("No changes to the records."))
    return "\n".join(lines).rstrip("\n") + "\n"


def _problem_lines(changes: Changes) -> list[str]:
    lines: list[str] = []
    if changes.review:
        lines.append(_("Review of items moved to a completed state ({n}):").format(n=len(changes.review)))
        lines += ["  " + line for line in report.text_lines(changes.review, 0)[:-1] if line]
        lines.append("")
    unreadable = [*changes.base.problems, *changes.head.problems]
    if unreadable:
        lines.append(_("Files that could not be read (left out of the comparison):"))
        lines += [f"  {d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in sorted(unreadable)]
        lines.append("")
    return lines


def diff_md(changes: Changes) -> str:
    """Markdown for a pull-request comment or a job summary."""
    out = [f"### {md_cell(_title(changes))}", ""]
    counts = summary(changes)
    if changes.empty:
        out += [_("No changes to the records."), ""]
    for heading, names, _form, rows in _sections(changes):
        if not rows:
            continue
        out += [f"#### {heading} ({len(rows)})", ""]
        out.append("| " + " | ".join(names) + " |")
        out.append("|" + "---|" * len(names))
        out += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
        out.append("")
    if changes.review:
        heading = _("Review of items moved to a completed state")
        out += [f"#### {heading} ({counts['review_problems']})", ""]
        out += [
            f"- {md_code(f'{d.path}:{d.line}')} **{d.code}** {md_cell(d.message)}"
            + (f" — {md_cell(d.hint)}" if d.hint else "")
            for d in changes.review
        ]
        out.append("")
    unreadable = sorted([*changes.base.problems, *changes.head.problems])
    if unreadable:
        heading = _("Files that could not be read")
        out += [f"#### {heading} ({len(unreadable)})", ""]
        out += [f"- {md_code(f'{d.path}:{d.line}')} **{d.code}** {md_cell(d.message)}" for d in unreadable]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- log -----------------------------------------------------------------------------------


def _event_dict(e: Event) -> dict[str, Any]:
    return {
        **_ref(e.ref),
        "kind": e.kind,
        "commit": e.commit.sha,
        "date": e.commit.authored.isoformat(),
        "author": e.commit.author,
        "email": e.commit.email,
        "subject": e.commit.subject,
        "from": {"state": e.old_state.value if e.old_state else None, "label": e.old_label,
                 "deadline": _date(e.old_deadline)},
        "to": {"state": e.new_state.value if e.new_state else None, "label": e.new_label,
               "deadline": _date(e.new_deadline)},
        "completed_on": _date(e.completed_on),
    }


def log_json(history: History) -> str:
    """``{"version": 1, "events": [...], "backdated": [DIAGNOSTIC]}``; events oldest first."""
    payload = {
        "version": 1,
        "events": [_event_dict(e) for e in history.events],
        "backdated": [d.as_dict() for d in sorted(history.backdated)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def describe(e: Event) -> str:
    """One change of an item in words, as `rectify log` prints it."""
    if e.kind == "recorded":
        text = _("recorded as {status}").format(status=_state(e.new_state, e.new_label or ""))
        if e.new_deadline:
            text += ", " + _("deadline {date}").format(date=e.new_deadline.isoformat())
        return text
    if e.kind == "status":
        return _("status {old} → {new}").format(
            old=_state(e.old_state, e.old_label or ""), new=_state(e.new_state, e.new_label or "")
        )
    if e.kind == "deadline":
        return _("deadline {old} → {new}").format(old=_none(e.old_deadline), new=_none(e.new_deadline))
    return _("removed")


def log_text(history: History) -> str:
    lines: list[str] = []
    for item, events in history.by_item().items():
        lines.append(_name(events[-1].ref) if events else item)
        for e in events:
            when = e.commit.authored.strftime("%Y-%m-%d %H:%M")
            lines.append(f"  {when}  {e.commit.short}  {e.commit.author}  {describe(e)}")
        lines.append("")
    if history.backdated:
        lines += report.text_lines(history.backdated, 0)[:-1]
    if not lines:
        lines.append(_("No history: no commit has changed the records."))
    return "\n".join(lines).rstrip("\n") + "\n"
