"""Files in data/findings that are not records (other endings, editor backups): each is named, none is read.
Hidden files and README files are the ignore rule: left out without a word."""
from pathlib import Path

RECORD = "id: stray\ncategory: nowhere\n"


def make(project: Path) -> None:
    findings = project / "data/findings"
    for name in ("draft.YAML", "old.yaml.bak", "mediation.yaml~", "#mediation.yaml#", "export.json", "notes.txt"):
        (findings / name).write_text(RECORD, encoding="utf-8")
    for name in (".gitkeep", ".DS_Store", ".mediation.yaml.swp", "README.md"):
        (findings / name).write_text(RECORD, encoding="utf-8")
