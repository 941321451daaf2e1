"""The registry of minted IRIs (data/registry/ and <store>/registry/): its files, its seed, and
that the bundled lists keep the IRIs they were published with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.persist import IriBook
from interp_kg.catalog.works import build_catalog, list_ref
from interp_kg.curation.registry import (
    RegistryError,
    bundled_registry,
    dump_records,
    iter_lines,
    load_registry,
    write_registry,
)
from interp_kg.diff.seed import seed_registry
from interp_kg.source.bundled import bundled_list_path, bundled_lists
from interp_kg.source.parse import parse_file
from interp_kg.store.build import build, registry_dir
from tests.conftest import REPO, write

DATA = REPO / "data" / "registry"


def test_the_bundled_registry_is_written_by_its_one_writer(tmp_path: Path) -> None:
    write_registry(tmp_path, load_registry(DATA))
    assert dict(iter_lines(tmp_path)) == dict(iter_lines(DATA)), (
        "rewrite it: python -m interp_kg.diff.seed data/registry"
    )


def test_the_bundled_registry_is_the_seed_of_the_bundled_lists(tmp_path: Path) -> None:
    write_registry(tmp_path, seed_registry())
    assert dict(iter_lines(tmp_path)) == dict(iter_lines(DATA)), (
        "data/registry is not what the bundled lists mint: python -m interp_kg.diff.seed data/registry"
    )


@pytest.mark.parametrize("version", bundled_lists().names())
def test_a_build_of_a_bundled_list_mints_nothing_new(version: str) -> None:
    path = bundled_list_path(version)
    curated = Curated.bundled()
    book = IriBook(aliases=curated.aliases)
    catalog = build_catalog([parse_file(path)], curated=curated, refs=[list_ref(path.name)], book=book)
    registry = bundled_registry()
    assert not book.modified, sorted(iri for kind in book.changed.values() for iri in kind)
    assert {w.slug for w in catalog.works} <= registry.works.keys()
    assert {t.slug for t in catalog.topics} <= registry.topics.keys()
    assert {a.slug for a in catalog.authors} <= registry.people.keys()


def test_the_bundled_registry_replaces_what_the_alias_table_and_a_rename_retired() -> None:
    registry = bundled_registry()
    assert registry.people["author/christopher-olah"].replaced_by == "author/chris-olah"
    visulization = "topic/paper-blog/by-topic/tools-techniques-methods/visulization"
    assert registry.topics[visulization].replaced_by == visulization.replace("visulization", "visualization")
    assert not any(w.replaced_by for w in registry.works.values())


def test_a_store_keeps_only_what_the_bundled_registry_does_not_hold(tmp_path: Path) -> None:
    from tests.conftest import BUNDLED

    store = tmp_path / "s"
    build([BUNDLED], store)
    assert not registry_dir(store).exists(), "the bundled list minted nothing new"
    mine = write(
        tmp_path / "mine.md", "## A\n* **A widget study** [[arxiv]](https://arxiv.org/abs/2401.99990)\n"
    )
    build([BUNDLED, mine], store)
    local = load_registry(registry_dir(store))
    assert set(local.works) == {"paper/arxiv-2401.99990"}
    assert set(local.topics) == {"topics/mine/a"}
    assert local.works["paper/arxiv-2401.99990"].minted == "mine:L2"
    assert not local.people


def test_records_are_checked(tmp_path: Path) -> None:
    (tmp_path / "works.jsonl").write_text('{"iri":"paper/x","n":1,"minted":"l:L1","colour":"red"}\n')
    with pytest.raises(RegistryError, match=r"works.jsonl:1: not a WorkRecord"):
        load_registry(tmp_path)
    line = '{"iri":"paper/x","n":1,"minted":"l:L1"}\n'
    (tmp_path / "works.jsonl").write_text(line + line)
    with pytest.raises(RegistryError, match="registered twice"):
        load_registry(tmp_path)


def test_records_are_written_oldest_first_with_sorted_keys() -> None:
    registry = bundled_registry()
    lines = dump_records(registry.works.values()).decode().splitlines()
    assert lines[0].startswith('{"iri":') and '"n":1,' in lines[0]  # no ids: the field is left out
    assert len(lines) == len(registry.works)


def test_a_builds_minted_records_are_spooled_and_read_back_in_order() -> None:
    from interp_kg.catalog.persist import Minted

    minted = Minted()
    assert len(minted) == 0 and list(minted) == []
    records = [
        (f"paper/x{i}", i, f"l:L{i}", (f"arxiv:2401.{i:05d}",), (f"title {i}",), ()) for i in range(1, 4)
    ]
    for record in records[:2]:
        minted.add(record)
    assert list(minted) == records[:2]
    minted.add(records[2])  # after a read: appended, not written over what was read
    assert list(minted) == records == list(minted)
    assert len(minted) == 3
    minted.close()
    assert len(minted) == 0 and list(minted) == []


def test_minted_records_are_written_among_the_others_by_number() -> None:
    from interp_kg.curation.registry import WorkRecord

    old = [WorkRecord(iri=f"paper/old{n}", n=n, minted=f"l:L{n}") for n in (5, 1, 3)]
    fresh = [{"iri": f"paper/new{n}", "n": n, "minted": f"l:L{n}"} for n in (2, 4, 6)]
    lines = dump_records(old, fresh).decode().splitlines()
    assert [json.loads(line)["n"] for line in lines] == [1, 2, 3, 4, 5, 6]
    assert [json.loads(line)["iri"] for line in lines][:2] == ["paper/old1", "paper/new2"]
    with pytest.raises(ValueError, match="out of order"):
        dump_records(old, fresh[::-1])


def _keys(group: str, base: str, ids=(), titles=(), urls=(), line: int = 1):  # type: ignore[no-untyped-def]
    from interp_kg.catalog.persist import WorkKeys

    return WorkKeys(group, tuple(ids), tuple(titles), tuple(urls), base, f"l:L{line}")


def _claimed_book(collide: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    from interp_kg.catalog import persist
    from interp_kg.curation.registry import Registry, WorkRecord

    if collide:  # every key hashes alike: only the check against each work's own keys tells them apart
        monkeypatch.setattr(persist._KeyIndex, "_hash", lambda self, key: 0)
    records = [
        WorkRecord(iri="paper/a", n=1, minted="l:L1", ids=("arxiv:2401.00001",), titles=("alpha",)),
        WorkRecord(iri="paper/b", n=2, minted="l:L2", titles=("beta",), urls=("https://b.example/",)),
        WorkRecord(iri="paper/c", n=3, minted="l:L3", urls=("https://github.com/x/c",)),
        WorkRecord(iri="tool/d", n=4, minted="l:L4", urls=("https://github.com/x/d",)),
        WorkRecord(iri="paper/e", n=5, minted="l:L5", ids=("arxiv:2401.00005",), titles=("gamma",)),
    ]
    book = IriBook(Registry(), Registry(works={r.iri: r for r in records}))
    return book.assign_works(
        [
            _keys("work", "paper/x1", ids=["arxiv:2401.00001"], titles=["renamed"]),  # its identifier
            _keys("work", "paper/x2", titles=["beta"]),  # its title
            _keys("work", "paper/x3", urls=["https://github.com/x/c"]),  # a paper's code: not a key
            _keys("tool", "tool/x4", urls=["https://github.com/x/d"]),  # a tool's repository
            _keys("work", "paper/x5", ids=["arxiv:2401.09999"], titles=["gamma"]),  # disagreeing ids
            _keys("tool", "tool/x6", ids=["arxiv:2401.00001"]),  # a tool is not a paper
        ]
    )


@pytest.mark.parametrize("collide", [False, True])
def test_registered_works_are_found_by_their_keys_and_only_by_them(
    collide: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _claimed_book(collide, monkeypatch) == [
        "paper/a",
        "paper/b",
        "paper/x3",
        "tool/d",
        "paper/x5",
        "tool/x6",
    ]


def test_the_works_an_earlier_version_minted_are_read_from_its_spool_as_their_models() -> None:
    from interp_kg.catalog.persist import WorkTable
    from interp_kg.curation.registry import Registry

    first = IriBook(Registry(), Registry())
    minted = first.assign_works(
        [
            _keys("work", "paper/one", ids=["arxiv:2401.00001"], titles=["one"], line=1),
            _keys("work", "paper/two", titles=["two"], urls=["https://two.example/"], line=2),
        ]
    )
    assert minted == ["paper/one", "paper/two"] and len(first.fresh) == 2
    assert first.fresh.read(1)[:3] == ("paper/two", 2, "l:L2")
    spooled = IriBook(Registry(), first.local(fresh=False), earlier=first.fresh)
    models = IriBook(Registry(), first.local())
    assert isinstance(spooled.works, WorkTable) and [r[0] for r in spooled.works.spooled()] == minted
    assert dict(spooled.works) == dict(models.works) and len(spooled.works) == len(models.works)
    assert "paper/two" in spooled.works and "paper/three" not in spooled.works
    assert spooled.works.n("paper/two") == 2 and spooled.works.replaced_by("paper/two") is None
    assert spooled.local() == models.local()
    again = [
        _keys("work", "paper/new", titles=["one"], urls=["https://one.example/"], line=5),
        _keys("work", "paper/two", ids=["arxiv:2401.00002"], titles=["other"], line=6),
        _keys("work", "paper/three", titles=["three"], line=7),
    ]
    expected = ["paper/one", "paper/two-2", "paper/three"]
    assert spooled.assign_works(again) == models.assign_works(again) == expected
    # paper/one changed (a new URL): its model now stands for the spool's record, counted once
    assert [r[0] for r in spooled.works.spooled()] == ["paper/two"]
    assert len(spooled.works) == len(models.works) and dict(spooled.works) == dict(models.works)
    assert spooled.local() == models.local()
    assert spooled.local().works["paper/one"].urls == ("https://one.example/",)
    assert [spooled.local().works[iri].n for iri in expected] == [1, 3, 4]


def test_a_spool_is_read_a_block_at_a_time_and_record_by_record(monkeypatch: pytest.MonkeyPatch) -> None:
    from interp_kg.catalog import persist

    monkeypatch.setattr(persist, "_BLOCK", 100)  # records cut across blocks, some larger than one
    minted = persist.Minted()
    records = [(f"paper/x{i}", i, "l:L1", ("a" * i,), (), ()) for i in range(1, 300)]
    for record in records:
        minted.add(record)
    assert list(minted) == records
    assert [minted.read(i) for i in (0, 150, 298)] == [records[0], records[150], records[298]]
    minted.add(("paper/y", 300, "l:L2", (), (), ()))  # written after the reads, at the end
    assert list(minted)[-2:] == [records[-1], ("paper/y", 300, "l:L2", (), (), ())]
    with pytest.raises(IndexError):
        minted.read(300)
