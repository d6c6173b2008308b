"""Diagnostics out: text, json, github annotations, SARIF; and the exit codes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from itertools import groupby
from pathlib import PurePath
from urllib.parse import quote

from rectifykit import __version__
from rectifykit.diagnostics import CODES, Diagnostic, Severity
from rectifykit.i18n import N_, _, ngettext

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130

FORMATS = ("text", "json", "github", "sarif")
SEVERITY_WORDS = {Severity.error: N_("error"), Severity.warning: N_("warning")}
HINT = N_("hint: {hint}")


_MD_ESCAPES = str.maketrans({
    "\\": "\\\\", "|": "\\|", "*": "\\*", "_": "\\_", "`": "\\`",
    "&": "&amp;", "<": "&lt;", ">": "&gt;",
})


def md_cell(text: str) -> str:
    """Text safe inside a markdown table cell or list item: one line, no HTML, pipes and markup escaped.

    GitHub and GitLab render raw HTML in comments and job summaries, so ``<script>`` or
    ``<img onerror=…>`` in a record must arrive as text.
    """
    return " ".join(text.split()).translate(_MD_ESCAPES)


def md_code(text: str) -> str:
    """Text inside a markdown code span: one line, no backtick that could close the span."""
    return "`" + " ".join(text.split()).replace("`", "\u2018") + "`"


def sarif_uri(path: str) -> str:
    """A file's path as a SARIF ``artifactLocation.uri``: a relative URI reference, percent-encoded (RFC 3986)."""
    return quote(PurePath(path).as_posix(), safe="/")


def summary(diags: Sequence[Diagnostic], files: int) -> dict[str, int]:
    errors = sum(1 for d in diags if d.severity == Severity.error)
    return {"files": files, "errors": errors, "warnings": len(diags) - errors}


def failed(diags: Sequence[Diagnostic], *, strict: bool) -> bool:
    """Errors fail; with ``strict`` warnings fail too."""
    return any(d.severity == Severity.error or strict for d in diags)


def text_lines(diags: Sequence[Diagnostic], files: int) -> list[str]:
    """Grouped by file: ``path:line:col: code severity message`` and the hint below."""
    lines: list[str] = []
    for path, group in groupby(sorted(diags), key=lambda d: d.path):
        lines.append(path)
        for d in group:
            lines.append(f"{d.path}:{d.line}:{d.column}: {d.code} {_(SEVERITY_WORDS[d.severity])}: {d.message}")
            if d.hint:
                lines.append("    " + _(HINT).format(hint=d.hint))
        lines.append("")
    lines.append(summary_line(diags, files))
    return lines


def summary_line(diags: Sequence[Diagnostic], files: int) -> str:
    s = summary(diags, files)
    checked = ngettext("{n} file checked", "{n} files checked", files).format(n=files)
    if not diags:
        return _("{checked}: all valid").format(checked=checked)
    errors = ngettext("{n} error", "{n} errors", s["errors"]).format(n=s["errors"])
    warnings = ngettext("{n} warning", "{n} warnings", s["warnings"]).format(n=s["warnings"])
    return _("{checked}: {errors}, {warnings}").format(checked=checked, errors=errors, warnings=warnings)


def to_json(diags: Sequence[Diagnostic], files: int) -> str:
    payload = {
        "version": 1,
        "diagnostics": [d.as_dict() for d in sorted(diags)],
        "summary": summary(diags, files),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_lines(diags: Sequence[Diagnostic], files: int) -> list[str]:
    """GitHub workflow commands (escaped), then the human lines."""
    out = []
    for d in sorted(diags):
        kind = "error" if d.severity == Severity.error else "warning"
        props = (
            f"file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"title={_escape_property(d.code)}"
        )
        out.append(f"::{kind} {props}::{_escape_data(d.message)}")
    return out + text_lines(diags, files)


def to_sarif(diags: Sequence[Diagnostic]) -> str:
    """SARIF 2.1.0, one run, the rules that occur."""
    used = sorted({d.code for d in diags})
    rules = [
        {
            "id": code,
            "shortDescription": {"text": _(CODES[code].template)},
            "help": {"text": _(CODES[code].hint)},
            "defaultConfiguration": {"level": "error" if CODES[code].severity == Severity.error else "warning"},
        }
        for code in used
    ]
    results = [
        {
            "ruleId": d.code,
            "ruleIndex": used.index(d.code),
            "level": "error" if d.severity == Severity.error else "warning",
            "message": {"text": d.message + (f" ({d.hint})" if d.hint else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": sarif_uri(d.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": d.line, "startColumn": d.column},
                    }
                }
            ],
        }
        for d in sorted(diags)
    ]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "rectifykit",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
