"""SPARQL that is pleasant to type: the project's prefixes predeclared for ad-hoc queries, syntax
errors shown at their place with a caret (not as a grammar dump), and "did you mean" for names.

Predeclared prefixes: an ad-hoc query (``query --sparql``, ``--file``, stdin) gets a ``PREFIX``
declaration for every prefix of :data:`interp_kg.rdf.prefixes.PREFIXES` it does not declare
itself, written before its first character on the same line, so line numbers stay those of the
query as typed (columns on its first line are given back as typed, too). A query's own ``PREFIX``
wins: it comes later in the prologue, and SPARQL lets a later declaration redefine a prefix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from interp_kg.rdf.prefixes import PREFIXES

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_COMMENT_OR_STRING = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>')
_ERROR = re.compile(r"^error at (\d+):(\d+):\s*(.*)$", re.DOTALL)
_CLASS = re.compile(r"\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\]")
_PREFIXED = re.compile(r"([A-Za-z][\w.-]*)?:")


def declared(text: str) -> set[str]:
    """The prefixes ``text`` declares (comments, strings and IRIs ignored).

    >>> sorted(declared("PREFIX ex: <http://e/> # PREFIX no: <x>\\nSELECT * { ?s ?p ?o }"))
    ['ex']
    """
    return {m.group(1) or "" for m in _DECLARED.finditer(_COMMENT_OR_STRING.sub(" ", text))}


def with_prefixes(text: str) -> tuple[str, int]:
    """(``text`` with the project's prefixes it does not declare put before it on its first line,
    how many characters were put there).

    >>> query, n = with_prefixes("SELECT ?t { ?w rdfs:label ?t }")
    >>> query.startswith("PREFIX ikg: <https://w3id.org/interp-kg/ontology#> "), query[n:]
    (True, 'SELECT ?t { ?w rdfs:label ?t }')
    """
    own = declared(text)
    prelude = "".join(f"PREFIX {p}: <{ns}> " for p, ns in PREFIXES.items() if p not in own)
    return prelude + text, len(prelude)


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)*')


def _short(message: str) -> str:
    r"""pyoxigraph's list of expected tokens without its character classes, at most eight.

    >>> _short('expected one of ",", ".", [\'0\' ..= \'9\'], LATERAL, Prefix not found')
    'expected one of ",", ".", LATERAL'
    """
    text = " ".join(message.split())
    if not text.startswith("expected"):
        return text
    rest = _CLASS.sub(" ", text.removeprefix("expected one of").removeprefix("expected"))
    names = [t for t in _TOKEN.findall(rest) if t != "Prefix not found"]
    if not names:
        return "unexpected text here"
    more = f" (or {len(names) - 8} more)" if len(names) > 8 else ""
    return ("expected one of " if len(names) > 1 else "expected ") + ", ".join(names[:8]) + more


def explain(text: str, error: str, prelude: int = 0) -> str:
    """A syntax error of ``text`` as people read it: ``syntax error at line L, column C: what``,
    then the line and a caret under the column. ``prelude``: characters put before the query as
    typed (:func:`with_prefixes`), not counted in the column. An undeclared prefix is named.

    >>> print(explain("SELECT * {\\n  ?s ex:p ?o }", "error at 2:8: expected one of Prefix not found, ['.']"))
    syntax error at line 2, column 6: undeclared prefix 'ex:' (declare it with PREFIX ex: <...>)
      2 |   ?s ex:p ?o }
        |      ^
    """
    m = _ERROR.match(error)
    if m is None:
        return f"syntax error: {' '.join(error.split())}"
    line, column, message = int(m.group(1)), int(m.group(2)), m.group(3)
    lines = text.split("\n")
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    if line == 1 and prelude:
        source = source[prelude:]
        column = max(1, column - prelude)
    what = _short(message)
    if "Prefix not found" in message:
        found = [p for p in _PREFIXED.finditer(source[: column + 1]) if p.start() < column]
        undeclared = [p for p in found if (p.group(1) or "") not in declared(text)]
        if undeclared:
            name = undeclared[-1].group(1) or ""
            column = undeclared[-1].start() + 1
            what = f"undeclared prefix '{name}:' (declare it with PREFIX {name}: <...>)"
    gutter = f"  {line} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * (column - 1) + "^"
    return f"syntax error at line {line}, column {column}: {what}\n{gutter}{source}\n{caret}"


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """`` (did you mean a, b?)`` with the known names close to ``name``, or ``""``.

    >>> did_you_mean("works-by-autor", ["works-by-author", "works-by-venue", "topic-tree"])
    ' (did you mean works-by-author, works-by-venue?)'
    """
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""
