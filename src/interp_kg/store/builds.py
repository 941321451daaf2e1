"""The on-disk Oxigraph store.

Layout of a store directory::

    DIR/current -> builds/<id>        symlink, swapped atomically when a build completes
    DIR/builds/<id>/oxigraph/         the pyoxigraph store
    DIR/builds/<id>/build.json        what was built from what (:class:`BuildInfo`)
    DIR/builds/<id>/graph.nt          the N-Triples loaded into it (exports read this)
    DIR/builds/<id>/graph.sorted.nt   its canonical sorted form, made by the first export
    DIR/builds/<id>/titles.idx        the title index, made by the first search by title
    DIR/.lock                         held by the one build that may run at a time

    DIR/builds/<id>/.pin              a reader holds a shared lock on it while it may read the build

A build writes into a new ``builds/<id>.partial`` directory, flushes it to disk with its
``build.json``, renames it ``builds/<id>`` and only then swaps ``current``, so a failed or killed
build leaves the previous store intact and readable, and ``current`` always names a complete build.

Readers never see a half-gone build: a reader pins the build it opens (:func:`pinned_build`, a
shared ``flock`` held until the process ends) and a build removes only builds older than the one it
replaced that no reader pins; the others go at a later build.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import queue
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from interp_kg.atomic import WriteError, sync_directory, write_text
from interp_kg.errors import StoreError

if TYPE_CHECKING:
    import pyoxigraph

    from interp_kg.rdf.export import GraphSource
    from interp_kg.store.buildinfo import BuildInfo

STORE_ENV = "INTERP_KG_STORE"
#: The file of a build that readers lock (shared) and a build removing it locks (exclusive).
PIN_FILE = ".pin"
#: Times a reader reads ``current`` again when the build it named was being removed.
_PIN_ATTEMPTS = 50
#: The N-Triples a build loaded, kept beside its store: exports read it (much faster than a dump).
NTRIPLES_FILE = "graph.nt"


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
        # Unlock before closing: a child process forked meanwhile (and not yet exec'd) holds a
        # copy of the descriptor, which would keep the lock until it execs.
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


#: Bytes of N-Triples per ``bulk_load`` call. Loading a build as a series of such calls, each while
#: Python produces the next, leaves only the last one to wait for once Python is done (a single
#: ``bulk_load`` of a stream sorts and ingests its last million triples after the stream ends).
LOAD_CHUNK_BYTES = 16 << 20
#: The first chunk, at most: the chunks double from it up to :data:`LOAD_CHUNK_BYTES`, so the store
#: starts loading early (a 10k-entry list makes 27 MiB: one 16 MiB chunk left most of the load
#: waiting for the end).
FIRST_CHUNK_BYTES = 1 << 20
#: Chunks produced but not yet loaded, at most (bounds the memory a slow loader can cost).
LOAD_QUEUE = 3


class _ChunkLoader:
    """A binary writer, fed whole N-Triples lines, that hands them to ``bulk_load`` in chunks of
    up to :data:`LOAD_CHUNK_BYTES` on a loader thread (pyoxigraph loads without the GIL, so Python and
    Rust work side by side), and keeps a copy in ``copy`` (exports read it)."""

    def __init__(self, store: pyoxigraph.Store, copy: BinaryIO) -> None:
        self.store = store
        self.copy = copy
        self.parts: list[bytes] = []
        self.size = 0
        self.limit = FIRST_CHUNK_BYTES
        self.failure: BaseException | None = None
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=LOAD_QUEUE)
        self.thread = threading.Thread(target=self._load, name="interp-kg-bulk-load", daemon=True)
        self.thread.start()

    def _load(self) -> None:
        import pyoxigraph

        while (chunk := self.queue.get()) is not None:
            if self.failure is None:
                try:
                    self.store.bulk_load(chunk, format=pyoxigraph.RdfFormat.N_TRIPLES)
                except BaseException as exc:  # re-raised in the producing thread
                    self.failure = exc

    def write(self, data: bytes) -> int:
        """Take ``data`` (whole lines) for loading; raises the loader's error once it failed."""
        if self.failure is not None:
            raise self.failure
        self.copy.write(data)
        self.parts.append(data)
        self.size += len(data)
        if self.size >= self.limit:
            self._hand_over()
            self.limit = min(2 * self.limit, LOAD_CHUNK_BYTES)
        return len(data)

    def _hand_over(self) -> None:
        if self.parts:
            self.queue.put(b"".join(self.parts))
            self.parts, self.size = [], 0

    def close(self, ok: bool) -> None:
        """Wait for the loader. When the producer succeeded (``ok``), load what is left first and
        raise the loader's error if any; otherwise the producer's own error is the one to report."""
        if ok and self.failure is None:
            self._hand_over()
        self.queue.put(None)
        self.thread.join()
        if ok and self.failure is not None:
            raise self.failure


