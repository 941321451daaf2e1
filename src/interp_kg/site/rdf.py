"""Per-resource RDF files (N-Triples, Turtle, compact JSON-LD) and the schema.org JSON-LD that
pages embed for search engines and Wikidata tools.

A resource's RDF is its own triples (the subject's outgoing statements), and a work's holds its
authorship nodes' too. All three are written straight from the sorted N-Triples lines, with no
RDF library in between: N-Triples as they are, Turtle by :class:`Turtle` with only the prefixes
the document uses (in the prefix map's order), JSON-LD as compact nodes whose ``@context`` holds
just the terms and prefixes they use, so that each file stands alone (no remote context to fetch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from interp_kg.rdf import vocab as v
from interp_kg.rdf.context import OBJECT_PROPERTIES, context_dict, jsonld_prefixes, terms
from interp_kg.rdf.export import json_literal
from interp_kg.rdf.prefixes import PREFIXES, prefixes_for
from interp_kg.site.collect import BLANK, IRI, OWL_SAME_AS, SAME_AS, Index, Obj, Resource

if TYPE_CHECKING:
    import pyoxigraph

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
    """``prefix:local`` for IRIs, as :func:`interp_kg.rdf.context.compact` gives (the longest
    namespace that fits), found by cutting the IRI at its '/' and '#' from the right instead
    of trying every prefix."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_ns = {ns: p for p, ns in prefixes.items()}
        self.found: dict[str, str | None] = {}  # the IRI up to its last '/' or '#' -> namespace

    def namespace(self, iri: str) -> str | None:
        end = len(iri) - 1
        cut = max(iri.rfind("/", 0, end), iri.rfind("#", 0, end))
        if cut < 0:
            return None
        head = iri[: cut + 1]
        if head in self.found:
            return self.found[head]
        if len(self.found) > 1 << 16:
            self.found.clear()
        ns = self.found[head] = self._longest(head)
        return ns

    def _longest(self, head: str) -> str | None:
        end = len(head)
        while end > 0:
            if head[:end] in self.by_ns:
                return head[:end]
            end = max(head.rfind("/", 0, end - 1), head.rfind("#", 0, end - 1)) + 1
        return None

    def __call__(self, iri: str) -> str:
        ns = self.namespace(iri)
        return f"{self.by_ns[ns]}:{iri[len(ns) :]}" if ns is not None else iri


def ntriples(triples: Iterable[pyoxigraph.Triple]) -> bytes:
    """N-Triples lines of ``triples`` (already sorted)."""
    return "".join(f"{t} .\n" for t in triples).encode("utf-8")


def ntriples_of(resources: Iterable[Resource]) -> bytes:
    """N-Triples of the resources' lines (each resource's sorted)."""
    return "".join(line + "\n" for r in resources for line in r.lines).encode("utf-8")


@cache
def _turtle_prefixes(base_iri: str) -> dict[str, str]:
    # Data IRIs stay whole (as in `interp-kg export`): their paths hold '/'.
    return {p: ns for p, ns in prefixes_for(base_iri).items() if p != "id"}


_PN_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class Turtle:
    """Turtle written directly from N-Triples terms: prefixed names where the local part is
    plainly safe (else ``<IRI>``), literals as N-Triples writes them (valid Turtle), integers and
    booleans bare, ``a`` for ``rdf:type``; only the prefixes used, in the prefix map's order."""

    def __init__(self, base_iri: str) -> None:
        self.prefixes = _turtle_prefixes(base_iri)
        self.find = Compactor(self.prefixes).namespace
        self.by_ns = {ns: p for p, ns in self.prefixes.items()}
        self.vocabulary: dict[str, tuple[str, str | None]] = {}

    def _iri(self, iri: str) -> tuple[str, str | None]:
        ns = self.find(iri)
        if ns is not None:
            local = iri[len(ns) :]
            if _PN_LOCAL.fullmatch(local):
                prefix = self.by_ns[ns]
                return f"{prefix}:{local}", prefix
        return f"<{iri}>", None

    def _term(self, iri: str) -> tuple[str, str | None]:
        """A predicate, class or datatype: few and repeated, so remembered."""
        found = self.vocabulary.get(iri)
        if found is None:
            found = self.vocabulary[iri] = self._iri(iri)
        return found

    def _object(self, p: str, o: Obj, used: set[str]) -> str:
        if o.kind == IRI:
            token, prefix = self._term(o.value) if p == v.TYPE else self._iri(o.value)
        elif o.kind == BLANK or o.language or o.datatype == v.XSD + "string":
            return o.text
        elif (o.datatype == v.XSD_INTEGER and _INTEGER.fullmatch(o.value)) or (
            o.datatype == v.XSD_BOOLEAN and o.value in ("true", "false")
        ):
            return o.value
        else:
            dt, prefix = self._term(o.datatype)
            if prefix is not None:
                used.add(prefix)
            return o.text[: o.text.rfind('"') + 1] + "^^" + dt
        if prefix is not None:
            used.add(prefix)
        return token

    def document(self, resources: Iterable[Resource]) -> bytes:
        used: set[str] = set()
        blocks = []
        for r in resources:
            subject, prefix = self._iri(r.iri)
            if prefix is not None:
                used.add(prefix)
            parts = [subject]
            last = None
            for p, o in r.rows:
                obj = self._object(p, o, used)
                if p == last:
                    parts.append(f" , {obj}")
                    continue
                if p == v.TYPE:
                    pred = "a"
                else:
                    pred, prefix = self._term(p)
                    if prefix is not None:
                        used.add(prefix)
                parts.append((" ;\n\t" if last is not None else " ") + f"{pred} {obj}")
                last = p
            parts.append(" .\n")
            blocks.append("".join(parts))
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in self.prefixes.items() if p in used)
        return (header + "".join(blocks)).encode("utf-8")


