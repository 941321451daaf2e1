"""Reading the graph for the site: one pass over its N-Triples for a small index, then every
resource, one at a time.

The graph is read from the N-Triples file its build loaded into the store (decoding the on-disk
store costs several times more). :func:`scan` reads it once, keeping only the few predicates
pages need about *other* resources (labels, classes, years, topics, venues, authors, the topic
tree, who owns a listing), the byte spans of each subject's lines, and the counts the dataset
description gives: that index is all a page needs beyond its own statements, and its size is a
few short strings per work. :class:`Lines` then reads one subject's lines at a time (``pread``
of its byte spans), so that each page is written as soon as they are read.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pickle
import re
import tempfile
import weakref
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from interp_kg.citations.facts import OF_OTHERS as CITATION_OF_OTHERS
from interp_kg.citations.facts import PREDICATES as CITATION_PREDICATES
from interp_kg.citations.facts import CitationFacts
from interp_kg.citations.model import Citation, base_key, key_suffix
from interp_kg.gcpause import no_gc
from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import PREFIXES
from interp_kg.site.dataset import Stats
from interp_kg.site.ondisk import Db, Groups, Spans, Subjects, Table, grouped
from interp_kg.site.paths import listing_chunk, resource_stem

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
    """What pages need to know about resources other than their own subject. What grows with
    the graph is a mapping: a dictionary when made by hand (tests), a table of the index file on
    disk when made by :func:`scan` (``db``)."""

    base_iri: str
    label: Mapping[str, str] = field(default_factory=dict)
    kind: Mapping[str, str] = field(default_factory=dict)
    year: Mapping[str, int] = field(default_factory=dict)
    broader: dict[str, str] = field(default_factory=dict)
    narrower: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    topic_works: Mapping[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    venue_works: Mapping[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    author_works: Mapping[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    listing_owner: Mapping[str, str] = field(default_factory=dict)
    subjects: Collection[str] = field(default_factory=list)
    authorship: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: subject -> (start, end, ...) byte spans of its lines in the N-Triples file
    spans: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    #: work -> its authorship nodes, published inside the work's documents
    embedded: dict[str, list[str]] = field(default_factory=dict)
    #: the resources published inside another's documents (the values of ``embedded``)
    inside: set[str] = field(default_factory=set)
    #: work -> its citation (with its key, unique over the graph)
    cite: Mapping[str, Citation] = field(default_factory=dict)
    #: topic -> its place in the list's heading order (``ikg:listOrder``)
    order: dict[str, int] = field(default_factory=dict)
    #: work -> the source lists (file names) that list it
    lists: Mapping[str, list[str]] = field(default_factory=dict)
    #: topic labels more than one topic has ("General"): such topics are named with their parent
    repeated: set[str] = field(default_factory=set)
    #: the index file the mappings read (``None``: they are dictionaries)
    db: Db | None = None

    def of_kind(self, kinds: Collection[str]) -> Iterator[str]:
        """The resources whose kind is one of ``kinds`` (in IRI order from the index file)."""
        if self.db is None:
            return (iri for iri, k in self.kind.items() if k in kinds)
        marks = ", ".join("?" * len(kinds))
        return (
            k for (k,) in self.db.query(f"SELECT k FROM kind WHERE v IN ({marks}) ORDER BY k", sorted(kinds))
        )

    def topics_of(self, work: str) -> list[str]:
        """The topics that list ``work`` directly, each once."""
        if self.db is None:
            return [t for t, works in self.topic_works.items() if work in works]
        sql = "SELECT DISTINCT c FROM member INDEXED BY member_m WHERE m = ? AND g = 'topic'"
        return [t for (t,) in self.db.query(sql, (work,))]

    def kind_counts(self) -> Counter[str]:
        """How many resources there are of each kind."""
        if self.db is None:
            return Counter(self.kind.values())
        return Counter(dict(self.db.query("SELECT v, COUNT(*) FROM kind GROUP BY v")))

    def below(self, topic: str) -> list[str]:
        """``topic`` and every topic below it, each once."""
        return _reached(topic, self.narrower)

    def above(self, topic: str) -> list[str]:
        """``topic`` and every topic it is below: those whose :meth:`below` holds it, each once.

        >>> index = Index("https://x/", narrower={"a": ["b", "c"], "b": ["d"], "c": ["d"]})
        >>> sorted(index.above("d")), index.above("a")
        (['a', 'b', 'c', 'd'], ['a'])
        """
        return _reached(topic, self._broader_all)

    @cached_property
    def _broader_all(self) -> dict[str, list[str]]:
        """Topic -> every topic it is narrower than (the inverse of ``narrower``)."""
        parents: dict[str, list[str]] = {}
        for parent, children in self.narrower.items():
            for child in children:
                parents.setdefault(child, []).append(parent)
        return parents

    def dates_to_cite(self) -> Iterator[tuple[str, str]]:
        """(date, work) of every work: the date its citation gives, else its year, else ``""``."""
        if self.db is None:
            for w in self.of_kind(WORK_KINDS):
                c = self.cite.get(w)
                yield (c.date if c is not None and c.date else str(self.year.get(w, ""))) or "", w
            return
        marks = ", ".join("?" * len(WORK_KINDS))
        yield from self.db.query(
            "SELECT COALESCE(NULLIF(c.date, ''), CAST(y.v AS TEXT), ''), k.k FROM kind k "
            f"LEFT JOIN cite c ON c.k = k.k LEFT JOIN year y ON y.k = k.k WHERE k.v IN ({marks})",
            sorted(WORK_KINDS),
        )

    def prefetch(self, subjects: Sequence[str]) -> None:
        """Read what the pages of ``subjects`` (sorted) look up about themselves (kind, label,
        year, citation, lists, spans) in one range scan per table, not a look-up each."""
        for table in (self.kind, self.label, self.year, self.cite, self.lists, self.spans):
            fill = getattr(table, "fill", None)
            if fill is not None:
                fill(subjects)

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
        if self.db is not None:
            topics = self.below(topic)
            marks = ", ".join("?" * len(topics))
            sql = f"SELECT COUNT(DISTINCT m) FROM member WHERE g = 'topic' AND c IN ({marks})"
            return int(self.db.one(sql, topics))
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
        tops = [t for t in self.of_kind({"topic"}) if t not in self.broader]
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
        topics = self.below(topic)
        if self.db is not None:
            marks = ", ".join("?" * len(topics))
            sql = f"SELECT DISTINCT m FROM member WHERE g = 'topic' AND c IN ({marks}) ORDER BY m"
            return [m for (m,) in self.db.query(sql, topics)]
        seen: set[str] = set()
        for t in topics:
            seen.update(self.topic_works.get(t, ()))
        return sorted(seen)

    def breadcrumb(self, topic: str) -> list[str]:
        """The topics above ``topic``, top first (a cycle is cut where it closes)."""
        trail: list[str] = []
        current = self.broader.get(topic)
        while current is not None and current not in trail and current != topic:
            trail.append(current)
            current = self.broader.get(current)
        return trail[::-1]


def _reached(start: str, edges: Mapping[str, Iterable[str]]) -> list[str]:
    """``start`` and every node reached from it along ``edges``, each once (a cycle ends where it
    closes), in the order a depth-first walk meets them."""
    stack = [start]
    visited: dict[str, None] = {}
    while stack:
        t = stack.pop()
        if t not in visited:
            visited[t] = None
            stack.extend(edges.get(t, ()))
    return list(visited)


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
    """Random access to the subjects of an N-Triples file by the byte spans the scan found (read
    with ``pread``, so a process holds only the lines it reads, not the pages of the file)."""

    def __init__(self, path: str, spans: Mapping[str, tuple[int, ...]]) -> None:
        self.spans = spans
        self.fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))

    def close(self) -> None:
        os.close(self.fd)

    def lines(self, iri: str) -> list[str]:
        """The subject's lines, unique and sorted."""
        span = self.spans.get(iri, ())
        fd = self.fd
        text = "".join(
            os.pread(fd, span[k + 1] - span[k], span[k]).decode("utf-8") for k in range(0, len(span), 2)
        )
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


