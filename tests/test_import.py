"""`rectify import`: a published notice becomes records that render it back, and nothing of it is lost."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

import pytest

from rectifykit import check, yamlio
from rectifykit.importer import wording
from rectifykit.importer.values import split_measure
from rectifykit.model import dates, placeholders
from rectifykit.model.records import Finding, Inspection, State
from support import fidelity, fragments, rectify, sentences, squeeze, strings

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "tests" / "fixtures" / "seed_notice.txt"
NOTICES = REPO / "tests" / "fixtures" / "notices"
AS_OF = dt.date(2026, 1, 1)

# The header sentence's dates of each excerpt: period start, end, feedback date.
EXCERPT_DATES = {
    "01-wucheng-wenlvti-bureau-xuncha-2023.txt": ("2022-09-16", "2022-10-18", "2023-01-17"),
    "03-wuhan-market-regulation-xuncha-2024.txt": ("2023-07-13", "2023-08-31", "2023-10-20"),
    "06-chenzhou-no2-hospital-xuncha-2025.txt": ("2024-09-09", "2024-12-10", "2024-12-30"),
    "08-city-culture-tourism-party-committee-xuncha-2026.txt": ("2025-03-18", "2025-06-06", "2025-07-31"),
    "10-sanmenxia-culture-tourism-xuncha-2024.txt": ("2023-07-05", "2023-08-23", "2023-09-22"),  # year left out
    "13-guangzhou-housing-construction-xuncha-2021-repost.txt": ("2020-05-17", "2020-08-07", "2020-10-27"),
    "14-wuhan-econ-dev-zone-xunshi-2024.txt": ("2023-07-18", "2023-09-15", "2023-11-01"),  # same sentence
    "16-hengyang-zhengxiang-district-xunshi-2024.txt": ("2023-09-06", "2023-11-10", "2023-12-21"),
    "19-shanghai-xuhui-district-xunshi.txt": ("2023-03-29", "2023-06-16", "2023-08-29"),  # team first
}

# The problems each excerpt numbers; the excerpts cut before their first problem import with exit 1 (RK320).
EXCERPT_PROBLEMS = {
    "01-wucheng-wenlvti-bureau-xuncha-2023.txt": 1,
    "03-wuhan-market-regulation-xuncha-2024.txt": 2,
    "06-chenzhou-no2-hospital-xuncha-2025.txt": 1,
    "08-city-culture-tourism-party-committee-xuncha-2026.txt": 0,
    "10-sanmenxia-culture-tourism-xuncha-2024.txt": 0,
    "13-guangzhou-housing-construction-xuncha-2021-repost.txt": 0,
    "14-wuhan-econ-dev-zone-xunshi-2024.txt": 0,
    "16-hengyang-zhengxiang-district-xunshi-2024.txt": 1,
    "19-shanghai-xuhui-district-xunshi.txt": 0,
}


def excerpt_code(name: str) -> int:
    return 0 if EXCERPT_PROBLEMS[name] else 1

# ---------------------------------------------------------------- helpers


invoke = rectify


def run_import(notice: Path, into: Path, *extra: str, code: int = 0) -> dict:
    """Import through the CLI with a JSON report; the report."""
    report = into.parent / f"{into.name}-report.json"
    result = invoke("import", str(notice), "--into", str(into), "--report", str(report), *extra)
    assert result.exit_code == code, result.output
    return json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}


def records(root: Path) -> dict[str, object]:
    """Every record file of a project as plain data (comments and styles aside)."""
    out = {}
    for file in sorted((root / "data").rglob("*.yaml")):
        located = yamlio.compose(file.read_text(encoding="utf-8"))
        assert not isinstance(located, yamlio.YamlProblem), (file, located)
        out[file.relative_to(root).as_posix()] = located.data
    return out


def corpus(root: Path) -> str:
    """All record text, narrative placeholders resolved, in comparison form."""
    data = records(root)
    inspection = Inspection.model_validate(data.pop("data/inspection.yaml"))
    findings = []
    for value in data.values():
        with contextlib.suppress(ValueError):
            findings.append(Finding.model_validate(value))
    texts = [placeholders.resolve(text, inspection, findings) for text in strings(inspection.model_dump())]
    texts += [text for value in data.values() for text in strings(value)]
    assert not [t for t in texts if placeholders.PLACEHOLDER.search(t)], "a placeholder is left unresolved"
    return "\n".join(squeeze(t) for t in texts)


def missing_sentences(lines: list[str], text: str) -> list[str]:
    """Sentences (split at 。;) of the lines, cut at generated numbering, that are not in ``text``."""
    found = (fragment for sentence in sentences("\n".join(lines)) for fragment in fragments(sentence))
    return [fragment for fragment in found if fragment not in text]


def excerpt(name: str, tmp_path: Path) -> tuple[Path, list[str]]:
    """An excerpt's text without the folder's own framing (source:/complete: lines, the gap marker)."""
    text = (NOTICES / name).read_text(encoding="utf-8")
    header, _, body = text.partition("\n\n")
    assert header.startswith("source:"), name
    lines = [line for line in body.splitlines() if line.strip() != "[...gap...]"]
    notice = tmp_path / name
    notice.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return notice, lines


@pytest.fixture(scope="module")
def seed_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("seed") / "project"
    return root, run_import(SEED, root)


# ---------------------------------------------------------------- the seed


def test_the_imported_seed_renders_the_published_notice(seed_project: tuple[Path, dict]) -> None:
    checker = fidelity()
    root, _report = seed_project
    result = invoke("render", "--root", str(root))
    assert result.exit_code == 0, result.output
    compared = checker.compare(result.stdout, SEED.read_text(encoding="utf-8"))
    assert compared["identical"], compared["spans"][:3]


def test_the_imported_seed_is_valid_and_counts_for_itself(seed_project: tuple[Path, dict]) -> None:
    root, report = seed_project
    assert (report["problems"], report["categories"], report["responses"]) == (18, 3, 33)
    project = check.load(root, today=AS_OF)
    assert not project.errors, project.errors
    inspection = project.inspection.record
    assert (inspection.period.start, inspection.period.end, inspection.feedback_date) == (
        dt.date(2023, 10, 10), dt.date(2023, 12, 10), dt.date(2024, 1, 11)
    )
    assert inspection.opening.startswith("按照{authority}统一部署,{period},{team}对{unit_self}进行了巡察。")
    counts = inspection.sections[3].paragraphs[0].text
    assert "反馈意见{problems:category-1}条" in counts and "反馈问题{problems:category-3}条" in counts
    assert "{phone}" in inspection.closing and inspection.contact.phone == "027-56919296"


def test_the_seed_footer_is_reported_as_page_chrome_and_kept_out_of_the_records(
    seed_project: tuple[Path, dict],
) -> None:
    root, report = seed_project
    assert [(d["line"], d["code"]) for d in report["chrome"]] == [(125, "RK301")]
    assert "ICP" in report["chrome"][0]["message"]
    assert "ICP" not in "".join(path.read_text(encoding="utf-8") for path in (root / "data").rglob("*.yaml"))
    assert not report["unplaced"]


def test_the_imported_seed_keeps_the_genre_cases(seed_project: tuple[Path, dict]) -> None:
    data = records(seed_project[0])
    correction = data["data/findings/problem-06.yaml"]  # 一是 and 三是 answered together, then 二是, 四是
    assert [r["covers"] for r in correction["responses"]] == [[1, 3], [2], [4]]
    assert correction["responses"][0]["measures"][0]["items"][1].startswith("结合《鄂城区社区矫正")
    services = data["data/findings/problem-09.yaml"]  # points in the title's paragraph, a combined status
    assert services["responses"][0]["status"] == {"states": ["deemed_completed", "in_progress"],
                                                  "label": "视同完成,持续整改;需持续整改"}
    assert "covers" not in services["responses"][0]
    spending = data["data/findings/problem-12.yaml"]  # first point inline, one response per point
    assert spending["points_inline"] is True and spending["responses"][0]["measures_label"] == "主要做法及成效"


# ---------------------------------------------------------------- other units' notices


@pytest.mark.parametrize("name", sorted(EXCERPT_DATES))
def test_every_sentence_of_an_excerpt_is_in_the_records(name: str, tmp_path: Path) -> None:
    notice, lines = excerpt(name, tmp_path)
    root = tmp_path / "project"
    report = run_import(notice, root, code=excerpt_code(name))
    assert report["problems"] == EXCERPT_PROBLEMS[name]
    chrome = {d["line"] for d in report["chrome"]}
    header = next(i for i, line in enumerate(lines, 1) if "统一部署" in line)
    assert all(line < header for line in chrome), "page chrome only above the header sentence"
    kept = [re.sub(r"^[\s•]+", "", line) for i, line in enumerate(lines, 1) if i not in chrome]
    missing = missing_sentences(kept, corpus(root))
    assert not missing, missing[:3]


@pytest.mark.parametrize("name", sorted(EXCERPT_DATES))
def test_the_header_dates_of_an_excerpt_are_read(name: str, tmp_path: Path) -> None:
    notice, _lines = excerpt(name, tmp_path)
    root = tmp_path / "project"
    run_import(notice, root, code=excerpt_code(name))
    inspection = records(root)["data/inspection.yaml"]
    assert isinstance(inspection, dict)
    start, end, feedback = EXCERPT_DATES[name]
    assert inspection["period"] == {"start": start, "end": end}
    assert inspection["feedback_date"] == feedback


@pytest.mark.parametrize("name", sorted(EXCERPT_PROBLEMS))
def test_an_excerpt_as_published_in_the_shared_folder_is_never_refused(name: str, tmp_path: Path) -> None:
    """The file as it is (its source: lines, its [...gap...] mark): imported, the mark reported, nothing lost."""
    shared = REPO.parent / "shared" / "notices" / name
    notice = shared if shared.is_file() else NOTICES / name
    root = tmp_path / "project"
    report = run_import(notice, root, code=excerpt_code(name))
    assert report["problems"] == EXCERPT_PROBLEMS[name]
    assert [d["message"] for d in report["diagnostics"] if d["code"] == "RK319"] == [
        "editorial mark '[...gap...]' of the copy is left out of the published text"
    ]
    lines = notice.read_text(encoding="utf-8").splitlines()
    chrome = {d["line"] for d in report["chrome"]}
    kept = [re.sub(r"^[\s•]+", "", line) for i, line in enumerate(lines, 1) if i not in chrome]
    missing = missing_sentences(kept, corpus(root))
    assert not missing, missing[:3]


def test_every_excerpt_is_copied_from_the_shared_folder() -> None:
    shared = REPO.parent / "shared" / "notices"
    if not shared.is_dir():
        pytest.skip("../shared is not beside this checkout")
    names = sorted(p.name for p in shared.glob("*.txt"))
    assert names == sorted(EXCERPT_DATES)
    assert all((NOTICES / n).read_bytes() == (shared / n).read_bytes() for n in names)


# ---------------------------------------------------------------- formats


def test_a_docx_of_the_seed_gives_the_same_records_as_the_text(
    seed_project: tuple[Path, dict], tmp_path: Path
) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in SEED.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    notice = tmp_path / "notice.docx"
    document.save(str(notice))
    run_import(notice, tmp_path / "project")
    assert records(tmp_path / "project") == records(seed_project[0])


def test_numbers_that_word_prints_count_as_typed(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("根据市委统一部署,2023年3月1日至4月30日,市委第一巡察组对市档案馆党组进行了巡察。"
                           "2023年5月20日,市委第一巡察组向市档案馆党组反馈了巡察意见。")
    for title, status in (("档案管理不规范。", "已完成"), ("经费管理不严格。", "正在整改")):
        document.add_paragraph(title, style="List Number")  # Word numbers it: 1. 2.
        document.add_paragraph(f"整改情况:{status}")
    notice = tmp_path / "notice.docx"
    document.save(str(notice))
    run_import(notice, tmp_path / "project")
    data = records(tmp_path / "project")
    titles = [data[f"data/findings/problem-0{n}.yaml"]["title"] for n in (1, 2)]
    assert titles == ["档案管理不规范。", "经费管理不严格。"]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_rendered_notice_imports_to_the_same_records(
    fmt: str, seed_project: tuple[Path, dict], tmp_path: Path
) -> None:
    notice = tmp_path / f"notice.{fmt}"
    result = invoke("render", "--root", str(seed_project[0]), "--format", fmt, "-o", str(notice))
    assert result.exit_code == 0, result.output
    run_import(notice, tmp_path / "project")
    assert records(tmp_path / "project") == records(seed_project[0])


def test_a_docx_without_python_docx_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notice = tmp_path / "notice.docx"
    notice.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    monkeypatch.setitem(sys.modules, "docx", None)
    result = invoke("import", str(notice), "--into", str(tmp_path / "project"))
    assert result.exit_code == 2
    assert "pip install 'rectifykit[office]'" in result.output


# ---------------------------------------------------------------- bad and partial input


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        (b"Lorem ipsum dolor sit amet.\nConsectetur adipiscing elit.\n", "does not look like"),
        ("今天天气很好。\n我们去公园散步。\n".encode(), "does not look like"),
        (b"", "is empty"),
    ],
)
def test_garbage_is_refused_with_a_clear_message(content: bytes, says: str, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_bytes(content)
    result = invoke("import", str(notice), "--into", str(tmp_path / "project"))
    assert result.exit_code == 1
    assert says in result.output and "Traceback" not in result.output
    assert not (tmp_path / "project").exists()


def test_a_missing_notice_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("import", str(tmp_path / "nowhere.txt"), "--into", str(tmp_path / "project"))
    assert result.exit_code == 2 and "no such file" in result.output


def test_a_truncated_notice_imports_what_is_there_and_validate_names_what_is_missing(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cut = lines.index(next(line for line in lines if line.startswith("二是联系实际不紧密"))) + 1
    notice = tmp_path / "cut.txt"
    notice.write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
    root = tmp_path / "project"
    report = run_import(notice, root)
    assert report["problems"] == 1
    missing = " ".join(d["message"] for d in report["missing"])
    for part in ("closing", "signature", "publication date"):
        assert part in missing
    result = invoke("validate", "--root", str(root))
    assert result.exit_code == 1
    assert "problem-01.yaml" in result.output and "RK204" in result.output  # point 2 has no response yet


def test_a_problem_cut_before_its_response_is_named_by_validate(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    cut = lines.index(next(line for line in lines if line.startswith("2.意识形态"))) + 1
    notice = tmp_path / "cut.txt"
    notice.write_text("\n".join(lines[:cut]) + "\n", encoding="utf-8")
    root = tmp_path / "project"
    report = run_import(notice, root)
    assert any("response to problem 2" in d["message"] for d in report["missing"])
    result = invoke("validate", "--root", str(root))
    # a problem without responses is a draft (issue 15): valid, with a warning naming it; the notice waits for it
    assert result.exit_code == 0
    assert "problem-02.yaml" in result.output and "RK270" in result.output
    rendered = invoke("render", "--root", str(root))
    assert rendered.exit_code == 1 and "problem-02.yaml" in rendered.output and "RK271" in rendered.output


def test_existing_records_are_kept_unless_forced(tmp_path: Path) -> None:
    root = tmp_path / "project"
    run_import(SEED, root)
    stale = root / "data" / "findings" / "problem-99.yaml"
    stale.write_text("id: problem-99\n", encoding="utf-8")
    before = (root / "data" / "inspection.yaml").read_bytes()
    result = invoke("import", str(SEED), "--into", str(root))
    assert result.exit_code == 2 and "--force" in result.output
    assert stale.exists() and (root / "data" / "inspection.yaml").read_bytes() == before
    result = invoke("import", str(SEED), "--into", str(root), "--force")
    assert result.exit_code == 0, result.output
    assert not stale.exists() and "problem-99.yaml" in result.output
    assert not list((root / "data").rglob(".*.tmp")), "temporary files left behind"


def test_the_report_is_markdown_unless_named_json(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    result = invoke("import", str(SEED), "--into", str(tmp_path / "project"), "--report", str(report))
    assert result.exit_code == 0, result.output
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Import report") and "## Page chrome left out" in text and "line 125" in text


@pytest.mark.parametrize("case", range(24))
def test_nothing_is_lost_from_a_damaged_notice(case: int, tmp_path: Path) -> None:
    """Lines dropped, cut short or shuffled in: every sentence left still ends up in the records."""
    rnd = random.Random(case)
    lines = SEED.read_text(encoding="utf-8").splitlines()
    if case % 3 == 0:
        lines = [line for line in lines if rnd.random() > 0.3]
    elif case % 3 == 1:
        for _ in range(12):
            at = rnd.randrange(len(lines))
            lines[at] = lines[at][: rnd.randrange(len(lines[at]) + 1)]
    else:
        lines = [rnd.choice(lines) for _ in range(40)]
    notice = tmp_path / "notice.txt"
    notice.write_text("\n".join(lines), encoding="utf-8")
    result = invoke("import", str(notice), "--into", str(tmp_path / "p"), "--report", str(tmp_path / "r.json"))
    if result.exit_code == 1 and "does not look like" in result.output:
        return
    assert result.exit_code in (0, 1), result.output  # 1: no problems left in it (RK320), its text still kept
    assert (result.exit_code == 1) == ("RK320" in result.output), result.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    chrome = {d["line"] for d in report["chrome"]}
    data = records(tmp_path / "p")
    inspection = data["data/inspection.yaml"]
    assert isinstance(inspection, dict)
    text = "\n".join(s for value in data.values() for s in strings(value))
    if inspection.get("publication_date"):  # the signature date, printed from publication_date
        text += dates.cn_date(dt.date.fromisoformat(inspection["publication_date"]))
    for name, value in typed_values(inspection).items():
        text = text.replace(f"{{{name}}}", value)
    text = squeeze(re.sub(r"\{problems:[a-z0-9-]+\}", "", text))
    kept = [line for number, line in enumerate(lines, 1) if number not in chrome]
    missing = [m for m in missing_sentences(kept, text) if not re.search(r"\d+条", m)]
    assert not missing, missing[:3]


def typed_values(inspection: dict) -> dict[str, str]:
    """The inspection's placeholders as printed (without building a valid record)."""
    values = {k: inspection[k] for k in ("unit", "unit_self", "authority", "team", "round") if inspection.get(k)}
    values.update(inspection.get("contact") or {})
    day = dt.date.fromisoformat
    if period := inspection.get("period"):
        values["period"] = dates.cn_range(day(period["start"]), day(period["end"]))
    if inspection.get("feedback_date"):
        values["feedback_date"] = dates.cn_date(day(inspection["feedback_date"]))
    return values


