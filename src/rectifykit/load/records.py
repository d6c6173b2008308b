"""One record's bytes (from a file, or from git at some revision) to a validated record, or diagnostics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from rectifykit import diagnostics
from rectifykit.diagnostics import Diagnostic
from rectifykit.load import locate
from rectifykit.yamlio import CONTROL, Located, Parser, YamlProblem, compose

MAX_BYTES = 8 * 1024 * 1024
"""The largest record file read (RK011)."""
M = TypeVar("M", bound=BaseModel)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A valid record with the file it came from and where its values stand."""

    path: str
    record: M
    located: Located


def decode(raw: bytes, path: str) -> str | Diagnostic:
    """Bytes to text: UTF-8 (a BOM is dropped), else a diagnostic naming the encoding."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        return diagnostics.make("RK002", path, 1, 1, encoding="UTF-16")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(raw, exc.start)
        if b"\x00" not in raw:
            try:
                raw.decode("gb18030")
            except UnicodeDecodeError:
                pass
            else:
                return diagnostics.make("RK002", path, line, column, encoding="GB18030")
        return diagnostics.make("RK003", path, line, column, offset=exc.start)
    if control := CONTROL.search(text):
        offset = len(text[: control.start()].encode("utf-8"))
        return diagnostics.make("RK003", path, *_position(raw, offset), offset=offset)
    return text


def _looks_utf16(raw: bytes) -> bool:
    sample = raw[:200]
    if len(sample) < 4 or b"\x00" not in sample:  # most files: no zero byte, no counting
        return False
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    before = raw[:offset]
    line = before.count(b"\n") + 1
    last = before.rsplit(b"\n", 1)[-1]
    return line, len(last.decode("utf-8", errors="replace")) + 1


def printable(name: str) -> str:
    """A file name as diagnostics show it: control characters escaped, so that a name cannot
    forge lines of the output (a GitHub workflow command, a fake diagnostic), and the bytes of a name that is
    not UTF-8 (kept by Python as lone surrogates, which no output can encode) escaped too."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), name)


def parse_bytes(
    raw: bytes, display: str, model: type[M], *, parser: Parser = "libyaml"
) -> Loaded[M] | list[Diagnostic]:
    """A record's bytes (from a file, or from git at some revision) to a validated record, or diagnostics."""
    if len(raw) > MAX_BYTES:
        return [diagnostics.make("RK011", display, 1, 1, size=len(raw), limit=MAX_BYTES)]
    text = decode(raw, display)
    if isinstance(text, Diagnostic):
        return [text]
    if not text.strip():
        return [diagnostics.make("RK004", display, 1, 1)]
    located = compose(text, parser, screened=True)  # decode refused control characters
    if isinstance(located, YamlProblem):
        return [diagnostics.make(located.code, display, located.line, located.column, **located.args)]
    if not isinstance(located.data, dict):
        found = locate.type_name(located.data)
        return [diagnostics.make("RK012", display, 1, 1, found=found)]
    try:
        record = model.model_validate(located.data)
    except ValidationError as exc:
        return locate.diagnose(exc, located, model, display)
    return Loaded(display, record, located)
