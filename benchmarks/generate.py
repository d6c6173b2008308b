"""Realistic record sets for the benchmarks: N findings in one project, or spread over many units.

Usage: python benchmarks/generate.py TARGET --findings 10000 [--units 500] [--seed 0]

Each finding is built from one of the embedded example's 18 (``data/findings``): its points,
responses and measures, under a new id, category and order, with the internal fields a unit
keeps (leader, department, person, reviewer, deadline, completed_on, next_review, evidence
as document numbers, notes) and a few sentences of its own, so that no measure is a word for
word copy of another (rectify's RK245 would flag it) and the files average about 3.6 KB, like
the realistic findings in PERFORMANCE.md. The output is deterministic for a seed and
validates clean (exit 0) with ``--as-of 2024-07-11``.

With ``--units K`` the findings are spread over K unit projects ``TARGET/unit-0001`` … (each
with its own inspection record, for ``rectify rollup``); without, TARGET is one project.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2024-07-11"
"""The date the generated sets are valid on (no completion after it)."""
DEPARTMENTS = ["局办公室", "安置帮教股", "区法援中心", "政治处", "法治督察股", "社区矫正股", "人民参与和促进法治股",
               "公共法律服务股", "行政复议股", "普法与依法治理股"]
OFFICES = ["碧石司法所", "长港司法所", "花湖司法所", "古楼司法所", "樊口司法所", "泽林司法所", "杜山司法所",
           "燕矶司法所"]
LEADERS = ["党组书记", "分管副局长", "政治处主任", "党组成员"]
REVIEWERS = ["局党组", "巡察整改工作专班", "机关纪委"]
DONE = ["completed", "completed_ongoing", "deemed_completed"]
WORDING = {"completed": "整改完成", "completed_ongoing": "整改完成并长期坚持", "deemed_completed": "视同完成，持续整改",
           "in_progress": "需持续整改", "not_started": "尚未启动整改"}
SENTENCES = [
    "{office}对照问题清单逐项自查，建立工作台账{n}本，实行周调度、月通报。",
    "{month}月组织开展专项督查{n}次，发现问题当场反馈，限期整改到位。",
    "修订完善相关制度{n}项，做到用制度管人、按制度办事。",
    "组织全体干部职工集中学习{n}次，撰写心得体会，开展交流研讨。",
    "{office}与{dept}建立协作机制，明确分工，定期会商，形成工作合力。",
    "对{n}名相关责任人进行约谈提醒，压实整改责任，传导工作压力。",
    "开展“回头看”{n}次，对已完成事项进行复核，防止问题反弹回潮。",
    "整改成效纳入年度考核，考核结果与评先评优挂钩，共涉及{n}个股室所。",
]


MAX_ORDER = 9999
"""The largest order a record may have: a set larger than the example's categories hold gets more of them."""


def _seed_categories(count: int = 0) -> list[dict[str, Any]]:
    """The example's categories, and as many more as ``count`` findings need (at most MAX_ORDER in each)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (REPO / "data" / "inspection.yaml").read_text(encoding="utf-8")
    seed = yaml.load(text, Loader=loader)["categories"]
    more = max(0, -(-count // MAX_ORDER) - len(seed))
    return seed + [{"key": f"m{i:03d}", "order": len(seed) + i, "title": f"{seed[i % len(seed)]['title']}（{i}）"}
                   for i in range(1, more + 1)]


def _seed_findings() -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out = []
    for path in sorted((REPO / "data" / "findings").glob("*.yaml")):
        out.append(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))
    return out


def _sentences(rng: random.Random, k: int) -> str:
    return "".join(
        rng.choice(SENTENCES).format(
            office=rng.choice(OFFICES), dept=rng.choice(DEPARTMENTS), n=rng.randint(2, 40), month=rng.randint(1, 12)
        )
        for _ in range(k)
    )


def _vary(measure: Any, tag: str, rng: random.Random) -> Any:
    """A measure made unique: sentences of its own and the item's tag appended."""
    if isinstance(measure, str):
        return measure + _sentences(rng, 2) + tag
    measure = dict(measure)
    if measure.get("items"):
        measure["items"] = [m + _sentences(rng, 1) + tag for m in measure["items"]]
    for key in ("intro", "outro"):
        if measure.get(key):
            measure[key] = measure[key] + tag
    return measure


