"""What several test modules share: the seed, the shared fidelity checker, text comparison."""

from __future__ import annotations

import contextlib
import importlib.util
import re
import signal
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from typer.testing import CliRunner, Result

from rectifykit.cli import app
from rectifykit.reports.diagnostics import EXIT_BUG

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seed_notice.txt"
FIDELITY = REPO.parent / "shared" / "acceptance" / "fidelity.py"

MARKERS = re.compile(
    r"^\d+\.|\(\d+\)|\([一二三四五六七八九十]+\)|^[一二三四五六七八九十]+、"
    r"|^[一二三四五六七八九十]+是|整改情况:|主要做法[和及]成效:"
)
"""Generated numbering and the genre's fixed phrases (NFKC form): the templates print them, records do not."""


def squeeze(text: str) -> str:
    """NFKC, white space removed: how notices are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def strings(value: object) -> list[str]:
    """Every text inside nested data, in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def fragments(sentence: str) -> list[str]:
    """A squeezed sentence cut at the generated numbering and fixed phrases it contains."""
    return [f for f in MARKERS.split(sentence) if len(f) >= 2]


def sentences(text: str) -> list[str]:
    """The squeezed sentences (split at 。 and ;) of a text; line ends end sentences too."""
    body = squeeze(text.replace("\n", "。"))
    return [s for s in re.split(r"[。;]", body) if s]


def fidelity() -> ModuleType:
    """The shared acceptance checker, imported from ../shared; the test skips where it is absent."""
    if not FIDELITY.is_file():
        pytest.skip(f"the shared fidelity checker is absent ({FIDELITY})")
    spec = importlib.util.spec_from_file_location("fidelity", FIDELITY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rectify(*args: str, env: dict[str, str] | None = None, input: str | None = None, lang: str = "en") -> Result:
    """Run ``rectify ARGS`` in-process, as the tests do: plain output 120 columns wide, English unless asked.

    ``--debug`` is always on, so that a bug (exit 3) fails the test with rectify's own traceback
    instead of passing as "some non-zero exit".
    """
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "120", **(env or {})})
    result = runner.invoke(app, ["--lang", lang, "--debug", *args], input=input, catch_exceptions=False)
    if result.exit_code == EXIT_BUG:
        pytest.fail(f"rectify {' '.join(args)} exited 3 (a bug):\n{result.output}", pytrace=False)
    return result


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` swallows it."""


@contextlib.contextmanager
def hard_timeout(seconds: int) -> Iterator[None]:
    """Abort a run that hangs (pytest-timeout is not installed); a no-op where SIGALRM is missing."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise CaseTimeout(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def ledger_edited(project: Path, scratch: Path, item: str, status: str, *, as_of: str = "2024-07-11") -> Path:
    """The project's ledger as Excel would save it after a clerk set ``item``'s 整改状态 to ``status``."""
    import openpyxl

    from rectifykit.reports import ledger

    out = scratch / "ledger.xlsx"
    result = CliRunner().invoke(app, ["ledger", "--root", str(project), "-o", str(out), "--as-of", as_of])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb[ledger.SHEET]
    key_col, col = ledger.HEADERS.index(ledger.KEY) + 1, ledger.HEADERS.index("整改状态") + 1
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=key_col).value == item]
    assert rows, item
    ws.cell(row=rows[0], column=col).value = status
    edited = scratch / "edited.xlsx"
    wb.save(edited)
    return edited