class JsonLd:
    """Compact JSON-LD nodes under our context (see :func:`interp_kg.rdf.export.jsonld_document`)."""

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        self.names = {iri: term for term, iri in terms().items()}
        self.prefixes = jsonld_prefixes(base_iri)
        self.context = context_dict(base_iri)
        self.data = Compactor(self.prefixes)
        self.vocabulary = Compactor(PREFIXES)
        self.keys: dict[str, str] = {}
        self.term_heads = {term: set(_heads(_strings(value))) for term, value in self.context.items()}

    def _key(self, iri: str) -> str:
        key = self.keys.get(iri)
        if key is None:
            key = self.keys[iri] = self.names.get(iri) or self.vocabulary(iri)
        return key

    def node(self, resource: Resource) -> dict[str, Any]:
        """The resource as one compact node (no ``@context``)."""
        node: dict[str, Any] = {"@id": self.data(resource.iri)}
        for p, obj in resource.rows:
            if p == v.TYPE:
                node.setdefault("@type", []).append(self._key(obj.value))
                continue
            key = self._key(p)
            node.setdefault(key, []).append(self._value(obj, p in OBJECT_PROPERTIES and p in self.names))
        return {
            k: (vals[0] if isinstance(vals, list) and len(vals) == 1 else vals) for k, vals in node.items()
        }

    def _value(self, obj: Obj, as_id: bool) -> Any:
        if obj.kind == IRI:
            short = self.data(obj.value)
            return short if as_id else {"@id": short}
        if obj.kind == BLANK:
            return {"@id": f"_:{obj.value}"}
        return json_literal(obj.value, obj.datatype, obj.language)

    def document(
        self, resources: list[Resource], nodes: list[dict[str, Any]] | None = None
    ) -> dict[str, Any]:
        """One resource as a node with a ``@context`` of just the terms and prefixes it uses;
        several (a work and its authorship nodes, a block of listings) as a ``@graph``.
        ``nodes``: the resources' nodes when already made."""
        nodes = nodes if nodes is not None else [self.node(r) for r in resources]
        if len(nodes) == 1:
            return {"@context": self.context_for(nodes), **nodes[0]}
        return {"@context": self.context_for(nodes), "@graph": nodes}

    def context_for(self, nodes: list[dict[str, Any]]) -> dict[str, Any]:
        """The terms the nodes use and the prefixes of the compact IRIs in their keys, types,
        ``@id``s and datatypes (not in literal values, which are not expanded)."""
        context, term_heads = self.context, self.term_heads
        used: dict[str, Any] = {}
        heads: set[str] = set()
        for node in nodes:
            for key, value in node.items():
                if key == "@type":
                    for t in value if isinstance(value, list) else [value]:
                        if t in context:
                            used[t] = context[t]
                            heads |= term_heads[t]
                        elif ":" in t:
                            heads.add(t[: t.index(":")])
                    continue
                if key in context:
                    used[key] = context[key]
                    heads |= term_heads[key]
                if ":" in key:
                    heads.add(key[: key.index(":")])
                for item in value if isinstance(value, list) else (value,):
                    if isinstance(item, str):
                        if ":" in item:
                            heads.add(item[: item.index(":")])
                    elif isinstance(item, dict):
                        for k in ("@id", "@type"):
                            x = item.get(k)
                            if isinstance(x, str) and ":" in x:
                                heads.add(x[: x.index(":")])
        ctx = {p: ns for p, ns in self.prefixes.items() if p in heads}
        ctx.update(sorted(used.items()))
        return ctx


def _heads(strings: Iterable[str]) -> Iterator[str]:
    for s in strings:
        if ":" in s:
            yield s.split(":", 1)[0]


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
    by = resource.by
    for predicate, (name, template) in IDENTIFIERS.items():
        found = by.get(predicate)
        if found:
            for value in sorted(o.value for o in found):
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
        abstract = resource.values(v.ABSTRACT)
        if abstract:
            doc["abstract"] = abstract[0]
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
