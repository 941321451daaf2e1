"""Remote SPARQL endpoints: query them and push the graph to them.

Queries and updates go through SPARQLWrapper (SPARQL 1.1 Protocol, POST, URL-encoded); uploads use
the SPARQL 1.1 Graph Store HTTP Protocol, which SPARQLWrapper does not speak, through ``urllib``.
SPARQLWrapper and pyoxigraph are imported inside the functions, off the CLI's start-up path.

Credentials come from the environment only (:data:`TOKEN_ENV`, or :data:`USER_ENV` and
:data:`PASSWORD_ENV`); they are never logged and never part of an error message. Parameters reach
a remote endpoint as a trailing ``VALUES`` block built from RDF terms
(:func:`interp_kg.sparql.query.values_block`),
never by pasting user text into a query.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import functools
import http.client
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from interp_kg import __version__
from interp_kg.errors import QueryError, RemoteError, RemoteRejected, RemoteTimeout

if TYPE_CHECKING:
    import pyoxigraph
    from SPARQLWrapper import SPARQLWrapper

TOKEN_ENV = "INTERP_KG_ENDPOINT_TOKEN"
USER_ENV = "INTERP_KG_ENDPOINT_USER"
PASSWORD_ENV = "INTERP_KG_ENDPOINT_PASSWORD"
USER_AGENT = f"interp-kg/{__version__} (+https://w3id.org/interp-kg)"
TMP_GRAPH_PREFIX = "urn:interp-kg:tmp:"
"""Prefix of the temporary named graphs :func:`push` uploads into before moving them in place."""

_URL_PATTERN = r"^https?://[^/?#@\s]+([/?#]\S*)?$"
_TOKEN = re.compile(r"[\x21-\x7e]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
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
_MAX_DETAIL = 200


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


@dataclass(frozen=True)
class _Credentials:
    """Credentials from the environment; ``repr`` shows none of them."""

    token: str | None = field(default=None, repr=False)
    user: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    def authorization(self) -> str | None:
        """The ``Authorization`` header value, if there are credentials."""
        if self.token:
            return f"Bearer {self.token}"
        if self.user and self.password:
            pair = f"{self.user}:{self.password}".encode()
            return f"Basic {base64.b64encode(pair).decode('ascii')}"
        return None

    def redact(self, message: str) -> str:
        """``message`` with every credential (and its encoded form) replaced by ``***``."""
        secrets = [self.token, self.password, self.user]
        if self.user and self.password:
            secrets.append(base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii"))
        for secret in sorted((s for s in secrets if s), key=len, reverse=True):
            message = message.replace(secret, "***")
        return message


def _credentials() -> _Credentials:
    """The credentials in the environment. Values are checked here, so that http.client never
    rejects a header value (its ValueError would quote the header, credentials included)."""
    token = os.environ.get(TOKEN_ENV) or None
    user = os.environ.get(USER_ENV) or None
    password = os.environ.get(PASSWORD_ENV) or None
    if token and not _TOKEN.fullmatch(token):
        raise RemoteError(f"{TOKEN_ENV} must be printable ASCII without spaces (a stray newline?)")
    if user and (":" in user or _CONTROL.search(user)):
        raise RemoteError(f"{USER_ENV} must not hold ':' or control characters")
    if password and _CONTROL.search(password):
        raise RemoteError(f"{PASSWORD_ENV} must not hold control characters (a stray newline?)")
    if token:
        return _Credentials(token=token)
    if bool(user) != bool(password):
        missing = PASSWORD_ENV if user else USER_ENV
        raise RemoteError(
            f"basic authentication needs both {USER_ENV} and {PASSWORD_ENV}: {missing} is not set"
        )
    return _Credentials(user=user, password=password)


@functools.cache
def _wrapper_class() -> type[SPARQLWrapper]:
    from SPARQLWrapper import SPARQLWrapper

    class _Wrapper(SPARQLWrapper):
        """SPARQLWrapper whose ``Authorization`` header stays with the endpoint.

        SPARQLWrapper adds it with ``Request.add_header``, and urllib copies those headers into
        the request it sends to wherever a 301/302/303 redirect points, another host included;
        an unredirected header is sent to the endpoint only.
        """

        def _createRequest(self) -> urllib.request.Request:
            request: urllib.request.Request = super()._createRequest()
            authorization = request.get_header("Authorization")
            if authorization is not None:
                request.remove_header("Authorization")
                request.add_unredirected_header("Authorization", authorization)
            return request

    return _Wrapper


def _sparql(endpoint: Endpoint, credentials: _Credentials, timeout: float) -> SPARQLWrapper:
    """A SPARQLWrapper for ``endpoint``: POST, URL-encoded, content negotiation by Accept only."""
    from SPARQLWrapper import POST, URLENCODED

    if not timeout > 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    sparql = _wrapper_class()(endpoint.query_url, updateEndpoint=endpoint.update_url, agent=USER_AGENT)
    sparql.setMethod(POST)
    sparql.setRequestMethod(URLENCODED)
    sparql.setOnlyConneg(True)  # no format=/output=/results= parameters beside the Accept header
    # setTimeout() truncates to whole seconds, and 0 means no timeout at all: 0.5 s would never expire.
    sparql.timeout = timeout  # type: ignore[assignment]  # urlopen() takes a float
    if credentials.token:
        sparql.addCustomHttpHeader("Authorization", f"Bearer {credentials.token}")
    elif credentials.user and credentials.password:
        sparql.setCredentials(credentials.user, credentials.password)
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


def run_query(endpoint: Endpoint, query: str, *, timeout: float) -> tuple[bytes, str]:
    """Run ``query`` on ``endpoint``; the raw answer and its content type.

    SELECT and ASK ask for SPARQL JSON results, CONSTRUCT and DESCRIBE for N-Triples; read the
    answer with :func:`parse_results`. :class:`QueryError` for an update; :class:`RemoteError` when
    the endpoint cannot be reached, answers with an HTTP error, or not within ``timeout`` seconds.
    """
    from SPARQLWrapper import JSON, TURTLE

    credentials = _credentials()
    sparql = _sparql(endpoint, credentials, timeout)
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
    return _send(sparql, endpoint.query_url, credentials, timeout)


def _send(sparql: SPARQLWrapper, url: str, credentials: _Credentials, timeout: float) -> tuple[bytes, str]:
    try:
        response = sparql.query().response
        try:
            data: bytes = response.read()
            content_type: str = response.headers.get("Content-Type", "")
        finally:
            response.close()
    except _transport_errors() as exc:
        raise _remote_error(exc, url, credentials, timeout) from None
    return data, content_type


def _transport_errors() -> tuple[type[Exception], ...]:
    """What a request can raise besides our bugs: SPARQLWrapper's HTTP-status exceptions, urllib's
    ``HTTPError``/``URLError``, ``TimeoutError`` (socket.timeout), ``RemoteDisconnected`` and other
    ``http.client`` errors (``InvalidURL`` for a bad port)."""
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    return (SPARQLWrapperException, OSError, http.client.HTTPException, http.client.InvalidURL)


def _update(endpoint: Endpoint, update: str, credentials: _Credentials, timeout: float) -> None:
    """Run one SPARQL update on the endpoint's update URL."""
    assert endpoint.update_url is not None
    sparql = _sparql(endpoint, credentials, timeout)
    _set_query(sparql, update)  # MOVE / DROP: SPARQLWrapper posts it as update= to updateEndpoint
    _send(sparql, endpoint.update_url, credentials, timeout)


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
            f"the endpoint sent unreadable SPARQL results ({media_type}): {_first_line(str(exc))}"
        ) from None
    raise RemoteError(
        f"the endpoint did not answer with SPARQL results (content type {media_type or 'none'})"
    )


