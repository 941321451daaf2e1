"""`interp-kg query` and `interp-kg queries` as scripts use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from interp_kg.rdf.prefixes import sparql_header
from interp_kg.store.build import BuildResult
from interp_kg.store.builds import open_store

COUNT_WORKS = sparql_header() + "SELECT (COUNT(?w) AS ?n) WHERE { ?w a ikg:Work }"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interp_kg", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def store(bundled_build: BuildResult) -> str:
    return str(bundled_build.path.parents[1])


@pytest.mark.parametrize("fmt", ["tsv", "json"])
def test_standard_results_formats_parse_back(store: str, fmt: str) -> None:
    proc = run("query", "--sparql", COUNT_WORKS, "--store", store, "-f", fmt)
    assert proc.returncode == 0, proc.stderr
    results_format = getattr(pyoxigraph.QueryResultsFormat, fmt.upper())
    parsed = pyoxigraph.parse_query_results(proc.stdout.encode(), format=results_format)
    assert [s["n"].value for s in parsed] == ["209"]  # type: ignore[union-attr,index]


def test_csv_results(store: str) -> None:
    import csv
    import io

    proc = run("query", "featured-works", "--store", store, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == 13  # 15 starred lines; two works are starred under two topics each
    assert rows[0]["work"] == "https://w3id.org/interp-kg/id/paper/arxiv-2401.01967"


def test_csv_is_the_default_when_stdout_is_not_a_terminal(store: str) -> None:
    assert run("query", "--sparql", COUNT_WORKS, "--store", store).stdout == "n\n209\n"


def test_markdown_table(store: str) -> None:
    out = run("query", "featured-works", "--store", store, "-f", "md").stdout.splitlines()
    assert out[0] == "| work | title | venue | year |"
    assert "| paper:arxiv-2401.01967 | A Mechanistic Understanding of Alignment Algorithms" in out[2]


def test_query_from_file_and_from_stdin(store: str, tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text(COUNT_WORKS, encoding="utf-8")
    assert run("query", "--file", str(q), "--store", store).stdout.endswith("209\n")
    assert run("query", "--store", store, stdin=COUNT_WORKS).stdout.endswith("209\n")


def test_limit_is_applied_and_reported(store: str) -> None:
    proc = run(
        "query",
        "--sparql",
        sparql_header() + "SELECT ?w { ?w a ikg:Work } ORDER BY ?w",
        "--limit",
        "3",
        "--store",
        store,
    )
    assert proc.stdout.count("\n") == 4
    assert "--limit 3" in proc.stderr


def test_syntax_error_names_line_and_column(store: str) -> None:
    proc = run("query", "--sparql", "SELECT * WHERE {\n  ?s ?p \n}", "--store", store)
    assert proc.returncode == 6 and "Traceback" not in proc.stderr
    assert "syntax error at line 3, column 2" in proc.stderr


def test_syntax_error_at_the_end_is_on_the_users_last_line(store: str) -> None:
    """The LIMIT the command adds does not move the error to a line the user never wrote."""
    proc = run("query", "--sparql", "SELECT * WHERE {\n ?s ?p ?o", "--store", store)  # unclosed
    assert proc.returncode == 6 and "Traceback" not in proc.stderr
    assert "syntax error at line 2, column 10" in proc.stderr, proc.stderr


def test_a_query_ending_in_a_comment_gets_its_limit(store: str) -> None:
    """The added LIMIT goes on a line of its own, after the comment, not into it."""
    proc = run("query", "--sparql", "SELECT * WHERE {\n ?s ?p ?o } # done", "--store", store, "--limit", "2")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3  # the header and two rows


def test_timeout_exits_with_a_clear_error(store: str) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    proc = run("query", "--sparql", slow, "--timeout", "0.5", "--store", store)
    assert proc.returncode == 7
    assert "did not finish within 0.5 s" in proc.stderr


def test_ask_and_construct(store: str) -> None:
    assert run("query", "--sparql", "ASK { ?s ?p ?o }", "--store", store).stdout == "true\n"
    proc = run(
        "query",
        "--sparql",
        sparql_header() + "CONSTRUCT { ?w a ikg:Tool } WHERE { ?w a ikg:Tool }",
        "--store",
        store,
        "-f",
        "md",
    )
    assert proc.stdout.startswith("@prefix ikg:") and proc.stdout.count("a ikg:Tool .") == 9


def test_missing_and_unknown_parameters(store: str) -> None:
    proc = run("query", "works-in-topic", "--store", store)
    assert proc.returncode == 6 and "parameter topic (topic) is required" in proc.stderr
    proc = run("query", "works-in-topic", "-p", "topc=x", "--store", store)
    assert proc.returncode == 6 and "unknown parameter(s) topc" in proc.stderr
    assert run("query", "no-such-query", "--store", store).returncode == 6


@pytest.mark.parametrize("value", ["http://a/b>c", "<http://a/b c>", "ikg:a{b}"])
def test_an_adhoc_parameter_that_is_no_iri_is_one_line(store: str, value: str) -> None:
    """Issue 15, finding 11: an ad-hoc query's IRI parameter with a '>' was an internal error."""
    text = "SELECT * WHERE { ?x ?p ?o } LIMIT 1"
    proc = run("query", "--sparql", text, "-p", f"x={value}", "--store", store)
    assert proc.returncode == 6, proc.stderr
    assert proc.stderr.startswith("interp-kg: error: parameter x:") and "not a valid IRI" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1


