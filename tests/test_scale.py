"""Office scale (issue 17): realistic files stay on the fast path, and the large-set paths agree with the plain ones."""

from __future__ import annotations

from rectifykit.yamlio import Located, compose
from rectifykit.yamlio.compose import _compose_libyaml, _Converter

REALISTIC = '''# Problem 3 (category implementation).
id: "community-correction"
category: implementation
order: 3
title: '矫正工作存在薄弱环节。'
points:
  - title: 执法不规范。  # from the report
    text: |
      2021年区司法局自查出有关问题13条。
      其中执法类问题5条。
  - title: "分解审调压力措施不多。"
    text: >-
      近年来，全区审前调查工作任务重，
      社区矫正交叉检查发现审调超期。
responses:
  - covers: [1, 2]
    status: {states: [completed], label: "整改完成"}
    measures:
      - "印发学习资料，发放给辖区司法所学习。"
      - >
        结合专项排查行动实施方案，进行排查。
    "completed_on": 2024-04-30
'''


def test_quoted_block_and_folded_scalars_comments_and_flow_lists_read_on_the_fast_path() -> None:
    located = compose(REALISTIC)
    assert isinstance(located, Located)
    assert located.text is not None, "read without positions: they are found only when a diagnostic asks"
    assert located.data["points"][0]["text"] == "2021年区司法局自查出有关问题13条。\n其中执法类问题5条。\n"
    assert located.data["points"][1]["text"] == "近年来，全区审前调查工作任务重， 社区矫正交叉检查发现审调超期。"
    assert located.data["responses"][0]["status"] == {"states": ["completed"], "label": "整改完成"}
    assert located.data["responses"][0]["completed_on"] == "2024-04-30"
    full = _Converter().run(_compose_libyaml(REALISTIC))  # what the full converter reads: the same data
    assert isinstance(full, Located) and full.data == located.data
    assert located.key_at(("responses", 0, "completed_on")) == (22, 5)


def test_a_quoted_key_met_twice_is_still_a_duplicate() -> None:
    problem = compose('id: a\n"id": b\n')
    assert not isinstance(problem, Located)
    assert (problem.code, problem.line) == ("RK007", 2)
