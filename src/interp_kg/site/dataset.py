"""Dumps of the whole graph and the dataset description (VoID and DCAT).

Dumps: ``dumps/interp-kg.ttl`` (Turtle, pyoxigraph's writer streaming from the store),
``dumps/interp-kg.nt.gz`` (N-Triples, gzip with no file name and mtime 0, so that the bytes only
depend on the graph) and ``dumps/interp-kg.jsonld`` (compact JSON-LD with our context, written
node by node while the pages are made). The description (``void.ttl``, ``.nt``, ``.jsonld``,
``.html``) gives the title, licence, source list and its version (the SHA-256 of its text),
the creation time (the store build's, never the time of the site build), triple count, class and
property partitions, example resources, the SPARQL endpoint when one is given, and each dump with
its byte size and SHA-256 checksum.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

import orjson

from interp_kg.rdf import vocab as v
from interp_kg.rdf.context import context_dict
from interp_kg.rdf.prefixes import DATASET_PREFIXES, IKG, PREFIXES, compact, prefixes_for
from interp_kg.site.html import external, internal, page

if TYPE_CHECKING:
    import pyoxigraph

VOID = DATASET_PREFIXES["void"]
SPDX = DATASET_PREFIXES["spdx"]
DCAT = PREFIXES["dcat"]
DCT = PREFIXES["dcterms"]
XSD = PREFIXES["xsd"]
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
DUMPS_DIR = "dumps"
TURTLE_DUMP = "interp-kg.ttl"
NTRIPLES_DUMP = "interp-kg.nt.gz"
JSONLD_DUMP = "interp-kg.jsonld"
#: file -> (media type, format name)
DUMP_TYPES = {
    TURTLE_DUMP: ("text/turtle", "Turtle"),
    NTRIPLES_DUMP: ("application/n-triples", "N-Triples, gzip-compressed"),
    JSONLD_DUMP: ("application/ld+json", "JSON-LD (compact)"),
}
#: The same dumps all gzip-compressed (``site build --gzip-dumps``, for large graphs).
GZIPPED_DUMP_TYPES = {
    f"{name}.gz" if not name.endswith(".gz") else name: (
        media,
        label if label.endswith("gzip-compressed") else f"{label}, gzip-compressed",
    )
    for name, (media, label) in DUMP_TYPES.items()
}
GZ = ".gz"


def dump_type(file: str) -> tuple[str, str]:
    """(media type, format name) of the dump file ``file``, gzipped or not."""
    return GZIPPED_DUMP_TYPES.get(file) or DUMP_TYPES[file]


def dump_types(gzipped: bool) -> dict[str, tuple[str, str]]:
    """The graph's dump files: name -> (media type, format name)."""
    return GZIPPED_DUMP_TYPES if gzipped else DUMP_TYPES


@contextmanager
def open_dump(path: Path) -> Iterator[BinaryIO]:
    """A dump file for writing: gzip-compressed when its name ends in ``.gz`` (no name or time in
    the gzip header, so the same graph gives the same bytes)."""
    with path.open("wb") as f:
        if not path.name.endswith(GZ):
            yield f
            return
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=6) as gz:
            yield cast(BinaryIO, gz)


@dataclass
class Stats:
    """Counts of the default graph: triples, triples per property, entities per class."""

    triples: int = 0
    properties: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)


def write_jsonld_dump(path: Path, base_iri: str, parts: list[Path]) -> None:
    """The compact JSON-LD dump: our context, then the nodes of ``parts`` (files of nodes
    separated by ``,\n``, written by the page workers) in order."""
    head = orjson.dumps(context_dict(base_iri), option=orjson.OPT_SORT_KEYS)
    with open_dump(path) as out:
        out.write(b'{"@context":' + head + b',"@graph":[\n')
        first = True
        for part in parts:
            if part.stat().st_size == 0:
                continue
            if not first:
                out.write(b",\n")
            first = False
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
        out.write(b"\n]}\n")


