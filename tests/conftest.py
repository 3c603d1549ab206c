"""Test-suite settings shared by every test file."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import i18n


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Leave the benchmark suite out of the default run, unless it is asked for (-m benchmark).

    It needs the bench extra (highspy) and minutes of solving; deselecting by marker alone would
    still import it.
    """
    if collection_path.name == "benchmarks" and config.getoption("markexpr") == "not benchmark":
        return True
    return None


@pytest.fixture(autouse=True)
def english_unless_asked() -> Iterator[None]:
    """Tests that call the library directly read its messages in English (the source language);
    a test wanting Spanish calls `i18n.use("es")` or runs the CLI, which sets the language itself."""
    i18n.use("en")
    yield
    i18n.use(i18n.DEFAULT_LANGUAGE)
