"""The notice's printed structure, computed from the records: numbers, layout, resolved text; no Jinja.

``build_context`` gives the template context that ``rectifykit.render``
documents: problems numbered 1…N across categories (the same numbering as the
status report), each problem's printed sequence of blocks (its title paragraph,
then one block per response), narrative text with its placeholders resolved,
and the counts. Record text is carried as data, never rendered.

The context is plain data only: dicts with text keys, tuples, str, int, float,
bool, None and ``datetime.date``. No record object and nothing with a method
of its own reaches a template (a pydantic model's ``parse_file`` reads any file
and unpickles); ``data`` turns a record into that shape. The ``TypedDict``
classes below name the shapes; at run time they are plain dicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, TypedDict, Union, get_args, get_origin

from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _
from rectifykit.model import items as tally
from rectifykit.model import placeholders
from rectifykit.model.ordering import place
from rectifykit.model.records import Finding, Inspection, Record, Response, State

if TYPE_CHECKING:
    from rectifykit.check import Keeper
    from rectifykit.load.records import Loaded


class NoticeError(UsageError):
    """The records cannot give a notice (no publication date, a problem in an unknown category)."""


_SCALARS = frozenset({str, int, float, bool, type(None), dt.date})
_NESTED: dict[type, tuple[str, ...]] = {}
"""Per record class, the fields whose values are not scalars (lists, records, states)."""


def _scalar(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return _scalar(get_args(annotation)[0])
    if get_origin(annotation) in (Union, UnionType):
        return all(_scalar(a) for a in get_args(annotation))
    return annotation in _SCALARS


def _nested(kind: type[Record]) -> tuple[str, ...]:
    fields = _NESTED.get(kind)
    if fields is None:
        fields = _NESTED[kind] = tuple(n for n, f in kind.model_fields.items() if not _scalar(f.annotation))
    return fields


def data(value: Any) -> Any:
    """A record (or a value inside one) as plain data: a model becomes a dict of its fields, a list a
    tuple, a state its name. Anything else than text, numbers, booleans, None and dates is a bug."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    nested = _NESTED.get(kind)  # a record class met before (isinstance of a model class is slow)
    if nested is None and isinstance(value, Record):
        nested = _nested(kind)
    if nested is not None:  # a model's fields are its __dict__ (pydantic v2, no extra fields)
        out = value.__dict__.copy()
        for name in nested:
            item = out[name]
            if item is not None:
                out[name] = data(item)
        return out
    if kind is list or kind is tuple:
        if not value:
            return ()
        return tuple([item if type(item) in _SCALARS else data(item) for item in value])
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, dict):
        return {str(data(key)): data(item) for key, item in value.items()}
    raise TypeError(f"not plain data for a template: {kind.__name__}")


class PointView(TypedDict):
    number: int
    title: str | None
    text: str | None


class MeasureView(TypedDict):
    """A measures paragraph: lead text, numbered items （1）（2）…, closing text."""

    intro: str | None
    items: tuple[str, ...]
    outro: str | None


class Block(TypedDict):
    """One step of a problem's printed sequence: its title paragraph, or one response."""

    kind: str
    points: tuple[PointView, ...]
    response: dict[str, Any] | None
    """The response record as data (``data``), with its internal fields."""
    status: dict[str, Any] | None
    """``label`` (the published wording) and ``states`` (canonical state names)."""
    measures_label: str | None
    measures: tuple[MeasureView, ...]


class ProblemView(TypedDict):
    number: int
    id: str
    category: str
    title: str
    description: str | None
    points: tuple[PointView, ...]
    inline: bool
    blocks: tuple[Block, ...]
    finding: dict[str, Any]
    """The finding record as data (``data``)."""


class SummaryView(TypedDict):
    """``tally.Summary`` as data: counts of problems and tracked items."""

    problems: int
    items: int
    done: int
    open: int
    completion_rate: float | None
    by_state: dict[str, int]


class CategoryView(TypedDict):
    key: str
    title: str
    order: int
    number: int
    problems: tuple[ProblemView, ...]
    summary: SummaryView


class ParagraphView(TypedDict):
    number: int | None
    title: str | None
    text: str | None


