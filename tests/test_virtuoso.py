"""Publishing to Virtuoso 7 (Debian's ``virtuoso-opensource``): ``interp-kg push`` through its
Digest-protected Graph Store endpoint, and every saved query with ``--endpoint`` giving the rows
of the local store.

The server is a real one (:mod:`tests.virtuoso_server`): a temporary database, 127.0.0.1 only.
Outside CI the tests are skipped when ``virtuoso-t`` is missing; in CI (``$CI`` set) they must
run, and ``.ci/run`` installs Virtuoso first.

Queries name the pushed graph as their default graph (``/sparql?default-graph-uri=G``): the
default graph of Virtuoso is the union of all its graphs, its own system graphs included.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pyoxigraph as px
import pytest

from interp_kg.curation.saved_queries import load_catalogue
from interp_kg.errors import RemoteError, RemoteRejected
from interp_kg.http import AUTH_ENV, PASSWORD_ENV, TOKEN_ENV, USER_ENV, Client, Credentials, HttpPolicy
from interp_kg.sparql.query import LocalBackend, RemoteBackend, bind
from interp_kg.sparql.remote import TMP_GRAPH_PREFIX, Endpoint, parse_results, push, run_query
from interp_kg.store.builds import open_store
from tests.conftest import REPO
from tests.test_query_portability import FIRST_CASE
from tests.virtuoso_server import MISSING, Virtuoso, running_virtuoso, server_binary

GRAPH = "https://w3id.org/interp-kg/graph"
TIMEOUT = 60.0
CATALOGUE = load_catalogue(REPO / "queries")
_STRIP = re.compile(r'#[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>')


def _unavailable(reason: str) -> NoReturn:
    """Skip, except in CI, where the Virtuoso tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the Virtuoso tests: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (TOKEN_ENV, USER_ENV, PASSWORD_ENV, AUTH_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    if server_binary() is None:
        _unavailable(MISSING)
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


def digest_client(server: Virtuoso) -> Client:
    return Client(
        HttpPolicy(timeout=TIMEOUT),
        credentials=Credentials(user=server.user, password=server.password, scheme="digest"),
    )


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``interp-kg ARGS`` in a subprocess, without the caller's INTERP_KG_* variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("INTERP_KG_")}
    return subprocess.run(
        [sys.executable, "-m", "interp_kg", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**clean, **(env or {})},
    )


def push_args(server: Virtuoso, store: Path, graph: str | None) -> list[str]:
    args = ["push", "--store", str(store), "--endpoint", server.query_url()]
    args += ["--update-url", server.update_url, "--store-url", server.store_url]
    return [*args, "--graph", graph] if graph else args


def as_digest(server: Virtuoso) -> dict[str, str]:
    return {USER_ENV: server.user, PASSWORD_ENV: server.password, AUTH_ENV: "digest"}


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, bundled_store_dir: Path) -> Endpoint:
    """The bundled graph pushed by the command, as a user would: Digest credentials from the
    environment; the endpoint with that graph as the default graph of queries."""
    proc = cli(*push_args(virtuoso, bundled_store_dir, GRAPH), env=as_digest(virtuoso))
    assert proc.returncode == 0, proc.stderr
    triples = len(open_store(bundled_store_dir))
    assert proc.stdout == f"pushed {triples} triples to {GRAPH}\n"
    return virtuoso.endpoint(GRAPH)


def remote(endpoint: Endpoint, query: str) -> Any:
    return parse_results(*run_query(endpoint, query, timeout=TIMEOUT))


