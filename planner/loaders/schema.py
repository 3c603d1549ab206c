"""The catalog's tables as data: their names, columns, keys and the references between them.

Adding a table means adding it here and giving it a row reader in planner/loaders/rows.py.
"""

from __future__ import annotations

REQUIRED_TABLES = ("sectors", "skills", "demands", "modules", "module_skills")
OPTIONAL_TABLES = (
    "prerequisites",
    "instructors",
    "qualifications",
    "labs",
    "module_labs",
    "training",
    "commitments",
    "lab_commitments",
    "tracks",
    "track_modules",
)
# A campus folder's own roster, labs and commitments replace the catalog's tables of the same name.
CAMPUS_TABLES = ("instructors", "qualifications", "labs", "training", "commitments", "lab_commitments")

# Required columns per table; modules also have the optional term window below.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sectors": ("sector_id", "name", "weight"),
    "skills": ("skill_id", "name", "cluster"),
    "demands": ("sector_id", "skill_id", "level", "importance"),
    "modules": ("module_id", "name", "career", "hours"),
    "module_skills": ("module_id", "skill_id", "level"),
    "prerequisites": ("module_id", "prerequisite_id"),
    "instructors": ("instructor_id", "name", "max_hours_per_term"),
    "qualifications": ("instructor_id", "module_id"),
    "labs": ("lab_id", "name", "max_hours_per_term"),
    "module_labs": ("module_id", "lab_id"),
    "training": ("instructor_id", "module_id", "cost"),
    "commitments": ("instructor_id", "period", "hours"),
    "lab_commitments": ("lab_id", "period", "hours"),
    "tracks": ("track_id", "name", "career"),
    "track_modules": ("track_id", "module_id"),
}
MODULE_WINDOW = ("earliest_term", "latest_term", "dual_hours")  # the modules' optional columns

# The columns that identify a row: a second row with the same values is a duplicate.
KEYS: dict[str, tuple[str, ...]] = {
    "sectors": ("sector_id",),
    "skills": ("skill_id",),
    "demands": ("sector_id", "skill_id"),
    "modules": ("module_id",),
    "module_skills": ("module_id", "skill_id"),
    "prerequisites": ("module_id", "prerequisite_id"),
    "instructors": ("instructor_id",),
    "qualifications": ("instructor_id", "module_id"),
    "labs": ("lab_id",),
    "module_labs": ("module_id", "lab_id"),
    "training": ("instructor_id", "module_id"),
    "commitments": (),  # several rows for one instructor and period add up
    "lab_commitments": (),
    "tracks": ("track_id",),
    "track_modules": ("track_id", "module_id"),
}

# (table, column) -> (table, column) whose ids it must name.
REFERENCES: dict[tuple[str, str], tuple[str, str]] = {
    ("demands", "sector_id"): ("sectors", "sector_id"),
    ("demands", "skill_id"): ("skills", "skill_id"),
    ("module_skills", "module_id"): ("modules", "module_id"),
    ("module_skills", "skill_id"): ("skills", "skill_id"),
    ("prerequisites", "module_id"): ("modules", "module_id"),
    ("prerequisites", "prerequisite_id"): ("modules", "module_id"),
    ("qualifications", "instructor_id"): ("instructors", "instructor_id"),
    ("qualifications", "module_id"): ("modules", "module_id"),
    ("module_labs", "module_id"): ("modules", "module_id"),
    ("module_labs", "lab_id"): ("labs", "lab_id"),
    ("training", "instructor_id"): ("instructors", "instructor_id"),
    ("training", "module_id"): ("modules", "module_id"),
    ("commitments", "instructor_id"): ("instructors", "instructor_id"),
    ("lab_commitments", "lab_id"): ("labs", "lab_id"),
    ("track_modules", "track_id"): ("tracks", "track_id"),
    ("track_modules", "module_id"): ("modules", "module_id"),
}