class SectionView(TypedDict):
    number: int
    title: str
    paragraphs: tuple[ParagraphView, ...]
    findings: bool
    categories: tuple[CategoryView, ...]


def summary_view(summary: tally.Summary) -> SummaryView:
    return SummaryView(
        problems=summary.problems,
        items=summary.items,
        done=summary.done,
        open=summary.open,
        completion_rate=summary.completion_rate,
        by_state={str(state.value): n for state, n in summary.by_state.items()},
    )


def inline_points(finding: Finding) -> bool:
    """Whether the first response's points are printed in the title's paragraph."""
    if finding.points_inline is not None:
        return finding.points_inline
    if not finding.points:
        return True
    return len(finding.responses) == 1 and _covered(finding, finding.responses[0]) == list(
        range(1, len(finding.points) + 1)
    )


def _covered(finding: Finding, response: Response) -> list[int]:
    numbers = range(1, len(finding.points) + 1) if response.covers is None else response.covers
    return sorted(n for n in set(numbers) if 1 <= n <= len(finding.points))


def problem_view(finding: Finding, number: int, *, measures_label: str) -> ProblemView:
    """A problem with its derived number and its printed sequence of blocks."""
    record = data(finding)
    points: tuple[PointView, ...] = tuple(
        [{"number": i, "title": p.title, "text": p.text} for i, p in enumerate(finding.points, start=1)]
    )
    inline = inline_points(finding)
    printed: set[int] = set()
    lead: tuple[PointView, ...] = ()
    if inline and finding.points and finding.responses:  # none yet: a draft, prepared before RK271 stops it
        lead = tuple([points[n - 1] for n in _covered(finding, finding.responses[0])])
        printed = {p["number"] for p in lead}
    blocks: list[Block] = [
        {"kind": "title", "points": lead, "response": None, "status": None, "measures_label": None, "measures": ()}
    ]
    for response, response_data in zip(finding.responses, record["responses"], strict=True):
        # A measures paragraph's data is its view (intro, items, outro); a line of text becomes one.
        measures: tuple[MeasureView, ...] = tuple(
            [{"intro": m, "items": (), "outro": None} if type(m) is str else m for m in response_data["measures"]]
        )
        blocks.append({
            "kind": "response",
            "points": tuple([points[n - 1] for n in _covered(finding, response) if n not in printed]),
            "response": response_data,
            "status": response_data["status"],
            "measures_label": response.measures_label or measures_label,
            "measures": measures,
        })
    return {
        "number": number,
        "id": finding.id,
        "category": finding.category,
        "title": finding.title,
        "description": finding.description,
        "points": points,
        "inline": inline,
        "blocks": tuple(blocks),
        "finding": record,
    }


@dataclass(frozen=True, slots=True)
class Prepared:
    """One problem ready for the context: its view (numbered later), its order and what counts it."""

    view: ProblemView
    """Its :func:`problem_view` with the number 0: :func:`build_context` numbers it (it belongs to one context)."""
    order: int
    counted: tally.Counted

    @property
    def id(self) -> str:
        return self.view["id"]

    @property
    def category(self) -> str:
        return self.view["category"]


def prepare(finding: Finding, *, measures_label: str) -> Prepared:
    """A problem's part of the context, which needs no other record: built where its file is read (a worker
    process for a large set; see :func:`keeper`)."""
    return received(_sent(finding, measures_label))


Sent = tuple[ProblemView, int, tuple[str, ...]]
"""A :class:`Prepared` as builtin values alone, which a worker process sends back far quicker (unpickling a
dataclass or an enum runs Python code for each: 1.0 s against 0.25 s for 10,000 problems)."""


def _sent(finding: Finding, measures_label: str) -> Sent:
    return problem_view(finding, 0, measures_label=measures_label), finding.order, tuple(
        s.value for s in tally.states(finding)
    )


def prepared(item: Loaded[Finding], inspection: Inspection | None) -> Sent:
    """:func:`prepare` for the record of a file just read (``check.Keeper.take``), as builtin values: made
    straight from the record, with no :class:`Prepared` made and taken apart again."""
    return _sent(item.record, inspection.measures_label if inspection is not None else "")


