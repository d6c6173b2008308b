"""Composing a record's text with libyaml (fast) or ruamel.yaml into a located tree; bad input becomes YamlProblem."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from rectifykit.yamlio.located import Located, Parser, Path_, Positions, YamlProblem
from rectifykit.yamlio.scalars import (
    ALLOWED_TAGS,
    CONTROL,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    MAX_VALUES,
    PLAIN,
    STD,
    NumberTooLong,
    _explicit,
    resolve_plain,
)

# --- composing with either parser --------------------------------------------

_MAP, _SEQ, _STR = STD + "map", STD + "seq", STD + "str"


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's loader when PyYAML was built with it (CSafeLoader has the same interface)
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LibyamlLoader(_SafeLoader):
    """libyaml's composer with our resolver: plain scalars stay unresolved."""

    # types-PyYAML declares this per instance, but PyYAML keeps it on the class (add_implicit_resolver)
    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}  # type: ignore[misc]  # stub is wrong (see above)

    # libyaml's composer calls these two around every node for path resolvers, which this loader has none of:
    # two callables of C that take the same arguments and do nothing with them (~7% of composing a record).
    descend_resolver = slice  # type: ignore[assignment]  # (parent, index) -> ignored
    ascend_resolver = tuple  # type: ignore[assignment]  # () -> ignored

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # Called by libyaml's composer for every untagged node: answered without the base
        # resolver's look-ups (same tags: no implicit resolvers and no path resolvers here).
        if kind is yaml.ScalarNode:
            return PLAIN if implicit[0] else _STR
        return _MAP if kind is yaml.MappingNode else _SEQ


def _compose_libyaml(text: str) -> Any:
    loader = _LibyamlLoader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return node


def _compose_ruamel(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.tag import Tag

    class Resolver(VersionedResolver):
        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is ScalarNode and implicit[0]:
                return Tag(suffix=PLAIN)
            return super().resolve(kind, value, implicit)

    y = YAML(typ="rt")
    y.Resolver = Resolver
    return y.compose(text)


_COMPOSERS = {"libyaml": _compose_libyaml, "ruamel": _compose_ruamel}


def _mark_position(mark: Any, text: str) -> tuple[int, int]:
    """1-based line and column of a parser mark; a mark past the last character is
    placed just after it (the two parsers put end-of-input marks differently)."""
    if mark is None:
        return 1, 1
    end = len(text.rstrip())
    if mark.index < end:
        return mark.line + 1, mark.column + 1
    before = text[:end]
    return before.count("\n") + 1, end - (before.rfind("\n") + 1) + 1


def _mark_problem(exc: Exception, text: str) -> YamlProblem:
    """A parser's exception as a YamlProblem at the place it names."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, column = _mark_position(mark, text)
    problem = str(getattr(exc, "problem", None) or exc).strip()
    if "expected a single document" in problem or "but found another document" in problem:
        return YamlProblem("RK010", line, column)
    if "'\\t'" in problem or "\\t" in problem or "tab" in problem.lower():
        return YamlProblem("RK006", line, column)
    return YamlProblem("RK005", line, column, {"problem": problem})


def tab_indent(text: str) -> tuple[int, int] | None:
    """The first line indented with a tab (YAML forbids it), 1-based."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t") and stripped.strip():
            return number, len(line) - len(stripped) + 1
    return None


def compose(text: str, parser: Parser = "libyaml", *, screened: bool = False) -> Located | YamlProblem:
    """Parse YAML text into located plain data, or the first problem found; ``screened``: the text holds no
    control character (the caller searched it, as a record file's bytes are when decoded)."""
    if not screened and (control := CONTROL.search(text)):
        before = text[: control.start()]
        line, column = before.count("\n") + 1, control.start() - (before.rfind("\n") + 1) + 1
        return YamlProblem("RK003", line, column, {"offset": len(before.encode("utf-8"))})
    # Both paths give one verdict. libyaml reads first, always: it is cheap, and
    # what it finds wrong in a tree it reads (duplicate keys, tags, alias bombs,
    # nesting) is final, so ruamel.yaml never has to chew on an attack. Then
    # ruamel.yaml, which writes records back and must read every valid one, has
    # the last word: on text libyaml rejects (its error is the one shown if
    # ruamel.yaml rejects the text too; the two notice errors at different
    # places), on text with tabs (ruamel.yaml refuses them where libyaml
    # does not), and when asked for by name. A valid file is read once.
    fast = _compose_with("libyaml", text)
    if not isinstance(fast, Exception):
        located = _located(fast, text, "libyaml")
        # "id： x" alone reads as one string: say what the writer meant.
        if isinstance(located, Located) and not isinstance(located.data, dict) and (colon := fullwidth_colon_key(text)):
            return colon[1]
        if (parser == "libyaml" and "\t" not in text) or isinstance(located, YamlProblem):
            return located
    elif "nesting depth" in str(getattr(fast, "problem", "")):
        return _syntax_problem(fast, text)
    slow = _compose_with("ruamel", text)
    if not isinstance(slow, Exception):
        return _located(slow, text, "ruamel")
    return _syntax_problem(fast if isinstance(fast, Exception) else slow, text)