# ---------------------------------------------------------------- the genre's variations

VARIANTS = """\
当前位置:首页 > 信息公开
中共示例市示例局委员会
关于十届市委第三轮巡察集中整改进展情况的通报
发布时间:2024-05-20 09:00 来源:示例局 浏览量:
根据市委统一部署,市委第二巡察组于2023年9月1日至11月30日对示例局党委进行了常规巡察,并于12月25日反馈了巡察意见。按照巡察工作有关要求,现将巡察整改进展情况予以公布。
一、整改工作开展情况
(一)提高站位,压实责任。局党委召开专题会议研究部署整改工作。
(二)建立台账,逐项销号。对照问题清单建立整改台账。
二、反馈意见整改落实情况
巡察反馈3个问题,已完成整改2个、正在整改1个,整改完成率66.67%。
(一)在“理论学习”方面
1.关于“理论学习不深入”问题
(1)学习计划不具体。学习计划照搬上级文件。
整改措施:制定年度学习计划,明确学习专题。
完成情况:已完成
(2)学习记录不完整。部分会议无记录。
整改措施:明确专人负责记录。
责任单位:办公室 整改时限:2024年6月底
完成情况:按计划推进
(二)在“作风建设”方面
该方面问题均已整改。
2.关于“公务接待不规范”问题
整改情况:已完成整改,建立长效机制
主要做法和成效:修订公务接待管理办法。
3.关于“经费管理不严格”问题
整改情况:基本完成
主要做法和成效:(1)清理往来款项。(2)完善报销制度。
欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议,请及时向我们反馈。
联系电话:0000-1234567
电子邮箱:office@example.org
中共示例市示例局委员会
2024年5月20日
版权所有:示例局 ICP备00000000号
"""


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    folder = tmp_path_factory.mktemp("variants")
    notice = folder / "notice.txt"
    notice.write_text(VARIANTS, encoding="utf-8")
    report = run_import(notice, folder / "project")
    return records(folder / "project"), report


