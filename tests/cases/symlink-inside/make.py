"""A record linked from another place inside the project is read like any file."""
import os
from pathlib import Path


def make(project: Path) -> None:
    findings = project / "data/findings"
    (project / "drafts").mkdir()
    (findings / "mediation.yaml").rename(project / "drafts/mediation.yaml")
    os.symlink(os.path.join("..", "..", "drafts", "mediation.yaml"), findings / "mediation.yaml")
