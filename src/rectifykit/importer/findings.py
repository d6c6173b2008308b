"""The part of a notice that lists the problems: categories, problems, points and responses.

Levels are read from the notice itself: problems are the 1. level (else the
（一） level), categories the level above, points the first level met between
a problem and its first response (一是 or （1）). A point-numbered line after a
response opens a new point only when a status follows before the next point
(or, at the very end of a truncated notice, when it is the next number);
otherwise it continues the measures. A 1. after a response is a line of the
measures: numbering restarts only after a category heading.
"""

from __future__ import annotations

from rectifykit.importer import wording
from rectifykit.importer.drafts import (
    GENERATED_CATEGORY,
    Body,
    Category,
    Paragraph,
    Point,
    Problem,
    Response,
    Section,
)
from rectifykit.importer.notes import Note
from rectifykit.importer.reading import Line
from rectifykit.importer.text import first_sentence, joined
from rectifykit.importer.tokens import (
    INLINE_POINT,
    MEASURES_INLINE,
    Token,
    inline_points,
    split_label,
    track_fields,
)

PRINTED_STATUS_LABEL = "整改情况"
"""The word the templates print before every status."""


class Findings:
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
        self.label_next: Response | None = None
        self.point_list = False
        """The response's measures number their own lines like points (一是… after 整改情况：)."""
        self.expect_category = 1 + len(self.categories) if fixed is None else 1
        self.expect_titled = 1

    def run(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        kinds = [t.kind for t in tokens]
        self.problem_kind = problem_kind(kinds)
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
        if kind != "TEXT":
            self.label_next = None
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
        text, label = split_label(text, line)
        problem.title, rest = first_sentence(text)
        if rest is not None:
            kind = self.point_kind if self.point_kind in INLINE_POINT else "POINT"
            lead, segments = inline_points(rest, INLINE_POINT[kind], start=True)
            problem.description = lead
            if segments:
                problem.inline_first = True
                for number, segment in segments:
                    self.add_point(number, segment, line)
        if label is not None:
            self.step(label)

    def add_points(self, text: str, line: int, *, first: int | None) -> None:
        """A point line: its own point, and the further points written in the same line."""
        assert self.problem is not None and first is not None
        if self.response is not None:
            self.response = None
        text, label = split_label(text, line)
        kind = self.point_kind if self.point_kind in INLINE_POINT else "POINT"
        lead, segments = inline_points(text, INLINE_POINT[kind], start=False, after=first)
        self.add_point(first, lead or "", line)
        for number, segment in segments:
            self.add_point(number, segment, line)
        if label is not None:
            self.step(label)

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
        if not text:
            self.label_next = response  # 整改情况： alone on its line: the wording may follow on the next
        elif wording.looks_like_status(text):
            response.label, response.label_line = text, token.line
        elif lead := wording.leading_status(text):
            response.label, response.label_line = lead[0], token.line
            response.measures.append(lead[1])
        elif token.label == PRINTED_STATUS_LABEL:
            # 整改情况：<measures>: the templates print 整改情况：<status> themselves; as the measures' label too
            # it would print twice. The measures keep no label of their own (RK321).
            self.body.notes.append(Note(token.line, "RK321", {"label": token.label}))
            response.measures.append(text)
        else:
            response.measures_label = response.measures_label or token.label
            response.measures.append(text)
        if response.label_line == token.line and token.label != PRINTED_STATUS_LABEL:
            # The templates print 整改情况: the notice's own word is kept in 'notes' and reported once.
            response.tracking_lines.append(token.raw)
            if token.label not in self.body.status_words:
                self.body.status_words.add(token.label or "")
                self.body.notes.append(Note(token.line, "RK315", {"label": token.label}))
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
        if (self.response is None or self.pending) and (lead := wording.status_line(token.raw)):
            # 已完成。修订制度。 with no 整改情况： before it: a status all the same (known wording only)
            response = self.new_response(token.line)
            response.label, response.label_line = lead[0], token.line
            if lead[1]:
                response.measures.append(lead[1])
            if "" not in self.body.status_words:
                self.body.status_words.add("")
                self.body.notes.append(Note(token.line, "RK322", {"label": lead[0]}))
            return
        awaiting, self.label_next = self.label_next, None
        if awaiting is self.response and awaiting is not None and awaiting.label is None \
                and not awaiting.measures and wording.looks_like_status(token.raw):
            awaiting.label, awaiting.label_line = token.raw, token.line
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


def problem_kind(kinds: list[str]) -> str | None:
    """The numbering of problems: 1. when it comes before the first response (else it numbers measures),
    then （一）, then （1）."""
    first = next((i for i, kind in enumerate(kinds) if kind in ("STATUS", "MEASURES")), len(kinds))
    for scope in (kinds[:first], kinds):
        for kind in ("NUM", "CAT", "PNUM"):
            if kind in scope:
                return kind
    return None
