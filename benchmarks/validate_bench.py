"""Whole-process time of `rectify validate` on the seed and on generated projects.

Usage: python benchmarks/validate_bench.py [--sizes 1000 ...] [--runs 5] [--parser libyaml|ruamel]
Generated findings are the seed's own, copied under new ids and orders
(~2-6 KB each, like real ones). Prints the median and spread per size.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_project(target: Path, count: int) -> Path:
    shutil.copytree(REPO / "data", target / "data")
    findings = target / "data" / "findings"
    sources = sorted(findings.glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    for path in sources:
        path.unlink()
    for n in range(count):
        text = texts[n % len(texts)]
        ident = f"generated-{n:05d}"
        text = re.sub(r"(?m)^id: .*$", f"id: {ident}", text)
        text = re.sub(r"(?m)^order: .*$", f"order: {n + 1}", text)
        text = re.sub(r"(?m)^category: .*$", "category: implementation", text)
        (findings / f"{ident}.yaml").write_text(text, encoding="utf-8")
    return target


def timed(args: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parser", default="libyaml")
    args = parser.parse_args()
    rectify = [sys.executable, "-m", "rectifykit", "validate", "--parser", args.parser, "--root"]
    rows = [("seed (18 findings)", timed([*rectify, str(REPO)], args.runs))]
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_project(Path(tmp), size)
            rows.append((f"{size} findings", timed([*rectify, str(root)], args.runs)))
    for name, times in rows:
        print(f"{name:>20}: median {statistics.median(times):.3f} s  (min {min(times):.3f}, max {max(times):.3f}, "
              f"{args.runs} runs, parser {args.parser})")


if __name__ == "__main__":
    main()
