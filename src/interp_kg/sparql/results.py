"""Query results for people (a rich table, Markdown) and for scripts (the standard SPARQL 1.1
CSV, TSV and JSON results formats, written by pyoxigraph); RDF for CONSTRUCT and DESCRIBE."""

from __future__ import annotations

import io
from typing import Any, Literal

from interp_kg.rdf.prefixes import PREFIXES, compact, turtle_header
from interp_kg.sparql.query import Result

ResultFormat = Literal["table", "csv", "tsv", "json", "md"]
XSD = PREFIXES["xsd"]
_PLAIN = {XSD + "string", XSD + "integer", XSD + "boolean", XSD + "decimal", XSD + "double"}


def show(term: Any) -> str:
    """A term as a person reads it: prefixed IRIs, bare literal values."""
    import pyoxigraph

    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        return compact(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        if term.datatype.value in _PLAIN or term.datatype.value.startswith(XSD):
            return term.value
        return f"{term.value}^^{compact(term.datatype.value)}"
    return str(term)


def _standard(result: Result, fmt: str) -> bytes:
    """SPARQL 1.1 results in CSV, TSV or JSON, serialised by pyoxigraph."""
    import pyoxigraph

    target = {
        "csv": pyoxigraph.QueryResultsFormat.CSV,
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
        "json": pyoxigraph.QueryResultsFormat.JSON,
    }[fmt]
    # Re-read our rows as results so that pyoxigraph writes the standard serialisation.
    source = io.BytesIO()
    _write_json(result, source)
    parsed = pyoxigraph.parse_query_results(source.getvalue(), format=pyoxigraph.QueryResultsFormat.JSON)
    out = parsed.serialize(format=target)
    assert out is not None
    return out if out.endswith(b"\n") else out + b"\n"  # JSON ends without one; a file's last line


def _json_term(term: Any) -> dict[str, str]:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def _write_json(result: Result, out: io.BytesIO) -> None:
    import orjson

    if result.form == "ask":
        doc: dict[str, Any] = {"head": {}, "boolean": bool(result.boolean)}
    else:
        bindings = [
            {
                var: _json_term(term)
                for var, term in zip(result.variables, row, strict=True)
                if term is not None
            }
            for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
    out.write(orjson.dumps(doc))


def _markdown(result: Result) -> str:
    """A Markdown table: every cell, header too, through the one Markdown-cell escaper."""
    from interp_kg.escape import md_cells, md_table

    head, *rows = md_cells([list(result.variables), *([show(t) for t in row] for row in result.rows)])
    return md_table(head, [False] * len(head), rows)


def _table(result: Result, color: bool) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(*result.variables, show_lines=False, header_style="bold")
    for row in result.rows:
        table.add_row(*(show(t) for t in row))
    console = Console(file=io.StringIO(), width=None, force_terminal=color, no_color=not color)
    console.print(table)
    console.print(f"{len(result.rows)} row(s)", style="dim")
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


def _rdf(result: Result, fmt: ResultFormat) -> bytes:
    import pyoxigraph

    if fmt == "json":
        out = pyoxigraph.serialize(result.triples, format=pyoxigraph.RdfFormat.JSON_LD)
    elif fmt in ("csv", "tsv"):
        out = pyoxigraph.serialize(result.triples, format=pyoxigraph.RdfFormat.N_TRIPLES)
    else:
        prefixes = {p: ns for p, ns in PREFIXES.items() if p != "id"}
        body = (
            pyoxigraph.serialize(result.triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes) or b""
        )
        out = turtle_header(prefixes).encode() + b"".join(
            line for line in body.splitlines(keepends=True) if not line.startswith(b"@prefix ")
        )
    return out or b""


def render(result: Result, fmt: ResultFormat, *, color: bool = False) -> bytes:
    """The result in ``fmt`` as bytes for stdout; ``color``: a table with ANSI styles (for a
    terminal; never in a pipe or a file)."""
    if result.form in ("construct", "describe"):
        return _rdf(result, fmt)
    if result.form == "ask":
        if fmt == "json":
            buf = io.BytesIO()
            _write_json(result, buf)
            return buf.getvalue() + b"\n"
        return (b"true" if result.boolean else b"false") + b"\n"
    if fmt in ("csv", "tsv", "json"):
        return _standard(result, fmt)
    if fmt == "md":
        return _markdown(result).encode("utf-8")
    return _table(result, color).encode("utf-8")
