"""Abstracts (issue 19.3): ``interp-kg enrich --abstracts`` fetches each paper's abstract from
its primary record (the arXiv API, OpenReview API v2, Crossref; recorded answers on a local
server) into the user's abstracts file with its source and day; the build adds them to the
graph, the site shows them and the search indexes them; the bundled data carries none."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.works import build_catalog
from interp_kg.cli.main import app
from interp_kg.curation.abstracts import ABSTRACTS_FILE, AbstractRecord, dumps, load_abstracts
from interp_kg.enrich.abstracts import crossref_abstract, fetch_abstracts
from interp_kg.errors import InterpKgError
from interp_kg.http import Client, HttpPolicy
from interp_kg.rdf import vocab as v
from interp_kg.site.build import build_site
from interp_kg.source.parse import parse_text
from interp_kg.store.build import build
from interp_kg.store.builds import open_store
from tests.conftest import REPO, write
from tests.local_http import FakeClock
from tests.test_enrich import JSON, LIST, Api, server, urls  # noqa: F401 - the recorded APIs

OPENREVIEW = {
    "notes": [
        {
            "id": "paperOOOOO1",
            "content": {"abstract": {"value": "  We study   <b>O</b> &\nits heads. "}},
        }
    ]
}
CROSSREF = {
    "message": {
        "abstract": "<jats:title>Abstract</jats:title>"
        "<jats:p>Doi's <jats:italic>findings</jats:italic>.</jats:p>"
    }
}


def _client() -> Client:
    return Client(HttpPolicy(timeout=2, retries=0), contact="curator@example.org", clock=FakeClock())


def _api(api: Api) -> None:
    api.replies[("/openreview/notes", "paperOOOOO1")] = [
        (200, {"Content-Type": JSON}, json.dumps(OPENREVIEW).encode())
    ]
    api.replies[("/crossref/works/10.1145/3639372", "")] = [
        (200, {"Content-Type": JSON}, json.dumps(CROSSREF).encode())
    ]


def test_enrich_fetches_abstracts_into_the_users_file(server: tuple[str, Api], tmp_path: Path) -> None:  # noqa: F811
    base, api = server
    _api(api)
    catalog = build_catalog([parse_text(LIST, "list.md")])
    folder = tmp_path / "mine"
    result = fetch_abstracts(catalog, folder, _client(), urls=urls(base), today="2026-12-07")
    assert result.written
    assert [o.key for o in result.failures] == ["paper/arxiv-2303.00003"]  # not served: HTTP 404
    records = load_abstracts(folder)
    assert len(records) == 4
    assert records["arxiv:2301.00001"].abstract == "(test fixture: no abstract)"
    assert records["arxiv:2301.00001"].source == "https://arxiv.org/abs/2301.00001"
    assert records["openreview:paperOOOOO1"].abstract == "We study <b>O</b> & its heads."
    assert records["openreview:paperOOOOO1"].source == "https://openreview.net/forum?id=paperOOOOO1"
    assert records["doi:10.1145/3639372"].abstract == "Doi's findings ."
    assert {r.retrieved for r in records.values()} == {"2026-12-07"}
    text = (folder / ABSTRACTS_FILE).read_text(encoding="utf-8")
    assert text == dumps(records.values())  # the one writer's form: sorted, one record a line
    again = fetch_abstracts(catalog, folder, _client(), urls=urls(base))
    assert [o.key for o in again.outcomes] == ["paper/arxiv-2303.00003"]  # the rest are held
    assert not again.written


def test_the_cli_writes_where_it_is_told_and_never_into_the_bundled_data(
    server: tuple[str, Api],  # noqa: F811
    tmp_path: Path,
) -> None:
    base, api = server
    _api(api)
    source = write(tmp_path / "list.md", LIST)
    bundled = sorted(p.read_bytes() for p in (REPO / "data").rglob("*") if p.is_file())
    result = CliRunner().invoke(
        app,
        [
            "enrich",
            str(source),
            "--abstracts",
            "--abstracts-dir",
            str(tmp_path / "abstracts"),
            "--arxiv-url",
            urls(base)["arxiv"],
            "--crossref-url",
            urls(base)["crossref"],
            "--openreview-url",
            urls(base)["openreview"],
            "--contact",
            "me@example.org",
        ],
    )
    assert result.exit_code == 5, result.output  # one paper's record was not found
    assert "paper/arxiv-2303.00003: failure" in result.output
    assert len(load_abstracts(tmp_path / "abstracts")) == 4  # the others are written
    assert sorted(p.read_bytes() for p in (REPO / "data").rglob("*") if p.is_file()) == bundled


def test_a_malformed_record_is_named_by_file_and_line(tmp_path: Path) -> None:
    write(
        tmp_path / ABSTRACTS_FILE,
        '{"id": "arxiv:1", "abstract": "x", "source": "http://a", "retrieved": "2026-01-01"}\n',
    )
    with pytest.raises(InterpKgError, match=r"abstracts.jsonl:1: not an abstract record"):
        load_abstracts(tmp_path)


def test_crossref_jats_loses_its_tags() -> None:
    assert crossref_abstract(json.dumps(CROSSREF).encode(), "10.1/x", "u") == "Doi's findings ."


@pytest.fixture(scope="module")
def with_abstract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("abstracts")
    record = AbstractRecord(
        id="arxiv:2301.00001",
        abstract="A <script>alert(1)</script> study of zebrafinch circuits.",
        source="https://arxiv.org/abs/2301.00001",
        retrieved="2026-12-07",
    )
    build([write(folder / "list.md", LIST)], folder / "store", curated=Curated(abstracts={record.id: record}))
    return folder


def test_the_build_adds_the_abstract_with_its_source(with_abstract: Path) -> None:
    store = open_store(with_abstract / "store")
    rows = list(
        store.query(
            f"SELECT ?a ?s ?d WHERE {{ ?w <{v.ABSTRACT}> ?a ; "
            f"<{v.ABSTRACT_SOURCE}> ?s ; <{v.ABSTRACT_RETRIEVED}> ?d }}"
        )  # type: ignore[arg-type]
    )
    assert len(rows) == 1
    assert (
        rows[0][0].value.startswith("A <script>") and rows[0][1].value == "https://arxiv.org/abs/2301.00001"
    )
    assert rows[0][2].value == "2026-12-07"


def test_the_site_shows_and_searches_the_abstract(with_abstract: Path) -> None:
    site = with_abstract / "site"
    build_site(with_abstract / "store", site, jobs=1)
    page = (site / "id/paper/arxiv-2301.00001.html").read_text(encoding="utf-8")
    assert "<h2>Abstract</h2>" in page and "A &lt;script&gt;alert(1)&lt;/script&gt; study" in page
    assert (
        'From <a href="https://arxiv.org/abs/2301.00001" rel="noopener">' in page
        and "fetched 2026-12-07" in page
    )
    assert '<meta name="citation_abstract" content="A &lt;script&gt;' in page
    assert '"abstract": "A \\u003cscript\\u003ealert(1)' in page  # schema.org, safe in its <script>
    data = (site / "search-data.js").read_text(encoding="utf-8")
    assert "zebrafinch" in data and "<script>" not in data
    from tests.test_html_valid import _nu

    checked = _nu([site / "id/paper/arxiv-2301.00001.html"])
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_bundled_data_carries_no_abstract(bundled_store_dir: Path) -> None:
    store = open_store(bundled_store_dir)
    assert not bool(store.query(f"ASK {{ ?w <{v.ABSTRACT}> ?a }}"))
    assert not list((REPO / "data").rglob(ABSTRACTS_FILE))
    for part in sorted((REPO / "data/bibliography").glob("part-*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            assert "abstract" not in json.loads(line), part


def test_the_day_is_today_by_default(server: tuple[str, Api], tmp_path: Path) -> None:  # noqa: F811
    base, api = server
    _api(api)
    catalog = build_catalog([parse_text(LIST, "list.md")])
    fetch_abstracts(catalog, tmp_path, _client(), urls=urls(base), limit=1)
    (record,) = load_abstracts(tmp_path).values()
    assert record.retrieved == dt.date.today().isoformat()
