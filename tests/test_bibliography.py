"""Curated bibliographic facts (data/bibliography/, data/authors/aliases.toml): the models, the
loader's file:line errors, the one canonical writer, and what the build makes of the records."""

from __future__ import annotations

import doctest
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pyoxigraph
import pytest

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.works import build_catalog
from interp_kg.checks.curated import bibliography_findings
from interp_kg.checks.validate import validate_store
from interp_kg.curation import aliases as authors_module
from interp_kg.curation.aliases import (
    AliasError,
    AliasTable,
    Person,
    likely_duplicates,
    load_aliases,
    name_key,
)
from interp_kg.curation.bibliography import (
    BibliographyError,
    Record,
    dump_record,
    load,
    main,
    read_file,
    record_files,
    rewrite,
)
from interp_kg.curation.primary import default_primary_hosts
from interp_kg.rdf.prefixes import PREFIXES
from interp_kg.source.parse import parse_text
from interp_kg.store.build import BuildResult, build
from interp_kg.store.builds import open_store
from tests.conftest import ID, REPO, write

BIB = REPO / "data" / "bibliography"
ALIASES = REPO / "data" / "authors" / "aliases.toml"
IKG = PREFIXES["ikg"]
XSD = PREFIXES["xsd"]
DCT = PREFIXES["dcterms"]

LIST = """\
# A list

## Papers

* **Paper A** [[arxiv 2301]](https://arxiv.org/abs/2301.00001)
* **Paper B** [[ICLR 2022]](https://openreview.net/forum?id=paperBBBBB1)
* **A blog post** [[blog]](https://example.org/posts/a-post)
* **No record** [[arxiv 2302]](https://arxiv.org/abs/2302.00002)

## Tutorial

* **Getting started** [[blog]](https://example.org/getting-started)

## By Source

* **Gor meva** [[google scholar]](https://scholar.google.com/citations?user=GxpQbSkAAAAJ)
* **Ann Author** [[google scholar]](https://scholar.google.com/citations?user=AAAAAAAAAAAJ)
"""


RETRIEVED = "2026-12-01"


def record(**fields: object) -> str:
    """A record line; ``<fact>_source="URL"`` arguments become ``sources`` entries (read on
    RETRIEVED), and the title is sourced to the first of them (or example.org) unless given."""
    sources: dict[str, object] = {}
    for key in [k for k in fields if k.endswith("_source")]:
        sources[key.removesuffix("_source")] = {"url": fields.pop(key), "retrieved": RETRIEVED}
    if "title" in fields and "title" not in sources and "sources" not in fields:
        first = next(iter(sources.values()), {"url": "https://example.org/", "retrieved": RETRIEVED})
        sources = {"title": first, **sources}
    for source in sources.values():  # a test page off the primary hosts is read "on a mirror"
        if not default_primary_hosts().is_primary(source["url"]):  # type: ignore[index]
            source["secondary"] = "a test page"  # type: ignore[index]
    if sources:
        fields["sources"] = sources
    return json.dumps(fields, ensure_ascii=False) + "\n"


A = record(
    id="arxiv:2301.00001",
    title="Paper A",
    authors=["Ann Author", "Mor Geva", "Bob Builder"],
    authors_source="https://arxiv.org/abs/2301.00001",
    date="2023-01-02",
    date_source="https://arxiv.org/abs/2301.00001",
)
B = record(
    id="openreview:paperBBBBB1",
    title="Paper B",
    authors=["Bob Builder", "Ann Author"],
    authors_source="https://openreview.net/forum?id=paperBBBBB1",
    authors_complete=False,
    date="2021-09",
    date_source="https://openreview.net/forum?id=paperBBBBB1",
)
TUTORIAL = record(
    id="url:https://example.org/getting-started",
    title="Getting started",
    authors=["Ann Author"],
    authors_source="https://example.org/getting-started",
)
POST = record(
    id="url:https://example.org/posts/a-post",
    title="A blog post",
    date="2020",
    date_source="https://example.org/posts/a-post",
)


# -- the shipped data ---------------------------------------------------------------------------


