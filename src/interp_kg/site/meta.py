"""What a work's page tells reference managers: Highwire Press ``citation_*`` meta tags (read by
Zotero's browser connector, Google Scholar and Mendeley), the Cite box's BibTeX, and the citation
files beside the page (``.bib``, ``.ris``, ``.csl.json``: the suffixes of the format registry)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from interp_kg.citations.model import Citation
from interp_kg.citations.write import WRITERS
from interp_kg.formats import CITATION_FORMATS, FORMATS, suffix

#: (file suffix, label) of the citation files of a work, topic, venue or author.
CITATION_SUFFIXES: tuple[tuple[str, str], ...] = tuple(
    (suffix(n), FORMATS[n].label) for n in CITATION_FORMATS
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_text(date: str) -> str:
    """A date at its precision, as people read it.

    >>> date_text("2021-12-22"), date_text("2024-03"), date_text("2023")
    ('22 December 2021', 'March 2024', '2023')
    """
    parts = date.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def _slashed(date: str) -> str:
    return date.replace("-", "/")


def highwire(c: Citation, here: str) -> list[tuple[str, str]]:
    """The ``citation_*`` meta tags of a paper's page, in the order Google Scholar documents them
    (authors in byline order, written ``Family, Given``); none for other works."""
    if c.kind != "paper":
        return []
    tags = [("citation_title", c.title)]
    tags += [("citation_author", n.inverted()) for n in c.names]
    if c.date:
        tags.append(("citation_publication_date", _slashed(c.date)))
        tags.append(("citation_date", _slashed(c.date)))
    if c.first_version:
        tags.append(("citation_online_date", _slashed(c.first_version)))
    if c.venue:
        kind = c.entry_type
        if kind == "conference":
            tags.append(("citation_conference_title", c.venue))
        elif kind == "journal":
            tags.append(("citation_journal_title", c.venue))
        elif kind == "preprint" and c.venue != "arXiv":
            tags.append(("citation_publisher", c.venue))
    if doi := c.ident("doi"):
        tags.append(("citation_doi", doi))
    if arxiv := c.ident("arxiv"):
        tags.append(("citation_arxiv_id", arxiv))
    if c.pdf:
        tags.append(("citation_pdf_url", c.pdf))
    if c.abstract_page:
        tags.append(("citation_abstract_html_url", c.abstract_page))
    if c.abstract:
        tags.append(("citation_abstract", c.abstract))
    return tags


@lru_cache(maxsize=16)
def entry(name: str, c: Citation) -> str:
    """One work's citation in format ``name`` (remembered: the page and the files share it)."""
    return WRITERS[name]([c])


def citation_box(c: Citation) -> dict[str, Any]:
    """What the Cite box shows: the key and the BibTeX entry."""
    return {"key": c.key, "bibtex": entry("bibtex", c)}


def citation_files(c: Citation) -> list[tuple[str, str]]:
    """(suffix, text) of a work's citation files."""
    return [(suffix(n), entry(n, c)) for n in CITATION_FORMATS]
