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
_REL = r"今年|本年|当年|去年|上年"
_SPAN = r"上旬|中旬|下旬|初|底|末"
DATE = (
    rf"(?:(?P<y>\d{{4}})\s*年\s*|(?P<rel>{_REL})\s*)?(?P<m>{_D})\s*月\s*"
    rf"(?:(?P<d>{_D})\s*[日号]|(?P<x>{_SPAN}))"
)
"""A day as the genre writes it: 2024年1月11日, 9月22日 (year from the period), 今年8月中旬 (year from the notice)."""
LOOSE_PERIOD = re.compile(
    rf"(?:(?P<y1>\d{{4}})\s*年\s*|(?P<rel1>{_REL})\s*)?(?P<m1>{_D})\s*月\s*(?:(?P<d1>{_D})\s*[日号]|(?P<x1>{_SPAN}))?"
    r"\s*(?:至|到|—+|–|-|~|～|－)\s*"
    rf"(?:(?P<y2>\d{{4}})\s*年\s*|(?P<rel2>{_REL})\s*)?(?P<m2>{_D})\s*月\s*(?:(?P<d2>{_D})\s*[日号]|(?P<x2>{_SPAN}))?"
)
"""A period that names no day or no year: 4月上旬至7月上旬, 今年3月至5月, 3月1日至4月30日 (read with a warning)."""
FIRST_DAY = {"初": 1, "上旬": 1, "中旬": 11, "下旬": 21, "底": 21, "末": 21, None: 1}
LAST_DAY = {"初": 10, "上旬": 10, "中旬": 20}
"""A span's first day (for a start or a feedback date) and last day (for an end; else the month's last day)."""
RELATIVE_YEAR = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1}
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
    guesses: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    """Dates read from text that names no day (RK317) or no year (RK318): (code, message arguments)."""


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find(lines: list[tuple[int, str]]) -> int | None:
    """The index of the header line: the first with a period of dates and an inspection (巡察/巡视)."""
    for pattern in (PERIOD, LOOSE_PERIOD):
        for index, (_, text) in enumerate(lines):
            if pattern.search(text) and re.search(r"巡察|巡视", text) and re.search(r"对|进驻", text):
                return index
        for index, (_, text) in enumerate(lines):
            if pattern.search(text) and re.search(r"巡察|巡视", text):
                return index
    return None


def parse(number: int, text: str, *, year: int | None = None) -> Header:
    """Read the values of a header line (see the module docstring); what is not found stays None.

    ``year`` is the year of the notice's own date: it stands for 今年 and for a period printed without one.
    """
    header = Header(number, text)
    period = PERIOD.search(text)
    if period is not None:
        y1, m1, d1 = int(period["y1"]), int(period["m1"]), int(period["d1"])
        y2 = int(period["y2"]) if period["y2"] else y1
        m2 = int(period["m2"]) if period["m2"] else m1
        header.start = _day(y1, m1, d1)
        header.end = _day(y2, m2, int(period["d2"]))
        if header.start and header.end and header.end < header.start and not period["y2"]:
            header.end = _day(y2 + 1, m2, int(period["d2"]))
    elif (period := LOOSE_PERIOD.search(text)) is not None:
        _loose_period(header, period, year)
    else:
        return header
    header.spans.append((period.start(), period.end(), "period"))
    if authority := AUTHORITY.search(text, 0, period.start() + 1):
        header.authority = authority["a"]
        header.spans.append((authority.start("a"), authority.end("a"), "authority"))
    _team_and_target(header, text, period)
    _feedback(header, text, period.end(), year)
    return header


def _year(match: re.Match[str], suffix: str, year: int | None) -> tuple[int | None, bool]:
    """The year of one side of a date: (year, taken from the notice's date)."""
    if match["y" + suffix]:
        return int(match["y" + suffix]), False
    if year is None:
        return None, False
    return year + RELATIVE_YEAR.get(match["rel" + suffix] or "今年", 0), True


def _loose_period(header: Header, period: re.Match[str], year: int | None) -> None:
    """A period without days or years: the first day of its first span to the last day of its last."""
    text = period.group(0)
    y1, guessed = _year(period, "1", year)
    if y1 is None:  # no year and no dated notice: the period is left out (RK305 names it)
        return
    m1, m2 = int(period["m1"]), int(period["m2"])
    explicit = period["y2"] or period["rel2"]
    y2 = (_year(period, "2", year)[0] or y1) if explicit else y1 + (1 if m2 < m1 else 0)
    header.start = _day(y1, m1, int(period["d1"]) if period["d1"] else FIRST_DAY[period["x1"]])
    header.end = (_day(y2, m2, int(period["d2"])) if period["d2"]
                  else _day(y2, m2, LAST_DAY.get(period["x2"], month_end(y2, m2).day)))
    if guessed and not period["rel1"]:
        header.guesses.append(("RK318", {"text": text, "year": str(y1)}))
    elif guessed:
        header.guesses.append(("RK318", {"text": period["rel1"], "year": str(y1)}))
    if not (period["d1"] and period["d2"]) and header.start and header.end:
        span = f"{header.start.isoformat()} – {header.end.isoformat()}"
        header.guesses.append(("RK317", {"text": text, "date": span}))


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


def _feedback(header: Header, text: str, after: int, year: int | None = None) -> None:
    candidates = [m for m in (FEEDBACK_TO.search(text, after), FEEDBACK_ON.search(text, after)) if m]
    match = min(candidates, key=lambda m: m.start("date")) if candidates else FEEDBACK_ANY.search(text, after)
    if match is None:
        return
    month, day = int(match["m"]), int(match["d"]) if match["d"] else FIRST_DAY[match["x"]]
    if match["y"]:
        header.feedback = _day(int(match["y"]), month, day)
    elif match["rel"]:
        if year is not None:
            header.feedback = _day(year + RELATIVE_YEAR[match["rel"]], month, day)
            if header.feedback is not None:  # an impossible date (2月30日) is no date: RK305 says so
                header.guesses.append(("RK318", {"text": match["rel"], "year": str(header.feedback.year)}))
    elif header.end is not None:
        year = header.end.year + (1 if (month, day) < (header.end.month, header.end.day) else 0)
        header.feedback = _day(year, month, day)
        header.feedback_year_inherited = header.feedback is not None
    if header.feedback:
        header.spans.append((match.start("date"), match.end("date"), "feedback_date"))
        if not match["d"]:
            header.guesses.append(("RK317", {"text": match["date"], "date": header.feedback.isoformat()}))
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
