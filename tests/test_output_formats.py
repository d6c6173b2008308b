"""``rectify validate`` output formats (text, json, github, sarif) and exit codes, end to end."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from rectifykit.diagnostics import Diagnostic, Severity
from rectifykit.reports import diagnostics as report
from support import rectify

BASE = Path(__file__).parent / "cases" / "_base" / "project"
FIELDS = {"file", "line", "column", "severity", "code", "message"}
# A file name with the characters GitHub annotation properties must escape.
ODD_NAME = "data/findings/50%,draft:v2.yaml"


invoke = rectify


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BASE, tmp_path / "valid"))


@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    """Two errors and two warnings in three of four files, one of them with an awkward name."""
    root = Path(shutil.copytree(BASE, tmp_path / "invalid"))
    findings = root / "data" / "findings"
    mediation = findings / "mediation.yaml"
    mediation.write_text(mediation.read_text(encoding="utf-8").replace("description:", "descripton:"), encoding="utf-8")
    study = (findings / "theory-study.yaml").read_text(encoding="utf-8")
    (root / ODD_NAME).write_text(study.replace("order: 1", "order: 2"), encoding="utf-8")
    (findings / "theory-study.yaml").write_text(
        study.replace("    department: 局办公室\n    deadline", "    deadline"), encoding="utf-8"
    )
    return root


def validate_json(root: Path, *args: str) -> tuple[dict, int]:
    result = invoke("validate", "--root", str(root), "--format", "json", *args)
    return json.loads(result.stdout), result.exit_code


# --- json ---------------------------------------------------------------------


def test_json_is_the_only_thing_on_stdout_and_has_a_stable_shape(invalid: Path) -> None:
    result = invoke("validate", "--root", str(invalid), "--format", "json")
    payload = json.loads(result.stdout)  # raises on anything but one JSON document
    assert result.exit_code == 1
    assert result.stderr == ""
    assert payload["version"] == 1
    assert set(payload) == {"version", "diagnostics", "summary"}
    diags = payload["diagnostics"]
    assert diags
    for d in diags:
        assert set(d) >= FIELDS
        assert isinstance(d["line"], int) and d["line"] >= 1
        assert isinstance(d["column"], int) and d["column"] >= 1
        assert d["severity"] in ("error", "warning")
        assert re.fullmatch(r"RK\d{3}", d["code"])
        assert d["message"]
    assert diags == sorted(diags, key=lambda d: (d["file"], d["line"], d["column"], d["code"]))
    errors = sum(d["severity"] == "error" for d in diags)
    assert payload["summary"] == {"files": 4, "errors": errors, "warnings": len(diags) - errors}
    assert {(d["file"], d["code"]) for d in diags} == {
        ("data/findings/mediation.yaml", "RK101"),
        ("data/findings/theory-study.yaml", "RK201"),
        ("data/findings/theory-study.yaml", "RK212"),
        (ODD_NAME, "RK215"),
    }


def test_json_of_a_valid_project(valid: Path) -> None:
    payload, code = validate_json(valid)
    assert code == 0
    assert payload == {"version": 1, "diagnostics": [], "summary": {"files": 3, "errors": 0, "warnings": 0}}


# --- text ---------------------------------------------------------------------

TEXT_LINE = re.compile(
    r"^(?P<file>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>RK\d{3}) (?P<severity>error|warning): .+$"
)


def test_text_lines_name_the_place_and_the_code_and_end_with_a_summary(invalid: Path) -> None:
    payload, _ = validate_json(invalid)
    result = invoke("validate", "--root", str(invalid))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    found = [m.groupdict() for line in lines if (m := TEXT_LINE.match(line))]
    assert [(f["file"], int(f["line"]), int(f["column"]), f["code"], f["severity"]) for f in found] == [
        (d["file"], d["line"], d["column"], d["code"], d["severity"]) for d in payload["diagnostics"]
    ]
    assert lines[-1] == "4 files checked: 2 errors, 2 warnings"


def test_text_of_a_valid_project(valid: Path) -> None:
    result = invoke("validate", "--root", str(valid))
    assert result.exit_code == 0
    assert result.stdout.strip().splitlines()[-1] == "3 files checked: all valid"


# --- github -------------------------------------------------------------------

ANNOTATION = re.compile(r"^::(?P<kind>error|warning) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    for code, char in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        text = text.replace(code, char)
    return text


def test_github_annotations_carry_file_line_col_and_are_escaped(invalid: Path) -> None:
    payload, _ = validate_json(invalid)
    result = invoke("validate", "--root", str(invalid), "--format", "github")
    assert result.exit_code == 1
    annotations = [m for line in result.stdout.splitlines() if (m := ANNOTATION.match(line))]
    assert len(annotations) == len(payload["diagnostics"])
    for m, d in zip(annotations, payload["diagnostics"], strict=True):
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        assert m["kind"] == d["severity"]
        assert unescape(props["file"]) == d["file"]
        assert (props["line"], props["col"]) == (str(d["line"]), str(d["column"]))
        assert unescape(m["message"]) == d["message"]
    odd = next(m for m in annotations if "draft" in m["props"])
    assert "file=data/findings/50%25%2Cdraft%3Av2.yaml," in odd["props"]


def test_github_escaping_of_messages_and_properties() -> None:
    diag = Diagnostic("data/a,b:c%.yaml", 3, 7, "RK005", "100% wrong\r\nnext line: a, b", Severity.warning)
    lines = report.github_lines([diag], 1)
    assert lines[0] == (
        "::warning file=data/a%2Cb%3Ac%25.yaml,line=3,col=7,title=RK005::100%25 wrong%0D%0Anext line: a, b"
    )


# --- sarif --------------------------------------------------------------------


def test_sarif_results_have_rule_ids_and_regions(invalid: Path) -> None:
    payload, _ = validate_json(invalid)
    result = invoke("validate", "--root", str(invalid), "--format", "sarif")
    assert result.exit_code == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert len(results) == len(payload["diagnostics"])
    for r, d in zip(results, payload["diagnostics"], strict=True):
        location = r["locations"][0]["physicalLocation"]
        assert r["ruleId"] == d["code"] == rules[r["ruleIndex"]]
        assert r["level"] == d["severity"]
        assert unquote(location["artifactLocation"]["uri"]) == d["file"]
        assert location["region"] == {"startLine": d["line"], "startColumn": d["column"]}


def test_sarif_of_a_valid_project(valid: Path) -> None:
    result = invoke("validate", "--root", str(valid), "--format", "sarif")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["runs"][0]["results"] == []


# --- exit codes ---------------------------------------------------------------


def test_exit_codes_valid_and_invalid(valid: Path, invalid: Path) -> None:
    for fmt in ("text", "json", "github", "sarif"):
        assert invoke("validate", "--root", str(valid), "--format", fmt).exit_code == 0, fmt
        assert invoke("validate", "--root", str(invalid), "--format", fmt).exit_code == 1, fmt


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    root = Path(shutil.copytree(BASE, tmp_path / "warn"))
    study = root / "data/findings/theory-study.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace("    deadline: 2024-12-31\n", ""), encoding="utf-8")
    payload, code = validate_json(root)
    assert [d["code"] for d in payload["diagnostics"]] == ["RK213"]
    assert code == 0
    assert validate_json(root, "--strict")[1] == 1


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--no-such-option"], id="unknown-option"),
        pytest.param(["--format", "xml"], id="unknown-format"),
        pytest.param(["--parser", "pyyaml"], id="unknown-parser"),
        pytest.param(["--as-of", "2024-13-01"], id="bad-as-of"),
        pytest.param(["--as-of", "yesterday"], id="as-of-not-a-date"),
        pytest.param(["--root", "{empty}"], id="root-without-data"),
        pytest.param(["--root", "{missing}"], id="root-missing"),
    ],
)
def test_bad_usage_exits_2_with_nothing_on_stdout(args: list[str], valid: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    places = {"{empty}": str(tmp_path / "empty"), "{missing}": str(tmp_path / "missing")}
    args = [places.get(a, a) for a in args]
    if "--root" not in args:
        args = ["--root", str(valid), *args]
    result = invoke("validate", "--format", "json", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.strip()


# --- outputs a hostile record or file name cannot break (issue 12, point 8) --------


def test_sarif_uris_are_percent_encoded_relative_uris(invalid: Path) -> None:
    spaced = invalid / "data" / "findings" / "调解 机制#1.yaml"
    (invalid / "data" / "findings" / "mediation.yaml").rename(spaced)
    result = invoke("validate", "--root", str(invalid), "--format", "sarif")
    results = json.loads(result.stdout)["runs"][0]["results"]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
    assert uris, result.stdout
    for uri in uris:
        assert re.fullmatch(r"[A-Za-z0-9\-._~/%!$&'()*+,;=:@]+", uri), uri  # RFC 3986 characters only
        assert not uri.startswith("/")
    assert "data/findings/%E8%B0%83%E8%A7%A3%20%E6%9C%BA%E5%88%B6%231.yaml" in uris


HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def _with_hostile_text(root: Path) -> Path:
    study = root / "data" / "findings" / "theory-study.yaml"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("department: 局办公室", f"department: '{HOSTILE}'"), encoding="utf-8")
    return root


def test_status_markdown_shows_html_as_text(valid: Path) -> None:
    _with_hostile_text(valid)
    result = invoke("status", "--root", str(valid), "--all", "--format", "md", "--as-of", "2024-07-11")
    assert result.exit_code == 0, result.output
    assert "&lt;script&gt;" in result.stdout
    assert "<script" not in result.stdout and "<img" not in result.stdout


def test_rollup_markdown_shows_html_as_text(valid: Path, tmp_path: Path) -> None:
    inspection = valid / "data" / "inspection.yaml"
    text = inspection.read_text(encoding="utf-8")
    inspection.write_text(re.sub(r"(?m)^unit: .*$", f"unit: '{HOSTILE}'", text, count=1), encoding="utf-8")
    result = invoke("rollup", str(valid), "--format", "md", "--as-of", "2024-07-11")
    assert result.exit_code == 0, result.output
    assert "&lt;img" in result.stdout
    assert "<script" not in result.stdout and "<img" not in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["render"], ["status", "--format", "json"], ["validate", "--format", "sarif"]])
def test_a_failed_write_to_stdout_names_standard_output(args: list[str]) -> None:
    import subprocess
    import sys

    root = Path(__file__).parents[1]
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "rectifykit", "--lang", "en", *args, "--root", str(root / "data" / "..")],
            stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, cwd=root,
        )
    assert done.returncode == 2, done.stderr
    assert "standard output" in done.stderr
    assert "None" not in done.stderr and "?" not in done.stderr and "Traceback" not in done.stderr
