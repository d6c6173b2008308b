"""The frame of a notice: page chrome, title, header line, closing, signature and date; the body between.

A notice copied from a web page comes wrapped in the page: menus and
breadcrumbs, 发布时间/来源/浏览量 lines, 分享/朗读 buttons, the
government-information table (索引号, 成文日期 …) and the ICP footer. These
lines are page chrome: ``split`` sets them aside (each with its line number
and why, for the report) and never puts them in the records. A date found in
them (发布时间) can stand in for a missing signature date. Lines that are
neither chrome nor a known part are returned as unplaced, never dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from rectifykit.i18n import N_
from rectifykit.importer import header
from rectifykit.importer.reading import Line
from rectifykit.importer.text import squeeze

_BUTTONS = r"分享|分享到|朗读|打印|关闭|收藏|打印本页|关闭窗口|返回顶部|返回|扫一扫|手机版|纠错|我要纠错|字体|字号"
BUTTON = re.compile(rf"^([【\[]?\s*({_BUTTONS})\s*[】\]]?\s*[:：]?\s*)+$")
CHROME_TOP = re.compile(
    r"当前位置|您的位置|您现在的位置|所在位置|首页\s*[>›»/]|[>›»]\s*$|"
    r"发布时间|发布日期|发文日期|成文日期|生成日期|信息来源|来源\s*[:：]|作者\s*[:：]|责任编辑|编辑\s*[:：]|"
    r"浏览量|浏览次数|阅读量|阅读次数|点击[数量率次]|访问量|字号|【\s*大\s*中\s*小\s*】|"
    r"^https?://|^www\.|^[\W\d_]+$"
)
CHROME_BOTTOM = re.compile(
    r"ICP|备案|公网安备|网站标识|主办单位|承办单位|主办\s*[:：]|承办\s*[:：]|版权所有|Copyright|©|技术支持|"
    r"网站地图|联系我们|点击总量|访问量|相关链接|上一篇|下一篇|扫一扫|关注我们|^https?://|^www\.|^[\W\d_]+$"
)
METADATA = re.compile(
    r"^(信息索引号|索引号|文件名称|发布机构|成文日期|发布日期|公开方式|公开范围|主题分类|所属主题|发文机关|发文字号|"
    r"文号|生成日期|有效性|时效性|公开时限|信息分类|体裁分类)\s*[:：]\s*(.*)$"
)
TITLE = re.compile(r"关于.{2,80}(通报|公告|报告|情况|公示|说明)$|(整改|巡察|巡视).{0,60}(通报|公告)$")
ORGANISATION = re.compile(
    r"(党组|党委|委员会|党工委|人民政府|政府|局|院|中心|办公室|党总支|总支部|支部|公司|集团|学校|大学|医院)$"
)
CLOSING = re.compile(
    r"欢迎.{0,30}监督|接受.{0,20}监督|联系电话|联系方式|监督电话|举报电话|电子邮箱|电子信箱|邮箱\s*[:：]|"
    r"通信地址|通讯地址|邮政编码|邮编\s*[:：]|来信|来电|来访|信访|特此通报|特此公告"
)
MARKER = re.compile(r"^([一二三四五六七八九十]+[、.．是]|[(（][一二三四五六七八九十\d]+[)）]|\d+\s*[.．、])")
SIGNATURE_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
PAGE_DATE = re.compile(
    r"(?:发布时间|发布日期|成文日期|日期|时间)\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"
    r"|^(\d{4})-(\d{1,2})-(\d{1,2})"
)


REASONS = {
    "menu": N_("menu"),
    "page-info": N_("page information"),
    "button": N_("button"),
    "metadata": N_("page metadata"),
    "repeated-title": N_("repeated title"),
    "footer": N_("footer"),
}


@dataclass(frozen=True)
class Chrome:
    """A line of page chrome set aside, and why."""

    line: int
    text: str
    reason: str
    """menu | page-info | button | metadata | repeated-title | footer"""


@dataclass
class Frame:
    """A notice split into its frame and its body."""

    chrome: list[Chrome] = field(default_factory=list)
    title: str | None = None
    title_lines: tuple[int, ...] = ()
    header_line: Line | None = None
    body: list[Line] = field(default_factory=list)
    closing: list[Line] = field(default_factory=list)
    signature: Line | None = None
    date: dt.date | None = None
    date_line: int | None = None
    page_date: dt.date | None = None
    page_date_line: int | None = None
    unplaced: list[Line] = field(default_factory=list)
    editorial: list[Line] = field(default_factory=list)
    """Editorial marks of the copy ([...gap...], 【…略…】): kept under 'unplaced', never printed (RK319)."""


def _date(groups: tuple[str | None, ...]) -> dt.date | None:
    numbers = [int(g) for g in groups if g]
    try:
        return dt.date(*numbers[:3]) if len(numbers) >= 3 else None
    except ValueError:
        return None


def split(lines: list[Line]) -> Frame:
    """The frame and the body of a notice (see the module docstring)."""
    frame = Frame()
    rest: list[Line] = []
    for line in lines:
        if BUTTON.match(line.text):
            frame.chrome.append(Chrome(line.number, line.text, "button"))
        else:
            rest.append(line)
    found = header.find([(line.number, line.text) for line in rest])
    if found is None:
        top, rest = _leading_chrome(frame, rest)
        _title(frame, top)
    else:
        _title(frame, rest[:found])
        frame.header_line = rest[found]
        rest = rest[found + 1 :]
        if rest and _continues_header(frame.header_line.text, rest[0].text):
            frame.header_line = Line(frame.header_line.number, f"{frame.header_line.text}\n{rest[0].text}")
            rest = rest[1:]
    _tail(frame, rest)
    frame.chrome.sort(key=lambda c: c.line)
    for chrome in frame.chrome:
        if frame.page_date is None and (match := PAGE_DATE.search(chrome.text)):
            frame.page_date = _date(match.groups())
            frame.page_date_line = chrome.line
    frame.unplaced.sort(key=lambda line: line.number)
    return frame


def _continues_header(header_text: str, text: str) -> bool:
    """The feedback sentence on the line after the header's first sentence (a paragraph split in two)."""
    if "反馈" in header_text or "反馈" not in text or MARKER.match(text):
        return False
    return bool(re.search(header.DATE, text))


