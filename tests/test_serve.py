"""`rectify serve` through Starlette's TestClient: token, CSRF, read-only, confinement, saves through edit/."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed (pip install 'rectifykit[serve]')")
pytest.importorskip("httpx", reason="Starlette's TestClient needs httpx")

from starlette.testclient import TestClient

from gitrepo import ISOLATED, git
from rectifykit import i18n
from rectifykit.i18n import _
from rectifykit.reports.status import MILESTONE_WORDS
from rectifykit.serve.app import Settings, create_app
from support import REPO, rectify

TODAY = dt.date(2024, 7, 11)
ITEM = "/u/0/problem/financial-spending/item/5"
RECORD = Path("data/findings/financial-spending.yaml")


@pytest.fixture(autouse=True)
def chinese() -> None:
    i18n.set_language("zh")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(REPO / "data", root / "data")
    return root


def client(*roots: Path, **options: object) -> tuple[TestClient, Settings]:
    settings = Settings(roots=list(roots), today=lambda: TODAY, **options)  # type: ignore[arg-type]
    c = TestClient(create_app(settings))
    c.get(f"/?token={settings.token}")  # the token once: a cookie from then on
    return c, settings


def form(settings: Settings, **fields: str) -> dict[str, str]:
    """The item's form as the page sends it: every field's shown value twice, the changed ones new."""
    shown = {"status": "in_progress", "label": "需持续整改", "deadline": "2024-12-31"}
    data = {"csrf": settings.csrf}
    for name in ("status", "label", "leader", "department", "person", "reviewer", "deadline", "completed_on",
                 "next_review", "notes"):
        data[f"orig_{name}"] = shown.get(name, "")
        data[name] = fields.get(name, shown.get(name, ""))
    return data


def test_every_request_needs_the_token_and_the_cookie_keeps_it(project: Path) -> None:
    settings = Settings(roots=[project], today=lambda: TODAY)
    c = TestClient(create_app(settings))
    assert c.get("/").status_code == 403
    assert c.get("/u/0/problems?token=wrong").status_code == 403
    assert c.get("/u/0/download/notice.md").status_code == 403
    first = c.get(f"/?token={settings.token}")
    assert first.status_code == 200 and "财务支出不规范" in first.text
    assert c.get("/u/0/problems").status_code == 200  # the cookie from now on
    assert TestClient(create_app(settings)).get("/u/0/problems").status_code == 403


def test_the_dashboard_shows_bands_with_words_and_markers_and_the_list_filters(project: Path) -> None:
    c, _s = client(project)
    page = c.get("/").text
    assert "band-overdue" in page and "‼ 逾期" in page  # colour and a marker that reads without it
    assert _(MILESTONE_WORDS["plan_due"]) in page and 'id="categories"' in page
    assert "built-in method" not in page and re.search(r"事项<b>\d+</b>", page)
    listed = c.get("/u/0/problems", params={"q": "财务"}).text
    assert "财务支出不规范" in listed and "政府采购执行不力" not in listed
    assert "financial-spending#5" in c.get("/u/0/problems", params={"state": "in_progress"}).text
    assert "financial-spending#5" not in c.get("/u/0/problems", params={"state": "completed"}).text


def test_a_save_changes_the_deadline_and_the_state_and_keeps_the_comments(project: Path) -> None:
    c, s = client(project)
    before = (project / RECORD).read_text(encoding="utf-8")
    r = c.post(ITEM, data=form(s, deadline="2024-10-31", status="completed"))
    assert r.status_code == 200, r.text
    after = (project / RECORD).read_text(encoding="utf-8")
    assert "deadline: 2024-10-31  # illustrative" in after
    assert "states: [completed]" in after and "completed_on: 2024-07-11" in after
    assert after.splitlines()[0] == before.splitlines()[0]  # the leading comment
    changed = {line for line in after.splitlines()} ^ {line for line in before.splitlines()}
    assert all(re.search(r"deadline|states|label|completed_on", line) for line in changed), changed
    assert "已保存" in r.text or "saved" in r.text


def test_an_impossible_date_shows_the_diagnostic_next_to_its_field_and_writes_nothing(project: Path) -> None:
    c, s = client(project)
    before = (project / RECORD).read_bytes()
    r = c.post(ITEM, data=form(s, deadline="2024-02-30"))
    assert r.status_code == 422
    assert re.search(r'data-field="deadline">[^<]*YYYY-MM-DD', r.text), r.text[-2000:]
    assert "日期" in r.text  # in Chinese
    assert (project / RECORD).read_bytes() == before


def test_what_validate_refuses_is_refused(project: Path) -> None:
    c, s = client(project)
    before = (project / RECORD).read_bytes()
    r = c.post(ITEM, data=form(s, completed_on="2030-01-01", status="completed"))  # completed in the future
    assert r.status_code == 422 and 'data-field="completed_on"' in r.text
    assert (project / RECORD).read_bytes() == before


def test_a_form_without_the_csrf_token_is_refused(project: Path) -> None:
    c, s = client(project)
    before = (project / RECORD).read_bytes()
    data = form(s, deadline="2024-10-31")
    del data["csrf"]
    assert c.post(ITEM, data=data).status_code == 403
    assert c.post(ITEM, data={**data, "csrf": "forged"}).status_code == 403
    assert (project / RECORD).read_bytes() == before


def test_read_only_refuses_every_write(project: Path) -> None:
    c, s = client(project, read_only=True)
    before = (project / RECORD).read_bytes()
    assert c.post(ITEM, data=form(s, deadline="2024-10-31")).status_code == 403
    upload = c.post(ITEM + "/evidence", data={"csrf": s.csrf}, files={"file": ("a.pdf", b"%PDF")})
    assert upload.status_code == 403
    assert (project / RECORD).read_bytes() == before and not (project / "evidence").exists()
    assert "<button" not in c.get("/u/0/problem/financial-spending").text


@pytest.mark.parametrize("path", [
    "/u/0/problem/..%2f..%2f..%2fetc%2fpasswd",
    "/u/0/problem/../../etc/passwd",
    "/u/0/download/..%2f..%2fetc%2fpasswd",
    "/u/0/download/%2fetc%2fpasswd",
    "/u/7/",
    "/..%2f..%2f..%2fetc%2fpasswd",
])
def test_path_traversal_in_any_parameter_is_refused(project: Path, path: str) -> None:
    c, _s = client(project)
    r = c.get(path)
    assert r.status_code in (403, 404) and "root:x:0:0" not in r.text


def test_a_post_to_an_item_that_names_a_path_is_refused(project: Path) -> None:
    c, s = client(project)
    for item in ("..%2f..%2fx", "1%2f..", "1.x"):
        r = c.post(f"/u/0/problem/financial-spending/item/{item}", data=form(s, deadline="2024-10-31"))
        assert r.status_code == 404


def test_an_uploaded_file_is_stored_with_a_safe_name_inside_the_project_and_recorded(project: Path) -> None:
    c, s = client(project)
    r = c.post(ITEM + "/evidence", data={"csrf": s.csrf}, files={"file": ("../../../etc/整改 报告.pdf", b"%PDF-1.4")})
    assert r.status_code == 200, r.text
    stored = project / "evidence" / "financial-spending" / "整改-报告.pdf"
    assert stored.read_bytes() == b"%PDF-1.4"
    assert "evidence/financial-spending/整改-报告.pdf" in (project / RECORD).read_text(encoding="utf-8")
    assert list(project.parent.glob("*.pdf")) == []


def test_two_saves_of_the_same_record_at_once_are_both_kept(project: Path) -> None:
    c, s = client(project)
    results: list[int] = []

    def save(**fields: str) -> None:
        results.append(c.post(ITEM, data=form(s, **fields)).status_code)

    threads = [threading.Thread(target=save, kwargs={"deadline": "2024-10-31"}),
               threading.Thread(target=save, kwargs={"person": "张三"})]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    text = (project / RECORD).read_text(encoding="utf-8")
    assert results == [200, 200]
    assert "deadline: 2024-10-31  # illustrative" in text and "person: 张三" in text


def test_a_field_changed_by_another_browser_meanwhile_is_refused_with_a_message(project: Path) -> None:
    c, s = client(project)
    assert c.post(ITEM, data=form(s, person="张三")).status_code == 200
    r = c.post(ITEM, data=form(s, person="李四"))  # this page still shows the person as empty
    assert r.status_code == 422 and "张三" in r.text
    assert "person: 张三" in (project / RECORD).read_text(encoding="utf-8")


def test_downloads_are_the_documents_of_the_records(project: Path) -> None:
    c, _s = client(project)
    notice = c.get("/u/0/notice")
    assert notice.status_code == 200 and "notice.docx" in notice.text
    docx = c.get("/u/0/download/notice.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert c.get("/u/0/download/ledger.xlsx").content[:2] == b"PK"
    md = c.get("/u/0/download/notice.md")
    assert "财务支出不规范" in md.text and "attachment" in md.headers["content-disposition"]
    assert c.get("/u/0/download/notice.html?inline=1").headers["content-security-policy"] == "sandbox"


def test_the_notice_is_marked_as_a_draft_while_records_are_incomplete(project: Path) -> None:
    c, _s = client(project)
    assert 'id="draft"' not in c.get("/u/0/notice").text
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("title: 财务支出不规范。", "title: 待补充"),
                      encoding="utf-8")
    assert 'id="draft"' in c.get("/u/0/notice").text  # the change is seen without a restart


def test_several_roots_make_the_roll_up_page(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "q"
    shutil.copytree(REPO / "data", other / "data")
    c, _s = client(project, other)
    page = c.get("/").text
    assert page.count('href="/u/') >= 2 and "/u/1/" in page and "built-in method" not in page
    assert c.get("/u/1/problems").status_code == 200


def test_commit_makes_a_git_commit_per_save_by_the_author(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in ISOLATED.items():
        monkeypatch.setenv(key, value)
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "records")
    c, s = client(project, author="王科员 <wang@example.org>")
    assert c.post(ITEM, data=form(s, deadline="2024-10-31")).status_code == 200
    log = git(project, "log", "-1", "--format=%an|%s")
    assert log.startswith("王科员|") and "financial-spending#5" in log and "2024-10-31" in log
    assert git(project, "status", "--porcelain", "--", str(RECORD)) == ""
    history = c.get("/u/0/problem/financial-spending").text.split('id="history"')[1]
    assert "王科员" in history and "2024-10-31" in history  # as rectify log tells it


def test_serve_refuses_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    result = rectify("serve", "--root", str(tmp_path))
    assert result.exit_code == 2 and "data/" in result.output


@pytest.mark.parametrize("case", sorted(p.name for p in (REPO / "tests" / "cases").iterdir()
                                        if p.is_dir() and not p.name.startswith("_")))
def test_the_workspace_finds_what_validate_finds(case: str, tmp_path: Path) -> None:
    """The server's checks, split per file to be kept between saves, are exactly check.records."""
    from rectifykit import check
    from rectifykit.load.project import ProjectError
    from rectifykit.serve.workspace import Workspace
    from test_cases import build_project

    root = build_project(REPO / "tests" / "cases" / case, tmp_path / "p")
    try:
        expected = check.load(root, today=TODAY).diagnostics
        found = Workspace(root, today=lambda: TODAY).current().project.diagnostics
    except ProjectError:
        pytest.skip("not a project")
    assert [(d.path, d.line, d.column, d.code) for d in found] == [(d.path, d.line, d.column, d.code) for d in expected]


