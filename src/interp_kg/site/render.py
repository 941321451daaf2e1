"""Writing the resources' files: parts of the subjects, which worker processes take in turn.

A part is a contiguous slice of the sorted subjects and of the listing blocks, so the JSON-LD
dump, concatenated from the parts in order, is the same whatever the number of workers and
whichever worker wrote a part. Workers are spawned (not forked: the parent may hold an open
store); each reads the graph's N-Triples file a subject at a time (``pread`` of the byte spans the
index holds), and a part's subjects' own look-ups a batch at a time (:meth:`Index.prefetch`).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from interp_kg.errors import InterpKgError
from interp_kg.site.collect import Index, Lines
from interp_kg.site.dataset import open_dump
from interp_kg.site.meta import citation_files
from interp_kg.site.ondisk import Db
from interp_kg.site.pages import listing_chunk_page, resource_page
from interp_kg.site.rdf import JsonLd, Turtle, ntriples_of
from interp_kg.site.selection import Selection

_DIR_FD = os.open in os.supports_dir_fd


class Writer:
    """Writes files under one folder, creating each folder once and opening files relative to
    their folder (kept open while files go into it: pages come in folder order)."""

    FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    APPEND = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
    #: open folders kept at most (a site has a few thousand topic folders)
    OPEN_DIRS = 32

    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = str(root)
        self.dirs: set[str] = set()
        self.fds: dict[str, int] = {}
        self.files = 0

    def _dir_fd(self, parent: str) -> int:
        path = os.path.join(self.prefix, parent) if parent else self.prefix
        if parent and parent not in self.dirs:
            os.makedirs(path, exist_ok=True)
            self.dirs.add(parent)
        if not _DIR_FD:
            return -1
        if len(self.fds) >= self.OPEN_DIRS:
            self.close()
        fd = self.fds[parent] = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        return fd

    def write(self, rel: str, data: bytes | str) -> None:
        self._put(rel, data.encode("utf-8") if isinstance(data, str) else data, self.FLAGS)
        self.files += 1

    def append(self, rel: str, data: bytes, new: bool) -> None:
        """Add ``data`` at the end of file ``rel``; ``new``: the file is made (or emptied) first."""
        self._put(rel, data, self.FLAGS if new else self.APPEND)
        self.files += new

    def _put(self, rel: str, data: bytes, flags: int) -> None:
        parent, _, name = rel.rpartition("/")
        dir_fd = self.fds.get(parent)
        if dir_fd is None:
            dir_fd = self._dir_fd(parent)
        if _DIR_FD:
            fd = os.open(name, flags, 0o644, dir_fd=dir_fd)
        else:
            fd = os.open(os.path.join(self.prefix, rel), flags, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    def write_pieces(self, rel: str, pieces: Iterable[str]) -> None:
        """Write a file made of ``pieces`` (text, UTF-8), without holding it whole."""
        with self.open(rel) as f:
            for piece in pieces:
                f.write(piece.encode("utf-8"))

    @contextlib.contextmanager
    def open(self, rel: str) -> Iterator[BinaryIO]:
        """A file to write in pieces (gzip-compressed when named ``.gz``)."""
        parent = rel.rpartition("/")[0]
        if parent and parent not in self.dirs:  # made once (not through _dir_fd: no folder fd to keep)
            os.makedirs(os.path.join(self.prefix, parent), exist_ok=True)
            self.dirs.add(parent)
        with open_dump(Path(self.prefix, rel)) as f:
            yield f
        self.files += 1

    def close(self) -> None:
        """Close the folders kept open (the writer can still write: it opens them again)."""
        fds, self.fds = self.fds, {}
        for fd in fds.values():
            os.close(fd)


#: A worker process is worth its start-up from about this many pages.
PAGES_PER_WORKER = 2000
#: Parts per worker: the workers take the next part when done with one (see :func:`render_queue`).
PARTS_PER_WORKER = 16


@dataclass(frozen=True)
class Part:
    """What one worker writes: rows ``first`` to ``last`` of the index file's ``page`` table
    (subjects with documents of their own, sorted) and of its ``block`` table (listing blocks)."""

    number: int
    pages: tuple[int, int]
    blocks: tuple[int, int]
    selection: Selection = field(default_factory=Selection)

    def subjects(self, index: Index) -> Iterator[str]:
        db = _db(index)
        return (k for (k,) in db.query("SELECT k FROM page WHERE n BETWEEN ? AND ? ORDER BY n", self.pages))

    def chunks(self, index: Index) -> Iterator[tuple[str, list[str]]]:
        db = _db(index)
        for (stem,) in db.query("SELECT stem FROM block WHERE n BETWEEN ? AND ? ORDER BY n", self.blocks):
            yield stem, [k for (k,) in db.query("SELECT k FROM chunk WHERE stem = ?", (stem,))]


def _db(index: Index) -> Db:
    if index.db is None:
        raise ValueError("the pages are written from an index made by scan()")
    return index.db


@dataclass(frozen=True)
class PartResult:
    resources: int
    files: int


def json_bytes(doc: object) -> bytes:
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


def _line(iri: str) -> tuple[int, str]:
    tail = iri.rsplit("/", 1)[-1]
    return (int(tail[1:]) if tail[1:].isdigit() else -1, iri)


#: Subjects whose look-ups are read together (:meth:`Index.prefetch`).
PREFETCH = 256


def _prefetched(subjects: Iterator[str], index: Index) -> Iterator[str]:
    """``subjects``, each batch of :data:`PREFETCH` prefetched before it is given."""
    while batch := list(itertools.islice(subjects, PREFETCH)):
        index.prefetch(batch)
        yield from batch


def node_files(root: Path, part: int) -> tuple[Path, Path]:
    """The files of JSON-LD dump nodes a part writes: its resources', its listings'."""
    return root / f".nodes-{part}-a", root / f".nodes-{part}-b"


def render_part(source: str, index: Index, part: Part, root: Path, nodes_dir: Path) -> PartResult:
    """Write the files of ``part``'s subjects and listing blocks under ``root``, reading their
    lines from the N-Triples file ``source``."""
    if multiprocessing.parent_process() is not None:
        # A worker: the index it was given lives until the end, so the garbage collector need not
        # walk its millions of objects each time the pages' short-lived ones trigger a collection.
        gc.freeze()
    lines = Lines(source, index.spans)
    base = index.base_iri
    w = Writer(root)
    jsonld = JsonLd(base)
    ttl = Turtle(base)
    count = 0

    wanted, formats = part.selection.wants, part.selection.formats
    try:
        first_nodes, listing_nodes = node_files(nodes_dir, part.number)
        with first_nodes.open("wb", buffering=1 << 20) as nodes:
            sep = b""
            for iri in _prefetched(part.subjects(index), index):
                stem = index.stem(iri)
                if stem is None:
                    continue
                resource = lines.resource(iri)
                node = jsonld.node(resource)
                nodes.write(sep + orjson.dumps(node, option=orjson.OPT_SORT_KEYS))
                sep = b",\n"
                if iri in index.inside or not wanted(index.kind.get(iri, "")):
                    continue  # written with the resource whose documents hold it, or not wanted
                count += 1
                doc = [resource, *(lines.resource(x) for x in index.embedded.get(iri, ()))]
                if "html" in formats:
                    w.write(f"{stem}.html", resource_page(resource, index, stem, lines.listing, doc[1:]))
                if "nt" in formats:
                    w.write(f"{stem}.nt", ntriples_of(doc))
                if "ttl" in formats:
                    w.write(f"{stem}.ttl", ttl.document(doc))
                if "jsonld" in formats:
                    graph = [node, *(jsonld.node(r) for r in doc[1:])]
                    w.write(f"{stem}.jsonld", json_bytes(jsonld.document(doc, graph)))
                cite = index.cite.get(iri) if "cite" in formats else None
                if cite is not None:
                    for ext, text in citation_files(cite):
                        w.write(f"{stem}{ext}", text)
        with listing_nodes.open("wb", buffering=1 << 20) as nodes:
            sep = b""
            blocks = wanted("listing")
            for stem, iris in part.chunks(index):
                block = [lines.resource(iri) for iri in sorted(iris, key=_line)]
                compact = jsonld.document(block)
                if blocks:
                    count += len(block)
                    if "html" in formats:
                        w.write(f"{stem}.html", listing_chunk_page(stem, block, index))
                    if "nt" in formats:
                        w.write(f"{stem}.nt", ntriples_of(block))
                    if "ttl" in formats:
                        w.write(f"{stem}.ttl", ttl.document(block))
                    if "jsonld" in formats:
                        w.write(f"{stem}.jsonld", json_bytes(compact))
                for node in compact["@graph"] if "@graph" in compact else [jsonld.node(block[0])]:
                    nodes.write(sep + orjson.dumps(node, option=orjson.OPT_SORT_KEYS))
                    sep = b",\n"
    finally:
        w.close()
        lines.close()
    return PartResult(count, w.files)


Worker = tuple[multiprocessing.process.BaseProcess, Connection]


def _child(target: Callable[..., object], args: tuple[object, ...], conn: Connection) -> None:
    try:
        conn.send(("ok", target(*args)))
    except InterpKgError as exc:
        conn.send(("error", str(exc)))
    except BaseException as exc:  # reported by the parent as one line
        conn.send(("error", f"internal error in a site worker: {type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def spawn(target: Callable[..., object], *args: object) -> Worker:
    """Run ``target(*args)`` in a spawned process (not forked: the parent may hold an open
    store); :func:`collect` gets what it returned."""
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(target, args, send), daemon=True)
    process.start()
    send.close()
    return process, receive


def stop(workers: Sequence[Worker]) -> None:
    """End workers whose results are no longer wanted."""
    for process, receive in workers:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()


def collect(workers: Sequence[Worker]) -> list[Any]:
    """What each worker's target returned, in order; the first error as :class:`InterpKgError`."""
    results: list[Any] = []
    errors: list[str] = []
    for process, receive in workers:
        try:
            status, value = receive.recv()
        except EOFError:
            process.join()
            status, value = "error", f"a site worker stopped (exit code {process.exitcode})"
        process.join()
        if status == "ok":
            results.append(value)
        else:
            errors.append(value)
    if errors:
        raise InterpKgError(errors[0])
    return results


