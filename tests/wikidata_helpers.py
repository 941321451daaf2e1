"""Shared pieces of the Wikidata tests: the fixture server, a scripted proxy in front of it, and
the test list built into a store."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from interp_kg.catalog.curated import Curated
from interp_kg.curation.wikidata_mapping import load_mapping
from tests.conftest import REPO
from tests.local_http import serving

DATA = REPO / "tests" / "data" / "wikidata"
FIXTURE = DATA / "fixture.ttl"
LIST = DATA / "list.md"
TODAY = dt.date(2026, 11, 25)


def load_fixture(base_url: str) -> None:
    """Put the fixture into the default graph of the Oxigraph server at ``base_url``."""
    request = urllib.request.Request(
        f"{base_url}/store?default",
        data=FIXTURE.read_bytes(),
        headers={"Content-Type": "text/turtle"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201, 204)


@dataclass
class Scripted:
    """One scripted answer: an HTTP status with headers, or ``hold`` (answer nothing until
    released), or None for "forward to the real endpoint"."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    hold: bool = False


@dataclass
class Proxy:
    """A real HTTP server on 127.0.0.1 in front of the Oxigraph server: answers from ``script``
    first, then forwards every request; records each request's time and User-Agent."""

    target: str
    script: list[Scripted] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    proxy: Proxy

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.proxy.user_agents.append(self.headers.get("User-Agent", ""))
        step = self.proxy.script.pop(0) if self.proxy.script else Scripted()
        if step.hold:
            self.proxy.release.wait()
            return
        if step.status is not None:
            payload = b"scripted failure"
            self.send_response(step.status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in step.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
            return
        forward = urllib.request.Request(
            self.proxy.target,
            data=body,
            headers={
                "Content-Type": self.headers.get("Content-Type", ""),
                "Accept": self.headers.get("Accept", ""),
            },
            method="POST",
        )
        with urllib.request.urlopen(forward, timeout=10) as response:
            payload = response.read()
            content_type = response.headers.get("Content-Type", "")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def run_proxy(proxy: Proxy) -> Iterator[Proxy]:
    handler = type("Handler", (_Handler,), {"proxy": proxy})
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as url:
        proxy.url = f"{url}/query"
        try:
            yield proxy
        finally:
            proxy.release.set()


def list_store(tmp: Path, mapping: Path | None = None) -> Path:
    """The test list built into a store under ``tmp`` (with ``mapping``, default: none)."""
    from interp_kg.store.build import build

    store = tmp / "store"
    curated = replace(Curated.bundled(), mapping=load_mapping(mapping or tmp / "no-mapping.json"))
    build([LIST], store, curated=curated)
    return store
