"""Reading the graph for the site: one pass over its N-Triples for a small index, then every
resource, one at a time.

The graph is read from the N-Triples file its build loaded into the store (decoding the on-disk
store costs several times more). :func:`scan` reads it once, keeping only the few predicates
pages need about *other* resources (labels, classes, years, topics, venues, authors, the topic
tree, who owns a listing), the byte spans of each subject's lines, and the counts the dataset
description gives: that index is all a page needs beyond its own statements, and its size is a
few short strings per work. :class:`Lines` then reads one subject's lines at a time (through a
memory map), so that each page is written as soon as they are read.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from interp_kg.citations.facts import PREDICATES as CITATION_PREDICATES
from interp_kg.citations.facts import CitationFacts
from interp_kg.citations.model import Citation
from interp_kg.gcpause import no_gc
from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import PREFIXES
from interp_kg.site.dataset import Stats
from interp_kg.site.paths import resource_stem

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
    #: subject -> (start, end, ...) byte spans of its lines in the N-Triples file
    spans: dict[str, tuple[int, ...]] = field(default_factory=dict)
    #: work -> its authorship nodes, published inside the work's documents
    embedded: dict[str, list[str]] = field(default_factory=dict)
    #: the resources published inside another's documents (the values of ``embedded``)
    inside: set[str] = field(default_factory=set)
    #: work -> its citation (with its key, unique over the graph)
    cite: dict[str, Citation] = field(default_factory=dict)
    #: topic -> its place in the list's heading order (``ikg:listOrder``)
    order: dict[str, int] = field(default_factory=dict)
    #: work -> the source lists (file names) that list it
    lists: dict[str, list[str]] = field(default_factory=dict)
    #: topic labels more than one topic has ("General"): such topics are named with their parent
    repeated: set[str] = field(default_factory=set)

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

    def topic_key(self, topic: str) -> tuple[int, str, str]:
        """Topics sort in the list's heading order, then by label."""
        return (self.order.get(topic, 1 << 30), self.name(topic).casefold(), topic)

    def top_topics(self) -> list[str]:
        """Topics without a broader topic, in the list's order."""
        tops = [t for t, k in self.kind.items() if k == "topic" and t not in self.broader]
        return sorted(tops, key=self.topic_key)

    def children(self, topic: str) -> list[str]:
        """The topics right below ``topic``, in the list's order."""
        return sorted(self.narrower.get(topic, ()), key=self.topic_key)

    def topic_name(self, topic: str) -> str:
        """A topic's label, with its parent's before it when other topics share the label
        ("Tools/Techniques/Methods \u203a General")."""
        name = self.name(topic)
        parent = self.broader.get(topic)
        if name in self.repeated and parent is not None:
            return f"{self.name(parent)} \u203a {name}"
        return name

    def all_below(self, topic: str) -> list[str]:
        """Works under ``topic`` or any topic below it, each once, in IRI order."""
        seen: set[str] = set()
        stack = [topic]
        visited: set[str] = set()
        while stack:
            t = stack.pop()
            if t in visited:
                continue
            visited.add(t)
            seen.update(self.topic_works.get(t, ()))
            stack.extend(self.narrower.get(t, ()))
        return sorted(seen)

    def breadcrumb(self, topic: str) -> list[str]:
        """The topics above ``topic``, top first (a cycle is cut where it closes)."""
        trail: list[str] = []
        current = self.broader.get(topic)
        while current is not None and current not in trail and current != topic:
            trail.append(current)
            current = self.broader.get(current)
        return trail[::-1]


