"""The shell commands shown in the documentation, run for real: parse them, run them, compare or refresh their output.

Conventions in the markdown files (docs/使用指南.md, README.md):

- a ```sh block holds commands that are run, one per line (``#`` lines are comments);
- a ```console block holds ``$ command`` lines, each followed by the output it shows; the output is
  compared with what the command prints (stdout and stderr together, as a terminal shows them);
- every command must exit 0; to show a command that fails, write ``cmd || echo "退出码 $?"``;
- ``make …`` commands are run as ``make -n …`` in the repository (a dry run: the target exists and expands;
  running ``make test`` inside the tests would run the tests again);
- ``<!-- doc-test: not run: REASON -->`` on the line before a block shows commands without running them
  (installing software);
- ``<!-- doc-test: file PATH -->`` before a block says the block is the content of PATH (relative to the
  repository): the test compares them;
- ``<!-- doc-test: picture PATH -->`` before a console block with one command: ``make docs`` saves that
  command's coloured output as an SVG picture at PATH (relative to the repository);
- ``<!-- doc-test: screenshot FILE PATH -->`` after a block: ``make docs`` saves a headless-browser picture
  of FILE (an HTML page the commands wrote, relative to the working folder at that point) at PATH;
- ``<!-- doc-test: keep FILE PATH -->`` after a block: FILE, as the commands left it, is kept in the
  repository at PATH (``make docs`` copies it; the test compares them).

All blocks of one document run in order in one bash session, in a temporary folder that holds a copy of
``examples/`` and ``data/``. What varies from run to run is normalised: the temporary folder's path, and
commit ids (compared as ``<commit>``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FENCE = re.compile(r"^(`{3,})\s*([\w-]*)\s*$")
MARKER = re.compile(r"^<!--\s*doc-test:\s*(not run|file|picture|screenshot|keep)\b:?\s*(.*?)\s*-->\s*$")
COMMIT = re.compile(r"(?<![0-9A-Za-z])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}(?![0-9A-Za-z])")
"""A commit id (hex, with at least one digit and one letter a–f)."""
WIDTH = 80
COPIED = ("examples", "data")
"""What the temporary folder holds: a copy of these folders of the repository."""
TIMEOUT = 300


@dataclass
class Command:
    """One command of a block and, in a console block, the output it shows."""

    text: str
    line: int
    """1-based line of the command in its document."""
    shown: list[str] | None = None
    """The output lines shown under it (console blocks); None for sh blocks."""
    picture: str | None = None


@dataclass
class Block:
    """A fenced block of a document: its language, where it is, its commands and its markers."""

    lang: str
    start: int
    """0-based index of the opening fence line."""
    end: int
    """0-based index of the closing fence line."""
    body: list[str]
    commands: list[Command] = field(default_factory=list)
    not_run: str | None = None
    file: str | None = None
    picture: str | None = None
    screenshot: tuple[str, str] | None = None
    keep: tuple[str, str] | None = None

    @property
    def runs(self) -> bool:
        return self.lang in ("sh", "console") and self.not_run is None


@dataclass
class Result:
    """What a command printed and how it exited."""

    command: Command
    output: str
    status: int


def parse(text: str) -> list[Block]:
    """The fenced blocks of a markdown text, with their commands and the doc-test markers around them."""
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        ticks, lang = opening.group(1), opening.group(2)
        j = i + 1
        while j < len(lines) and lines[j].strip() != ticks:
            j += 1
        block = Block(lang=lang, start=i, end=j, body=lines[i + 1:j])
        for k in (i - 1, i - 2):  # markers on the lines just before the block
            marker = MARKER.match(lines[k]) if k >= 0 else None
            if marker:
                _mark(block, marker.group(1), marker.group(2), before=True)
        for k in (j + 1, j + 2, j + 3):  # screenshot and keep markers after it
            marker = MARKER.match(lines[k]) if k < len(lines) else None
            if marker and marker.group(1) in ("screenshot", "keep"):
                _mark(block, marker.group(1), marker.group(2), before=False)
        block.commands = _commands(block)
        blocks.append(block)
        i = j + 1
    return blocks


def _mark(block: Block, kind: str, value: str, *, before: bool) -> None:
    if kind == "not run" and before:
        block.not_run = value or "?"
    elif kind == "file" and before:
        block.file = value
    elif kind == "picture" and before:
        block.picture = value
    elif kind in ("screenshot", "keep") and not before:
        source, _, target = value.partition(" ")
        setattr(block, kind, (source, target.strip()))


def _commands(block: Block) -> list[Command]:
    first = block.start + 2  # 1-based line of the first body line
    out: list[Command] = []
    if block.lang == "sh":
        pending, start = "", 0
        for n, line in enumerate(block.body):
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if not pending:
                start = n
            pending += line[:-1] + " " if line.endswith("\\") else line
            if not line.endswith("\\"):
                out.append(Command(pending.strip(), first + start))
                pending = ""
    elif block.lang == "console":
        for n, line in enumerate(block.body):
            if line.startswith("$ "):
                out.append(Command(line[2:].strip(), first + n, shown=[]))
            elif out:
                out[-1].shown.append(line)  # type: ignore[union-attr]
        if block.picture and out:
            out[0].picture = block.picture
    return out


# --- running ---------------------------------------------------------------------------------------


def environment(workdir: Path, *, colour: bool = False) -> dict[str, str]:
    """A fixed environment: Chinese messages, 80 columns, no colour, unbuffered output, no user git config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "RECTIFY_", "LC_", "FORCE_COLOR"))}
    bin_dir = str(Path(sys.executable).parent)
    env.update({
        "PATH": bin_dir + os.pathsep + env.get("PATH", ""),
        "HOME": str(workdir / ".home"),
        "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "RECTIFY_LANG": "zh", "TZ": "Asia/Shanghai",
        "COLUMNS": str(WIDTH), "LINES": "50", "TERM": "dumb", "NO_COLOR": "1",
        "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1",
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0",
        "GIT_PAGER": "cat", "PAGER": "cat",
    })
    if colour:
        env.pop("NO_COLOR")
        env.update({"FORCE_COLOR": "1", "TERM": "xterm-256color"})
    return env


