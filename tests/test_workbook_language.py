"""The workbook speaks one language: Spanish labels by default, English ones with --lang en.

Labels are every text the workbook writes itself (sheet names, headers, words in cells, notes,
chart titles, the print footer); catalog text is shown as written and is left out of the check.
The two vocabularies come from the workbook's own catalog (workbook.po): the words only its
English source strings use, and the words only its Spanish translations use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner import i18n
from planner.export import write_workbook
from planner.export.workbook import build_workbook
from planner.result import PlanResult
from tests.helpers import vocabularies, vocabulary
from tests.tiny_plan import FORMULA_NAME, tiny_result, with_catalog_columns

IDENTIFIER = re.compile(r"[\w-]*[_.][\w.-]*")  # scenario keys and solver parameters: budget.max_cost


def not_labels(result: PlanResult) -> list[str]:
    """Catalog and scenario text: shown as written, whatever the language."""
    catalog, scenario = result.problem.catalog, result.problem.scenario
    texts = [scenario.name, catalog.source or "", catalog.fingerprint or ""]
    for rows in (catalog.sectors, catalog.skills, catalog.modules, catalog.instructors, catalog.labs):
        for row in rows:
            texts += [v for v in vars(row).values() if isinstance(v, str)]
    texts += [v for m in catalog.modules for v in m.extra.values()]
    return sorted({t for t in texts if t}, key=len, reverse=True)


def label_texts(book: openpyxl.Workbook, result: PlanResult) -> Iterator[tuple[str, str]]:
    """(where, text) of every label: cell texts with the catalog text cut out, sheet names, charts."""
    skip = not_labels(result)
    for ws in book.worksheets:
        if ws.sheet_state == "veryHidden":
            continue  # the export marker: keys for the planner's own review reader, never shown
        yield ws.title, ws.title
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value
                    for catalog_text in skip:
                        text = text.replace(catalog_text, " ")
                    yield f"{ws.title}!{cell.coordinate}", IDENTIFIER.sub(" ", text)
        for chart in ws._charts:
            title = "".join(r.t for p in chart.title.tx.rich.p for r in p.r or ())
            yield f"{ws.title} chart", title
        if ws.oddFooter.center.text:
            yield f"{ws.title} footer", ws.oddFooter.center.text


def foreign_words(language: str, result: PlanResult) -> dict[str, set[str]]:
    """Build the workbook in `language`; return the labels holding words of the other language."""
    english_only, spanish_only = vocabularies()
    foreign = spanish_only if language == "en" else english_only
    before = i18n.current()
    i18n.use(language)
    try:
        book = build_workbook(result)
    finally:
        i18n.use(before)
    found = {where: vocabulary(text) & foreign for where, text in label_texts(book, result)}
    return {where: bad for where, bad in found.items() if bad}


RESULTS = {
    "staffed": lambda: tiny_result(),
    "no instructors": lambda: tiny_result(with_instructors=False),
    "nucleo and credits": lambda: with_catalog_columns(tiny_result()),
    "empty plan": lambda: tiny_result(placements=()),
}


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("case", sorted(RESULTS))
def test_no_label_is_in_the_other_language(language, case):
    assert foreign_words(language, RESULTS[case]()) == {}


def test_the_check_finds_labels_of_the_wrong_language():
    """The vocabularies really tell the languages apart: each workbook fails the other's check."""
    english_only, spanish_only = vocabularies()
    assert {"term", "hours", "instructor", "coverage", "module", "yes"} <= english_only
    assert {"semestre", "horas", "docente", "cobertura", "módulo", "sí"} <= spanish_only
    result = tiny_result()
    # An English workbook is what a Spanish one would be if no label were translated, and back.
    for built_in, words_of_built in (("en", english_only), ("es", spanish_only)):
        i18n.use(built_in)
        book = build_workbook(result)
        found = {w for _where, text in label_texts(book, result) for w in vocabulary(text)}
        assert len(found & words_of_built) > 50, built_in
    i18n.use(i18n.DEFAULT_LANGUAGE)


@pytest.fixture
def spanish(tmp_path: Path) -> Path:
    i18n.use("es")
    path = tmp_path / "plan.xlsx"
    write_workbook(with_catalog_columns(tiny_result()), path)
    return path


def test_spanish_sheet_names_and_pinned_plan_headers(spanish):
    book = openpyxl.load_workbook(spanish)
    assert [ws.title for ws in book.worksheets if ws.sheet_state == "visible"] == [
        "Mapa curricular",
        "Resumen",
        "Plan",
        "Cobertura",
        "Brechas",
        "Docentes",
        "Carga horaria",
        "Laboratorios",
        "Escenario",
        "Capacitación",
    ]
    frame = pd.read_excel(spanish, sheet_name="Plan")
    assert list(frame.columns[:7]) == ["Semestre", "Clave", "Módulo", "Carrera", "Núcleo", "Créditos", "Horas"]
    assert {"Horas por semana", "Grupo", "Clave docente", "Horas-grupo del módulo"} <= set(frame.columns)
    assert len(frame) == 8
    m2 = frame[frame["Clave"] == "M2"].iloc[0]
    assert (m2["Módulo"], m2["Grupo"], m2["Clave docente"], m2["Horas"]) == (FORMULA_NAME, 1, "I2", 80)


def test_spanish_map_summary_and_yes_no(spanish):
    book = openpyxl.load_workbook(spanish)
    ws = book["Mapa curricular"]
    assert [ws.cell(row=6, column=t + 1).value for t in (1, 2, 3)] == ["Semestre 1", "Semestre 2", "Semestre 3"]
    # M2's núcleo "Básico" puts it in the basic band, first; M1 ("Profesional") below it.
    assert (ws["A7"].value, ws["B7"].value) == (
        "Núcleo de formación básica",
        f"M2\n{FORMULA_NAME}\n4.4 h/semana, 7.5 créditos",
    )
    assert (ws["A8"].value, ws["B8"].value) == (
        "Núcleo de formación profesional",
        "M1\nCleanroom basics\n3.3 h/semana, 9 créditos",
    )
    assert ws["B9"].value == "7.8 h/semana, 16.5 créditos"
    assert ws["A3"].value == "Plantel: no indicado en el escenario. Estado (entidad): no registrado en el catálogo."
    summary = [book["Resumen"].cell(row=r, column=1).value for r in range(4, 7)]
    assert summary == [
        "Se cubre el 100 % de lo que necesita el sector Semiconductores; no queda ninguna necesidad abierta.",
        "Se cubre el 60 % de lo que necesita el sector Dispositivos médicos; queda 1 necesidad abierta.",
        "1 porque ningún docente puede impartir el módulo.",
    ]
    coverage = book["Cobertura"]
    covered = [row[-2] for row in coverage.iter_rows(min_row=2, max_row=7, values_only=True)]
    assert sorted(set(covered)) == ["no", "sí"]
