"""The pages people read: works, topics, venues, authors, any other resource, and the home page.

Each page is a template of ``site/templates/`` (``work.html``, ``topic.html``, ...); the functions
here gather what it shows, as text and :class:`~interp_kg.site.html.Link` values, and the
template writes the markup (autoescaped: see :mod:`.html`). Links between pages are relative
(``../topic/x.html``), so the site works from any folder, over ``file://`` too.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from interp_kg.citations.model import Citation
from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import IKG, PREFIXES
from interp_kg.site.collect import IRI, LITERAL, WORK_KINDS, Index, Listing, Obj, Resource
from interp_kg.site.html import Link, external, internal, page, plain, to_page
from interp_kg.site.meta import CITATION_SUFFIXES, citation_box, date_text, highwire
from interp_kg.site.paths import authorship_document
from interp_kg.site.rdf import WIKIDATA_ENTITY, Compactor, identifier_links, same_as, schema_org

ListingLookup = Callable[[str], Listing]
SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark, between the topics of a path
short = Compactor(PREFIXES)
#: How many works a topic, venue or author page lists before it says how many more there are.
MAX_LISTED = 2000
#: The kinds of resources whose page shows their facts only, not every statement.
WITHOUT_STATEMENTS = frozenset({"paper", "tool", "tutorial", "video", "work", "topic", "venue", "author"})


class ListingView(NamedTuple):
    """What the page of a listing (a bullet of the list) shows."""

    anchor: str
    heading: str
    listed: Link | None
    where: str
    topics: list[Link]
    texts: list[str]
    iri: str


class BylineItem(NamedTuple):
    """One authorship of a work: the people (links) or, without any, the name as written."""

    anchor: str
    people: list[Link]
    text: str
    iri: str


def _link(iri: str, index: Index, here: str, text: str | None = None) -> Link:
    """A link to a resource: its page when it is ours, else the IRI itself."""
    stem = index.stem(iri)
    if stem is None:
        if iri.startswith(IKG):
            return internal(f"ontology.html#{iri[len(IKG) :]}", here, text or short(iri))
        return external(iri, text)
    return to_page(stem, here, text if text is not None else index.name(iri))


def _links(iris: list[str], index: Index, here: str) -> list[Link]:
    return [_link(x, index, here) for x in iris]


def _term(term: Obj, index: Index, here: str) -> Link:
    if term.kind == IRI:
        return _link(term.value, index, here, short(term.value) if index.stem(term.value) is None else None)
    if term.kind == LITERAL:
        return plain(term.value)
    return plain(str(term))


def _statements(resource: Resource, index: Index, here: str) -> list[tuple[Link, Link]]:
    return [(_link(p, index, here, short(p)), _term(o, index, here)) for p, o in resource.rows]


def _listed(works: list[str], index: Index, here: str) -> tuple[int, list[tuple[Link, str]], int]:
    """(how many, the first :data:`MAX_LISTED` newest first with their kind and year, how many more)."""
    if not works:
        return 0, [], 0
    ordered = index.newest_first(works)
    items = []
    for work in ordered[:MAX_LISTED]:
        year = index.year.get(work)
        meta = " · ".join(x for x in (index.kind.get(work, ""), str(year) if year is not None else "") if x)
        items.append((_link(work, index, here), meta))
    return len(works), items, len(ordered) - MAX_LISTED


def _byline(nodes: Sequence[Resource], index: Index, here: str) -> list[BylineItem]:
    """The work's authorship nodes (published in its documents), each at its anchor."""
    items = []
    for node in sorted(nodes, key=lambda n: (index.authorship.get(n.iri, (0, ""))[0], n.iri)):
        found = authorship_document(index.stem(node.iri) or "")
        people = _links(node.values(v.PERSON_P), index, here)
        written = ", ".join(node.values(v.NAME_AS_WRITTEN))
        name = index.name(node.iri) + (f" ({written})" if written and not people else "")
        items.append(BylineItem(found[1] if found else "", people, name, node.iri))
    return items


def _identifiers(resource: Resource) -> list[Link]:
    return [
        external(link, f"{name} {value}") if link else plain(f"{name} {value}")
        for name, value, link in identifier_links(resource)
    ]


def _urls(resource: Resource, predicate: str) -> list[Link]:
    return [external(u) for u in sorted(set(resource.values(predicate)))]