def prepare(workdir: Path) -> None:
    """The temporary folder: copies of examples/ and data/, and an empty home."""
    for name in COPIED:
        shutil.copytree(REPO / name, workdir / name, ignore=shutil.ignore_patterns("__pycache__"))
    (workdir / ".home").mkdir()


def _shell_line(command: str) -> str:
    if re.match(r"make(\s|$)", command):
        return f'make -n -C "$RK_REPO" {command[4:].strip()}'
    return command


def script(blocks: list[Block], *, artefacts: Path, pictures: bool = False) -> str:
    """One bash script running every command of the blocks in order, each output between markers.

    Into ``artefacts`` it copies each kept file and, with ``pictures``, saves what the pictures need:
    a picture command's coloured output and a copy of each page to screenshot.
    """
    parts = ["set +e", 'cd "$RK_WORK"']
    n = 0
    for block in blocks:
        if not block.runs:
            continue
        for command in block.commands:
            line = _shell_line(command.text)
            parts.append(f"printf '\\036B{n}\\n'")
            parts.append(f"{{ {line}\n}} 2>&1 </dev/null")
            parts.append(f"printf '\\n\\036E{n} %d\\n' \"$?\"")
            if pictures and command.picture:
                colour = " ".join(f"{k}={v!r}" for k, v in (("FORCE_COLOR", "1"), ("TERM", "xterm-256color")))
                parts.append(f"( unset NO_COLOR; {colour} {line} ) >'{artefacts}/picture-{n}.ansi' 2>&1 </dev/null")
            n += 1
        if pictures and block.screenshot:
            parts.append(f"cp '{block.screenshot[0]}' '{artefacts}/screenshot-{block.start}.html' 2>/dev/null")
        if block.keep:
            parts.append(f"cp '{block.keep[0]}' '{artefacts}/keep-{block.start}' 2>/dev/null")
    return "\n".join(parts) + "\n"


