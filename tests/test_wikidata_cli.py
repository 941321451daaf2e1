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
from tests.test_wikidata_quickstatements import parse_v1
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
WORK = {"work": "paper/a", "value": "1", "retrieved": "2026-01-01"}


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
        (
            {
                "works": [
                    {
                        "work": "paper/a",
                        "qid": "Q1",
                        "matched_by": "arxiv",
                        "value": "1",
                        "retrieved": "2026-01-01",
                    },
                    {
                        "work": "paper/a",
                        "qid": "Q2",
                        "matched_by": "doi",
                        "value": "2",
                        "retrieved": "2026-01-01",
                    },
                ]
            },
            "linked twice",
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
    assert "matches by arxiv 5, doi 1, github 1, openreview 1; 4 new links; 2 conflicts" in output
    assert "conflicts are not resolved" in output
    assert dump_mapping(load_mapping(mapping)) == mapping.read_text("utf-8"), "written canonically"
    assert load_mapping(mapping).venues[-1].node == "venue/neurips", "the curated venue stays"


def test_quickstatements_command(flow: tuple[Path, Path, str], tmp_path: Path) -> None:
    store, mapping, _ = flow
    out = tmp_path / "batch.qs"
    proc = run(
        "wikidata", "quickstatements", "--store", str(store), "--mapping", str(mapping),
        "--retrieved", "2026-11-25", "-o", str(out),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    commands = parse_v1(out.read_text("utf-8"))
    subjects = {c[0] for c in commands}
    assert subjects == {"LAST", "Q900000001", "Q900000002", "Q900000003"}, (
        "no line for the tool's item: it has all"
    )
    created_titles = [line for line in out.read_text("utf-8").splitlines() if "\tLen\t" in line]
    assert created_titles == ['LAST\tLen\t"Paper nowhere"'], "conflicted works are left out"
    assert ("Q900000001", "P356", '"10.48550/ARXIV.2301.00001"') in {c[:3] for c in commands}
    assert ("LAST", "P1433", "Q1961016") in {c[:3] for c in commands}, "NeurIPS is confirmed"


def test_quickstatements_rejects_a_bad_date(flow: tuple[Path, Path, str]) -> None:
    store, _, _ = flow
    proc = run("wikidata", "quickstatements", "--store", str(store), "--retrieved", "25/11/2026")
    assert proc.returncode == 2 and "--retrieved wants YYYY-MM-DD" in proc.stderr


def test_report_wikidata(flow: tuple[Path, Path, str]) -> None:
    store, mapping, _ = flow
    proc = run("report", "wikidata", "--store", str(store), "--mapping", str(mapping), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    classes = {c["cls"]: c for c in report["classes"]}
    assert (classes["paper"]["linked"], classes["tool"]["linked"], classes["venue"]["linked"]) == (3, 1, 1)
    assert len(report["unlinked"]) == 4 and len(report["conflicts"]) == 2
    for fmt in ("md", "csv", "table", "html"):
        proc = run("report", "wikidata", "--store", str(store), "--mapping", str(mapping), "-f", fmt)
        assert proc.returncode == 0 and proc.stdout, (fmt, proc.stderr)


def test_export_profile_wikidata(flow: tuple[Path, Path, str], tmp_path: Path) -> None:
    store, _, _ = flow
    out = tmp_path / "works.jsonld"
    args = ("export", "-f", "jsonld", "--profile", "wikidata", "--store", str(store))
    proc = run(*args, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    again = run(*args)
    assert again.stdout.encode() == out.read_bytes(), "byte-identical"
    doc = json.loads(out.read_text("utf-8"))
    assert len(doc["@graph"]) == 8
    g = rdflib.Graph().parse(data=out.read_text("utf-8"), format="json-ld")
    work = ID["paper/arxiv-2301.00001"]
    assert (work, WDT.P818, rdflib.Literal("2301.00001")) in g
    assert (work, WDT.P356, rdflib.Literal("10.48550/ARXIV.2301.00001")) in g
    assert (work, WDT.P1476, rdflib.Literal("Paper by arXiv", lang="en")) in g
    assert (work, WDT.P577, rdflib.Literal("2023-01", datatype=XSD.gYearMonth)) in g
    assert (work, WDT.P31, WD.Q580922) in g
    assert (work, SCHEMA.sameAs, WD.Q900000001) in g
    doi = ID["paper/doi-10.1162-tacl_a_00001"]
    assert (doi, WDT.P356, rdflib.Literal("10.1162/TACL_A_00001")) in g
    neurips_paper = ID["paper/arxiv-2301.00005"]
    assert (neurips_paper, WDT.P1433, WD.Q1961016) in g
    assert (neurips_paper, WDT.P31, WD.Q13442814) in g
    tool = ID["tool/github-Example-Org-SomeTool"]
    assert (tool, WDT.P1324, rdflib.URIRef("https://github.com/Example-Org/SomeTool")) in g


def test_profile_wikidata_needs_jsonld(flow: tuple[Path, Path, str]) -> None:
    store, _, _ = flow
    proc = run("export", "-f", "turtle", "--profile", "wikidata", "--store", str(store))
    assert proc.returncode == 2 and "--profile wikidata needs --format jsonld" in proc.stderr


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