def scan(
    path: str, base_iri: str, triples: int | None = None, db_path: str | None = None
) -> tuple[Index, Stats]:
    """Read the N-Triples file once: the :class:`Index` (with the byte spans of each subject's
    lines) and the graph's :class:`Stats`. ``triples`` is how many distinct triples the file
    holds when known (the store's count): when the lines number as many, none repeats and they
    are read without checking; otherwise (or when unknown) a repeated line counts once.

    The index is written to the SQLite file ``db_path`` (:mod:`.ondisk`; default: a temporary
    file removed with the index), so its size in memory does not grow with the graph's."""
    if db_path is None:
        handle, db_path = tempfile.mkstemp(prefix=".site-index-", suffix=".sqlite")
        os.close(handle)
        temporary = True
    else:
        temporary = False
    db = Db(db_path)
    with no_gc():
        index, stats = _scan(path, base_iri, triples, db)
    if temporary:
        weakref.finalize(index, _remove, db)
    return index, stats


def _remove(db: Db) -> None:
    db.close()
    with contextlib.suppress(OSError):
        os.unlink(db.path)


_SCHEMA = """
CREATE TABLE fact (p INTEGER, s TEXT, o TEXT);
CREATE TABLE run (s TEXT, a INTEGER, b INTEGER);
CREATE TABLE kind (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE label (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE year (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID;
CREATE TABLE owner (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE lists (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE cite (k TEXT PRIMARY KEY, base TEXT, date TEXT, v BLOB) WITHOUT ROWID;
CREATE TABLE citekey (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;
CREATE TABLE member (g TEXT, c TEXT, m TEXT, n INTEGER);
CREATE TABLE subject (n INTEGER PRIMARY KEY, k TEXT);
CREATE TABLE page (n INTEGER PRIMARY KEY, k TEXT);
CREATE TABLE block (n INTEGER PRIMARY KEY, stem TEXT);
CREATE TABLE chunk (stem TEXT, k TEXT);
"""
_BATCH = 1 << 16


