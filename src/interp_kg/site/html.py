"""The HTML shell every page shares, and the escaping every text goes through.

Nothing reaches a page unescaped: text and attributes through :func:`esc`, external links only
when they are http(s) (any other scheme is shown as text, never as a link), embedded JSON-LD with
``<``, ``>`` and ``&`` as JSON escapes so that no value can close the ``<script>`` element.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import orjson

from interp_kg.site.paths import page_href, relative

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
"""
#: (media type, extension, name) of the RDF files beside each page.
ALTERNATES = (
    ("text/turtle", "ttl", "Turtle"),
    ("application/ld+json", "jsonld", "JSON-LD"),
    ("application/n-triples", "nt", "N-Triples"),
)


def esc(text: object) -> str:
    """``text`` escaped for HTML text and attribute values (as :func:`html.escape` with
    ``quote=True``, inlined: it runs for every value of every page)."""
    s = text if type(text) is str else str(text)
    return (
        s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def script_json(data: Any) -> str:
    """``data`` as JSON safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode()
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def is_web_url(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def external(url: str, text: str | None = None) -> str:
    """A link to an http(s) URL; any other value as plain text."""
    shown = esc(text if text is not None else url)
    if not is_web_url(url):
        return shown
    return f'<a href="{esc(url)}" rel="noopener">{shown}</a>'


def internal(target: str, here: str, text: str) -> str:
    """A relative link from the page ``here`` to the site file ``target`` (both site paths)."""
    return f'<a href="{esc(relative(target, here))}">{esc(text)}</a>'


def to_page(stem: str, here: str, text: str) -> str:
    """A relative link from the page ``here`` to the page of the resource at ``stem`` (site
    paths hold only safe characters: see :func:`interp_kg.site.paths.safe_segment`)."""
    return f'<a href="{page_href(stem, here)}">{esc(text)}</a>'


@lru_cache(maxsize=64)
def _frame(up: str) -> tuple[str, str, str]:
    """The parts of a page that depend only on its folder depth (``up`` is ``../`` as many times
    as it is deep): the head up to the title, the head from the title to the alternates, and the
    header up to the main element."""
    start = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<title>",
        ]
    )
    style = (
        ' · interp-kg</title>\n<link rel="icon" href="data:,">\n'
        f'<link rel="stylesheet" href="{esc(up + STYLE_FILE)}">'
    )
    nav = (
        f'</head>\n<body>\n<header><a href="{esc(up)}index.html">interp-kg</a> · '
        f'<a href="{esc(up)}ontology.html">ontology</a> · <a href="{esc(up)}void.html">dataset</a></header>'
        "\n<main>\n"
    )
    return start, style, nav


def page(
    *,
    here: str,
    title: str,
    body: str,
    iri: str | None = None,
    alternates: str | None = None,
    json_ld: Any = None,
    extra_head: str = "",
) -> str:
    """A whole page. ``here`` is its site path (``id/paper/x.html``); ``alternates`` the site
    stem of its RDF files (``id/paper/x``), linked with ``<link rel="alternate">``."""
    up = "../" * here.count("/")
    start, style, nav = _frame(up)
    parts = [start, esc(title), style]
    if alternates is not None:
        target = esc(up + alternates)
        for media, ext, _ in ALTERNATES:
            parts.append(f'\n<link rel="alternate" type="{media}" href="{target}.{ext}">')
    if json_ld is not None:
        parts.append(f'\n<script type="application/ld+json">\n{script_json(json_ld)}\n</script>')
    parts += ["\n", extra_head, "\n", nav, body, "\n</main>\n"]
    if iri is not None:
        files = ""
        if alternates is not None:
            target = esc(up + alternates)
            files = " · " + " · ".join(f'<a href="{target}.{ext}">{name}</a>' for _, ext, name in ALTERNATES)
        parts.append(f"<footer>IRI <code>{esc(iri)}</code>{files}</footer>")
    parts.append("\n</body>\n</html>\n")
    return "".join(parts)
