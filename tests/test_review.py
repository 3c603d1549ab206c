"""The review round trip as it happens: plan, edit the workbook with openpyxl as an administrator
would, plan again with --review; bad reviews exit 2 naming sheet, row and column; decisions that
cannot all hold exit 3 naming the decision rows."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.compare import load_plans
from planner.errors import InputError
from planner.planning import load_problem
from planner.review import load_review
from tests.helpers import outcome_in_english

TESTS = Path(__file__).parent
TINY_SCENARIO = TESTS / "fixtures" / "tiny.toml"
HEADERS = {"term": "Term", "module": "Module ID", "instructor": "Instructor ID", "decision": "Decision"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The tiny plan's workbook: MCEL-02, SECL-01, SEEN-01, CEPR-01 and SEPR-01, one row each
    (their rows follow the plan's terms; tests look them up with `plan_rows`)."""
    path = tmp_path_factory.mktemp("export") / "plan.xlsx"
    code, output = outcome_in_english("plan", TINY_SCENARIO, "--out", path)
    assert code == 0, output
    return path


def edit(source: Path, target: Path, change) -> Path:
    workbook = openpyxl.load_workbook(source)
    ws = workbook["Plan"]
    column = {key: next(c.column for c in ws[1] if c.value == name) for key, name in HEADERS.items()}
    change(workbook, ws, column, _rows(ws, column))
    workbook.save(target)
    return target


def _rows(ws, column) -> dict[str, int]:
    cells = ((r, ws.cell(r, column["module"]).value) for r in range(2, ws.max_row + 1))
    return {module: r for r, module in cells if module}


def plan_rows(path: Path) -> dict[str, int]:
    """Module id -> its row on the Plan sheet."""
    ws = openpyxl.load_workbook(path)["Plan"]
    return _rows(ws, {"module": next(c.column for c in ws[1] if c.value == HEADERS["module"])})


def first_empty_row(ws, column) -> int:
    return next(r for r in range(2, ws.max_row + 2) if ws.cell(r, column["module"]).value is None)


def administrator(workbook, ws, column, rows) -> None:
    ws.cell(rows["CEPR-01"], column["term"]).value = 2  # a moved semester
    ws.cell(rows["CEPR-01"], column["decision"]).value = "lock"
    ws.cell(rows["SEPR-01"], column["decision"]).value = "drop"  # a dropped module
    ws.cell(rows["SECL-01"], column["instructor"]).value = "DOC-03"  # another instructor
    ws.cell(rows["SECL-01"], column["decision"]).value = "lock"
    added = first_empty_row(ws, column)  # an added row
    for key, value in (("term", 2), ("module", "MASE-02"), ("instructor", "DOC-01"), ("decision", "lock")):
        ws.cell(added, column[key]).value = value


def test_the_decisions_hold_and_the_changes_sheet_lists_them(exported, tmp_path):
    workbook = openpyxl.load_workbook(exported)
    assert workbook["Plan"].protection.sheet  # protected, yet openpyxl reads it back
    assert workbook["planner_export"].sheet_state == "veryHidden"
    reviewed = edit(exported, tmp_path / "reviewed.xlsx", administrator)

    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")

    assert code == 0, output
    plan = json.loads((tmp_path / "new.json").read_text(encoding="utf-8"))
    taken = {m["module_id"]: (m["term"], [s["instructor_id"] for s in m["sections"]]) for m in plan["modules"]}
    assert "SEPR-01" not in taken
    assert taken["CEPR-01"][0] == 2
    assert taken["MASE-02"] == (2, ["DOC-01"])
    assert taken["SECL-01"][1] == ["DOC-03"]
    assert plan["stages"][-1]["objective"] == "changes"
    changes = openpyxl.load_workbook(tmp_path / "new.xlsx")["Changes"]
    table = changes.tables["Changes"]
    rows = [[c.value for c in row] for row in changes[table.ref]]
    header, body = rows[0], rows[1:]
    listed = {(r[header.index("Module ID")], r[header.index("Change")]): r[header.index("Reason")] for r in body}
    # Changes are counted against the workbook as sent back: the edits kept are no change, the
    # dropped module is one (SEPR-01 is on row 6 of the exported Plan sheet).
    assert listed[("SEPR-01", "module removed")] == "decision on sheet Plan, row 6"
    assert not {m for m, _kind in listed} & {"CEPR-01", "MASE-02", "SECL-01"}
    assert all(reason == "re-optimised" for (m, _kind), reason in listed.items() if m != "SEPR-01")
    assert plan["objectives"]["changes"] == len(body)


