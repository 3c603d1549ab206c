"""A campus folder brings its own roster and labs; the catalog's modules and skills stay shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner.catalog import load_catalog
from planner.errors import InputError
from planner.planning import load_problem

FIXTURES = Path(__file__).parent / "fixtures"
CATALOG = FIXTURES / "tiny_catalog"
CAMPUS = FIXTURES / "tiny_campus"


def test_the_campus_roster_and_labs_replace_the_catalogs():
    catalog = load_catalog(CATALOG, CAMPUS)
    assert [i.instructor_id for i in catalog.instructors] == ["MXL-01", "MXL-02"]
    assert catalog.instructors[0].min_hours_per_term == 144 and catalog.instructors[0].cost_per_hour == 260
    assert {q.instructor_id for q in catalog.qualifications} == {"MXL-01", "MXL-02"}
    # The campus has a smaller cleanroom and no wire bonder: the bonder keeps its name, with 0 h.
    assert [(lab.lab_id, lab.name, lab.max_hours_per_term) for lab in catalog.labs] == [
        ("LAB-CR", "Cuarto limpio", 180),
        ("LAB-WB", "Wire bonder", 0),
    ]


def test_a_module_needing_a_lab_the_campus_lacks_can_never_be_taken(tmp_path):
    scenario = tmp_path / "campus.toml"
    scenario.write_text(f'name = "campus"\ncatalog = "{CATALOG}"\ncampus = "{CAMPUS}"\nterms = 3\n', encoding="utf-8")
    problem = load_problem(scenario)
    blocked = {problem.candidates[i].module_id: why for i, why in problem.blocked.items()}
    assert blocked["SEEN-01"] == "lab LAB-WB has 0 h per term; its 1 group(s) need 90 h"


def test_the_campus_is_part_of_the_fingerprint():
    assert load_catalog(CATALOG, CAMPUS).fingerprint != load_catalog(CATALOG).fingerprint


def test_a_missing_campus_folder_is_named(tmp_path):
    with pytest.raises(InputError) as caught:
        load_catalog(CATALOG, tmp_path / "tijuana")
    assert [str(i) for i in caught.value.issues] == [
        f"{tmp_path / 'tijuana'}: the campus folder (scenario key campus) does not exist."
    ]


def test_a_campus_file_with_wrong_columns_is_named_with_its_folder(tmp_path):
    campus = tmp_path / "mexicali"
    shutil.copytree(CAMPUS, campus)
    (campus / "labs.csv").write_text("lab,name,hours\nLAB-CR,Cuarto limpio,180\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalog(CATALOG, campus)
    issues = [str(i) for i in caught.value.issues]
    assert "mexicali/labs.csv row 1, column lab_id: the header row has no column 'lab_id'." in issues
    assert (
        "mexicali/labs.csv row 1, column max_hours_per_term: the header row has no column 'max_hours_per_term'."
        in issues
    )


def test_a_campus_qualification_must_name_a_campus_instructor(tmp_path):
    campus = tmp_path / "mexicali"
    shutil.copytree(CAMPUS, campus)
    with (campus / "qualifications.csv").open("a", encoding="utf-8") as f:
        f.write("DOC-01,MCEL-02\n")  # a catalog instructor, not on this campus's roster
    with pytest.raises(InputError) as caught:
        load_catalog(CATALOG, campus)
    assert [str(i) for i in caught.value.issues] == [
        "mexicali/qualifications.csv row 7, column instructor_id: there is no instructor_id 'DOC-01' in "
        "mexicali/instructors.csv."
    ]
