"""The bibliographic pass: curated authors and dates -> triples, beside the catalog's own.

A build runs every finished work through :meth:`BibliographicPass.work`: a work with no curated
record costs a few dictionary look-ups and yields nothing (the synthetic benchmark lists have no
record at all). A work with one gets, in the terms of ``ontology/interp-kg.ttl``:

- ``ikg:author`` to each author node and one ``ikg:Authorship`` node per place in the byline
  (``<work>/authorship/<n>``: ``ikg:position``, ``ikg:person``, ``ikg:nameAsWritten``,
  ``prov:wasDerivedFrom`` the page the list was read from);
- ``dcterms:issued`` typed by precision (``xsd:date``, ``xsd:gYearMonth``, ``xsd:gYear``) with
  ``ikg:dateSource``; and ``ikg:year`` from that date when the list gives no year (the list's
  year, a venue's, wins: see ``ikg:year`` in the ontology, and :func:`date_findings` for lint).

Author nodes are keyed by :meth:`interp_kg.curation.aliases.AliasTable.slug`, the same key the catalog uses
for the people of the list's "By Source" section, so a researcher listed there and in a byline is
one node; :meth:`BibliographicPass.people_triples` writes the nodes the catalog has not.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from interp_kg.catalog.works import Author, Catalog, Work
from interp_kg.curation.aliases import AliasTable, likely_duplicates
from interp_kg.curation.bibliography import Bibliography, Located
from interp_kg.rdf import vocab as v
from interp_kg.rdf.graph import GraphWriter, bool_lit, int_lit, lit, person_triples
from interp_kg.source.models import Diagnostic

DATATYPE = {"date": v.XSD_DATE, "gYearMonth": v.XSD_GYEARMONTH, "gYear": v.XSD_GYEAR}


class BibliographicPass:
    """Adds the curated facts of a :class:`Bibliography` to the works of one build."""

    def __init__(self, writer: GraphWriter, bibliography: Bibliography, aliases: AliasTable) -> None:
        self.writer = writer
        self.bibliography = bibliography
        self.aliases = aliases
        #: author slug -> how often each spelling was seen (the node's label is the commonest)
        self.spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def work(self, work: Work) -> tuple[Work, list[str]]:
        """``work`` with its year filled from the curated date when the list gives none, and the
        triples of its curated facts (none when it has no record)."""
        located = self.bibliography.for_work(work)
        if located is None:
            return work, []
        record = located.record
        if work.year is None and record.year is not None:
            work = work.model_copy(update={"year": record.year})
        iri = self.writer.iri
        w = iri(work.slug)
        out: list[str] = []
        if record.authors is not None:
            source = f"<{record.authors_source}>"
            for n, name in enumerate(record.authors, 1):
                slug = self.aliases.slug(name)
                self.spellings[slug][self.aliases.canonical(name)] += 1
                a = iri(slug)
                s = iri(f"{work.slug}/authorship/{n}")
                out += (
                    f"{w} <{v.AUTHOR_P}> {a} .\n",
                    f"{w} <{v.AUTHORSHIP_P}> {s} .\n",
                    f"{s} <{v.TYPE}> <{v.AUTHORSHIP}> .\n",
                    f"{s} <{v.LABEL}> {lit(f'{n}. {name}')} .\n",
                    f"{s} <{v.PERSON_P}> {a} .\n",
                    f"{s} <{v.POSITION}> {int_lit(n)} .\n",
                    f"{s} <{v.NAME_AS_WRITTEN}> {lit(name)} .\n",
                    f"{s} <{v.WAS_DERIVED_FROM}> {source} .\n",
                )
            if not record.authors_complete:
                out.append(f"{w} <{v.AUTHOR_LIST_COMPLETE}> {bool_lit(False)} .\n")
        if record.date is not None and record.precision is not None:
            out.append(f'{w} <{v.ISSUED}> "{record.date}"^^<{DATATYPE[record.precision]}> .\n')
            out.append(f"{w} <{v.DATE_SOURCE}> <{record.date_source}> .\n")
        return work, out

    def people_triples(self, listed: Sequence[Author]) -> Iterator[str]:
        """Nodes for the authors of the records that the list itself does not name (the catalog
        writes those); sorted by IRI path."""
        for slug, name in self._unlisted(listed):
            node = self.writer.iri(slug)
            yield from person_triples(node, name)
            if scholar := self.aliases.scholar.get(name):
                yield f"{node} <{v.GOOGLE_SCHOLAR_ID}> {lit(scholar)} .\n"

    def _unlisted(self, listed: Sequence[Author]) -> list[tuple[str, str]]:
        """``(slug, name)`` of the records' authors the list does not name, sorted by slug; the
        name is the spelling the records use most."""
        known = {a.slug for a in listed}
        out = []
        for slug in sorted(self.spellings.keys() - known):
            counts = self.spellings[slug]
            out.append((slug, max(counts, key=lambda s: (counts[s], not s.isascii(), s))))
        return out

    def name_order(self, listed: Sequence[Author]) -> Iterator[str]:
        """``ikg:nameOrder`` of every author node (the list's and the records'): its place by
        lower-cased name, then IRI."""
        people = [(a.name, self.writer.iri(a.slug)) for a in listed]
        people += [(name, self.writer.iri(slug)) for slug, name in self._unlisted(listed)]
        keyed = sorted((name.lower(), node) for name, node in people)
        for place, (_name, node) in enumerate(keyed, 1):
            yield f"{node} <{v.NAME_ORDER}> {int_lit(place)} .\n"


_NEW_ARXIV_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")


def _arxiv_month_findings(work: Work, located: Located) -> Iterator[Diagnostic]:
    """A curated date (with a month) outside the month an arXiv id says the first version came out
    in (or the month before): probably a venue's date where the first version's was meant."""
    date = located.record.date
    if date is None or len(date) < 7:
        return
    for ident in work.identifiers:
        if ident.scheme == "arxiv" and (m := _NEW_ARXIV_ID.fullmatch(ident.value)):
            year, month = 2000 + int(m.group(1)), int(m.group(2))
            first = f"{year}-{month:02d}"
            # the id's month is the announcement's: a version submitted on the last days of the
            # month before gets it too
            before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
            if date[:7] not in (first, before):
                yield Diagnostic(
                    file=shown_path(located.file),
                    line=located.line,
                    code="date-arxiv-mismatch",
                    message=f"{located.record.key}: curated date {date} is not in {first}, the month of "
                    f"arXiv {ident.value}'s first version: check the date (a venue's date?)",
                )
            return


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def author_names(records: Iterable[Located]) -> list[str]:
    return [name for located in records for name in (located.record.authors or ())]


def bibliography_findings(
    catalog: Catalog, bibliography: Bibliography, aliases: AliasTable
) -> list[Diagnostic]:
    """Lint findings of the records matching the works of ``catalog``: a curated date after the
    list's year or outside the month of the work's arXiv id, and author names that look like one
    person written two ways."""
    findings = []
    matched: dict[str, list[Located]] = defaultdict(list)
    for work in catalog.works:
        located = bibliography.for_work(work)
        if located is None:
            continue
        matched[located.record.key].append(located)
        year = located.record.year
        if year is not None and work.year is not None and year > work.year:
            findings.append(
                Diagnostic(
                    file=shown_path(located.file),
                    line=located.line,
                    code="date-after-year",
                    message=f"{located.record.key}: curated date {located.record.date} is after the "
                    f"list's year {work.year} for {work.slug}: check the date or the list's link text",
                )
            )
        findings.extend(_arxiv_month_findings(work, located))
    records = [group[0] for group in matched.values()]
    first_place: dict[str, Located] = {}
    for located in sorted(records, key=lambda r: (str(r.file), r.line)):
        for name in located.record.authors or ():
            first_place.setdefault(aliases.canonical(name), located)
    for a, b in likely_duplicates(author_names(records), aliases):
        where = first_place.get(b) or first_place[a]
        findings.append(
            Diagnostic(
                file=shown_path(where.file),
                line=where.line,
                code="likely-duplicate-author",
                message=f"authors {a!r} and {b!r} may be one person: if so, add them to "
                "data/authors/aliases.toml with a source",
            )
        )
    return findings
