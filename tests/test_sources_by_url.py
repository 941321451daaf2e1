"""Lists read from a URL or a ``github:`` shorthand (issue 18.4), against a local HTTP server:
the bytes cached, revalidated with ETag / Last-Modified, recorded in build.json, and read offline
from the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interp_kg.errors import SourceError
from interp_kg.source.lists import GITHUB_RAW_ENV, load_sources_file, parse_spec, resolve
from interp_kg.source.remote import CACHE_ENV
from interp_kg.store.build import build
from interp_kg.store.builds import read_info
from tests.local_http import Answer, Recorder
from tests.test_cli import assert_one_line_error, run

LIST = (
    b"# Awesome Widgets\n\n## Probing\n\n* **A widget probe** [[arxiv]](https://arxiv.org/abs/2401.99980)\n"
)
MD = "text/markdown; charset=utf-8"


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _serve(recorder: Recorder, path: str, *answers: Answer) -> str:
    recorder.answers[path] = list(answers)
    return recorder.url + path


def test_a_url_is_fetched_cached_and_recorded(tmp_path: Path, recorder: Recorder, cache: Path) -> None:
    url = _serve(recorder, "/lists/awesome-widgets.md", Answer(200, MD, LIST, {"ETag": '"v1"'}))
    (src,) = resolve([parse_spec(url)])
    assert (src.source, src.key, src.name) == (
        "127.0.0.1/lists/awesome-widgets.md",
        "127-0-0-1-lists-awesome-widgets",
        "127-0-0-1-lists-awesome-widgets",
    )
    assert src.path.read_bytes() == LIST and src.path.is_relative_to(cache)
    store = tmp_path / "s"
    build([src], store)
    (info,) = read_info(store).lists
    assert (info.url, info.path, info.file, info.bytes) == (url, url, src.source, len(LIST))
    assert info.sha256 == src.sha256 and info.retrieved and info.checked == info.retrieved
    assert info.upstream == url


def test_the_cached_copy_is_revalidated(recorder: Recorder) -> None:
    modified = "Wed, 21 Oct 2026 07:28:00 GMT"
    url = _serve(
        recorder,
        "/l.md",
        Answer(200, MD, LIST, {"ETag": '"v1"', "Last-Modified": modified}),
        Answer(304, MD, b"", {"ETag": '"v1"'}),
    )
    first = resolve([parse_spec(url)])[0]
    second = resolve([parse_spec(url)])[0]
    asked = recorder.requests[-1].headers
    assert (asked.get("If-None-Match"), asked.get("If-Modified-Since")) == ('"v1"', modified)
    assert second.sha256 == first.sha256 and second.retrieved == first.retrieved and second.note is None


def test_a_changed_list_is_fetched_again(recorder: Recorder) -> None:
    url = _serve(
        recorder,
        "/l.md",
        Answer(200, MD, LIST, {"ETag": '"v1"'}),
        Answer(200, MD, LIST + b"\n", {"ETag": '"v2"'}),
    )
    first = resolve([parse_spec(url)])[0]
    second = resolve([parse_spec(url)])[0]
    assert second.sha256 != first.sha256 and second.path.read_bytes() == LIST + b"\n"


def test_offline_reads_the_cache_and_says_so(recorder: Recorder) -> None:
    url = _serve(recorder, "/l.md", Answer(200, MD, LIST))
    resolve([parse_spec(url)])
    asked = len(recorder.requests)
    (src,) = resolve([parse_spec(url)], offline=True)
    assert len(recorder.requests) == asked, "offline: no request"
    assert src.path.read_bytes() == LIST and src.checked is None
    assert src.note is not None and src.note.startswith("offline: read the copy of ")


def test_an_unreachable_server_falls_back_on_the_cache(recorder: Recorder) -> None:
    url = _serve(recorder, "/l.md", Answer(200, MD, LIST), Answer(503, "text/plain", b"down for maintenance"))
    resolve([parse_spec(url)])
    (src,) = resolve([parse_spec(url)])
    assert src.path.read_bytes() == LIST
    assert src.note is not None and "HTTP 503: down for maintenance" in src.note


def test_nothing_cached_is_a_one_line_error(recorder: Recorder) -> None:
    url = _serve(recorder, "/never.md", Answer(503, "text/plain", b"down"))
    with pytest.raises(SourceError) as offline:
        resolve([parse_spec(url)], offline=True)
    assert str(offline.value) == f"{url}: offline, and no copy of it is cached (fetch it once online)"
    with pytest.raises(SourceError, match=r"cannot fetch it \(.*HTTP 503.*\), and no copy of it is cached"):
        resolve([parse_spec(url)])
    missing = _serve(recorder, "/missing.md", Answer(404, "text/plain", b"no such file"))
    with pytest.raises(SourceError, match=r"not found \(HTTP 404: no such file\)"):
        resolve([parse_spec(missing)])  # the list is not there: no cache is read


def test_github_shorthand(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(GITHUB_RAW_ENV, recorder.url)
    _serve(recorder, "/someone/awesome-widgets/HEAD/README.md", Answer(200, MD, LIST))
    _serve(recorder, "/someone/awesome-widgets/v2/docs/list.md", Answer(200, MD, LIST))
    plain, pinned = resolve(
        [
            parse_spec("github:someone/awesome-widgets"),
            parse_spec("github:someone/awesome-widgets@v2:docs/list.md"),
        ]
    )
    assert (plain.source, plain.key) == ("someone/awesome-widgets/README.md", "someone-awesome-widgets")
    assert (pinned.source, pinned.key) == (
        "someone/awesome-widgets@v2/docs/list.md",
        "someone-awesome-widgets-v2-list",
    )
    assert plain.url == recorder.url + "/someone/awesome-widgets/HEAD/README.md"


def test_the_bundled_lists_upstream_is_the_bundled_list() -> None:
    spec = parse_spec("github:cooperleong00/Awesome-LLM-Interpretability")
    from interp_kg.source.lists import _bundled_for

    assert _bundled_for(spec) == (None, "awesome-llm-interpretability")
    raw = parse_spec(
        "https://raw.githubusercontent.com/cooperleong00/Awesome-LLM-Interpretability/d485ecf/README.md"
    )
    assert (raw.source, raw.key) == (
        "cooperleong00/Awesome-LLM-Interpretability@d485ecf/README.md",
        "cooperleong00-awesome-llm-interpretability-d485ecf",
    )


def test_a_sources_file_names_and_orders_lists(tmp_path: Path, recorder: Recorder) -> None:
    url = _serve(recorder, "/b.md", Answer(200, MD, LIST))
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "a.md").write_bytes(LIST.replace(b"widget probe", b"widget probe (A)"))
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[list]]\nsource = "{url}"\nname = "widgets"\n\n[[list]]\nsource = "lists/a.md"\n')
    remote, local = resolve(load_sources_file(sources))
    assert (remote.name, remote.spec.rank, local.name, local.spec.rank) == ("widgets", 0, "a", 1)
    sources.write_text('[[list]]\nsource = "a.md"\ncolour = "red"\n')
    with pytest.raises(SourceError, match=r"sources.toml: list.0.colour: Extra inputs are not permitted"):
        load_sources_file(sources)


def test_build_command_from_a_url_and_offline(tmp_path: Path, recorder: Recorder, cache: Path) -> None:
    url = _serve(recorder, "/lists/awesome-widgets.md", Answer(200, MD, LIST, {"ETag": '"v1"'}))
    env = {CACHE_ENV: str(cache)}
    store = tmp_path / "s"
    proc = run("build", url, "--store", str(store), env=env)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(next((store / "builds").glob("*/build.json")).read_text("utf-8"))
    assert info["lists"][0]["url"] == url
    proc = run("build", url, "--offline", "--store", str(store), env=env)
    assert proc.returncode == 0 and "offline: read the copy of" in proc.stderr
    proc = run("build", recorder.url + "/other.md", "--offline", "--store", str(store), env=env)
    message = f"{recorder.url}/other.md: offline, and no copy of it is cached (fetch it once online)"
    assert_one_line_error(proc, 2, message)


def test_the_dataset_description_names_the_url_its_time_and_checksum(
    tmp_path: Path, recorder: Recorder
) -> None:
    from interp_kg.site.build import build_site

    url = _serve(recorder, "/lists/awesome-widgets.md", Answer(200, MD, LIST))
    (src,) = resolve([parse_spec(url)])
    store = tmp_path / "s"
    build([src], store)
    build_site(store, tmp_path / "site", jobs=1)
    void = (tmp_path / "site" / "void.nt").read_text("utf-8")
    assert f"<http://purl.org/dc/terms/source> <{url}> ." in void
    assert f"127.0.0.1/lists/awesome-widgets.md (from {url}, retrieved {src.retrieved})" in void
    assert f"sha256:{src.sha256}" in void
