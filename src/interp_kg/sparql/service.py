"""SPARQL ``SERVICE`` (federated query), found in a query so that ``query`` and ``serve`` refuse it.

pyoxigraph and the Oxigraph server execute ``SERVICE <url> { ... }`` by sending the inner pattern
to whatever URL the query names, and neither has a switch to turn that off (pyoxigraph's
``Store.query`` has no such option; ``oxigraph serve`` has no such flag; its HTTP client ignores
proxy variables). So a query is refused before it runs when it *uses* SERVICE, unless the user
passed ``--allow-service``.

Whether it does is decided by Oxigraph's own parser, never by a guess at SPARQL's lexical rules
(``<`` is an IRI or an operator, ``#`` a comment or a fragment, and Oxigraph reads ``1SERVICE`` and
``SERVICE:x`` as the keyword): every occurrence of the word, in any case, is masked (its last letter
replaced, so that no occurrence can be the keyword any more) and the masked text is parsed. If it
parses, the word only appeared where the masking changes nothing that runs (a string, an IRI, a
name, a comment), and the query runs as written. If not, the query uses SERVICE or has a syntax
error: either way it does not run, and :func:`inspect` tells which as well as it can. Nothing here
ever runs a query that holds the keyword.

A query without the word costs one regular-expression search. A query with it is parsed by
evaluating the masked copy against an empty in-memory store (pyoxigraph has no parse-only call):
no data, no SERVICE, so nothing but what the query itself generates (``VALUES``, ``BIND``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SERVICE_WORD = re.compile("service", re.IGNORECASE)
# After a masked SERVICE, an optional SILENT (with blanks or comments between) goes with it.
_SILENT = re.compile(r"(?:\s|#[^\n]*(?:\n|$))*(silent)", re.IGNORECASE)
# A keyword is not glued to the name, variable, IRI or language tag before it.
_NAME_BEFORE = re.compile(r"[\w?$:/#@'\"-]")
_POSITION = re.compile(r"^error at (\d+):(\d+)")

REFUSED = (
    "the query uses SERVICE (a federated query, which sends requests to the endpoint it names): "
    "refused; pass --allow-service to allow it"
)


@dataclass(frozen=True)
class Verdict:
    """What :func:`inspect` found: ``service`` when the query uses SERVICE, else ``syntax_error``
    (pyoxigraph's words, positions as in the query) when it does not parse, else neither."""

    service: bool = False
    syntax_error: str | None = None

    @property
    def runs(self) -> bool:
        """Whether the query may run as written (no SERVICE, no syntax error)."""
        return not self.service and self.syntax_error is None


def mentions_service(text: str) -> bool:
    """Whether the word ``service`` appears in ``text`` at all, in any case."""
    return SERVICE_WORD.search(text) is not None


def inspect(text: str) -> Verdict:
    """Whether ``text`` uses SERVICE, or does not parse; see the module docstring. Texts without
    the word are not parsed here (they cannot use SERVICE): the verdict is that they run."""
    matches = list(SERVICE_WORD.finditer(text))
    if not matches:
        return Verdict()
    masked = _masked(text, matches)
    error = _parse_error(masked)
    if error is None:
        return Verdict()
    if _parse_error(_as_graph(masked, matches)) is None:
        return Verdict(service=True)
    # Where a masked keyword stops the parser: at the word, or further on the way to its group
    # (``SERVICX:x {`` reads as a name, up to the brace).
    offset = _offset(masked, error)
    for match in matches:
        brace = text.find("{", match.end())
        after = text[match.end() :]
        end = brace if brace >= 0 else match.end() + len(after) - len(after.lstrip())
        if match.start() <= offset <= end:
            return Verdict(service=True)
    return Verdict(syntax_error=error)


def _masked(text: str, matches: list[re.Match[str]]) -> str:
    chars = list(text)
    for match in matches:
        last = match.end() - 1
        chars[last] = "X" if chars[last].isupper() else "x"
    return "".join(chars)


def _as_graph(masked: str, matches: list[re.Match[str]]) -> str:
    """``masked`` with each occurrence that stands where a keyword can written ``GRAPH`` (same
    length; a following SILENT blanked): SERVICE and GRAPH take the same arguments, so this parses
    exactly when the query does with its SERVICE clauses."""
    chars = list(masked)
    for match in matches:
        before = masked[match.start() - 1] if match.start() else " "
        if _NAME_BEFORE.match(before):
            continue
        chars[match.start() : match.end()] = "GRAPH  "
        silent = _SILENT.match(masked, match.end())
        if silent is not None:
            chars[silent.start(1) : silent.end(1)] = " " * 6
    return "".join(chars)


def _parse_error(text: str) -> str | None:
    """pyoxigraph's syntax error for ``text`` (parsed against an empty in-memory store), or None.
    Only for texts in which no SERVICE keyword is left."""
    import pyoxigraph

    assert not mentions_service(text)
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        return str(exc)
    except (RuntimeError, OSError, ValueError):
        return None
    return None


def _offset(text: str, error: str) -> int:
    """The character offset of pyoxigraph's ``error at LINE:COLUMN`` in ``text`` (-1 when absent)."""
    found = _POSITION.match(error)
    if found is None:
        return -1
    line, column = int(found.group(1)), int(found.group(2))
    lines = text.split("\n")
    if line < 1 or line > len(lines):
        return -1
    return sum(len(part) + 1 for part in lines[: line - 1]) + column - 1
