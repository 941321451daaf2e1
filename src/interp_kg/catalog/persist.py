"""Persistent IRIs: a build gives every work, topic and person the IRI the registry has for it
(:mod:`interp_kg.curation.registry`), mints one only for what is new, and never gives a
registered IRI to anything else.

**Works.** A work of the build (a group of entries the catalog merged) finds its registered IRIs
by its keys, strongest first: an identifier it shares with one (arXiv id, DOI, ..., a tool's
repository); a normalised title, when the identifiers do not disagree (no scheme with disjoint
values); failing both, a URL that only one registered work not claimed by another has (not a
GitHub repository: papers share those as code). An IRI that was replaced stands for its
replacement. When a work finds several registered IRIs, they turned out to be one work: the
oldest survives and the others are registered as replaced by it (the graph says ``owl:sameAs``
and ``dcterms:isReplacedBy``). Two
works of a build never share an IRI: each registered IRI goes to the work with the strongest key
to it (then the oldest IRI first, then the work met first), and a work left without one gets a
new IRI, minted as the catalog always has (``paper/arxiv-2404.03592``, ``paper/<title slug>``)
but never one registered before (``-2``, ``-3``...). So a title correction, a move, a new link or
a new list never changes a work's IRI.

**Topics.** A topic is keyed by its list, its parent topic and its heading's slug. A heading with
a registered key gets that IRI. Otherwise, once the whole list is read, a heading is a registered
topic of its list that no heading claimed: moved, when that topic has the same slug (and it is
the only one left that has); renamed, when it is the only one left under the same parent and the
heading is the only new one there; else a new topic. A renamed or moved topic keeps its IRI; its
earlier heading path is recorded (``skos:historyNote``). While a list has no registered topics
(a first build) nothing waits: every heading is new.

**People.** An author IRI is the slug of the person's canonical name (the alias table's). A
registered author IRI that a build no longer mints, whose names the alias table now gives to one
other person of the build, is replaced by that person's IRI.

:meth:`IriBook.replacements` gives every replaced IRI whose replacement is in the graph;
:meth:`IriBook.local` the registry to keep beside the store (what the bundled one does not hold).
"""

from __future__ import annotations

import heapq
import itertools
import marshal
import os
import tempfile
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, overload

from interp_kg.curation.aliases import AliasTable
from interp_kg.curation.registry import (
    PersonRecord,
    Registry,
    TopicRecord,
    WorkRecord,
    bundled_registry,
    write_registry,
)
from interp_kg.source.models import Heading
from interp_kg.source.text import slugify
from interp_kg.trusted import trusted

#: Strength of the key a work shares with a registered IRI.
BY_IDENTIFIER, BY_TITLE, BY_URL = 3, 2, 1


class WorkKeys(NamedTuple):
    """What a work of the build is known by, for :meth:`IriBook.assign_works`."""

    group: str
    """'tool' or 'work': tools and other works are keyed apart, as the catalog merges them."""
    ids: tuple[str, ...]
    """Its identifiers, titles and URLs, each without repeats (tuples: a build keys a million
    works at once, and a frozenset costs four times a tuple of one)."""
    titles: tuple[str, ...]
    urls: tuple[str, ...]
    base: str
    """The IRI path the catalog would mint for it."""
    minted: str
    """Its first listing, ``<list key>:L<line>``."""


class KeyList(Sequence[WorkKeys]):
    """The keys of a build's works, for :meth:`IriBook.assign_works`, each kept packed with
    ``marshal`` (about 220 bytes, against 580 as a tuple of strings: a build keys a million works
    at once), unpacked when read.

    >>> keys = KeyList()
    >>> keys.append(WorkKeys("work", ("arxiv:2401.00001",), ("a title",), (), "paper/a", "l:L3"))
    >>> len(keys), keys[0].base, [k.minted for k in keys]
    (1, 'paper/a', ['l:L3'])
    """

    __slots__ = ("_packed",)

    def __init__(self) -> None:
        self._packed: list[bytes] = []

    def append(self, keys: WorkKeys) -> None:
        self._packed.append(marshal.dumps(tuple(keys)))

    def __len__(self) -> int:
        return len(self._packed)

    @overload
    def __getitem__(self, i: int) -> WorkKeys: ...
    @overload
    def __getitem__(self, i: slice) -> list[WorkKeys]: ...
    def __getitem__(self, i: int | slice) -> WorkKeys | list[WorkKeys]:
        if isinstance(i, slice):
            return [_unpack_keys(b) for b in self._packed[i]]
        return _unpack_keys(self._packed[i])

    def __iter__(self) -> Iterator[WorkKeys]:
        return map(_unpack_keys, self._packed)


