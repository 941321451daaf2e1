"""Shared pieces of the Wikidata tests: the fixture server, a scripted proxy in front of it, the
test list built into a store, and a strict QuickStatements V1 parser."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
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


_ITEM = re.compile(r"Q[1-9][0-9]*")
_PROP = re.compile(r"P[1-9][0-9]*")
_STRING = re.compile(r'"[^\t\n\r]*"')
_MONO = re.compile(r'[a-z]{2,3}(-[a-z]+)?:"[^\t\n\r]*"')
_TIME = re.compile(r"\+(\d{4})-(\d{2})-(\d{2})T00:00:00Z/(9|10|11)")


def value_kind(value: str) -> str:
    """The kind of a V1 value, or an AssertionError saying why it is not one."""
    if _ITEM.fullmatch(value):
        return "item"
    if _MONO.fullmatch(value):
        return "monolingual"
    if _TIME.fullmatch(value):
        m = _TIME.fullmatch(value)
        assert m is not None
        try:
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise AssertionError(f"not a real day: {value!r}") from None
        return "time"
    if _STRING.fullmatch(value):
        assert value.strip() == value and "  " not in value, f"untrimmed string {value!r}"
        return "string"
    raise AssertionError(f"not a V1 value: {value!r}")


def parse_v1(text: str) -> list[tuple[str, str, str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """Commands as (subject, property, value, qualifiers, sources); asserts V1 syntax throughout."""
    assert text == "" or text.endswith("\n"), "the batch ends with a newline"
    assert "\r" not in text
    commands = []
    created = False
    for n, line in enumerate(text.splitlines(), start=1):
        assert line, f"line {n}: empty"
        if line == "CREATE":
            created = True
            continue
        fields = line.split("\t")
        assert all(fields), f"line {n}: empty field"
        subject, prop, value, rest = fields[0], fields[1], fields[2], fields[3:]
        assert (subject == "LAST" and created) or _ITEM.fullmatch(subject), f"line {n}: subject {subject!r}"
        if prop in ("Len", "Den", "Aen"):
            assert value_kind(value) == "string" and not rest, f"line {n}: label"
            continue
        assert _PROP.fullmatch(prop), f"line {n}: property {prop!r}"
        value_kind(value)
        assert len(rest) % 2 == 0, f"line {n}: a qualifier or source without a value"
        qualifiers, sources = [], []
        for key, val in zip(rest[::2], rest[1::2], strict=True):
            value_kind(val)
            if key.startswith("S"):
                assert re.fullmatch(r"S[1-9][0-9]*", key), f"line {n}: source {key!r}"
                sources.append((key, val))
            else:
                assert _PROP.fullmatch(key) and not sources, f"line {n}: qualifier {key!r} after a source"
                qualifiers.append((key, val))
        assert sources, f"line {n}: a statement without a source"
        commands.append((subject, prop, value, qualifiers, sources))
    return commands
