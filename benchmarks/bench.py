"""`make bench`: whole-process times of rectify beside the floor and the peers, written to BENCHMARKS.md.

Usage: python benchmarks/bench.py [--sizes 1000 10000] [--runs 5] [--out BENCHMARKS.md] [--work DIR]

For the embedded example (data/) and for generated record sets of each size (benchmarks/generate.py:
realistic ~3.6 KB findings; one project for validate/status/render, the same number of findings
spread over units of 20 for rollup) it times, as whole processes started from this script, the
median of several runs of:

- ours: ``rectify validate``, ``rectify status --all``, ``rectify render -o FILE``, ``rectify rollup``;
- the floor, in the same run: a Python process that only reads the bytes of the same files, and
  one that parses them with libyaml (PyYAML's ``CSafeLoader``);
- the peers a user might run in the same CI job: ``check-jsonschema`` with our exported JSON Schema
  (``rectify schema``) on the finding files, and ``yamllint`` on the same files.

Runs alternate between the commands (round robin), so that a slow spell of a shared machine
does not fall on one command only. A command whose first run takes more than LONG seconds is
run once. Peak memory is the largest resident set of the process (``wait4``'s ``ru_maxrss``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
AS_OF = generate.AS_OF
PEERS_UP_TO = 10_000
"""The peers take ~15× our time; above this size they are left out (100,000 files: ~10 minutes each)."""
LONG = 20.0
"""Seconds: a command slower than this on its first run is not run again (peers on 10,000 files)."""
FLOOR = """
import sys
from pathlib import Path
root, how = Path(sys.argv[1]), sys.argv[2]
projects = [root] if (root / "data").is_dir() else sorted(p for p in root.iterdir() if (p / "data").is_dir())
files = [f for p in projects for f in [p / "data/inspection.yaml", *sorted((p / "data/findings").glob("*.yaml"))]]
if how == "read":
    n = sum(len(f.read_bytes()) for f in files)
else:
    import yaml
    for f in files:
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
"""
STEPS = """
import datetime as dt, io, statistics, sys, time
from pathlib import Path
from rich.console import Console
from rectifykit.notice import context, render
from rectifykit.track import status
from rectifykit.reports import status as statusview
from rectifykit import check
root, day = Path(sys.argv[1]), dt.date(2024, 7, 11)
# each loaded as the command loads it (cli/notice.py, cli/tracking.py): what is left is the main process's step
notice = check.load(root, today=day, keep=context.keeper())
tracked = check.load(root, today=day, keep=status.keeper())
import gc; gc.freeze()  # as the CLI does after loading a large project (cli/base.py: load)
def best(fn):
    times = []
    for _ in range(3):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return statistics.median(times)
def status_all():
    report = status.build_packed(tracked.inspection.record, tracked.kept, as_of=day)
    statusview.print_table(report, status.select(report.items, everything=True), Console(file=io.StringIO()))
print(best(lambda: render.render(notice, fmt="md", as_of=day)), best(status_all))
"""


@dataclass
class Timing:
    name: str
    kind: str  # ours | floor | peer
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    rss_kb: int = 0
    codes: set[int] = field(default_factory=set)

    @property
    def median(self) -> float:
        return statistics.median(self.times) if self.times else float("nan")


def _tree_rss_kb(pid: int) -> int:
    """The resident memory of a process and its children (worker processes), in KiB; 0 once it is gone."""
    total = 0
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            total = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            kids = children.read().split()
    except (OSError, ValueError):
        return total
    return total + sum(_tree_rss_kb(int(k)) for k in kids)


def run_once(t: Timing) -> None:
    """One run: its wall time, exit code, and peak memory — the largest of the process's own ``ru_maxrss`` and
    the sum over it and its worker processes, sampled every 20 ms (where /proc is)."""
    env = {**os.environ, "NO_COLOR": "1", "RECTIFY_NO_PROGRESS": "1", **t.env}
    start = time.perf_counter()
    proc = subprocess.Popen(t.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _tree_rss_kb(proc.pid))
        time.sleep(0.02)
    t.times.append(time.perf_counter() - start)
    proc.returncode = os.waitstatus_to_exitcode(status)
    t.codes.add(proc.returncode)
    t.rss_kb = max(t.rss_kb, usage.ru_maxrss, peak)


def measure(timings: list[Timing], runs: int, *, long: float = LONG) -> None:
    """Round robin: run 1 of every command, then run 2 of every command, …"""
    for n in range(runs):
        for t in timings:
            if n == 0 or t.times[0] <= long:
                run_once(t)
        print(f"    round {n + 1}/{runs} done", flush=True)


def schema_file(work: Path) -> tuple[Path, str]:
    """Our JSON Schema of a finding: `rectify schema` when it exists, else pydantic's of the model."""
    out = work / "finding.schema.json"
    proc = subprocess.run([str(BIN / "rectify"), "schema", "finding", "-o", str(out)], capture_output=True)
    if proc.returncode == 0 and out.is_file():
        return out, "rectify schema finding"
    import json

    from rectifykit.model.records import Finding

    out.write_text(json.dumps(Finding.model_json_schema()), encoding="utf-8")
    return out, "pydantic Finding.model_json_schema()"


