"""The one vocabulary: the states and their words, the wordings a unit types, the names of the fields.

Every output that names a state or a field takes the word from here, so that the same state reads the
same in ``status``, the ledger, the notice's default wording, ``diff`` and ``log``:

- :data:`STATE_LABEL`: the genre's words for each state (整改完成 … 尚未启动整改). The notice prints a
  response's own ``label``; where no label is typed, and in the ledger's drop-down and every Chinese
  report, these are the words.
- :func:`state_word`: the word for a state in the language of the run (Chinese: :data:`STATE_LABEL`).
- :data:`KNOWN`: the wordings units type for a state (整改完毕, 已整改, 正在整改 …), read by the importer
  and by ``ledger --apply``; :data:`AMBIGUOUS` holds those that do not say whether the item is closed.
- :func:`split_label` / :func:`join_labels`: a combined label (视同完成，持续整改；需持续整改) and its parts.
- :data:`FIELD_WORDS` and :func:`field_word`: the tracking fields by the ledger's column names.
"""

from __future__ import annotations

import re
import unicodedata

from rectifykit import i18n
from rectifykit.model.records import State

STATE_LABEL: dict[State, str] = {
    State.completed: "整改完成",
    State.completed_ongoing: "整改完成并长期坚持",
    State.deemed_completed: "视同完成，持续整改",
    State.in_progress: "需持续整改",
    State.not_started: "尚未启动整改",
}
"""The genre's usual words for each canonical state."""

STATE_ENGLISH: dict[State, str] = {
    State.completed: "completed",
    State.completed_ongoing: "completed, kept up",
    State.deemed_completed: "deemed completed, continuing",
    State.in_progress: "in progress",
    State.not_started: "not started",
}


def state_word(state: State) -> str:
    """The state's word in the run's language: the genre's words in Chinese, plain English otherwise."""
    return STATE_LABEL[state] if i18n.language() == "zh" else STATE_ENGLISH[state]


KNOWN: dict[str, State] = {
    **dict.fromkeys(
        ("整改完成", "整改完毕", "已完成", "完成", "已完成整改", "完成整改", "已整改", "已整改完成", "已整改到位",
         "整改到位", "已办结", "已销号", "全部完成", "已全部完成", "已落实"),
        State.completed,
    ),
    **dict.fromkeys(
        ("整改完成并长期坚持", "已完成并长期坚持", "完成并长期坚持", "已完成,长期坚持", "整改完成,长期坚持",
         "长期坚持", "已完成并持续巩固", "整改完成并持续巩固"),
        State.completed_ongoing,
    ),
    **dict.fromkeys(("视同完成,持续整改", "视同完成"), State.deemed_completed),
    **dict.fromkeys(
        ("需持续整改", "正在整改", "持续推进", "持续整改", "整改中", "正在推进", "持续推进中", "未完成",
         "尚未完成", "推进中", "正在整改中"),
        State.in_progress,
    ),
    **dict.fromkeys(("尚未启动整改", "未启动", "尚未启动", "未开始", "尚未开始"), State.not_started),
}
"""Wordings of a state (NFKC form: ASCII punctuation) that units type in notices and ledgers."""

AMBIGUOUS: dict[str, State] = {"基本完成": State.in_progress, "阶段性完成": State.in_progress}
"""Known wording that does not say whether the item is closed: counted open until the user decides."""


def normalize(text: str) -> str:
    """A wording as compared: NFKC (full-width punctuation becomes ASCII), no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_LOOKUP: dict[str, State] = {
    **{normalize(word): state for word, state in KNOWN.items()},
    **{state.value: state for state in State},
    **{normalize(word): state for state, word in STATE_LABEL.items()},
}


def state_of(word: str) -> State | None:
    """The state a typed wording (or a canonical state name) stands for; None when it is not known."""
    return _LOOKUP.get(normalize(word))


LABEL_SEPARATOR = "；"
_SEPARATORS = re.compile(r"[；;]")


def split_label(label: str) -> list[str]:
    """The parts of a combined label: 视同完成，持续整改；需持续整改 → [视同完成，持续整改, 需持续整改]."""
    return [part.strip() for part in _SEPARATORS.split(label) if part.strip()]


def join_labels(parts: list[str]) -> str:
    """A combined label from its parts, joined as the genre writes it (full-width semicolon)."""
    return LABEL_SEPARATOR.join(parts)


FIELD_WORDS: dict[str, tuple[str, str]] = {
    "status": ("整改状态", "status"),
    "label": ("整改状态", "status"),
    "leader": ("责任领导", "leader in charge"),
    "department": ("责任科室", "department"),
    "person": ("责任人", "person in charge"),
    "deadline": ("整改时限", "deadline"),
    "completed_on": ("完成时间", "completed on"),
    "next_review": ("复查日期", "next review"),
    "reviewer": ("审核人", "reviewer"),
    "evidence": ("佐证材料", "evidence"),
    "notes": ("备注", "notes"),
    "measures": ("整改措施", "measures"),
}
"""Tracking fields by the ledger's column names (Chinese) and in English."""


def field_word(key: str) -> str:
    """A field's name in the run's language (the record's key when it has none)."""
    words = FIELD_WORDS.get(key)
    if words is None:
        return key
    return words[0] if i18n.language() == "zh" else words[1]
