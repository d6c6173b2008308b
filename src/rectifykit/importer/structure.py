"""The body of a notice: sections and paragraphs, categories, problems, points and responses.

Each line becomes a token by its leading numbering or label (一、 （一） 1.
（1） 一是 整改情况： 主要做法和成效： 责任单位：, else plain text). Numbering
is only believed when it continues its sequence (a 一、 inside section 四's
measures is text, not a new section). Sections with statuses or measures hold
the problems; the levels inside them are read from the notice itself: problems
are the 1. level (else the （一） level), categories the level above, points
the first level met below a problem (一是 or （1）). A point-numbered line after
a response opens a new point only when a status follows before the next
point; otherwise it continues the measures. Generated numbering and labels
are taken off the text (the templates print them); everything else is kept
verbatim, and a line that has no place is returned as unplaced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rectifykit.importer import wording
from rectifykit.importer.notes import Note
from rectifykit.importer.reading import Line
from rectifykit.importer.text import cn_value, first_sentence, joined

CN = "[一二三四五六七八九十]{1,3}"
SEC_RE = re.compile(rf"^({CN})\s*[、．]\s*(.*)$")
CAT_RE = re.compile(rf"^[(（]\s*({CN})\s*[)）]\s*[、.．]?\s*(.*)$")
NUM_RE = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*(.*)$|^问题\s*(\d{1,3})\s*[:：]\s*(.*)$")
PNUM_RE = re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.*)$|^([\u2460-\u2473])\s*(.*)$")
POINT_RE = re.compile(rf"^({CN})是(.*)$")
STATUS_LABELS = (
    "整改情况|完成情况|整改进展情况|整改进展|整改进度|进展情况|整改结果|整改状态|整改落实情况|落实情况|办理情况"
)
MEASURES_LABELS = (
    "主要做法[和及与]成效|主要做法|整改措施及成效|整改措施|主要措施|整改举措|具体措施|采取措施|整改成效|工作成效|"
    "取得成效|措施及成效|整改做法"
)
_LABEL_END = r"(?:[】\]]\s*[:：]?|\s*[:：])"
STATUS_RE = re.compile(rf"^[【\[]?({STATUS_LABELS}){_LABEL_END}\s*(.*)$")
MEASURES_RE = re.compile(rf"^[【\[]?({MEASURES_LABELS}){_LABEL_END}\s*(.*)$")
MEASURES_INLINE = re.compile(rf"(?:^|(?<=[。；;，,\s]))[【\[]?({MEASURES_LABELS})[】\]]?\s*[:：]")
TRACK_FIELDS = {
    "leader": "责任领导|牵头领导|分管领导",
    "department": "责任单位|责任部门|责任科室|责任处室|责任股室|牵头单位|牵头部门",
    "person": "责任人",
    "deadline": "整改时限|完成时限",
    "completed_on": "完成时间",
}
TRACK_RE = re.compile(r"(?:^|(?<=[\s，,；;。]))(" + "|".join(TRACK_FIELDS.values()) + r")\s*[:：]")
SECTION_FINDINGS = re.compile(r"反馈(问题|意见)|问题整改|整改(落实|进展)情况")
PROBLEM_TITLE = re.compile(r"^关于.{0,80}问题|^反馈问题[:：]")
CATEGORY_TITLE = re.compile(r"^关于|^在.{0,60}方面|^反馈问题[:：]|方面(的)?(问题)?(的)?(整改)?(落实)?(情况)?$")
INLINE_POINT = {
    "POINT": re.compile(rf"(?:^|(?<=[。；;：:！？]))\s*({CN})是"),
    "PNUM": re.compile(r"(?:^|(?<=[。；;：:！？]))\s*[(（](\d{1,2})[)）]"),
}


@dataclass
class Token:
    kind: str
    """SEC CAT NUM PNUM POINT STATUS MEASURES TRACK TEXT"""
    line: int
    raw: str
    number: int | None = None
    text: str = ""
    label: str | None = None
    style: str = ""
    """How a problem-level number is written: "1." or "问题1:" (a list of measures never takes the other)."""


def tokenize(line: Line) -> Token:
    """A line as a token: its numbering or label, and the text after it."""
    raw = line.text
    if m := STATUS_RE.match(raw):
        return Token("STATUS", line.number, raw, text=m.group(2).strip(), label=m.group(1))
    if m := MEASURES_RE.match(raw):
        return Token("MEASURES", line.number, raw, text=m.group(2).strip(), label=m.group(1))
    if TRACK_RE.match(raw):
        return Token("TRACK", line.number, raw, text=raw)
    if (m := CAT_RE.match(raw)) and (n := cn_value(m.group(1))):
        return Token("CAT", line.number, raw, n, m.group(2).strip())
    if (m := SEC_RE.match(raw)) and (n := cn_value(m.group(1))):
        return Token("SEC", line.number, raw, n, m.group(2).strip())
    if m := NUM_RE.match(raw):
        digits, rest = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return Token("NUM", line.number, raw, int(digits), rest.strip(), style="1." if m.group(1) else "问题1:")
    if m := PNUM_RE.match(raw):
        number = int(m.group(1)) if m.group(1) else ord(m.group(3)) - 0x2460 + 1
        return Token("PNUM", line.number, raw, number, (m.group(2) or m.group(4) or "").strip())
    if (m := POINT_RE.match(raw)) and (n := cn_value(m.group(1))):
        return Token("POINT", line.number, raw, n, m.group(2).strip())
    return Token("TEXT", line.number, raw, text=raw)


# --- drafts ------------------------------------------------------------------


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
    """The owner and deadline lines as printed (kept in 'notes' when a value cannot be stored exactly)."""


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


# --- sections ----------------------------------------------------------------


def parse(lines: list[Line]) -> Body:
    """The body's sections, paragraphs and problems (see the module docstring)."""
    tokens = [tokenize(line) for line in lines]
    body = Body()
    blocks: list[tuple[Token | None, list[Token]]] = [(None, [])]
    expected = 1
    for token in tokens:
        if token.kind == "SEC" and token.number == expected:
            blocks.append((token, []))
            expected += 1
        else:
            blocks[-1][1].append(token)
    _head, pre = blocks[0]
    if _holds_findings(None, pre):
        start = next(i for i, t in enumerate(pre) if t.kind in ("CAT", "NUM", "PNUM", "STATUS", "MEASURES"))
        body.preamble = [Line(t.line, t.raw) for t in pre[:start]]
        section = Section(None, None, GENERATED_SECTION, generated=True, categories=[])
        body.sections.append(section)
        _Findings(body, section).run(pre[start:])
    else:
        body.preamble = [Line(t.line, t.raw) for t in pre]
    grouped: Section | None = None
    for sec, block in blocks[1:]:
        assert sec is not None
        holds = _holds_findings(sec, block)
        if holds and CATEGORY_TITLE.search(sec.text):
            if grouped is None:
                grouped = body.findings or Section(sec.line, None, GENERATED_SECTION, generated=True, categories=[])
                if grouped not in body.sections:
                    body.sections.append(grouped)
            category = Category(sec.line, sec.number, sec.text)
            assert grouped.categories is not None
            grouped.categories.append(category)
            _Findings(body, grouped, fixed=category).run(block)
            continue
        section = Section(sec.line, sec.number, sec.text or sec.raw)
        body.sections.append(section)
        if holds:
            target = body.findings
            if target is None:
                section.categories = []
                _Findings(body, section).run(block)
            else:
                body.notes.append(Note(sec.line, "RK308", {"title": sec.text}))
                _Findings(body, target, paragraphs=section).run(block)
        else:
            section.paragraphs = narrative(block)
    return body