def test_spanish_headers_and_words_are_read_too(exported, tmp_path):
    def spanish(workbook, ws, column, rows):
        administrator(workbook, ws, column, rows)
        for key, name in (
            ("term", "Semestre"),
            ("module", "Clave"),
            ("instructor", "Clave docente"),
            ("decision", "Decisión"),
        ):
            ws.cell(1, column[key]).value = name
        ws.cell(rows["SEPR-01"], column["decision"]).value = "quitar"
        ws.cell(rows["CEPR-01"], column["decision"]).value = "fijar"

    reviewed = edit(exported, tmp_path / "revisado.xlsx", spanish)
    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")
    assert code == 0, output
    modules = {m["module_id"]: m["term"] for m in json.loads((tmp_path / "new.json").read_text())["modules"]}
    assert "SEPR-01" not in modules and modules["CEPR-01"] == 2


def _set(module: str, key: str, value):
    return lambda wb, ws, column, rows: setattr(ws.cell(rows[module], column[key]), "value", value)


def _contradiction(wb, ws, column, rows):
    ws.cell(rows["CEPR-01"], column["decision"]).value = "lock"
    added = first_empty_row(ws, column)
    ws.cell(added, column["module"]).value = "CEPR-01"
    ws.cell(added, column["term"]).value = 3
    ws.cell(added, column["decision"]).value = "drop"


def _other_catalog(wb, ws, column, rows):
    wb["planner_export"]["B2"].value = "0" * 64


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_contradiction, "sheet Plan row 7, column Decision: CEPR-01 is both locked and dropped (rows {row} and 7)."),
        (
            _set("CEPR-01", "module", "XXXX-99"),
            "sheet Plan row {row}, column Module ID: module 'XXXX-99' is not in the catalog.",
        ),
        (
            _set("CEPR-01", "instructor", "DOC-99"),
            "sheet Plan row {row}, column Instructor ID: instructor 'DOC-99' is not",
        ),
        (_set("CEPR-01", "term", 4), "sheet Plan row {row}, column Term: term 4 is outside 1..3."),
        # Digits to str.isdigit, not to int: Arabic-Indic three, fullwidth two.
        (_set("CEPR-01", "term", "\u0663"), "sheet Plan row {row}, column Term: '\u0663' is not a term number."),
        (_set("CEPR-01", "term", "\uff12"), "sheet Plan row {row}, column Term: '\uff12' is not a term number."),
        (_other_catalog, "sheet planner_export row 2, column B: this workbook was made for another catalog"),
    ],
)
def test_bad_reviews_exit_2_naming_sheet_row_and_column(exported, tmp_path, change, expected):
    reviewed = edit(exported, tmp_path / "reviewed.xlsx", change)
    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")
    assert code == 2
    assert expected.format(row=plan_rows(exported)["CEPR-01"]) in output
    assert not (tmp_path / "new.xlsx").exists()


