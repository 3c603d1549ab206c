"""The workbook in a real spreadsheet program: LibreOffice Calc opens it headless and exports the Plan.

`.ci/run` installs LibreOffice Calc where it is missing; elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections import Counter
from html import unescape
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app
from tests.helpers import vocabularies
from tests.tiny_plan import tiny_result

TESTS = Path(__file__).parent
CATALOG = TESTS / "fixtures" / "tiny_catalog"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
TIMEOUT = 300  # seconds: a cold start of LibreOffice on a busy CI machine is slow
# Text CSV export: comma, double quote, UTF-8 (76), from line 1, values as shown, one sheet (last token).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,{sheet}"
# The plan file's keys and the Plan sheet's pinned headers, per language.
COLUMNS = {
    "es": ("Semestre", "Clave", "Grupo", "Clave docente"),
    "en": ("Term", "Module ID", "Section", "Instructor ID"),
}

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (no soffice or libreoffice on PATH); .ci/run installs libreoffice-calc-nogui",
)


@pytest.fixture(scope="module")
def planned(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """The same two-group plan written by the CLI in Spanish and in English: workbook and plan file."""
    folder = tmp_path_factory.mktemp("libreoffice")
    scenario = folder / "two_groups.toml"
    scenario.write_text(
        f'name = "Dos grupos"\ncatalog = "{CATALOG.as_posix()}"\nterms = 3\nsections = 2\n', encoding="utf-8"
    )
    out = {}
    for language in COLUMNS:
        workbook = folder / language / "plan.xlsx"
        result = CliRunner().invoke(app, ["plan", str(scenario), "--out", str(workbook), "--lang", language])
        assert result.exit_code == 0, result.output
        out[language] = (workbook, json.loads(workbook.with_suffix(".json").read_text(encoding="utf-8")))
    return out


def convert_plan_sheet(workbook: Path, folder: Path) -> Path:
    """Export the Plan sheet to CSV with LibreOffice; its own profile keeps parallel runs apart."""
    sheet = openpyxl.load_workbook(workbook, read_only=True).sheetnames.index("Plan") + 1
    profile = (folder / "profile").resolve().as_uri()
    outdir = folder / "csv"
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        CSV_FILTER.format(sheet=sheet),
        "--outdir",
        str(outdir),
        str(workbook),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, f"LibreOffice failed ({done.returncode}): {done.stdout}{done.stderr}"
    written = sorted(outdir.glob("*.csv"))  # LibreOffice names it after the sheet: plan-Plan.csv
    assert len(written) == 1, f"expected one CSV, found {written}: {done.stdout}{done.stderr}"
    return written[0]


@pytest.mark.parametrize("language", sorted(COLUMNS))
def test_libreoffice_opens_the_workbook_and_its_plan_sheet_equals_the_plan_file(planned, language, tmp_path):
    workbook, document = planned[language]
    with convert_plan_sheet(workbook, tmp_path).open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    term, module, section, instructor = COLUMNS[language]
    in_sheet = Counter((int(r[term]), r[module], int(r[section]), r[instructor] or None) for r in rows)
    in_file = Counter(
        (m["term"], m["module_id"], s["section"], s["instructor_id"])
        for m in document["modules"]
        for s in m["sections"]
    )
    assert in_sheet == in_file
    assert any(section == 2 for _t, _m, section, _i in in_file)  # two groups really are there
    assert len(rows) == sum(in_file.values())  # nothing but the plan table on the sheet


# --- the printed documents ----------------------------------------------------------------------
# Every workbook kind is printed to PDF once (one LibreOffice run for the four) and its pages are
# measured with poppler's pdftotext: word boxes give the printed text size; the page text must hold
# every cell's text (nothing cut off); no English label may print in a Spanish document.

PDFTOTEXT = shutil.which("pdftotext")
# A word's box is about 1.3 times its font size (measured: 11-point text at 100 % is 14.3 points tall).
BOX_PER_POINT = 1.3
SMALLEST_POINTS = 8
KINDS = ("plan", "reviewed", "compare", "national", "campus")


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """The four workbook kinds in Spanish, and a shipped campus's plan, each with its PDF:
    {kind: (workbook, pdf)}."""
    if PDFTOTEXT is None:
        pytest.skip("poppler's pdftotext is not installed (apt-get install poppler-utils)")
    if not _calibri_is_carlito():
        pytest.skip("no font with Calibri's metrics (apt-get install fonts-crosextra-carlito): sizes would differ")
    from planner import i18n
    from planner.export.national import CampusRow, build_national, campus_summary

    folder = tmp_path_factory.mktemp("printed")
    scenario = folder / "dos_grupos.toml"
    scenario.write_text(
        f'name = "Dos grupos"\ncatalog = "{CATALOG.as_posix()}"\nterms = 3\nsections = 2\n', encoding="utf-8"
    )
    plan = folder / "plan.xlsx"
    assert CliRunner().invoke(app, ["plan", str(scenario), "--out", str(plan), "--lang", "es"]).exit_code == 0
    reviewed = folder / "revisado.xlsx"
    book = openpyxl.load_workbook(plan)
    sheet = book["Plan"]
    decision = [c.column for c in sheet[1] if c.value == "Decisión"][0]
    sheet.cell(row=2, column=decision, value="quitar")  # drop the first module: the plan must change
    book.save(folder / "sent_back.xlsx")
    result = CliRunner().invoke(
        app, ["plan", str(scenario), "--review", str(folder / "sent_back.xlsx"), "--out", str(reviewed), "--lang", "es"]
    )
    assert result.exit_code == 0, result.output
    compare = folder / "compare.xlsx"
    result = CliRunner().invoke(
        app,
        ["compare", str(plan.with_suffix(".json")), str(reviewed.with_suffix(".json")), "--out", str(compare)]
        + ["--lang", "es"],
    )
    assert result.exit_code == 0, result.output
    national = folder / "national.xlsx"
    i18n.use("es")
    try:
        summary = campus_summary(tiny_result())
        rows = [
            CampusRow("bc-mexicali", "bc-mexicali", "CONALEP Mexicali", "Baja California", "planned", "", summary),
            CampusRow("nl-apodaca", "nl-apodaca", "CONALEP Apodaca", "Nuevo León", "failed", "entrada no válida"),
        ]
        build_national("Despliegue nacional", rows).save(national)
    finally:
        i18n.use(i18n.DEFAULT_LANGUAGE)
    campus = folder / "campus.xlsx"  # a shipped campus seed: the full catalog, documents of many pages
    seed = TESTS.parent / "seeds" / "campuses" / "bc-mexicali.toml"
    assert CliRunner().invoke(app, ["plan", str(seed), "--out", str(campus), "--lang", "es"]).exit_code == 0
    books = {"plan": plan, "reviewed": reviewed, "compare": compare, "national": national, "campus": campus}
    outdir = folder / "pdf"
    command = [
        str(SOFFICE),
        f"-env:UserInstallation={(folder / 'profile').resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *map(str, books.values()),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert done.returncode == 0, f"LibreOffice failed ({done.returncode}): {done.stdout}{done.stderr}"
    return {kind: (path, outdir / f"{path.stem}.pdf") for kind, path in books.items()}


def _calibri_is_carlito() -> bool:
    """The workbook's font is Calibri; LibreOffice prints it with Carlito, its metric twin."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return True  # no fontconfig: the platform's own fonts (Windows, macOS) have Calibri's metrics
    found = subprocess.run([fc_match, "Calibri"], capture_output=True, text=True, timeout=60, check=False).stdout
    return "Carlito" in found or "Calibri" in found


