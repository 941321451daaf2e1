"""The SPARQL of reconciliation: plain SPARQL 1.1 only (``VALUES``, ``UNION``, ``OPTIONAL``; no
``SERVICE wikibase:label`` or other extension of the Wikidata Query Service), so the same queries
run on WDQS, QLever's Wikidata endpoint and an Oxigraph server holding Wikidata-shaped triples.
Values are RDF terms in ``VALUES`` blocks (N-Triples syntax), never pasted text."""

from __future__ import annotations

from collections.abc import Sequence

from interp_kg.curation.wikidata_mapping import MatchKind
from interp_kg.identifiers import wikidata as wd
from interp_kg.rdf.ntriples import lit

#: Properties whose values the linked items are asked for (what QuickStatements may add).
STATEMENT_PROPERTIES = (
    wd.INSTANCE_OF,
    wd.TITLE,
    wd.ARXIV_ID,
    wd.DOI,
    wd.OPENREVIEW_ID,
    wd.PUBLICATION_DATE,
    wd.PUBLISHED_IN,
    wd.AUTHOR,
    wd.AUTHOR_NAME_STRING,
    wd.SOURCE_CODE_REPOSITORY,
)
#: Identifier kinds in the order a match is preferred (the strongest first).
_PROPERTY: dict[MatchKind, str] = {
    "arxiv": wd.ARXIV_ID,
    "arxiv-doi": wd.DOI,
    "doi": wd.DOI,
    "openreview": wd.OPENREVIEW_ID,
    "github": wd.SOURCE_CODE_REPOSITORY,
    "website": wd.OFFICIAL_WEBSITE,
}
_IRI_KINDS = frozenset({"github", "website"})
_PREFIXES = (
    f"PREFIX wd: <{wd.ENTITY}>\nPREFIX wdt: <{wd.DIRECT}>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def identifier_query(kind: MatchKind, values: Sequence[str]) -> str:
    """The look-up of items holding any of ``values`` for ``kind``'s property."""
    terms = " ".join(f"<{x}>" if kind in _IRI_KINDS else lit(x) for x in values)
    return (
        f"{_PREFIXES}SELECT ?value ?item WHERE {{\n  VALUES ?value {{ {terms} }}\n"
        f"  ?item wdt:{_PROPERTY[kind]} ?value .\n}}\n"
    )


def title_query(titles: Sequence[str]) -> str:
    """Items whose English label or title (P1476) is one of ``titles``, with their publication dates."""
    terms = " ".join(lit(x) + "@en" for x in titles)
    return (
        f"{_PREFIXES}SELECT ?title ?item ?date WHERE {{\n  VALUES ?title {{ {terms} }}\n"
        f"  {{ ?item rdfs:label ?title }} UNION {{ ?item wdt:{wd.TITLE} ?title }}\n"
        f"  OPTIONAL {{ ?item wdt:{wd.PUBLICATION_DATE} ?date }}\n}}\n"
    )


def statements_query(qids: Sequence[str]) -> str:
    """The values the items have for :data:`STATEMENT_PROPERTIES`."""
    item_terms = " ".join(f"wd:{q}" for q in qids)
    props = " ".join(f"wdt:{p}" for p in STATEMENT_PROPERTIES)
    return (
        f"{_PREFIXES}SELECT ?item ?p ?value WHERE {{\n  VALUES ?item {{ {item_terms} }}\n"
        f"  VALUES ?p {{ {props} }}\n  ?item ?p ?value .\n}}\n"
    )


#: What the English label of a venue candidate's class (P31) must contain, by default: the issue
#: asks for "conference series and journals", and no class QID is verified, so classes are
#: recognised by their labels ("scientific conference series", "academic journal", ...).
VENUE_CLASS_WORDS = ("conference series", "journal")


def label_query(labels: Sequence[str]) -> str:
    """Items whose English label or alias is one of ``labels``, with their P31 classes and the
    classes' English labels."""
    terms = " ".join(lit(x) + "@en" for x in labels)
    return (
        f"{_PREFIXES}SELECT ?label ?item ?class ?classLabel WHERE {{\n  VALUES ?label {{ {terms} }}\n"
        f"  ?item rdfs:label|skos:altLabel ?label .\n  OPTIONAL {{ ?item wdt:{wd.INSTANCE_OF} ?class .\n"
        f'    OPTIONAL {{ ?class rdfs:label ?classLabel FILTER(LANG(?classLabel) = "en") }} }}\n}}\n'
    )
