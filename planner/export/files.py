"""Atomic file writing shared by the workbook and the plan file.

An administrator may have yesterday's workbook open, or a designer may rerun a plan by mistake:
a file is never overwritten silently, and a failed write never leaves a half-written target.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from planner.errors import OutputError

Writer = Callable[[BinaryIO], object]


def write_atomically(path: Path, write: Writer, force: bool = False) -> None:
    """Write a file through `write(handle)` into a temporary file beside `path`, then rename it."""
    write_together([(Path(path), write)], force)


def write_together(files: list[tuple[Path, Writer]], force: bool = False) -> None:
    """Write several files so that either all of them appear or none does.

    Each is written in full to a temporary file beside its target first; only when all are written
    are they renamed into place. Refuses to replace an existing file unless `force`; on any error
    the temporary files are removed and the targets are left as they were. Raises OutputError with
    a sentence for the user.
    """
    for path, _ in files:
        if path.exists() and not force:
            raise OutputError(f"{path} already exists; use --force to overwrite it.")
    staged: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path()
    try:
        for current, write in files:
            staged.append((_stage(current, write), current))
        for temporary, current in staged:
            os.replace(temporary, current)
    except BaseException as error:
        for temporary, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"Cannot write {current}: {error.strerror or error}.") from error
        raise


def _stage(path: Path, write: Writer) -> str:
    """The finished temporary file for `path`, in the same folder so the rename stays on one disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; give it the permissions a normal new file would get.
        os.chmod(temporary, 0o666 & ~_current_umask())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return temporary


def _current_umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0)
    os.umask(mask)
    return mask