def render_queue(
    source: str, index: Index, parts: list[Part], root: Path, nodes_dir: Path, queue: Any
) -> list[tuple[int, PartResult]]:
    """Render the parts whose positions in ``parts`` ``queue`` gives, until it gives ``None``: a
    worker takes the next part when done with one, so the workers end together whichever parts
    cost more (the topics' pages, at the end of the sorted subjects, cost several works' each:
    their parts are queued first, the small ones last fill the gaps)."""
    done = []
    while (k := queue.get()) is not None:
        done.append((k, render_part(source, index, parts[k], root, nodes_dir)))
    return done


def render_parts(
    source: str,
    index: Index,
    parts: list[Part],
    root: Path,
    nodes_dir: Path,
    meanwhile: Callable[[], object] | None = None,
    jobs: int = 2,
) -> list[PartResult]:
    """Render every part, in order: in this process when there is one, else by up to ``jobs``
    spawned workers sharing a queue of them, ``meanwhile`` running in this process while the
    workers work."""
    if len(parts) == 1 or jobs < 2:
        results = [render_part(source, index, part, root, nodes_dir) for part in parts]
        if meanwhile is not None:
            meanwhile()
        return results
    queue = multiprocessing.get_context("spawn").Queue()
    for k in [*reversed(range(len(parts))), *[None] * jobs]:  # the topics' pages (last) first
        queue.put(k)
    workers = [spawn(render_queue, source, index, parts, root, nodes_dir, queue) for _ in range(jobs)]
    try:
        if meanwhile is not None:
            meanwhile()
        done = dict(pair for found in collect(workers) for pair in found)
        return [done[k] for k in range(len(parts))]
    finally:
        stop(workers)
        queue.close()
        queue.join_thread()


def split(index: Index, jobs: int, selection: Selection | None = None) -> tuple[list[Part], int]:
    """Contiguous slices of the sorted subjects (less the listings published in blocks) and of
    the sorted listing blocks, and how many workers to write them: up to ``jobs``, each worker's
    share cut into :data:`PARTS_PER_WORKER` parts that the workers take in turn."""
    db = _db(index)
    subjects = int(db.one("SELECT COUNT(*) FROM page"))
    blocks = int(db.one("SELECT COUNT(*) FROM block"))
    pages = subjects - len(index.inside)  # authorship nodes go into their works' pages
    jobs = max(1, min(jobs, pages // PAGES_PER_WORKER + 1))
    n = jobs * PARTS_PER_WORKER if jobs > 1 else 1
    return [
        Part(
            k,
            (k * subjects // n + 1, (k + 1) * subjects // n),
            (k * blocks // n + 1, (k + 1) * blocks // n),
            selection or Selection(),
        )
        for k in range(n)
    ], jobs