def words_on_pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """Each page's words with their printed height (the smaller side of the box: upright text too)."""
    html = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT, check=True
    ).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    pages = []
    for page in html.split("<page ")[1:]:
        found = word.findall(page)
        pages.append([(_text_height(float(c) - float(a), float(d) - float(b)), unescape(w)) for a, b, c, d, w in found])
    return pages


def _text_height(width: float, height: float) -> float:
    """A word's printed height: its box's height, or its width when the word runs upright (a box
    much taller than wide). A narrow word such as "(P)" or "los" is not upright: its box's width
    is less than its height, but its height is the text's."""
    return width if height > 1.5 * width else height


def cell_texts(workbook: Path) -> list[str]:
    """Every text the workbook's visible sheets show in a cell."""
    book = openpyxl.load_workbook(workbook)
    return [
        cell.value
        for ws in book.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.strip()
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_every_printed_word_is_8_points_or_more(printed, kind):
    _workbook, pdf = printed[kind]
    pages = words_on_pages(pdf)
    assert pages, "the PDF has pages"
    # Words of three letters or more: a lone digit's box is narrower than its height.
    small = {
        (n, text, round(height / BOX_PER_POINT, 1))
        for n, page in enumerate(pages, start=1)
        for height, text in page
        if len(text) >= 3 and height < SMALLEST_POINTS * BOX_PER_POINT
    }
    assert small == set()


@pytest.mark.parametrize("kind", KINDS)
def test_no_cell_text_is_cut_off_in_print(printed, kind):
    workbook, pdf = printed[kind]
    raw = subprocess.run(
        [str(PDFTOTEXT), "-raw", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT, check=True
    ).stdout
    printed_text = "".join(raw.split())
    missing = [text for text in cell_texts(workbook) if "".join(text.split()) not in printed_text]
    assert missing == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_spanish_document_prints_no_english_label(printed, kind):
    _workbook, pdf = printed[kind]
    english_only, _spanish_only = vocabularies()
    english_only |= {"optimal", "feasible", "proposed", "assumed", "verified", "true", "false", "period", "changes"}
    catalogs = [*CATALOG.glob("*.csv"), *(TESTS.parent / "catalog").rglob("*.csv")]  # the campus kind's too
    catalog_text = " ".join(csv_file.read_text(encoding="utf-8") for csv_file in catalogs)
    catalog_words = {w.casefold() for w in re.findall(r"[^\W\d_]{2,}", f"{catalog_text} {CATALOG.as_posix()}")}
    found = {
        w.casefold() for page in words_on_pages(pdf) for _h, text in page for w in re.findall(r"[^\W\d_]{2,}", text)
    }
    assert (found & english_only) - catalog_words == set()
    files = (".toml", ".xlsx", ".json")  # file names are shown as they are; keys are not
    texts = {text.rstrip(".,;:") for page in words_on_pages(pdf) for _h, text in page}
    keys = {
        text
        for text in texts
        if re.fullmatch(r"[a-z]+[._][a-z_.]+", text) and not text.endswith(files) and text not in CATALOG.parts
    }
    assert keys == set(), "file keys such as hours.term_max are named in words"


KEPT = 2  # lines


def headings(workbook: Path) -> set[str]:
    """Bold texts alone in column A with something below them: titles and section headings."""
    book = openpyxl.load_workbook(workbook)
    found = set()
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        rows = list(ws.iter_rows())
        for row, below in zip(rows, rows[1:], strict=False):
            filled = [c for c in row if c.value is not None]
            lone = len(filled) == 1 and filled[0].column == 1 and isinstance(filled[0].value, str)
            if lone and filled[0].font.b and any(c.value is not None for c in below):
                found.add(" ".join(filled[0].value.split()))
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_no_heading_prints_alone_at_the_foot_of_a_page(printed, kind):
    """A section heading among the last lines of a page, its table's rows on the next, is stranded.
    A chart's title equals its section's heading, and poppler reads the text of a chart that
    starts the next page at the foot of this one too (drawn clipped, unseen), so a heading that
    heads the next page as well is that chart's title."""
    workbook, pdf = printed[kind]
    text = subprocess.run(
        [str(PDFTOTEXT), "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=TIMEOUT, check=True
    ).stdout
    titles = headings(workbook)
    pages = []
    for page in text.split("\f")[:-1]:
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        pages.append([line for line in lines if not re.search(r"\d+ / \d+$", line)][1:])  # less header, footer
    stranded = [
        (number, line)
        for number, (lines, following) in enumerate(zip(pages, [*pages[1:], []], strict=True), start=1)
        for line in lines[-KEPT:]
        if line in titles and line not in following[:1]
    ]
    assert stranded == []
