"""How long a save takes in ``rectify serve`` on a big project, through Starlette's TestClient (issue 18).

Usage::

    python benchmarks/generate.py /tmp/big --findings 10000
    python benchmarks/serve_save.py /tmp/big [--saves 9]

Loads the project once (the first request), then saves the notes of the first item of ``--saves``
problems one after the other, as the problem page's form sends them, and prints each save's time and
their median, then the dashboard's and the list's. The project's files are changed (their notes).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import yaml
from starlette.testclient import TestClient

from rectifykit.load.project import finding_files
from rectifykit.serve.app import Settings, create_app
from rectifykit.serve.saving import current_values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--saves", type=int, default=9)
    args = parser.parse_args()
    settings = Settings(roots=[args.root])
    client = TestClient(create_app(settings))
    start = time.perf_counter()
    client.get(f"/u/0/?token={settings.token}")
    print(f"first load: {time.perf_counter() - start:.2f} s")
    times = []
    for path in finding_files(args.root)[: args.saves]:
        pid = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
        shown = current_values(path, f"data/findings/{path.name}", f"{pid}#1")
        if shown is None:
            continue
        form = {"csrf": settings.csrf, **{f"orig_{k}": v for k, v in shown.items()}, **shown,
                "notes": f"benchmark {time.time()}"}
        start = time.perf_counter()
        answer = client.post(f"/u/0/problem/{pid}/item/1", data=form)
        times.append(time.perf_counter() - start)
        print(f"save {pid}#1: {answer.status_code} {times[-1]:.3f} s")
    print(f"median save: {statistics.median(times):.3f} s over {len(times)} saves")
    for page in ("/u/0/", "/u/0/problems"):
        start = time.perf_counter()
        client.get(page)
        print(f"{page}: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
