"""Full-width punctuation in Chinese text, and what the fixer must leave alone."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectifykit.model.typography import fix

CASES = [
    # (typed, fixed)
    ("视同完成,持续整改;需持续整改", "视同完成，持续整改；需持续整改"),
    ("联系电话:027-56919296;电子邮箱:895724885@qq.com。", "联系电话：027-56919296；电子邮箱：895724885@qq.com。"),
    ("(1)强化培训(2)完善制度", "（1）强化培训（2）完善制度"),
    ("整改, 持续 (附件) 完成", "整改，持续（附件）完成"),
    ("2020-2022年,完成", "2020-2022年，完成"),
    ("共支出8.82万元,其中1,000元为差旅费", "共支出8.82万元，其中1,000元为差旅费"),
    ("17:44召开会议", "17:44召开会议"),
    ("时间:17:44", "时间：17:44"),
    ("依据鄂城法办发(2023)6号文件,开展", "依据鄂城法办发(2023)6号文件，开展"),
    ("依据鄂城法办发〔2023〕6号", "依据鄂城法办发〔2023〕6号"),
    ("见https://example.org/a,b;c 网站,", "见https://example.org/a,b;c 网站，"),
    ("网址www.example.org:8080,首页", "网址www.example.org:8080，首页"),
    ("反馈意见{problems:conduct}条,", "反馈意见{problems:conduct}条，"),
    ("f(x), a, b: c; d", "f(x), a, b: c; d"),
    ("English, 中文", "English，中文"),
    ("", ""),
]


@pytest.mark.parametrize(("typed", "fixed"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_examples(typed: str, fixed: str) -> None:
    assert fix(typed) == fixed
    assert fix(fixed) == fixed


text = st.text(st.sampled_from(list("整改完成制度学习号年月日 ,:;()0123456789.-@abcXYZ/〔〕，（）")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(text)
def test_fix_is_idempotent(s: str) -> None:
    once = fix(s)
    assert fix(once) == once


@settings(max_examples=300, deadline=None)
@given(text)
def test_fix_only_changes_width_and_drops_spaces(s: str) -> None:
    """Read back in NFKC (as the seed checks compare texts), only spaces around converted marks differ."""
    def norm(t: str) -> str:
        return unicodedata.normalize("NFKC", t).replace(" ", "")

    assert norm(fix(s)) == norm(s)