def write_dumps(source: Path, folder: Path, base_iri: str, gzipped: bool = False) -> None:
    """The Turtle and gzipped N-Triples dumps of the N-Triples file ``source`` (the Turtle
    gzipped too when ``gzipped``)."""
    import pyoxigraph

    prefixes = {p: ns for p, ns in prefixes_for(base_iri).items() if p != "id"}
    raw = folder / f".{TURTLE_DUMP}.raw"
    triples = (q.triple for q in pyoxigraph.parse(path=source, format=pyoxigraph.RdfFormat.N_TRIPLES))
    pyoxigraph.serialize(triples, raw, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    with raw.open("rb") as src, open_dump(folder / (TURTLE_DUMP + (GZ if gzipped else ""))) as dst:
        # pyoxigraph writes the prefixes in hash order: write them in the prefix map's order.
        dst.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode())
        line = src.readline()
        while line.startswith(b"@prefix "):
            line = src.readline()
        dst.write(line)
        shutil.copyfileobj(src, dst, 1 << 20)
    raw.unlink()
    with (
        source.open("rb") as src,
        (folder / NTRIPLES_DUMP).open("wb") as f,
        gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=6) as gz,
    ):
        shutil.copyfileobj(src, gz, 1 << 20)


def file_digest(path: Path) -> tuple[int, str]:
    """(byte size, SHA-256 hex) of a file, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return path.stat().st_size, h.hexdigest()


@dataclass(frozen=True)
class Description:
    """What the dataset description says besides the counts."""

    root: str
    base_iri: str
    title: str
    license: str
    version: str
    sources: tuple[tuple[str, str | None], ...]
    source_url: str | None
    created: str | None
    sparql_endpoint: str | None
    examples: tuple[str, ...]
    #: every list's file upstream or URL, for a graph of several lists
    source_urls: tuple[str, ...] = ()

    @property
    def iri(self) -> str:
        return self.root + "void#dataset"


def _local(iri: str) -> str:
    return compact(iri).replace(":", "-")


def void_triples(
    desc: Description, stats: Stats, dumps: dict[str, tuple[int, str]]
) -> list[pyoxigraph.Triple]:
    """The VoID and DCAT description, sorted."""
    import pyoxigraph
    from pyoxigraph import Literal, NamedNode, Triple

    def lit(value: object, datatype: str | None = None) -> Literal:
        return Literal(str(value), datatype=NamedNode(datatype)) if datatype else Literal(str(value))

    ds = NamedNode(desc.iri)
    a = NamedNode(v.TYPE)
    out = [
        Triple(ds, a, NamedNode(VOID + "Dataset")),
        Triple(ds, a, NamedNode(DCAT + "Dataset")),
        Triple(ds, NamedNode(DCT + "title"), Literal(desc.title, language="en")),
        Triple(ds, NamedNode(DCT + "license"), NamedNode(desc.license)),
        Triple(ds, NamedNode(DCT + "hasVersion"), lit(desc.version)),
        Triple(ds, NamedNode(VOID + "triples"), lit(stats.triples, v.XSD_INTEGER)),
        Triple(ds, NamedNode(VOID + "uriSpace"), lit(desc.base_iri)),
        Triple(ds, NamedNode(VOID + "vocabulary"), NamedNode(IKG.rstrip("#"))),
        Triple(ds, NamedNode(DCAT + "landingPage"), NamedNode(desc.root)),
    ]
    if desc.created:
        out.append(Triple(ds, NamedNode(DCT + "created"), lit(desc.created, XSD + "dateTime")))
    for url in dict.fromkeys((*((desc.source_url,) if desc.source_url else ()), *desc.source_urls)):
        out.append(Triple(ds, NamedNode(DCT + "source"), NamedNode(url)))
    for name, digest in desc.sources:
        out.append(Triple(ds, NamedNode(DCT + "source"), lit(name)))
        if digest:
            out.append(Triple(ds, NamedNode(PREFIXES["owl"] + "versionInfo"), lit(f"{name} sha256:{digest}")))
    if desc.sparql_endpoint:
        out.append(Triple(ds, NamedNode(VOID + "sparqlEndpoint"), NamedNode(desc.sparql_endpoint)))
    for example in desc.examples:
        out.append(Triple(ds, NamedNode(VOID + "exampleResource"), NamedNode(example)))
    for cls, n in stats.classes.items():
        part = NamedNode(f"{desc.root}void#class-{_local(cls)}")
        out += [
            Triple(ds, NamedNode(VOID + "classPartition"), part),
            Triple(part, NamedNode(VOID + "class"), NamedNode(cls)),
            Triple(part, NamedNode(VOID + "entities"), lit(n, v.XSD_INTEGER)),
        ]
    for prop, n in stats.properties.items():
        part = NamedNode(f"{desc.root}void#property-{_local(prop)}")
        out += [
            Triple(ds, NamedNode(VOID + "propertyPartition"), part),
            Triple(part, NamedNode(VOID + "property"), NamedNode(prop)),
            Triple(part, NamedNode(VOID + "triples"), lit(n, v.XSD_INTEGER)),
        ]
    for file, (size, digest) in sorted(dumps.items()):
        url = NamedNode(f"{desc.root}{DUMPS_DIR}/{file}")
        media, name = dump_type(file)
        checksum = NamedNode(f"{desc.root}{DUMPS_DIR}/{file}#sha256")
        out += [
            Triple(ds, NamedNode(VOID + "dataDump"), url),
            Triple(ds, NamedNode(DCAT + "distribution"), url),
            Triple(url, a, NamedNode(DCAT + "Distribution")),
            Triple(url, NamedNode(DCT + "title"), lit(name)),
            Triple(url, NamedNode(DCAT + "downloadURL"), url),
            Triple(
                url,
                NamedNode(DCAT + "mediaType"),
                NamedNode(f"https://www.iana.org/assignments/media-types/{media}"),
            ),
            Triple(url, NamedNode(DCAT + "byteSize"), lit(size, XSD + "nonNegativeInteger")),
            Triple(url, NamedNode(SPDX + "checksum"), checksum),
            Triple(checksum, a, NamedNode(SPDX + "Checksum")),
            Triple(checksum, NamedNode(SPDX + "algorithm"), NamedNode(SPDX + "checksumAlgorithm_sha256")),
            Triple(checksum, NamedNode(SPDX + "checksumValue"), lit(digest, XSD + "hexBinary")),
        ]
        if file.endswith(GZ):
            out.append(
                Triple(
                    url,
                    NamedNode(DCAT + "compressFormat"),
                    NamedNode("https://www.iana.org/assignments/media-types/application/gzip"),
                )
            )
    assert all(isinstance(t, pyoxigraph.Triple) for t in out)
    return sorted(set(out), key=str)


def void_prefixes(base_iri: str) -> dict[str, str]:
    """Prefixes of the description's Turtle."""
    return {**{p: ns for p, ns in prefixes_for(base_iri).items() if p != "id"}, **DATASET_PREFIXES}


def void_html(
    desc: Description, stats: Stats, dumps: dict[str, tuple[int, str]], names: Mapping[str, str]
) -> str:
    """The description as a page."""
    here = "void.html"
    return page(
        "void.html",
        here=here,
        title=f"{desc.title}: dataset",
        iri=desc.iri,
        alternates="void",
        name=desc.title,
        license=external(desc.license),
        sources=", ".join(n + (f" (sha256 {d})" if d else "") for n, d in desc.sources),
        source_url=external(desc.source_url) if desc.source_url else None,
        created=desc.created or "",
        built_by=f"interp-kg {desc.version}",
        triples=stats.triples,
        endpoint=external(desc.sparql_endpoint) if desc.sparql_endpoint else None,
        examples=[(names.get(x, x), x) for x in desc.examples],
        dumps=[
            (
                internal(f"{DUMPS_DIR}/{f}", here, f),
                dump_type(f)[0],
                size,
                digest,
            )
            for f, (size, digest) in sorted(dumps.items())
        ],
        classes=[(compact(c), n) for c, n in sorted(stats.classes.items())],
        properties=[(compact(p), n) for p, n in sorted(stats.properties.items())],
    )
