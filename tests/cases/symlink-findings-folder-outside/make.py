"""data/findings is a link to a folder outside the project: nothing in it is read (issue 12)."""
import os
import shutil
from pathlib import Path


def make(project: Path) -> None:
    outside = project.parent / "outside-findings"
    shutil.move(project / "data/findings", outside)
    (outside / "secret.yaml").write_text("id: secret\ntitle: 项目之外的记录\n", encoding="utf-8")
    os.symlink(os.path.join("..", "..", "outside-findings"), project / "data/findings")
