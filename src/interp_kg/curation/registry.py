"""The registry of minted IRIs: every work, topic and person IRI the graph has given out, with the
keys it was minted from, so that a later build gives the same thing the same IRI and never gives
an IRI to anything else.

A registry is a folder of three JSON Lines files, one record per line, oldest first:

- ``works.jsonl`` (:class:`WorkRecord`): the IRI path, its age ``n``, the identifiers
  (``arxiv:2404.03592``; a tool's ``github:owner/repo`` in lower case), normalised titles
  (:func:`interp_kg.source.text.title_key`) and URLs it has been seen with, the listing it was
  minted from (``<list key>:L<line>``), and ``replaced_by`` once it turned out to be the same work
  as an older IRI;
- ``topics.jsonl`` (:class:`TopicRecord`): the IRI path, its list (the topics' namespace), its
  parent topic and slug segment (its key), its label and heading path as last read, the heading
  paths it had before (``history``), and ``replaced_by`` (only for the seeded rename of the bundled
  list: topics keep their IRI across renames since);
- ``people.jsonl`` (:class:`PersonRecord`): the IRI path, the names it was minted for, and
  ``replaced_by`` once the alias table made them another person's spellings.

Two registries are read by a build (:class:`interp_kg.catalog.persist.IriBook`): the bundled one
(``data/registry/``, the IRIs published for the bundled lists) and the one beside the store
(``<store>/registry/``) for the lists a user builds; the second holds only what the first does not
(new records, and bundled records that changed). Records of the bundled registry are older than
those of a store's, whatever their ``n``.

One writer (:func:`write_registry`); ``tests/test_registry.py`` checks that writing the bundled
registry again changes nothing.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from interp_kg.errors import InterpKgError

WORKS_FILE = "works.jsonl"
TOPICS_FILE = "topics.jsonl"
PEOPLE_FILE = "people.jsonl"


class RegistryError(InterpKgError):
    """A registry file is malformed."""

    exit_code = 2


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    iri: str = Field(min_length=1, description="The IRI path under the base IRI.")
    n: int = Field(ge=1, description="When it was minted: lower is older (within one registry).")
    replaced_by: str | None = Field(
        default=None, description="The IRI path that replaced it (the same thing, minted earlier)."
    )


class WorkRecord(_Record):
    """One work IRI and the keys it was minted from and seen with since."""

    iri: str = Field(
        pattern=r"^(paper|tool|tutorial|video)/\S+$", description="e.g. 'paper/arxiv-2404.03592'."
    )
    ids: tuple[str, ...] = Field(default=(), description="Identifiers as scheme:value, sorted.")
    titles: tuple[str, ...] = Field(default=(), description="Normalised titles (title_key), sorted.")
    urls: tuple[str, ...] = Field(default=(), description="URLs of its links, sorted.")
    minted: str = Field(
        pattern=r"^[a-z0-9-]+:L\d+$", description="The listing it was minted from: key:L<line>."
    )


class TopicRecord(_Record):
    """One topic IRI: a heading of one list, kept across renames and moves."""

    iri: str = Field(pattern=r"^(topic|topics/[a-z0-9-]+)/[a-z0-9/-]+$", description="e.g. 'topic/survey'.")
    list: str = Field(pattern=r"^[a-z0-9-]+$", description="The list's name (the topics' namespace).")
    parent: str | None = Field(default=None, description="IRI path of the enclosing topic, if any.")
    segment: str = Field(
        pattern=r"^[a-z0-9-]+$", description="The heading's slug under its parent (its key)."
    )
    label: str = Field(min_length=1, description="The heading text, as last read.")
    path: str = Field(min_length=1, description="The heading path as last read, joined by ' > '.")
    history: tuple[str, ...] = Field(default=(), description="Heading paths it had before, oldest first.")


class PersonRecord(_Record):
    """One person IRI and the names it was minted for."""

    iri: str = Field(pattern=r"^author/[a-z0-9-]+$", description="e.g. 'author/neel-nanda'.")
    names: tuple[str, ...] = Field(min_length=1, description="Names it stood for, sorted.")


R = TypeVar("R", bound=_Record)


@dataclass
class Registry:
    """One registry folder's records, by IRI path."""

    works: dict[str, WorkRecord] = field(default_factory=dict)
    topics: dict[str, TopicRecord] = field(default_factory=dict)
    people: dict[str, PersonRecord] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.works or self.topics or self.people)


def _read(path: Path, model: type[R]) -> dict[str, R]:
    out: dict[str, R] = {}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return out
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read: {exc.strerror}") from None
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = model.model_validate(orjson.loads(line))
        except (orjson.JSONDecodeError, ValidationError) as exc:
            raise RegistryError(
                f"{path}:{number}: not a {model.__name__}: {str(exc).splitlines()[0]}"
            ) from None
        if record.iri in out:
            raise RegistryError(f"{path}:{number}: {record.iri} is registered twice")
        out[record.iri] = record
    return out


