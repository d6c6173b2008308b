"""Shared pytest options and fixtures."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from support import rectify


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-cases",
        action="store_true",
        default=False,
        help="rewrite tests/cases/*/expected.json from the actual output (review the diff before committing)",
    )
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/* from the rendered output (review the diff before committing)",
    )


@pytest.fixture
def update_cases(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite the expected diagnostics of the case folders."""
    return bool(request.config.getoption("--update-cases"))


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run was asked to rewrite the golden rendered documents."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def cli() -> Callable[..., Result]:
    """``cli("status", "--root", DIR)``: rectify in-process (``support.rectify``); a bug fails with its traceback."""
    return rectify


@pytest.fixture(autouse=True, scope="session")
def _cache_of_the_test_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The record cache of every command run by the tests is one folder of this run, never the user's."""
    import os

    os.environ["RECTIFY_CACHE_DIR"] = str(tmp_path_factory.mktemp("record-cache"))