LITERAL, IRI, BLANK = "literal", "iri", "blank"
_XSD_STRING = v.XSD + "string"
_LANG_STRING = PREFIXES["rdf"] + "langString"
_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape_match(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _ECHARS.get(m.group(3), m.group(3))


class Obj:
    """An object term read from an N-Triples line: its kind (:data:`IRI`, :data:`BLANK`,
    :data:`LITERAL`), value, datatype and language, and its N-Triples text."""

    __slots__ = ("datatype", "kind", "language", "text", "value")

    def __init__(self, text: str) -> None:
        self.text = text
        self.datatype = ""
        self.language = ""
        first = text[:1]
        if first == "<":
            self.kind, self.value = IRI, text[1:-1]
        elif first == "_":
            self.kind, self.value = BLANK, text[2:]
        else:
            self.kind = LITERAL
            close = text.rfind('"')
            raw, rest = text[1:close], text[close + 1 :]
            self.value = _ECHAR.sub(_unescape_match, raw) if "\\" in raw else raw
            if rest.startswith("@"):
                self.language, self.datatype = rest[1:], _LANG_STRING
            elif rest.startswith("^^<"):
                self.datatype = rest[3:-1]
            else:
                self.datatype = _XSD_STRING

    def __str__(self) -> str:
        return self.text


class Resource:
    """One subject and its statements: the N-Triples lines (unique, sorted, so output is
    byte-stable) and, parsed from them, (predicate IRI, object) rows."""

    __slots__ = ("by", "iri", "lines", "rows")

    def __init__(self, iri: str, lines: list[str]) -> None:
        self.iri = iri
        self.lines = lines
        rows = []
        by: dict[str, list[Obj]] = {}
        for line in lines:
            a = line.index(" ")
            b = line.index(" ", a + 1)
            p = line[a + 2 : b - 1]
            o = Obj(line[b + 1 : line.rindex(" ")])
            rows.append((p, o))
            found = by.get(p)
            if found is None:
                by[p] = [o]
            else:
                found.append(o)
        self.rows: list[tuple[str, Obj]] = rows
        #: predicate IRI -> its objects, in the order of the lines
        self.by = by

    def objects(self, predicate: str) -> list[Obj]:
        return self.by.get(predicate, [])

    def values(self, predicate: str) -> list[str]:
        found = self.by.get(predicate)
        return [o.value for o in found] if found else []


class Lines:
    """Random access to the subjects of an N-Triples file by the byte spans the scan found."""

    def __init__(self, path: str, spans: dict[str, tuple[int, ...]]) -> None:
        import mmap

        self.spans = spans
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            self.data: bytes | mmap.mmap = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def lines(self, iri: str) -> list[str]:
        """The subject's lines, unique and sorted."""
        span = self.spans.get(iri, ())
        if len(span) == 2:
            text = self.data[span[0] : span[1]].decode("utf-8")
        else:
            text = "".join(self.data[span[k] : span[k + 1]].decode("utf-8") for k in range(0, len(span), 2))
        return sorted(set(text.splitlines()))

    def resource(self, iri: str) -> Resource:
        return Resource(iri, self.lines(iri))

    def listing(self, iri: str) -> Listing:
        """The listing node ``iri`` as :func:`listing` gives it, parsing only the lines it reads."""
        values: dict[str, str] = {}
        for line in self.lines(iri):
            a = line.index(" ")
            b = line.index(" ", a + 1)
            p = line[a + 2 : b - 1]
            if p in _LISTING_FIELDS and p not in values:
                o = Obj(line[b + 1 : line.rindex(" ")])
                if o.kind == LITERAL:
                    values[p] = o.value
        return _listing(iri, values)


def scan(path: str, base_iri: str, triples: int | None = None) -> tuple[Index, Stats]:
    """Read the N-Triples file once: the :class:`Index` (with the byte spans of each subject's
    lines) and the graph's :class:`Stats`. ``triples`` is how many distinct triples the file
    holds when known (the store's count): when the lines number as many, none repeats and they
    are read without checking; otherwise (or when unknown) a repeated line counts once.

    The cyclic garbage collector is paused meanwhile: the index is millions of acyclic strings,
    tuples and lists, and the collections their allocation triggers each walk all of them (the
    scan's time grew 16x from 10k to 100k entries with it, 12x without)."""
    with no_gc():
        return _scan(path, base_iri, triples)


def _scan(path: str, base_iri: str, triples: int | None) -> tuple[Index, Stats]:
    found, spans, properties, lines = _read(path, dedupe=triples is None)
    if triples is not None and lines != triples:
        found, spans, properties, lines = _read(path, dedupe=True)
    multi = [iri for iri, span in spans.items() if len(span) > 2]
    if multi and triples != lines:  # a subject's lines in several places: a line in two counts once
        data = Path(path).read_bytes()
        for iri in multi:
            span = spans[iri]
            runs = [set(data[span[k] : span[k + 1]].splitlines()) - {b""} for k in range(0, len(span), 2)]
            extra = Counter(x for run in runs for x in run) - Counter(set().union(*runs))
            for line, n in extra.items():
                a = line.find(b" ")
                properties[line[a + 1 : line.find(b" ", a + 1)]] -= n
    stats = Stats()
    for ptok, n in sorted(properties.items()):
        if n > 0:
            stats.properties[ptok[1:-1].decode()] = n
    stats.triples = sum(stats.properties.values())
    types = set(found[v.TYPE])
    stats.classes = Counter(o[1:-1] for _, o in types if o.startswith("<"))
    index = _index(base_iri, found, types)
    index.spans = {iri: tuple(span) for iri, span in spans.items() if iri.startswith(base_iri)}
    cut = len(base_iri)
    index.subjects = sorted(iri for iri in index.spans if iri[cut:].strip("/"))
    for iri in index.subjects:
        owner = authorship_owner(iri)
        if owner is not None and owner in index.spans and owner[cut:].strip("/"):
            index.embedded.setdefault(owner, []).append(iri)
            index.inside.add(iri)
    return index, stats


_WANTED = tuple(
    dict.fromkeys(
        (
            v.TYPE,
            v.LABEL,
            v.PREF_LABEL,
            v.YEAR,
            v.BROADER,
            v.TOPIC_P,
            v.VENUE_P,
            AUTHOR_P,
            v.POSITION,
            v.PERSON_P,
            v.LISTING_P,
            v.LIST_ORDER,
            v.SOURCE_FILE,
            *CITATION_PREDICATES,
        )
    )
)


def _read(
    path: str, dedupe: bool
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[int]], dict[bytes, int], int]:
    """One pass over the lines: the objects of the wanted predicates by subject, each subject's
    byte spans, the lines per predicate, and the number of lines counted."""
    wanted = {f"<{p}>".encode(): p for p in _WANTED}
    found: dict[str, list[tuple[str, str]]] = {p: [] for p in _WANTED}
    spans: dict[str, list[int]] = {}
    properties: dict[bytes, int] = {}
    count = 0
    subject, name, start, offset = b"", "", 0, 0
    seen: set[bytes] = set()
    with open(path, "rb") as f:
        for raw in f:
            a = raw.find(b" ")
            if a < 0:
                offset += len(raw)
                continue
            s = raw[:a]
            if s != subject:
                if subject:
                    spans[name] += (start, offset)
                subject, start = s, offset
                if dedupe:
                    seen = set()
                name = s[1:-1].decode() if s[:1] == b"<" else "_:" + s[2:].decode()
                if name not in spans:
                    spans[name] = []
            offset += len(raw)
            if dedupe:
                if raw in seen:
                    continue
                seen.add(raw)
            count += 1
            b = raw.find(b" ", a + 1)
            ptok = raw[a + 1 : b]
            properties[ptok] = properties.get(ptok, 0) + 1
            p = wanted.get(ptok)
            if p is not None:
                found[p].append((name, raw[b + 1 : raw.rfind(b" ")].decode()))
    if subject:
        spans[name] += (start, offset)
    return found, spans, properties, count


