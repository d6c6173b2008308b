"""The boundaries of the layout stay honest: each library is imported in one place."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "rectifykit"


def importers(library: str) -> set[str]:
    pattern = re.compile(rf"^\s*(import {library}\b|from {library}\b)", re.M)
    return {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    }


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("typer", r"cli/.*"),
        ("ruamel", r"yamlio/.*"),
        ("yaml", r"yamlio/.*"),
        ("jinja2", r"notice/render\.py"),
        ("rich", r"reports/status\.py|cli/.*"),  # the table; the progress bar on stderr
        ("docx", r"notice/docx\.py|importer/reading\.py"),  # writing the notice; reading one to import it
        ("openpyxl", r"reports/ledger\.py"),
    ],
)
def test_each_library_is_imported_only_where_it_belongs(library: str, allowed: str) -> None:
    found = importers(library)
    assert found, f"nothing imports {library}?"
    assert all(re.fullmatch(allowed, name) for name in found), found


def test_help_and_validate_do_not_import_the_renderer_or_the_round_trip_parser() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from rectifykit.cli import app\n"
        "r = CliRunner().invoke(app, ['validate', '--root', sys.argv[1]])\n"
        "print(r.exit_code, 'jinja2' in sys.modules, 'ruamel.yaml' in sys.modules)\n"
    )
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", code, root], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "False", "False"]
