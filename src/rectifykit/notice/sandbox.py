"""Jinja's sandbox, tightened: only listed methods may be called, and no value may grow past a bound.

Templates arrive in pull requests; they get plain data (:mod:`rectifykit.notice.context`), and this
sandbox lets them call only the methods of :data:`CALLABLE_METHODS` and the globals of
:data:`CALLABLE_GLOBALS`. Products, powers, widths, fills and replacements that would make a text or a
list of more than :data:`MAX_PRODUCT` items are refused before they run (SECURITY.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
import weakref
from collections.abc import Callable
from types import BuiltinMethodType, MethodType, ModuleType
from typing import Any

from jinja2 import Undefined
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError, safe_range
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from rectifykit.i18n import _

MAX_PRODUCT = 1_000_000
"""The longest text or list one ``*`` in a template may make, and the largest power ``**`` may
raise to: ``{{ ('x' * 1000) * 10**9 }}`` would take the machine's memory (SECURITY.md)."""


def _size(n: Any) -> None:
    if isinstance(n, int) and n > MAX_PRODUCT:
        raise SecurityError(_("a value of more than {n} items is refused").format(n=MAX_PRODUCT))


_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")


def _printf(fmt: str) -> None:
    """``%`` formatting with a width or precision that would make a huge text (``*`` counts as one)."""
    for match in _PRINTF.finditer(fmt):
        for group in match.groups():
            _size(MAX_PRODUCT + 1 if group == "*" else int(group) if group else 0)


def _format_spec(fmt: str) -> None:
    """``str.format`` with such a width or precision, or one given by an argument (``{:>{w}}``)."""
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # the call itself says what is wrong
    for _literal, _field, spec, _conversion in fields:
        if spec and "{" in spec:
            _size(MAX_PRODUCT + 1)
        for number in re.findall(r"\d+", spec or ""):
            _size(int(number))


def _replaced(s: Any, old: Any, new: Any, count: Any = None) -> None:
    text, old, new = str(s), str(old), str(new)
    n = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        n = min(n, count)
    _size(len(text) + n * max(0, len(new) - len(old)))


def _indented(s: Any, width: Any = 4, first: bool = False, blank: bool = False) -> None:
    lines = str(s).count("\n") + 1
    _size(len(str(s)) + lines * (len(width) if isinstance(width, str) else width if isinstance(width, int) else 0))


FILTER_GUARDS: dict[str, Callable[..., None]] = {
    "center": lambda value, width=80: _size(width),
    "indent": _indented,
    "replace": _replaced,
    "format": lambda value, *args, **kwargs: _printf(str(value)),
    "batch": lambda value, linecount, fill_with=None: _size(linecount if fill_with is not None else 0),
    "slice": lambda value, slices, fill_with=None: _size(slices),
    "tojson": lambda value, indent=None: _size(indent * 1000 if isinstance(indent, int) else 0),
}
"""Jinja's filters whose result can be far larger than their input, checked before they run."""


def _guarded(filter_: Callable[..., Any], guard: Callable[..., None]) -> Callable[..., Any]:
    skip = 1 if getattr(filter_, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(filter_)
    def run(*args: Any, **kwargs: Any) -> Any:
        guard(*args[skip:], **kwargs)
        return filter_(*args, **kwargs)

    return run


TEXT_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "format", "index", "isalnum", "isalpha", "isdecimal",
    "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "lower", "lstrip", "partition",
    "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split",
    "splitlines", "startswith", "strip", "title", "upper",
})  # fmt: skip
"""What a template may call on text: tests, search, case, splitting and joining."""

CALLABLE_METHODS: dict[type, frozenset[str]] = {
    str: TEXT_METHODS,
    Markup: TEXT_METHODS | {"striptags", "unescape"},
    dict: frozenset({"get", "items", "keys", "values"}),
    tuple: frozenset({"count", "index"}),
    list: frozenset({"count", "index"}),
    dt.date: frozenset({"isoformat", "isoweekday", "strftime", "weekday"}),
    LoopContext: frozenset({"changed", "cycle"}),
    Cycler: frozenset({"next", "reset"}),
}
"""The only methods a template may call, by the exact type of their object. Everything else with a
method (a record object, a class, a function) is refused where a template names it: a pydantic
model's ``parse_file`` reads any file and unpickles (SECURITY.md)."""

