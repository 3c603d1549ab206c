"""Atomic, exclusive writing of the workbook and the plan file, together.

An administrator may have yesterday's workbook open, two designers may run the same plan at once,
a disk may fill up or a run may be stopped. What holds, as with git or rsync:

- Whole files only: each file is rendered in memory, written in full to a temporary file in its
  target's folder and flushed to disk, and only then given its name.
- Never overwritten without `force`, even by a run that started at the same moment: a new name is
  made with a hard link, which fails if anything at all has that name (a dangling link too).
- Both or neither: with `force`, each replaced file is kept under a backup link until every file
  is in place, and put back if a later one fails. The renames run with stop signals held, so
  Ctrl-C or SIGTERM cannot split them; earlier, they remove the temporary files.
- kill -9 cannot be caught: the temporary files it strands are named `.planner-PID-XXXXXXXX.tmp`
  (short, so any legal target name works) and the next run writing to that folder removes those
  whose process is gone.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from planner.errors import OutputError
from planner.i18n import _
from planner.signals import held

Writer = Callable[[BinaryIO], object]

_OURS = re.compile(r"\.planner-(\d+)-[0-9a-f]{8}\.(?:tmp|bak)")
# errno values of file systems without hard links (FAT and exFAT USB drives, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}


def write_atomically(path: Path, write: Writer, force: bool = False) -> None:
    """Write a file through `write(handle)` into a temporary file beside `path`, then rename it."""
    write_together([(Path(path), write)], force)


def write_together(files: list[tuple[Path, Writer]], force: bool = False) -> None:
    """Write several files so that either all of them appear (or replace their targets) or none does.

    Refuses to replace an existing file unless `force`. On any error or interruption the temporary
    files are removed and the targets are left as they were. Raises OutputError with a sentence
    for the user.
    """
    targets = [Path(path) for path, _ in files]
    if not force:
        for target in targets:
            if os.path.lexists(target):
                raise OutputError(_exists(target))
    contents = [_render(write) for _, write in files]  # before touching the disk: a writer may fail
    staged: list[Path] = []
    made: list[Path] = []
    try:
        for target, data in zip(targets, contents, strict=True):
            made += _make_parents(target.parent)
            _remove_stale(target.parent)
            _stage(target, data, staged)
        with held():
            (_replace_all if force else _create_all)(list(zip(staged, targets, strict=True)))
            made.clear()
    finally:
        with held():
            for temporary in staged:
                _remove(temporary)
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()


def _render(write: Writer) -> bytes:
    """The file's bytes, made in memory: a writer failing half-way (or a zip left half closed by a
    full disk) then never touches the disk, and the disk write is one plain copy of bytes."""
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


def _exists(target: Path) -> str:
    if target.is_symlink() and not target.exists():
        return _(
            "{target} already exists (a link to a missing file); nothing was written. Use --force to overwrite.",
            target=target,
        )
    return _("{target} already exists; nothing was written. Use --force to overwrite.", target=target)


def _failed(target: Path, error: OSError) -> OutputError:
    return OutputError(
        _("Cannot write {target}: {problem}; nothing was written.", target=target, problem=os_problem(error))
    )


def os_problem(error: OSError) -> str:
    """The system's reason for a failed write (its own English words), translated where it is a common one."""
    known = {
        errno.EACCES: _("Permission denied"),
        errno.EPERM: _("Operation not permitted"),
        errno.ENOSPC: _("No space left on device"),
        errno.EROFS: _("Read-only file system"),
        errno.ENOENT: _("No such file or directory"),
        errno.EISDIR: _("Is a directory"),
        errno.ENAMETOOLONG: _("File name too long"),
    }
    return known.get(error.errno or 0) or str(error.strerror or error)


def _make_parents(folder: Path) -> list[Path]:
    """Create the missing folders above a target; returns them, outermost first, to undo on failure."""
    missing: list[Path] = []
    while not os.path.lexists(folder) and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    for new in reversed(missing):
        try:
            new.mkdir()
        except FileExistsError:
            continue  # another run made it meanwhile
        except OSError as error:
            for done in reversed(made):
                with contextlib.suppress(OSError):
                    done.rmdir()
            raise _failed(new, error) from None
        made.append(new)
    return made


