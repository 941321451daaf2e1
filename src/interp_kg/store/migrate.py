"""A store built before the registry: what its current build published is registered first.

Before the registry of minted IRIs (:mod:`interp_kg.curation.registry`), each build minted its
IRIs from its lists alone, and a list of one's own minted its topics in the bundled list's
namespace (``topic/<path>``). The first build into such a store (it has a current build and no
registry yet) registers the IRIs that build published, read from its N-Triples, so that the new
build keeps them (:func:`registry_of_build`):

- its works: identifiers, normalised titles, URLs and first listing, as the catalog keys them;
- its people: the names each IRI stood for;
- its topics, when it was built from one list that is not the bundled one: each ``topic/<path>`` is
  registered as that list's, replaced by ``topics/<name>/<path>`` (the IRI the list's heading now
  has), unless the bundled list has that IRI (then it names the bundled list's section).

Nothing the bundled registry holds is registered again. The records go beside the store with the
new build's (:meth:`interp_kg.catalog.persist.IriBook.save`).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from interp_kg.curation.registry import PersonRecord, Registry, TopicRecord, WorkRecord
from interp_kg.rdf import vocab as v
from interp_kg.rdf.graph import PREDICATE_OF_SCHEME
from interp_kg.source.text import slugify, title_key
from interp_kg.store.buildinfo import BuildInfo

_SCHEME_OF = {p: scheme for scheme, p in PREDICATE_OF_SCHEME.items()}
_WORK_CLASSES = {v.PAPER, v.TOOL, v.TUTORIAL, v.VIDEO}


def registry_of_build(ntriples: Path, info: BuildInfo, bundled: Registry) -> Registry:
    """The records of what the build whose N-Triples and info are given published (see the module
    docstring), less what ``bundled`` holds."""
    import pyoxigraph

    base = info.base_iri
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in pyoxigraph.parse(path=ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES):
        s, o = quad.subject, quad.object
        if isinstance(s, pyoxigraph.NamedNode) and s.value.startswith(base):
            facts[s.value[len(base) :]][quad.predicate.value].append(str(o.value))
    out = Registry()
    n = 0
    for slug in sorted(facts):
        got = facts[slug]
        types = set(got.get(v.TYPE, ()))
        if slug in bundled.works or slug in bundled.people or not types:
            continue
        n += 1
        if types & _WORK_CLASSES:
            tool = v.TOOL in types
            ids = sorted(
                f"{scheme}:{value.lower() if scheme == 'github' else value}"
                for p, scheme in _SCHEME_OF.items()
                for value in got.get(p, ())
                if scheme != "github" or tool
            )
            listings = sorted(got.get(v.LISTING_P, ()), key=_line)
            minted = _minted(listings[0][len(base) :]) if listings else None
            if minted is None:
                continue
            out.works[slug] = WorkRecord(
                iri=slug,
                n=n,
                ids=tuple(ids),
                titles=tuple(sorted({title_key(t) for t in got.get(v.LABEL, ())})),
                urls=tuple(sorted(set(got.get(v.URL, ())))),
                minted=minted,
            )
        elif v.AUTHOR in types:
            names = {*got.get(v.LABEL, ()), *got.get(v.ALIAS, ())}
            if names:
                out.people[slug] = PersonRecord(iri=slug, n=n, names=tuple(sorted(names)))
    own = [x for x in info.lists if x.version is None]
    if len(info.lists) == 1 and len(own) == 1:
        name = own[0].name or slugify(own[0].file.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        out.topics = _topics(facts, name, bundled, n, base)
    return out


def _line(iri: str) -> tuple[int, str]:
    tail = iri.rsplit("/L", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, iri)


def _minted(listing: str) -> str | None:
    """``key:L<line>`` of a listing's IRI path (``listing/<key>/L<line>``)."""
    parts = listing.split("/")
    if len(parts) == 3 and parts[0] == "listing" and parts[2][1:].isdigit():
        return f"{parts[1]}:{parts[2]}"
    return None


def _topics(
    facts: dict[str, dict[str, list[str]]], name: str, bundled: Registry, n: int, base: str
) -> dict[str, TopicRecord]:
    """The old build's ``topic/...`` IRIs, each replaced by the IRI its heading has now."""

    def up(slug: str) -> str | None:
        parent = next(iter(facts[slug].get(v.BROADER, ())), None)
        return parent[len(base) :] if parent and parent.startswith(base) else None

    out: dict[str, TopicRecord] = {}
    labels = {slug: (got.get(v.PREF_LABEL) or got.get(v.LABEL) or [""])[0] for slug, got in facts.items()}
    for slug in sorted(facts):
        got = facts[slug]
        if v.TOPIC not in got.get(v.TYPE, ()) or not slug.startswith("topic/") or slug in bundled.topics:
            continue
        path: list[str] = []
        node: str | None = slug
        while node is not None and node in labels and len(path) < 20:
            path.append(labels[node])
            node = up(node)
        n += 1
        out[slug] = TopicRecord(
            iri=slug,
            n=n,
            list=name,
            parent=up(slug),
            segment=slug.rsplit("/", 1)[-1],
            label=labels[slug] or slug,
            path=" > ".join(reversed([p for p in path if p])) or slug,
            replaced_by=f"topics/{name}/{slug[len('topic/') :]}",
        )
    return out