def _sorted_links(resource: Resource, predicate: str, index: Index, here: str) -> list[Link]:
    return _links(sorted(set(resource.values(predicate))), index, here)


def _topic_trail(topic: str, index: Index, here: str) -> list[Link]:
    """A topic as breadcrumbs: every topic from the top down to it, each linked."""
    return [_link(t, index, here) for t in [*index.breadcrumb(topic), topic]]


def _downloads(stem: str, here: str, what: str) -> list[Link]:
    """Links to a resource's citation files (BibTeX, RIS, CSL-JSON)."""
    return (
        [internal(f"{stem}{suffix}", here, f"{label}") for suffix, label in CITATION_SUFFIXES] if what else []
    )


def work_context(resource: Resource, index: Index, here: str, listings: ListingLookup) -> dict[str, Any]:
    """What ``work.html`` shows of a work (paper, tool, tutorial, video): the facts a reader wants
    first, the Cite box, and the list's own lines and internal IRIs in a collapsed data section."""
    iri = resource.iri
    cite: Citation | None = index.cite.get(iri)
    topics = sorted(set(resource.values(v.TOPIC_P)), key=index.topic_key)
    found = []
    for item in (listings(x) for x in sorted(set(resource.values(v.LISTING_P)))):
        where = f"{item.source}:{item.line}" if item.line is not None else item.source
        found.append((_link(item.iri, index, here, where), item.text))
    stem = here[: -len(".html")]
    access = []
    if cite is not None:
        for label, url in (
            ("Abstract", cite.abstract_page),
            ("PDF", cite.pdf),
            ("DOI", f"https://doi.org/{cite.ident('doi')}" if cite.ident("doi") else None),
            ("Code", cite.code),
        ):
            if url:
                access.append(external(url, label))
    links = [x for x in _urls(resource, v.URL) if x.href not in {a.href for a in access}]
    return {
        "kind": index.kind.get(iri, "work"),
        "featured": "true" in resource.values(v.FEATURED),
        "venues": _sorted_links(resource, v.VENUE_P, index, here),
        "presentation": ", ".join(sorted(resource.values(v.PRESENTATION))),
        "year": index.year.get(iri),
        "date": date_text(cite.date) if cite is not None and cite.date else "",
        "first_version": date_text(cite.first_version) if cite is not None and cite.first_version else "",
        "aliases": ", ".join(sorted(resource.values(v.ALIAS))),
        "authors": _links(index.authors(resource), index, here),
        "authors_complete": cite.authors_complete if cite is not None else True,
        "topics": [_topic_trail(t, index, here) for t in topics],
        "access": access,
        "identifiers": _identifiers(resource),
        "links": links,
        "code": [x for x in _urls(resource, v.CODE_REPOSITORY) if x.href not in {a.href for a in access}],
        "software": _sorted_links(resource, v.SOFTWARE, index, here),
        "part_of": _sorted_links(resource, v.SUB_ENTRY_OF, index, here),
        "wikidata": [
            external(x, x[len(WIKIDATA_ENTITY) :]) for x in same_as(resource) if x.startswith(WIKIDATA_ENTITY)
        ],
        "same_as": [external(x) for x in same_as(resource) if not x.startswith(WIKIDATA_ENTITY)],
        "notes": sorted(resource.values(v.NOTE)),
        "lists": index.lists.get(iri, []),
        "abstract": cite.abstract if cite is not None else None,
        "abstract_source": external(a, a)
        if (a := next(iter(resource.values(v.ABSTRACT_SOURCE)), None))
        else None,
        "abstract_retrieved": next(iter(resource.values(v.ABSTRACT_RETRIEVED)), ""),
        "cite": citation_box(cite) if cite is not None else None,
        "downloads": _downloads(stem, here, "cite") if cite is not None else [],
        "listings": found,
    }


def topic_context(resource: Resource, index: Index, here: str) -> dict[str, Any]:
    """What ``topic.html`` shows: breadcrumb, sub-topics in the list's order with their counts,
    works newest first, the topic's feed and citation downloads."""
    iri = resource.iri
    stem = here[: -len(".html")]
    below = index.works_below(iri)
    return {
        "crumbs": [internal("index.html", here, "home"), *_links(index.breadcrumb(iri), index, here)],
        "below": below,
        "subtopics": [
            (_link(t, index, here, index.topic_name(t)), index.works_below(t)) for t in index.children(iri)
        ],
        "listed": _listed(index.topic_works.get(iri, []), index, here),
        "downloads": _downloads(stem, here, "cite") if below else [],
        "feed_link": internal(f"{stem}.atom", here, "Atom feed"),
    }


