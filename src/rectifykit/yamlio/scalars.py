"""Plain scalars resolved by the YAML 1.2 core schema (``yes`` stays text, ``010`` is ten), and explicit tags."""

from __future__ import annotations

import math
import re
from typing import Any

PLAIN = "tag:rectifykit.plain"
"""Tag given to untagged plain scalars, resolved by YAML 1.2 rules below."""
STD = "tag:yaml.org,2002:"
ALLOWED_TAGS = {STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
"""Control characters not allowed in a record (tab, line feed and carriage return are fine).

NEL and the Unicode line and paragraph separators are refused too: YAML 1.1 and
1.2 disagree on whether they end a line, so they would shift line numbers. So is
a byte order mark after the start of the text (one at the start is dropped when
the file is read): libyaml skips it, ruamel.yaml reads it as part of a key or value."""
MAX_VALUES = 100_000
"""More values than this after alias expansion is an alias bomb, not a record."""
MAX_DEPTH = 100
"""Deeper nesting than this is not a record (a record needs six levels); libyaml stops at 1000."""


MAX_INT_DIGITS = 18
"""Digits a number in a record may have: more is no number a record holds (and past 4,300 Python refuses it)."""


class NumberTooLong(ValueError):
    """A plain integer with more than :data:`MAX_INT_DIGITS` digits."""

    def __init__(self, digits: int) -> None:
        super().__init__(f"{digits} digits")
        self.digits = digits


# --- YAML 1.2 core schema for plain scalars ---------------------------------

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_SPECIAL_FIRST = frozenset("~nNtTfF-+.0123456789")
"""The first characters a null, boolean or number can start with."""


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if value and value[0] not in _SPECIAL_FIRST:  # most values are text: no pattern can match
        return value
    if value[:1].isdigit() and "-" in value and "e" not in value and "E" not in value:
        return value  # a date (2024-03-01): a number that starts with a digit has a "-" only in its exponent
    return _by_patterns(value)


def _by_patterns(value: str) -> Any:
    """:func:`resolve_plain` by the schema's patterns alone."""
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value) or _OCT.match(value) or _HEX.match(value):
        digits = len(value.lstrip("+-").removeprefix("0o").removeprefix("0x"))
        if digits > MAX_INT_DIGITS:
            raise NumberTooLong(digits)
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


_EXPECTED: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}


def _explicit(tag: str, value: str) -> Any:
    """An explicitly tagged standard scalar (``!!str 1``, ``!!int "3"``)."""
    kind = tag.removeprefix(STD)
    if kind in ("str", "timestamp"):
        return value
    expected = _EXPECTED.get(kind)  # a collection tag on a scalar (``!!seq x``) is no scalar at all
    resolved = resolve_plain(value)
    if expected is None or (isinstance(resolved, bool) and kind != "bool"):  # ``!!float true`` is no number
        raise ValueError(kind)
    if kind == "float" and isinstance(resolved, (int, float)):
        return float(resolved)
    if isinstance(resolved, expected):
        return resolved
    raise ValueError(kind)
