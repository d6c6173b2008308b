"""The header sentence: who inspected whom, when, and when the feedback was given.

The genre opens with one or two sentences such as
按照鄂城区委统一部署，2023年10月10日至12月10日，区委第二巡察组对我局党组进行了巡察。
2024年1月11日，十届区委第四轮巡察向我局党组反馈了巡察意见。 The order varies
(date first or team first: 市委第一巡视组于2023年3月29日至6月16日对徐汇区进行了巡视),
the feedback may sit in the same sentence (……开展了常规巡视，并于2023年11月1日反馈了巡视意见)
and its year may be left out (9月22日), inherited from the period. ``parse``
returns every value found with the place it stands, so that the opening can be
stored with placeholders ({period}, {team} …) exactly where the values were.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

_D = r"\d{1,2}"
PERIOD = re.compile(
    rf"(?P<y1>\d{{4}})\s*年\s*(?P<m1>{_D})\s*月\s*(?P<d1>{_D})\s*[日号]"
    r"\s*(?:至|到|—+|–|-|~|～|－)\s*"
    rf"(?:(?P<y2>\d{{4}})\s*年\s*)?(?:(?P<m2>{_D})\s*月\s*)?(?P<d2>{_D})\s*[日号]"
)
DATE = rf"(?:(?P<y>\d{{4}})\s*年\s*)?(?P<m>{_D})\s*月\s*(?P<d>{_D})\s*[日号]"
_CLAUSE = r"[^,，。;；]"
AUTHORITY = re.compile(
    rf"(?:按照|根据|遵照|依据)\s*(?P<a>{_CLAUSE}+?)\s*(?:关于)?(?:巡视巡察工作|巡察工作|巡视工作|巡察|巡视)?\s*(?:的)?"
    r"\s*统一(?:部署|安排|要求)"
)
TARGET = re.compile(
    rf"(?:对|进驻)\s*(?P<t>{_CLAUSE}+?)\s*(?:开展了|进行了|开展|进行|实施了|实施)\s*(?P<kind>{_CLAUSE}{{0,8}}?)"
    r"(?:巡察|巡视)"
)
TEAM_BEFORE = re.compile(rf"(?P<team>{_CLAUSE}*?组)\s*(?:于|在)?\s*$")
TEAM_AFTER = re.compile(rf"^\s*[,，]?\s*(?:由)?(?P<team>{_CLAUSE}*?组)\s*(?:于\s*)?$")
FEEDBACK_TO = re.compile(
    rf"(?P<date>{DATE})\s*[,，]?\s*(?P<who>{_CLAUSE}*?)\s*向\s*(?P<rec>{_CLAUSE}+?)\s*(?:集中|正式)?"
    r"(?:反馈了?|进行了?反馈|作了?反馈)"
)
FEEDBACK_ON = re.compile(
    rf"于\s*(?P<date>{DATE})\s*(?:向\s*(?P<rec>{_CLAUSE}+?)\s*)?(?:集中|正式)?(?:反馈了?|进行了?反馈|作了?反馈)"
)
FEEDBACK_ANY = re.compile(rf"(?P<date>{DATE})[^。]*?反馈")
ROUND = re.compile(
    r"(?P<round>(?:[一二三四五六七八九十百零\d]+届)?[^\s关于的，,。]{0,4}?第[一二三四五六七八九十\d]+轮"
    r"(?:专项|常规|机动)?(?:巡察|巡视))"
)


@dataclass
class Header:
    """What the header sentence says; ``spans`` are (start, end, placeholder) in the opening text."""

    line: int
    text: str
    authority: str | None = None
    team: str | None = None
    target: str | None = None
    recipient: str | None = None
    who: str | None = None
    round: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    feedback: dt.date | None = None
    feedback_year_inherited: bool = False
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find(lines: list[tuple[int, str]]) -> int | None:
    """The index of the header line: the first with a period of dates and an inspection (巡察/巡视)."""
    for index, (_, text) in enumerate(lines):
        if PERIOD.search(text) and re.search(r"巡察|巡视", text) and re.search(r"对|进驻", text):
            return index
    for index, (_, text) in enumerate(lines):
        if PERIOD.search(text) and re.search(r"巡察|巡视", text):
            return index
    return None


def parse(number: int, text: str) -> Header:
    """Read the values of a header line (see the module docstring); what is not found stays None."""
    header = Header(number, text)
    period = PERIOD.search(text)
    if period is None:
        return header
    y1, m1, d1 = int(period["y1"]), int(period["m1"]), int(period["d1"])
    y2 = int(period["y2"]) if period["y2"] else y1
    m2 = int(period["m2"]) if period["m2"] else m1
    header.start = _day(y1, m1, d1)
    header.end = _day(y2, m2, int(period["d2"]))
    if header.start and header.end and header.end < header.start and not period["y2"]:
        header.end = _day(y2 + 1, m2, int(period["d2"]))
    header.spans.append((period.start(), period.end(), "period"))
    if authority := AUTHORITY.search(text, 0, period.start() + 1):
        header.authority = authority["a"]
        header.spans.append((authority.start("a"), authority.end("a"), "authority"))
    _team_and_target(header, text, period)
    _feedback(header, text, period.end())
    return header


def _team_and_target(header: Header, text: str, period: re.Match[str]) -> None:
    sentence_end = text.find("。", period.end())
    stop = len(text) if sentence_end < 0 else sentence_end
    target = TARGET.search(text, period.end(), stop)
    if target is None:
        return
    header.target = target["t"]
    header.spans.append((target.start("t"), target.end("t"), "target"))
    after = TEAM_AFTER.match(text[period.end() : target.start()])
    if after:
        header.team = after["team"]
        offset = period.end()
        header.spans.append((offset + after.start("team"), offset + after.end("team"), "team"))
        return
    sentence_start = text.rfind("。", 0, period.start()) + 1
    before = TEAM_BEFORE.search(text, sentence_start, period.start())
    if before:
        team = before["team"]
        cut = max(team.rfind("部署"), team.rfind("安排"))
        start = before.start("team") + (cut + 2 if cut >= 0 else 0)
        header.team = text[start : before.end("team")].strip()
        header.spans.append((start, before.end("team"), "team"))


def _feedback(header: Header, text: str, after: int) -> None:
    candidates = [m for m in (FEEDBACK_TO.search(text, after), FEEDBACK_ON.search(text, after)) if m]
    match = min(candidates, key=lambda m: m.start("date")) if candidates else FEEDBACK_ANY.search(text, after)
    if match is None:
        return
    month, day = int(match["m"]), int(match["d"])
    if match["y"]:
        header.feedback = _day(int(match["y"]), month, day)
    elif header.end is not None:
        year = header.end.year + (1 if (month, day) < (header.end.month, header.end.day) else 0)
        header.feedback = _day(year, month, day)
        header.feedback_year_inherited = header.feedback is not None
    if header.feedback:
        header.spans.append((match.start("date"), match.end("date"), "feedback_date"))
    groups = match.groupdict()
    if groups.get("who"):
        header.who = match["who"]
        header.spans.append((match.start("who"), match.end("who"), "who"))
        if "轮" in header.who:
            header.round = header.who
    if groups.get("rec"):
        header.recipient = match["rec"]
        header.spans.append((match.start("rec"), match.end("rec"), "recipient"))


def round_in(title: str | None) -> str | None:
    """The round named in a title (关于十四届第五轮巡察集中整改进展情况的通报 → 十四届第五轮巡察)."""
    if not title:
        return None
    match = ROUND.search(title)
    return match["round"] if match else None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])