#: Seconds the clean-up after a failed push may take (at least; a longer --timeout is used as is).
DISCARD_TIMEOUT = 30.0


def push(endpoint: Endpoint, ntriples: bytes, *, graph: str | None, timeout: float) -> None:
    """Replace the remote graph ``graph`` (None: the default graph) with ``ntriples``, all or nothing.

    The data goes to a fresh temporary named graph (``urn:interp-kg:tmp:<uuid4>``) by a Graph
    Store Protocol PUT, then one update ``MOVE GRAPH <tmp> TO ...`` (atomic in Oxigraph) puts it in
    place. On any failure the temporary graph is dropped, so the target keeps its old content.
    Each request may take ``timeout`` seconds. :class:`RemoteError` on failure; when the upload
    timed out, the message names the temporary graph, which the server may still be writing.
    """
    import pyoxigraph

    if endpoint.store_url is None or endpoint.update_url is None:
        raise RemoteError(
            f"pushing to {_display(endpoint.query_url)} needs its Graph Store and update endpoints"
        )
    target = "DEFAULT"
    if graph is not None:
        try:
            target = f"GRAPH {pyoxigraph.NamedNode(graph)}"
        except ValueError as exc:
            raise RemoteError(f"not a graph IRI: {graph!r} ({exc})") from None
    credentials = _credentials()
    tmp = pyoxigraph.NamedNode(f"{TMP_GRAPH_PREFIX}{uuid.uuid4()}")
    try:
        _put(endpoint.store_url, tmp.value, ntriples, credentials, timeout)
        _update(endpoint, f"MOVE GRAPH {tmp} TO {target}", credentials, timeout)
    except BaseException as exc:
        _discard(endpoint, tmp.value, credentials, max(timeout, DISCARD_TIMEOUT))
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
    store_url: str, graph: str, method: str, credentials: _Credentials, timeout: float, data: bytes | None
) -> None:
    """One Graph Store Protocol request. SPARQLWrapper speaks only the SPARQL Protocol (query and
    update operations), so this is plain urllib, with the same User-Agent and credentials."""
    request = urllib.request.Request(_graph_url(store_url, graph), data=data, method=method)
    request.add_header("User-Agent", USER_AGENT)
    if data is not None:
        request.add_header("Content-Type", "application/n-triples")
    authorization = credentials.authorization()
    if authorization is not None:
        request.add_unredirected_header("Authorization", authorization)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except _transport_errors() as exc:
        raise _remote_error(exc, store_url, credentials, timeout) from None


