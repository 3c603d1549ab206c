"""Published instances with known optima, converted into planner catalogs and scenarios.

- CSPLib prob030, the Balanced Academic Curriculum Problem: courses become modules (hours =
  credits), every module is required, and the `balance` objective is the published optimum.
- OR-Library set covering, set 4 (Beasley 1987): rows become skills, columns become modules
  (hours = cost), one sector demands every skill with min_coverage 1, and the `hours` objective
  is the published optimum.

The data files live in shared/benchmarks/ beside the repository (see its README.md).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from benchmarks.files import Instance
from planner.model import Catalog, Demand, Module, ModuleSkill, Prerequisite, Scenario, Sector, SectorGoal, Skill

DATA = Path(os.environ.get("PLANNER_BENCHMARK_DATA", Path(__file__).resolve().parents[2] / "shared" / "benchmarks"))

# name: (optimum = smallest largest term load, courses, prerequisite pairs), from the data README.
BACP = {"bacp8": (17, 46, 33), "bacp10": (14, 42, 34), "bacp12": (17, 66, 65)}
# name: optimum = least total cost of a cover.
SCP = {
    "scp41": 429,
    "scp42": 512,
    "scp43": 516,
    "scp44": 494,
    "scp45": 512,
    "scp46": 560,
    "scp47": 430,
    "scp48": 492,
    "scp49": 641,
    "scp410": 514,
}
NAMES = (*BACP, *SCP)


def instance(name: str) -> Instance:
    """The published instance `name` (e.g. "bacp12", "scp41") as a catalog and scenario."""
    if name in BACP:
        return bacp_instance(name, parse_bacp((DATA / "bacp" / f"{name}.dat").read_text()))
    if name in SCP:
        return scp_instance(name, parse_scp((DATA / "scp" / f"{name}.txt").read_text()))
    raise KeyError(f"unknown published instance '{name}'; known: {', '.join(NAMES)}")


# --- BACP ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bacp:
    terms: int  # p
    load_min: int  # a
    load_max: int  # b
    courses_min: int  # c
    courses_max: int  # d
    courses: tuple[str, ...]
    credits: tuple[int, ...]
    prerequisites: tuple[tuple[str, str], ...]  # (course, the course it needs)


def parse_bacp(text: str) -> Bacp:
    """Read a CSPLib BACP .dat file (OPL syntax).

    The files are hand-edited: some `/* ... */` comments are never closed, and bacp12 misses
    commas between prerequisite pairs, so pairs are read one `<x,y>` at a time.
    """
    text = _strip_comments(text)

    def scalar(key: str) -> int:
        found = re.search(rf"\b{key}\s*=\s*(\d+)\s*;", text)
        if found is None:
            raise ValueError(f"BACP data has no '{key} = <number>;' line.")
        return int(found.group(1))

    courses = re.findall(r"\w+", _block(text, "courses", "{", "}"))
    credits = [int(c) for c in re.findall(r"\d+", _block(text, "credit", "[", "]"))]
    # bacp8 lists five pairs twice; a prerequisite is a fact, so each counts once.
    pairs = list(dict.fromkeys(re.findall(r"<\s*(\w+)\s*,\s*(\w+)\s*>", _block(text, "prereq", "{", "}"))))
    if len(courses) != len(credits):
        raise ValueError(f"BACP data has {len(courses)} courses but {len(credits)} credits.")
    unknown = sorted({c for pair in pairs for c in pair} - set(courses))
    if unknown:
        raise ValueError(f"BACP prerequisites name unknown courses: {', '.join(unknown)}.")
    return Bacp(
        terms=scalar("p"),
        load_min=scalar("a"),
        load_max=scalar("b"),
        courses_min=scalar("c"),
        courses_max=scalar("d"),
        courses=tuple(courses),
        credits=tuple(credits),
        prerequisites=tuple(pairs),
    )


def _strip_comments(text: str) -> str:
    """Drop `%` and `//` line comments and `/* */` block comments.

    A block comment whose body runs into a line like `name = ...` was never closed by its
    author: it ends at the end of its first line instead of swallowing the data.
    """
    text = re.sub(r"(%|//).*", "", text)
    out, pos = [], 0
    while (start := text.find("/*", pos)) != -1:
        out.append(text[pos:start])
        end = text.find("*/", start + 2)
        body = text[start + 2 : end] if end != -1 else text[start + 2 :]
        if end == -1 or re.search(r"^\s*\w+\s*=", body, re.MULTILINE):
            line_end = text.find("\n", start)
            pos = len(text) if line_end == -1 else line_end
        else:
            pos = end + 2
    out.append(text[pos:])
    return "".join(out)


def _block(text: str, key: str, opening: str, closing: str) -> str:
    found = re.search(rf"\b{key}\s*=\s*{re.escape(opening)}(.*?){re.escape(closing)}", text, re.DOTALL)
    if found is None:
        raise ValueError(f"BACP data has no '{key} = {opening} ... {closing}' block.")
    return found.group(1)


def bacp_instance(name: str, data: Bacp) -> Instance:
    """Every course a required module in career "BACP"; no skills, so coverage plays no part."""
    optimum, courses, pairs = BACP[name]
    if (len(data.courses), len(data.prerequisites)) != (courses, pairs):
        raise ValueError(
            f"{name}: read {len(data.courses)} courses and {len(data.prerequisites)} prerequisite "
            f"pairs, the published instance has {courses} and {pairs}."
        )
    catalog = Catalog(
        sectors=(Sector("curriculum", "Balanced curriculum (no skill demands)", 1),),
        skills=(),
        demands=(),
        modules=tuple(Module(c, c, "BACP", h) for c, h in zip(data.courses, data.credits, strict=True)),
        module_skills=(),
        prerequisites=tuple(Prerequisite(course, needs) for course, needs in data.prerequisites),
        source=name,
    )
    scenario = Scenario(
        name=f"CSPLib prob030 {name}",
        terms=data.terms,
        required_modules=data.courses,
        objective=("balance",),
        term_hours_min=data.load_min,
        term_hours_max=data.load_max,
        modules_per_term_min=data.courses_min,
        modules_per_term_max=data.courses_max,
    )
    return Instance(name, "bacp", catalog, scenario, optimum)


# --- set covering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SetCover:
    costs: tuple[int, ...]  # per column
    rows: tuple[tuple[int, ...], ...]  # per row: the 0-based columns covering it


def parse_scp(text: str) -> SetCover:
    """Read an OR-Library scp file: rows, columns, column costs, then per row a count and columns."""
    numbers = iter(int(token) for token in text.split())
    n_rows, n_columns = next(numbers), next(numbers)
    costs = tuple(next(numbers) for _ in range(n_columns))
    rows = []
    for _ in range(n_rows):
        count = next(numbers)
        rows.append(tuple(next(numbers) - 1 for _ in range(count)))
    if next(numbers, None) is not None:
        raise ValueError("set-covering data has numbers left over after the last row.")
    if any(not 0 <= c < n_columns for row in rows for c in row):
        raise ValueError("set-covering data names a column outside 1..columns.")
    return SetCover(costs, tuple(rows))


def scp_instance(name: str, data: SetCover) -> Instance:
    """Columns as modules teaching their rows at level 1; one sector needs every row."""
    skills = tuple(Skill(f"R{r + 1:03d}", f"Row {r + 1}", "set covering") for r in range(len(data.rows)))
    modules = tuple(Module(f"C{c + 1:04d}", f"Column {c + 1}", "SCP", cost) for c, cost in enumerate(data.costs))
    catalog = Catalog(
        sectors=(Sector("cover", "Cover every row", 1),),
        skills=skills,
        demands=tuple(Demand("cover", s.skill_id, 1, 1) for s in skills),
        modules=modules,
        module_skills=tuple(
            ModuleSkill(modules[c].module_id, skills[r].skill_id, 1)
            for r, columns in enumerate(data.rows)
            for c in columns
        ),
        source=name,
    )
    scenario = Scenario(
        name=f"OR-Library set covering {name}",
        terms=1,
        objective=("hours",),
        sectors=(SectorGoal("cover", Fraction(1)),),
    )
    return Instance(name, "scp", catalog, scenario, SCP[name])
