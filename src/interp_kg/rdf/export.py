"""The built graph as Turtle, N-Triples, N-Quads, RDF/XML or compact JSON-LD, byte-stable and
streamed in bounded memory.

Every export starts from the canonical N-Triples: the default graph's unique lines, sorted
(:meth:`GraphSource.canonical_path`). It is made once per build by an external merge sort (runs
of :data:`RUN_BYTES`, merged), kept beside the build's ``graph.nt``, and then streamed: copied for
N-Triples (and N-Quads: a build has no named graph; a store with some has their sorted quads merged
in), parsed and re-serialised by pyoxigraph for Turtle and RDF/XML, grouped by subject for
JSON-LD. Nothing holds the whole graph in memory.

The writers (:data:`WRITERS`) are keyed by the names of :mod:`interp_kg.formats`, which drives
the CLI's ``--format`` choices.
"""

from __future__ import annotations

import heapq
import io
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from interp_kg.rdf import vocab as v
from interp_kg.rdf.context import OBJECT_PROPERTIES, context_dict, jsonld_prefixes, terms
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI, PREFIXES, Compactor, compact, prefixes_for, turtle_header

if TYPE_CHECKING:
    import pyoxigraph

ExportFormat = Literal["turtle", "ntriples", "nquads", "jsonld", "rdfxml"]
#: The canonical N-Triples of a build, kept beside its ``graph.nt`` once an export made it.
CANONICAL_FILE = "graph.sorted.nt"
#: Bytes of lines sorted in memory at a time by the external sort (a run).
RUN_BYTES = 64 << 20


def sort_lines(lines: Iterable[bytes], out: BinaryIO, run_bytes: int = RUN_BYTES) -> None:
    """Write ``lines`` (each ending in a newline) to ``out`` sorted and without duplicates, in
    memory bounded by ``run_bytes``: sorted runs go to temporary files, then are merged."""

    def batches() -> Iterator[list[bytes]]:
        batch: list[bytes] = []
        size = 0
        for line in lines:
            batch.append(line)
            size += len(line)
            if size >= run_bytes:
                yield batch
                batch, size = [], 0
        yield batch

    _sort_batches(batches(), out)


def sort_file(src: BinaryIO, out: BinaryIO, run_bytes: int = RUN_BYTES) -> None:
    """:func:`sort_lines` of the lines of ``src`` that are not blank (a last line without a
    newline gets one), read a run at a time (``readlines``: no Python work per line)."""

    def batches() -> Iterator[list[bytes]]:
        while batch := src.readlines(run_bytes):
            if not batch[-1].endswith(b"\n"):
                batch[-1] += b"\n"
            yield batch

    _sort_batches(batches(), out, drop_blank=True)


def _sort_batches(batches: Iterable[list[bytes]], out: BinaryIO, drop_blank: bool = False) -> None:
    with tempfile.TemporaryDirectory(prefix="interp-kg-sort-") as tmp, ExitStack() as stack:
        runs: list[BinaryIO] = []
        pending: list[bytes] | None = None  # the first batch, kept until a second one comes
        for batch in batches:
            if pending is not None:
                runs.append(_run(pending, Path(tmp) / f"run-{len(runs)}", stack, drop_blank))
            pending = batch
        if not runs:  # one run: no merge
            out.writelines(_sorted_unique(pending or [], drop_blank))
            return
        if pending:
            runs.append(_run(pending, Path(tmp) / f"run-{len(runs)}", stack, drop_blank))
        # each run is unique: a line is in several runs at most once each, next to itself
        out.writelines(map(itemgetter(0), itertools.groupby(heapq.merge(*runs))))


def _sorted_unique(batch: list[bytes], drop_blank: bool) -> list[bytes]:
    ordered = sorted(set(batch))
    if drop_blank:
        # A blank line holds only ASCII whitespace (bytes <= 0x20): it sorts among the lines that
        # start with such a byte, which come first.
        head = 0
        while head < len(ordered) and ordered[head][:1] <= b" ":
            head += 1
        ordered[:head] = [line for line in ordered[:head] if line.strip()]
    return ordered


def _run(batch: list[bytes], path: Path, stack: ExitStack, drop_blank: bool) -> BinaryIO:
    with path.open("wb") as f:
        f.writelines(_sorted_unique(batch, drop_blank))
    return stack.enter_context(path.open("rb", buffering=1 << 20))


