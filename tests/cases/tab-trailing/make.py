"""A tab at the end of a value (pasted from a spreadsheet); made here because editors strip trailing whitespace."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    text = path.read_text(encoding="utf-8").replace("title: 纠纷调解机制不健全。\n", "title: 纠纷调解机制不健全。\t\n")
    path.write_text(text, encoding="utf-8")
