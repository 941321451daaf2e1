"""Which documents ``site build`` writes: all of them by default, or a part of the site.

A large graph's full site is millions of files (about 6.8 per work: a page, Turtle, JSON-LD,
N-Triples and three citation files). ``--only`` names the kinds of resource whose documents are
written, ``--formats`` the files each gets; the site's own pages (home, authors, search,
downloads, description, ontology), the feeds and the dumps are written whatever they say, the
same bytes as in a full build. So builds of one store with different selections write disjoint
documents and identical shared files: their folders merge into the full site. Links always point
where the full site has its files.

Light on purpose: the CLI reads the choices from here without importing the site's builder.

>>> Selection.parse("work", "html").wants("paper")
True
>>> Selection.parse("work", "html").wants("listing")
False
>>> Selection().everything
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

DocumentKind = Literal["work", "topic", "venue", "author", "listing", "other"]
DocumentFormat = Literal["html", "ttl", "jsonld", "nt", "cite"]
#: ``--only`` choices: the kinds of resource (``work``: papers, tools, tutorials, videos, works).
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)
#: ``--formats`` choices: a page, three RDF files, the citation files (BibTeX, RIS, CSL-JSON).
DOCUMENT_FORMATS: tuple[str, ...] = get_args(DocumentFormat)
_WORKS = frozenset({"paper", "tool", "tutorial", "video", "work"})


def document_kind(kind: str) -> str:
    """The ``--only`` choice a resource of index kind ``kind`` falls under."""
    if kind in _WORKS:
        return "work"
    return kind if kind in DOCUMENT_KINDS else "other"


def _choices(text: str, allowed: tuple[str, ...], option: str) -> frozenset[str]:
    names = [x.strip() for x in text.split(",") if x.strip()]
    wrong = [x for x in names if x not in allowed]
    if wrong or not names:
        raise ValueError(f"{option}: {', '.join(wrong) or 'nothing given'}: choose from {', '.join(allowed)}")
    return frozenset(names)


@dataclass(frozen=True)
class Selection:
    """The kinds of resource whose documents are written, and the files each gets."""

    kinds: frozenset[str] = field(default_factory=lambda: frozenset(DOCUMENT_KINDS))
    formats: frozenset[str] = field(default_factory=lambda: frozenset(DOCUMENT_FORMATS))

    @classmethod
    def parse(cls, only: str | None, formats: str | None) -> Selection:
        """From the comma-separated ``--only`` and ``--formats`` (``None``: all); ValueError
        names a wrong choice."""
        return cls(
            _choices(only, DOCUMENT_KINDS, "--only") if only else frozenset(DOCUMENT_KINDS),
            _choices(formats, DOCUMENT_FORMATS, "--formats") if formats else frozenset(DOCUMENT_FORMATS),
        )

    @property
    def everything(self) -> bool:
        return self.kinds == frozenset(DOCUMENT_KINDS) and self.formats == frozenset(DOCUMENT_FORMATS)

    def wants(self, kind: str) -> bool:
        """Whether resources of index kind ``kind`` get documents."""
        return document_kind(kind) in self.kinds
