"""A located tree: plain data plus the 1-based line and column of every value and key, and YAML problems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Path_ = tuple[str | int, ...]
Parser = Literal["libyaml", "ruamel"]
Positions = tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]
Finder = Callable[[str, Parser], Positions]
"""Works out the positions of a text that read clean (``yamlio.compose.positions``), the first time they are asked."""

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

    __slots__ = ("_find", "_keys", "_parser", "_text", "_values", "data")

    def __init__(
        self,
        data: Any,
        values: dict[Path_, tuple[int, int]] | None = None,
        keys: dict[Path_, tuple[int, int]] | None = None,
        *,
        text: str | None = None,
        parser: Parser | None = None,
        find: Finder | None = None,
    ) -> None:
        if (values is None or keys is None) and (text is None or parser is None or find is None):
            raise ValueError("positions, or the text, parser and finder to find them again")
        self.data, self._values, self._keys, self._text, self._parser = data, values, keys, text, parser
        self._find = find

    @property
    def text(self) -> str | None:
        """The text the data was read from, when it was kept (a file that read clean)."""
        return self._text

    @property
    def parser(self) -> Parser | None:
        """The parser that read the kept text (None once positions are known)."""
        return self._parser if self._text is not None else None

    @property
    def values(self) -> dict[Path_, tuple[int, int]]:
        return self._positions()[0]

    @property
    def keys(self) -> dict[Path_, tuple[int, int]]:
        return self._positions()[1]

    def _positions(self) -> tuple[dict[Path_, tuple[int, int]], dict[Path_, tuple[int, int]]]:
        if self._values is not None and self._keys is not None:
            return self._values, self._keys
        assert self._text is not None and self._parser is not None and self._find is not None, (
            "__init__ keeps the text, the parser and the finder when not given positions"
        )
        self._values, self._keys = self._find(self._text, self._parser)
        self._text = None
        return self._values, self._keys

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Located):
            return NotImplemented
        return (self.data, self.values, self.keys) == (other.data, other.values, other.keys)

    __hash__ = None  # type: ignore[assignment]  # typeshed declares object.__hash__ a method; None is Python's 'unhashable'

    def __reduce__(self) -> tuple[Any, ...]:  # pickled by parallel loading: plain and fast
        return (_restore, (self.data, self._values, self._keys, self._text, self._parser, self._find))

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


def _restore(
    data: Any, values: Any, keys: Any, text: str | None, parser: Parser | None, find: Finder | None
) -> Located:
    located = Located.__new__(Located)
    located.data, located._values, located._keys, located._text, located._parser = data, values, keys, text, parser
    located._find = find
    return located
