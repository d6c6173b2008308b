"""The notice's printed structure, computed from the records: numbers, layout, resolved text; no Jinja.

``build_context`` gives the template context that ``rectifykit.render``
documents: problems numbered 1…N across categories (the same numbering as the
status report), each problem's printed sequence of blocks (its title paragraph,
then one block per response), narrative text with its placeholders resolved,
and the counts. Record text is carried as data, never rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rectifykit.diagnostics import UsageError
from rectifykit.i18n import _
from rectifykit.model import items as tally
from rectifykit.model import placeholders
from rectifykit.model.ordering import numbered
from rectifykit.model.records import Finding, Inspection, MeasureParagraph, Response, Status


class NoticeError(UsageError):
    """The records cannot give a notice (no publication date, a problem in an unknown category)."""


@dataclass(frozen=True)
class PointView:
    number: int
    title: str | None
    text: str | None


@dataclass(frozen=True)
class MeasureView:
    """A measures paragraph: lead text, numbered items （1）（2）…, closing text."""

    intro: str | None
    items: tuple[str, ...] = ()
    outro: str | None = None


@dataclass(frozen=True)
class Block:
    """One step of a problem's printed sequence: its title paragraph, or one response."""

    kind: str
    points: tuple[PointView, ...]
    response: Response | None = None
    status: Status | None = None
    measures_label: str | None = None
    measures: tuple[MeasureView, ...] = ()


@dataclass(frozen=True)
class ProblemView:
    number: int
    id: str
    category: str
    title: str
    description: str | None
    points: tuple[PointView, ...]
    inline: bool
    blocks: tuple[Block, ...]
    finding: Finding


@dataclass(frozen=True)
class CategoryView:
    key: str
    title: str
    order: int
    number: int
    problems: tuple[ProblemView, ...]
    summary: tally.Summary


@dataclass(frozen=True)
class ParagraphView:
    number: int | None
    title: str | None
    text: str | None


@dataclass(frozen=True)
class SectionView:
    number: int
    title: str
    paragraphs: tuple[ParagraphView, ...]
    findings: bool
    categories: tuple[CategoryView, ...] = ()


@dataclass(frozen=True)
class InspectionView:
    """The inspection record, with its narrative text resolved; other fields come from the record."""

    record: Inspection
    opening: str
    closing: str | None

    def __getattr__(self, name: str) -> Any:
        if name == "record":  # not yet set (copying): never recurse
            raise AttributeError(name)
        return getattr(self.record, name)


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


def _measure(item: str | MeasureParagraph) -> MeasureView:
    if isinstance(item, str):
        return MeasureView(intro=item)
    return MeasureView(intro=item.intro, items=tuple(item.items), outro=item.outro)


def problem_view(finding: Finding, number: int, *, measures_label: str) -> ProblemView:
    """A problem with its derived number and its printed sequence of blocks."""
    points = tuple(PointView(i, p.title, p.text) for i, p in enumerate(finding.points, start=1))
    inline = inline_points(finding)
    printed: set[int] = set()
    lead: tuple[PointView, ...] = ()
    if inline and finding.points:
        lead = tuple(points[n - 1] for n in _covered(finding, finding.responses[0]))
        printed = {p.number for p in lead}
    blocks = [Block(kind="title", points=lead)]
    for response in finding.responses:
        blocks.append(
            Block(
                kind="response",
                points=tuple(points[n - 1] for n in _covered(finding, response) if n not in printed),
                response=response,
                status=response.status,
                measures_label=response.measures_label or measures_label,
                measures=tuple(_measure(m) for m in response.measures),
            )
        )
    return ProblemView(
        number=number,
        id=finding.id,
        category=finding.category,
        title=finding.title,
        description=finding.description,
        points=points,
        inline=inline,
        blocks=tuple(blocks),
        finding=finding,
    )


def build_context(
    inspection: Inspection, findings: Sequence[Finding], *, as_of: dt.date | None, draft: bool = False
) -> dict[str, Any]:
    """The documented template context (see the module docstring); computed, never read from templates.

    A draft without a publication date gets the marker 【待补充：公布日期】 in its place."""
    publication: dt.date | str | None = inspection.publication_date or as_of
    if publication is None and draft:
        from rectifykit.notice.draft import PUBLICATION_DATE

        publication = PUBLICATION_DATE
    if publication is None:
        raise NoticeError(_("no publication date: set publication_date in data/inspection.yaml or pass --as-of"))
    dated = inspection.model_copy(update={"publication_date": publication}) if isinstance(publication, dt.date) \
        else inspection
    findings = list(findings)

    def resolve(text: str | None) -> str | None:
        return None if text is None else placeholders.resolve(text, dated, findings)

    known = {c.key for c in inspection.categories}
    for finding in findings:
        if finding.category not in known:
            raise NoticeError(
                _("problem {id!r} has the unknown category {category!r}").format(
                    id=finding.id, category=finding.category
                )
            )
    # One numbering for every output: the status report numbers problems the same way.
    problems = tuple(
        problem_view(n.finding, n.number, measures_label=inspection.measures_label)
        for n in numbered(inspection, findings)
    )
    categories: list[CategoryView] = []
    findings_section = next((s for s in inspection.sections if s.findings), None)
    first = 1 + sum(1 for p in findings_section.paragraphs if p.title) if findings_section else 1
    for index, category in enumerate(sorted(inspection.categories, key=lambda c: c.order)):
        views = tuple(p for p in problems if p.category == category.key)
        categories.append(
            CategoryView(
                key=category.key,
                title=category.title,
                order=category.order,
                number=first + index,
                problems=views,
                summary=tally.summarise(p.finding for p in views),
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
    return {
        "inspection": InspectionView(
            record=inspection, opening=resolve(inspection.opening) or "", closing=resolve(inspection.closing)
        ),
        "sections": tuple(sections),
        "categories": tuple(categories),
        "problems": problems,
        "summary": tally.summarise(findings),
        "publication_date": publication,
        "as_of": as_of,
    }
