"""The things the graph is about: works, topics, venues, authors, each with the curated facts
joined in (:mod:`interp_kg.catalog.curated`), so the RDF writer only writes what it is given.

The catalog makes these objects itself from validated input, so the hot path builds them with
``model_construct`` where noted; every field is still described and constrained here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.identifiers.venues import Venue
from interp_kg.source.models import Diagnostic, IdentifierValue, WorkKind

#: Precision of a date: its XSD datatype.
DatePrecision = Literal["date", "gYearMonth", "gYear"]
#: skos:exactMatch or skos:closeMatch (a topic's link to a Wikidata item).
MatchRelation = Literal["exact", "close"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Listing(_Model):
    """One occurrence of a work in a source list."""

    source: str = Field(description="File name of the source list.")
    line: int = Field(ge=1, description="1-based line of the bullet.")
    topic: str | None = Field(default=None, description="Slug of the topic it is listed under.")
    text: str = Field(description="The bullet's text, repaired.")


#: IRI paths of topics: the bundled list's (``topic/...``) and any other list's (``topics/<list>/...``).
TOPIC_SLUG = r"^(topic|topics/[a-z0-9-]+)/[a-z0-9/-]+$"


class Topic(_Model):
    """A section of a list."""

    slug: str = Field(pattern=TOPIC_SLUG, description="IRI path, e.g. 'topic/code/library'.")
    label: str = Field(min_length=1, description="The heading text.")
    parent: str | None = Field(default=None, description="Slug of the enclosing topic.")
    order: int = Field(ge=1, description="Place of the heading's first appearance in the sources, from 1.")
    scheme: str = Field(default="scheme/topics", description="IRI path of its list's concept scheme.")
    history: tuple[str, ...] = Field(
        default=(), description="Other heading paths it has had (renamed or moved; the registry's)."
    )
    wikidata: tuple[tuple[MatchRelation, str], ...] = Field(
        default=(), description="Confirmed Wikidata items: (exact or close, QID), from the curated mapping."
    )


class Scheme(_Model):
    """The topics of one list: a SKOS concept scheme."""

    slug: str = Field(
        pattern=r"^(scheme/topics|topics/[a-z0-9-]+)$",
        description="IRI path: 'scheme/topics' for the bundled list, 'topics/<list name>' for another.",
    )
    label: str = Field(
        min_length=1, description="The list's title (its first list's, when versions share it)."
    )
    sources: tuple[str, ...] = Field(description="Names of the source lists read into it.")


class SourceList(_Model):
    """One list read into the graph (a version of a list): where its listings come from."""

    key: str = Field(pattern=r"^[a-z0-9-]+$", description="Namespace of its listings: listing/<key>/L<line>.")
    source: str = Field(min_length=1, description="The name the graph cites (ikg:sourceFile).")
    name: str = Field(
        pattern=r"^[a-z0-9-]+$", description="The list it is a version of (its topics' namespace)."
    )
    bare: bool = Field(
        default=False,
        description="Whether it is the bundled list, whose topics are topic/... in scheme/topics.",
    )
    upstream: str | None = Field(default=None, description="The file upstream or the URL it was read from.")


class VenueNode(_Model):
    """A venue used by works or listed as a source."""

    slug: str = Field(pattern=r"^venue/[a-z0-9-]+$", description="IRI path, e.g. 'venue/neurips'.")
    venue: Venue = Field(description="The canonical venue (or a synthesized one for unknown labels).")
    known: bool = Field(description="Whether the venue is in data/venues.toml.")
    urls: tuple[str, ...] = Field(default=(), description="Links given for it in the list.")
    wikidata: tuple[str, ...] = Field(default=(), description="Confirmed Wikidata items (QIDs), sorted.")
    featured: bool = Field(default=False, description="Starred where the list names it as a source.")


class Author(_Model):
    """A person the list names, or who is named in a curated byline."""

    slug: str = Field(pattern=r"^author/[a-z0-9-]+$", description="IRI path, e.g. 'author/neel-nanda'.")
    name: str = Field(min_length=1, description="The person's canonical name (data/authors/aliases.toml).")
    aliases: tuple[str, ...] = Field(default=(), description="Other spellings the list uses, sorted.")
    scholar_ids: tuple[str, ...] = Field(default=(), description="Google Scholar user ids.")
    urls: tuple[str, ...] = Field(default=(), description="Links given for the person.")
    listings: tuple[Listing, ...] = Field(default=(), description="Where the list names the person.")
    wikidata: tuple[str, ...] = Field(default=(), description="Confirmed Wikidata items (QIDs), sorted.")
    featured: bool = Field(default=False, description="Starred where the list names the person.")


class Authorship(_Model):
    """One place in a work's curated byline."""

    position: int = Field(ge=1, description="Place in the byline, from 1.")
    person: str = Field(pattern=r"^author/[a-z0-9-]+$", description="IRI path of the person.")
    name: str = Field(min_length=1, description="The name as the source writes it.")
    source: str = Field(description="URL of the page the byline was read from.")


