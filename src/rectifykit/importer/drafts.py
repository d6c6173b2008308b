"""The parts of a notice as read, before they become records (see ``assemble``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rectifykit.importer.notes import Note
from rectifykit.importer.reading import Line


@dataclass
class Point:
    number: int
    title: str | None
    text: str | None
    line: int


@dataclass
class Response:
    line: int
    points: list[int] = field(default_factory=list)
    label: str | None = None
    label_line: int | None = None
    measures_label: str | None = None
    measures: list[str] = field(default_factory=list)
    tracking: dict[str, str] = field(default_factory=dict)
    tracking_lines: list[str] = field(default_factory=list)
    """Lines kept as printed in 'notes' (internal): owners and deadlines, a status introduced by another word."""


@dataclass
class Problem:
    line: int
    number: int | None
    title: str | None
    description: str | None = None
    points: list[Point] = field(default_factory=list)
    inline_first: bool = False
    """The first points are printed in the title's line."""
    responses: list[Response] = field(default_factory=list)
    unplaced: list[Line] = field(default_factory=list)
    pending: list[int] = field(default_factory=list)
    """Point numbers met since the last response."""


@dataclass
class Category:
    line: int | None
    number: int | None
    title: str
    generated: bool = False
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Paragraph:
    line: int
    title: str | None
    text: str | None


@dataclass
class Section:
    line: int | None
    number: int | None
    title: str
    generated: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)
    categories: list[Category] | None = None
    """None for a narrative section; the problems by category for the findings section."""


@dataclass
class Body:
    preamble: list[Line] = field(default_factory=list)
    """Text between the header and the first section: it joins the opening."""
    sections: list[Section] = field(default_factory=list)
    unplaced: list[Line] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    status_words: set[str] = field(default_factory=set)
    """Words other than 整改情况 that introduce a status (reported once each)."""

    @property
    def findings(self) -> Section | None:
        return next((s for s in self.sections if s.categories is not None), None)


GENERATED_SECTION = "反馈问题整改落实情况"
GENERATED_CATEGORY = "反馈问题"
