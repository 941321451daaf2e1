"""Running SPARQL: parameters bound as typed terms, a row limit, a timeout; on the local store
(pyoxigraph) or on a remote endpoint (:mod:`interp_kg.sparql.remote`), with the same results."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from interp_kg.curation.saved_queries import LABELLED, Param, QueryForm, SavedQuery, query_form
from interp_kg.errors import QueryError, QueryTimeout
from interp_kg.rdf.prefixes import IKG, PREFIXES, sparql_header
from interp_kg.sparql.friendly import did_you_mean, explain, with_prefixes
from interp_kg.sparql.service import REFUSED, inspect, mentions_service

if TYPE_CHECKING:
    from pathlib import Path

    import pyoxigraph

    from interp_kg.http import Client

    Term = pyoxigraph.NamedNode | pyoxigraph.Literal

_STRIP = re.compile(r'#[^\n]*|"""(?:.|\n)*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>')
_TOP_LIMIT = re.compile(r"\bLIMIT\s+\d+", re.IGNORECASE)
_TRAILING_VALUES = re.compile(r"\bVALUES\b", re.IGNORECASE)
_INTEGER = re.compile(r"^[+-]?\d+$")
_PREFIXED = re.compile(r"^([A-Za-z][\w-]*):(\S*)$")
_VARNAME = re.compile(r"[A-Za-z0-9_]+")  # used with fullmatch: "$" would accept a final "\n"
XSD = PREFIXES["xsd"]


@dataclass(frozen=True)
class Result:
    """What a query gave: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE)."""

    form: QueryForm
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Any, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Any, ...] = ()
    #: the row limit at which a remote endpoint says it cut the answer (None: it did not say)
    cut_at: int | None = None


def to_result(out: Any, form: QueryForm) -> Result:
    """Solutions, a boolean or triples from pyoxigraph (local, or parsed from a remote answer)."""
    import pyoxigraph

    if isinstance(out, pyoxigraph.QuerySolutions):
        variables = tuple(v.value for v in out.variables)
        return Result(form="select", variables=variables, rows=tuple(tuple(s) for s in out))
    if isinstance(out, pyoxigraph.QueryBoolean):
        return Result(form="ask", boolean=bool(out))
    return Result(form=form, triples=tuple(out))


class Backend(Protocol):
    """Where a query runs: the local store or a remote endpoint."""

    def execute(self, text: str, bindings: Mapping[str, Term], form: QueryForm, timeout: float) -> Result: ...


def syntax_message(error: str) -> str:
    """pyoxigraph's ``error at 3:2: expected ...`` as ``syntax error at line 3, column 2: expected ...``."""
    m = re.match(r"^error at (\d+):(\d+):\s*(.*)$", error, re.DOTALL)
    if m is None:
        return f"syntax error: {error}"
    return f"syntax error at line {m.group(1)}, column {m.group(2)}: {' '.join(m.group(3).split())}"