def finding(template: dict[str, Any], *, ident: str, category: str, order: int, rng: random.Random) -> dict[str, Any]:
    """One realistic finding built from a seed finding."""
    f = copy.deepcopy(template)
    f["id"], f["category"], f["order"] = ident, category, order
    feedback = dt.date(2024, 1, 11)
    for r, response in enumerate(f["responses"]):
        tag = f"（{ident}-{r + 1}）"
        response["measures"] = [_vary(m, tag, rng) for m in response.get("measures", [])] or [_sentences(rng, 3) + tag]
        for key in ("leader", "department", "person", "reviewer", "deadline", "completed_on", "next_review",
                    "evidence", "notes"):
            response.pop(key, None)
        response["leader"] = rng.choice(LEADERS)
        response["department"] = rng.choice(DEPARTMENTS)
        response["person"] = f"{rng.choice(OFFICES)}负责人"
        response["deadline"] = feedback + dt.timedelta(days=rng.randint(30, 360))
        states = response["status"]["states"]
        if response.get("parts"):
            continue
        if len(states) == 1 and rng.random() < 0.3:  # some items change state, as in a real round
            state = rng.choice([*DONE, "in_progress", "in_progress"])
            response["status"] = {"states": [state], "label": WORDING[state]}
            states = [state]
        if all(s in DONE for s in states):
            response["completed_on"] = feedback + dt.timedelta(days=rng.randint(5, 170))
            response["reviewer"] = rng.choice(REVIEWERS)
            response["evidence"] = [f"鄂城法办发〔2024〕{rng.randint(1, 99)}号", f"整改台账第{rng.randint(1, 400)}页"]
        if any(s in ("completed_ongoing", "deemed_completed") for s in states):
            response["next_review"] = feedback + dt.timedelta(days=rng.randint(200, 400))
        response["notes"] = _sentences(rng, 2)
    return f


def inspection_for(unit: int | None, categories: list[dict[str, Any]]) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    text = (REPO / "data" / "inspection.yaml").read_text(encoding="utf-8")
    record = yaml.load(text, Loader=loader)
    if unit is not None:
        record["unit"] = record["signature"] = f"中共鄂城区第{unit}单位党组"
    record["categories"] = categories
    return record


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block style, as staff write records; short lists (states, covers, evidence) in flow style."""


def _list(dumper: Any, value: list[Any]) -> yaml.Node:
    short = all(not isinstance(v, dict | list) and len(str(v)) <= 24 for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=short)


_Dumper.add_representer(list, _list)


def _dump(record: dict[str, Any]) -> str:
    return yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000,
                     default_flow_style=False, indent=2)


def write_project(root: Path, findings: list[dict[str, Any]], *, unit: int | None) -> None:
    (root / "data" / "findings").mkdir(parents=True, exist_ok=True)
    categories = _seed_categories(len(findings))
    (root / "data" / "inspection.yaml").write_text(_dump(inspection_for(unit, categories)), encoding="utf-8")
    for f in findings:
        (root / "data" / "findings" / f"{f['id']}.yaml").write_text(_dump(f), encoding="utf-8")


def findings_for(count: int, *, seed: int, prefix: str = "") -> list[dict[str, Any]]:
    """``count`` findings spread over the example's three categories, numbered within each."""
    rng = random.Random(f"{seed}-{prefix}")
    templates = _seed_findings()
    keys = [c["key"] for c in _seed_categories(count)]
    orders = dict.fromkeys(keys, 0)
    out = []
    for n in range(count):
        template = templates[n % len(templates)]
        category = keys[n % len(keys)]
        orders[category] += 1
        ident = f"{prefix}{category[:4]}-{orders[category]:05d}"
        out.append(finding(template, ident=ident, category=category, order=orders[category], rng=rng))
    return out


UnitWriter = Callable[[Path, int, "int | None", str], None]
"""Writes one project: (its folder, how many findings, its unit number or None, the prefix of its ids)."""


def spread(target: Path, count: int, units: int | None, write: UnitWriter) -> Path:
    """``count`` findings under ``target`` (emptied first): one project, or ``units`` projects sharing them."""
    if target.exists():
        shutil.rmtree(target)
    if units is None:
        write(target, count, None, "")
        return target
    per, extra = divmod(count, units)
    for u in range(units):
        write(target / f"unit-{u + 1:04d}", per + (1 if u < extra else 0), u + 1, f"u{u + 1}-")
    return target


def generate(target: Path, count: int, *, units: int | None = None, seed: int = 0) -> Path:
    """Write the record set under ``target`` (emptied first); returns ``target``."""
    return spread(target, count, units, lambda root, n, unit, prefix: write_project(
        root, findings_for(n, seed=seed, prefix=prefix), unit=unit))


def main(make: Callable[..., Path] = generate) -> None:
    """The command line of a generator (this one's, and generate_other's with its own ``make``)."""
    parser = argparse.ArgumentParser(description=(sys.modules[make.__module__].__doc__ or "").splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--findings", type=int, default=1000)
    parser.add_argument("--units", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    make(args.target, args.findings, units=args.units, seed=args.seed)
    files = list(args.target.rglob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    print(f"{args.target}: {len(files)} files, {size / 1e6:.1f} MB, {size / max(len(files), 1) / 1024:.1f} KB a file")


if __name__ == "__main__":
    main()
