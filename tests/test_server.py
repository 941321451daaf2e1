"""``serve()``: the current build behind a read-only Oxigraph server, stopped by a signal."""

from __future__ import annotations

import shutil
import signal
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pyoxigraph as px
import pytest

from interp_kg.errors import InterpKgError, RemoteError, StoreError
from interp_kg.sparql.remote import Endpoint, parse_results, push, run_query
from interp_kg.sparql.server import oxigraph_binary, serve
from interp_kg.store.builds import open_store
from tests.oxigraph_server import free_port

COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Stop(Exception):
    """Raised by a ``ready`` callback to end a test's server."""


def refused(url: str) -> bool:
    try:
        urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=5)
    except urllib.error.URLError as exc:
        return isinstance(exc.reason, ConnectionRefusedError)
    return False


def update_status(url: str) -> int:
    """The HTTP status of an INSERT DATA sent to the server at ``url``."""
    update = urllib.request.Request(
        f"{url}/update",
        data=b"update=INSERT+DATA+%7B%3Curn%3Aa%3E+%3Curn%3Ab%3E+%3Curn%3Ac%3E%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(update, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def test_oxigraph_binary_is_the_installed_server() -> None:
    path = Path(oxigraph_binary())
    assert path.name == "oxigraph" and path.is_file()


def test_oxigraph_binary_missing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(InterpKgError, match="install it with pip install oxigraph"):
        oxigraph_binary()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_serve_answers_queries_refuses_updates_and_stops_on_a_signal(
    bundled_store_dir: Path, signum: signal.Signals
) -> None:
    seen: list[str] = []

    def ready(url: str) -> None:
        seen.append(url)
        endpoint = Endpoint.from_url(url)
        results = parse_results(*run_query(endpoint, COUNT_ALL, timeout=10))
        assert isinstance(results, px.QuerySolutions)
        n = next(results)["n"]
        del results  # unsendable: dropped here, in this thread, not by a collection in another one
        assert isinstance(n, px.Literal)
        assert int(n.value) == len(open_store(bundled_store_dir))
        assert update_status(url) == 403
        with pytest.raises(RemoteError, match=r"HTTP 403: The server is read-only"):
            push(endpoint, b"<urn:a> <urn:b> <urn:c> .\n", graph=None, timeout=10)
        signal.raise_signal(signum)  # as if the user pressed Ctrl-C / the service manager stopped us

    port = free_port()
    assert serve(bundled_store_dir, port=port, ready=ready) == 0
    assert seen == [f"http://127.0.0.1:{port}"]
    assert refused(seen[0])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_serve_stops_the_server_when_ready_fails(bundled_store_dir: Path) -> None:
    seen: list[str] = []

    def ready(url: str) -> None:
        seen.append(url)
        raise Stop

    with pytest.raises(Stop):
        serve(bundled_store_dir, port=free_port(), ready=ready)
    assert refused(seen[0])
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_serve_reports_a_port_in_use(bundled_store_dir: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            InterpKgError, match=f"could not start on 127.0.0.1:{port}: Address already in use"
        ):
            serve(bundled_store_dir, port=port)


def test_serve_needs_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="interp-kg build"):
        serve(tmp_path, port=free_port())


@pytest.mark.parametrize("port", [0, 65536])
def test_serve_needs_a_real_port(bundled_store_dir: Path, port: int) -> None:
    with pytest.raises(InterpKgError, match="port must be between 1 and 65535"):
        serve(bundled_store_dir, port=port)


def test_serve_command_prints_its_url_serves_queries_and_stops_on_ctrl_c(bundled_store_dir: Path) -> None:
    """``interp-kg serve`` itself, as a user runs it: it says where it listens (the test waits for
    that line, no sleeping), answers ``interp-kg query --endpoint``, refuses an update, and exits
    0 on SIGINT."""
    import os
    import subprocess

    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cli = [sys.executable, "-m", "interp_kg"]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--store", str(bundled_store_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        assert line.startswith(f"serving {bundled_store_dir} read-only at {url} "), line
        asked = subprocess.run(
            [*cli, "query", "--sparql", COUNT_ALL, "--endpoint", url, "-f", "tsv"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=env,
        )
        assert asked.returncode == 0, asked.stderr
        triples = len(open_store(bundled_store_dir))
        assert asked.stdout.splitlines()[1].split("^^")[0].strip('"') == str(triples)
        assert update_status(url) == 403
    finally:
        server.send_signal(signal.SIGINT)
        code = server.wait(timeout=30)
    assert code == 0, server.stderr.read() if server.stderr else ""
    assert refused(url)