def _scan(path: str, base_iri: str, triples: int | None, db: Db) -> tuple[Index, Stats]:
    if os.path.exists(db.path):
        db.close()
        os.unlink(db.path)
    conn = db.conn
    conn.executescript(_SCHEMA)
    conn.create_function("lit", 1, _literal, deterministic=True)
    conn.execute("BEGIN")
    properties, lines = _read(path, dedupe=triples is None, db=db)
    if triples is not None and lines != triples:
        conn.execute("DELETE FROM fact")
        conn.execute("DELETE FROM run")
        properties, lines = _read(path, dedupe=True, db=db)
    conn.execute("CREATE INDEX run_s ON run (s)")
    multi = [s for (s,) in db.query("SELECT s FROM run GROUP BY s HAVING COUNT(*) > 1")]
    if multi and triples != lines:  # a subject's lines in several places: a line in two counts once
        spans = Spans(db)
        with open(path, "rb") as f:
            for iri in multi:
                span = spans[iri]
                runs = [
                    set(os.pread(f.fileno(), span[k + 1] - span[k], span[k]).splitlines()) - {b""}
                    for k in range(0, len(span), 2)
                ]
                extra = Counter(x for run in runs for x in run) - Counter(set().union(*runs))
                for line, n in extra.items():
                    a = line.find(b" ")
                    properties[line[a + 1 : line.find(b" ", a + 1)]] -= n
    stats = Stats()
    for ptok, n in sorted(properties.items()):
        if n > 0:
            stats.properties[ptok[1:-1].decode()] = n
    stats.triples = sum(stats.properties.values())
    conn.execute("CREATE INDEX fact_p ON fact (p)")
    type_p = _WANTED.index(v.TYPE)
    stats.classes = Counter(
        {
            o[1:-1]: n
            for o, n in db.query(
                "SELECT o, COUNT(*) FROM (SELECT DISTINCT s, o FROM fact WHERE p = ?) GROUP BY o", (type_p,)
            )
            if o.startswith("<")
        }
    )
    index = _index(base_iri, db)
    _subjects(index, db)
    conn.execute("PRAGMA analysis_limit = 1000")
    conn.execute("ANALYZE")
    conn.execute("COMMIT")
    return index, stats


