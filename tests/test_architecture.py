"""The boundaries of the layout stay honest: each library is imported in one place."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
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
        ("jinja2", r"notice/(render|sandbox)\.py"),
        ("rich", r"reports/status\.py|cli/.*"),  # the table; the progress bar on stderr
        ("docx", r"notice/docx(_documents)?\.py|importer/reading\.py"),  # writing; reading a notice to import it
        ("openpyxl", r"reports/ledger(_read)?\.py"),
        ("starlette", r"serve/.*"),
        ("uvicorn", r"serve/.*"),
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


# --- the layout by stage: arrows point down only --------------------------------------------

STAGES = [
    {"i18n"},
    {"diagnostics", "fsio"},
    {"model"},
    {"yamlio"},
    {"load"},
    {"check"},
    {"track"},
    {"notice"},
    {"reports"},
    {"edit", "importer"},
    {"cli", "serve"},
    {"__main__"},
]
"""Each stage may import from the stages before it (and from itself), never from one after it."""
RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}
IMPORT = re.compile(
    r"^\s*(?:from rectifykit(?:\.(?P<mod>[\w.]+))? import (?P<names>[\w, ]+)|import rectifykit\.(?P<imp>[\w.]+))", re.M
)


def stage_imports() -> dict[str, set[str]]:
    """Stage → the stages its modules import (the package's face ``rectifykit`` itself left out)."""
    out: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        me = path.relative_to(SRC).with_suffix("").parts[0]
        for m in IMPORT.finditer(path.read_text(encoding="utf-8")):
            dotted = m["mod"] or m["imp"]
            targets = [dotted.split(".")[0]] if dotted else [n.strip().split()[0] for n in m["names"].split(",")]
            out.setdefault(me, set()).update(t for t in targets if t and t != me and t in RANK)
    return out


def test_the_top_of_the_package_names_its_stages() -> None:
    entries = sorted(p.name for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists())
    assert len(entries) <= 16, entries
    assert {p.removesuffix(".py") for p in entries} <= set(RANK) | {"__init__"}, entries


def test_no_stage_imports_from_a_stage_after_it() -> None:
    upward = sorted((me, t) for me, targets in stage_imports().items() for t in targets if RANK[t] > RANK[me])
    assert upward == [], f"imports that point up the stages: {upward}"


def test_no_module_is_longer_than_400_lines() -> None:
    long = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}, long


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import of a module, at its top or inside a function, but not those only for the type checker."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        yield from _imports(node)


def test_no_import_circle_between_modules() -> None:
    """No module imports, even inside a function, one that imports it back (directly or around a circle)."""
    modules = {".".join(p.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__") for p in SRC.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    base = ".".join(["rectifykit", *package.split(".")][: len(package.split(".")) + 2 - node.level]
                                    + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}".removeprefix("rectifykit.") in modules else base
                           for a in node.names]
            for target in targets:
                short = target.removeprefix("rectifykit.")
                while short and short not in modules:
                    short = short.rpartition(".")[0]
                if short and short != name and target.startswith("rectifykit"):
                    graph.setdefault(name, set()).add(short)
    seen: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        seen[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if seen.get(nxt) == 1:
                raise AssertionError("import circle: " + " → ".join([*path[path.index(nxt):], nxt]))
            if nxt not in seen:
                visit(nxt, [*path, nxt])
        seen[node] = 2

    for node in sorted(graph):
        if node not in seen:
            visit(node, [node])


def test_every_type_ignore_names_its_code_and_says_why() -> None:
    # mypy (run by `make test`) refuses an ignore without a code or one that ignores nothing; the reason is ours
    said = re.compile(r"# type: ignore\[[\w-]+(, [\w-]+)*\]  # \S")
    bare = [
        f"{path.relative_to(SRC).as_posix()}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "type: ignore" in line and not said.search(line)
    ]
    assert not bare, f"a type: ignore without its code and a reason: {bare}"
