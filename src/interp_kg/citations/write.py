"""The citation writers, keyed by the format names of :mod:`interp_kg.formats` (``bibtex``,
``csl-json``, ``ris``): BibTeX through bibtexparser (LaTeX-encoded, so classic BibTeX reads it),
RIS through rispy, CSL-JSON as the CSL 1.0.2 schema (``schema/csl-data.json``) describes it.

Each writer takes citations (with their keys: :func:`interp_kg.citations.model.with_keys`) and
returns text; the same citation gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from interp_kg.citations.model import Citation

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Entry types by :attr:`Citation.entry_type`: BibTeX, CSL, RIS.
BIBTEX_TYPES = {
    "conference": "inproceedings",
    "journal": "article",
    "preprint": "misc",
    "post": "misc",
    "software": "misc",
    "video": "misc",
    "other": "misc",
}
CSL_TYPES = {
    "conference": "paper-conference",
    "journal": "article-journal",
    "preprint": "article",
    "post": "post-weblog",
    "software": "software",
    "video": "motion_picture",
    "other": "webpage",
}
RIS_TYPES = {
    "conference": "CPAPER",
    "journal": "JOUR",
    "preprint": "UNPB",
    "post": "BLOG",
    "software": "COMP",
    "video": "VIDEO",
    "other": "ELEC",
}


def _date_parts(date: str) -> list[int]:
    return [int(x) for x in date.split("-")]


# -- BibTeX ------------------------------------------------------------------------------------


#: The ASCII characters the LaTeX encoder changes (found by asking it, once).
_SPECIAL: set[str] = set()
#: BibTeX fields written verbatim (the ``url`` package and biblatex read them so), not as LaTeX.
VERBATIM = frozenset({"url", "doi", "eprint"})


@cache
def _bibtex_tools() -> tuple[Any, Any, list[Any]]:
    import bibtexparser
    from bibtexparser import middlewares as m
    from bibtexparser.writer import BibtexFormat

    class LatexExceptVerbatim(m.LatexEncodingMiddleware):
        """LaTeX-encodes every field but the verbatim ones (URLs, DOIs, arXiv ids); a value of
        plain ASCII without a character LaTeX reads specially is already LaTeX, and is kept as
        it is without a call to the encoder (most titles and names: the encoder is the costly
        part of writing a site's citations)."""

        def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
            if python_string.isascii() and not _SPECIAL.intersection(python_string):
                return python_string, ""
            return super()._transform_python_value_string(python_string)

        def transform_entry(self, entry: Any, library: Any) -> Any:
            kept = {f.key: f.value for f in entry.fields if f.key in VERBATIM}
            entry = super().transform_entry(entry, library)
            for f in entry.fields:
                if f.key in kept:
                    f.value = kept[f.key]
            return entry

    probe = m.LatexEncodingMiddleware(keep_math=False, enclose_urls=False)
    encode = probe._encoder.unicode_to_latex
    _SPECIAL.update(c for c in map(chr, range(32, 127)) if encode(c) != c)  # the encoder's own rules
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.block_separator = "\n"
    fmt.trailing_comma = False
    stack = [
        LatexExceptVerbatim(keep_math=False, enclose_urls=False, allow_inplace_modification=True),
        m.MonthAbbreviationMiddleware(allow_inplace_modification=True),
        m.AddEnclosingMiddleware(
            allow_inplace_modification=True,
            default_enclosing="{",
            reuse_previous_enclosing=False,
            enclose_integers=True,
        ),
    ]
    return bibtexparser, fmt, stack


def bibtex_fields(c: Citation) -> list[tuple[str, str]]:
    """The fields of a work's BibTeX entry, in the order written (plain text, not yet LaTeX)."""
    kind = c.entry_type
    fields: list[tuple[str, str]] = [("title", c.title)]
    if c.authors:
        names = [n.inverted() for n in c.names]
        if not c.authors_complete:
            names.append("others")
        fields.append(("author", " and ".join(names)))
    if c.venue:
        if kind == "conference":
            fields.append(("booktitle", c.venue))
        elif kind == "journal":
            fields.append(("journal", c.venue))
        elif not (kind == "preprint" and c.venue == "arXiv"):
            fields.append(("howpublished", c.venue))
    elif kind == "software":
        fields.append(("howpublished", "Software"))
    elif kind == "video":
        fields.append(("howpublished", "Video"))
    if c.date:
        fields.append(("year", c.date[:4]))
        if len(c.date) >= 7:
            fields.append(("month", str(int(c.date[5:7]))))
    if arxiv := c.ident("arxiv"):
        fields += [("eprint", arxiv), ("archiveprefix", "arXiv")]
    if doi := c.ident("doi"):
        fields.append(("doi", doi))
    if c.url or c.abstract_page:
        fields.append(("url", c.url or c.abstract_page or ""))
    notes = []
    if c.first_version:
        notes.append(f"First version {c.first_version}")
    if c.code and kind != "software":
        notes.append(f"Code: {c.code}")
    if notes:
        fields.append(("note", ". ".join(notes)))
    return fields


def write_bibtex(citations: Sequence[Citation]) -> str:
    """BibTeX entries, one per citation, in the order given."""
    bibtexparser, fmt, stack = _bibtex_tools()
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library()
    for c in citations:
        fields = [Field(k, v) for k, v in bibtex_fields(c)]
        library.add(Entry(BIBTEX_TYPES[c.entry_type], c.key, fields))
    if not citations:
        return ""
    text: str = bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=fmt)
    return text.rstrip("\n") + "\n"