def _subjects(index: Index, db: Db) -> None:
    """The sorted subjects with pages; of them, those on pages of their own and the listings
    in blocks; the authorship nodes published inside their work's documents."""
    base_iri = index.base_iri
    cut = len(base_iri)
    conn = db.conn
    ours = (
        s
        for (s,) in db.query(
            "SELECT DISTINCT s FROM run WHERE substr(s, 1, ?) = ? ORDER BY s", (cut, base_iri)
        )
        if s[cut:].strip("/")
    )
    conn.executemany("INSERT INTO subject (k) VALUES (?)", ((s,) for s in ours))
    conn.execute("CREATE INDEX subject_k ON subject (k)")
    pages: list[tuple[str]] = []
    chunks: list[tuple[str, str]] = []

    def flush() -> None:
        conn.executemany("INSERT INTO page (k) VALUES (?)", pages)
        conn.executemany("INSERT INTO chunk (stem, k) VALUES (?, ?)", chunks)
        pages.clear()
        chunks.clear()

    for (iri,) in db.query("SELECT k FROM subject ORDER BY n"):
        owner = authorship_owner(iri)
        if owner is not None and owner[cut:].strip("/") and db.one("SELECT 1 FROM run WHERE s = ?", (owner,)):
            index.embedded.setdefault(owner, []).append(iri)
            index.inside.add(iri)
        found = listing_chunk(index.stem(iri) or "")
        if found is None:
            pages.append((iri,))
        else:
            chunks.append((found[0], iri))
        if len(pages) + len(chunks) >= _BATCH:
            flush()
    flush()
    conn.execute("CREATE INDEX chunk_stem ON chunk (stem)")
    conn.execute("INSERT INTO block (stem) SELECT DISTINCT stem FROM chunk ORDER BY stem")


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


def _read(path: str, dedupe: bool, db: Db) -> tuple[dict[bytes, int], int]:
    """One pass over the lines: the objects of the wanted predicates by subject (table ``fact``,
    in the file's order), each subject's byte spans (``run``); returns the lines per predicate and
    the number of lines counted."""
    wanted = {f"<{p}>".encode(): k for k, p in enumerate(_WANTED)}
    conn = db.conn
    facts: list[tuple[int, str, str]] = []
    runs: list[tuple[str, int, int]] = []
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
                    runs.append((name, start, offset))
                    if len(runs) >= _BATCH:
                        conn.executemany("INSERT INTO run VALUES (?, ?, ?)", runs)
                        runs.clear()
                subject, start = s, offset
                if dedupe:
                    seen = set()
                name = s[1:-1].decode() if s[:1] == b"<" else "_:" + s[2:].decode()
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
                facts.append((p, name, raw[b + 1 : raw.rfind(b" ")].decode()))
                if len(facts) >= _BATCH:
                    conn.executemany("INSERT INTO fact VALUES (?, ?, ?)", facts)
                    facts.clear()
    if subject:
        runs.append((name, start, offset))
    conn.executemany("INSERT INTO run VALUES (?, ?, ?)", runs)
    conn.executemany("INSERT INTO fact VALUES (?, ?, ?)", facts)
    return properties, count


def authorship_owner(iri: str) -> str | None:
    """The work an authorship node (``<work>/authorship/<n>``) belongs to, by its IRI."""
    head, sep, tail = iri.rpartition("/authorship/")
    return head if sep and tail.isdigit() and "/" in head else None


