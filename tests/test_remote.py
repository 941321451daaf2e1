"""Remote endpoints: push and query a real Oxigraph server, parameters as VALUES blocks,
credentials, and every failure as a one-line RemoteError without credentials."""

from __future__ import annotations

import base64
import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as px
import pytest

from interp_kg import __version__
from interp_kg.errors import QueryError, RemoteError, RemoteRejected, RemoteTimeout
from interp_kg.rdf.export import export
from interp_kg.sparql.query import values_block
from interp_kg.sparql.remote import (
    AUTH_ENV,
    PASSWORD_ENV,
    TMP_GRAPH_PREFIX,
    TOKEN_ENV,
    USER_ENV,
    Endpoint,
    parse_results,
    push,
    query_form,
    run_query,
)
from interp_kg.store.builds import open_store
from tests.conftest import REPO
from tests.local_http import Answer, Recorder
from tests.oxigraph_server import free_port, running_server

TIMEOUT = 10.0
IKG = "https://w3id.org/interp-kg/ontology#"
LABEL = px.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD_INTEGER = px.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
NAMED = px.NamedNode("urn:test:named")
HOSTILE_GRAPH = px.NamedNode("urn:test:hostile")
TOKEN = "tok-S3cret-0123456789"
USER = "alice-S3cret-user"
PASSWORD = "pw-S3cret-9876543210"
SECRETS = (TOKEN, USER, PASSWORD, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

HOSTILE = [
    "plain",
    "",
    'say "hi"',
    '"""',
    "'''",
    "'",
    '" } UNION { ?s ?p ?o } #',
    '") } UNION { GRAPH ?g { ?s ?p ?o } } VALUES (?label) { ("',
    "}",
    "line\nbreak\r\nand\ttab",
    "back\\slash\\",
    '\\"',
    "\\u0022 looks escaped",
    "\\\\u005C",
    "é, 中文, 🎉, \u202e reversed, \x01 control",
    "# not a comment",
    "<urn:test:s0>",
    "?label",
    ") (",
]


def rows(results: Any) -> Counter[tuple[Any, ...]]:
    """Rows of SELECT solutions, the ASK boolean or the triples, as a multiset of term tuples."""
    if isinstance(results, px.QueryBoolean):
        return Counter([(bool(results),)])
    if isinstance(results, px.QuerySolutions):
        names = results.variables
        return Counter(tuple(solution[v] for v in names) for solution in results)
    return Counter((t.subject, t.predicate, t.object) for t in results)


def remote(endpoint: Endpoint, query: str) -> Any:
    return parse_results(*run_query(endpoint, query, timeout=TIMEOUT))


def count(endpoint: Endpoint, graph: px.NamedNode | None = None) -> int:
    where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    results = remote(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    assert isinstance(results, px.QuerySolutions)
    [solution] = list(results)
    n = solution["n"]
    assert isinstance(n, px.Literal)
    return int(n.value)


def select(store: px.Store, query: str) -> list[px.QuerySolution]:
    results = store.query(query)
    assert isinstance(results, px.QuerySolutions)
    return list(results)


def named_graphs(location: Path) -> list[str]:
    """Every named graph in a stopped server's store, empty ones included."""
    return sorted(g.value for g in px.Store(str(location)).named_graphs() if isinstance(g, px.NamedNode))


def assert_clean(error: pytest.ExceptionInfo[RemoteError]) -> str:
    message = str(error.value)
    assert message and "\n" not in message and "\r" not in message
    for secret in SECRETS:
        assert secret not in message
    return message


def hostile_quads(graph: px.NamedNode) -> list[px.Quad]:
    quads = [
        px.Quad(px.NamedNode(f"urn:test:s{i}"), LABEL, px.Literal(value), graph)
        for i, value in enumerate(HOSTILE)
    ]
    quads += [
        px.Quad(px.NamedNode("urn:test:int"), LABEL, px.Literal("42", datatype=XSD_INTEGER), graph),
        px.Quad(px.NamedNode("urn:test:str"), LABEL, px.Literal("42"), graph),
        px.Quad(px.NamedNode("urn:test:fr"), LABEL, px.Literal("chat", language="fr"), graph),
        px.Quad(px.NamedNode("urn:test:en"), LABEL, px.Literal("chat", language="en"), graph),
    ]
    return quads


def ntriples(quads: list[px.Quad]) -> bytes:
    out = px.serialize([q.triple for q in quads], format=px.RdfFormat.N_TRIPLES)
    assert out is not None
    return out


# ---------------------------------------------------------------- fixtures


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (TOKEN_ENV, USER_ENV, PASSWORD_ENV, AUTH_ENV):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    return TOKEN


@pytest.fixture(scope="module")
def bundled_ntriples(bundled_store_dir: Path) -> bytes:
    return export(open_store(bundled_store_dir), "ntriples")


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[Endpoint]:
    """An empty read-write Oxigraph server of its own."""
    with running_server(tmp_path / "remote") as url:
        yield Endpoint.from_url(url)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory, bundled_ntriples: bytes) -> Iterator[Endpoint]:
    """A server holding the bundled graph (default graph) and the hostile literals (a named graph)."""
    with running_server(tmp_path_factory.mktemp("loaded") / "remote") as url:
        endpoint = Endpoint.from_url(url)
        push(endpoint, bundled_ntriples, graph=None, timeout=TIMEOUT)
        push(endpoint, ntriples(hostile_quads(HOSTILE_GRAPH)), graph=HOSTILE_GRAPH.value, timeout=TIMEOUT)
        yield endpoint


@pytest.fixture(scope="module")
def hostile_store() -> px.Store:
    store = px.Store()
    store.extend(hostile_quads(HOSTILE_GRAPH))
    return store


# ---------------------------------------------------------------- endpoints


def test_from_url_derives_oxigraph_endpoints() -> None:
    for url in ("http://127.0.0.1:7878", "http://127.0.0.1:7878/", "http://127.0.0.1:7878/query"):
        assert Endpoint.from_url(url) == Endpoint(
            query_url="http://127.0.0.1:7878/query",
            update_url="http://127.0.0.1:7878/update",
            store_url="http://127.0.0.1:7878/store",
        )


def test_from_url_takes_other_urls_as_the_query_endpoint() -> None:
    assert Endpoint.from_url("https://query.wikidata.org/sparql") == Endpoint(
        query_url="https://query.wikidata.org/sparql", update_url=None, store_url=None
    )
    given = Endpoint.from_url("https://h/sparql", update_url="https://h/update", store_url="https://h/gsp")
    assert (given.update_url, given.store_url) == ("https://h/update", "https://h/gsp")


@pytest.mark.parametrize("url", ["ftp://h/sparql", "h:7878", "", "http://"])
def test_from_url_rejects_non_http_urls(url: str) -> None:
    with pytest.raises(RemoteError, match="not an http"):
        Endpoint.from_url(url)


def test_from_url_rejects_credentials_without_echoing_them() -> None:
    with pytest.raises(RemoteError, match=TOKEN_ENV) as error:
        Endpoint.from_url(f"http://{USER}:{PASSWORD}@h:7878")
    assert_clean(error)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("PREFIX : <http://example.org/address#>\nSELECT * WHERE { ?s :p ?o }", "SELECT"),
        ("PREFIX : <http://example.org/tasks#> CONSTRUCT WHERE { ?s :p ?o }", "CONSTRUCT"),
        ("# insert a comment\nPREFIX ask: <urn:x:> ASK { ?s ask:delete ?add }", "ASK"),
        ('DESCRIBE ?s WHERE { ?s ?p "SELECT" }', "DESCRIBE"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("no form here", None),
    ],
)
def test_query_form_ignores_iris_strings_comments_and_names(query: str, form: str | None) -> None:
    assert query_form(query) == form


