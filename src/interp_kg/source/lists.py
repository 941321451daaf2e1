"""Which lists a build reads, under which names, in which order.

A *source* is what the user names: a local file, an ``http(s)://`` URL, or
``github:owner/repo[@ref][:path]`` (the file at ``raw.githubusercontent.com``; ``@ref`` defaults
to ``HEAD`` and ``:path`` to ``README.md``). A ``raw.githubusercontent.com`` URL is read as that
shorthand. Each resolves to a :class:`ListSource` with three names:

- ``source``: what the graph (``ikg:sourceFile``) and the diagnostics cite: a local file's name,
  ``owner/repo[@ref]/path`` for GitHub, ``host/path`` for another URL;
- ``key``: the namespace of its listings, ``listing/<key>/L<line>``: a local file's stem as a slug
  (as always: the 2024-04 snapshot's ``awesome-llm-interpretability``), ``owner-repo[-ref][-stem]``
  for GitHub (the stem left out for a README), the URL's host and path otherwise;
- ``name``: the list it is a version of, the namespace of its topics: the bundled lists (every
  version, and their upstream file read through ``github:``) are ``awesome-llm-interpretability``
  (:attr:`interp_kg.source.bundled.BundledLists.name`), whatever a sources file says; another list
  of a sources file may be given its ``name`` there; any other list is named by its key.

The order of the lists decides what one list's entry gives a work over another's (see
:mod:`interp_kg.catalog.works`) and never the command line: the lists of a sources file
(``--sources FILE``) in the file's order, then the bundled versions in ``data/sources.toml``'s
order (newest first), then every other list by key (:func:`in_order`).

A sources file is TOML::

    [[list]]
    source = "lists/awesome-knowledge-editing.md"   # a path (relative to this file), URL or github:...
    name = "awesome-knowledge-editing"             # optional: the list's name (its topics' namespace)
"""

from __future__ import annotations

import hashlib
import os
import re
import tomllib
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interp_kg.errors import SourceError
from interp_kg.source.text import slugify

if TYPE_CHECKING:
    from interp_kg.http import Client
    from interp_kg.source.bundled import BundledList

GITHUB_RAW_ENV = "INTERP_KG_GITHUB_RAW"
"""Base URL of raw GitHub files (default ``https://raw.githubusercontent.com``); tests use a local server."""
GITHUB_RAW = "https://raw.githubusercontent.com"
_GITHUB = re.compile(
    r"github:(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)/(?P<repo>[A-Za-z0-9._-]+)"
    r"(?:@(?P<ref>[^\s:@]+))?(?::(?P<path>[^\s]+))?"
)
_RAW = re.compile(r"https://raw\.githubusercontent\.com/([^/\s]+)/([^/\s]+)/([^/\s]+)/(\S+)")
_NAME = r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"
_ANONYMOUS_STEMS = frozenset({"readme", "index"})


def _raw_base() -> str:
    return os.environ.get(GITHUB_RAW_ENV, GITHUB_RAW).rstrip("/")


@dataclass(frozen=True)
class ListSpec:
    """A list as the user named it, before it is read."""

    given: str
    """The source as given (a path, a URL or a ``github:`` shorthand)."""
    source: str
    key: str
    file_name: str
    path: Path | None = None
    url: str | None = None
    repository: str | None = None
    """``https://github.com/owner/repo`` and the path in it, for a GitHub source."""
    repo_path: str | None = None
    name: str | None = None
    """The list's name from a sources file."""
    rank: int | None = None
    """Its place in a sources file."""


@dataclass(frozen=True)
class ListSource:
    """A list ready to read: its bytes on disk, its names (see the module docstring), where it came from."""

    spec: ListSpec
    path: Path
    name: str
    sha256: str
    bytes: int
    bundled: BundledList | None = None
    url: str | None = None
    retrieved: str | None = None
    checked: str | None = None
    note: str | None = None

    @property
    def source(self) -> str:
        return self.spec.source

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def bare(self) -> bool:
        """Whether its topics are the bundled list's (``topic/...`` in ``scheme/topics``)."""
        from interp_kg.source.bundled import bundled_lists

        return self.name == bundled_lists().name

    @property
    def upstream(self) -> str | None:
        """The file it is, upstream: a bundled version's at its commit, else the URL it was read from."""
        return self.bundled.upstream_url if self.bundled is not None else self.url