def _holds_findings(sec: Token | None, block: list[Token]) -> bool:
    """Statuses or measures; or numbered problems under a heading of problems or with the genre's wording."""
    kinds = {t.kind for t in block}
    if "STATUS" in kinds or "MEASURES" in kinds:
        return True
    if "NUM" not in kinds:
        return False
    return bool(sec and SECTION_FINDINGS.search(sec.text)) or any(
        (t.kind == "CAT" and CATEGORY_TITLE.search(t.text)) or (t.kind == "NUM" and PROBLEM_TITLE.search(t.text))
        for t in block
    )


def narrative(tokens: list[Token]) -> list[Paragraph]:
    """Paragraphs of a narrative section: （一） lines in sequence are titled, everything else verbatim."""
    paragraphs = []
    expected = 1
    for token in tokens:
        if token.kind == "CAT" and token.number == expected and token.text:
            title, rest = first_sentence(token.text)
            paragraphs.append(Paragraph(token.line, title, rest))
            expected += 1
        else:
            paragraphs.append(Paragraph(token.line, None, token.raw))
    return paragraphs


# --- findings ----------------------------------------------------------------


class _Findings:
    """Reads the tokens of the part that lists problems into categories of problems."""

    def __init__(
        self, body: Body, section: Section, *, fixed: Category | None = None, paragraphs: Section | None = None
    ) -> None:
        self.body = body
        self.section = section
        self.categories: list[Category] = section.categories if section.categories is not None else []
        self.fixed = fixed
        """The category given by a section heading (一、关于“…”方面): no category level inside."""
        self.paragraphs = paragraphs or section
        self.category: Category | None = fixed
        self.problem: Problem | None = None
        self.response: Response | None = None
        self.tracking: list[Token] = []
        self.list_next: int | None = None
        self.problem_style: str | None = None
        self.point_list = False
        """The response's measures number their own lines like points (一是… after 整改情况：)."""
        self.expect_category = 1 + len(self.categories) if fixed is None else 1
        self.expect_titled = 1

    def run(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        kinds = [t.kind for t in tokens]
        if "NUM" in kinds:
            self.problem_kind = "NUM"
        elif "CAT" in kinds and self.fixed is None and ("STATUS" in kinds or "MEASURES" in kinds):
            self.problem_kind = "CAT"
        elif "PNUM" in kinds:
            self.problem_kind = "PNUM"
        else:
            self.problem_kind = "CAT" if self.fixed is not None and "CAT" in kinds else None
        self.category_kind = "CAT" if self.problem_kind == "NUM" and self.fixed is None and "CAT" in kinds else None
        self.point_kind = self._point_kind()
        for index, token in enumerate(tokens):
            self.index = index
            self.step(token)
        self.close_problem()

    def _point_kind(self) -> str | None:
        """The numbering of points: the first 一是 or （1） met between a problem and its first response."""
        head = False
        for token in self.tokens:
            if token.kind == self.problem_kind:
                head = True
                if self.problem_kind != "PNUM" and INLINE_POINT["POINT"].search(first_sentence(token.text)[1] or ""):
                    return "POINT"
            elif token.kind in ("STATUS", "MEASURES"):
                head = False
            elif head and token.kind in ("POINT", "PNUM") and token.kind != self.problem_kind:
                return token.kind
        return None

    # -- lookahead

    def ahead(self, stops: tuple[str | None, ...]) -> str | None:
        """The kind of the next token that is a status, measures, or one of ``stops``."""
        for token in self.tokens[self.index + 1 :]:
            if token.kind in ("STATUS", "MEASURES") or token.kind in stops:
                return token.kind
        return None

    # -- the walk

    def step(self, token: Token) -> None:
        kind = token.kind
        if self.category_kind and kind == self.category_kind and token.number == self.expect_category:
            follows = self.ahead((self.problem_kind, self.category_kind)) == self.problem_kind
            if follows or self.categories:
                self.close_problem()
                self.category = Category(token.line, token.number, token.text or token.raw)
                self.categories.append(self.category)
                self.expect_category += 1
                return
            if self.problem is None and token.number == self.expect_titled and token.text:
                title, rest = first_sentence(token.text)
                self.paragraphs.paragraphs.append(Paragraph(token.line, title, rest))
                self.expect_titled += 1
                self.expect_category += 1
                return
        if kind == self.problem_kind and self.is_problem(token):
            self.open_problem(token)
            return
        if kind == self.point_kind and self.problem is not None and self.is_point(token):
            self.add_points(token.text, token.line, first=token.number)
            return
        if kind == "STATUS" and self.problem is not None:
            self.status(token)
            return
        if kind == "MEASURES" and self.problem is not None:
            self.measures(token)
            return
        if kind == "TRACK" and self.problem is not None:
            self.track(token)
            return
        self.text(token)

    def is_problem(self, token: Token) -> bool:
        """A new problem, or (after a response) a numbered line of its measures."""
        if self.problem_style is None:
            self.problem_style = token.style
        elif token.style != self.problem_style:
            return False
        if self.response is None or self.problem is None:
            return True
        number = token.number or 0
        if number == 1:  # numbering restarts only after a category heading, which closes the problem
            return False
        if self.list_next is None or number != self.list_next:
            return True
        # The next number of both the measures' own list and the problems: a problem when a response follows.
        expected = (self.problem.number or 0) + 1
        return number == expected and self.ahead((self.problem_kind,)) in ("STATUS", "MEASURES")

    def is_point(self, token: Token) -> bool:
        """A new point, or (after a response) a numbered line of its measures."""
        used = {p.number for p in self.problem.points} if self.problem else set()
        if token.number in used:
            self.point_list = True
            return False
        if self.response is None:
            return True
        follows = self.ahead((self.point_kind, self.problem_kind, self.category_kind))
        if follows in ("STATUS", "MEASURES"):
            return True
        # The notice ends here (a truncated notice): the next point, unless the measures count their own.
        if follows is None and not self.point_list and token.number == max(used, default=0) + 1:
            return True
        self.point_list = True
        return False

    # -- building

    def ensure_category(self, line: int) -> Category:
        if self.category is None:
            self.category = Category(line, None, GENERATED_CATEGORY, generated=True)
            self.categories.append(self.category)
        return self.category

    def open_problem(self, token: Token) -> None:
        self.close_problem()
        self.ensure_category(token.line)
        problem = Problem(token.line, token.number, None)
        self.problem = problem
        if token.text:
            self.problem_line(token.text, token.line)

    def problem_line(self, text: str, line: int) -> None:
        problem = self.problem
        assert problem is not None
        problem.title, rest = first_sentence(text)
        if rest is None:
            return
        kind = self.point_kind if self.point_kind in INLINE_POINT else "POINT"
        lead, segments = inline_points(rest, INLINE_POINT[kind], start=True)
        problem.description = lead
        if segments:
            problem.inline_first = True
            for number, segment in segments:
                self.add_point(number, segment, line)

    def add_points(self, text: str, line: int, *, first: int | None) -> None:
        """A point line: its own point, and the further points written in the same line."""
        assert self.problem is not None and first is not None
        if self.response is not None:
            self.response = None
        kind = self.point_kind if self.point_kind in INLINE_POINT else "POINT"
        lead, segments = inline_points(text, INLINE_POINT[kind], start=False, after=first)
        self.add_point(first, lead or "", line)
        for number, segment in segments:
            self.add_point(number, segment, line)

    def add_point(self, number: int, text: str, line: int) -> None:
        assert self.problem is not None
        title, rest = first_sentence(text) if text else (None, None)
        self.problem.points.append(Point(number, title or None, rest, line))
        self.problem.pending.append(number)

    @property
    def pending(self) -> list[int]:
        return self.problem.pending if self.problem is not None else []

    def new_response(self, line: int) -> Response:
        assert self.problem is not None
        response = Response(line, points=list(self.pending))
        self.problem.pending.clear()
        for token in self.tracking:
            self.apply_tracking(response, token)
        self.tracking = []
        self.problem.responses.append(response)
        self.response = response
        self.list_next = None
        self.point_list = False
        return response

    def status(self, token: Token) -> None:
        text = token.text
        measures_label = None
        inline = MEASURES_INLINE.search(text)
        if inline and inline.start() > 0:
            measures_label = inline.group(1)
            text, measures = text[: inline.start()].strip(), text[inline.end() :].strip()
        else:
            measures = ""
        response = self.response
        if response is not None and response.label is None and not self.pending:
            pass  # the status of measures already given (整改措施：… 完成情况：…)
        elif response is not None and response.label is not None and not self.pending:
            response.measures.append(token.raw)  # a second status line for the same points: kept as written
            self.body.notes.append(Note(token.line, "RK313", {"text": token.raw}))
            return
        else:
            response = self.new_response(token.line)
        if text and token.label != "整改情况" and token.label not in self.body.status_words:
            self.body.status_words.add(token.label or "")
            self.body.notes.append(Note(token.line, "RK315", {"label": token.label}))
        if not text:
            pass
        elif wording.looks_like_status(text):
            response.label, response.label_line = text, token.line
        elif lead := wording.leading_status(text):
            response.label, response.label_line = lead[0], token.line
            response.measures.append(lead[1])
        else:
            response.measures_label = response.measures_label or token.label
            response.measures.append(text)
        if measures:
            response.measures_label = measures_label
            response.measures.append(measures)

    def measures(self, token: Token) -> None:
        response = self.response
        if response is None or self.pending or response.measures:
            response = self.new_response(token.line)
        response.measures_label = token.label
        if token.text:
            response.measures.append(token.text)

    def track(self, token: Token) -> None:
        if self.response is not None and not self.pending:
            self.apply_tracking(self.response, token)
        else:
            self.tracking.append(token)

    @staticmethod
    def apply_tracking(response: Response, token: Token) -> None:
        response.tracking_lines.append(token.raw)
        for name, value in track_fields(token.raw).items():
            response.tracking[name] = "\n".join(filter(None, (response.tracking.get(name), value)))

    def text(self, token: Token) -> None:
        problem = self.problem
        if problem is None:
            if self.category is not None and not self.category.generated:
                self.body.unplaced.append(Line(token.line, token.raw))
                self.body.notes.append(Note(token.line, "RK300", {"text": token.raw}))
            else:
                self.paragraphs.paragraphs.append(Paragraph(token.line, None, token.raw))
            return
        if problem.title is None:
            self.problem_line(token.raw, token.line)
            return
        if self.response is not None and not self.pending:
            if token.kind == "NUM" and token.number == (self.list_next or 1):
                self.list_next = (token.number or 0) + 1
            self.response.measures.append(token.raw)
            return
        if problem.points and self.pending:
            point = problem.points[-1]
            point.text = joined(point.text, token.raw)
        elif not problem.points:
            problem.description = joined(problem.description, token.raw)
        else:
            problem.unplaced.append(Line(token.line, token.raw))
            self.body.notes.append(Note(token.line, "RK300", {"text": token.raw}))

    def close_problem(self) -> None:
        problem = self.problem
        if problem is None:
            return
        for token in self.tracking:  # owner lines after the last response: no response to hold them
            problem.unplaced.append(Line(token.line, token.raw))
            self.body.notes.append(Note(token.line, "RK300", {"text": token.raw}))
        self.tracking = []
        assert self.category is not None
        self.category.problems.append(problem)
        self.problem = None
        self.response = None
        self.list_next = None


def inline_points(
    text: str, marker: re.Pattern[str], *, start: bool, after: int = 0
) -> tuple[str | None, list[tuple[int, str]]]:
    """Points written inside one line: (the text before the first, [(number, text)]).

    Markers count only in rising order (一是…三是… is two points; a 一是 after 二是 is text),
    and in a title line the first must be 一 (or (1)).
    """
    found: list[tuple[int, int, int]] = []
    last = after
    for match in marker.finditer(text):
        value = match.group(1)
        number = int(value) if value.isdigit() else cn_value(value)
        if number is None or number <= last or (start and not found and number != 1):
            continue
        if match.start() == 0 and not start:
            continue
        found.append((match.start(), match.end(), number))
        last = number
    if not found:
        return (text.strip() or None), []
    lead = text[: found[0][0]].strip() or None
    segments = []
    for i, (_, end, number) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        segments.append((number, text[end:stop].strip()))
    return lead, segments


def track_fields(text: str) -> dict[str, str]:
    """责任单位：局办公室 整改时限：2024年6月30日 → {department: 局办公室, deadline: 2024年6月30日}."""
    names = {label: name for name, labels in TRACK_FIELDS.items() for label in labels.split("|")}
    matches = list(TRACK_RE.finditer(text))
    out: dict[str, str] = {}
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[match.end() : stop].strip().strip("，,；;。").strip()
        if value:
            out[names[match.group(1)]] = value
    return out
