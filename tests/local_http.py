"""A real HTTP server of the tests' own, on 127.0.0.1, served from a thread; and a fake clock
for :class:`interp_kg.http.Client` that records waits instead of waiting."""

from __future__ import annotations

import base64
import contextlib
import socketserver
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interp_kg.sparql.remote import Endpoint

EMPTY_SOLUTIONS = b'{"head":{"vars":["x"]},"results":{"bindings":[]}}'
CHUNK = 1024 * 1024
GIB = 1024 * CHUNK


@contextlib.contextmanager
def serving(server: socketserver.BaseServer, poll_interval: float = 0.01) -> Iterator[str]:
    """Serve ``server`` (bound to 127.0.0.1) until the block ends; yields its base URL."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Answer:
    """What the recording server answers on one path."""

    status: int = 200
    content_type: str = "application/sparql-results+json"
    body: bytes = EMPTY_SOLUTIONS
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False  # answer nothing until the test sets Recorder.release
    hang_up: bool = False  # close the connection without an answer
    echo_authorization: bool = False  # put the Authorization header in the body
    stream: int = 0  # instead of ``body``: this many bytes, generated as they are sent
    declare_length: bool = True  # with ``stream``: a Content-Length (else the body ends at close)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Recorder:
    """A tiny HTTP server on 127.0.0.1 that records requests and answers per path."""

    url: str = ""
    answers: dict[str, Answer | list[Answer]] = field(
        default_factory=dict
    )  # a list: one each, the last repeats
    requests: list[Request] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    arrived: threading.Event = field(default_factory=threading.Event)  # set at each request
    sent: dict[str, int] = field(default_factory=dict)  # bytes of a ``stream`` answer sent, by path
    streamed: threading.Event = field(default_factory=threading.Event)  # set when one is over

    @property
    def endpoint(self) -> Endpoint:
        from interp_kg.sparql.remote import Endpoint

        return Endpoint.from_url(self.url)


class _Handler(BaseHTTPRequestHandler):
    recorder: Recorder

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.recorder.requests.append(Request(self.command, self.path, dict(self.headers.items()), body))
        self.recorder.arrived.set()
        path = urllib.parse.urlsplit(self.path).path
        answer = self.recorder.answers.get(path, Answer())
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if answer.hold:
            self.recorder.release.wait()
            return
        if answer.hang_up:
            return
        if answer.stream:
            self._stream(path, answer)
            return
        payload = answer.body
        if answer.echo_authorization:
            authorization = self.headers.get("Authorization", "")
            scheme, _, value = authorization.partition(" ")
            decoded = base64.b64decode(value).decode() if scheme == "Basic" else value
            payload = f"bad credentials {authorization} ({decoded})\nsecond line".encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, path: str, answer: Answer) -> None:
        """``answer.stream`` bytes in 1 MiB chunks, made as they go (never held in memory), until
        the client stops reading; the bytes sent are recorded."""
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        if answer.declare_length:
            self.send_header("Content-Length", str(answer.stream))
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        chunk = b'{"head":{"vars":["x"]},"results":{"bindings":[' + b" " * (CHUNK - 45)
        sent = 0
        try:
            while sent < answer.stream:
                piece = chunk[: answer.stream - sent]
                self.wfile.write(piece)
                sent += len(piece)
                chunk = b" " * CHUNK
        except OSError:  # the client closed the connection
            pass
        finally:
            self.recorder.sent[path] = sent
            self.recorder.streamed.set()

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def recording() -> Iterator[Recorder]:
    """A :class:`Recorder` serving on 127.0.0.1 until the block ends (held answers released)."""
    record = Recorder()
    handler = type("Handler", (_Handler,), {"recorder": record})
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as url:
        record.url = url
        try:
            yield record
        finally:
            record.release.set()


class FakeClock:
    """An :class:`interp_kg.http.Clock` that only moves when ``sleep`` is called: it records the
    waits and never waits."""

    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
