"""``interp-kg site serve``: a built site over HTTP on 127.0.0.1, with the content negotiation of
its ``.htaccess`` (:mod:`.conneg`), and ``/sparql`` passed on to a SPARQL endpoint (the read-only
Oxigraph server of ``interp-kg serve``) when one is given.

A resource IRI's path (``/id/paper/x``, ``/ontology``, ``/void``) answers 303 with the file for
the ``Accept`` header; files are served as they are, with their media type; nothing outside the
site folder is reachable (no directory listings, no ``..``).

A connection silent for :data:`IDLE_TIMEOUT` seconds (its request not sent, its answer not read)
is closed. Bad requests get a 400 and a client that goes away is let go; each is one line on
stderr (``site serve: 127.0.0.1: ...``), never a traceback (``INTERP_KG_DEBUG=1`` shows one for
an error of our own).
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import sys
from collections.abc import Callable
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from interp_kg.errors import InterpKgError, RemoteError
from interp_kg.site import conneg
from interp_kg.site.paths import DATA_DIR, document, stem_for_path

if TYPE_CHECKING:
    from interp_kg.http import Client

PROXY_TIMEOUT = 60.0
IDLE_TIMEOUT = 30.0
"""Seconds a connection may stay silent (not sending its request, not reading the answer)."""
#: Largest query body passed on to the SPARQL endpoint.
MAX_QUERY = 16 * 1024 * 1024
#: Headers of a SPARQL answer passed back to the client.
PASSED_HEADERS = ("Content-Type", "Content-Disposition")


def query_url(endpoint: str) -> str:
    """The SPARQL query URL of ``endpoint``: an Oxigraph base URL (no path) gets ``/query``."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InterpKgError(f"--sparql-endpoint must be an http(s) URL, got {endpoint!r}")
    return endpoint.rstrip("/") + "/query" if parts.path in ("", "/") else endpoint


