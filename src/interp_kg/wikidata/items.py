"""Which Wikidata items a work becomes, of which class, and which of its facts each item states.

Wikidata keeps a preprint and its published version apart: they are two publications, each with
its own identifiers and date. So a paper with an arXiv preprint and a venue version (a DOI other
than arXiv's, an ACL Anthology or PMLR id, a ``published`` date, or a peer-reviewed venue in the
list) is two items: ``preprint`` (arXiv id, arXiv's DOI, the first version's date) and
``published`` (the venue's DOI, OpenReview id, publication date, P1433). Any other work is one
item, ``work``: an arXiv-only paper, a venue paper without preprint, a post, a tool.

A title or byline goes to the version whose record it was read on: the preprint's when the page
is on arXiv, the venue version's otherwise. (The two versions often differ in both; a fact read
on one is not a fact about the other.)

Classes (P31), by kind of work, with the ids :mod:`interp_kg.identifiers.wikidata` verifies:

======================================  ======================================================
a preprint (arXiv, an OpenReview         preprint (Q580922)
submission), or the preprint item
a venue version (conference, journal,    scholarly article (Q13442814): the class the scholarly
workshop)                                items of Wikidata carry most (Scholia's queries select
                                         it); conference paper (Q23927052) is verified too, but
                                         left to a curator
a tool                                   software (Q7397)
a blog or forum post                     blog post: id not verified, so never written
a tutorial, a video                      ids not verified, never written
a paper of an unknown venue              none: the kind of publication is unknown
======================================  ======================================================
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from interp_kg.curation.bibliography import Fact
from interp_kg.curation.wikidata_mapping import Version
from interp_kg.identifiers import wikidata as wd
from interp_kg.wikidata.works import WorkFacts

ARXIV_HOSTS: Final = frozenset(
    {"arxiv.org", "www.arxiv.org", "export.arxiv.org", "web3.arxiv.org", "ar5iv.labs.arxiv.org", "ar5iv.org"}
)
#: Venue kinds (``ikg:venueKind``) of a venue version, when the venue is peer reviewed.
VENUE_VERSION_KINDS: Final = frozenset({"conference", "journal", "workshop"})
#: Identifier schemes that only a venue version has.
VENUE_SCHEMES: Final = ("acl", "pmlr", "neurips", "ieee")
#: Facts that always belong to the preprint, and to the venue version.
PREPRINT_FACTS: Final[frozenset[Fact]] = frozenset({"arxiv_id", "date"})
VENUE_FACTS: Final[frozenset[Fact]] = frozenset({"doi", "openreview_id", "published", "acl_id", "pmlr_id"})


def on_arxiv(url: str) -> bool:
    """Whether ``url`` is a page of arXiv.

    >>> on_arxiv("https://arxiv.org/abs/2302.12461v2"), on_arxiv("https://doi.org/10.1/x")
    (True, False)
    """
    return (urlsplit(url).hostname or "").lower() in ARXIV_HOSTS


def _is_arxiv_doi(doi: str) -> bool:
    return doi.upper().startswith(wd.ARXIV_DOI_PREFIX)


def at_peer_reviewed_venue(work: WorkFacts) -> bool:
    """Whether the list places the work at a peer-reviewed conference, journal or workshop."""
    return bool(work.venue_peer_reviewed) and work.venue_kind in VENUE_VERSION_KINDS


def has_venue_version(work: WorkFacts) -> bool:
    """Whether a paper has a version of record besides any preprint."""
    record = work.record
    return (
        any(not _is_arxiv_doi(d) for d in work.dois)
        or any(work.ids.get(s) for s in VENUE_SCHEMES)
        or (
            record is not None
            and (record.published is not None or record.acl_id is not None or record.pmlr_id is not None)
        )
        or at_peer_reviewed_venue(work)
    )


def versions(work: WorkFacts) -> tuple[Version, ...]:
    """The items the work becomes: ``("preprint", "published")`` for a paper with an arXiv
    preprint and a venue version, else ``("work",)``."""
    if work.kind == "paper" and work.arxiv and has_venue_version(work):
        return ("preprint", "published")
    return ("work",)


def target(slug: str, version: Version) -> str:
    """How an item of a work is named in messages: ``paper/x``, ``paper/x#preprint``."""
    return slug if version == "work" else f"{slug}#{version}"


def item_class(work: WorkFacts, version: Version) -> tuple[str | None, str | None]:
    """The class (P31) of the item, and when there is none, why: an unverified role of
    :data:`interp_kg.identifiers.wikidata.UNVERIFIED`, or ``"unknown"``."""
    if work.kind == "tool":
        return wd.SOFTWARE, None
    if work.kind == "tutorial":
        return None, wd.TUTORIAL
    if work.kind == "video":
        return None, wd.VIDEO
    if version == "preprint":
        return wd.PREPRINT, None
    if version == "published" or at_peer_reviewed_venue(work):
        return wd.SCHOLARLY_ARTICLE, None
    if work.venue_kind in ("forum", "blog"):
        return None, wd.BLOG_POST
    if work.arxiv or work.venue_kind == "preprint":
        return wd.PREPRINT, None
    return None, "unknown"


def belongs(work: WorkFacts, version: Version, fact: Fact) -> bool:
    """Whether ``fact`` of the work's record is a fact about its item ``version``."""
    if version == "work":
        return True
    record = work.record
    if fact in PREPRINT_FACTS:
        preprint_side = True
    elif fact in VENUE_FACTS:
        preprint_side = fact == "doi" and record is not None and _is_arxiv_doi(record.doi or "")
    else:  # title, authors: the version whose record they were read on
        source = record.sources.get(fact) if record is not None else None
        preprint_side = source is not None and on_arxiv(source.url)
    return preprint_side == (version == "preprint")


def date_fact(work: WorkFacts, version: Version) -> Fact | None:
    """The record's fact that is the item's publication date (P577): the first version's date for
    a preprint, the venue's for a venue version, the venue's else the first for a single item."""
    record = work.record
    if record is None:
        return None
    if version == "preprint" or (version == "work" and work.arxiv and not has_venue_version(work)):
        return "date" if record.date is not None else None
    if version == "published":
        return "published" if record.published is not None else None
    if record.published is not None:
        return "published"
    return "date" if record.date is not None else None
