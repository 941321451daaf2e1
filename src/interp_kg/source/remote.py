"""Lists read from the web: the bytes of an http(s) URL, kept in a cache and revalidated.

:func:`fetch` asks the server through the one HTTP client (:mod:`interp_kg.http`: its timeouts,
size cap and same-host redirects) and keeps what it answers in the cache folder
(:func:`cache_dir`), one folder per URL holding the file and ``meta.json`` (the URL, the
``ETag`` and ``Last-Modified`` the server gave, when the bytes were retrieved and their
SHA-256). A second fetch sends ``If-None-Match`` / ``If-Modified-Since``; a ``304 Not Modified``
keeps the cached bytes. When the server cannot be reached (or ``offline``), the cached copy is
used and :attr:`Fetched.note` says why; with nothing cached that is a one-line
:class:`~interp_kg.errors.SourceError`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from interp_kg.errors import RemoteError, SourceError

if TYPE_CHECKING:
    from interp_kg.http import Client

CACHE_ENV = "INTERP_KG_LIST_CACHE"
META = "meta.json"


def cache_dir() -> Path:
    """``$INTERP_KG_LIST_CACHE``, else ``<user cache dir>/interp-kg/lists``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("interp-kg")) / "lists"


@dataclass(frozen=True)
class Fetched:
    """A list's bytes on disk, and where and when they came from."""

    path: Path
    url: str
    sha256: str
    retrieved: str
    """When these bytes were downloaded (UTC, ISO 8601)."""
    checked: str | None
    """When the server last confirmed them (this fetch's time); None when the cache was used unasked."""
    note: str | None = None
    """Why the cached copy was used without the server's word (offline, unreachable)."""


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(path: Path, data: bytes) -> None:
    """``data`` to ``path`` atomically (:mod:`interp_kg.atomic`): a reader never sees half a file."""
    from interp_kg.atomic import write_bytes

    write_bytes(path, data)


def _folder(root: Path, url: str) -> Path:
    return root / hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def _cached(folder: Path, file_name: str) -> tuple[Path, dict[str, str]] | None:
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path = folder / file_name
    if not isinstance(meta, dict) or not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None  # a damaged copy counts as none
    return path, meta


def fetch(
    url: str,
    file_name: str,
    *,
    client: Client | None = None,
    offline: bool = False,
    root: Path | None = None,
    shown: str | None = None,
) -> Fetched:
    """The list at ``url``, saved as ``file_name`` in its cache folder (see the module docstring)."""
    folder = _folder(root if root is not None else cache_dir(), url)
    cached = _cached(folder, file_name)
    shown = shown or url

    def from_cache(reason: str) -> Fetched:
        if cached is None:
            raise SourceError(f"{shown}: {reason}, and no copy of it is cached (fetch it once online)")
        path, meta = cached
        return Fetched(
            path,
            url,
            meta["sha256"],
            meta["retrieved"],
            None,
            f"{reason}: read the copy of {meta['retrieved']} from the cache",
        )

    if offline:
        return from_cache("offline")
    headers = {}
    if cached is not None:
        if etag := cached[1].get("etag"):
            headers["If-None-Match"] = etag
        if modified := cached[1].get("last_modified"):
            headers["If-Modified-Since"] = modified
    from interp_kg.http import Client

    own = client is None
    http = client if client is not None else Client()
    try:
        answer = http.request("GET", url, headers=headers, any_status=True, shown=shown)
    except RemoteError as exc:
        return from_cache(f"cannot fetch it ({exc})")
    finally:
        if own:
            http.close()
    now = _now()
    if answer.status == 304 and cached is not None:
        path, meta = cached
        meta = {**meta, "checked": now}
        _write(folder / META, json.dumps(meta, indent=2, sort_keys=True).encode("utf-8") + b"\n")
        return Fetched(path, url, meta["sha256"], meta["retrieved"], now)
    if not 200 <= answer.status < 300:
        from interp_kg.http import first_line, status_message

        message = status_message(shown, answer.status, first_line(answer.content))
        if answer.status in (404, 410):
            raise SourceError(message)
        return from_cache(f"cannot fetch it ({message})")
    data = answer.content
    digest = hashlib.sha256(data).hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / file_name, data)
    meta = {
        "url": url,
        "file": file_name,
        "sha256": digest,
        "retrieved": now,
        "checked": now,
        **({"etag": e} if (e := answer.headers.get("etag")) else {}),
        **({"last_modified": m} if (m := answer.headers.get("last-modified")) else {}),
    }
    _write(folder / META, json.dumps(meta, indent=2, sort_keys=True).encode("utf-8") + b"\n")
    return Fetched(folder / file_name, url, digest, now, now)
