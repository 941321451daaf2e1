"""The Wikidata commands as a user runs them, the curated mapping file, and the JSON-LD profile."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib

from interp_kg.curation.wikidata_mapping import (
    Mapping,
    MappingError,
    default_mapping_path,
    dump_mapping,
    load_mapping,
)
from tests.oxigraph_server import running_server
from tests.test_cli import run
from tests.wikidata_helpers import LIST, load_fixture

WD = rdflib.Namespace("http://www.wikidata.org/entity/")
WDT = rdflib.Namespace("http://www.wikidata.org/prop/direct/")
ID = rdflib.Namespace("https://w3id.org/interp-kg/id/")
SCHEMA = rdflib.Namespace("https://schema.org/")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")

# ---------------------------------------------------------------- the curated mapping file


def test_the_bundled_mapping_is_canonical() -> None:
    text = default_mapping_path().read_text("utf-8")
    assert dump_mapping(load_mapping()) == text, (
        "data/wikidata/mapping.json is not in canonical form: load it and write it with "
        "interp_kg.curation.wikidata_mapping.write_mapping"
    )


def test_the_bundled_mapping_holds_only_checked_items() -> None:
    mapping = load_mapping()
    qids = {w.qid for w in mapping.works} | {
        c.qid for c in (*mapping.venues, *mapping.topics, *mapping.authors)
    }
    assert qids <= {"Q1961016"}, "each other QID must come from a look-up a person confirmed, with its source"
    (neurips,) = mapping.venues
    assert (neurips.node, neurips.status) == ("venue/neurips", "confirmed")


def test_the_bundled_mapping_ships_no_search() -> None:
    """A search result shipped in the package (a not-found above all) would let a batch create
    items nobody searched for on the user's side: every search is the user's own."""
    assert [w for w in load_mapping().works if w.searched is not None] == []


def test_the_writer_sorts(tmp_path: Path) -> None:
    from interp_kg.curation.wikidata_mapping import write_mapping

    data = {
        "topics": [
            {"node": "topic/b", "qid": "Q2", "status": "candidate", "source": "label look-up"},
            {"node": "topic/a", "qid": "Q9", "status": "confirmed", "source": "checked", "relation": "close"},
        ]
    }
    path = tmp_path / "m.json"
    write_mapping(Mapping.model_validate(data), path)
    again = json.loads(path.read_text("utf-8"))
    assert [t["node"] for t in again["topics"]] == ["topic/a", "topic/b"]
    assert list(again) == sorted(again)


LINK = {"node": "venue/x", "qid": "Q4", "status": "confirmed", "source": "s"}
SEARCHED = {"searched": "2026-01-01", "endpoint": "https://query.wikidata.org/sparql"}
FOUND = {"work": "paper/a", "status": "confirmed", "qid": "Q1", "matched_by": "arxiv", "value": "1"}
CANDIDATE = {"qid": "Q7", "title": "A", "year": 2023}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"works": [], "extra": 1}, "extra: Extra inputs are not permitted"),
        (
            {"venues": [{"node": "venue/x", "qid": "42", "status": "confirmed", "source": "s"}]},
            "venues.0.qid",
        ),
        ({"venues": [{"node": "venue/x", "qid": "Q4", "status": "maybe", "source": "s"}]}, "venues.0.status"),
        (
            {"topics": [{"node": "venue/x", "qid": "Q4", "status": "confirmed", "source": "s"}]},
            "not a topic/",
        ),
        ({"works": [FOUND, FOUND | {"qid": "Q2"}]}, "has two records"),
        ({"works": [FOUND | {"version": "preprint"}, FOUND]}, "beside preprint/published"),
        ({"works": [FOUND | {"status": "not-found", **SEARCHED}]}, "exactly when the status is 'confirmed'"),
        ({"works": [{"work": "paper/a", "status": "not-found"}]}, "comes from a search"),
        ({"works": [{"work": "paper/a", "status": "candidate", **SEARCHED}]}, "needs 'candidates'"),
        ({"works": [{"work": "paper/a", "status": "conflict", **SEARCHED}]}, "needs 'conflict'"),
        ({"works": [{**FOUND, "matched_by": "doi", "value": None}]}, "'value' (the identifier) is needed"),
        (
            {"works": [{**FOUND, "matched_by": "title", "candidates": [CANDIDATE]}]},
            "must be one of the 'candidates'",
        ),
        ({"works": [{"work": "paper/a", "status": "not-found", "searched": "2026-01-01"}]}, "go together"),
        (
            {"works": [{"work": "paper/a", "status": "not-found", "rejected": ["Q9", "Q1"], **SEARCHED}]},
            "sorted and unique",
        ),
        (
            {
                "published_in": [
                    {
                        "venue": "venue/x",
                        "kind": "proceedings",
                        "qid": "Q4",
                        "status": "confirmed",
                        "source": "s",
                    }
                ]
            },
            "has a 'year'",
        ),
    ],
)
def test_a_bad_mapping_is_one_line_naming_the_file(
    tmp_path: Path, data: dict[str, object], message: str
) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_mapping_of_the_first_format_is_read() -> None:
    old = {
        "works": [
            {"work": "paper/a", "qid": "Q1", "matched_by": "arxiv", "value": "1", "retrieved": "2026-01-01"}
        ],
        "conflicts": [],
    }
    mapping = Mapping.model_validate(old)
    assert mapping.records()[("paper/a", "work")].status == "confirmed"
    assert mapping.work_links() == {"paper/a": ("Q1",)}


def test_a_person_confirms_a_candidate_by_editing_two_fields(tmp_path: Path) -> None:
    candidate = {"work": "paper/a", "status": "candidate", "candidates": [CANDIDATE], **SEARCHED}
    confirmed = Mapping.model_validate(
        {"works": [candidate | {"status": "confirmed", "qid": "Q7", "matched_by": "title"}]}
    )
    assert confirmed.work_links() == {"paper/a": ("Q7",)}


# ---------------------------------------------------------------- writing: atomic, never losing an edit


def _record(work: str, status: str = "not-found", **kw: object) -> dict[str, object]:
    return {"work": work, "status": status, **SEARCHED, **kw}


def test_a_write_keeps_what_a_person_edited_meanwhile(tmp_path: Path) -> None:
    from interp_kg.curation.wikidata_mapping import read_mapping, write_mapping

    path = tmp_path / "mapping.json"
    write_mapping(Mapping.model_validate({"works": [_record("paper/a"), _record("paper/b")]}), path)
    read = read_mapping(path)
    # while the run goes on, a person confirms paper/b and adds a note to a new record
    edited = Mapping.model_validate(
        {"works": [_record("paper/a"), FOUND | {"work": "paper/b", "matched_by": "person", "value": None},
                   _record("paper/c", note="added by hand")]}
    )  # fmt: skip
    path.write_text(dump_mapping(edited), encoding="utf-8")
    # the run's result: it searched paper/a and paper/b again
    ours = Mapping.model_validate(
        {"works": [_record("paper/a", searched="2026-02-01"), _record("paper/b", searched="2026-02-01")]}
    )
    kept = write_mapping(ours, since=read)
    written = load_mapping(path).records()
    assert written[("paper/a", "work")].searched.isoformat() == "2026-02-01", "ours where nobody edited"
    assert written[("paper/b", "work")].status == "confirmed", "the person's edit is kept"
    assert written[("paper/c", "work")].note == "added by hand", "and the record they added"
    assert kept == ["('paper/b', 'work')", "('paper/c', 'work')"]
    assert [p.name for p in tmp_path.iterdir()] == ["mapping.json"], "no temporary file left"


def test_a_write_without_concurrent_edits_is_plain(tmp_path: Path) -> None:
    from interp_kg.curation.wikidata_mapping import read_mapping, write_mapping

    path = tmp_path / "mapping.json"
    read = read_mapping(path)  # absent
    assert write_mapping(Mapping.model_validate({"works": [_record("paper/a")]}), since=read) == []
    assert load_mapping(path).records()[("paper/a", "work")].status == "not-found"


def test_an_absent_mapping_is_empty(tmp_path: Path) -> None:
    assert load_mapping(tmp_path / "none.json") == Mapping()


# ---------------------------------------------------------------- the commands, end to end


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str]]:
    """Build the test list, reconcile it with the fixture server through the CLI, rebuild with the
    mapping: yields (store, mapping file, reconcile's stdout)."""
    tmp = tmp_path_factory.mktemp("flow")
    store, mapping = tmp / "store", tmp / "mapping.json"
    mapping.write_text(default_mapping_path().read_text("utf-8"), encoding="utf-8")
    proc = run("build", str(LIST), "--store", str(store), "--wikidata-mapping", str(mapping), "-q")
    assert proc.returncode == 0, proc.stderr
    with running_server(tmp / "wikidata") as url:
        load_fixture(url)
        proc = run(
            "wikidata", "reconcile", "--endpoint", f"{url}/query", "--store", str(store),
            "--mapping", str(mapping), "--cache-dir", str(tmp / "cache"),
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    proc2 = run("build", str(LIST), "--store", str(store), "--wikidata-mapping", str(mapping), "-q")
    assert proc2.returncode == 0, proc2.stderr
    yield store, mapping, proc.stdout + proc.stderr


def test_reconcile_reports_what_it_found(flow: tuple[Path, Path, str]) -> None:
    _, mapping, output = flow
    assert (
        "8 works, 9 items searched: 4 confirmed, 0 candidate, 3 conflict, 2 not-found; "
        "matches by arxiv 5, doi 1, github 1, openreview 1; 4 new links"
    ) in output
    assert "conflicts are not resolved" in output
    assert dump_mapping(load_mapping(mapping)) == mapping.read_text("utf-8"), "written canonically"
    assert load_mapping(mapping).venues[-1].node == "venue/neurips", "the curated venue stays"


def test_quickstatements_command(flow: tuple[Path, Path, str], tmp_path: Path) -> None:
    """The test list has no curated records: no title was read on a primary record, so nothing is
    created, and every item left out is counted with its fix."""
    store, mapping, _ = flow
    out = tmp_path / "batch.qs"
    proc = run(
        "wikidata", "quickstatements", "--store", str(store), "--mapping", str(mapping), "-o", str(out),
        "--explain",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert out.read_text("utf-8") == ""
    assert "0 items to create" in proc.stderr
    assert "skipped 3 items in a conflict: resolve it by hand" in proc.stderr
    assert "skipped 2 items with no title read on their primary record" in proc.stderr
    assert "paper/arxiv-2301.00005#preprint: no-title" in proc.stderr


def test_quickstatements_without_any_search_fails(flow: tuple[Path, Path, str], tmp_path: Path) -> None:
    store, _, _ = flow
    proc = run("wikidata", "quickstatements", "--store", str(store), "--mapping", str(tmp_path / "none.json"))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "no work has been searched on Wikidata: run `interp-kg wikidata reconcile` first" in proc.stderr


def test_report_wikidata(flow: tuple[Path, Path, str]) -> None:
    store, mapping, _ = flow
    proc = run("report", "wikidata", "--store", str(store), "--mapping", str(mapping), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    classes = {c["cls"]: c for c in report["classes"]}
    assert (classes["paper"]["linked"], classes["tool"]["linked"], classes["venue"]["linked"]) == (3, 1, 1)
    assert len(report["unlinked"]) == 4 and len(report["conflicts"]) == 2
    assert report["candidates"] == [] and report["secondary"] == []
    for fmt in ("md", "csv", "table", "html"):
        proc = run("report", "wikidata", "--store", str(store), "--mapping", str(mapping), "-f", fmt)
        assert proc.returncode == 0 and proc.stdout, (fmt, proc.stderr)


def test_export_profile_wikidata(flow: tuple[Path, Path, str], tmp_path: Path) -> None:
    store, mapping, _ = flow
    out = tmp_path / "works.ttl"
    args = ("export", "--profile", "wikidata", "--store", str(store), "--mapping", str(mapping))
    proc = run(*args, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    again = run(*args, "-f", "turtle")
    assert again.stdout.encode() == out.read_bytes(), "byte-identical"
    g = rdflib.Graph().parse(data=out.read_text("utf-8"), format="turtle")
    linked = WD.Q900000001  # the mapping links the arXiv paper: its wd: IRI
    assert (linked, WDT.P818, rdflib.Literal("2301.00001")) in g
    assert (linked, WDT.P356, rdflib.Literal("10.48550/ARXIV.2301.00001")) in g
    assert (linked, WDT.P1476, rdflib.Literal("Paper by arXiv", lang="en")) in g
    assert (linked, WDT.P31, WD.Q580922) in g
    doi = WD.Q900000002
    assert (doi, WDT.P356, rdflib.Literal("10.1162/TACL_A_00001")) in g
    preprint, published = ID["paper/arxiv-2301.00005#preprint"], ID["paper/arxiv-2301.00005#published"]
    assert (preprint, WDT.P818, rdflib.Literal("2301.00005")) in g
    assert (published, WDT.P31, WD.Q13442814) in g and (published, WDT.P818, None) not in g
    assert (published, WDT.P1433, None) not in g, "P1433 only to a proceedings item, never the series"
    assert (WD.Q900000007, WDT.P1324, rdflib.URIRef("https://github.com/Example-Org/SomeTool")) in g
    ntriples = run(*args, "-f", "ntriples")
    assert ntriples.returncode == 0 and len(rdflib.Graph().parse(data=ntriples.stdout, format="nt")) == len(g)


def test_mapping_option_needs_the_wikidata_profile(flow: tuple[Path, Path, str]) -> None:
    store, mapping, _ = flow
    proc = run("export", "--store", str(store), "--mapping", str(mapping))
    assert proc.returncode == 2 and "--mapping and --bibliography go with --profile wikidata" in proc.stderr


def test_reconcile_against_nothing_is_one_line(flow: tuple[Path, Path, str], tmp_path: Path) -> None:
    from tests.oxigraph_server import free_port

    store, _, _ = flow
    proc = run(
        "wikidata", "reconcile", "--endpoint", f"http://127.0.0.1:{free_port()}/query", "--store", str(store),
        "--mapping", str(tmp_path / "m.json"), "--cache-dir", str(tmp_path / "c"), "--retries", "0",
    )  # fmt: skip
    assert proc.returncode == 5, proc.stderr
    assert proc.stderr.startswith("interp-kg: error: cannot reach") and len(proc.stderr.splitlines()) == 1
    assert not (tmp_path / "m.json").exists(), "nothing written on failure"
