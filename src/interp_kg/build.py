"""``interp-kg build``: parse -> catalog -> N-Triples -> a new store build, swapped in when complete."""

from __future__ import annotations

import contextlib
import gc
import itertools
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from interp_kg import __version__
from interp_kg.catalog import Catalog, build_catalog
from interp_kg.graph import GraphWriter
from interp_kg.models import Diagnostic, ParsedList
from interp_kg.parse import ProgressCallback, parse_file
from interp_kg.prefixes import DEFAULT_BASE_IRI
from interp_kg.saved import SavedQuery, load_catalogue
from interp_kg.store import BuildInfo, build_lock, load_build


@dataclass(frozen=True)
class BuildResult:
    """What a build made, for the summary."""

    info: BuildInfo
    diagnostics: tuple[Diagnostic, ...]
    path: Path


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the pipeline allocates millions of acyclic objects,
    and collections triggered by them cost more than the work itself on large lists."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_sources(sources: Sequence[Path], progress: ProgressCallback | None = None) -> list[ParsedList]:
    """Parse every source list (diagnostics name each by its file name)."""
    return [parse_file(path, progress=progress) for path in sources]


def write_ntriples(
    catalog: Catalog, out: BinaryIO, base_iri: str = DEFAULT_BASE_IRI, queries: Sequence[SavedQuery] = ()
) -> int:
    """Write the catalog's graph (and the saved queries) as N-Triples (UTF-8) to ``out``;
    returns the number of triples."""
    n = 0
    buf: list[str] = []
    writer = GraphWriter(base_iri)
    for line in itertools.chain(writer.triples(catalog), writer.saved_queries(queries)):
        buf.append(line)
        if len(buf) >= 16384:
            out.write("".join(buf).encode("utf-8"))
            n += len(buf)
            buf.clear()
    out.write("".join(buf).encode("utf-8"))
    return n + len(buf)


def build(
    sources: Sequence[Path],
    store_dir: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: ProgressCallback | None = None,
    with_queries: bool = True,
) -> BuildResult:
    """Build the store at ``store_dir`` from ``sources``; the old store stays until this succeeds.
    ``with_queries`` publishes the saved-query catalogue in the graph too."""
    start = time.perf_counter()
    queries = tuple(load_catalogue().values()) if with_queries else ()
    with build_lock(store_dir):
        with no_gc():
            parsed = parse_sources(sources, progress)
            catalog = build_catalog(parsed)
        diagnostics = tuple(d for p in parsed for d in p.diagnostics)
        info = BuildInfo(
            version=__version__,
            sources=[str(s) for s in sources],
            base_iri=base_iri,
            bullets=sum(p.bullets for p in parsed),
            entries=sum(len(p.entries) for p in parsed),
            notes=sum(p.notes for p in parsed),
            works=dict(sorted(Counter(w.kind for w in catalog.works).items())),
            topics=len(catalog.topics),
            venues=len(catalog.venues),
            authors=len(catalog.authors),
            triples=0,
            warnings=sum(d.severity != "info" for d in diagnostics),
            seconds=0.0,
        )
        del parsed  # the catalog is all the graph needs: free the memory before loading
        path = load_build(store_dir, lambda out: write_ntriples(catalog, out, base_iri, queries), info)
    info.seconds = round(time.perf_counter() - start, 3)
    (path / "build.json").write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return BuildResult(info=info, diagnostics=diagnostics, path=path)
