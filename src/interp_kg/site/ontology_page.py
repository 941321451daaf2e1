"""The ontology page, at the namespace IRI ``https://w3id.org/interp-kg/ontology``: every class
and property of ``ontology/interp-kg.ttl`` with its label, comment, domain, range and alignments
(the super-classes, super-properties, equivalents and see-also links outside our namespace).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from interp_kg.rdf.prefixes import IKG, PREFIXES, compact
from interp_kg.site.html import Link, external, internal, page

if TYPE_CHECKING:
    import pyoxigraph

RDF, RDFS, OWL = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"]
ONTOLOGY_IRI = IKG.rstrip("#")
CLASS_TYPES = (OWL + "Class", RDFS + "Class")
PROPERTY_TYPES = (
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    RDF + "Property",
)
ALIGNMENTS = {
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    OWL + "equivalentClass": "equivalent class",
    OWL + "equivalentProperty": "equivalent property",
    RDFS + "seeAlso": "see also",
    PREFIXES["skos"] + "exactMatch": "exact match",
    PREFIXES["skos"] + "closeMatch": "close match",
}


class TermView(NamedTuple):
    """A class or property of the ontology as its page shows it."""

    local: str
    iri: str
    types: list[Link]
    label: str
    comment: str
    domain: list[Link]
    range: list[Link]
    #: (what, terms) of each kind of alignment the term has
    alignments: list[tuple[str, list[Link]]]


def _values(table: dict[str, dict[str, list[str]]], term: str, predicate: str) -> list[str]:
    return sorted(table[term].get(predicate, []))


def _ref(iri: str, here: str) -> Link:
    if iri.startswith(IKG):
        return internal(f"ontology.html#{iri[len(IKG) :]}", here, compact(iri))
    return external(iri, compact(iri))


def ontology_html(triples: list[pyoxigraph.Triple]) -> str:
    """The page, from the ontology's triples."""
    import pyoxigraph

    table: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        if isinstance(t.subject, pyoxigraph.NamedNode):
            table[t.subject.value][t.predicate.value].append(t.object.value)  # type: ignore[union-attr]
    here = "ontology.html"
    meta = table.get(ONTOLOGY_IRI, {})
    title = (meta.get(PREFIXES["dcterms"] + "title") or ["interp-kg ontology"])[0]

    def refs(term: str, predicate: str) -> list[Link]:
        return [_ref(x, here) for x in _values(table, term, predicate)]

    sections = []
    for heading, kinds in (("Classes", CLASS_TYPES), ("Properties", PROPERTY_TYPES)):
        found = sorted(
            t for t in table if t.startswith(IKG) and any(k in table[t].get(RDF + "type", []) for k in kinds)
        )
        terms = [
            TermView(
                local=term[len(IKG) :],
                iri=term,
                types=refs(term, RDF + "type"),
                label=", ".join(_values(table, term, RDFS + "label")),
                comment=" ".join(_values(table, term, RDFS + "comment")),
                domain=refs(term, RDFS + "domain"),
                range=refs(term, RDFS + "range"),
                alignments=[
                    (name.capitalize(), refs(term, predicate))
                    for predicate, name in ALIGNMENTS.items()
                    if _values(table, term, predicate)
                ],
            )
            for term in found
        ]
        index = [internal(f"ontology.html#{t.local}", here, t.local) for t in terms]
        sections.append((heading, index, terms))
    files = [
        internal(target, here, name)
        for target, name in (
            ("ontology.ttl", "Turtle"),
            ("ontology.jsonld", "JSON-LD"),
            ("ontology.nt", "N-Triples"),
            ("shapes.ttl", "SHACL shapes"),
            ("context.jsonld", "JSON-LD context"),
        )
    ]
    return page(
        "ontology.html",
        here=here,
        title=title,
        iri=ONTOLOGY_IRI,
        alternates="ontology",
        description=(meta.get(PREFIXES["dcterms"] + "description") or [""])[0],
        version=(meta.get(OWL + "versionInfo") or [""])[0],
        namespace=IKG,
        files=files,
        sections=sections,
    )
