"""Pydantic validation errors → diagnostics at the YAML line and column they concern."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic
from rectifykit.i18n import N_, _
from rectifykit.yamlio import Located, Path_

_TYPE_NAMES = {
    str: N_("text"),
    int: N_("a whole number"),
    float: N_("a number"),
    bool: N_("true or false"),
    list: N_("a list"),
    dict: N_("a mapping of keys"),
    type(None): N_("nothing (null)"),
}

_EXPECTED = {
    "string_type": N_("text"),
    "int_type": N_("a whole number"),
    "bool_type": N_("true or false"),
    "list_type": N_("a list"),
    "dict_type": N_("a mapping of keys"),
    "model_type": N_("a mapping of keys"),
    "model_attributes_type": N_("a mapping of keys"),
    "union_tag_invalid": N_("text or a mapping of keys"),
    "union_tag_not_found": N_("text or a mapping of keys"),
    "rk_date_type": N_("a date (YYYY-MM-DD)"),
    "date_type": N_("a date (YYYY-MM-DD)"),
}


def type_name(value: Any) -> str:
    return _(_TYPE_NAMES.get(type(value), N_("text")))


def data_path(loc: tuple[Any, ...], data: Any) -> Path_:
    """Pydantic's ``loc`` as a path into the data, without union tags."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            path.append(part)
            node = node[part]
        elif i == len(loc) - 1 and isinstance(node, dict):
            path.append(part)  # a missing field: not in the data
            node = None
        # else: a union tag ("text", "paragraph") or a type name: not in the data
    return tuple(path)


def _model_at(model: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model class that holds the last key of ``path``."""
    current: Any = model
    for part in path[:-1]:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(str(part))
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The first BaseModel class inside an annotation such as ``list[X] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found = _inner_model(meta)
        if found is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        return _inner_model(origin)
    return None


def field_label(path: Path_) -> str:
    """A readable field path, e.g. ``responses[2].status.label``."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def diagnose(
    error: ValidationError, located: Located, model: type[BaseModel], file: str
) -> list[Diagnostic]:
    """Every error of a validation, placed in the file; one per place and code."""
    out: dict[tuple[int, int, str], Diagnostic] = {}
    for err in error.errors(include_url=False):
        diag = _one(err, located, model, file)
        out.setdefault((diag.line, diag.column, diag.code), diag)
    return sorted(out.values())


def _one(err: ErrorDetails, located: Located, model: type[BaseModel], file: str) -> Diagnostic:
    kind = err["type"]
    path = data_path(tuple(err["loc"]), located.data)
    label = field_label(path)
    value = err.get("input")
    if kind == "extra_forbidden":
        key = str(path[-1])
        owner = _model_at(model, path)
        allowed = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        suggestion = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
        return diagnostics.make(
            "RK101", file, *located.key_at(path),
            field=key, suggestion=suggestion, allowed=", ".join(allowed),
        )
    if kind == "missing":
        parent = path[:-1]
        line, column = located.key_at(parent) if parent else (1, 1)
        return diagnostics.make("RK102", file, line, column, field=str(path[-1]))
    line, column = located.value_at(path)
    if kind in ("rk_range", "rk_year"):
        ctx = err.get("ctx", {})
        value = ctx.get("value", value)
        shown = value.isoformat() if isinstance(value, dt.date) else str(value)
        return diagnostics.make("RK107" if kind == "rk_range" else "RK108", file, line, column,
                                value=shown, field=label, low=ctx.get("low"), high=ctx.get("high"))
    if kind == "rk_date":
        reason = _(err["msg"])
        return diagnostics.make("RK104", file, line, column, value=str(value), field=label, reason=reason)
    if kind in _EXPECTED or kind.endswith("_type"):
        expected = _(_EXPECTED.get(kind, N_("another type")))
        return diagnostics.make(
            "RK103", file, line, column, field=label, expected=expected, found=type_name(value)
        )
    if kind == "enum":
        listed = allowed_values(err.get("ctx", {}).get("expected", ""))
        return diagnostics.make("RK105", file, line, column, value=str(value), field=label, allowed=listed)
    if kind == "string_too_short":
        return diagnostics.make("RK106", file, line, column, field=label, reason=_("must not be empty"))
    if kind == "too_short":
        return diagnostics.make("RK106", file, line, column, field=label, reason=_("must not be an empty list"))
    if kind == "string_pattern_mismatch":
        reason = _("use lowercase letters a-z, digits, '-' and '_', starting with a letter or digit")
        return diagnostics.make("RK106", file, line, column, field=label, reason=reason)
    reason = err["msg"].removeprefix("Value error, ")
    return diagnostics.make("RK106", file, line, column, field=label, reason=_(reason))


def allowed_values(expected: str) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as a list in the run's language; a state is named by its word and code."""
    import re

    from rectifykit.i18n import language
    from rectifykit.model.records import State
    from rectifykit.model.wording import state_word

    codes = re.findall(r"'([^']*)'", expected)
    if not codes:
        return expected
    states = {s.value for s in State}
    shown = [f"{state_word(State(c))}（{c}）" if c in states and language() == "zh" else c for c in codes]
    return ("、" if language() == "zh" else ", ").join(shown)
