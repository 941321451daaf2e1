"""One polite SPARQL client for Wikidata-like endpoints.

The Wikidata Query Service cuts queries at 60 s, allows each client 60 s of query time per minute
and 30 errors per minute, answers ``429`` with ``Retry-After`` (ignoring it gets a client banned),
and requires a User-Agent naming the tool, its version and a contact. So this client:

- sends ``interp-kg/<version> (<contact>)`` as SPARQLWrapper's ``agent`` (never its default);
- sends one request at a time, at least ``min_interval`` seconds apart;
- on ``429`` and ``5xx`` waits as long as ``Retry-After`` says (seconds or an HTTP date), else
  backs off exponentially, up to ``retries`` times, then fails with a one-line :class:`RemoteError`;
- keeps every answer in a cache directory (default: the user cache dir), keyed by endpoint and
  query, so a rerun asks the service nothing it asked before.

``sleep`` and ``clock`` are parameters so that tests can record the waits instead of waiting.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interp_kg import __version__
from interp_kg.errors import RemoteError

CONTACT = "https://w3id.org/interp-kg"
CACHE_ENV = "INTERP_KG_CACHE_DIR"
CONTACT_ENV = "INTERP_KG_CONTACT"
MAX_RETRY_AFTER = 600.0
"""A longer Retry-After is not waited for: the run stops and says when to come back."""


def user_agent(contact: str | None = None) -> str:
    """``interp-kg/<version> (<contact>)``: the contact URL or e-mail address the service may use."""
    return f"interp-kg/{__version__} ({contact or CONTACT})"


def default_cache_dir() -> Path:
    """``$INTERP_KG_CACHE_DIR``, else ``<user cache dir>/interp-kg/wikidata``."""
    import os

    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("interp-kg")) / "wikidata"


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), else None.

    >>> retry_after("7", 0.0)
    7.0
    >>> retry_after("Thu, 01 Jan 1970 00:00:10 GMT", 4.0)
    6.0
    >>> retry_after("soon", 0.0) is None
    True
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


@dataclass
class SparqlClient:
    """SELECT queries against one endpoint, politely (see the module docstring)."""

    endpoint: str
    contact: str | None = None
    cache_dir: Path | None = None
    use_cache: bool = True
    timeout: float = 65.0
    retries: int = 4
    backoff: float = 2.0
    min_interval: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    requests: int = field(default=0, init=False)
    cache_hits: int = field(default=0, init=False)
    _last: float | None = field(default=None, init=False)

    def select(self, query: str) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT query (SPARQL 1.1 JSON results), from the cache when there."""
        path = self._cache_path(query)
        if path is not None and self.use_cache and path.is_file():
            self.cache_hits += 1
            return _bindings(json.loads(path.read_bytes()), self.endpoint)
        data = self._fetch(query)
        try:
            parsed = json.loads(data)
        except ValueError:
            raise RemoteError(f"{self.endpoint} did not answer with SPARQL JSON results") from None
        bindings = _bindings(parsed, self.endpoint)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return bindings

    def _cache_path(self, query: str) -> Path | None:
        root = self.cache_dir if self.cache_dir is not None else default_cache_dir()
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return root / key[:2] / f"{key}.json"

    def _fetch(self, query: str) -> bytes:
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

        attempt = 0
        while True:
            self._pace()
            self.requests += 1
            header: str | None = None
            try:
                return self._request(query)
            except urllib.error.HTTPError as exc:  # before URLError and OSError, its bases
                status = exc.code
                header = exc.headers.get("Retry-After") if exc.headers else None
                exc.close()
                if status != 429 and status < 500:
                    raise RemoteError(f"{self.endpoint} rejected the query (HTTP {status})") from None
            except EndPointInternalError:  # SPARQLWrapper's 500, without the headers
                status = 500
            except SPARQLWrapperException as exc:  # 400, 401, 404, 414
                raise RemoteError(f"{self.endpoint} rejected the query ({type(exc).__name__})") from None
            except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                    raise RemoteError(
                        f"no answer from {self.endpoint} within {self.timeout:g} s "
                        "(the Wikidata Query Service stops queries at 60 s: try a smaller --batch)"
                    ) from None
                raise RemoteError(f"cannot reach {self.endpoint}: {reason}") from None
            attempt += 1
            if attempt > self.retries:
                raise RemoteError(f"{self.endpoint} answered HTTP {status} {attempt} times; giving up")
            wait = retry_after(header, self.clock())
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise RemoteError(
                    f"{self.endpoint} asks to wait {wait:.0f} s (HTTP {status}, Retry-After); try again later"
                )
            self.sleep(wait if wait is not None else self.backoff * 2 ** (attempt - 1))
            self._last = self.clock()

    def _pace(self) -> None:
        if self._last is not None and self.min_interval > 0:
            gap = self.clock() - self._last
            if gap < self.min_interval:
                self.sleep(self.min_interval - gap)
        self._last = self.clock()

    def _request(self, query: str) -> bytes:
        from SPARQLWrapper import JSON, POST, URLENCODED, SPARQLWrapper

        sparql = SPARQLWrapper(self.endpoint, agent=user_agent(self.contact))
        sparql.setMethod(POST)
        sparql.setRequestMethod(URLENCODED)
        sparql.setOnlyConneg(True)
        sparql.setReturnFormat(JSON)
        sparql.timeout = self.timeout  # type: ignore[assignment]  # urlopen() takes a float
        sparql.setQuery(query)
        response = sparql.query().response
        try:
            data: bytes = response.read()
        finally:
            response.close()
        return data


def _bindings(parsed: Any, endpoint: str) -> list[dict[str, dict[str, str]]]:
    try:
        rows = parsed["results"]["bindings"]
        if not isinstance(rows, list):
            raise TypeError
        return rows
    except (KeyError, TypeError):
        raise RemoteError(f"{endpoint} did not answer with SPARQL SELECT results") from None
