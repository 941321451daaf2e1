"""``interp-kg build``: parse -> catalog -> N-Triples -> a new store build, swapped in when complete.

The lists are read in the order that decides between them (:func:`interp_kg.source.lists.in_order`),
whatever order they were given in. IRIs come from the bundled registry and the store's own
(``<store>/registry/``, :mod:`interp_kg.curation.registry`); what the build minted or changed is
written back there once the new store is in place.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from interp_kg import __version__
from interp_kg.catalog.curated import Curated
from interp_kg.catalog.persist import IriBook
from interp_kg.catalog.stream import CatalogStream
from interp_kg.curation.registry import Registry, bundled_registry, load_registry
from interp_kg.curation.saved_queries import load_catalogue
from interp_kg.errors import StoreError
from interp_kg.gcpause import no_gc
from interp_kg.rdf.graph import GraphWriter
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI
from interp_kg.source.lists import ListSource, in_order, local_source
from interp_kg.source.models import Diagnostic, ListSummary
from interp_kg.source.parse import ProgressCallback
from interp_kg.store.buildinfo import BuildInfo, CuratedInfo, ListInfo
from interp_kg.store.builds import build_lock, load_build

#: The folder beside a store's builds that holds the IRIs its builds minted.
REGISTRY_DIR = "registry"


def registry_dir(store_dir: Path) -> Path:
    """The registry of a store (:mod:`interp_kg.curation.registry`): beside its builds."""
    return store_dir / REGISTRY_DIR


def _store_registry(store_dir: Path, bundled: Registry) -> tuple[Registry, bool]:
    """The store's registry; for a store built before there was one, the IRIs its current build
    published (:mod:`interp_kg.store.migrate`), and True."""
    folder = registry_dir(store_dir)
    if folder.exists() or not (store_dir / "current").exists():
        return load_registry(folder), False
    from interp_kg.store.builds import NTRIPLES_FILE, current_build, read_build_info
    from interp_kg.store.migrate import registry_of_build

    # read without pinning: the build holds the store's lock, and must not keep the build it
    # replaces from being removed later
    build = current_build(store_dir)
    old = build / NTRIPLES_FILE
    if not old.is_file():
        return Registry(), False
    return registry_of_build(old, read_build_info(build, store_dir), bundled), True


def _list_info(src: ListSource) -> ListInfo:
    """What a build records of one source list: its checksum, names, bundled version or URL."""
    bundled = src.bundled
    return ListInfo(
        file=src.source,
        path=src.spec.given,
        sha256=src.sha256,
        bytes=src.bytes,
        key=src.key,
        name=src.name,
        version=bundled.name if bundled else None,
        upstream=src.upstream,
        date=bundled.date if bundled else None,
        url=src.url,
        retrieved=src.retrieved,
        checked=src.checked,
    )


@dataclass(frozen=True)
class BuildResult:
    """What a build made, for the summary."""

    info: BuildInfo
    diagnostics: tuple[Diagnostic, ...]
    path: Path
    #: per list: how many of its units became entries, notes or diagnostics
    summaries: tuple[ListSummary, ...] = ()
    #: Curated files that shrank sharply since the previous build (:func:`shrunk`), one line each.
    shrinkage: tuple[str, ...] = ()


#: A curated file "shrank sharply" when it lost more than half its records, and either all of
#: them or at least this many (a curator moving a few records between files is no alarm).
SHRINK_MIN_LOST = 10


def curated_info(curated: Curated) -> list[CuratedInfo]:
    """What a build records of the curated files it joins: each file and its record count."""
    return [CuratedInfo(kind=kind, path=str(path.resolve()), records=n) for kind, path, n in curated.sizes()]


def shrunk(before: Sequence[CuratedInfo], after: Sequence[CuratedInfo]) -> list[str]:
    """The curated files (and kinds, all files of a kind together) that lost more than half their
    records between two builds, one line each: ``path: 24884 -> 0 records``. A file gone counts
    as empty."""
    lines = []
    now = {c.path: c.records for c in after}
    for c in before:
        n = now.get(c.path, 0)
        if _sharp(c.records, n):
            gone = "" if c.path in now else " (the file is gone)"
            lines.append(f"{c.path}: {c.records} -> {n} {c.kind} records{gone}")
    for kind in sorted({c.kind for c in before}):
        old = sum(c.records for c in before if c.kind == kind)
        new = sum(c.records for c in after if c.kind == kind)
        if _sharp(old, new) and len([c for c in before if c.kind == kind]) > 1:
            lines.append(f"all {kind} files: {old} -> {new} records")
    return lines


def _sharp(old: int, new: int) -> bool:
    return new * 2 < old and (new == 0 or old - new >= SHRINK_MIN_LOST)


def _previous(store_dir: Path) -> BuildInfo | None:
    """The current build's info, if there is a readable one (the caller holds the build lock)."""
    from interp_kg.store.builds import current_build, read_build_info

    try:
        return read_build_info(current_build(store_dir))
    except StoreError:
        return None


