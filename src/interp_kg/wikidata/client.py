"""One polite SPARQL client for Wikidata-like endpoints.

The Wikidata Query Service cuts queries at 60 s, allows each client 60 s of query time per minute
and 30 errors per minute, answers ``429`` with ``Retry-After`` (ignoring it gets a client banned),
and requires a User-Agent naming the tool, its version and a contact. So this client sends its
queries through the one HTTP client (:class:`interp_kg.http.Client`, by
:func:`interp_kg.sparql.remote.run_query`), which:

- sends ``interp-kg/<version> (<contact>)`` (:func:`interp_kg.http.user_agent`);
- spaces requests at least :data:`MIN_INTERVAL` seconds apart (its ``intervals``), one at a time;
- on ``429``, ``5xx``, timeouts and connection errors waits as long as ``Retry-After`` says (up to
  the policy's ``max_retry_after``), else backs off exponentially, up to ``retries`` times, then
  fails with a one-line :class:`~interp_kg.errors.RemoteError`;
- reads no answer larger than the policy's ``max_bytes``.

Every answer is kept in a cache directory (default: the user cache dir), keyed by endpoint and
query, with the day the endpoint gave it: a rerun (or a run that was cut short) asks the service
nothing it asked before, and what it records as searched carries the day of the answer, not the
day of the rerun. The HTTP client's clock is a parameter, so that tests record the waits instead
of waiting; so is the calendar (``today``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from interp_kg.errors import RemoteError, RemoteTimeout
from interp_kg.http import Client

CACHE_ENV = "INTERP_KG_CACHE_DIR"
PACE = "wikidata"
"""The client's spacing key for the endpoint's requests."""
MIN_INTERVAL = 1.0
"""Seconds between two requests to the endpoint."""


def default_cache_dir() -> Path:
    """``$INTERP_KG_CACHE_DIR``, else ``<user cache dir>/interp-kg/wikidata``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("interp-kg")) / "wikidata"


Bindings = list[dict[str, dict[str, str]]]


@dataclass(frozen=True)
class Answer:
    """The bindings of a SELECT query and the day the endpoint gave them."""

    bindings: Bindings
    fetched: dt.date


@dataclass
class SparqlClient:
    """SELECT queries against one endpoint through ``http``, a client whose ``intervals`` space
    :data:`PACE` requests (the command's: ``min_interval`` 1 s, 4 retries, 65 s per request), with a cache."""

    endpoint: str
    http: Client
    cache_dir: Path | None = None
    use_cache: bool = True
    today: Callable[[], dt.date] = dt.date.today
    cache_hits: int = field(default=0, init=False)

    @property
    def requests(self) -> int:
        """HTTP requests made so far (retries included)."""
        return self.http.requests

    def select(self, query: str) -> Answer:
        """The bindings of a SELECT query (SPARQL 1.1 JSON results) and their day, from the cache
        when there."""
        path = self._cache_path(query)
        if path is not None and self.use_cache and (cached := _cached(path, self.endpoint)) is not None:
            self.cache_hits += 1
            return cached
        data = self._fetch(query)
        try:
            parsed = json.loads(data)
        except ValueError:
            raise RemoteError(f"{self.endpoint} did not answer with SPARQL JSON results") from None
        answer = Answer(_bindings(parsed, self.endpoint), self.today())
        if path is not None:
            envelope = {"endpoint": self.endpoint, "fetched": answer.fetched.isoformat(), "answer": parsed}
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(envelope, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        return answer

    def _cache_path(self, query: str) -> Path | None:
        root = self.cache_dir if self.cache_dir is not None else default_cache_dir()
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return root / key[:2] / f"{key}.json"

    def _fetch(self, query: str) -> bytes:
        from interp_kg.sparql.remote import Endpoint, run_query

        try:
            data, _ = run_query(Endpoint.from_url(self.endpoint), query, client=self.http, pace=PACE)
        except RemoteTimeout as exc:
            raise RemoteTimeout(
                f"{exc} (the Wikidata Query Service stops queries at 60 s: try a smaller --batch)"
            ) from None
        return data


def _cached(path: Path, endpoint: str) -> Answer | None:
    """The cached answer at ``path``, or None when there is none (or it is unreadable, or of a
    cache without the day of the answer: asked again)."""
    try:
        envelope = json.loads(path.read_bytes())
        fetched = dt.date.fromisoformat(envelope["fetched"])
        return Answer(_bindings(envelope["answer"], endpoint), fetched)
    except (OSError, ValueError, KeyError, TypeError, RemoteError):
        return None


def _bindings(parsed: Any, endpoint: str) -> Bindings:
    try:
        rows = parsed["results"]["bindings"]
        if not isinstance(rows, list):
            raise TypeError
        return rows
    except (KeyError, TypeError):
        raise RemoteError(f"{endpoint} did not answer with SPARQL SELECT results") from None
