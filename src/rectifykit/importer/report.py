"""The import report: a summary, what is missing, what to check, unplaced text and page chrome, with line numbers.

The same content as terminal lines (``lines``), as markdown (``markdown``,
for ``--report FILE.md``) and as JSON (``to_json``, for ``--report
FILE.json``; version 1, fields are only ever added).
"""

from __future__ import annotations

import json
from pathlib import Path

from rectifykit.diagnostics import Diagnostic
from rectifykit.i18n import _
from rectifykit.importer import ImportResult
from rectifykit.importer.writing import Written
from rectifykit.reports.diagnostics import SEVERITY_WORDS

MISSING = ("RK304", "RK305", "RK314", "RK320")
UNPLACED = ("RK300", "RK313")
CHROME = ("RK301",)


def summary(result: ImportResult, into: Path) -> str:
    return _("{notice} → {into}: {problems} problems in {categories} categories, {responses} responses").format(
        notice=result.source, into=into, problems=result.problems, categories=result.categories,
        responses=result.responses,
    )


def _line(d: Diagnostic) -> str:
    severity = _(SEVERITY_WORDS[d.severity])
    return f"{d.path}:{d.line}: {d.code} {severity}: {d.message}"


def lines(result: ImportResult, into: Path, written: Written) -> list[str]:
    """For the terminal: every diagnostic at its line, then the summary and the next step."""
    out = [_line(d) for d in result.diagnostics]
    if out:
        out.append("")
    out.append(summary(result, into))
    out.append(_("{n} files written under {into}/data").format(n=len(written.written), into=into))
    if written.removed:
        out.append(_("removed (not in this notice): {files}").format(files=", ".join(written.removed)))
    out.append(_("next: rectify validate --root {into}").format(into=into))
    return out


def markdown(result: ImportResult, into: Path, written: Written) -> str:
    """The report as a markdown document."""

    def section(title: str, found: list[Diagnostic], *, hint: bool = False) -> list[str]:
        if not found:
            return []
        body = [f"## {title}", ""]
        for d in found:
            where = _("line {line}").format(line=d.line)
            body.append(f"- {where}: {d.code} {d.message}" + (f" — {d.hint}" if hint and d.hint else ""))
        return [*body, ""]

    groups = set(MISSING + UNPLACED + CHROME)
    title = _("Import report: {source}").format(source=result.source)
    out = [f"# {title}", "", summary(result, into), ""]
    out += section(_("Missing from the notice"), result.coded(*MISSING))
    out += section(_("To check"), [d for d in result.diagnostics if d.code not in groups], hint=True)
    out += section(_("Kept under 'unplaced' (not placed)"), result.coded(*UNPLACED))
    out += section(_("Page chrome left out"), result.coded(*CHROME))
    out += ["## " + _("Files written"), "", *(f"- {path}" for path in written.written), ""]
    if written.removed:
        out += ["## " + _("Files removed"), "", *(f"- {path}" for path in written.removed), ""]
    return "\n".join(out)


def to_json(result: ImportResult, into: Path, written: Written) -> str:
    """The report as JSON: version, notice, folder, counts, files, diagnostics."""
    payload = {
        "version": 1,
        "notice": result.source,
        "into": str(into),
        "problems": result.problems,
        "categories": result.categories,
        "responses": result.responses,
        "written": written.written,
        "removed": written.removed,
        "missing": [d.as_dict() for d in result.coded(*MISSING)],
        "unplaced": [d.as_dict() for d in result.coded(*UNPLACED)],
        "chrome": [d.as_dict() for d in result.coded(*CHROME)],
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def render(result: ImportResult, into: Path, written: Written, *, path: Path) -> str:
    """The report in the format the file name asks for (.json, else markdown)."""
    if path.suffix.lower() == ".json":
        return to_json(result, into, written)
    return markdown(result, into, written)
