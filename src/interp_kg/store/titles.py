"""The title index of a build: every work's sort key, IRI and lower-cased title and aliases,
kept beside the store (``builds/<id>/titles.idx``), so that a search by title finds its first
matches without decoding every title in the store (Oxigraph has no text index; QLever keeps one
beside its permutations).

It is made from the build's ``graph.nt`` on first use, the way the canonical N-Triples of the
exports are (:class:`interp_kg.rdf.export.GraphSource`): written to a temporary file in the build
folder and renamed (:mod:`interp_kg.atomic`), so readers in other processes see it whole or not
at all; a build folder that cannot be written gets none (the plain query runs). It records what it
was made from (the size of ``graph.nt`` and of each file of the store, the Unicode version of the
lower-casing); an index made from another state of the store is not used, nor made again
(:func:`load`): the store was changed after its build, and ``graph.nt`` may no longer say what it
holds. One of another format or Unicode version, or that cannot be read, is made again.

A work is indexed when the graph says it is an ``ikg:Work`` with an ``rdfs:label`` and an integer
``ikg:titleOrder`` (its place is the smallest one); its text is each label and ``ikg:alias``,
lower-cased by :func:`fold`. The index is only ever a superset of what SPARQL's
``CONTAINS(LCASE(STR(?text)), LCASE(STR(?keyword)))`` finds: :func:`fold` lower-cases as Python
does (the same Unicode mappings as Oxigraph's ``LCASE`` for every character Python knows, checked by
the tests) and makes final and medial sigma one letter; a work whose text holds a character
unassigned in Python's Unicode tables (a newer Unicode may lower-case it) matches every keyword.

File layout: one JSON header line, then the sort keys (``array('q')``), the record offsets into
the text (``array('q')``, characters), the offsets into the IRIs (``array('q')``, bytes), the
flags of works that match anything (``array('q')`` of record numbers), the IRIs (UTF-8, no
separator) and the text (UTF-8: each work's texts, each followed by a newline, in title order).
"""

from __future__ import annotations

import json
import os
import re
import sys
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from interp_kg.atomic import WriteError, write_stream
from interp_kg.rdf import vocab as v
from interp_kg.store.builds import NTRIPLES_FILE

#: The index file of a build.
INDEX_FILE = "titles.idx"
#: The format of the file (its header says which): a file of another format is made again.
FORMAT = "interp-kg-titles/1"
_INTEGER = re.compile(r"[+-]?\d+")


def fold(text: str) -> str:
    """``text`` lower-cased for the index: Python's ``str.lower``, then final sigma as medial
    sigma (Python and Oxigraph each choose between them by context).

    >>> fold("ΟΔΥΣΣΕΥΣ and İstanbul")
    'οδυσσευσ and i̇stanbul'
    """
    return text.lower().replace("\N{GREEK SMALL LETTER FINAL SIGMA}", "\N{GREEK SMALL LETTER SIGMA}")


def unknown_characters(text: str) -> bool:
    """Whether ``text`` holds a character Python's Unicode tables do not assign (its lower case
    may differ in the store's newer tables).

    >>> unknown_characters("Sparse autoencoders 🌟"), unknown_characters("\\u0378")
    (False, True)
    """
    return not text.isascii() and any(unicodedata.category(c) == "Cn" for c in text)


def fingerprint(build: Path) -> dict[str, int]:
    """What the index of ``build`` is made from: the size of ``graph.nt`` and of each file of the
    store (a write into the store adds files or grows its log and manifest; a copy of the store
    keeps them as they are, whatever their times)."""
    paths = [build / NTRIPLES_FILE]
    with os.scandir(build / "oxigraph") as entries:
        paths += sorted(Path(e.path) for e in entries if e.is_file() and not e.name.startswith("LOG"))
    return {str(path.relative_to(build)): path.stat().st_size for path in paths}


@dataclass(frozen=True)
class Matches:
    """The works of a search, in title order: the first ``limit`` matching ones and those tied
    with the last of them on the sort key."""

    iris: tuple[str, ...]
    #: whether every matching work is in ``iris`` (no work after them matches)
    complete: bool


