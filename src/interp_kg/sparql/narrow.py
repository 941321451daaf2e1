"""Saved queries that the store's title index may narrow, and the runner that narrows them.

A search by title reads every work's title from the store (Oxigraph has no text index): about a
second at 100k works whatever the keyword, and a word found in most titles costs a look-up per
match on top. The title index (:mod:`interp_kg.store.titles`) finds the matching works in title
order instead; the saved query then runs on the local store as written, restricted to the first
``--limit`` of them (and those tied with the last on the sort key) by a ``VALUES`` block of their
IRIs. The saved query still decides every row: the index only says which works to look at, and
it may only ever name more works than match (never fewer). Whenever the runner cannot be sure the
narrowed answer is the plain one (no index, an index made from another state of the store, a
keyword the index cannot read, too many matching works, fewer rows than the limit while more
works matched) it runs the plain query. Remote endpoints always get the saved query unchanged.

Which queries: :data:`NARROWED`. The declaration lives here, not in the query's header, because
the header is part of the query text the graph publishes (``sh:select``), which stays as it is.
A declared query must answer, for each work, rows only if its title or alias contains the
parameter ignoring case, at least one row for each such work that has an ``ikg:titleOrder``, and
order its rows by ``ikg:titleOrder`` first (the tests compare narrowed and plain answers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interp_kg.curation.saved_queries import SavedQuery
from interp_kg.sparql.query import Backend, LocalBackend, Result, blanked, inject_values, with_limit

if TYPE_CHECKING:
    from interp_kg.sparql.query import Term

#: Matching works beyond which the plain query runs instead (a longer VALUES block costs more to
#: parse and join than the plain query's scan).
MAX_NARROWED = 10_000


@dataclass(frozen=True)
class Narrowing:
    """How the title index narrows a saved query."""

    #: the query's variable of the works (without ``?``)
    variable: str
    #: the string parameter holding the text searched for in titles
    param: str


#: The saved queries of the bundled catalogue the title index narrows, by name.
NARROWED: dict[str, Narrowing] = {"search-titles": Narrowing(variable="work", param="keyword")}

_SUBQUERY = re.compile(r"\s*SELECT\s+\*\s*(?:WHERE\s*)?\{", re.IGNORECASE)
_BEFORE = re.compile(r"(?:[{}.]|\bUNION|\bWHERE)\s*$", re.IGNORECASE)


def _closing(code: str, brace: int) -> int:
    """The position of the ``}`` closing the group opened at ``brace`` (in blanked code)."""
    depth = 0
    for i in range(brace, len(code)):
        if code[i] == "{":
            depth += 1
        elif code[i] == "}":
            depth -= 1
            if depth == 0:
                return i
    return -1


def joined_groups(code: str, brace: int) -> list[int]:
    """The group opened at ``brace`` (in blanked code) and every group joined with it: nested
    groups, the branches of a UNION, and the WHERE group of a ``SELECT *`` sub-query without
    solution modifiers, recursively; not what OPTIONAL, MINUS, (NOT) EXISTS, GRAPH, SERVICE or
    VALUES open. Their opening braces, outermost first.

    >>> code = "{ { ?w a ?c } UNION { SELECT * { ?w ?p ?o } } OPTIONAL { ?v ?q ?x } }"
    >>> [code[i:i + 6] for i in joined_groups(code, 0)]
    ['{ { ?w', '{ ?w a', '{ ?w ?']
    """
    close = _closing(code, brace)
    found = [brace]
    i = brace + 1
    while 0 < i < close:
        j = code.find("{", i, close)
        if j < 0:
            break
        end = _closing(code, j)
        if end < 0:
            break
        if _BEFORE.search(code, 0, j):
            sub = _SUBQUERY.match(code, j + 1)
            if sub is None and not re.match(r"\s*SELECT\b", code[j + 1 : end], re.IGNORECASE):
                found += joined_groups(code, j)
            elif sub is not None:
                inner = sub.end() - 1
                if not code[_closing(code, inner) + 1 : end].strip():  # no solution modifier
                    found += joined_groups(code, inner)
        i = end + 1
    return found


def narrowed_text(text: str, variable: str, iris: tuple[str, ...]) -> str:
    """``text`` with ``VALUES ?variable { <iri> ... }`` first in its top-level WHERE group and in
    every group joined with it (:func:`joined_groups`) that mentions the variable, so the planner
    starts from the IRIs everywhere (a sub-query is otherwise evaluated whole, and a UNION branch
    may scan a class before it meets the block). Joining a group with the block it is joined with
    anyway changes no answer. ``ValueError`` for a string that is not an IRI.

    >>> print(narrowed_text("SELECT * WHERE { { SELECT * WHERE { ?w a ?c } } }", "w", ("urn:x",)))
    SELECT * WHERE { VALUES ?w { <urn:x> } { SELECT * WHERE { VALUES ?w { <urn:x> } ?w a ?c } } }
    """
    import pyoxigraph

    # each IRI in pyoxigraph's own serialisation (as :func:`~interp_kg.sparql.query.values_block`
    # writes terms): a string that is not an IRI is refused, never pasted
    block = f"VALUES ?{variable} {{ {' '.join(str(pyoxigraph.NamedNode(i)) for i in iris)} }}"
    code = blanked(text)
    where = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    if where is None:
        return inject_values(text, block)
    mention = re.compile(rf"[?$]{re.escape(variable)}\b")
    groups = joined_groups(code, where.end() - 1)
    for brace in reversed(groups):
        if brace == groups[0] or mention.search(code, brace, _closing(code, brace)):
            text = f"{text[: brace + 1]} {block}{text[brace + 1 :]}"
    return text


def run_saved(
    backend: Backend, saved: SavedQuery, bindings: Mapping[str, Term], limit: int | None, timeout: float
) -> Result:
    """Run ``saved`` with ``bindings`` and at most ``limit`` rows (None: all), narrowed by the
    title index when it is declared (:data:`NARROWED`) and the backend is a local store's build."""
    text = with_limit(saved.text, limit) if saved.form == "select" else saved.text
    narrowing = NARROWED.get(saved.name)
    if narrowing is not None and saved.form == "select" and isinstance(backend, LocalBackend):
        narrowed = _narrowed(backend, text, narrowing, bindings, limit, timeout)
        if narrowed is not None:
            return narrowed
    return backend.execute(text, bindings, saved.form, timeout)


def _narrowed(
    backend: LocalBackend,
    text: str,
    narrowing: Narrowing,
    bindings: Mapping[str, Term],
    limit: int | None,
    timeout: float,
) -> Result | None:
    """The narrowed answer, or None when only the plain query can give it for sure."""
    import pyoxigraph

    from interp_kg.store.titles import load

    keyword = bindings.get(narrowing.param)
    if backend.build is None or not isinstance(keyword, pyoxigraph.Literal):
        return None
    index = load(backend.build)
    if index is None:
        return None
    matches = index.search(keyword.value, limit)
    if matches is None or len(matches.iris) > MAX_NARROWED:
        return None
    try:
        narrowed = narrowed_text(text, narrowing.variable, matches.iris)
    except ValueError:
        return None  # the index names a string that is not an IRI: not one of ours
    result = backend.execute(narrowed, bindings, "select", timeout)
    if not matches.complete and (limit is None or len(result.rows) < limit):
        return None  # a work the index named gave no row: the works after the cut might
    return result
