"""A record that is a symbolic link to a file outside the project folder."""
import os
from pathlib import Path


def make(project: Path) -> None:
    outside = project.parent / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("id: secret\n", encoding="utf-8")
    os.symlink(os.path.join("..", "..", "..", "outside", "secret.yaml"), project / "data/findings/secret.yaml")
