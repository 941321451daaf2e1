"""``interp-kg export --format jsonld --profile wikidata``: one object per work, shaped for
reconciliation tools (OpenRefine, QuickStatements helpers).

Each object has the work's IRI, its class, and its values in Wikidata's own terms and forms: the
title as English monolingual text (P1476), the publication date typed by its precision (P577;
``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date``, with Wikibase's precision 9/10/11 beside it),
the arXiv id bare (P818), DOIs upper-cased with arXiv's DOI added (P356), the OpenReview forum id
(P8968), repository URLs (P1324), the venue and topic items where a person confirmed them (P1433,
P921), author name strings in order (P2093, a JSON-LD list), and ``sameAs`` where linked.
"""

from __future__ import annotations

from typing import Any

from interp_kg.curation.wikidata_mapping import Mapping
from interp_kg.identifiers import wikidata as wd
from interp_kg.rdf import vocab as v
from interp_kg.rdf.context import jsonld_prefixes
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI, compact
from interp_kg.wikidata.works import WorkFacts

WIKIBASE = "http://wikiba.se/ontology#"
_DATATYPE = {9: "xsd:gYear", 10: "xsd:gYearMonth", 11: "xsd:date"}
_CLASS = {"paper": "ikg:Paper", "tool": "ikg:Tool", "tutorial": "ikg:Tutorial", "video": "ikg:Video"}


def profile_context(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    """The ``@context`` of the Wikidata profile: readable terms for the wdt: properties."""
    ctx: dict[str, Any] = dict(jsonld_prefixes(base_iri))
    ctx["wikibase"] = WIKIBASE

    def item(pid: str) -> dict[str, str]:
        return {"@id": f"wdt:{pid}", "@type": "@id"}

    ctx.update(
        {
            "label": compact(v.LABEL),
            "title": {"@id": f"wdt:{wd.TITLE}", "@language": "en"},
            "publicationDate": f"wdt:{wd.PUBLICATION_DATE}",
            "datePrecision": "wikibase:timePrecision",
            "instanceOf": item(wd.INSTANCE_OF),
            "arxivId": f"wdt:{wd.ARXIV_ID}",
            "doi": f"wdt:{wd.DOI}",
            "openReviewId": f"wdt:{wd.OPENREVIEW_ID}",
            "codeRepository": item(wd.SOURCE_CODE_REPOSITORY),
            "publishedIn": item(wd.PUBLISHED_IN),
            "mainSubject": item(wd.MAIN_SUBJECT),
            "authorNameStrings": {"@id": f"wdt:{wd.AUTHOR_NAME_STRING}", "@container": "@list"},
            "venue": {"@id": compact(v.VENUE_P), "@type": "@id"},
            "topic": {"@id": compact(v.TOPIC_P), "@type": "@id"},
            "sameAs": {"@id": compact(v.SAME_AS), "@type": "@id"},
        }
    )
    return ctx


def work_object(work: WorkFacts, mapping: Mapping, prefixes: dict[str, str]) -> dict[str, Any]:
    """One work in the profile's shape (keys with no value left out)."""
    venues, topics = mapping.confirmed("venues"), mapping.confirmed("topics")
    link = mapping.work_links().get(work.slug)
    same_as = sorted({*work.same_as, *((link.qid,) if link else ())})
    obj: dict[str, Any] = {
        "@id": compact(work.iri, prefixes),
        "@type": _CLASS[work.kind],
        "label": work.title,
        "title": work.title if work.kind == "paper" else None,
        "arxivId": work.arxiv,
        "doi": sorted({*(wd.arxiv_doi(a) for a in work.arxiv), *(d.upper() for d in work.dois)}),
        "openReviewId": work.openreview,
        "codeRepository": work.repositories,
        "venue": compact(work.venue_iri, prefixes) if work.venue_iri else None,
        "publishedIn": f"wd:{venues[work.venue].qid}" if work.venue in venues else None,
        "topic": [compact(t, prefixes) for t in work.topic_iris],
        "mainSubject": sorted({f"wd:{topics[t].qid}" for t in work.topics if t in topics}),
        "authorNameStrings": work.authors,
        "sameAs": [f"wd:{q}" for q in same_as],
    }
    if work.kind == "paper":
        instance = wd.PREPRINT if work.arxiv and not work.venue_peer_reviewed else wd.SCHOLARLY_ARTICLE
        obj["instanceOf"] = f"wd:{instance}"
    date = work.date
    if date is not None:
        obj["publicationDate"] = {"@value": date.iso(), "@type": _DATATYPE[date.precision]}
        obj["datePrecision"] = date.precision
    return {k: val for k, val in obj.items() if val not in (None, [])}


def profile_document(
    works: list[WorkFacts], mapping: Mapping, base_iri: str = DEFAULT_BASE_IRI
) -> dict[str, Any]:
    """The whole dump: the context and one object per work, sorted by IRI."""
    prefixes = jsonld_prefixes(base_iri)
    graph = [work_object(w, mapping, prefixes) for w in sorted(works, key=lambda w: w.iri)]
    return {"@context": profile_context(base_iri), "@graph": graph}


def profile_bytes(works: list[WorkFacts], mapping: Mapping, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The dump as byte-stable JSON (sorted keys, two-space indent, final newline)."""
    import orjson

    doc = profile_document(works, mapping, base_iri)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
