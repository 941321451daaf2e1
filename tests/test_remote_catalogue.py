"""Every saved query gives the same rows on a real Oxigraph server (after `push`) as locally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from interp_kg.curation.saved_queries import load_catalogue
from interp_kg.rdf.export import export
from interp_kg.sparql.query import LocalBackend, RemoteBackend, bind, with_limit
from interp_kg.sparql.remote import Endpoint, push
from interp_kg.store.build import BuildResult
from interp_kg.store.builds import open_graph, open_store
from tests.oxigraph_server import running_server

#: Representative values for the required parameters of the catalogue.
PARAMS = {
    "listings-of-work": {"work": "paper:arxiv-2404.03592"},
    "search-titles": {"keyword": "sparse autoencoder"},
    "works-by-author": {"author": "Neel Nanda"},
    "works-by-venue": {"venue": "ICLR"},
    "works-in-topic": {"topic": "Sparse Coding"},
}


@pytest.fixture(scope="module")
def server(bundled_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store_dir = bundled_build.path.parents[1]
    with running_server(tmp_path_factory.mktemp("remote")) as url:
        push(Endpoint.from_url(url), export(open_graph(store_dir), "ntriples"), graph=None, timeout=60)
        yield url


@pytest.mark.parametrize("name", sorted(load_catalogue()))
def test_saved_query_gives_the_same_rows_remotely(name: str, server: str, bundled_build: BuildResult) -> None:
    saved = load_catalogue()[name]
    local = LocalBackend(open_store(bundled_build.path.parents[1]))
    text = with_limit(saved.text, None)
    values = PARAMS.get(name, {})
    expected = local.execute(text, bind(saved, values, local, 30), saved.form, 30)
    with RemoteBackend(server) as remote:
        actual = remote.execute(text, bind(saved, values, remote, 30), saved.form, 30)
    assert actual.variables == expected.variables
    assert [tuple(map(str, r)) for r in actual.rows] == [tuple(map(str, r)) for r in expected.rows]
    assert actual.boolean == expected.boolean


def test_every_required_parameter_has_a_test_value() -> None:
    for name, saved in load_catalogue().items():
        for p in saved.params:
            if p.required:
                assert p.name in PARAMS.get(name, {}), f"add a value for {name}:{p.name} to PARAMS"


def test_push_cli_then_query_cli_against_the_server(server: str, bundled_build: BuildResult) -> None:
    import subprocess
    import sys

    store = str(bundled_build.path.parents[1])
    cmd = [sys.executable, "-m", "interp_kg"]
    proc = subprocess.run(
        [*cmd, "push", "--endpoint", server, "--store", store, "--graph", "https://example.org/g"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("pushed ")
    proc = subprocess.run(
        [*cmd, "query", "featured-works", "--endpoint", server, "-f", "csv"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    local = subprocess.run(
        [*cmd, "query", "featured-works", "--store", store, "-f", "csv"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout == local.stdout and proc.stdout.count("\n") == 14


def test_endpoint_down_is_a_one_line_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.oxigraph_server import free_port

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "interp_kg",
            "query",
            "featured-works",
            "--endpoint",
            f"http://127.0.0.1:{free_port()}",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 5
    assert proc.stderr.count("\n") == 1 and "cannot reach" in proc.stderr
