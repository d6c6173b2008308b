"""data/ itself is a link to a folder outside the project: neither the inspection nor a problem is read."""
import os
import shutil
from pathlib import Path


def make(project: Path) -> None:
    outside = project.parent / "outside-data"
    shutil.move(project / "data", outside)
    os.symlink(os.path.join("..", "outside-data"), project / "data")
