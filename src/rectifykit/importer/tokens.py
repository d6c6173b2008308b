"""Lines to tokens: each line by its leading numbering or label, and the text after it.

The genre's numbering (一、 （一） 1. 问题1： （1） ① 一是) and labels (整改情况：
主要做法和成效： 整改措施： 责任单位： 整改时限：) in ASCII or full-width
punctuation. Whether a number is believed is decided later, by its sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rectifykit.importer.reading import Line
from rectifykit.importer.text import cn_value

CN = "[一二三四五六七八九十百零]{1,7}"
SEC_RE = re.compile(rf"^({CN})\s*[、．]\s*(.*)$")
CAT_RE = re.compile(rf"^[(（]\s*({CN})\s*[)）]\s*[、.．]?\s*(.*)$")
NUM_RE = re.compile(
    rf"^(\d{{1,3}})\s*[.．、](?!\d)\s*(.*)$"
    rf"|^(?:反馈)?问题\s*(\d{{1,3}}|{CN})\s*(?:[:：、.．]\s*|\s+|(?=[关“「]))(.*)$"
)
"""1. 1、 (a problem's number), or 问题1： 问题1 反馈问题一： 问题一百零二： (the style "问题1:")."""
PNUM_RE = re.compile(r"^[(（]\s*(\d{1,3})\s*[)）]\s*[、.．]?\s*(.*)$|^([\u2460-\u2473])\s*(.*)$")
POINT_RE = re.compile(rf"^({CN})是(.*)$")
STATUS_LABELS = (
    "整改情况|完成情况|整改进展情况|整改进展|整改进度|进展情况|整改结果|整改状态|整改落实情况|落实情况|办理情况"
)
MEASURES_LABELS = (
    "主要做法[和及与]成效|主要做法|整改措施及成效|整改措施|主要措施|整改举措|具体措施|采取措施|整改成效|工作成效|"
    "取得成效|措施及成效|整改做法"
)
_LABEL_END = r"(?:[】\]]\s*[:：]?|\s*[:：])"
STATUS_RE = re.compile(rf"^[【\[]?({STATUS_LABELS}){_LABEL_END}\s*(.*)$")
MEASURES_RE = re.compile(rf"^[【\[]?({MEASURES_LABELS}){_LABEL_END}\s*(.*)$")
MEASURES_INLINE = re.compile(rf"(?:^|(?<=[。；;，,\s]))[【\[]?({MEASURES_LABELS})[】\]]?\s*[:：]")
TRACK_FIELDS = {
    "leader": "责任领导|牵头领导|分管领导",
    "department": "整改责任单位|责任单位|责任部门|责任科室|责任处室|责任股室|牵头单位|牵头部门",
    "person": "整改责任人|责任人",
    "deadline": "整改时限|完成时限",
    "completed_on": "完成时间",
}
TRACK_RE = re.compile(r"(?:^|(?<=[\s，,；;。]))(" + "|".join(TRACK_FIELDS.values()) + r")\s*[:：]")
SECTION_FINDINGS = re.compile(
    r"^(?!.*(?:下一步|打算)).*(?:(?:反馈|发现|巡察|巡视|指出|交办)[^，,。]{0,6}问题|问题[^，,。]{0,4}整改|"
    r"反馈意见|巡察意见|巡视意见|整改(?:落实|进展|完成)情况)"
)
"""A heading of the part that lists problems (反馈问题整改情况, 巡察发现问题及整改情况, 问题整改落实情况 …)."""
PROBLEM_TITLE = re.compile(r"^关于.{0,80}问题|^反馈问题[:：]")
CATEGORY_TITLE = re.compile(r"^关于|^在.{0,60}方面|^反馈问题[:：]|方面(的)?(问题)?(的)?(整改)?(落实)?(情况)?$")
INLINE_LABEL = re.compile(rf"(?<=[。；;！？\s])[【\[]?(?:{STATUS_LABELS}|{MEASURES_LABELS}){_LABEL_END}")
"""A status or measures label inside a line (1.问题标题。整改情况：已完成。……)."""
INLINE_POINT = {
    "POINT": re.compile(rf"(?:^|(?<=[。；;：:！？]))\s*({CN})是"),
    "PNUM": re.compile(r"(?:^|(?<=[。；;：:！？]))\s*[(（](\d{1,2})[)）]"),
}


@dataclass
class Token:
    kind: str
    """SEC CAT NUM PNUM POINT STATUS MEASURES TRACK TEXT"""
    line: int
    raw: str
    number: int | None = None
    text: str = ""
    label: str | None = None
    style: str = ""
    """How a problem-level number is written: "1." or "问题1:" (a list of measures never takes the other)."""


def split_label(text: str, number: int) -> tuple[str, Token | None]:
    """A line cut where a status or measures label starts inside it: (the text before, the label's token)."""
    match = INLINE_LABEL.search(text)
    if match is None:
        return text, None
    return text[: match.start()].strip(), tokenize(Line(number, text[match.start() :].strip()))


def tokenize(line: Line) -> Token:
    """A line as a token: its numbering or label, and the text after it."""
    raw = line.text
    if m := STATUS_RE.match(raw):
        return Token("STATUS", line.number, raw, text=m.group(2).strip(), label=m.group(1))
    if m := MEASURES_RE.match(raw):
        return Token("MEASURES", line.number, raw, text=m.group(2).strip(), label=m.group(1))
    if TRACK_RE.match(raw):
        return Token("TRACK", line.number, raw, text=raw)
    if (m := CAT_RE.match(raw)) and (n := cn_value(m.group(1))):
        return Token("CAT", line.number, raw, n, m.group(2).strip())
    if (m := SEC_RE.match(raw)) and (n := cn_value(m.group(1))):
        return Token("SEC", line.number, raw, n, m.group(2).strip())
    if (m := NUM_RE.match(raw)) and (n := _number(m.group(1) or m.group(3))):
        rest = m.group(2) if m.group(1) else m.group(4)
        return Token("NUM", line.number, raw, n, rest.strip(), style="1." if m.group(1) else "问题1:")
    if m := PNUM_RE.match(raw):
        number = int(m.group(1)) if m.group(1) else ord(m.group(3)) - 0x2460 + 1
        return Token("PNUM", line.number, raw, number, (m.group(2) or m.group(4) or "").strip())
    if (m := POINT_RE.match(raw)) and (n := cn_value(m.group(1))):
        return Token("POINT", line.number, raw, n, m.group(2).strip())
    return Token("TEXT", line.number, raw, text=raw)


def _number(numeral: str) -> int | None:
    return int(numeral) if numeral.isdigit() else cn_value(numeral)


def inline_points(
    text: str, marker: re.Pattern[str], *, start: bool, after: int = 0
) -> tuple[str | None, list[tuple[int, str]]]:
    """Points written inside one line: (the text before the first, [(number, text)]).

    Markers count only in rising order (一是…三是… is two points; a 一是 after 二是 is text),
    and in a title line the first must be 一 (or (1)).
    """
    found: list[tuple[int, int, int]] = []
    last = after
    for match in marker.finditer(text):
        value = match.group(1)
        number = int(value) if value.isdigit() else cn_value(value)
        if number is None or number <= last or (start and not found and number != 1):
            continue
        if match.start() == 0 and not start:
            continue
        found.append((match.start(), match.end(), number))
        last = number
    if not found:
        return (text.strip() or None), []
    lead = text[: found[0][0]].strip() or None
    segments = []
    for i, (_, end, number) in enumerate(found):
        stop = found[i + 1][0] if i + 1 < len(found) else len(text)
        segments.append((number, text[end:stop].strip()))
    return lead, segments


def track_fields(text: str) -> dict[str, str]:
    """责任单位：局办公室 整改时限：2024年6月30日 → {department: 局办公室, deadline: 2024年6月30日}."""
    names = {label: name for name, labels in TRACK_FIELDS.items() for label in labels.split("|")}
    matches = list(TRACK_RE.finditer(text))
    out: dict[str, str] = {}
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        value = text[match.end() : stop].strip().strip("，,；;。").strip()
        if value:
            out[names[match.group(1)]] = value
    return out
