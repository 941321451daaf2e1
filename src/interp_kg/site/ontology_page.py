"""The ontology page, at the namespace IRI ``https://w3id.org/interp-kg/ontology``: every class
and property of ``ontology/interp-kg.ttl`` with its label, comment, domain, range and alignments
(the super-classes, super-properties, equivalents and see-also links outside our namespace).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from interp_kg.rdf.prefixes import IKG, PREFIXES, compact
from interp_kg.site.html import esc, external, internal, page

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


def _values(table: dict[str, dict[str, list[str]]], term: str, predicate: str) -> list[str]:
    return sorted(table[term].get(predicate, []))


def _ref(iri: str, here: str) -> str:
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
    description = (meta.get(PREFIXES["dcterms"] + "description") or [""])[0]
    version = (meta.get(OWL + "versionInfo") or [""])[0]
    body = [f"<h1>{esc(title)}</h1>", f"<p>{esc(description)}</p>"]
    body.append(
        f'<p class="meta">Namespace <code>{esc(IKG)}</code> (prefix <code>ikg:</code>) · '
        f"version {esc(version)} · "
        f"{internal('ontology.ttl', here, 'Turtle')} · {internal('ontology.jsonld', here, 'JSON-LD')} · "
        f"{internal('ontology.nt', here, 'N-Triples')} · {internal('shapes.ttl', here, 'SHACL shapes')} · "
        f"{internal('context.jsonld', here, 'JSON-LD context')}</p>"
    )
    for heading, kinds in (("Classes", CLASS_TYPES), ("Properties", PROPERTY_TYPES)):
        found = sorted(
            t for t in table if t.startswith(IKG) and any(k in table[t].get(RDF + "type", []) for k in kinds)
        )
        index = " · ".join(internal(f"ontology.html#{t[len(IKG) :]}", here, t[len(IKG) :]) for t in found)
        body.append(f"<h2>{heading} ({len(found)})</h2><p>{index}</p>")
        for term in found:
            local = term[len(IKG) :]
            rows = [
                ("IRI", f"<code>{esc(term)}</code>"),
                ("Type", ", ".join(_ref(x, here) for x in _values(table, term, RDF + "type"))),
                ("Label", esc(", ".join(_values(table, term, RDFS + "label")))),
                ("Comment", esc(" ".join(_values(table, term, RDFS + "comment")))),
                ("Domain", ", ".join(_ref(x, here) for x in _values(table, term, RDFS + "domain"))),
                ("Range", ", ".join(_ref(x, here) for x in _values(table, term, RDFS + "range"))),
            ]
            for predicate, name in ALIGNMENTS.items():
                rows.append(
                    (name.capitalize(), ", ".join(_ref(x, here) for x in _values(table, term, predicate)))
                )
            dl = "".join(f"<dt>{esc(k)}</dt><dd>{val}</dd>" for k, val in rows if val)
            body.append(f'<h3 id="{esc(local)}">ikg:{esc(local)}</h3><dl>{dl}</dl>')
    return page(here=here, title=title, body="".join(body), iri=ONTOLOGY_IRI, alternates="ontology")
