"""Entries -> the things the graph is about (the "model" step of the pipeline).

One :class:`Work` per distinct work: occurrences of the same paper under several topics, and in
several lists, are merged by identifier (arXiv, DOI, OpenReview, ACL Anthology, ...) or, failing
that, by normalised title when their identifiers agree; each keeps its source line as a
:class:`Listing`. Topics come from headings (each list's its own concept scheme), venues from link
labels (``data/venues.toml``) and hosts, and the "By Source" section gives venues and authors.
IRIs come from the registry (:mod:`interp_kg.catalog.persist`).

An entry whose URL gives a work's identifier but whose title is another work's does not merge the
two: it stays with the work its URL names, its title counts for nothing, and lint reports it
(``contradicting-url``), as it does two entries of one title with identifiers that disagree.

A work several lists name takes its title and class by this precedence: the title all its lists
give, when they agree; else the curated record's title (``data/bibliography``); else the title of
the first list whose entry carries an identifier, in the order of the lists
(:func:`interp_kg.source.lists.in_order`: a sources file's, then the bundled lists', then by name;
never the command line's); else the first list's. Its class likewise: the one all give, else the
first list's whose entry carries an identifier, else the first list's. Within one list the first
entry speaks for it.
"""

from __future__ import annotations

import marshal
import re
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from typing import NamedTuple

from interp_kg.catalog.curated import Curated, CuratedJoin
from interp_kg.catalog.models import (
    Author,
    Catalog,
    Listing,
    Scheme,
    SourceList,
    Topic,
    VenueNode,
    Work,
)
from interp_kg.catalog.persist import IriBook, KeyList, TopicLister, WorkKeys
from interp_kg.curation.aliases import AliasTable, default_aliases
from interp_kg.identifiers.schemes import WORK_SCHEMES, Identifier
from interp_kg.identifiers.venues import LabelHint, Venue, VenueMatch, VenueTable, load_venue_table
from interp_kg.source.models import Diagnostic, DiagnosticCode, Entry, Heading, Link, ParsedList, WorkKind
from interp_kg.source.parse import FinalEntries
from interp_kg.source.text import slugify, title_key
from interp_kg.trusted import trusted

_NO_GROUP = array("i", [-1])

#: Short names used in IRI slugs.
SLUG_PREFIX = {
    "arxiv": "arxiv",
    "doi": "doi",
    "openreview": "openreview",
    "acl": "acl",
    "pmlr": "pmlr",
    "neurips": "neurips",
    "ieee": "ieee",
    "lesswrong_post": "lesswrong",
    "github": "github",
    "youtube_video": "youtube",
    "youtube_channel": "youtube-channel",
    "lesswrong_sequence": "lesswrong-sequence",
}
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def topic_slugs(headings: Sequence[Heading], root: str = "topic") -> list[str]:
    """The IRI path each heading's topic is minted with, following the heading nesting, under
    ``root`` (``topic``, or ``topics/<list>``); a repeated heading under one parent stays its own
    topic (``-2``). A heading's slug depends only on the headings before it. (A build takes
    registered topics first: :class:`interp_kg.catalog.persist.TopicLister`.)"""
    slugs: list[str] = []
    taken: set[str] = set()
    for h in headings:
        parent = slugs[h.parent] if h.parent is not None else None
        base = f"{parent}/{slugify(h.title, 60)}" if parent else f"{root}/{slugify(h.title, 60)}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        slugs.append(slug)
        taken.add(slug)
    return slugs


def _value_slug(value: str) -> str:
    return _SLUG_UNSAFE.sub("-", value).strip("-") or "x"


#: An identifier from its (scheme, value) pair, as a packed link holds it.
_IDENTIFIER = Identifier._make


class SlimLink(NamedTuple):
    """A link as the catalog keeps it while it reads a list batch by batch (a fifth of a
    :class:`~interp_kg.source.models.Link`'s memory)."""

    label: str
    url: str
    identifiers: tuple[Identifier, ...]


class SlimEntry(NamedTuple):
    """An entry as the catalog keeps it while it reads a list batch by batch
    (:meth:`CatalogBuilder.read`): what a work is made of, without the source text (a build writes
    each entry's listing node as it is parsed), its links packed in one ``bytes`` (:mod:`marshal`):
    about a fifth of an :class:`~interp_kg.source.models.Entry`'s memory."""

    line: int
    title: str
    alias: str | None
    featured: bool
    packed: bytes
    """The links: ``marshal`` of ``((label, url, ((scheme, value), ...)), ...)``."""
    heading: int | None
    parent: int | None
    venue: str | None
    year: int | None
    notes: tuple[str, ...]
    """What the list says about the entry (usually nothing: the one empty tuple)."""

    @property
    def links(self) -> tuple[SlimLink, ...]:
        """The links, unpacked."""
        make = _IDENTIFIER
        return tuple(
            [
                SlimLink(label, url, tuple(map(make, idents)))
                for label, url, idents in marshal.loads(self.packed)
            ]
        )

    @property
    def text(self) -> str:
        return ""


