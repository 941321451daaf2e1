"""The one prefix map behind every artefact: Turtle ``@prefix`` lines, the JSON-LD context,
SHACL prefixes and query headers all come from :data:`PREFIXES`."""

from __future__ import annotations

IKG = "https://w3id.org/interp-kg/ontology#"
DEFAULT_BASE_IRI = "https://w3id.org/interp-kg/id/"

#: prefix -> namespace IRI, in the order artefacts print them.
PREFIXES: dict[str, str] = {
    "ikg": IKG,
    "id": DEFAULT_BASE_IRI,
    "author": DEFAULT_BASE_IRI + "author/",
    "paper": DEFAULT_BASE_IRI + "paper/",
    "tool": DEFAULT_BASE_IRI + "tool/",
    "tutorial": DEFAULT_BASE_IRI + "tutorial/",
    "venue": DEFAULT_BASE_IRI + "venue/",
    "video": DEFAULT_BASE_IRI + "video/",
    "bibo": "http://purl.org/ontology/bibo/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "doap": "http://usefulinc.com/ns/doap#",
    "fabio": "http://purl.org/spar/fabio/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vann": "http://purl.org/vocab/vann/",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


#: Prefixes of data IRIs (``paper:arxiv-2302.12461``), all under the base IRI.
DATA_PREFIXES = ("id", "author", "paper", "tool", "tutorial", "venue", "video")


def prefixes_for(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """The prefix map with the data namespaces moved under ``base_iri``."""
    return {
        p: (ns.replace(DEFAULT_BASE_IRI, base_iri, 1) if p in DATA_PREFIXES else ns)
        for p, ns in PREFIXES.items()
    }


def turtle_header(prefixes: dict[str, str] | None = None) -> str:
    """``@prefix`` lines for ``prefixes`` (default: :data:`PREFIXES`)."""
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in (prefixes or PREFIXES).items())


def sparql_header(prefixes: dict[str, str] | None = None) -> str:
    """``PREFIX`` lines for SPARQL queries."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in (prefixes or PREFIXES).items())


def compact(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``prefix:local`` for an IRI in one of the namespaces (the longest that fits), else the IRI."""
    best = ""
    for prefix, ns in prefixes.items():
        if len(ns) > len(best) and iri.startswith(ns) and len(iri) > len(ns):
            best = ns
            found = prefix
    return f"{found}:{iri[len(best) :]}" if best else iri


class Compactor:
    """:func:`compact` with a cache per namespace: an export compacts millions of IRIs, most in a
    few dozen folders (``.../paper/``, ``...ontology#``), so the prefix map is scanned once per
    folder. Every namespace of the map ends in '/' or '#', so the prefix that fits an IRI depends
    only on the IRI up to its last '/' or '#'.

    >>> c = Compactor(PREFIXES)
    >>> c("https://w3id.org/interp-kg/id/paper/arxiv-2302.12461"), c("https://example.org/x")
    ('paper:arxiv-2302.12461', 'https://example.org/x')
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.folders: dict[str, tuple[str, int] | None] = {}

    def __call__(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        if cut == len(iri):  # a namespace itself, or an IRI ending in '/': no cache
            return compact(iri, self.prefixes)
        folder = iri[:cut]
        hit = self.folders.get(folder, False)
        if hit is False:
            short = compact(folder + "x", self.prefixes)
            hit = None if short == folder + "x" else (short[:-1], len(folder))
            self.folders[folder] = hit
        if hit is None:
            return iri
        head, length = hit  # type: ignore[misc]
        return head + iri[length:]


#: Vocabularies only the dataset description (``interp-kg site build``) uses; kept out of
#: :data:`PREFIXES` so that the graph's exports and context stay as they are.
DATASET_PREFIXES: dict[str, str] = {
    "void": "http://rdfs.org/ns/void#",
    "spdx": "http://spdx.org/rdf/terms#",
}
