"""``interp-kg build``: parse -> catalog -> N-Triples -> a new store build, swapped in when complete."""

from __future__ import annotations

import os
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from interp_kg import __version__
from interp_kg.catalog import Catalog, build_catalog
from interp_kg.graph import GraphWriter
from interp_kg.models import Diagnostic, ParsedList
from interp_kg.parse import ProgressCallback, parse_file
from interp_kg.prefixes import DEFAULT_BASE_IRI
from interp_kg.store import BuildInfo, build_lock, load_build


@dataclass(frozen=True)
class BuildResult:
    """What a build made, for the summary."""

    info: BuildInfo
    diagnostics: tuple[Diagnostic, ...]
    path: Path


def parse_sources(sources: Sequence[Path], progress: ProgressCallback | None = None) -> list[ParsedList]:
    """Parse every source list (diagnostics name each by its file name)."""
    return [parse_file(path, progress=progress) for path in sources]


def write_ntriples(catalog: Catalog, out: Path, base_iri: str = DEFAULT_BASE_IRI) -> int:
    """Write the catalog's graph as N-Triples; returns the number of lines written."""
    n = 0
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        buf: list[str] = []
        for line in GraphWriter(base_iri).triples(catalog):
            buf.append(line)
            if len(buf) >= 65536:
                fh.write("".join(buf))
                n += len(buf)
                buf.clear()
        fh.write("".join(buf))
        n += len(buf)
    return n


def build(
    sources: Sequence[Path],
    store_dir: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Build the store at ``store_dir`` from ``sources``; the old store stays until this succeeds."""
    start = time.perf_counter()
    with build_lock(store_dir):
        parsed = parse_sources(sources, progress)
        catalog = build_catalog(parsed)
        fd, tmp = tempfile.mkstemp(prefix=".graph-", suffix=".nt", dir=store_dir)
        os.close(fd)
        nt = Path(tmp)
        try:
            write_ntriples(catalog, nt, base_iri)
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
            path = load_build(store_dir, nt, info)
        finally:
            nt.unlink(missing_ok=True)
    info.seconds = round(time.perf_counter() - start, 3)
    (path / "build.json").write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return BuildResult(info=info, diagnostics=diagnostics, path=path)