# ---------------------------------------------------------------- push and query a real server


def test_push_to_the_default_graph_matches_the_local_graph(
    oxigraph: Endpoint, bundled_store_dir: Path, bundled_ntriples: bytes
) -> None:
    local = open_store(bundled_store_dir)
    push(oxigraph, bundled_ntriples, graph=None, timeout=TIMEOUT)
    assert count(oxigraph) == len(local)
    everything = "CONSTRUCT WHERE { ?s ?p ?o }"
    assert rows(remote(oxigraph, everything)) == rows(local.query(everything))


def test_push_to_a_named_graph_leaves_the_default_graph_alone(
    oxigraph: Endpoint, bundled_store_dir: Path, bundled_ntriples: bytes
) -> None:
    push(oxigraph, bundled_ntriples, graph=NAMED.value, timeout=TIMEOUT)
    assert count(oxigraph, NAMED) == len(open_store(bundled_store_dir))
    assert count(oxigraph) == 0
    in_graph = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {NAMED} {{ ?s ?p ?o }} }}"
    local = open_store(bundled_store_dir).query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert rows(remote(oxigraph, in_graph)) == rows(local)


def test_push_replaces_the_target_graph(oxigraph: Endpoint, bundled_ntriples: bytes) -> None:
    one = b"<urn:test:a> <urn:test:b> <urn:test:c> .\n"
    push(oxigraph, bundled_ntriples, graph=NAMED.value, timeout=TIMEOUT)
    push(oxigraph, one, graph=NAMED.value, timeout=TIMEOUT)
    push(oxigraph, one, graph=None, timeout=TIMEOUT)
    assert count(oxigraph, NAMED) == 1
    assert count(oxigraph) == 1


