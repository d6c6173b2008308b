"""A record file over the size limit (8 MiB) is refused before it is read."""
from pathlib import Path


def make(project: Path) -> None:
    with (project / "data/findings/huge.yaml").open("wb") as out:
        out.write(b"id: huge\n")
        out.write(b"# " + b"x" * (8 * 1024 * 1024) + b"\n")
