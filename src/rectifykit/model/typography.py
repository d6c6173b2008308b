"""Full-width punctuation in Chinese text: ASCII , : ; ( ) become ，：；（） where the text around them is Chinese.

GB/T 15834 asks for full-width marks in Chinese text; staff often type ASCII
ones. :func:`fix` converts a mark only when a Chinese character stands next to
it (for a pair of parentheses: before, inside or after them) and leaves alone:

- numbers: ``1,000`` and ``17:44`` (a digit on both sides), ``8.82万元``;
- ranges and phone numbers: ``2020-2022``, ``027-56919296`` (no mark to convert);
- e-mail addresses, URLs (``https://…``, ``www.…``), placeholders ``{problems:conduct}``;
- document numbers: ``鄂城法办发〔2023〕6号``, also when typed ``鄂城法办发(2023)6号``;
- English text: ``a, b`` and ``f(x)`` have no Chinese neighbour.

Spaces typed after an ASCII mark (``整改, 持续``) go with it. The result is a
fixed point: ``fix(fix(s)) == fix(s)``.
"""

from __future__ import annotations

import re

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）"}

_CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\U00020000-\U0002fa1f]")
"""Han characters, CJK punctuation (。、〔〕《》) and full-width forms (，：（）)."""

_PROTECTED = re.compile(
    r"""
      (?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s\u3000-\u303f\u3400-\u9fff\uff01-\uff60]+   # URL
    | [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+                # e-mail address
    | \{[a-z_]+(?::[a-z0-9_-]+)?\}                                    # placeholder {problems:conduct}
    | [\u4e00-\u9fff]{1,12}[(\[〔（][12]\d{3}[)\]〕）]\d+号              # document number 鄂城法办发(2023)6号
    """,
    re.VERBOSE,
)
_PAIR = re.compile(r"\(([^()]*)\)")
_MAX_PASSES = 8


def fix(text: str) -> str:
    """``text`` with ASCII , : ; ( ) in Chinese context made full-width (see the module docstring)."""
    for _pass in range(_MAX_PASSES):
        fixed = _fix_once(text)
        if fixed == text:
            return fixed
        text = fixed
    return text


def needs_fix(text: str) -> bool:
    """Whether :func:`fix` would change ``text``."""
    return fix(text) != text


def _is_chinese(char: str) -> bool:
    return bool(char) and _CHINESE.match(char) is not None


def _fix_once(text: str) -> str:
    if not any(mark in text for mark in FULL_WIDTH):
        return text
    protected = [False] * len(text)
    for match in _PROTECTED.finditer(text):
        end = match.end()
        while end > match.start() + 1 and text[end - 1] in ",:;).":
            end -= 1  # a mark right after a URL ends the sentence, not the URL
        for i in range(match.start(), end):
            protected[i] = True
    out = list(text)
    drop: set[int] = set()  # spaces that went with a converted mark
    for match in _PAIR.finditer(text):
        left, right = match.start(), match.end() - 1
        if protected[left] or protected[right]:
            continue
        inner = match.group(1)
        before = text[left - 1] if left else ""
        after = text[right + 1] if right + 1 < len(text) else ""
        if _is_chinese(before) or _is_chinese(after) or any(_is_chinese(c) for c in inner):
            out[left], out[right] = "（", "）"
            drop |= _spaces(text, left, backward=True) | _spaces(text, right, backward=False)
    for i, char in enumerate(text):
        if char not in ",:;" or protected[i]:
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if before.isdigit() and after.isdigit():
            continue  # 1,000 and 17:44
        if _is_chinese(_neighbour(text, i, -1)) or _is_chinese(_neighbour(text, i, +1)):
            out[i] = FULL_WIDTH[char]
            drop |= _spaces(text, i, backward=False)
    return "".join(c for i, c in enumerate(out) if i not in drop)


def _neighbour(text: str, i: int, step: int) -> str:
    """The nearest character that is not a space, before (-1) or after (+1) position ``i``."""
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _spaces(text: str, i: int, *, backward: bool) -> set[int]:
    """Positions of the ASCII spaces right before (or after) position ``i``."""
    found: set[int] = set()
    step = -1 if backward else 1
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        found.add(j)
        j += step
    return found
