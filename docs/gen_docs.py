"""Regenerate what the documentation shows from the code and from real runs (``make docs``).

- docs/命令参考.md: the command reference, walked from the CLI's command tree (every command, argument,
  option and default) with the exit codes of ``rectifykit.report``;
- the diagnostic-code table in docs/使用指南.md (between its ``generated`` markers), from
  ``rectifykit.diagnostics.CODES`` through the Chinese catalogue;
- the outputs shown in docs/使用指南.md and README.md: every command is run again (see docs/docblocks.py)
  and each ```console block's output is replaced by what it printed; blocks marked ``file`` are replaced by
  the file; files marked ``keep`` are copied into the repository;
- the pictures: the README's (docs/screenshots.py) and the guide's (``picture`` and ``screenshot`` markers).

``python docs/gen_docs.py --check`` changes nothing and exits 1 naming what is out of date (tests/test_docs.py
checks the same, piece by piece). ``python docs/gen_docs.py reference`` prints the command reference.
Review ``git diff`` after a run: a changed output is either an improvement or a regression.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import docblocks

REPO = docblocks.REPO
GUIDE = REPO / "docs" / "使用指南.md"
README = REPO / "README.md"
REFERENCE = REPO / "docs" / "命令参考.md"
DOCUMENTS = (GUIDE, README)

CODES_BEGIN = "<!-- BEGIN GENERATED diagnostic-codes: docs/gen_docs.py (make docs) -->"
CODES_END = "<!-- END GENERATED diagnostic-codes -->"

CODE_RANGES = (
    ("RK001", "RK099", "文件与 YAML 格式",
     "`rectify validate` 读取记录文件时报告；文件读不进来，其中的内容就不会再检查。"),
    ("RK100", "RK199", "字段和取值", "`rectify validate` 报告：字段名写错、缺少必填字段、日期或状态写法不对。"),
    ("RK200", "RK239", "记录之间的规则", "`rectify validate` 报告：编号重复、类别不存在、分项与整改回应对不上等。"),
    ("RK240", "RK279", "销号审核规则和质量提示",
     "`rectify validate` 报告；标注“validate --strict 时检查”的几条只在 `--strict`（CI 中使用）时检查。"
     "RK248 由 `rectify log` 和 `rectify diff` 根据 git 历史报告。"),
    ("RK300", "RK329", "导入通报",
     "`rectify import` 报告，位置是被导入的通报文件中的行号；除 RK320（一个问题都没找到）外都是提醒人工核对的警告。"),
)
"""Each range of codes with its heading and where its codes come from; a code outside every range fails the test."""

SEVERITY = {"error": "错误", "warning": "警告"}

EXIT_CODES = {
    "EXIT_OK": "成功。`validate`：记录有效（没有 `--strict` 时允许有警告）。",
    "EXIT_INVALID": "检查没有通过：记录有错误（`--strict` 时警告也算）；`render --check` 的文件与记录不一致；"
                    "`status --fail-on` 的条件成立；`fmt --check` 有文件需要整理；`diff --strict`、`log --strict` "
                    "发现问题；`ledger --apply` 的台账有不能写入的修改（此时什么也不写）。",
    "EXIT_USAGE": "用法错误：选项或取值不对，`--root` 不是项目文件夹，模板缺失或有错，没有安装所需的扩展"
                  "（`rectifykit[office]`），文件无法写入，`import` 的目标已有记录而没有 `--force`。",
    "EXIT_BUG": "rectifykit 内部错误（程序缺陷）。加 `--debug` 重新运行可看到调用栈，请附上它报告问题。",
    "EXIT_INTERRUPTED": "被中断（按了 Ctrl-C）。",
}
"""The meaning of each exit-code constant of ``rectifykit.report`` (a constant without one fails the test)."""

METAVARS = {"<str>": "<文本>", "<int>": "<整数>", "<int range>": "<整数>", "<dir>": "<文件夹>",
            "<file>": "<文件>", "<path>": "<文件>", "<list[str]>": "<文本>", "<list[Path]>": "<路径>",
            "TEXT": "<文本>", "N": "<N>"}


# --- the command reference ---------------------------------------------------------------------------


def command_reference() -> str:
    """docs/命令参考.md: walked from the typer app's command tree, in the language the CLI was imported in
    (Chinese when run as a script; tests run ``gen_docs.py reference`` in a process of its own)."""
    import typer.main

    from rectifykit.cli import app
    from rectifykit.reports import diagnostics as report

    group = typer.main.get_command(app)
    root = group.make_context("rectify", [], resilient_parsing=True)
    names = group.list_commands(root)
    out = [
        "# rectify 命令参考",
        "",
        "<!-- 本文件由 docs/gen_docs.py 根据命令行程序本身生成（make docs），请勿手工修改；"
        "tests/test_docs.py 检查它与程序一致。 -->",
        "",
        "本参考由程序自动生成，列出每个命令的全部参数、选项和默认值。怎样在日常工作中使用这些命令，"
        "见[使用指南](使用指南.md)。",
        "",
        f"用法：`rectify [全局选项] 命令 [参数和选项]`。{_clean(group.help)}",
        "",
        "## 全局选项",
        "",
        "写在命令名之前，例如 `rectify --lang en status`。",
        "",
        *_option_table(group, root),
        "",
        "提示信息默认用中文；`--lang en`、英文的系统语言环境或环境变量 `RECTIFY_LANG=en` 改为英文。",
        "",
        "## 命令一览",
        "",
        "| 命令 | 作用 |",
        "| --- | --- |",
    ]
    for name in names:
        command = group.get_command(root, name)
        out.append(f"| [`rectify {name}`](#rectify-{name}) | {_cell(_clean(command.help))} |")
    for name in names:
        command = group.get_command(root, name)
        ctx = command.make_context(name, [], parent=root, resilient_parsing=True)
        out += ["", f"## rectify {name}", "", _clean(command.help), "", "```text", _usage(name, command), "```", ""]
        arguments = [p for p in command.params if not _is_option(p)]
        if arguments:
            out += ["| 参数 | 说明 | 默认值 |", "| --- | --- | --- |"]
            for p in arguments:
                metavar = p.name.upper() + ("…" if p.nargs == -1 else "")
                out.append(f"| `{metavar}` | {_cell(_help(p, ctx))} | {_cell(_default(p))} |")
            out.append("")
        out += _option_table(command, ctx)
    out += ["", "## 退出码", "", "每个命令结束时的退出码（CI 根据它判断成功或失败）：", "",
            "| 退出码 | 含义 |", "| --- | --- |"]
    for constant, meaning in exit_codes(report).items():
        out.append(f"| {constant} | {meaning} |")
    return "\n".join(out) + "\n"


def exit_codes(report) -> dict[int, str]:
    """Exit code → meaning, for every ``EXIT_*`` constant of the report module."""
    constants = sorted((getattr(report, name), name) for name in dir(report) if name.startswith("EXIT_"))
    missing = [name for _, name in constants if name not in EXIT_CODES]
    if missing:
        raise KeyError(f"exit codes without a meaning in docs/gen_docs.py EXIT_CODES: {missing}")
    return {value: EXIT_CODES[name] for value, name in constants}


def _is_option(param) -> bool:
    return bool(getattr(param, "opts", None)) and param.opts[0].startswith("-")


def _option_table(command, ctx) -> list[str]:
    rows = ["| 选项 | 说明 | 默认值 |", "| --- | --- | --- |"]
    for p in command.params:
        if _is_option(p) and not getattr(p, "hidden", False):
            rows.append(f"| {_cell(_option_names(p, ctx))} | {_cell(_help(p, ctx))} | {_default(p)} |")
    rows.append("| `-h`, `--help` | 显示帮助后退出。 | |")
    return rows


def _option_names(param, ctx) -> str:
    record = param.get_help_record(ctx)
    found = re.search(r" (<[^>]*>|[A-Z][A-Z_-]*)$", record[0]) if record else None
    metavar = found.group(1) if found else ""
    value = metavar if metavar.startswith("<") and "|" in metavar else METAVARS.get(metavar, metavar)  # choices
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    return names + (f" `{value}`" if value else "")


def _help(param, ctx) -> str:
    record = param.get_help_record(ctx)
    text = record[1] if record else (param.help or "")
    text = text.split("  [", 1)[0].strip()  # typer's "[default: …]" is given in its own column
    extra = []
    if getattr(param, "multiple", False) and "多次" not in text:  # the help usually says so already
        extra.append("可多次使用")
    if getattr(param, "min", None) is not None:
        extra.append(f"不小于 {param.min}")
    if param.required:
        extra.append("必填")
    return text + (f"（{'；'.join(extra)}）" if extra else "")


def _default(param) -> str:
    value = param.default
    if getattr(param, "is_flag", False):
        return "关" if not value else "开"
    if value is None or param.required or (isinstance(value, list | tuple) and not value):
        return ""
    value = getattr(value, "value", value)
    return f"`{value}`"


def _usage(name: str, command) -> str:
    pieces = [f"rectify {name}"]
    if any(_is_option(p) for p in command.params):
        pieces.append("[选项]")
    for p in command.params:
        if not _is_option(p):
            metavar = p.name.upper() + ("…" if p.nargs == -1 else "")
            pieces.append(metavar if p.required else f"[{metavar}]")
    return " ".join(pieces)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


# --- the diagnostic codes -------------------------------------------------------------------------------


def codes_table() -> str:
    """The guide's table of every diagnostic code: its message and how to fix it, in Chinese."""
    from rectifykit import i18n
    from rectifykit.diagnostics import CODES
    from rectifykit.i18n import _
    from rectifykit.reports.diagnostics import static_text

    previous = i18n.language()
    i18n.set_language("zh")
    try:
        out = [CODES_BEGIN, "", "<!-- 下表由 docs/gen_docs.py 根据程序中的诊断代码生成，请勿手工修改。 -->"]
        for first, last, title, where in CODE_RANGES:
            codes = [c for c in CODES.values() if first <= c.code <= last]
            if not codes:
                continue
            out += ["", f"### {first}–{last} {title}", "", where, "", "| 代码 | 级别 | 提示信息 | 怎样处理 |",
                    "| --- | --- | --- | --- |"]
            for code in codes:
                # the anchor is what `validate --format sarif` links to (helpUri …#rk101)
                out.append(f'| <a id="{code.code.lower()}"></a>{code.code} | {SEVERITY[str(code.severity)]} '
                           f"| {_cell(static_text(_(code.template)))} | {_cell(static_text(_(code.hint)))} |")
        out += ["", CODES_END]
        return "\n".join(out)
    finally:
        i18n.set_language(previous)