def authorship_owner(iri: str) -> str | None:
    """The work an authorship node (``<work>/authorship/<n>``) belongs to, by its IRI."""
    head, sep, tail = iri.rpartition("/authorship/")
    return head if sep and tail.isdigit() and "/" in head else None


def _index(base_iri: str, found: dict[str, list[tuple[str, str]]], types: set[tuple[str, str]]) -> Index:
    index = Index(base_iri)
    rank = {cls: i for i, cls in enumerate(KINDS)}
    best: dict[str, int] = {}
    for s, o in types:
        r = rank.get(o[1:-1])
        if r is not None and r < best.get(s, len(rank)):
            best[s] = r
            index.kind[s] = KINDS[o[1:-1]]
    labels: dict[str, dict[str, str]] = {v.LABEL: {}, v.PREF_LABEL: {}}
    for predicate, table in labels.items():  # several labels: the least, for stable pages
        for s, o in found[predicate]:
            value = _literal(o)
            if value is not None and index.kind.get(s) != "listing":
                table[s] = min(table.get(s, value), value)
    index.label = labels[v.PREF_LABEL] | labels[v.LABEL]  # rdfs:label wins
    for s, o in found[v.YEAR]:
        value = _literal(o)
        if value is not None and value.lstrip("-").isdigit():
            index.year[s] = int(value)
    narrower: dict[str, list[str]] = defaultdict(list)
    for s, o in found[v.BROADER]:
        if o.startswith("<") and index.kind.get(s) == "topic":
            index.broader[s] = o[1:-1]
            narrower[o[1:-1]].append(s)
    index.narrower = dict(narrower)
    targets = ((v.TOPIC_P, "topic_works"), (v.VENUE_P, "venue_works"), (AUTHOR_P, "author_works"))
    for predicate, attribute in targets:
        works: dict[str, list[str]] = defaultdict(list)
        for s, o in found[predicate]:
            if o.startswith("<") and index.kind.get(s) in WORK_KINDS:
                works[o[1:-1]].append(s)
        setattr(index, attribute, dict(works))
    positions = {}
    for s, o in found[v.POSITION]:
        value = _literal(o)
        if value is not None and value.lstrip("-").isdigit():
            positions[s] = int(value)
    for s, o in found[v.PERSON_P]:
        if o.startswith("<"):
            index.authorship[s] = (positions.get(s, 0), o[1:-1])
    for s, o in found[v.LISTING_P]:
        if o.startswith("<"):
            index.listing_owner.setdefault(o[1:-1], s)
    for s, o in found[v.LIST_ORDER]:
        value = _literal(o)
        if value is not None and value.isdigit() and index.kind.get(s) == "topic":
            index.order[s] = int(value)
    lists: dict[str, set[str]] = defaultdict(set)
    for s, o in found[v.SOURCE_FILE]:
        owner = index.listing_owner.get(s)
        value = _literal(o)
        if owner is not None and value:
            lists[owner].add(value)
    index.lists = {w: sorted(files) for w, files in lists.items()}
    seen: Counter[str] = Counter(index.name(t) for t, k in index.kind.items() if k == "topic")
    index.repeated = {label for label, n in seen.items() if n > 1}
    facts = CitationFacts()
    kind = index.kind
    for predicate in CITATION_PREDICATES:
        for s, o in found[predicate]:
            if kind.get(s) == "listing":
                continue  # a listing is no work, venue, person or authorship: no citation reads it
            value = o[1:-1] if o.startswith("<") else _literal(o)
            if value is not None:
                facts.add(s, predicate, value)
    index.cite = facts.citations()
    return index


