"""What a build records beside its store (``builds/<id>/build.json``).

Its own module so that commands which only open a store (``query``, ``export``) don't import pydantic.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ListInfo(BaseModel):
    """One source list of a build: what was read, and which bundled version it is."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(
        description="The name the graph cites (ikg:sourceFile): a file's name, a URL's host and path."
    )
    path: str = Field(description="The path, URL or github: shorthand it was read from, as given.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the bytes read.")
    bytes: int = Field(ge=0, description="Its size.")
    key: str | None = Field(default=None, description="The namespace of its listings: listing/<key>/L<line>.")
    name: str | None = Field(default=None, description="The list it is a version of: its topics' namespace.")
    version: str | None = Field(default=None, description="The bundled version it is (data/sources.toml).")
    upstream: str | None = Field(
        default=None,
        description="The upstream file, at its commit when known; the URL of a list read from one.",
    )
    date: str | None = Field(default=None, description="When the list stood so upstream.")
    url: str | None = Field(default=None, description="The URL its bytes were fetched from.")
    retrieved: str | None = Field(default=None, description="When those bytes were downloaded (UTC).")
    checked: str | None = Field(
        default=None,
        description="When the server last confirmed them (UTC); None when read offline from the cache.",
    )


class CuratedInfo(BaseModel):
    """One curated file a build joined, and how many records it held (the next build compares)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="bibliography, aliases or wikidata mapping.")
    path: str = Field(description="The file, as an absolute path.")
    records: int = Field(ge=0, description="Its records (bibliography records, people, links).")


class BuildInfo(BaseModel):
    """Summary of one build, kept beside the store."""

    model_config = ConfigDict(extra="forbid")

    version: str = Field(description="interp-kg version that built the store.")
    sources: list[str] = Field(description="Source lists, as given.")
    lists: list[ListInfo] = Field(
        default_factory=list, description="Each source list's checksum and version."
    )
    base_iri: str = Field(pattern=r"^https?://", description="Base IRI of the data.")
    bullets: int = Field(ge=0, description="Bullets read.")
    entries: int = Field(ge=0, description="Entries (bullets with a title).")
    notes: int = Field(ge=0, description="Bullets that became notes of their parent entry.")
    works: dict[str, int] = Field(description="Works by class (paper, tool, tutorial, video).")
    topics: int = Field(ge=0, description="Topics.")
    venues: int = Field(ge=0, description="Venues.")
    authors: int = Field(ge=0, description="Authors.")
    triples: int = Field(ge=0, description="Triples in the store.")
    warnings: int = Field(ge=0, description="Warnings found while parsing.")
    curated: list[CuratedInfo] = Field(
        default_factory=list, description="The curated files joined, with their record counts."
    )
    seconds: float = Field(ge=0, description="Wall time of the build.")