def test_variants_frame_and_header(variants: tuple[dict, dict]) -> None:
    data, report = variants
    inspection = data["data/inspection.yaml"]
    assert inspection["title"] == "中共示例市示例局委员会关于十届市委第三轮巡察集中整改进展情况的通报"
    assert inspection["round"] == "十届市委第三轮巡察"
    assert (inspection["unit"], inspection["unit_self"], inspection["team"]) == (
        "中共示例市示例局委员会", "示例局党委", "市委第二巡察组"
    )
    assert inspection["period"] == {"start": "2023-09-01", "end": "2023-11-30"}
    assert inspection["feedback_date"] == "2023-12-25"  # the year is inherited from the period
    assert inspection["publication_date"] == "2024-05-20"  # the signature's date, not the page's
    assert inspection["closing"].endswith("联系电话:{phone}\n电子邮箱:{email}")
    assert inspection["contact"] == {"phone": "0000-1234567", "email": "office@example.org"}
    assert [d["line"] for d in report["chrome"]] == [1, 4, 33]
    assert {d["code"] for d in report["diagnostics"]} >= {"RK310"}


def test_variants_counts_become_placeholders_only_where_they_agree(variants: tuple[dict, dict]) -> None:
    data, report = variants
    counts = data["data/inspection.yaml"]["sections"][1]["paragraphs"][0]["text"]
    assert counts.startswith("巡察反馈{problems}个问题,已完成整改2个")  # 4 items for 3 problems: typed kept
    assert sum(d["code"] == "RK306" for d in report["diagnostics"]) == 3


