"""The front of ``interp-kg serve``: a small HTTP server that refuses SPARQL ``SERVICE`` and passes
every other request to the Oxigraph server behind it, unchanged; and that slow or idle clients
cannot exhaust.

The Oxigraph server has no switch to turn SERVICE off (:mod:`interp_kg.sparql.service`), so it
listens on a private port of 127.0.0.1 and this gate on the public one. The gate reads each
request's SPARQL text where Oxigraph takes it from (the ``query`` and ``update`` parameters of the
URL and of a form body; any other request body as it is), answers HTTP 400 with a one-line
``text/plain`` reason when a text uses SERVICE or does not parse with the word in it, and
otherwise forwards the request and streams the answer back as it comes (no size cap: it is our
own server's answer, which may rightly be a large CONSTRUCT).

How slow clients are held off (:class:`Limits`): one thread reads every connection's request
without blocking (a ``selectors`` loop), so a connection costs a socket and its buffer, never a
thread. A request must arrive whole in time: its line and headers within ``header_timeout``, its
body within ``request_timeout`` (a client sending a byte now and then gets 408 all the same). At
most ``max_connections`` are open (fewer if the limit on open files, raised as far as allowed,
is lower); at the cap, the connection that has been sending its request
the longest is dropped (503) to make room, so new clients are always heard. Only complete
requests reach the ``workers`` threads, which check and forward them; an answer that does not
move for ``send_timeout`` seconds (a client that stops reading) is abandoned. A request body
above :data:`MAX_BODY` is refused (413), a chunked one too (411, no SPARQL client sends one), a
head above ``max_header_bytes`` too (431). Each connection carries one request
(``Connection: close``).

The connection to the Oxigraph server is plain ``http.client`` on the loopback interface: it is
not a remote call, and its answer is passed through, not read.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import queue
import selectors
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field

from interp_kg.sparql.service import REFUSED, inspect, mentions_service

MAX_BODY = 16 * 1024 * 1024
"""Largest request body the gate reads (a SPARQL query of 16 MiB is not one a person wrote)."""
IDLE_TIMEOUT = 60.0
"""Seconds a request may take to arrive whole (its body included)."""
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
_SPARE_DESCRIPTORS = 128
"""Open files kept for the rest of the process (the store, the connections to Oxigraph)."""
_LINGER = 2.0
"""Seconds a refused connection is read (and what comes dropped) before it is closed."""
SERVICE_REFUSED = REFUSED.replace("pass --allow-service", "start `interp-kg serve --allow-service`")
_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    411: "Length Required",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


@dataclass(frozen=True)
class Limits:
    """What one client may cost the gate (see the module docstring)."""

    max_connections: int = 1024
    header_timeout: float = 10.0
    request_timeout: float = IDLE_TIMEOUT
    send_timeout: float = 30.0
    workers: int = 16
    max_header_bytes: int = 64 * 1024
    max_body: int = MAX_BODY
    max_buffered: int = 256 * 1024 * 1024
    """Bytes of requests held at once, all connections together (bodies waiting for a worker)."""


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


@dataclass
class _Connection:
    """A client connection whose request is still arriving."""

    sock: socket.socket
    started: float
    buf: bytearray = field(default_factory=bytearray)
    head_end: int = -1  # where the body starts, once the head is complete
    length: int = 0  # the body's length, once the head is read
    method: str = ""
    target: str = ""
    headers: http.client.HTTPMessage | None = None
    closing: bool = False  # answered by the gate: what the client still sends is read and dropped


@dataclass(frozen=True)
class _Request:
    """A complete request, for a worker."""

    sock: socket.socket
    method: str
    target: str
    headers: http.client.HTTPMessage
    body: bytes


class _Refused(Exception):
    """A request the gate answers itself (status, one-line reason)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Gate:
    """The gate's listening socket, bound at once (OSError when the address is taken); requests go
    to ``backend`` (host, port), which may be set until :meth:`start` serves them from a thread."""

    def __init__(
        self, address: tuple[str, int], *, allow_service: bool, limits: Limits | None = None
    ) -> None:
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.socket = socket.create_server(address, family=family, backlog=1024)
        self.socket.setblocking(False)
        self.server_address = self.socket.getsockname()
        self.allow_service = allow_service
        self.limits = limits or Limits()
        self.max_connections = _descriptors_for(self.limits.max_connections)
        self.backend: tuple[str, int] = ("127.0.0.1", 0)
        self._selector = selectors.DefaultSelector()
        self._reading: dict[socket.socket, _Connection] = {}
        self._busy = 0  # requests handed to the workers, not yet answered
        self._idle = 0  # workers waiting for a request
        self._buffered = 0  # bytes of requests held (reading and handed over)
        self._lock = threading.Lock()
        self._work: queue.SimpleQueue[_Request | None] = queue.SimpleQueue()
        self._wake_r, self._wake_w = socket.socketpair()
        self._stopping = False
        self._paused_until = 0.0
        self._threads: list[threading.Thread] = []

    # -- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Serve from threads of its own until :meth:`stop`."""
        self._selector.register(self.socket, selectors.EVENT_READ)
        self._selector.register(self._wake_r, selectors.EVENT_READ)
        loop = threading.Thread(target=self._loop, name="interp-kg-serve", daemon=True)
        self._threads.append(loop)
        loop.start()

    def stop(self) -> None:
        """Stop serving and close every connection (answers being sent are cut)."""
        self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_w.send(b"x")
        for _ in self._threads[1:]:
            self._work.put(None)
        deadline = time.monotonic() + 5.0  # workers still sending are daemons: not waited for longer
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        for conn in list(self._reading.values()):
            self._close(conn)
        self._selector.close()
        for sock in (self.socket, self._wake_r, self._wake_w):
            sock.close()

    @property
    def connections(self) -> int:
        """Client connections open now."""
        with self._lock:
            return len(self._reading) + self._busy

    # -- the reading loop ------------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stopping:
            events = self._selector.select(timeout=self._next_deadline())
            now = time.monotonic()
            for key, _ in events:
                if key.fileobj is self.socket:
                    self._accept(now)
                elif key.fileobj is self._wake_r:
                    return
                else:
                    conn = self._reading.get(key.fileobj)  # type: ignore[call-overload]
                    if conn is not None:
                        self._receive(conn)
            self._expire(time.monotonic())
            if self._paused_until and time.monotonic() >= self._paused_until:
                self._paused_until = 0.0
                self._selector.register(self.socket, selectors.EVENT_READ)

    def _next_deadline(self) -> float:
        if self._paused_until:
            return 0.1
        if not self._reading:
            return 1.0
        now = time.monotonic()
        soonest = min(self._deadline(c) for c in self._reading.values())
        return min(1.0, max(0.0, soonest - now))

    def _deadline(self, conn: _Connection) -> float:
        if conn.closing:
            return conn.started + _LINGER
        timeout = self.limits.header_timeout if conn.head_end < 0 else self.limits.request_timeout
        return conn.started + timeout

    def _expire(self, now: float) -> None:
        for conn in [c for c in self._reading.values() if self._deadline(c) <= now]:
            if conn.closing:
                self._close(conn)
            else:
                self._refuse(conn, 408, "the request did not arrive in time")

    def _accept(self, now: float) -> None:
        while True:
            try:
                sock, _ = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, all the same: make room, else wait for some
                if not self._make_room():
                    self._pause_accepting(now)
                return
            sock.setblocking(False)
            conn = _Connection(sock, now)
            if self.connections >= self.max_connections and not self._make_room():
                self._refuse(conn, 503, "too many connections: try again", registered=False)
                continue
            with self._lock:
                self._reading[sock] = conn
            self._selector.register(sock, selectors.EVENT_READ)

    def _pause_accepting(self, now: float) -> None:
        """Stop accepting for a moment (the kernel's backlog holds the clients meanwhile)."""
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(self.socket)
        self._paused_until = now + 0.1

    def _make_room(self) -> bool:
        """Drop the connection that has been sending its request the longest; False when none is."""
        if not self._reading:
            return False
        oldest = min(self._reading.values(), key=lambda c: (not c.closing, c.started))
        if oldest.closing:
            self._close(oldest)
        else:
            self._refuse(oldest, 503, "too many connections: this request took too long to arrive")
        return True

    def _receive(self, conn: _Connection) -> None:
        try:
            data = conn.sock.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._close(conn)  # the client went away, or read our answer and closed
            return
        if conn.closing:
            return  # the rest of a refused request: dropped
        with self._lock:
            if self._buffered + len(data) > self.limits.max_buffered:
                full = True
            else:
                full = False
                self._buffered += len(data)
        if full:
            self._refuse(conn, 503, "the server is busy: try again")
            return
        conn.buf += data
        try:
            if conn.head_end < 0:
                self._read_head(conn)
            if conn.head_end >= 0 and len(conn.buf) - conn.head_end >= conn.length:
                self._hand_over(conn)
        except _Refused as refused:
            self._refuse(conn, refused.status, refused.reason)

    def _read_head(self, conn: _Connection) -> None:
        buf = conn.buf
        ends = [(i, n) for i, n in ((buf.find(b"\r\n\r\n"), 4), (buf.find(b"\n\n"), 2)) if i >= 0]
        if not ends:
            if len(buf) > self.limits.max_header_bytes:
                raise _Refused(431, f"the request head is larger than {self.limits.max_header_bytes} bytes")
            return
        end, size = min(ends)
        if end > self.limits.max_header_bytes:
            raise _Refused(431, f"the request head is larger than {self.limits.max_header_bytes} bytes")
        line, _, rest = bytes(buf[:end]).partition(b"\n")
        parts = line.decode("latin-1").strip().split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise _Refused(400, "not an HTTP/1 request line")
        try:
            headers = http.client.parse_headers(io.BytesIO(rest + b"\r\n\r\n"))
        except http.client.HTTPException:
            raise _Refused(431, "too many or too long request headers") from None
        if "chunked" in headers.get("Transfer-Encoding", "").lower():
            raise _Refused(411, "send the request with a Content-Length")
        lengths = headers.get_all("Content-Length") or ["0"]
        if len(set(lengths)) != 1 or not lengths[0].strip().isdigit():
            raise _Refused(400, "the Content-Length is not a number")
        length = int(lengths[0])
        if length > self.limits.max_body:
            raise _Refused(413, f"the request body is larger than {self.limits.max_body} bytes")
        conn.method, conn.target, conn.headers = parts[0], parts[1], headers
        conn.head_end, conn.length = end + size, length
        if length and headers.get("Expect", "").lower() == "100-continue":
            with contextlib.suppress(OSError):
                conn.sock.send(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _hand_over(self, conn: _Connection) -> None:
        self._selector.unregister(conn.sock)
        body = bytes(conn.buf[conn.head_end : conn.head_end + conn.length])
        assert conn.headers is not None
        with self._lock:
            del self._reading[conn.sock]
            self._busy += 1
            self._buffered -= len(conn.buf) - len(body)
            spawn = self._idle == 0 and len(self._threads) - 1 < self.limits.workers
        if spawn:  # workers are started as requests need them, up to the limit
            worker = threading.Thread(
                target=self._worker, name=f"interp-kg-serve-{len(self._threads)}", daemon=True
            )
            self._threads.append(worker)
            worker.start()
        self._work.put(_Request(conn.sock, conn.method, conn.target, conn.headers, body))

    def _refuse(self, conn: _Connection, status: int, reason: str, *, registered: bool = True) -> None:
        """Answer ``status`` with ``reason`` as far as the socket takes it at once, and close: at
        once when the connection is not ours yet (``registered``), else after reading what the
        client still sends for up to :data:`_LINGER` seconds (closing with unread data would
        reset the connection, and the client could lose the answer)."""
        with contextlib.suppress(OSError):
            conn.sock.send(_plain(status, reason, head_only=conn.method == "HEAD"))
        if not registered:
            conn.sock.close()
            return
        with contextlib.suppress(OSError):
            conn.sock.shutdown(socket.SHUT_WR)
        with self._lock:
            self._buffered -= len(conn.buf)
        conn.buf = bytearray()
        conn.closing, conn.started = True, time.monotonic()

    def _close(self, conn: _Connection, *, registered: bool = True) -> None:
        if registered:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(conn.sock)
        with self._lock:
            if self._reading.pop(conn.sock, None) is not None:
                self._buffered -= len(conn.buf)
        conn.sock.close()

    # -- the workers -----------------------------------------------------------------------------

    def _worker(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            request = self._work.get()
            with self._lock:
                self._idle -= 1
            if request is None:
                return
            try:
                request.sock.setblocking(True)
                request.sock.settimeout(self.limits.send_timeout)
                self._serve(request)
            except OSError:
                pass  # the client went away or stopped reading: nothing to tell it
            finally:
                with contextlib.suppress(OSError):
                    request.sock.shutdown(socket.SHUT_WR)
                request.sock.close()
                with self._lock:
                    self._busy -= 1
                    self._buffered -= len(request.body)

    def _serve(self, request: _Request) -> None:
        if request.method in ("GET", "HEAD") and _own_page(request):
            return
        if not self.allow_service:
            texts = sparql_texts(request.target, request.headers.get("Content-Type", ""), request.body)
            reason = refusal(texts)
            if reason is not None:
                request.sock.sendall(_plain(400, reason, head_only=request.method == "HEAD"))
                return
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        connection = http.client.HTTPConnection(*self.backend, timeout=BACKEND_TIMEOUT)
        try:
            try:
                connection.request(request.method, request.target, body=request.body or None, headers=headers)
                answer = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                request.sock.sendall(_plain(502, f"the Oxigraph server did not answer: {exc}"))
                return
            head = [f"HTTP/1.0 {answer.status} {answer.reason}"]
            head += [
                f"{name}: {value}" for name, value in answer.getheaders() if name.lower() not in _HOP_BY_HOP
            ]
            head.append("Connection: close")
            request.sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
            if request.method == "HEAD":
                return
            while chunk := answer.read(_CHUNK):
                request.sock.sendall(chunk)
        finally:
            connection.close()


def _own_page(request: _Request) -> bool:
    """Answer a request for the query page (:mod:`interp_kg.sparql.query_page`), if it is one."""
    from interp_kg.sparql.query_page import PATHS, query_page

    parts = urllib.parse.urlsplit(request.target)
    if parts.path not in PATHS or parts.query:
        return False
    payload = query_page()
    head = (
        "HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
    )
    request.sock.sendall(head.encode("latin-1") + (b"" if request.method == "HEAD" else payload))
    return True


def _descriptors_for(connections: int) -> int:
    """How many client connections the process can hold, up to ``connections``: the limit on open
    files is raised as far as allowed, and what the rest of the process needs is kept."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + _SPARE_DESCRIPTORS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        raised = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
    if soft == resource.RLIM_INFINITY:
        return connections
    return max(1, min(connections, soft - _SPARE_DESCRIPTORS))


def _plain(status: int, reason: str, *, head_only: bool = False) -> bytes:
    """A whole ``text/plain`` answer holding ``reason``."""
    payload = (reason + "\n").encode("utf-8")
    head = (
        f"HTTP/1.0 {status} {_REASONS.get(status, 'Error')}\r\n"
        "Server: interp-kg-serve\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "Connection: close\r\n\r\n"
    ).encode("ascii")
    return head if head_only else head + payload