def _compose_with(parser: Parser, text: str) -> Any:
    """The node tree (None for an empty document), or the parser's exception; other errors propagate."""
    try:
        return _COMPOSERS[parser](text)
    except RecursionError as exc:
        return exc
    except Exception as exc:
        if not hasattr(exc, "problem_mark") and not hasattr(exc, "context_mark"):
            raise
        return exc


def _syntax_problem(exc: Exception, text: str) -> YamlProblem:
    """A parser's exception as the problem reported; an error after a tab indentation is the tab's."""
    if isinstance(exc, RecursionError):  # nesting deeper than Python's stack
        return YamlProblem("RK005", 1, 1, {"problem": f"exceeded maximum nesting depth ({MAX_DEPTH})"})
    problem = _mark_problem(exc, text)
    if problem.code == "RK005" and (tab := tab_indent(text)) and tab[0] <= problem.line:
        return YamlProblem("RK006", *tab)
    if problem.code == "RK005" and (colon := fullwidth_colon_key(text)) and colon[0] <= problem.line:
        return colon[1]
    return problem


_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*：")


def fullwidth_colon_key(text: str) -> tuple[int, YamlProblem] | None:
    """The first line whose key is followed by a full-width colon (id：), the usual slip of a Chinese keyboard."""
    for number, line in enumerate(text.splitlines(), 1):
        if match := _FULLWIDTH_KEY.match(line):
            column = len(line[: match.end()])
            return number, YamlProblem("RK018", number, column, {"key": match.group(2)})
    return None


def _located(node: Any, text: str, parser: Parser) -> Located | YamlProblem:
    """A composed tree as located plain data, or what is wrong in it.

    The common case (plain, quoted, block and folded scalars, mappings and lists in block or
    flow style, comments; no anchors, merge keys, duplicate keys or other tags) is converted
    without positions; anything else, or any problem, goes through the full converter,
    which gives the verdict and the places.
    """
    if node is None:
        return YamlProblem("RK004", 1, 1)
    try:
        data = _fast(node, 0, [0])
    except _Unusual:
        return _Converter().run(node)
    return Located(data, text=text, parser=parser, find=positions)


def positions(text: str, parser: Parser) -> Positions:
    """Where every value and key of a text that read clean stands: the full conversion, run again."""
    full = _Converter().run(_COMPOSERS[parser](text))
    assert isinstance(full, Located), "a text read once reads again"
    return full.values, full.keys


class _Unusual(Exception):
    """The fast conversion met something only the full converter judges."""




def _fast(node: Any, depth: int, count: list[int]) -> Any:
    """Plain data from a tree of untagged scalars, mappings and lists; _Unusual otherwise.

    Recursive aliases end at the depth limit; other aliases are read again like the full converter
    does, and counted."""
    count[0] += 1
    if count[0] > MAX_VALUES or depth > MAX_DEPTH:
        raise _Unusual
    tag = node.tag
    if tag == PLAIN:
        try:
            return resolve_plain(node.value)
        except NumberTooLong:
            raise _Unusual from None
    if tag == _STR and node.id == "scalar":  # quoted, block or folded (or !!str: the same text)
        if node.style == '"' and CONTROL.search(node.value):  # an escape spelled a control character
            raise _Unusual
        return node.value
    if tag == _MAP and node.id == "mapping":
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_node.id != "scalar" or (key_tag != PLAIN and key_tag != _STR):
                raise _Unusual
            key = key_node.value
            if (key == "<<" and key_tag == PLAIN) or key in out:
                raise _Unusual
            out[key] = _fast(value_node, depth + 1, count)
        return out
    if tag == _SEQ and node.id == "sequence":
        return [_fast(item, depth + 1, count) for item in node.value]
    raise _Unusual


