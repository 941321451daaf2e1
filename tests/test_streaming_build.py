"""A large list's listings stream to the loader while it is parsed: the graph is the same."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from interp_kg.rdf.export import export
from interp_kg.rdf.prefixes import sparql_header
from interp_kg.source import parse
from interp_kg.store import builds as store
from interp_kg.store.build import build
from interp_kg.store.buildinfo import BuildInfo
from interp_kg.store.builds import build_lock, current_build, load_build, open_graph, open_store, read_info
from tests.conftest import write


def big_list(entries: int) -> str:
    lines = ["# Big list", ""]
    for i in range(entries):
        if i % 150 == 0:
            lines += ["", f"## Section {i // 1500}", "", f"### General {i // 150}", ""]
        lines.append(f"* **Paper {i} on circuits** [[arxiv 2402]](https://arxiv.org/abs/2402.{i:05d})")
        if i % 97 == 0:
            lines.append("  * a note on it")
    return "\n".join(lines) + "\n"


def test_streamed_build_equals_unstreamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "big.md", big_list(5000))
    build([src], tmp_path / "streamed")
    monkeypatch.setattr(parse, "FINAL_BATCH", 10**9)  # one batch at the end: nothing streamed early
    build([src], tmp_path / "whole")
    streamed = export(open_graph(tmp_path / "streamed"), "ntriples")
    assert streamed == export(open_graph(tmp_path / "whole"), "ntriples")
    count = (
        sparql_header()
        + "SELECT (COUNT(?l) AS ?n) WHERE { ?w ikg:listing ?l . ?l ikg:line ?line ; ikg:topic ?t }"
    )
    assert [r["n"].value for r in open_store(tmp_path / "streamed").query(count)] == ["5000"]  # type: ignore[index,union-attr]


def test_the_catalogs_own_triples_come_in_bounded_batches(tmp_path: Path) -> None:
    """The catalog's triples (topics, people, every work's sort key...) are not one batch: at a
    million works the sort keys alone were a 150 MB chunk that the loader took whole (about
    1.2 GiB more at the end of the build). In order, the batches are the graph the build keeps."""
    from interp_kg.catalog.curated import Curated
    from interp_kg.catalog.models import Catalog
    from interp_kg.catalog.stream import CatalogStream
    from interp_kg.curation.saved_queries import load_catalogue
    from interp_kg.rdf.graph import CATALOG_BATCH, GraphWriter

    src = write(tmp_path / "big.md", big_list(6000))
    build([src], tmp_path / "store")
    writer, lines, catalog_batches = GraphWriter(), [], []
    for node in CatalogStream([src], Curated.bundled(), tuple(load_catalogue().values())):
        for batch in writer.batches([node]):
            lines += batch
            if isinstance(node, Catalog):
                catalog_batches.append(len(batch))
    assert len(catalog_batches) >= 2 and max(catalog_batches) <= CATALOG_BATCH  # 6000 sort keys
    kept = (current_build(tmp_path / "store") / store.NTRIPLES_FILE).read_text(encoding="utf-8")
    assert "".join(lines) == kept


def test_loading_in_many_chunks_gives_the_same_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = write(tmp_path / "big.md", big_list(2000))
    build([src], tmp_path / "one")
    monkeypatch.setattr(store, "LOAD_CHUNK_BYTES", 4096)  # hundreds of bulk_load calls
    build([src], tmp_path / "many")
    dump = sparql_header() + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = [
        [r["n"].value for r in open_store(tmp_path / name).query(dump)]  # type: ignore[index,union-attr]
        for name in ("one", "many")
    ]
    assert counts[0] == counts[1] and int(counts[0][0]) > 20000
    assert export(open_graph(tmp_path / "one"), "ntriples") == export(
        open_graph(tmp_path / "many"), "ntriples"
    )


def test_a_bad_chunk_after_good_ones_fails_the_build_and_keeps_the_old_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "s"
    build([write(tmp_path / "small.md", big_list(10))], root)
    before = current_build(root)
    monkeypatch.setattr(store, "LOAD_CHUNK_BYTES", 64)

    def produce(out: BinaryIO) -> BuildInfo:
        for i in range(50):
            out.write(f"<http://a/s{i}> <http://a/p> <http://a/o> .\n".encode())
        out.write(b"<http://a/s> <http://a/p> broken\n")
        return read_info(root)

    with build_lock(root), pytest.raises(SyntaxError):
        load_build(root, produce)
    assert current_build(root) == before
    assert not list((root / "builds").glob("*.partial"))
