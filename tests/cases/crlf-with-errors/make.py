"""CRLF line endings do not shift the lines or columns of diagnostics."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/theory-study.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("deadline: 2024-12-31", "deadline: 2024-13-01")
    text = text.replace("    department: 局办公室\n    deadline", "    deparment: 局办公室\n    deadline")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
