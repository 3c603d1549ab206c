"""The workbook in a real spreadsheet program: LibreOffice Calc opens it headless and exports the Plan.

`.ci/run` installs LibreOffice Calc where it is missing; elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planner.cli import app

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