def slim(entry: Entry) -> SlimEntry:
    """``entry`` without its text, its links packed."""
    packed = marshal.dumps(
        tuple([(link.label, link.url, tuple(map(tuple, link.identifiers))) for link in entry.links])
    )
    return SlimEntry(
        entry.line,
        entry.title,
        entry.alias,
        entry.featured,
        packed,
        entry.heading,
        entry.parent,
        entry.venue,
        entry.year,
        entry.notes,
    )


#: An entry of a work: as parsed, or kept slim (:meth:`CatalogBuilder.read`).
AnyEntry = Entry | SlimEntry


def _work_kind(entry: Entry, section: str | None) -> WorkKind:
    if section in ("tool", "tutorial", "video"):
        return section  # type: ignore[return-value]
    schemes = {i.scheme for link in entry.links for i in link.identifiers}
    if entry.links and schemes == {"github"} and all("github.com" in link.url for link in entry.links):
        return "tool"
    if schemes and schemes <= {"youtube_video", "youtube_channel"}:
        return "video"
    return "paper"


def _keys(kind: WorkKind, entry: AnyEntry) -> list[str]:
    """The keys an entry merges by: ``<tool|work> <scheme>:<value>`` (one string: a tuple each
    costs a third more at a million entries)."""
    keys = []
    for link in entry.links:
        for ident in link.identifiers:
            if kind == "tool" and ident.scheme == "github":
                keys.append(f"tool github:{ident.value.lower()}")
            elif kind != "tool" and ident.scheme in WORK_SCHEMES:
                keys.append(f"work {ident.scheme}:{ident.value}")
    return keys


class _Group:
    """The entries merged into one work so far. What else a work is keyed by (its identifiers,
    titles and URLs) is read off its entries when needed (:func:`_ids`, :meth:`_CatalogBuilder.facts`):
    kept per group, it cost about half the catalog's memory at a million entries."""

    __slots__ = ("entries", "kind")

    def __init__(self, kind: WorkKind) -> None:
        self.kind = kind
        # (source, entry, topic, kind); the topic is a heading's index while its list is read
        # batch by batch (its IRI is known at the end: CatalogBuilder.read)
        self.entries: list[tuple[str, AnyEntry, str | int | None, WorkKind]] = []


def _link_tuples(entry: AnyEntry) -> Iterable[tuple[str, Iterable[tuple[str, str]]]]:
    """An entry's links as (URL, ((scheme, value), ...)), without making link objects of packed ones."""
    if isinstance(entry, SlimEntry):
        return ((url, idents) for _, url, idents in marshal.loads(entry.packed))
    return ((link.url, link.identifiers) for link in entry.links)


def _add_ids(ids: dict[str, list[str]], kind: WorkKind, idents: Iterable[tuple[str, str]]) -> None:
    """Add to ``ids`` (scheme -> values without repeats, in the order first seen) the identifiers
    a work is keyed by: the scholarly ones, and a tool's repository."""
    for scheme, value in idents:
        if scheme in WORK_SCHEMES or (kind == "tool" and scheme == "github"):
            values = ids.setdefault(scheme, [])
            if value not in values:
                values.append(value)


def _ids(g: _Group) -> dict[str, list[str]]:
    """A group's identifiers (:func:`_add_ids`)."""
    ids: dict[str, list[str]] = {}
    for _, entry, _, kind in g.entries:
        for _, idents in _link_tuples(entry):
            _add_ids(ids, kind, idents)
    return ids


def _compatible(a: _Group, b: _Group) -> bool:
    x, y = _ids(a), _ids(b)
    return all(not (x.get(s) and y.get(s) and set(x[s]) != set(y[s])) for s in WORK_SCHEMES)


#: A venue a link suggests, whether its label suggests it, and its rank (:func:`_rank`).
_Candidate = tuple[VenueMatch, bool, tuple[int, int]]


def _rank(match: VenueMatch, from_label: bool) -> tuple[int, int]:
    v = match.venue
    if not match.known:
        tier = 2
    elif v.peer_reviewed:
        tier = 4
    elif v.kind == "preprint":
        tier = 1
    else:
        tier = 3
    return tier, 1 if from_label else 0


