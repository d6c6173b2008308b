"""An invisible LINE SEPARATOR (U+2028) pasted from a web page into a description."""
from pathlib import Path


def make(project: Path) -> None:
    path = project / "data/findings/mediation.yaml"
    text = path.read_text(encoding="utf-8").replace("部分纠纷", "部分\u2028纠纷")
    path.write_bytes(text.encode("utf-8"))
