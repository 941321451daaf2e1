"""The pages people read: works, topics, venues, authors, any other resource, and the home page.

Every function returns the page's HTML as text; all values pass through :mod:`.html`'s escaping.
Links between pages are relative (``../topic/x.html``), so the site works from any folder, over
``file://`` too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from interp_kg.rdf import vocab as v
from interp_kg.rdf.prefixes import IKG, PREFIXES
from interp_kg.site.collect import IRI, LITERAL, WORK_KINDS, Index, Listing, Obj, Resource
from interp_kg.site.html import esc, external, internal, page, to_page
from interp_kg.site.paths import authorship_document
from interp_kg.site.rdf import WIKIDATA_ENTITY, Compactor, identifier_links, same_as, schema_org

ListingLookup = Callable[[str], Listing]
SEPARATOR = " \u203a "  # a single right-pointing angle quotation mark, between breadcrumb steps
short = Compactor(PREFIXES)
#: How many works a topic, venue or author page lists before it says how many more there are.
MAX_LISTED = 2000


def _link(iri: str, index: Index, here: str, text: str | None = None) -> str:
    """A link to a resource: its page when it is ours, else the IRI itself."""
    stem = index.stem(iri)
    if stem is None:
        if iri.startswith(IKG):
            return internal(f"ontology.html#{iri[len(IKG) :]}", here, text or short(iri))
        return external(iri, text)
    return to_page(stem, here, text if text is not None else index.name(iri))


def _term(term: Obj, index: Index, here: str) -> str:
    if term.kind == IRI:
        return _link(term.value, index, here, short(term.value) if index.stem(term.value) is None else None)
    if term.kind == LITERAL:
        return esc(term.value)
    return esc(str(term))


def _statements(resource: Resource, index: Index, here: str) -> str:
    rows = [
        f"<tr><td>{_link(p, index, here, short(p))}</td><td>{_term(o, index, here)}</td></tr>"
        for p, o in resource.rows
    ]
    return f"<details><summary>All statements ({len(rows)})</summary><table>{''.join(rows)}</table></details>"


def _work_item(work: str, index: Index, here: str) -> str:
    year = index.year.get(work)
    meta = " · ".join(x for x in (index.kind.get(work, ""), str(year) if year is not None else "") if x)
    return f'<li>{_link(work, index, here)} <span class="meta">{esc(meta)}</span></li>'


def _works(title: str, works: list[str], index: Index, here: str) -> str:
    if not works:
        return ""
    ordered = index.newest_first(works)
    items = "".join(_work_item(w, index, here) for w in ordered[:MAX_LISTED])
    more = len(ordered) - MAX_LISTED
    tail = f"<p>… and {more} more (see the RDF files or the dumps).</p>" if more > 0 else ""
    return f'<h2>{esc(title)} ({len(works)})</h2><ul class="works">{items}</ul>{tail}'


def _dl(rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<dt>{esc(k)}</dt><dd>{val}</dd>" for k, val in rows if val)
    return f"<dl>{body}</dl>" if body else ""


def _crumbs(topic: str, index: Index, here: str) -> str:
    trail = [internal("index.html", here, "home")]
    trail += [_link(t, index, here) for t in index.breadcrumb(topic)]
    return f'<nav class="crumbs">{SEPARATOR.join(trail)}</nav>'


def _joined(items: list[str]) -> str:
    return ", ".join(items)


def _authorships(nodes: Sequence[Resource], index: Index, here: str) -> str:
    """The work's authorship nodes (published in its documents), each at its anchor."""
    items = []
    for node in sorted(nodes, key=lambda n: (index.authorship.get(n.iri, (0, ""))[0], n.iri)):
        found = authorship_document(index.stem(node.iri) or "")
        anchor = found[1] if found else ""
        person = [_link(x, index, here) for x in node.values(v.PERSON_P)]
        written = ", ".join(node.values(v.NAME_AS_WRITTEN))
        text = esc(index.name(node.iri)) + (f" ({esc(written)})" if written and not person else "")
        items.append(f'<li id="{esc(anchor)}">{_joined(person) or text}<code> {esc(node.iri)}</code></li>')
    return f"<h2>Byline</h2><ol>{''.join(items)}</ol>" if items else ""


