"""The works of a built graph with the values Wikidata wants: read once from the store, each
with its curated bibliography record (the facts, and the page each was read on) when it has one.

Authors are read off the graph generically, so that any ordered authorship works: an RDF list of
author nodes (``rdf:first``/``rdf:rest``), or authorship nodes that point to an ``ikg:Author`` and
carry an integer position. Names are the authors' ``rdfs:label``.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from interp_kg.curation.bibliography import Bibliography, Record
from interp_kg.identifiers.schemes import WORK_SCHEMES, Identifier
from interp_kg.identifiers.wikidata import qid_of
from interp_kg.rdf import vocab as v
from interp_kg.rdf.graph import PREDICATE_OF_SCHEME
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    import pyoxigraph

    from interp_kg.rdf.export import GraphSource

KIND_OF_CLASS = {v.PAPER: "paper", v.TOOL: "tool", v.TUTORIAL: "tutorial", v.VIDEO: "video"}
ISSUED = v.DCTERMS + "issued"
_PRECISION = {v.XSD + "date": 11, v.XSD + "gYearMonth": 10, v.XSD + "gYear": 9}
_RDF_FIRST = v.RDF + "first"
_RDF_REST = v.RDF + "rest"
_RDF_NIL = v.RDF + "nil"
_NEW_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s#?]+?)(?:\.git)?/?$", re.IGNORECASE)
#: Identifier schemes in the order a work's record is matched by (strongest first).
_MATCH_ORDER = (*WORK_SCHEMES, "github")
#: Predicates from a work that never lead to its authors.
_NOT_AUTHORSHIP = frozenset(
    {v.TYPE, v.TOPIC_P, v.VENUE_P, v.URL, v.CODE_REPOSITORY, v.LISTING_P, v.SUB_ENTRY_OF, v.SOFTWARE}
)


def github_key(url: str) -> str | None:
    """``owner/repo`` in lower case for a GitHub repository URL, else None.

    >>> github_key("https://github.com/NeelNanda-io/TransformerLens.git")
    'neelnanda-io/transformerlens'
    """
    m = _GITHUB.match(url)
    return f"{m.group(1)}/{m.group(2)}".lower() if m else None


@dataclass(frozen=True)
class PublicationDate:
    """A date with Wikidata's precision: 9 (year), 10 (month) or 11 (day)."""

    year: int
    month: int = 1
    day: int = 1
    precision: int = 9

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, as precise as it is."""
        if self.precision == 9:
            return f"{self.year:04d}"
        if self.precision == 10:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass
class WorkFacts:
    """One work and what we know of it, in the forms Wikidata uses."""

    iri: str
    slug: str
    kind: str
    title: str
    year: int | None = None
    issued: PublicationDate | None = None
    #: Identifier scheme (arxiv, doi, openreview, acl, pmlr, github, ...) -> values, sorted.
    ids: dict[str, tuple[str, ...]] = field(default_factory=dict)
    repositories: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    venue: str | None = None
    venue_iri: str | None = None
    venue_peer_reviewed: bool | None = None
    #: conference, journal, workshop, preprint, forum or blog (``ikg:venueKind``).
    venue_kind: str | None = None
    topics: list[str] = field(default_factory=list)
    topic_iris: list[str] = field(default_factory=list)
    same_as: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    #: Where the curated author list was read (the authorship nodes' ``prov:wasDerivedFrom``).
    authors_source: str | None = None
    #: Where the curated date was read (``ikg:dateSource``).
    date_source: str | None = None
    #: The curated bibliography record of the work: its facts, each with the page it was read on.
    record: Record | None = None

    @property
    def arxiv(self) -> tuple[str, ...]:
        return self.ids.get("arxiv", ())

    @property
    def dois(self) -> tuple[str, ...]:
        return self.ids.get("doi", ())

    @property
    def openreview(self) -> tuple[str, ...]:
        return self.ids.get("openreview", ())

    @property
    def identifiers(self) -> list[Identifier]:
        """The work's identifiers, strongest first (what its bibliography record is matched by)."""
        return [
            Identifier(scheme, value)  # type: ignore[arg-type]
            for scheme in _MATCH_ORDER
            for value in self.ids.get(scheme, ())
        ]

    @property
    def own_repositories(self) -> set[str]:
        """``owner/repo`` (lower case) of the work's own GitHub repositories: a tool's, a paper's
        code. Their pages are primary records of the work's facts."""
        own = {value.lower() for value in self.ids.get("github", ())}
        return own | {key for url in self.repositories if (key := github_key(url)) is not None}

    @property
    def date(self) -> PublicationDate | None:
        """The publication date: ``dcterms:issued``, else the arXiv id's month when it agrees with
        the year, else the year."""
        if self.issued is not None:
            return self.issued
        for arxiv_id in self.arxiv:
            m = _NEW_ARXIV.match(arxiv_id)
            if m:
                year, month = 2000 + int(m.group(1)), int(m.group(2))
                if self.year in (None, year) and 1 <= month <= 12:
                    return PublicationDate(year, month, 1, 10)
        return PublicationDate(self.year) if self.year is not None else None


