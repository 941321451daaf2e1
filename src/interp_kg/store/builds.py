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
import queue
import shutil
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from interp_kg.errors import StoreError

if TYPE_CHECKING:
    import pyoxigraph

    from interp_kg.rdf.export import GraphSource
    from interp_kg.store.buildinfo import BuildInfo

STORE_ENV = "INTERP_KG_STORE"
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
#: Chunks produced but not yet loaded, at most (bounds the memory a slow loader can cost).
LOAD_QUEUE = 3


class _ChunkLoader:
    """A binary writer, fed whole N-Triples lines, that hands them to ``bulk_load`` in chunks of
    :data:`LOAD_CHUNK_BYTES` on a loader thread (pyoxigraph loads without the GIL, so Python and
    Rust work side by side), and keeps a copy in ``copy`` (exports read it)."""

    def __init__(self, store: pyoxigraph.Store, copy: BinaryIO) -> None:
        self.store = store
        self.copy = copy
        self.parts: list[bytes] = []
        self.size = 0
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
        if self.size >= LOAD_CHUNK_BYTES:
            self._hand_over()
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
    return info


def load_build(
    root: Path, write: Callable[[BinaryIO], BuildInfo], *, optimize: bool = False
) -> tuple[Path, BuildInfo]:
    """Load the N-Triples that ``write`` writes (it returns the build's :class:`BuildInfo`) into a
    new build of the store at ``root`` and swap it in; ``optimize`` compacts it first (faster
    queries on large stores, a slower build). The caller holds :func:`build_lock`.
    Returns the new build's directory and its info.
    """
    import pyoxigraph

    builds = root / "builds"
    build_id = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
    partial = builds / f"{build_id}.partial"
    store: pyoxigraph.Store | None = None
    try:
        for stale in builds.glob("*.partial") if builds.exists() else ():
            _remove(stale)  # left by a killed build; we hold the lock, so nobody writes there
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
        (partial / "build.json").write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
        final = builds / build_id
        partial.rename(final)
        tmp_link = root / f".current.{os.getpid()}"
        _remove(tmp_link)
        tmp_link.symlink_to(Path("builds") / build_id)
        os.replace(tmp_link, root / "current")
    except BaseException as exc:
        # Close the store before removing its files: drop our reference and the ones the
        # traceback's finished frames hold (RocksDB writes into the directory until closed).
        store = None
        traceback.clear_frames(exc.__traceback__)
        _remove(partial)
        if isinstance(exc, OSError):
            raise StoreError(f"cannot write the store directory {root}: {exc.strerror or exc}") from None
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
    from interp_kg.store.buildinfo import BuildInfo

    path = current_build(root) / "build.json"
    try:
        return BuildInfo.model_validate_json(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise StoreError(f"the store {root} has no readable build.json ({exc})") from None


def open_graph(root: Path) -> GraphSource:
    """The current build of the store at ``root``, ready to export (its N-Triples file beside it)."""
    from interp_kg.rdf.export import GraphSource

    return GraphSource(open_store(root), current_build(root) / NTRIPLES_FILE, read_info(root).base_iri)
