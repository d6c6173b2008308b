"""Record text made inert in markdown: what the md notice prints of each value (the template's finalizer)."""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

_MD_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)(?:"
    r"(?P<mark>[#>])"  # heading, block quote
    r"|(?P<bullet>[-+*])(?=[ \t]|$)"  # bullet
    r"|\d+(?P<ordinal>[.)])(?=[ \t]|$)"  # ordered list
    r"|(?P<fence>`{3,}|~{3,})"  # code fence
    r"|(?P<rule>[-*_=])(?=(?:[ \t]*[-*_=])*[ \t]*$)"  # rule or setext underline
    r")"
)


def _escape_md_line(line: str) -> str:
    match = _MD_BLOCK.match(line)
    if match is None:
        return line
    at = match.start("ordinal") if match.group("ordinal") else match.end("indent")
    return line[:at] + "\\" + line[at:]


_MD_START = frozenset(" \t#>-+*`~_=")
"""The characters, besides digits, that a line matching ``_MD_BLOCK`` can start with."""


def escape_md(text: str) -> str:
    """Record text made inert in markdown: it stays text in one paragraph, whatever it holds."""
    if "\n" not in text and "\r" not in text and "\\" not in text and "<" not in text and text.strip():
        # the usual case: one line, nothing to double; most lines cannot start a block at all
        first = text[0]
        return _escape_md_line(text) if first in _MD_START or first.isdecimal() else text
    text = text.replace("\\", "\\\\").replace("<", "\\<")
    lines = [line for line in text.splitlines() if line.strip()]
    return "\n".join(_escape_md_line(line) for line in lines)


def finalize_md(value: Any) -> Any:
    """What the md notice prints of a value: None as nothing, markup as it is, anything else escaped."""
    if type(value) is str:  # the usual case (a notice of 10,000 problems prints ~240,000 values)
        return escape_md(value)
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return escape_md(str(value))