def finding_files(root: Path) -> list[str]:
    return [str(p) for p in sorted((root / "data" / "findings").glob("*.yaml"))]


def peers(root: Path, schema: Path) -> list[Timing]:
    out = []
    files = finding_files(root)
    if shutil.which("check-jsonschema", path=str(BIN)):
        out.append(Timing("check-jsonschema", "peer", [str(BIN / "check-jsonschema"), "--schemafile", str(schema),
                                                         *files]))
    if shutil.which("yamllint", path=str(BIN)):
        out.append(Timing("yamllint", "peer", [str(BIN / "yamllint"), "-f", "parsable", *files]))
    return out


def floors(root: Path) -> list[Timing]:
    py = sys.executable
    return [Timing("floor: read the bytes", "floor", [py, "-c", FLOOR, str(root), "read"]),
            Timing("floor: parse with libyaml", "floor", [py, "-c", FLOOR, str(root), "parse"])]


def rectify(*args: str) -> list[str]:
    return [str(BIN / "rectify"), *args]


@dataclass
class Section:
    title: str
    files: int
    megabytes: float
    timings: list[Timing]
    steps: dict[str, float] = field(default_factory=dict)
    """Seconds of a command's own work after loading (in one process, median of 3)."""

    def get(self, name: str) -> Timing | None:
        return next((t for t in self.timings if t.name == name), None)


def size_of(root: Path) -> tuple[int, float]:
    files = list(root.rglob("*.yaml"))
    return len(files), sum(f.stat().st_size for f in files) / 1e6


def bench_example(work: Path, schema: Path, runs: int) -> Section:
    root = work / "example"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "data", root / "data")
    warm = {"RECTIFY_CACHE_DIR": str(work / "cache-example")}
    subprocess.run(rectify("validate", "--root", str(root)), env={**os.environ, **warm}, capture_output=True)
    timings = [
        Timing("rectify validate (cold)", "ours", rectify("--no-cache", "validate", "--root", str(root))),
        Timing("rectify validate (warm)", "ours", rectify("validate", "--root", str(root)), env=warm),
        Timing("rectify --help", "ours", rectify("--help")),
        *floors(root),
        *peers(root, schema),
    ]
    print(f"  the embedded example ({root})", flush=True)
    measure(timings, runs)
    return Section("the embedded example (data/: 18 findings and the inspection)", *size_of(root), timings)


GENERATORS = {"own": "generate.py", "independent": "generate_other.py"}
"""The two data shapes: the project's generator, and an independent one (other lengths and YAML styles)."""


def bench_size(work: Path, schema: Path, size: int, runs: int) -> list[Section]:
    sections = []
    for shape, script_name in GENERATORS.items():
        sections += bench_shape(work, schema, size, runs, shape, str(Path(__file__).with_name(script_name)))
    return sections


