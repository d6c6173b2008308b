"""Dates as the genre writes them: 2024年7月11日, no leading zeros."""

from __future__ import annotations

import datetime as dt


def cn_date(day: dt.date) -> str:
    """2024-07-11 → 2024年7月11日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_range(start: dt.date, end: dt.date) -> str:
    """A period; the end leaves out what it shares with the start (2023年10月10日至12月10日)."""
    if start.year != end.year:
        tail = cn_date(end)
    elif start.month != end.month:
        tail = f"{end.month}月{end.day}日"
    else:
        tail = f"{end.day}日"
    return f"{cn_date(start)}至{tail}"
