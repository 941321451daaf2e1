"""The pages' HTML: the templates of ``site/templates/`` and the links the pages hold.

Every page is a Jinja2 template with autoescaping (:mod:`interp_kg.templating`): the Python side
passes text and :class:`Link` values, never markup, and the templates write the markup. Links to
other pages are relative; external links are links only when they are http(s) (any other value is
shown as text); embedded JSON-LD goes through the ``script_json`` filter, so that no value can
close its ``<script>`` element. ``page.html`` is the shell every page extends (head, header,
footer); ``_macros.html`` writes links and lists of links.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from interp_kg.site.paths import page_href, relative
from interp_kg.templating import render

STYLE_FILE = "style.css"
STYLE = """\
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem;color:#222}
header,footer{color:#555;font-size:.9rem;padding:.6rem 0;border-bottom:1px solid #ddd}
footer{border-top:1px solid #ddd;border-bottom:none;margin-top:2rem}
a{color:#0645ad}h1{font-size:1.6rem;margin:.8rem 0}
.meta{color:#555}.kind{font-variant:small-caps;color:#555}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
ul.works li{margin:.2rem 0}.crumbs{font-size:.9rem}code{font-size:.85rem;word-break:break-all}
table{border-collapse:collapse;font-size:.85rem}
td{border-top:1px solid #eee;padding:.2rem .5rem;vertical-align:top}
input[type=search]{font-size:1rem;width:100%;max-width:30rem;padding:.3rem}
blockquote{margin:.3rem 0 .3rem 1rem;color:#444;word-break:break-word}
.byline{font-size:1.05rem;margin:.2rem 0}.access a{margin-right:.8rem}
pre.bibtex{background:#f6f6f6;border:1px solid #ddd;padding:.5rem;overflow-x:auto;font-size:.8rem}
details{margin:.8rem 0}summary{cursor:pointer;color:#555}.abstract{max-width:48rem}
.facets{display:flex;flex-wrap:wrap;gap:1rem}
.facets fieldset{border:1px solid #ddd;max-height:14rem;overflow:auto;min-width:12rem}
.facets label{display:block;font-size:.85rem}#hits li{margin:.3rem 0}
"""


class Link(NamedTuple):
    """A link as the templates write it: ``<a href="href">text</a>``, with ``rel="noopener"``
    when ``external``; with no ``href``, the text alone."""

    href: str | None
    text: str
    external: bool = False


def is_web_url(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def plain(value: str) -> Link:
    """Text where a link could be: shown as text."""
    return Link(None, value)


def external(url: str, text: str | None = None) -> Link:
    """A link to an http(s) URL; any other value as plain text."""
    shown = text if text is not None else url
    return Link(url, shown, True) if is_web_url(url) else Link(None, shown)


def internal(target: str, here: str, text: str) -> Link:
    """A relative link from the page ``here`` to the site file ``target`` (both site paths)."""
    return Link(relative(target, here), text)


def to_page(stem: str, here: str, text: str) -> Link:
    """A relative link from the page ``here`` to the page of the resource at ``stem``."""
    return Link(page_href(stem, here), text)


def page(
    template: str,
    /,
    *,
    here: str,
    title: str,
    iri: str | None = None,
    alternates: str | None = None,
    json_ld: Any = None,
    meta: Any = (),
    feed: str | None = None,
    **context: Any,
) -> str:
    """The page of ``template`` (which extends ``page.html``). ``here`` is its site path
    (``id/paper/x.html``); ``alternates`` the site stem of its Turtle, JSON-LD and N-Triples
    files (``id/paper/x``), linked from the head and the footer; ``iri`` the resource it
    describes, named in the footer; ``json_ld`` a schema.org description to embed; ``meta``
    (name, content) pairs for ``<meta>`` elements (the ``citation_*`` tags); ``feed`` the site
    path of an Atom feed to announce."""
    up = "../" * here.count("/")
    return render(
        "interp_kg.site",
        template,
        up=up,
        title=title,
        iri=iri,
        rdf=None if alternates is None else up + alternates,
        json_ld=json_ld,
        meta=meta,
        feed=None if feed is None else up + feed,
        **context,
    )