def _date(literal: pyoxigraph.Literal) -> PublicationDate | None:
    precision = _PRECISION.get(literal.datatype.value)
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", literal.value)
    if precision is None or not m:
        return None
    return PublicationDate(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1), precision)


def read_works(
    store: pyoxigraph.Store,
    base_iri: str = DEFAULT_BASE_IRI,
    bibliography: Bibliography | None = None,
    *,
    only: Iterable[str] | None = None,
) -> list[WorkFacts]:
    """Every work of the store's default graph (or the works of IRIs ``only``), sorted by IRI,
    each with its record of ``bibliography`` (matched by its identifiers, then its links) when
    given. Each work's statements are read in one look-up."""
    return list(iter_works(store, base_iri, bibliography, only=only))


def iter_works(
    store: pyoxigraph.Store,
    base_iri: str = DEFAULT_BASE_IRI,
    bibliography: Bibliography | None = None,
    *,
    only: Iterable[str] | None = None,
) -> Iterator[WorkFacts]:
    """The works of :func:`read_works`, one at a time (only their IRIs are held: a large graph's
    works need not fit in memory together)."""
    import pyoxigraph as px

    g = px.DefaultGraph()
    work_class = px.NamedNode(v.WORK)
    if only is None:
        iris = sorted(
            {
                q.subject.value
                for q in store.quads_for_pattern(None, px.NamedNode(v.TYPE), work_class, g)
                if isinstance(q.subject, px.NamedNode)
            }
        )
    else:
        iris = sorted(set(only))
    read = _FactReader(store, base_iri, bibliography)
    for iri in iris:
        s = px.NamedNode(iri)
        if (facts := read(s, list(store.quads_for_pattern(s, None, None, g)))) is not None:
            yield facts


def scan_works(source: GraphSource, bibliography: Bibliography | None = None) -> Iterator[WorkFacts]:
    """The works of :func:`iter_works`, read off the graph's canonical N-Triples
    (:meth:`~interp_kg.rdf.export.GraphSource.canonical_path`: sorted, so a subject's statements
    are one run of lines) instead of one store look-up per work: an on-disk look-up costs about
    half a millisecond, a parsed line a microsecond. Works come in the file's order (by their
    lines' bytes, not quite by IRI); only their authors and venues are looked up in the store."""
    import pyoxigraph as px

    read = _FactReader(source.store, source.base_iri, bibliography)
    with source.canonical_path() as path, path.open("rb", buffering=1 << 20) as f:
        for s, quads in itertools.groupby(px.parse(f, format=px.RdfFormat.N_TRIPLES), attrgetter("subject")):
            if isinstance(s, px.NamedNode) and (facts := read(s, list(quads))) is not None:
                yield facts


