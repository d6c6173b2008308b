"""data/findings is a link to a folder elsewhere inside the project: followed like the folder itself."""
import os
import shutil
from pathlib import Path


def make(project: Path) -> None:
    shutil.move(project / "data/findings", project / "records")
    os.symlink(os.path.join("..", "records"), project / "data/findings")
