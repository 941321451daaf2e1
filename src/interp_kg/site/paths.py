"""IRIs -> files of the site, and relative links between them.

The data namespace (the build's base IRI) maps to the folder ``id/``: the page of
``<base>paper/arxiv-2404.03592`` is ``id/paper/arxiv-2404.03592.html``, its Turtle
``id/paper/arxiv-2404.03592.ttl``. A path segment is used as it is only when it is plainly safe
(ASCII letters, digits, ``-``, ``_``, ``.``, ``~``, not starting with a dot); any other segment
(``..``, ``%2F``, a slash-free oddity) becomes ``_`` and a digest of it, so no IRI can name a file
outside the output folder or a hidden file.
"""

from __future__ import annotations

import hashlib
import re

DATA_DIR = "id"
CHUNK = 1000
_LISTING = re.compile(r"(id/listing/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)/L([0-9]+)")
_AUTHORSHIP = re.compile(r"(id/.+)/authorship/([0-9]+)")
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}")
#: A path whose every segment is safe (the usual case: then the stem is the path itself).
_SAFE_PATH = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}(?:/[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199})*")


def safe_segment(segment: str) -> str:
    """``segment`` when it is a safe file name, else ``_`` + a digest of it."""
    if _SAFE_SEGMENT.fullmatch(segment):
        return segment
    return "_" + hashlib.sha256(segment.encode("utf-8")).hexdigest()[:20]


def resource_stem(iri: str, base_iri: str) -> str | None:
    """The site path of ``iri`` without extension (``id/paper/arxiv-2404.03592``), or ``None``
    when the IRI is not under ``base_iri`` or has no path after it."""
    if not iri.startswith(base_iri) or len(iri) == len(base_iri):
        return None
    rest = iri[len(base_iri) :]
    return stem_for_path(rest)


def stem_for_path(rest: str) -> str | None:
    """The site stem for a path below the data namespace (``paper/x`` -> ``id/paper/x``);
    ``None`` for an empty path. Query strings and fragments are part of the segment (and so
    make it unsafe, hence digested)."""
    if _SAFE_PATH.fullmatch(rest):
        return f"{DATA_DIR}/{rest}"
    segments = rest.split("/")
    if not any(segments):
        return None
    return "/".join([DATA_DIR, *(safe_segment(s) for s in segments)])


def relative(target: str, source: str) -> str:
    """A relative link from the page at site path ``source`` to the site path ``target``
    (up to the site root, then down: cheap, and right from any folder)."""
    return "../" * source.count("/") + target


def listing_chunk(stem: str) -> tuple[str, str] | None:
    """Listings (``id/listing/<list>/L<line>``, one per entry of a list) are published
    :data:`CHUNK` lines to a document: ``id/listing/<list>/L<k>xxx`` for lines ``k*1000`` to
    ``k*1000+999`` (``Lxxx`` for k = 0), each listing an anchor ``L<line>`` in it. Returns
    (the document's stem, the anchor), or ``None`` for any other stem."""
    m = _LISTING.fullmatch(stem)
    if m is None or m.group(2) != str(int(m.group(2))):
        return None
    k = int(m.group(2)) // CHUNK
    return f"{m.group(1)}/L{k or ''}xxx", f"L{m.group(2)}"


def authorship_document(stem: str) -> tuple[str, str] | None:
    """An authorship node (``<work>/authorship/<n>``, one per place in a byline) is published
    inside its work's documents: (the work's stem, the anchor ``authorship-<n>``), or ``None``
    for any other stem."""
    m = _AUTHORSHIP.fullmatch(stem)
    return (m.group(1), f"authorship-{m.group(2)}") if m else None


def document(stem: str) -> tuple[str, str] | None:
    """(the stem of the document that holds the resource at ``stem``, its anchor there) when
    the resource is published inside another's documents (listings, authorship nodes), else
    ``None``."""
    return listing_chunk(stem) or authorship_document(stem)


def page_href(stem: str, here: str) -> str:
    """The relative link from page ``here`` to the page of the resource at ``stem``."""
    found = document(stem)
    if found is not None:
        return relative(f"{found[0]}.html", here) + "#" + found[1]
    return relative(f"{stem}.html", here)
