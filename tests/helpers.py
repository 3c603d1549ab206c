"""Helpers the test files share: the command line as a user runs it, its output as words, and the
files a run may write."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from typer.testing import CliRunner, Result

from planner import i18n
from planner.cli import app

TINY_CATALOG = Path(__file__).parent / "fixtures" / "tiny_catalog"
WORKBOOK_PO = Path(i18n.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "workbook.po"
WORD = re.compile(r"[^\W\d_]{2,}")
PLACEHOLDER = re.compile(r"\{\w+(?::[^}]*)?\}")  # {hours} and {hours:,}


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


def run_in_english(*args: str | Path) -> Result:
    """Invoke a command that takes --lang, in English; no output may hold a traceback."""
    return run_as_typed(*args, "--lang", "en")


def run_as_typed(*args: str | Path) -> Result:
    """Invoke the CLI with exactly these arguments (Spanish unless they ask); no traceback."""
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def outcome_in_english(*args: str | Path) -> tuple[int, str]:
    """A command run in English as its exit code and its output as words."""
    result = run_in_english(*args)
    return result.exit_code, words(result.output)


def words(text: str) -> str:
    """The text with every run of whitespace made one space: rich wraps long lines at 80 columns."""
    return " ".join(text.split())


def vocabulary(text: str) -> set[str]:
    """The words of a text or of a message (its {placeholders} left out), casefolded, to tell
    which language a label is in."""
    return {w.casefold() for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


def listing(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its content, to show that nothing was written or changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_scenario(folder: Path, body: str, catalog: Path = TINY_CATALOG) -> Path:
    """A scenario file `scenario.toml` in the folder, on the given catalog."""
    path = folder / "scenario.toml"
    path.write_text(f'name = "Test scenario"\ncatalog = "{catalog.as_posix()}"\n{body}', encoding="utf-8")
    return path


def vocabularies() -> tuple[set[str], set[str]]:
    """The workbook's labels: (words only the English labels use, words only the Spanish labels use)."""
    with WORKBOOK_PO.open("rb") as source:
        catalog = read_po(source, locale="es")
    english: set[str] = set()
    spanish: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        ids = _texts(message.id)
        strings = _texts(message.string)
        english |= set().union(*(vocabulary(m) for m in ids))
        spanish |= set().union(*(vocabulary(m) for m in strings))
    return english - spanish, spanish - english


def _texts(field: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """A message's texts: one, or singular and plural forms."""
    if field is None:
        return []
    return [field] if isinstance(field, str) else list(field)
