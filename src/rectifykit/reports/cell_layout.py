"""How tall a ledger row must be and at what size its text prints, estimated from the text's length.

A spreadsheet does not grow a row to fit wrapped text when it opens a file: the writer sets each row's height.
Text is measured in column-width units (a digit one unit, a Chinese character :data:`CJK_UNITS`) and wrapped
paragraph by paragraph at the column's width; a text too long for the tallest row at 11 pt prints at 9 pt.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

FONT_SIZE, KEY_FONT_SIZE, SMALL_FONT_SIZE = 11, 9, 9
CJK_UNITS = 1.6
"""Width of a Chinese character of the 11 pt default font in column units (11 pt ÷ 7 pt)."""
LINE_HEIGHT = 16.5
"""Points per printed line of 11 pt text (LibreOffice sets 16), a little to spare."""
MAX_ROW_HEIGHT = 409.0
"""The tallest row a spreadsheet allows (points)."""


class _CharUnits(dict[str, float]):
    """Each character's width in column units, worked out once per character (a ledger has millions)."""

    def __missing__(self, char: str) -> float:
        units = self[char] = CJK_UNITS if unicodedata.east_asian_width(char) in "WF" else 1.0
        return units


_CHAR_UNITS = _CharUnits()


@functools.cache
def _wide() -> re.Pattern[str]:
    """Runs of the characters of the Basic Multilingual Plane that print wide (East Asian Width W or F), as one
    character class: a regular expression counts them far faster than a look-up per character (made once, ~20 ms,
    when a text that is not ASCII is first measured)."""
    runs: list[str] = []
    start = None
    for point in range(0x80, 0x10001):
        wide = point < 0x10000 and not 0xD800 <= point <= 0xDFFF and unicodedata.east_asian_width(chr(point)) in "WF"
        if wide and start is None:
            start = point
        elif not wide and start is not None:
            runs.append(f"{re.escape(chr(start))}-{re.escape(chr(point - 1))}")
            start = None
    return re.compile(f"[{''.join(runs)}]+")


def _units(text: str) -> float:
    """Width of a text in column-width units: a digit is one unit, a Chinese character :data:`CJK_UNITS`."""
    if text.isascii():
        return float(len(text))
    rest = _wide().sub("", text)
    narrow = float(len(rest)) if rest.isascii() else sum(map(_CHAR_UNITS.__getitem__, rest))
    return narrow + (len(text) - len(rest)) * CJK_UNITS


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2%}"
    return str(value)


def lines_needed(value: Any, width: float, size: float = FONT_SIZE) -> int:
    """Lines a wrapped cell needs at a column width and font size: each paragraph wraps on its own."""
    if value is None:
        return 1
    text = _text(value)
    usable = max(1.0, width - 0.5)  # the cell's padding
    usable *= FONT_SIZE / size
    short = usable / CJK_UNITS  # a line this long fits whatever its characters: no need to measure it
    if "\n" not in text:
        if len(text) <= short:
            return 1
        return max(1, math.ceil(_units(text) / usable))
    return sum(1 if len(line) <= short else max(1, math.ceil(_units(line) / usable)) for line in text.split("\n"))


def row_height(values: Sequence[Any], widths: Sequence[float], sizes: Sequence[float] | None = None) -> float:
    """A row's height (points) that shows every wrapped cell whole, estimated from text length and widths."""
    sizes = sizes or [FONT_SIZE] * len(values)
    need = max(lines_needed(v, w, z) * LINE_HEIGHT * z / FONT_SIZE
               for v, w, z in zip(values, widths, sizes, strict=False))
    return min(MAX_ROW_HEIGHT, need + 4)


@functools.cache
def _limits(widths: tuple[float, ...], size: float) -> tuple[tuple[float, float], ...]:
    """Per column, the units a line holds at a font size, and the characters that fit whatever they are."""
    usable = [max(1.0, width - 0.5) * (FONT_SIZE / size) for width in widths]
    return tuple((u, u / CJK_UNITS) for u in usable)


def layout(values: Sequence[Any], widths: tuple[float, ...]) -> tuple[float, tuple[float, ...]]:
    """A row's height and each cell's font size: 11 pt, or 9 pt for a text too long for the tallest row at 11 pt
    (the height then counts its lines at 9 pt). The same as :func:`lines_needed` and :func:`row_height`, each text
    measured once, in one loop (a ledger has hundreds of thousands of cells)."""
    sizes: list[float] = []
    need = 0.0
    wide = _wide()
    for value, width, (usable, short) in zip(values, widths, _limits(widths, FONT_SIZE), strict=True):
        lines, size = 1, FONT_SIZE
        if value is not None:
            text = value if isinstance(value, str) else _text(value)
            if len(text) > short or "\n" in text:
                lines = 0
                for line in text.split("\n"):
                    if len(line) <= short:
                        lines += 1
                    elif line.isascii():
                        lines += math.ceil(len(line) / usable)
                    else:
                        rest = wide.sub("", line)
                        units = float(len(rest)) if rest.isascii() else sum(map(_CHAR_UNITS.__getitem__, rest))
                        lines += math.ceil((units + (len(line) - len(rest)) * CJK_UNITS) / usable)
                if lines * LINE_HEIGHT + 4 > MAX_ROW_HEIGHT:
                    lines, size = lines_needed(value, width, SMALL_FONT_SIZE), SMALL_FONT_SIZE
        sizes.append(size)
        need = max(need, lines * LINE_HEIGHT * size / FONT_SIZE)
    return min(MAX_ROW_HEIGHT, need + 4), tuple(sizes)
