"""Exports: byte-identical across runs, and each parses back to the same graph."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from interp_kg.rdf.context import render_context
from interp_kg.rdf.export import WRITERS, export
from interp_kg.store.build import build
from interp_kg.store.builds import open_store
from tests.conftest import BUNDLED, REPO

RDFLIB_FORMAT = {
    "turtle": "turtle",
    "ntriples": "nt",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}


def store_graph(store: pyoxigraph.Store) -> rdflib.Graph:
    data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return rdflib.Graph().parse(data=data, format="nt")


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_export_round_trips_to_an_isomorphic_graph(bundled_store_dir: Path, fmt: str) -> None:
    store = open_store(bundled_store_dir)
    data = export(store, fmt)
    if fmt == "nquads":
        parsed = rdflib.Dataset().parse(data=data, format="nquads")
        graph = rdflib.Graph()
        for s, p, o, _ in parsed.quads():
            graph.add((s, p, o))
    else:
        graph = rdflib.Graph().parse(data=data, format=RDFLIB_FORMAT[fmt])
    expected = store_graph(store)
    assert len(graph) == len(expected) > 3000
    assert isomorphic(graph, expected)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_export_is_byte_identical_across_builds(tmp_path: Path, fmt: str) -> None:
    build([BUNDLED], tmp_path / "a")
    build([BUNDLED], tmp_path / "b")
    assert export(open_store(tmp_path / "a"), fmt) == export(open_store(tmp_path / "b"), fmt)


def test_ntriples_export_is_sorted(bundled_store_dir: Path) -> None:
    lines = export(open_store(bundled_store_dir), "ntriples").decode().splitlines()
    assert lines == sorted(lines)


def test_jsonld_is_compact_with_our_context(bundled_store_dir: Path) -> None:
    doc = json.loads(export(open_store(bundled_store_dir), "jsonld"))
    on_disk = json.loads((REPO / "ontology" / "context.jsonld").read_text("utf-8"))
    assert doc["@context"] == on_disk["@context"]
    reft = next(n for n in doc["@graph"] if n["@id"] == "paper:arxiv-2404.03592")
    assert reft["@type"] == ["Paper", "Work"]
    assert reft["label"] == "ReFT: Representation Finetuning for Language Models"
    assert reft["year"] == 2024
    assert reft["software"] == "tool:github-stanfordnlp-pyreft"
    assert reft["venue"] == "id:venue/arxiv"


def test_context_file_is_generated_from_the_vocabulary() -> None:
    on_disk = (REPO / "ontology" / "context.jsonld").read_text("utf-8")
    assert on_disk == render_context(), (
        "regenerate: python -m interp_kg.rdf.context > ontology/context.jsonld"
    )


def test_base_iri_moves_every_data_iri(tmp_path: Path) -> None:
    base = "https://example.org/kg/"
    build([BUNDLED], tmp_path / "s", base_iri=base)
    store = open_store(tmp_path / "s")
    subjects = {q.subject.value for q in store}
    assert subjects and all(s.startswith(base) for s in subjects)
    doc = json.loads(export(store, "jsonld", base))
    graph = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
    assert isomorphic(graph, store_graph(store))


def test_export_from_the_kept_ntriples_equals_export_from_the_store(bundled_store_dir: Path) -> None:
    from interp_kg.store.builds import open_graph

    source = open_graph(bundled_store_dir)
    assert source.ntriples is not None and source.ntriples.exists()
    for fmt in sorted(WRITERS):
        assert export(source, fmt) == export(open_store(bundled_store_dir), fmt), fmt


def test_the_external_sort_merges_runs_into_unique_sorted_lines() -> None:
    import io
    import random

    from interp_kg.rdf.export import sort_lines

    lines = [f'<s{random.Random(n).randrange(500)}> <p> "{n % 97}" .\n'.encode() for n in range(3000)]
    out = io.BytesIO()
    sort_lines(lines, out, run_bytes=2000)  # many runs, then a merge
    assert out.getvalue() == b"".join(sorted(set(lines)))


def test_the_sort_of_a_file_drops_blank_lines_and_ends_the_last_one() -> None:
    import io

    from interp_kg.rdf.export import sort_file

    data = b'<b> <p> "2" .\n\n  \n\x01x\n<a> <p> "1" .\n\t\r\n<b> <p> "2" .\n<a> <p> "0" .'
    expected = [b"\x01x\n", b'<a> <p> "0" .\n', b'<a> <p> "1" .\n', b'<b> <p> "2" .\n']
    for run_bytes in (8, 1 << 20):  # several runs, one run
        out = io.BytesIO()
        sort_file(io.BytesIO(data), out, run_bytes=run_bytes)
        assert out.getvalue() == b"".join(expected), run_bytes


def test_nquads_merges_the_named_graphs_into_the_sorted_default_graph() -> None:
    import pyoxigraph as px

    store = px.Store()
    store.load(
        b'<http://a/s> <http://a/p> "x" .\n<http://a/z> <http://a/p> "y"@en .\n',
        format=px.RdfFormat.N_TRIPLES,
    )
    quads = (
        b'<http://a/s> <http://a/p> "x" <http://g/1> .\n'
        b"<http://a/a> <http://a/q> <http://a/b> <http://g/2> .\n"
    )
    store.load(quads, format=px.RdfFormat.N_QUADS)
    assert export(store, "nquads") == (
        b'<http://a/a> <http://a/q> <http://a/b> <http://g/2> .\n<http://a/s> <http://a/p> "x" .\n'
        b'<http://a/s> <http://a/p> "x" <http://g/1> .\n<http://a/z> <http://a/p> "y"@en .\n'
    )


def test_exports_stream_from_one_canonical_file_kept_beside_the_build(bundled_store_dir: Path) -> None:
    from interp_kg.rdf.export import CANONICAL_FILE, jsonld_document
    from interp_kg.store.builds import open_graph

    source = open_graph(bundled_store_dir)
    kept = source.ntriples.with_name(CANONICAL_FILE)  # type: ignore[union-attr]
    kept.unlink(missing_ok=True)
    ntriples = export(source, "ntriples")
    assert kept.stat().st_mode & 0o777 == source.ntriples.stat().st_mode & 0o777  # type: ignore[union-attr]
    assert (
        kept.read_bytes() == ntriples == b"".join(sorted(set(source.ntriples.read_bytes().splitlines(True))))
    )  # type: ignore[union-attr]
    import orjson

    whole = orjson.dumps(jsonld_document(source), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    assert export(source, "jsonld") == whole  # streamed node by node, the same bytes