def _put(store_url: str, graph: str, ntriples: bytes, credentials: _Credentials, timeout: float) -> None:
    _store_request(store_url, graph, "PUT", credentials, timeout, ntriples)


def _discard(endpoint: Endpoint, graph: str, credentials: _Credentials, timeout: float) -> None:
    """Best effort: drop the temporary graph with an update, else with a Graph Store DELETE
    (for when the update endpoint is what failed). Errors here are not reported: the one that
    made the push fail is."""
    try:
        _update(endpoint, f"DROP SILENT GRAPH <{graph}>", credentials, timeout)
        return
    except RemoteError:
        pass
    assert endpoint.store_url is not None
    with contextlib.suppress(RemoteError):  # HTTP 404 when the graph was never created
        _store_request(endpoint.store_url, graph, "DELETE", credentials, timeout, None)


def _display(url: str) -> str:
    """``url`` as shown in messages: no user info, query or fragment."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def _first_line(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line if len(line) <= _MAX_DETAIL else line[: _MAX_DETAIL - 3] + "..."


def _wrapper_detail(exc: Exception) -> str:
    """The server's message inside a SPARQLWrapper exception, which keeps only ``repr(body)`` in
    its text ("QueryBadFormed: ... \\n\\nResponse:\\nb'...'")."""
    _, found, body = str(exc).partition("\n\nResponse:\n")
    if not found:
        return ""
    try:
        value = ast.literal_eval(body)
    except (ValueError, SyntaxError):
        return ""
    return _first_line(value) if isinstance(value, bytes | str) else ""


def _http_message(url: str, status: int, detail: str, location: str | None = None) -> str:
    said = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
    if status == 404:
        return f"no SPARQL endpoint at {url} ({said})"
    if status == 401:
        return f"{url} refused access ({said}): check {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV}"
    if status == 403:
        return f"{url} forbids this ({said})"
    if 300 <= status < 400:
        where = f" to {_display(location)}" if location else ""
        return f"{url} redirected{where} ({said}): use the final URL"
    if status >= 500:
        return f"{url} failed ({said})"
    return f"{url} rejected the request ({said})"


def _remote_error(exc: BaseException, url: str, credentials: _Credentials, timeout: float) -> RemoteError:
    """A one-line :class:`RemoteError` for a failed request to ``url``, without credentials."""
    from SPARQLWrapper.SPARQLExceptions import (
        EndPointInternalError,
        EndPointNotFound,
        QueryBadFormed,
        SPARQLWrapperException,
        Unauthorized,
        URITooLong,
    )

    shown = _display(url)
    kind: type[RemoteError] = RemoteError
    status = 0
    statuses: dict[type[SPARQLWrapperException], int] = {
        QueryBadFormed: 400,
        Unauthorized: 401,
        EndPointNotFound: 404,
        URITooLong: 414,
        EndPointInternalError: 500,
    }
    if isinstance(exc, SPARQLWrapperException):
        status = statuses.get(type(exc), 0)
        message = _http_message(shown, status, _wrapper_detail(exc))
    elif isinstance(exc, urllib.error.HTTPError):  # before URLError, its base class
        try:
            body = exc.read()
        except (OSError, http.client.HTTPException):
            body = b""
        finally:
            exc.close()
        status = exc.code
        message = _http_message(shown, status, _first_line(body), exc.headers.get("Location"))
    elif isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            kind, message = RemoteTimeout, f"no answer from {shown} within {timeout:g} s"
        elif isinstance(reason, ConnectionRefusedError):
            message = f"cannot reach {shown}: connection refused"
        elif isinstance(reason, OSError):
            message = f"cannot reach {shown}: {reason.strerror or reason}"
        else:
            message = f"cannot reach {shown}: {reason}"
    elif isinstance(exc, TimeoutError):  # socket.timeout: while waiting for or reading the answer
        kind, message = RemoteTimeout, f"no answer from {shown} within {timeout:g} s"
    elif isinstance(exc, http.client.RemoteDisconnected):  # before ConnectionError, its base class
        message = f"{shown} closed the connection without answering"
    elif isinstance(exc, ConnectionError):
        message = f"lost the connection to {shown}: {exc.strerror or type(exc).__name__}"
    elif isinstance(exc, http.client.HTTPException):
        message = f"{shown} sent a malformed HTTP answer ({type(exc).__name__})"
    elif isinstance(exc, OSError):
        message = f"cannot reach {shown}: {exc.strerror or exc}"
    else:
        message = f"request to {shown} failed: {type(exc).__name__}: {_first_line(str(exc))}"
    if status == 400:
        kind = RemoteRejected
    return kind(" ".join(credentials.redact(message).split()))
