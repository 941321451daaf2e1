"""The title index (:mod:`interp_kg.store.titles`) and the saved queries it narrows
(:mod:`interp_kg.sparql.narrow`): the narrowed answer is the plain query's, row for row, for every
keyword and limit, or the plain query runs."""

# ruff: noqa: RUF001 (look-alike letters are what these tests are about)
from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from array import array
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest

from interp_kg.curation.saved_queries import SavedQuery, load_catalogue
from interp_kg.sparql import narrow
from interp_kg.sparql.narrow import NARROWED, narrowed_text, run_saved
from interp_kg.sparql.query import LocalBackend, Result, bind, with_limit
from interp_kg.store import titles
from interp_kg.store.build import build
from interp_kg.store.builds import open_build
from interp_kg.store.titles import INDEX_FILE, TitleIndex, fold, unknown_characters
from tests.conftest import REPO, write

CATALOGUE = load_catalogue()
SEARCH = CATALOGUE["search-titles"]
LIMITS = (1000, 1, 7, None)
HOSTILE = (
    "",
    " ",
    "σ",
    "ς",
    "Σ",
    "ΣΣ",
    "ος ",
    "i",
    "ı",
    "İ",
    "i̇",
    "\u0307",
    "ß",
    "ss",
    "SS",
    "ẞ",
    "é",
    "e\u0301",
    "\u0301",
    "🌟",
    "🧠 c",
    "K",
    "\u212a",
    "ǅ",
    "ǆ",
    "ﬁ",
    "fi",
    "\n",
    '"',
    "\\",
    "\u0378",
    "\U000e0001",
    "'; DROP",
    "} UNION {",
)
HOSTILE_TITLES = (
    "ΟΔΥΣΣΕΥΣ and the final sigma",
    "Ὀδυσσεύς ΣΑΣ ος",
    "İSTANBUL and the dotted I",
    "ısparta and the dotless i",
    "STRASSE or Straße or ẞ",
    "Combining e\u0301 marks and é",
    "Emoji 🌟 circuits 🧠 copy",
    "ǅungla titlecase digraphs ǆ",
    "The ﬁrst ligature",
    "Kelvin \u212a sign",
    'Quote " and back\\slash',
    "A title with an unassigned \u0378 character",
)


def words(result: Result) -> set[str]:
    return {w for row in result.rows for w in str(row[2].value).lower().split()}


def plain(backend: LocalBackend, keyword: str, limit: int | None) -> Result:
    bindings = bind(SEARCH, {"keyword": keyword}, backend, 60)
    return backend.execute(with_limit(SEARCH.text, limit), bindings, "select", 60)


def narrowed(backend: LocalBackend, keyword: str, limit: int | None) -> Result:
    bindings = bind(SEARCH, {"keyword": keyword}, backend, 60)
    return run_saved(backend, SEARCH, bindings, limit, 60)


def rows(result: Result) -> list[tuple[str | None, ...]]:
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


def assert_same(backend: LocalBackend, keywords: list[str], limits: tuple[int | None, ...]) -> None:
    for keyword in keywords:
        for limit in limits:
            mine, theirs = rows(narrowed(backend, keyword, limit)), rows(plain(backend, keyword, limit))
            assert mine == theirs, f"keyword {keyword!r}, limit {limit}: the narrowed rows differ"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> LocalBackend:
    """The bundled list in a store of this module's own (the index is written beside its build)."""
    root = tmp_path_factory.mktemp("bundled")
    build([REPO / "data" / "awesome-llm-interpretability.md"], root / "store")
    store, folder = open_build(root / "store")
    return LocalBackend(store, build=folder)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> LocalBackend:
    """A 10k-entry list from bench/gen_list.py."""
    root = tmp_path_factory.mktemp("synthetic")
    subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "gen_list.py"),
            "10000",
            "-o",
            str(root / "list.md"),
            "--seed",
            "0",
        ],
        check=True,
        capture_output=True,
    )
    build([root / "list.md"], root / "store")
    store, folder = open_build(root / "store")
    return LocalBackend(store, build=folder)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> LocalBackend:
    """A list whose titles lower-case differently by context, version or language."""
    root = tmp_path_factory.mktemp("hostile")
    lines = ["# Hostile", "", "## Paper & Blog", ""]
    lines += [
        f"* **{t}** [[arxiv]](https://arxiv.org/abs/2401.{i:05d})" for i, t in enumerate(HOSTILE_TITLES)
    ]
    lines += ["* **Sparse circuits** (*ΣΑΣ*) [[arxiv]](https://arxiv.org/abs/2402.00001)", ""]
    build([write(root / "hostile.md", "\n".join(lines))], root / "store")
    store, folder = open_build(root / "store")
    return LocalBackend(store, build=folder)


def test_search_titles_is_narrowed() -> None:
    """The declaration names a string parameter and a variable the saved query projects."""
    for name, narrowing in NARROWED.items():
        saved = CATALOGUE[name]
        assert saved.form == "select"
        assert [p.type for p in saved.params if p.name == narrowing.param] == ["string"]
        assert re.search(rf"SELECT\b[^{{]*\?{narrowing.variable}\b", saved.text)