def test_shipped_records_load() -> None:
    bib = load(BIB)
    assert len(bib) >= 150
    assert all(located.record.id is not None for located in bib.records), "run the rewrite (README)"


@pytest.mark.parametrize("path", record_files(BIB), ids=lambda p: p.name)
def test_rewriting_the_shipped_data_changes_nothing(path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "bibliography"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    changed = rewrite(folder)
    assert changed == [], (
        f"{path.name} is not in canonical form: "
        "run `python -m interp_kg.curation.bibliography --rewrite data/bibliography`"
    )


def test_shipped_alias_table_loads_and_maps_the_lists_typo() -> None:
    table = load_aliases(ALIASES)
    assert table.canonical("Gor meva") == "Mor Geva"
    assert table.slug("gor  MEVA") == "author/mor-geva"


def test_docstring_examples() -> None:
    assert doctest.testmod(authors_module).failed == 0


# -- the loader refuses bad records with file:line ----------------------------------------------

BAD = {
    "not json": ("{oops\n", r"part-1.jsonl:1: not JSON"),
    "unknown key": (record(id="arxiv:2301.00001", title="x", abstract="no prose"), r":1: abstract: Extra"),
    "fact without source": (
        record(id="arxiv:2301.00001", title="x", authors=["A B"]),
        r":1: .*'authors' has no entry in 'sources'",
    ),
    "impossible date": (
        record(id="arxiv:2301.00001", title="x", date="2023-02-30", date_source="https://x.org/"),
        r":1: date: ",
    ),
    "bad date form": (
        record(id="arxiv:2301.00001", title="x", date="2023/02", date_source="https://x.org/"),
        r":1: date: String should match pattern",
    ),
    "no key": (record(title="x"), r":1: id: Field required"),
    "unknown scheme": (record(id="isbn:123", title="x"), r":1: id: String should match"),
    "empty author": (
        record(id="arxiv:2301.00001", title="x", authors=[""], authors_source="https://x.org/"),
        r":1: authors\.0: String should",
    ),
    "not an object": ("[1, 2]\n", r":1: a record must be a JSON object"),
    "source not an IRI": (
        record(id="arxiv:2301.00001", title="x", date="2023", date_source="https://x.org/a b"),
        r":1: .*sources\.date\.url: String should match pattern",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_record_is_refused_with_file_and_line(tmp_path: Path, case: str) -> None:
    text, message = BAD[case]
    write(tmp_path / "part-1.jsonl", A + text if case != "not json" else text)
    line = 2 if case != "not json" else 1
    with pytest.raises(BibliographyError, match=message.replace(":1:", f":{line}:")):
        load(tmp_path)


def test_a_key_given_twice_names_both_lines(tmp_path: Path) -> None:
    write(tmp_path / "part-1.jsonl", A)
    write(tmp_path / "part-2.jsonl", "\n" + A)
    with pytest.raises(
        BibliographyError, match=r"part-2.jsonl:2: arxiv:2301.00001 is already given at .*part-1.jsonl:1"
    ):
        load(tmp_path)


def test_record_precision_follows_the_date() -> None:
    read = {"url": "https://x.org/", "retrieved": RETRIEVED}
    base = {"id": "arxiv:2301.00001", "title": "x", "sources": {"title": read, "date": read}}
    assert [
        Record.model_validate({**base, "date": d}).precision for d in ("2023-01-02", "2023-01", "2023")
    ] == [
        "date",
        "gYearMonth",
        "gYear",
    ]


# -- the canonical writer -------------------------------------------------------------------------


def test_rewrite_sorts_and_orders_fields_and_is_idempotent(tmp_path: Path) -> None:
    folder = tmp_path / "bib"
    shuffled = json.dumps(dict(reversed(list(json.loads(A).items()))), ensure_ascii=False) + "\n"
    write(folder / "part-1.jsonl", POST + shuffled)
    assert main(["--rewrite", str(folder)]) == 0
    lines = (folder / "part-1.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line).get("id") for line in lines] == [
        "arxiv:2301.00001",
        "url:https://example.org/posts/a-post",
    ]
    assert lines[0] + "\n" == A  # field order of the model; defaults and nulls left out
    before = (folder / "part-1.jsonl").read_bytes()
    assert main(["--rewrite", str(folder)]) == 0
    assert (folder / "part-1.jsonl").read_bytes() == before


def test_rewrite_refuses_a_duplicate_key_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "bib"
    write(folder / "part-1.jsonl", A + A)
    before = (folder / "part-1.jsonl").read_bytes()
    assert main(["--rewrite", str(folder)]) == 2
    assert "part-1.jsonl:2: arxiv:2301.00001 is already given at" in capsys.readouterr().err
    assert (folder / "part-1.jsonl").read_bytes() == before


def test_dump_record_keeps_unicode_and_drops_defaults() -> None:
    r = Record.model_validate_json(
        record(
            id="arxiv:2207.13243",
            title="T",
            authors=["Tilman Räuker"],
            authors_source="https://arxiv.org/abs/2207.13243",
        )
    )
    assert dump_record(r) == (
        '{"id": "arxiv:2207.13243", "title": "T", "authors": ["Tilman Räuker"], "sources": '
        '{"title": {"url": "https://arxiv.org/abs/2207.13243", "retrieved": "2026-12-01"}, '
        '"authors": {"url": "https://arxiv.org/abs/2207.13243", "retrieved": "2026-12-01"}}}\n'
    )


# -- author identity --------------------------------------------------------------------------------


def test_name_key_ignores_case_accents_and_punctuation() -> None:
    assert name_key("Tilman Räuker") == name_key("TILMAN  rauker") == "tilman rauker"
    assert name_key("Jia-Chen Gu") == "jia chen gu"


def test_alias_table_errors_name_the_person(tmp_path: Path) -> None:
    path = write(tmp_path / "aliases.toml", '[[person]]\nname = "X Y"\nvariants = ["Y X"]\n')
    with pytest.raises(AliasError, match=r"\[\[person\]\] #1: source: Field required"):
        load_aliases(path)
    path = write(
        tmp_path / "aliases.toml",
        '[[person]]\nname = "A B"\nvariants = ["C D"]\nsource = "https://x.org/"\n'
        '[[person]]\nname = "E F"\nvariants = ["c. d."]\nsource = "https://x.org/"\n',
    )
    with pytest.raises(AliasError, match=r"'c. d.' is given for both 'A B' and 'E F'"):
        load_aliases(path)


def test_likely_duplicates_respect_the_alias_table() -> None:
    names = ["Chris Olah", "Christopher Olah", "Anna Chen", "Angelica Chen", "Adam S. Jermyn", "Adam Jermyn"]
    assert likely_duplicates(names, AliasTable()) == [
        ("Adam Jermyn", "Adam S. Jermyn"),
        ("Chris Olah", "Christopher Olah"),
    ]
    olah = Person(
        name="Chris Olah", variants=("Christopher Olah",), source="https://colah.github.io/about.html"
    )
    assert likely_duplicates(names, AliasTable([olah])) == [("Adam Jermyn", "Adam S. Jermyn")]


# -- in the graph -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, pyoxigraph.Store]:
    root = tmp_path_factory.mktemp("small")
    write(root / "bib" / "part-1.jsonl", A + B + POST + TUTORIAL)
    result = build(
        [write(root / "list.md", LIST)],
        root / "store",
        curated=replace(Curated.bundled(), bibliography=load(root / "bib")),
    )
    return result, open_store(root / "store")


def objects(store: pyoxigraph.Store, subject: str, predicate: str) -> list[pyoxigraph.Term]:
    return sorted(
        (
            q.object
            for q in store.quads_for_pattern(
                pyoxigraph.NamedNode(subject), pyoxigraph.NamedNode(predicate), None
            )
        ),
        key=str,
    )


def test_byline_order_is_kept(small: tuple[BuildResult, pyoxigraph.Store]) -> None:
    _, store = small
    rows = store.query(
        f"SELECT ?n ?name WHERE {{ <{ID}paper/arxiv-2301.00001> <{IKG}authorship> ?s . "
        f"?s <{IKG}position> ?n ; <{IKG}person>/<{PREFIXES['rdfs']}label> ?name }} ORDER BY ?n"
    )
    assert [(r["n"].value, r["name"].value) for r in rows] == [
        ("1", "Ann Author"),
        ("2", "Mor Geva"),
        ("3", "Bob Builder"),
    ]  # type: ignore[index,union-attr]


def test_the_lists_person_and_the_byline_author_are_one_node(
    small: tuple[BuildResult, pyoxigraph.Store],
) -> None:
    _, store = small
    geva = f"{ID}author/mor-geva"
    types = {t.value for t in objects(store, geva, PREFIXES["rdf"] + "type")}
    assert types == {IKG + "Author", PREFIXES["foaf"] + "Person", PREFIXES["schema"] + "Person"}
    assert [t.value for t in objects(store, geva, IKG + "googleScholarId")] == ["GxpQbSkAAAAJ"]
    assert [t.value for t in objects(store, geva, IKG + "alias")] == ["Gor meva"]
    assert [t.value for t in objects(store, geva, PREFIXES["rdfs"] + "label")] == ["Mor Geva"]
    # the IRI builds minted for the list's spelling before the alias table (data/registry) is no
    # node of its own: it points at the person
    retired = {
        (q.predicate.value, q.object.value)
        for q in store.quads_for_pattern(pyoxigraph.NamedNode(f"{ID}author/gor-meva"), None, None)
    }
    assert retired == {(PREFIXES["owl"] + "sameAs", geva), (PREFIXES["dcterms"] + "isReplacedBy", geva)}
    assert pyoxigraph.NamedNode(geva) in objects(store, f"{ID}paper/arxiv-2301.00001", IKG + "author")


def test_dates_are_typed_by_precision_with_their_source(small: tuple[BuildResult, pyoxigraph.Store]) -> None:
    _, store = small
    issued = {
        slug: objects(store, f"{ID}paper/{slug}", DCT + "issued")
        for slug in ("arxiv-2301.00001", "openreview-paperBBBBB1", "a-blog-post", "arxiv-2302.00002")
    }
    assert issued == {
        "arxiv-2301.00001": [pyoxigraph.Literal("2023-01-02", datatype=pyoxigraph.NamedNode(XSD + "date"))],
        "openreview-paperBBBBB1": [
            pyoxigraph.Literal("2021-09", datatype=pyoxigraph.NamedNode(XSD + "gYearMonth"))
        ],
        "a-blog-post": [pyoxigraph.Literal("2020", datatype=pyoxigraph.NamedNode(XSD + "gYear"))],
        "arxiv-2302.00002": [],
    }
    assert [t.value for t in objects(store, f"{ID}paper/a-blog-post", IKG + "dateSource")] == [
        "https://example.org/posts/a-post"
    ]


def test_year_comes_from_the_list_then_the_curated_date(small: tuple[BuildResult, pyoxigraph.Store]) -> None:
    _, store = small
    year = {
        s: [t.value for t in objects(store, f"{ID}paper/{s}", IKG + "year")]
        for s in ("openreview-paperBBBBB1", "a-blog-post")
    }
    assert year == {"openreview-paperBBBBB1": ["2022"], "a-blog-post": ["2020"]}  # ICLR 2022 label wins


def test_authorship_provenance_and_incomplete_lists(small: tuple[BuildResult, pyoxigraph.Store]) -> None:
    _, store = small
    slot = f"{ID}paper/openreview-paperBBBBB1/authorship/1"
    assert [t.value for t in objects(store, slot, PREFIXES["prov"] + "wasDerivedFrom")] == [
        "https://openreview.net/forum?id=paperBBBBB1"
    ]
    assert [
        t.value for t in objects(store, f"{ID}paper/openreview-paperBBBBB1", IKG + "authorListComplete")
    ] == ["false"]
    assert objects(store, f"{ID}paper/arxiv-2301.00001", IKG + "authorListComplete") == []


def test_a_work_without_a_record_gets_no_bibliographic_triples(
    small: tuple[BuildResult, pyoxigraph.Store],
) -> None:
    result, store = small
    work = pyoxigraph.NamedNode(f"{ID}paper/arxiv-2302.00002")
    predicates = {q.predicate.value for q in store.quads_for_pattern(work, None, None)}
    assert not predicates & {IKG + "author", IKG + "authorship", DCT + "issued", IKG + "dateSource"}
    assert result.info.authors == 3  # Ann Author, Bob Builder, Mor Geva (two also the list's people)


def test_graph_nt_has_no_duplicate_lines(small: tuple[BuildResult, pyoxigraph.Store]) -> None:
    result, _ = small
    lines = (result.path / "graph.nt").read_text("utf-8").splitlines()
    assert len(lines) == len(set(lines))


def test_lint_flags_a_curated_date_after_the_lists_year(tmp_path: Path) -> None:
    late = record(
        id="openreview:paperBBBBB1", title="Paper B", date="2023-05", date_source="https://openreview.net/"
    )
    write(tmp_path / "bib" / "part-1.jsonl", A + late)
    catalog = build_catalog([parse_text(LIST, "list.md")])
    findings = bibliography_findings(catalog, load(tmp_path / "bib"), AliasTable())
    assert [(f.line, f.code) for f in findings] == [(2, "date-after-year")]
    assert "2023-05 is after the list's year 2022" in findings[0].message


def test_read_file_reports_line_numbers_past_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "part-1.jsonl", "\n" + A + "\n" + B)
    assert [located.line for located in read_file(path)] == [2, 4]


def test_a_tutorial_owner_the_list_names_is_the_same_node(
    small: tuple[BuildResult, pyoxigraph.Store],
) -> None:
    _, store = small
    ann = pyoxigraph.NamedNode(f"{ID}author/ann-author")
    assert ann in objects(store, f"{ID}tutorial/getting-started", IKG + "author")
    assert ann in objects(store, f"{ID}paper/arxiv-2301.00001", IKG + "author")
    assert [t.value for t in objects(store, ann.value, IKG + "googleScholarId")] == ["AAAAAAAAAAAJ"]
    assert len(objects(store, ann.value, PREFIXES["rdfs"] + "label")) == 1


def test_shapes_catch_an_authorship_without_position_or_source(
    small: tuple[BuildResult, pyoxigraph.Store],
) -> None:
    result, _ = small
    slot = f"<{ID}paper/arxiv-2301.00001/authorship/2>"
    kept = [
        line
        for line in (result.path / "graph.nt").read_text("utf-8").splitlines()
        if not (line.startswith(slot) and (f"<{IKG}position>" in line or "wasDerivedFrom" in line))
    ]
    broken = pyoxigraph.Store()
    broken.load(("\n".join(kept) + "\n").encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    report = validate_store(broken)
    assert not report.conforms
    assert "exactly one position" in report.text and "must name the web page" in report.text
    assert validate_store(small[1]).conforms


def test_lint_flags_a_curated_date_outside_the_arxiv_month(tmp_path: Path) -> None:
    venue_date = record(id="arxiv:2301.00001", title="Paper A", date="2023-07", date_source="https://x.org/")
    write(tmp_path / "bib" / "part-1.jsonl", venue_date)
    catalog = build_catalog([parse_text(LIST, "list.md")])
    findings = bibliography_findings(catalog, load(tmp_path / "bib"), AliasTable())
    assert [(f.line, f.code) for f in findings] == [(1, "date-arxiv-mismatch")]
    assert "2023-07 is not in 2023-01" in findings[0].message
    write(tmp_path / "bib" / "part-1.jsonl", A)  # 2023-01-02: the first version's month
    assert bibliography_findings(catalog, load(tmp_path / "bib"), AliasTable()) == []


def test_build_command_reports_a_bad_record_with_file_and_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = record(id="arxiv:2302.12461", title="x", date="2023")  # the date has no source
    write(tmp_path / "bib" / "part-1.jsonl", A + bad)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "interp_kg",
            "build",
            str(write(tmp_path / "list.md", LIST)),
            "--store",
            str(tmp_path / "store"),
            "--bibliography",
            str(tmp_path / "bib"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"interp-kg: error: {tmp_path / 'bib' / 'part-1.jsonl'}:2: "
        "Value error, 'date' has no entry in 'sources': a fact needs its source"
    ]
    assert not (tmp_path / "store" / "current").exists()
