"""Per-resource RDF files (N-Triples, Turtle, compact JSON-LD) and the schema.org JSON-LD that
pages embed for search engines and Wikidata tools.

A resource's RDF is its own triples (the subject's outgoing statements). N-Triples is written
from the sorted terms directly, Turtle by pyoxigraph's writer with only the prefixes the resource
uses (in the prefix map's order), JSON-LD as one compact node whose ``@context`` holds just the
terms and prefixes it uses, so that each file stands alone (no remote context to fetch).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from interp_kg import vocab as v
from interp_kg.context import OBJECT_PROPERTIES, context_dict, jsonld_prefixes, terms
from interp_kg.export import _json_value
from interp_kg.prefixes import PREFIXES, prefixes_for
from interp_kg.site.collect import OWL_SAME_AS, SAME_AS, Index, Resource

if TYPE_CHECKING:
    import pyoxigraph

    from interp_kg.site.collect import Term

SCHEMA = "https://schema.org"
#: schema.org type of each page kind.
SCHEMA_TYPES = {
    "paper": "ScholarlyArticle",
    "tool": "SoftwareSourceCode",
    "tutorial": "LearningResource",
    "video": "VideoObject",
    "work": "CreativeWork",
    "topic": "DefinedTerm",
    "venue": "CreativeWorkSeries",
    "author": "Person",
}
#: Identifier predicates: the name shown, and how the value becomes a link (``{}`` is the value).
IDENTIFIERS: dict[str, tuple[str, str | None]] = {
    v.ARXIV_ID: ("arXiv", "https://arxiv.org/abs/{}"),
    v.DOI: ("DOI", "https://doi.org/{}"),
    v.OPENREVIEW_ID: ("OpenReview", "https://openreview.net/forum?id={}"),
    v.ACL_ANTHOLOGY_ID: ("ACL Anthology", "https://aclanthology.org/{}"),
    v.GITHUB_REPOSITORY: ("GitHub", "https://github.com/{}"),
    v.PMLR_ID: ("PMLR", None),
    v.NEURIPS_ID: ("NeurIPS", None),
    v.IEEE_XPLORE_ID: ("IEEE Xplore", "https://ieeexplore.ieee.org/document/{}"),
    v.GOOGLE_SCHOLAR_ID: ("Google Scholar", "https://scholar.google.com/citations?user={}"),
    v.YOUTUBE_CHANNEL: ("YouTube channel", None),
    v.YOUTUBE_VIDEO_ID: ("YouTube", "https://www.youtube.com/watch?v={}"),
    v.LESSWRONG_POST_ID: ("LessWrong post", "https://www.lesswrong.com/posts/{}"),
    v.LESSWRONG_SEQUENCE_ID: ("LessWrong sequence", "https://www.lesswrong.com/s/{}"),
}
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"


class Compactor:
    """``prefix:local`` for IRIs, as :func:`interp_kg.context.compact` gives (the longest
    namespace that fits), found by cutting the IRI at its '/' and '#' from the right instead
    of trying every prefix."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_ns = {ns: p for p, ns in prefixes.items()}

    def namespace(self, iri: str) -> str | None:
        end = len(iri) - 1
        while end > 0:
            cut = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
            if cut < 0:
                return None
            if iri[: cut + 1] in self.by_ns:
                return iri[: cut + 1]
            end = cut
        return None

    def __call__(self, iri: str) -> str:
        ns = self.namespace(iri)
        return f"{self.by_ns[ns]}:{iri[len(ns) :]}" if ns is not None else iri


def ntriples(triples: Iterable[pyoxigraph.Triple]) -> bytes:
    """N-Triples lines of ``triples`` (already sorted)."""
    return "".join(f"{t} .\n" for t in triples).encode("utf-8")


@cache
def _turtle_prefixes(base_iri: str) -> dict[str, str]:
    # Data IRIs stay whole (as in `interp-kg export`): their paths hold '/'.
    return {p: ns for p, ns in prefixes_for(base_iri).items() if p != "id"}


@cache
def _turtle_compactor(base_iri: str) -> Compactor:
    return Compactor(_turtle_prefixes(base_iri))


def _iris(triples: Iterable[pyoxigraph.Triple]) -> Iterator[str]:
    import pyoxigraph

    for t in triples:
        yield t.predicate.value
        o = t.object
        if isinstance(o, pyoxigraph.NamedNode):
            yield o.value
        elif isinstance(o, pyoxigraph.Literal):
            yield o.datatype.value
        yield t.subject.value  # type: ignore[union-attr]


def turtle(triples: tuple[pyoxigraph.Triple, ...], base_iri: str) -> bytes:
    """Turtle of ``triples`` with the prefixes they use, in the prefix map's order."""
    import pyoxigraph

    find = _turtle_compactor(base_iri).namespace
    spaces = {find(i) for i in set(_iris(triples))}
    used = {p: ns for p, ns in _turtle_prefixes(base_iri).items() if ns in spaces}
    out = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=used) or b""
    body = b"".join(line for line in out.splitlines(keepends=True) if not line.startswith(b"@prefix "))
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in used.items())
    return header.encode() + body


