"""A new project from a few answers: the inspection record, the folders and the files around them.

:func:`files` says what ``rectify init`` writes (path → text), :func:`write` writes it, refusing to
overwrite anything. The inspection record explains each field in a comment, so that a clerk who opens
it for the first time knows what to fill in.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rectifykit import fsio
from rectifykit.model import schema as schemas

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("implementation", "聚焦党中央各项决策部署在基层的落实情况"),
    ("conduct", "聚焦群众身边腐败问题和不正之风以及群众反映强烈的问题"),
    ("organisation", "聚焦基层党组织建设情况"),
)
"""The genre's usual three categories of feedback problems (key, title)."""

CI_FILES = {"github": ".github/workflows/rectify.yml", "gitlab": ".gitlab-ci.yml"}
CI_RECIPES = {"github": "github-pull-request.yml", "gitlab": "gitlab-ci.yml"}


@dataclass(frozen=True)
class Answers:
    """What a new project needs to know: the inspection's facts, the categories, the CI."""

    unit: str
    team: str
    feedback_date: dt.date
    period_start: dt.date
    period_end: dt.date
    authority: str | None = None
    round: str | None = None
    categories: tuple[tuple[str, str], ...] = CATEGORIES
    ci: str = "none"


class Exists(Exception):
    """Some of the files ``init`` would write are there already (nothing was written)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(p.as_posix() for p in paths))
        self.paths = paths


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


OPENING = ("{lead}{{period}}，{{team}}对{{unit}}进行了巡察。{{feedback_date}}，巡察组向{{unit}}反馈了巡察意见。"
           "按照巡察工作有关要求，现将巡察整改进展情况予以公布。")
"""The opening a new project starts with; its placeholders are the inspection's fields (quoted: it may start with {)."""


def inspection_yaml(a: Answers) -> str:
    """data/inspection.yaml with a comment on each field."""
    lines = [
        "# 巡察整改的基本信息（rectify init 生成）。每个字段的含义写在它上面的注释里；",
        "# 改完后运行 rectify validate 检查。日期一律写成 YYYY-MM-DD。",
        "",
        "# 被巡察的党组织（全称），如 中共鄂城区司法局党组",
        f"unit: {_quoted(a.unit)}",
        "# 通报中单位的自称，如 我局党组（可删去）",
        "# unit_self: 我局党组",
    ]
    lines += ["# 部署巡察的党委，如 鄂城区委"]
    lines += [f"authority: {_quoted(a.authority)}" if a.authority else "# authority: 区委"]
    lines += ["# 巡察组，如 区委第二巡察组", f"team: {_quoted(a.team)}"]
    lines += ["# 巡察轮次，如 十届区委第四轮巡察"]
    lines += [f"round: {_quoted(a.round)}" if a.round else "# round: 十届区委第四轮巡察"]
    lines += [
        "# 巡察进驻的起止日期",
        f"period: {{start: {a.period_start.isoformat()}, end: {a.period_end.isoformat()}}}",
        "# 反馈巡察意见的日期：整改时限和各节点由它推算",
        f"feedback_date: {a.feedback_date.isoformat()}",
        "# 通报的公布日期：公布前填写（rectify render 在缺少时提示，不会自己填今天）",
        "# publication_date: 2025-06-30",
        "# 通报开头的一段话；{authority}、{period}、{team}、{unit}、{feedback_date}、{round} 由上面的字段替换",
        "opening: " + _quoted(OPENING.format(lead="按照{authority}统一部署，" if a.authority else "")),
        "# 通报正文的各部分（一、二、……）；findings: true 的那一部分列出反馈问题及整改情况",
        "sections:",
        "  - title: 反馈问题整改落实情况",
        "    findings: true",
        "# 反馈问题的类别：key 是问题文件里 category 写的英文代号，title 是通报中的类别标题，order 是顺序",
        "categories:",
    ]
    lines += [f"  - {{key: {key}, order: {n}, title: {_quoted(title)}}}"
              for n, (key, title) in enumerate(a.categories, start=1)]
    lines += [
        "# 通报结尾的一段话与落款（可删去）",
        "closing: 欢迎广大干部群众对巡察整改落实情况进行监督。",
        f"signature: {_quoted(a.unit)}",
        "# 联系方式：closing 中可写 {phone}、{email}",
        "# contact: {phone: 027-00000000, email: name@example.org}",
    ]
    return "\n".join(lines) + "\n"


GITIGNORE = """\
# rectify's outputs: rendered again from the records whenever needed
/notice.docx
/notice.html
/ledger.xlsx
/ledger.csv
/status.html
/*.sarif
# the lock rectify holds while it writes
.rectify.lock
"""

PRE_COMMIT = """\
# Checks the records before each commit with rectifykit's own hooks (pre-commit install, once).
# They run the rectify installed on this computer.
repos:
  - repo: local
    hooks:
      - id: rectify-validate
        name: rectify validate
        entry: rectify validate
        language: system
        files: ^data/(inspection\\.yaml|findings/[^/]+\\.yaml)$
        pass_filenames: false
      - id: rectify-fmt
        name: rectify fmt
        entry: rectify fmt
        language: system
        files: ^data/(inspection\\.yaml|findings/[^/]+\\.yaml)$
"""


def readme(a: Answers) -> str:
    return f"""\
# {a.unit}巡察整改

{a.team}于{a.feedback_date.year}年{a.feedback_date.month}月{a.feedback_date.day}日反馈巡察意见。\
本文件夹用 rectify 记录反馈问题和整改情况。

- `data/inspection.yaml`：巡察的基本信息和通报的固定段落；
- `data/findings/`：每个反馈问题一个文件，`rectify new --category 类别 --title 标题` 新建；
- `rectify validate`：检查记录；`rectify status`：整改进度；
- `rectify render --draft`：预览通报（未完成处标出【待补充】）；记录完整后 `rectify render -o notice.md`。
"""


def ci_recipe(kind: str) -> str:
    """The CI recipe of docs/ci/ (packaged; read from the source tree in a development install)."""
    name = CI_RECIPES[kind]
    packaged = resources.files("rectifykit.edit") / "ci" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[3] / "docs" / "ci" / name).read_text(encoding="utf-8")


def files(a: Answers) -> dict[str, str]:
    """Every file ``init`` writes, by path relative to the project folder (data/findings/ is made empty)."""
    out = {
        "data/inspection.yaml": inspection_yaml(a),
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".vscode/settings.json": schemas.vscode_settings(None),
        "README.md": readme(a),
    }
    out |= {schemas.schema_path(kind): schemas.to_text(kind) for kind in schemas.KINDS}
    if a.ci in CI_FILES:
        out[CI_FILES[a.ci]] = ci_recipe(a.ci)
    return out


def write(root: Path, a: Answers) -> list[str]:
    """Write a new project into ``root`` (made if missing); raises :class:`Exists` before writing anything
    when one of its files or data/findings/ is there. Returns the paths written, sorted."""
    planned = files(a)
    there = [root / p for p in [*planned, "data/findings"] if (root / p).exists() or (root / p).is_symlink()]
    if there:
        raise Exists(sorted(there))
    (root / "data" / "findings").mkdir(parents=True)
    for path, text in sorted(planned.items()):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        fsio.write_atomic(target, text)
    return sorted([*planned, "data/findings/"])
