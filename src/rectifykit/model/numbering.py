"""Chinese numbering of the genre: 一、 （一） 一是 （1）."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九, 100 → 一百, 105 → 一百零五."""
    if n <= 0:
        raise ValueError("numbering starts at 1")
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return DIGITS[n // 10] + "十" + (DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = DIGITS[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + DIGITS[rest]
        return head + (DIGITS[rest // 10] + "十" + (DIGITS[rest % 10] if rest % 10 else ""))
    return str(n)


def cn_section(n: int) -> str:
    """Top sections: 一、"""
    return f"{cn_number(n)}、"


def cn_paren(n: int) -> str:
    """Sub-sections and categories: （一）"""
    return f"（{cn_number(n)}）"


def point_prefix(n: int) -> str:
    """Points of a problem: 一是"""
    return f"{cn_number(n)}是"


def measure_prefix(n: int) -> str:
    """Numbered measures: （1）"""
    return f"（{n}）"
