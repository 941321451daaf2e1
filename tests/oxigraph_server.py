"""A real Oxigraph server for the tests: started on a free port, ready when it says it listens,
always stopped afterwards."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from interp_kg.sparql.server import LISTENING, oxigraph_binary

START_TIMEOUT = 20.0
"""Seconds a server may take to say it listens before it is killed (a watchdog, not a wait)."""
ATTEMPTS = 5


def free_port() -> int:
    """A TCP port nothing listens on right now (another process may take it before we do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def drain_output(stream: IO[bytes]) -> None:
    """Read a server's output to its end (so that it never blocks on a full pipe)."""
    for _ in stream:
        pass


def start_until(
    command: list[str], ready: Callable[[str], bool], timeout: float, cwd: Path | None = None
) -> tuple[subprocess.Popen[bytes], list[str]]:
    """Start ``command`` and read its output up to the line ``ready`` accepts; the output read
    when the server exited before (the process is then finished). A watchdog kills it after
    ``timeout`` seconds without that line."""
    process = subprocess.Popen(
        command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    assert process.stdout is not None
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    output: list[str] = []
    try:
        for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace")
            if ready(line):
                return process, []
            output.append(line)
    except BaseException:
        process.kill()
        process.wait()
        raise
    finally:
        watchdog.cancel()
    process.wait()
    process.stdout.close()
    return process, output or [f"exit code {process.returncode}\n"]


@contextlib.contextmanager
def running_server(location: Path, *, read_only: bool = False) -> Iterator[str]:
    """Run ``oxigraph serve`` (or ``serve-read-only``) on ``location`` at 127.0.0.1 and a free port;
    yields its base URL (``http://127.0.0.1:PORT``). The server is stopped (SIGTERM, then wait) on
    exit, whatever happened inside the block."""
    mode = "serve-read-only" if read_only else "serve"
    output: list[str] = []
    for _ in range(ATTEMPTS):
        port = free_port()
        command = [oxigraph_binary(), mode, "--location", str(location), "--bind", f"127.0.0.1:{port}"]
        process, output = start_until(command, lambda line: line.startswith(LISTENING), START_TIMEOUT)
        if output and any("Address already in use" in line for line in output):
            continue  # someone took the port between free_port() and the server's bind
        if output:
            break
        assert process.stdout is not None
        drain = threading.Thread(target=drain_output, args=(process.stdout,), daemon=True)
        drain.start()
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            drain.join()
            process.stdout.close()
        return
    raise RuntimeError(f"oxigraph {mode} did not start: {''.join(output).strip()}")
