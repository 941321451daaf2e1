"""The built graph as Turtle, N-Triples, N-Quads, RDF/XML or compact JSON-LD, byte-stable.

A registry (:data:`FORMATS`) drives both the dispatch and the CLI's ``--format`` choices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from interp_kg import vocab as v
from interp_kg.context import OBJECT_PROPERTIES, compact, context_dict, jsonld_prefixes, terms
from interp_kg.prefixes import DEFAULT_BASE_IRI, prefixes_for, turtle_header

if TYPE_CHECKING:
    import pyoxigraph

ExportFormat = Literal["turtle", "ntriples", "nquads", "jsonld", "rdfxml"]


@dataclass(frozen=True)
class Format:
    """An export format: how to write it, its media type and file extension."""

    writer: Callable[[pyoxigraph.Store, str], bytes]
    media_type: str
    extension: str


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.splitlines()))
    return b"".join(line + b"\n" for line in lines if line)


def _ntriples(store: pyoxigraph.Store, base_iri: str) -> bytes:
    import pyoxigraph

    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return _sorted_lines(data or b"")


def _nquads(store: pyoxigraph.Store, base_iri: str) -> bytes:
    import pyoxigraph

    return _sorted_lines(store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b"")


def sorted_triples(store: pyoxigraph.Store) -> list[pyoxigraph.Triple]:
    """The default graph's triples, sorted by their N-Triples form."""
    import pyoxigraph

    quads = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    keyed = sorted(((str(q.subject), str(q.predicate), str(q.object)), q.triple) for q in quads)
    return [t for _, t in keyed]


def _rdf_with_prefixes(fmt_name: str) -> Callable[[pyoxigraph.Store, str], bytes]:
    def write(store: pyoxigraph.Store, base_iri: str) -> bytes:
        import pyoxigraph

        fmt = getattr(pyoxigraph.RdfFormat, fmt_name)
        # Data IRIs stay whole: their paths hold '/', which Turtle would escape in a local name.
        prefixes = {p: ns for p, ns in prefixes_for(base_iri).items() if p != "id"}
        out = pyoxigraph.serialize(sorted_triples(store), format=fmt, prefixes=prefixes)
        assert out is not None
        if fmt_name == "TURTLE":
            # pyoxigraph writes the prefixes in hash order; put them in the prefix map's order.
            body = b"".join(
                line for line in out.splitlines(keepends=True) if not line.startswith(b"@prefix ")
            )
            out = turtle_header(prefixes).encode() + body
        return out

    return write


def _json_value(
    obj: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal,
    as_id: bool,
    prefixes: dict[str, str],
) -> Any:
    import pyoxigraph

    if isinstance(obj, pyoxigraph.NamedNode):
        return compact(obj.value, prefixes) if as_id else {"@id": compact(obj.value, prefixes)}
    if isinstance(obj, pyoxigraph.BlankNode):
        return {"@id": f"_:{obj.value}"}
    dt = obj.datatype.value
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    if dt == v.XSD + "string":
        return obj.value
    if dt == v.XSD_INTEGER:
        return int(obj.value)
    if dt == v.XSD_BOOLEAN:
        return obj.value == "true"
    return {"@value": obj.value, "@type": compact(dt)}


def jsonld_document(store: pyoxigraph.Store, base_iri: str = DEFAULT_BASE_IRI) -> dict[str, Any]:
    """The default graph as a compact JSON-LD document with our context inlined."""
    import pyoxigraph

    names = {iri: term for term, iri in terms().items()}
    nodes: dict[str, dict[str, Any]] = {}
    prefixes = jsonld_prefixes(base_iri)
    for triple in sorted_triples(store):
        subject, obj = triple.subject, triple.object
        if isinstance(subject, pyoxigraph.Triple) or isinstance(obj, pyoxigraph.Triple):
            raise ValueError("RDF-star triples cannot be written as JSON-LD 1.1")
        s = subject.value if isinstance(subject, pyoxigraph.NamedNode) else f"_:{subject.value}"
        node = nodes.setdefault(s, {"@id": compact(s, prefixes)})
        p = triple.predicate.value
        if p == v.TYPE:
            node.setdefault("@type", []).append(names.get(obj.value) or compact(obj.value))
            continue
        key = names.get(p) or compact(p)
        value = _json_value(obj, p in OBJECT_PROPERTIES and p in names, prefixes)
        node.setdefault(key, []).append(value)
    graph = []
    for node in nodes.values():
        graph.append(
            {k: (vals[0] if isinstance(vals, list) and len(vals) == 1 else vals) for k, vals in node.items()}
        )
    return {"@context": context_dict(base_iri), "@graph": graph}


def _jsonld(store: pyoxigraph.Store, base_iri: str) -> bytes:
    import orjson

    doc = jsonld_document(store, base_iri)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


FORMATS: dict[str, Format] = {
    "turtle": Format(_rdf_with_prefixes("TURTLE"), "text/turtle", "ttl"),
    "ntriples": Format(_ntriples, "application/n-triples", "nt"),
    "nquads": Format(_nquads, "application/n-quads", "nq"),
    "jsonld": Format(_jsonld, "application/ld+json", "jsonld"),
    "rdfxml": Format(_rdf_with_prefixes("RDF_XML"), "application/rdf+xml", "rdf"),
}


def export(store: pyoxigraph.Store, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """Serialise the store's graph in ``fmt`` (a key of :data:`FORMATS`)."""
    return FORMATS[fmt].writer(store, base_iri)