def test_push_leaves_no_temporary_graph(tmp_path: Path) -> None:
    location = tmp_path / "remote"
    with running_server(location) as url:
        push(Endpoint.from_url(url), b"<urn:a> <urn:b> <urn:c> .\n", graph=NAMED.value, timeout=TIMEOUT)
        push(Endpoint.from_url(url), b"", graph=None, timeout=TIMEOUT)
    assert named_graphs(location) == [NAMED.value]


@pytest.mark.parametrize(
    "query",
    [
        (REPO / "queries" / "featured-works.rq").read_text(encoding="utf-8"),
        "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type",
        f"ASK {{ ?s a <{IKG}Work> }}",
        f"ASK {{ ?s a <{IKG}Nothing> }}",
        f"SELECT ?w ?year WHERE {{ ?w a <{IKG}Work> OPTIONAL {{ ?w <{IKG}year> ?year }} }}",
        f"CONSTRUCT {{ ?w ?p ?o }} WHERE {{ ?w a <{IKG}Work> ; ?p ?o }} LIMIT 50",
        "PREFIX : <http://example.org/address#>\n" + COUNT_ALL,  # SPARQLWrapper alone calls this ADD
    ],
    ids=["featured-works", "group-by", "ask-true", "ask-false", "optional", "construct", "empty-prefix"],
)
def test_remote_queries_match_local_ones(loaded: Endpoint, bundled_store_dir: Path, query: str) -> None:
    assert rows(remote(loaded, query)) == rows(open_store(bundled_store_dir).query(query))


def test_a_saved_query_with_a_values_parameter_matches_locally(
    loaded: Endpoint, bundled_store_dir: Path
) -> None:
    local = open_store(bundled_store_dir)
    topic = select(local, f"SELECT DISTINCT ?t WHERE {{ ?w <{IKG}topic> ?t }} ORDER BY ?t")[0]["t"]
    assert isinstance(topic, px.NamedNode)
    query = (REPO / "queries" / "works-in-topic.rq").read_text(encoding="utf-8")
    query += "\n" + values_block({"topic": topic})
    expected = rows(local.query(query))
    assert expected and rows(remote(loaded, query)) == expected


def test_describe_returns_triples(loaded: Endpoint, bundled_store_dir: Path) -> None:
    local = open_store(bundled_store_dir)
    [work] = select(local, f"SELECT ?w WHERE {{ ?w a <{IKG}Work> }} ORDER BY ?w LIMIT 1")
    query = f"DESCRIBE {work['w']}"
    results = remote(loaded, query)
    assert isinstance(results, list) and results
    assert rows(results) == rows(local.query(query))