# -- CSL-JSON ----------------------------------------------------------------------------------


def csl_item(c: Citation) -> dict[str, Any]:
    """One CSL-JSON item (CSL 1.0.2)."""
    kind = c.entry_type
    item: dict[str, Any] = {"id": c.key, "citation-key": c.key, "type": CSL_TYPES[kind], "title": c.title}
    if c.authors:
        item["author"] = [
            {"literal": n.family}
            if n.literal
            else {"family": n.family, "given": n.given, **({"suffix": n.suffix} if n.suffix else {})}
            for n in c.names
        ]
    if c.date:
        item["issued"] = {"date-parts": [_date_parts(c.date)]}
    if c.first_version:
        item["original-date"] = {"date-parts": [_date_parts(c.first_version)]}
    if c.venue and not (kind == "preprint" and c.venue == "arXiv"):
        item["container-title"] = c.venue
    if arxiv := c.ident("arxiv"):
        item["number"] = f"arXiv:{arxiv}"
        if kind == "preprint":
            item["publisher"] = "arXiv"
    if doi := c.ident("doi"):
        item["DOI"] = doi
    if url := c.url or c.abstract_page:
        item["URL"] = url
    if c.abstract:
        item["abstract"] = c.abstract
    return item


def write_csl_json(citations: Sequence[Citation]) -> str:
    """A CSL-JSON array (what Zotero, Pandoc and citeproc read)."""
    import orjson

    data = [csl_item(c) for c in citations]
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


# -- RIS ---------------------------------------------------------------------------------------


def ris_record(c: Citation) -> dict[str, Any]:
    """One RIS record as rispy's field names give it."""
    kind = c.entry_type
    rec: dict[str, Any] = {"type_of_reference": RIS_TYPES[kind], "id": c.key, "title": c.title}
    if c.authors:
        rec["authors"] = [n.inverted() for n in c.names]
    if c.date:
        rec["year"] = c.date[:4]
        parts = [*c.date.split("-"), "", ""]
        rec["date"] = f"{parts[0]}/{parts[1]}/{parts[2]}/"
    if c.venue and not (kind == "preprint" and c.venue == "arXiv"):
        rec["secondary_title"] = c.venue
        if kind == "journal":
            rec["journal_name"] = c.venue
    if arxiv := c.ident("arxiv"):
        rec["number"] = f"arXiv:{arxiv}"
        if kind == "preprint":
            rec["publisher"] = "arXiv"
    if doi := c.ident("doi"):
        rec["doi"] = doi
    urls = [u for u in (c.url, c.abstract_page, c.pdf) if u]
    if urls:
        rec["urls"] = list(dict.fromkeys(urls))
    if c.abstract:
        rec["abstract"] = c.abstract
    if c.first_version:
        rec["notes"] = [f"First version {c.first_version}"]
    return rec


def write_ris(citations: Sequence[Citation]) -> str:
    """RIS records (what EndNote, Zotero and Mendeley import)."""
    import rispy

    if not citations:
        return ""
    text: str = rispy.dumps([ris_record(c) for c in citations], implementation=_ris_writer())
    return text


@cache
def _ris_writer() -> Any:
    from rispy.writer import RisWriter

    class Unnumbered(RisWriter):  # type: ignore[misc]
        """rispy's writer without the ``1.`` line it puts before each record (not RIS)."""

        def set_header(self, count: int) -> str:
            return ""

    return Unnumbered


#: Format name -> writer, for the citation formats of :data:`interp_kg.formats.CITATION_FORMATS`.
WRITERS: dict[str, Callable[[Sequence[Citation]], str]] = {
    "bibtex": write_bibtex,
    "csl-json": write_csl_json,
    "ris": write_ris,
}
