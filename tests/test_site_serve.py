"""``interp-kg site serve``: a real HTTP server on 127.0.0.1 doing the content negotiation of the
``.htaccess``, checked by requesting each media type and parsing what comes back; ``/sparql``
passed on to a real read-only Oxigraph server."""

from __future__ import annotations

import contextlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from interp_kg.errors import InterpKgError
from interp_kg.site.build import build_site
from interp_kg.site.serve import make_server
from interp_kg.store.builds import current_build, open_store
from tests.conftest import ID
from tests.local_http import GIB, Answer, Recorder, serving
from tests.oxigraph_server import running_server

WORK_PATH = "/id/paper/arxiv-2404.03592"
FORMATS = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
}


@pytest.fixture(scope="module")
def site(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("served") / "site"
    build_site(bundled_store_dir, out, jobs=1)
    return out


def _serve(site: Path, sparql: str | None = None) -> contextlib.AbstractContextManager[str]:
    return serving(make_server(site, port=0, sparql=sparql))


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    with _serve(site) as base:
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str, accept: str | None = None, follow: bool = True) -> tuple[int, dict[str, str], bytes, str]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read(), response.url
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read(), url


@pytest.mark.parametrize("media", sorted(FORMATS))
def test_each_media_type_comes_back_and_parses(url: str, media: str) -> None:
    status, headers, body, final = _get(url + WORK_PATH, media)
    assert status == 200 and headers["Content-Type"].startswith(media)
    triples = {q.triple for q in pyoxigraph.parse(body, format=FORMATS[media])}
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    subject = pyoxigraph.NamedNode(ID + WORK_PATH.removeprefix("/id/"))
    assert (
        pyoxigraph.Triple(
            subject, label, pyoxigraph.Literal("ReFT: Representation Finetuning for Language Models")
        )
        in triples
    )
    assert final.endswith(
        WORK_PATH + "." + {"text/turtle": "ttl", "application/ld+json": "jsonld"}.get(media, "nt")
    )


def test_citation_media_types_come_back_and_parse(url: str) -> None:
    import bibtexparser
    import rispy

    status, headers, body, final = _get(url + WORK_PATH, "application/x-bibtex")
    assert status == 200 and final.endswith(WORK_PATH + ".bib")
    assert headers["Content-Type"].startswith("application/x-bibtex")
    assert bibtexparser.parse_string(body.decode()).entries[0].key == "wu2024reft"
    status, _, body, final = _get(url + WORK_PATH, "application/x-research-info-systems")
    assert status == 200 and rispy.loads(body.decode())[0]["id"] == "wu2024reft"
    status, _, body, final = _get(url + WORK_PATH, "application/vnd.citationstyles.csl+json")
    assert status == 200 and final.endswith(".csl.json") and json.loads(body)[0]["id"] == "wu2024reft"


def test_the_downloads_folder_answers_its_index(url: str) -> None:
    status, headers, body, _ = _get(url + "/dumps/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<h1>Downloads</h1>" in body


def test_a_browser_gets_the_page_through_a_303(url: str) -> None:
    status, headers, _, _ = _get(url + WORK_PATH, "text/html,application/xhtml+xml,*/*;q=0.8", follow=False)
    assert status == 303 and headers["Location"] == WORK_PATH + ".html" and headers["Vary"] == "Accept"
    status, headers, body, _ = _get(url + WORK_PATH, "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"<h1>ReFT: Representation Finetuning for Language Models</h1>" in body


def test_ontology_and_dataset_description_negotiate(url: str) -> None:
    _, headers, body, _ = _get(url + "/ontology", "text/turtle")
    assert headers["Content-Type"].startswith("text/turtle")
    assert len(list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))) > 100
    _, _, body, _ = _get(url + "/void", "application/ld+json")
    assert len(list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.JSON_LD))) > 50
    _, headers, body, _ = _get(url + "/shapes")
    assert headers["Content-Type"].startswith("text/turtle") and b"sh:NodeShape" in body
    status, _, body, _ = _get(url + "/")
    assert status == 200 and b'id="q"' in body