def test_run_query_refuses_updates(loaded: Endpoint) -> None:
    with pytest.raises(QueryError, match="update"):
        run_query(loaded, "INSERT DATA { <urn:a> <urn:b> <urn:c> }", timeout=TIMEOUT)
    assert count(loaded, px.NamedNode("urn:a")) == 0


# ---------------------------------------------------------------- VALUES blocks

BY_LABEL = f"SELECT ?s WHERE {{ GRAPH {HOSTILE_GRAPH} {{ ?s {LABEL} ?label }} }}"


@pytest.mark.parametrize("index", range(len(HOSTILE)), ids=[repr(v)[:24] for v in HOSTILE])
def test_values_block_binds_hostile_literals_literally(
    loaded: Endpoint, hostile_store: px.Store, index: int
) -> None:
    query = f"{BY_LABEL}\n{values_block({'label': px.Literal(HOSTILE[index])})}"
    expected = Counter([(px.NamedNode(f"urn:test:s{index}"),)])
    assert rows(px.Store().query(query)) == Counter()  # the text parses
    assert rows(hostile_store.query(query)) == expected
    assert rows(remote(loaded, query)) == expected


@pytest.mark.parametrize(
    ("term", "subject"),
    [
        (px.Literal("42", datatype=XSD_INTEGER), "urn:test:int"),
        (px.Literal("42"), "urn:test:str"),
        (px.Literal("chat", language="fr"), "urn:test:fr"),
    ],
)
def test_values_block_keeps_datatypes_and_languages(
    loaded: Endpoint, hostile_store: px.Store, term: px.Literal, subject: str
) -> None:
    query = f"{BY_LABEL}\n{values_block({'label': term})}"
    expected = Counter([(px.NamedNode(subject),)])
    assert rows(hostile_store.query(query)) == expected
    assert rows(remote(loaded, query)) == expected


def test_values_block_binds_several_variables(loaded: Endpoint, hostile_store: px.Store) -> None:
    query = f"SELECT ?s ?label WHERE {{ GRAPH {HOSTILE_GRAPH} {{ ?s {LABEL} ?label }} }}\n" + values_block(
        {"s": px.NamedNode("urn:test:s2"), "label": px.Literal(HOSTILE[2])}
    )
    assert values_block({"a": px.NamedNode("urn:x"), "b_2": px.Literal("y")}) == (
        'VALUES (?a ?b_2) { (<urn:x> "y") }'
    )
    expected = Counter([(px.NamedNode("urn:test:s2"), px.Literal(HOSTILE[2]))])
    assert rows(hostile_store.query(query)) == expected
    assert rows(remote(loaded, query)) == expected


def test_values_block_of_nothing_is_empty() -> None:
    assert values_block({}) == ""


@pytest.mark.parametrize("name", ["?x", "?x}", "x}", "x y", "", "a-b", "x)", "é", "x\n", "$x"])
def test_values_block_rejects_bad_variable_names(name: str) -> None:
    with pytest.raises(QueryError, match="invalid variable name"):
        values_block({name: px.Literal("v")})


@pytest.mark.parametrize(
    "term",
    [px.BlankNode(), px.Triple(px.NamedNode("urn:a"), px.NamedNode("urn:b"), px.NamedNode("urn:c")), "text"],
)
def test_values_block_rejects_other_terms(term: Any) -> None:
    with pytest.raises(QueryError, match="IRI or a literal"):
        values_block({"x": term})


# ---------------------------------------------------------------- credentials


