"""Helpers the test files share: the command line as a user runs it, and its output as words."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from planner.cli import app


def in_english(args: tuple[str | Path, ...]) -> list[str]:
    """These tests read the English messages; Spanish, the default, is tested in test_language."""
    words = [str(a) for a in args]
    return [*words, "--lang", "en"] if words and words[0] in ("plan", "validate") else words


def run(*args: str | Path) -> Result:
    """Invoke the CLI (plan and validate in English); without --debug no output may hold a traceback."""
    result = CliRunner().invoke(app, in_english(args))
    if "--debug" not in args:
        assert "Traceback" not in result.output
    return result


def words(text: str) -> str:
    """The text with every run of whitespace made one space: rich wraps long lines at 80 columns."""
    return " ".join(text.split())