def test_variants_categories_problems_points_and_statuses(variants: tuple[dict, dict]) -> None:
    data, report = variants
    inspection = data["data/inspection.yaml"]
    assert [c["title"] for c in inspection["categories"]] == ["在“理论学习”方面", "在“作风建设”方面"]
    assert inspection["unplaced"] == ["该方面问题均已整改。"]
    study = data["data/findings/problem-01.yaml"]
    assert study["points"][1] == {"title": "学习记录不完整。", "text": "部分会议无记录。"}
    first, second = study["responses"]
    assert first["status"] == {"states": ["completed"], "label": "已完成"} and first["covers"] == [1]
    assert second["status"] == {"label": "按计划推进"}  # no state read: validate asks for it
    assert (second["department"], second["deadline"]) == ("办公室", "2024-06-30")
    assert second["notes"] == "责任单位:办公室 整改时限:2024年6月底\n完成情况:按计划推进"  # as printed
    reception = data["data/findings/problem-02.yaml"]["responses"][0]
    assert reception["status"]["states"] == ["completed"] and reception["measures_label"] == "主要做法和成效"
    funds = data["data/findings/problem-03.yaml"]["responses"][0]
    assert funds["status"]["states"] == ["in_progress"]
    assert funds["measures"] == [{"items": ["清理往来款项。", "完善报销制度。"]}]
    codes = {d["code"] for d in report["diagnostics"]}
    assert {"RK300", "RK302", "RK303", "RK312", "RK315"} <= codes


