"""Hostile inputs, one class at a time: whatever the file, the run ends with exit 2 naming it (or 4
when the time limit passes while reading), never with a traceback, a hang or an unbounded read."""

from __future__ import annotations

import csv
import os
import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from typer.testing import CliRunner

from planner.catalog import load_catalog
from planner.cli import app
from planner.errors import InputError, NoPlanFoundError
from planner.loaders import workbooks
from planner.options import SolveOptions
from planner.planning import make_plan
from tests.helpers import run_in_english

TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
TINY_CATALOG = TESTS / "fixtures" / "tiny_catalog"


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog(path)
    return [str(issue) for issue in caught.value.issues]


def scenario(folder: Path, body: str) -> Path:
    path = folder / "s.toml"
    path.write_text(f'name = "Hostile"\ncatalog = "{TINY_CATALOG.as_posix()}"\nterms = 3\n' + body, encoding="utf-8")
    return path


def catalog_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY_CATALOG, tmp_path / "catalog"))


def catalog_workbook(tmp_path: Path, skip: str = "") -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in sorted(TINY_CATALOG.glob("*.csv")):
        if table.stem != skip:
            sheet = workbook.create_sheet(table.stem)
            with table.open(encoding="utf-8", newline="") as handle:
                for row in csv.reader(handle):
                    sheet.append(row)
    return workbook


# --- one guarded opener: regular files only, and a size bound -------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["plan", "validate", "batch"])
def test_a_named_pipe_is_refused_not_waited_on(tmp_path, command):
    pipe = tmp_path / "input.toml"
    os.mkfifo(pipe)
    args = {
        "plan": ("plan", pipe, "--out", tmp_path / "p.xlsx"),
        "validate": ("validate", TINY_CATALOG, "--scenario", pipe),
        "batch": ("batch", pipe, "--out", tmp_path / "n.xlsx"),
    }[command]

    result = run_in_english(*args)

    assert result.exit_code == 2
    assert "input.toml: this is not a regular file but a pipe (FIFO)" in " ".join(result.output.split())


def test_a_folder_given_as_the_scenario_is_named(tmp_path):
    folder = tmp_path / "s.toml"
    folder.mkdir()

    result = run_in_english("plan", folder, "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert "this is not a regular file but a folder" in " ".join(result.output.split())


def test_a_device_as_a_plan_file_is_refused_without_reading_it(tmp_path):
    result = run_in_english("compare", os.devnull, os.devnull, "--out", tmp_path / "c.xlsx")

    assert result.exit_code == 2
    assert f"this is not a regular file but a device ({os.devnull})" in " ".join(result.output.split())


def test_a_scenario_above_its_size_bound_is_refused(tmp_path):
    path = scenario(tmp_path, "# " + "x" * (2**20) + "\n")

    result = run_in_english("plan", path, "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert "s.toml: the file is larger than 1 MB" in " ".join(result.output.split())


# --- workbooks: cells as openpyxl's reader pads them, and cell length --------------------------------


def test_a_catalog_workbook_with_a_far_column_in_many_rows_is_refused_quickly(tmp_path):
    # Column AAA is column 703: 3,000 rows padded to it are 2.1 million cells, in a file of a few KB.
    workbook = catalog_workbook(tmp_path)
    for row in range(10, 3_010):
        workbook["demands"].cell(row, 703, "x")
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    (issue,) = problems(path)

    assert issue.startswith("catalog.xlsx: the workbook holds more than 2,000,000 cells")


def test_cell_bound_counts_rows_skipped_before_a_far_row(tmp_path, monkeypatch):
    # A single cell on row 900 makes the reader yield 899 empty rows first: they count.
    monkeypatch.setattr(workbooks, "MAX_CELLS", 800)
    workbook = catalog_workbook(tmp_path)
    workbook["sectors"].cell(900, 1, "x")
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    (issue,) = problems(path)

    assert "the workbook holds more than 800 cells" in issue


def test_a_workbook_cell_longer_than_excel_allows_is_refused(tmp_path):
    # openpyxl cuts long text when it writes, so the long cell is put into the sheet's XML directly.
    saved = tmp_path / "saved.xlsx"
    catalog_workbook(tmp_path).save(saved)
    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            target.writestr(entry, data.replace(b"Protocolo de cuarto limpio", b"y" * 40_000))

    (issue,) = problems(path)

    assert issue.startswith("catalog.xlsx: a cell in the workbook part xl/worksheets/")
    assert "holds more than 32,767 characters" in issue


def test_a_chart_sheet_named_for_a_table_is_named(tmp_path):
    workbook = catalog_workbook(tmp_path, skip="skills")
    chart_sheet = workbook.create_chartsheet("skills")
    chart = BarChart()
    chart.add_data(Reference(workbook["sectors"], min_col=3, min_row=1, max_row=3))
    chart_sheet.add_chart(chart)
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    issues = problems(path)

    assert issues == ["catalog.xlsx, sheet skills: this sheet is a chart sheet, not a worksheet of rows."]


def test_an_empty_chart_sheet_named_for_a_table_is_named(tmp_path):
    # openpyxl itself fails on this one ("'list' object has no attribute 'find'").
    workbook = catalog_workbook(tmp_path, skip="demands")
    workbook.create_chartsheet("demands")
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    assert problems(path) == ["catalog.xlsx, sheet demands: this sheet is a chart sheet, not a worksheet of rows."]


def test_an_empty_chart_sheet_of_the_users_own_is_named(tmp_path):
    workbook = catalog_workbook(tmp_path)
    workbook.create_chartsheet("Gráfica")
    path = tmp_path / "catalog.xlsx"
    workbook.save(path)

    assert problems(path) == [
        "catalog.xlsx, sheet Gráfica: this chart sheet holds no chart, so the workbook cannot be read; "
        "delete the sheet."
    ]


# --- nesting: TOML nested far deeper than Python recurses --------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("plan", "{s}", "--out", "{tmp}/p.xlsx"),
        ("validate", str(TINY_CATALOG), "--scenario", "{s}"),
        ("explain", "{s}"),
    ],
)
def test_deeply_nested_inline_tables_are_refused_naming_the_scenario(tmp_path, args):
    path = scenario(tmp_path, "deep = " + "{a = " * 60_000 + "1" + "}" * 60_000 + "\n")
    filled = [a.format(s=path, tmp=tmp_path) for a in args]

    result = run_in_english(*filled)

    assert result.exit_code == 2
    assert "s.toml: this is not valid TOML: its values are nested too deeply." in " ".join(result.output.split())