class _Chunked:
    """Collects N-Triples lines and writes them to a binary stream in large UTF-8 chunks."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.buf: list[str] = []

    def extend(self, lines: Iterable[str]) -> None:
        """Add ``lines`` (a bounded batch: one work's, one parse batch's)."""
        self.buf.extend(lines)
        if len(self.buf) >= 4096:  # about 1 MiB: the first chunks of the loader are that small
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.buf).encode("utf-8"))
        self.buf.clear()


def build(
    sources: Sequence[Path | ListSource],
    store_dir: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: ProgressCallback | None = None,
    with_queries: bool = True,
    curated: Curated | None = None,
    optimize: bool = False,
    registry: Registry | None = None,
) -> BuildResult:
    """Build the store at ``store_dir`` from ``sources``; the old store stays until this succeeds.

    One pass, in one direction: each list is parsed into catalog nodes
    (:class:`~interp_kg.catalog.stream.CatalogStream`, curated facts joined), the writer turns
    them into N-Triples (:meth:`~interp_kg.rdf.graph.GraphWriter.batches`), and the store loads
    them as they come. ``curated`` holds the bibliography, the alias table and the Wikidata
    mapping (default: the bundled ones); ``with_queries`` publishes the saved-query catalogue in
    the graph too. ``optimize`` compacts the new store before it is swapped in (see
    :func:`interp_kg.store.builds.load_build`). ``registry`` replaces the bundled registry of IRIs
    (tests); the store's own is read from and written to :func:`registry_dir`, before the new build
    is swapped in. The record count of each curated file is kept in ``build.json``; the result's
    ``shrinkage`` names the files that shrank sharply since the previous build (a truncated file
    joins as "no records", silently otherwise)."""
    start = time.perf_counter()
    queries = tuple(load_catalogue().values()) if with_queries else ()
    curated = curated if curated is not None else Curated.bundled()
    # fail on a missing source before any work; then the order that decides, not the order given
    ordered = in_order([s if isinstance(s, ListSource) else local_source(s) for s in sources])
    lists = [_list_info(s) for s in ordered]
    diagnostics: tuple[Diagnostic, ...] = ()
    summaries: tuple[ListSummary, ...] = ()

    def produce(out: BinaryIO) -> BuildInfo:
        nonlocal diagnostics, summaries
        stream = CatalogStream(ordered, curated, queries, progress=progress, book=book)
        chunks = _Chunked(out)
        for batch in GraphWriter(base_iri).batches(stream):
            chunks.extend(batch)
        chunks.flush()
        catalog = stream.catalog
        assert catalog is not None
        diagnostics = tuple(d for p in stream.lists for d in p.diagnostics)
        summaries = tuple(stream.summaries)
        return BuildInfo(
            version=__version__,
            sources=[s.spec.given for s in ordered],
            lists=lists,
            base_iri=base_iri,
            bullets=sum(p.bullets for p in stream.lists),
            entries=stream.entries,
            notes=sum(p.notes for p in stream.lists),
            works=dict(sorted(stream.kinds.items())),
            topics=len(catalog.topics),
            venues=len(catalog.venues),
            authors=len(catalog.authors),
            triples=0,
            warnings=sum(d.severity != "info" for d in diagnostics),
            curated=curated_info(curated),
            seconds=0.0,
        )

    def finish(info: BuildInfo) -> None:
        info.seconds = round(time.perf_counter() - start, 3)
        if book.modified or migrated:  # the IRIs this build mints, kept before it is swapped in
            book.save(registry_dir(store_dir))

    # The GC stays paused until ``produce``'s objects are gone: re-enabled while they live, its
    # first collection would walk them all (about a second at 100k entries).
    with build_lock(store_dir), no_gc():
        previous = _previous(store_dir)
        base = registry if registry is not None else bundled_registry()
        local, migrated = _store_registry(store_dir, base)
        book = IriBook(base, local, curated.aliases)
        path, info = load_build(store_dir, produce, optimize=optimize, finish=finish)
    shrinkage = tuple(shrunk(previous.curated, info.curated)) if previous is not None else ()
    return BuildResult(
        info=info, diagnostics=diagnostics, path=path, summaries=summaries, shrinkage=shrinkage
    )