def test_a_workbook_that_is_not_a_planner_export_is_refused(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Plan"
    workbook.active.append(["Term", "Module ID", "Instructor ID", "Decision"])
    workbook.active.append([1, "MCEL-02", None, "lock"])
    workbook.save(tmp_path / "mine.xlsx")
    code, output = outcome_in_english(
        "plan", TINY_SCENARIO, "--review", tmp_path / "mine.xlsx", "--out", tmp_path / "new.xlsx"
    )
    assert code == 2
    assert "mine.xlsx, sheet planner_export row 1, column B: this workbook was not written by planner" in output


def test_decisions_that_cannot_all_hold_exit_3_naming_the_rows(exported, tmp_path):
    def conflicting(wb, ws, column, rows):
        ws.cell(rows["SEPR-01"], column["decision"]).value = "lock"
        ws.cell(rows["SEEN-01"], column["term"]).value = 3  # SEPR-01's prerequisite, not earlier
        ws.cell(rows["SEEN-01"], column["decision"]).value = "lock"

    reviewed = edit(exported, tmp_path / "reviewed.xlsx", conflicting)
    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")
    assert code == 3, output
    rows = plan_rows(exported)
    assert f"decision on sheet Plan row {rows['SEEN-01']}: lock SEEN-01 in term 3" in output
    assert f"decision on sheet Plan row {rows['SEPR-01']}: lock SEPR-01 in term 3" in output


def test_compare_puts_plans_side_by_side_and_says_when_scenarios_differ(exported, tmp_path):
    reviewed = edit(exported, tmp_path / "reviewed.xlsx", administrator)
    assert outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")[0] == 0
    other = tmp_path / "other.json"
    document = json.loads(exported.with_suffix(".json").read_text(encoding="utf-8"))
    other.write_text(json.dumps(document | {"scenario": "Another scenario"}), encoding="utf-8")
    out = tmp_path / "compare.xlsx"

    code, output = outcome_in_english(
        "compare", exported.with_suffix(".json"), tmp_path / "new.json", other, "--out", out
    )

    assert code == 0, output
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Comparison", "Coverage by sector", "Modules", "Instructor loads"]
    texts = [c.value for row in workbook["Comparison"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("different scenarios" in t for t in texts)
    modules = workbook["Modules"]
    rows = {r[0]: r for r in modules.iter_rows(min_row=2, values_only=True)}
    # Module id, its name, its term in each plan, then what each later plan did with it.
    assert rows["SEPR-01"][1] == "Prueba eléctrica de semiconductores"
    assert rows["SEPR-01"][2:4] == (3, None) and rows["SEPR-01"][5] == "removed"
    assert rows["MASE-02"][5] == "added"
    assert workbook["Coverage by sector"]._charts
    for long in ("Modules", "Instructor loads"):  # a campus's lists run over several printed pages
        assert (workbook[long].print_title_rows, workbook[long].freeze_panes) == ("$1:$1", "A2")
    assert outcome_in_english("compare", exported.with_suffix(".json"), "--out", out)[0] == 2  # exists, no --force


def test_compare_refuses_an_output_it_cannot_write_before_reading_the_plans(exported, tmp_path):
    plan = exported.with_suffix(".json")
    before = plan.read_bytes()
    code, output = outcome_in_english("compare", plan, "--out", tmp_path / "side.csv")
    assert code == 2 and "must end in .xlsx" in output
    code, output = outcome_in_english(
        "compare", plan, "--out", plan.with_suffix(".xlsx").parent / "missing" / "x.json.xlsx"
    )
    assert code == 0, output  # a new folder is fine
    code, output = outcome_in_english("compare", tmp_path / "absent.json", "--out", tmp_path / "a.xlsx")
    assert code == 2
    assert plan.read_bytes() == before


# --- hostile reviewed workbooks and plan files: exit 2 naming the file, never a traceback or a hang ---


@pytest.fixture(scope="module")
def tiny_problem():
    return load_problem(TINY_SCENARIO)


def _far_right(wb, ws, column, rows):
    # 150 rows padded by openpyxl's reader to column XFD: 2.4 million cells, in a file of a few KB.
    for row in range(50, 200):
        ws.cell(row, 16_384).value = "x"


def test_a_reviewed_workbook_padded_past_the_cell_bound_is_refused(exported, tmp_path):
    reviewed = edit(exported, tmp_path / "reviewed.xlsx", _far_right)

    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")

    assert code == 2
    assert "reviewed.xlsx: the workbook holds more than 2,000,000 cells" in output


def _wide_coverage(wb, ws, column, rows):
    # The same 2.4 million padded cells on a sheet the review does not read: it costs nothing.
    sheet = wb["Coverage"]
    for row in range(50, 200):
        sheet.cell(row, 16_384).value = "x"


def test_cells_on_sheets_the_review_does_not_read_are_not_counted(exported, tiny_problem, tmp_path):
    reviewed = edit(exported, tmp_path / "reviewed.xlsx", _wide_coverage)

    review = load_review(reviewed, tiny_problem.catalog, tiny_problem.scenario)

    assert {row.module_id for row in review.rows} == set(plan_rows(exported))


def test_a_reviewed_workbook_that_inflates_far_beyond_its_size_is_refused(exported, tmp_path):
    # One 9 MB run of spaces in a part compresses about 1,000 times.
    reviewed = tmp_path / "reviewed.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(reviewed, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry, source.read(entry))
        target.writestr("xl/media/padding.xml", b" " * (9 * 2**20))

    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", reviewed, "--out", tmp_path / "new.xlsx")

    assert code == 2
    assert "reviewed.xlsx: the workbook part xl/media/padding.xml is compressed" in output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_as_the_review_or_a_plan_file_is_refused(exported, tmp_path):
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)

    code, output = outcome_in_english("plan", TINY_SCENARIO, "--review", pipe, "--out", tmp_path / "new.xlsx")
    assert code == 2 and "pipe.xlsx: this is not a regular file but a pipe (FIFO)" in output

    code, output = outcome_in_english("compare", exported.with_suffix(".json"), pipe, "--out", tmp_path / "c.xlsx")
    assert code == 2 and "pipe.xlsx: this is not a regular file but a pipe (FIFO)" in output


def _deep(text: str) -> str:
    return text.replace('"scenario": ', '"scenario": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + ', "x": ', 1)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_deep, "this is not a plan file (JSON): its values are nested too deeply."),
        (lambda t: t.replace('"term": ', '"term": -1e400, "t": ', 1), "the number -1e400 is too large."),
        (lambda t: t.replace('"term": ', '"term": NaN, "t": ', 1), "NaN is not a number a plan file holds."),
        (lambda t: t.replace('"term": ', '"term": ' + "7" * 30 + ', "t": ', 1), "a number of 30 digits is too large."),
        (
            lambda t: t.replace('"objectives": ', '"objectives": "coverage", "o": ', 1),
            "objectives must be an object, not text.",
        ),
        (lambda t: t.replace('"modules": ', '"modules": {}, "m": ', 1), "modules must be a list, not an object."),
        (
            lambda t: t.replace('"term": ', '"term": "2", "t": ', 1),
            "modules[].term must be a whole number, not text.",
        ),
        (lambda t: "[" + t + "]", "the document must be an object, not a list."),
    ],
)
def test_compare_refuses_a_broken_plan_file_naming_it(exported, tmp_path, change, expected):
    broken = tmp_path / "broken.json"
    broken.write_text(change(exported.with_suffix(".json").read_text(encoding="utf-8")), encoding="utf-8")

    code, output = outcome_in_english("compare", exported.with_suffix(".json"), broken, "--out", tmp_path / "c.xlsx")

    assert code == 2
    assert "broken.json: this is not a plan file" in output and expected in output
    assert not (tmp_path / "c.xlsx").exists()


def _corrupted(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    damaged = bytearray(data)
    for position, value in edits:
        damaged[position % len(damaged)] = value
    return bytes(damaged[:cut] if cut is not None else damaged)


CORRUPTION = {
    "edits": st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
    "cut": st.none() | st.integers(0, 10**6),
}


@settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**CORRUPTION)
def test_a_randomly_corrupted_reviewed_workbook_is_read_or_refused_naming_it(exported, tiny_problem, edits, cut):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reviewed.xlsx"
        path.write_bytes(_corrupted(exported.read_bytes(), edits, cut))
        try:
            load_review(path, tiny_problem.catalog, tiny_problem.scenario)
        except InputError as error:  # exit 2
            assert error.exit_code == 2
            assert error.issues and all(issue.file.startswith("reviewed.xlsx") for issue in error.issues)


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(**CORRUPTION)
def test_a_randomly_corrupted_plan_file_is_read_or_refused_naming_it(exported, edits, cut):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_bytes(_corrupted(exported.with_suffix(".json").read_bytes(), edits, cut))
        try:
            load_plans([path])
        except InputError as error:  # exit 2
            assert error.exit_code == 2
            assert error.issues and all(issue.file == "plan.json" for issue in error.issues)