@dataclass(frozen=True)
class TitleIndex:
    """A loaded title index (:func:`load`)."""

    orders: array[int]
    offsets: array[int]
    iri_offsets: array[int]
    anything: frozenset[int]
    iris: bytes
    text: str

    def __len__(self) -> int:
        return len(self.orders)

    def iri(self, record: int) -> str:
        """The IRI of the ``record``-th work in title order."""
        return self.iris[self.iri_offsets[record] : self.iri_offsets[record + 1]].decode("utf-8")

    def _records(self, keyword: str) -> Iterator[int]:
        """The records whose text contains ``keyword`` (folded), or that match anything, in order."""
        flagged = iter(sorted(self.anything))
        nxt = next(flagged, None)
        start = 0
        text, offsets = self.text, self.offsets
        while True:
            pos = text.find(keyword, start) if keyword else start
            hit = bisect_right(offsets, pos) - 1 if 0 <= pos < len(text) else None
            while nxt is not None and (hit is None or nxt < hit):
                yield nxt
                nxt = next(flagged, None)
            if hit is None:
                return
            if nxt == hit:
                nxt = next(flagged, None)
            yield hit
            start = offsets[hit + 1]

    def search(self, keyword: str, limit: int | None) -> Matches | None:
        """The works whose label or alias may contain ``keyword`` ignoring case (a superset of
        SPARQL's ``CONTAINS(LCASE(...))``), in title order: the first ``limit`` (None: all) and
        those tied with the last of them. None when the index cannot answer for ``keyword`` (it
        holds a character Python's Unicode tables do not know)."""
        if unknown_characters(keyword):
            return None
        found: list[int] = []
        records = self._records(fold(keyword))
        for record in records:
            if limit is not None and len(found) >= limit and self.orders[record] != self.orders[found[-1]]:
                return Matches(tuple(self.iri(r) for r in found), complete=False)
            found.append(record)
        return Matches(tuple(self.iri(r) for r in found), complete=True)


def load(build: Path) -> TitleIndex | None:
    """The title index of ``build``; made first when it has none, or one of another format or
    Unicode version, or one that cannot be read (if its ``graph.nt`` is there and the folder
    writable). None when there is none, or it was made from another state of the store (the
    store changed since: not made again), or the sort keys are not integers."""
    path = build / INDEX_FILE
    try:
        current = fingerprint(build)
    except OSError:
        return None
    found = _open(path, current)
    if found is None and os.access(build, os.W_OK):
        try:
            make(build, current)
        except (OSError, ValueError, WriteError):
            return None
        found = _open(path, current)
    return found if isinstance(found, TitleIndex) else None


def _open(path: Path, current: dict[str, int]) -> TitleIndex | Literal["plain"] | None:
    """The index in ``path``; ``"plain"`` when it must not be used nor made again (made from
    another state of the store, or unusable), None when it is missing, of another format or
    Unicode version, or unreadable."""
    try:
        with path.open("rb") as f:
            header = json.loads(f.readline())
            if header.get("format") != FORMAT or header.get("unicode") != unicodedata.unidata_version:
                return None
            if header.get("made_from") != current or not header.get("usable"):
                return "plain"
            sections = [f.read(n) for n in header["sections"]]
        arrays = []
        for raw in sections[:4]:
            a = array("q")
            a.frombytes(raw)
            if sys.byteorder != header.get("byteorder"):
                a.byteswap()
            arrays.append(a)
        orders, offsets, iri_offsets, anything = arrays
        text = sections[5].decode("utf-8")
        sections[4].decode("utf-8")  # the IRIs are decoded one by one later: all must decode
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    n = len(orders)
    if len(offsets) != n + 1 or len(iri_offsets) != n + 1 or offsets[-1] != len(text):
        return None  # a file cut short
    return TitleIndex(
        orders=orders,
        offsets=offsets,
        iri_offsets=iri_offsets,
        anything=frozenset(anything),
        iris=sections[4],
        text=text,
    )


#: Bytes of ``graph.nt`` read at a time to search (a memory map of the whole file would count every
#: page it touched in the process's resident memory: 2.9 GB at a million works).
SEARCH_BLOCK = 1 << 24


def _matching(path: Path, needle: bytes) -> Iterator[bytes]:
    """The lines of the file ``path`` that contain ``needle``, in order, read a block of whole
    lines at a time."""
    with path.open("rb") as f:
        rest = b""
        while block := f.read(SEARCH_BLOCK):
            block = rest + block if rest else block
            cut = block.rfind(b"\n") + 1
            rest = block[cut:]
            yield from _lines(block[:cut] if rest else block, needle)
        if rest:
            yield from _lines(rest, needle)


def _lines(data: bytes, needle: bytes) -> Iterator[bytes]:
    """The lines of ``data`` that contain ``needle`` (found by the C search, not line by line)."""
    pos = data.find(needle)
    while pos >= 0:
        start = data.rfind(b"\n", 0, pos) + 1
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        yield data[start:end].rstrip(b"\r")
        pos = data.find(needle, end)