def test_the_workspace_reads_again_only_what_changed_and_checks_as_validate_does(project: Path) -> None:
    from rectifykit import check
    from rectifykit.serve.workspace import Workspace

    ws = Workspace(project, today=lambda: TODAY)
    first = ws.current()
    assert ws.current() is first  # nothing changed: the same view, nothing parsed again
    record = project / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("deadline: 2024-12-31", "deadline: 2024-02-30"),
                      encoding="utf-8")
    again = ws.current()
    assert again is not first and "financial-spending" not in again.findings
    codes = [(d.path, d.line, d.code) for d in again.project.diagnostics]
    assert codes == [(d.path, d.line, d.code) for d in check.load(project, today=TODAY).diagnostics]


def test_the_pages_speak_english_with_the_usual_switch(project: Path) -> None:
    i18n.set_language("en")
    try:
        c, _s = client(project)
        page = c.get("/").text
        assert "Dashboard" in page and "OVERDUE" in page and "总览" not in page
    finally:
        i18n.set_language("zh")


def measures_form(settings: Settings, page: str, number: int, change: Callable[[str], str]) -> dict[str, str]:
    """A response's measures form as the page sends it: the text shown, and the text edited."""
    match = re.search(rf'id="measures-{number}".*?name="orig_measures" value="([^"]*)"', page, re.S)
    assert match, page[-3000:]
    shown = html.unescape(match.group(1))
    return {"csrf": settings.csrf, "orig_measures": shown, "measures": change(shown).replace("\n", "\r\n")}