def test_a_listing_iri_lands_on_its_anchor(url: str) -> None:
    status, headers, _, _ = _get(
        url + "/id/listing/awesome-llm-interpretability/L322", "text/html", follow=False
    )
    assert status == 303 and headers["Location"] == "/id/listing/awesome-llm-interpretability/Lxxx.html#L322"
    _, _, body, _ = _get(url + "/id/listing/awesome-llm-interpretability/L322", "text/turtle")
    assert b"L322" in body


def test_an_authorship_iri_lands_in_its_works_documents(url: str) -> None:
    node = WORK_PATH + "/authorship/1"
    status, headers, _, _ = _get(url + node, "text/html", follow=False)
    assert status == 303 and headers["Location"] == WORK_PATH + ".html#authorship-1"
    status, _, body, _ = _get(url + node)
    assert status == 200 and b'id="authorship-1"' in body
    _, _, body, _ = _get(url + node, "text/turtle")
    triples = {q.triple for q in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE)}
    assert any(t.subject == pyoxigraph.NamedNode(ID + node[len("/id/") :]) for t in triples)


def test_nothing_outside_the_site_is_served(url: str, site: Path) -> None:
    (site.parent / "secret.txt").write_text("secret", encoding="utf-8")
    for path in (
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/id/../../secret.txt",
        "/.interp-kg-site",
        "/id/",
        "/id/nope",
    ):
        status, _, body, _ = _get(url + path, "text/turtle")
        assert status == 404 and b"secret" not in body, path


def test_sparql_is_passed_to_the_oxigraph_server(site: Path, bundled_store_dir: Path) -> None:
    location = current_build(bundled_store_dir) / "oxigraph"
    with running_server(location, read_only=True) as endpoint, _serve(site, sparql=endpoint) as url:
        query = urllib.parse.urlencode({"query": f"ASK {{ <{ID}paper/arxiv-2404.03592> ?p ?o }}"})
        status, headers, body, _ = _get(f"{url}/sparql?{query}", "application/sparql-results+json")
        assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
        assert json.loads(body)["boolean"] is True
        request = urllib.request.Request(
            f"{url}/sparql",
            data=b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert int(response.read().decode().splitlines()[1]) == len(open_store(bundled_store_dir))


def test_sparql_answers_go_through_the_http_client(site: Path, recorder: Recorder) -> None:
    """An endpoint's error is passed on as it is; a redirect to another host and an answer over
    the size cap (64 MiB) are not followed or read: 502."""
    port = recorder.url.rsplit(":", 1)[1]
    recorder.answers["/bad"] = Answer(status=400, content_type="text/plain", body=b"syntax error at 1:1")
    recorder.answers["/away"] = Answer(
        status=302, headers={"Location": f"http://localhost:{port}/x"}, body=b""
    )
    recorder.answers["/big"] = Answer(stream=GIB, declare_length=False)
    with _serve(site, sparql=f"{recorder.url}/bad") as url:
        status, _, body, _ = _get(f"{url}/sparql?query=x")
        assert (status, body) == (400, b"syntax error at 1:1")
    with _serve(site, sparql=f"{recorder.url}/away") as url:
        status, _, body, _ = _get(f"{url}/sparql?query=x")
        assert status == 502 and b"on another host" in body
    with _serve(site, sparql=f"{recorder.url}/big") as url:
        status, _, body, _ = _get(f"{url}/sparql?query=x")
        assert status == 502 and b"larger than 64 MiB" in body
    assert recorder.streamed.wait(30) and recorder.sent["/big"] < GIB // 4
    assert [r.path.split("?")[0] for r in recorder.requests] == ["/bad", "/away", "/big"]


def test_sparql_without_an_endpoint_says_so(url: str) -> None:
    status, _, body, _ = _get(url + "/sparql?query=ASK%7B%7D")
    assert status == 404 and b"--sparql-endpoint" in body


def test_serve_needs_a_built_site(tmp_path: Path) -> None:
    with pytest.raises(InterpKgError, match="not a built site"):
        make_server(tmp_path, port=0)
