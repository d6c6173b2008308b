"""A folder whose name ends in .yaml inside data/findings."""
from pathlib import Path


def make(project: Path) -> None:
    (project / "data/findings/x.yaml").mkdir()