CALLABLE_TYPES = (Macro, BlockReference, LoopContext, Joiner)
"""Jinja's own callables: macros and ``caller()``, ``super()`` and ``self.block()``, a recursive
``loop()``, a joiner."""

CALLABLE_GLOBALS = {"range": safe_range, "dict": dict, "cycler": Cycler, "joiner": Joiner, "namespace": Namespace}
"""Jinja's globals a template may call; ``lipsum`` is left out (its size is not bounded)."""

_FORMATTERS: weakref.WeakSet[Callable[..., str]] = weakref.WeakSet()
"""The sandbox's own wrappers of ``str.format``: callable."""


def callable_in_template(value: Any) -> bool:
    """Whether a template may call ``value``: an allowed method of an allowed type, or Jinja's own."""
    if isinstance(value, MethodType | BuiltinMethodType):
        owner = getattr(value, "__self__", None)
        if owner is None or isinstance(owner, type | ModuleType):
            return False
        return value.__name__ in CALLABLE_METHODS.get(type(owner), ())
    if isinstance(value, CALLABLE_TYPES):
        return True
    return any(value is allowed for allowed in CALLABLE_GLOBALS.values()) or value in _FORMATTERS


def _described(value: Any) -> str:
    """A refused callable as a user can look it up: ``str.encode``, ``type date``."""
    owner = getattr(value, "__self__", None)
    name = getattr(value, "__name__", None)
    if owner is not None and name and not isinstance(owner, ModuleType):
        return f"{owner.__name__ if isinstance(owner, type) else type(owner).__name__}.{name}"
    return name or type(value).__name__


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, with ``*`` and ``**`` kept from making values of unbounded size, a dict's
    keys before its methods (``measure.items`` is the items), and only ``CALLABLE_METHODS`` and
    Jinja's own helpers callable."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                    raise SecurityError(_("a value of more than {n} items is refused").format(n=MAX_PRODUCT))
        elif operator == "**" and isinstance(right, int) and abs(right) > 1000 and left not in (0, 1, -1):
            raise SecurityError(_("a power above 1000 is refused"))
        elif operator == "%" and isinstance(left, str):
            _printf(left)
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        # Refused before Jinja wraps a str.format method, which would answer ``.format.__wrapped__``.
        if attribute.startswith("_") and not isinstance(obj, Undefined):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str) and argument.startswith("_") and not isinstance(obj, Undefined):
            try:
                return obj[argument]
            except (TypeError, LookupError):
                return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # Jinja's answer depends only on the object's type and the attribute's name; a notice
        # asks it hundreds of thousands of times for a few dozen pairs.
        key = (type(obj), attr)
        safe = _SAFE_ATTRIBUTES.get(key)
        if safe is None:
            safe = _SAFE_ATTRIBUTES[key] = super().is_safe_attribute(obj, attr, value)
        return safe and (not callable(value) or callable_in_template(value))

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        name = f"{type(obj).__name__}.{attribute}"
        if attribute.startswith("_") or not _SAFE_ATTRIBUTES.get((type(obj), attribute), True):
            message = _("{name} is unsafe: a template cannot reach Python's internals").format(name=name)
        else:
            message = _("{name} is not available to templates: they get plain data, and may call only the "
                        "methods listed in the README (“Your own templates”)").format(name=name)
        return self.undefined(message, name=attribute, obj=obj, exc=SecurityError)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # str.format runs through the sandbox's formatter; format_map is not on the list: refused.
        wrapper = super().wrap_str_format(value)
        if wrapper is None or not callable_in_template(value):
            return None
        _format_spec(value.__self__)
        _FORMATTERS.add(wrapper)
        return wrapper

    def is_safe_callable(self, obj: Any) -> bool:
        return callable_in_template(obj)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(obj, Undefined) and not callable_in_template(obj):  # Undefined raises its own error
            message = _("{name}() cannot be called from a template: templates get plain data, and may call "
                        "only the methods listed in the README (“Your own templates”)")
            raise SecurityError(message.format(name=_described(obj)))
        if getattr(obj, "__name__", None) == "replace" and isinstance(getattr(obj, "__self__", None), str):
            _replaced(obj.__self__, *args, **kwargs)
        return context.call(obj, *args, **kwargs)


_SAFE_ATTRIBUTES: dict[tuple[type, str], bool] = {}
