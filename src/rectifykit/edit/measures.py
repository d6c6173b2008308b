"""A response's measures as text a person edits, and back; set in a round-trip tree changing only what changed.

The text form (the web workspace's form): one block per measures paragraph, blocks separated by a blank line.
A plain paragraph is one line. A structured paragraph (``intro``/``items``/``outro``) is its lead line (if
any), one line per numbered measure written ``（1）…``, ``（2）…``, and its closing line (if any)::

    完善窗口服务制度。

    通过切实履行行政执法监督职能，推进规范公正文明执法。
    （1）严格落实行政执法“持证上岗，亮证执法”要求。
    （2）加强行政执法监督机制和能力建设。

Measures whose text form would not read back the same (a paragraph of several lines, a lead text alone, a
plain paragraph starting with ``（1）``) are not offered as text: :func:`as_text` returns None for them.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

from rectifykit import yamlio
from rectifykit.edit.core import EditError
from rectifykit.i18n import _
from rectifykit.model import typography as punctuation
from rectifykit.model.numbering import measure_prefix

Measure = str | dict[str, Any]
"""A measures paragraph as plain data: its text, or ``{"intro": …, "items": […], "outro": …}``."""
_NUMBERED = re.compile(r"^（(\d+)）")
_PARTS = ("intro", "items", "outro")


def plain(value: Any) -> Measure:
    """A measures paragraph of a tree (or a model) as plain data; structured keys left out when absent."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, Mapping):
        get = value.get
    else:
        def get(key: str, default: Any = None) -> Any:
            return getattr(value, key, default)
    out: dict[str, Any] = {}
    if get("intro") is not None:
        out["intro"] = str(get("intro"))
    if get("items"):
        out["items"] = [str(i) for i in get("items") or []]
    if get("outro") is not None:
        out["outro"] = str(get("outro"))
    return out


def _block(measure: Measure) -> str:
    if isinstance(measure, str):
        return measure
    lines = [measure["intro"]] if "intro" in measure else []
    lines += [measure_prefix(n) + item for n, item in enumerate(measure.get("items", []), start=1)]
    return "\n".join(lines + ([measure["outro"]] if "outro" in measure else []))


def as_text(measures: Sequence[Any]) -> str | None:
    """The text form of a response's measures; None when it would not read back as the same measures."""
    values = [plain(m) for m in measures]
    text = "\n\n".join(_block(m) for m in values)
    try:
        return text if from_text(text) == values else None
    except EditError:
        return None


def from_text(text: str) -> list[Measure]:
    """Measures from their text form (see the module docstring); EditError saying which paragraph is wrong."""
    blocks = re.split(r"\n[ \t\u3000]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    out: list[Measure] = []
    for b, block in enumerate(blocks, start=1):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        numbered = [i for i, line in enumerate(lines) if _NUMBERED.match(line)]
        if not numbered:
            if len(lines) > 1:
                raise EditError(_("measures paragraph {n} has several lines: write a paragraph on one line, "
                                  "separate paragraphs by a blank line, or number the measures （1）（2）…").format(
                                      n=b))
            out.append(lines[0])
            continue
        first, last = numbered[0], numbered[-1]
        if first > 1 or len(lines) - last > 2 or numbered != list(range(first, last + 1)):
            raise EditError(_("measures paragraph {n}: write at most one line before the numbered measures and one "
                              "after them, each numbered measure on one line").format(n=b))
        items = []
        for n, i in enumerate(numbered, start=1):
            match = _NUMBERED.match(lines[i])
            if match is None or int(match.group(1)) != n:
                raise EditError(_("measures paragraph {n}: number the measures （1）（2）… in order").format(n=b))
            items.append(lines[i][match.end():].strip())
        if not all(items):
            raise EditError(_("measures paragraph {n}: a numbered measure is empty").format(n=b))
        measure: dict[str, Any] = {"intro": lines[0]} if first == 1 else {}
        measure["items"] = items
        if last < len(lines) - 1:
            measure["outro"] = lines[-1]
        out.append(measure)
    return out


def _checked(value: Any) -> Measure:
    if isinstance(value, str):
        if not value.strip():
            raise EditError(_("measures: a paragraph is empty"))
        return value.strip()
    if isinstance(value, Mapping) and value and set(value) <= set(_PARTS):
        measure = plain(value)
        assert isinstance(measure, dict)
        texts = [measure.get("intro"), *measure.get("items", []), measure.get("outro")]
        if measure and all(t is None or str(t).strip() for t in texts):
            return measure
    raise EditError(_("measures: each paragraph is a text or a mapping of intro, items and outro"))


def _key(measure: Measure) -> Hashable:
    if isinstance(measure, str):
        return measure
    return (measure.get("intro"), tuple(measure.get("items", [])), measure.get("outro"))


def _fixed(measure: Measure) -> Measure:
    """Punctuation made full-width as ``rectify fmt`` makes it in prose."""
    if isinstance(measure, str):
        return punctuation.fix(measure)
    return {k: [punctuation.fix(i) for i in v] if k == "items" else punctuation.fix(v) for k, v in measure.items()}


def _node(measure: Measure) -> Any:
    if isinstance(measure, str):
        return measure
    node = yamlio.rt_load("x: {}\n")["x"]
    node.fa.set_block_style()
    for key in _PARTS:
        if key in measure:
            node[key] = list(measure[key]) if key == "items" else measure[key]
    return node


def _restyle(old: Any, new: str) -> str:
    return yamlio.restyled(old, new) if isinstance(old, str) else new


def _replace(seq: Any, i: int, measure: Measure) -> None:
    """Replace paragraph ``i`` of a tree's measures, keeping its node (and its comments) when both are mappings."""
    old: Any = seq[i]
    if isinstance(measure, str) or not isinstance(old, Mapping):
        seq[i] = _restyle(old, measure) if isinstance(measure, str) else _node(measure)
        return
    node: Any = old  # a round-trip mapping
    for key in ("intro", "outro"):
        if key not in measure:
            node.pop(key, None)
        elif node.get(key) != measure[key]:
            node[key] = _restyle(node.get(key), measure[key])
    items = measure.get("items", [])
    current = node.get("items")
    if not items:
        node.pop("items", None)
    elif isinstance(current, list):
        for j, text in enumerate(items[:len(current)]):
            if current[j] != text:
                current[j] = _restyle(current[j], text)
        del current[len(items):]
        current.extend(items[len(current):])
    else:
        node.insert(1 if "intro" in node else 0, "items", list(items))


def set_measures(response: Any, values: Sequence[Any], *, put: Any) -> None:
    """Make a response's measures (a round-trip mapping) ``values``; paragraphs that did not change keep their
    node, comments and style; changed text gets full-width punctuation. An empty list removes ``measures``.
    ``put(mapping, key, value)`` sets a key that is not there yet in its place."""
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise EditError(_("measures: give a list of paragraphs"))
    new = [_checked(v) for v in values]
    seq = response.get("measures")
    if not new:
        response.pop("measures", None)
        return
    if not isinstance(seq, list):
        put(response, "measures", [_node(_fixed(m)) for m in new])
        return
    old = [_key(plain(m)) for m in seq]
    ops = SequenceMatcher(a=old, b=[_key(m) for m in new], autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):  # from the end: the indices before i1 stay valid
        if tag == "equal":
            continue
        both = min(i2 - i1, j2 - j1)
        for k in range(both):
            _replace(seq, i1 + k, _fixed(new[j1 + k]))
        for k in reversed(range(i1 + both, i2)):
            del seq[k]
        for k in range(j1 + both, j2):
            seq.insert(i1 + (k - j1), _node(_fixed(new[k])))
