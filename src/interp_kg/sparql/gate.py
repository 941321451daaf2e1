"""The front of ``interp-kg serve``: a small HTTP server that refuses SPARQL ``SERVICE`` and passes
every other request to the Oxigraph server behind it, unchanged.

The Oxigraph server has no switch to turn SERVICE off (:mod:`interp_kg.sparql.service`), so it
listens on a private port of 127.0.0.1 and this gate on the public one. The gate reads each
request's SPARQL text where Oxigraph takes it from (the ``query`` and ``update`` parameters of the
URL and of a form body; any other request body as it is), answers HTTP 400 with a one-line
``text/plain`` reason when a text uses SERVICE or does not parse with the word in it, and
otherwise forwards the request and streams the answer back as it comes (no size cap: it is our
own server's answer, which may rightly be a large CONSTRUCT).

Limits: a request body above :data:`MAX_BODY` is refused (413), a chunked one too (411, no
SPARQL client sends one); a connection idle for :data:`IDLE_TIMEOUT` seconds is closed. The
connection to the Oxigraph server is plain ``http.client`` on the loopback interface: it is not a
remote call, and its answer is passed through, not read.
"""

from __future__ import annotations

import http.client
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from interp_kg.sparql.service import REFUSED, inspect, mentions_service

MAX_BODY = 16 * 1024 * 1024
"""Largest request body the gate reads (a SPARQL query of 16 MiB is not one a person wrote)."""
IDLE_TIMEOUT = 60.0
"""Seconds a client connection may stay silent before the gate closes it."""
BACKEND_TIMEOUT = 3600.0
"""Seconds of silence from the Oxigraph server before the gate gives up on an answer."""
_CHUNK = 64 * 1024
_HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "expect",  # the whole body is read before it is passed on
    }
)
_TEXT_PARAMS = ("query", "update")
SERVICE_REFUSED = REFUSED.replace("pass --allow-service", "start `interp-kg serve --allow-service`")


def sparql_texts(path: str, content_type: str, body: bytes) -> Iterator[str]:
    """Every SPARQL text a request may carry, as Oxigraph reads them."""
    for name, value in urllib.parse.parse_qsl(urllib.parse.urlsplit(path).query, keep_blank_values=True):
        if name in _TEXT_PARAMS:
            yield value
    if not body:
        return
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/x-www-form-urlencoded":
        for name, value in urllib.parse.parse_qsl(
            body.decode("utf-8", errors="replace"), keep_blank_values=True
        ):
            if name in _TEXT_PARAMS:
                yield value
    else:
        yield body.decode("utf-8", errors="replace")


def refusal(texts: Iterator[str]) -> str | None:
    """Why a request must not reach the server (it uses SERVICE or cannot be parsed to tell), or None."""
    for text in texts:
        if not mentions_service(text):
            continue
        verdict = inspect(text)
        if verdict.service:
            return SERVICE_REFUSED
        if verdict.syntax_error is not None:
            return f"syntax error: {verdict.syntax_error}"
    return None


class GateHandler(BaseHTTPRequestHandler):
    """One client connection (see the module docstring)."""

    server: Gate
    server_version = "interp-kg-serve"
    timeout = IDLE_TIMEOUT

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _pass(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._answer(411, "send the request with a Content-Length")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self._answer(400, "the Content-Length is not a number")
            return
        if length < 0 or length > MAX_BODY:
            self._answer(413, f"the request body is larger than {MAX_BODY} bytes")
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            return  # the client went away
        if not self.server.allow_service:
            reason = refusal(sparql_texts(self.path, self.headers.get("Content-Type", ""), body))
            if reason is not None:
                self._answer(400, reason)
                return
        self._forward(body)

    def _get(self) -> None:
        if not self._own_page():
            self._pass()

    def _own_page(self) -> bool:
        """Answer a request for the query page (:mod:`interp_kg.sparql.query_page`), if it is one."""
        from interp_kg.sparql.query_page import PATHS, query_page

        if urllib.parse.urlsplit(self.path).path not in PATHS or urllib.parse.urlsplit(self.path).query:
            return False
        payload = query_page()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            pass
        return True

    do_GET = do_HEAD = _get
    do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _pass

    def _forward(self, body: bytes) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        connection = http.client.HTTPConnection(*self.server.backend, timeout=BACKEND_TIMEOUT)
        try:
            try:
                connection.request(self.command, self.path, body=body or None, headers=headers)
                answer = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                self._answer(502, f"the Oxigraph server did not answer: {exc}")
                return
            self.send_response_only(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command == "HEAD":
                return
            while chunk := answer.read(_CHUNK):
                self.wfile.write(chunk)
        except OSError:
            pass  # the client went away: nothing to tell it
        finally:
            connection.close()
            self.close_connection = True

    def _answer(self, status: int, reason: str) -> None:
        payload = (reason + "\n").encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
        except OSError:
            pass
        self.close_connection = True


class Gate(ThreadingHTTPServer):
    """The gate's listening socket, bound at once (OSError when the address is taken); requests go
    to ``backend`` (host, port), which may be set until :meth:`start` serves them from a thread."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], *, allow_service: bool) -> None:
        super().__init__(address, GateHandler)
        self.allow_service = allow_service
        self.backend: tuple[str, int] = ("127.0.0.1", 0)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="interp-kg-serve", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()
