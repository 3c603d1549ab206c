"""Catalog loading: the tiny fixture, every defect folder, Excel workbooks and unsafe files."""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.catalog import load_catalog
from planner.errors import InputError
from planner.loaders import files, workbooks
from planner.model import Origin

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny_catalog"
DEFECTS = Path(__file__).parent / "defects"
TABLES = (
    "sectors",
    "skills",
    "demands",
    "modules",
    "module_skills",
    "prerequisites",
    "instructors",
    "qualifications",
)


def issues_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_catalog(path)
    return [str(issue) for issue in caught.value.issues]


def copy_tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shutil.copytree(TINY, folder)
    return folder


def edit(folder: Path, file_name: str, old: str, new: str) -> None:
    path = folder / file_name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file_name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def workbook_from_folder(folder: Path, path: Path, as_numbers: bool = True) -> Path:
    """The folder's CSV files as sheets of one workbook, numbers typed as Excel numbers."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name in TABLES:
        csv = folder / f"{name}.csv"
        if not csv.exists():
            continue
        sheet = workbook.create_sheet(name)
        for line in csv.read_text(encoding="utf-8").splitlines():
            sheet.append([int(c) if as_numbers and c.isdigit() else (c or None) for c in line.split(",")])
    workbook.save(path)
    return path


# --- the valid fixture -----------------------------------------------------------------------


def test_tiny_catalog_loads_with_origins_and_extra_columns():
    catalog = load_catalog(TINY)

    counts = [len(catalog.sectors), len(catalog.skills), len(catalog.modules), len(catalog.instructors)]
    assert counts == [2, 6, 8, 3]
    first = catalog.module_by_id["MCEL-02"]
    assert first.career == "Electrónica Industrial"  # accents survive
    assert (first.hours, first.earliest_term, first.latest_term) == (90, 1, None)  # blank = None
    assert first.extra == {"status": "vigente"}
    assert first.origin == Origin("modules.csv", 2)
    assert catalog.module_by_id["CEPR-01"].origin == Origin("modules.csv", 9)
    assert catalog.qualifications[-1].origin == Origin("qualifications.csv", 10)
    assert catalog.source == str(TINY)


def test_fingerprint_is_sha256_of_the_table_files_in_name_order(tmp_path):
    folder = copy_tiny(tmp_path)
    (folder / "notes.txt").write_text("not part of the catalog", encoding="utf-8")
    expected = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.glob("*.csv")))).hexdigest()

    assert load_catalog(folder).fingerprint == expected
    edit(folder, "modules.csv", "vigente", "vigente ")
    assert load_catalog(folder).fingerprint != expected


def test_optional_files_may_be_missing(tmp_path):
    folder = copy_tiny(tmp_path)
    for name in ("prerequisites", "instructors", "qualifications"):
        (folder / f"{name}.csv").unlink()

    catalog = load_catalog(folder)

    assert catalog.prerequisites == catalog.instructors == catalog.qualifications == ()


def test_optional_term_columns_may_be_absent(tmp_path):
    folder = copy_tiny(tmp_path)
    path = folder / "modules.csv"
    lines = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(",".join(cells[:4]) for cells in lines) + "\n", encoding="utf-8")

    catalog = load_catalog(folder)

    assert all(m.earliest_term is None and m.latest_term is None for m in catalog.modules)


def test_a_prerequisite_window_that_makes_a_module_impossible_is_not_a_catalog_error(tmp_path):
    folder = copy_tiny(tmp_path)
    # SEEN-01 needs SECL-01 first, but SECL-01 starts in term 3 and SEEN-01 must end by term 2.
    edit(folder, "modules.csv", "Electrónica Industrial,54,1,2,", "Electrónica Industrial,54,3,,")
    edit(
        folder,
        "modules.csv",
        "semiconductores,Electrónica Industrial,90,2,,",
        "semiconductores,Electrónica Industrial,90,1,2,",
    )

    assert load_catalog(folder).module_by_id["SECL-01"].earliest_term == 3


def test_a_utf8_byte_order_mark_is_not_part_of_the_header(tmp_path):
    folder = copy_tiny(tmp_path)
    path = folder / "sectors.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # as Excel's "CSV UTF-8" saves it

    assert load_catalog(folder).sectors[0].sector_id == "semi"


def test_na_and_null_are_text_not_missing_values(tmp_path):
    folder = copy_tiny(tmp_path)
    edit(folder, "skills.csv", "SPC,Control estadístico de procesos", "SPC,NA")
    edit(folder, "skills.csv", "Prueba eléctrica de dispositivos,Prueba", "null,Prueba")

    catalog = load_catalog(folder)

    assert catalog.skill_by_id["SPC"].name == "NA"
    assert catalog.skill_by_id["TEST"].name == "null"


# --- defects ---------------------------------------------------------------------------------


@pytest.mark.parametrize("defect", sorted(p.name for p in DEFECTS.iterdir() if p.is_dir()))
def test_each_defect_is_reported_with_file_row_and_column(defect):
    expected = (DEFECTS / defect / "expected.txt").read_text(encoding="utf-8").strip()

    issues = issues_of(DEFECTS / defect)

    assert any(expected in issue for issue in issues), issues
    assert len(issues) == 1, f"each defect folder holds exactly one defect: {issues}"


def test_every_problem_is_reported_at_once(tmp_path):
    folder = copy_tiny(tmp_path)
    edit(folder, "modules.csv", "Mecatrónica,72", "Mecatrónica,abc")  # IECO-02, row 8
    edit(folder, "demands.csv", "med,SPC,2,3", "med,SPC,4,3")  # row 9
    edit(folder, "prerequisites.csv", "SEPR-01,SEEN-01", "SEPR-01,SEEN-09")  # row 5

    issues = issues_of(folder)

    assert issues == [
        "demands.csv row 9, column level: level must be between 1 and 3, not 4.",
        "modules.csv row 8, column hours: 'abc' is not a whole number.",
        "prerequisites.csv row 5, column prerequisite_id: there is no module_id 'SEEN-09' in modules.csv.",
    ]


def test_several_problems_in_one_row_are_all_reported(tmp_path):
    folder = copy_tiny(tmp_path)
    edit(folder, "demands.csv", "semi,CLEAN,2,3", "semi,CLEAN,0,x")

    assert issues_of(folder) == [
        "demands.csv row 2, column level: level must be between 1 and 3, not 0.",
        "demands.csv row 2, column importance: 'x' is not a whole number.",
    ]


def test_a_module_with_a_bad_cell_still_counts_as_known_for_references(tmp_path):
    folder = copy_tiny(tmp_path)
    edit(folder, "modules.csv", "Electrónica Industrial,54,", "Electrónica Industrial,lots,")

    assert issues_of(folder) == ["modules.csv row 5, column hours: 'lots' is not a whole number."]


@pytest.mark.parametrize(
    ("hours", "shown"), [("99999999999999999999", "99999999999999999999"), ("9" * 5000, "9" * 37 + "...")]
)
def test_huge_numbers_are_refused(tmp_path, hours, shown):
    folder = copy_tiny(tmp_path)
    edit(folder, "modules.csv", "Mecatrónica,72", f"Mecatrónica,{hours}")

    assert issues_of(folder) == [
        f"modules.csv row 8, column hours: hours {shown} is too large; the most accepted is 1000000."
    ]


def test_missing_path_is_an_input_error(tmp_path):
    assert issues_of(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: the catalog does not exist (no such folder or file)."
    ]


def test_a_single_csv_file_is_not_a_catalog():
    assert "give the folder, not one file" in issues_of(TINY / "modules.csv")[0]


# --- Excel workbooks -------------------------------------------------------------------------


def test_workbook_loads_exactly_like_the_csv_folder(tmp_path):
    from_csv = load_catalog(TINY)
    from_xlsx = load_catalog(workbook_from_folder(TINY, tmp_path / "catalog.xlsx"))

    for table in TABLES:
        assert getattr(from_xlsx, table) == getattr(from_csv, table), table
    assert [m.extra for m in from_xlsx.modules] == [m.extra for m in from_csv.modules]
    assert from_xlsx.modules[2].origin == Origin("catalog.xlsx, sheet modules", 4)
    assert from_xlsx.fingerprint == hashlib.sha256((tmp_path / "catalog.xlsx").read_bytes()).hexdigest()


def test_workbook_numbers_stored_as_text_or_as_whole_floats_are_read_alike(tmp_path):
    path = workbook_from_folder(TINY, tmp_path / "catalog.xlsx", as_numbers=False)
    workbook = openpyxl.load_workbook(path)
    workbook["modules"]["D2"] = 90.0  # a writer that stores 90 as a float; the user sees 90
    workbook.save(path)

    assert load_catalog(path).modules == load_catalog(TINY).modules


def test_workbook_issues_name_the_sheet(tmp_path):
    path = workbook_from_folder(TINY, tmp_path / "catalog.xlsx")
    workbook = openpyxl.load_workbook(path)
    workbook["modules"]["D3"] = 12.5
    del workbook["module_skills"]
    workbook.save(path)

    assert issues_of(path) == [
        "catalog.xlsx: the required sheet 'module_skills' is missing.",
        "catalog.xlsx, sheet modules row 3, column hours: '12.5' is not a whole number.",
    ]


def entity_workbook(tmp_path: Path) -> Path:
    """A workbook whose first sheet declares nested XML entities (a "billion laughs" in miniature)."""
    safe = workbook_from_folder(TINY, tmp_path / "safe.xlsx")
    evil = tmp_path / "catalog.xlsx"
    doctype = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
    with zipfile.ZipFile(safe) as source, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                assert b"<t>semi</t>" in data
                data = doctype + data.replace(b"<t>semi</t>", b"<t>&lol2;</t>")
            target.writestr(entry, data)
    return evil


def test_workbook_with_an_xml_entity_declaration_is_refused(tmp_path):
    (issue,) = issues_of(entity_workbook(tmp_path))

    assert issue.startswith("catalog.xlsx: the workbook part xl/worksheets/sheet1.xml declares a DOCTYPE")


def test_entities_are_refused_even_past_the_doctype_scan(tmp_path, monkeypatch):
    # The second line of defence: openpyxl parses with defusedxml (only when it is installed).
    monkeypatch.setattr(workbooks, "_has_doctype", lambda archive, entry: False)
    evil = entity_workbook(tmp_path)

    (issue,) = issues_of(evil)

    assert openpyxl.DEFUSEDXML
    assert issue.startswith("catalog.xlsx: the workbook cannot be read: ")


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (8 * 2**20))  # 8 MB that deflate to ~8 KB

    (issue,) = issues_of(path)

    assert "is compressed" in issue and "refused as unsafe" in issue


def test_workbook_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(workbooks, "MAX_UNZIPPED_BYTES", 1000)
    path = workbook_from_folder(TINY, tmp_path / "catalog.xlsx")

    (issue,) = issues_of(path)

    assert "would unpack to" in issue and "refused as unsafe" in issue


def test_file_above_the_size_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    path = workbook_from_folder(TINY, tmp_path / "catalog.xlsx")

    (issue,) = issues_of(path)

    assert issue.startswith("catalog.xlsx: the file is larger than ") and issue.endswith(
        " MB; files that large are refused."
    )


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04 truncated"])
def test_a_file_that_is_not_a_workbook_is_an_input_error(tmp_path, content):
    path = tmp_path / "catalog.xlsx"
    path.write_bytes(content)

    (issue,) = issues_of(path)

    assert issue.startswith("catalog.xlsx: ")


def test_a_damaged_workbook_is_an_input_error_not_a_crash(tmp_path):
    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types><broken")
        archive.writestr("xl/workbook.xml", b"<workbook><broken")

    (issue,) = issues_of(path)

    assert issue.startswith("catalog.xlsx: the workbook cannot be read: ")


def test_a_zip_that_is_not_a_workbook_says_so(tmp_path):
    path = tmp_path / "catalog.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", b"<document/>")

    assert issues_of(path) == [
        "catalog.xlsx: this is a zip archive but not an Excel workbook (it has no xl/workbook.xml)."
    ]


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(file_name=st.sampled_from(sorted(p.name for p in TINY.glob("*.csv"))), junk=st.binary(max_size=60))
def test_any_damage_to_a_csv_is_an_input_error_never_a_crash(tmp_path, file_name, junk):
    folder = tmp_path / "catalog"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(TINY, folder)
    path = folder / file_name
    data = path.read_bytes()
    middle = len(data) // 2
    path.write_bytes(data[:middle] + junk + data[middle:])

    try:
        load_catalog(folder)
    except InputError as error:
        assert error.issues and all(issue.message.endswith((".", "?")) for issue in error.issues)
