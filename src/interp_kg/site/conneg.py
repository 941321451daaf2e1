"""Content negotiation: one table drives both the ``.htaccess`` for the host behind
``https://w3id.org/interp-kg/`` and ``interp-kg site serve``.

A request for a resource without extension (``id/paper/x``, ``ontology``, ``void``) is answered
with a 303 redirect to the file for the first media type of :data:`MEDIA_TYPES` that the
``Accept`` header names (the page when it names none), as w3id's rules do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from interp_kg.formats import FORMATS, SITE_CITATION_FORMATS, SITE_RDF_FORMATS, suffix

#: media type -> file extension, in the order the rules test them (HTML is the fallback): the RDF
#: formats of :data:`interp_kg.formats.SITE_RDF_FORMATS`, from the one format table.
MEDIA_TYPES: dict[str, str] = {
    **{FORMATS[name].media_type: suffix(name)[1:] for name in SITE_RDF_FORMATS},
    "text/html": "html",
}
#: media type -> file extension of the citation formats the site publishes beside the pages of
#: works, topics, venues and authors (:data:`interp_kg.formats.SITE_CITATION_FORMATS`), tested
#: after the RDF ones (a client asking for BibTeX gets the ``.bib`` file).
CITATION_TYPES: dict[str, str] = {
    FORMATS[name].media_type: suffix(name)[1:] for name in SITE_CITATION_FORMATS
}
#: The resources with citation files: works, topics, venues, authors (paths below ``id/``).
CITED = ("paper", "tool", "tutorial", "video", "topic", "venue", "author")


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


#: extension -> Content-Type served for it.
CONTENT_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    **{suffix(name)[1:]: _content_type(FORMATS[name].media_type) for name in SITE_RDF_FORMATS},
    "js": "text/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
    "json": "application/json",
    "gz": "application/gzip",
    **{
        suffix(name)[1:]: _content_type(FORMATS[name].media_type)
        for name in (*SITE_CITATION_FORMATS, "atom")
        if "." not in suffix(name)[1:]  # .csl.json is served as JSON
    },
}
#: Paths (below the site root) negotiated like resources, besides everything under ``id/``.
NEGOTIATED = ("ontology", "void")
#: Fixed redirects: the SHACL shapes and the JSON-LD context at their own IRIs.
FIXED = {"shapes": "shapes.ttl", "context": "context.jsonld"}
_EXTENSIONS = tuple(f".{ext}" for ext in (*MEDIA_TYPES.values(), *CITATION_TYPES.values(), "atom"))


def is_negotiated(path: str) -> bool:
    """Whether ``path`` (no leading slash) names a resource rather than one of its files."""
    if path in NEGOTIATED:
        return True
    return path.startswith("id/") and len(path) > 3 and not path.endswith(_EXTENSIONS)


def _accepts(header: str, media: str) -> bool:
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() != media:
            continue
        q = re.search(r"q\s*=\s*([0-9.]+)", params)
        return q is None or float(q.group(1) or 0) > 0
    return False


def negotiate(accept: str | None) -> str:
    """The extension to redirect to for an ``Accept`` header: an RDF format's, else a citation
    format's (only works, topics, venues and authors have those files), else the page's."""
    header = (accept or "").lower()
    for media, ext in MEDIA_TYPES.items():
        if ext != "html" and _accepts(header, media):
            return ext
    for media, ext in CITATION_TYPES.items():
        if _accepts(header, media):
            return ext
    return "html"


def _inside_documents(comment: str, pattern: str, document: str, anchor: str) -> list[str]:
    """Rules sending IRIs matching ``pattern`` to the ``document`` that holds them: its RDF file
    by the Accept header, else its page at ``anchor``."""
    lines = [comment]
    for media, ext in MEDIA_TYPES.items():
        if ext != "html":
            lines.append(f"RewriteCond %{{HTTP_ACCEPT}} {_pattern(media)}")
            lines.append(f"RewriteRule {pattern} {document}.{ext} [R=303,L]")
        else:
            lines.append(f"RewriteRule {pattern} {document}.html{anchor} [R=303,NE,L]")
    return [*lines, ""]


def _pattern(media: str) -> str:
    return media.replace(".", "\\.").replace("+", "\\+")


def htaccess(root_path: str = "/interp-kg/", target: str | None = None, first: Sequence[str] = ()) -> str:
    """The rules, w3id style, for a host serving the site at ``root_path`` (the path of
    ``https://w3id.org/interp-kg/``); with ``target`` (a URL ending in '/'), redirects go there
    instead, as the rules in w3id's own repository would. ``first``: rules to put before the
    negotiation (:func:`interp_kg.site.redirects.redirect_rules`)."""
    resources = "^(id/.+|" + "|".join(NEGOTIATED) + ")$"
    dest = target or ""
    lines = [
        "# Content negotiation for https://w3id.org/interp-kg/ (written by `interp-kg site build`).",
        "# A resource IRI answers with a 303 redirect to its page or to one of its RDF files.",
        "Options -MultiViews",
        "AddType text/turtle .ttl",
        "AddType application/ld+json .jsonld",
        "AddType application/n-triples .nt",
        *(
            f"AddType {FORMATS[name].media_type} {suffix(name)}"
            for name in (*SITE_CITATION_FORMATS, "atom")
            if suffix(name).count(".") == 1
        ),
        "AddCharset utf-8 .html .ttl",
        "RewriteEngine on",
        f"RewriteBase {root_path}",
        "",
        *first,
    ]
    extensions = "|".join(
        e.replace(".", "\\.") for e in (*MEDIA_TYPES.values(), *CITATION_TYPES.values(), "atom")
    )
    lines += _inside_documents(
        "# listings: published a thousand lines to a document (see interp_kg.site.paths)",
        r"^(id/listing/[^/]+)/L(\d*?)(\d{1,3})$",
        f"{dest}$1/L$2xxx",
        "#L$2$3",
    )
    lines += _inside_documents(
        "# authorship nodes: published inside their work's documents (see interp_kg.site.paths)",
        r"^(id/.+)/authorship/(\d+)$",
        f"{dest}$1",
        "#authorship-$2",
    )
    cited = "^(id/(?:" + "|".join(CITED) + ")/.+)$"
    for media, ext in MEDIA_TYPES.items():
        if ext == "html":  # the citation formats after the RDF ones, before the page
            for cmedia, cext in CITATION_TYPES.items():
                lines.append(f"# {cmedia} (works, topics, venues, authors)")
                lines.append(f"RewriteCond %{{REQUEST_URI}} !\\.({extensions})$")
                lines.append(f"RewriteCond %{{HTTP_ACCEPT}} {_pattern(cmedia)}")
                lines.append(f"RewriteRule {cited} {dest}$1.{cext} [R=303,L]")
                lines.append("")
        lines.append(f"# {media}")
        lines.append(f"RewriteCond %{{REQUEST_URI}} !\\.({extensions})$")
        if ext != "html":
            lines.append(f"RewriteCond %{{HTTP_ACCEPT}} {_pattern(media)}")
        lines.append(f"RewriteRule {resources} {dest}$1.{ext} [R=303,L]")
        lines.append("")
    for path, file in FIXED.items():
        lines.append(f"RewriteRule ^{path}$ {dest}{file} [R=303,L]")
    lines.append("")
    return "\n".join(lines)
