"""SPARQL SERVICE is refused by `query` on the local store and by `serve`, unless --allow-service:
a fake endpoint (the recording server of :mod:`tests.local_http`) named by the query gets no
request. And a local query stops at --timeout and on Ctrl-C even while a SERVICE call hangs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as px
import pytest

from interp_kg.errors import QueryError
from interp_kg.sparql.query import LocalBackend, syntax_error
from interp_kg.sparql.server import serve
from interp_kg.sparql.service import REFUSED, inspect
from tests.local_http import Answer, Recorder
from tests.oxigraph_server import free_port

CLI = [sys.executable, "-m", "interp_kg"]


def federated(url: str) -> dict[str, str]:
    """Queries that use SERVICE on ``url`` (a base URL: the fake answers on ``/sparql``)."""
    u = f"{url}/sparql"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        "lower case": f"select * where {{ service <{u}> {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * WHERE {{ SERVICE SILENT <{u}> {{ ?s ?p ?o }} }}",
        "comment inside": f"SELECT * WHERE {{ SERVICE # to {u}\n SILENT\n<{u}> {{ ?s ?p ?o }} }}",
        "variable": f"SELECT * WHERE {{ VALUES ?e {{ <{u}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "glued": f"SELECT * WHERE {{ BIND(1 AS ?x)SERVICE<{u}>{{?s ?p ?o}} }}",
        "after a number": f"SELECT * WHERE {{ BIND(1 AS ?x) VALUES ?y {{ 1 }} ?y ?y 1SERVICE <{u}> {{ }} }}",
        "empty prefix": f"PREFIX : <{url}/> SELECT * WHERE {{ SERVICE:sparql {{ ?s ?p ?o }} }}",
        "operator or IRI": f"SELECT * WHERE {{ FILTER(1<2)SERVICE<{u}>#>\n{{ ?s ?p ?o }} }}",
        "ask": f"ASK {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        "construct": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }}",
        "subquery": f"SELECT * WHERE {{ OPTIONAL {{ SELECT * WHERE {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }} }}",
        "exists": f"SELECT * WHERE {{ BIND(1 AS ?x) FILTER EXISTS {{ SERVICE <{u}> {{ ?s ?p ?o }} }} }}",
        "and the word elsewhere": (
            f'SELECT * WHERE {{ ?s <http://example.org/service> "service" . SERVICE <{u}> {{ ?s ?p ?o }} }}'
        ),
    }


#: Queries with the word but no SERVICE clause: they run as written.
MENTIONS = {
    "string": 'SELECT * WHERE { ?s ?p "web service" }',
    "iri": "SELECT * WHERE { ?s <http://example.org/service> ?o }",
    "variable": "SELECT ?service WHERE { ?service ?p ?o }",
    "name": "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:Service ?o }",
    "prefix": "PREFIX service: <http://example.org/> SELECT * WHERE { ?s service:p ?o }",
    "comment": "# service\nSELECT * WHERE { ?s ?p ?o }",
    "filter": 'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SERVICE")) }',
    "language tag": 'SELECT * WHERE { ?s ?p "x"@en-service }',
}


@pytest.fixture
def store() -> px.Store:
    store = px.Store()
    store.add(px.Quad(px.NamedNode("urn:a"), px.NamedNode("urn:b"), px.Literal("c")))
    return store


# ---------------------------------------------------------------- the library


@pytest.mark.parametrize("case", sorted(federated("http://127.0.0.1:1")))
def test_service_is_refused_on_the_local_store(recorder: Recorder, store: px.Store, case: str) -> None:
    text = federated(recorder.url)[case]
    assert inspect(text).service
    with pytest.raises(QueryError) as error:
        LocalBackend(store).execute(text, {}, "select", 10)
    assert str(error.value) == REFUSED
    assert recorder.requests == []


@pytest.mark.parametrize("case", ["plain", "empty prefix", "construct", "ask"])
def test_service_runs_when_allowed(recorder: Recorder, store: px.Store, case: str) -> None:
    text = federated(recorder.url)[case]
    form = "ask" if case == "ask" else "construct" if case == "construct" else "select"
    LocalBackend(store, allow_service=True).execute(text, {}, form, 10)
    assert [r.path for r in recorder.requests] == ["/sparql"]


@pytest.mark.parametrize("case", sorted(MENTIONS))
def test_the_word_elsewhere_is_no_service(store: px.Store, case: str) -> None:
    assert inspect(MENTIONS[case]).runs
    LocalBackend(store).execute(MENTIONS[case], {}, "select", 10)


def test_a_bound_value_holding_the_word_is_data(store: px.Store) -> None:
    text = "SELECT ?o WHERE { ?s ?p ?o }"
    result = LocalBackend(store).execute(text, {"o": px.Literal("SERVICE <http://x> { }")}, "select", 10)
    assert result.rows == ()


def test_a_syntax_error_near_the_word_is_reported_not_run() -> None:
    text = 'SELECT * WHERE {\n ?s ?p "service" \n ?o'
    verdict = inspect(text)
    assert not verdict.service and verdict.syntax_error is not None
    assert syntax_error(text) is not None and syntax_error(text).startswith("syntax error at line 3")  # type: ignore[union-attr]


def test_syntax_error_never_runs_a_service(recorder: Recorder) -> None:
    """The check of a query's syntax (after a remote endpoint refused it) parses it locally:
    it must not run the SERVICE it holds."""
    assert syntax_error(federated(recorder.url)["ask"]) is None
    assert recorder.requests == []


# ---------------------------------------------------------------- the command


def query(store: Path, text: str, *extra: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "query", "--sparql", text, "--store", str(store), "-f", "csv", *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_query_refuses_service_with_exit_6(recorder: Recorder, bundled_store_dir: Path) -> None:
    proc = query(bundled_store_dir, federated(recorder.url)["plain"])
    assert proc.returncode == 6, proc.stderr
    assert proc.stderr == f"interp-kg: error: {REFUSED}\n" and proc.stdout == ""
    assert recorder.requests == []


def test_query_runs_service_with_allow_service(recorder: Recorder, bundled_store_dir: Path) -> None:
    proc = query(bundled_store_dir, federated(recorder.url)["plain"], "--allow-service")
    assert proc.returncode == 0, proc.stderr
    assert [r.path for r in recorder.requests] == ["/sparql"]


def test_a_hanging_service_stops_at_the_timeout(recorder: Recorder, bundled_store_dir: Path) -> None:
    recorder.answers["/sparql"] = Answer(hold=True)
    start = time.monotonic()
    proc = query(bundled_store_dir, federated(recorder.url)["plain"], "--allow-service", "--timeout", "1")
    assert proc.returncode == 7, proc.stderr
    assert proc.stderr == "interp-kg: error: the query did not finish within 1 s (--timeout)\n"
    assert time.monotonic() - start < 15
    assert [r.path for r in recorder.requests] == ["/sparql"]


def test_a_hanging_service_stops_on_ctrl_c(recorder: Recorder, bundled_store_dir: Path) -> None:
    recorder.answers["/sparql"] = Answer(hold=True)
    text = federated(recorder.url)["plain"]
    process = subprocess.Popen(
        [*CLI, "query", "--sparql", text, "--store", str(bundled_store_dir), "--allow-service"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert recorder.arrived.wait(60), "the SERVICE call never came"
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130 and "Traceback" not in err  # typer exits 130 on Ctrl-C, silently


# ---------------------------------------------------------------- serve


def ask(url: str, text: str, method: str = "GET") -> tuple[int, bytes]:
    """Send ``text`` to the SPARQL endpoint at ``url`` as a client of ``serve`` would."""
    if method == "GET":
        request = urllib.request.Request(f"{url}/query?{urllib.parse.urlencode({'query': text})}")
    elif method == "FORM":
        body = urllib.parse.urlencode({"query": text}).encode()
        request = urllib.request.Request(
            f"{url}/query", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    else:
        request = urllib.request.Request(
            f"{url}/query", data=text.encode(), headers={"Content-Type": "application/sparql-query"}
        )
    request.add_header("Accept", "application/sparql-results+json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.read()


def serving(store: Path, check: object, *, allow_service: bool = False) -> None:
    """Run ``serve`` until ``check(url)`` has run (then stop it as Ctrl-C would)."""

    def ready(url: str) -> None:
        try:
            check(url)  # type: ignore[operator]
        finally:
            signal.raise_signal(signal.SIGINT)

    assert serve(store, port=free_port(), ready=ready, allow_service=allow_service) == 0


def test_serve_refuses_service(recorder: Recorder, bundled_store_dir: Path) -> None:
    def check(url: str) -> None:
        for case, text in federated(recorder.url).items():
            for method in ("GET", "FORM", "BODY"):
                status, body = ask(url, text, method)
                assert status == 400, (case, method, body)
                assert b"SERVICE" in body and b"--allow-service" in body
        status, body = ask(url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "FORM")
        assert status == 200 and b'"n"' in body
        for text in MENTIONS.values():
            assert ask(url, text)[0] == 200, text

    serving(bundled_store_dir, check)
    assert recorder.requests == []


def test_serve_runs_service_with_allow_service(recorder: Recorder, bundled_store_dir: Path) -> None:
    def check(url: str) -> None:
        status, _ = ask(url, federated(recorder.url)["plain"])
        assert status == 200

    serving(bundled_store_dir, check, allow_service=True)
    assert [r.path for r in recorder.requests] == ["/sparql"]


def test_serve_command_documents_allow_service() -> None:
    env = {**os.environ, "COLUMNS": "200"}
    for command in ("serve", "query"):
        proc = subprocess.run([*CLI, command, "--help"], capture_output=True, text=True, env=env, check=True)
        assert "--allow-service" in proc.stdout and "SERVICE" in proc.stdout
