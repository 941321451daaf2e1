"""``interp-kg serve``: the current build behind Oxigraph's read-only SPARQL HTTP server.

The server is the ``oxigraph`` executable of the ``oxigraph`` PyPI package, run as
``oxigraph serve-read-only``: it takes no lock and refuses updates (HTTP 403), and it serves the
build that was current when it started. It listens on a private port of 127.0.0.1, behind the
gate of :mod:`interp_kg.sparql.gate` on the public one, which refuses queries that use SPARQL
``SERVICE`` (unless ``allow_service``): Oxigraph has no switch of its own for that.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from interp_kg.errors import InterpKgError
from interp_kg.sparql.gate import Gate
from interp_kg.store.builds import pinned_build

LISTENING = "Listening for requests at "
"""How the Oxigraph server says, on stderr, that its socket is bound and listening."""

_FORWARDED = (signal.SIGINT, signal.SIGTERM)
_ATTEMPTS = 5


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable: on ``PATH``, else beside the running Python
    (a virtual environment that was not activated). :class:`InterpKgError` when missing."""
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).parent / ("oxigraph.exe" if os.name == "nt" else "oxigraph")
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    raise InterpKgError(
        "the Oxigraph server (the `oxigraph` command) is not installed: install it with pip install oxigraph"
    )


def serve(
    store_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int,
    ready: Callable[[str], None] | None = None,
    allow_service: bool = False,
) -> int:
    """Serve the store's current build read-only on ``host:port`` until the server stops.

    Calls ``ready(url)`` (``url`` like ``http://127.0.0.1:7878``, whose ``/query`` is the SPARQL
    endpoint) once the server listens. SIGINT and SIGTERM stop the server (it is sent SIGTERM) when this
    runs in the main thread. Returns 0 when it was stopped by such a signal, else the server's
    exit code (128 + N when signal N ended it). Queries that use SERVICE are answered HTTP 400
    unless ``allow_service``. :class:`InterpKgError` when it cannot start (e.g. the port is in
    use); :class:`~interp_kg.errors.StoreError` when there is no store.
    If ``ready`` raises, the server is stopped and the exception propagates.
    """
    if not 1 <= port <= 65535:
        raise InterpKgError(f"the port must be between 1 and 65535, got {port}")
    location = pinned_build(store_dir) / "oxigraph"  # no build removes it while this serves it
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        gate = Gate((host, port), allow_service=allow_service)
    except OSError as exc:
        raise InterpKgError(f"the server could not start on {bind}: {exc.strerror or exc}") from None

    def listening() -> None:
        gate.start()
        if ready is not None:
            ready(f"http://{bind}")

    try:
        for _ in range(_ATTEMPTS):
            gate.backend = ("127.0.0.1", _free_port())
            private = f"127.0.0.1:{gate.backend[1]}"
            command = [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", private]
            code, stopped, started, output = _run(command, listening)
            if stopped:
                return 0
            if started:
                return 128 - code if code < 0 else code
            if not any("Address already in use" in line for line in output):
                break  # someone took the private port between _free_port() and the bind: try another
    finally:
        gate.stop()
    reason = next((line for line in output if line.startswith("Error:")), output[0] if output else "")
    reason = reason.removeprefix("Error:").strip() or f"exit code {code}"
    raise InterpKgError(f"the Oxigraph server could not start: {reason}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run(command: list[str], listening: Callable[[], None]) -> tuple[int, bool, bool, list[str]]:
    """Run the Oxigraph server until it exits; ``listening()`` once it says it listens. Returns
    its exit code, whether a signal stopped it, whether it listened, and what it said (50 lines)."""
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    stopped = False

    def forward(signum: int, frame: FrameType | None) -> None:
        nonlocal stopped
        stopped = True
        # SIGTERM whatever we got: a server started from a background job inherits SIGINT ignored
        process.send_signal(signal.SIGTERM)

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED} if in_main_thread else {}
    started = False
    output: list[str] = []
    try:
        assert process.stdout is not None
        # Read the server's output to its end: the line that says it listens, then whatever it
        # says until it exits (kept for the error message, and the pipe never fills up).
        for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip()
            if not started and line.startswith(LISTENING):
                started = True
                listening()
            elif line and len(output) < 50:
                output.append(line)
        code = process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if process.poll() is None:
            process.terminate()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    return code, stopped, started, output
