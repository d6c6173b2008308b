"""Diagnostics out: text, json, github annotations, SARIF, Code Climate (GitLab); and the exit codes."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Sequence
from itertools import groupby
from pathlib import PurePath
from urllib.parse import quote

from rectifykit import __version__
from rectifykit.diagnostics import CODES, Diagnostic, Severity
from rectifykit.i18n import N_, _, language, ngettext

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130

FORMATS = ("text", "json", "github", "sarif", "codeclimate")
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


DOCS_PATH = "docs/使用指南.md"
"""The Chinese guide, whose table of diagnostic codes has an anchor per code (``#rk101``)."""

RULE_NAMES = {
    "RK001": "UnreadableFile", "RK002": "NotUtf8", "RK003": "BinaryFile", "RK004": "EmptyFile",
    "RK005": "YamlSyntax", "RK006": "TabIndentation", "RK007": "DuplicateKey", "RK008": "TagNotAllowed",
    "RK009": "AliasBomb", "RK010": "SeveralDocuments", "RK011": "FileTooLarge", "RK012": "TopLevelNotMapping",
    "RK013": "KeyNotText", "RK014": "FolderAsRecord", "RK015": "LinkOutsideProject", "RK016": "InspectionMissing",
    "RK017": "FindingsFolderMissing", "RK018": "FullWidthColon", "RK101": "UnknownField", "RK102": "MissingField",
    "RK103": "WrongType", "RK104": "InvalidDate", "RK105": "InvalidChoice", "RK106": "InvalidValue",
    "RK201": "DuplicateId", "RK202": "DuplicateOrder", "RK203": "UnknownCategory", "RK204": "PointNotCovered",
    "RK205": "PointCoveredTwice", "RK206": "CoversUnknownPoint", "RK207": "DatesOutOfOrder",
    "RK208": "CompletedInFuture", "RK209": "DeadlineBeforeFeedback", "RK210": "CompletedWithoutMeasures",
    "RK211": "CombinedStatusOnePoint", "RK212": "OpenWithoutOwner", "RK213": "OpenWithoutDeadline",
    "RK214": "UnknownPlaceholder", "RK215": "FileNameNotId", "RK216": "DuplicateCategoryKey",
    "RK217": "FindingsSectionCount", "RK218": "CoversWithoutPoints", "RK219": "ResponsesWithoutCovers",
    "RK220": "DuplicateCategoryOrder", "RK230": "PartPointMismatch", "RK231": "PartStateNotInStatus",
    "RK232": "CombinedWithoutParts", "RK233": "PointInNoPart", "RK240": "EvidenceOutsideProject",
    "RK241": "EvidenceMissing", "RK242": "CompletedWithoutEvidence", "RK243": "CompletedWithoutReviewer",
    "RK244": "ReviewerInCharge", "RK245": "MeasureCopied", "RK246": "PlaceholderTextLeft",
    "RK247": "OpenWithoutOwnerOrDeadline", "RK248": "CompletionBackdated", "RK300": "ImportUnplaced",
    "RK301": "ImportPageChrome", "RK302": "ImportUnknownStatusWording", "RK303": "ImportStatusWithoutState",
    "RK304": "ImportNoStatus", "RK305": "ImportPartMissing", "RK306": "ImportTypedNumber",
    "RK307": "ImportTitleAdded", "RK308": "ImportSectionMerged", "RK309": "ImportNumbering",
    "RK310": "ImportFeedbackYear", "RK311": "ImportPublicationDate", "RK312": "ImportStatusNotClosed",
    "RK313": "ImportSecondStatus", "RK314": "ImportNoHeader", "RK315": "ImportStatusIntroduction",
}
"""SARIF ``rules[].name``: a stable identifier per code (English in every language, as SARIF wants)."""


def static_text(text: str) -> str:
    """A message template with its fields (``{field!r}``, ``{date}``) shown as 〈field〉: the program fills them in."""
    return re.sub(r"\{(\w+)(?:![rsa])?(?::[^}]*)?\}", r"〈\1〉", text)


def documentation() -> str:
    """Where the guide is: the package's ``Documentation`` URL (``project.urls``), else its path in the source."""
    from importlib import metadata

    try:
        for entry in metadata.metadata("rectifykit").get_all("Project-URL") or []:
            label, _sep, url = entry.partition(",")
            if label.strip().lower() == "documentation" and url.strip():
                return url.strip()
    except metadata.PackageNotFoundError:
        pass
    return DOCS_PATH


def help_uri(code: str, docs: str = DOCS_PATH) -> str:
    """The code's entry in the guide's table of codes (``docs`` may be an absolute URL of the guide)."""
    return f"{quote(docs, safe=':/')}#{code.lower()}"


def changed_first(diags: Sequence[Diagnostic], changed: Collection[str] = ()) -> list[Diagnostic]:
    """Sorted, the diagnostics in ``changed`` files first: the ones a reviewer of a change should see
    (GitHub shows only the first annotations of a step)."""
    wanted = {PurePath(p).as_posix() for p in changed}
    return sorted(diags, key=lambda d: (PurePath(d.path).as_posix() not in wanted, d))


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


def github_lines(diags: Sequence[Diagnostic], files: int, *, changed: Collection[str] = ()) -> list[str]:
    """GitHub workflow commands (escaped; those in ``changed`` files first), then the human lines."""
    out = []
    for d in changed_first(diags, changed):
        kind = "error" if d.severity == Severity.error else "warning"
        props = (
            f"file={_escape_property(d.path)},line={d.line},col={d.column},"
            f"title={_escape_property(d.code)}"
        )
        out.append(f"::{kind} {props}::{_escape_data(d.message)}")
    return out + text_lines(diags, files)


def sarif_rule(code: str, *, docs: str = DOCS_PATH) -> dict[str, object]:
    """A SARIF ``reportingDescriptor``: static descriptions in the active language, the hint as help."""
    spec = CODES[code]
    short = static_text(_(spec.template))
    hint = static_text(_(spec.hint))
    return {
        "id": code,
        "name": RULE_NAMES.get(code, code),
        "shortDescription": {"text": short},
        "fullDescription": {"text": f"{short}{'。' if language() == 'zh' else '. '}{hint}"},
        "help": {"text": hint},
        "helpUri": help_uri(code, docs),
        "defaultConfiguration": {"level": "error" if spec.severity == Severity.error else "warning"},
    }


def to_sarif(diags: Sequence[Diagnostic], *, changed: Collection[str] = (), docs: str = DOCS_PATH) -> str:
    """SARIF 2.1.0, one run, the rules that occur; results in ``changed`` files first."""
    used = sorted({d.code for d in diags})
    rules = [sarif_rule(code, docs=docs) for code in used]
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
        for d in changed_first(diags, changed)
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


CODECLIMATE_SEVERITY = {Severity.error: "major", Severity.warning: "minor"}
"""GitLab's Code Quality levels (info, minor, major, critical, blocker) of our two severities."""


def to_codeclimate(diags: Sequence[Diagnostic], *, changed: Collection[str] = ()) -> str:
    """Code Climate issues as GitLab's Code Quality report reads them (``artifacts:reports:codequality``).

    The fingerprint hashes code, file and message (and the occurrence of that triple), not the line:
    a problem keeps its fingerprint when lines above it are added, so the merge-request widget does not
    show it as fixed and new again.
    """
    seen: dict[tuple[str, str, str], int] = {}
    issues = []
    for d in changed_first(diags, changed):
        key = (d.code, PurePath(d.path).as_posix(), d.message)
        seen[key] = seen.get(key, 0) + 1
        digest = hashlib.sha256("\x1f".join((*key, str(seen[key]))).encode("utf-8")).hexdigest()
        issues.append({
            "type": "issue",
            "check_name": d.code,
            "description": f"{d.code} {d.message}" + (f" ({d.hint})" if d.hint else ""),
            "categories": ["Bug Risk"],
            "severity": CODECLIMATE_SEVERITY[d.severity],
            "fingerprint": digest,
            "location": {"path": key[1], "lines": {"begin": d.line}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2)
