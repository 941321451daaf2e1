"""The facts ``interp-kg diff`` compares of each work, kept on disk while the other version is read.

A version of a list of a million entries has a million works; holding the facts of one version's
works while the other version is catalogued, and then both at once while they are compared, cost
more than the catalog itself. So each version's facts are written as its catalog streams the works
(:class:`FactsFile`, in a temporary folder the caller owns), in :data:`BUCKETS` buckets by a hash
of the IRI path: a work both versions list (the same IRI path) is in the same bucket of each file,
and the two versions are compared a bucket at a time (:func:`join_by_slug`), so memory holds one
bucket of the old version, the pairs that changed and the works left unmatched.

Each bucket is written in chunks (:mod:`marshal` of a list of plain tuples): the writer buffers at
most :data:`FLUSH_RECORDS` works.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     old, new = FactsFile(Path(folder) / "old"), FactsFile(Path(folder) / "new")
...     old.add(WorkFacts("paper/a", "paper", "A", (), ("https://a.org",), ("topic/x",)))
...     old.add(WorkFacts("paper/b", "paper", "B", (), (), ()))
...     new.add(WorkFacts("paper/a", "paper", "A!", (), ("https://a.org",), ("topic/x",)))
...     new.add(WorkFacts("paper/c", "paper", "C", (), (), ()))
...     old.close()
...     new.close()
...     joined = [(o and o.title, n and n.title) for o, n in join_by_slug(old, new)]
>>> sorted(joined, key=str)
[('A', 'A!'), ('B', None), (None, 'C')]
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from interp_kg.source.models import WorkKind

#: Buckets per version: a bucket of a million works is about 16,000 of them.
BUCKETS = 64
#: Works buffered before the writer writes a chunk of each bucket.
FLUSH_RECORDS = 8192


class WorkFacts(NamedTuple):
    """What the diff compares of a work: kept for each work of a version as the catalog streams
    them, nothing else. ``identifiers`` are ``(scheme, value)`` pairs (an
    :class:`~interp_kg.identifiers.schemes.Identifier` is one)."""

    slug: str
    kind: WorkKind
    title: str
    identifiers: tuple[tuple[str, str], ...]
    urls: tuple[str, ...]
    topics: tuple[str, ...]


class HasFacts(Protocol):
    """A work with the facts compared (a :class:`~interp_kg.catalog.models.Work`, or its facts)."""

    @property
    def slug(self) -> str: ...
    @property
    def kind(self) -> WorkKind: ...
    @property
    def title(self) -> str: ...
    @property
    def identifiers(self) -> tuple[tuple[str, str], ...]: ...
    @property
    def urls(self) -> tuple[str, ...]: ...
    @property
    def topics(self) -> tuple[str, ...]: ...


def bucket_of(slug: str) -> int:
    """The bucket of a work's IRI path: the same in every process (CRC-32, not ``hash``)."""
    return zlib.crc32(slug.encode("utf-8")) % BUCKETS


class FactsFile:
    """The facts of one version's works in a file, by bucket; :meth:`add` each work, :meth:`close`,
    then read a bucket with :meth:`bucket`. The file is the caller's to remove (a temporary
    folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._out = path.open("wb")
        self._buffers: list[list[tuple[Any, ...]]] = [[] for _ in range(BUCKETS)]
        self._buffered = 0
        #: per bucket, the (offset, length) of each of its chunks in the file
        self._chunks: list[list[tuple[int, int]]] = [[] for _ in range(BUCKETS)]
        self._size = 0

    def add(self, work: HasFacts) -> None:
        """Keep the facts of one work (plain tuples: :mod:`marshal` writes no subclass)."""
        self._buffers[bucket_of(work.slug)].append(
            (
                work.slug,
                work.kind,
                work.title,
                tuple((scheme, value) for scheme, value in work.identifiers),
                tuple(work.urls),
                tuple(work.topics),
            )
        )
        self.count += 1
        self._buffered += 1
        if self._buffered >= FLUSH_RECORDS:
            self._flush()

    def _flush(self) -> None:
        for records, chunks in zip(self._buffers, self._chunks, strict=True):
            if records:
                data = marshal.dumps(records)
                self._out.write(data)
                chunks.append((self._size, len(data)))
                self._size += len(data)
                records.clear()
        self._buffered = 0

    def close(self) -> None:
        """Write what is buffered and close the file (it can be read then)."""
        if not self._out.closed:
            self._flush()
            self._out.close()

    def bucket(self, index: int) -> Iterator[WorkFacts]:
        """The works of one bucket, in the order they were added."""
        with self.path.open("rb") as f:
            for offset, length in self._chunks[index]:
                f.seek(offset)
                for record in marshal.loads(f.read(length)):
                    yield WorkFacts(*record)


def join_by_slug(old: FactsFile, new: FactsFile) -> Iterator[tuple[WorkFacts | None, WorkFacts | None]]:
    """Every work of either version, a bucket at a time: ``(old, new)`` for the same IRI path in
    both, ``(old, None)`` and ``(None, new)`` for the others (in each bucket: the pairs and the new
    version's own in its order, then the old version's own in its order)."""
    for index in range(BUCKETS):
        olds = {w.slug: w for w in old.bucket(index)}
        for n in new.bucket(index):
            yield olds.pop(n.slug, None), n
        for o in olds.values():
            yield o, None
