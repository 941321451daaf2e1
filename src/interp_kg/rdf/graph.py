"""Catalog -> RDF, written as N-Triples text (the fastest path into Oxigraph).

The writer has one entry, :meth:`GraphWriter.batches`: it takes the catalog's stream of nodes
(:class:`interp_kg.catalog.stream.CatalogStream`: the listings of each list as soon as they are
parsed, each work as soon as it is complete with its curated facts, then the whole catalog, then
the saved queries) and turns each into N-Triples lines. It writes what it is given and looks
nothing up.

IRIs are ``<base><slug>`` with the slugs the catalog mints, so they are stable across builds.
Every node gets an ``rdfs:label``; works carry both ``ikg:Work`` and their own class, so SPARQL
without inference finds them either way. A work's curated byline becomes ``ikg:author`` links and
one ``ikg:Authorship`` per place (``<work>/authorship/<n>``: ``ikg:position``, ``ikg:person``,
``ikg:nameAsWritten``, ``prov:wasDerivedFrom`` the page it was read from); its curated date
``dcterms:issued``, typed by its precision, with ``ikg:dateSource``.

Each list read is an ``ikg:SourceList`` (``listing/<key>``) and each of its lines a listing
(``listing/<key>/L<line>``) with ``ikg:inList``, ``ikg:line``, ``ikg:topic`` and the heading path it
was read under (``ikg:headingPath``). Each list's topics form a ``skos:ConceptScheme`` of their own
(``scheme/topics`` for the bundled list, ``topics/<list>`` for another). A topic renamed or moved
keeps its IRI and its other heading paths are ``skos:historyNote`` s. An IRI the registry replaced
(two works found to be one, a person merged by the alias table, a topic renamed before topics kept
their IRIs) has ``owl:sameAs`` and ``dcterms:isReplacedBy`` the IRI that stands for it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from interp_kg.catalog.models import Author, Catalog, Scheme, SourceList, Topic, VenueNode, Work
from interp_kg.catalog.stream import Listed
from interp_kg.curation.saved_queries import SavedQuery
from interp_kg.identifiers.wikidata import entity
from interp_kg.rdf import vocab as v
from interp_kg.rdf.ntriples import bool_lit, int_lit, lit, typed_lit
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI
from interp_kg.source.models import Entry, Heading
from interp_kg.source.text import slugify

#: A node of the catalog's stream, in the order :class:`~interp_kg.catalog.stream.CatalogStream`
#: gives them.
Node = Listed | Work | Catalog | SavedQuery

CLASS_OF_KIND = {"paper": v.PAPER, "tool": v.TOOL, "tutorial": v.TUTORIAL, "video": v.VIDEO}
PREDICATE_OF_SCHEME = {
    "arxiv": v.ARXIV_ID,
    "doi": v.DOI,
    "openreview": v.OPENREVIEW_ID,
    "acl": v.ACL_ANTHOLOGY_ID,
    "github": v.GITHUB_REPOSITORY,
    "pmlr": v.PMLR_ID,
    "neurips": v.NEURIPS_ID,
    "ieee": v.IEEE_XPLORE_ID,
    "scholar": v.GOOGLE_SCHOLAR_ID,
    "youtube_channel": v.YOUTUBE_CHANNEL,
    "youtube_video": v.YOUTUBE_VIDEO_ID,
    "lesswrong_post": v.LESSWRONG_POST_ID,
    "lesswrong_sequence": v.LESSWRONG_SEQUENCE_ID,
}
#: The concept scheme of the bundled list's topics.
SCHEME_SLUG = "scheme/topics"
#: Query form -> (SHACL-SPARQL executable class, property holding the query text).
EXECUTABLE = {
    "select": (v.SH_SELECT_EXECUTABLE, v.SH_SELECT),
    "ask": (v.SH_ASK_EXECUTABLE, v.SH_ASK),
    "construct": (v.SH_CONSTRUCT_EXECUTABLE, v.SH_CONSTRUCT),
    "describe": (v.SH_CONSTRUCT_EXECUTABLE, v.SH_CONSTRUCT),
}
DATATYPE = {"date": v.XSD_DATE, "gYearMonth": v.XSD_GYEARMONTH, "gYear": v.XSD_GYEAR}


@lru_cache(maxsize=64)
def _source_slug(source: str) -> str:
    return slugify(source.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def listing_slug(source: str, line: int, key: str | None = None) -> str:
    """IRI path of the listing of ``source`` line ``line``: under the list's ``key`` (default:
    the stem of the file name, as a slug)."""
    return f"listing/{key or _source_slug(source)}/L{line}"


def _heading_paths(topics: Iterable[Topic]) -> dict[str, str]:
    """Each topic's heading path (its labels from the top, joined by ' > ')."""
    by_slug = {t.slug: t for t in topics}
    out: dict[str, str] = {}
    for slug, topic in by_slug.items():
        labels = []
        node: Topic | None = topic
        seen: set[str] = set()
        while node is not None and node.slug not in seen:
            seen.add(node.slug)
            labels.append(node.label)
            node = by_slug.get(node.parent) if node.parent else None
        out[slug] = " > ".join(reversed(labels))
    return out