def test_bundled_every_title_word(bundled: LocalBackend) -> None:
    every = sorted(words(plain(bundled, "", None)))
    assert len(every) > 500
    assert_same(bundled, every, (1000, 3))
    assert bundled.build is not None and (bundled.build / INDEX_FILE).exists()


def test_bundled_letters_and_hostile_strings(bundled: LocalBackend) -> None:
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)] + list("0123456789-:()")
    assert_same(bundled, letters + list(HOSTILE) + ["THE", "Sparse Autoencoder", "rome"], LIMITS)


def test_synthetic_list(synthetic: LocalBackend) -> None:
    some = sorted(words(plain(synthetic, "", 400)))[::20]
    assert_same(synthetic, ["the", "e", "circuit", "zzzq", "a", ""], (1000, 50, 1))
    assert_same(synthetic, some, (1000, 2))
    assert_same(synthetic, ["circuit", "zzzq", "sparse autoencoder"], (None,))


def test_hostile_titles(hostile: LocalBackend) -> None:
    assert_same(hostile, list(HOSTILE) + [w for t in HOSTILE_TITLES for w in t.split()], LIMITS)
    # final and medial sigma are one letter to the index: a superset, the query decides
    assert rows(narrowed(hostile, "ς", None)) != rows(narrowed(hostile, "σ", None))


def test_index_lower_cases_as_the_store_does() -> None:
    """For every character Python's tables assign, :func:`fold` of its lower case is that of
    Oxigraph's LCASE (the index is a superset of the query's matches only if so)."""
    known = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) not in ("Cn", "Cs")]
    differ = []
    for start in range(0, len(known), 20000):
        part = " ".join(known[start : start + 20000])
        query = f"SELECT (LCASE(?s) AS ?l) {{ VALUES ?s {{ {pyoxigraph.Literal(part)} }} }}"
        lowered = next(iter(pyoxigraph.Store().query(query)))[0].value  # type: ignore[call-overload]
        if fold(lowered) != fold(part):
            differ += [
                (a, b)
                for a, b in zip(fold(part).split(" "), fold(lowered).split(" "), strict=False)
                if a != b
            ]
    assert not differ, f"Python and Oxigraph lower-case these differently: {differ[:10]}"
    assert unknown_characters("\u0378") and not unknown_characters("Ὀδυσσεύς 🌟")


def test_a_stale_index_is_not_used(bundled: LocalBackend, tmp_path: Path) -> None:
    assert bundled.build is not None
    assert titles.load(bundled.build) is not None
    path = bundled.build / INDEX_FILE
    kept = path.read_bytes()
    try:
        header, rest = kept.split(b"\n", 1)
        path.write_bytes(header.replace(b'"graph.nt": ', b'"graph.nt": 1') + b"\n" + rest)
        assert titles.load(bundled.build) is None
        assert path.read_bytes() != kept  # not made again: the store may hold what graph.nt does not
        assert_same(bundled, ["the", "circuit"], (1000, 1))
    finally:
        path.write_bytes(kept)
    assert titles.load(bundled.build) is not None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:-3] + b"\xff\xfe\xfd",  # not UTF-8 where the text is
        lambda data: data.replace(titles.FORMAT.encode(), b"interp-kg-titles/0", 1),  # another format
        lambda data: b"not json\n" + data,
    ],
)
def test_an_unreadable_index_is_made_again(bundled: LocalBackend, damage: Callable[[bytes], bytes]) -> None:
    assert bundled.build is not None
    assert titles.load(bundled.build) is not None
    path = bundled.build / INDEX_FILE
    kept = path.read_bytes()
    path.write_bytes(damage(kept))
    try:
        assert titles.load(bundled.build) is not None
        assert path.read_bytes() == kept
        assert_same(bundled, ["the"], (1000, 1))
    finally:
        path.write_bytes(kept)
    assert titles.load(bundled.build) is not None


def test_no_index_without_the_builds_ntriples(tmp_path: Path) -> None:
    root = tmp_path / "store"
    entry = "* **A title** [[arxiv]](https://arxiv.org/abs/2401.00001)"
    build([write(tmp_path / "l.md", f"# L\n\n## Paper & Blog\n\n{entry}\n")], root)
    store, folder = open_build(root)
    (folder / "graph.nt").unlink()
    assert titles.load(folder) is None
    assert not (folder / INDEX_FILE).exists()
    assert rows(narrowed(LocalBackend(store, build=folder), "title", 10)) == rows(
        plain(LocalBackend(store), "title", 10)
    )
    assert len(rows(plain(LocalBackend(store), "title", 10))) == 1


