"""order: with 5,000 digits (more than Python turns into an int from text): a diagnostic at the number."""
from pathlib import Path


def make(project: Path) -> None:
    file = project / "data/findings/mediation.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("order: 1\n", "order: " + "9" * 5_000 + "\n"), encoding="utf-8")