def _load_streaming(store: pyoxigraph.Store, write: Callable[[BinaryIO], BuildInfo], copy: Path) -> BuildInfo:
    """Bulk-load the N-Triples that ``write`` produces, while it produces them."""
    with copy.open("wb") as kept:
        loader = _ChunkLoader(store, kept)
        ok = False
        try:
            info = write(loader)  # type: ignore[arg-type]
            ok = True
        finally:
            loader.close(ok)
        kept.flush()
        os.fsync(kept.fileno())
    return info


def load_build(
    root: Path,
    write: Callable[[BinaryIO], BuildInfo],
    *,
    optimize: bool = False,
    finish: Callable[[BuildInfo], None] | None = None,
) -> tuple[Path, BuildInfo]:
    """Load the N-Triples that ``write`` writes (it returns the build's :class:`BuildInfo`) into a
    new build of the store at ``root`` and swap it in; ``optimize`` compacts it first (faster
    queries on large stores, a slower build). ``finish(info)`` completes the info (the wall time)
    just before ``build.json`` is written, which is before the swap: a build is never changed
    once it is current. The caller holds :func:`build_lock`.
    Returns the new build's directory and its info.
    """
    import pyoxigraph

    builds = root / "builds"
    build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    partial = builds / f"{build_id}.partial"
    store: pyoxigraph.Store | None = None
    try:
        for stale in [*builds.glob("*.partial"), *builds.glob("*.removing")] if builds.exists() else ():
            _remove(stale)  # left by a killed build; we hold the lock, so nobody writes there
        for stale in root.glob(".current.*"):
            _remove(stale)  # the new link of a build killed before it swapped it in
        partial.mkdir(parents=True)
        store = pyoxigraph.Store(str(partial / "oxigraph"))
        info = _load_streaming(store, write, partial / NTRIPLES_FILE)
        store.flush()
        if optimize:
            # Compact the bulk-loaded files: joins on a 100k-entry store ran 1.5-3x faster after
            # it (bench/bench_query.py), for 5-10 s more build time there; hence opt-in.
            store.optimize()
        info.triples = len(store)
        store = None  # closed: the build is complete on disk
        if finish is not None:
            finish(info)
        write_text(partial / "build.json", info.model_dump_json(indent=2) + "\n")
        (partial / PIN_FILE).touch()
        sync_directory(partial)
        previous = _current_name(root)
        final = builds / build_id
        partial.rename(final)
        sync_directory(builds)
        tmp_link = root / f".current.{os.getpid()}"
        _remove(tmp_link)
        tmp_link.symlink_to(Path("builds") / build_id)
        os.replace(tmp_link, root / "current")
        sync_directory(root)
    except BaseException as exc:
        # Close the store before removing its files: drop our reference and the ones the
        # traceback's finished frames hold (RocksDB writes into the directory until closed).
        store = None
        traceback.clear_frames(exc.__traceback__)
        _remove(partial)
        if isinstance(exc, OSError):
            raise StoreError(f"cannot write the store directory {root}: {exc.strerror or exc}") from None
        if isinstance(exc, WriteError):
            raise StoreError(f"cannot write the store directory {root}: {exc}") from None
        raise
    prune(root, keep={build_id, previous} - {None})
    return final, info


def _current_name(root: Path) -> str | None:
    """The name of the build ``current`` links to, or None."""
    try:
        return Path(os.readlink(root / "current")).name
    except OSError:
        return None


def prune(root: Path, keep: set[str | None]) -> list[str]:
    """Remove the builds of ``root`` but those named in ``keep`` (the new one and the one it
    replaced, which a reader may be opening) and those a reader pins. Returns the names removed.
    The caller holds :func:`build_lock`."""
    removed = []
    builds = root / "builds"
    for old in sorted(builds.iterdir()) if builds.is_dir() else ():
        if old.name in keep or old.name.endswith((".partial", ".removing")):
            continue
        try:
            if _remove_unpinned(old):
                removed.append(old.name)
        except OSError:
            continue  # the build is swapped in: an old one that cannot go now goes at a later build
    return removed