def work_body(resource: Resource, index: Index, here: str, listings: ListingLookup) -> str:
    iri = resource.iri
    kind = index.kind.get(iri, "work")
    year = index.year.get(iri)
    featured = "true" in resource.values(v.FEATURED)
    venues = [_link(x, index, here) for x in sorted(set(resource.values(v.VENUE_P)))]
    topics = []
    for t in sorted(set(resource.values(v.TOPIC_P)), key=lambda t: (index.name(t).casefold(), t)):
        path = [index.name(p) for p in index.breadcrumb(t)]
        topics.append(
            _link(t, index, here)
            + (f' <span class="meta">({esc(SEPARATOR.join(path))})</span>' if path else "")
        )
    ids = [
        (external(link, f"{name} {value}") if link else esc(f"{name} {value}"))
        for name, value, link in identifier_links(resource)
    ]
    wikidata = [
        external(x, x[len(WIKIDATA_ENTITY) :]) for x in same_as(resource) if x.startswith(WIKIDATA_ENTITY)
    ]
    others = [external(x) for x in same_as(resource) if not x.startswith(WIKIDATA_ENTITY)]
    rows = [
        ("Kind", esc(kind) + (" · featured 🌟" if featured else "")),
        (
            "Venue",
            _joined(venues) + (f" {year}" if year is not None else "")
            if venues
            else (str(year) if year is not None else ""),
        ),
        ("Presentation", esc(", ".join(sorted(resource.values(v.PRESENTATION))))),
        ("Also known as", esc(", ".join(sorted(resource.values(v.ALIAS))))),
        ("Authors", _joined([_link(a, index, here) for a in index.authors(resource)])),
        ("Topics", "<br>".join(topics)),
        ("Identifiers", "<br>".join(ids)),
        ("Links", "<br>".join(external(u) for u in sorted(set(resource.values(v.URL))))),
        ("Code", "<br>".join(external(u) for u in sorted(set(resource.values(v.CODE_REPOSITORY))))),
        ("Software", _joined([_link(x, index, here) for x in sorted(set(resource.values(v.SOFTWARE)))])),
        ("Part of", _joined([_link(x, index, here) for x in sorted(set(resource.values(v.SUB_ENTRY_OF)))])),
        ("Wikidata", _joined(wikidata)),
        ("Same as", "<br>".join(others)),
        ("Notes", "<br>".join(esc(n) for n in sorted(resource.values(v.NOTE)))),
    ]
    parts = [f"<h1>{esc(index.name(iri))}</h1>", _dl(rows)]
    found = [listings(x) for x in sorted(set(resource.values(v.LISTING_P)))]
    if found:
        items = []
        for item in found:
            where = f"{item.source}:{item.line}" if item.line is not None else item.source
            items.append(
                f"<li>{_link(item.iri, index, here, where)}<blockquote>{esc(item.text)}</blockquote></li>"
            )
        parts.append(f"<h2>In the list</h2><ul>{''.join(items)}</ul>")
    return "".join(parts)


def topic_body(resource: Resource, index: Index, here: str) -> str:
    iri = resource.iri
    subs = [
        f'<li>{_link(t, index, here)} <span class="meta">({index.works_below(t)})</span></li>'
        for t in index.children(iri)
    ]
    parts = [_crumbs(iri, index, here), f"<h1>{esc(index.name(iri))}</h1>"]
    parts.append(f'<p class="meta">{index.works_below(iri)} works here and in sub-topics</p>')
    if subs:
        parts.append(f"<h2>Sub-topics</h2><ul>{''.join(subs)}</ul>")
    parts.append(_works("Works, newest first", index.topic_works.get(iri, []), index, here))
    return "".join(parts)


def venue_body(resource: Resource, index: Index, here: str) -> str:
    iri = resource.iri
    rows = [
        ("Kind", esc(", ".join(resource.values(v.VENUE_KIND)))),
        ("Peer reviewed", esc(", ".join(resource.values(v.PEER_REVIEWED)))),
        ("Links", "<br>".join(external(u) for u in sorted(set(resource.values(v.URL))))),
        ("Same as", "<br>".join(external(u) for u in same_as(resource))),
    ]
    return "".join(
        [
            f"<h1>{esc(index.name(iri))}</h1>",
            _dl(rows),
            _works("Works, newest first", index.venue_works.get(iri, []), index, here),
        ]
    )


def author_body(resource: Resource, index: Index, here: str) -> str:
    iri = resource.iri
    ids = [
        (external(link, f"{name} {value}") if link else esc(f"{name} {value}"))
        for name, value, link in identifier_links(resource)
    ]
    rows = [
        ("Identifiers", "<br>".join(ids)),
        ("Links", "<br>".join(external(u) for u in sorted(set(resource.values(v.URL))))),
        ("Same as", "<br>".join(external(u) for u in same_as(resource))),
    ]
    return "".join(
        [
            f"<h1>{esc(index.name(iri))}</h1>",
            _dl(rows),
            _works("Works", index.author_works.get(iri, []), index, here),
        ]
    )


def listing_body(resource: Resource, index: Index, here: str, level: int = 1) -> str:
    iri = resource.iri
    source = ", ".join(resource.values(v.SOURCE_FILE))
    line = ", ".join(resource.values(v.LINE))
    owner = index.listing_owner.get(iri)
    rows = [
        ("Listed", _link(owner, index, here) if owner else ""),
        ("Where", esc(f"{source}:{line}" if line else source)),
        ("Topic", _joined([_link(t, index, here) for t in sorted(set(resource.values(v.TOPIC_P)))])),
    ]
    text = "".join(f"<blockquote>{esc(t)}</blockquote>" for t in resource.values(v.SOURCE_TEXT))
    heading = esc(f"{source}:{line}" if line else index.name(iri))
    return f'<h{level}>{heading}</h{level}>{_dl(rows)}{text}<p class="meta"><code>{esc(iri)}</code></p>'