class Issued(_Model):
    """A work's curated first-version (or publication) date."""

    value: str = Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="YYYY, YYYY-MM or YYYY-MM-DD.")
    precision: DatePrecision = Field(description="The XSD datatype matching the value's precision.")
    source: str = Field(description="URL of the page the date was read from.")


class Abstract(_Model):
    """A work's abstract, fetched by the user (``interp-kg enrich --abstracts``), never bundled."""

    text: str = Field(min_length=1, description="The abstract.")
    source: str = Field(description="URL of the primary record it was read from.")
    retrieved: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="The day it was fetched.")


class Work(_Model):
    """A distinct work: paper, tool, tutorial or video."""

    slug: str = Field(pattern=r"^(paper|tool|tutorial|video)/\S+$", description="IRI path.")
    kind: WorkKind = Field(description="Class of the work.")
    title: str = Field(min_length=1, description="Title of the first occurrence.")
    aliases: tuple[str, ...] = Field(default=(), description="Short names given after the title.")
    featured: bool = Field(default=False, description="Starred in any occurrence.")
    year: int | None = Field(
        default=None,
        ge=1900,
        le=2100,
        description="Publication year: the list's, else the curated date's, else an identifier's.",
    )
    venue: str | None = Field(default=None, description="Slug of the venue.")
    presentation: str | None = Field(default=None, description="oral, spotlight, findings, ...")
    identifiers: tuple[IdentifierValue, ...] = Field(default=(), description="Identifiers, sorted.")
    urls: tuple[str, ...] = Field(default=(), description="Every link given, sorted.")
    code_repositories: tuple[str, ...] = Field(default=(), description="GitHub repository URLs, sorted.")
    topics: tuple[str, ...] = Field(default=(), description="Slugs of the topics it is listed under.")
    notes: tuple[str, ...] = Field(default=(), description="Notes from nested bullets.")
    listings: tuple[Listing, ...] = Field(description="Occurrences in the source lists.", min_length=1)
    sub_entry_of: tuple[str, ...] = Field(default=(), description="Slugs of works it is nested under.")
    software: tuple[str, ...] = Field(default=(), description="Slugs of listed tools implementing it.")
    authorships: tuple[Authorship, ...] = Field(
        default=(), description="The curated byline, in order (data/bibliography)."
    )
    authors_complete: bool = Field(
        default=True, description="False when the curated byline names only the first authors."
    )
    issued: Issued | None = Field(default=None, description="The curated date (data/bibliography).")
    abstract: Abstract | None = Field(default=None, description="The user's fetched abstract, if any.")
    wikidata: tuple[str, ...] = Field(
        default=(), description="Wikidata items linked by identifier (data/wikidata/mapping.json)."
    )


class Catalog(_Model):
    """Everything the graph is made of."""

    title: str = Field(description="Title of the first topic scheme (the first list's title).")
    sources: tuple[str, ...] = Field(description="File names of the source lists.")
    schemes: tuple[Scheme, ...] = Field(
        default=(), description="One concept scheme per list, sorted by slug."
    )
    lists: tuple[SourceList, ...] = Field(
        default=(), description="The lists read, in the order that decides."
    )
    topics: tuple[Topic, ...] = Field(description="Topics, sorted by slug.")
    works: tuple[Work, ...] = Field(description="Works, sorted by slug.")
    venues: tuple[VenueNode, ...] = Field(description="Venues, sorted by slug.")
    authors: tuple[Author, ...] = Field(
        description="People, sorted by slug: those the list names and those of the curated bylines."
    )
    findings: tuple[Diagnostic, ...] = Field(default=(), description="Curation findings for lint.")
    replaced: tuple[tuple[str, str], ...] = Field(
        default=(),
        description="(replaced IRI path, the IRI path standing for it): works, topics and people the "
        "registry merged or renamed, whose replacement is in the catalog; sorted.",
    )
