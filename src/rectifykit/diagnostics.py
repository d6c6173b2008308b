"""One Diagnostic type and the registry of stable diagnostic codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from rectifykit.i18n import N_, _


class Refusal(Exception):
    """What a user can fix, said in one message: raised by the core, printed by the CLI with ``exit_code``.

    Every stage raises a subclass (never a CLI exception), so one ``except`` in the CLI handles them all.
    """

    exit_code = 2


class UsageError(Refusal):
    """Bad usage or environment: a missing project, file, template or extra, a bad option value (exit 2)."""

    exit_code = 2


class InvalidInput(Refusal):
    """Input that is not what it claims to be: a document that is not a notice, a broken workbook (exit 1)."""

    exit_code = 1


class MissingExtra(UsageError):
    """An optional package is not installed; the message says how to install it (exit 2)."""

    def __init__(self, package: str, extra: str = "office") -> None:
        super().__init__(package, extra)
        self.package, self.extra = package, extra

    def __str__(self) -> str:
        return _("{package} is not installed; install it with: pip install 'rectifykit[{extra}]'").format(
            package=self.package, extra=self.extra
        )


class Severity(StrEnum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True)
class Code:
    """A stable diagnostic code: never renumbered, never reused."""

    code: str
    severity: Severity
    template: str
    """English message with ``{name}`` fields; translated at use."""
    hint: str = ""
    """How to fix it, in one sentence; translated at use."""


E, W = Severity.error, Severity.warning

_CODES = [
    # RK0xx: the file itself and its YAML
    Code("RK001", E, N_("cannot read the file: {reason}"),
         N_("check that the file exists and that you may read it")),
    Code("RK002", E, N_("the file is not UTF-8 text; it looks like {encoding}"),
         N_("save it as UTF-8, e.g. iconv -f {encoding} -t UTF-8 FILE > FILE.new")),
    Code("RK003", E, N_("the file is not text (binary data at byte {offset})"),
         N_("a record must be a YAML text file; restore it from git")),
    Code("RK004", E, N_("the file is empty"),
         N_("write the record, or delete the file")),
    Code("RK005", E, N_("YAML syntax error: {problem}"),
         N_("check the indentation and quoting at this place")),
    Code("RK006", E, N_("a tab character is used for indentation"),
         N_("YAML indents with spaces only; replace the tab with spaces")),
    Code("RK007", E, N_("duplicate key {key!r} (first at line {first_line})"),
         N_("a key may appear once in a mapping; merge or delete one of them")),
    Code("RK008", E, N_("the tag {tag!r} is not allowed in records"),
         N_("remove the tag: records hold only plain text, numbers, dates, lists and mappings")),
    Code("RK009", E, N_("aliases expand to more than {limit} values"),
         N_("write the values out instead of using anchors and aliases")),
    Code("RK010", E, N_("the file holds more than one YAML document"),
         N_("keep one record per file; remove the '---' separator and what follows, or split the file")),
    Code("RK011", E, N_("the file is too large ({size} bytes; the limit is {limit})"),
         N_("a record is a few kilobytes; split the file or remove what does not belong")),
    Code("RK012", E, N_("the top level must be a mapping of keys, found {found}"),
         N_("start the file with 'key: value' lines")),
    Code("RK013", E, N_("a key must be plain text, found {found}"),
         N_("write the key as a simple word")),
    Code("RK014", E, N_("this is a folder, not a record file"),
         N_("move the folder out of data/findings or rename it")),
    Code("RK015", E, N_("the link points outside the project: {target}"),
         N_("copy the record into the project instead of linking to it")),
    Code("RK016", E, N_("the inspection record data/inspection.yaml is missing"),
         N_("create data/inspection.yaml (see the user guide)")),
    Code("RK017", E, N_("the folder data/findings is missing"),
         N_("create it and keep one YAML file per feedback problem in it")),
    Code("RK018", E, N_("a full-width colon '：' follows the key {key!r}"),
         N_("YAML needs an ASCII colon and a space after a key: write '{key}: '")),
    # RK020–RK029: links and files that are not records (rectifykit.load, the writers, git history)
    Code("RK019", E, N_("a text holds a control character ({char}), written as an escape"),
         N_("remove the escape from the quoted text: records hold printable text only")),
    Code("RK020", E, N_("this folder is a link to a place outside the project: {target}"),
         N_("keep the records inside the project: replace the link with the folder itself")),
    Code("RK021", W, N_("data/findings holds no record files"),
         N_("add one YAML file per feedback problem (rectify new), or check that their names end in .yaml")),
    Code("RK022", E, N_("there are no records in data/findings: the notice would list no problems"),
         N_("add the records first; rectify validate shows what it reads")),
    Code("RK023", W, N_("this file is not read: a record file's name ends in .yaml"),
         N_("rename it to NAME.yaml if it is a record, else move it out of data/findings "
            "(hidden files and README files are ignored)")),
    Code("RK024", W, N_("this folder is not read: records are read from data/findings itself, not from folders in it"),
         N_("move its records up into data/findings, or move the folder out (hidden folders are ignored)")),
    Code("RK025", E, N_("this file is a symbolic link (to {target}); rectify does not edit through links"),
         N_("edit the file it points to, or replace the link with that file")),
    Code("RK026", E, N_("a symbolic link in git at {rev}; links are never followed in the history"),
         N_("commit the record file or folder itself instead of a link to it")),
    Code("RK030", E, N_("a number of {digits} digits; numbers in records have at most {limit}"),
         N_("an order or point number is small; write a long code or number in quotes, as text")),
    Code("RK031", E, N_("{value!r} reads as a date, but there is no such day in the calendar"),
         N_("correct the date (YYYY-MM-DD); if it is meant as text, put it in quotes")),
    # RK1xx: fields and values
    Code("RK101", E, N_("unknown field {field!r}{suggestion}"),
         N_("check the spelling; allowed here: {allowed}")),
    Code("RK102", E, N_("required field {field!r} is missing"),
         N_("add '{field}:' here")),
    Code("RK103", E, N_("wrong type for {field!r}: expected {expected}, found {found}"),
         N_("write {expected} here")),
    Code("RK104", E, N_("invalid date {value!r} for {field!r}: {reason}"),
         N_("write the date as YYYY-MM-DD, e.g. 2024-07-11")),
    Code("RK105", E, N_("invalid value {value!r} for {field!r}; allowed: {allowed}"),
         N_("use one of the allowed values")),
    Code("RK106", E, N_("invalid value for {field!r}: {reason}"),
         N_("correct the value")),
    Code("RK107", E, N_("{value} is out of range for {field!r}: from {low} to {high}"),
         N_("numbers in records count from 1; a larger one is a typing slip")),
    Code("RK108", E, N_("the date {value} for {field!r} lies outside the years {low}–{high}"),
         N_("check the year; the records of an inspection are dated from 1949 to 2100")),
    # RK2xx: rules across records
    Code("RK201", E, N_("the id {id!r} is also used by {other}"),
         N_("every problem needs its own id; rename one of them")),
    Code("RK202", E, N_("order {order} in category {category!r} is also used by {other}"),
         N_("give each problem of a category its own order number")),
    Code("RK203", E, N_("unknown category {category!r}; known: {known}"),
         N_("use a key from the categories in data/inspection.yaml")),
    Code("RK204", E, N_("point {point} is not covered by any response"),
         N_("add it to a response's 'covers', or add a response for it")),
    Code("RK205", E, N_("point {point} is covered by more than one response"),
         N_("each point belongs to exactly one response")),
    Code("RK206", E, N_("response covers point {point}, but the problem has {count} points"),
         N_("point numbers start at 1 and follow the order of 'points'")),
    Code("RK207", E, N_("dates out of order: {first} ({first_date}) must not be after {second} ({second_date})"),
         N_("correct one of the two dates")),
    Code("RK208", E, N_("completed date {date} lies in the future (today is {today})"),
         N_("record a completion only when it has happened")),
    Code("RK209", E, N_("deadline {date} is before the feedback date {feedback}"),
         N_("a deadline follows the feedback; correct the date")),
    Code("RK210", E, N_("a completed response has no measures"),
         N_("describe what was done under 'measures'")),
    Code("RK211", E, N_("a combined status needs a response that covers several points"),
         N_("use one state, or let the response cover the points it speaks for")),
    Code("RK212", W, N_("open item without an owner (leader, department or person)"),
         N_("name who is responsible")),
    Code("RK213", W, N_("open item without a deadline"),
         N_("set 'deadline: YYYY-MM-DD'")),
    Code("RK214", E, N_("unknown placeholder {placeholder}; known: {known}"),
         N_("use one of the known placeholders, or remove the braces")),
    Code("RK215", W, N_("the file name {name!r} does not match the id {id!r}"),
         N_("rename the file to {id}.yaml")),
    Code("RK216", E, N_("the category key {key!r} is used twice"),
         N_("give each category its own key")),
    Code("RK217", E, N_("{count} sections are marked 'findings: true'; exactly one must be"),
         N_("mark the section that lists the problems with 'findings: true'")),
    Code("RK218", E, N_("'covers' is given, but the problem has no points"),
         N_("remove 'covers', or add 'points' to the problem")),
    Code("RK219", E, N_("a problem with several responses needs 'covers' on each of them"),
         N_("say which points each response answers")),
    Code("RK220", E, N_("the order of categories {order} is used twice"),
         N_("give each category its own order number")),
    Code("RK230", E, N_("part names point {point}, which this response does not cover or another part names"),
         N_("the parts of a response divide its points: each covered point in exactly one part")),
    Code("RK231", E, N_("part state {state!r} is not among the response's states {states}"),
         N_("use one of the states of the response's status")),
    Code("RK232", W, N_("a combined status without parts: which points are in which state is not recorded"),
         N_("add 'parts' saying which points are in which state; until then it counts as {state}")),
    Code("RK233", E, N_("point {point} of the response is in none of its parts"),
         N_("add the point to one of the parts")),
    # RK240–RK279: review rules and quality lints (rectifykit.lints); some only with --strict
    Code("RK240", E, N_("evidence {evidence!r} points outside the project folder"),
         N_("keep evidence files inside the project; write the path relative to it, e.g. evidence/minutes.pdf")),
    Code("RK241", W, N_("evidence file {evidence!r} does not exist"),
         N_("add the file, correct the path, or cite the document number instead")),
    Code("RK242", E, N_("a completed item has no evidence"),
         N_("list the evidence (file paths or document numbers) under 'evidence' (checked by validate --strict)")),
    Code("RK243", E, N_("a completed item has no reviewer"),
         N_("name who reviewed and signed off the completion under 'reviewer' (checked by validate --strict)")),
    Code("RK244", W, N_("the reviewer {reviewer!r} is also the item's {role}"),
         N_("a completion is signed off by someone other than those in charge of the item")),
    Code("RK245", W, N_("measure copied word for word from {other}"),
         N_("describe what was done for this item; if it is the same work, say so briefly instead of repeating it")),
    Code("RK246", W, N_("placeholder text {text!r} is left in the record"),
         N_("replace the placeholder with the real text")),
    Code("RK247", E, N_("open item with neither an owner nor a deadline"),
         N_("every item needs who is responsible and by when (checked by validate --strict)")),
    Code("RK248", W,
         N_("completion recorded {days} days after its completed date {date} (commit {commit} of {recorded})"),
         N_("record a completion when it happens; if the date is right, explain the delay under 'notes'")),
    # RK270–RK279: drafts, the first weeks after the feedback (issue 15)
    Code("RK270", W, N_("no rectification measures yet: the problem has no responses"),
         N_("add a response (status and measures) once the plan is made; rectify render --draft previews the "
            "notice meanwhile")),
    Code("RK271", E, N_("the notice cannot be rendered yet: problem {id!r} has no rectification measures"),
         N_("write its measures (and status) under 'responses', or preview the notice with rectify render --draft")),
    Code("RK272", E, N_("the notice has no publication date"),
         N_("set publication_date in data/inspection.yaml (or pass --as-of); rectify render --draft previews "
            "without it")),
    # RK300–RK315: rectify import (rectifykit.importer); the file is the imported notice
    Code("RK300", W, N_("text kept verbatim under 'unplaced': {text}"),
         N_("the importer could not place it; move it where it belongs in the records, then delete the entry")),
    Code("RK301", W, N_("page chrome left out ({reason}): {text}"),
         N_("menus, page information and footers of a web page are not part of the notice")),
    Code("RK302", W, N_("status wording {label!r} is not in the known vocabulary; read as {state}"),
         N_("check 'states' of this response; the wording itself is kept as the label")),
    Code("RK303", W, N_("status wording {label!r} does not say the state; 'states' is left out"),
         N_("add 'states:' with one of completed, completed_ongoing, deemed_completed, in_progress, not_started")),
    Code("RK304", W, N_("the notice states no status here; 'status' is left out"),
         N_("add 'status:' with 'states' and the 'label' to publish")),
    Code("RK305", W, N_("the notice has no {part}"),
         N_("add it to the records if you have it; rectify validate names what is required")),
    Code("RK306", W, N_("the notice says {typed} for {what}, the records give {counted}: the typed number is kept"),
         N_("numbers that agree with the records become computed placeholders; check this one by hand")),
    Code("RK307", W, N_("the notice prints no {what} here; {title!r} was added because the records need one"),
         N_("edit or keep the added title in data/inspection.yaml")),
    Code("RK308", W, N_("the problems of section {title!r} are listed with those of the first section of problems"),
         N_("the records hold one section of problems; check the order in the rendered notice")),
    Code("RK309", W, N_("the notice numbers this {what} {typed}; the rendered notice numbers it {printed}"),
         N_("numbering is generated from the order of the records; check that nothing is missing")),
    Code("RK310", W, N_("the feedback date has no year; read as {date}, after the inspection period"),
         N_("check feedback_date in data/inspection.yaml")),
    Code("RK311", W, N_("the notice prints no date; the publication date {date} is taken from the page: {text}"),
         N_("check publication_date in data/inspection.yaml")),
    Code("RK312", W, N_("status wording {label!r} does not say whether the item is closed; read as {state}"),
         N_("change 'states' if the item counts as done")),
    Code("RK313", W, N_("a second status line for the same points is kept in the measures: {text}"),
         N_("move it into the status of the response it belongs to")),
    Code("RK314", W, N_("no header sentence (who inspected whom, and when) was found"),
         N_("the inspection's period, feedback date, team and unit are left out; add them to data/inspection.yaml")),
    Code("RK315", W, N_("the notice introduces statuses with {label!r}; the default templates print 整改情况"),
         N_("copy the notice template into templates/ and change the wording if it matters")),
    # RK316–RK329: rectify import, forms of the genre (issue 15)
    Code("RK316", W, N_("the notice is written in Traditional characters; {lines} lines were converted to Simplified "
                        "with OpenCC"),
         N_("check names of people, units and places, which a converter may change; the notice file is unchanged")),
    Code("RK317", W, N_("{text!r} names no day; read as {date}"),
         N_("a start or a feedback date is read as the first day (上旬 1st, 中旬 11th, 下旬 21st), an end as the "
            "last (10th, 20th, the month's end); check the dates in data/inspection.yaml")),
    Code("RK318", W, N_("{text!r} does not print the year; read as {year}, counted from the year of the notice's date"),
         N_("check the dates in data/inspection.yaml; without a dated notice they are left out")),
    Code("RK319", W, N_("editorial mark {text!r} of the copy is left out of the published text"),
         N_("it marks where text was cut; it is kept under 'unplaced'; add the missing text if you have it")),
    Code("RK320", E, N_("no feedback problems were found; looked for numbered problems and labels: {forms}"),
         N_("the text is kept in data/inspection.yaml; if the notice lists its problems in another form, "
            "write them as data/findings/problem-NN.yaml (rectify new) or number them as 1. and import again")),
    Code("RK321", W, N_("{label}： introduces the measures here, not a status; the measures are kept without "
                        "that label, so that the rendered notice does not print it twice"),
         N_("add the status of this response; the notice prints 整改情况：<status>, then the measures under "
            "'measures_label'")),
    Code("RK322", W,
         N_("the notice prints statuses without a label ({label!r}); the default templates print 整改情况："),
         N_("copy the notice template into templates/ and change the wording if it matters")),
]

CODES: dict[str, Code] = {c.code: c for c in _CODES}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in a record, at a 1-based line and column."""

    path: str
    line: int
    column: int
    code: str
    message: str = field(compare=False)
    severity: Severity = field(default=Severity.error, compare=False)
    hint: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def make(code: str, path: str | Path, line: int, column: int, **args: object) -> Diagnostic:
    """Build a diagnostic of a registered code; ``line``/``column`` are 1-based."""
    spec = CODES[code]
    return Diagnostic(
        path=str(path),
        line=max(line, 1),
        column=max(column, 1),
        code=code,
        message=_(spec.template).format(**args),
        severity=spec.severity,
        hint=_(spec.hint).format(**args) if spec.hint else "",
    )
