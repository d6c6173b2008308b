"""A file name with a line break that would forge a GitHub annotation if printed as is."""
from pathlib import Path


def make(project: Path) -> None:
    text = (project / "data/findings/mediation.yaml").read_text(encoding="utf-8")
    forged = project / "data/findings/x\n::error file=README.md,line=1::forged.yaml"
    forged.write_text(text.replace("id: mediation", "id: forged").replace("order: 1", "order: 2"), encoding="utf-8")
