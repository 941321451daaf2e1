"""``interp-kg export --profile wikidata``: the works in the shape of Wikidata's own RDF.

Every item a work becomes (:mod:`.items`: a paper's preprint and venue version apart) is written
the way Wikidata's RDF dumps and its query service write items, with the statements of
:mod:`.statements`:

- truthy statements: ``<item> wdt:P818 "2301.00001"``;
- full statements: ``<item> p:P50 <statement>``, with ``ps:P50`` (the value), ``pq:P1545`` (the
  series ordinal of an author), ``wikibase:rank wikibase:NormalRank``, and ``prov:wasDerivedFrom``
  a ``wikibase:Reference`` node holding ``pr:P854`` (the page the fact was read on, an IRI),
  ``pr:P813`` (the day) and ``pr:P248`` (the database, when verified);
- time values: the truthy and ``ps:`` value as ``xsd:dateTime``, and ``psv:P577`` / ``prv:P813``
  to a ``wikibase:TimeValue`` node with ``wikibase:timeValue``, ``wikibase:timePrecision`` (9
  year, 10 month, 11 day), ``wikibase:timeTimezone`` and ``wikibase:timeCalendarModel``;
- titles as ``"..."@en``, identifiers as plain strings (DOIs upper-cased), URLs as IRIs, items as
  ``wd:`` IRIs; labels as ``rdfs:label``, ``skos:prefLabel`` and ``schema:name`` (``http://schema.org/``,
  as Wikidata writes it); the labels of the people a P50 points to, where the mapping recorded them.

Subjects are ``wd:`` IRIs for items the mapping confirms, ours for the rest: the work's IRI, or
``<work>#preprint`` / ``<work>#published`` for a paper's two versions. Statement, reference and
value nodes are ours (``<base>wikidata/statement/<hash>``...): they are not Wikidata's. Unlike a
batch, the dump holds every fact we have, referenced to wherever it was read (a mirror too), and
values from the list's links without a reference; it still uses only verified ids.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from interp_kg.identifiers import wikidata as wd
from interp_kg.rdf import vocab as v
from interp_kg.rdf.export import sort_lines
from interp_kg.wikidata.statements import Context, Item, Reference, Statement, Value, build_items
from interp_kg.wikidata.works import PublicationDate, WorkFacts

if TYPE_CHECKING:
    import pyoxigraph

PREFIXES = {
    "wd": wd.ENTITY,
    "wdt": wd.DIRECT,
    "p": wd.PROP,
    "ps": wd.STATEMENT,
    "psv": wd.STATEMENT_VALUE,
    "pq": wd.QUALIFIER,
    "pr": wd.REFERENCE,
    "prv": wd.REFERENCE_VALUE,
    "wikibase": wd.WIKIBASE,
    "prov": wd.PROV,
    "rdfs": v.RDFS,
    "skos": v.SKOS,
    "schema": "http://schema.org/",
    "xsd": v.XSD,
}
_DATETIME = v.XSD + "dateTime"
#: The predicates of an item's English label in Wikidata's RDF.
LABELS = (v.LABEL, v.SKOS + "prefLabel", "http://schema.org/name")
_INTEGER = v.XSD + "integer"


def subject(item: Item, qid: str | None) -> str:
    """The item's IRI: ``wd:Q...`` when linked, else the work's (``#preprint``/``#published``)."""
    if qid is not None:
        return wd.entity(qid)
    return item.work.iri if item.version == "work" else f"{item.work.iri}#{item.version}"


def _time_text(date: PublicationDate) -> str:
    month = date.month if date.precision >= 10 else 1
    day = date.day if date.precision >= 11 else 1
    return f"{date.year:04d}-{month:02d}-{day:02d}T00:00:00Z"


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()


class _Writer:
    """Triples of the dump, with node IRIs minted from their content under ``base``."""

    def __init__(self, base_iri: str) -> None:
        import pyoxigraph as px

        self.px = px
        self.base = base_iri + "wikidata/"
        self.triples: list[pyoxigraph.Triple] = []  # since the last :meth:`take`, duplicates kept

    def add(self, s: str, p: str, o: pyoxigraph.NamedNode | pyoxigraph.Literal) -> None:
        self.triples.append(self.px.Triple(self.px.NamedNode(s), self.px.NamedNode(p), o))

    def take(self) -> list[pyoxigraph.Triple]:
        """The triples added since the last call."""
        taken, self.triples = self.triples, []
        return taken

    def iri(self, value: str) -> pyoxigraph.NamedNode:
        return self.px.NamedNode(value)

    def term(self, value: Value) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
        import pyoxigraph as px

        if value.kind == "item":
            return px.NamedNode(wd.entity(value.text))
        if value.kind == "url":
            return px.NamedNode(value.text)
        if value.kind == "monolingual":
            return px.Literal(value.text, language="en")
        if value.kind == "time":
            assert value.date is not None
            return px.Literal(_time_text(value.date), datatype=px.NamedNode(_DATETIME))
        return px.Literal(value.text)

    def time_node(self, date: PublicationDate) -> str:
        px = self.px
        node = f"{self.base}value/{_digest(_time_text(date), str(date.precision))}"
        self.add(node, v.TYPE, self.iri(wd.WIKIBASE + "TimeValue"))
        self.add(
            node, wd.WIKIBASE + "timeValue", px.Literal(_time_text(date), datatype=px.NamedNode(_DATETIME))
        )
        integer = px.NamedNode(_INTEGER)
        self.add(node, wd.WIKIBASE + "timePrecision", px.Literal(str(date.precision), datatype=integer))
        self.add(node, wd.WIKIBASE + "timeTimezone", px.Literal("0", datatype=integer))
        self.add(node, wd.WIKIBASE + "timeCalendarModel", self.iri(wd.GREGORIAN))
        return node

    def reference(self, ref: Reference) -> str:
        px = self.px
        node = f"{self.base}reference/{_digest(ref.url, ref.retrieved.isoformat(), ref.stated_in or '')}"
        self.add(node, v.TYPE, self.iri(wd.WIKIBASE + "Reference"))
        if ref.stated_in:
            self.add(node, wd.REFERENCE + wd.STATED_IN, self.iri(wd.entity(ref.stated_in)))
        self.add(node, wd.REFERENCE + wd.REFERENCE_URL, self.iri(ref.url))
        day = PublicationDate(ref.retrieved.year, ref.retrieved.month, ref.retrieved.day, 11)
        self.add(
            node, wd.REFERENCE + wd.RETRIEVED, px.Literal(_time_text(day), datatype=px.NamedNode(_DATETIME))
        )
        self.add(node, wd.REFERENCE_VALUE + wd.RETRIEVED, self.iri(self.time_node(day)))
        return node

    def statement(self, s_iri: str, st: Statement) -> None:
        value = self.term(st.value)
        self.add(s_iri, wd.DIRECT + st.prop, value)
        qualifiers = "|".join(f"{q}={x.compare}" for q, x in st.qualifiers)
        node = f"{self.base}statement/{_digest(s_iri, st.prop, st.value.kind, st.value.compare, qualifiers)}"
        self.add(s_iri, wd.PROP + st.prop, self.iri(node))
        self.add(node, v.TYPE, self.iri(wd.WIKIBASE + "Statement"))
        self.add(node, v.TYPE, self.iri(wd.WIKIBASE + "BestRank"))  # the only statement of its kind
        self.add(node, wd.WIKIBASE + "rank", self.iri(wd.WIKIBASE + "NormalRank"))
        self.add(node, wd.STATEMENT + st.prop, value)
        if st.value.kind == "time" and st.value.date is not None:
            self.add(node, wd.STATEMENT_VALUE + st.prop, self.iri(self.time_node(st.value.date)))
        for q, x in st.qualifiers:
            self.add(node, wd.QUALIFIER + q, self.term(x))
        if st.reference is not None:
            self.add(node, wd.PROV + "wasDerivedFrom", self.iri(self.reference(st.reference)))


def profile_triples(works: Iterable[WorkFacts], ctx: Context) -> list[pyoxigraph.Triple]:
    """The triples of the dump, sorted (subject, predicate, object as N-Triples), in memory."""
    return sorted({t for batch in _batches(works, ctx) for t in batch}, key=str)


def _batches(works: Iterable[WorkFacts], ctx: Context) -> Iterator[list[pyoxigraph.Triple]]:
    """The triples of the dump, a work at a time, unsorted, with duplicates."""
    import pyoxigraph as px

    records = ctx.mapping.records()
    labels = {
        link.qid: link.label for link in ctx.mapping.authors if link.status == "confirmed" and link.label
    }
    out = _Writer(ctx.base_iri)
    for work in works:
        for item in build_items(work, ctx):
            record = records.get((work.slug, item.version))
            qid = record.qid if record is not None and record.status == "confirmed" else None
            s_iri = subject(item, qid)
            out.add(s_iri, v.TYPE, out.iri(wd.WIKIBASE + "Item"))
            label = px.Literal(item.label or work.title, language="en")
            for predicate in LABELS:
                out.add(s_iri, predicate, label)
            for st in item.statements:
                out.statement(s_iri, st)
                if st.prop == wd.AUTHOR and (name := labels.get(st.value.text)):
                    for predicate in LABELS:
                        out.add(wd.entity(st.value.text), predicate, px.Literal(name, language="en"))
        yield out.take()


#: Export format name -> pyoxigraph format.
FORMATS = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "nquads": "N_QUADS",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON_LD",
}


