"""Opening input files: every file a run reads comes through here, bounded and checked first."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from planner.errors import InputError, Issue
from planner.i18n import _

# Limits for files from untrusted hands: a catalog is a few hundred rows, so anything near these
# sizes is a mistake or an attack (an .xlsx is a zip archive, and a tiny zip can inflate to gigabytes).
MAX_FILE_BYTES = 50 * 1024 * 1024


def refuse(label: str, message: str) -> InputError:
    return InputError([Issue(label, message)])


def read_bytes(path: Path, label: str) -> bytes:
    """The file's bytes, reading no more than the limit: the size a file reports cannot be trusted
    (a link to /dev/zero reports 0 bytes and never ends), so devices, pipes and sockets are refused."""
    # O_NONBLOCK: opening a pipe must not wait for a writer that never comes; regular files ignore it.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise refuse(
                label, _("this is not a regular file (a folder, a device, a pipe or a socket); it is not read.")
            )
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise refuse(
            label,
            _("the file is larger than {value:g} MB; files that large are refused.", value=MAX_FILE_BYTES / 2**20),
        )
    return data