def _literal(text: str) -> str | None:
    if not text.startswith('"'):
        return None
    if text.endswith('"') and "\\" not in text:
        return text[1:-1]  # a plain string without escapes
    return Obj(text).value


@dataclass(frozen=True)
class Listing:
    """One occurrence of a resource in a source list: file, line and the line's text."""

    iri: str
    source: str
    line: int | None
    text: str


_LISTING_FIELDS = frozenset({v.LINE, v.SOURCE_FILE, v.SOURCE_TEXT})


def listing(resource: Resource) -> Listing:
    """The listing node ``resource`` as a :class:`Listing`."""
    values: dict[str, str] = {}
    for p, o in resource.rows:
        if o.kind == LITERAL:
            values.setdefault(p, o.value)
    return _listing(resource.iri, values)


def _listing(iri: str, values: dict[str, str]) -> Listing:
    line = values.get(v.LINE, "")
    return Listing(
        iri,
        values.get(v.SOURCE_FILE, ""),
        int(line) if line.isdigit() else None,
        values.get(v.SOURCE_TEXT, ""),
    )


def build_index(path: str, base_iri: str, triples: int | None = None) -> Index:
    """The :class:`Index` of the N-Triples file at ``path`` (see :func:`scan`)."""
    return scan(path, base_iri, triples)[0]
