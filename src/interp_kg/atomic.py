"""The one writer of files a person keeps: curated records, proposals, the Wikidata mapping, the
output of ``-o FILE``. A reader (or a command killed half-way) sees the old file or the new one,
never a part of either.

:func:`write_bytes` writes the new bytes to a temporary file in the same directory, flushes them
to disk (``fsync``), renames the temporary file over the target (atomic on POSIX) and flushes the
directory, so the rename itself survives a crash. The file keeps its permissions; a symlink is
written through (its target is replaced, the link stays).

A command that reads a curated file, works for a while and writes it back passes the
:class:`Snapshot` it took when reading (:func:`read`): the write is refused with
:class:`FileChanged` when the file changed meanwhile (a person saved an edit), so the edit is
never overwritten. The check runs just before the rename; what it cannot see is an edit saved in
the microseconds between the check and the rename (an editor takes no lock to tell us).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
>>> write_text(path, "one\\n")
>>> data, seen = read(path)
>>> _ = path.write_text("two\\n")  # someone else's edit
>>> write_text(path, "three\\n", expect=seen)
Traceback (most recent call last):
...
interp_kg.atomic.FileChanged: ... changed since it was read: not written
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from interp_kg.errors import InterpKgError

#: Bytes handed to one ``os.write`` call.
_CHUNK = 1 << 20


class WriteError(InterpKgError):
    """A file could not be written (the message names it and says why); the old file is intact."""


class FileChanged(WriteError):
    """The file changed on disk after it was read: the write was refused, nothing was written."""


@dataclass(frozen=True)
class Snapshot:
    """What a file held when it was read: the SHA-256 of its bytes, or None when it did not exist."""

    path: Path
    sha256: str | None

    def matches(self) -> bool:
        """Whether the file still holds what it held then."""
        return snapshot(self.path).sha256 == self.sha256


def digest(data: bytes) -> str:
    """The SHA-256 of ``data``, in hex."""
    return hashlib.sha256(data).hexdigest()


def read(path: Path) -> tuple[bytes | None, Snapshot]:
    """The bytes of ``path`` (None when it does not exist) and the :class:`Snapshot` of them."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, Snapshot(path, None)
    return data, Snapshot(path, digest(data))


def snapshot(path: Path) -> Snapshot:
    """The :class:`Snapshot` of ``path`` as it is now."""
    return read(path)[1]


def write_text(path: Path, text: str, *, expect: Snapshot | None = None, hint: str = "") -> None:
    """:func:`write_bytes` of ``text`` in UTF-8 (newlines as they are in ``text``)."""
    write_bytes(path, text.encode("utf-8"), expect=expect, hint=hint)


def write_bytes(path: Path, data: bytes, *, expect: Snapshot | None = None, hint: str = "") -> None:
    """Replace ``path`` by ``data`` atomically and durably (see :func:`write_stream`)."""
    write_stream(path, lambda out: _write_all(out, data), expect=expect, hint=hint)


def _write_all(out: BinaryIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[out.write(view[:_CHUNK]) :]


def write_stream(
    path: Path, write: Callable[[BinaryIO], object], *, expect: Snapshot | None = None, hint: str = ""
) -> None:
    """Replace ``path`` by what ``write`` writes to the binary stream it is given, atomically and
    durably (see the module docstring): an export of millions of lines never held whole.

    ``expect``: the file must still be as it was read (else :class:`FileChanged`, whose message
    ends with ``hint``, e.g. what to do next). The directory is created when missing.
    :class:`WriteError` when the file cannot be written; the old file is then intact.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        try:
            with os.fdopen(fd, "wb", closefd=False) as out:
                write(out)
            os.fchmod(fd, _mode(target))
            os.fsync(fd)
        finally:
            os.close(fd)
        if expect is not None and not expect.matches():
            raise FileChanged(
                f"{path} changed since it was read: not written" + (f"; {hint}" if hint else "")
            )
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteError(f"cannot write {path}: {exc.strerror or exc}") from None
        raise
    try:
        sync_directory(target.parent)
    except OSError as exc:
        raise WriteError(f"wrote {path} but could not flush its directory: {exc.strerror or exc}") from None


def _mode(target: Path) -> int:
    """The permissions of the file ``target`` replaces, else those of a new file (0666 less umask)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_directory(folder: Path) -> None:
    """Flush ``folder``'s entries (a rename, a new file) to disk; a no-op where that is unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def replace_directory(new: Path, target: Path) -> None:
    """Put the directory ``new`` in place of ``target`` (which may be missing) and remove the old
    one. Where the kernel can swap two names in one step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``), a reader sees the old folder or the new one, never none; elsewhere the
    old folder is renamed aside first, and a killed run leaves ``.<name>.old`` beside it."""
    import shutil

    if target.is_dir() and not target.is_symlink() and _exchange(new, target):
        sync_directory(target.parent)
        shutil.rmtree(new, ignore_errors=True)  # now the old folder
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    sync_directory(target.parent)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names ``a`` and ``b`` atomically; False where the system cannot."""
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # the file system or kernel does not exchange
    raise OSError(code, os.strerror(code), str(a))
