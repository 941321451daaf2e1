"""Remote SPARQL endpoints: query them and push the graph to them.

Every request goes through the one HTTP client, :class:`interp_kg.http.Client` (its timeouts,
size cap, redirect rule, User-Agent and credentials). SPARQLWrapper is kept as the SPARQL 1.1
Protocol encoder only: it decides the endpoint (query or update), the parameters (POST,
URL-encoded, content negotiation by ``Accept`` only) and the headers, and the request it builds
is sent by our client, never by urllib. Graph Store Protocol uploads, which SPARQLWrapper does not
speak, are plain requests of the same client. SPARQLWrapper, httpx and pyoxigraph are imported
inside the functions, off the CLI's start-up path.

Credentials come from the environment only (:data:`TOKEN_ENV`, or :data:`USER_ENV` and
:data:`PASSWORD_ENV`, sent by HTTP Basic or, with ``AUTH_ENV=digest``, by HTTP Digest as
Virtuoso's authenticated endpoints want); they are never logged and never part of an error
message. Parameters reach a remote endpoint as a trailing ``VALUES`` block built from RDF terms
(:func:`interp_kg.sparql.query.values_block`), never by pasting user text into a query. Answers
are read back in canonical lexical forms (:func:`canonical`).
"""

from __future__ import annotations

import contextlib
import functools
import re
import urllib.parse
import uuid
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.errors import QueryError, RemoteError, RemoteRejected, RemoteTimeout
from interp_kg.http import (
    AUTH_ENV,
    PASSWORD_ENV,
    TOKEN_ENV,
    USER_ENV,
    Client,
    Credentials,
    Response,
    display,
    first_line,
)

if TYPE_CHECKING:
    import pyoxigraph
    from SPARQLWrapper import SPARQLWrapper

TMP_GRAPH_PREFIX = "urn:interp-kg:tmp:"
"""Prefix of the temporary named graphs :func:`push` uploads into before moving them in place."""
CLEANUP_RESERVE = 5.0
"""Seconds of a push's timeout kept for dropping its temporary graph after a failure (at most a
quarter of the timeout): the upload and the move share the rest, so a push ends within its timeout."""

XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
ROWS_CUT_HEADER = "x-sparql-maxrows"
"""Virtuoso's header on an answer its row limit cut (lower case, as :class:`Response` keeps names)."""
_BOOLEAN_FORMS = {"true": "true", "1": "true", "false": "false", "0": "false"}
_URL_PATTERN = r"^https?://[^/?#@\s]+([/?#]\S*)?$"
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
# What cannot hold a query-form keyword: strings, IRIs and comments.
_NOT_KEYWORDS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n\r]*",
    re.DOTALL,
)
_FORM_KEYWORD = re.compile(
    r"(?<![\w:?$.\-])(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)"
    r"(?![\w:.\-])",
    re.IGNORECASE,
)


