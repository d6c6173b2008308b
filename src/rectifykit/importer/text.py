"""Small text helpers of the importer: comparison form, sentences, Chinese numerals."""

from __future__ import annotations

import re
import unicodedata

OPENING_MARKS = "“‘《（(「『【〔"
CLOSING_MARKS = "”’》）)」』】〕"
SENTENCE_END = "。！？!?"
CN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def squeeze(text: str) -> str:
    """The comparison form: NFKC, no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cn_value(numeral: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23, 一百零一 → 101, 九百九十九 → 999; None for what is not such a numeral."""
    if not numeral or any(c not in CN_DIGITS and c not in "十百" for c in numeral):
        return None
    hundreds, sep, rest = numeral.partition("百")
    if not sep:
        return _below_100(numeral)
    if len(hundreds) != 1 or hundreds not in CN_DIGITS or hundreds == "零" or "百" in rest:
        return None
    if not rest:
        return CN_DIGITS[hundreds] * 100
    if rest.startswith("零"):  # 一百零一; 一百零十 is not written
        low = _below_100(rest[1:])
        if low is None or low >= 10:
            return None
    else:  # 一百一十二 (the tens' 一 is written after 百), 一百二 (= 120, spoken) is not a list number
        if not rest.endswith("十") and "十" not in rest:
            return None
        low = _below_100(rest)
        if low is None or low < 10 or rest.startswith("十"):
            return None
    return CN_DIGITS[hundreds] * 100 + low


def _below_100(numeral: str) -> int | None:
    if not numeral or "零" in numeral:
        return None
    if "十" not in numeral:
        return CN_DIGITS[numeral] if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def sentence_ends(text: str) -> list[int]:
    """Positions just after each sentence end (。！？) outside quotes and brackets."""
    depth = 0
    ends = []
    for i, char in enumerate(text):
        if char in OPENING_MARKS:
            depth += 1
        elif char in CLOSING_MARKS:
            depth = max(0, depth - 1)
        elif char in SENTENCE_END and depth == 0:
            ends.append(i + 1)
    return ends


def first_sentence(text: str) -> tuple[str, str | None]:
    """A line cut after its first sentence: (title, the rest or None)."""
    for end in sentence_ends(text):
        head, rest = text[:end].strip(), text[end:].strip()
        if head:
            return head, rest or None
    return text.strip(), None


def joined(*parts: str | None) -> str | None:
    """Texts joined as lines of one paragraph; None when there is nothing."""
    kept = [p for p in parts if p]
    return "\n".join(kept) if kept else None