@dataclass
class GraphSource:
    """The graph to export: a store, and the N-Triples file its build loaded when there is one
    (reading that file is ~5x faster than dumping an on-disk store)."""

    store: pyoxigraph.Store
    ntriples: Path | None = None
    base_iri: str = DEFAULT_BASE_IRI

    @contextmanager
    def canonical_path(self) -> Iterator[Path]:
        """The canonical N-Triples file: kept beside the build's ``graph.nt`` (made by the first
        export, atomically), else made in a temporary folder for the caller's use."""
        if self.ntriples is not None and self.ntriples.exists():
            kept = self.ntriples.with_name(CANONICAL_FILE)
            if kept.exists():
                yield kept
                return
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{CANONICAL_FILE}.", dir=kept.parent)
            except OSError:  # a build folder we may not write: sort for this export only
                pass
            else:
                try:
                    with os.fdopen(fd, "wb") as out, self.ntriples.open("rb") as src:
                        sort_file(src, out)
                        # readable as graph.nt is (mkstemp makes a file only its owner may read)
                        os.chmod(tmp, os.fstat(src.fileno()).st_mode & 0o777)
                    os.replace(tmp, kept)
                finally:
                    Path(tmp).unlink(missing_ok=True)
                yield kept
                return
        with tempfile.TemporaryDirectory(prefix="interp-kg-export-") as folder:
            path = Path(folder) / CANONICAL_FILE
            with path.open("wb") as out:
                if self.ntriples is not None and self.ntriples.exists():
                    with self.ntriples.open("rb") as src:
                        sort_file(src, out)
                else:  # a store without its build's file: dumped to disk, then sorted
                    import pyoxigraph

                    dumped = Path(folder) / "dump.nt"
                    self.store.dump(
                        str(dumped),
                        format=pyoxigraph.RdfFormat.N_TRIPLES,
                        from_graph=pyoxigraph.DefaultGraph(),
                    )
                    with dumped.open("rb") as src:
                        sort_file(src, out)
                    dumped.unlink()
            yield path

    def canonical(self) -> bytes:
        """The canonical N-Triples, whole (small graphs, tests)."""
        with self.canonical_path() as path:
            return path.read_bytes()


#: A writer: the graph of a source, in one format, to a binary stream.
Writer = Callable[[GraphSource, BinaryIO], None]


def _ntriples(source: GraphSource, out: BinaryIO) -> None:
    with source.canonical_path() as path, path.open("rb") as src:
        shutil.copyfileobj(src, out, 1 << 20)


def _nquads(source: GraphSource, out: BinaryIO) -> None:
    """The dataset's unique lines, sorted: the canonical N-Triples (the default graph) merged with
    the sorted quads of the named graphs, if the store has any (a build has none)."""
    import pyoxigraph

    named = list(source.store.named_graphs())
    with source.canonical_path() as path, path.open("rb", buffering=1 << 20) as default:
        if not named:
            shutil.copyfileobj(default, out, 1 << 20)
            return
        with tempfile.TemporaryDirectory(prefix="interp-kg-nquads-") as tmp:
            dumped, ordered = Path(tmp) / "named.nq", Path(tmp) / "named.sorted.nq"
            with dumped.open("wb") as f:
                for graph in named:
                    in_graph = source.store.quads_for_pattern(None, None, None, graph)
                    pyoxigraph.serialize(in_graph, f, format=pyoxigraph.RdfFormat.N_QUADS)
            with dumped.open("rb") as src, ordered.open("wb") as f:
                sort_file(src, f)
            with ordered.open("rb", buffering=1 << 20) as named_lines:
                out.writelines(map(itemgetter(0), itertools.groupby(heapq.merge(default, named_lines))))


class _PrefixLines:
    """A binary stream for pyoxigraph's Turtle writer: drops the ``@prefix`` lines it writes first
    (in hash order) and writes ours instead (in the prefix map's order)."""

    def __init__(self, out: BinaryIO, header: bytes) -> None:
        self.out = out
        self.header: bytes | None = header
        self.pending = b""

    def write(self, data: bytes) -> int:
        if self.header is None:
            return self.out.write(data)
        self.pending += data
        while self.pending.startswith(b"@prefix ") and b"\n" in self.pending:
            self.pending = self.pending.split(b"\n", 1)[1]
        if self.pending and (b"\n" in self.pending or not b"@prefix ".startswith(self.pending[:8])):
            self.out.write(self.header)
            self.out.write(self.pending)
            self.header, self.pending = None, b""
        return len(data)

    def flush(self) -> None:
        """Nothing to do: what is pending waits for the end of the prefix lines (see :meth:`close`)."""

    def close(self) -> None:
        if self.header is not None:
            self.out.write(self.header + self.pending)
            self.header = None


def _rdf_with_prefixes(fmt_name: str) -> Writer:
    def write(source: GraphSource, out: BinaryIO) -> None:
        import pyoxigraph

        fmt = getattr(pyoxigraph.RdfFormat, fmt_name)
        # Data IRIs stay whole: their paths hold '/', which Turtle would escape in a local name.
        prefixes = {p: ns for p, ns in prefixes_for(source.base_iri).items() if p != "id"}
        with source.canonical_path() as path:
            quads = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
            triples = (q.triple for q in quads)
            if fmt_name != "TURTLE":
                pyoxigraph.serialize(triples, out, format=fmt, prefixes=prefixes)
                return
            # pyoxigraph writes the prefixes in hash order; put them in the prefix map's order.
            fixed = _PrefixLines(out, turtle_header(prefixes).encode())
            pyoxigraph.serialize(triples, fixed, format=fmt, prefixes=prefixes)  # type: ignore[arg-type]
            fixed.close()

    return write


_INTEGER = re.compile(r"[+-]?[0-9]+")


