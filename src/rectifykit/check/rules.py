"""Checks across records: each rule yields diagnostics at the place it concerns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic
from rectifykit.i18n import _
from rectifykit.model import items as tally
from rectifykit.model import placeholders
from rectifykit.model.records import DONE_STATES, Finding, Inspection

if TYPE_CHECKING:
    from rectifykit.check.facts import Facts
    from rectifykit.load.records import Loaded
    from rectifykit.yamlio import Path_

    Place = Callable[[Facts, Path_], tuple[int, int]]


def own(
    item: Loaded[Finding], *, today: dt.date, inspection: Inspection | None, known: set[str] | None,
    units: Sequence[tally.Unit],
) -> list[Diagnostic]:
    """The rules of this module that one problem file decides alone; ``known``: the inspection's category keys;
    ``units``: the record's tracked items (:func:`rectifykit.check.files.own` makes them once)."""
    out: list[Diagnostic] = []
    if not item.record.responses:  # a draft: nothing to check against the points yet
        out.append(diagnostics.make("RK270", item.path, *item.located.key_at(("title",))))
    else:
        out += points_and_responses(item)
        out += response_dates(item, today=today, inspection=inspection)
        out += open_items(item, units)
        out += response_parts(item)
    out += file_name(item)
    if known is not None:
        out += category_known(item, known)
    return out


def across(inspection: Loaded[Inspection] | None, facts: Sequence[Facts], place: Place) -> list[Diagnostic]:
    """The rules of this module over all the records (and the inspection record's own)."""
    out = list(unique_ids(facts, place))
    if inspection is not None:
        out += inspection_rules(inspection)
        out += category_order(facts, place)
    return out


def unique_ids(facts: Sequence[Facts], place: Place) -> Iterator[Diagnostic]:
    first: dict[str, str] = {}
    for item in facts:
        if item.id in first:
            yield diagnostics.make("RK201", item.path, *place(item, ("id",)), id=item.id, other=first[item.id])
        else:
            first[item.id] = item.path


def file_name(item: Loaded[Finding]) -> Iterator[Diagnostic]:
    name = PurePosixPath(item.path).stem
    if name != item.record.id:
        yield diagnostics.make("RK215", item.path, *item.located.value_at(("id",)), name=name, id=item.record.id)


def category_known(item: Loaded[Finding], known: set[str]) -> Iterator[Diagnostic]:
    if item.record.category not in known:
        yield diagnostics.make(
            "RK203", item.path, *item.located.value_at(("category",)),
            category=item.record.category, known=", ".join(sorted(known)),
        )


def category_order(facts: Sequence[Facts], place: Place) -> Iterator[Diagnostic]:
    """RK202: two problems of one category in the same place (problems of unknown categories left out)."""
    taken: dict[tuple[str, int], str] = {}
    for item in facts:
        if item.category is None:
            continue
        slot = (item.category, item.order)
        if slot in taken:
            yield diagnostics.make(
                "RK202", item.path, *place(item, ("order",)), order=item.order, category=item.category,
                other=taken[slot],
            )
        else:
            taken[slot] = item.path


def points_and_responses(item: Loaded[Finding]) -> Iterator[Diagnostic]:
    record, at = item.record, item.located
    count = len(record.points)
    covered: dict[int, int] = {}
    unknown = False  # a response does not say which points it answers: coverage cannot be judged
    for r, response in enumerate(record.responses):
        where = ("responses", r)
        if response.covers is None:
            if count and len(record.responses) > 1:
                # Said once; the overlaps and gaps that follow from the omission are not.
                yield diagnostics.make("RK219", item.path, *at.value_at(where))
                unknown = True
                points: Sequence[int] = ()
            else:
                points = range(1, count + 1)
        else:
            if not count:
                yield diagnostics.make("RK218", item.path, *at.key_at((*where, "covers")))
                continue
            points = response.covers
        for i, point in enumerate(points):
            # Places are looked up only for a diagnostic: a clean record's are never worked out.
            if not 1 <= point <= count:
                place = at.value_at((*where, "covers", i))
                yield diagnostics.make("RK206", item.path, *place, point=point, count=count)
            elif point in covered:
                yield diagnostics.make("RK205", item.path, *at.value_at((*where, "covers", i)), point=point)
            else:
                covered[point] = r
        if response.status.combined and points and len(points) < 2:
            yield diagnostics.make("RK211", item.path, *at.value_at((*where, "status", "states")))
        if response.status.least in DONE_STATES and not response.measures:
            yield diagnostics.make("RK210", item.path, *at.key_at((*where, "status")))
    for point in range(1, count + 1):
        if point not in covered and not unknown:
            yield diagnostics.make("RK204", item.path, *at.value_at(("points", point - 1)), point=point)