class _Converter:
    """Node tree to plain data, with positions; checks keys, tags and size."""

    def __init__(self) -> None:
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.count = 0
        self.active: set[int] = set()
        self.seen: set[int] = set()
        self.expansion: tuple[int, int] | None = None
        """Where the outermost alias being expanded stands: the place an alias bomb is reported."""

    def run(self, node: Any) -> Located | YamlProblem:
        try:
            data = self.convert(node, ())
        except _Stop as stop:
            return stop.problem
        return Located(data, self.values, self.keys)

    @staticmethod
    def pos(node: Any) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def convert(self, node: Any, path: Path_) -> Any:
        # A node met again is an alias. The composers keep no position of the
        # alias itself, so an expansion is placed at the value that holds it.
        outermost = self.expansion is None and id(node) in self.seen
        if outermost:
            self.expansion = self.values.get(path[:-1], self.pos(node))
        self.seen.add(id(node))
        try:
            return self._convert(node, path)
        finally:
            if outermost:
                self.expansion = None

    def _convert(self, node: Any, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES or id(node) in self.active:  # too many values, or a recursive alias
            raise _Stop(YamlProblem("RK009", *(self.expansion or self.pos(node)), {"limit": MAX_VALUES}))
        if len(path) > MAX_DEPTH:  # before Python's own recursion limit; worded as libyaml words it
            problem = f"exceeded maximum nesting depth ({MAX_DEPTH})"
            raise _Stop(YamlProblem("RK005", *self.pos(node), {"problem": problem}))
        self.values[path] = self.pos(node)
        tag = str(node.tag)
        if tag != PLAIN and tag not in ALLOWED_TAGS:
            raise _Stop(YamlProblem("RK008", *self.pos(node), {"tag": tag.replace(STD, "!!")}))
        kind = node.id
        if kind == "scalar":
            return self.scalar(node, tag)
        self.active.add(id(node))
        try:
            if kind == "sequence":
                return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
            return self.mapping(node, path)
        finally:
            self.active.discard(id(node))

    def scalar(self, node: Any, tag: str) -> Any:
        if getattr(node, "style", None) == '"' and (control := CONTROL.search(node.value)):  # an escape: "\x01"
            char = control.group().encode("unicode_escape").decode("ascii")
            raise _Stop(YamlProblem("RK019", *self.pos(node), {"char": char}))
        try:
            return resolve_plain(node.value) if tag == PLAIN else _explicit(tag, node.value)
        except NumberTooLong as exc:
            args: dict[str, object] = {"digits": exc.digits, "limit": MAX_INT_DIGITS}
            raise _Stop(YamlProblem("RK030", *self.pos(node), args)) from None
        except ValueError:
            raise _Stop(YamlProblem("RK008", *self.pos(node), {"tag": tag.replace(STD, "!!")})) from None

    def mapping(self, node: Any, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.id != "scalar" or str(key_node.tag) not in (PLAIN, STD + "str"):
                found = "merge key <<" if str(key_node.tag).endswith("merge") else key_node.id
                raise _Stop(YamlProblem("RK013", *self.pos(key_node), {"found": found}))
            key = key_node.value
            line, column = self.pos(key_node)
            if key == "<<" and str(key_node.tag) == PLAIN:
                raise _Stop(YamlProblem("RK013", line, column, {"found": "merge key <<"}))
            if key in first:
                raise _Stop(YamlProblem("RK007", line, column, {"key": key, "first_line": first[key]}))
            first[key] = line
            self.keys[(*path, key)] = (line, column)
            out[key] = self.convert(value_node, (*path, key))
            if _is_empty(value_node):
                # ``key:`` and nothing after it: libyaml places the empty value
                # after the colon, ruamel.yaml on the next line; the key is
                # where the user looks.
                self.values[(*path, key)] = (line, column)
        return out


def _is_empty(node: Any) -> bool:
    """An omitted value: an untagged plain scalar of no characters."""
    return node.id == "scalar" and str(node.tag) == PLAIN and node.start_mark.index == node.end_mark.index


class _Stop(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem
