"""Catalog -> RDF, written as N-Triples text (the fastest path into Oxigraph).

IRIs are ``<base><slug>`` with the slugs the catalog mints, so they are stable across builds.
Every node gets an ``rdfs:label``; works carry both ``ikg:Work`` and their own class, so SPARQL
without inference finds them either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache

from interp_kg.catalog.works import Catalog, Topic, VenueNode, Work, topic_slugs
from interp_kg.curation.saved_queries import SavedQuery
from interp_kg.curation.wikidata_mapping import Mapping
from interp_kg.identifiers.wikidata import entity
from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI
from interp_kg.source.models import Entry, Heading
from interp_kg.source.text import slugify

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
SCHEME_SLUG = "scheme/topics"
#: Query form -> (SHACL-SPARQL executable class, property holding the query text).
EXECUTABLE = {
    "select": (v.SH_SELECT_EXECUTABLE, v.SH_SELECT),
    "ask": (v.SH_ASK_EXECUTABLE, v.SH_ASK),
    "construct": (v.SH_CONSTRUCT_EXECUTABLE, v.SH_CONSTRUCT),
    "describe": (v.SH_CONSTRUCT_EXECUTABLE, v.SH_CONSTRUCT),
}
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(32) if c not in _ESCAPES})
_ESCAPES[0x7F] = "\\u007F"


_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def lit(value: str) -> str:
    """An N-Triples ``xsd:string`` literal."""
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def int_lit(value: int) -> str:
    """An N-Triples ``xsd:integer`` literal."""
    return f'"{value}"^^<{v.XSD_INTEGER}>'


def bool_lit(value: bool) -> str:
    """An N-Triples ``xsd:boolean`` literal."""
    return f'"{"true" if value else "false"}"^^<{v.XSD_BOOLEAN}>'


def person_triples(node: str, name: str) -> Iterator[str]:
    """The types and label of an author node (the list's people and the bibliography's authors)."""
    yield f"{node} <{v.TYPE}> <{v.AUTHOR}> .\n"
    yield f"{node} <{v.TYPE}> <{v.FOAF_PERSON}> .\n"
    yield f"{node} <{v.TYPE}> <{v.SCHEMA_PERSON}> .\n"
    yield f"{node} <{v.LABEL}> {lit(name)} .\n"


@lru_cache(maxsize=64)
def _source_slug(source: str) -> str:
    return slugify(source.rsplit("/", 1)[-1].rsplit(".", 1)[0])


def listing_slug(source: str, line: int) -> str:
    """IRI path of the listing of ``source`` line ``line``."""
    return f"listing/{_source_slug(source)}/L{line}"


class GraphWriter:
    """Writes a catalog's triples as N-Triples lines under one base IRI."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = base_iri

    def iri(self, slug: str) -> str:
        return f"<{self.base}{slug}>"

    def listing_nodes(
        self, source: str, entries: Sequence[Entry], headings: Sequence[Heading]
    ) -> Iterator[str]:
        """The listing nodes of entries that are works (not "By Source" entries), known as soon
        as the entries are parsed: a build streams them to the loader before the catalog exists.
        ``headings`` are the list's headings read so far (enough to name the entries' topics)."""
        slugs = topic_slugs(headings)
        for entry in entries:
            h = headings[entry.heading] if entry.heading is not None else None
            if h is None or h.section != "source":
                topic = slugs[entry.heading] if entry.heading is not None else None
                yield from self._listing_node(source, entry.line, topic, entry.text)

    def triples(
        self, catalog: Catalog, *, work_listing_nodes: bool = True, works: bool = True
    ) -> Iterator[str]:
        """Every triple of the catalog as an N-Triples line (with its newline); without the
        listing nodes of works when ``work_listing_nodes`` is false (see :meth:`listing_nodes`),
        without the works when ``works`` is false (see :meth:`work_triples`)."""
        yield from self._scheme(catalog)
        for topic in catalog.topics:
            yield from self._topic(topic)
        for venue in catalog.venues:
            yield from self._venue(venue)
        for author in catalog.authors:
            a = self.iri(author.slug)
            yield from person_triples(a, author.name)
            for alias in author.aliases:
                yield f"{a} <{v.ALIAS}> {lit(alias)} .\n"
            for sid in author.scholar_ids:
                yield f"{a} <{v.GOOGLE_SCHOLAR_ID}> {lit(sid)} .\n"
            for url in author.urls:
                yield f"{a} <{v.URL}> <{url}> .\n"
            for listing in author.listings:
                yield from self._listing(a, listing.source, listing.line, listing.topic, listing.text)
        if works:
            for work in catalog.works:
                yield from self._work(work, work_listing_nodes)
        yield from self.title_order(catalog.works)

    def title_order(self, works: Iterable[Work]) -> Iterator[str]:
        """``ikg:titleOrder`` of every work: its place by lower-cased title, then IRI."""
        keyed = sorted((work.title.lower(), self.iri(work.slug)) for work in works)
        for place, (_title, w) in enumerate(keyed, 1):
            yield f"{w} <{v.TITLE_ORDER}> {int_lit(place)} .\n"

    def work_triples(self, work: Work, *, listing_nodes: bool = True) -> list[str]:
        """One work's triples (its listing nodes too, unless streamed already)."""
        return self._work(work, listing_nodes)

    def wikidata_links(self, catalog: Catalog, mapping: Mapping) -> Iterator[str]:
        """Links to Wikidata items for the catalog's nodes: ``schema:sameAs`` for works, venues and
        authors, ``skos:exactMatch``/``skos:closeMatch`` for topics. Only confirmed links (a
        work's identifier match is one); nodes not in the catalog are skipped."""
        works = {w.slug for w in catalog.works}
        for link in mapping.works:
            if link.work in works:
                yield f"{self.iri(link.work)} <{v.SAME_AS}> <{entity(link.qid)}> .\n"
        nodes = {
            "venues": {n.slug for n in catalog.venues},
            "authors": {a.slug for a in catalog.authors},
            "topics": {t.slug for t in catalog.topics},
        }
        for field, slugs in nodes.items():
            for c in getattr(mapping, field):
                if c.status != "confirmed" or c.node not in slugs:
                    continue
                pred = (
                    v.SAME_AS
                    if field != "topics"
                    else (v.EXACT_MATCH if c.relation == "exact" else v.CLOSE_MATCH)
                )
                yield f"{self.iri(c.node)} <{pred}> <{entity(c.qid)}> .\n"

    def saved_queries(self, queries: Iterable[SavedQuery]) -> Iterator[str]:
        """The saved-query catalogue as SHACL-SPARQL executables, so the queries travel with the data."""
        for q in queries:
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

    def _scheme(self, catalog: Catalog) -> Iterator[str]:
        s = self.iri(SCHEME_SLUG)
        yield f"{s} <{v.TYPE}> <{v.CONCEPT_SCHEME}> .\n"
        yield f"{s} <{v.LABEL}> {lit(catalog.title)} .\n"
        for source in catalog.sources:
            yield f"{s} <{v.SOURCE}> {lit(source)} .\n"

    def _topic(self, topic: Topic) -> Iterator[str]:
        t = self.iri(topic.slug)
        yield f"{t} <{v.TYPE}> <{v.TOPIC}> .\n"
        yield f"{t} <{v.TYPE}> <{v.CONCEPT}> .\n"
        yield f"{t} <{v.LABEL}> {lit(topic.label)} .\n"
        yield f"{t} <{v.PREF_LABEL}> {lit(topic.label)} .\n"
        yield f"{t} <{v.IN_SCHEME}> {self.iri(SCHEME_SLUG)} .\n"
        yield f"{t} <{v.LIST_ORDER}> {int_lit(topic.order)} .\n"
        if topic.parent:
            yield f"{t} <{v.BROADER}> {self.iri(topic.parent)} .\n"
        else:
            yield f"{t} <{v.TOP_CONCEPT_OF}> {self.iri(SCHEME_SLUG)} .\n"

    def _venue(self, node: VenueNode) -> Iterator[str]:
        s = self.iri(node.slug)
        yield f"{s} <{v.TYPE}> <{v.VENUE}> .\n"
        yield f"{s} <{v.LABEL}> {lit(node.venue.name)} .\n"
        yield f"{s} <{v.VENUE_KIND}> {lit(node.venue.kind)} .\n"
        yield f"{s} <{v.PEER_REVIEWED}> {bool_lit(node.venue.peer_reviewed)} .\n"
        for url in sorted({*node.urls, *((node.venue.homepage,) if node.venue.homepage else ())}):
            yield f"{s} <{v.URL}> <{url}> .\n"

    def _listing(
        self, owner: str, source: str, line: int, topic: str | None, text: str, node: bool = True
    ) -> list[str]:
        lines = [f"{owner} <{v.LISTING_P}> {self.iri(listing_slug(source, line))} .\n"]
        if node:
            lines += self._listing_node(source, line, topic, text)
        return lines

    def _listing_node(self, source: str, line: int, topic: str | None, text: str) -> list[str]:
        li = self.iri(listing_slug(source, line))
        lines = [
            f"{li} <{v.TYPE}> <{v.LISTING}> .\n",
            f"{li} <{v.LABEL}> {lit(f'{source}:{line}')} .\n",
            f"{li} <{v.SOURCE_FILE}> {lit(source)} .\n",
            f"{li} <{v.LINE}> {int_lit(line)} .\n",
            f"{li} <{v.SOURCE_TEXT}> {lit(text)} .\n",
        ]
        if topic:
            lines.append(f"{li} <{v.TOPIC_P}> {self.iri(topic)} .\n")
        return lines

    def _work(self, work: Work, listing_nodes: bool = True) -> list[str]:
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
        return lines