def test_a_bearer_token_and_the_user_agent_are_sent(recorder: Recorder, token: str) -> None:
    results = remote(recorder.endpoint, "SELECT ?x WHERE { ?x ?p ?o }")
    assert rows(results) == Counter()
    [request] = recorder.requests
    assert (request.method, request.path) == ("POST", "/query")
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"] == f"interp-kg/{__version__} (https://w3id.org/interp-kg)"
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert "application/sparql-results+json" in request.headers["Accept"]
    assert urllib.parse.parse_qs(request.body.decode()) == {"query": ["SELECT ?x WHERE { ?x ?p ?o }"]}


def test_construct_asks_for_ntriples(recorder: Recorder) -> None:
    recorder.answers["/query"] = Answer(content_type="application/n-triples", body=b'<urn:a> <urn:b> "1" .\n')
    results = remote(recorder.endpoint, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert results == [px.Triple(px.NamedNode("urn:a"), px.NamedNode("urn:b"), px.Literal("1"))]
    assert recorder.requests[0].headers["Accept"] == "application/n-triples"


def test_basic_credentials_are_sent(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    remote(recorder.endpoint, "SELECT ?x WHERE { ?x ?p ?o }")
    encoded = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert recorder.requests[0].headers["Authorization"] == f"Basic {encoded}"


def test_push_sends_credentials_with_every_request(recorder: Recorder, token: str) -> None:
    recorder.answers["/store"] = Answer(status=201, body=b"")
    recorder.answers["/update"] = Answer(status=204, body=b"")
    push(recorder.endpoint, b"<urn:a> <urn:b> <urn:c> .\n", graph="urn:test:g", timeout=TIMEOUT)
    push(recorder.endpoint, b"", graph=None, timeout=TIMEOUT)
    puts = [r for r in recorder.requests if r.method == "PUT"]
    updates = [r for r in recorder.requests if r.method == "POST"]
    assert len(puts) == len(updates) == 2 and len(recorder.requests) == 4
    tmps = [urllib.parse.parse_qs(urllib.parse.urlsplit(r.path).query)["graph"][0] for r in puts]
    uuid4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert all(re.fullmatch(re.escape(TMP_GRAPH_PREFIX) + uuid4, t) for t in tmps)
    assert tmps[0] != tmps[1]
    assert puts[0].headers["Content-Type"] == "application/n-triples"
    assert puts[0].body == b"<urn:a> <urn:b> <urn:c> .\n"
    moves = [urllib.parse.parse_qs(r.body.decode())["update"][0] for r in updates]
    assert moves == [f"MOVE GRAPH <{tmps[0]}> TO GRAPH <urn:test:g>", f"MOVE GRAPH <{tmps[1]}> TO DEFAULT"]
    for request in recorder.requests:
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        assert request.headers["User-Agent"].startswith(f"interp-kg/{__version__} ")


@pytest.mark.parametrize("auth", ["token", "basic", "digest"])
def test_rejected_credentials_are_never_in_the_message(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, auth: str
) -> None:
    if auth == "token":
        monkeypatch.setenv(TOKEN_ENV, TOKEN)
    else:
        monkeypatch.setenv(USER_ENV, USER)
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
        monkeypatch.setenv(AUTH_ENV, auth)
    rejected = Answer(status=401, content_type="text/plain", echo_authorization=True)
    challenge = Answer(status=401, body=b"", headers={"WWW-Authenticate": 'Digest realm="r", nonce="n"'})
    recorder.answers["/query"] = [challenge, rejected] if auth == "digest" else rejected
    with pytest.raises(RemoteError, match="HTTP 401") as error:
        run_query(recorder.endpoint, "SELECT * WHERE { ?s ?p ?o }", timeout=TIMEOUT)
    message = assert_clean(error)
    assert "bad credentials" in message and TOKEN_ENV in message
    assert "second line" not in message


def test_redirects_do_not_carry_credentials(recorder: Recorder, token: str) -> None:
    recorder.answers["/query"] = Answer(status=302, headers={"Location": "/elsewhere"}, body=b"")
    run_query(recorder.endpoint, "SELECT * WHERE { ?s ?p ?o }", timeout=TIMEOUT)
    first, second = recorder.requests
    assert first.headers["Authorization"] == f"Bearer {TOKEN}"
    assert second.path == "/elsewhere" and "Authorization" not in second.headers


def test_half_basic_credentials_are_an_error(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    with pytest.raises(RemoteError, match=PASSWORD_ENV) as error:
        run_query(recorder.endpoint, "SELECT * WHERE { ?s ?p ?o }", timeout=TIMEOUT)
    assert_clean(error)
    assert recorder.requests == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (TOKEN_ENV, f"{TOKEN}\n"),
        (TOKEN_ENV, f"{TOKEN} €"),
        (USER_ENV, f"{USER}:x"),
        (PASSWORD_ENV, f"{PASSWORD}\r\n"),
    ],
)
def test_malformed_credentials_are_an_error_that_does_not_quote_them(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv(name, value)
    with pytest.raises(RemoteError, match=name) as error:
        run_query(recorder.endpoint, COUNT_ALL, timeout=TIMEOUT)
    assert_clean(error)
    assert recorder.requests == []


# ---------------------------------------------------------------- failures


def test_endpoint_down(token: str) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(RemoteError) as error:
        run_query(Endpoint.from_url(url), COUNT_ALL, timeout=TIMEOUT)
    assert assert_clean(error) == f"cannot reach {url}/query: connection refused"


def test_wrong_url_is_http_404(loaded: Endpoint, token: str) -> None:
    wrong = Endpoint(query_url=loaded.query_url.replace("/query", "/nope"))
    with pytest.raises(RemoteError) as error:
        run_query(wrong, COUNT_ALL, timeout=TIMEOUT)
    assert assert_clean(error) == (
        f"no SPARQL endpoint at {wrong.query_url} (HTTP 404: POST /nope is not supported by this server)"
    )


def test_syntax_error_is_http_400_with_the_server_message(loaded: Endpoint, token: str) -> None:
    with pytest.raises(RemoteRejected) as error:
        run_query(loaded, "SELECT ?x WHERE { ?x ?p }", timeout=TIMEOUT)
    message = assert_clean(error)
    assert message.startswith(f"{loaded.query_url} rejected the request (HTTP 400: error at 1:")


@pytest.mark.parametrize("status", [500, 503])
def test_server_error(recorder: Recorder, token: str, status: int) -> None:
    recorder.answers["/query"] = Answer(status=status, content_type="text/plain", body=b"boom\nat line 2\n")
    with pytest.raises(RemoteError) as error:
        run_query(recorder.endpoint, COUNT_ALL, timeout=TIMEOUT)
    assert assert_clean(error) == f"{recorder.url}/query failed (HTTP {status}: boom)"


def test_forbidden(recorder: Recorder, token: str) -> None:
    recorder.answers["/query"] = Answer(status=403, content_type="text/plain", body=b"go away")
    with pytest.raises(RemoteError) as error:
        run_query(recorder.endpoint, COUNT_ALL, timeout=TIMEOUT)
    assert assert_clean(error) == f"{recorder.url}/query forbids this (HTTP 403: go away)"


def test_html_instead_of_results(recorder: Recorder, token: str) -> None:
    recorder.answers["/query"] = Answer(content_type="text/html; charset=utf-8", body=b"<html>Login</html>")
    data, content_type = run_query(recorder.endpoint, COUNT_ALL, timeout=TIMEOUT)
    with pytest.raises(RemoteError) as error:
        parse_results(data, content_type)
    assert assert_clean(error) == "the endpoint did not answer with SPARQL results (content type text/html)"


def test_malformed_results(recorder: Recorder) -> None:
    recorder.answers["/query"] = Answer(body=b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":1')
    with pytest.raises(RemoteError, match=r"unreadable SPARQL results \(application/sparql-results\+json\)"):
        remote(recorder.endpoint, COUNT_ALL)


def test_timeout(recorder: Recorder, token: str) -> None:
    recorder.answers["/query"] = Answer(hold=True)
    with pytest.raises(RemoteTimeout) as error:
        run_query(recorder.endpoint, COUNT_ALL, timeout=0.2)
    recorder.release.set()
    assert assert_clean(error) == f"no answer from {recorder.url}/query within 0.2 s"


def test_hang_up(recorder: Recorder, token: str) -> None:
    recorder.answers["/query"] = Answer(hang_up=True)
    with pytest.raises(RemoteError) as error:
        run_query(recorder.endpoint, COUNT_ALL, timeout=TIMEOUT)
    assert assert_clean(error) == f"{recorder.url}/query closed the connection without answering"


def test_push_needs_store_and_update_endpoints(recorder: Recorder) -> None:
    with pytest.raises(RemoteError, match="Graph Store and update endpoints"):
        push(Endpoint(query_url=f"{recorder.url}/sparql"), b"", graph=None, timeout=TIMEOUT)
    with pytest.raises(RemoteError, match="not a graph IRI"):
        push(recorder.endpoint, b"", graph="not an iri", timeout=TIMEOUT)
    assert recorder.requests == []


@pytest.mark.parametrize(
    "case",
    ["malformed data", "update endpoint missing"],
)
@pytest.mark.parametrize("graph", [None, NAMED.value])
def test_a_failed_push_leaves_the_remote_graph_as_it_was(
    tmp_path: Path, token: str, case: str, graph: str | None
) -> None:
    location = tmp_path / "remote"
    target = px.NamedNode(graph) if graph else None
    before = b"<urn:test:a> <urn:test:b> <urn:test:c> .\n<urn:test:a> <urn:test:b> <urn:test:d> .\n"
    with running_server(location) as url:
        endpoint = Endpoint.from_url(url)
        push(endpoint, before, graph=graph, timeout=TIMEOUT)
        if case == "malformed data":
            data, broken, expected = (
                before + b"<urn:test:x> <urn:test:y> <bad",
                endpoint,
                "HTTP 400: Parser error",
            )
        else:
            data = before + b"<urn:test:x> <urn:test:y> <urn:test:z> .\n"
            broken = endpoint.model_copy(update={"update_url": f"{url}/nope"})
            expected = f"no SPARQL endpoint at {url}/nope (HTTP 404"
        with pytest.raises(RemoteError, match=re.escape(expected)) as error:
            push(broken, data, graph=graph, timeout=TIMEOUT)
        assert_clean(error)
        assert count(endpoint, target) == 2
    assert named_graphs(location) == ([graph] if graph else [])


def test_push_to_a_read_only_server_is_refused(tmp_path: Path, bundled_store_dir: Path, token: str) -> None:
    from interp_kg.store.builds import current_build

    with running_server(current_build(bundled_store_dir) / "oxigraph", read_only=True) as url:
        endpoint = Endpoint.from_url(url)
        with pytest.raises(RemoteError) as error:
            push(endpoint, b"<urn:a> <urn:b> <urn:c> .\n", graph=None, timeout=TIMEOUT)
        assert assert_clean(error) == f"{url}/store forbids this (HTTP 403: The server is read-only)"
        assert count(endpoint) == len(open_store(bundled_store_dir))


def test_a_push_that_times_out_names_the_temporary_graph(recorder: Recorder, token: str) -> None:
    """The server may finish the upload after the client gave up (and after the clean-up's
    drop): the message says the target is unchanged and names the graph to drop if it stays."""
    recorder.answers["/store"] = Answer(hold=True)
    with pytest.raises(RemoteTimeout) as error:
        push(recorder.endpoint, b"<urn:a> <urn:b> <urn:c> .\n", graph=None, timeout=0.2)
    recorder.release.set()
    message = assert_clean(error)
    puts = [r for r in recorder.requests if r.method == "PUT"]
    assert len(puts) == 1
    tmp = urllib.parse.parse_qs(urllib.parse.urlsplit(puts[0].path).query)["graph"][0]
    assert tmp.startswith("urn:interp-kg:tmp:")
    expected = f"no answer from {recorder.url}/store within 0.2 s; the target graph is unchanged"
    assert message.startswith(expected)
    assert f"DROP SILENT GRAPH <{tmp}>" in message
    drops = [r for r in recorder.requests if r.path.startswith("/update")]
    assert drops and f"DROP SILENT GRAPH <{tmp}>" in urllib.parse.unquote_plus(drops[0].body.decode())
