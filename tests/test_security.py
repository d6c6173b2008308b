"""The threat model of SECURITY.md, one test (or a few) per point.

The main threat is a pull request: it can change records, templates, evidence and links in the
repository, and CI then validates and renders them with the CI job's rights. None of what it
adds may run code, read files outside the project, reach the public notice unless it is public,
or make rectify write anywhere but where the user (or the CI script) pointed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import Result

from rectifykit import fsio
from rectifykit.cli import app
from rectifykit.yamlio import Located, YamlProblem, compose
from support import rectify

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "rectifykit"
BASE = REPO / "tests" / "cases" / "_base" / "project"
AS_OF = "2024-12-25"


def invoke(*args: str) -> Result:
    result = rectify(*args)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the embedded example; the working directory is a scratch folder (where a command
    run by a YAML tag or a template would leave its file)."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "data", root / "data")
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return root


def nothing_ran(tmp_path: Path) -> bool:
    return not any(p.name == "pwned" for p in tmp_path.rglob("*"))


# --- 1. YAML loading can never construct objects --------------------------------------------

TAGS = [
    '!!python/object/apply:os.system ["touch pwned"]',
    '!!python/object/new:subprocess.Popen [["touch", "pwned"]]',
    "!!python/object:builtins.object {}",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/tuple [1, 2]",
    "!!binary dG91Y2ggcHduZWQ=",
    "!!set {a, b}",
    "!!omap [{a: 1}]",
    "!custom value",
    "!<tag:example.org,2024:thing> value",
]


@pytest.mark.parametrize("parser", ["libyaml", "ruamel"])
@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("place", ["value", "key", "item", "document"])
def test_a_tag_that_would_build_an_object_is_refused_by_both_parsers(tag: str, place: str, parser: str) -> None:
    text = {
        "value": f"id: x\ntitle: {tag}\n",
        "key": f"id: x\n? {tag}\n: 1\n",
        "item": f"id: x\nevidence: [{tag}]\n",
        "document": f"{tag}\n",
    }[place]
    result = compose(text, parser)  # type: ignore[arg-type]
    assert isinstance(result, YamlProblem), result
    assert result.code in ("RK008", "RK013", "RK005"), result  # RK005: ``[!!python/name:x]`` does not even parse


def test_validate_refuses_tags_and_runs_nothing(project: Path, tmp_path: Path) -> None:
    file = project / "data" / "findings" / "theory-study.yaml"
    text = file.read_text(encoding="utf-8")
    assert "\ntitle: " in text
    file.write_text(text.replace("\ntitle: ", f"\nnotes: {TAGS[0]}\ntitle: ", 1), encoding="utf-8")
    for parser in ("libyaml", "ruamel"):
        result = invoke("validate", "--root", str(project), "--parser", parser, "--format", "json")
        assert result.exit_code == 1 and '"RK008"' in result.stdout
    assert nothing_ran(tmp_path)


def test_no_module_uses_a_yaml_loader_that_builds_objects() -> None:
    """Only safe loading is written anywhere in the package: no yaml.load with a full or unsafe
    loader, no unsafe_load, no ruamel.yaml of typ 'unsafe'."""
    unsafe = re.compile(
        r"yaml\.(?:load|load_all)\((?![^)]*Safe)|unsafe_load|UnsafeLoader|FullLoader|full_load|"
        r"Loader=yaml\.Loader|typ\s*=\s*['\"]unsafe['\"]|\bpickle\.loads?\b|\bmarshal\.loads?\b|\beval\(|\bexec\("
    )
    offenders = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if unsafe.search(line)
    ]
    assert not offenders, offenders


# --- 2. templates run in Jinja's sandbox --------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}",
    "{{ lipsum.__globals__['os'].system('touch pwned') }}",
    "{{ self._TemplateReference__context }}",
    "{{ inspection.__class__.__init__.__globals__ }}",
    "{{ problems[0].finding.model_config }}{{ problems[0].finding.__dict__ }}",
    "{{ range(10**9)|list|length }}",
    "{% for x in range(10**7) %}{% for y in range(10**7) %}{% endfor %}{% endfor %}",
    "{{ ('x' * 1000) * 10000 }}",
    "{{ [0] * 2000000 }}",
    "{{ '%s' % inspection.__class__ }}{{ '{0.__class__.__base__.__subclasses__}'.format(1) }}",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_a_template_cannot_reach_python_or_exhaust_the_machine(
    template: str, project: Path, tmp_path: Path
) -> None:
    """A template a pull request adds to templates/ fails with exit 2 and its place, and runs nothing."""
    (project / "templates").mkdir()
    (project / "templates" / "notice.md.j2").write_text(template + "\n", encoding="utf-8")
    result = invoke("render", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "templates/notice.md.j2" in result.output
    assert nothing_ran(tmp_path)


def test_sizes_and_powers_are_bounded_in_the_sandbox() -> None:
    from jinja2.sandbox import SecurityError

    from rectifykit.notice import render

    env = render.environment("md")
    assert env.from_string("{{ ('ab' * 3)|length }} {{ 2 ** 10 }}").render() == "6 1024"
    for expression in ("{{ (10 ** 5000) > 1 }}", "{{ 'x' * 1000001 }}", "{{ 1000001 * [1] }}"):
        with pytest.raises(SecurityError):
            env.from_string(expression).render()


def test_a_template_that_is_a_link_out_of_the_project_is_not_read(project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the CI machine's secret\n", encoding="utf-8")
    (project / "templates").mkdir()
    (project / "templates" / "notice.md.j2").symlink_to(secret)
    (project / "templates" / "page.md.j2").write_text("{% include 'notice.md.j2' %}\n", encoding="utf-8")
    for args in ([], ["--template", "page.md.j2"]):
        result = invoke("render", "--root", str(project), "--as-of", AS_OF, *args)
        assert result.exit_code == 2, result.output
        assert "secret" not in result.stdout and "outside the project" in result.output


def test_a_templates_folder_that_is_a_link_out_of_the_project_is_not_read(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notice.md.j2").write_text("read from outside\n", encoding="utf-8")
    (project / "templates").symlink_to(elsewhere, target_is_directory=True)
    result = invoke("render", "--root", str(project), "--as-of", AS_OF)
    assert result.exit_code == 2 and "read from outside" not in result.stdout


def test_a_template_name_cannot_climb_out_of_the_templates_folder(project: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.md.j2").write_text("outside\n", encoding="utf-8")
    (project / "templates").mkdir()
    for name in ("../../outside.md.j2", "/etc/passwd", "..\\..\\outside.md.j2"):
        result = invoke("render", "--root", str(project), "--template", name, "--as-of", AS_OF)
        assert result.exit_code == 2 and "outside" not in result.stdout and "root:" not in result.stdout


# --- 3. record text is never evaluated ----------------------------------------------------

PAYLOADS = [
    "{{ 7 * 7 }}",
    "{% if true %}求值了{% endif %}",
    "{{ cycler.__init__.__globals__.os.system('touch pwned') }}",
    "{0.__class__.__mro__}",
    "{problems}",
    "%(unit)s %s %d",
    "${HOME} $(touch pwned) `touch pwned`",
    "<script>alert(1)</script>",
]


def _with_payloads(project: Path) -> None:
    """Every payload in a problem's title, description-like point text and a measure."""
    file = project / "data" / "findings" / "theory-study.yaml"
    record = yaml.safe_load(file.read_text(encoding="utf-8"))
    joined = "；".join(PAYLOADS)
    record["title"] = "学习不深入" + joined + "。"
    record["points"][0]["text"] = joined
    record["responses"][0]["measures"] = [joined, {"intro": joined, "items": PAYLOADS}]
    file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_record_text_is_printed_as_written_never_evaluated(fmt: str, project: Path, tmp_path: Path) -> None:
    _with_payloads(project)
    result = invoke("render", "--root", str(project), "--format", fmt, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = result.stdout
    if fmt == "html":
        assert "<script>" not in text and "&lt;script&gt;" in text
        import html

        text = html.unescape(text)
    for payload in PAYLOADS:
        shown = payload.replace("<", "\\<") if fmt == "md" else payload
        assert shown in text, payload
    assert nothing_ran(tmp_path)


def test_record_text_in_a_word_notice_is_text(project: Path, tmp_path: Path) -> None:
    pytest.importorskip("docx")
    _with_payloads(project)
    out = tmp_path / "notice.docx"
    result = invoke("render", "--root", str(project), "--format", "docx", "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "{{ 7 * 7 }}" in xml and "&lt;script&gt;" in xml and "<script>" not in xml
    assert nothing_ran(tmp_path)


def test_narrative_placeholders_come_from_a_closed_list(project: Path) -> None:
    """{...} in the inspection's narrative is looked up by name, never formatted or evaluated:
    an attribute or index path is an unknown placeholder (exit 1), not a way into Python."""
    file = project / "data" / "inspection.yaml"
    text = file.read_text(encoding="utf-8")
    for placeholder in ("{unit.__class__}", "{problems[0]}", "{unit!r}", "{0}", "{__import__}"):
        file.write_text(text.replace("{team}", placeholder, 1), encoding="utf-8")
        result = invoke("render", "--root", str(project), "--as-of", AS_OF)
        assert result.exit_code == 1 or placeholder in result.stdout, (placeholder, result.output)
        assert "class '" not in result.stdout and "<built-in" not in result.stdout


# --- 4. evidence paths stay inside the project --------------------------------------------


@pytest.mark.parametrize(
    "evidence",
    ["../../etc/passwd", "/etc/passwd", "evidence/../../../secret.pdf", "C:\\Windows\\win.ini",
     "\\\\server\\share\\a.pdf", "link/secret.pdf"],
)
def test_evidence_that_points_out_of_the_project_is_an_error(evidence: str, project: Path, tmp_path: Path) -> None:
    (project / "link").symlink_to(tmp_path, target_is_directory=True)  # a link inside pointing out
    (tmp_path / "secret.pdf").write_bytes(b"%PDF secret")
    file = project / "data" / "findings" / "theory-study.yaml"
    record = yaml.safe_load(file.read_text(encoding="utf-8"))
    record["responses"][0]["evidence"] = [evidence]
    file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert result.exit_code == 1 and '"RK240"' in result.stdout, result.stdout
    assert "secret" not in result.stdout.replace(evidence.replace("\\", "\\\\"), "")


def test_evidence_inside_the_project_is_fine_and_never_read(project: Path) -> None:
    (project / "evidence").mkdir()
    (project / "evidence" / "minutes.pdf").write_bytes(b"%PDF-1.7 {{ 7*7 }} !!python/object")
    file = project / "data" / "findings" / "theory-study.yaml"
    record = yaml.safe_load(file.read_text(encoding="utf-8"))
    record["responses"][0]["evidence"] = ["evidence/minutes.pdf", "鄂城法办发〔2024〕3号"]
    file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = invoke("validate", "--root", str(project), "--format", "json", "--as-of", AS_OF)
    assert '"RK240"' not in result.stdout and '"RK241"' not in result.stdout, result.stdout


def test_a_record_file_that_is_a_link_out_of_the_project_is_not_read(project: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("id: secret\ntitle: 机密内容\n", encoding="utf-8")
    (project / "data" / "findings" / "secret.yaml").symlink_to(tmp_path / "secret.yaml")
    result = invoke("validate", "--root", str(project), "--format", "json")
    assert result.exit_code == 1 and '"RK015"' in result.stdout and "机密内容" not in result.stdout


# --- 5. internal fields never reach the public notice ------------------------------------

INTERNAL = ("leader", "department", "person", "reviewer", "deadline", "completed_on", "next_review", "evidence",
            "notes")


def _fill_internal_fields(project: Path) -> list[str]:
    """Every internal field of every response and part set to a marker (dates to unusual days)."""
    markers = []
    for n, file in enumerate(sorted((project / "data" / "findings").glob("*.yaml"))):
        record = yaml.safe_load(file.read_text(encoding="utf-8"))
        targets = [r for r in record["responses"]] + [p for r in record["responses"] for p in r.get("parts", [])]
        for i, target in enumerate(targets):
            mark = f"内部{n}x{i}"
            done = "completed_on" in target
            target.update(leader=f"{mark}领导", department=f"{mark}科室", person=f"{mark}责任人",
                          reviewer=f"{mark}复核人", notes=f"{mark}备注", evidence=[f"{mark}佐证〔2024〕1号"],
                          deadline="2029-11-23", next_review="2029-12-19")
            if done:
                target["completed_on"] = "2024-05-17"
            markers += [f"{mark}领导", f"{mark}科室", f"{mark}责任人", f"{mark}复核人", f"{mark}备注", f"{mark}佐证"]
        record["unplaced"] = [f"内部{n}未放置"]
        markers.append(f"内部{n}未放置")
        file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    inspection = project / "data" / "inspection.yaml"
    record = yaml.safe_load(inspection.read_text(encoding="utf-8"))
    record["unplaced"] = ["内部检查未放置"]
    inspection.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [*markers, "内部检查未放置", "2029", "11月23日", "12月19日", "5月17日"]


def _public(project: Path, tmp_path: Path) -> dict[str, str]:
    out = {}
    for fmt in ("md", "html"):
        result = invoke("render", "--root", str(project), "--format", fmt, "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        out[fmt] = result.stdout
    if _has("docx"):
        docx = tmp_path / f"{project.name}.docx"
        result = invoke("render", "--root", str(project), "--format", "docx", "-o", str(docx), "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        out["docx"] = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return out


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_internal_fields_change_nothing_in_the_public_notice(project: Path, tmp_path: Path) -> None:
    """The notice (md, html, docx) with every owner, date, evidence and note filled in is the notice
    without them, byte for byte; no marker of theirs appears anywhere in it."""
    plain = tmp_path / "plain"
    shutil.copytree(project, plain)
    for file in (plain / "data" / "findings").glob("*.yaml"):  # the same records without internal fields
        record = yaml.safe_load(file.read_text(encoding="utf-8"))
        for response in record["responses"]:
            for target in [response, *response.get("parts", [])]:
                for key in INTERNAL:
                    target.pop(key, None)
        file.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    markers = _fill_internal_fields(project)
    filled, bare = _public(project, tmp_path), _public(plain, tmp_path)
    assert filled == bare
    for fmt, text in filled.items():
        leaked = [m for m in markers if m in text]
        assert not leaked, (fmt, leaked)


# --- 6. output paths: exactly the file the user named --------------------------------------


@pytest.mark.parametrize(
    "args",
    [["render"], ["render", "--format", "html"], ["render", "--format", "docx"], ["ledger"], ["schema"]],
    ids=lambda a: " ".join(a),
)
def test_o_writes_exactly_the_named_file_and_nothing_else(args: list[str], project: Path, tmp_path: Path) -> None:
    if args[0] in ("ledger",) or args[-1] == "docx":
        pytest.importorskip("openpyxl" if args[0] == "ledger" else "docx")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "other.txt").write_text("untouched\n", encoding="utf-8")
    out = folder / "result.bin"
    root = [] if args[0] == "schema" else ["--root", str(project)]
    dated = [] if args[0] == "schema" else ["--as-of", AS_OF]
    before = {p.name: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    result = invoke(*args, *root, "-o", str(out), *dated)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(folder)) == ["other.txt", "result.bin"]
    assert (folder / "other.txt").read_text(encoding="utf-8") == "untouched\n"
    assert {p.name: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_o_onto_a_link_is_refused_and_never_written_through(project: Path, tmp_path: Path) -> None:
    """A link planted where the output goes (say by an earlier job, or in the repository) pointing to a
    file elsewhere: refused (exit 2, naming the file); the link and the file it points to stay as they were."""
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n", encoding="utf-8")
    victim.chmod(0o600)
    out = tmp_path / "notice.md"
    out.symlink_to(victim)
    result = invoke("render", "--root", str(project), "-o", str(out), "--as-of", AS_OF)
    assert result.exit_code == 2 and "notice.md" in result.output and "symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "do not overwrite\n"
    assert out.is_symlink() and victim.stat().st_mode & 0o777 == 0o600


def test_a_planted_link_at_a_temporary_name_is_never_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary file is created with O_EXCL: if its name is taken (a link planted by someone who
    guessed it), another name is drawn; the link and its target stay as they were."""
    victim = tmp_path / "victim.txt"
    victim.write_text("do not overwrite\n", encoding="utf-8")
    out = tmp_path / "notice.md"
    names = iter(["planted", "planted", "fresh"])
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: names)
    (tmp_path / ".notice.md.planted.tmp").symlink_to(victim)
    fsio.write_atomic(out, "the notice\n")
    assert victim.read_text(encoding="utf-8") == "do not overwrite\n"
    assert (tmp_path / ".notice.md.planted.tmp").is_symlink()
    assert out.read_text(encoding="utf-8") == "the notice\n" and not out.is_symlink()


def test_import_writes_only_into_the_folder_it_is_given(tmp_path: Path) -> None:
    notice = REPO / "tests" / "fixtures" / "seed_notice.txt"
    if not notice.is_file() or "import" not in _commands():
        pytest.skip("rectify import is not in this build")
    into = tmp_path / "unit"
    into.mkdir()
    outside = {p for p in tmp_path.iterdir()}
    result = invoke("import", str(notice), "--into", str(into))
    assert result.exit_code in (0, 1), result.output
    assert {p for p in tmp_path.iterdir()} == outside
    written = [p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()]
    assert written and all(w.startswith("data/") for w in written), written


def _commands() -> set[str]:
    from typer.main import get_command

    return set(get_command(app).commands)  # type: ignore[attr-defined]


def test_located_never_holds_anything_but_plain_data() -> None:
    """What loading gives is dicts, lists, text, numbers, booleans and None: nothing with behaviour."""
    plain = (dict, list, str, int, float, bool, type(None))

    def walk(value: object) -> bool:
        if isinstance(value, dict):
            return all(isinstance(k, str) and walk(v) for k, v in value.items())
        if isinstance(value, list):
            return all(walk(v) for v in value)
        return type(value) in plain

    for file in sorted((REPO / "data").rglob("*.yaml")):
        located = compose(file.read_text(encoding="utf-8"))
        assert isinstance(located, Located) and walk(located.data), file


def test_every_test_security_md_names_exists() -> None:
    """SECURITY.md points at the tests that show each defence: none of them may be renamed away."""
    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(test_[a-z0-9_]+)", text))
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "tests").glob("*.py"))
    assert len(named) > 50
    assert sorted(n for n in named if f"def {n}(" not in source) == []