def test_deep_nesting_is_refused_in_spanish_too(tmp_path):
    # Without --lang, the language look-up reads the scenario before the command's error handling.
    path = scenario(tmp_path, "deep = " + "[" * 60_000 + "]" * 60_000 + "\n")

    result = CliRunner().invoke(app, ["plan", str(path), "--out", str(tmp_path / "p.xlsx")])

    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "s.toml: este no es un TOML válido" in " ".join(result.output.split())


# --- the time limit bounds reading ----------------------------------------------------------------------


def test_reading_past_the_time_limit_stops_with_exit_4_naming_the_file():
    # The run started 100 s ago with a limit of 5 s: the first file read is past it.
    options = SolveOptions(time_limit=5, started=time.monotonic() - 100)

    with pytest.raises(NoPlanFoundError) as caught:
        make_plan(TINY_SCENARIO, options=options)

    assert caught.value.exit_code == 4
    assert str(caught.value).startswith("The time limit of 5 s passed while reading tiny.toml (")


def test_the_scenarios_own_limit_bounds_reading_its_catalog(tmp_path):
    # 10 s spent: within the default 60 s while reading the scenario, past its own 2 s at the catalog.
    path = scenario(tmp_path, "time_limit_seconds = 2\n")
    options = SolveOptions(started=time.monotonic() - 10)

    with pytest.raises(NoPlanFoundError) as caught:
        make_plan(path, options=options)

    message = str(caught.value)
    assert message.startswith("The time limit of 2 s passed while reading ") and "tiny.toml" not in message


# --- messages --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named(tmp_path, encoding):
    folder = catalog_copy(tmp_path)
    skills = folder / "skills.csv"
    skills.write_bytes(skills.read_text(encoding="utf-8").encode(encoding))

    assert problems(folder) == [
        "skills.csv: the file is UTF-16 text without a byte-order mark; save it as 'CSV UTF-8'."
    ]


def test_a_cell_beyond_the_csv_modules_limit_is_named_by_row_and_column(tmp_path):
    folder = catalog_copy(tmp_path)
    modules = folder / "modules.csv"
    lines = modules.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",vigente", "," + "z" * 150_000)  # the extra column `status`
    modules.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert problems(folder) == [
        "modules.csv row 3, column status: the cell holds 150,000 characters; "
        "a cell holds at most 32,767 (Excel's limit)."
    ]


def test_sections_above_the_real_limit_names_that_limit(tmp_path):
    result = run_in_english("plan", scenario(tmp_path, "sections = 5000\n"), "--out", tmp_path / "p.xlsx")

    assert result.exit_code == 2
    assert "s.toml, sections: 5000 is more than 100, the most this planner accepts." in " ".join(result.output.split())
