"""What every edit shares: the :class:`Edit` value, :class:`EditError`, the round-trip tree of a record's text
(refusing what cannot be edited safely) and the check of edited texts with the project's rules.

Nothing here reads or writes a file: texts come in, an :class:`Edit` goes out.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rectifykit import check, diagnostics, yamlio
from rectifykit.diagnostics import Diagnostic, Refusal, Severity
from rectifykit.i18n import _
from rectifykit.load import locate
from rectifykit.load.project import INSPECTION
from rectifykit.load.records import Loaded, parse_bytes
from rectifykit.model.records import Finding, Inspection
from rectifykit.yamlio import YamlProblem

UNSAFE_CODES = frozenset({"RK030", "RK031", "RK107", "RK108"})
"""Values a record cannot hold (numbers and dates out of range, impossible dates): a file holding one is not
edited, since the round trip would read it otherwise than ``validate`` does. Other problems of a record do not
stop an edit (a draft is edited to complete it)."""


class EditError(Refusal):
    """An edit cannot be made: the file is not a record, the item does not exist, a value is wrong.

    ``diagnostics`` holds the problems with the file when there are any; ``retry`` is True when the edit
    was not written because another command or program was editing the record (running again helps).
    Exit 1 for a record's problems or a retry, 2 for bad usage.
    """

    def __init__(self, message: str, diags: Sequence[Diagnostic] = (), *, retry: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diags)
        self.retry = retry
        self.exit_code = 1 if self.diagnostics or retry else 2


@dataclass(frozen=True)
class Edit:
    """A file's text before and after an edit, and the diagnostics of the edited text; nothing is written.

    ``refused`` holds the errors that forbid writing it: those an edit brings into a record that had none
    (an edit never makes a valid record invalid). A record that had errors already (a draft) may be edited
    on: its diagnostics are reported, not refused.
    """

    before: str
    after: str
    display: str = "<text>"
    diagnostics: list[Diagnostic] = field(default_factory=list)
    refused: list[Diagnostic] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The new text."""
        return self.after

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == Severity.error]

    def diff(self) -> str:
        """A unified diff of the edit (empty when nothing changes)."""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
            fromfile=f"a/{self.display}", tofile=f"b/{self.display}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _fail(diag: Diagnostic) -> EditError:
    return EditError(diag.message, [diag])


def tree(text: str, display: str) -> Any:
    """The round-trip tree of a record's text (a byte order mark dropped); EditError with the diagnostic when the
    YAML is broken, is not a mapping, or holds a value out of range (:data:`UNSAFE_CODES`)."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _fail(diagnostics.make("RK004", display, 1, 1))
    located = yamlio.compose(text, "ruamel")
    if isinstance(located, YamlProblem):
        raise _fail(diagnostics.make(located.code, display, located.line, located.column, **located.args))
    if not isinstance(located.data, dict):
        raise _fail(diagnostics.make("RK012", display, 1, 1, found=type(located.data).__name__))
    if unsafe := _out_of_range(located, display):
        raise EditError(unsafe[0].message, unsafe)
    try:
        return yamlio.rt_load(text)
    except ValueError:  # a plain scalar the round trip reads as a date no calendar has (2024-02-30)
        problem = yamlio.impossible_date(text)
        if problem is None:
            raise
        raise _fail(diagnostics.make(problem.code, display, problem.line, problem.column, **problem.args)) from None


def _out_of_range(located: yamlio.Located, display: str) -> list[Diagnostic]:
    """The numbers and dates of a record's text outside what the genre holds (data/FORMAT.md)."""
    model = Inspection if Path(display).name == INSPECTION.name else Finding
    try:
        model.model_validate(located.data)
    except ValidationError as exc:
        return [d for d in locate.diagnose(exc, located, model, display) if d.code in UNSAFE_CODES]
    return []


def canonical(text: str) -> str:
    """LF line ends, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def dump(rt_tree: Any) -> str:
    """A round-trip tree as canonical text."""
    return canonical(yamlio.rt_dump(rt_tree))


@dataclass(frozen=True)
class Context:
    """The rest of the project an edited record is checked with (:func:`rectifykit.check.records`).

    Without a project (the default) a record is checked alone; ``root`` is where evidence files are looked for.
    """

    inspection: Loaded[Inspection] | None = None
    findings: Sequence[Loaded[Finding]] = ()
    root: Path = Path(".")
    strict: bool = False


def check_texts(texts: Mapping[str, str], *, today: dt.date, context: Context | None = None) -> list[Diagnostic]:
    """The diagnostics of the finding files ``texts`` (display path → text), checked in memory as ``validate``
    checks them: every rule set of :func:`rectifykit.check.records`, with the project's other records in
    place, as of ``today``. Only the diagnostics of these files are returned, sorted."""
    context = context or Context()
    findings: list[Loaded[Finding]] = [f for f in context.findings if f.path not in texts]
    out: list[Diagnostic] = []
    for display, text in texts.items():
        loaded = parse_bytes(text.encode("utf-8"), display, Finding, parser="ruamel")
        if isinstance(loaded, Loaded):
            findings.append(loaded)
        else:
            out += loaded
    findings.sort(key=lambda f: f.path)
    out += check.records(context.inspection, findings, root=context.root, today=today, strict=context.strict)
    return sorted(d for d in out if d.path in texts)


def errors(found: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.severity == Severity.error]


def refusals(before: Sequence[Diagnostic], after: Sequence[Diagnostic]) -> list[Diagnostic]:
    """The errors that forbid writing an edit: those of the edited text when the text before had none."""
    return [] if errors(before) else errors(after)


def invalid_message() -> str:
    return _("not written: the record would be invalid")