def _index(base_iri: str, db: Db) -> Index:
    """The index from the ``fact`` table: what grows with the graph into tables (labels, kinds,
    years, members, listing owners, lists, citations), the topic tree and the authorships (a few
    thousand) in memory."""
    conn = db.conn
    p = {iri: k for k, iri in enumerate(_WANTED)}
    works = ", ".join(f"'{k}'" for k in sorted(WORK_KINDS))
    conn.execute("CREATE TEMP TABLE rank (cls TEXT PRIMARY KEY, r INTEGER, kind TEXT)")
    conn.executemany(
        "INSERT INTO rank VALUES (?, ?, ?)", ((f"<{c}>", i, k) for i, (c, k) in enumerate(KINDS.items()))
    )
    conn.execute(
        "INSERT INTO kind SELECT s, kind FROM (SELECT f.s AS s, r.kind AS kind, MIN(r.r) FROM fact f "
        "JOIN rank r ON r.cls = f.o WHERE f.p = ? GROUP BY f.s)",
        (p[v.TYPE],),
    )
    for predicate, verb in ((v.PREF_LABEL, "INSERT"), (v.LABEL, "INSERT OR REPLACE")):  # rdfs:label wins
        conn.execute(  # several labels: the least, for stable pages
            f"{verb} INTO label SELECT s, value FROM (SELECT f.s AS s, MIN(lit(f.o)) AS value FROM fact f "
            "LEFT JOIN kind k ON k.k = f.s WHERE f.p = ? AND (k.v IS NULL OR k.v != 'listing') "
            "AND lit(f.o) IS NOT NULL GROUP BY f.s)",
            (p[predicate],),
        )
    years = (
        (s, int(value))
        for s, value in db.query("SELECT s, lit(o) FROM fact WHERE p = ? ORDER BY rowid", (p[v.YEAR],))
        if value is not None and value.lstrip("-").isdigit()
    )
    conn.executemany("INSERT OR REPLACE INTO year VALUES (?, ?)", years)
    index = Index(
        base_iri,
        label=Table(db, "label"),
        kind=Table(db, "kind"),
        year=Table(db, "year"),
        topic_works=Groups(db, "topic"),
        venue_works=Groups(db, "venue"),
        author_works=Groups(db, "author"),
        listing_owner=Table(db, "owner"),
        lists=Table(db, "lists", _json_list),
        cite=Table(db, "cite JOIN citekey USING (k)", decode_citation, "cite.v, citekey.v"),
        spans=Spans(db),
        subjects=Subjects(db),
        db=db,
    )
    topics = (
        "SELECT f.s, f.o FROM fact f JOIN kind k ON k.k = f.s AND k.v = 'topic' "
        "WHERE f.p = ? ORDER BY f.rowid"
    )
    narrower: dict[str, list[str]] = defaultdict(list)
    for s, o in db.query(topics, (p[v.BROADER],)):
        if o.startswith("<"):
            index.broader[s] = o[1:-1]
            narrower[o[1:-1]].append(s)
    index.narrower = dict(narrower)
    for group, predicate in (("topic", v.TOPIC_P), ("venue", v.VENUE_P), ("author", AUTHOR_P)):
        conn.execute(
            "INSERT INTO member SELECT ?, substr(f.o, 2, length(f.o) - 2), f.s, f.rowid FROM fact f "
            f"JOIN kind k ON k.k = f.s WHERE f.p = ? AND substr(f.o, 1, 1) = '<' AND k.v IN ({works})",
            (group, p[predicate]),
        )
    conn.execute("CREATE INDEX member_c ON member (g, c, n)")
    conn.execute("CREATE INDEX member_m ON member (m, g, c)")
    positions = {}
    for s, value in db.query("SELECT s, lit(o) FROM fact WHERE p = ? ORDER BY rowid", (p[v.POSITION],)):
        if value is not None and value.lstrip("-").isdigit():
            positions[s] = int(value)
    for s, o in db.query("SELECT s, o FROM fact WHERE p = ? ORDER BY rowid", (p[v.PERSON_P],)):
        if o.startswith("<"):
            index.authorship[s] = (positions.get(s, 0), o[1:-1])
    conn.execute(
        "INSERT OR IGNORE INTO owner SELECT substr(o, 2, length(o) - 2), s FROM fact "
        "WHERE p = ? AND substr(o, 1, 1) = '<' ORDER BY rowid",
        (p[v.LISTING_P],),
    )
    for s, value in db.query(topics.replace("f.o", "lit(f.o)", 1), (p[v.LIST_ORDER],)):
        if value is not None and value.isdigit():
            index.order[s] = int(value)
    conn.executemany(
        "INSERT INTO lists VALUES (?, ?)",
        (
            (w, json.dumps(files))
            for w, files in grouped(
                db.query(
                    "SELECT DISTINCT w.v, lit(f.o) AS value FROM fact f JOIN owner w ON w.k = f.s "
                    "WHERE f.p = ? AND value IS NOT NULL AND value != '' ORDER BY w.v, value",
                    (p[v.SOURCE_FILE],),
                )
            )
        ),
    )
    seen: Counter[str] = Counter(index.name(t) for t in index.of_kind({"topic"}))
    index.repeated = {label for label, n in seen.items() if n > 1}
    _citations(db, works, p)
    return index