def _remove_unpinned(build: Path) -> bool:
    """Remove ``build`` unless a reader pins it; whether it was removed. It is renamed first
    (``<id>.removing``), so no reader can reach a half-removed build by its name."""
    try:
        fd = os.open(build / PIN_FILE, os.O_RDONLY)
    except FileNotFoundError:
        fd = -1  # a build from before pins
    except OSError:
        return False
    try:
        if fd >= 0:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # a reader holds it: a later build removes it
        trash = build.with_name(build.name + ".removing")
        os.rename(build, trash)
        _remove(trash)
        return True
    finally:
        if fd >= 0:
            os.close(fd)


#: The builds this process pinned: directory -> the descriptor holding the shared lock.
_PINS: dict[Path, int] = {}
_PINS_LOCK = threading.Lock()


def pinned_build(root: Path) -> Path:
    """The directory of the store's current build, pinned until this process ends: no build
    removes it meanwhile. :class:`StoreError` when there is no store."""
    for _ in range(_PIN_ATTEMPTS):
        name = _current_name(root)
        if name is None:
            raise _no_store(root)
        build = (root / "builds" / name).resolve()
        with _PINS_LOCK:
            if build in _PINS:
                return build
            pinned = _pin(build)
            if pinned is not None:
                if pinned >= 0:
                    _PINS[build] = pinned
                return build
        if _current_name(root) == name:  # not a build being replaced: one that is gone
            raise _no_store(root)
    raise StoreError(f"the store {root} kept changing while it was opened: try again")


def _no_store(root: Path) -> StoreError:
    return StoreError(f"no store at {root}: run `interp-kg build` first (or pass --store DIR)")


def _pin(build: Path) -> int | None:
    """A descriptor holding a shared lock on ``build``'s pin; -1 when it cannot be pinned but
    stands (a read-only store, a build from before pins); None when it is gone."""
    pin = build / PIN_FILE
    try:
        fd = os.open(pin, os.O_RDONLY)
    except FileNotFoundError:
        return -1 if (build / "oxigraph").is_dir() and (build / "build.json").is_file() else None
    except OSError:
        return -1
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        if os.path.samestat(os.fstat(fd), os.stat(pin)):
            return fd
    except OSError:
        pass  # locked by the build removing it, or removed between the open and the lock
    os.close(fd)
    return None


def current_build(root: Path) -> Path:
    """The directory of the store's current build; :class:`StoreError` when there is none."""
    link = root / "current"
    if not link.exists():
        raise _no_store(root)
    return link.resolve()


def open_store(root: Path) -> pyoxigraph.Store:
    """Open the current build read-only (safe beside a running build or server); it stays pinned."""
    return _open_store(root, pinned_build(root))


def open_build(root: Path) -> tuple[pyoxigraph.Store, Path]:
    """:func:`open_store`, and the folder of the build it opened (pinned)."""
    build = pinned_build(root)
    return _open_store(root, build), build


def _open_store(root: Path, build: Path) -> pyoxigraph.Store:
    import pyoxigraph

    try:
        return pyoxigraph.Store.read_only(str(build / "oxigraph"))
    except OSError as exc:
        raise StoreError(f"cannot open the store {root}: {exc}") from None


def read_info(root: Path) -> BuildInfo:
    """The :class:`BuildInfo` of the current build."""
    return read_build_info(pinned_build(root), root)


def read_build_info(build: Path, root: Path | None = None) -> BuildInfo:
    """The :class:`BuildInfo` of the build at ``build`` (of the store ``root``, for messages)."""
    from interp_kg.store.buildinfo import BuildInfo

    try:
        return BuildInfo.model_validate_json((build / "build.json").read_bytes())
    except (OSError, ValueError) as exc:
        raise StoreError(f"the store {root or build} has no readable build.json ({exc})") from None


def open_graph(root: Path) -> GraphSource:
    """The current build of the store at ``root``, ready to export (its N-Triples file beside it):
    the store, the file and the info of one build, pinned."""
    from interp_kg.rdf.export import GraphSource

    build = pinned_build(root)
    info = read_build_info(build, root)
    return GraphSource(_open_store(root, build), build / NTRIPLES_FILE, info.base_iri)
