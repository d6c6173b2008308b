"""Printed text to record values: numbered measures to items, written deadlines to days."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rectifykit.importer import header

MEASURE_MARK = re.compile(r"[(（](\d{1,2})[)）]")


def split_measure(text: str) -> str | dict[str, Any]:
    """A measures paragraph: plain text, or intro and items when it numbers them （1）（2）… from 1."""
    marks = []
    expected = 1
    for match in MEASURE_MARK.finditer(text):
        if int(match.group(1)) == expected:
            marks.append(match)
            expected += 1
    if len(marks) < 2:
        return text
    items = [text[m.end() : (marks[i + 1].start() if i + 1 < len(marks) else len(text))].strip()
             for i, m in enumerate(marks)]
    if not all(items):
        return text
    intro = text[: marks[0].start()].strip()
    return {"intro": intro, "items": items} if intro else {"items": items}


def parse_day(value: str) -> dt.date | None:
    """A deadline as written (2024年6月30日, 2024-06-30, 2024年6月底, 2024年底) as a day, else None."""
    text = re.sub(r"\s", "", value)
    patterns = [
        (r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前)?$", None),
        (r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$", None),
        (r"^(\d{4})年(\d{1,2})月(?:底|末|份)(?:前|之前)?$", "month"),
        (r"^(\d{4})年(?:底|末)(?:前|之前)?$", "year"),
    ]
    for pattern, kind in patterns:
        match = re.match(pattern, text)
        if not match:
            continue
        numbers = [int(g) for g in match.groups()]
        try:
            if kind == "month":
                return header.month_end(numbers[0], numbers[1])
            if kind == "year":
                return dt.date(numbers[0], 12, 31)
            return dt.date(*numbers)
        except ValueError:
            return None
    return None