def undocumented_codes() -> list[str]:
    """Codes that lack a message or a hint, or fall outside every documented range."""
    from rectifykit.diagnostics import CODES

    bad = []
    for code in CODES.values():
        if not code.template.strip() or not code.hint.strip():
            bad.append(f"{code.code}: no message or no hint")
        if not any(first <= code.code <= last for first, last, *_ in CODE_RANGES):
            bad.append(f"{code.code}: in no range of docs/gen_docs.py CODE_RANGES")
    return bad




def with_codes(text: str) -> str:
    """The guide with its generated table replaced by the current one."""
    start, end = text.index(CODES_BEGIN), text.index(CODES_END) + len(CODES_END)
    return text[:start] + codes_table() + text[end:]


# --- the documents' commands -------------------------------------------------------------------------------


def run_document(path: Path, *, pictures: bool) -> tuple[list[docblocks.Block], list[docblocks.Result], Path]:
    """Run a document's commands in a fresh temporary folder; the folder holds the kept artefacts."""
    blocks = docblocks.parse(path.read_text(encoding="utf-8"))
    work = Path(tempfile.mkdtemp(prefix="rk-docs-"))
    docblocks.prepare(work)
    artefacts = work / ".artefacts"
    artefacts.mkdir()
    results = docblocks.run(blocks, work, artefacts=artefacts, pictures=pictures)
    return blocks, results, work


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", nargs="?", choices=["all", "reference"], default="all")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when something is stale")
    parser.add_argument("--no-pictures", action="store_true", help="leave the pictures as they are")
    args = parser.parse_args(argv)
    if args.what == "reference":
        sys.stdout.write(command_reference())
        return 0
    stale: list[str] = []
    stale += undocumented_codes()

    def update(path: Path, new: str) -> None:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if old == new:
            return
        if args.check:
            stale.append(f"{path.relative_to(REPO)} is out of date")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(new, encoding="utf-8")
            print(f"wrote {path.relative_to(REPO)}")

    update(REFERENCE, command_reference())
    update(GUIDE, with_codes(GUIDE.read_text(encoding="utf-8")))
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        update(document, docblocks.with_files(text, docblocks.parse(text)))
        blocks, results, work = run_document(document, pictures=not (args.check or args.no_pictures))
        try:
            failed = [r for r in results if r.status != 0]
            if failed:
                stale += [f"{document.name}: {p}" for p in docblocks.stale(failed)]
                continue
            update(document, docblocks.refreshed(document.read_text(encoding="utf-8"), blocks, results))
            for block in blocks:
                if block.keep:
                    kept = work / ".artefacts" / f"keep-{block.start}"
                    update(REPO / block.keep[1], kept.read_text(encoding="utf-8"))
            if not (args.check or args.no_pictures):
                pictures(blocks, results, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if not (args.check or args.no_pictures):
        import screenshots

        screenshots.main()
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


def pictures(blocks: list[docblocks.Block], results: list[docblocks.Result], work: Path) -> None:
    """The guide's pictures from a run's artefacts: coloured outputs as SVG, pages in headless Chromium."""
    import screenshots

    artefacts = work / ".artefacts"
    numbered = {r.command.line: n for n, r in enumerate(results)}
    for block in blocks:
        for command in block.commands:
            if command.picture:
                ansi = (artefacts / f"picture-{numbered[command.line]}.ansi").read_text(encoding="utf-8")
                screenshots.ansi_svg(command.text, docblocks.normalise_paths(ansi, work), REPO / command.picture,
                                     title=command.text.split(" --")[0])
                print(f"wrote {command.picture}")
        if block.screenshot:
            page = artefacts / f"screenshot-{block.start}.html"
            if screenshots.page_screenshot(page, REPO / block.screenshot[1]):
                print(f"wrote {block.screenshot[1]}")
            else:
                print(f"skipped {block.screenshot[1]}: Chromium is not installed")


if __name__ == "__main__":
    os.environ["RECTIFY_LANG"] = "zh"  # the help texts are translated when the CLI is imported, in Chinese
    sys.exit(main())