HEADER = (
    "根据区委统一部署,2022年3月1日至4月30日,区委第一巡察组对区教育局党委进行了常规巡察。"
    "2022年6月8日,区委巡察组向区教育局党委反馈了巡察意见。\n"
)


def import_text(tmp_path: Path, text: str, name: str = "notice.txt") -> dict[str, object]:
    notice = tmp_path / name
    notice.write_text(HEADER + text, encoding="utf-8")
    run_import(notice, tmp_path / "project")
    return records(tmp_path / "project")


def test_markdown_problems_with_numbered_measures_and_the_status_after_them(tmp_path: Path) -> None:
    data = import_text(tmp_path, (
        "## 二、巡视反馈问题整改落实情况\n\n**问题1：**贯彻落实新发展理念有差距。\n\n一是产业结构偏重。\n\n"
        "二是创新能力不强。\n\n整改措施：\n\n1. 制定产业转型升级实施方案；\n2. 设立科技创新专项资金。\n\n"
        "完成情况：已完成\n\n**问题2：**基层党组织建设薄弱。\n\n整改措施：开展整顿。\n\n完成情况：持续推进中\n"
    ), name="notice.md")
    first = data["data/findings/problem-01.yaml"]
    assert [p["title"] for p in first["points"]] == ["产业结构偏重。", "创新能力不强。"]
    assert first["responses"] == [{
        "status": {"states": ["completed"], "label": "已完成"},
        "measures": ["1. 制定产业转型升级实施方案；", "2. 设立科技创新专项资金。"],
        "notes": "完成情况：已完成",
    }]
    assert data["data/findings/problem-02.yaml"]["responses"][0]["status"]["states"] == ["in_progress"]
    assert data["data/inspection.yaml"]["measures_label"] == "整改措施"