def run(blocks: list[Block], workdir: Path, *, artefacts: Path, pictures: bool = False) -> list[Result]:
    """Run every command of the blocks in one bash session in ``workdir``; their outputs and exit statuses."""
    commands = [c for b in blocks if b.runs for c in b.commands]
    env = environment(workdir) | {"RK_WORK": str(workdir), "RK_REPO": str(REPO)}
    session = script(blocks, artefacts=artefacts, pictures=pictures)
    done = subprocess.run(["bash", "--noprofile", "--norc", "-c", session],
                          env=env, cwd=workdir, capture_output=True, timeout=TIMEOUT, check=False)
    stream = done.stdout.decode("utf-8", "replace")
    results = []
    for n, command in enumerate(commands):
        match = re.search(rf"\x1eB{n}\n(.*?)\n\x1eE{n} (\d+)\n", stream, re.S)
        if match is None:
            tail = stream[-2000:] + done.stderr.decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"the session stopped before line {command.line}: {command.text}\n{tail}")
        results.append(Result(command, normalise_paths(match.group(1), workdir), int(match.group(2))))
    return results


def normalise_paths(text: str, workdir: Path) -> str:
    """The temporary folder's path never reaches a document; trailing spaces and blank lines are dropped."""
    for form in {str(workdir), str(workdir.resolve())}:
        text = text.replace(form + "/", "").replace(form, ".")
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)


def comparable(text: str) -> str:
    """Output as compared: commit ids differ between machines (identity, line endings), so they are masked."""
    return COMMIT.sub("<commit>", "\n".join(line.rstrip() for line in text.strip("\n").split("\n")))


def stale(results: list[Result]) -> list[str]:
    """Problems: commands that failed, and console outputs that differ from what the document shows."""
    problems = []
    for r in results:
        where = f"line {r.command.line}: $ {r.command.text}"
        if r.status != 0:
            problems.append(f"{where}\n  exited {r.status}:\n{_indent(r.output)}")
        elif r.command.shown is not None and comparable("\n".join(r.command.shown)) != comparable(r.output):
            problems.append(f"{where}\n  shows:\n{_indent(chr(10).join(r.command.shown))}\n"
                            f"  prints:\n{_indent(r.output)}")
    return problems


def _indent(text: str) -> str:
    return "\n".join("    | " + line for line in text.split("\n"))


def refreshed(text: str, blocks: list[Block], results: list[Result]) -> str:
    """The document with each console block's outputs replaced by what the commands printed."""
    by_line = {r.command.line: r for r in results}
    lines = text.split("\n")
    for block in reversed(blocks):
        if block.lang != "console" or not block.runs:
            continue
        body: list[str] = []
        for command in block.commands:
            body.append(f"$ {command.text}")
            output = by_line[command.line].output
            if output:
                body.extend(output.split("\n"))
        lines[block.start + 1:block.end] = body
    return "\n".join(lines)


def files_out_of_date(blocks: list[Block]) -> list[str]:
    """Blocks marked as the content of a file that differ from it."""
    return [f"line {b.start + 1}: {b.file}" for b in blocks
            if b.file and "\n".join(b.body).strip() != (REPO / b.file).read_text(encoding="utf-8").strip()]


def with_files(text: str, blocks: list[Block]) -> str:
    """The document with each block marked ``file`` replaced by the file's current content."""
    lines = text.split("\n")
    for block in reversed(blocks):
        if block.file:
            lines[block.start + 1:block.end] = (REPO / block.file).read_text(encoding="utf-8").rstrip("\n").split("\n")
    return "\n".join(lines)
