"""``python -m rectifykit``."""

from rectifykit.cli import main

main()
