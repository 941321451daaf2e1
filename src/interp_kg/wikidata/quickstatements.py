"""``interp-kg wikidata quickstatements``: QuickStatements V1 for what Wikidata lacks.

For each paper with no item (and no open conflict) a ``CREATE`` block; for each linked work, the
statements its item lacks (no P818 although we know the arXiv id, no P921 for our topic...). A
person reviews the batch before running it in QuickStatements.

V1 syntax: one command per line, fields separated by tabs; ``CREATE`` then ``LAST`` for the new
item; strings in double quotes; a title as ``en:"..."`` (monolingual text); a date as
``+YYYY-MM-DDT00:00:00Z/P`` with precision 9 (year), 10 (month) or 11 (day); item values as QIDs;
sources as ``S``-prefixed property/value pairs after the statement. Tabs, newlines and other
control characters in strings become single spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from interp_kg.curation.wikidata_mapping import Mapping
from interp_kg.identifiers import wikidata as wd
from interp_kg.wikidata.works import PublicationDate, WorkFacts

_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
#: Statements read from arXiv, sourced "stated in arXiv" when the work has an arXiv id.
_FROM_ARXIV = frozenset(
    {wd.INSTANCE_OF, wd.TITLE, wd.ARXIV_ID, wd.DOI, wd.PUBLICATION_DATE, wd.AUTHOR_NAME_STRING}
)
#: Properties compared by value with the item's (others: proposed only when the item has none).
_BY_VALUE = frozenset(
    {wd.ARXIV_ID, wd.DOI, wd.OPENREVIEW_ID, wd.PUBLISHED_IN, wd.MAIN_SUBJECT, wd.SOURCE_CODE_REPOSITORY}
)


def string(text: str) -> str:
    """A V1 string value: control characters as one space, trimmed, in double quotes.

    >>> string("A\\ttitle\\nsplit ")
    '"A title split"'
    """
    return '"' + " ".join(_CONTROL.sub(" ", text).split()) + '"'


def monolingual(text: str, language: str = "en") -> str:
    """A V1 monolingual text value: ``en:"..."``."""
    return f"{language}:{string(text)}"


def time_value(date: PublicationDate | dt.date) -> str:
    """A V1 time value: ``+2023-02-01T00:00:00Z/10`` (unknown month and day as 01).

    >>> time_value(PublicationDate(2023, 2, 1, 10))
    '+2023-02-01T00:00:00Z/10'
    """
    if isinstance(date, dt.date):
        date = PublicationDate(date.year, date.month, date.day, 11)
    month = date.month if date.precision >= 10 else 1
    day = date.day if date.precision >= 11 else 1
    return f"+{date.year:04d}-{month:02d}-{day:02d}T00:00:00Z/{date.precision}"


@dataclass(frozen=True)
class Statement:
    """One statement to add: a property, its value (in V1 form) and qualifiers."""

    prop: str
    value: str
    qualifiers: tuple[tuple[str, str], ...] = ()
    compare: str | None = None  # the value as Wikidata's SPARQL gives it, for "is it missing?"


def _source_key(prop: str) -> str:
    """A property as a V1 source key: ``P854`` -> ``S854``."""
    return "S" + prop[1:]


def _source(work: WorkFacts, prop: str, retrieved: dt.date) -> list[tuple[str, str]]:
    refs: list[tuple[str, str]] = []
    curated = {
        wd.AUTHOR_NAME_STRING: work.authors_source,
        wd.PUBLICATION_DATE: work.date_source if work.issued is not None else None,
    }.get(prop)
    if curated:  # a curated fact cites the page it was read from (data/bibliography/)
        refs.append((_source_key(wd.REFERENCE_URL), string(curated)))
    elif work.arxiv and prop in _FROM_ARXIV:
        refs += [
            (_source_key(wd.STATED_IN), wd.ARXIV),
            (_source_key(wd.REFERENCE_URL), string(f"https://arxiv.org/abs/{work.arxiv[0]}")),
        ]
    else:
        url = _reference_url(work)
        if url:
            refs.append((_source_key(wd.REFERENCE_URL), string(url)))
    refs.append((_source_key(wd.RETRIEVED), time_value(retrieved)))
    return refs


def _reference_url(work: WorkFacts) -> str | None:
    if work.arxiv:
        return f"https://arxiv.org/abs/{work.arxiv[0]}"
    if work.openreview:
        return f"https://openreview.net/forum?id={work.openreview[0]}"
    if work.dois:
        return f"https://doi.org/{work.dois[0]}"
    return work.urls[0] if work.urls else None


def statements(work: WorkFacts, mapping: Mapping) -> list[Statement]:
    """Everything we can state about ``work``, in a fixed order (before comparing with the item)."""
    venues, topics = mapping.confirmed("venues"), mapping.confirmed("topics")
    out: list[Statement] = []
    if work.kind == "paper":
        preprint = bool(work.arxiv) and not work.venue_peer_reviewed
        cls = wd.PREPRINT if preprint else wd.SCHOLARLY_ARTICLE
        out.append(Statement(wd.INSTANCE_OF, cls, compare=cls))
        out.append(Statement(wd.TITLE, monolingual(work.title)))
    for a in work.arxiv:
        out.append(Statement(wd.ARXIV_ID, string(a), compare=a))
    for a in work.arxiv:
        out.append(Statement(wd.DOI, string(wd.arxiv_doi(a)), compare=wd.arxiv_doi(a)))
    for d in work.dois:
        if d.upper() not in {wd.arxiv_doi(a) for a in work.arxiv}:
            out.append(Statement(wd.DOI, string(d.upper()), compare=d.upper()))
    for o in work.openreview:
        out.append(Statement(wd.OPENREVIEW_ID, string(o), compare=o))
    if work.kind == "tool":
        for repo in work.repositories:
            out.append(Statement(wd.SOURCE_CODE_REPOSITORY, string(repo), compare=repo))
    date = work.date
    if work.kind == "paper" and date is not None:
        out.append(Statement(wd.PUBLICATION_DATE, time_value(date)))
    venue = venues.get(work.venue or "")
    if venue is not None:
        out.append(Statement(wd.PUBLISHED_IN, venue.qid, compare=venue.qid))
    for i, name in enumerate(work.authors, start=1):
        out.append(Statement(wd.AUTHOR_NAME_STRING, string(name), ((wd.SERIES_ORDINAL, string(str(i))),)))
    for qid in sorted({topics[t].qid for t in work.topics if t in topics}):
        out.append(Statement(wd.MAIN_SUBJECT, qid, compare=qid))
    return out


def missing(proposed: Sequence[Statement], existing: dict[str, tuple[str, ...]]) -> list[Statement]:
    """The statements an item lacks: by value for identifiers and item values, by property otherwise."""
    have = {p: {v.upper() for v in vs} for p, vs in existing.items()}
    out = []
    for s in proposed:
        if s.prop in _BY_VALUE:
            if (s.compare or "").upper() not in have.get(s.prop, set()):
                out.append(s)
        elif s.prop not in have:
            out.append(s)
    return out


def _line(subject: str, s: Statement, work: WorkFacts, retrieved: dt.date) -> str:
    fields = [subject, s.prop, s.value]
    for q, v in s.qualifiers:
        fields += [q, v]
    for p, v in _source(work, s.prop, retrieved):
        fields += [p, v]
    return "\t".join(fields)


def quickstatements(
    works: Iterable[WorkFacts], mapping: Mapping, *, retrieved: dt.date, create: bool = True, add: bool = True
) -> str:
    """The V1 batch: CREATE blocks for unlinked papers (``create``) and missing statements of
    linked works (``add``); works in an open conflict are left out."""
    links = mapping.work_links()
    blocked = {w for c in mapping.conflicts for w in c.works}
    lines: list[str] = []
    for work in sorted(works, key=lambda w: w.slug):
        if work.slug in blocked:
            continue
        link = links.get(work.slug)
        qid = link.qid if link else (work.same_as[0] if len(work.same_as) == 1 else None)
        if qid is None and len(work.same_as) > 1:
            continue
        proposed = statements(work, mapping)
        if qid is None:
            if create and work.kind == "paper":
                lines += list(_create(work, proposed, retrieved))
        elif add and link is not None:  # a link made elsewhere was never looked up: nothing to compare
            lines += [_line(qid, s, work, retrieved) for s in missing(proposed, link.statements)]
    return "".join(line + "\n" for line in lines)


def _create(work: WorkFacts, proposed: Sequence[Statement], retrieved: dt.date) -> Iterator[str]:
    yield "CREATE"
    yield "\t".join(["LAST", "Len", string(work.title)])
    for s in proposed:
        yield _line("LAST", s, work, retrieved)