class Endpoint(BaseModel):
    """A remote SPARQL service: its query endpoint and, when it has them, its update and
    Graph Store Protocol endpoints."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    query_url: str = Field(
        pattern=_URL_PATTERN,
        description="SPARQL 1.1 query endpoint, e.g. http://127.0.0.1:7878/query.",
    )
    update_url: str | None = Field(
        default=None,
        pattern=_URL_PATTERN,
        description="SPARQL 1.1 update endpoint, e.g. http://127.0.0.1:7878/update; None when read-only.",
    )
    store_url: str | None = Field(
        default=None,
        pattern=_URL_PATTERN,
        description="SPARQL 1.1 Graph Store HTTP Protocol endpoint, e.g. http://127.0.0.1:7878/store.",
    )

    @classmethod
    def from_url(cls, url: str, *, update_url: str | None = None, store_url: str | None = None) -> Endpoint:
        """The endpoint at ``url``.

        An Oxigraph-style URL (``http://host:port`` or ``http://host:port/query``) gives its
        ``/query``, ``/update`` and ``/store``; any other URL is the query endpoint, with update
        and store endpoints only when given. :class:`RemoteError` when a URL is not http(s) or
        holds credentials (they belong in the environment).
        """
        for candidate in (url, update_url, store_url):
            if candidate is not None:
                _check_url(candidate)
        parts = urllib.parse.urlsplit(url)
        path = parts.path.rstrip("/")
        if not parts.query and not parts.fragment and path in ("", "/query"):
            base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, "", "", ""))
            return cls(
                query_url=f"{base}/query",
                update_url=update_url or f"{base}/update",
                store_url=store_url or f"{base}/store",
            )
        return cls(query_url=url, update_url=update_url, store_url=store_url)


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- parsed only to be checked (a bad port raises ValueError)
    except ValueError as exc:
        raise RemoteError(f"not a valid endpoint URL: {url!r} ({exc})") from None
    if "@" in parts.netloc:
        raise RemoteError(
            f"endpoint URLs must not hold credentials: set {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}"
        )
    if not re.match(_URL_PATTERN, url):
        raise RemoteError(f"not an http(s) endpoint URL: {url!r}")


@contextlib.contextmanager
def _using(client: Client | None) -> Iterator[Client]:
    """``client``, or a client of the default policy with the environment's credentials (closed after)."""
    if client is not None:
        yield client
        return
    with Client(credentials=Credentials.from_env()) as own:
        yield own


@functools.cache
def _wrapper_class() -> type[SPARQLWrapper]:
    from SPARQLWrapper import SPARQLWrapper

    class _Wrapper(SPARQLWrapper):
        """SPARQLWrapper as a SPARQL Protocol encoder: :meth:`send` sends the request it builds
        (``_createRequest``: URL, method, body, ``Accept``, ``Content-Type``) through our client."""

        def send(self, client: Client, **options: Any) -> Response:
            request = self._createRequest()
            headers = {
                name.title(): value  # urllib's "Content-type" as HTTP spells it
                for name, value in request.header_items()
                if name.lower() not in ("user-agent", "authorization")  # the client's own
            }
            data = request.data
            assert data is None or isinstance(data, bytes)
            return client.request(
                request.get_method(), request.full_url, content=data, headers=headers, **options
            )

        def _query(self) -> Any:
            raise NotImplementedError("requests go through interp_kg.http.Client: use send()")

    return _Wrapper


def _sparql(endpoint: Endpoint) -> Any:
    """A SPARQLWrapper for ``endpoint``: POST, URL-encoded, content negotiation by Accept only."""
    from SPARQLWrapper import POST, URLENCODED

    sparql = _wrapper_class()(endpoint.query_url, updateEndpoint=endpoint.update_url)
    sparql.setMethod(POST)
    sparql.setRequestMethod(URLENCODED)
    sparql.setOnlyConneg(True)  # no format=/output=/results= parameters beside the Accept header
    return sparql


def _set_query(sparql: SPARQLWrapper, text: str) -> None:
    with warnings.catch_warnings():  # "unknown query type": the endpoint reports the real problem
        warnings.simplefilter("ignore")
        sparql.setQuery(text)


def query_form(query: str) -> str | None:
    """The form of ``query`` (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or the first
    keyword of an update), upper-case; None when there is none.

    SPARQLWrapper's own detection searches the text for the first keyword anywhere, IRIs
    included, once it has removed ``PREFIX p: <...>`` lines but not ``PREFIX : <...>``: after
    ``PREFIX : <http://example.org/address#>`` a SELECT reads as ``ADD``, an update. Here strings,
    IRIs and comments are skipped and keywords must stand alone.
    """
    match = _FORM_KEYWORD.search(_NOT_KEYWORDS.sub(" ", query))
    return match.group(1).upper() if match else None


def run_query(
    endpoint: Endpoint,
    query: str,
    *,
    timeout: float | None = None,
    client: Client | None = None,
    pace: str | None = None,
) -> tuple[bytes, str]:
    """Run ``query`` on ``endpoint``; the raw answer and its content type.

    SELECT and ASK ask for SPARQL JSON results, CONSTRUCT and DESCRIBE for N-Triples; read the
    answer with :func:`parse_results`. ``client`` (default: one of the default policy with the
    environment's credentials) sends it, within ``timeout`` seconds (default: the client's);
    ``pace`` names the spacing key of the client's ``intervals``. :class:`QueryError` for an
    update; :class:`RemoteError` when the endpoint cannot be reached, answers with an HTTP error,
    too much, or not in time.
    """
    response = query_response(endpoint, query, timeout=timeout, client=client, pace=pace)
    return response.content, response.content_type


def rows_cut_at(response: Response) -> int | None:
    """The row limit at which the server says it cut its answer: Virtuoso sends
    ``X-SPARQL-MaxRows: N`` when its ``ResultSetMaxRows`` setting stopped the answer at N rows
    (an answer of exactly N rows is marked too). None when the answer says nothing of it.

    >>> rows_cut_at(Response(200, "", b"", "", {"x-sparql-maxrows": "10000"}))
    10000
    """
    value = response.headers.get(ROWS_CUT_HEADER, "").strip()
    return int(value) if value.isdigit() else None


def query_response(
    endpoint: Endpoint,
    query: str,
    *,
    timeout: float | None = None,
    client: Client | None = None,
    pace: str | None = None,
) -> Response:
    """:func:`run_query`, with the whole answer (its headers too)."""
    from SPARQLWrapper import JSON, TURTLE

    sparql = _sparql(endpoint)
    _set_query(sparql, query)
    form = query_form(query) or sparql.queryType
    if form not in _QUERY_FORMS:
        raise QueryError(f"this is a SPARQL update ({form}), not a query: remote queries only read")
    sparql.queryType = form
    if form in ("SELECT", "ASK"):
        sparql.setReturnFormat(JSON)
    else:
        sparql.setReturnFormat(TURTLE)  # the closest SPARQLWrapper has: its Accept is overridden
        sparql.addCustomHttpHeader("Accept", "application/n-triples")
    with _using(client) as sender:
        return _send(sparql, sender, endpoint.query_url, idempotent=True, timeout=timeout, pace=pace)


def _send(sparql: Any, client: Client, url: str, **options: Any) -> Response:
    shown = display(url)
    try:
        response: Response = sparql.send(client, shown=shown, **options)
    except RemoteError as exc:
        raise _worded(exc, shown) from None
    return response


def _worded(exc: RemoteError, shown: str) -> RemoteError:
    """An HTTP error in a SPARQL endpoint's terms: 404 is no endpoint, 401 names the credentials
    (unless the client said what the server's challenge asks for)."""
    said = f"HTTP {exc.status}: {exc.detail}" if exc.detail else f"HTTP {exc.status}"
    if exc.status == 404:
        return RemoteError(f"no SPARQL endpoint at {shown} ({said})", status=404, detail=exc.detail)
    if exc.status == 401 and "redirect" not in str(exc) and "asks for" not in str(exc):
        return RemoteError(
            f"{exc}: check {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV} "
            f"({AUTH_ENV}=digest for a server that wants HTTP Digest, such as Virtuoso)",
            status=401,
            detail=exc.detail,
        )
    return exc


def _update(endpoint: Endpoint, update: str, client: Client, timeout: float, deadline: float) -> None:
    """Run one SPARQL update on the endpoint's update URL (never retried: it is not idempotent)."""
    assert endpoint.update_url is not None
    sparql = _sparql(endpoint)
    _set_query(sparql, update)  # MOVE / DROP: SPARQLWrapper posts it as update= to updateEndpoint
    _send(sparql, client, endpoint.update_url, idempotent=False, timeout=timeout, deadline=deadline)


def parse_results(
    data: bytes, content_type: str
) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | list[pyoxigraph.Triple]:
    """Read an answer of :func:`run_query`: solutions (SELECT), a boolean (ASK) or triples
    (CONSTRUCT, DESCRIBE). :class:`RemoteError` when it is not SPARQL results or RDF."""
    import pyoxigraph

    media_type = content_type.split(";", 1)[0].strip().lower()
    results_format = pyoxigraph.QueryResultsFormat.from_media_type(media_type) if media_type else None
    rdf_format = pyoxigraph.RdfFormat.from_media_type(media_type) if media_type else None
    try:
        if results_format is not None:
            results = pyoxigraph.parse_query_results(data, format=results_format)
            if isinstance(results, pyoxigraph.QuerySolutions):
                for _ in results:  # solutions are parsed lazily: find errors here, not at the caller
                    pass
                results = pyoxigraph.parse_query_results(data, format=results_format)
            return results
        if rdf_format is not None:
            return [quad.triple for quad in pyoxigraph.parse(data, format=rdf_format)]
    except (SyntaxError, ValueError) as exc:
        raise RemoteError(
            f"the endpoint sent unreadable SPARQL results ({media_type}): {first_line(str(exc))}"
        ) from None
    raise RemoteError(
        f"the endpoint did not answer with SPARQL results (content type {media_type or 'none'})"
    )


def canonical(term: Any) -> Any:
    """``term`` with the canonical lexical form of its datatype where an endpoint writes another:
    ``"1"``/``"0"``^^xsd:boolean (Virtuoso 7's SPARQL results) as ``"true"``/``"false"``.
    Other terms are returned as they are.

    >>> import pyoxigraph
    >>> canonical(pyoxigraph.Literal("1", datatype=pyoxigraph.NamedNode(XSD_BOOLEAN))).value
    'true'

    The other datatypes of our graph (xsd:integer, xsd:date, xsd:gYear, xsd:gYearMonth) come back
    from Virtuoso 7.2 as they were pushed (``tests/test_virtuoso.py`` compares every triple).
    """
    import pyoxigraph

    if isinstance(term, pyoxigraph.Literal) and term.datatype.value == XSD_BOOLEAN:
        form = _BOOLEAN_FORMS.get(term.value.strip())
        if form is not None and form != term.value:
            return pyoxigraph.Literal(form, datatype=term.datatype)
    return term


def push(
    endpoint: Endpoint, ntriples: bytes, *, graph: str | None, timeout: float, client: Client | None = None
) -> None:
    """Replace the remote graph ``graph`` (None: the default graph) with ``ntriples``, all or nothing.

    The data goes to a fresh temporary named graph (``urn:interp-kg:tmp:<uuid4>``) by a Graph
    Store Protocol PUT, then one update ``MOVE GRAPH <tmp> TO ...`` puts it in place (atomic in
    Oxigraph). On any failure the temporary graph is dropped, so the target keeps its old content.
    Virtuoso 7 differs in two ways: it has no default graph of its own (push into a named
    ``graph``), and its ``MOVE`` is not isolated: a reader during the move may see the target
    empty or part-filled (measured on 7.2.5; the target is still untouched until the upload has
    succeeded).
    The whole push ends within ``timeout`` seconds: the upload and the move share it, less
    :data:`CLEANUP_RESERVE` (at most a quarter of it) kept for the clean-up. :class:`RemoteError`
    on failure (:class:`~interp_kg.errors.RemoteTooLarge` when the server answers too much); when
    the upload timed out, the message names the temporary graph, which the server may still be writing.
    """
    import pyoxigraph

    if endpoint.store_url is None or endpoint.update_url is None:
        raise RemoteError(
            f"pushing to {display(endpoint.query_url)} needs its Graph Store and update endpoints"
        )
    target = "DEFAULT"
    if graph is not None:
        try:
            target = f"GRAPH {pyoxigraph.NamedNode(graph)}"
        except ValueError as exc:
            raise RemoteError(f"not a graph IRI: {graph!r} ({exc})") from None
    tmp = pyoxigraph.NamedNode(f"{TMP_GRAPH_PREFIX}{uuid.uuid4()}")
    with _using(client) as sender:
        ends = sender.clock.monotonic() + timeout
        work_ends = ends - min(CLEANUP_RESERVE, timeout / 4)
        try:
            _store_request(sender, endpoint.store_url, tmp.value, "PUT", ntriples, timeout, work_ends)
            try:
                _update(endpoint, f"MOVE GRAPH {tmp} TO {target}", sender, timeout, work_ends)
            except RemoteRejected as exc:
                if graph is not None:
                    raise
                raise RemoteRejected(
                    f"{exc}; a server without a default graph of its own (Virtuoso's is the union of "
                    "all graphs) takes a push into a named graph only: use --graph IRI",
                    status=exc.status,
                    detail=exc.detail,
                ) from None
        except BaseException as exc:
            _discard(endpoint, tmp.value, sender, timeout, ends)
            if isinstance(exc, RemoteTimeout):
                # The server may go on loading after we gave up, and create the graph after the drop.
                raise RemoteTimeout(
                    f"{exc}; the target graph is unchanged, but the server may still be writing the "
                    f"temporary graph {tmp}: if it stays, drop it with DROP SILENT GRAPH {tmp}"
                ) from None
            raise


def _graph_url(store_url: str, graph: str) -> str:
    separator = "&" if urllib.parse.urlsplit(store_url).query else "?"
    return f"{store_url}{separator}graph={urllib.parse.quote(graph, safe='')}"


def _store_request(
    client: Client,
    store_url: str,
    graph: str,
    method: str,
    data: bytes | None,
    timeout: float,
    deadline: float,
) -> None:
    """One Graph Store Protocol request (PUT or DELETE: idempotent, so retried as the policy allows)."""
    headers = {"Content-Type": "application/n-triples"} if data is not None else {}
    shown = display(store_url)
    try:
        client.request(
            method,
            _graph_url(store_url, graph),
            content=data,
            headers=headers,
            timeout=timeout,
            deadline=deadline,
            shown=shown,
        )
    except RemoteError as exc:
        raise _worded(exc, shown) from None


def _discard(endpoint: Endpoint, graph: str, client: Client, timeout: float, deadline: float) -> None:
    """Best effort, until ``deadline``: drop the temporary graph with an update, else with a Graph
    Store DELETE (for when the update endpoint is what failed). Errors here are not reported: the
    one that made the push fail is."""
    try:
        _update(endpoint, f"DROP SILENT GRAPH <{graph}>", client, timeout, deadline)
        return
    except RemoteError:
        pass
    assert endpoint.store_url is not None
    with contextlib.suppress(RemoteError):  # HTTP 404 when the graph was never created
        _store_request(client, endpoint.store_url, graph, "DELETE", None, timeout, deadline)
