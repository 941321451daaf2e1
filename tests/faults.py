"""Fault injection: run a command in this process and SIGKILL it at its N-th step on the file system.

    python -m tests.faults N MODULE:FUNCTION [ARG ...]

A *step* is a call that changes files: opening a file for writing (``io.open``/``os.open``),
``os.write``, ``os.fsync``, ``os.replace``, ``os.rename``, ``os.symlink``, ``os.mkdir``,
``os.unlink``, ``os.rmdir``, ``shutil.rmtree``. The process kills itself with SIGKILL right before
step N runs, except that an ``os.write`` is cut in half first (a torn write) and an open for
writing runs first (a file truncated by its open, as ``Path.write_text`` does). A command that
ends before step N exits as usual. So running N = 1, 2, 3, ... until the command exits by itself
kills it at every moment at which what is on disk can differ.

``sys.argv`` is ``[MODULE, ARG, ...]`` when FUNCTION is called without arguments (a CLI's main).
"""

from __future__ import annotations

import importlib
import io
import os
import shutil
import signal
import sys
from typing import Any

_count = 0
_target = 0


def _step() -> bool:
    """Count one step; whether it is the one to die at."""
    global _count
    _count += 1
    return _count == _target


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _wrap(module: Any, name: str) -> None:
    real = getattr(module, name)

    def step(*args: Any, **kwargs: Any) -> Any:
        if _step():
            _die()
        return real(*args, **kwargs)

    setattr(module, name, step)


def _writing(mode: str) -> bool:
    return any(c in mode for c in "wax+")


def install(target: int) -> None:
    """Count steps from now, and die at step ``target``."""
    global _target
    _target = target
    real_write, real_open, real_io_open = os.write, os.open, io.open

    def write(fd: int, data: Any) -> int:
        if _step():
            real_write(fd, bytes(data)[: max(1, len(data) // 2)])
            _die()
        return real_write(fd, data)

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        fd = real_open(path, flags, *args, **kwargs)
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC) and _step():
            _die()
        return fd

    def io_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_io_open(file, mode, *args, **kwargs)
        if _writing(mode) and _step():
            _die()
        return handle

    os.write, os.open, io.open = write, open_, io_open  # type: ignore[assignment]
    for name in ("fsync", "replace", "rename", "symlink", "mkdir", "unlink", "rmdir"):
        _wrap(os, name)
    _wrap(shutil, "rmtree")


def main() -> None:
    target, entry, *args = sys.argv[1:]
    module_name, function = entry.split(":")
    module = importlib.import_module(module_name)
    sys.argv = [module_name, *args]
    install(int(target))
    result = getattr(module, function)()
    raise SystemExit(result)


if __name__ == "__main__":
    main()
