"""The one N-Triples term writer: literals and IRIs as the build, the diff changeset and the
site write them (the fastest path into Oxigraph is N-Triples text, see PYOXIGRAPH-FACTS)."""

from __future__ import annotations

import re

from interp_kg.rdf import vocab as v

_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESCAPES.update({c: f"\\u{c:04X}" for c in range(32) if c not in _ESCAPES})
_ESCAPES[0x7F] = "\\u007F"
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f\x7f"\\]')


def lit(value: str) -> str:
    """An N-Triples ``xsd:string`` literal.

    >>> lit('a "quoted"\\nline')
    '"a \\\\"quoted\\\\"\\\\nline"'
    """
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ESCAPES)
    return f'"{value}"'


def int_lit(value: int) -> str:
    """An N-Triples ``xsd:integer`` literal."""
    return f'"{value}"^^<{v.XSD_INTEGER}>'


def bool_lit(value: bool) -> str:
    """An N-Triples ``xsd:boolean`` literal."""
    return f'"{"true" if value else "false"}"^^<{v.XSD_BOOLEAN}>'


def typed_lit(value: str, datatype: str) -> str:
    """An N-Triples literal of ``datatype`` (an IRI); ``value`` must need no escaping (dates, numbers)."""
    return f'"{value}"^^<{datatype}>'


def iri(base: str, slug: str) -> str:
    """The N-Triples term of the node at IRI path ``slug`` under ``base``: ``<base + slug>``."""
    return f"<{base}{slug}>"
