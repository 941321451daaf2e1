"""Citation files of many works: each topic's (with its sub-topics), venue's and author's, and
the whole dataset's in ``dumps/``: each work's entries made once (by the same writers as the
files beside its page, :func:`interp_kg.site.meta.citation_files`, so the bytes agree) and
joined. They need only the index, so they are written while the page workers work."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator, Mapping
from operator import itemgetter

import orjson

from interp_kg.citations.model import Citation
from interp_kg.citations.write import WRITERS, csl_item
from interp_kg.formats import CITATION_FORMATS, FORMATS, suffix
from interp_kg.site.collect import Index, decode_citation
from interp_kg.site.dataset import DUMPS_DIR, GZ
from interp_kg.site.ondisk import Groups
from interp_kg.site.render import Writer
from interp_kg.site.selection import Selection

#: dumps/ file -> its label: every work's citation in each citation format.
CITATION_DUMPS: dict[str, str] = {f"interp-kg{suffix(n)}": FORMATS[n].label for n in CITATION_FORMATS}


def entries(cite: Citation) -> dict[str, bytes]:
    """One work's entry in each citation format, as it stands in a collection file (UTF-8): text
    (BibTeX, RIS), or an item (CSL-JSON, indented as an element of the array)."""
    return {
        name: (_csl(csl_item(cite)) if name == "csl-json" else WRITERS[name]([cite])).encode("utf-8")
        for name in CITATION_FORMATS
    }


def _piece(name: str, first: bool, entry: bytes) -> bytes:
    """An entry as it follows the ones before it in a file of format ``name``: entries joined by
    a blank line (BibTeX, RIS; each ends its own line) or as the items of a JSON array."""
    if name == "csl-json":
        return (b"\n  " if first else b",\n  ") + entry
    return entry if first else b"\n" + entry


class _Collection:
    """One collection's files being written: the entries not yet written, per format."""

    __slots__ = ("pending", "started", "wrote")

    def __init__(self) -> None:
        self.pending: dict[str, list[bytes]] = {name: [] for name in CITATION_FORMATS}
        self.wrote = False  # an entry is in it (the next one is preceded by a separator)
        self.started = False  # its files exist (written to from then on by appending)


class Collections:
    """The citation files of many collections, written in one pass over the works in citation-key
    order: each work's entries are made once and added to every collection that holds it (each
    collection's files thus come out ordered by key), held in memory up to :data:`BUFFERED` bytes
    in all and then appended to their files."""

    #: Bytes of entries held before they are appended to their files.
    BUFFERED = 32 << 20

    def __init__(self, w: Writer, stems: list[str]) -> None:
        self.w = w
        self.held = 0
        self.collections: dict[str, _Collection] = {stem: _Collection() for stem in stems}

    def add(self, stems: Iterable[str], entry: dict[str, bytes]) -> None:
        for stem in stems:
            c = self.collections[stem]
            for name, text in entry.items():
                c.pending[name].append(_piece(name, not c.wrote, text))
                self.held += len(text) + 4
            c.wrote = True
        if self.held > self.BUFFERED:
            self.flush()

    def flush(self, last: bool = False) -> None:
        """Append what is held to the files (``last``: and close each collection's CSL-JSON array)."""
        for stem, c in self.collections.items():
            if not last and not any(c.pending.values()):
                continue
            for name in CITATION_FORMATS:
                data = b"".join(c.pending[name])
                if name == "csl-json":  # an array: opened by the first write, closed by the last
                    end = (b"\n]\n" if c.wrote else b"]\n") if last else b""
                    data = (b"" if c.started else b"[") + data + end
                self.w.append(f"{stem}{suffix(name)}", data, new=not c.started)
                c.pending[name].clear()
            c.started = True
        self.held = 0


