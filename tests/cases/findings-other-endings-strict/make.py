"""The files of findings-other-endings, checked with --strict (its make.py, not a copy of it)."""
import runpy
from pathlib import Path

make = runpy.run_path(str(Path(__file__).parents[1] / "findings-other-endings" / "make.py"))["make"]
