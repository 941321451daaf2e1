"""``interp-kg site serve``: a built site over HTTP on 127.0.0.1, with the content negotiation of
its ``.htaccess`` (:mod:`.conneg`), and ``/sparql`` passed on to a SPARQL endpoint (the read-only
Oxigraph server of ``interp-kg serve``) when one is given.

A resource IRI's path (``/id/paper/x``, ``/ontology``, ``/void``) answers 303 with the file for
the ``Accept`` header; files are served as they are, with their media type; nothing outside the
site folder is reachable (no directory listings, no ``..``).
"""

from __future__ import annotations

import posixpath
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

    def __init__(
        self, *args: object, root: Path, sparql: str | None, client: Client | None, **kwargs: object
    ) -> None:
        self.root = root
        self.sparql = sparql
        self.client = client
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def log_message(self, format: str, *args: object) -> None:
        pass

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
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
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


def make_server(
    root: Path, *, port: int = 8000, host: str = "127.0.0.1", sparql: str | None = None
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
    handler = partial(
        SiteHandler, root=root.resolve(), sparql=query_url(sparql) if sparql else None, client=client
    )
    try:
        return ThreadingHTTPServer((host, port), handler)
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
