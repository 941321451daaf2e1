"""The built graph as Turtle, N-Triples, N-Quads, RDF/XML or compact JSON-LD, byte-stable.

The writers (:data:`WRITERS`) are keyed by the names of :mod:`interp_kg.formats`, which drives
the CLI's ``--format`` choices.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from interp_kg.rdf import vocab as v
from interp_kg.rdf.context import OBJECT_PROPERTIES, context_dict, jsonld_prefixes, terms
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI, compact, prefixes_for, turtle_header

if TYPE_CHECKING:
    import pyoxigraph

ExportFormat = Literal["turtle", "ntriples", "nquads", "jsonld", "rdfxml"]


@dataclass
class GraphSource:
    """The graph to export: a store, and the N-Triples file its build loaded when there is one
    (reading that file is ~5x faster than dumping an on-disk store)."""

    store: pyoxigraph.Store
    ntriples: Path | None = None
    base_iri: str = DEFAULT_BASE_IRI

    def canonical(self) -> bytes:
        """The default graph as N-Triples: unique lines, sorted; the basis of every export."""
        import pyoxigraph

        if self.ntriples is not None and self.ntriples.exists():
            return _sorted_lines(self.ntriples.read_bytes())
        data = self.store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        return _sorted_lines(data or b"")

    def triples(self) -> list[pyoxigraph.Triple]:
        """The default graph's triples, in the order of :meth:`canonical`."""
        import pyoxigraph

        return [q.triple for q in pyoxigraph.parse(self.canonical(), format=pyoxigraph.RdfFormat.N_TRIPLES)]


def _sorted_lines(data: bytes) -> bytes:
    lines = sorted(set(data.splitlines()))
    return b"".join(line + b"\n" for line in lines if line)


def _ntriples(source: GraphSource) -> bytes:
    return source.canonical()


def _nquads(source: GraphSource) -> bytes:
    import pyoxigraph

    return _sorted_lines(source.store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b"")


def _rdf_with_prefixes(fmt_name: str) -> Callable[[GraphSource], bytes]:
    def write(source: GraphSource) -> bytes:
        import pyoxigraph

        fmt = getattr(pyoxigraph.RdfFormat, fmt_name)
        # Data IRIs stay whole: their paths hold '/', which Turtle would escape in a local name.
        prefixes = {p: ns for p, ns in prefixes_for(source.base_iri).items() if p != "id"}
        out = pyoxigraph.serialize(source.triples(), format=fmt, prefixes=prefixes)
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
    return json_literal(obj.value, obj.datatype.value, obj.language)


_INTEGER = re.compile(r"[+-]?[0-9]+")


def json_literal(value: str, datatype: str, language: str | None) -> Any:
    """A literal as a compact JSON-LD value: plain strings, integers and booleans as JSON, other
    datatypes as ``{"@value", "@type"}`` (an integer whose lexical form is not one stays so)."""
    if language:
        return {"@value": value, "@language": language}
    if datatype == v.XSD + "string":
        return value
    if datatype == v.XSD_INTEGER and _INTEGER.fullmatch(value):
        return int(value)
    if datatype == v.XSD_BOOLEAN:
        return value == "true"
    return {"@value": value, "@type": compact(datatype)}


def jsonld_document(source: GraphSource) -> dict[str, Any]:
    """The default graph as a compact JSON-LD document with our context inlined."""
    import pyoxigraph

    names = {iri: term for term, iri in terms().items()}
    nodes: dict[str, dict[str, Any]] = {}
    prefixes = jsonld_prefixes(source.base_iri)
    for triple in source.triples():
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
    return {"@context": context_dict(source.base_iri), "@graph": graph}


def _jsonld(source: GraphSource) -> bytes:
    import orjson

    doc = jsonld_document(source)
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"


#: Format name -> writer, for the formats :data:`interp_kg.formats.COMMAND_FORMATS` gives ``export``.
WRITERS: dict[str, Callable[[GraphSource], bytes]] = {
    "turtle": _rdf_with_prefixes("TURTLE"),
    "ntriples": _ntriples,
    "nquads": _nquads,
    "jsonld": _jsonld,
    "rdfxml": _rdf_with_prefixes("RDF_XML"),
}


def export(source: GraphSource | pyoxigraph.Store, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """Serialise the graph in ``fmt`` (a key of :data:`WRITERS`): a :class:`GraphSource`, or a
    bare store whose data lives under ``base_iri``."""
    if not isinstance(source, GraphSource):
        source = GraphSource(source, None, base_iri)
    return WRITERS[fmt](source)