@contextmanager
def store_errors() -> Iterator[None]:
    """The store's errors while a query runs or its solutions are read, as :class:`QueryError`: a
    syntax error with its line and column (:func:`syntax_message`), any other as ``query failed``."""
    try:
        yield
    except SyntaxError as exc:
        raise QueryError(syntax_message(str(exc))) from None
    except (RuntimeError, OSError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def syntax_error(text: str, prelude: int = 0) -> str | None:
    """The syntax error of ``text`` as :func:`interp_kg.sparql.friendly.explain` shows it (line,
    column, what was expected, the line and a caret), or None if it parses. ``prelude``:
    characters put before the query as typed (its predeclared prefixes).

    Parsed by pyoxigraph against an empty in-memory store (nothing is read; solutions are not
    iterated), or, when the text holds the word SERVICE, by :func:`interp_kg.sparql.service.inspect`
    (which never runs a SERVICE clause). Used to report an error at its place in the query the
    user wrote, not in the text sent (with an added ``LIMIT`` or ``VALUES`` block).
    """
    import pyoxigraph

    if mentions_service(text):
        found = inspect(text).syntax_error
        return explain(text, found, prelude) if found is not None else None
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as exc:
        return explain(text, str(exc), prelude)
    except (RuntimeError, OSError, ValueError):
        return None
    return None


def with_limit(text: str, limit: int | None) -> str:
    """``text`` with ``LIMIT limit`` appended when the query has no top-level LIMIT of its own."""
    if limit is None:
        return text
    code = _STRIP.sub(" ", text)
    tail = code[code.rfind("}") + 1 :]
    if _TOP_LIMIT.search(tail) or _TRAILING_VALUES.search(tail):
        return text
    return f"{text.rstrip()}\nLIMIT {int(limit)}\n"


def _blank(m: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", m.group(0))


def blanked(text: str) -> str:
    """``text`` with its comments, strings and IRIs blanked (same length, newlines kept): where a
    brace or keyword is in the blanked text, it is in the query's code.

    >>> blanked('SELECT * { ?s ?p "}" } # }')
    'SELECT * { ?s ?p     }    '
    """
    return _STRIP.sub(_blank, text)


def values_block(bindings: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]) -> str:
    """A ``VALUES (?a ?b) { (<iri> "lit"^^<dt>) }`` clause binding each variable to one term.

    Appended after a query's WHERE clause it joins with its solutions (SPARQL 1.1 §18.2.4.3):
    this is how parameters reach a remote endpoint. Terms are written in their own N-Triples
    form, so a value is data whatever it holds; variable names must match ``[A-Za-z0-9_]+``.
    An empty mapping gives ``""``. :class:`QueryError` for a bad name or a term that is neither
    an IRI nor a literal.
    """
    import pyoxigraph

    names: list[str] = []
    values: list[str] = []
    for name, term in bindings.items():
        if not isinstance(name, str) or not _VARNAME.fullmatch(name):
            raise QueryError(f"invalid variable name {name!r}: use letters, digits and '_' (no '?')")
        if not isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
            raise QueryError(f"?{name} must be bound to an IRI or a literal, not a {type(term).__name__}")
        names.append(f"?{name}")
        values.append(str(term))
    if not names:
        return ""
    return f"VALUES ({' '.join(names)}) {{ ({' '.join(values)}) }}"


def inject_values(text: str, block: str) -> str:
    """Put an inline ``VALUES`` block first in the query's top-level WHERE group, so the bound
    variables are in scope everywhere in it (FILTERs included), as pyoxigraph substitutions are.
    The block comes from :func:`values_block`: terms, never user text."""
    code = blanked(text)  # same length: positions in ``code`` are positions in ``text``
    where = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    if where is not None:
        brace = where.end() - 1
    else:
        form = re.search(r"\b(SELECT|ASK|DESCRIBE)\b", code, re.IGNORECASE)
        brace = code.find("{", form.end() if form else 0)
    if brace < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return f"{text[: brace + 1]} {block} {text[brace + 1 :]}"


def _expand(value: str) -> str:
    """An IRI from ``<iri>``, ``prefix:local`` (our prefixes) or an absolute IRI."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    m = _PREFIXED.match(value)
    if m and m.group(1) in PREFIXES and not m.group(2).startswith("//"):
        return PREFIXES[m.group(1)] + m.group(2)
    return value


def _iri(param: Param, value: str) -> Term:
    import pyoxigraph

    iri = _expand(value)
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise QueryError(f"parameter {param.name}: {value!r} is not an IRI")
    try:
        return pyoxigraph.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(f"parameter {param.name}: {value!r} is not a valid IRI ({exc})") from None


def to_term(param: Param, value: str, resolve: Callable[[str, str], list[str]]) -> Term:
    """Type a user's value for ``param``; ``resolve(class_local_name, label)`` finds nodes by label."""
    import pyoxigraph

    if param.type == "string":
        return pyoxigraph.Literal(value)
    if param.type == "integer":
        if not _INTEGER.match(value.strip()):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return pyoxigraph.Literal(str(int(value)), datatype=pyoxigraph.NamedNode(XSD + "integer"))
    if param.type == "boolean":
        if value.lower() not in ("true", "false"):
            raise QueryError(f"parameter {param.name}: {value!r} is not true or false")
        return pyoxigraph.Literal(value.lower(), datatype=pyoxigraph.NamedNode(XSD + "boolean"))
    if param.type == "iri":
        return _iri(param, value)
    cls = LABELLED[param.type]
    expanded = _expand(value)
    if re.match(r"^https?://", expanded):
        return _iri(param, value)
    found = resolve(cls, value)
    if not found:
        raise QueryError(f"parameter {param.name}: no {param.type} labelled {value!r}")
    if len(found) > 1:
        shown = ", ".join(sorted(found)[:6])
        raise QueryError(
            f"parameter {param.name}: {len(found)} {param.type}s are labelled {value!r}: {shown}; "
            "pass one IRI instead"
        )
    return pyoxigraph.NamedNode(found[0])


RESOLVE_EXACT = (
    sparql_header({"ikg": IKG, "rdfs": PREFIXES["rdfs"]})
    + "SELECT ?node ?label ?class WHERE { ?node rdfs:label ?label ; a ?class . }"
)
RESOLVE_ANY_CASE = (
    sparql_header({"ikg": IKG, "rdfs": PREFIXES["rdfs"]})
    + "SELECT ?node ?label ?class WHERE { ?node a ?class ; rdfs:label ?l . "
    "FILTER(LCASE(STR(?l)) = LCASE(STR(?label))) }"
)


def resolver(backend: Backend, timeout: float) -> Callable[[str, str], list[str]]:
    """A label resolver on ``backend`` with typed bindings: the exact label first (an index
    look-up), then the label in any case (a scan of the class)."""
    import pyoxigraph

    def resolve(cls: str, label: str) -> list[str]:
        bindings: dict[str, Term] = {
            "label": pyoxigraph.Literal(label),
            "class": pyoxigraph.NamedNode(IKG + cls),
        }
        for query in (RESOLVE_EXACT, RESOLVE_ANY_CASE):
            result = backend.execute(query, bindings, "select", timeout)
            found = sorted({str(row[0].value) for row in result.rows})
            if found:
                return found
        return []

    return resolve


def bind(query: SavedQuery, values: Mapping[str, str], backend: Backend, timeout: float) -> dict[str, Term]:
    """Typed terms for a saved query's parameters; :class:`QueryError` for missing or unknown ones."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        names = ", ".join(known) or "none"
        hints = "".join(did_you_mean(u, known) for u in unknown)
        raise QueryError(
            f"{query.name}: unknown parameter(s) {', '.join(unknown)}{hints} (parameters: {names})"
        )
    bindings: dict[str, Term] = {}
    resolve = resolver(backend, timeout)
    for p in query.params:
        value = values.get(p.name, p.default)
        if value is None:
            if p.required:
                raise QueryError(
                    f"{query.name}: parameter {p.name} ({p.type}) is required: --param {p.name}=..."
                )
            continue
        bindings[p.name] = to_term(p, value, resolve)
    return bindings


def adhoc(text: str, name: str = "query") -> SavedQuery:
    """A query given on the command line, as a parameterless saved query, with the project's
    prefixes it does not declare itself predeclared (:func:`interp_kg.sparql.friendly.with_prefixes`)."""
    full, prelude = with_prefixes(text)
    return SavedQuery(name="adhoc", title=name, text=full, form=query_form(text), prelude=prelude)


def untyped_bindings(values: Mapping[str, str]) -> dict[str, Term]:
    """``--param`` values of an ad-hoc query: IRIs when written as ``<...>``/prefixed, else strings."""
    import pyoxigraph

    out: dict[str, Term] = {}
    for name, value in values.items():
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
            raise QueryError(f"bad parameter name {name!r}")
        expanded = _expand(value)
        is_iri = (value.startswith("<") or _PREFIXED.match(value)) and re.match(
            r"^[A-Za-z][\w+.-]*:", expanded
        )
        if not is_iri:
            out[name] = pyoxigraph.Literal(value)
            continue
        try:
            out[name] = pyoxigraph.NamedNode(expanded)
        except ValueError as exc:
            raise QueryError(f"parameter {name}: {value!r} is not a valid IRI ({exc})") from None
    return out


R = TypeVar("R")


def within(timeout: float, work: Callable[[], R], name: str = "interp-kg-query") -> R:
    """``work()``'s value, run on a daemon thread so that the caller gives up after ``timeout``
    seconds with :class:`~interp_kg.errors.QueryTimeout` (pyoxigraph cannot cancel a query: the
    thread ends with the process); ``work``'s exception is raised in the caller.

    >>> within(5, lambda: 6 * 7)
    42
    """
    box: list[R | BaseException] = []

    def run() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # handed to the caller
            box.append(exc)

    worker = threading.Thread(target=run, name=name, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise QueryTimeout(f"the query did not finish within {timeout:g} s (--timeout)")
    found = box[0]
    if isinstance(found, BaseException):
        raise found
    return found


class LocalBackend:
    """Queries on the on-disk store, parameters through pyoxigraph substitutions; ``build``: the
    store's build folder, if it is one.

    SPARQL ``SERVICE`` is refused (:class:`QueryError`, before anything runs) unless
    ``allow_service``: pyoxigraph would send the inner pattern to any URL a query names
    (:mod:`interp_kg.sparql.service`).
    """

    def __init__(
        self, store: pyoxigraph.Store, *, allow_service: bool = False, build: Path | None = None
    ) -> None:
        self.store = store
        self.allow_service = allow_service
        #: the folder of the store's build, when it is one (:func:`interp_kg.store.builds.open_build`):
        #: where its title index is (:mod:`interp_kg.sparql.narrow`)
        self.build = build

    def _run(self, text: str, bindings: Mapping[str, Term], form: QueryForm) -> Result:
        import pyoxigraph

        if not self.allow_service and mentions_service(text):
            verdict = inspect(text)  # the text as given: bound terms cannot hold a keyword
            if verdict.service:
                raise QueryError(REFUSED)
            if verdict.syntax_error is not None:
                raise QueryError(syntax_message(verdict.syntax_error))

        subs: dict[pyoxigraph.Variable, Any] = {pyoxigraph.Variable(k): v for k, v in bindings.items()}
        if bindings:
            # Typed binding twice over: pyoxigraph's substitutions fix each variable to its term,
            # and the same terms as an inline VALUES block (their own serialisation, never user
            # text) let the planner start from them (measured 100x faster at 100k works).

            text = inject_values(text, values_block(dict(bindings)))
        with store_errors():
            try:
                out = self.store.query(text, substitutions=subs or None)
            except RuntimeError as exc:
                if "projection" not in str(exc):
                    raise
                out = self.store.query(text)  # a bound variable not projected: the VALUES block binds it
            return to_result(out, form)  # solutions come as they are read: so do their errors

    def execute(self, text: str, bindings: Mapping[str, Term], form: QueryForm, timeout: float) -> Result:
        return within(timeout, lambda: self._run(text, bindings, form))


class RemoteBackend:
    """Queries on a SPARQL 1.1 endpoint through :func:`interp_kg.sparql.remote.run_query` (one HTTP
    client for all of them); parameters as an inline VALUES block built from typed terms
    (:func:`values_block`); the answer's terms in canonical lexical forms
    (:func:`interp_kg.sparql.remote.canonical`)."""

    def __init__(self, url: str, client: Client | None = None) -> None:
        from interp_kg.http import Client, Credentials
        from interp_kg.sparql.remote import Endpoint

        self.endpoint = Endpoint.from_url(url)
        self.client = client if client is not None else Client(credentials=Credentials.from_env())

    def __enter__(self) -> RemoteBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()

    def execute(self, text: str, bindings: Mapping[str, Term], form: QueryForm, timeout: float) -> Result:
        import pyoxigraph

        from interp_kg.sparql.remote import canonical, parse_results, query_response, rows_cut_at

        if bindings:
            text = inject_values(text, values_block(dict(bindings)))
        response = query_response(self.endpoint, text, timeout=timeout, client=self.client)
        result = to_result(parse_results(response.content, response.content_type), form)
        # Terms in their canonical lexical forms (Virtuoso writes xsd:boolean as 0/1), so that every
        # output format prints what the local store prints.
        return replace(
            result,
            cut_at=rows_cut_at(response),
            rows=tuple(tuple(canonical(term) for term in row) for row in result.rows),
            triples=tuple(
                pyoxigraph.Triple(t.subject, t.predicate, canonical(t.object)) for t in result.triples
            ),
        )