def test_a_measure_edited_as_text_writes_exactly_that_change_and_keeps_comments(project: Path) -> None:
    c, s = client(project)
    before = (project / RECORD).read_text(encoding="utf-8")
    page = c.get("/u/0/problem/financial-spending").text
    assert "（1）与区财政部门初步协商沟通" in page  # numbered measures shown as lines （1）…
    old = "（2）修订《鄂城区司法局财务管理办法》，加强支出管理"
    data = measures_form(s, page, 5, lambda text: text.replace(old, "（2）修订财务管理办法,加强支出管理"))
    r = c.post(ITEM, data=data)
    assert r.status_code == 200 and "已保存" in r.text, r.text[-2000:]
    after = (project / RECORD).read_text(encoding="utf-8")
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and changed[0][1].startswith("          - 修订财务管理办法，加强支出管理")  # full-width
    assert after.splitlines()[0] == before.splitlines()[0] and after.count("# illustrative") == before.count(
        "# illustrative")
    assert "修订财务管理办法，加强支出管理" in c.get("/u/0/problem/financial-spending").text  # seen at once


def test_measures_that_validate_refuses_are_shown_at_the_field_and_nothing_is_written(project: Path) -> None:
    c, s = client(project)
    before = (project / RECORD).read_bytes()
    page = c.get("/u/0/problem/financial-spending").text
    emptied = c.post("/u/0/problem/financial-spending/item/4", data=measures_form(s, page, 4, lambda _t: ""))
    assert emptied.status_code == 422 and re.search(r'data-field="measures">RK210', emptied.text), emptied.text[-2000:]
    disordered = c.post(ITEM, data=measures_form(s, page, 5, lambda t: t.replace("（2）", "（3）")))
    assert disordered.status_code == 422 and re.search(r'data-field="measures">[^<]*（1）（2）', disordered.text)
    assert (project / RECORD).read_bytes() == before