def _subject(line: bytes) -> bytes:
    return line[: line.find(b">") + 1]


#: Lines parsed at a time when the index is made (a million works' lines are never one string).
READ_BATCH = 1 << 16


def _read(ntriples: Path) -> dict[str, tuple[int, list[str]]] | None:
    """Each indexed work's place and texts, read from a build's N-Triples (None: a sort key that
    is not an integer, which the index cannot order). The lines that may matter are found by
    their predicate, and pyoxigraph parses them a batch at a time."""
    import pyoxigraph

    labels: set[str] = set()
    texts: dict[str, list[str]] = {}
    orders: dict[str, int] = {}

    def take(batch: list[bytes]) -> bool:
        """Parse ``batch`` (lines of one predicate, in the file's order); False: a sort key that
        is not an integer."""
        # a line the search found in a literal, not as the predicate, is parsed and then not one
        # of these
        for triple in pyoxigraph.parse(b"\n".join([*batch, b""]), format=pyoxigraph.RdfFormat.N_TRIPLES):
            work, predicate, obj = triple.subject.value, triple.predicate.value, triple.object
            if isinstance(obj, pyoxigraph.BlankNode):
                continue  # STR() of a blank node is an error: it matches nothing
            if predicate == v.TITLE_ORDER:
                if not isinstance(obj, pyoxigraph.Literal) or not _INTEGER.fullmatch(obj.value):
                    return False
                place = int(obj.value)
                orders[work] = min(place, orders.get(work, place))
            elif predicate in (v.LABEL, v.ALIAS):
                texts.setdefault(work, []).append(obj.value)
                if predicate == v.LABEL:
                    labels.add(work)
        batch.clear()
        return True

    works = {_subject(line) for line in _matching(ntriples, f"> <{v.TYPE}> <{v.WORK}> .".encode())}
    works.discard(b"")
    batch: list[bytes] = []
    for predicate in (v.LABEL, v.ALIAS, v.TITLE_ORDER):
        for line in _matching(ntriples, f"> <{predicate}> ".encode()):
            if _subject(line) in works:
                batch.append(line)
                if len(batch) >= READ_BATCH and not take(batch):
                    return None
        if not take(batch):
            return None
    del works
    # a work without a title or a sort key gives no row
    return {work: (place, texts.pop(work)) for work, place in orders.items() if work in labels}


def make(build: Path, made_from: dict[str, int] | None = None) -> None:
    """Write the title index of ``build`` (from its ``graph.nt``) with the one atomic writer
    (:func:`interp_kg.atomic.write_stream`)."""
    made_from = made_from if made_from is not None else fingerprint(build)
    works = _read(build / NTRIPLES_FILE)
    usable = works is not None
    ordered = sorted((place, work) for work, (place, _texts) in (works or {}).items())
    orders, offsets, iri_offsets, anything = array("q"), array("q", [0]), array("q", [0]), array("q")
    # each work's folded texts and IRI, encoded: written as they are, never joined into one string
    parts: list[bytes] = []
    iris: list[bytes] = []
    size = iri_size = text_size = 0
    for record, (place, work) in enumerate(ordered):
        assert works is not None
        texts = works.pop(work)[1]  # let go as it is taken
        if any(unknown_characters(t) for t in texts):
            anything.append(record)
        part = "".join(f"{fold(t)}\n" for t in texts)
        size += len(part)
        encoded_part = part.encode("utf-8")
        parts.append(encoded_part)
        text_size += len(encoded_part)
        encoded = work.encode("utf-8")
        iris.append(encoded)
        iri_size += len(encoded)
        orders.append(place)
        offsets.append(size)
        iri_offsets.append(iri_size)
    count = len(ordered)
    del ordered, works
    sections = [orders.tobytes(), offsets.tobytes(), iri_offsets.tobytes(), anything.tobytes()]
    header = {
        "format": FORMAT,
        "usable": usable,
        "works": count,
        "unicode": unicodedata.unidata_version,
        "byteorder": sys.byteorder,
        "made_from": made_from,
        "sections": [*(len(s) for s in sections), iri_size, text_size],
    }
    head = json.dumps(header, sort_keys=True).encode("utf-8") + b"\n"

    def write(out: BinaryIO) -> None:
        out.write(head)
        out.writelines(sections)
        out.writelines(iris)
        out.writelines(parts)

    write_stream(build / INDEX_FILE, write)