def _leading_chrome(frame: Frame, lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Without a header line: the chrome and title at the top, up to the first line of text."""
    for index, line in enumerate(lines):
        if not (CHROME_TOP.search(line.text) or METADATA.match(line.text) or TITLE.search(line.text)):
            return lines[:index], lines[index:]
    return lines, []


def _title(frame: Frame, top: list[Line]) -> None:
    """Before the header: chrome, the title (perhaps on two lines), and anything else as unplaced."""
    kept: list[Line] = []
    skip_value = False
    for line in top:
        if skip_value:
            frame.chrome.append(Chrome(line.number, line.text, "metadata"))
            skip_value = False
        elif match := METADATA.match(line.text):
            frame.chrome.append(Chrome(line.number, line.text, "metadata"))
            skip_value = not match.group(2)
        elif CHROME_TOP.search(line.text):
            frame.chrome.append(Chrome(line.number, line.text, "page-info"))
        else:
            kept.append(line)
    titles = [i for i, line in enumerate(kept) if TITLE.search(line.text)]
    if titles:
        last = titles[-1]
        used = [kept[last]]
        text = kept[last].text
        if text.startswith("关于") and last > 0 and _organisation(kept[last - 1].text):
            used.insert(0, kept[last - 1])
            text = kept[last - 1].text + text
        frame.title = text
        frame.title_lines = tuple(line.number for line in used)
        for i, line in enumerate(kept):
            if line in used:
                continue
            if i in titles and (squeeze(line.text) in squeeze(text) or squeeze(text) in squeeze(line.text)):
                frame.chrome.append(Chrome(line.number, line.text, "repeated-title"))
            elif i < titles[0] and _menu(line.text):
                frame.chrome.append(Chrome(line.number, line.text, "menu"))
            else:
                frame.unplaced.append(line)
    else:
        for line in kept:
            if _menu(line.text):
                frame.chrome.append(Chrome(line.number, line.text, "menu"))
            else:
                frame.unplaced.append(line)


def _organisation(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[。，,；;：:！？]", text) and bool(ORGANISATION.search(text))


def _menu(text: str) -> bool:
    """A short line without sentence punctuation before the title: a menu or breadcrumb item."""
    return len(text) <= 12 and not re.search(r"[。，,；;！？]", text) and not ORGANISATION.search(text)


def _tail(frame: Frame, lines: list[Line]) -> None:
    """From the end: the footer, the date, the signature and the closing; the body is what remains."""
    end = len(lines)
    date_at = next(
        (i for i in range(len(lines) - 1, -1, -1) if SIGNATURE_DATE.match(lines[i].text)), None
    )
    if date_at is not None:
        for line in lines[date_at + 1 :]:
            if CHROME_TOP.search(line.text) or CHROME_BOTTOM.search(line.text):
                frame.chrome.append(Chrome(line.number, line.text, "footer"))
            else:
                frame.unplaced.append(line)
        match = SIGNATURE_DATE.match(lines[date_at].text)
        assert match is not None
        frame.date = _date(match.groups())
        frame.date_line = lines[date_at].number
        end = date_at
        if end > 0 and _signature(lines[end - 1].text):
            frame.signature = lines[end - 1]
            end -= 1
    else:
        while end > 0 and CHROME_BOTTOM.search(lines[end - 1].text):
            end -= 1
            frame.chrome.append(Chrome(lines[end].number, lines[end].text, "footer"))
        if end > 0 and _signature(lines[end - 1].text) and end > 1 and CLOSING.search(lines[end - 2].text):
            frame.signature = lines[end - 1]
            end -= 1
    start = end
    while start > 0 and CLOSING.search(lines[start - 1].text) and not _marker(lines[start - 1].text):
        start -= 1
    frame.closing = lines[start:end]
    frame.body = lines[:start]


def _signature(text: str) -> bool:
    return len(text) <= 40 and not re.search(r"[。，,；;：:！？!?]", text) and not _marker(text)


def _marker(text: str) -> bool:
    """A line that starts with the genre's numbering (一、 （一） 1. （1） 一是)."""
    return bool(MARKER.match(text))