def bench_shape(work: Path, schema: Path, size: int, runs: int, shape: str, script: str) -> list[Section]:
    project = work / f"project-{shape}-{size}"
    units = work / f"units-{shape}-{size}"
    n_units = max(1, size // 100)
    print(f"  generating {size} findings ({shape} generator) ...", flush=True)
    # In a process of its own: a child started from this script inherits its memory until it
    # execs, and that would count in every command's peak RSS.
    subprocess.run([sys.executable, script, str(project), "--findings", str(size)], check=True)
    if size <= 10_000:
        subprocess.run([sys.executable, script, str(units), "--findings", str(size), "--units", str(n_units)],
                       check=True)
    out = work / f"notice-{shape}-{size}"
    warm = {"RECTIFY_CACHE_DIR": str(work / f"cache-{shape}-{size}")}
    cold, root = ("--no-cache",), ("--root", str(project), "--as-of", AS_OF)
    for fill in (("validate",), ("status", "--all"), ("render", "-o", f"{out}.md")):  # fills the caches
        subprocess.run(rectify(*fill, *root), env={**os.environ, **warm}, capture_output=True)
    ours = [
        Timing("rectify validate (cold)", "ours", rectify(*cold, "validate", *root)),
        Timing("rectify validate (warm)", "ours", rectify("validate", *root), env=warm),
        Timing("rectify validate (cold, 1 process)", "ours", rectify(*cold, "validate", *root),
               env={"RECTIFY_WORKERS": "1"}),
        Timing("rectify status --all (cold)", "ours", rectify(*cold, "status", "--all", *root)),
        Timing("rectify status --all (warm)", "ours", rectify("status", "--all", *root), env=warm),
    ]
    large = size > 10_000  # 100,000: what the issue asks of that size (validate, status, memory), not every writer
    if not large:
        subprocess.run(rectify("status", "--all", *root), env={**os.environ, **warm}, capture_output=True)
        subprocess.run(rectify("render", *root, "-o", f"{out}.md"), env={**os.environ, **warm}, capture_output=True)
        ours += [
            Timing("rectify render md (cold)", "ours", rectify(*cold, "render", *root, "-o", f"{out}.md")),
            Timing("rectify render md (warm)", "ours", rectify("render", *root, "-o", f"{out}.md"), env=warm),
            Timing("rectify render docx (warm)", "ours",
                   rectify("render", *root, "--format", "docx", "-o", f"{out}.docx"), env=warm),
            Timing("rectify ledger xlsx (warm)", "ours", rectify("ledger", *root, "-o", f"{out}.xlsx"), env=warm),
        ]
    own = shape == "own"
    timings = [*ours, *floors(project), *(peers(project, schema) if own and size <= PEERS_UP_TO else [])]
    print(f"  {size} findings, one project ({shape} generator)", flush=True)
    measure(timings, runs, long=float("inf") if large else LONG)  # 100,000: no peers; every command its runs
    sections = [Section(f"{size:,} findings in one project ({shape} generator)", *size_of(project), timings)]
    steps = None if large else subprocess.run([sys.executable, "-c", STEPS, str(project)], capture_output=True,
                                              text=True)
    if steps is not None and steps.returncode == 0:
        sections[0].steps = dict(zip(("render", "status --all"), map(float, steps.stdout.split()), strict=True))
    if not large and _has_command("rollup"):
        rolled = [Timing("rectify rollup (cold)", "ours", rectify(*cold, "rollup", str(units), "--format", "json",
                                                                 "--as-of", AS_OF)),
                  *floors(units)]
        print(f"  {size} findings in {n_units} units (rollup, {shape} generator)", flush=True)
        measure(rolled, runs)
        sections.append(Section(f"{size:,} findings in {n_units:,} units of {size // n_units} (rollup, {shape} "
                                f"generator)", *size_of(units), rolled))
    return sections


def _has_command(name: str) -> bool:
    return subprocess.run(rectify(name, "--help"), capture_output=True).returncode == 0


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    names = ["rectifykit", "PyYAML", "ruamel.yaml", "pydantic", "jinja2", "rich", "typer", "check-jsonschema",
             "yamllint"]
    parts = []
    for n in names:
        try:
            parts.append(f"{n} {version(n)}")
        except PackageNotFoundError:
            parts.append(f"{n} (not installed)")
    return ", ".join(parts)


def fmt_s(t: Timing | None) -> str:
    if t is None or not t.times:
        return "—"
    spread = f" ({min(t.times):.2f}–{max(t.times):.2f})" if len(t.times) > 1 else " (1 run)"
    return f"{t.median:.2f} s{spread}"


def table(section: Section) -> list[str]:
    parse = section.get("floor: parse with libyaml")
    rows = [f"### {section.title}", "", f"{section.files:,} files, {section.megabytes:.1f} MB.", "",
            "| command | kind | median (min–max) | × libyaml parse | peak RSS | exit |", "|---|---|---|---|---|---|"]
    for t in section.timings:
        ratio = f"{t.median / parse.median:.2f}×" if parse and parse.times and t.times else "—"
        rows.append(f"| `{t.name}` | {t.kind} | {fmt_s(t)} | {ratio} | {t.rss_kb / 1024:.0f} MiB | "
                    f"{', '.join(map(str, sorted(t.codes)))} |")
    if section.steps:
        rows += ["", "The commands' own step once the records are loaded (in one process, median of 3): "
                 + "; ".join(f"`{k}` {v:.2f} s" for k, v in section.steps.items()) + "."]
    return [*rows, ""]


def verdict(ok: bool | None) -> str:
    return "no data" if ok is None else ("**met**" if ok else "**missed**")


def targets(sections: list[Section]) -> list[str]:
    """The acceptance of issue 17, each against the floor measured in the same round robin."""

    def find(title_start: str) -> list[Section]:
        return [s for s in sections if s.title.startswith(title_start)]

    lines = ["## Targets (issue 17)", "", "| target | data | measured | verdict |", "|---|---|---|---|"]

    def seconds(target: str, section: Section, name: str, limit: float) -> None:
        t = section.get(name)
        ok = t.median <= limit if t and t.times else None
        lines.append(f"| {target} | {section.title} | {fmt_s(t)} | {verdict(ok)} |")

    def ratio(target: str, section: Section, name: str, limit: float) -> None:
        t, p = section.get(name), section.get("floor: parse with libyaml")
        if not (t and p and t.times and p.times):
            lines.append(f"| {target} | {section.title} | — | no data |")
            return
        r = t.median / p.median
        lines.append(f"| {target} | {section.title} | {fmt_s(t)} against {fmt_s(p)}: {r:.2f}× | "
                     f"{verdict(r <= limit)} |")

    for example in find("the embedded example"):
        seconds("cold `validate` of the example ≤ 0.25 s", example, "rectify validate (cold)", 0.25)
        seconds("`--help` ≤ 0.15 s", example, "rectify --help", 0.15)
    for size in ("10,000", "100,000"):
        for s in find(f"{size} findings in one project"):
            ratio(f"validate {size} cold ≤ 1.0× the floor", s, "rectify validate (cold)", 1.0)
            ratio(f"validate {size} warm ≤ 0.2× the floor", s, "rectify validate (warm)", 0.2)
            if size == "10,000":
                for name in ("status --all", "render md"):
                    ratio(f"{name} cold ≤ 1.0× the floor", s, f"rectify {name} (cold)", 1.0)
                    ratio(f"{name} warm ≤ 0.3× the floor", s, f"rectify {name} (warm)", 0.3)
                ratio("ledger xlsx ≤ 2× the floor", s, "rectify ledger xlsx (warm)", 2.0)
            for name in ("validate", "status --all") if size == "100,000" else ():
                t = s.get(f"rectify {name} (cold)")
                if t and t.times:
                    lines.append(f"| peak memory of {name} ≤ 1 GB | {s.title} | {t.rss_kb / 1024:.0f} MiB | "
                                 f"{verdict(t.rss_kb <= 1024 * 1024)} |")
    for size, limit in (("1,000", 3.0), ("10,000", 30.0)):
        for s in find(f"{size} findings in one project"):
            seconds(f"render docx {size} ≤ {limit:.0f} s", s, "rectify render docx (warm)", limit)
    for s in find("10,000 findings in 100 units"):
        ratio("rollup 100 units × 100 findings cold ≤ 1.2× the floor", s, "rectify rollup (cold)", 1.2)
    return [*lines, ""]


METHOD = """\
## Method

`make bench` (benchmarks/bench.py) installs the peers into the virtual environment, generates
the record sets with `benchmarks/generate.py` (deterministic; realistic findings of ~3.6 KB built
from the embedded example's 18, each with owners, dates, evidence as document numbers, notes and
measures of its own, so that the set validates clean), and times each command as a whole process
started from the script: interpreter start-up, imports, reading, parsing, checking and output
(to /dev/null; `render` writes its file), with rectifykit's modules compiled to bytecode first, as
`pip install` leaves them. Each number is the median of the runs, taken in round
robin over the commands of a set so that a busy spell of the machine is shared among them; a
command whose first run takes more than 20 s runs once. The floor is measured in the same round
robin: one process that only reads the same files' bytes, one that parses them with libyaml
(PyYAML's `CSafeLoader`), the fastest way Python has to read YAML. The peers are what a user
might run in the same CI job: `check-jsonschema` with our JSON Schema of a finding (`rectify
schema`), and `yamllint` (default rules), both on the same finding files. Peak memory is the
largest resident set of the command: the sum over its process and its worker processes, sampled every
20 ms from /proc (a page shared by a worker forked from the main process counts twice: an upper bound),
or the process's own `ru_maxrss` from `wait4` when that is larger. By default a large set is checked in
one worker process per core (rectifykit.load.pool); `RECTIFY_WORKERS=1` (one process) is measured beside
it. "Cold" runs with `rectify --no-cache` (no cache: every file is parsed and checked); "warm" runs with
the caches (in a folder of the bench run) filled by one run of the same command before the measured ones:
each file's check (rectifykit.check.memo), each file's record (rectifykit.load.cache) and, for validate,
status and render md, the whole result (rectifykit.load.results: the inputs are read and hashed, no record
is parsed).
At 100,000 findings only validate and status are measured (3 runs each), as the issue asks of that size.
Every size is measured on two data shapes: the project's generator (`benchmarks/generate.py`) and
an independent one (`benchmarks/generate_other.py`: other text lengths, more points and responses,
quoted, literal and folded scalars, flow lists and comments). Rollup spreads the same number of
findings over units of 100. A larger set:
`make bench BENCH_SIZES="1000 10000 100000"` (the 100,000 set is ~360 MB and takes several minutes
a run; the peers are left out above 10,000 files).
"""


def closing(sections: list[Section]) -> list[str]:
    ten = next((s for s in sections if s.title.startswith("10,000 findings in one project")), None)
    if ten is None:
        return []
    v, p, r = ten.get("rectify validate (cold)"), ten.get("floor: parse with libyaml"), ten.get("floor: read the bytes")
    cj, yl = ten.get("check-jsonschema"), ten.get("yamllint")
    assert v and p and r
    words = [f"For 10,000 findings ({ten.megabytes:.0f} MB) in this run, `rectify validate` took {v.median:.2f} s: "
             f"{v.median / p.median:.2f}× the {p.median:.2f} s libyaml needs just to parse the same files "
             f"(reading their bytes: {r.median:.2f} s)"]
    if cj and cj.times:
        words.append(f"check-jsonschema took {cj.median:.2f} s ({cj.median / v.median:.1f}× ours)")
    if yl and yl.times:
        words.append(f"yamllint {yl.median:.2f} s ({yl.median / v.median:.1f}× ours)")
    return ["## Closing note", "", "; ".join(words) + ".", ""]


def compile_bytecode() -> None:
    """Compile rectifykit's modules to bytecode first, as ``pip install`` does for a wheel: an editable install
    under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module it imports on every run (~20% of
    a small validate), which no installed copy does."""
    import rectifykit

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(rectifykit.__file__).parent)], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--work", type=Path, default=None, help="where the record sets go (default: a temp folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="rectify-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    schema, schema_from = schema_file(work)
    started = time.perf_counter()
    sections = [bench_example(work, schema, args.runs)]
    for size in args.sizes:
        runs = args.runs if size <= 1000 else max(3, args.runs - 2) if size <= 10_000 else 3
        sections += bench_size(work, schema, size, runs)
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"{platform.system()} {platform.release()}")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {dt.date.today().isoformat()} ({time.perf_counter() - started:.0f} s). "
        f"Machine: {machine}. Load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}.",
        f"Versions: {versions()}. Schema for check-jsonschema: {schema_from}.",
        "",
        *targets(sections),
        "## Results",
        "",
    ]
    for section in sections:
        lines += table(section)
    lines += [METHOD, *closing(sections)]
    text = "\n".join(lines).rstrip("\n") + "\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