def test_queries_lists_the_catalogue_as_json() -> None:
    rows = json.loads(run("queries", "--format", "json").stdout)
    names = {r["name"] for r in rows}
    assert {"featured-works", "works-in-topic"} <= names
    topic = next(r for r in rows if r["name"] == "works-in-topic")
    assert topic["params"][0] == {
        "name": "topic",
        "type": "topic",
        "required": True,
        "default": None,
        "help": 'the topic, as an IRI or its label (e.g. "Sparse Coding")',
    }


def test_catalogue_is_published_in_the_graph(store: str) -> None:
    ask = sparql_header() + (
        "ASK { ?q a sh:SPARQLSelectExecutable ; rdfs:label 'Works in a topic, including its sub-topics' ; "
        "sh:select ?text ; ikg:parameter [ ikg:parameterName 'topic' ; ikg:parameterType 'topic' ; "
        "ikg:required true ] }"
    )
    assert bool(open_store(Path(store)).query(ask))


@pytest.mark.parametrize("args", [["featured-works"], ["works-by-venue", "-p", "venue=ICLR"]])
def test_query_start_up_path_stays_light(store: str, args: list[str]) -> None:
    """`interp-kg query` imports none of the heavy libraries (bench/bench_query.py has the figures)."""
    heavy = ("rdflib", "pyshacl", "SPARQLWrapper", "pydantic", "pygal", "httpx")
    script = (
        "import sys\n"
        "from interp_kg.cli.main import main\n"
        f"sys.argv = ['interp-kg', 'query', *{args!r}, '--store', {store!r}, '-f', 'csv']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        f"print('LOADED', sorted(m for m in {heavy!r} if m in sys.modules), code, file=sys.stderr)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.stdout.startswith("work,") or proc.stdout.startswith("venue,"), proc.stderr
    assert "LOADED [] 0" in proc.stderr


def test_a_table_into_a_pipe_has_no_colour_and_json_ends_its_line(store: str) -> None:
    table = run("query", "featured-works", "--store", store, "-f", "table")
    assert table.returncode == 0 and "featured" not in table.stderr and table.stderr == ""
    assert "\x1b[" not in table.stdout and "13 row(s)" in table.stdout
    answer = run("query", "featured-works", "--store", store, "-f", "json")
    assert answer.stdout.endswith("}\n") and len(json.loads(answer.stdout)["results"]["bindings"]) == 13
