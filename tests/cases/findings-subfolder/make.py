"""A folder inside data/findings: its records are not read, and it is named (a hidden folder is not)."""
import shutil
from pathlib import Path


def make(project: Path) -> None:
    findings = project / "data/findings"
    (findings / "archive").mkdir()
    shutil.copy(findings / "mediation.yaml", findings / "archive" / "mediation.yaml")
    (findings / ".cache").mkdir()
