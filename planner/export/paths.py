"""Where outputs go, and paths as the outputs show them.

Before any work, a run checks every file it will write (`plan_outputs`, `one_output`, `refuse_inputs`): what
cannot be written is refused with exit 2, and so is any of the run's own inputs (the scenario,
a catalog table or workbook, the campus folder's tables, a reviewed workbook, a compared plan
file, a rollout file), even with --force: a run never replaces what it reads.

Workbooks travel to administrators, so they never show the designer's own folders: a path is
shown relative to the scenario's folder when it lies there or one level up (`../catalog`, the
usual layout); otherwise by its last name only.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from planner.errors import InputError, Issue, OutputError
from planner.i18n import _
from planner.model import Problem

EXPORTS = Path("exports")


def plan_outputs(
    scenario_path: Path, workbook: Path | None, plan_file: Path | None, force: bool, inputs: Sequence[Path]
) -> tuple[Path, Path]:
    """Where `plan` writes the workbook and the plan file, checked before any solving.

    An existing file, or a link, is refused without --force (the writer checks again at the moment
    it writes); what cannot be written, or is an input, is refused always.
    """
    workbook = workbook or EXPORTS / f"{scenario_path.stem}.xlsx"
    plan_file = plan_file or workbook.with_suffix(".json")
    issues = _xlsx_issues("--out", workbook) + _unwritable_issues([("--out", workbook), ("--json", plan_file)], inputs)
    if not issues and same_file(workbook, plan_file):
        issues.append(Issue("--json", _("the plan file and the workbook must be different files.")))
    if issues:
        raise InputError(issues)
    refuse_existing((workbook, plan_file), force)
    return workbook, plan_file


def one_output(option: str, path: Path, force: bool, inputs: Sequence[Path], workbook: bool = True) -> Path:
    """A command's single output (compare's workbook, explain's report), checked before any work."""
    issues = (_xlsx_issues(option, path) if workbook else []) + _unwritable_issues([(option, path)], inputs)
    if issues:
        raise InputError(issues)
    refuse_existing((path,), force)
    return path


def refuse_inputs(files: Sequence[tuple[str, Path]], inputs: Sequence[Path]) -> None:
    """Refuse (exit 2) outputs that would replace an input of the run; whether the others can be
    written, or may replace what exists, is left to the caller's own policy."""
    issues = []
    guard = InputGuard(inputs)  # a rollout checks two outputs a campus against every campus's inputs
    for option, path in files:
        problem = guard.replaced_by(path)
        if problem:
            issues.append(Issue(option, _("'{path}' cannot be written: {problem}.", path=path, problem=problem)))
    if issues:
        raise InputError(issues)


def refuse_existing(paths: Sequence[Path], force: bool) -> None:
    existing = [p for p in paths if os.path.lexists(p)]
    if existing and not force:
        if len(existing) == 1:
            message = _("{path} already exists; nothing was written. Use --force to overwrite.", path=existing[0])
        else:
            message = _(
                "{first} and {second} already exist; nothing was written. Use --force to overwrite.",
                first=existing[0],
                second=existing[1],
            )
        raise OutputError(message)


def _xlsx_issues(option: str, path: Path) -> list[Issue]:
    if path.suffix.lower() != ".xlsx":
        return [Issue(option, _("'{path}' must end in .xlsx.", path=path))]
    return []


def _unwritable_issues(files: Sequence[tuple[str, Path]], inputs: Sequence[Path]) -> list[Issue]:
    issues = []
    for option, path in files:
        problem = unwritable(path, inputs)
        if problem:
            issues.append(Issue(option, _("'{path}' cannot be written: {problem}.", path=path, problem=problem)))
    return issues


def unwritable(path: Path, inputs: Sequence[Path] = ()) -> str | None:
    """Why a file could not be created or replaced at `path`, or None."""
    if path.name in ("", ".", ".."):
        return _("it names a folder, not a file")
    folder = _nearest_existing(path.parent)
    if folder.is_symlink() and not folder.exists():
        return _("'{folder}' is a link to a missing folder", folder=folder)
    if not folder.is_dir():
        return _("'{folder}' is a file, not a folder", folder=folder)
    longest = _name_max(folder)
    for part in path.parts:
        if len(os.fsencode(part)) > longest:
            return _(
                "the name '{name}...' is {size} bytes; at most {longest} fit here",
                name=part[:24],
                size=len(os.fsencode(part)),
                longest=longest,
            )
    if path.is_dir():
        return _("it is a folder")
    read = input_replaced_by(path, inputs)
    if read is not None:
        return read
    if not os.access(folder, os.W_OK | os.X_OK):
        return _("the folder '{folder}' is not writable", folder=folder)
    return None


def input_replaced_by(path: Path, inputs: Sequence[Path]) -> str | None:
    """Why writing `path` would replace an input of the run, or None (InputGuard.replaced_by)."""
    return InputGuard(inputs).replaced_by(path)


class InputGuard:
    """A run's inputs, each resolved once: an output is then checked against all of them with a
    lookup, not a comparison with each (a rollout of 300 campuses checks 600 outputs against 900
    inputs; comparing pairs took the client half a minute before any campus was planned)."""

    def __init__(self, inputs: Sequence[Path]) -> None:
        self.files: dict[object, Path] = {}
        self.folders: dict[object, Path] = {}
        for given in inputs:
            keys = _identities(given)
            for key in keys:
                self.files.setdefault(key, given)
            if given.is_dir():
                for key in keys:
                    self.folders.setdefault(key, given)

    def replaced_by(self, path: Path) -> str | None:
        """Why writing `path` would replace an input, or None: it is an input file (the same path,
        or a link to one), or an existing file in an input folder (a catalog's table, a campus folder's)."""
        if any(key in self.files for key in _identities(path)):
            return _("it is an input file of this run")
        if path.is_file():
            for key in _identities(path.parent):
                if key in self.folders:
                    return _("it is a file of the input folder '{folder}' of this run", folder=self.folders[key])
        return None


def _identities(path: Path) -> list[object]:
    """What makes two paths one file: the resolved path, and for one that exists its device and
    inode (a hard link resolves elsewhere)."""
    try:
        keys: list[object] = [path.resolve()]
    except OSError:
        return []
    try:
        status = path.stat()
    except OSError:
        return keys
    return [*keys, (status.st_dev, status.st_ino)]


def _nearest_existing(folder: Path) -> Path:
    while not os.path.lexists(folder) and folder != folder.parent:
        folder = folder.parent
    return folder


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        return 255  # the limit of every common file system


def same_file(a: Path, b: Path) -> bool:
    return bool(set(_identities(a)) & set(_identities(b)))


def shown_path(path: Path | str, scenario: Path | None) -> str:
    """`path` without the absolute part: relative to the scenario's folder, or just its name."""
    path = Path(path)
    if scenario is None:
        return path.name
    try:
        relative = Path(os.path.relpath(path.resolve(), scenario.resolve().parent))
    except ValueError:  # another drive, on Windows
        return path.name
    return relative.as_posix() if relative.parts.count("..") <= 1 else path.name


def catalog_source(problem: Problem) -> str:
    """The catalog the plan was made from, as the plan file and the workbook name it."""
    return shown_path(problem.catalog.source, problem.scenario.path)
