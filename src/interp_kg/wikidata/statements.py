"""The statements an item of a work would have on Wikidata, each with its reference.

One model for the QuickStatements batch (:mod:`.quickstatements`) and the Wikidata-shaped dump
(:mod:`.profile`). Every statement about a curated fact carries the reference a reviewer can
check: the page the fact was read on (S854), the day it was read there (S813: the record's
``retrieved``, not the day of the batch) and, for a database with a verified item, the database
(S248; arXiv Q118398). A statement is *blocked* from batches when that page is not the fact's
primary record (``data/bibliography/primary-hosts.toml``, or the work's own repository), when no
curated record gives a source (a value from the list's links only), or when the source is a line
of the list itself. What cannot be stated at all (a needed id is not verified, no proceedings item
is known for P1433) is a :class:`Note`.

Values are as Wikidata holds them: arXiv ids bare, DOIs upper-cased, titles as the record writes
them (case kept) in English (every bundled work is in English), dates with their precision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final, Literal
from urllib.parse import urlsplit

from interp_kg.curation.aliases import AliasTable
from interp_kg.curation.bibliography import FACTS, Fact
from interp_kg.curation.primary import PrimaryHosts, SecondaryFact
from interp_kg.curation.wikidata_mapping import Mapping, Version
from interp_kg.identifiers import wikidata as wd
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI
from interp_kg.wikidata import items
from interp_kg.wikidata.works import PublicationDate, WorkFacts

ValueKind = Literal["item", "string", "monolingual", "time", "url"]
#: Why a statement stays out of batches.
Blocked = Literal["secondary-source", "no-source", "own-list"]
#: Why something is not stated at all.
NoteReason = Literal["unverified-id", "no-class", "no-venue-item", "venue-unknown"]
LANGUAGE: Final = "en"
_PRECISION = {4: 9, 7: 10, 10: 11}


@dataclass(frozen=True)
class Value:
    """A statement's value in one of Wikidata's datatypes."""

    kind: ValueKind
    text: str = ""
    date: PublicationDate | None = None

    @property
    def compare(self) -> str:
        """The value as Wikidata's SPARQL gives it (a QID for items), upper-cased: what an item's
        values are compared with."""
        if self.kind == "time" and self.date is not None:
            d = self.date
            return f"{d.year:04d}-{d.month:02d}-{d.day:02d}T00:00:00Z"
        return self.text.upper()


def item(qid: str) -> Value:
    return Value("item", qid)


def string(text: str) -> Value:
    return Value("string", text)


def parse_date(text: str) -> PublicationDate:
    """A record's ``YYYY[-MM[-DD]]`` as a date with Wikidata's precision.

    >>> parse_date("2023-02")
    PublicationDate(year=2023, month=2, day=1, precision=10)
    """
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return PublicationDate(parts[0], parts[1], parts[2], _PRECISION[len(text)])


@dataclass(frozen=True)
class Reference:
    """Where a fact was read: the page (S854), the day (S813), the database item (S248)."""

    url: str
    retrieved: dt.date
    stated_in: str | None = None


@dataclass(frozen=True)
class Statement:
    """One statement: property, value, qualifiers, reference, and why it may not be batched."""

    prop: str
    value: Value
    qualifiers: tuple[tuple[str, Value], ...] = ()
    reference: Reference | None = None
    fact: Fact | None = None
    blocked: Blocked | None = None


@dataclass(frozen=True)
class Note:
    """Something the item should state but cannot: ``what`` (a property or role), and why."""

    what: str
    reason: NoteReason
    detail: str = ""


@dataclass
class Item:
    """One Wikidata item of a work, as we would state it."""

    work: WorkFacts
    version: Version
    cls: str | None
    label: str | None
    statements: list[Statement] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def target(self) -> str:
        return items.target(self.work.slug, self.version)


@dataclass(frozen=True)
class Context:
    """What the statements are made with besides the work: the mapping (confirmed authors,
    proceedings and journals), the alias table (a byline name -> the person's node), the list of
    primary hosts, and the graph's base IRI (a source under it is a line of the list)."""

    mapping: Mapping
    aliases: AliasTable
    hosts: PrimaryHosts
    base_iri: str = DEFAULT_BASE_IRI


def stated_in(url: str) -> str | None:
    """The verified database item a page belongs to (S248): arXiv's for arXiv pages; the items of
    OpenReview and the ACL Anthology once verified."""
    host = (urlsplit(url).hostname or "").lower()
    if host in items.ARXIV_HOSTS:
        return wd.ARXIV
    if host == "openreview.net":
        return wd.role_id(wd.OPENREVIEW)
    if host == "aclanthology.org":
        return wd.role_id(wd.ACL_ANTHOLOGY)
    return None


def reference(work: WorkFacts, fact: Fact, ctx: Context) -> tuple[Reference | None, Blocked | None]:
    """The reference of ``fact`` of the work's record, and why it cannot go in a batch (None: it can)."""
    source = work.record.sources.get(fact) if work.record is not None else None
    if source is None:
        return None, "no-source"
    ref = Reference(source.url, source.retrieved, stated_in(source.url))
    if source.url.startswith(ctx.base_iri):
        return ref, "own-list"
    if source.secondary is not None or not ctx.hosts.is_primary(source.url, work.own_repositories):
        return ref, "secondary-source"
    return ref, None


def _stated(
    work: WorkFacts,
    fact: Fact,
    ctx: Context,
    prop: str,
    value: Value,
    qualifiers: tuple[tuple[str, Value], ...] = (),
) -> Statement:
    ref, blocked = reference(work, fact, ctx)
    return Statement(prop, value, qualifiers, reference=ref, fact=fact, blocked=blocked)


def _listed(prop: str, value: Value) -> Statement:
    """A value from the list's links alone: no curated record sources it."""
    return Statement(prop, value, blocked="no-source")


def build_item(work: WorkFacts, version: Version, ctx: Context) -> Item:
    """The item ``version`` of ``work`` with every statement we can make about it."""
    record = work.record
    facts = {f for f in (record.sources if record is not None else {}) if items.belongs(work, version, f)}
    cls, no_class = items.item_class(work, version)
    out = Item(work, version, cls, None)
    # the title: the record's (when read on this version's record), else the list's (no source)
    title: Statement | None = None
    if record is None:
        title = _listed(wd.TITLE, Value("monolingual", work.title))
    elif "title" in facts:
        title = _stated(work, "title", ctx, wd.TITLE, Value("monolingual", record.title))
    if title is not None and title.blocked is None:
        out.label = title.value.text
    if cls is None:
        detail = (
            wd.UNVERIFIED[no_class][1] if no_class in wd.UNVERIFIED else "the kind of publication is unknown"
        )
        out.notes.append(Note("P31", "unverified-id" if no_class in wd.UNVERIFIED else "no-class", detail))
    else:
        out.statements.append(_class_statement(work, version, cls, facts, ctx))
    if title is not None and work.kind != "tool":
        out.statements.append(title)
    out.statements += _identifiers(work, version, facts, ctx)
    if work.kind == "tool":
        out.statements += _repositories(work, ctx)
    if (date := items.date_fact(work, version)) is not None and date in facts and record is not None:
        text = record.date if date == "date" else record.published
        assert text is not None
        out.statements.append(
            _stated(work, date, ctx, wd.PUBLICATION_DATE, Value("time", date=parse_date(text)))
        )
    if work.kind == "paper" and version != "preprint":
        _published_in(work, facts, ctx, out)
    if "authors" in facts and work.kind != "tool":
        _authors(work, ctx, out)
    return out


_ANCHORS: Final[dict[str, tuple[Fact, ...]]] = {
    "preprint": ("arxiv_id", "date", "title"),
    "published": ("published", "doi", "openreview_id", "acl_id", "pmlr_id", "title"),
    "work": ("arxiv_id", "published", "doi", "openreview_id", "acl_id", "pmlr_id", "date", "title"),
}


def _class_statement(
    work: WorkFacts, version: Version, cls: str, facts: set[Fact], ctx: Context
) -> Statement:
    """P31, referenced to the record that shows the item is what it is: its identifier's or its
    date's page, else its title's."""
    anchors = _ANCHORS[version]
    best: Statement | None = None
    for fact in anchors:
        if fact in facts:
            s = _stated(work, fact, ctx, wd.INSTANCE_OF, item(cls))
            if s.blocked is None:
                return s
            best = best or s
    return best or _listed(wd.INSTANCE_OF, item(cls))


def _identifiers(work: WorkFacts, version: Version, facts: set[Fact], ctx: Context) -> list[Statement]:
    record = work.record
    out: list[Statement] = []
    if version != "published":
        arxiv = record.arxiv_id if record is not None and record.arxiv_id else None
        if arxiv is not None and "arxiv_id" in facts:
            out.append(_stated(work, "arxiv_id", ctx, wd.ARXIV_ID, string(arxiv)))
            out.append(_stated(work, "arxiv_id", ctx, wd.DOI, string(wd.arxiv_doi(arxiv))))
        elif work.arxiv:
            out.append(_listed(wd.ARXIV_ID, string(work.arxiv[0])))
            out.append(_listed(wd.DOI, string(wd.arxiv_doi(work.arxiv[0]))))
    if version != "preprint":
        doi = record.doi if record is not None else None
        if doi is not None and "doi" in facts and not doi.upper().startswith(wd.ARXIV_DOI_PREFIX):
            out.append(_stated(work, "doi", ctx, wd.DOI, string(doi.upper())))
        elif not any(s.prop == wd.DOI for s in out):
            others = [d for d in work.dois if not d.upper().startswith(wd.ARXIV_DOI_PREFIX)]
            if others and doi is None:
                out.append(_listed(wd.DOI, string(others[0].upper())))
        forum = record.openreview_id if record is not None else None
        if forum is not None and "openreview_id" in facts:
            out.append(_stated(work, "openreview_id", ctx, wd.OPENREVIEW_ID, string(forum)))
        elif work.openreview and forum is None:
            out.append(_listed(wd.OPENREVIEW_ID, string(work.openreview[0])))
    return out


def _repositories(work: WorkFacts, ctx: Context) -> list[Statement]:
    """P1324 of a tool: its repository, referenced to the repository's own page where the record's
    title was read there."""
    out = []
    for key in sorted(work.ids.get("github", ())):
        url = f"https://github.com/{key}"
        source = work.record.sources.get("title") if work.record is not None else None
        if source is not None and github_page_key(source.url) == key.lower():
            out.append(_stated(work, "title", ctx, wd.SOURCE_CODE_REPOSITORY, Value("url", url)))
        else:
            out.append(_listed(wd.SOURCE_CODE_REPOSITORY, Value("url", url)))
    return out[:1]


def github_page_key(url: str) -> str | None:
    """``owner/repo`` (lower case) of any page of a GitHub repository."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in ("github.com", "www.github.com"):
        return None
    segments = parts.path.strip("/").split("/")
    return f"{segments[0]}/{segments[1]}".lower() if len(segments) >= 2 and all(segments[:2]) else None


def _published_in(work: WorkFacts, facts: set[Fact], ctx: Context, out: Item) -> None:
    """P1433: the proceedings volume or journal a person confirmed for the work's venue and year,
    never the series; referenced to the venue version's record."""
    if not items.at_peer_reviewed_venue(work) or work.venue is None:
        if out.version == "published":
            out.notes.append(Note(wd.PUBLISHED_IN, "venue-unknown", "the list gives no peer-reviewed venue"))
        return
    record = work.record
    year = int(record.published[:4]) if record is not None and record.published else work.year
    target = ctx.mapping.venue_item(work.venue, year)
    if target is None:
        out.notes.append(
            Note(wd.PUBLISHED_IN, "no-venue-item", f"{work.venue} {year or ''}".strip()),
        )
        return
    venue_facts: tuple[Fact, ...] = ("published", "doi", "openreview_id", "acl_id", "pmlr_id")
    for fact in venue_facts:
        if fact in facts:
            s = _stated(work, fact, ctx, wd.PUBLISHED_IN, item(target.qid))
            if s.blocked is None:
                out.statements.append(s)
                return
    out.statements.append(_listed(wd.PUBLISHED_IN, item(target.qid)))


def _authors(work: WorkFacts, ctx: Context, out: Item) -> None:
    """P50 (+ P1545, + stated as once verified) for people with a confirmed item, P2093 (+ P1545)
    for the others, in byline order."""
    record = work.record
    assert record is not None and record.authors is not None
    people = ctx.mapping.confirmed("authors")
    stated_as = wd.role_id(wd.STATED_AS)
    dropped = 0
    for n, name in enumerate(record.authors, start=1):
        ordinal = (wd.SERIES_ORDINAL, string(str(n)))
        link = people.get(ctx.aliases.slug(name))
        if link is not None:
            qualifiers: tuple[tuple[str, Value], ...] = (ordinal,)
            if stated_as is not None:
                qualifiers += ((stated_as, string(name)),)
            else:
                dropped += 1
            out.statements.append(
                _stated(work, "authors", ctx, wd.AUTHOR, item(link.qid), qualifiers=qualifiers)
            )
        else:
            out.statements.append(
                _stated(work, "authors", ctx, wd.AUTHOR_NAME_STRING, string(name), qualifiers=(ordinal,))
            )
    if dropped:
        out.notes.append(Note(wd.STATED_AS, "unverified-id", f"{dropped} P50 without the name as written"))


def build_items(work: WorkFacts, ctx: Context) -> list[Item]:
    """Every item of ``work`` (:func:`interp_kg.wikidata.items.versions`), with the notes of the
    identifiers no verified property holds."""
    built = [build_item(work, version, ctx) for version in items.versions(work)]
    venue_item = built[-1]
    for scheme, role in (
        ("acl", wd.ACL_ANTHOLOGY_ID),
        ("pmlr", wd.PMLR_ID),
        ("youtube_video", wd.YOUTUBE_VIDEO_ID),
    ):
        if work.ids.get(scheme) and wd.role_id(role) is None:
            venue_item.notes.append(Note(role, "unverified-id", wd.UNVERIFIED[role][1]))
    if len(built) == 2 and wd.role_id(wd.EDITION_OF) is None:
        venue_item.notes.append(Note(wd.EDITION_OF, "unverified-id", "the two versions are not linked"))
    return built


def secondary_facts(works: Iterable[WorkFacts], ctx: Context) -> list[SecondaryFact]:
    """Every curated fact of ``works`` whose only source is not its primary record (or is a line of
    the list): the facts no batch writes, for a curator to read on their primary record."""
    out = []
    for work in works:
        record = work.record
        if record is None:
            continue
        for fact, source in record.sources.items():
            _, blocked = reference(work, fact, ctx)
            if blocked is None:
                continue
            why = source.secondary or (
                "a line of the list itself"
                if blocked == "own-list"
                else "not a primary host (primary-hosts.toml)"
            )
            out.append(
                SecondaryFact(
                    work=work.slug,
                    record=record.key,
                    fact=fact,
                    source=source.url,
                    retrieved=source.retrieved.isoformat(),
                    why=why,
                )
            )
    return sorted(out, key=lambda f: (f.work, FACTS.index(f.fact), f.source))
