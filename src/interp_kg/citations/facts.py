"""Citations from the graph's statements.

:class:`CitationFacts` takes the statements a citation needs (:data:`PREDICATES`), one
``(subject, predicate, value)`` at a time: IRIs as plain strings, literals as their lexical
form. The site feeds it from its scan of the N-Triples (:mod:`interp_kg.site.collect`), the
``export`` command from the store (:mod:`.select`); both get the same citations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from interp_kg.citations.model import Citation, date_to_cite, with_keys
from interp_kg.rdf import vocab as v

#: Identifier predicates -> the scheme names citations use.
SCHEMES: dict[str, str] = {
    v.ARXIV_ID: "arxiv",
    v.DOI: "doi",
    v.OPENREVIEW_ID: "openreview",
    v.ACL_ANTHOLOGY_ID: "acl",
    v.PMLR_ID: "pmlr",
    v.NEURIPS_ID: "neurips",
    v.IEEE_XPLORE_ID: "ieee",
    v.GITHUB_REPOSITORY: "github",
    v.LESSWRONG_POST_ID: "lesswrong",
    v.YOUTUBE_VIDEO_ID: "youtube",
}
#: The class that decides a work's kind, most specific first.
WORK_CLASSES: dict[str, str] = {
    v.PAPER: "paper",
    v.TOOL: "tool",
    v.TUTORIAL: "tutorial",
    v.VIDEO: "video",
    v.WORK: "work",
}
#: Every predicate a citation reads.
PREDICATES: tuple[str, ...] = (
    v.TYPE,
    v.LABEL,
    v.ISSUED,
    v.YEAR,
    v.VENUE_P,
    v.URL,
    v.CODE_REPOSITORY,
    v.PRESENTATION,
    v.AUTHOR_P,
    v.AUTHORSHIP_P,
    v.POSITION,
    v.PERSON_P,
    v.NAME_AS_WRITTEN,
    v.AUTHOR_LIST_COMPLETE,
    v.VENUE_KIND,
    v.PEER_REVIEWED,
    v.ABSTRACT,
    *SCHEMES,
)
#: The predicates a citation reads of the resources its work names (venues, authorship nodes,
#: people), not of the work itself: see :meth:`CitationFacts.authors` and :meth:`CitationFacts.citation`.
OF_OTHERS: tuple[str, ...] = (
    v.LABEL,
    v.PEER_REVIEWED,
    v.VENUE_KIND,
    v.POSITION,
    v.PERSON_P,
    v.NAME_AS_WRITTEN,
)


class CitationFacts:
    """Statements gathered for citations; :meth:`citations` makes them."""

    def __init__(self) -> None:
        self.by: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))

    def add(self, subject: str, predicate: str, value: str) -> None:
        self.by[subject][predicate].append(value)

    def extend(self, rows: Iterable[tuple[str, str, str]]) -> None:
        for s, p, o in rows:
            self.by[s][p].append(o)

    def _first(self, subject: str, predicate: str) -> str | None:
        found = self.by.get(subject, {}).get(predicate)
        return min(found) if found else None

    def kind(self, subject: str) -> str | None:
        types = set(self.by.get(subject, {}).get(v.TYPE, ()))
        return next((k for cls, k in WORK_CLASSES.items() if cls in types), None)

    def authors(self, work: str) -> tuple[str, ...]:
        """Names as written in byline order; without a byline, the people linked, by name."""
        facts = self.by.get(work, {})
        places = []
        for a in set(facts.get(v.AUTHORSHIP_P, ())):
            position = self._first(a, v.POSITION)
            person = self._first(a, v.PERSON_P)
            name = self._first(a, v.NAME_AS_WRITTEN) or (self._first(person, v.LABEL) if person else None)
            if name:
                places.append((int(position) if position and position.isdigit() else 0, a, name))
        if places:
            return tuple(name for _, _, name in sorted(places))
        people = sorted({self._first(p, v.LABEL) or p.rsplit("/", 1)[-1] for p in facts.get(v.AUTHOR_P, ())})
        return tuple(people)

    def citation(self, work: str) -> Citation | None:
        """The work's citation without its key (``None`` when ``work`` is not a work)."""
        kind = self.kind(work)
        facts = self.by.get(work)
        if kind is None or facts is None:
            return None
        venues = sorted(set(facts.get(v.VENUE_P, ())), key=lambda x: (self._first(x, v.LABEL) or x, x))
        venue = venues[0] if venues else None
        peer = venue is not None and self._first(venue, v.PEER_REVIEWED) == "true"
        year = self._first(work, v.YEAR)
        date, first = date_to_cite(
            self._first(work, v.ISSUED), int(year) if year and year.lstrip("-").isdigit() else None, peer
        )
        urls = sorted(set(facts.get(v.URL, ())))
        code = sorted(set(facts.get(v.CODE_REPOSITORY, ())))
        ids = tuple(
            (scheme, value) for p, scheme in SCHEMES.items() for value in sorted(set(facts.get(p, ())))
        )
        return Citation(
            iri=work,
            kind=kind,
            title=self._first(work, v.LABEL) or work.rsplit("/", 1)[-1],
            authors=self.authors(work),
            authors_complete=self._first(work, v.AUTHOR_LIST_COMPLETE) != "false",
            date=date,
            first_version=first,
            venue=self._first(venue, v.LABEL) if venue else None,
            venue_kind=self._first(venue, v.VENUE_KIND) if venue else None,
            peer_reviewed=peer,
            presentation=", ".join(sorted(set(facts.get(v.PRESENTATION, ())))) or None,
            identifiers=ids,
            url=urls[0] if urls else None,
            code=code[0] if code else None,
            abstract=self._first(work, v.ABSTRACT),
        )

    def citations(self) -> dict[str, Citation]:
        """Every work's citation, with keys unique among them, by IRI."""
        found = [c for c in (self.citation(s) for s in list(self.by)) if c is not None]
        return {c.iri: c for c in with_keys(found)}
