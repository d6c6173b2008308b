"""A notice in Traditional characters, converted to Simplified with OpenCC before it is read.

The genre's words (巡察, 整改, 反馈问题 …) are matched in Simplified
characters; a notice published in Traditional ones (Hong Kong, Macao, Taiwan
reposts, or a unit's own choice) is converted line by line with OpenCC's
``t2s`` configuration, the standard converter, and the report says so (RK316).
Whether a notice is in Traditional characters is decided without OpenCC, from
common characters that only the Traditional script writes, so that a missing
converter is named (``pip install 'rectifykit[import]'``) instead of the
notice being misread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rectifykit.diagnostics import MissingExtra
from rectifykit.i18n import _
from rectifykit.importer.reading import Line

TRADITIONAL_ONLY = frozenset(
    "們個這來時為會說對與關問題黨組織發現實際進據經濟區縣員義務農體國條總書記導領議應當變設規將質況報過還開從機構辦"
    "動層決風紀產項財專業學習讓權責並結饋見審計劃錄賬處職務線種數強執設態滿檢查歲際雖屬舉監優樣級傳達給"
)
"""Frequent characters that the Simplified script writes otherwise (們/们, 問題/问题, 黨組/党组 …)."""
_HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_MARKS = 5
MIN_SHARE = 0.02
"""A notice is Traditional with at least 5 such characters making at least 2% of its Han characters."""


class NeedsConverter(MissingExtra):
    """A Traditional notice, and OpenCC is not installed."""

    def __init__(self, file: str) -> None:
        super().__init__("opencc", "import")
        self.file = file

    def __str__(self) -> str:
        return _("{file} is written in Traditional characters, which are converted with OpenCC; {missing}").format(
            file=self.file, missing=super().__str__()
        )


@dataclass(frozen=True)
class Converted:
    lines: list[Line]
    changed: list[int]
    """Numbers of the lines the converter changed."""


def is_traditional(lines: list[Line]) -> bool:
    text = "".join(line.text for line in lines)
    han = len(_HAN.findall(text))
    marks = sum(1 for char in text if char in TRADITIONAL_ONLY)
    return marks >= MIN_MARKS and marks >= MIN_SHARE * han


def to_simplified(lines: list[Line], *, file: str) -> Converted | None:
    """The lines in Simplified characters when the notice is Traditional, else None (nothing to do)."""
    if not is_traditional(lines):
        return None
    try:
        import opencc
    except ImportError:
        raise NeedsConverter(file) from None
    converter = opencc.OpenCC("t2s")
    out = [Line(line.number, converter.convert(line.text)) for line in lines]
    changed = [new.number for old, new in zip(lines, out, strict=True) if old.text != new.text]
    return Converted(out, changed)
