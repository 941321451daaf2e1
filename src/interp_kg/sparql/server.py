"""``interp-kg serve``: the current build behind Oxigraph's read-only SPARQL HTTP server.

The server is the ``oxigraph`` executable of the ``oxigraph`` PyPI package, run as
``oxigraph serve-read-only``: it takes no lock and refuses updates (HTTP 403), and it serves the
build that was current when it started.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from interp_kg.errors import InterpKgError
from interp_kg.store.builds import current_build

LISTENING = "Listening for requests at "
"""How the Oxigraph server says, on stderr, that its socket is bound and listening."""

_FORWARDED = (signal.SIGINT, signal.SIGTERM)


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
) -> int:
    """Serve the store's current build read-only on ``host:port`` until the server stops.

    Calls ``ready(url)`` (``url`` like ``http://127.0.0.1:7878``, whose ``/query`` is the SPARQL
    endpoint) once the server listens. SIGINT and SIGTERM stop the server (it is sent SIGTERM) when this
    runs in the main thread. Returns 0 when it was stopped by such a signal, else the server's
    exit code (128 + N when signal N ended it). :class:`InterpKgError` when it cannot start
    (e.g. the port is in use); :class:`~interp_kg.errors.StoreError` when there is no store.
    If ``ready`` raises, the server is stopped and the exception propagates.
    """
    if not 1 <= port <= 65535:
        raise InterpKgError(f"the port must be between 1 and 65535, got {port}")
    location = current_build(store_dir) / "oxigraph"
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    command = [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", bind]
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
    listening = False
    output: list[str] = []
    try:
        assert process.stdout is not None
        # Read the server's output to its end: the line that says it listens, then whatever it
        # says until it exits (kept for the error message, and the pipe never fills up).
        for raw in process.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip()
            if not listening and line.startswith(LISTENING):
                listening = True
                if ready is not None:
                    ready(f"http://{bind}")
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
    if stopped:
        return 0
    if not listening:
        reason = next((line for line in output if line.startswith("Error:")), output[0] if output else "")
        reason = reason.removeprefix("Error:").strip() or f"exit code {code}"
        raise InterpKgError(f"the Oxigraph server could not start on {bind}: {reason}")
    return 128 - code if code < 0 else code
