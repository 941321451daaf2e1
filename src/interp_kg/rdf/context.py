"""The JSON-LD context (``ontology/context.jsonld``), generated from the prefix map and the vocabulary.

``tests/test_context.py`` checks that the file on disk equals :func:`render_context`; after a
vocabulary change, regenerate it with ``python -m interp_kg.rdf.context > ontology/context.jsonld``.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI, IKG, compact, prefixes_for

#: Predicates whose values are IRIs (``"@type": "@id"`` in the context).
OBJECT_PROPERTIES = frozenset(
    {
        v.TOPIC_P,
        v.VENUE_P,
        v.URL,
        v.SUB_ENTRY_OF,
        v.SOFTWARE,
        v.CODE_REPOSITORY,
        v.LISTING_P,
        v.IN_LIST,
        v.BROADER,
        v.IN_SCHEME,
        v.TOP_CONCEPT_OF,
        v.PARAMETER,
        v.CHANGE_P,
        v.CHANGED_WORK,
        v.CHANGED_TOPIC,
        v.PREVIOUS_WORK,
        v.PREVIOUS_TOPIC,
        v.FROM_TOPIC,
        v.TO_TOPIC,
        v.FROM_VERSION,
        v.TO_VERSION,
        v.SAME_AS,
        v.EXACT_MATCH,
        v.CLOSE_MATCH,
    }
)
#: Standard terms of other vocabularies, by the JSON-LD term that names them.
STANDARD_TERMS = {
    "label": v.LABEL,
    "prefLabel": v.PREF_LABEL,
    "broader": v.BROADER,
    "inScheme": v.IN_SCHEME,
    "topConceptOf": v.TOP_CONCEPT_OF,
    "source": v.SOURCE,
    "Concept": v.CONCEPT,
    "ConceptScheme": v.CONCEPT_SCHEME,
    "sameAs": v.SAME_AS,
    "exactMatch": v.EXACT_MATCH,
    "closeMatch": v.CLOSE_MATCH,
}


@cache
def terms() -> dict[str, str]:
    """JSON-LD term -> full IRI, for every term of :mod:`interp_kg.rdf.vocab` and the standard ones."""
    out = {name: iri for name, iri in STANDARD_TERMS.items()}
    for value in vars(v).values():
        if isinstance(value, str) and value.startswith(IKG) and len(value) > len(IKG):
            out[value[len(IKG) :]] = value
    return out


def jsonld_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The prefix map less the prefixes whose names are also terms (``venue`` is ``ikg:venue``)."""
    names = terms()
    return {p: ns for p, ns in prefixes_for(base_iri).items() if p not in names}


def context_dict(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    """The ``@context`` object for data under ``base_iri``."""
    ctx: dict[str, Any] = dict(jsonld_prefixes(base_iri))
    for term, iri in sorted(terms().items()):
        short = compact(iri)
        ctx[term] = {"@id": short, "@type": "@id"} if iri in OBJECT_PROPERTIES else short
    return ctx


def render_context() -> str:
    """The text of ``ontology/context.jsonld``."""
    return json.dumps({"@context": context_dict()}, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render_context(), end="")