def _unpack_keys(packed: bytes) -> WorkKeys:
    return tuple.__new__(WorkKeys, marshal.loads(packed))


def _group_of(iri: str) -> str:
    return "tool" if iri.startswith("tool/") else "work"


def _schemes(ids: Iterable[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for key in ids:
        scheme, _, value = key.partition(":")
        out[scheme].add(value)
    return out


def compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether two sets of identifiers can be one work's: no scheme with disjoint values.

    >>> compatible(["arxiv:2401.00001"], ["doi:10.1/x"]), compatible(["arxiv:1"], ["arxiv:2"])
    (True, False)
    """
    sa, sb = _schemes(a), _schemes(b)
    return all(not (sa[s] and sb.get(s) and not sa[s] & sb[s]) for s in sa)


def _unique(values: Iterable[str], drop: str | None = None) -> tuple[str, ...]:
    return tuple(sorted(set(values) - ({drop} if drop is not None else set())))


def _sorted(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(values)) if len(values) > 1 else tuple(values)


def _fresh_fields(record: tuple[Any, ...]) -> dict[str, Any]:
    """The fields of a work record this build minted (:attr:`IriBook.fresh`): those with a value."""
    iri, n, minted, ids, titles, urls = record
    fields: dict[str, Any] = {"iri": iri, "n": n, "minted": minted}
    for name, values in (("ids", ids), ("titles", titles), ("urls", urls)):
        if values:
            fields[name] = values
    return fields


def _fresh_record(record: tuple[Any, ...]) -> WorkRecord:
    """The model of a work record a build minted, made without validation (:mod:`interp_kg.trusted`:
    a third of a ``model_construct``'s memory; a list of one's own has a record per work)."""
    return trusted(WorkRecord, **_fresh_fields(record))


_BLOCK = 1 << 24


class Minted:
    """The work records a build mints, as tuples ``(iri, n, minted, ids, titles, urls)``
    (:func:`_fresh_fields` makes their fields), spooled as they are made to an anonymous temporary
    file (gone when closed, or when the process ends), and read back in the order they were minted,
    or one by one (:meth:`read`): a million works' records are several hundred MB of Python
    objects, and nothing looks them up before they are written to the registry, but the next
    version of a ``diff`` (:class:`WorkTable`)."""

    def __init__(self) -> None:
        self._file: BinaryIO | None = None
        self._offsets = array("q")  # where each record starts (8 bytes a record)
        self._end = 0

    def add(self, record: tuple[Any, ...]) -> None:
        """Keep ``record`` (after those kept before)."""
        if self._file is None:
            # lives across calls, closed by close() or with the book: no context manager
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
        data = marshal.dumps(record)
        self._file.write(data)
        self._offsets.append(self._end)
        self._end += len(data)

    def __len__(self) -> int:
        return len(self._offsets)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        """The records in the order kept (read a block of about 16 MiB at a time)."""
        f, offsets = self._file, self._offsets
        if f is None:
            return
        f.flush()  # what is still buffered, before the reads by position
        first = 0
        while first < len(offsets):
            start = offsets[first]
            last = bisect_left(offsets, start + _BLOCK, first + 1)  # the records starting in the block
            end = offsets[last] if last < len(offsets) else self._end
            block = memoryview(os.pread(f.fileno(), end - start, start))
            for i in range(first, last):
                yield marshal.loads(block[offsets[i] - start :])
            first = last

    def read(self, i: int) -> tuple[Any, ...]:
        """The ``i``-th record kept (from 0)."""
        f = self._file
        if f is None:
            raise IndexError(i)
        f.flush()
        start = self._offsets[i]
        end = self._offsets[i + 1] if i + 1 < len(self._offsets) else self._end
        record: tuple[Any, ...] = marshal.loads(os.pread(f.fileno(), end - start, start))
        return record

    def close(self) -> None:
        """Remove the spool (what was kept is gone)."""
        if self._file is not None:
            self._file.close()
        self._file, self._offsets, self._end = None, array("q"), 0


class _HashIndex:
    """Positions (from 0) found by a hash, for look-ups a dictionary would cost too much for (about
    100 bytes an entry; here 10): each (hash, position) one 64-bit number, the hash's bits above
    the position's, in one sorted array, and a bitmap of the hashes' low bits (two bytes an entry)
    that answers most hashes found nowhere without a search. A position found is a candidate: the
    caller checks it against the key it hashed.

    >>> index = _HashIndex(4)
    >>> for h, p in ((7, 1), (9, 2), (7, 3)):
    ...     index.add(h, p)
    >>> index.freeze()
    >>> index.find(7), index.find(9), index.find(8)
    ([1, 3], [2], [])
    """

    def __init__(self, span: int) -> None:
        """``span``: more than the largest position."""
        self.shift = max(1, span.bit_length())
        self._low = (1 << self.shift) - 1
        self._high = (1 << (63 - self.shift)) - 1
        self._codes = array("q")
        self._bits, self._mask = bytearray(8), 63

    def add(self, h: int, p: int) -> None:
        """Find ``p`` by the hash ``h`` (once every position is added: :meth:`freeze`)."""
        self._codes.append((h & self._high) << self.shift | p)

    def freeze(self) -> None:
        """Sort what was added, and make the bitmap: from now on, :meth:`find`."""
        size = max(64, 1 << (16 * len(self._codes)).bit_length())  # bits: 16 or more an entry
        bits, mask = bytearray(size >> 3), size - 1
        for code in self._codes:
            b = code >> self.shift & mask
            bits[b >> 3] |= 1 << (b & 7)
        self._bits, self._mask = bits, mask
        self._codes = _sorted_codes(self._codes)

    def find(self, h: int) -> list[int]:
        """The positions added with a hash whose kept bits are ``h``'s."""
        h &= self._high
        if not self._bits[(h & self._mask) >> 3] >> (h & 7) & 1:
            return []
        codes, code, low, out = self._codes, h << self.shift, self._low, []
        i = bisect_left(codes, code)
        while i < len(codes) and (codes[i] & ~low) == code:
            out.append(codes[i] & low)
            i += 1
        return out


#: A registered work's fields read without making its model: (iri, n, ids, titles, urls).
Fields = tuple[str, int, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _spool_fields(record: tuple[Any, ...]) -> Fields:
    return record[0], record[1], record[3], record[4], record[5]


class WorkTable(Mapping[str, WorkRecord]):
    """The registered works by IRI path: the registries' records as models, and, for the works an
    earlier version of a list minted (:meth:`adopt`: a million in a ``diff``), the spool they were
    written to (:class:`Minted`), found by a sorted array of their IRIs' hashes (8 bytes a work,
    against about 400 as packed bytes in memory) and made into a model when read. Records are
    added or changed with ``table[iri] = record``; a changed record of the spool is kept as a model,
    which stands for it."""

    __slots__ = ("_records", "_shadowed", "_spool", "_where")

    def __init__(self, records: Mapping[str, WorkRecord] | None = None) -> None:
        self._records: dict[str, WorkRecord] = dict(records or {})
        self._spool: Minted | None = None
        self._where = _HashIndex(0)  # the spool's records by their IRIs' hashes
        self._shadowed = 0

    def adopt(self, spool: Minted) -> int:
        """Look records up in ``spool`` too (it is read, never written, from now on); gives the
        highest number of its records (0 if none)."""
        self._spool, self._where, top = spool, _HashIndex(len(spool)), 0
        for i, record in enumerate(spool):
            self._where.add(hash(record[0]), i)
            top = max(top, record[1])
            self._shadowed += record[0] in self._records
        self._where.freeze()
        return top

    def _spooled(self, iri: str) -> tuple[Any, ...] | None:
        """The record of ``iri`` in the spool, as :class:`Minted` keeps it (None if not there)."""
        if self._spool is None:
            return None
        for i in self._where.find(hash(iri)):
            record = self._spool.read(i)
            if record[0] == iri:
                return record
        return None

    def fields(self, iri: str) -> Fields | None:
        """The record's IRI path, number, identifiers, titles and URLs, without making its model
        (None if ``iri`` is not registered)."""
        rec = self._records.get(iri)
        if rec is not None:
            return rec.iri, rec.n, rec.ids, rec.titles, rec.urls
        record = self._spooled(iri)
        return _spool_fields(record) if record is not None else None

    def __getitem__(self, iri: str) -> WorkRecord:
        rec = self._records.get(iri)
        if rec is not None:
            return rec
        record = self._spooled(iri)
        if record is None:
            raise KeyError(iri)
        return _fresh_record(record)

    def __setitem__(self, iri: str, record: WorkRecord) -> None:
        if iri not in self._records and self._spooled(iri) is not None:
            self._shadowed += 1
        self._records[iri] = record

    def __contains__(self, iri: object) -> bool:
        return iri in self._records or (isinstance(iri, str) and self._spooled(iri) is not None)

    def __iter__(self) -> Iterator[str]:
        yield from self._records
        for record in self.spooled():
            yield record[0]

    def __len__(self) -> int:
        return len(self._records) + self.spool_size() - self._shadowed

    def models(self) -> list[str]:
        """The IRI paths of the records kept as models, in their order (:class:`_KeyIndex`)."""
        return list(self._records)

    def spooled(self) -> Iterator[tuple[Any, ...]]:
        """The records of the spool that no model stands for, as :class:`Minted` keeps them."""
        if self._spool is not None:
            for record in self._spool:
                if record[0] not in self._records:
                    yield record

    def spool_size(self) -> int:
        return len(self._spool) if self._spool is not None else 0

    def spool_fields(self) -> Iterator[Fields | None]:
        """The fields of each record of the spool in order; None where a model stands for it."""
        if self._spool is not None:
            for record in self._spool:
                yield None if record[0] in self._records else _spool_fields(record)

    def spool_record(self, i: int) -> tuple[Any, ...]:
        """The ``i``-th record of the spool (:meth:`Minted.read`)."""
        assert self._spool is not None
        return self._spool.read(i)

    def replaced_by(self, iri: str) -> str | None:
        """The IRI path that replaced the record's, if it was replaced (None for no record)."""
        rec = self._records.get(iri)
        return rec.replaced_by if rec is not None else None  # the spool's were minted: never replaced

    def n(self, iri: str) -> int:
        """The record's number (without making its model)."""
        found = self.fields(iri)
        if found is None:
            raise KeyError(iri)
        return found[1]

    def replacements(self) -> set[str]:
        """The IRI paths that replaced a record's."""
        return {r.replaced_by for r in self._records.values() if r.replaced_by}


class _KeyIndex:
    """Which registered works have a key, for :meth:`IriBook._claims`: per kind of key
    (identifier, title, URL), the works' positions by their keys' hashes (:class:`_HashIndex`;
    tools and other works together); a hit is checked against the work's own keys, so a collision
    of hashes finds nothing. (Dictionaries from each key to its works cost several hundred MB for a
    million works.)

    A work's position: the records kept as models first, then the spool's (:class:`WorkTable`)."""

    def __init__(self, table: WorkTable) -> None:
        self.table = table
        self.models = table.models()
        self.first_spooled = len(self.models)
        span = self.first_spooled + table.spool_size()
        #: by kind of key: identifiers, titles, URLs
        self.indexes = (_HashIndex(span), _HashIndex(span), _HashIndex(span))
        #: the registered works' numbers (:attr:`WorkRecord.n`) by position (0: a spooled record
        #: a model stands for)
        self.numbers = array("q")
        targets = table.replacements()
        #: the positions of the works that replaced others (:meth:`position`)
        self.targets: dict[str, int] = {}
        scan = itertools.chain((table.fields(iri) for iri in self.models), table.spool_fields())
        for p, fields in enumerate(scan):
            if fields is None:
                self.numbers.append(0)
                continue
            iri, n, *keys = fields
            group = _group_of(iri)
            self.numbers.append(n)
            if iri in targets:
                self.targets[iri] = p
            for kind, values in enumerate(keys):
                for key in values:
                    if kind != 2 or _url_key(group, key):
                        self.indexes[kind].add(self._hash(key), p)
        for index in self.indexes:
            index.freeze()
        self._last: tuple[int, Fields] = (-1, ("", 0, (), (), ()))

    def _hash(self, key: str) -> int:  # the group is checked on a hit, with the key
        return hash(key)

    def spooled(self, p: int) -> bool:
        """Whether the work at ``p`` is a record of the spool (minted by an earlier version: never
        replaced, never the bundled registry's)."""
        return p >= self.first_spooled

    def at(self, p: int) -> Fields:
        """The fields of the work at ``p`` (the last one read is remembered: a work's identifier
        and title most often find the same one)."""
        if p == self._last[0]:
            return self._last[1]
        if p < self.first_spooled:
            fields = self.table.fields(self.models[p])
            assert fields is not None
        else:
            fields = _spool_fields(self.table.spool_record(p - self.first_spooled))
        self._last = (p, fields)
        return fields

    def iri(self, p: int) -> str:
        return self.models[p] if p < self.first_spooled else self.at(p)[0]

    def position(self, iri: str) -> int:
        """The position of a work that replaced others."""
        return self.targets[iri]

    def find(self, kind: int, group: str, key: str) -> list[int]:
        """The positions of the registered works of ``group`` with ``key`` among their keys of
        ``kind`` (0, 1, 2: identifiers, titles, URLs)."""
        if kind == 2 and not _url_key(group, key):
            return []
        return [
            p
            for p in self.indexes[kind].find(self._hash(key))
            if _group_of((fields := self.at(p))[0]) == group and key in fields[2:][kind]
        ]


def _sorted_codes(codes: array[int], chunk: int = 1 << 18) -> array[int]:
    """``codes`` sorted (and emptied): a chunk at a time, then merged; sorting a million numbers
    at once makes a million Python integers.

    >>> list(_sorted_codes(array("q", [5, 1, 4, 2, 3]), chunk=2))
    [1, 2, 3, 4, 5]
    """
    parts = [array("q", sorted(codes[i : i + chunk])) for i in range(0, len(codes), chunk)]
    del codes[:]
    if len(parts) == 1:
        return parts[0]
    return array("q", heapq.merge(*parts))


def _replaced_by(records: Mapping[str, WorkRecord | TopicRecord | PersonRecord], iri: str) -> str | None:
    if isinstance(records, WorkTable):
        return records.replaced_by(iri)
    rec = records.get(iri)
    return rec.replaced_by if rec is not None else None


def _url_key(group: str, url: str) -> bool:
    """Whether a work is found by ``url``: not a GitHub repository, unless the work is a tool
    (papers share those as code)."""
    return group == "tool" or not url.startswith("https://github.com/")


@dataclass
class _Layers:
    """The bundled registry and the store's, read as one (the store's records override)."""

    base: Registry
    local: Registry
    next_n: int = 1

    def __post_init__(self) -> None:
        self.next_n = 1 + max(
            (r.n for part in (self.local.works, self.local.topics, self.local.people) for r in part.values()),
            default=0,
        )

    def new_n(self) -> int:
        n, self.next_n = self.next_n, self.next_n + 1
        return n


class IriBook:
    """The IRIs of one build: reads the registries, assigns, and records what changed.

    ``earlier``: more records of the store's registry (``local``), in the spool of another book
    (:class:`Minted`): the works an earlier version of a list minted, read from there
    (:class:`WorkTable`); the spool is this book's from then on."""

    def __init__(
        self,
        base: Registry | None = None,
        local: Registry | None = None,
        aliases: AliasTable | None = None,
        *,
        remember: bool = True,
        earlier: Minted | None = None,
    ) -> None:
        base = base if base is not None else bundled_registry()
        local = local if local is not None else Registry()
        self.layers = _Layers(base, local)
        self.aliases = aliases if aliases is not None else AliasTable()
        self.works = WorkTable({**base.works, **local.works})
        if earlier is not None:  # the works an earlier version minted, read from its spool
            self.layers.next_n = max(self.layers.next_n, self.works.adopt(earlier) + 1)
        self.topics: dict[str, TopicRecord] = {**base.topics, **local.topics}
        self.people: dict[str, PersonRecord] = {**base.people, **local.people}
        self.changed: dict[str, dict[str, WorkRecord | TopicRecord | PersonRecord]] = {
            "works": {},
            "topics": {},
            "people": {},
        }
        #: the records of the work IRIs minted by this build (see :meth:`_record_work`), in order
        self.fresh = Minted()
        #: whether :attr:`fresh` keeps the works minted (``lint``, and the newer version of a
        #: ``diff``, read IRIs and keep none: a million records)
        self.remember = remember
        self.live_works: set[str] = set()
        self.live_topics: set[str] = set()
        self.live_people: set[str] = set()
        self.spaces: dict[str, TopicSpace] = {}

    # -- shared ------------------------------------------------------------------------------------
    def _age(self, iri: str, n: int) -> tuple[int, int]:
        return (0 if iri in self.layers.base.works else 1, n)

    def _survivor(self, records: Mapping[str, WorkRecord | TopicRecord | PersonRecord], iri: str) -> str:
        seen = {iri}
        while (after := _replaced_by(records, iri)) and after not in seen:
            iri = after
            seen.add(iri)
        return iri

    def _put(self, kind: str, record: WorkRecord | TopicRecord | PersonRecord) -> None:
        table: dict[str, WorkRecord | TopicRecord | PersonRecord] = getattr(self, kind)
        if table.get(record.iri) != record:
            table[record.iri] = record
            self.changed[kind][record.iri] = record

    # -- works -------------------------------------------------------------------------------------
    def assign_works(self, works: Sequence[WorkKeys]) -> list[str]:
        """The IRI path of each work (see the module docstring), in the order given."""
        slugs: list[str | None] = [None] * len(works)
        several: dict[int, list[str]] = {}  # the works that found more than one registered IRI
        for i, iri in self._claims(works) if self.works else ():
            if (had := slugs[i]) is None:
                slugs[i] = iri
            else:
                several.setdefault(i, [had]).append(iri)
        for i, iris in several.items():
            keep = min(iris, key=lambda x: self._age(x, self.works.n(x)))
            slugs[i] = keep
            for other in iris:
                if other != keep:
                    self._put("works", self.works[other].model_copy(update={"replaced_by": keep}))
        taken: set[str] = set()  # the IRIs minted here (those claimed are registered)
        out: list[str] = []
        for i, keys in enumerate(works):  # in order: the numbers of new records follow the works'
            if (slug := slugs[i]) is None:
                slug, n = keys.base, 1
                while slug in taken or slug in self.works:
                    n += 1
                    slug = f"{keys.base}-{n}"
                taken.add(slug)
            self._record_work(slug, keys)
            out.append(slug)
        self.live_works.update(out)
        return out

    def _claims(self, works: Sequence[WorkKeys]) -> Iterator[tuple[int, str]]:
        """(work index, registered IRI) pairs: each registered IRI to the work with the strongest
        key to it, then the oldest IRI first, then the work met first; a work left without one,
        to the one registered work not claimed yet that has one of its URLs. The candidates are
        ranked as one integer each (strength, age, work, registered work's position: a million
        works' candidates as tuples cost a few hundred MB more)."""
        index = _KeyIndex(self.works)
        base = self.layers.base.works
        n_bits, i_bits, p_bits = (
            max(index.numbers, default=0).bit_length(),
            len(works).bit_length(),
            max(1, len(index.numbers).bit_length()),
        )

        def survivor(p: int) -> int:
            if index.spooled(p) or self.works.replaced_by(iri := index.models[p]) is None:
                return p
            return index.position(self._survivor(self.works, iri))

        def by_url(keys: WorkKeys) -> set[int]:
            return {survivor(x) for u in keys.urls for x in index.find(2, keys.group, u)}

        ranked: list[int] = []
        found_any = bytearray(len(works))  # whether a work found a registered one by a stronger key
        urls_only: dict[int, tuple[tuple[str, ...], set[int]]] = {}  # the others': ids, URL hits
        for i, keys in enumerate(works):
            found: dict[int, int] = {}
            for k in keys.ids:
                for p in index.find(0, keys.group, k):
                    found[survivor(p)] = BY_IDENTIFIER
            for t in keys.titles:
                for p in index.find(1, keys.group, t):
                    if (s := survivor(p)) not in found and compatible(index.at(s)[2], keys.ids):
                        found[s] = BY_TITLE
            for p, strength in found.items():
                # the spool's were minted where nothing was registered: not the bundled registry's
                age = (
                    0 if not index.spooled(p) and index.models[p] in base else 1
                ) << n_bits | index.numbers[p]
                ranked.append((((3 - strength) << n_bits + 1 | age) << i_bits | i) << p_bits | p)
            if found:
                found_any[i] = 1
            elif hits := by_url(keys):
                urls_only[i] = (keys.ids, hits)
        ranked.sort()
        given = bytearray(len(index.numbers))  # by position: whether the registered work went to a work
        claimed = bytearray(len(works))
        i_mask, p_mask = (1 << i_bits) - 1, (1 << p_bits) - 1
        for code in ranked:
            if not given[p := code & p_mask]:
                given[p] = claimed[i := code >> p_bits & i_mask] = 1
                yield i, index.iri(p)
        del ranked
        # the works left without one, in order (each read again only if it found one before)
        for i in range(len(works)):
            if claimed[i]:
                continue
            if found_any[i]:
                keys = works[i]
                ids, hits = keys.ids, by_url(keys)
            elif i in urls_only:
                ids, hits = urls_only.pop(i)
            else:
                continue
            owners = {s for s in hits if not given[s]}
            if len(owners) == 1 and compatible(index.at(s := owners.pop())[2], ids):
                given[s] = 1
                yield i, index.iri(s)

    def _record_work(self, slug: str, keys: WorkKeys) -> None:
        had = self.works.fields(slug)
        if had is None:
            if not self.remember:
                return
            # a new IRI: kept as the plain fields of its record (a large list mints hundreds of
            # thousands: a model, or a dict, each cost more than the rest of the registry's work)
            self.fresh.add(
                (
                    slug,
                    self.layers.new_n(),
                    keys.minted,
                    _sorted(keys.ids),
                    _sorted(keys.titles),
                    _sorted(keys.urls),
                )
            )
            return
        ids, titles, urls = (
            _unique((*had[2], *keys.ids)),
            _unique((*had[3], *keys.titles)),
            _unique((*had[4], *keys.urls)),
        )
        if (ids, titles, urls) != had[2:]:
            update = {"ids": ids, "titles": titles, "urls": urls}
            self._put("works", self.works[slug].model_copy(update=update))

    # -- topics ------------------------------------------------------------------------------------
    def space(self, name: str, bare: bool) -> TopicSpace:
        """The topics of the list ``name`` (shared by its versions in one build)."""
        if name not in self.spaces:
            self.spaces[name] = TopicSpace(self, name, "topic" if bare else f"topics/{name}")
        return self.spaces[name]

    def _record_topic(self, record: TopicRecord) -> None:
        self._put("topics", record)
        self.live_topics.add(record.iri)

    # -- people ------------------------------------------------------------------------------------
    def settle_people(self, minted: Mapping[str, Iterable[str]]) -> None:
        """Record the people of the build (IRI path -> the names it stands for), and replace the
        registered IRIs the alias table has merged into one of them."""
        for slug, names in minted.items():
            old = self.people.get(slug)
            if old is None:
                self._put(
                    "people",
                    PersonRecord.model_construct(
                        iri=slug, n=self.layers.new_n(), names=_unique(names), replaced_by=None
                    ),
                )
            else:
                merged = _unique((*old.names, *names))
                if merged != old.names or old.replaced_by is not None:
                    self._put("people", old.model_copy(update={"names": merged, "replaced_by": None}))
        self.live_people = set(minted)
        for iri, rec in list(self.people.items()):
            if iri in minted or rec.replaced_by is not None:
                continue
            targets = {self.aliases.slug(name) for name in rec.names} - {iri}
            if len(targets) == 1 and (target := targets.pop()) in minted:
                self._put("people", rec.model_copy(update={"replaced_by": target}))

    # -- results -----------------------------------------------------------------------------------
    def replacements(self) -> list[tuple[str, str]]:
        """(replaced IRI path, the IRI path standing for it) for every replaced work, topic and person
        whose replacement is in this build, sorted."""
        out = []
        tables: tuple[tuple[Mapping[str, WorkRecord | TopicRecord | PersonRecord], set[str]], ...] = (
            (self.works, self.live_works),
            (self.topics, self.live_topics),
            (self.people, self.live_people),
        )
        for records, live in tables:
            for iri in records:
                if (
                    _replaced_by(records, iri)
                    and (final := self._survivor(records, iri)) in live
                    and final != iri
                ):
                    out.append((iri, final))
        return sorted(out)

    def save(self, folder: Path) -> None:
        """Write :meth:`local` into ``folder`` (the new works' records straight from their fields)."""
        write_registry(folder, self.local(fresh=False), fresh_works=map(_fresh_fields, self.fresh))

    def local(self, fresh: bool = True) -> Registry:
        """The registry to keep beside the store: the store's records and this build's changes,
        less what the bundled registry holds as it is (with the works it minted, unless not ``fresh``)."""
        base = self.layers.base
        out = Registry(
            works=dict(self.layers.local.works),
            topics=dict(self.layers.local.topics),
            people=dict(self.layers.local.people),
        )
        for spooled in self.works.spooled():  # those an earlier version minted (``earlier``)
            out.works[spooled[0]] = _fresh_record(spooled)
        for kind in ("works", "topics", "people"):
            mine: dict[str, WorkRecord | TopicRecord | PersonRecord] = getattr(out, kind)
            theirs: dict[str, WorkRecord | TopicRecord | PersonRecord] = getattr(base, kind)
            for iri, rec in self.changed[kind].items():
                if theirs.get(iri) == rec:
                    mine.pop(iri, None)
                else:
                    mine[iri] = rec
        if fresh:
            for fresh_record in self.fresh:  # read back from the spool
                out.works[fresh_record[0]] = _fresh_record(fresh_record)
        return out

    @property
    def modified(self) -> bool:
        """Whether this build registered or changed anything."""
        return bool(self.fresh) or any(self.changed.values())


@dataclass
class TopicSpace:
    """The registered topics of one list (its namespace) and which this build has claimed."""

    book: IriBook
    name: str
    root: str
    claimed: set[str] = field(default_factory=set)
    by_key: dict[tuple[str | None, str], TopicRecord] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # a record of this list under another root (a topic/... IRI a list of one's own minted
        # before it had a namespace: interp_kg.store.migrate) is replaced, never claimed by a heading
        prefix = self.root + "/"
        for rec in self.book.topics.values():
            if rec.list == self.name and rec.iri.startswith(prefix):
                self.by_key.setdefault((rec.parent, rec.segment), rec)

    @property
    def scheme(self) -> str:
        """The IRI path of the list's concept scheme."""
        return "scheme/topics" if self.root == "topic" else self.root

    def lister(self) -> TopicLister:
        """A resolver for the headings of one list read into this namespace."""
        return TopicLister(self, waits=bool(self.by_key))

    def records(self) -> list[TopicRecord]:
        return [r for r in self.book.topics.values() if r.list == self.name]


@dataclass
class TopicLister:
    """Topic IRIs for one list's headings, as they are read (:meth:`feed`) and at its end
    (:meth:`finish`): a heading whose IRI depends on the rest of the list waits (is None)."""

    space: TopicSpace
    waits: bool
    slugs: list[str | None] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    used: dict[tuple[int | None, str], int] = field(default_factory=dict)

    def feed(self, headings: Sequence[Heading]) -> list[str | None]:
        """The IRI paths of the headings read so far (``headings``: all of them, in order)."""
        for h in headings[len(self.slugs) :]:
            base = slugify(h.title, 60)
            seg, n = base, 1
            while (h.parent, seg) in self.used:
                n += 1
                seg = f"{base}-{n}"
            self.used[(h.parent, seg)] = h.index
            parent_path = self.paths[h.parent] if h.parent is not None else None
            self.paths.append(f"{parent_path} > {h.title}" if parent_path else h.title)
            self.segments.append(seg)
            self.headings.append(h)
            self.slugs.append(self._first_pass(h, seg))
        return list(self.slugs)

    def _under(self, parent: str | None, seg: str) -> str:
        return f"{parent}/{seg}" if parent else f"{self.space.root}/{seg}"

    def _first_pass(self, h: Heading, seg: str) -> str | None:
        parent = self.slugs[h.parent] if h.parent is not None else None
        if h.parent is not None and parent is None:
            return None  # its parent waits
        rec = self.space.by_key.get((parent, seg))
        if rec is not None:
            self._claim(rec, h, parent, seg)
            return rec.iri
        if self.waits:
            return None
        iri = self._under(parent, seg)
        self._new(iri, h, parent, seg)
        return iri

    def finish(self) -> list[str]:
        """Every heading's IRI path, once the list is read."""
        space = self.space
        for i, h in enumerate(self.headings):
            if self.slugs[i] is not None:
                continue
            parent = self.slugs[h.parent] if h.parent is not None else None
            seg = self.segments[i]
            rec = space.by_key.get((parent, seg))
            if rec is None or rec.iri in space.claimed:
                rec = self._moved(seg) or self._renamed(i, parent)
            if rec is not None:
                self._claim(rec, h, parent, seg)
                self.slugs[i] = rec.iri
                continue
            iri, n = self._under(parent, seg), 1
            while iri in space.book.topics or iri in space.claimed:
                n += 1
                iri = self._under(parent, f"{seg}-{n}")
            self._new(iri, h, parent, seg)
            self.slugs[i] = iri
        return [s for s in self.slugs if s is not None]

    def _left(self) -> list[TopicRecord]:
        return [r for r in self.space.records() if r.iri not in self.space.claimed and r.replaced_by is None]

    def _moved(self, seg: str) -> TopicRecord | None:
        found = [r for r in self._left() if r.segment == seg]
        return found[0] if len(found) == 1 else None

    def _renamed(self, i: int, parent: str | None) -> TopicRecord | None:
        h = self.headings[i]
        left = [r for r in self._left() if r.parent == parent]
        waiting = [
            j for j, other in enumerate(self.headings) if self.slugs[j] is None and other.parent == h.parent
        ]
        return left[0] if len(left) == 1 and waiting == [i] else None

    def _claim(self, rec: TopicRecord, h: Heading, parent: str | None, seg: str) -> None:
        space = self.space
        if rec.iri in space.claimed:
            return  # another version of the list in this build read it first: its heading stands
        space.claimed.add(rec.iri)
        path = self.paths[h.index]
        history = rec.history
        if rec.path != path:
            history = tuple(dict.fromkeys(p for p in (*rec.history, rec.path) if p != path))
        update = {"parent": parent, "segment": seg, "label": h.title, "path": path, "history": history}
        new = rec.model_copy(update=update)
        if space.by_key.get((rec.parent, rec.segment)) is rec:
            del space.by_key[(rec.parent, rec.segment)]
        space.by_key[(parent, seg)] = new
        space.book._record_topic(new)

    def _new(self, iri: str, h: Heading, parent: str | None, seg: str) -> None:
        space = self.space
        rec = TopicRecord.model_construct(
            iri=iri,
            n=space.book.layers.new_n(),
            replaced_by=None,
            list=space.name,
            parent=parent,
            segment=seg,
            label=h.title,
            path=self.paths[h.index],
            history=(),
        )
        space.claimed.add(iri)
        space.by_key.setdefault((parent, seg), rec)
        space.book._record_topic(rec)
