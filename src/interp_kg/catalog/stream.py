"""The build's one pass: source lists -> catalog nodes, in the order they become final.

:class:`CatalogStream` parses each list and yields its listings (:class:`Listed`) as soon as the
parser has them, then every work as soon as it is complete with its curated facts, then the whole
:class:`~interp_kg.catalog.models.Catalog` (topics, venues, people), then the saved queries. The
RDF writer turns each into triples as it comes (:meth:`interp_kg.rdf.graph.GraphWriter.batches`),
so the store loads the first triples while the last lists are still being read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.models import Catalog, Work
from interp_kg.catalog.works import CatalogBuilder
from interp_kg.curation.saved_queries import SavedQuery
from interp_kg.source.models import Entry, Heading, ListSummary, ParsedList
from interp_kg.source.parse import ProgressCallback, iter_parse_file


@dataclass(frozen=True)
class Listed:
    """Entries of one list that are final, with the list's headings read so far."""

    source: str
    entries: Sequence[Entry]
    headings: Sequence[Heading]


class CatalogStream:
    """Iterate it once for the nodes; then :attr:`lists` (each parsed list, its entries dropped),
    :attr:`entries` (how many there were), :attr:`summaries` (what became of each list's units)
    and :attr:`catalog` say what was built."""

    def __init__(
        self,
        sources: Sequence[Path],
        curated: Curated,
        queries: Sequence[SavedQuery] = (),
        progress: ProgressCallback | None = None,
    ) -> None:
        self.sources = sources
        self.curated = curated
        self.queries = queries
        self.progress = progress
        self.lists: list[ParsedList] = []
        self.summaries: list[ListSummary] = []
        self.entries = 0
        self.catalog: Catalog | None = None

    def __iter__(self) -> Iterator[Listed | Work | Catalog | SavedQuery]:
        builder = CatalogBuilder(curated=self.curated)
        for path in self.sources:
            parser = iter_parse_file(path, progress=self.progress)
            streamed = 0
            while True:
                try:
                    entries, headings = next(parser)
                except StopIteration as done:
                    parsed: ParsedList = done.value
                    break
                yield Listed(path.name, entries, headings)
                streamed += len(entries)
            yield Listed(parsed.source, parsed.entries[streamed:], parsed.headings)
            builder.add(parsed)
            self.summaries.append(parsed.summary())
            # the catalog keeps what it needs of the entries: keep the counts and diagnostics only
            self.lists.append(parsed.model_copy(update={"entries": ()}))
            self.entries += len(parsed.entries)
        yield from builder.works()
        self.catalog = builder.catalog()
        yield self.catalog
        yield from self.queries
