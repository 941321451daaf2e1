"""The on-disk Oxigraph store.

Layout of a store directory::

    DIR/current -> builds/<id>        symlink, swapped atomically when a build completes
    DIR/builds/<id>/oxigraph/         the pyoxigraph store
    DIR/builds/<id>/build.json        what was built from what (:class:`BuildInfo`)
    DIR/builds/<id>/graph.nt          the N-Triples loaded into it (exports read this)
    DIR/.lock                         held by the one build that may run at a time

A build writes into a new ``builds/<id>.partial`` directory and only then swaps ``current``,
so a failed or killed build leaves the previous store intact and readable.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.errors import StoreError

if TYPE_CHECKING:
    import pyoxigraph

STORE_ENV = "INTERP_KG_STORE"
#: The N-Triples a build loaded, kept beside its store: exports read it (much faster than a dump).
NTRIPLES_FILE = "graph.nt"


class BuildInfo(BaseModel):
    """Summary of one build, kept beside the store."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(description="interp-kg version that built the store.")
    sources: list[str] = Field(description="Source lists, as given.")
    base_iri: str = Field(pattern=r"^https?://", description="Base IRI of the data.")
    bullets: int = Field(ge=0, description="Bullets read.")
    entries: int = Field(ge=0, description="Entries (bullets with a title).")
    notes: int = Field(ge=0, description="Bullets that became notes of their parent entry.")
    works: dict[str, int] = Field(description="Works by class (paper, tool, tutorial, video).")
    topics: int = Field(ge=0, description="Topics.")
    venues: int = Field(ge=0, description="Venues.")
    authors: int = Field(ge=0, description="Authors.")
    triples: int = Field(ge=0, description="Triples in the store.")
    warnings: int = Field(ge=0, description="Warnings found while parsing.")
    seconds: float = Field(ge=0, description="Wall time of the build.")


def default_store_dir() -> Path:
    """``$INTERP_KG_STORE``, else ``<user data dir>/interp-kg/store``."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("interp-kg", appauthor=False)) / "store"


@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the store's build lock; :class:`StoreError` when another process holds it."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot write the store directory {root}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError(f"the store {root} is locked by another interp-kg process") from None
            raise
        yield
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


class _Tee:
    """A binary writer that writes to two files."""

    def __init__(self, first: BinaryIO, second: BinaryIO) -> None:
        self.first, self.second = first, second

    def write(self, data: bytes) -> int:
        self.second.write(data)
        return self.first.write(data)


def _load_streaming(
    store: pyoxigraph.Store, write: Callable[[BinaryIO], BuildInfo], copy: Path, fifo: Path
) -> BuildInfo:
    """Bulk-load N-Triples that ``write`` produces, while it produces them.

    ``write`` runs in this thread and writes into a named pipe; pyoxigraph reads the pipe by path
    in a second thread, natively and without the GIL, so Python and Rust work side by side. A copy
    of the stream goes to ``copy`` (exports read it).
    """
    import pyoxigraph

    os.mkfifo(fifo)
    failure: list[BaseException] = []

    def load() -> None:
        try:
            store.bulk_load(path=str(fifo), format=pyoxigraph.RdfFormat.N_TRIPLES)
        except BaseException as exc:  # re-raised in the calling thread
            failure.append(exc)
            # unblock a writer still waiting for a reader, then let it fail with EPIPE
            with contextlib.suppress(OSError):
                os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))

    loader = threading.Thread(target=load, name="interp-kg-bulk-load", daemon=True)
    loader.start()
    info: BuildInfo | None = None
    try:
        with fifo.open("wb", buffering=1 << 20) as writer, copy.open("wb") as kept:
            info = write(_Tee(writer, kept))  # type: ignore[arg-type]
    except BrokenPipeError:
        pass  # the loader stopped reading: its error is the one to report
    finally:  # the stream is closed here, so the loader ends (a failed producer's error propagates)
        loader.join()
        fifo.unlink(missing_ok=True)
    if failure:
        raise failure[0]
    assert info is not None
    return info


def load_build(root: Path, write: Callable[[BinaryIO], BuildInfo]) -> tuple[Path, BuildInfo]:
    """Load the N-Triples that ``write`` writes (it returns the build's :class:`BuildInfo`) into a
    new build of the store at ``root`` and swap it in. The caller holds :func:`build_lock`.
    Returns the new build's directory and its info.
    """
    import pyoxigraph

    builds = root / "builds"
    build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    partial = builds / f"{build_id}.partial"
    try:
        for stale in builds.glob("*.partial") if builds.exists() else ():
            _remove(stale)  # left by a killed build; we hold the lock, so nobody writes there
        partial.mkdir(parents=True)
        store = pyoxigraph.Store(str(partial / "oxigraph"))
        info = _load_streaming(store, write, partial / NTRIPLES_FILE, partial / "graph.fifo")
        store.flush()
        info.triples = len(store)
        del store
        (partial / "build.json").write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
        final = builds / build_id
        partial.rename(final)
        tmp_link = root / f".current.{os.getpid()}"
        _remove(tmp_link)
        tmp_link.symlink_to(Path("builds") / build_id)
        os.replace(tmp_link, root / "current")
    except OSError as exc:
        _remove(partial)
        raise StoreError(f"cannot write the store directory {root}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(partial)
        raise
    for old in builds.iterdir():
        if old.name != build_id:
            _remove(old)
    return final, info


def current_build(root: Path) -> Path:
    """The directory of the store's current build; :class:`StoreError` when there is none."""
    link = root / "current"
    if not link.exists():
        raise StoreError(f"no store at {root}: run `interp-kg build` first (or pass --store DIR)")
    return link.resolve()


def open_store(root: Path) -> pyoxigraph.Store:
    """Open the current build read-only (safe beside a running build or server)."""
    import pyoxigraph

    path = current_build(root) / "oxigraph"
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store {root}: {exc}") from None


def read_info(root: Path) -> BuildInfo:
    """The :class:`BuildInfo` of the current build."""
    path = current_build(root) / "build.json"
    try:
        return BuildInfo.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise StoreError(f"the store {root} has no readable build.json ({exc})") from None
