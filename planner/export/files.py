"""Atomic, exclusive writing of the workbook and the plan file, together.

An administrator may have yesterday's workbook open, two designers may run the same plan at once,
a disk may fill up or a run may be stopped or killed. What holds, as with git or rsync:

- Whole files only: each file is rendered in memory, written in full to a temporary file in its
  target's folder and flushed to disk, and only then given its name.
- Never overwritten without `force`, even by a run that started at the same moment: a new name is
  made with a hard link, which fails if anything at all has that name (a dangling link too).
- Never an input: the run's own input files (`protected`) are refused even with `force`.
- Both or neither, whatever happens. The names are given under an exclusive lock on the targets'
  folders (so two runs never interleave their pairs), with stop signals held, and after a journal
  naming every target, its new file and a backup link to the file it replaces has been flushed
  to disk. A failure puts the earlier files back; a run killed outright (kill -9, a power cut)
  leaves its journal, and the next run writing to that folder finishes the replacement (every
  new file was in place) or undoes it (puts the backups back) before anything else.
- The temporary files a killed run strands are named `.planner-PID-XXXXXXXX.tmp` (short, so any
  legal target name works); the next run writing to that folder removes those whose process is
  gone, once no journal needs them.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from planner.errors import OutputError
from planner.i18n import _
from planner.signals import checkpoint, held, pause_point

Writer = Callable[[BinaryIO], object]

_OURS = re.compile(r"\.planner-(\d+)-[0-9a-f]{8}\.(tmp|bak|journal)")
# errno values of file systems without hard links (FAT and exFAT USB drives, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}


def write_atomically(
    path: Path, write: Writer, force: bool = False, protected: Sequence[Path] = (), done: list[Path] | None = None
) -> None:
    """Write a file through `write(handle)` into a temporary file beside `path`, then rename it."""
    write_together([(Path(path), write)], force, protected, done)


def write_together(
    files: list[tuple[Path, Writer]],
    force: bool = False,
    protected: Sequence[Path] = (),
    done: list[Path] | None = None,
) -> None:
    """Write several files so that either all of them appear (or replace their targets) or none does.

    Refuses to replace an existing file unless `force`, and a `protected` file (an input of the
    run) always. On any error or interruption the temporary files are removed and the targets are
    left as they were. Raises OutputError with a sentence for the user. The targets are added to
    `done` the moment they are all in place, so a signal delivered right after finds them there.
    """
    targets = [Path(path) for path, _ in files]
    checkpoint()  # a signal kept since an import stops the run before anything is written
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
            _stage(target, data, staged)
        folders = sorted({os.path.realpath(t.parent) for t in targets})
        with _locked(folders), held():
            for place in folders:
                recover(Path(place))
            _refuse_inputs(targets, protected)
            _commit(list(zip(staged, targets, strict=True)), force)
            if done is not None:
                done.extend(targets)
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


@dataclass(frozen=True)
class _Entry:
    """One file of a replacement: its target, the new file's temporary name and identity (device,
    inode: what the target is once renamed), and the backup of the file it replaces, if any."""

    target: str
    temporary: str
    new: tuple[int, int]
    backup: str | None

    def renamed(self) -> bool:
        try:
            info = os.stat(self.target, follow_symlinks=False)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == tuple(self.new)


def _commit(pairs: list[tuple[Path, Path]], force: bool) -> None:
    """Give each temporary file its target's name, journalled so that a kill at any instant leaves
    what the next run can finish or undo; on an error here, undo at once."""
    entries: list[_Entry] = []
    journals: list[Path] = []
    try:
        for temporary, target in pairs:
            info = os.stat(temporary)
            backup = _backup(target) if force else None
            kept = None if backup is None else str(backup)
            entries.append(_Entry(str(target), str(temporary), (info.st_dev, info.st_ino), kept))
        journals = _write_journals(entries)
        pause_point("journal")
        for n, (temporary, target) in enumerate(pairs, start=1):
            (_replace if force else _create)(temporary, target)
            pause_point(f"renamed-{n}")
        _sync_folders(target for _, target in pairs)
    except BaseException:
        _undo(entries)
        _forget(entries, journals)
        raise
    _forget(entries, journals)


def _replace(temporary: Path, target: Path) -> None:
    if os.path.isdir(target):
        raise OutputError(_("Cannot write {target}: it is a folder; nothing was written.", target=target))
    try:
        os.replace(temporary, target)
    except OSError as error:
        raise _failed(target, error) from None


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


def _write_journals(entries: list[_Entry]) -> list[Path]:
    """The same journal in every folder the replacement touches, flushed to disk before any rename,
    so the next run writing to any of them finds it."""
    folders = sorted({os.path.dirname(e.target) for e in entries})
    journals = [_temporary_name(Path(folder), "journal") for folder in folders]
    text = json.dumps(
        {"entries": [e.__dict__ for e in entries], "journals": [str(j) for j in journals]}, ensure_ascii=False
    )
    written: list[Path] = []
    try:
        for journal in journals:
            _write_whole(journal, text)
            written.append(journal)
        _sync_folders(journals)
    except OSError as error:
        for journal in written:
            _remove(journal)
        raise _failed(Path(entries[0].target), error) from None
    return journals


def _write_whole(path: Path, text: str) -> None:
    """A small file that is whole or absent: written aside, flushed, then renamed."""
    draft = _temporary_name(path.parent, "tmp")
    try:
        with open(draft, "x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(draft, path)
    finally:
        _remove(draft)


def _undo(entries: list[_Entry]) -> None:
    """Put back what each renamed target replaced (or remove it where there was nothing)."""
    for entry in reversed(entries):
        if not entry.renamed():
            continue
        with contextlib.suppress(OSError):
            if entry.backup is not None and os.path.lexists(entry.backup):
                os.replace(entry.backup, entry.target)
            else:
                os.unlink(entry.target)


def _forget(entries: list[_Entry], journals: list[Path]) -> None:
    """The replacement is settled: backups go first, the journal last, so a kill in between
    leaves a journal that settles the same way."""
    for entry in entries:
        if entry.backup is not None:
            _remove(Path(entry.backup))
    _sync_folders(journals)
    for journal in journals:
        _remove(journal)


def recover(folder: Path) -> None:
    """Settle what a killed run left in `folder`: a replacement whose journal remains is finished
    when every new file had its name, else undone; then its temporary files are removed."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        match = _OURS.fullmatch(name)
        if match and match.group(2) == "journal" and not _alive(int(match.group(1))):
            _settle(folder / name)
    _remove_stale(folder)


