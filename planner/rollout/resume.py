"""Resume: a campus is current when the fingerprint of its inputs and the options recorded in
its plan file match this run's; the national workbook says it is ours in its core properties."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from pathlib import Path
from typing import Any

from planner.errors import InputError, Issue, OutputError
from planner.i18n import _
from planner.loaders.files import read_input
from planner.loaders.json_file import read_json
from planner.rollout.file import CampusJob, Rollout
from planner.scenario import catalog_named_in


def inputs_fingerprint(job: CampusJob, limit: float | None) -> str:
    """sha256 of everything a campus's plan depends on: the scenario file, the overrides, the
    catalog's files and the campus folder's files. Missing files count as missing, not as errors."""
    digest = hashlib.sha256()
    digest.update(_file_bytes(job.scenario_path))
    digest.update(json.dumps(job.overrides, sort_keys=True, default=str).encode())
    catalog = catalog_named_in(job.scenario_path)
    if catalog is not None:
        digest.update(_tree_print(catalog).encode())
    folder = job.campus_folder
    if folder is not None:
        digest.update(_tree_print(folder).encode())
    return digest.hexdigest()


def _tree_print(path: Path) -> str:
    """sha256 of a file, or of a folder's own files (not its subfolders), by name."""
    if path.is_file():
        return hashlib.sha256(_file_bytes(path)).hexdigest()
    digest = hashlib.sha256()
    try:
        files = sorted(p for p in path.iterdir() if p.is_file())
    except OSError:
        return "missing"
    for file in files:
        digest.update(f"{file.name}\0".encode())
        digest.update(hashlib.sha256(_file_bytes(file)).digest())
    return digest.hexdigest()


def _file_bytes(path: Path) -> bytes:
    try:
        return read_input(path, path.name)
    except InputError:
        return b"\0missing"


def recorded_plan(plan_file: Path) -> dict[str, Any] | None:
    """The plan file a batch run wrote earlier (its fingerprint, options and summary), or None."""
    try:
        data = read_json(plan_file)
    except InputError:
        return None
    return data if isinstance(data, dict) and "inputs_fingerprint" in data else None


def is_national_workbook(path: Path) -> bool:
    """True when `path` is a national workbook a batch run wrote (its core properties say so)."""
    from planner.export.national import NATIONAL_MARKER

    try:
        with zipfile.ZipFile(path) as book:
            return NATIONAL_MARKER.encode() in book.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def campus_paths(rollout: Rollout, out: Path) -> tuple[Path, dict[str, tuple[Path, Path]]]:
    """The campuses' folder beside the national workbook (named after the rollout) and their files."""
    folder = out.parent / rollout.path.stem
    return folder, {job.key: (folder / f"{job.key}.xlsx", folder / f"{job.key}.json") for job in rollout.jobs}


def check_national_output(out: Path, force: bool) -> bool:
    """Whether the national workbook may be replaced: refused (exit 2) when it exists, is not one
    a batch run wrote, and --force is not given."""
    if out.suffix.lower() != ".xlsx":
        raise InputError([Issue("--out", _("'{path}' must end in .xlsx.", path=out))])
    if not os.path.lexists(out):
        return False
    if force or is_national_workbook(out):
        return True
    raise OutputError(
        _(
            "{path} exists and is not a national workbook of this planner; nothing was written. "
            "Use --force to replace it.",
            path=out,
        )
    )