def test_problems_numbered_by_category_marks_with_measures_numbered_1_2(tmp_path: Path) -> None:
    data = import_text(tmp_path, (
        "一、巡察反馈问题整改情况\n（一）关于“党建工作责任落实不到位”的问题\n整改情况：已完成。\n"
        "1.制定党建工作责任清单；\n2.开展党建述职评议。\n（二）关于“财务管理不规范”的问题\n整改情况：已完成。修订制度。\n"
    ))
    first = data["data/findings/problem-01.yaml"]
    assert first["title"] == "关于“党建工作责任落实不到位”的问题"
    assert first["responses"][0]["measures"] == ["1.制定党建工作责任清单；", "2.开展党建述职评议。"]
    assert data["data/findings/problem-02.yaml"]["responses"][0]["measures"] == ["修订制度。"]


def test_a_status_inside_the_problem_line_or_on_the_next_line(tmp_path: Path) -> None:
    data = import_text(tmp_path, (
        "一、巡察反馈问题整改情况\n1.党建工作责任落实不到位。整改情况:已完成。制定党建工作责任清单。\n"
        "2.财务管理不规范。\n整改情况:\n正在整改\n主要做法和成效:修订制度。\n"
    ))
    first, second = (data[f"data/findings/problem-0{n}.yaml"]["responses"][0] for n in (1, 2))
    assert first == {"status": {"states": ["completed"], "label": "已完成。"}, "measures": ["制定党建工作责任清单。"]}
    assert second == {"status": {"states": ["in_progress"], "label": "正在整改"}, "measures": ["修订制度。"]}


# ---------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("label", "states", "certainty"),
    [
        ("整改完成", [State.completed], "known"),
        ("视同完成，持续整改；需持续整改", [State.deemed_completed, State.in_progress], "known"),
        ("整改完成并长期坚持。", [State.completed_ongoing], "known"),
        ("已完成整改,并持续巩固提升", [State.completed_ongoing], "inferred"),
        ("正在推进中", [State.in_progress], "inferred"),
        ("基本完成", [State.in_progress], "ambiguous"),
        ("按计划推进", [], "unclear"),
    ],
)
def test_status_wording(label: str, states: list[State], certainty: str) -> None:
    reading = wording.read_status(label)
    assert (list(reading.states), reading.certainty) == (states, certainty)


def test_numbered_measures_split_only_when_they_count_from_one() -> None:
    assert split_measure("引言。(1)甲。(2)乙。") == {"intro": "引言。", "items": ["甲。", "乙。"]}
    assert split_measure("依据第(2)项规定。(3)另行处理。") == "依据第(2)项规定。(3)另行处理。"


# ---------------------------------------------------------------- forms the genre also takes (issue 15)

FORMS = REPO / "tests" / "fixtures" / "import-forms"
"""Small synthetic notices, one per form: written for these tests, not copied from published notices."""


def import_form(name: str, tmp_path: Path, *, code: int = 0) -> tuple[dict, dict]:
    """Import a form notice with a JSON report (written even when the import exits 1): records, report."""
    root = tmp_path / "project"
    report_file = tmp_path / "report.json"
    result = invoke("import", str(FORMS / name), "--into", str(root), "--report", str(report_file))
    assert result.exit_code == code, result.output
    return records(root), json.loads(report_file.read_text(encoding="utf-8"))


def codes(report: dict) -> set[str]:
    return {d["code"] for d in report["diagnostics"]}


def all_text(data: dict) -> str:
    return "\n".join(s for value in data.values() for s in strings(value))


def public(value: object) -> list[str]:
    """The texts a template may print: everything but 'unplaced' and the internal 'notes'."""
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in ("unplaced", "notes") for s in public(v)]
    if isinstance(value, list):
        return [s for v in value for s in public(v)]
    return [value] if isinstance(value, str) else []


ENUMERATOR = re.compile(r"^(?:\d+、|(?:反馈)?问题\s*[\d一二三四五六七八九十百零]+\s*[:：]?)")
"""The numbering the templates print, in the forms the support module's MARKERS does not know."""


def every_line_kept(name: str, data: dict, convert=lambda text: text) -> list[str]:
    """The lines of a form notice whose sentences are not in the records (placeholders resolved)."""
    inspection = data["data/inspection.yaml"]
    text = all_text(data)
    for key, value in typed_values(inspection).items():
        text = text.replace(f"{{{key}}}", value)
    text_of_notice = convert((FORMS / name).read_text(encoding="utf-8"))
    lines = [ENUMERATOR.sub("", line) for line in text_of_notice.splitlines()]
    if inspection.get("publication_date"):
        text += dates.cn_date(dt.date.fromisoformat(inspection["publication_date"]))
    return missing_sentences(lines, squeeze(text))