def _json_list(text: str) -> list[str]:
    found: list[str] = json.loads(text)
    return found


def decode_citation(blob: bytes, key: str) -> Citation:
    """A citation as the index file stores it: made without its key (table ``cite``), which is
    given apart (table ``citekey``) once every work's citation is made."""
    found: Citation = pickle.loads(blob)
    return replace(found, key=key)


def _fact_value(o: str) -> str | None:
    return o[1:-1] if o.startswith("<") else _literal(o)


def _citations(db: Db, works: str, p: dict[str, int]) -> None:
    """Every work's citation (table ``cite``), keyed as :func:`with_keys` keys them: the facts
    of the other resources a citation reads (venues, people, authorship nodes; not listings) are
    held in memory, each work's own read from the table, one work at a time."""
    conn = db.conn
    wanted = ", ".join(str(p[x]) for x in CITATION_PREDICATES)
    of_others = ", ".join(str(p[x]) for x in CITATION_OF_OTHERS)
    shared = CitationFacts()
    for s, predicate, o in db.query(
        f"SELECT f.s, f.p, f.o FROM fact f LEFT JOIN kind k ON k.k = f.s WHERE f.p IN ({of_others}) "
        f"AND (k.v IS NULL OR k.v NOT IN ('listing', {works})) ORDER BY f.rowid"
    ):
        value = _fact_value(o)
        if value is not None:
            shared.add(s, _WANTED[predicate], value)

    def made() -> Iterator[tuple[str, str, str | None, bytes]]:
        rows = db.query(
            f"SELECT f.s, f.p, f.o FROM fact f JOIN kind k ON k.k = f.s WHERE f.p IN ({wanted}) "
            f"AND k.v IN ({works}) ORDER BY f.s, f.rowid"
        )
        current: str | None = None
        facts: dict[str, list[str]] = defaultdict(list)
        for s, predicate, o in itertools.chain(rows, [(None, 0, "")]):
            if s != current:
                if current is not None:
                    shared.by[current] = facts
                    c = shared.citation(current)
                    del shared.by[current]
                    if c is not None:
                        yield current, base_key(c), c.date, pickle.dumps(c, protocol=pickle.HIGHEST_PROTOCOL)
                current, facts = s, defaultdict(list)
            value = _fact_value(o)
            if value is not None:
                facts[_WANTED[predicate]].append(value)

    conn.executemany("INSERT INTO cite VALUES (?, ?, ?, ?)", made())
    conn.execute("CREATE TEMP TABLE keyed (k TEXT PRIMARY KEY, key TEXT) WITHOUT ROWID")

    def first_keys() -> Iterator[tuple[str, str]]:
        base, n = None, 0
        for iri, b in db.query(
            "SELECT k, base FROM cite "
            "ORDER BY base, CASE WHEN date IS NULL OR date = '' THEN '9999' ELSE date END, k"
        ):
            n = n + 1 if b == base else 0
            base = b
            yield iri, b + key_suffix(n)

    conn.executemany("INSERT INTO keyed VALUES (?, ?)", first_keys())
    taken: set[str] = set()

    def final() -> Iterator[tuple[str, str]]:
        for iri, first in db.query("SELECT k, key FROM keyed ORDER BY key, k"):
            key, n = first, 0
            while key in taken:  # a suffixed key equal to another's base key: rare; made unique
                n += 1
                key = f"{first}-{n}"
            taken.add(key)
            yield iri, key

    conn.executemany("INSERT INTO citekey VALUES (?, ?)", final())
    conn.execute("CREATE INDEX citekey_v ON citekey (v, k)")
    conn.execute("DROP TABLE temp.keyed")


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
