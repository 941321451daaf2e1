"""A work as a reference manager sees it, and the keys it is cited by.

A :class:`Citation` holds what the graph knows of a work: title, authors in byline order, the
date to cite with its precision, the venue (its kind decides the entry type: a conference paper,
a journal article, a preprint, a blog post, software, a video), identifiers and links. The
date to cite is the curated first-version date (``dcterms:issued``) unless the work is listed at
a peer-reviewed venue in another year: then it is that year (``ICLR 2024`` for a paper first
posted in 2023), and the first version is kept beside it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

Precision = Literal["day", "month", "year"]

#: Lower-case words that start a family name ("van der Maaten", "de Vries").
PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "dos",
        "du",
        "la",
        "le",
        "ten",
        "ter",
        "zu",
    }
)
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
#: Title words a key skips.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "with",
        "from",
        "towards",
        "toward",
        "how",
        "what",
        "why",
        "when",
        "do",
        "does",
        "is",
        "are",
        "can",
        "via",
        "by",
        "at",
        "as",
        "its",
        "into",
        "we",
        "our",
        "your",
        "not",
        "no",
    }
)


@dataclass(frozen=True)
class Name:
    """A person's name split for citations: ``family`` and ``given``, or the name whole
    (``literal``) when it is one word."""

    family: str
    given: str = ""
    suffix: str = ""

    @property
    def literal(self) -> bool:
        return not self.given

    def inverted(self) -> str:
        """``Family, Given`` (``Family, Suffix, Given`` with a suffix), or the name alone.

        >>> split_name("Laurens van der Maaten").inverted()
        'van der Maaten, Laurens'
        >>> split_name("Martin Luther King Jr.").inverted()
        'King, Jr., Martin Luther'
        """
        if self.literal:
            return self.family
        return ", ".join(x for x in (self.family, self.suffix, self.given) if x)


def split_name(name: str) -> Name:
    """A name as written (``Given Family``) split into family and given names: the last word is
    the family name, with the lower-case particles before it (``van der``) and without a
    generational suffix (``Jr.``); a name written ``Family, Given`` is taken as it is.

    >>> split_name("Nelson Elhage")
    Name(family='Elhage', given='Nelson', suffix='')
    >>> split_name("Jackie Chi Kit Cheung")
    Name(family='Cheung', given='Jackie Chi Kit', suffix='')
    >>> split_name("Elhage, Nelson")
    Name(family='Elhage', given='Nelson', suffix='')
    >>> split_name("Janus")
    Name(family='Janus', given='', suffix='')
    """
    name = " ".join(name.split())
    if "," in name:
        family, _, given = name.partition(",")
        return Name(family.strip(), given.strip())
    words = name.split(" ")
    suffix = ""
    if len(words) > 2 and words[-1].lower() in SUFFIXES:
        suffix = words.pop()
    if len(words) == 1:
        return Name(words[0], "", suffix)
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return Name(" ".join(words[start:]), " ".join(words[:start]), suffix)


@dataclass(frozen=True)
class Citation:
    """What a citation of one work can say."""

    iri: str
    kind: str
    """paper, tool, tutorial, video or work."""
    title: str
    authors: tuple[str, ...] = ()
    """Names as written, in byline order."""
    authors_complete: bool = True
    date: str | None = None
    """The date to cite: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    first_version: str | None = None
    """The first version's date (``dcterms:issued``) when it is not :attr:`date`."""
    venue: str | None = None
    venue_kind: str | None = None
    """conference, workshop, journal, preprint, blog, forum (``ikg:venueKind``)."""
    peer_reviewed: bool = False
    presentation: str | None = None
    identifiers: tuple[tuple[str, str], ...] = ()
    """(scheme, value): ``arxiv``, ``doi``, ``openreview``, ``acl``, ``pmlr``, ..."""
    url: str | None = None
    code: str | None = None
    abstract: str | None = None
    key: str = field(default="")

    @property
    def precision(self) -> Precision | None:
        return _precision(self.date)

    def ident(self, scheme: str) -> str | None:
        """The first value of an identifier scheme."""
        return next((v for s, v in self.identifiers if s == scheme), None)

    @property
    def names(self) -> list[Name]:
        return [split_name(a) for a in self.authors]

    @property
    def year(self) -> str | None:
        return self.date[:4] if self.date else None

    @property
    def pdf(self) -> str | None:
        """A link to the PDF when an identifier gives one (arXiv, OpenReview, the ACL Anthology)."""
        if a := self.ident("arxiv"):
            return f"https://arxiv.org/pdf/{a}"
        if o := self.ident("openreview"):
            return f"https://openreview.net/pdf?id={o}"
        if c := self.ident("acl"):
            return f"https://aclanthology.org/{c}.pdf"
        return None

    @property
    def abstract_page(self) -> str | None:
        """The work's landing page: arXiv's abstract page, OpenReview's forum, the Anthology's
        page, the DOI, else its first link."""
        if a := self.ident("arxiv"):
            return f"https://arxiv.org/abs/{a}"
        if o := self.ident("openreview"):
            return f"https://openreview.net/forum?id={o}"
        if c := self.ident("acl"):
            return f"https://aclanthology.org/{c}/"
        if d := self.ident("doi"):
            return f"https://doi.org/{d}"
        return self.url

    @property
    def entry_type(self) -> str:
        """How the work is cited: ``conference``, ``journal``, ``preprint``, ``post``, ``software``,
        ``video`` or ``other``."""
        if self.kind == "tool":
            return "software"
        if self.kind == "video":
            return "video"
        if self.kind == "paper":
            if self.venue_kind in ("conference", "workshop") and self.peer_reviewed:
                return "conference"
            if self.venue_kind == "journal":
                return "journal"
            if self.venue_kind in ("blog", "forum"):
                return "post"
            if self.ident("arxiv") or self.venue_kind == "preprint" or self.venue_kind == "conference":
                return "preprint"
            if self.venue_kind:
                return "post"
        return "other"