class _FactReader:
    """A work's facts from its statements; venues looked up once each in the store."""

    def __init__(self, store: pyoxigraph.Store, base_iri: str, bibliography: Bibliography | None) -> None:
        import pyoxigraph as px

        self.store = store
        self.base_iri = base_iri
        self.bibliography = bibliography
        self.work_class = px.NamedNode(v.WORK)
        self.venues: dict[str, tuple[bool | None, str | None]] = {}

    def venue_of(self, iri: pyoxigraph.NamedNode) -> tuple[bool | None, str | None]:
        import pyoxigraph as px

        if iri.value not in self.venues:
            out: dict[str, list[str]] = defaultdict(list)
            for q in self.store.quads_for_pattern(iri, None, None, px.DefaultGraph()):
                out[q.predicate.value].append(str(q.object.value))  # type: ignore[union-attr]
            reviewed = out.get(v.PEER_REVIEWED)
            kinds = out.get(v.VENUE_KIND)
            self.venues[iri.value] = (
                reviewed[0] == "true" if reviewed else None,
                kinds[0] if kinds else None,
            )
        return self.venues[iri.value]

    def __call__(self, s: pyoxigraph.NamedNode, quads: list[pyoxigraph.Quad]) -> WorkFacts | None:
        """The facts of work ``s`` from its statements ``quads``; None when ``s`` is no work."""
        import pyoxigraph as px

        base_iri = self.base_iri
        by: dict[str, list[px.NamedNode | px.BlankNode | px.Literal]] = defaultdict(list)
        for quad in quads:
            if not isinstance(quad.object, px.Triple):
                by[quad.predicate.value].append(quad.object)
        if not any(o == self.work_class for o in by.get(v.TYPE, ())):
            return None
        classes = {o.value for o in by[v.TYPE]}
        kind = next((k for c, k in KIND_OF_CLASS.items() if c in classes), "paper")
        slug = s.value[len(base_iri) :] if s.value.startswith(base_iri) else s.value
        labels = _texts(by.get(v.LABEL, ()))
        facts = WorkFacts(iri=s.value, slug=slug, kind=kind, title=labels[0] if labels else slug)
        year = _texts(by.get(v.YEAR, ()))
        facts.year = int(year[0]) if year else None
        # the first readable date in the order of the values' text: the same whichever order
        # the statements come in
        for o in sorted(by.get(ISSUED, ()), key=str):
            if isinstance(o, px.Literal):
                facts.issued = facts.issued or _date(o)
        for scheme, predicate in PREDICATE_OF_SCHEME.items():
            if values := _texts(by.get(predicate, ())):
                facts.ids[scheme] = tuple(values)
        facts.repositories = _texts(by.get(v.CODE_REPOSITORY, ()))
        facts.urls = _texts(by.get(v.URL, ()))
        if listed := [o for o in by.get(v.VENUE_P, ()) if isinstance(o, px.NamedNode)]:
            venue = min(listed, key=lambda o: o.value)
            facts.venue_iri = venue.value
            facts.venue = venue.value[len(base_iri) :] if venue.value.startswith(base_iri) else venue.value
            facts.venue_peer_reviewed, facts.venue_kind = self.venue_of(venue)
        facts.topic_iris = _texts(by.get(v.TOPIC_P, ()))
        facts.topics = [t[len(base_iri) :] if t.startswith(base_iri) else t for t in facts.topic_iris]
        facts.same_as = sorted(x for o in by.get(v.SAME_AS, ()) if (x := qid_of(str(o.value))) is not None)
        facts.authors, facts.authors_source = _authors(self.store, quads)
        sources = _texts(by.get(v.DATE_SOURCE, ()))
        facts.date_source = sources[0] if sources else None
        if self.bibliography is not None and (located := self.bibliography.for_work(facts)) is not None:
            facts.record = located.record
        return facts


