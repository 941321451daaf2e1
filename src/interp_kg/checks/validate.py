"""SHACL validation of the built graph (pyshacl) against ``ontology/shapes.ttl``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from interp_kg.resources import ontology_path

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation, with one readable line per violation."""

    conforms: bool
    violations: tuple[str, ...]

    @property
    def text(self) -> str:
        if self.conforms:
            return "conforms: the graph satisfies every shape in ontology/shapes.ttl"
        head = f"{len(self.violations)} violation(s) of ontology/shapes.ttl:"
        return "\n".join((head, *(f"  {v}" for v in self.violations)))


def _short(term: object) -> str:
    from interp_kg.rdf.prefixes import compact

    text = str(term)
    return compact(text) if text.startswith("http") else repr(text)


def validate_graph(data: rdflib.Graph) -> ValidationReport:
    """Validate an rdflib graph against the shapes, with the ontology mixed in for subclassing."""
    import pyshacl
    import rdflib
    from rdflib.namespace import SH

    shapes = rdflib.Graph().parse(ontology_path("shapes.ttl"), format="turtle")
    ontology = rdflib.Graph().parse(ontology_path("interp-kg.ttl"), format="turtle")
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=True
    )
    lines = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage) or "constraint violated"
        value = results.value(result, SH.value)
        where = f"{_short(focus)} {_short(path)}" if path is not None else _short(focus)
        lines.append(f"{where}: {message}" + (f" (value {_short(value)})" if value is not None else ""))
    violations = tuple(sorted(set(lines)))
    return ValidationReport(conforms=bool(conforms) or not violations, violations=violations)


def validate_store(store: pyoxigraph.Store) -> ValidationReport:
    """Validate the default graph of a store."""
    import pyoxigraph
    import rdflib

    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    graph = rdflib.Graph().parse(data=data, format="nt")
    return validate_graph(graph)
