"""Writing records back with ruamel.yaml's round trip: comments, key order and quoting kept."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from rectifykit.yamlio.compose import compose
from rectifykit.yamlio.located import Path_, YamlProblem

# --- round trip (writing records back, comments kept) ------------------------


def round_trip():
    """The one configured ruamel.yaml instance for edits that keep comments."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.allow_unicode = True
    y.width = 1_000_000  # never fold a long line of text: a canonical file has one value a line
    y.indent(mapping=2, sequence=4, offset=2)
    return y


_TIMESTAMP = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?![0-9])")


def impossible_date(text: str) -> YamlProblem | None:
    """The first plain scalar the round trip reads as a date that is no day of the calendar (RK031), if any."""
    from ruamel.yaml import YAML

    def walk(node: Any) -> YamlProblem | None:
        if node.id == "scalar":
            if str(node.tag).endswith(":timestamp") and (match := _TIMESTAMP.match(node.value)):
                try:
                    dt.date(*(int(g) for g in match.groups()))
                except ValueError:
                    line, column = node.start_mark.line + 1, node.start_mark.column + 1
                    return YamlProblem("RK031", line, column, {"value": node.value})
            return None
        children = node.value if node.id == "sequence" else [n for pair in node.value for n in pair]
        return next((p for p in map(walk, children) if p is not None), None)

    node = YAML(typ="rt").compose(text)
    return None if node is None else walk(node)


def rt_load(text: str) -> Any:
    """Text to ruamel.yaml's round-trip tree (mappings and lists that carry their comments and styles).

    Raises the parser's exception on broken YAML: check the text with :func:`compose` first.
    """
    return round_trip().load(text)


def rt_dump(tree: Any) -> str:
    """A round-trip tree back to text, in the configured style."""
    import io

    out = io.StringIO()
    round_trip().dump(tree, out)
    return out.getvalue()


def restyled(old: str, new: str) -> str:
    """``new`` in the scalar style of ``old`` (plain, quoted, literal block), to replace ``old`` in a tree."""
    cls = type(old)
    if cls is str:
        return new
    if getattr(cls, "style", None) == ">":
        from ruamel.yaml.scalarstring import LiteralScalarString

        return LiteralScalarString(new)  # the fold positions of the old text do not fit the new one
    return cls(new)


def dump(
    data: dict[str, Any],
    *,
    comments: dict[Path_, str] | None = None,
    flow: Iterable[Path_] = (),
    header: str | None = None,
) -> str:
    """Plain data (dicts, lists, text, numbers, dates) as new YAML text in the records' style (``rectify import``).

    ``comments`` puts an end-of-line comment after the value at a path: a mapping key's path
    (``("responses", 0, "status")``) or a list item's. ``flow`` writes the mappings and lists at
    these paths in flow style (``{start: …, end: …}``, ``[1, 3]``). ``header`` becomes the comment
    lines at the top. Text of several lines is written as a literal block. The text is read back
    with YAML 1.2 rules and must give the same data; otherwise ValueError (a bug, never bad input).
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    notes = comments or {}
    flowing = set(flow)

    def build(value: Any, path: Path_) -> Any:
        if isinstance(value, dict):
            node: Any = CommentedMap()
            for key, item in value.items():
                node[key] = build(item, (*path, key))
                if (*path, key) in notes:
                    node.yaml_add_eol_comment(notes[(*path, key)], key)
        elif isinstance(value, list):
            node = CommentedSeq(build(item, (*path, i)) for i, item in enumerate(value))
            for i in range(len(value)):
                if (*path, i) in notes:
                    node.yaml_add_eol_comment(notes[(*path, i)], i)
        elif isinstance(value, str) and "\n" in value:
            return LiteralScalarString(value)
        else:
            return value
        if path in flowing:
            node.fa.set_flow_style()
        return node

    tree = build(data, ())
    if header:
        tree.yaml_set_start_comment(header)
    text = rt_dump(tree)
    back = compose(text)
    if isinstance(back, YamlProblem) or back.data != plain(data):
        raise ValueError("dumped YAML does not read back as the same data")
    return text


def plain(value: Any) -> Any:
    """Data as :func:`compose` gives it back: dates become their ISO text."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
