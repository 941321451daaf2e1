"""Slow, idle and malformed clients against `serve` and `site serve` (issue 15, finding 8): hundreds
of slow connections do not stop `serve` answering another client; a request trickled byte by byte
is cut at its deadline; at the connection cap the slowest is dropped for a newcomer; `site serve`
closes idle connections and logs a bad request or a vanished client in one line, no traceback.

Real servers on 127.0.0.1; clients are raw sockets. Nothing sleeps to synchronise: the tests read
with a timeout until the server answers or closes, within a deadline."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from interp_kg.site.build import build_site
from interp_kg.site.serve import make_server
from interp_kg.sparql.gate import Gate, Limits
from tests.local_http import Recorder, serving
from tests.oxigraph_server import free_port

SLOW = 300
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def answer_or_close(sock: socket.socket, deadline: float = 10.0) -> bytes:
    """What the server sends until it closes the connection (within ``deadline`` seconds)."""
    sock.settimeout(deadline)
    data = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            data += chunk
    return data


def still_open(sock: socket.socket) -> bool:
    """Whether the server has neither answered nor closed ``sock`` (a look, no wait)."""
    sock.setblocking(False)
    try:
        sock.recv(1, socket.MSG_PEEK)  # an answer, or b"" for a close
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def get(url: str, timeout: float = 10.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


# ---------------------------------------------------------------- serve: the gate, end to end


@pytest.fixture(scope="module")
def served(bundled_store_dir: Path) -> Iterator[str]:
    """``interp-kg serve`` as a user runs it, in its own process."""
    port = free_port()
    command = [sys.executable, "-m", "interp_kg", "serve", "--port", str(port)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "INTERP_KG_STORE": str(bundled_store_dir)}
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith("serving "), "the server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 0


def test_serve_answers_while_300_slow_connections_are_open(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    slow = []
    try:
        for n in range(SLOW):
            sock = connect(port)
            sock.sendall(f"GET /query?query=SELECT{n}".encode())  # a request line that never ends
            slow.append(sock)
        started = time.monotonic()
        status, body = get(f"{served}/query?{urllib.parse.urlencode({'query': COUNT})}")
        assert status == 200 and b'"n"' in body
        assert time.monotonic() - started < 5, "answered, but slowly"
        assert sum(still_open(s) for s in slow) == SLOW, "the slow clients are held, not dropped"
    finally:
        for sock in slow:
            sock.close()


def test_serve_refuses_a_non_numeric_content_length(served: str) -> None:
    port = int(served.rsplit(":", 1)[1])
    with connect(port) as sock:
        sock.sendall(b"POST /query HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n")
        assert answer_or_close(sock).startswith(b"HTTP/1.0 400 ")


# ---------------------------------------------------------------- the gate's limits, in process


@pytest.fixture
def gate(recorder: Recorder) -> Iterator[Gate]:
    """A gate with short limits in front of the recording server."""
    limits = Limits(max_connections=20, header_timeout=0.5, request_timeout=1.0, workers=2)
    front = Gate(("127.0.0.1", 0), allow_service=False, limits=limits)
    front.backend = ("127.0.0.1", int(recorder.url.rsplit(":", 1)[1]))
    front.start()
    try:
        yield front
    finally:
        front.stop()


def test_a_request_trickled_byte_by_byte_is_cut_at_its_deadline(gate: Gate, recorder: Recorder) -> None:
    """The old gate closed a connection only after 60 s of silence: a byte every few seconds
    kept it, and its thread, forever."""
    started = time.monotonic()
    with connect(gate.server_address[1]) as sock:
        sock.settimeout(0.05)  # the trickle's pace: one byte each time the server stays silent
        answer = b""
        for byte in b"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000:
            try:
                sock.send(bytes([byte]))
                answer = sock.recv(4096)
            except TimeoutError:
                continue
            except ConnectionError:
                break
            break
        elapsed = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.0 408 "), answer
    assert 0.5 <= elapsed < 5, elapsed
    assert recorder.requests == []


def test_at_the_cap_the_slowest_connection_makes_room(gate: Gate, recorder: Recorder) -> None:
    port = gate.server_address[1]
    slow = [connect(port) for _ in range(20)]
    for sock in slow:
        sock.sendall(b"GET /query?q")
    try:
        deadline = time.monotonic() + 10
        while gate.connections < 20 and time.monotonic() < deadline:  # accepted by the gate's loop
            time.sleep(0.01)
        status, _ = get(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D")
        assert status == 200
        assert answer_or_close(slow[0]).startswith(b"HTTP/1.0 503 "), "the oldest is dropped"
        assert still_open(slow[-1])
    finally:
        for sock in slow:
            sock.close()
    assert [r.path for r in recorder.requests] == ["/query?query=ASK%7B%7D"]


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"POST /query HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
        (b"POST /query HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", 413),
        (b"POST /query HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        (b"GET /query HTTP/1.1\r\nX: " + b"a" * 70000 + b"\r\n\r\n", 431),
        (b"NONSENSE\r\n\r\n", 400),
    ],
)
def test_malformed_requests_are_refused_in_one_line(gate: Gate, request_bytes: bytes, status: int) -> None:
    with connect(gate.server_address[1]) as sock:
        sock.sendall(request_bytes)
        answer = answer_or_close(sock)
    assert answer.startswith(f"HTTP/1.0 {status} ".encode()), answer[:100]
    reason = answer.split(b"\r\n\r\n", 1)[1]
    assert reason.endswith(b"\n") and reason.count(b"\n") == 1, reason


def test_a_body_is_passed_on_whole(gate: Gate, recorder: Recorder) -> None:
    body = b"ASK { ?s ?p ?o }" + b" " * 200_000
    with connect(gate.server_address[1]) as sock:
        head = f"POST /query HTTP/1.1\r\nContent-Length: {len(body)}\r\nExpect: 100-continue\r\n\r\n"
        sock.sendall(head.encode())
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(body)
        assert answer_or_close(sock).startswith(b"HTTP/1.0 200 ")
    assert recorder.requests[0].body == body


# ---------------------------------------------------------------- site serve


@pytest.fixture(scope="module")
def site(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("slow") / "site"
    build_site(bundled_store_dir, out, jobs=1)
    return out


@pytest.fixture
def site_url(site: Path, recorder: Recorder) -> Iterator[str]:
    with serving(make_server(site, port=0, sparql=f"{recorder.url}/sparql", idle_timeout=0.5)) as url:
        yield url


def test_site_serve_closes_idle_connections_and_serves_others(site_url: str) -> None:
    port = int(site_url.rsplit(":", 1)[1])
    idle = [connect(port) for _ in range(50)]
    try:
        status, _ = get(f"{site_url}/index.html")
        assert status == 200
        started = time.monotonic()
        for sock in idle:
            assert answer_or_close(sock, deadline=5) == b""  # closed, not answered
        assert time.monotonic() - started < 5
    finally:
        for sock in idle:
            sock.close()


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /id/%00x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /id/\x00x HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        (b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n", 400),
    ],
)
def test_site_serve_answers_bad_requests_with_one_log_line(
    site_url: str, recorder: Recorder, capfd: pytest.CaptureFixture[str], request_bytes: bytes, status: int
) -> None:
    with connect(int(site_url.rsplit(":", 1)[1])) as sock:
        sock.sendall(request_bytes)
        assert answer_or_close(sock).startswith(f"HTTP/1.0 {status} ".encode())
    assert get(f"{site_url}/index.html")[0] == 200, "still serving"
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert len(err.splitlines()) <= 1 and all(line.startswith("site serve: ") for line in err.splitlines())
    assert recorder.requests == []


def test_site_serve_logs_a_vanished_client_in_one_line(
    site_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with connect(int(site_url.rsplit(":", 1)[1])) as sock:
        sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")  # the request is not finished
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
    assert get(f"{site_url}/index.html")[0] == 200
    deadline = time.monotonic() + 5
    err = ""
    while "went away" not in err and time.monotonic() < deadline:
        err += capfd.readouterr().err
        time.sleep(0.01)
    assert "Traceback" not in err
    assert [line for line in err.splitlines() if line] == [
        line for line in err.splitlines() if line.startswith("site serve: 127.0.0.1: the client went away")
    ]
    assert "went away" in err