def _csl(item: object) -> str:
    """A CSL-JSON item as it stands indented in an array."""
    return orjson.dumps(item, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n  ")


def citation_dumps(gzipped: bool = False) -> dict[str, str]:
    """The dataset's citation files in ``dumps/``: name -> label."""
    if not gzipped:
        return CITATION_DUMPS
    return {f"{name}.gz": f"{label}, gzip-compressed" for name, label in CITATION_DUMPS.items()}


def _groups(index: Index) -> dict[str, Mapping[str, list[str]]]:
    """Group (a kind of collection) -> collection -> the works it lists directly."""
    return {"topic": index.topic_works, "venue": index.venue_works, "author": index.author_works}


def _cited(index: Index) -> Iterator[tuple[str, Citation, list[tuple[str, str]]]]:
    """Every work with a citation and a page, in citation-key order (then IRI), with its
    citation and the (group, collection) rows that list it directly (topics, venues, authors)."""
    if index.db is None:
        rows: dict[str, list[tuple[str, str]]] = {}
        for group, mapping in _groups(index).items():
            for c, works in mapping.items():
                for work in works:
                    rows.setdefault(work, []).append((group, c))
        for work in sorted(index.cite, key=lambda w: (index.cite[w].key, w)):
            if index.stem(work) is not None:
                yield work, index.cite[work], rows.get(work, [])
        return
    query = index.db.query(
        "SELECT c.k, c.v, k.v, m.g, m.c FROM citekey k INDEXED BY citekey_v JOIN cite c ON c.k = k.k "
        "LEFT JOIN member m INDEXED BY member_m ON m.m = k.k ORDER BY k.v, k.k"
    )
    for work, run in itertools.groupby(query, key=itemgetter(0)):
        first = next(run)
        if index.stem(work) is None:
            continue
        found = [(g, c) for *_, g, c in itertools.chain([first], run) if g is not None]
        yield work, decode_citation(first[1], first[2]), found


def write_collections(
    w: Writer, index: Index, selection: Selection | None = None, gzipped: bool = False
) -> None:
    """The citation files of every topic, venue and author with works (those ``selection``
    wants, when it wants citation files), and of the dataset (``.gz`` when ``gzipped``): one pass
    over the works in citation-key order (see :class:`Collections`)."""
    selection = selection or Selection()
    kinds = set() if "cite" not in selection.formats else {"topic", "venue", "author"} & selection.kinds
    groups = _groups(index)
    listed = {  # the collections with works
        group: set(mapping) if isinstance(mapping, Groups) else {c for c, works in mapping.items() if works}
        for group, mapping in groups.items()
    }
    stems: dict[tuple[str, str], str] = {}  # (group, collection) -> its stem, for those written
    for iri in sorted(index.of_kind(kinds)) if kinds else ():
        kind = index.kind.get(iri) or ""
        stem = index.stem(iri)
        if stem is None or kind not in groups:
            continue
        below = index.below(iri) if kind == "topic" else [iri]
        if any(t in listed[kind] for t in below):
            stems[(kind, iri)] = stem
    above: dict[str, list[str]] = {}  # topic -> the topics whose collections hold its works

    def holders(group: str, c: str) -> list[str]:
        if group != "topic":
            found = stems.get((group, c))
            return [found] if found is not None else []
        if c not in above:
            above[c] = [s for t in index.above(c) if (s := stems.get(("topic", t))) is not None]
        return above[c]

    out = Collections(w, sorted(stems.values()))
    end = GZ if gzipped else ""
    with contextlib.ExitStack() as stack:
        dump = {
            name: stack.enter_context(w.open(f"{DUMPS_DIR}/interp-kg{suffix(name)}{end}"))
            for name in CITATION_FORMATS
        }
        dump["csl-json"].write(b"[")
        first = True
        for _, cite, rows in _cited(index):
            entry = entries(cite)
            for name, f in dump.items():
                f.write(_piece(name, first, entry[name]))
            first = False
            out.add(dict.fromkeys(s for group, c in rows for s in holders(group, c)), entry)
        dump["csl-json"].write(b"]\n" if first else b"\n]\n")
    out.flush(last=True)
