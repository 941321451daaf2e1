"""A site for a large graph: the index on disk (not pickled to each worker), a part of the site
(``--only``, ``--formats``) whose folders merge into the full site, and gzipped dumps."""

from __future__ import annotations

import gzip
import json
import pickle
import shutil
from collections import Counter
from pathlib import Path

import bibtexparser
import pytest
from typer.testing import CliRunner

from interp_kg.citations.select import store_citations
from interp_kg.cli.main import app
from interp_kg.site.build import build_site
from interp_kg.site.cite_files import Collections, write_collections
from interp_kg.site.collect import WORK_KINDS, Index, scan
from interp_kg.site.render import Writer
from interp_kg.site.selection import Selection
from interp_kg.store.builds import NTRIPLES_FILE, current_build, open_store
from tests.conftest import ID

WORK = ID + "paper/arxiv-2404.03592"


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def full(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("full") / "site"
    build_site(bundled_store_dir, out, jobs=1, gzip_dumps=True)
    return _files(out)


def test_the_index_is_read_from_disk_not_copied(bundled_store_dir: Path, tmp_path: Path) -> None:
    """What a worker is sent is the index file's path, the topic tree and the authorships, not
    the labels, kinds, spans and citations of every resource, so it does not grow with the works."""
    index, _ = scan(str(current_build(bundled_store_dir) / NTRIPLES_FILE), ID, db_path=str(tmp_path / "i.db"))
    label = index.label[WORK]
    sent = pickle.dumps(index)
    listing = next(iri for iri, kind in index.kind.items() if kind == "listing")
    assert label.encode() not in sent and listing.encode() not in sent
    copy = pickle.loads(sent)
    assert copy.label[WORK] == label and copy.kind[WORK] == "paper"
    assert copy.cite[WORK] == index.cite[WORK] and copy.spans[WORK] == index.spans[WORK]


def test_the_citation_keys_are_those_of_the_store(bundled_store_dir: Path, tmp_path: Path) -> None:
    """The citations made from the index file, keys included, equal those made from the store
    (``export``'s path), for every work."""
    index, _ = scan(str(current_build(bundled_store_dir) / NTRIPLES_FILE), ID, db_path=str(tmp_path / "i.db"))
    expected = store_citations(open_store(bundled_store_dir))
    assert len(expected) > 200
    assert dict(index.cite.items()) == expected


def test_parts_of_the_site_merge_into_the_whole(
    bundled_store_dir: Path, tmp_path: Path, full: dict[str, bytes]
) -> None:
    """Builds with different selections write disjoint documents and the same shared files."""
    merged = tmp_path / "merged"
    merged.mkdir()
    parts = (
        ("work,topic", "html"),
        ("work,topic", "ttl,jsonld,nt,cite"),
        ("venue,author,listing,other", None),
    )
    for n, (only, formats) in enumerate(parts):
        out = tmp_path / f"part-{n}"
        build_site(bundled_store_dir, out, jobs=1, selection=Selection.parse(only, formats), gzip_dumps=True)
        files = _files(out)
        assert len(files) < len(full)
        assert all(full.get(name) == data for name, data in files.items())
        shutil.copytree(out, merged, dirs_exist_ok=True)
    assert _files(merged) == full


def test_works_pages_only(bundled_store_dir: Path, tmp_path: Path, full: dict[str, bytes]) -> None:
    out = tmp_path / "works"
    build_site(bundled_store_dir, out, jobs=1, selection=Selection.parse("work", "html"), gzip_dumps=True)
    written = _files(out)
    assert "id/paper/arxiv-2404.03592.html" in written
    documents = [name for name in written if name.startswith("id/")]
    assert all(name.endswith((".html", ".atom")) for name in documents)  # the topics' feeds are shared
    pages = [name for name in documents if name.endswith(".html")]
    assert not any(name.startswith(("id/topic/", "id/venue/", "id/listing/")) for name in pages)
    assert written["dumps/interp-kg.jsonld.gz"] == full["dumps/interp-kg.jsonld.gz"]


def test_gzipped_dumps_hold_the_plain_dumps(site_plain: Path, full: dict[str, bytes]) -> None:
    for name in ("interp-kg.ttl", "interp-kg.jsonld", "interp-kg.bib", "interp-kg.ris", "interp-kg.csl.json"):
        assert f"dumps/{name}" not in full
        assert gzip.decompress(full[f"dumps/{name}.gz"]) == (site_plain / "dumps" / name).read_bytes()
    void = full["void.ttl"].decode()
    assert "dumps/interp-kg.ttl.gz" in void and "dumps/interp-kg.ttl>" not in void
    assert b"interp-kg.jsonld.gz" in full["dumps/index.html"]


def test_each_collection_cites_the_works_it_holds(bundled_store_dir: Path, full: dict[str, bytes]) -> None:
    """A topic's citation files hold the works under it and under every topic below it, a venue's
    and an author's their works, each once, ordered by citation key: written in one pass over
    all works, checked here against the index's own look-ups, collection by collection."""
    index, _ = scan(str(current_build(bundled_store_dir) / NTRIPLES_FILE), ID)
    checked = Counter[str]()
    for kind in ("topic", "venue", "author"):
        for iri in index.of_kind({kind}):
            stem = index.stem(iri)
            if kind == "topic":
                works = index.all_below(iri)
            else:
                works = (index.venue_works if kind == "venue" else index.author_works).get(iri, [])
            keys = sorted(index.cite[w].key for w in set(works) if w in index.cite)
            found = full.get(f"{stem}.csl.json")
            assert (found is not None) == bool(works), iri
            if found is not None:
                assert [item["id"] for item in json.loads(found)] == keys, iri
                bib = bibtexparser.parse_string(full[f"{stem}.bib"].decode()).entries
                assert [e.key for e in bib] == keys, iri
                checked[kind] += bool(keys)
    assert checked["topic"] > 20 and checked["venue"] > 5 and checked["author"] > 100


def test_dates_to_cite_from_the_index_file_equal_those_from_dictionaries(bundled_store_dir: Path) -> None:
    """The home page's newest works: the date each work is cited with, else its year, read with
    one query from the index file, as :class:`Index` gives them from dictionaries."""
    index, _ = scan(str(current_build(bundled_store_dir) / NTRIPLES_FILE), ID)
    plain = Index(
        ID, kind=dict(index.kind.items()), year=dict(index.year.items()), cite=dict(index.cite.items())
    )
    dated = sorted(index.dates_to_cite())
    assert dated == sorted(plain.dates_to_cite())
    assert len(dated) == sum(1 for k in plain.kind.values() if k in WORK_KINDS) > 200
    assert sum(1 for d, _ in dated if len(d) == 10) > 100 and any(len(d) == 4 for d, _ in dated)


def test_collections_from_dictionaries_equal_those_from_the_index_file(
    bundled_store_dir: Path, tmp_path: Path, full: dict[str, bytes]
) -> None:
    """An :class:`Index` of dictionaries (as tests and callers make by hand) gives the same
    citation files as the index file the site build reads."""
    index, _ = scan(str(current_build(bundled_store_dir) / NTRIPLES_FILE), ID)
    plain = Index(
        ID,
        kind=dict(index.kind.items()),
        cite=dict(index.cite.items()),
        topic_works=dict(index.topic_works.items()),
        venue_works=dict(index.venue_works.items()),
        author_works=dict(index.author_works.items()),
        narrower=index.narrower,
    )
    w = Writer(tmp_path)
    write_collections(w, plain, gzipped=True)
    w.close()
    written = _files(tmp_path)
    cited = (".bib", ".ris", ".csl.json", ".bib.gz", ".ris.gz", ".csl.json.gz")
    works = {"paper", "tool", "tutorial", "video", "work"}
    expected = {n for n in full if n.endswith(cited) and n.split("/")[1] not in works}
    assert len(expected) > 300 and "dumps/interp-kg.bib.gz" in expected
    assert written == {name: full[name] for name in expected}


def test_collections_written_a_piece_at_a_time(
    bundled_store_dir: Path, tmp_path: Path, full: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Collections appended to their files after every work give the same bytes as held whole."""
    monkeypatch.setattr(Collections, "BUFFERED", 1)
    out = tmp_path / "site"
    build_site(bundled_store_dir, out, jobs=1, gzip_dumps=True)
    assert _files(out) == full


@pytest.fixture(scope="module")
def site_plain(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("plain") / "site"
    build_site(bundled_store_dir, out, jobs=2)
    return out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "works"], "--only: works: choose from work, topic"),
        (["--formats", "pdf"], "--formats: pdf"),
    ],
)
def test_a_wrong_choice_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["site", "build", "-o", str(tmp_path / "s"), *args])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts the open files in /proc")
def test_a_build_leaves_no_file_open(bundled_store_dir: Path, tmp_path: Path) -> None:
    import os

    before = len(os.listdir("/proc/self/fd"))
    build_site(bundled_store_dir, tmp_path / "site", jobs=1)
    assert len(os.listdir("/proc/self/fd")) <= before + 1
