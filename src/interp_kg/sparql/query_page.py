"""The query page of ``interp-kg serve`` (``GET /``, in place of Oxigraph's bare UI): an editor
whose query starts with the project's prefixes, the saved queries as examples (a click loads one,
its parameters named), and a table of the results, fetched from this server's own ``/query``
(nothing is loaded from anywhere else). Rendered once per server from ``templates/query.html``."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from interp_kg.curation.saved_queries import load_catalogue
from interp_kg.rdf.prefixes import PREFIXES, sparql_header
from interp_kg.templating import render

#: The paths the page answers at.
PATHS = frozenset({"/", "/index.html"})
EXAMPLE = (
    "SELECT ?work ?title ?year WHERE {\n"
    "  ?work a ikg:Paper ; rdfs:label ?title ; ikg:year ?year .\n"
    "}\nORDER BY DESC(?year)\nLIMIT 20\n"
)


class Example(NamedTuple):
    """A saved query shown as an example."""

    name: str
    title: str
    description: str
    params: str
    text: str


@cache
def query_page() -> bytes:
    """The page, UTF-8."""
    examples = [
        Example(
            q.name,
            q.title,
            q.description,
            ", ".join(f"{p.name} ({p.type}{', required' if p.required else ''}): {p.help}" for p in q.params),
            q.text,
        )
        for q in load_catalogue().values()
        if q.form == "select"
    ]
    return render(
        "interp_kg.sparql",
        "query.html",
        start=sparql_header() + "\n" + EXAMPLE,
        prefixes=list(PREFIXES.items()),
        examples=examples,
    ).encode("utf-8")
