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

_SUBQUERY = re.compile(r"\{\s*SELECT\s+\*\s*(?:WHERE\s*)?\{", re.IGNORECASE)


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


def narrowed_text(text: str, variable: str, iris: tuple[str, ...]) -> str:
    """``text`` with ``VALUES ?variable { <iri> ... }`` first in its top-level WHERE group and first
    in every ``SELECT *`` sub-query that mentions the variable and has no solution modifier (so the
    planner starts from the IRIs there too; a sub-query is otherwise evaluated whole). Joining a
    group with the block it is already joined with at the top changes no answer. ``ValueError``
    for a string that is not an IRI.

    >>> print(narrowed_text("SELECT * WHERE { { SELECT * WHERE { ?w a ?c } } }", "w", ("urn:x",)))
    SELECT * WHERE { VALUES ?w { <urn:x> }  { SELECT * WHERE { VALUES ?w { <urn:x> } ?w a ?c } } }
    """
    import pyoxigraph

    # each IRI in pyoxigraph's own serialisation (as :func:`~interp_kg.sparql.query.values_block`
    # writes terms): a string that is not an IRI is refused, never pasted
    block = f"VALUES ?{variable} {{ {' '.join(str(pyoxigraph.NamedNode(i)) for i in iris)} }}"
    code = blanked(text)
    mention = re.compile(rf"[?$]{re.escape(variable)}\b")
    inner: list[int] = []
    for m in _SUBQUERY.finditer(code):
        brace = m.end() - 1
        close = _closing(code, brace)
        outer = _closing(code, m.start())
        if (
            close < 0
            or outer < 0
            or code[close + 1 : outer].strip()
            or not mention.search(code, brace, close)
        ):
            continue
        inner.append(brace)
    for brace in reversed(inner):
        text = f"{text[: brace + 1]} {block}{text[brace + 1 :]}"
    return inject_values(text, block)


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
    result = backend.execute(
        narrowed_text(text, narrowing.variable, matches.iris), bindings, "select", timeout
    )
    if not matches.complete and (limit is None or len(result.rows) < limit):
        return None  # a work the index named gave no row: the works after the cut might
    return result