def test_problems_numbered_with_a_dunhao_under_any_heading_of_problems(tmp_path: Path) -> None:
    data, report = import_form("dunhao-problems.txt", tmp_path)
    assert report["problems"] == 3
    assert data["data/findings/problem-01.yaml"]["title"] == "落实安全生产责任不到位。"
    assert not every_line_kept("dunhao-problems.txt", data)


def test_problems_numbered_with_a_dunhao_and_statuses_without_labels(tmp_path: Path) -> None:
    data, report = import_form("dunhao-found-problems.txt", tmp_path)
    assert report["problems"] == 3
    titles = [data[f"data/findings/problem-0{n}.yaml"]["title"] for n in (1, 2, 3)]
    assert titles == ["落实安全生产责任不到位。", "招商引资项目跟踪服务不够。", "干部队伍建设存在短板。"]
    assert not every_line_kept("dunhao-found-problems.txt", data)


def test_problems_numbered_by_category_marks_with_unlabelled_statuses(tmp_path: Path) -> None:
    data, report = import_form("category-numbered-problems.txt", tmp_path)
    assert report["problems"] == 2
    first = data["data/findings/problem-01.yaml"]
    assert first["title"] == "关于“药品采购管理不规范”问题"
    assert first["responses"] == [{"status": {"states": ["completed"], "label": "已完成。"},
                                   "measures": ["修订药品采购管理办法，实行集中采购。"]}]
    plans = data["data/inspection.yaml"]["sections"][2]
    assert plans["title"] == "存在的问题和下一步打算" and "findings" not in plans  # narrative, not problems
    assert "RK322" in codes(report)
    assert not every_line_kept("category-numbered-problems.txt", data)


def test_numbered_problems_answered_by_a_status_without_a_label_under_any_heading(tmp_path: Path) -> None:
    data, report = import_form("unlabelled-statuses.txt", tmp_path)
    assert report["problems"] == 2
    states = [data[f"data/findings/problem-0{n}.yaml"]["responses"][0]["status"]["states"] for n in (1, 2)]
    assert states == [["completed"], ["in_progress"]]
    narrative = data["data/inspection.yaml"]["sections"][0]
    assert narrative["paragraphs"] == [{"text": "支部召开专题会议，逐条研究整改措施。"}]
    assert not every_line_kept("unlabelled-statuses.txt", data)


def test_problems_written_as_feedback_problem_one_and_problem_1(tmp_path: Path) -> None:
    data, report = import_form("feedback-problem-labels.txt", tmp_path)
    assert report["problems"] == 3
    titles = [data[f"data/findings/problem-0{n}.yaml"]["title"] for n in (1, 2, 3)]
    assert titles == ["社区网格化管理不精细。", "为民办实事项目推进慢。", "老旧小区改造后续管理缺位。"]
    assert not every_line_kept("feedback-problem-labels.txt", data)


def test_numerals_past_99_arabic_and_chinese(tmp_path: Path) -> None:
    data, report = import_form("numerals-past-99.txt", tmp_path)
    assert report["problems"] == 5
    assert data["data/findings/problem-04.yaml"]["title"] == "关于“安全生产投入不足”问题"
    assert data["data/findings/problem-05.yaml"]["title"] == "关于“档案管理不规范”问题"
    typed = [d["message"] for d in report["diagnostics"] if d["code"] == "RK309"]
    assert any("102" in m for m in typed) and any("100" in m for m in typed)
    assert not every_line_kept("numerals-past-99.txt", data)


@pytest.mark.parametrize(("numeral", "value"), [("一百", 100), ("一百零一", 101), ("一百一十二", 112),
                                                 ("二百三十", 230), ("九百九十九", 999), ("十二", 12)])
def test_chinese_numerals_past_99(numeral: str, value: int) -> None:
    from rectifykit.importer.text import cn_value

    assert cn_value(numeral) == value


def test_dates_in_ten_day_spans_and_this_year_get_a_best_date_and_a_warning(tmp_path: Path) -> None:
    data, report = import_form("early-month-dates.txt", tmp_path)
    inspection = data["data/inspection.yaml"]
    # 4月上旬至7月上旬 of the notice's year (its date is 2025年11月28日); 今年8月中旬
    assert inspection["period"] == {"start": "2025-04-01", "end": "2025-07-10"}
    assert inspection["feedback_date"] == "2025-08-11"
    assert "，4月上旬至7月上旬，" in inspection["opening"] and "今年8月中旬" in inspection["opening"]  # as printed
    assert {"RK317", "RK318"} <= codes(report)
    assert report["problems"] == 2
    assert not every_line_kept("early-month-dates.txt", data)