def test_measures_changed_by_another_browser_meanwhile_are_refused(project: Path) -> None:
    c, s = client(project)
    page = c.get("/u/0/problem/financial-spending").text
    first = measures_form(s, page, 5, lambda t: t + "\n\n开展专项自查。")
    assert c.post(ITEM, data=first).status_code == 200
    later = measures_form(s, page, 5, lambda t: t + "\n\n另一项措施。")  # made from the page before the save
    r = c.post(ITEM, data=later)
    assert r.status_code == 422 and re.search(r'data-field="measures">[^<]*他人', r.text), r.text[-2000:]
    text = (project / RECORD).read_text(encoding="utf-8")
    assert "开展专项自查。" in text and "另一项措施" not in text


def test_copied_measures_are_found_again_as_files_change_as_validate_finds_them(project: Path) -> None:
    """The copied-measures rule is kept file by file between saves: after each change, what validate says."""
    from rectifykit import check
    from rectifykit.serve.workspace import Workspace

    ws = Workspace(project, today=lambda: TODAY)

    def same() -> list[str]:
        found = [(d.path, d.line, d.column, d.code, d.message) for d in ws.current().project.diagnostics]
        expected = [(d.path, d.line, d.column, d.code, d.message) for d in check.load(project, today=TODAY).diagnostics]
        assert found == expected
        return [f"{d[0]}:{d[1]}" for d in found if d[3] == "RK245"]

    assert same() == []
    record = project / RECORD
    text = record.read_text(encoding="utf-8")
    copy = project / "data/findings/aa-copy.yaml"
    copy.write_text(text.replace("id: financial-spending", "id: aa-copy"), encoding="utf-8")
    copied = same()
    assert copied and all(c.startswith(RECORD.as_posix()) for c in copied)  # the later file holds the copies
    changed = text.replace("责令相关人员对空白单据进行整改", "责令相关人员对空白单据逐项整改")
    record.write_text(changed, encoding="utf-8")
    assert len(same()) == len(copied) - 1
    copy.write_text(text.replace("id: financial-spending", "id: aa-copy: ["), encoding="utf-8")  # not a record
    assert same() == []
    copy.write_text(text.replace("id: financial-spending", "id: aa-copy"), encoding="utf-8")
    assert len(same()) == len(copied) - 1
    copy.unlink()
    assert same() == []
