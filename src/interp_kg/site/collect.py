"""Reading the store for the site: a small index first, then every resource, one at a time.

:func:`build_index` reads only the few predicates pages need about *other* resources (labels,
classes, years, topics, venues, authors, the topic tree, who owns a listing) and the list of
subjects (everything under the data namespace with a class or a label): that index is all a page
needs beyond its own triples, and its size is a few short strings per work. :func:`fetch` then
reads one subject's triples at a time, so that each page is written as soon as they are read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from interp_kg import vocab as v
from interp_kg.prefixes import PREFIXES
from interp_kg.site.paths import resource_stem

if TYPE_CHECKING:
    from typing import TypeAlias

    import pyoxigraph

    Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple

#: Read when present (authors and Wikidata links are added by other parts of the pipeline).
AUTHOR_P = v.AUTHOR_P
SAME_AS = v.SAME_AS
OWL_SAME_AS = PREFIXES["owl"] + "sameAs"

#: The class that decides how a resource's page looks, most specific first.
KINDS: dict[str, str] = {
    v.PAPER: "paper",
    v.TOOL: "tool",
    v.TUTORIAL: "tutorial",
    v.VIDEO: "video",
    v.WORK: "work",
    v.TOPIC: "topic",
    v.VENUE: "venue",
    v.AUTHOR: "author",
    v.LISTING: "listing",
}
WORK_KINDS = frozenset({"paper", "tool", "tutorial", "video", "work"})


_stem = lru_cache(maxsize=1 << 15)(resource_stem)


@dataclass
class Index:
    """What pages need to know about resources other than their own subject."""

    base_iri: str
    label: dict[str, str] = field(default_factory=dict)
    kind: dict[str, str] = field(default_factory=dict)
    year: dict[str, int] = field(default_factory=dict)
    broader: dict[str, str] = field(default_factory=dict)
    narrower: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    topic_works: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    venue_works: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    author_works: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    listing_owner: dict[str, str] = field(default_factory=dict)
    subjects: list[str] = field(default_factory=list)
    authorship: dict[str, tuple[int, str]] = field(default_factory=dict)

    def stem(self, iri: str) -> str | None:
        """The site path (no extension) of ``iri``, ``None`` when it is not ours."""
        return _stem(iri, self.base_iri)

    def name(self, iri: str) -> str:
        """A resource's label, else the last segment of its IRI."""
        return self.label.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    def authors(self, resource: Resource) -> list[str]:
        """A work's authors: in the order of its authorships when it has them, else by name."""
        ordered = sorted(self.authorship[a] for a in resource.values(v.AUTHORSHIP_P) if a in self.authorship)
        people = list(dict.fromkeys(person for _, person in ordered))
        rest = sorted(set(resource.values(AUTHOR_P)) - set(people), key=lambda a: (self.name(a), a))
        return people + rest

    def newest_first(self, works: list[str]) -> list[str]:
        """``works`` newest first; without a year last; then by label and IRI."""
        return sorted(works, key=lambda w: (-self.year.get(w, -1), self.name(w).casefold(), w))

    def works_below(self, topic: str) -> int:
        """Works under ``topic`` or any topic below it (each counted once)."""
        seen: set[str] = set()
        stack = [topic]
        while stack:
            t = stack.pop()
            seen.update(self.topic_works.get(t, ()))
            stack.extend(self.narrower.get(t, ()))
        return len(seen)

    def top_topics(self) -> list[str]:
        """Topics without a broader topic, by label."""
        tops = [t for t, k in self.kind.items() if k == "topic" and t not in self.broader]
        return sorted(tops, key=lambda t: (self.name(t).casefold(), t))

    def children(self, topic: str) -> list[str]:
        return sorted(self.narrower.get(topic, ()), key=lambda t: (self.name(t).casefold(), t))

    def breadcrumb(self, topic: str) -> list[str]:
        """The topics above ``topic``, top first (a cycle is cut where it closes)."""
        trail: list[str] = []
        current = self.broader.get(topic)
        while current is not None and current not in trail and current != topic:
            trail.append(current)
            current = self.broader.get(current)
        return trail[::-1]


def _pairs(store: pyoxigraph.Store, predicate: str) -> Iterator[tuple[str, Term]]:
    import pyoxigraph

    for quad in store.quads_for_pattern(
        None, pyoxigraph.NamedNode(predicate), None, pyoxigraph.DefaultGraph()
    ):
        if isinstance(quad.subject, pyoxigraph.NamedNode):
            yield quad.subject.value, quad.object