def write_profile(works: Iterable[WorkFacts], ctx: Context, fmt: str, out: BinaryIO) -> None:
    """Write the dump in ``fmt`` (an export format name) to ``out``, byte-stable, in bounded
    memory: the triples of each work go to an external sort as N-Triples lines (the order of
    :func:`profile_triples`: a triple's N-Triples text), and the sorted file is copied
    (N-Triples, N-Quads) or streamed through pyoxigraph's writer."""
    import pyoxigraph as px

    lines = (f"{t} .\n".encode() for batch in _batches(works, ctx) for t in batch)
    with tempfile.TemporaryDirectory(prefix="interp-kg-profile-") as tmp:
        ordered = Path(tmp) / "profile.nt"
        with ordered.open("wb") as f:
            sort_lines(lines, f)
        with ordered.open("rb", buffering=1 << 20) as f:
            if fmt in ("ntriples", "nquads"):
                shutil.copyfileobj(f, out, 1 << 20)
                return
            triples = (q.triple for q in px.parse(f, format=px.RdfFormat.N_TRIPLES))
            px.serialize(triples, out, format=getattr(px.RdfFormat, FORMATS[fmt]), prefixes=PREFIXES)


def profile_bytes(works: Iterable[WorkFacts], ctx: Context, fmt: str = "turtle") -> bytes:
    """The dump in ``fmt`` (an export format name), byte-stable, whole (see :func:`write_profile`)."""
    buffer = io.BytesIO()
    write_profile(works, ctx, fmt, buffer)
    return buffer.getvalue()