def _precision(date: str | None) -> Precision | None:
    if not date:
        return None
    return {4: "year", 7: "month", 10: "day"}.get(len(date))  # type: ignore[return-value]


def date_to_cite(issued: str | None, year: int | None, peer_reviewed: bool) -> tuple[str | None, str | None]:
    """(the date to cite, the first version's when it differs) from the curated first-version
    date and the work's year (``ikg:year``: the list's, a venue's).

    >>> date_to_cite("2023-10-02", 2024, True)
    ('2024', '2023-10-02')
    >>> date_to_cite("2023-10-02", 2023, True)
    ('2023-10-02', None)
    >>> date_to_cite(None, 2022, False)
    ('2022', None)
    """
    if issued and (year is None or not peer_reviewed or issued[:4] == str(year)):
        return issued, None
    if year is not None:
        return str(year), issued if issued and issued[:4] != str(year) else None
    return issued, None


_WORD = re.compile(r"[a-z0-9]+")


def ascii_fold(text: str) -> str:
    """``text`` without accents, lower case, letters and digits only.

    >>> ascii_fold("Räuker-Ho")
    'raukerho'
    """
    if text.isascii():  # NFKD leaves ASCII as it is
        return "".join(_WORD.findall(text.lower()))
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(_WORD.findall(decomposed.encode("ascii", "ignore").decode().lower()))


def base_key(c: Citation) -> str:
    """``<first author's family name><year><first title word>``, as Google Scholar writes keys;
    without authors, the title word and year alone.

    >>> base_key(Citation("x", "paper", "A Mathematical Framework", ("Nelson Elhage",), date="2021-12"))
    'elhage2021mathematical'
    >>> base_key(Citation("x", "tool", "TransformerLens"))
    'transformerlens'
    """
    family = ascii_fold(split_name(c.authors[0]).family) if c.authors else ""
    word = first = ""  # the first title word not a stopword, else the first word (folded)
    for raw in c.title.split():
        folded = ascii_fold(raw)
        if folded and folded not in STOPWORDS:
            word = folded
            break
        first = first or folded
    word = word or first or "work"
    return f"{family}{c.year or ''}{word}" if family else f"{word}{c.year or ''}"


def with_keys(citations: Iterable[Citation]) -> list[Citation]:
    """The citations with their keys: :func:`base_key`, and where works share one, the oldest
    (by date, then IRI) keeps it and the others get ``b``, ``c``, ... so that a work added later
    rarely changes an existing key. Sorted by key."""
    groups: dict[str, list[Citation]] = defaultdict(list)
    for c in citations:
        groups[base_key(c)].append(c)
    out = []
    for key, group in groups.items():
        group.sort(key=lambda c: (c.date or "9999", c.iri))
        for n, c in enumerate(group):
            out.append(replace(c, key=key + key_suffix(n)))
    taken: set[str] = set()
    final = []
    for c in sorted(out, key=lambda c: (c.key, c.iri)):
        key = c.key
        n = 0
        while key in taken:  # a suffixed key equal to another's base key: rare; made unique
            n += 1
            key = f"{c.key}-{n}"
        taken.add(key)
        final.append(c if key == c.key else replace(c, key=key))
    return final


def key_suffix(n: int) -> str:
    """The suffix of the ``n``-th work (from 0) sharing a base key: ``''``, ``'b'``, ``'c'``, ... ``'z'``,
    ``'aa'``."""
    if n == 0:
        return ""
    letters = ""
    n += 1  # 1 -> 'b'
    while n > 0:
        n, r = divmod(n - 1, 26)
        letters = chr(97 + r) + letters
    return letters