def _github(owner: str, repo: str, ref: str | None, path: str | None, given: str) -> ListSpec:
    path = (path or "README.md").lstrip("/")
    file_name = path.rsplit("/", 1)[-1]
    stem = file_name.rsplit(".", 1)[0]
    tail = "" if stem.lower() in _ANONYMOUS_STEMS else f"-{stem}"
    key = slugify(f"{owner}-{repo}" + (f"-{ref}" if ref else "") + tail, 120)
    return ListSpec(
        given=given,
        source=f"{owner}/{repo}{'@' + ref if ref else ''}/{path}",
        key=key,
        file_name=file_name,
        url=f"{_raw_base()}/{owner}/{repo}/{ref or 'HEAD'}/{urllib.parse.quote(path)}",
        repository=f"https://github.com/{owner}/{repo}",
        repo_path=path,
    )


def parse_spec(given: str, *, base: Path | None = None) -> ListSpec:
    """A :class:`ListSpec` for a path, URL or ``github:`` shorthand (a relative path against ``base``).

    >>> parse_spec("github:cooperleong00/Awesome-LLM-Interpretability").key
    'cooperleong00-awesome-llm-interpretability'
    >>> s = parse_spec("https://example.org/lists/awesome-probing.md?raw=1")
    >>> s.source, s.key, s.file_name
    ('example.org/lists/awesome-probing.md', 'example-org-lists-awesome-probing', 'awesome-probing.md')
    """
    text = given.strip()
    if text.startswith("github:"):
        m = _GITHUB.fullmatch(text)
        if m is None:
            raise SourceError(f"{given}: not a GitHub source: write github:owner/repo[@ref][:path]")
        return _github(m["owner"], m["repo"], m["ref"], m["path"], given)
    if m := _RAW.fullmatch(text.split("?", 1)[0]):
        owner, repo, ref, path = m.groups()
        return _github(owner, repo, None if ref == "HEAD" else ref, urllib.parse.unquote(path), given)
    if text.startswith(("https://", "http://")):
        parts = urllib.parse.urlsplit(text)
        if not parts.hostname:
            raise SourceError(f"{given}: not a URL with a host")
        path = urllib.parse.unquote(parts.path)
        file_name = path.rstrip("/").rsplit("/", 1)[-1] or "list.md"
        stem_path = path.rsplit(".", 1)[0] if "." in file_name else path
        return ListSpec(
            given=given,
            source=f"{parts.hostname}{path}",
            key=slugify(f"{parts.hostname}{stem_path}", 120),
            file_name=file_name,
            url=text,
        )
    path = Path(text).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return ListSpec(given=given, source=path.name, key=_file_key(path.name), file_name=path.name, path=path)


def _file_key(name: str) -> str:
    """A local file's listing namespace: its stem as a slug (as listings have always been named)."""
    return slugify(name.rsplit("/", 1)[-1].rsplit(".", 1)[0])


class _SourcesEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(
        min_length=1, description="A path (relative to the sources file), URL or github:owner/repo."
    )
    name: str | None = Field(
        default=None, pattern=_NAME, description="The list's name: its topics are topics/<name>/..."
    )


class _SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lists: tuple[_SourcesEntry, ...] = Field(alias="list", min_length=1, description="The lists, in order.")


