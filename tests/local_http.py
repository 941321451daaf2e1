"""A real HTTP server of the tests' own, on 127.0.0.1, served from a thread."""

from __future__ import annotations

import contextlib
import socketserver
import threading
from collections.abc import Iterator


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
