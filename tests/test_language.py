"""Every label and message in the chosen language: Spanish by default, English with --lang en."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from typer.testing import CliRunner, Result

from planner import i18n
from planner.cli import app
from planner.reasons import Reason
from planner.words.conflicts import relaxation_text, requirement_text

PLANNER = Path(i18n.__file__).parent


def marked_messages() -> set[str]:
    """Every source string marked for translation in the package (`_()` and `ngettext()`)."""
    found = extract_from_dir(str(PLANNER), method_map=[("**.py", "python")], keywords={"_": None, "ngettext": (1, 2)})
    return {message if isinstance(message, str) else message[0] for _file, _line, message, _c, _ctx in found}


def test_every_marked_message_has_a_spanish_translation():
    spanish = i18n.translations("es")
    missing = sorted(m for m in marked_messages() if spanish.gettext(m) == m)
    assert missing == []


def spanish_entries() -> list[tuple[str, str, str]]:
    """(file, msgid, msgstr) of every entry of the Spanish catalogs; of a plural, its singular."""
    found = []
    for po in sorted((PLANNER / "locale" / "es" / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as source:
            entries = read_po(source, locale="es")
        found += [(po.name, singular(m.id), singular(m.string)) for m in entries if m.id]
    return found


def singular(text: str | list[str] | tuple[str, ...] | None) -> str:
    return text if isinstance(text, str) else (text or [""])[0]


def test_every_spanish_entry_translates_a_message_the_package_marks():
    """A catalog entry nothing marks is dead text: it hides a message that lost its translation."""
    marked = marked_messages()
    assert [f"{po}: {i}" for po, i, _s in spanish_entries() if i not in marked] == []


def test_a_message_in_several_catalogs_has_one_translation():
    """The catalogs are chained into one, the first file's entry winning: another translation of the
    same message in a later file would never be shown."""
    translations: dict[str, set[str]] = {}
    for _po, message, spanish in spanish_entries():
        translations.setdefault(message, set()).add(spanish)
    assert {m: t for m, t in translations.items() if len(t) > 1} == {}


def enforced_kinds() -> set[str]:
    """Every requirement kind the optimizer enforces or relaxes (`requirement("kind", ...)`)."""
    sources = (PLANNER / "optimize").glob("*.py")
    return {kind for path in sources for kind in re.findall(r'requirement\("(\w+)"', path.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_requirement_kind_is_worded_not_named_by_its_code(language):
    i18n.use(language)
    fields = {"module_id": "M-1", "sector_id": "S-1", "instructor_id": "I-1", "lab_id": "L-1", "period": 1}
    fields |= {"term": 2, "sheet": "Revisión", "row": 4, "terms": (1, 2), "limit": 3, "hours": 90}
    fields |= {"first": 1, "last": 3}
    kinds = enforced_kinds()
    assert {"decision", "instructor_commitment", "sections", "max_company_hours", "tracks_offer"} <= kinds
    for kind in sorted(kinds):
        fallback = i18n._("requirement {kind}", kind=kind)  # the code itself, for a kind nobody worded
        said = (requirement_text({"kind": kind, **fields}, {}), relaxation_text({"kind": kind, **fields, "drop": True}))
        assert not any(fallback in text for text in said), said


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


# --- Spanish, the default: every CLI path speaks it, with no English left over ------------------

TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
TINY_CATALOG = TESTS / "fixtures" / "tiny_catalog"
# English words that no Spanish sentence of the planner holds (scenario keys such as
# hours.total_max and data such as ids and names are left out before looking).
ENGLISH = {
    "the",
    "is",
    "are",
    "not",
    "cannot",
    "can",
    "and",
    "of",
    "in",
    "to",
    "with",
    "would",
    "was",
    "nothing",
    "written",
    "row",
    "column",
    "valid",
    "module",
    "modules",
    "term",
    "terms",
    "instructor",
    "instructors",
    "required",
    "below",
    "above",
    "least",
    "most",
    "which",
    "found",
    "file",
    "workbook",
    "score",
    "largest",
    "coverage",
    "proven",
    "optimal",
    "problem",
    "problems",
    "invalid",
    "input",
    "skill",
    "level",
    "taught",
    "only",
    "taken",
    "needs",
    "reachable",
    "these",
    "requirements",
    "this",
    "requirement",
}


def spanish(*args: str | Path) -> Result:
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def scenario_file(folder: Path, body: str) -> Path:
    path = folder / "escenario.toml"
    path.write_text(f'name = "Prueba"\ncatalog = "{TINY_CATALOG.as_posix()}"\n{body}', encoding="utf-8")
    return path


def english_words(text: str, *data: str | Path) -> set[str]:
    for shown in data:
        text = text.replace(str(shown), " ")
    tokens = re.findall(r"[A-Za-z_.`\-]+", text)
    return {t.lower() for t in tokens if not re.search(r"[._`\-]", t)} & ENGLISH


def test_the_plan_summary_is_in_spanish(tmp_path):
    result = spanish("plan", TINY_SCENARIO, "--out", tmp_path / "p.xlsx")
    assert result.exit_code == 0
    assert "Tiny semiconductor back-end plan: ÓPTIMO (se demostró que es el mejor plan) en" in result.stdout
    assert "5 módulos, 360 h en total, semestre más cargado 144 h, puntaje de cobertura 62 de 62" in result.stdout
    assert "clave del sector" in result.stdout and "mínimo requerido" in result.stdout
    assert f"libro de Excel: {tmp_path / 'p.xlsx'}" in result.stdout
    leaks = english_words(result.stdout, tmp_path, "Tiny semiconductor back-end plan")
    assert leaks == set()


def test_a_catalog_defect_is_reported_in_spanish():
    result = spanish("validate", TESTS / "defects" / "decimal_hours")
    assert result.exit_code == 2
    assert "Datos no válidos (1 problema); no se escribió nada:" in result.stderr
    assert "no es un número entero" in result.stderr
    assert re.search(r"modules\.csv fila \d+, columna hours: ", result.stderr)
    assert english_words(result.stderr, TESTS) == set()


def test_a_scenario_problem_is_reported_in_spanish(tmp_path):
    path = scenario_file(tmp_path, 'terms = 3\nrequired_modules = ["NADA-01"]\n[hours]\nterm_maxx = 600\n')
    result = spanish("validate", "--scenario", path)
    assert result.exit_code == 2
    assert "escenario.toml, hours.term_maxx: clave desconocida 'term_maxx'; ¿quiso decir 'term_max'?" in result.stderr
    assert english_words(result.stderr, tmp_path) == set()


def test_the_infeasibility_explanation_is_in_spanish(tmp_path):
    path = scenario_file(
        tmp_path, 'terms = 3\nrequired_modules = ["SEEN-01"]\n[hours]\ntotal_max = 100\nterm_max = 270\n'
    )
    result = spanish("plan", path, "--out", tmp_path / "p.xlsx")
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert lines[0] == "Ningún plan cumple este escenario: 1 conflicto."
    assert "  - módulo obligatorio SEEN-01 (90 h, semestres 2 a 3)" in lines
    assert "  - máximo de horas del plan (hours.total_max) = 100 h" in lines
    assert english_words(result.stderr, tmp_path) == set()


def test_blocked_modules_and_an_unreachable_floor_are_explained_in_spanish(tmp_path):
    path = scenario_file(tmp_path, "terms = 3\n[sectors.semi]\nmin_coverage = 1.0\n[instructors]\nmin_qualified = 3\n")
    checked = spanish("validate", "--scenario", path)
    assert "  SEEN-01: solo 1 docente de la plantilla puede impartirlo; min_qualified es 3" in checked.stdout
    assert "  SECL-01: solo 2 docentes de la plantilla pueden impartirlo; min_qualified es 3" in checked.stdout
    result = spanish("plan", path, "--out", tmp_path / "p.xlsx")
    assert result.exit_code == 3
    assert (
        "      la competencia ESD en el nivel 2 solo la imparte SECL-01, que no se puede cursar (solo 2 docentes "
        "de la plantilla pueden impartirlo; min_qualified es 3)"
    ) in result.stderr.splitlines()
    assert english_words(checked.stdout + result.stderr, tmp_path) == set()


def test_the_plan_file_keeps_gap_reasons_as_words_in_the_runs_language_and_as_data(tmp_path):
    path = scenario_file(tmp_path, "terms = 3\n[instructors]\nmin_qualified = 3\n")
    for language in ("es", "en"):
        result = CliRunner().invoke(
            app, ["plan", str(path), "--out", str(tmp_path / f"{language}.xlsx"), "--lang", language]
        )
        assert result.exit_code == 0, result.output
    gaps = {lang: json.loads((tmp_path / f"{lang}.json").read_text(encoding="utf-8"))["gaps"] for lang in ("es", "en")}
    esd = {lang: next(g for g in gaps[lang] if g["skill_id"] == "ESD") for lang in gaps}
    assert esd["es"]["reason_code"] == esd["en"]["reason_code"] == "uncoverable"
    assert (
        esd["es"]["reason_params"]
        == esd["en"]["reason_params"]
        == {
            "skill": "ESD",
            "level": 2,
            "modules": [
                {"module": "SECL-01", "why": {"code": "too_few_qualified", "params": {"count": 2, "needed": 3}}}
            ],
        }
    )
    assert esd["es"]["reason"] == (
        "la competencia ESD en el nivel 2 solo la imparte SECL-01, que no se puede cursar "
        "(solo 2 docentes de la plantilla pueden impartirlo; min_qualified es 3)"
    )
    assert esd["en"]["reason"] == (
        "skill ESD at level 2 is taught only by SECL-01, which cannot be taken "
        "(only 2 instructors of the roster can teach it; min_qualified is 3)"
    )


def test_an_unknown_reason_code_is_an_error_not_a_silent_sentence():
    from planner.words import reasons

    with pytest.raises(KeyError):
        reasons.say(Reason("no_such_code"))