def response_dates(item: Loaded[Finding], *, today: dt.date, inspection: Inspection | None) -> Iterator[Diagnostic]:
    for r, response in enumerate(item.record.responses):
        where = ("responses", r)
        if response.completed_on and response.completed_on > today:
            yield diagnostics.make(
                "RK208", item.path, *item.located.value_at((*where, "completed_on")),
                date=response.completed_on.isoformat(), today=today.isoformat(),
            )
        if inspection and response.deadline and response.deadline < inspection.feedback_date:
            yield diagnostics.make(
                "RK209", item.path, *item.located.value_at((*where, "deadline")),
                date=response.deadline.isoformat(), feedback=inspection.feedback_date.isoformat(),
            )


def open_items(item: Loaded[Finding], units: Sequence[tally.Unit]) -> Iterator[Diagnostic]:
    """Warnings: an open item (a response, or a part of one) needs an owner and a deadline."""
    for unit in units:
        if unit.done:
            continue
        where: tuple[str | int, ...] = ("responses", unit.response_index)
        t = unit.tracking
        if (t.leader or t.department or t.person) and t.deadline is not None:
            continue
        if unit.part_index is None:
            place = item.located.key_at((*where, "status"))
        else:
            place = item.located.value_at((*where, "parts", unit.part_index))
        if not (t.leader or t.department or t.person):
            yield diagnostics.make("RK212", item.path, *place)
        if t.deadline is None:
            yield diagnostics.make("RK213", item.path, *place)


def inspection_rules(loaded: Loaded[Inspection]) -> Iterator[Diagnostic]:
    record, at, path = loaded.record, loaded.located, loaded.path
    keys: set[str] = set()
    orders: set[int] = set()
    for c, category in enumerate(record.categories):
        if category.key in keys:
            yield diagnostics.make("RK216", path, *at.value_at(("categories", c, "key")), key=category.key)
        if category.order in orders:
            yield diagnostics.make("RK220", path, *at.value_at(("categories", c, "order")), order=category.order)
        keys.add(category.key)
        orders.add(category.order)
    marked = sum(1 for s in record.sections if s.findings)
    if marked != 1:
        yield diagnostics.make("RK217", path, *at.key_at(("sections",)), count=marked)
    steps = [
        (_("period start"), record.period.start, ("period", "start")),
        (_("period end"), record.period.end, ("period", "end")),
        (_("feedback date"), record.feedback_date, ("feedback_date",)),
        (_("publication date"), record.publication_date, ("publication_date",)),
    ]
    present = [(name, day, where) for name, day, where in steps if day is not None]
    for (name_a, a, _path_a), (name_b, b, path_b) in pairwise(present):
        if a > b:
            yield diagnostics.make(
                "RK207", path, *at.value_at(path_b),
                first=name_a, first_date=a.isoformat(), second=name_b, second_date=b.isoformat(),
            )
    for field_path, text in narrative_texts(record):
        for bad in placeholders.problems_in(text, keys):
            yield diagnostics.make(
                "RK214", path, *at.value_at(field_path),
                placeholder=bad.placeholder, known=", ".join(placeholders.KNOWN),
            )


def narrative_texts(record: Inspection) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text that may hold placeholders, with its path in the record."""
    yield ("opening",), record.opening
    if record.closing:
        yield ("closing",), record.closing
    for s, section in enumerate(record.sections):
        yield ("sections", s, "title"), section.title
        for p, paragraph in enumerate(section.paragraphs):
            for key in ("title", "text"):
                value = getattr(paragraph, key)
                if value:
                    yield ("sections", s, "paragraphs", p, key), value


def response_parts(item: Loaded[Finding]) -> Iterator[Diagnostic]:
    """Parts divide a response's points among its states."""
    record, at = item.record, item.located
    for r, response in enumerate(record.responses):
        where = ("responses", r)
        if not response.parts:
            if response.status.combined:
                yield diagnostics.make(
                    "RK232", item.path, *at.key_at((*where, "status")), state=response.status.least.value
                )
            continue
        covered = set(tally.covered_points(record, response))
        seen: set[int] = set()
        for p, part in enumerate(response.parts):
            if part.state not in response.status.states:
                yield diagnostics.make(
                    "RK231", item.path, *at.value_at((*where, "parts", p, "state")),
                    state=part.state.value, states=", ".join(s.value for s in response.status.states),
                )
            for i, point in enumerate(part.points):
                if point not in covered or point in seen:
                    yield diagnostics.make(
                        "RK230", item.path, *at.value_at((*where, "parts", p, "points", i)), point=point
                    )
                seen.add(point)
        for point in sorted(covered - seen):
            yield diagnostics.make("RK233", item.path, *at.key_at((*where, "parts")), point=point)