def recorded_works(
    store: pyoxigraph.Store, bibliography: Bibliography, base_iri: str = DEFAULT_BASE_IRI
) -> list[WorkFacts]:
    """The works of the store that have a record in ``bibliography``, found through the records'
    identifiers and links (index look-ups, not a walk over every work)."""
    import pyoxigraph as px

    g = px.DefaultGraph()
    found: set[str] = set()
    for located in bibliography.records:
        record = located.record
        terms: list[tuple[str, px.NamedNode | px.Literal]] = [
            (PREDICATE_OF_SCHEME[i.scheme], px.Literal(i.value))
            for i in record.identifiers
            if i.scheme in PREDICATE_OF_SCHEME
        ]
        scheme, value = record.key.split(":", 1)
        if scheme == "url":
            terms.append((v.URL, px.NamedNode(value)))
        for predicate, term in terms:
            found.update(
                q.subject.value
                for q in store.quads_for_pattern(None, px.NamedNode(predicate), term, g)
                if isinstance(q.subject, px.NamedNode)
            )
    works = read_works(store, base_iri, bibliography, only=found)
    return [w for w in works if w.record is not None]


def _texts(terms: Iterable[pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal]) -> list[str]:
    return sorted({str(t.value) for t in terms})


def _authors(store: pyoxigraph.Store, work_quads: list[pyoxigraph.Quad]) -> tuple[list[str], str | None]:
    """The work's author names in order, from an RDF list or from positioned authorship nodes
    (the name as written there when given, else the author's label), and the first source the
    authorship nodes give (``prov:wasDerivedFrom``); ``work_quads`` are the work's statements."""
    import pyoxigraph as px

    g = px.DefaultGraph()
    author_class = px.NamedNode(v.AUTHOR)

    def out(s: px.NamedNode | px.BlankNode) -> list[px.Quad]:
        return list(store.quads_for_pattern(s, None, None, g))

    def is_author(node: object) -> bool:
        return isinstance(node, px.NamedNode | px.BlankNode) and any(
            True for _ in store.quads_for_pattern(node, px.NamedNode(v.TYPE), author_class, g)
        )

    def name(node: px.NamedNode | px.BlankNode) -> str | None:
        quads = store.quads_for_pattern(node, px.NamedNode(v.LABEL), None, g)
        labels = sorted(q.object.value for q in quads if isinstance(q.object, px.Literal))
        return labels[0] if labels else None

    ordered: list[tuple[int, str]] = []
    sources: set[str] = set()
    for quad in work_quads:
        node = quad.object
        if quad.predicate.value in _NOT_AUTHORSHIP or not isinstance(node, px.NamedNode | px.BlankNode):
            continue
        cells = out(node)
        if any(q.predicate.value == _RDF_FIRST for q in cells):  # an RDF list
            position, cell, seen = 0, node, set()
            while (
                isinstance(cell, px.NamedNode | px.BlankNode) and cell.value != _RDF_NIL and cell not in seen
            ):
                seen.add(cell)
                first = [q.object for q in store.quads_for_pattern(cell, px.NamedNode(_RDF_FIRST), None, g)]
                rest = [q.object for q in store.quads_for_pattern(cell, px.NamedNode(_RDF_REST), None, g)]
                if first and is_author(first[0]) and (n := name(first[0])):  # type: ignore[arg-type]
                    position += 1
                    ordered.append((position, n))
                cell = rest[0] if rest else None  # type: ignore[assignment]
            continue
        author = next((q.object for q in cells if is_author(q.object)), None)
        position_literal = next(
            (
                q.object
                for q in cells
                if isinstance(q.object, px.Literal) and q.object.datatype.value == v.XSD_INTEGER
            ),
            None,
        )
        if author is not None and position_literal is not None and (n := name(author)):  # type: ignore[arg-type]
            written = sorted(
                q.object.value
                for q in cells
                if q.predicate.value == v.NAME_AS_WRITTEN and isinstance(q.object, px.Literal)
            )
            ordered.append((int(position_literal.value), written[0] if written else n))
            sources.update(
                q.object.value
                for q in cells
                if q.predicate.value == v.WAS_DERIVED_FROM and isinstance(q.object, px.NamedNode)
            )
    return [n for _, n in sorted(ordered)], min(sources) if sources else None