def received(sent: Sent) -> Prepared:
    """The :class:`Prepared` that :func:`prepared` sent."""
    view, order, states = sent
    return Prepared(view, order, tally.Counted(view["category"], tuple(map(State, states))))


def keeper(*, records: bool = False) -> Keeper:
    """How ``render`` loads a project: each problem's part of the notice made where its file is read (a worker
    process for a large set: :func:`prepare`), or with ``records`` the records alone (a draft, the plan and
    the report need them whole); each incomplete problem noted there (RK271), while its tree is at hand."""
    from rectifykit import check
    from rectifykit.notice.draft import gaps

    if records:
        return check.Keeper(check.RECORDS.take, check.RECORDS.make, notes=gaps)
    return check.Keeper(prepared, received, notes=gaps)


def build_context(
    inspection: Inspection, findings: Sequence[Finding | Prepared], *, as_of: dt.date | None, draft: bool = False
) -> dict[str, Any]:
    """The documented template context (see the module docstring); computed, never read from templates.
    ``findings``: the records, or each one's :func:`prepare` (each used once).

    A draft without a publication date gets the marker 【待补充：公布日期】 in its place."""
    publication: dt.date | str | None = inspection.publication_date or as_of
    if publication is None and draft:
        from rectifykit.notice.draft import PUBLICATION_DATE

        publication = PUBLICATION_DATE
    if publication is None:
        raise NoticeError(_("no publication date: set publication_date in data/inspection.yaml or pass --as-of"))
    dated = inspection.model_copy(update={"publication_date": publication}) if isinstance(publication, dt.date) \
        else inspection
    label = inspection.measures_label
    prepared = [f if isinstance(f, Prepared) else prepare(f, measures_label=label) for f in findings]
    counts = [p.counted for p in prepared]

    def resolve(text: str | None) -> str | None:
        return None if text is None else placeholders.resolve(text, dated, counts)

    known = {c.key: c for c in inspection.categories}
    for each in prepared:
        if each.category not in known:
            raise NoticeError(
                _("problem {id!r} has the unknown category {category!r}").format(id=each.id, category=each.category)
            )
    # One numbering for every output: the status report numbers problems the same way (model.ordering).
    ordered = sorted(prepared, key=lambda p: place(known, p.category, p.order, p.id))
    grouped: dict[str, list[Prepared]] = {key: [] for key in known}
    for number, each in enumerate(ordered, 1):
        each.view["number"] = number
        grouped[each.category].append(each)
    problems = tuple([each.view for each in ordered])
    categories: list[CategoryView] = []
    findings_section = next((s for s in inspection.sections if s.findings), None)
    first = 1 + sum(1 for p in findings_section.paragraphs if p.title) if findings_section else 1
    for index, category in enumerate(sorted(inspection.categories, key=lambda c: c.order)):
        group = grouped[category.key]
        categories.append(
            CategoryView(
                key=category.key,
                title=category.title,
                order=category.order,
                number=first + index,
                problems=tuple([p.view for p in group]),
                summary=summary_view(tally.summarise([p.counted for p in group])),
            )
        )
    sections = []
    for number, section in enumerate(inspection.sections, start=1):
        paragraphs, titled = [], 0
        for paragraph in section.paragraphs:
            titled += 1 if paragraph.title else 0
            paragraphs.append(
                ParagraphView(
                    number=titled if paragraph.title else None,
                    title=resolve(paragraph.title),
                    text=resolve(paragraph.text),
                )
            )
        sections.append(
            SectionView(
                number=number,
                title=resolve(section.title) or section.title,
                paragraphs=tuple(paragraphs),
                findings=section.findings,
                categories=tuple(categories) if section.findings else (),
            )
        )
    record = data(inspection)
    return {
        # The record's fields, its narrative text resolved, and the record as loaded.
        "inspection": {
            **record,
            "opening": resolve(inspection.opening) or "",
            "closing": resolve(inspection.closing),
            "record": record,
        },
        "sections": tuple(sections),
        "categories": tuple(categories),
        "problems": problems,
        "summary": summary_view(tally.summarise(counts)),
        "publication_date": publication,
        "as_of": as_of,
    }
