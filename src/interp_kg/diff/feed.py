"""Atom feeds (RFC 4287) of works added to a list, written with feedgen.

:func:`atom_feed` writes one feed from plain :class:`FeedEntry` values: ``interp-kg diff -f
atom`` gives the works one version of a list adds to another, and ``interp-kg site build``
publishes the works its list adds to the previous release, for the whole dataset and per topic.
Every element RFC 4287 requires is written (feed: ``id``, ``title``, ``updated``, ``author``, a
``self`` link; entry: ``id``, ``title``, ``updated``, an ``alternate`` link and a summary); the
times come from the caller (a list's date), never from the clock, so one input gives one output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FeedEntry:
    """One work in a feed."""

    id: str
    """The work's IRI."""
    title: str
    link: str
    """Where a reader opens it (its page)."""
    updated: str
    """RFC 3339 (``2026-01-22T00:00:00Z``): when the list that added it stood so."""
    summary: str
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: str | None = None


@dataclass(frozen=True)
class Feed:
    """A feed's own elements."""

    id: str
    title: str
    self_link: str
    alternate: str
    updated: str
    subtitle: str = ""
    author: str = "interp-kg"
    author_uri: str = "https://w3id.org/interp-kg/"
    entries: Sequence[FeedEntry] = field(default_factory=tuple)


def rfc3339(date: str | None) -> str:
    """A list's date (``2026-01-22``, ``2024-04`` or ``2024``) as an RFC 3339 time at midnight UTC.

    >>> rfc3339("2024-04")
    '2024-04-01T00:00:00Z'
    >>> rfc3339(None)
    '1970-01-01T00:00:00Z'
    """
    if not date:
        return "1970-01-01T00:00:00Z"
    parts = [*date.split("T")[0].split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def atom_feed(feed: Feed) -> bytes:
    """The feed as Atom XML (UTF-8), entries in the order given."""
    from feedgen.feed import FeedGenerator

    from interp_kg import __version__

    fg = FeedGenerator()
    fg.id(feed.id)
    fg.title(feed.title)
    if feed.subtitle:
        fg.subtitle(feed.subtitle)
    fg.author({"name": feed.author, "uri": feed.author_uri})
    fg.link(href=feed.self_link, rel="self", type="application/atom+xml")
    fg.link(href=feed.alternate, rel="alternate", type="text/html")
    fg.updated(feed.updated)
    fg.generator("interp-kg", __version__, "https://w3id.org/interp-kg/")
    fg.language("en")
    for e in feed.entries:
        fe = fg.add_entry(order="append")
        fe.id(e.id)
        fe.title(e.title)
        fe.link(href=e.link, rel="alternate", type="text/html")
        fe.updated(e.updated)
        if e.published:
            fe.published(e.published)
        fe.summary(e.summary)
        for name in e.authors:
            fe.author({"name": name})
        for term in e.categories:
            fe.category(term=term)
    out: bytes = fg.atom_str(pretty=True)
    return out