class SiteHandler(BaseHTTPRequestHandler):
    """Serves one site folder; see the module docstring."""

    server_version = "interp-kg-site"
    timeout = IDLE_TIMEOUT

    def __init__(
        self,
        *args: object,
        root: Path,
        sparql: str | None,
        client: Client | None,
        **kwargs: object,
    ) -> None:
        self.root = root
        self.sparql = sparql
        self.client = client
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass  # no access log: only what went wrong

    def log_message(self, format: str, *args: object) -> None:
        log(f"{self.client_address[0]}: {format % args}")

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError) as exc:
            self.close_connection = True
            log(f"{self.client_address[0]}: the client went away ({type(exc).__name__})")
        except Exception as exc:
            self.close_connection = True
            if os.environ.get("INTERP_KG_DEBUG"):
                raise
            path = getattr(self, "path", "")
            log(f"{self.client_address[0]}: internal error on {path!r}: {type(exc).__name__}: {exc}")
            with contextlib.suppress(Exception):
                self._status(500, "internal error")

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if "\x00" in unquote(self.path) or any(ord(c) < 32 for c in self.path):
            self.send_error(400, "control characters in the path")
            return False
        return True

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_POST(self) -> None:
        if urlsplit(self.path).path == "/sparql":
            self._proxy()
        else:
            self._status(405, "only /sparql takes POST")

    def _status(self, code: int, message: str, body: bool = True) -> None:
        data = (message + "\n").encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _redirect(self, target: str) -> None:
        self.send_response(303)
        self.send_header("Location", target)
        self.send_header("Vary", "Accept")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, body: bool) -> None:
        raw = urlsplit(self.path).path
        if raw == "/sparql":
            self._proxy()
            return
        rel = raw.lstrip("/")
        if rel in conneg.FIXED:
            self._redirect("/" + conneg.FIXED[rel])
            return
        if conneg.is_negotiated(rel):
            stem = stem_for_path(rel[len(DATA_DIR) + 1 :]) if rel.startswith(DATA_DIR + "/") else rel
            ext = conneg.negotiate(self.headers.get("Accept"))
            chunk = document(stem) if stem is not None else None
            fragment = ""
            if chunk is not None:
                stem, fragment = chunk[0], ("#" + chunk[1] if ext == "html" else "")
            if stem is None or not (self.root / f"{stem}.{ext}").is_file():
                self._status(404, "no such resource", body)
                return
            self._redirect("/" + quote(f"{stem}.{ext}") + fragment)
            return
        self._file(unquote(rel) or "index.html", body)

    def _file(self, rel: str, body: bool) -> None:
        clean = posixpath.normpath("/" + rel).lstrip("/")
        path = (self.root / clean).resolve()
        if path.is_dir() and (path / "index.html").is_file():  # a folder: its index (dumps/)
            path = path / "index.html"
        if not path.is_relative_to(self.root) or not path.is_file() or clean.startswith("."):
            self._status(404, "not found", body)
            return
        ext = path.name.rsplit(".", 1)[-1] if "." in path.name else ""
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", conneg.CONTENT_TYPES.get(ext, "application/octet-stream"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _proxy(self) -> None:
        if self.sparql is None or self.client is None:
            self._status(404, "no SPARQL endpoint: start `interp-kg site serve` with --sparql-endpoint URL")
            return
        query = urlsplit(self.path).query
        url = self.sparql + ("?" + query if query else "")
        data = None
        headers = {"Accept": self.headers.get("Accept", "*/*")}
        if self.command == "POST":
            declared = (self.headers.get("Content-Length") or "0").strip()
            if not declared.isdigit() or int(declared) > MAX_QUERY:
                self._status(400 if not declared.isdigit() else 413, f"bad Content-Length: {declared!r}")
                return
            data = self.rfile.read(int(declared))
            headers["Content-Type"] = self.headers.get("Content-Type", "application/sparql-query")
        try:  # the one HTTP client: its timeout, size cap and same-host redirects; answers passed on
            answer = self.client.request(self.command, url, content=data, headers=headers, any_status=True)
        except RemoteError as exc:
            self._status(502, f"the SPARQL endpoint did not answer: {exc}")
            return
        self.send_response(answer.status)
        for name in PASSED_HEADERS:
            if answer.headers.get(name.lower()):
                self.send_header(name, answer.headers[name.lower()])
        self.send_header("Content-Length", str(len(answer.content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.content)


def log(line: str) -> None:
    """One line of the server's log, on stderr."""
    print(f"site serve: {line}", file=sys.stderr, flush=True)


class SiteServer(ThreadingHTTPServer):
    """The site's server: one thread per connection, each closed when idle (``IDLE_TIMEOUT``)."""

    daemon_threads = True
    #: socketserver's 5 drops a burst of connections (their SYNs are retried after 1 s, 3 s...)
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        exc = sys.exc_info()[1]
        log(f"{client_address}: {type(exc).__name__}: {exc}")  # not the traceback socketserver prints


def make_server(
    root: Path,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    sparql: str | None = None,
    idle_timeout: float = IDLE_TIMEOUT,
) -> ThreadingHTTPServer:
    """A server for the site at ``root`` (not started); ``port`` 0 picks a free port."""
    if not (root / "index.html").is_file():
        raise InterpKgError(
            f"{root} is not a built site (no index.html): run `interp-kg site build -o {root}`"
        )
    client = None
    if sparql:
        from interp_kg.http import Client, HttpPolicy

        client = Client(HttpPolicy(timeout=PROXY_TIMEOUT, read_timeout=PROXY_TIMEOUT))
    timed = type("SiteHandler", (SiteHandler,), {"timeout": idle_timeout})
    handler = partial(timed, root=root.resolve(), sparql=query_url(sparql) if sparql else None, client=client)
    try:
        return SiteServer((host, port), handler)
    except OSError as exc:
        raise InterpKgError(f"cannot listen on {host}:{port}: {exc.strerror}") from None


def serve(
    root: Path, *, port: int, sparql: str | None = None, ready: Callable[[str], None] | None = None
) -> None:
    """Serve until interrupted."""
    server = make_server(root, port=port, sparql=sparql)
    host, bound = server.server_address[:2]
    if ready is not None:
        ready(f"http://{host!s}:{bound}")
    try:
        server.serve_forever()
    finally:
        server.server_close()
