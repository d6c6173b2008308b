"""Editing a response's measures through the edit API (issue 18): text in, text out, only what changed."""

from __future__ import annotations

import datetime as dt

import pytest

from rectifykit import edit, i18n

DAY = dt.date(2024, 12, 25)
FILE = "data/findings/p-1.yaml"
RECORD = """\
id: p-1
category: conduct
order: 1
title: 窗口服务不规范。
points:
  - text: 制度不健全。
  - text: 台账不完整。
  - text: 监督不到位。
responses:
  - covers: [1]
    status:
      states: [in_progress]
      label: 需持续整改
    measures:
      # the first paragraph
      - 完善窗口服务制度。
      - intro: 通过切实履行监督职能，推进规范执法。  # lead
        items:
          - 严格落实持证上岗要求。
          - 加强执法监督能力建设。  # second
        outro: 目前持续推进。
    department: 局办公室
    deadline: 2024-12-31
  - covers: [2, 3]
    status:
      states: [completed, in_progress]
      label: 视同完成，持续整改；需持续整改
    measures:
      - 制定制度。
    completed_on: 2024-12-01
    parts:
      - points: [2]
        state: completed
      - points: [3]
        state: in_progress
"""
TEXT = """\
完善窗口服务制度。

通过切实履行监督职能，推进规范执法。
（1）严格落实持证上岗要求。
（2）加强执法监督能力建设。
目前持续推进。"""


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_language("en")


def measures_of(text: str) -> list[object]:
    return list(edit.core.tree(text, FILE)["responses"][0]["measures"])


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new), (before, after)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_measures_are_shown_as_paragraphs_with_numbered_lines() -> None:
    assert edit.measures_text(measures_of(RECORD)) == TEXT
    assert edit.measures_from_text(TEXT) == [
        "完善窗口服务制度。",
        {"intro": "通过切实履行监督职能，推进规范执法。", "items": ["严格落实持证上岗要求。", "加强执法监督能力建设。"],
         "outro": "目前持续推进。"},
    ]


def test_changing_one_paragraph_changes_that_line_only_and_keeps_comments() -> None:
    values = edit.measures_from_text(TEXT.replace("完善窗口服务制度。", "完善窗口服务制度,建立台账。"))
    result = edit.update_item(RECORD, "p-1#1", {"measures": values}, display=FILE, today=DAY)
    # the ASCII comma made full-width, as `rectify fmt` does in prose
    assert changed_lines(RECORD, result.after) == [
        ("      - 完善窗口服务制度。", "      - 完善窗口服务制度，建立台账。")]
    assert "      # the first paragraph\n" in result.after and "  # lead\n" in result.after
    assert not result.errors


def test_changing_a_numbered_measure_keeps_the_rest_of_its_paragraph_as_written() -> None:
    values = edit.measures_from_text(TEXT.replace("（2）加强执法监督能力建设。", "（2）加强执法监督队伍建设。"))
    result = edit.update_item(RECORD, "p-1#1", {"measures": values}, display=FILE, today=DAY)
    assert changed_lines(RECORD, result.after) == [
        ("          - 加强执法监督能力建设。  # second", "          - 加强执法监督队伍建设。  # second")]


def test_a_paragraph_can_be_added_and_removed() -> None:
    added = edit.update_item(RECORD, "p-1#1", {"measures": edit.measures_from_text(TEXT + "\n\n开展专项检查。")},
                             display=FILE, today=DAY)
    assert "        outro: 目前持续推进。\n      - 开展专项检查。\n    department: 局办公室\n" in added.after
    removed = edit.update_item(RECORD, "p-1#1", {"measures": edit.measures_from_text(TEXT.split("\n\n")[1])},
                               display=FILE, today=DAY)
    assert "完善窗口服务制度" not in removed.after
    assert "      - intro: 通过切实履行监督职能，推进规范执法。  # lead\n" in removed.after


def test_no_measures_on_a_completed_response_is_an_error_before_anything_is_written() -> None:
    done = {"status": "completed", "completed_on": "2024-12-20"}
    assert not edit.update_item(RECORD, "p-1#1", done, display=FILE, today=DAY).errors
    result = edit.update_item(RECORD, "p-1#1", {**done, "measures": []}, display=FILE, today=DAY)
    assert [d.code for d in result.errors] == ["RK210"]
    open_one = edit.update_item(RECORD, "p-1#1", {"measures": []}, display=FILE, today=DAY)
    assert not open_one.errors and "完善窗口服务制度" not in open_one.after


def test_measures_belong_to_the_response_not_to_a_part() -> None:
    with pytest.raises(edit.EditError, match="whole response"):
        edit.update_item(RECORD, "p-1#2.1", {"measures": ["制定制度。"]}, display=FILE, today=DAY)


@pytest.mark.parametrize("text", [
    "第一段\n第二段",                              # two lines, no numbers, no blank line between
    "导语\n（2）措施\n（1）措施",                   # numbers out of order
    "导语\n其他\n（1）措施",                        # two lines before the numbered measures
])
def test_text_that_cannot_be_read_back_says_how_to_write_it(text: str) -> None:
    with pytest.raises(edit.EditError, match="measures paragraph 1"):
        edit.measures_from_text(text)


def test_measures_whose_text_would_not_read_back_the_same_are_not_offered_as_text() -> None:
    assert edit.measures_text([{"intro": "只有导语。"}]) is None
    assert edit.measures_text(["（1）像编号的段落。"]) is None
    assert edit.measures_text(["一行\n两行"]) is None
    assert edit.measures_text([]) == ""
