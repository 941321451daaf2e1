"""The store: builds swap in atomically; failures leave the previous store intact."""

from __future__ import annotations

from pathlib import Path

import pytest

from interp_kg.errors import SourceError, StoreError
from interp_kg.store.build import build
from interp_kg.store.buildinfo import BuildInfo
from interp_kg.store.builds import build_lock, current_build, load_build, open_store, read_info
from tests.conftest import BUNDLED, write


def triples(store_dir: Path) -> int:
    return len(open_store(store_dir))


def test_build_reports_and_records_what_it_built(tmp_path: Path) -> None:
    result = build([BUNDLED], tmp_path / "s")
    info = read_info(tmp_path / "s")
    assert info.triples == result.info.triples == triples(tmp_path / "s")
    assert info.sources == [str(BUNDLED)]


def test_rebuild_swaps_keeps_the_previous_build_and_removes_older_ones(tmp_path: Path) -> None:
    """The build a rebuild replaced stays (a reader may be opening it); the one before goes."""
    small = write(
        tmp_path / "small.md", "# L\n## T\n* **Only one** [[arxiv]](https://arxiv.org/abs/2401.00001)\n"
    )
    build([BUNDLED], tmp_path / "s")
    first = current_build(tmp_path / "s")
    build([small], tmp_path / "s")
    second = current_build(tmp_path / "s")
    assert second != first and first.exists()
    assert read_info(tmp_path / "s").entries == 1
    build([small], tmp_path / "s")
    names = sorted(p.name for p in (tmp_path / "s" / "builds").iterdir())
    assert names == sorted([second.name, current_build(tmp_path / "s").name])


def test_failed_parse_leaves_the_previous_store(tmp_path: Path) -> None:
    build([BUNDLED], tmp_path / "s")
    before = triples(tmp_path / "s")
    empty = write(tmp_path / "empty.md", "  \n")
    with pytest.raises(SourceError, match="empty"):
        build([empty], tmp_path / "s")
    assert triples(tmp_path / "s") == before


def test_failed_load_leaves_the_previous_store_and_no_partial_build(tmp_path: Path) -> None:
    build([BUNDLED], tmp_path / "s")
    before = current_build(tmp_path / "s")
    bad = write(
        tmp_path / "bad.nt", "<http://a/s> <http://a/p> <http://a/o> .\n<http://a/s> <http://a/p> broken\n"
    )
    info = read_info(tmp_path / "s")
    with build_lock(tmp_path / "s"), pytest.raises(SyntaxError):
        load_build(tmp_path / "s", lambda out: (out.write(bad.read_bytes()), info)[1])
    assert current_build(tmp_path / "s") == before
    assert triples(tmp_path / "s") == info.triples
    assert not list((tmp_path / "s" / "builds").glob("*.partial"))


def test_a_killed_builds_leftovers_do_not_hurt(tmp_path: Path) -> None:
    build([BUNDLED], tmp_path / "s")
    stale = tmp_path / "s" / "builds" / "19990101T000000-1-000000.partial"
    (stale / "oxigraph").mkdir(parents=True)
    assert triples(tmp_path / "s") > 0
    build([BUNDLED], tmp_path / "s")
    assert not stale.exists()


def test_second_build_while_locked_is_refused(tmp_path: Path) -> None:
    with build_lock(tmp_path / "s"), pytest.raises(StoreError, match="locked by another"):
        build([BUNDLED], tmp_path / "s")


def test_unwritable_store_directory(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "not a directory")
    with pytest.raises(StoreError, match="cannot write the store directory"):
        build([BUNDLED], blocker / "store")


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="run `interp-kg build` first"):
        open_store(tmp_path / "nothing")


def test_build_info_rejects_unknown_keys() -> None:
    with pytest.raises(ValueError, match="extra"):
        BuildInfo.model_validate({"surprise": 1})


def test_optimized_build_holds_the_same_graph(tmp_path: Path) -> None:
    plain = build([BUNDLED], tmp_path / "plain")
    compact = build([BUNDLED], tmp_path / "compact", optimize=True)
    assert compact.info.triples == plain.info.triples > 0
    a, b = open_store(tmp_path / "plain"), open_store(tmp_path / "compact")
    assert len(b) == compact.info.triples
    assert set(b) == set(a)
