"""Fuzzing: records broken in random ways never crash validate, status or render.

Valid records (the embedded example in data/ and the corpus's base project) are mutated
the way hands and bad merges break them: a line deleted or duplicated, a value of another
type, the file cut short, random bytes inserted. Whatever comes out, each command must end
with a verdict — exit 0, 1 or 2 — and never with an internal error (exit 3) or a traceback.
A second property: ``rectify set`` changes exactly what it is told and nothing else.

Bounded (a few hundred examples, ~20 s): the whole suite stays well under five minutes.
Hypothesis keeps failing examples in .hypothesis/ and prints each one with the seed to replay it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rectifykit import edit
from rectifykit.cli import app
from rectifykit.load.records import Loaded, parse_bytes
from rectifykit.model.records import Finding, State
from rectifykit.yamlio import Located, YamlProblem
from rectifykit.yamlio.compose import _COMPOSERS, _Converter, _located

REPO = Path(__file__).resolve().parents[1]
SOURCES = {"example": REPO, "base": REPO / "tests" / "cases" / "_base" / "project"}
OK_CODES = {0, 1, 2}
AS_OF = "2024-07-11"

RETYPED = [
    "123", "-1.5e3", "true", "null", "~", "[]", "{}", "[a, [b, {c: d}]]", "{x: 1, y: [2]}", "2024-02-30",
    "2024-13-01", '""', "'{{ 7 * 7 }}'", "'{% for x in range(10**9) %}{% endfor %}'", "{problems:nope}",
    '!!python/object/apply:os.system ["touch pwned"]', "!!binary aGk=", "!custom x", "*nowhere", "&a [*a, *a]",
    "|\n  多行\n  文本", ">-", "'unterminated", "@reserved", "`tick", "%percent", "- in: place", "? complex",
    "\t", "\u3000全角空格", "0o777", "0x1F", ".nan", "-.inf", "yes", "on", "2024-07-11T10:00:00",
]
"""Values put in place of another: other types, dates that do not exist, template and format syntax,
tags that would run code, aliases, YAML indicators that start a different construct."""

MUTATIONS = ("delete", "duplicate", "retype", "truncate", "insert")


def project_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*.yaml"))


FILES = {name: project_files(root) for name, root in SOURCES.items()}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One copy of each source project for the whole module; each example restores what it broke."""
    out = {}
    for name, root in SOURCES.items():
        dest = tmp_path_factory.mktemp(name)
        shutil.copytree(root / "data", dest / "data")
        out[name] = dest
    return out


def mutate(raw: bytes, how: str, where: int, value: str, junk: bytes) -> bytes:
    """One mutation of a file's bytes; ``where`` picks the line or the byte offset."""
    lines = raw.splitlines(keepends=True) or [b""]
    i = where % len(lines)
    if how == "delete":
        del lines[i]
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "retype":
        # the value after the first ": " of a line (or the line's item after "- ")
        line = lines[i].decode("utf-8", errors="surrogateescape")
        for sep in (": ", "- "):
            if sep in line:
                head = line.split(sep, 1)[0]
                lines[i] = f"{head}{sep}{value}\n".encode("utf-8", errors="surrogateescape")
                break
        else:
            lines[i] = f"{value}\n".encode()
    elif how == "truncate":
        return raw[: where % (len(raw) + 1)]
    else:  # insert random bytes at a byte offset
        at = where % (len(raw) + 1)
        return raw[:at] + junk + raw[at:]
    return b"".join(lines)


def run(root: Path, *args: str) -> tuple[int, str, str]:
    runner = CliRunner(env={"NO_COLOR": "1", "COLUMNS": "100"})
    result = runner.invoke(app, ["--lang", "en", *args, "--root", str(root)])
    where = f"rectify {' '.join(args)}: exit {result.exit_code}\n{result.stdout}\n{result.stderr}"
    assert result.exit_code in OK_CODES, where
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert "Traceback" not in result.stdout + result.stderr, where
    assert "internal error" not in result.stderr, where
    return result.exit_code, result.stdout, result.stderr


@contextlib.contextmanager
def broken(root: Path, name: str, data: bytes) -> Iterator[None]:
    """``root/name`` holds ``data`` meanwhile; restored afterwards, whatever happens."""
    file = root / name
    original = file.read_bytes()
    file.write_bytes(data)
    try:
        yield
    finally:
        file.write_bytes(original)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from(sorted(SOURCES)),
    pick=st.integers(min_value=0, max_value=10_000),
    how=st.sampled_from(MUTATIONS),
    where=st.integers(min_value=0, max_value=100_000),
    value=st.sampled_from(RETYPED),
    junk=st.binary(min_size=1, max_size=12),
    fmt=st.sampled_from(["text", "json", "github", "sarif"]),
)
def test_validate_status_and_render_never_crash_on_a_broken_record(
    projects: dict[str, Path], source: str, pick: int, how: str, where: int, value: str, junk: bytes, fmt: str
) -> None:
    root = projects[source]
    name = FILES[source][pick % len(FILES[source])]
    data = mutate((root / name).read_bytes(), how, where, value, junk)
    with broken(root, name, data):
        code, out, _err = run(root, "validate", "--format", fmt, "--as-of", AS_OF)
        if fmt in ("json", "sarif"):
            json.loads(out)  # nothing but the document on stdout, whatever the input
        status_code, _, _ = run(root, "status", "--format", "json", "--as-of", AS_OF)
        render_code, _, _ = run(root, "render", "--as-of", AS_OF)
    if code == 1:
        # Invalid records are never rendered nor reported on (warnings alone do not make code 1 here).
        assert render_code == 1 and status_code == 1
    assert not (root / "pwned").exists() and not Path("pwned").exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pick=st.integers(min_value=0, max_value=10_000),
    how=st.sampled_from(MUTATIONS),
    where=st.integers(min_value=0, max_value=100_000),
    value=st.sampled_from(RETYPED),
    junk=st.binary(min_size=1, max_size=12),
)
def test_html_and_docx_render_never_crash_on_a_broken_record(
    projects: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, pick: int, how: str, where: int,
    value: str, junk: bytes,
) -> None:
    root = projects["base"]
    name = FILES["base"][pick % len(FILES["base"])]
    data = mutate((root / name).read_bytes(), how, where, value, junk)
    out = tmp_path_factory.getbasetemp() / "fuzz-notice.docx"
    with broken(root, name, data):
        run(root, "render", "--format", "html", "--as-of", AS_OF)
        run(root, "render", "--format", "docx", "-o", str(out), "--as-of", AS_OF)