def _settle(journal: Path) -> None:
    try:
        document = json.loads(journal.read_text(encoding="utf-8"))
        entries = [_Entry(e["target"], e["temporary"], tuple(e["new"]), e["backup"]) for e in document["entries"]]
        journals = [Path(j) for j in document["journals"]]
    except (OSError, ValueError, KeyError, TypeError):
        return  # not a journal this planner wrote: leave it, and the files it may name
    if not all(entry.renamed() for entry in entries):
        _undo(entries)
    for entry in entries:
        _remove(Path(entry.temporary))
    _forget(entries, journals)


@contextlib.contextmanager
def _locked(folders: Sequence[str]) -> Iterator[None]:
    """An exclusive lock on each folder (in one order, so runs cannot deadlock), for the renames:
    two runs never interleave their pairs, and a journal in a locked folder is a dead run's."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock, the journal still makes the pair recoverable
        yield
        return
    descriptors: list[int] = []
    try:
        for folder in folders:
            try:
                descriptor = os.open(folder, os.O_RDONLY)
            except OSError:
                continue
            descriptors.append(descriptor)
            with contextlib.suppress(OSError):  # a file system without locks: the journal remains
                fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


def _refuse_inputs(targets: list[Path], protected: Sequence[Path]) -> None:
    """Checked again under the lock: a link may have been made to an input since the run began."""
    from planner.export.paths import InputGuard

    guard = InputGuard(protected)
    for target in targets:
        why = guard.replaced_by(target)
        if why is not None:
            raise OutputError(_("Cannot write {target}: {problem}; nothing was written.", target=target, problem=why))


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
    """Remove temporary files that an earlier run, killed outright, left in this folder (a
    journal's files are settled first, by `recover`)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = _OURS.fullmatch(name)
        if match and match.group(2) != "journal" and not _alive(int(match.group(1))):
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
