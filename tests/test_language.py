"""Every label and message in the chosen language: Spanish by default, English with --lang en."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from typer.testing import CliRunner

from planner import i18n
from planner.cli import app

PLANNER = Path(i18n.__file__).parent


def marked_messages() -> set[str]:
    """Every source string marked for translation in the package (`_()` and `ngettext()`)."""
    found = extract_from_dir(str(PLANNER), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)})
    return {message if isinstance(message, str) else message[0] for _file, _line, message, _c, _ctx in found}


def test_every_marked_message_has_a_spanish_translation():
    spanish = i18n.translations("es")
    missing = sorted(m for m in marked_messages() if spanish.gettext(m) == m)
    assert missing == []


def test_an_unknown_language_is_refused_before_anything_runs(tmp_path):
    result = CliRunner().invoke(app, ["validate", str(tmp_path), "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang must be one of en, es, not 'fr'." in result.output


def test_errors_are_in_spanish_by_default_and_in_english_on_request(tmp_path):
    spanish = CliRunner().invoke(app, ["validate", str(tmp_path)])
    english = CliRunner().invoke(app, ["validate", str(tmp_path), "--lang", "en"])
    assert spanish.exit_code == english.exit_code == 2
    assert "Datos no válidos (5 problemas); no se escribió nada:" in spanish.output
    assert "Invalid input (5 problems); nothing was written:" in english.output