def count(endpoint: Endpoint, graph: str) -> int:
    results = remote(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    [solution] = list(results)
    return int(solution["n"].value)


def graphs(server: Virtuoso) -> set[str]:
    results = remote(server.endpoint(), "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return {solution["g"].value for solution in results}


def ordered(text: str) -> bool:
    """Whether the query ends with an ORDER BY of its own (after its last closing brace)."""
    code = _STRIP.sub(" ", text)
    return re.search(r"\bORDER\s+BY\b", code[code.rfind("}") + 1 :], re.IGNORECASE) is not None


# ---------------------------------------------------------------- push


def test_push_with_digest_puts_every_triple_in_place(pushed: Endpoint, bundled_store_dir: Path) -> None:
    everything = "CONSTRUCT WHERE { ?s ?p ?o }"
    local = Counter(open_store(bundled_store_dir).query(everything))
    assert Counter(remote(pushed, everything)) == local


def test_selected_terms_come_back_in_canonical_forms(pushed: Endpoint, bundled_store_dir: Path) -> None:
    """Virtuoso's SPARQL results write xsd:boolean as 0/1: the remote backend gives them back as
    true/false, and every other term as pushed."""
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    raw = Counter(tuple(s) for s in remote(pushed, text))
    assert any(isinstance(t, px.Literal) and t.value == "1" for row in raw for t in row)
    local = LocalBackend(open_store(bundled_store_dir)).execute(text, {}, "select", TIMEOUT)
    with RemoteBackend(pushed.query_url) as backend:
        got = backend.execute(text, {}, "select", TIMEOUT)
    assert Counter(got.rows) == Counter(local.rows)


def test_push_replaces_the_graph_and_leaves_no_temporary_graph(virtuoso: Virtuoso) -> None:
    graph = "urn:test:replaced"
    with digest_client(virtuoso) as client:
        push(
            virtuoso.endpoint(),
            b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> <urn:d> .\n",
            graph=graph,
            timeout=TIMEOUT,
            client=client,
        )
        push(virtuoso.endpoint(), b'<urn:a> <urn:b> "e" .\n', graph=graph, timeout=TIMEOUT, client=client)
    assert count(virtuoso.endpoint(), graph) == 1
    assert not [g for g in graphs(virtuoso) if g.startswith(TMP_GRAPH_PREFIX)]


def test_a_failed_upload_leaves_the_graph_as_it_was(virtuoso: Virtuoso) -> None:
    """Malformed data: Virtuoso refuses the upload (HTTP 500) before the target is touched."""
    graph = "urn:test:kept-upload"
    with digest_client(virtuoso) as client:
        push(virtuoso.endpoint(), b"<urn:a> <urn:b> <urn:c> .\n", graph=graph, timeout=TIMEOUT, client=client)
        with pytest.raises(RemoteError, match=r"sparql-graph-crud-auth failed \(HTTP 500"):
            push(
                virtuoso.endpoint(),
                b"<urn:x> <urn:y> <urn:z> .\n<urn:x> <urn:y> <bad\n",
                graph=graph,
                timeout=TIMEOUT,
                client=client,
            )
    assert count(virtuoso.endpoint(), graph) == 1
    assert not [g for g in graphs(virtuoso) if g.startswith(TMP_GRAPH_PREFIX)]


def test_a_failed_push_leaves_the_graph_as_it_was(virtuoso: Virtuoso) -> None:
    """The upload succeeds, the move does not (the anonymous /sparql may not write): the target
    keeps its content and the temporary graph is dropped through the Graph Store endpoint."""
    graph = "urn:test:kept"
    with digest_client(virtuoso) as client:
        push(virtuoso.endpoint(), b"<urn:a> <urn:b> <urn:c> .\n", graph=graph, timeout=TIMEOUT, client=client)
        broken = virtuoso.endpoint().model_copy(update={"update_url": virtuoso.query_url()})
        with pytest.raises(RemoteError, match="No permission") as error:
            push(
                broken,
                b"<urn:x> <urn:y> <urn:z> .\n<urn:x> <urn:y> <urn:w> .\n",
                graph=graph,
                timeout=TIMEOUT,
                client=client,
            )
    assert virtuoso.password not in str(error.value)
    assert count(virtuoso.endpoint(), graph) == 1
    assert not [g for g in graphs(virtuoso) if g.startswith(TMP_GRAPH_PREFIX)]


def test_a_push_to_the_default_graph_says_to_name_one(virtuoso: Virtuoso) -> None:
    with digest_client(virtuoso) as client, pytest.raises(RemoteRejected) as error:
        push(virtuoso.endpoint(), b"<urn:a> <urn:b> <urn:c> .\n", graph=None, timeout=TIMEOUT, client=client)
    assert "use --graph IRI" in str(error.value)
    assert not [g for g in graphs(virtuoso) if g.startswith(TMP_GRAPH_PREFIX)]


CHECK = (
    f": check {TOKEN_ENV}, or {USER_ENV} and {PASSWORD_ENV} "
    f"({AUTH_ENV}=digest for a server that wants HTTP Digest, such as Virtuoso)"
)


@pytest.mark.parametrize(
    ("case", "hint"),
    [
        # Virtuoso's 401 has a Digest challenge after a request without credentials...
        (
            "no credentials",
            f"; the server asks for HTTP Digest authentication: set {USER_ENV}, "
            f"{PASSWORD_ENV} and {AUTH_ENV}=digest",
        ),
        # ... and none after one with Basic credentials
        ("basic", CHECK),
        ("wrong password", CHECK),
    ],
)
def test_push_without_the_right_credentials_is_refused(
    virtuoso: Virtuoso, bundled_store_dir: Path, case: str, hint: str
) -> None:
    env = {
        "no credentials": {},
        "basic": {USER_ENV: virtuoso.user, PASSWORD_ENV: virtuoso.password},
        "wrong password": {**as_digest(virtuoso), PASSWORD_ENV: "not-the-password"},
    }[case]
    proc = cli(*push_args(virtuoso, bundled_store_dir, "urn:test:refused"), env=env)
    assert proc.returncode == 5, proc.stderr
    assert proc.stderr == f"interp-kg: error: {virtuoso.store_url} refused access (HTTP 401){hint}\n"
    assert virtuoso.password not in proc.stderr
    assert "urn:test:refused" not in graphs(virtuoso)


# ---------------------------------------------------------------- saved queries


def test_every_saved_query_is_compared() -> None:
    assert set(FIRST_CASE) == set(CATALOGUE)
    assert len(CATALOGUE) == 25


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_answers_as_the_local_store(name: str, pushed: Endpoint, bundled_store_dir: Path) -> None:
    saved = CATALOGUE[name]
    mine = LocalBackend(open_store(bundled_store_dir))
    expected = mine.execute(
        saved.text, bind(saved, FIRST_CASE[name].params, mine, TIMEOUT), saved.form, TIMEOUT
    )
    with RemoteBackend(pushed.query_url) as theirs:
        got = theirs.execute(
            saved.text, bind(saved, FIRST_CASE[name].params, theirs, TIMEOUT), saved.form, TIMEOUT
        )
    assert got.variables == expected.variables
    assert expected.rows, f"{name}: no rows on the bundled graph, nothing compared"
    if ordered(saved.text):
        assert got.rows == expected.rows, f"{name}: Virtuoso's rows or their order differ"
    else:
        assert Counter(got.rows) == Counter(expected.rows), f"{name}: Virtuoso's rows differ"


@pytest.mark.parametrize("fmt", ["csv", "json", "md"])
def test_query_prints_what_the_local_store_prints(
    pushed: Endpoint, bundled_store_dir: Path, fmt: str
) -> None:
    """``venue-overview`` has booleans: printed true/false from both."""
    here = cli("query", "venue-overview", "-f", fmt, "--store", str(bundled_store_dir))
    there = cli("query", "venue-overview", "-f", fmt, "--endpoint", pushed.query_url)
    assert here.returncode == there.returncode == 0, there.stderr
    assert there.stdout == here.stdout
    assert "true" in here.stdout and "false" in here.stdout


def test_an_answer_cut_by_the_row_limit_is_noted(tmp_path: Path) -> None:
    """Debian's virtuoso.ini stops answers at 10,000 rows, marked only by a header: the rows
    printed are the ones sent, and stderr says they may be cut."""
    if server_binary() is None:
        _unavailable(MISSING)
    data = b"".join(b"<urn:s%d> <urn:p> <urn:o> .\n" % i for i in range(10))
    with running_virtuoso(tmp_path, max_rows=4) as server, digest_client(server) as client:
        push(server.endpoint(), data, graph="urn:test:ten", timeout=TIMEOUT, client=client)
        proc = cli(
            "query",
            "--sparql",
            "SELECT ?s WHERE { ?s ?p ?o }",
            "-f",
            "tsv",
            "--endpoint",
            server.query_url("urn:test:ten"),
        )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 + 4
    assert proc.stderr.startswith("(the endpoint stops answers at 4 rows: this one may be cut")
