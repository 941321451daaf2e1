"""Curated facts join the catalog: bylines and dates from ``data/bibliography/``, people from
``data/authors/aliases.toml``, Wikidata links from ``data/wikidata/mapping.json``.

A build hands every finished work to :meth:`CuratedJoin.work` before anything is written, so the
RDF writer sees one catalog with everything in it. A work with no curated record costs a few
dictionary look-ups (the synthetic benchmark lists have none). A work with one gets its byline
(:class:`~interp_kg.catalog.models.Authorship`, one per place, each person keyed by
:meth:`~interp_kg.curation.aliases.AliasTable.slug`: the same key as the people of the list's "By
Source" section, so a researcher listed there and in a byline is one node), its date
(:class:`~interp_kg.catalog.models.Issued`), and its year from that date when the list gives none
(the list's year, a venue's, wins).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from interp_kg.catalog.models import Abstract, Author, Authorship, Issued, Topic, VenueNode, Work
from interp_kg.curation.abstracts import AbstractRecord
from interp_kg.curation.aliases import AliasTable, default_aliases, default_aliases_path
from interp_kg.curation.bibliography import KEY_SCHEMES, Bibliography, Record, default_folder
from interp_kg.curation.bibliography import load as load_bibliography
from interp_kg.curation.wikidata_mapping import Mapping, default_mapping_path, load_mapping
from interp_kg.identifiers.schemes import Identifier

#: Identifiers an abstract is matched by, in this order.
ABSTRACT_SCHEMES = ("arxiv", "openreview", "doi")
#: Schemes a work has one value of; a record's value of one the list already gives is not added.
SINGLE_VALUED = frozenset({"arxiv", "doi", "openreview", "acl", "pmlr"})


@dataclass(frozen=True)
class Curated:
    """The curated data a build joins into its catalog."""

    bibliography: Bibliography = field(default_factory=Bibliography)
    aliases: AliasTable = field(default_factory=AliasTable)
    mapping: Mapping = field(default_factory=Mapping)
    abstracts: dict[str, AbstractRecord] = field(default_factory=dict)
    """The user's fetched abstracts by identifier (``arxiv:...``), never the bundled data's."""
    #: Where the alias table and the mapping were read (a build records their sizes).
    aliases_file: Path | None = None
    mapping_file: Path | None = None

    @classmethod
    def bundled(cls) -> Curated:
        """The bundled curated data (``data/bibliography``, ``data/authors``, ``data/wikidata``)."""
        return cls(
            load_bibliography(default_folder()),
            default_aliases(),
            load_mapping(),
            aliases_file=default_aliases_path(),
            mapping_file=default_mapping_path(),
        )

    def sizes(self) -> list[tuple[str, Path, int]]:
        """``(kind, file, records)`` of every curated file read: each bibliography file, the alias
        table (people and look-alike pairs), the mapping (links and conflicts)."""
        per_file = Counter(located.file for located in self.bibliography.records)
        out = [("bibliography", path, n) for path, n in sorted(per_file.items())]
        if self.aliases_file is not None:
            out.append(("aliases", self.aliases_file, len(self.aliases.people) + len(self.aliases.distinct)))
        if self.mapping_file is not None:
            m = self.mapping
            links = len(m.works) + len(m.venues) + len(m.topics) + len(m.authors) + len(m.conflicts)
            out.append(("wikidata mapping", self.mapping_file, links))
        return out


class CuratedJoin:
    """Joins :class:`Curated` facts into the works, people, venues and topics of one catalog."""

    def __init__(self, curated: Curated) -> None:
        self.bibliography = curated.bibliography
        self.aliases = curated.aliases
        self.abstracts = curated.abstracts
        self.work_items = curated.mapping.work_links()
        self.confirmed: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for kind in ("venues", "topics", "authors"):
            nodes: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for c in getattr(curated.mapping, kind):
                if c.status == "confirmed":
                    nodes[c.node].append((c.relation, c.qid))
            self.confirmed[kind] = nodes
        #: author slug -> how often each spelling was seen (a node's label is the commonest)
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)
        #: author slug -> the names the bylines write for the person (for the IRI registry)
        self.written: dict[str, set[str]] = defaultdict(set)

    def work(self, work: Work, curated_title: bool = False) -> Work:
        """``work`` with its curated byline, date and Wikidata link (itself when it has none);
        with ``curated_title`` (its lists disagree on the title), the record's title too."""
        update: dict[str, object] = {}
        if qids := self.work_items.get(work.slug):
            update["wikidata"] = qids
        if self.abstracts and (found := self._abstract(work)) is not None:
            update["abstract"] = Abstract(text=found.abstract, source=found.source, retrieved=found.retrieved)
        located = self.bibliography.for_work(work)
        if located is not None:
            record = located.record
            if curated_title and record.title != work.title:
                update["title"] = record.title
            # every identifier the record holds reaches the graph (the work's IRI was minted already)
            known = set(work.identifiers)
            if extra := [i for i in record.identifiers if i not in known and not _disagrees(i, known)]:
                update["identifiers"] = tuple(sorted(known.union(extra)))
            if record.authors is not None and record.authors_source is not None:
                places = []
                for n, name in enumerate(record.authors, 1):
                    slug = self.aliases.slug(name)
                    self.spellings[slug][self.aliases.canonical(name)] += 1
                    self.written[slug].add(name)
                    places.append(
                        Authorship(position=n, person=slug, name=name, source=record.authors_source)
                    )
                update["authorships"] = tuple(places)
                update["authors_complete"] = record.authors_complete
            if (issued := _issued(record)) is not None:
                update["issued"] = issued
                if work.year is None:
                    update["year"] = int(issued.value[:4])
        return work.model_copy(update=update) if update else work

    def _abstract(self, work: Work) -> AbstractRecord | None:
        """The user's abstract of ``work``, by its arXiv id, else OpenReview id, else DOI."""
        for scheme in ABSTRACT_SCHEMES:
            for value in sorted(i.value for i in work.identifiers if i.scheme == scheme):
                if (found := self.abstracts.get(f"{scheme}:{value}")) is not None:
                    return found
        return None

    def people(self, listed: Iterable[Author]) -> list[Author]:
        """The list's people and the people of the bylines joined so far, one node each, sorted by
        slug. A byline person the list does not name is labelled with the spelling the records use
        most; the alias table gives their Google Scholar id."""
        people = {a.slug: a for a in listed}
        for slug in self.spellings.keys() - people.keys():
            counts = self.spellings[slug]
            name = max(counts, key=lambda s: (counts[s], not s.isascii(), s))
            scholar = self.aliases.scholar.get(name)
            people[slug] = Author(slug=slug, name=name, scholar_ids=(scholar,) if scholar else ())
        out = []
        for slug in sorted(people):
            author = people[slug]
            if links := self.confirmed["authors"].get(slug):
                author = author.model_copy(update={"wikidata": tuple(qid for _, qid in links)})
            out.append(author)
        return out

    def venue(self, node: VenueNode) -> VenueNode:
        """``node`` with its confirmed Wikidata items."""
        if links := self.confirmed["venues"].get(node.slug):
            return node.model_copy(update={"wikidata": tuple(qid for _, qid in links)})
        return node

    def topic(self, topic: Topic) -> Topic:
        """``topic`` with its confirmed Wikidata items (exact or close matches)."""
        if links := self.confirmed["topics"].get(topic.slug):
            return topic.model_copy(update={"wikidata": tuple(links)})
        return topic


def _issued(record: Record) -> Issued | None:
    """The work's date: its first public version's, else its venue version's (when that is the
    only date a source gave), with the page it was read on."""
    for fact in ("date", "published"):
        value, source = getattr(record, fact), record.sources.get(fact)
        if value is not None and source is not None:
            precision = {10: "date", 7: "gYearMonth"}.get(len(value), "gYear")
            return Issued(value=value, precision=precision, source=source.url)
    return None


def _disagrees(ident: Identifier, known: set[Identifier]) -> bool:
    """Whether the list gives another value of ``ident``'s scheme (a single-valued scheme: arXiv,
    DOI, OpenReview...): then the list's stays, and lint reports the disagreement."""
    return ident.scheme in SINGLE_VALUED and any(k.scheme == ident.scheme for k in known)


def record_key(work: Work) -> str:
    """The strongest identifier of a work as a bibliography record key (``url:`` when it has none)."""
    for scheme in KEY_SCHEMES[:-1]:
        values = sorted(i.value for i in work.identifiers if i.scheme == scheme)
        if values:
            return f"{scheme}:{values[0]}"
    if work.urls:
        return f"url:{work.urls[0]}"
    return f"work:{work.slug}"