def venue_context(resource: Resource, index: Index, here: str) -> dict[str, Any]:
    """What ``venue.html`` shows: kind, peer review, links, works, citation downloads."""
    works = index.venue_works.get(resource.iri, [])
    return {
        "downloads": _downloads(here[: -len(".html")], here, "cite") if works else [],
        "kinds": ", ".join(resource.values(v.VENUE_KIND)),
        "peer_reviewed": ", ".join(resource.values(v.PEER_REVIEWED)),
        "links": _urls(resource, v.URL),
        "same_as": [external(u) for u in same_as(resource)],
        "listed": _listed(index.venue_works.get(resource.iri, []), index, here),
    }


def author_context(resource: Resource, index: Index, here: str) -> dict[str, Any]:
    """What ``author.html`` shows: identifiers, links, works, citation downloads."""
    works = index.author_works.get(resource.iri, [])
    return {
        "downloads": _downloads(here[: -len(".html")], here, "cite") if works else [],
        "identifiers": _identifiers(resource),
        "links": _urls(resource, v.URL),
        "same_as": [external(u) for u in same_as(resource)],
        "listed": _listed(index.author_works.get(resource.iri, []), index, here),
    }


def listing_view(resource: Resource, index: Index, here: str) -> ListingView:
    """What a listing's page (or its section of a block of listings) shows."""
    iri = resource.iri
    source = ", ".join(resource.values(v.SOURCE_FILE))
    line = ", ".join(resource.values(v.LINE))
    owner = index.listing_owner.get(iri)
    return ListingView(
        anchor=iri.rsplit("/", 1)[-1],
        heading=f"{source}:{line}" if line else index.name(iri),
        listed=_link(owner, index, here) if owner else None,
        where=f"{source}:{line}" if line else source,
        topics=_links(sorted(set(resource.values(v.TOPIC_P))), index, here),
        texts=resource.values(v.SOURCE_TEXT),
        iri=iri,
    )


def listing_chunk_page(stem: str, listings: list[Resource], index: Index) -> str:
    """The page of a block of listings (see :func:`interp_kg.site.paths.listing_chunk`): one
    section per listing, its anchor the listing's ``L<line>``."""
    here = f"{stem}.html"
    first, last = listings[0].iri.rsplit("/", 1)[-1], listings[-1].iri.rsplit("/", 1)[-1]
    return page(
        "listings.html",
        here=here,
        title=f"{stem.split('/')[-2]}: listings {first} to {last}",
        alternates=stem,
        listings=[listing_view(resource, index, here) for resource in listings],
    )


def resource_page(
    resource: Resource, index: Index, stem: str, listings: ListingLookup, embedded: Sequence[Resource] = ()
) -> str:
    """The HTML page of one resource; ``stem`` is its site path without extension, ``embedded``
    the authorship nodes published with it."""
    here = f"{stem}.html"
    kind = index.kind.get(resource.iri, "")
    context: dict[str, Any]
    if kind in WORK_KINDS:
        name, context = "work.html", work_context(resource, index, here, listings)
    elif kind == "topic":
        name, context = "topic.html", topic_context(resource, index, here)
    elif kind == "venue":
        name, context = "venue.html", venue_context(resource, index, here)
    elif kind == "author":
        name, context = "author.html", author_context(resource, index, here)
    elif kind == "listing":
        name, context = "listing.html", {"view": listing_view(resource, index, here)}
    else:
        name, context = "generic.html", {"comments": resource.values(v.COMMENT)}
    cite = index.cite.get(resource.iri) if kind in WORK_KINDS else None
    statements = None if kind in WITHOUT_STATEMENTS else _statements(resource, index, here)
    byline = _byline(embedded, index, here)
    return page(
        name,
        here=here,
        title=index.topic_name(resource.iri) if kind == "topic" else index.name(resource.iri),
        heading=index.name(resource.iri),
        meta=highwire(cite, here) if cite is not None else [],
        feed=f"{here[: -len('.html')]}.atom" if kind == "topic" else None,
        iri=resource.iri,
        alternates=stem,
        json_ld=schema_org(resource, index, kind),
        statements=statements,
        byline=byline,
        has_data=kind in WORK_KINDS or bool(byline) or statements is not None,
        **context,
    )


