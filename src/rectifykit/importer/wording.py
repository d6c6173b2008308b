"""Status wording of the genre to canonical states: the known vocabulary, then what the words make clear.

``read_status`` gives the states of a published status label (one state per
segment of a combined label such as 视同完成，持续整改；需持续整改) and how
sure it is: ``known`` (the vocabulary of DOMAIN.md and its usual variants),
``inferred`` (unknown wording whose words say the state), ``ambiguous``
(known wording that does not say whether the item is closed: counted open)
or ``unclear`` (no state can be read: left for the user to set).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rectifykit.model.records import State
from rectifykit.model.wording import AMBIGUOUS, KNOWN, split_label  # the one vocabulary of status wordings

_VOCABULARY = sorted({*KNOWN, *AMBIGUOUS}, key=len, reverse=True)
_STATUS_WORDS = re.compile(r"完成|完毕|整改|推进|坚持|办结|销号|到位|落实|启动|开始|巩固")


@dataclass(frozen=True)
class Reading:
    """The states read from a label, and how sure the reading is."""

    states: tuple[State, ...]
    certainty: str
    """known | inferred | ambiguous | unclear (then ``states`` is empty)."""


def key(text: str) -> str:
    """A label compared loosely: NFKC, no white space, no closing punctuation."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).strip("。.;；,，、")


def _segment(text: str) -> tuple[State | None, str]:
    word = key(text)
    if word in KNOWN:
        return KNOWN[word], "known"
    if word in AMBIGUOUS:
        return AMBIGUOUS[word], "ambiguous"
    return _infer(word), "inferred"


def _infer(word: str) -> State | None:
    """The state that unknown wording makes clear, else None."""
    if re.search(r"未启动|未开始|尚未开展", word):
        return State.not_started
    if re.search(r"未完成|尚未|未整改|未到位", word):
        return State.in_progress
    if "视同完成" in word:
        return State.deemed_completed
    if "基本" in word or "部分" in word or "阶段性" in word:
        return None
    done = re.search(r"已完成|整改完成|完成整改|已整改|整改完毕|已办结|已销号|整改到位|已落实|全部完成", word)
    if done and re.search(r"长期|坚持|常态|巩固|深化", word):
        return State.completed_ongoing
    if done and not re.search(r"持续整改|正在", word):
        return State.completed
    if re.search(r"正在|整改中|推进中|进行中|持续推进|持续整改|需持续|继续", word):
        return State.in_progress
    return None


def read_status(label: str) -> Reading:
    """The canonical states of a published label (segments split at ；)."""
    segments = [s for s in split_label(label) if key(s)]
    states: list[State] = []
    certainties = []
    for segment in segments or [label]:
        state, certainty = _segment(segment)
        if state is None:
            return Reading((), "unclear")
        if state not in states:
            states.append(state)
        certainties.append(certainty)
    for level in ("ambiguous", "inferred"):
        if level in certainties:
            return Reading(tuple(states), level)
    return Reading(tuple(states), "known")


def looks_like_status(text: str) -> bool:
    """Whether the text after 整改情况： is a status label rather than the measures themselves."""
    word = key(text)
    if not word:
        return False
    if word in KNOWN or word in AMBIGUOUS or all(key(s) in KNOWN or key(s) in AMBIGUOUS
                                                  for s in re.split(r"[；;]", text) if key(s)):
        return True
    return len(word) <= 16 and "。" not in word and bool(_STATUS_WORDS.search(word)) and not re.search(r"\d", word)


def leading_status(text: str) -> tuple[str, str] | None:
    """A known status at the start of a longer text (已完成。通过……): (label with its stop, the rest)."""
    normal = unicodedata.normalize("NFKC", text)
    for word in _VOCABULARY:
        if normal.startswith(word) and len(normal) > len(word) + 1:
            stop = normal[len(word)]
            if stop in "。;；,，":
                cut = len(word) + 1
                return text[:cut].strip(), text[cut:].strip()
    return None


def status_line(text: str) -> tuple[str, str] | None:
    """A line that is, or starts with, a status of the known vocabulary without a label: (status, the rest)."""
    if key(text) in KNOWN or key(text) in AMBIGUOUS:
        return text.strip(), ""
    return leading_status(text)
