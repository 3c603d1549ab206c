"""Test-suite settings shared by every test file."""

from pathlib import Path


def pytest_ignore_collect(collection_path: Path, config) -> bool | None:
    """Leave the benchmark suite out of the default run, unless it is asked for (-m benchmark).

    It needs the bench extra (highspy) and minutes of solving; deselecting by marker alone would
    still import it.
    """
    if collection_path.name == "benchmarks" and config.getoption("markexpr") == "not benchmark":
        return True
    return None