def json_literal(value: str, datatype: str, language: str | None) -> Any:
    """A literal as a compact JSON-LD value: plain strings, integers and booleans as JSON, other
    datatypes as ``{"@value", "@type"}`` (an integer whose lexical form is not one stays so)."""
    if language:
        return {"@value": value, "@language": language}
    if datatype == v.XSD + "string":
        return value
    if datatype == v.XSD_INTEGER and _INTEGER.fullmatch(value):
        return int(value)
    if datatype == v.XSD_BOOLEAN:
        return value == "true"
    return {"@value": value, "@type": compact(datatype)}


def jsonld_nodes(source: GraphSource) -> Iterator[dict[str, Any]]:
    """The default graph's nodes as compact JSON-LD objects under our context, one per subject,
    in the canonical order (each node built from its run of sorted triples, then released)."""
    import pyoxigraph

    named, blank, literal = pyoxigraph.NamedNode, pyoxigraph.BlankNode, pyoxigraph.Literal
    names = {iri: term for term, iri in terms().items()}
    ids = Compactor(jsonld_prefixes(source.base_iri))
    types = Compactor(PREFIXES)
    # per predicate, once: its key in a node, and whether its IRI values are written bare
    predicates: dict[str, tuple[str, bool]] = {v.TYPE: ("@type", False)}
    xsd_string = v.XSD + "string"
    with source.canonical_path() as path:
        node: dict[str, Any] | None = None
        current = None
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES):
            subject, obj = quad.subject, quad.object
            kind = type(subject)
            if kind is named:
                s = subject.value
            elif kind is blank:
                s = f"_:{subject.value}"
            else:
                raise ValueError("RDF-star triples cannot be written as JSON-LD 1.1")
            if s != current:
                if node is not None:
                    yield _unwrap(node)
                current, node = s, {"@id": ids(s)}
            assert node is not None
            p = quad.predicate.value
            entry = predicates.get(p)
            if entry is None:
                entry = predicates[p] = (names.get(p) or types(p), p in OBJECT_PROPERTIES and p in names)
            key, as_id = entry
            kind = type(obj)
            if kind is pyoxigraph.Triple:
                raise ValueError("RDF-star triples cannot be written as JSON-LD 1.1")
            if key == "@type":
                value: Any = names.get(obj.value) or types(obj.value)
            elif kind is named:
                value = ids(obj.value) if as_id else {"@id": ids(obj.value)}
            elif kind is literal:
                language = obj.language
                if language:
                    value = {"@value": obj.value, "@language": language}
                else:
                    datatype = obj.datatype.value
                    value = obj.value if datatype == xsd_string else json_literal(obj.value, datatype, None)
            else:
                value = {"@id": f"_:{obj.value}"}
            values = node.get(key)
            if values is None:
                node[key] = [value]
            else:
                values.append(value)
        if node is not None:
            yield _unwrap(node)


def _unwrap(node: dict[str, Any]) -> dict[str, Any]:
    return {k: (vals[0] if isinstance(vals, list) and len(vals) == 1 else vals) for k, vals in node.items()}


def jsonld_document(source: GraphSource) -> dict[str, Any]:
    """The default graph as a compact JSON-LD document with our context inlined (whole, in memory:
    for small graphs; the export streams :func:`jsonld_nodes`)."""
    return {"@context": context_dict(source.base_iri), "@graph": list(jsonld_nodes(source))}


def _jsonld(source: GraphSource, out: BinaryIO) -> None:
    """The document of :func:`jsonld_document`, byte for byte as orjson writes it whole (two-space
    indent, sorted keys), written one node at a time."""
    import orjson

    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS
    shell = orjson.dumps({"@context": context_dict(source.base_iri), "@graph": []}, option=option)
    before, _, after = shell.rpartition(b"[]")
    out.write(before)
    first = True
    for node in jsonld_nodes(source):
        out.write(b"[\n    " if first else b",\n    ")
        out.write(orjson.dumps(node, option=option).replace(b"\n", b"\n    "))
        first = False
    out.write(b"[]" if first else b"\n  ]")
    out.write(after + b"\n")


#: Format name -> writer, for the formats :data:`interp_kg.formats.COMMAND_FORMATS` gives ``export``.
WRITERS: dict[str, Writer] = {
    "turtle": _rdf_with_prefixes("TURTLE"),
    "ntriples": _ntriples,
    "nquads": _nquads,
    "jsonld": _jsonld,
    "rdfxml": _rdf_with_prefixes("RDF_XML"),
}


def write(
    source: GraphSource | pyoxigraph.Store, fmt: str, out: BinaryIO, base_iri: str = DEFAULT_BASE_IRI
) -> None:
    """Write the graph to ``out`` in ``fmt`` (a key of :data:`WRITERS`): a :class:`GraphSource`, or
    a bare store whose data lives under ``base_iri``."""
    if not isinstance(source, GraphSource):
        source = GraphSource(source, None, base_iri)
    WRITERS[fmt](source, out)


def export(source: GraphSource | pyoxigraph.Store, fmt: str, base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """The graph in ``fmt``, whole (see :func:`write` to stream it)."""
    buffer = io.BytesIO()
    write(source, fmt, buffer, base_iri)
    return buffer.getvalue()