#: Lines per batch of the catalog's own triples (:meth:`GraphWriter.batches`).
CATALOG_BATCH = 4096


def _in_batches(lines: Iterable[str], size: int = CATALOG_BATCH) -> Iterator[list[str]]:
    """``lines`` as lists of at most ``size`` lines, in order.

    >>> [len(b) for b in _in_batches(map(str, range(10)), 4)]
    [4, 4, 2]
    """
    it = iter(lines)
    while batch := list(itertools.islice(it, size)):
        yield batch


class GraphWriter:
    """Writes a catalog's nodes as N-Triples lines under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = base_iri
        #: source name -> the key of its listings, as the stream and the catalog name them
        self.keys: dict[str, str] = {}
        #: topic IRI path -> heading path, for listings written with a whole catalog
        self.paths: dict[str, str] = {}
        #: what the end of the graph needs of the works streamed before the catalog (which then
        #: holds none): (lower-cased title, IRI path) of each, and the Wikidata items of those linked
        self.titles: list[tuple[str, str]] = []
        self.linked: list[tuple[str, tuple[str, ...]]] = []
        #: per list (source, key): the shared parts of its listing nodes (:meth:`_listing_parts`)
        self._parts: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        #: heading paths as N-Triples literals (a list's listings repeat a few hundred of them)
        self._quoted: dict[str, str] = {}

    def iri(self, slug: str) -> str:
        return f"<{self.base}{slug}>"

    def batches(self, nodes: Iterable[Node]) -> Iterator[list[str]]:
        """The N-Triples lines (each with its newline) of every node of a catalog stream, a batch
        per node (the catalog's in batches of :data:`CATALOG_BATCH` lines). A :class:`Listed` batch
        gives listing nodes, a :class:`Work` its own triples
        (its listings were written as they were listed), the :class:`Catalog` the scheme, topics,
        venues, people and sort keys, a :class:`SavedQuery` its SHACL-SPARQL executable."""
        for node in nodes:
            if isinstance(node, Listed):
                yield self._listed(node)
            elif isinstance(node, Work):
                self.titles.append((node.title.lower(), node.slug))
                if node.wikidata:
                    self.linked.append((node.slug, node.wikidata))
                yield self._work(node, listing_nodes=False)
            elif isinstance(node, Catalog):
                # in bounded batches: at a million works the sort keys alone are a million lines
                yield from _in_batches(self._catalog(node, works=False))
            else:
                yield list(self._saved_query(node))

    def lines(self, catalog: Catalog) -> Iterator[str]:
        """Every triple of a whole catalog (works and their listing nodes too), e.g. for a test or
        a one-off graph; a build streams :meth:`batches` instead."""
        yield from self._catalog(catalog, works=True)

    def _listed(self, listed: Listed) -> list[str]:
        """The listing nodes of entries that are works (not "By Source" entries), known as soon
        as the entries are parsed. ``listed.headings`` are the list's headings read so far (enough
        to name the entries' topics: ``listed.topics``)."""
        headings: Sequence[Heading] = listed.headings
        self.keys[listed.source] = listed.key
        lines: list[str] = []
        entry: Entry
        for entry in listed.entries:
            h = headings[entry.heading] if entry.heading is not None else None
            if h is None or h.section != "source":
                if entry.heading is None:
                    lines += self._listing_node(listed.source, entry.line, None, entry.text, None)
                else:
                    topic = listed.topics[entry.heading]
                    path = listed.paths[entry.heading]
                    lines += self._listing_node(listed.source, entry.line, topic, entry.text, path)
        return lines

    def _catalog(self, catalog: Catalog, *, works: bool) -> Iterator[str]:
        """The catalog's nodes, people the list names before people only the bylines name, and the
        links to Wikidata last (the order of the N-Triples a build keeps: the site's dumps copy it)."""
        for ref in catalog.lists:
            self.keys[ref.source] = ref.key
        self.paths = _heading_paths(catalog.topics)
        if catalog.schemes:
            for scheme in catalog.schemes:
                yield from self._scheme(scheme)
        else:
            yield from self._scheme(Scheme(slug=SCHEME_SLUG, label=catalog.title, sources=catalog.sources))
        for ref in catalog.lists:
            yield from self._source_list(ref)
        for topic in catalog.topics:
            yield from self._topic(topic)
        for venue in catalog.venues:
            yield from self._venue(venue)
        for author in catalog.authors:
            if author.listings:
                yield from self._author(author)
        if works:
            for work in catalog.works:
                yield from self._work(work, listing_nodes=True)
        if catalog.works or works:
            self.titles = [(work.title.lower(), work.slug) for work in catalog.works]
            self.linked = [(work.slug, work.wikidata) for work in catalog.works if work.wikidata]
        yield from self._title_order(self.titles)
        self.titles = []
        for author in catalog.authors:
            if not author.listings:
                yield from self._author(author)
        yield from self._name_order(catalog.authors)
        yield from self._wikidata_links(catalog)
        yield from self._replaced(catalog.replaced)

    def _replaced(self, pairs: Iterable[tuple[str, str]]) -> Iterator[str]:
        """``owl:sameAs`` and ``dcterms:isReplacedBy``: a replaced IRI stays resolvable."""
        for old, new in pairs:
            yield f"{self.iri(old)} <{v.OWL_SAME_AS}> {self.iri(new)} .\n"
            yield f"{self.iri(old)} <{v.IS_REPLACED_BY}> {self.iri(new)} .\n"

    def _source_list(self, ref: SourceList) -> Iterator[str]:
        """A list read into the graph: the parent of its listings."""
        s = self.iri(f"listing/{ref.key}")
        yield f"{s} <{v.TYPE}> <{v.SOURCE_LIST}> .\n"
        yield f"{s} <{v.LABEL}> {lit(ref.source)} .\n"
        if ref.upstream:
            yield f"{s} <{v.SOURCE}> <{ref.upstream}> .\n"

    def _wikidata_links(self, catalog: Catalog) -> Iterator[str]:
        """``schema:sameAs`` for works, venues and people, ``skos:exactMatch``/``skos:closeMatch``
        for topics: the links the curated mapping confirms."""
        nodes: Iterable[VenueNode | Author] = (*catalog.venues, *catalog.authors)
        linked: Iterable[tuple[str, Sequence[str]]] = (
            *sorted(self.linked),
            *((node.slug, node.wikidata) for node in nodes),
        )
        for slug, qids in linked:
            for qid in qids:
                yield f"{self.iri(slug)} <{v.SAME_AS}> <{entity(qid)}> .\n"
        for topic in catalog.topics:
            for relation, qid in topic.wikidata:
                pred = v.EXACT_MATCH if relation == "exact" else v.CLOSE_MATCH
                yield f"{self.iri(topic.slug)} <{pred}> <{entity(qid)}> .\n"

    def _title_order(self, titles: list[tuple[str, str]]) -> Iterator[str]:
        """``ikg:titleOrder`` of every work: its place by lower-cased title, then IRI (``titles``:
        (lower-cased title, IRI path) pairs, sorted here in place)."""
        titles.sort()
        for place, (_title, slug) in enumerate(titles, 1):
            yield f"{self.iri(slug)} <{v.TITLE_ORDER}> {int_lit(place)} .\n"

    def _name_order(self, people: Iterable[Author]) -> Iterator[str]:
        """``ikg:nameOrder`` of every person: their place by lower-cased name, then IRI."""
        keyed = sorted((a.name.lower(), self.iri(a.slug)) for a in people)
        for place, (_name, node) in enumerate(keyed, 1):
            yield f"{node} <{v.NAME_ORDER}> {int_lit(place)} .\n"

    def _saved_query(self, q: SavedQuery) -> Iterator[str]:
        """A saved query as a SHACL-SPARQL executable, so the queries travel with the data."""
        node = self.iri(f"query/{q.name}")
        cls, pred = EXECUTABLE[q.form]
        yield f"{node} <{v.TYPE}> <{cls}> .\n"
        yield f"{node} <{v.LABEL}> {lit(q.title)} .\n"
        if q.description:
            yield f"{node} <{v.COMMENT}> {lit(q.description)} .\n"
        yield f"{node} <{pred}> {lit(q.text)} .\n"
        for p in q.params:
            pn = self.iri(f"query/{q.name}/param/{p.name}")
            yield f"{node} <{v.PARAMETER}> {pn} .\n"
            yield f"{pn} <{v.TYPE}> <{v.QUERY_PARAMETER}> .\n"
            yield f"{pn} <{v.LABEL}> {lit(p.name)} .\n"
            yield f"{pn} <{v.PARAMETER_NAME}> {lit(p.name)} .\n"
            yield f"{pn} <{v.PARAMETER_TYPE}> {lit(p.type)} .\n"
            yield f"{pn} <{v.REQUIRED}> {bool_lit(p.required)} .\n"
            if p.default is not None:
                yield f"{pn} <{v.DEFAULT_VALUE}> {lit(p.default)} .\n"
            if p.help:
                yield f"{pn} <{v.COMMENT}> {lit(p.help)} .\n"

    def _scheme(self, scheme: Scheme) -> Iterator[str]:
        s = self.iri(scheme.slug)
        yield f"{s} <{v.TYPE}> <{v.CONCEPT_SCHEME}> .\n"
        yield f"{s} <{v.LABEL}> {lit(scheme.label)} .\n"
        for source in scheme.sources:
            yield f"{s} <{v.SOURCE}> {lit(source)} .\n"

    def _topic(self, topic: Topic) -> Iterator[str]:
        t = self.iri(topic.slug)
        yield f"{t} <{v.TYPE}> <{v.TOPIC}> .\n"
        yield f"{t} <{v.TYPE}> <{v.CONCEPT}> .\n"
        yield f"{t} <{v.LABEL}> {lit(topic.label)} .\n"
        yield f"{t} <{v.PREF_LABEL}> {lit(topic.label)} .\n"
        yield f"{t} <{v.IN_SCHEME}> {self.iri(topic.scheme)} .\n"
        yield f"{t} <{v.LIST_ORDER}> {int_lit(topic.order)} .\n"
        if topic.parent:
            yield f"{t} <{v.BROADER}> {self.iri(topic.parent)} .\n"
        else:
            yield f"{t} <{v.TOP_CONCEPT_OF}> {self.iri(topic.scheme)} .\n"
        for path in topic.history:
            yield f"{t} <{v.HISTORY_NOTE}> {lit(f'Also listed under the heading path: {path}')} .\n"

    def _venue(self, node: VenueNode) -> Iterator[str]:
        s = self.iri(node.slug)
        yield f"{s} <{v.TYPE}> <{v.VENUE}> .\n"
        yield f"{s} <{v.LABEL}> {lit(node.venue.name)} .\n"
        yield f"{s} <{v.VENUE_KIND}> {lit(node.venue.kind)} .\n"
        yield f"{s} <{v.PEER_REVIEWED}> {bool_lit(node.venue.peer_reviewed)} .\n"
        if node.featured:
            yield f"{s} <{v.FEATURED}> {bool_lit(True)} .\n"
        for url in sorted({*node.urls, *((node.venue.homepage,) if node.venue.homepage else ())}):
            yield f"{s} <{v.URL}> <{url}> .\n"

    def _author(self, author: Author) -> Iterator[str]:
        a = self.iri(author.slug)
        yield f"{a} <{v.TYPE}> <{v.AUTHOR}> .\n"
        yield f"{a} <{v.TYPE}> <{v.FOAF_PERSON}> .\n"
        yield f"{a} <{v.TYPE}> <{v.SCHEMA_PERSON}> .\n"
        yield f"{a} <{v.LABEL}> {lit(author.name)} .\n"
        for alias in author.aliases:
            yield f"{a} <{v.ALIAS}> {lit(alias)} .\n"
        if author.featured:
            yield f"{a} <{v.FEATURED}> {bool_lit(True)} .\n"
        for sid in author.scholar_ids:
            yield f"{a} <{v.GOOGLE_SCHOLAR_ID}> {lit(sid)} .\n"
        for url in author.urls:
            yield f"{a} <{v.URL}> <{url}> .\n"
        for listing in author.listings:
            yield from self._listing(a, listing.source, listing.line, listing.topic, listing.text)

    def _listing(
        self, owner: str, source: str, line: int, topic: str | None, text: str, node: bool = True
    ) -> list[str]:
        lines = [f"{owner} <{v.LISTING_P}> {self.iri(listing_slug(source, line, self.keys.get(source)))} .\n"]
        if node:
            lines += self._listing_node(source, line, topic, text, self.paths.get(topic) if topic else None)
        return lines

    def _listing_node(
        self, source: str, line: int, topic: str | None, text: str, path: str | None
    ) -> list[str]:
        key = self.keys.get(source) or _source_slug(source)
        parts = self._parts.get((source, key))
        if parts is None:
            parts = self._parts[(source, key)] = self._listing_parts(source, key)
        head, label, in_list, source_file = parts
        li = f"{head}{line}>"
        lines = [
            f"{li} <{v.TYPE}> <{v.LISTING}> .\n",
            f'{li}{label}{line}" .\n',
            li + in_list,
            li + source_file,
            f"{li} <{v.LINE}> {int_lit(line)} .\n",
            f"{li} <{v.SOURCE_TEXT}> {lit(text)} .\n",
        ]
        if topic:
            lines.append(f"{li} <{v.TOPIC_P}> {self.iri(topic)} .\n")
        if path:
            quoted = self._quoted.get(path)
            if quoted is None:
                quoted = self._quoted[path] = lit(path)
            lines.append(f"{li} <{v.HEADING_PATH}> {quoted} .\n")
        return lines

    def _listing_parts(self, source: str, key: str) -> tuple[str, str, str, str]:
        """What every listing node of one list shares: the start of its IRI and of its label's
        triple after the subject (each up to the line number), and its ``ikg:inList`` and
        ``ikg:sourceFile`` triples after the subject."""
        return (
            f"<{self.base}listing/{key}/L",
            f" <{v.LABEL}> {lit(f'{source}:')[:-1]}",
            f" <{v.IN_LIST}> {self.iri(f'listing/{key}')} .\n",
            f" <{v.SOURCE_FILE}> {lit(source)} .\n",
        )

    def _work(self, work: Work, listing_nodes: bool) -> list[str]:
        w = self.iri(work.slug)
        lines = [
            f"{w} <{v.TYPE}> <{v.WORK}> .\n",
            f"{w} <{v.TYPE}> <{CLASS_OF_KIND[work.kind]}> .\n",
            f"{w} <{v.LABEL}> {lit(work.title)} .\n",
        ]
        add = lines.append
        for alias in work.aliases:
            add(f"{w} <{v.ALIAS}> {lit(alias)} .\n")
        if work.featured:
            add(f"{w} <{v.FEATURED}> {bool_lit(True)} .\n")
        if work.year is not None:
            add(f"{w} <{v.YEAR}> {int_lit(work.year)} .\n")
        if work.venue:
            add(f"{w} <{v.VENUE_P}> {self.iri(work.venue)} .\n")
        if work.presentation:
            add(f"{w} <{v.PRESENTATION}> {lit(work.presentation)} .\n")
        for ident in work.identifiers:
            add(f"{w} <{PREDICATE_OF_SCHEME[ident.scheme]}> {lit(ident.value)} .\n")
        for url in work.urls:
            add(f"{w} <{v.URL}> <{url}> .\n")
        for repo in work.code_repositories:
            add(f"{w} <{v.CODE_REPOSITORY}> <{repo}> .\n")
        for topic in work.topics:
            add(f"{w} <{v.TOPIC_P}> {self.iri(topic)} .\n")
        for note in work.notes:
            add(f"{w} <{v.NOTE}> {lit(note)} .\n")
        for parent in work.sub_entry_of:
            add(f"{w} <{v.SUB_ENTRY_OF}> {self.iri(parent)} .\n")
        for tool in work.software:
            add(f"{w} <{v.SOFTWARE}> {self.iri(tool)} .\n")
        for listing in work.listings:
            lines += self._listing(
                w, listing.source, listing.line, listing.topic, listing.text, listing_nodes
            )
        if work.authorships:
            lines += self._byline(work, w)
        if work.issued is not None:
            add(f"{w} <{v.ISSUED}> {typed_lit(work.issued.value, DATATYPE[work.issued.precision])} .\n")
            add(f"{w} <{v.DATE_SOURCE}> <{work.issued.source}> .\n")
        if work.abstract is not None:
            add(f"{w} <{v.ABSTRACT}> {lit(work.abstract.text)} .\n")
            add(f"{w} <{v.ABSTRACT_SOURCE}> <{work.abstract.source}> .\n")
            add(f"{w} <{v.ABSTRACT_RETRIEVED}> {typed_lit(work.abstract.retrieved, v.XSD_DATE)} .\n")
        return lines

    def _byline(self, work: Work, w: str) -> list[str]:
        lines: list[str] = []
        for place in work.authorships:
            a = self.iri(place.person)
            s = self.iri(f"{work.slug}/authorship/{place.position}")
            lines += (
                f"{w} <{v.AUTHOR_P}> {a} .\n",
                f"{w} <{v.AUTHORSHIP_P}> {s} .\n",
                f"{s} <{v.TYPE}> <{v.AUTHORSHIP}> .\n",
                f"{s} <{v.LABEL}> {lit(f'{place.position}. {place.name}')} .\n",
                f"{s} <{v.PERSON_P}> {a} .\n",
                f"{s} <{v.POSITION}> {int_lit(place.position)} .\n",
                f"{s} <{v.NAME_AS_WRITTEN}> {lit(place.name)} .\n",
                f"{s} <{v.WAS_DERIVED_FROM}> <{place.source}> .\n",
            )
        if not work.authors_complete:
            lines.append(f"{w} <{v.AUTHOR_LIST_COMPLETE}> {bool_lit(False)} .\n")
        return lines
