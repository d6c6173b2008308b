"""YAML in and out: compose a located tree with libyaml or ruamel.yaml, round-trip writes.

Reading composes a node tree (libyaml's C composer when available: ~15x
faster than ruamel.yaml's pure-Python round trip, see PERFORMANCE.md) and
turns it into plain data with YAML 1.2 core-schema scalars, recording where
every value and key stands. Both composers go through the same conversion,
so they give the same data and the same diagnostics. Bad input becomes
``YamlProblem`` values; nothing here raises on user input.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

import yaml

Path_ = tuple[str | int, ...]
Parser = Literal["libyaml", "ruamel"]

PLAIN = "tag:rectifykit.plain"
"""Tag given to untagged plain scalars, resolved by YAML 1.2 rules below."""
STD = "tag:yaml.org,2002:"
ALLOWED_TAGS = {STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
"""Control characters not allowed in a record (tab, line feed and carriage return are fine).

NEL and the Unicode line and paragraph separators are refused too: YAML 1.1 and
1.2 disagree on whether they end a line, so they would shift line numbers. So is
a byte order mark after the start of the text (one at the start is dropped when
the file is read): libyaml skips it, ruamel.yaml reads it as part of a key or value."""
MAX_VALUES = 100_000
"""More values than this after alias expansion is an alias bomb, not a record."""
MAX_DEPTH = 100
"""Deeper nesting than this is not a record (a record needs six levels); libyaml stops at 1000."""
MAX_INT_DIGITS = 18
"""Digits a number in a record may have: more is no number a record holds (and past 4,300 Python refuses it)."""


class NumberTooLong(ValueError):
    """A plain integer with more than :data:`MAX_INT_DIGITS` digits."""

    def __init__(self, digits: int) -> None:
        super().__init__(f"{digits} digits")
        self.digits = digits


@dataclass(frozen=True)
class YamlProblem:
    """A problem with the YAML text, 1-based position, with a diagnostic code."""

    code: str
    line: int
    column: int
    args: dict[str, object] = field(default_factory=dict)


class Located:
    """Plain data plus where each value (and each mapping key) stands, 1-based.

    A text that reads clean is converted without noting positions (faster, and ~60% less
    memory for a large record set); ``values`` and ``keys`` are worked out from the kept text,
    by the same parser, the first time a diagnostic asks for a place.
    """

    __slots__ = ("_keys", "_parser", "_text", "_values", "data")

    def __init__(
        self,
        data: Any,
        values: dict[Path_, tuple[int, int]] | None = None,
        keys: dict[Path_, tuple[int, int]] | None = None,
        *,
        text: str | None = None,
        parser: Parser | None = None,
    ) -> None:
        if (values is None or keys is None) and (text is None or parser is None):
            raise ValueError("positions, or the text and parser to find them again")
        self.data, self._values, self._keys, self._text, self._parser = data, values, keys, text, parser

    @property
    def text(self) -> str | None:
        """The text the data was read from, when it was kept (a file that read clean)."""
        return self._text

    @property
    def values(self) -> dict[Path_, tuple[int, int]]:
        if self._values is None:
            self._find_positions()
        return self._values  # type: ignore[return-value]

    @property
    def keys(self) -> dict[Path_, tuple[int, int]]:
        if self._keys is None:
            self._find_positions()
        return self._keys  # type: ignore[return-value]

    def _find_positions(self) -> None:
        full = _Converter().run(_COMPOSERS[self._parser](self._text))  # type: ignore[index]
        assert isinstance(full, Located), "a text read once reads again"
        self._values, self._keys, self._text = full._values, full._keys, None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Located):
            return NotImplemented
        return (self.data, self.values, self.keys) == (other.data, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by parallel loading: plain and fast
        return (_restore, (self.data, self._values, self._keys, self._text, self._parser))

    def __repr__(self) -> str:
        return f"Located(data={self.data!r})"

    def value_at(self, path: Path_) -> tuple[int, int]:
        """The position of the value at ``path``, or of its nearest located parent."""
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, (1, 1))

    def key_at(self, path: Path_) -> tuple[int, int]:
        """The position of the key naming ``path``; the value's for list items."""
        if path in self.keys:
            return self.keys[path]
        return self.value_at(path)


def _restore(data: Any, values: Any, keys: Any, text: str | None, parser: Parser | None) -> Located:
    located = Located.__new__(Located)
    located.data, located._values, located._keys, located._text, located._parser = data, values, keys, text, parser
    return located


# --- YAML 1.2 core schema for plain scalars ---------------------------------

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_SPECIAL_FIRST = frozenset("~nNtTfF-+.0123456789")
"""The first characters a null, boolean or number can start with."""


def resolve_plain(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if value and value[0] not in _SPECIAL_FIRST:  # most values are text: no pattern can match
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value) or _OCT.match(value) or _HEX.match(value):
        digits = len(value.lstrip("+-").removeprefix("0o").removeprefix("0x"))
        if digits > MAX_INT_DIGITS:
            raise NumberTooLong(digits)
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return -math.inf if value.startswith("-") else math.inf
    if _NAN.match(value):
        return math.nan
    return value


def _explicit(tag: str, value: str) -> Any:
    """An explicitly tagged standard scalar (``!!str 1``, ``!!int "3"``)."""
    kind = tag.removeprefix(STD)
    if kind in ("str", "timestamp"):
        return value
    resolved = resolve_plain(value)
    expected = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}[kind]
    if isinstance(resolved, expected) and not (kind == "int" and isinstance(resolved, bool)):
        return float(resolved) if kind == "float" else resolved
    raise ValueError(kind)


# --- composing with either parser --------------------------------------------


class _LibyamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's composer with our resolver: plain scalars stay unresolved."""

    yaml_implicit_resolvers: ClassVar[dict[str, Any]] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return PLAIN
        return super().resolve(kind, value, implicit)


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


def compose(text: str, parser: Parser = "libyaml") -> Located | YamlProblem:
    """Parse YAML text into located plain data, or the first problem found."""
    if control := CONTROL.search(text):
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

    The common case (plain scalars, mappings and lists, no anchors or tags) is converted
    without positions; anything else, or any problem, goes through the full converter,
    which gives the verdict and the places.
    """
    if node is None:
        return YamlProblem("RK004", 1, 1)
    try:
        data = _fast(node, 0, [0])
    except _Unusual:
        return _Converter().run(node)
    return Located(data, text=text, parser=parser)


class _Unusual(Exception):
    """The fast conversion met something only the full converter judges."""


_MAP, _SEQ = STD + "map", STD + "seq"


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
    if tag == _MAP:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag != PLAIN or key_node.id != "scalar":
                raise _Unusual
            key = key_node.value
            if key == "<<" or key in out:
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
        try:
            return resolve_plain(node.value) if tag == PLAIN else _explicit(tag, node.value)
        except NumberTooLong as exc:
            args = {"digits": exc.digits, "limit": MAX_INT_DIGITS}
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