class JsonLd:
    """Compact JSON-LD nodes under our context (see :func:`interp_kg.export.jsonld_document`)."""

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        self.names = {iri: term for term, iri in terms().items()}
        self.prefixes = jsonld_prefixes(base_iri)
        self.context = context_dict(base_iri)
        self.data = Compactor(self.prefixes)
        self.vocabulary = Compactor(PREFIXES)

    def node(self, resource: Resource) -> dict[str, Any]:
        """The resource as one compact node (no ``@context``)."""
        import pyoxigraph

        node: dict[str, Any] = {"@id": self.data(resource.iri)}
        for t in resource.triples:
            p, obj = t.predicate.value, t.object
            if isinstance(obj, pyoxigraph.Triple):
                continue
            if p == v.TYPE:
                node.setdefault("@type", []).append(self.names.get(obj.value) or self.vocabulary(obj.value))
                continue
            key = self.names.get(p) or self.vocabulary(p)
            node.setdefault(key, []).append(self._value(obj, p in OBJECT_PROPERTIES and p in self.names))
        return {
            k: (vals[0] if isinstance(vals, list) and len(vals) == 1 else vals) for k, vals in node.items()
        }

    def _value(self, obj: Term, as_id: bool) -> Any:
        import pyoxigraph

        if isinstance(obj, pyoxigraph.NamedNode):
            short = self.data(obj.value)
            return short if as_id else {"@id": short}
        return _json_value(obj, as_id, self.prefixes)  # type: ignore[arg-type]

    def document(self, resource: Resource) -> dict[str, Any]:
        """The node with a ``@context`` of just the terms and prefixes it uses."""
        node = self.node(resource)
        return {"@context": self.context_for([node]), **node}

    def graph(self, resources: list[Resource]) -> dict[str, Any]:
        """Several nodes in one document (``@graph``), with the context they use."""
        nodes = [self.node(r) for r in resources]
        return {"@context": self.context_for(nodes), "@graph": nodes}

    def context_for(self, nodes: list[dict[str, Any]]) -> dict[str, Any]:
        used: dict[str, Any] = {}
        for node in nodes:
            for key in node:
                if key in self.context:
                    used[key] = self.context[key]
            types = node.get("@type", [])
            for t in types if isinstance(types, list) else [types]:
                if isinstance(t, str) and t in self.context:
                    used[t] = self.context[t]
        strings = set(_strings(nodes)) | set(_strings(used))
        heads = {s.split(":", 1)[0] for s in strings if ":" in s}
        ctx = {p: ns for p, ns in self.prefixes.items() if p in heads}
        ctx.update(sorted(used.items()))
        return ctx


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, item in value.items():
            yield k
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def identifier_links(resource: Resource) -> list[tuple[str, str, str | None]]:
    """(scheme name, value, link or ``None``) for each identifier of the resource, sorted."""
    out = []
    for predicate, (name, template) in IDENTIFIERS.items():
        for value in sorted(resource.values(predicate)):
            out.append((name, value, template.format(value) if template else None))
    return out


def same_as(resource: Resource) -> list[str]:
    """Links to the same thing elsewhere (schema:sameAs, owl:sameAs), sorted."""
    return sorted({*resource.values(SAME_AS), *resource.values(OWL_SAME_AS)})


def schema_org(resource: Resource, index: Index, kind: str) -> dict[str, Any]:
    """The schema.org description a page embeds."""
    iri = resource.iri
    doc: dict[str, Any] = {"@context": SCHEMA, "@id": iri, "@type": SCHEMA_TYPES.get(kind, "Thing")}
    doc["name"] = index.name(iri)
    links = sorted(set(resource.values(v.URL)))
    if links:
        doc["url"] = links[0]
    same = sorted(set(links) | set(same_as(resource)))
    if same:
        doc["sameAs"] = same
    comments = resource.values(v.COMMENT) + resource.values(v.NOTE)
    if comments:
        doc["description"] = " ".join(sorted(comments))
    if kind in ("paper", "tool", "tutorial", "video", "work"):
        year = index.year.get(iri)
        issued = sorted(resource.values(v.ISSUED))
        if issued or year is not None:
            doc["datePublished"] = issued[0] if issued else str(year)
        topics = sorted(set(resource.values(v.TOPIC_P)))
        if topics:
            doc["about"] = [{"@id": t, "@type": "DefinedTerm", "name": index.name(t)} for t in topics]
        venues = sorted(set(resource.values(v.VENUE_P)))
        if venues:
            doc["isPartOf"] = [
                {"@id": x, "@type": "CreativeWorkSeries", "name": index.name(x)} for x in venues
            ]
        authors = index.authors(resource)
        if authors:
            doc["author"] = [{"@id": a, "@type": "Person", "name": index.name(a)} for a in authors]
        code = sorted(set(resource.values(v.CODE_REPOSITORY)))
        if code and kind == "tool":
            doc["codeRepository"] = code[0]
        ids = identifier_links(resource)
        if ids:
            doc["identifier"] = [
                {"@type": "PropertyValue", "propertyID": n, "value": val} for n, val, _ in ids
            ]
    elif kind == "topic":
        doc["inDefinedTermSet"] = sorted(set(resource.values(v.IN_SCHEME)))
        parent = index.broader.get(iri)
        if parent:
            doc["isPartOf"] = {"@id": parent, "name": index.name(parent)}
    return doc
