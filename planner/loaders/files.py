"""Opening input files: every file a run reads comes through `read_input`, bounded and checked first.

The size a file reports cannot be trusted (a link to /dev/zero reports 0 bytes and never ends, a
pipe blocks until a writer comes), so only regular files are read, and never more than a limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from planner.errors import InputError, Issue
from planner.i18n import _
from planner.loaders.clock import check_time

# Limits for files from untrusted hands: a catalog is a few hundred rows, so anything near these
# sizes is a mistake or an attack (an .xlsx is a zip archive, and a tiny zip can inflate to gigabytes).
MAX_FILE_BYTES = 50 * 1024 * 1024


def refuse(label: str, message: str) -> InputError:
    return InputError([Issue(label, message)])


def read_input(path: Path, label: str, limit: int | None = None, missing: str | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them (default MAX_FILE_BYTES).

    Raises InputError naming `label` when the file is missing (`missing`, if given, says so in the
    caller's words), cannot be read, is not a regular file, or is larger than the limit.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        data = _read_regular(Path(path), label, limit)
    except FileNotFoundError:
        raise refuse(label, missing or _("the file {path} does not exist.", path=path)) from None
    except OSError as exc:
        raise refuse(label, _("the file cannot be read: {value}.", value=exc.strerror or exc)) from None
    if len(data) > limit:
        raise refuse(
            label, _("the file is larger than {value:g} MB; files that large are refused.", value=limit / 2**20)
        )
    check_time(label)
    return data


def _read_regular(path: Path, label: str, limit: int) -> bytes:
    # O_NONBLOCK: opening a pipe must not wait for a writer that never comes; regular files ignore it.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        kind = _kind(os.fstat(descriptor).st_mode)
    except OSError:
        os.close(descriptor)
        raise
    if kind is not None:  # checked before fdopen, which refuses a folder with its own words
        os.close(descriptor)
        where = "" if str(path) == label else f" ({path})"
        raise refuse(label, _("this is not a regular file but {kind}{where}; it is not read.", kind=kind, where=where))
    with os.fdopen(descriptor, "rb") as handle:
        return handle.read(limit + 1)


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in the user's words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a special file")