def _temporary_name(folder: Path, kind: str) -> Path:
    return folder / f".planner-{os.getpid()}-{secrets.token_hex(4)}.{kind}"


def _stage(target: Path, data: bytes, staged: list[Path]) -> None:
    """Write `data` to a new temporary file beside `target`, flushed to disk, and add it to `staged`."""
    while True:
        temporary = _temporary_name(target.parent, "tmp")
        with held():  # so that a signal cannot come between creating the file and recording it
            try:
                # O_EXCL: never write into someone else's file; 0o666 minus the umask, like any new file.
                descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            except FileExistsError:
                continue
            except OSError as error:
                raise _failed(target, error) from None
            staged.append(temporary)
        break
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        raise _failed(target, error) from None


def _create_all(pairs: list[tuple[Path, Path]]) -> None:
    """Give each temporary file its target name, only where no file has that name (no --force)."""
    created: list[Path] = []
    try:
        for temporary, target in pairs:
            _create(temporary, target)
            created.append(target)
        _sync_folders(target for _, target in pairs)
    except BaseException:
        for target in created:
            _remove(target)
        raise


def _create(temporary: Path, target: Path) -> None:
    try:
        os.link(temporary, target)  # atomic, and fails if the name is taken: the check and the write are one step
    except FileExistsError:
        raise OutputError(
            _(
                "{target} was created by someone else while this run was solving; nothing was written. "
                "Use --force to overwrite.",
                target=target,
            )
        ) from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise _failed(target, error) from None
        _create_without_links(temporary, target)


def _create_without_links(temporary: Path, target: Path) -> None:
    """Where hard links are missing, claim the name with an exclusive create, then rename over it."""
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        raise OutputError(_exists(target)) from None
    except OSError as error:
        raise _failed(target, error) from None
    try:
        os.replace(temporary, target)
    except OSError as error:
        _remove(target)
        raise _failed(target, error) from None


def _replace_all(pairs: list[tuple[Path, Path]]) -> None:
    """Put each temporary file in place of its target (--force), undoing them all if one fails."""
    backups: list[Path] = []
    replaced: list[tuple[Path, Path | None]] = []
    try:
        for temporary, target in pairs:
            backup = _backup(target)
            if backup is not None:
                backups.append(backup)
            try:
                os.replace(temporary, target)
            except OSError as error:
                raise _failed(target, error) from None
            replaced.append((target, backup))
        _sync_folders(target for _, target in pairs)
    except BaseException:
        for target, backup in reversed(replaced):
            if backup is None:
                _remove(target)
            else:
                with contextlib.suppress(OSError):
                    os.replace(backup, target)
        raise
    finally:
        for backup in backups:
            _remove(backup)


def _backup(target: Path) -> Path | None:
    """A second name for the file at `target`, so it can be put back; None if there is none."""
    if not os.path.lexists(target):
        return None
    if target.is_dir():
        raise OutputError(_("Cannot write {target}: it is a folder; nothing was written.", target=target))
    while True:
        backup = _temporary_name(target.parent, "bak")
        try:
            os.link(target, backup, follow_symlinks=False)
            return backup
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise _failed(target, error) from None
        try:
            shutil.copy2(target, backup, follow_symlinks=False)
            return backup
        except OSError as error:
            _remove(backup)
            raise _failed(target, error) from None


def _sync_folders(targets: Iterable[Path]) -> None:
    """Flush the folders' new entries too, so a power cut cannot lose a rename that was reported."""
    for folder in {t.parent for t in targets}:
        with contextlib.suppress(OSError):  # some systems cannot open a folder for syncing; best effort
            descriptor = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)


def _remove_stale(folder: Path) -> None:
    """Remove temporary files that an earlier run, killed outright, left in this folder."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _OURS.fullmatch(name)
        if match and not _alive(int(match.group(1))):
            _remove(folder / name)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or not knowable: leave its files alone
    return True


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
