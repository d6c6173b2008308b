"""``rectify new``: the text of a new problem file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from rectifykit import yamlio
from rectifykit.edit.core import Context, EditError, check_texts, dump, errors
from rectifykit.edit.record import apply_changes
from rectifykit.load.project import FINDINGS
from rectifykit.load.records import Loaded
from rectifykit.model import typography as punctuation
from rectifykit.model.records import Finding, State
from rectifykit.model.wording import STATE_LABEL

_SCAFFOLD = """\
id: x
category: x
order: 1
title: x
description: x
responses:
  - status:
      states: [not_started]
      label: x
"""


def next_order(findings: Sequence[Loaded[Finding]] | Sequence[Finding], category: str) -> int:
    """The next free position in a category: one past the highest used."""
    records = [f.record if isinstance(f, Loaded) else f for f in findings]
    return max((f.order for f in records if f.category == category), default=0) + 1


def new_finding(
    *, id: str, category: str, order: int, title: str, description: str | None = None,
    tracking: Mapping[str, Any] | None = None, context: Context | None = None, today: dt.date | None = None,
) -> str:
    """The text of a new problem file: the required fields, one response not started, optional tracking fields.

    Without a description the key is left out: no placeholder text that validate would flag (RK246).
    EditError when a tracking value is wrong or the new record would have errors (checked with ``context``).
    """
    tree = yamlio.rt_load(_SCAFFOLD)
    tree["id"], tree["category"], tree["order"] = id, category, order
    tree["title"], tree["description"] = punctuation.fix(title.strip()), punctuation.fix((description or "").strip())
    if not tree["description"]:
        del tree["description"]
    response = tree["responses"][0]
    response["status"]["label"] = STATE_LABEL[State.not_started]
    apply_changes(response, response, {k: v for k, v in (tracking or {}).items() if v is not None}, part=False)
    text = dump(tree)
    display = (FINDINGS / f"{id}.yaml").as_posix()
    if problems := errors(check_texts({display: text}, today=today or dt.date.today(), context=context)):
        raise EditError(problems[0].message, problems)
    return text
