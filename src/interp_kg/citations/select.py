"""Which works to cite, read from the store: all of them, a topic's (with its sub-topics), an
author's, a venue's, or those a saved query's results name.

Citation keys are made over every work of the graph (:meth:`CitationFacts.citations`), then the
selection is taken, so a work has the same key in every export of one graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from interp_kg.citations.facts import PREDICATES, CitationFacts
from interp_kg.citations.model import Citation
from interp_kg.errors import QueryError
from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import IKG

if TYPE_CHECKING:
    import pyoxigraph

#: Selections: option -> (parameter type, the query of the works it selects, ``?x`` bound).
SELECTIONS: dict[str, tuple[str, str]] = {
    "topic": ("topic", f"SELECT DISTINCT ?w ?x WHERE {{ ?w <{v.TOPIC_P}>/<{v.BROADER}>* ?x }}"),
    "author": ("author", f"SELECT DISTINCT ?w ?x WHERE {{ ?w <{v.AUTHOR_P}> ?x }}"),
    "venue": ("venue", f"SELECT DISTINCT ?w ?x WHERE {{ ?w <{v.VENUE_P}> ?x }}"),
}


def store_citations(store: pyoxigraph.Store) -> dict[str, Citation]:
    """Every work's citation, by IRI, with its key."""
    import pyoxigraph

    values = " ".join(f"<{p}>" for p in PREDICATES)
    query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o }}"
    facts = CitationFacts()
    rows = store.query(query)
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    for s, p, o in rows:
        if isinstance(s, pyoxigraph.NamedNode):
            facts.add(s.value, p.value, o.value)
    return facts.citations()


@dataclass(frozen=True)
class Selection:
    """What ``export --format bibtex|csl-json|ris`` cites: every work, or those of a topic, an
    author or a venue (an IRI, a prefixed name or a label), or of a saved query's results."""

    topic: str | None = None
    author: str | None = None
    venue: str | None = None
    query: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)

    @property
    def given(self) -> list[tuple[str, str]]:
        return [(k, getattr(self, k)) for k in ("topic", "author", "venue", "query") if getattr(self, k)]


def select(store: pyoxigraph.Store, selection: Selection, timeout: float = 60.0) -> list[Citation]:
    """The citations of the selected works, sorted by key."""
    every = store_citations(store)
    wanted: set[str] | None = None
    for what, value in selection.given:
        found = (
            _query_works(store, selection, timeout)
            if what == "query"
            else _works(store, what, value, timeout)
        )
        wanted = found if wanted is None else wanted & found
    chosen = every.values() if wanted is None else [c for iri, c in every.items() if iri in wanted]
    return sorted(chosen, key=lambda c: c.key)


def _works(store: pyoxigraph.Store, what: str, value: str, timeout: float) -> set[str]:
    from interp_kg.curation.saved_queries import Param
    from interp_kg.sparql.query import LocalBackend, resolver, to_term

    backend = LocalBackend(store)
    kind, query = SELECTIONS[what]
    term = to_term(Param(name=what, type=kind), value, resolver(backend, timeout))  # type: ignore[arg-type]
    result = backend.execute(query, {"x": term}, "select", timeout)
    return {row[0].value for row in result.rows}


def _query_works(store: pyoxigraph.Store, selection: Selection, timeout: float) -> set[str]:
    """The works named anywhere in a saved query's results."""
    import pyoxigraph

    from interp_kg.curation.saved_queries import saved_query
    from interp_kg.sparql.query import LocalBackend, bind

    assert selection.query is not None
    saved = saved_query(selection.query)
    if saved.form != "select":
        raise QueryError(
            f"{saved.name} is a {saved.form.upper()} query: citations need a SELECT query's results"
        )
    backend = LocalBackend(store)
    result = backend.execute(saved.text, bind(saved, selection.params, backend, timeout), "select", timeout)
    named = {t.value for row in result.rows for t in row if isinstance(t, pyoxigraph.NamedNode)}
    rows = store.query(f"SELECT ?w WHERE {{ ?w a <{IKG}Work> }}")
    assert isinstance(rows, pyoxigraph.QuerySolutions)
    works = {row[0].value for row in rows}
    return named & works
