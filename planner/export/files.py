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


def write_atomically(path: Path, write: Callable[[BinaryIO], object], force: bool = False) -> None:
    """Write a file through `write(handle)` into a temporary file beside `path`, then rename it.

    Refuses to replace an existing file unless `force`; on any error the temporary file is removed
    and the target is left as it was. Raises OutputError with a sentence for the user.
    """
    path = Path(path)
    if path.exists() and not force:
        raise OutputError(f"{path} already exists; use --force to overwrite it.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Same folder as the target, so os.replace is a rename within one file system.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"Cannot write {path}: {error.strerror or error}.") from error
    try:
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; give it the permissions a normal new file would get.
        os.chmod(temporary, 0o666 & ~_current_umask())
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"Cannot write {path}: {error.strerror or error}.") from error
        raise


def _current_umask() -> int:
    # The only portable way to read the umask is to set it and put it back.
    mask = os.umask(0)
    os.umask(mask)
    return mask
