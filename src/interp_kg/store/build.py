"""``interp-kg build``: parse -> catalog -> N-Triples -> a new store build, swapped in when complete."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from interp_kg import __version__
from interp_kg.catalog.authorship import BibliographicPass
from interp_kg.catalog.works import Work, build_catalog
from interp_kg.curation.aliases import AliasTable, default_aliases
from interp_kg.curation.bibliography import Bibliography, default_folder
from interp_kg.curation.bibliography import load as load_bibliography
from interp_kg.curation.saved_queries import load_catalogue
from interp_kg.curation.wikidata_mapping import load_mapping
from interp_kg.gcpause import no_gc
from interp_kg.rdf.graph import GraphWriter
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI
from interp_kg.source.models import Diagnostic, Entry, Heading, ParsedList
from interp_kg.source.parse import ProgressCallback, parse_file, read_source
from interp_kg.store.buildinfo import BuildInfo
from interp_kg.store.builds import build_lock, load_build


@dataclass(frozen=True)
class BuildResult:
    """What a build made, for the summary."""

    info: BuildInfo
    diagnostics: tuple[Diagnostic, ...]
    path: Path


class _Chunked:
    """Collects N-Triples lines and writes them to a binary stream in large UTF-8 chunks."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.buf: list[str] = []

    def extend(self, lines: Iterable[str]) -> None:
        """Add ``lines`` (a bounded batch: one work's, one parse batch's)."""
        self.buf.extend(lines)
        if len(self.buf) >= 16384:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self.buf).encode("utf-8"))
        self.buf.clear()


def _parse_streaming(
    path: Path, writer: GraphWriter, chunks: _Chunked, progress: ProgressCallback | None
) -> ParsedList:
    """Parse one list, handing the listing nodes of its entries to ``chunks`` as they become final."""
    emitted = 0

    def stream(entries: Sequence[Entry], headings: Sequence[Heading]) -> None:
        nonlocal emitted
        chunks.extend(writer.listing_nodes(path.name, entries, headings))
        chunks.flush()
        emitted += len(entries)

    parsed = parse_file(path, progress=progress, on_final=stream)
    chunks.extend(writer.listing_nodes(parsed.source, parsed.entries[emitted:], parsed.headings))
    chunks.flush()
    return parsed


def build(
    sources: Sequence[Path],
    store_dir: Path,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: ProgressCallback | None = None,
    with_queries: bool = True,
    bibliography: Bibliography | None = None,
    people: AliasTable | None = None,
    wikidata_mapping: Path | None = None,
    optimize: bool = False,
) -> BuildResult:
    """Build the store at ``store_dir`` from ``sources``; the old store stays until this succeeds.
    ``with_queries`` publishes the saved-query catalogue in the graph too. ``bibliography`` holds
    the curated authors and dates (default: ``data/bibliography/``), ``people`` the alias table
    (default: ``data/authors/aliases.toml``); the confirmed links of ``wikidata_mapping``
    (default: ``data/wikidata/mapping.json``) become Wikidata links. ``optimize`` compacts the
    new store before it is swapped in (see :func:`interp_kg.store.builds.load_build`)."""
    start = time.perf_counter()
    queries = tuple(load_catalogue().values()) if with_queries else ()
    bib = bibliography if bibliography is not None else load_bibliography(default_folder())
    people = people if people is not None else default_aliases()
    mapping = load_mapping(wikidata_mapping)
    for path in sources:  # fail on a missing source before any work
        if not path.is_file():
            read_source(path)
    diagnostics: tuple[Diagnostic, ...] = ()

    def produce(out: BinaryIO) -> BuildInfo:
        nonlocal diagnostics
        # Runs while the loader reads ``out``: each list's listing nodes (40% of the triples) go to
        # the loader as soon as the list is parsed, each work's triples as soon as the catalog has
        # the work, the rest at the end.
        writer = GraphWriter(base_iri)
        chunks = _Chunked(out)
        facts = BibliographicPass(writer, bib, people)

        def emit(work: Work) -> None:
            work, extra = facts.work(work)  # curated authors and date: nothing without a record
            chunks.extend(writer.work_triples(work, listing_nodes=False))
            if extra:
                chunks.extend(extra)

        parsed = [_parse_streaming(path, writer, chunks, progress) for path in sources]
        catalog = build_catalog(parsed, on_work=emit, people=people)
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
            authors=len({a.slug for a in catalog.authors} | facts.spellings.keys()),
            triples=0,
            warnings=sum(d.severity != "info" for d in diagnostics),
            seconds=0.0,
        )
        del parsed  # the catalog is all the graph needs from here on
        chunks.extend(writer.triples(catalog, work_listing_nodes=False, works=False))
        chunks.extend(facts.people_triples(catalog.authors))
        chunks.extend(facts.name_order(catalog.authors))
        chunks.extend(writer.wikidata_links(catalog, mapping))
        chunks.extend(writer.saved_queries(queries))
        chunks.flush()
        return info

    # The GC stays paused until ``produce``'s objects are gone: re-enabled while they live, its
    # first collection would walk them all (about a second at 100k entries).
    with build_lock(store_dir), no_gc():
        path, info = load_build(store_dir, produce, optimize=optimize)
    info.seconds = round(time.perf_counter() - start, 3)
    (path / "build.json").write_text(info.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return BuildResult(info=info, diagnostics=diagnostics, path=path)