class _CatalogBuilder:
    def __init__(self, venues: VenueTable, people: AliasTable) -> None:
        self.venues = venues
        self.people = people
        self.topics: dict[str, Topic] = {}
        self.groups: list[_Group] = []
        self.key_to_group: dict[str, int] = {}
        self.parent_of: dict[int, int] = {}
        #: per list, the group of the entry on each line
        #: (an array by line number, -1 where no work's entry is: 4 bytes a line, not a dict's 100)
        self.entry_group: dict[str, array[int]] = {}
        self.venue_nodes: dict[str, VenueNode] = {}
        self.authors: dict[str, Author] = {}
        self.findings: list[Diagnostic] = []
        self.title: str | None = None
        self.host_matches: dict[str, VenueMatch | None] = {}
        self.venue_slugs: dict[str, str] = {}
        #: the place of each list (by source name) in the order that decides between lists
        self.rank: dict[str, int] = {}
        #: entries whose title names another work than their URL does (source, line)
        self.untrusted: set[tuple[str, int]] = set()
        #: per list read batch by batch: the topic IRI path of each heading (by index)
        self.topic_slugs: dict[str, Sequence[str]] = {}

    # -- union-find over groups ---------------------------------------------------------------
    def find(self, g: int) -> int:
        while self.parent_of.get(g, g) != g:
            g = self.parent_of[g]
        return g

    def merge(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        keep, drop = min(a, b), max(a, b)
        self.parent_of[drop] = keep
        ga, gb = self.groups[keep], self.groups[drop]
        ga.entries.extend(gb.entries)
        gb.entries = []
        return keep

    def finding(self, source: str, line: int, code: DiagnosticCode, message: str) -> None:
        self.findings.append(Diagnostic(file=source, line=line, code=code, message=message))

    # -- topics ---------------------------------------------------------------------------------
    def add_topics(self, parsed: ParsedList, slugs: Sequence[str], scheme: str, book: IriBook) -> None:
        for h, slug in zip(parsed.headings, slugs, strict=True):
            if slug not in self.topics:
                parent = slugs[h.parent] if h.parent is not None else None
                order = len(self.topics) + 1
                rec = book.topics.get(slug)
                history = tuple(p for p in rec.history if p != rec.path) if rec is not None else ()
                self.topics[slug] = Topic(
                    slug=slug, label=h.title, parent=parent, order=order, scheme=scheme, history=history
                )

    # -- works ----------------------------------------------------------------------------------
    def add_work(
        self,
        source: str,
        entry: Entry,
        kind: WorkKind,
        topic: str | int | None,
        kept: SlimEntry | None = None,
    ) -> None:
        """Add an entry to the work it names (a new one, or one whose key it shares); the work keeps
        ``kept`` of it (default: the entry itself)."""
        keys = _keys(kind, entry)
        group_ids = {self.find(self.key_to_group[k]) for k in keys if k in self.key_to_group}
        if group_ids:
            g = min(group_ids)
            for other in group_ids - {g}:
                g = self.merge(g, other)
        else:
            g = len(self.groups)
            self.groups.append(_Group(kind))
        group = self.groups[g]
        tk = title_key(entry.title)
        # the URL names a work listed under other titles only: the title may name another work
        named_other = bool(group_ids) and all(title_key(e.title) != tk for _, e, _, _ in group.entries)
        group.entries.append((source, entry if kept is None else kept, topic, kind))
        for k in keys:
            self.key_to_group[k] = g
        tkey = ("tool title:" if kind == "tool" else "work title:") + tk
        if tkey in self.key_to_group:
            other = self.find(self.key_to_group[tkey])
            if other != g:
                if named_other:
                    self.untrusted.add((source, entry.line))
                    self._contradiction(source, entry, self.groups[other], "names another work than its URL")
                elif _compatible(self.groups[other], self.groups[g]):
                    g = self.merge(other, g)
                else:
                    self._contradiction(source, entry, self.groups[other], "has other identifiers")
        else:
            self.key_to_group[tkey] = g
        lines = self.entry_group.get(source)
        if lines is None:
            lines = self.entry_group[source] = array("i")
        if entry.line >= len(lines):
            lines.extend(_NO_GROUP * (entry.line + 1 - len(lines)))
        lines[entry.line] = g

    def _contradiction(self, source: str, entry: AnyEntry, other: _Group, why: str) -> None:
        """Lint's ``contradicting-url``: the entry's URL and another entry's of the same title
        name different works, so they were not merged."""
        o_source, o_entry, _, _ = other.entries[0]
        theirs = ", ".join(f"{s}:{v}" for s, vals in sorted(_ids(other).items()) for v in sorted(vals))
        mine = ", ".join(
            sorted(
                {
                    f"{i.scheme}:{i.value}"
                    for link in entry.links
                    for i in link.identifiers
                    if i.scheme in WORK_SCHEMES
                }
            )
        )
        self.finding(
            source,
            entry.line,
            "contradicting-url",
            f"{entry.title!r} links {mine or 'no identifier'}, but {o_source}:{o_entry.line} lists the "
            f"same title with {theirs or 'no identifier'}: the URL {why}, so they are kept apart "
            "(check the URL)",
        )

    # -- sources: venues and authors -------------------------------------------------------------
    def add_source(self, source: str, entry: Entry, topic: str | None) -> None:
        listing = Listing(source=source, line=entry.line, topic=topic, text=entry.text)
        urls = tuple(sorted({link.url for link in entry.links}))
        scholar = sorted({i.value for link in entry.links for i in link.identifiers if i.scheme == "scholar"})
        if scholar:
            # one node per person: the alias table maps the list's spelling to the canonical name
            slug, name = self.people.slug(entry.title), self.people.canonical(entry.title)
            old = self.authors.get(slug)
            if old:
                scholar = sorted({*old.scholar_ids, *scholar})
                urls = tuple(sorted({*old.urls, *urls}))
            spellings = {*(old.aliases if old else ()), entry.title} - {name}
            self.authors[slug] = Author(
                slug=slug,
                name=name,
                aliases=tuple(sorted(spellings)),
                scholar_ids=tuple(scholar),
                urls=urls,
                listings=(*(old.listings if old else ()), listing),
                featured=entry.featured or (old is not None and old.featured),
            )
            return
        known = self.venues.lookup_name(entry.title)
        if known is None:
            kinds = [
                h.kind
                for link in entry.links
                if isinstance(h := self.venues.match_label(link.label), LabelHint)
            ]
            kind = next((k for k in kinds if k in ("blog", "forum", "workshop")), "blog")
            venue = Venue(
                key=slugify(entry.title),
                name=entry.title,
                kind=kind,
                peer_reviewed=kind == "workshop",
                aliases=(entry.title,),
            )
            self.finding(
                source,
                entry.line,
                "unknown-venue",
                f"source {entry.title!r} is not in data/venues.toml; kept as its own venue",
            )
        else:
            venue = known
        self._venue_node(venue, known is not None, urls, featured=entry.featured)

    def host_match(self, host: str) -> VenueMatch | None:
        """The venue a link's host implies (cached: a list has few hosts)."""
        if host not in self.host_matches:
            venue = self.venues.for_host(host) if host else None
            self.host_matches[host] = (
                None
                if venue is None
                else VenueMatch(
                    venue=venue, known=True, label=host, year=None, yymm=None, presentation=None, problems=()
                )
            )
        return self.host_matches[host]

    def _venue_node(self, venue: Venue, known: bool, urls: Iterable[str] = (), featured: bool = False) -> str:
        """The slug of a venue's node, made or updated: its links and its star (as a source)
        accumulate over the list."""
        slug = self.venue_slugs.get(venue.key)
        if slug is None:
            slug = self.venue_slugs[venue.key] = f"venue/{slugify(venue.key)}"
        old = self.venue_nodes.get(slug)
        if old is not None and not urls and not featured:
            return slug
        merged = tuple(sorted({*(old.urls if old else ()), *urls}))
        starred = featured or (old is not None and old.featured)
        if old is None or merged != old.urls or starred != old.featured:
            self.venue_nodes[slug] = VenueNode(
                slug=slug, venue=venue, known=known, urls=merged, featured=starred
            )
        return slug

    # -- resolution -----------------------------------------------------------------------------
    def _candidates(
        self, source: str, entry: AnyEntry, link: Link | SlimLink
    ) -> list[tuple[VenueMatch, bool, tuple[int, int]]]:
        """Venues a link suggests, with their rank: its label, its ACL Anthology id, its host."""
        out: list[_Candidate] = []
        if link.label:
            m = self.venues.match_label(link.label)
            if isinstance(m, VenueMatch):
                if not m.known:
                    self.finding(
                        source,
                        entry.line,
                        "unknown-venue",
                        f"venue label [{link.label}] is not in data/venues.toml",
                    )
                out.append((m, True, _rank(m, True)))
        for ident in link.identifiers:
            if ident.scheme == "acl" and (am := self.venues.from_acl_id(ident.value)):
                out.append((am, False, _rank(am, False)))
        if hm := self.host_match(_host(link.url)):
            out.append((hm, False, _rank(hm, False)))
        return out

    def _named_venue(self, source: str, entry: AnyEntry, name: str) -> VenueMatch | None:
        """The venue an entry names outside its link labels (a table's venue column)."""
        m = self.venues.match_label(name)
        if not isinstance(m, VenueMatch):
            return None
        if not m.known:
            self.finding(source, entry.line, "unknown-venue", f"venue [{name}] is not in data/venues.toml")
        return m

    def facts(self, g: _Group) -> tuple[dict[str, list[str]], list[str], list[str]]:
        """A group's identifiers (as :func:`_ids` gives them), the normalised titles of its entries
        whose title names it (not those whose URL names another work: :attr:`untrusted`), and its
        URLs: one pass over its entries."""
        ids: dict[str, list[str]] = {}
        titles = []
        urls = []
        untrusted = self.untrusted
        for source, entry, _, kind in g.entries:
            if (tk := title_key(entry.title)) and (not untrusted or (source, entry.line) not in untrusted):
                titles.append(tk)
            for url, idents in _link_tuples(entry):
                urls.append(url)
                _add_ids(ids, kind, idents)
        return ids, titles, urls

    def choice(self, g: _Group) -> tuple[AnyEntry, WorkKind, bool]:
        """The entry whose title the work takes, its class, and whether the lists disagree on the
        title (see the module docstring): one pass over the group's first entry of each list."""
        entries = g.entries
        first = entries[0][1]
        if len(entries) == 1:
            return first, g.kind, False
        firsts: dict[str, tuple[AnyEntry, WorkKind]] = {}
        for source, entry, _, kind in entries:
            if source not in firsts and (source, entry.line) not in self.untrusted:
                firsts[source] = (entry, kind)
        if not firsts:
            return first, g.kind, False
        if len(firsts) == 1:
            entry, _ = next(iter(firsts.values()))
            return entry, g.kind, False
        ordered = sorted(firsts.items(), key=lambda item: self.rank.get(item[0], 0))
        with_id = [
            (entry, kind)
            for _, (entry, kind) in ordered
            if any(
                i.scheme in WORK_SCHEMES or i.scheme == "github"
                for link in entry.links
                for i in link.identifiers
            )
        ]
        lead = with_id[0] if with_id else ordered[0][1]
        titles = {entry.title for entry, _ in firsts.values()}
        kinds = {kind for _, kind in firsts.values()}
        kind = kinds.pop() if len(kinds) == 1 else lead[1]
        if len(titles) == 1:
            return ordered[0][1][0], kind, False
        return lead[0], kind, True

    def build_work(
        self, g: _Group, slug: str, slugs_by_group: Sequence[str | None], tools_by_repo: dict[str, str]
    ) -> tuple[Work, bool]:
        """One work from the occurrences merged into ``g`` (one pass over their links), and whether
        its lists disagree on its title (then a curated title wins)."""
        entries = g.entries
        first_source, first = entries[0][0], entries[0][1]
        chosen, kind, disputed = self.choice(g)
        best: tuple[tuple[int, int], VenueMatch] | None = None
        label_year: int | None = None
        every: set[Identifier] = set()
        urls: set[str] = set()
        aliases: set[str] = set()
        topics: set[str] = set()
        titles: set[str] = set()
        sub_of: set[str] = set()
        notes: dict[str, None] = {}
        featured = False
        listings = []
        column_year: int | None = None
        for source, entry, topic, _ in entries:
            if isinstance(topic, int):  # read batch by batch: the heading's topic
                topic = self.topic_slugs[source][topic]
            for link in entry.links:
                urls.add(link.url)
                every.update(link.identifiers)
                for cand, from_label, rank in self._candidates(source, entry, link):
                    # a four-digit year in a label; a yymm ("arxiv 2403") yields to the arXiv id
                    if from_label and label_year is None and cand.year is not None and cand.yymm is None:
                        label_year = cand.year
                    if best is None or rank > best[0]:
                        best = (rank, cand)
            if entry.venue is not None and (named := self._named_venue(source, entry, entry.venue)):
                # a venue the list names in a column or in the text: a hint, as a label is, and
                # a stronger one than a link's label of the same tier ("ACL Anthology")
                if label_year is None and named.year is not None and named.yymm is None:
                    label_year = named.year
                rank = (_rank(named, True)[0], 2)
                if best is None or rank > best[0]:
                    best = (rank, named)
            if column_year is None:
                column_year = entry.year
            if entry.alias:
                aliases.add(entry.alias)
            if topic:
                topics.add(topic)
            titles.add(entry.title)
            if entry.notes:
                notes.update(dict.fromkeys(entry.notes))
            featured = featured or entry.featured
            if (
                entry.parent is not None
                and (p := self._group_of(source, entry.parent)) is not None
                and (parent := slugs_by_group[p]) is not None
            ):
                sub_of.add(parent)
            listings.append(trusted(Listing, source=source, line=entry.line, topic=topic, text=entry.text))
        match = best[1] if best else None
        # a paper's GitHub link is its code repository, not an identifier of the paper itself
        if g.kind == "tool":
            idents = sorted(every) if len(every) > 1 else list(every)
        else:
            idents = sorted(i for i in every if i.scheme != "github")
        repos = sorted({i.value for i in every if i.scheme == "github"}) if every else []
        year = label_year or column_year or _year_from_ids(idents, match)
        if len(titles) > 1 and len({title_key(t) for t in titles}) > 1:
            self.finding(
                first_source,
                first.line,
                "conflicting-titles",
                f"the same work is listed under different titles: {sorted(titles)}",
            )
        software = (
            ()
            if g.kind == "tool" or not repos
            else _sorted({tools_by_repo[r.lower()] for r in repos if r.lower() in tools_by_repo})
        )
        return trusted(
            Work,
            slug=slug,
            kind=kind,
            title=chosen.title,
            aliases=_sorted(aliases),
            featured=featured,
            year=year,
            venue=self._venue_node(match.venue, match.known) if match else None,
            presentation=match.presentation if match else None,
            identifiers=tuple(idents),
            urls=_sorted(urls),
            code_repositories=tuple(f"https://github.com/{r}" for r in repos),
            topics=_sorted(topics),
            notes=tuple(notes),
            listings=tuple(listings),
            sub_entry_of=_sorted(sub_of - {slug}) if sub_of else (),
            software=software,
        ), disputed

    def _group_of(self, source: str, line: int) -> int | None:
        lines = self.entry_group.get(source)
        g = lines[line] if lines is not None and 0 <= line < len(lines) else -1
        return None if g < 0 else self.find(g)


def _sorted(values: set[str]) -> tuple[str, ...]:
    return tuple(sorted(values)) if len(values) > 1 else tuple(values)


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    """``values`` without repeats, sorted."""
    return tuple(sorted(set(values)))


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


_NEW_ARXIV = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_OLD_ARXIV = re.compile(r"/(\d{2})(\d{2})\d{3}$")


def _arxiv_year(arxiv_id: str) -> int | None:
    m = _NEW_ARXIV.fullmatch(arxiv_id) or _OLD_ARXIV.search(arxiv_id)
    if not m:
        return None
    yy = int(m.group(1))
    return (2000 if yy < 91 else 1900) + yy


def _year_from_ids(idents: Sequence[Identifier], match: VenueMatch | None) -> int | None:
    """The year from an arXiv id, else the label's yymm, else an ACL Anthology or NeurIPS id."""
    for i in idents:
        if i.scheme == "arxiv" and (year := _arxiv_year(i.value)):
            return year
    if match is not None and match.yymm:
        return 2000 + int(match.yymm[:2])
    for i in idents:
        if i.scheme in ("acl", "neurips") and i.value[:4].isdigit():
            return int(i.value[:4])
    return None


def _slug_for(ids: dict[str, list[str]], title: str, kind: WorkKind) -> str:
    for scheme in (*WORK_SCHEMES, "github"):
        if ids.get(scheme):
            return f"{kind}/{SLUG_PREFIX[scheme]}-{_value_slug(sorted(ids[scheme])[0])}"
    return f"{kind}/{slugify(title)}"


def _id_keys(ids: dict[str, list[str]]) -> frozenset[str]:
    """A work's identifiers as the registry keys them (a repository in lower case)."""
    return frozenset(
        f"{scheme}:{value.lower() if scheme == 'github' else value}"
        for scheme, values in ids.items()
        for value in values
    )


def list_ref(source: str) -> SourceList:
    """How a list is named when the caller says nothing else: a bundled file by its name is the
    bundled list; any other is a list of its own, named by its file's stem."""
    from interp_kg.source.bundled import bundled_lists

    lists = bundled_lists()
    key = slugify(source.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    if any(b.file == source for b in lists.versions):
        return SourceList(key=key, source=source, name=lists.name, bare=True)
    return SourceList(key=key, source=source, name=key)


class CatalogBuilder:
    """Parsed lists in, a :class:`Catalog` out, curated facts joined (deterministic: same input,
    same catalog). Feed every list with :meth:`add`, then take the works from :meth:`works` (each
    as soon as it is complete: a build streams their triples), then :meth:`catalog`."""

    def __init__(
        self,
        venues: VenueTable | None = None,
        curated: Curated | None = None,
        book: IriBook | None = None,
        *,
        keep_works: bool = True,
    ) -> None:
        curated = curated if curated is not None else Curated(aliases=default_aliases())
        self.join = CuratedJoin(curated)
        self.b = _CatalogBuilder(venues or load_venue_table(), curated.aliases)
        #: the registry's IRIs (default: the bundled registry, nothing of a store's)
        self.book = book if book is not None else IriBook(aliases=curated.aliases)
        self.sources: list[str] = []
        self.lists: list[SourceList] = []
        self.keys: dict[str, str] = {}
        self.listers: dict[str, TopicLister] = {}
        #: scheme slug -> (its label: the first title its lists give, the lists read into it)
        self.schemes: dict[str, tuple[str | None, list[str], SourceList]] = {}
        self.done: list[Work] | None = None
        #: whether :meth:`catalog` holds the works; a build streams them (:meth:`works`) and keeps
        #: none: its catalog's ``works`` is empty and the entries of each work go once it is built
        self.keep_works = keep_works

    def lister(self, ref: SourceList) -> TopicLister:
        """The topic IRIs of one list's headings (a build's stream feeds it as they are read)."""
        if ref.source not in self.listers:
            self.listers[ref.source] = self.book.space(ref.name, ref.bare).lister()
        return self.listers[ref.source]

    def add(self, parsed: ParsedList, ref: SourceList | None = None) -> None:
        """Take one parsed list's topics and entries; ``ref`` names the list (default:
        :func:`list_ref`). Lists are taken in the order that decides between them."""
        b = self.b
        ref = self._begin(parsed.source, ref)
        topic_slugs = self._topics(parsed, ref)
        for entry in parsed.entries:
            topic = topic_slugs[entry.heading] if entry.heading is not None else None
            section = parsed.headings[entry.heading].section if entry.heading is not None else None
            if section == "source":
                b.add_source(parsed.source, entry, topic)
            else:
                b.add_work(parsed.source, entry, _work_kind(entry, section), topic)

    def read(
        self,
        source: str,
        parser: Generator[FinalEntries, None, ParsedList],
        ref: SourceList | None = None,
        each: Callable[[Sequence[Entry]], object] | None = None,
    ) -> tuple[ParsedList, int]:
        """:meth:`reading` to its end; ``each`` sees every entry once, in order, before the catalog
        takes it. Returns the parsed list (its last entries only) and how many entries it had."""
        reader = self.reading(source, parser, ref)
        while True:
            try:
                entries, _ = next(reader)
            except StopIteration as done:
                result: tuple[ParsedList, int] = done.value
                return result
            if each is not None:
                each(entries)

    def reading(
        self,
        source: str,
        parser: Generator[FinalEntries, None, ParsedList],
        ref: SourceList | None = None,
    ) -> Generator[FinalEntries, None, tuple[ParsedList, int]]:
        """:meth:`add` the list ``source`` as ``parser`` yields it, batch by batch (parsed with
        ``keep=False``: the parser and the catalog keep no entry twice), passing each batch on
        before the catalog takes it (a build writes its listings). The works keep their entries
        slim (:class:`SlimEntry`): their listings have no text. Returns the parsed list (its last
        entries only) and how many entries it had."""
        b = self.b
        ref = self._begin(source, ref)
        held: list[Entry] = []  # "By Source" entries: few, added once their topics are known
        count = 0
        while True:
            try:
                entries, headings = next(parser)
            except StopIteration as done:
                parsed: ParsedList = done.value
                break
            yield entries, headings
            self._take(source, entries, headings, held)
            count += len(entries)
        yield parsed.entries, parsed.headings
        self._take(source, parsed.entries, parsed.headings, held)
        count += len(parsed.entries)
        topic_slugs = self._topics(parsed, ref)
        b.topic_slugs[source] = topic_slugs
        for entry in held:
            b.add_source(source, entry, topic_slugs[entry.heading] if entry.heading is not None else None)
        return parsed, count

    def _take(
        self, source: str, entries: Sequence[Entry], headings: Sequence[Heading], held: list[Entry]
    ) -> None:
        """Add a batch of a list read batch by batch: works now, "By Source" entries to ``held``."""
        add_work = self.b.add_work
        for entry in entries:
            section = headings[entry.heading].section if entry.heading is not None else None
            if section == "source":
                held.append(entry)
            else:
                add_work(source, entry, _work_kind(entry, section), entry.heading, slim(entry))

    def _begin(self, source: str, ref: SourceList | None) -> SourceList:
        """Register a list about to be read; its :class:`SourceList` (``ref``, or :func:`list_ref`)."""
        ref = ref if ref is not None else list_ref(source)
        self.sources.append(source)
        self.lists.append(ref)
        self.keys[source] = ref.key
        self.b.rank.setdefault(source, len(self.b.rank))
        return ref

    def _topics(self, parsed: ParsedList, ref: SourceList) -> list[str]:
        """The list's title and topics, once all its headings are read: each heading's IRI path."""
        b = self.b
        b.title = b.title or parsed.title
        lister = self.lister(ref)
        lister.feed(parsed.headings)
        topic_slugs = lister.finish()
        scheme = lister.space.scheme
        label, read, first = self.schemes.get(scheme, (None, [], ref))
        self.schemes[scheme] = (label or parsed.title, [*read, parsed.source], first)
        b.add_topics(parsed, topic_slugs, scheme, self.book)
        return topic_slugs

    def works(self) -> Iterator[Work]:
        """Every work, complete with its curated facts, as soon as it is built (once)."""
        b = self.b
        keep = self.keep_works
        if not keep:  # no entry comes after: the merge keys go before the works' keys are made
            b.key_to_group.clear()
        groups = b.groups
        # the works' groups by index (4 bytes each: a list of pairs cost 90 at a million works)
        live = array("i", (i for i, g in enumerate(groups) if b.find(i) == i and g.entries))
        keys = KeyList()
        repos: list[tuple[int, list[str]]] = []  # each tool's repositories
        for i in live:
            g = groups[i]
            ids, titles, urls = b.facts(g)
            named, kind, _ = b.choice(g)
            source, entry = g.entries[0][0], g.entries[0][1]
            keys.append(
                WorkKeys(
                    group="tool" if g.kind == "tool" else "work",
                    ids=_distinct(_id_keys(ids)),
                    titles=_distinct(titles),
                    urls=_distinct(urls),
                    base=_slug_for(ids, named.title, kind),
                    minted=f"{self.keys.get(source) or list_ref(source).key}:L{entry.line}",
                )
            )
            if g.kind == "tool" and "github" in ids:
                repos.append((i, ids["github"]))
        slugs_by_group: list[str | None] = [None] * len(groups)  # by group index
        for i, iri in zip(live, self.book.assign_works(keys), strict=True):
            slugs_by_group[i] = iri
        del keys
        tools_by_repo = {
            v.lower(): tool for i, values in repos if (tool := slugs_by_group[i]) is not None for v in values
        }
        del repos
        done: list[Work] = []
        for i in live:
            g = groups[i]
            work_slug = slugs_by_group[i]
            assert work_slug is not None
            work, disputed = b.build_work(g, work_slug, slugs_by_group, tools_by_repo)
            work = self.join.work(work, curated_title=disputed)
            if keep:
                done.append(work)
            else:  # streamed: what the work was made of is released as it goes
                g.entries = []
            yield work
        if not keep:
            b.entry_group.clear()
            b.groups.clear()
            b.parent_of.clear()
        self.done = done

    def catalog(self) -> Catalog:
        """The whole catalog (after :meth:`works`, which it runs if nobody did)."""
        if self.done is None:
            for _ in self.works():
                pass
        assert self.done is not None
        b, join = self.b, self.join
        authors = tuple(join.people(b.authors.values()))
        self.book.settle_people(
            {a.slug: {a.name, *a.aliases, *join.written.get(a.slug, ())} for a in authors}
        )
        schemes = tuple(
            Scheme(
                slug=slug,
                label=label or ("Topics" if first.bare else first.name),
                sources=tuple(read),
            )
            for slug, (label, read, first) in sorted(self.schemes.items())
        )
        return Catalog(
            title=b.title or "Topics",
            sources=tuple(self.sources),
            schemes=schemes,
            lists=tuple(self.lists),
            topics=tuple(join.topic(t) for t in sorted(b.topics.values(), key=lambda t: t.slug)),
            works=tuple(sorted(self.done, key=lambda w: w.slug)),
            venues=tuple(join.venue(n) for n in sorted(b.venue_nodes.values(), key=lambda v: v.slug)),
            authors=authors,
            findings=tuple(sorted(set(b.findings), key=lambda d: (d.file, d.line, d.code, d.message))),
            replaced=tuple(self.book.replacements()),
        )


def build_catalog(
    lists: Sequence[ParsedList],
    venues: VenueTable | None = None,
    curated: Curated | None = None,
    *,
    refs: Sequence[SourceList] | None = None,
    book: IriBook | None = None,
) -> Catalog:
    """Turn parsed lists into a :class:`Catalog`, joining ``curated`` facts (default: the bundled
    alias table only, no bibliography and no Wikidata links). ``refs`` name the lists (default:
    :func:`list_ref`), ``book`` gives the IRIs (default: the bundled registry's); the lists are
    taken in the order given."""
    builder = CatalogBuilder(venues, curated, book)
    for n, parsed in enumerate(lists):
        builder.add(parsed, refs[n] if refs is not None else None)
    return builder.catalog()