def load_sources_file(path: Path) -> list[ListSpec]:
    """The lists of a sources file, in its order; :class:`SourceError` naming the file on bad input."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SourceError(f"{path}: {exc}") from None
    try:
        parsed = _SourcesFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise SourceError(f"{path}: {where}: {err['msg']}") from None
    return [
        replace(parse_spec(e.source, base=path.parent), name=e.name, rank=n)
        for n, e in enumerate(parsed.lists)
    ]


def _bundled_for(spec: ListSpec) -> tuple[BundledList | None, str | None]:
    """(the bundled version a local file is, the bundled list's name when the spec is one of its versions)."""
    from interp_kg.source.bundled import bundled_lists

    lists = bundled_lists()
    if spec.path is not None:
        found = lists.by_file(spec.path)
        return found, lists.name if found is not None else None
    if spec.repository is not None:
        for b in lists.versions:
            if b.repository.lower() == spec.repository.lower() and b.path == spec.repo_path:
                return None, lists.name
    return None, None


def resolve(
    specs: Iterable[ListSpec], *, client: Client | None = None, offline: bool = False
) -> list[ListSource]:
    """Read each list's bytes (a URL's through the cache: :mod:`interp_kg.source.remote`) and name it;
    :class:`SourceError` on the first that cannot be read, or when two lists would share a key or a name
    the graph cites. The lists come back in :func:`in_order`."""
    from interp_kg.source.parse import MAX_SOURCE_BYTES, read_source, read_special

    out: list[ListSource] = []
    for spec in specs:
        bundled, bundled_name = _bundled_for(spec)
        # the bundled list's topics are the graph's own whatever a sources file calls it
        name = bundled_name or spec.name or spec.key
        if spec.path is not None:
            path = spec.path
            if not path.is_file():
                if path.exists() and not path.is_dir():  # a pipe or device: read once, kept aside
                    path = _kept_aside(path, read_special(path, MAX_SOURCE_BYTES))
                else:
                    read_source(path)  # the one-line error of a missing or unreadable file
            data = path.read_bytes()
            out.append(
                ListSource(spec, path, name, hashlib.sha256(data).hexdigest(), len(data), bundled=bundled)
            )
            continue
        from interp_kg.source.remote import fetch

        assert spec.url is not None
        got = fetch(spec.url, spec.file_name, client=client, offline=offline, shown=spec.given)
        size = got.path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(
                f"{spec.given}: {size:,} bytes is larger than the {MAX_SOURCE_BYTES:,}-byte limit"
            )
        out.append(
            ListSource(
                spec,
                got.path,
                name,
                got.sha256,
                size,
                url=spec.url,
                retrieved=got.retrieved,
                checked=got.checked,
                note=got.note,
            )
        )
    return in_order(out)


def _kept_aside(path: Path, data: bytes) -> Path:
    """The bytes of a pipe (``<(git show ...)``, ``/dev/stdin``), read once, in a temporary file
    the rest of the build reads (removed when the process ends); named as the pipe was."""
    import atexit
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="interp-kg-pipe-"))
    atexit.register(shutil.rmtree, folder, True)
    kept = folder / (path.name or "stdin")
    kept.write_bytes(data)
    return kept


def _rank(s: ListSource) -> tuple[int, int, str]:
    from interp_kg.source.bundled import bundled_lists

    if s.spec.rank is not None:
        return 0, s.spec.rank, s.key
    if s.bundled is not None:
        return 1, bundled_lists().names().index(s.bundled.name), s.key
    return 2, 0, s.key


def in_order(sources: Sequence[ListSource]) -> list[ListSource]:
    """``sources`` in the order that decides between them (see the module docstring), never the
    order given; :class:`SourceError` when two share a key or a cited name (a list given twice)."""
    ordered = sorted(sources, key=_rank)
    for attr in ("key", "source"):
        seen: dict[str, ListSource] = {}
        for s in ordered:
            value = getattr(s, attr)
            if value in seen:
                other = seen[value]
                what = "is given twice" if other.spec.given == s.spec.given else f"and {other.spec.given}"
                raise SourceError(
                    f"{s.spec.given} {what}: both would be read as {value!r}"
                    + ("" if what == "is given twice" else "; rename one of the files")
                )
            seen[value] = s
    return ordered


def local_source(path: Path) -> ListSource:
    """A local file as a :class:`ListSource` (what a build of paths reads)."""
    return resolve([parse_spec(str(path))])[0]