def build_index(store: pyoxigraph.Store, base_iri: str) -> Index:
    """The :class:`Index` of the store's default graph (one read per predicate)."""
    import pyoxigraph

    index = Index(base_iri)
    rank = {cls: i for i, cls in enumerate(KINDS)}
    best: dict[str, int] = {}
    subjects: set[str] = set()
    for s, o in _pairs(store, v.TYPE):
        subjects.add(s)
        cls = o.value if isinstance(o, pyoxigraph.NamedNode) else ""
        r = rank.get(cls)
        if r is not None and r < best.get(s, len(rank)):
            best[s] = r
            index.kind[s] = KINDS[cls]
    labels: dict[str, dict[str, str]] = {v.LABEL: {}, v.PREF_LABEL: {}}
    for predicate, found in labels.items():  # several labels: the least, for stable pages
        for s, o in _pairs(store, predicate):
            if isinstance(o, pyoxigraph.Literal) and index.kind.get(s) != "listing":
                found[s] = min(found.get(s, o.value), o.value)
            subjects.add(s)
    index.label = labels[v.PREF_LABEL] | labels[v.LABEL]  # rdfs:label wins
    for s, o in _pairs(store, v.YEAR):
        if isinstance(o, pyoxigraph.Literal) and o.value.lstrip("-").isdigit():
            index.year[s] = int(o.value)
    for s, o in _pairs(store, v.BROADER):
        if isinstance(o, pyoxigraph.NamedNode) and index.kind.get(s) == "topic":
            index.broader[s] = o.value
            index.narrower[o.value].append(s)
    targets = ((v.TOPIC_P, index.topic_works), (v.VENUE_P, index.venue_works), (AUTHOR_P, index.author_works))
    for predicate, table in targets:
        for s, o in _pairs(store, predicate):
            if isinstance(o, pyoxigraph.NamedNode) and index.kind.get(s) in WORK_KINDS:
                table[o.value].append(s)
    positions = {s: int(o.value) for s, o in _pairs(store, v.POSITION) if isinstance(o, pyoxigraph.Literal)}
    for s, o in _pairs(store, v.PERSON_P):
        if isinstance(o, pyoxigraph.NamedNode):
            index.authorship[s] = (positions.get(s, 0), o.value)
    for s, o in _pairs(store, v.LISTING_P):
        if isinstance(o, pyoxigraph.NamedNode):
            index.listing_owner.setdefault(o.value, s)
    index.subjects = sorted(x for x in subjects if x.startswith(base_iri))
    for name in ("narrower", "topic_works", "venue_works", "author_works"):
        setattr(index, name, dict(getattr(index, name)))  # plain dicts: the index goes to workers
    return index


class Resource:
    """One subject and its triples, sorted (as N-Triples text) for byte-stable output."""

    __slots__ = ("_by", "iri", "triples")

    def __init__(self, iri: str, triples: tuple[pyoxigraph.Triple, ...]) -> None:
        self.iri = iri
        self.triples = triples
        self._by: dict[str, list[Term]] | None = None

    def objects(self, predicate: str) -> list[Term]:
        if self._by is None:
            self._by = defaultdict(list)
            for t in self.triples:
                self._by[t.predicate.value].append(t.object)
        return self._by.get(predicate, [])

    def values(self, predicate: str) -> list[str]:
        import pyoxigraph

        return [o.value for o in self.objects(predicate) if not isinstance(o, pyoxigraph.Triple)]


def fetch(store: pyoxigraph.Store, iri: str) -> Resource:
    """One subject's triples, read from the store."""
    import pyoxigraph

    quads = store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None, pyoxigraph.DefaultGraph())
    return Resource(iri, tuple(sorted((q.triple for q in quads), key=str)))


@dataclass(frozen=True)
class Listing:
    """One occurrence of a resource in a source list: file, line and the line's text."""

    iri: str
    source: str
    line: int | None
    text: str


def listing(store: pyoxigraph.Store, iri: str) -> Listing:
    """The listing node ``iri`` read from the store."""
    import pyoxigraph

    values: dict[str, str] = {}
    for quad in store.quads_for_pattern(pyoxigraph.NamedNode(iri), None, None, pyoxigraph.DefaultGraph()):
        if isinstance(quad.object, pyoxigraph.Literal):
            values.setdefault(quad.predicate.value, quad.object.value)
    line = values.get(v.LINE, "")
    return Listing(
        iri,
        values.get(v.SOURCE_FILE, ""),
        int(line) if line.isdigit() else None,
        values.get(v.SOURCE_TEXT, ""),
    )
