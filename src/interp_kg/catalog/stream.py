"""The build's one pass: source lists -> catalog nodes, in the order they become final.

:class:`CatalogStream` parses each list and yields its listings (:class:`Listed`) as soon as the
parser has them and their topics' IRIs are known, then every work as soon as it is complete with
its curated facts, then the whole :class:`~interp_kg.catalog.models.Catalog` (topics, venues,
people: not the works again, which are released once yielded), then the saved queries. The RDF
writer turns each into triples as it comes (:meth:`interp_kg.rdf.graph.GraphWriter.batches`), so
the store loads the first triples while the last lists are still being read, and what was written
is let go.

A topic's IRI is known at once when its heading is registered (:mod:`interp_kg.catalog.persist`),
or when its list has no registered topic yet (a first build): the entries under a heading that may
be a renamed or moved topic wait for the end of their list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.models import Catalog, SourceList, Work
from interp_kg.catalog.persist import IriBook
from interp_kg.catalog.works import CatalogBuilder
from interp_kg.curation.saved_queries import SavedQuery
from interp_kg.source.lists import ListSource, local_source
from interp_kg.source.models import Entry, Heading, ListSummary, ParsedList
from interp_kg.source.parse import ProgressCallback, iter_parse_file


@dataclass(frozen=True)
class Listed:
    """Entries of one list that are final, with the list's headings read so far, the IRI path of
    each heading's topic and its heading path."""

    source: str
    entries: Sequence[Entry]
    headings: Sequence[Heading]
    key: str
    """The namespace of the list's listings (``listing/<key>/L<line>``)."""
    topics: Sequence[str | None]
    paths: Sequence[str]


def source_list(src: ListSource) -> SourceList:
    """The catalog's record of a list to read (its upstream file only at a known commit)."""
    upstream = src.url or (src.bundled.upstream_url if src.bundled and src.bundled.commit else None)
    return SourceList(key=src.key, source=src.source, name=src.name, bare=src.bare, upstream=upstream)


class CatalogStream:
    """Iterate it once for the nodes; then :attr:`lists` (each parsed list, its entries dropped),
    :attr:`entries` (how many there were), :attr:`summaries` (what became of each list's units)
    and :attr:`catalog` say what was built. ``sources`` are read in the order given (a build
    gives them in :func:`interp_kg.source.lists.in_order`); ``book`` holds the registry's IRIs."""

    def __init__(
        self,
        sources: Sequence[ListSource | Path],
        curated: Curated,
        queries: Sequence[SavedQuery] = (),
        progress: ProgressCallback | None = None,
        book: IriBook | None = None,
    ) -> None:
        self.sources = [s if isinstance(s, ListSource) else local_source(s) for s in sources]
        self.curated = curated
        self.queries = queries
        self.progress = progress
        self.book = book if book is not None else IriBook(aliases=curated.aliases)
        self.lists: list[ParsedList] = []
        self.summaries: list[ListSummary] = []
        self.entries = 0
        #: works by kind, counted as they pass (the catalog keeps none: see below)
        self.kinds: Counter[str] = Counter()
        self.catalog: Catalog | None = None

    def __iter__(self) -> Iterator[Listed | Work | Catalog | SavedQuery]:
        # the works are streamed and released: the catalog at the end has none of them
        builder = CatalogBuilder(curated=self.curated, book=self.book, keep_works=False)
        for src in self.sources:
            ref = source_list(src)
            lister = builder.lister(ref)
            parser = iter_parse_file(src.path, source=src.source, progress=self.progress, keep=False)
            reader = builder.reading(src.source, parser, ref)
            held: list[Entry] = []  # entries under a heading whose topic waits for the list's end
            # a batch's listings go out when the next batch comes: the last batch (the parser's
            # return) goes out with the held entries, once every topic is known
            prev: tuple[Sequence[Entry], Sequence[Heading], list[str | None]] | None = None
            while True:
                try:
                    entries, headings = next(reader)
                except StopIteration as done:
                    parsed, count = done.value
                    break
                if prev is not None:
                    batch, seen, slugs = prev
                    ready = [e for e in batch if e.heading is None or slugs[e.heading] is not None]
                    if len(ready) < len(batch):
                        held += [e for e in batch if e.heading is not None and slugs[e.heading] is None]
                    if ready:
                        yield Listed(src.source, ready, seen, src.key, slugs, list(lister.paths))
                prev = (entries, headings, lister.feed(headings))
            last = prev[0] if prev is not None else ()
            lister.feed(parsed.headings)
            final = list(lister.finish())
            yield Listed(src.source, [*held, *last], parsed.headings, src.key, final, list(lister.paths))
            self.summaries.append(parsed.summary(count))
            # the catalog keeps what it needs of the entries: keep the counts and diagnostics only
            self.lists.append(parsed.model_copy(update={"entries": ()}))
            self.entries += count
        kinds = self.kinds
        for work in builder.works():
            kinds[work.kind] += 1
            yield work
        self.catalog = builder.catalog()
        yield self.catalog
        yield from self.queries
