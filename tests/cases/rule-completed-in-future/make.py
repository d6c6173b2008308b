"""Two completions dated far in the future: RK208 judges them by the real today, whatever --as-of says."""

from pathlib import Path


def make(project: Path) -> None:
    for name, day in (("mediation", "2024-04-30"), ("theory-study", "2024-03-29")):
        path = project / "data" / "findings" / f"{name}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace(day, "2099" + day[4:]), encoding="utf-8")