def load_registry(folder: Path) -> Registry:
    """The registry in ``folder`` (empty when there is none); :class:`RegistryError` on bad input."""
    return Registry(
        works=_read(folder / WORKS_FILE, WorkRecord),
        topics=_read(folder / TOPICS_FILE, TopicRecord),
        people=_read(folder / PEOPLE_FILE, PersonRecord),
    )


@cache
def bundled_registry() -> Registry:
    """The registry of the bundled lists (``data/registry/``)."""
    from interp_kg.resources import data_path

    return load_registry(data_path("registry"))


def _fields(record: _Record) -> dict[str, Any]:
    # the fields that hold something (an empty or absent one is its default); keys sorted on writing
    return {k: v for k, v in record.__dict__.items() if v not in (None, ())}


def dump_records(records: Iterable[_Record], fresh: Iterable[dict[str, Any]] = ()) -> bytes:
    """The records as JSON Lines, oldest first (by ``n``, then IRI), keys sorted, UTF-8 kept.
    ``fresh``: records given as their fields (those with a value), as a build mints them (in
    order)."""
    return b"".join(record_lines(records, fresh))


def record_lines(records: Iterable[_Record], fresh: Iterable[dict[str, Any]] = ()) -> Iterator[bytes]:
    """:func:`dump_records` a line at a time: a million records are never one string. Only the
    other records' sort keys are held: ``fresh`` comes in order (by ``n``, then IRI: a build mints
    its records so, :class:`interp_kg.catalog.persist.Minted`) and each is written as it comes.

    >>> b"".join(record_lines([], [{"n": 1, "iri": "paper/a"}, {"iri": "paper/b", "n": 2}]))
    b'{"iri":"paper/a","n":1}\\n{"iri":"paper/b","n":2}\\n'
    >>> b"".join(record_lines([], [{"n": 2, "iri": "paper/b"}, {"iri": "paper/a", "n": 1}]))
    Traceback (most recent call last):
    ValueError: fresh records out of order: (1, 'paper/a') after (2, 'paper/b')
    """
    rows: list[tuple[int, str, _Record | dict[str, Any]]] = sorted(
        ((r.n, r.iri, r) for r in records), key=itemgetter(0, 1)
    )
    for _, _, item in heapq.merge(rows, _in_order(fresh), key=itemgetter(0, 1)):
        yield _line(item if isinstance(item, dict) else _fields(item))


def _in_order(fresh: Iterable[dict[str, Any]]) -> Iterator[tuple[int, str, _Record | dict[str, Any]]]:
    last: tuple[int, str] | None = None
    for f in fresh:
        key = (f["n"], f["iri"])
        if last is not None and key < last:
            raise ValueError(f"fresh records out of order: {key} after {last}")
        last = key
        yield f["n"], f["iri"], f


def _line(fields: dict[str, Any]) -> bytes:
    return orjson.dumps(fields, option=orjson.OPT_SORT_KEYS) + b"\n"


def _write(path: Path, lines: Iterator[bytes]) -> None:
    """``lines`` to ``path`` atomically (:mod:`interp_kg.atomic`): a reader never sees half a file."""
    from interp_kg.atomic import write_stream

    write_stream(path, lambda out: out.writelines(lines))  # a buffered stream: it makes the blocks


def write_registry(folder: Path, registry: Registry, fresh_works: Iterable[dict[str, Any]] = ()) -> None:
    """Write ``registry`` into ``folder``: each file through a temporary file (never half written),
    a line at a time (:func:`record_lines`); a file with no records is removed. ``fresh_works``:
    more work records, as their fields."""
    folder.mkdir(parents=True, exist_ok=True)
    parts: tuple[tuple[str, Iterable[_Record], Iterable[dict[str, Any]]], ...] = (
        (WORKS_FILE, registry.works.values(), fresh_works),
        (TOPICS_FILE, registry.topics.values(), ()),
        (PEOPLE_FILE, registry.people.values(), ()),
    )
    for name, records, fresh in parts:
        lines = record_lines(records, fresh)
        first = next(lines, None)
        if first is not None:
            _write(folder / name, itertools.chain((first,), lines))
        else:
            (folder / name).unlink(missing_ok=True)


def iter_lines(folder: Path) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of each registry file in ``folder`` (for the canonical-form test)."""
    for name in (WORKS_FILE, TOPICS_FILE, PEOPLE_FILE):
        path = folder / name
        if path.is_file():
            yield name, path.read_bytes()
