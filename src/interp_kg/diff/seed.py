"""The bundled registry (``data/registry/``), seeded from the IRIs the bundled lists have minted.

Before the registry, each build minted its IRIs from its own list alone. The seed records what
those builds published, for every bundled version: each version is catalogued as it always was
(no registry: :class:`~interp_kg.catalog.persist.IriBook` over empty registries), and the records
are put together, oldest version first (so ``n`` follows publication). Where two versions minted
two IRIs for one thing, both were published: the newer version's stands and the older one is
registered as replaced by it, found as ``interp-kg diff`` finds them (a topic renamed with a new
slug; a work matched under another IRI). People are minted twice per version, with the alias table
and without it: an author IRI the alias table has since merged into another person's (``Christopher
Olah`` is ``Chris Olah``) was published by the builds before that entry, and is registered as
replaced by the canonical person's IRI.

``tests/test_registry.py`` checks that the files in ``data/registry/`` are this seed, byte for byte.
Write them again with::

    python -m interp_kg.diff.seed data/registry

The seed is for the versions published before the registry. A bundled version added later is to be
registered by a build against the registry (so that its renamed headings keep their topics' IRIs),
not seeded.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.models import Catalog
from interp_kg.catalog.persist import IriBook
from interp_kg.catalog.works import build_catalog, list_ref
from interp_kg.curation.aliases import AliasTable
from interp_kg.curation.registry import PersonRecord, Registry, TopicRecord, WorkRecord, write_registry
from interp_kg.diff.changes import diff_catalogs, match_works, source_info
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI
from interp_kg.source.bundled import bundled_list_path, bundled_lists
from interp_kg.source.parse import parse_file


def _catalog(version: str, curated: Curated) -> tuple[Catalog, Registry]:
    path = bundled_list_path(version)
    book = IriBook(Registry(), Registry(), curated.aliases)
    catalog = build_catalog([parse_file(path)], curated=curated, refs=[list_ref(path.name)], book=book)
    return catalog, book.local()


def seed_registry(curated: Curated | None = None) -> Registry:
    """The bundled registry as the bundled lists' builds minted it (see the module docstring)."""
    curated = curated if curated is not None else Curated.bundled()
    bare = Curated(curated.bibliography, AliasTable(), curated.mapping)
    out = Registry()
    works: dict[str, WorkRecord] = {}
    topics: dict[str, TopicRecord] = {}
    people: dict[str, PersonRecord] = {}
    canonical: set[str] = set()
    catalogs: list[Catalog] = []
    for version in reversed(bundled_lists().names()):  # oldest first
        catalog, minted = _catalog(version, curated)
        catalogs.append(catalog)
        for w in sorted(minted.works.values(), key=lambda r: r.n):
            old = works.get(w.iri)
            if old is None:
                works[w.iri] = w
            else:
                works[w.iri] = old.model_copy(
                    update={
                        "ids": tuple(sorted({*old.ids, *w.ids})),
                        "titles": tuple(sorted({*old.titles, *w.titles})),
                        "urls": tuple(sorted({*old.urls, *w.urls})),
                    }
                )
        for t in sorted(minted.topics.values(), key=lambda r: r.n):
            old_t = topics.get(t.iri)
            if old_t is None:
                topics[t.iri] = t
            else:  # the newer version's heading stands, the older path is history
                history = tuple(dict.fromkeys(p for p in (*old_t.history, old_t.path) if p != t.path))
                topics[t.iri] = t.model_copy(update={"history": history})
        canonical |= set(minted.people)
        for _, minted_people in (("aliases", minted), ("none", _catalog(version, bare)[1])):
            for p in sorted(minted_people.people.values(), key=lambda r: r.n):
                old_p = people.get(p.iri)
                names = tuple(sorted({*(old_p.names if old_p else ()), *p.names}))
                people[p.iri] = (old_p or p).model_copy(update={"names": names})
    for old_cat, new_cat in itertools.pairwise(catalogs):
        for o, n in match_works(old_cat.works, new_cat.works).items():
            if o != n:
                works[o] = works[o].model_copy(update={"replaced_by": n})
        info = source_info("old", "")
        diff = diff_catalogs(old_cat, new_cat, info, info)
        for renamed in diff.topics.renamed:
            o_slug = renamed.old_iri.removeprefix(DEFAULT_BASE_IRI)
            if o_slug != renamed.slug and o_slug in topics:
                topics[o_slug] = topics[o_slug].model_copy(update={"replaced_by": renamed.slug})
                new_t = topics[renamed.slug]
                history = tuple(dict.fromkeys((*new_t.history, topics[o_slug].path)))
                topics[renamed.slug] = new_t.model_copy(update={"history": history})
    for iri, p in people.items():
        if iri in canonical:
            continue
        targets = {curated.aliases.slug(name) for name in p.names} - {iri}
        if len(targets) == 1 and (target := targets.pop()) in people:
            people[iri] = p.model_copy(update={"replaced_by": target})
    out.works = {r.iri: r.model_copy(update={"n": n}) for n, r in enumerate(works.values(), 1)}
    out.topics = {r.iri: r.model_copy(update={"n": n}) for n, r in enumerate(topics.values(), 1)}
    out.people = {r.iri: r.model_copy(update={"n": n}) for n, r in enumerate(people.values(), 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m interp_kg.diff.seed FOLDER``: write the seed into FOLDER."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m interp_kg.diff.seed FOLDER", file=sys.stderr)
        return 2
    registry = seed_registry()
    write_registry(Path(args[0]), registry)
    print(
        f"wrote {args[0]}: {len(registry.works)} works, {len(registry.topics)} topics, "
        f"{len(registry.people)} people"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