@pytest.mark.parametrize("written", ["今年2月30日", "2025年2月30日"])
def test_an_impossible_feedback_date_is_left_out_with_a_warning(tmp_path: Path, written: str) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text((FORMS / "early-month-dates.txt").read_text(encoding="utf-8").replace("今年8月中旬", written),
                      encoding="utf-8")
    report = run_import(notice, tmp_path / "project")  # no crash with a year taken from the notice's date
    assert "feedback_date" not in records(tmp_path / "project")["data/inspection.yaml"]
    assert "RK305" in codes(report)  # the notice has no (usable) feedback date


def test_braces_for_a_value_the_notice_does_not_give_stay_as_printed(tmp_path: Path) -> None:
    # no year anywhere (the notice is undated), so the period is left out; "{period}" is text, not a crash
    notice = tmp_path / "notice.txt"
    text = (FORMS / "early-month-dates.txt").read_text(encoding="utf-8")
    notice.write_text(text.replace("现将整改", "现将{period}整改").replace("2025年11月28日\n", ""), encoding="utf-8")
    run_import(notice, tmp_path / "project")
    inspection = records(tmp_path / "project")["data/inspection.yaml"]
    assert "period" not in inspection and "现将{period}整改情况通报如下" in inspection["opening"]


def test_a_notice_in_traditional_characters_is_converted_with_a_note(tmp_path: Path) -> None:
    pytest.importorskip("opencc")
    data, report = import_form("traditional.txt", tmp_path)
    inspection = data["data/inspection.yaml"]
    assert inspection["team"] == "县委第二巡察组" and inspection["feedback_date"] == "2023-08-15"
    assert report["problems"] == 2
    assert data["data/findings/problem-01.yaml"]["title"] == "关于“理论学习不够深入”问题"
    assert "RK316" in codes(report)
    assert "學" not in all_text(data)
    import opencc

    assert not every_line_kept("traditional.txt", data, opencc.OpenCC("t2s").convert)


def test_traditional_characters_without_opencc_name_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "opencc", None)
    result = invoke("import", str(FORMS / "traditional.txt"), "--into", str(tmp_path / "project"))
    assert result.exit_code == 2
    assert "Traditional" in result.output and "pip install 'rectifykit[import]'" in result.output
    assert not (tmp_path / "project").exists()


def test_a_notice_without_a_header_sentence_is_imported_with_a_warning(tmp_path: Path) -> None:
    data, report = import_form("no-header.txt", tmp_path)
    assert report["problems"] == 2 and "RK314" in codes(report)
    missing = " ".join(d["message"] for d in report["missing"])
    assert "inspection period" in missing and "feedback date" in missing
    assert not every_line_kept("no-header.txt", data)


def test_an_excerpt_of_only_the_organisation_section_keeps_its_text_and_exits_1(tmp_path: Path) -> None:
    data, report = import_form("organisation-only.txt", tmp_path, code=1)
    assert report["problems"] == 0 and "RK320" in codes(report)
    assert not every_line_kept("organisation-only.txt", data)
    assert "[...gap...]" not in "".join(public(data)) and "[...gap...]" in data["data/inspection.yaml"]["unplaced"]


def test_a_notice_with_no_problems_exits_1_naming_what_was_looked_for(tmp_path: Path) -> None:
    result = invoke("import", str(FORMS / "no-problems.txt"), "--into", str(tmp_path / "project"))
    assert result.exit_code == 1
    assert not every_line_kept("no-problems.txt", records(tmp_path / "project"))
    assert "RK320" in result.output and "1." in result.output and "问题1" in result.output
    assert "整改情况" in result.output
    validate = invoke("validate", "--root", str(tmp_path / "project"))
    assert "findings: true" not in validate.output and "RK217" not in validate.output


def test_editorial_markers_are_reported_and_never_public(tmp_path: Path) -> None:
    data, report = import_form("editorial-markers.txt", tmp_path)
    markers = [d for d in report["diagnostics"] if d["code"] == "RK319"]
    assert len(markers) == 4
    text = "\n".join(public(data))
    assert not re.search(r"[\[【][.…]", text), text
    assert data["data/findings/problem-01.yaml"]["responses"][0]["measures"] == ["开展耕地“非农化”专项排查，整改到位。"]
    assert report["problems"] == 2


def test_the_status_label_that_introduces_the_measures_is_not_printed_twice(tmp_path: Path) -> None:
    data, report = import_form("doubled-label.txt", tmp_path)
    inspection = data["data/inspection.yaml"]
    assert inspection.get("measures_label") != "整改情况"
    for n in (1, 2):
        response = data[f"data/findings/problem-0{n}.yaml"]["responses"][0]
        assert response.get("measures_label") != "整改情况"
        assert response["measures"]
    assert "RK321" in codes(report)


def test_text_that_is_not_of_the_genre_is_still_refused(tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text("一、会议议程\n1.通报工作进展。\n2.研究下一步安排。\n", encoding="utf-8")
    result = invoke("import", str(notice), "--into", str(tmp_path / "project"))
    assert result.exit_code == 1 and "does not look like" in result.output
    assert not (tmp_path / "project").exists()