class TopicNode(NamedTuple):
    """A topic of the home page's tree: its link, its works (with sub-topics) and sub-topics."""

    link: Link
    works: int
    children: list[TopicNode]


def _tree(topics: list[str], index: Index, depth: int = 0) -> list[TopicNode]:
    if depth > 50:
        return []
    nodes = []
    for t in topics:
        works = index.works_below(t)
        if works:  # a heading with no work under it (the list's table of contents) is left out
            nodes.append(
                TopicNode(_link(t, index, "index.html"), works, _tree(index.children(t), index, depth + 1))
            )
    return nodes


class Newest(NamedTuple):
    """A work of the home page's newest works."""

    link: Link
    date: str
    authors: str


def newest_works(index: Index, n: int = 15) -> list[Newest]:
    """The ``n`` works with the latest dates to cite (then years), newest first."""

    out = []
    for date, w in heapq.nlargest(n, ((d, w) for d, w in index.dates_to_cite() if d)):
        c = index.cite.get(w)
        names = list(c.authors) if c is not None else []
        shown = ", ".join(names[:3]) + (", et al." if len(names) > 3 else "")
        out.append(Newest(_link(w, index, "index.html"), date_text(date), shown))
    return out


class ListVersion(NamedTuple):
    """A source list of the build, as the home page states it."""

    file: str
    version: str | None
    date: str | None
    upstream: Link | None


def home_page(
    index: Index,
    *,
    title: str,
    counts: list[tuple[str, int]],
    dataset_json: object,
    lists: Sequence[ListVersion] = (),
    created: str = "",
) -> str:
    """The home page: what the dataset holds (counts, the list version and date it was built
    from), a search form, the newest works, the topic tree in the list's order, the venues, and
    links to the authors, the downloads and the description."""
    here = "index.html"
    venues = sorted(index.of_kind({"venue"}), key=lambda x: (index.name(x).casefold(), x))
    dates = sorted(d for d in (x.date for x in lists) if d)
    return page(
        "home.html",
        here=here,
        title=title,
        json_ld=dataset_json,
        feed="feed.atom",
        counts=counts,
        as_of=date_text(dates[-1]) if dates else "",
        lists=lists,
        created=created,
        newest=newest_works(index),
        tree=_tree(index.top_topics(), index),
        venues=[(_link(x, index, here), len(index.venue_works.get(x, []))) for x in venues],
        authors=index.kind_counts()["author"],
        data=[
            internal(target, here, name)
            for target, name in (
                (
                    "dumps/index.html",
                    "Downloads: the whole graph (Turtle, N-Triples, JSON-LD) and every citation",
                ),
                ("feed.atom", "Atom feed of the works this version of the list adds"),
                ("void.html", "Dataset description (VoID, DCAT)"),
                ("ontology.html", "The ontology"),
                ("shapes.ttl", "SHACL shapes"),
                ("context.jsonld", "JSON-LD context"),
            )
        ],
    )


def authors_page(index: Index) -> str:
    """Every person, by family name, with how many works they are an author of."""
    from interp_kg.citations.model import split_name

    here = "authors.html"
    people = list(index.of_kind({"author"}))
    people.sort(key=lambda x: (split_name(index.name(x)).family.casefold(), index.name(x).casefold(), x))
    groups: dict[str, list[tuple[Link, int]]] = {}
    for x in people:
        family = split_name(index.name(x)).family
        letter = family[:1].upper() if family[:1].isalpha() else "#"
        groups.setdefault(letter, []).append((_link(x, index, here), len(index.author_works.get(x, []))))
    return page("authors.html", here=here, title="Authors", total=len(people), groups=list(groups.items()))


def search_page() -> str:
    """The search page (the data and the scripts: :mod:`interp_kg.site.search`)."""
    return page("search.html", here="search.html", title="Search")


def dumps_page(
    files: Sequence[tuple[str, str, int, str]], license_link: Link, created: str, lists: Sequence[ListVersion]
) -> str:
    """``dumps/index.html``: each download with its format, size and SHA-256, and the licence."""
    here = "dumps/index.html"
    return page(
        "dumps.html",
        here=here,
        title="Downloads",
        files=[
            (Link(name, name), label, size, digest)  # the files beside the page
            for name, label, size, digest in files
        ],
        license=license_link,
        created=created,
        lists=lists,
    )