def listing_chunk_page(stem: str, listings: list[Resource], index: Index) -> str:
    """The page of a block of listings (see :func:`interp_kg.site.paths.listing_chunk`): one
    section per listing, its anchor the listing's ``L<line>``."""
    here = f"{stem}.html"
    sections = []
    for resource in listings:
        anchor = resource.iri.rsplit("/", 1)[-1]
        sections.append(
            f'<section id="{esc(anchor)}">{listing_body(resource, index, here, level=2)}</section>'
        )
    first, last = listings[0].iri.rsplit("/", 1)[-1], listings[-1].iri.rsplit("/", 1)[-1]
    title = f"{stem.split('/')[-2]}: listings {first} to {last}"
    body = f"<h1>{esc(title)}</h1>" + "".join(sections)
    return page(here=here, title=title, body=body, alternates=stem)


def generic_body(resource: Resource, index: Index, here: str) -> str:
    comments = "".join(f"<p>{esc(c)}</p>" for c in resource.values(v.COMMENT))
    return f"<h1>{esc(index.name(resource.iri))}</h1>{comments}"


def resource_page(
    resource: Resource, index: Index, stem: str, listings: ListingLookup, embedded: Sequence[Resource] = ()
) -> str:
    """The HTML page of one resource; ``stem`` is its site path without extension, ``embedded``
    the authorship nodes published with it."""
    here = f"{stem}.html"
    kind = index.kind.get(resource.iri, "")
    if kind in WORK_KINDS:
        body = work_body(resource, index, here, listings)
    elif kind == "topic":
        body = topic_body(resource, index, here)
    elif kind == "venue":
        body = venue_body(resource, index, here)
    elif kind == "author":
        body = author_body(resource, index, here)
    elif kind == "listing":
        body = listing_body(resource, index, here)
    else:
        body = generic_body(resource, index, here)
    if kind not in ("paper", "tool", "tutorial", "video", "work", "topic", "venue", "author"):
        body += _statements(resource, index, here)
    return page(
        here=here,
        title=index.name(resource.iri),
        body=body + _authorships(embedded, index, here),
        iri=resource.iri,
        alternates=stem,
        json_ld=schema_org(resource, index, kind),
    )


def _tree(topics: list[str], index: Index, depth: int = 0) -> str:
    if not topics or depth > 50:
        return ""
    items = []
    for t in topics:
        count = index.works_below(t)
        below = _tree(index.children(t), index, depth + 1)
        items.append(f'<li>{_link(t, index, "index.html")} <span class="meta">({count})</span>{below}</li>')
    return f"<ul>{''.join(items)}</ul>"


def home_page(index: Index, *, title: str, counts: list[tuple[str, int]], dataset_json: object) -> str:
    """The home page: counts, search box, topic tree, venues and authors."""
    here = "index.html"
    figures = " · ".join(f"{n:,} {esc(name)}" for name, n in counts)
    venues = sorted(
        (x for x, k in index.kind.items() if k == "venue"), key=lambda x: (index.name(x).casefold(), x)
    )
    authors = sorted(
        (x for x, k in index.kind.items() if k == "author"), key=lambda x: (index.name(x).casefold(), x)
    )
    body = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">{figures}</p>',
        '<p><label for="q">Search titles, topics, venues and authors</label><br>'
        '<input type="search" id="q" autocomplete="off" placeholder="e.g. sparse autoencoder"></p>',
        '<ol id="results"></ol>',
        f"<h2>Topics</h2>{_tree(index.top_topics(), index)}",
    ]
    if venues:
        items = "".join(
            f'<li>{_link(x, index, here)} <span class="meta">({len(index.venue_works.get(x, []))})</span>'
            "</li>"
            for x in venues
        )
        body.append(f"<h2>Venues</h2><ul>{items}</ul>")
    if authors:
        listed = "".join(f"<li>{_link(x, index, here)}</li>" for x in authors[:MAX_LISTED])
        body.append(f"<h2>Authors</h2><ul>{listed}</ul>")
    body.append(
        "<h2>Data</h2><ul>"
        f"<li>{internal('void.html', here, 'Dataset description (VoID, DCAT)')} and dumps</li>"
        f"<li>{internal('ontology.html', here, 'The ontology')}, "
        f"{internal('shapes.ttl', here, 'SHACL shapes')}, "
        f"{internal('context.jsonld', here, 'JSON-LD context')}</li></ul>"
    )
    extra = '<script src="search-index.js" defer></script>\n<script src="search.js" defer></script>'
    return page(here=here, title=title, body="".join(body), json_ld=dataset_json, extra_head=extra)