def test_an_index_naming_too_many_works_falls_back(
    bundled: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An index whose every work matches every keyword (a superset, the widest) still gives the
    plain rows: the works it names that give no row make the runner run the plain query."""
    assert bundled.build is not None
    real = titles.load(bundled.build)
    assert real is not None
    everything = TitleIndex(
        orders=real.orders,
        offsets=real.offsets,
        iri_offsets=real.iri_offsets,
        anything=frozenset(range(len(real))),
        iris=real.iris,
        text=real.text,
    )
    monkeypatch.setattr(titles, "load", lambda build: everything)
    calls: list[int] = []
    execute = bundled.execute

    def counting(*args: object, **kwargs: object) -> Result:
        calls.append(1)
        return execute(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bundled, "execute", counting)
    assert_same(bundled, ["circuit", "zzzq", "sparse"], (1000, 5, None))
    assert len(calls) > 2 * 9  # the fallbacks ran


def test_many_matches_without_limit_run_the_plain_query(
    synthetic: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(narrow, "MAX_NARROWED", 10)
    seen: list[str] = []
    execute = synthetic.execute

    def recording(text: str, *args: object) -> Result:
        seen.append(text)
        return execute(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(synthetic, "execute", recording)
    assert_same(synthetic, ["the"], (None,))
    assert all("VALUES ?work" not in t for t in seen)


def test_only_a_local_build_is_narrowed(bundled: LocalBackend) -> None:
    seen: list[str] = []

    class Recording(LocalBackend):
        def execute(self, text: str, *args: object) -> Result:  # type: ignore[override]
            seen.append(text)
            return super().execute(text, *args)  # type: ignore[arg-type]

    run_saved(Recording(bundled.store), SEARCH, {"keyword": pyoxigraph.Literal("the")}, 10, 60)
    run_saved(
        Recording(bundled.store, build=bundled.build), SEARCH, {"keyword": pyoxigraph.Literal("the")}, 10, 60
    )
    assert "VALUES ?work" not in seen[0] and "VALUES ?work" in seen[1]


def test_narrowed_text_puts_the_block_where_the_works_are_read() -> None:
    text = narrowed_text(SEARCH.text, "work", ("https://w3id.org/interp-kg/id/paper/x",))
    block = "VALUES ?work { <https://w3id.org/interp-kg/id/paper/x> }"
    assert text.count(block) == 4  # the WHERE group, both UNION branches and the labels' sub-query
    assert text.replace(f" {block}", "") == SEARCH.text
    with pytest.raises(ValueError):
        narrowed_text(SEARCH.text, "work", ("> } UNION { ?s ?p ?o",))


def test_search_of_the_index(bundled: LocalBackend) -> None:
    assert bundled.build is not None
    index = titles.load(bundled.build)
    assert index is not None
    assert list(index.orders) == sorted(index.orders)
    first = index.search("", 3)
    assert first is not None and len(first.iris) == 3 and not first.complete
    none = index.search("zzzq", 1000)
    assert none is not None and none.iris == () and none.complete
    assert index.search("\u0378", 10) is None
    assert isinstance(index.offsets, array)


def test_saved_query_rows_unchanged_in_the_cli_path(bundled: LocalBackend) -> None:
    """Every other saved query runs as before (no declaration, no narrowing)."""
    saved: SavedQuery = CATALOGUE["featured-works"]
    assert (
        run_saved(bundled, saved, {}, 1000, 60).rows
        == bundled.execute(with_limit(saved.text, 1000), {}, "select", 60).rows
    )


def test_the_cli_narrows_and_prints_the_plain_rows(tmp_path: Path) -> None:
    """`interp-kg query search-titles` makes the index on its first search and prints what the
    plain query gives."""
    from interp_kg.sparql.results import render

    root = tmp_path / "store"
    build([REPO / "data" / "awesome-llm-interpretability.md"], root)
    store, folder = open_build(root)
    cmd = [sys.executable, "-m", "interp_kg", "query", "search-titles", "-p", "keyword=the"]
    out = subprocess.run(
        [*cmd, "--store", str(root), "-f", "csv", "--limit", "5"], capture_output=True, check=True
    )
    assert (folder / INDEX_FILE).exists()
    assert out.stdout == render(plain(LocalBackend(store), "the", 5), "csv")


def test_the_index_is_the_same_made_in_small_blocks_and_batches(
    synthetic: LocalBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``graph.nt`` is searched a block of whole lines at a time and the lines parsed a batch at a
    time (bounded memory at a million works): lines cut across blocks and batches of any size
    give the same file."""
    assert synthetic.build is not None
    assert titles.load(synthetic.build) is not None
    path = synthetic.build / INDEX_FILE
    kept = path.read_bytes()
    try:
        for block, batch in ((4096, 7), (1009, 1), (1 << 20, 3)):
            monkeypatch.setattr(titles, "SEARCH_BLOCK", block)
            monkeypatch.setattr(titles, "READ_BATCH", batch)
            path.unlink()
            titles.make(synthetic.build)
            assert path.read_bytes() == kept, (block, batch)
    finally:
        path.write_bytes(kept)