# --- both conversions of a YAML tree agree ---------------------------------------------------


def full(text: str) -> Located | YamlProblem:
    """The converter that notes every position as it goes (the one used on any problem)."""
    tree = _COMPOSERS["libyaml"](text)
    return YamlProblem("RK004", 1, 1) if tree is None else _Converter().run(tree)


@settings(max_examples=150, deadline=None)
@given(
    source=st.sampled_from(sorted(SOURCES)),
    pick=st.integers(min_value=0, max_value=10_000),
    how=st.sampled_from(MUTATIONS),
    where=st.integers(min_value=0, max_value=100_000),
    value=st.sampled_from(RETYPED),
    junk=st.binary(min_size=1, max_size=12),
)
def test_the_fast_conversion_gives_the_full_conversions_data_and_places(
    source: str, pick: int, how: str, where: int, value: str, junk: bytes
) -> None:
    """A clean text is converted without positions and they are found later on demand: the data
    and every place must be exactly what the full converter gives at once."""
    root = SOURCES[source]
    name = FILES[source][pick % len(FILES[source])]
    text = mutate((root / name).read_bytes(), how, where, value, junk).decode("utf-8", errors="replace")
    try:
        tree = _COMPOSERS["libyaml"](text)
    except Exception:  # a syntax error: neither conversion runs
        return
    lazy = YamlProblem("RK004", 1, 1) if tree is None else _located(tree, text, "libyaml")
    eager = full(text)
    if isinstance(eager, YamlProblem):
        assert lazy == eager
    else:
        assert isinstance(lazy, Located)
        assert (lazy.data, lazy.values, lazy.keys) == (eager.data, eager.values, eager.keys)


# --- rectify set: exactly what it is told --------------------------------------------------

EXAMPLE_FINDINGS = sorted((REPO / "data" / "findings").glob("*.yaml"))
texts = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=20).filter(
    lambda s: s.strip() == s and s[0] not in "-?:,[]{}#&*!|>'\"%@`"
)


def load(text: str, name: str) -> Loaded[Finding]:
    loaded = parse_bytes(text.encode("utf-8"), name, Finding)
    assert isinstance(loaded, Loaded), loaded
    return loaded


def items_of(record: Finding) -> list[str]:
    """Keys of the items ``rectify set`` addresses: ``id#N`` or ``id#N.M`` for a response in parts."""
    out = []
    for r, response in enumerate(record.responses, 1):
        out += [f"{record.id}#{r}.{p}" for p in range(1, len(response.parts) + 1)] or [f"{record.id}#{r}"]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    file=st.sampled_from(EXAMPLE_FINDINGS),
    pick=st.integers(min_value=0, max_value=100),
    state=st.sampled_from(list(State)),
    department=texts,
    notes=texts,
    deadline=st.dates(min_value=dt.date(2024, 1, 12), max_value=dt.date(2030, 12, 31)),
    evidence=st.lists(texts, max_size=3),
)
def test_set_changes_exactly_what_it_is_told(
    tmp_path_factory: pytest.TempPathFactory, file: Path, pick: int, state: State, department: str, notes: str,
    deadline: dt.date, evidence: list[str],
) -> None:
    before_text = file.read_text(encoding="utf-8")
    before = load(before_text, file.name)
    key = items_of(before.record)[pick % len(items_of(before.record))]
    copy = tmp_path_factory.mktemp("set") / file.name
    copy.write_text(before_text, encoding="utf-8")
    changes = {"status": state.value, "department": department, "notes": notes, "deadline": deadline,
               "add_evidence": evidence}
    result = edit.update_item(copy.read_text(encoding="utf-8"), key, changes)
    after = load(result.after, file.name)
    # Set and read back: what was set is there ...
    _, r, p = edit.parse_item_key(key)
    response = after.record.responses[r]
    target = response.parts[p] if p is not None else response
    assert (target.department, target.notes, target.deadline) == (department, notes, deadline)
    assert (target.state if p is not None else response.status.states) == (state if p is not None else [state])
    assert all(e in target.evidence for e in evidence)
    # ... every other problem and response is as it was, and so are the comments.
    old = before.record
    assert after.record.model_dump(exclude={"responses"}) == old.model_dump(exclude={"responses"})
    for i, (a, b) in enumerate(zip(after.record.responses, old.responses, strict=True)):
        if i != r:
            assert a == b
    comments = [line.strip() for line in before_text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line.strip() for line in result.after.splitlines() if line.lstrip().startswith("#")]
    # Setting the same again changes nothing.
    copy.write_text(result.after, encoding="utf-8")
    assert not edit.update_item(copy.read_text(encoding="utf-8"), key, changes).changed
