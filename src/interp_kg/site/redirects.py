"""Replaced IRIs in the site: the IRIs the graph says ``dcterms:isReplacedBy`` another (two works
found to be one, a person merged by the alias table, a renamed topic; see
:mod:`interp_kg.catalog.persist`) keep resolving. Each gets a permanent redirect in the
``.htaccess`` (before the content negotiation, so that every format follows it) and, at the
path of its page, a page that links to (and refreshes to) the page of the IRI that replaced it;
its RDF files keep their ``owl:sameAs`` statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from interp_kg.rdf import vocab as v
from interp_kg.site.html import page, to_page
from interp_kg.site.paths import resource_stem

_REPLACED = f"<{v.IS_REPLACED_BY}>".encode()


def replacements(ntriples: Path, base_iri: str) -> list[tuple[str, str]]:
    """(replaced IRI, the IRI that replaced it) from the graph's N-Triples, both under
    ``base_iri``, sorted."""
    pairs = set()
    with ntriples.open("rb") as f:
        for line in f:
            if _REPLACED in line:
                s, _, rest = line.partition(b" ")
                o = rest.split(b" ", 1)[1].rsplit(b" ", 1)[0]
                old, new = s[1:-1].decode(), o[1:-1].decode()
                if old.startswith(base_iri) and new.startswith(base_iri):
                    pairs.add((old, new))
    return sorted(pairs)


def redirect_rules(pairs: Iterable[tuple[str, str]], base_iri: str, dest: str = "") -> list[str]:
    """``.htaccess`` rules: each replaced IRI's path redirected (301) to its replacement's."""
    lines = []
    for old, new in pairs:
        a, b = resource_stem(old, base_iri), resource_stem(new, base_iri)
        if a is not None and b is not None:
            lines.append(f"RewriteRule ^{re.escape(a)}$ {dest}{b} [R=301,L]")
    if not lines:
        return []
    return ["# replaced IRIs: a permanent redirect to the IRI that stands for each", *lines, ""]


def redirect_page(old: str, new: str, base_iri: str, label: str) -> tuple[str, str] | None:
    """(site path, HTML) of the page of a replaced IRI; None when it is not under ``base_iri``."""
    a, b = resource_stem(old, base_iri), resource_stem(new, base_iri)
    if a is None or b is None:
        return None
    here = f"{a}.html"
    html = page(
        "redirect.html",
        here=here,
        title=f"{label}: moved",
        iri=old,
        alternates=a,
        old=old,
        new=to_page(b, here, label),
        new_iri=new,
    )
    return here, html
