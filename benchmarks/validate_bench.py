"""Whole-process time of `rectify validate` on the seed and on generated projects.

Usage: python benchmarks/validate_bench.py [--sizes 1000 ...] [--runs 5] [--parser libyaml|ruamel]
Quick look at one command; `make bench` (benchmarks/bench.py) is the full comparison with the floor
and the peers. Generated findings come from benchmarks/generate.py. Prints the median and spread per size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_project(target: Path, count: int) -> Path:
    """Realistic findings (benchmarks/generate.py), as `make bench` uses."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import generate

    return generate.generate(target / "project", count)


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
    rectify = [sys.executable, "-m", "rectifykit", "validate", "--as-of", "2024-07-11", "--parser", args.parser,
               "--root"]
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
