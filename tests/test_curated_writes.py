"""Curated and user files survive a kill at any moment, concurrent edits are never lost, curation
commands write where a reinstall cannot erase and say where, and a build warns when curated data
shrank sharply (issue 15, findings 1, 2 and 3).

Kills are injected by :mod:`tests.faults` in a real subprocess, at every step that changes a file;
edits "meanwhile" are made by the fake remote service while it is asked, so nothing sleeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from interp_kg import atomic
from interp_kg.curation.bibliography import Record, dump_record, read_file
from interp_kg.curation.wikidata_mapping import load_mapping
from interp_kg.store.builds import read_info
from tests.conftest import BUNDLED, REPO, write
from tests.local_http import EMPTY_SOLUTIONS, Answer, recording, serving
from tests.test_cli import run
from tests.wikidata_helpers import LIST as WIKIDATA_LIST
from tests.wikidata_helpers import list_store

SOURCE = REPO / "data" / "bibliography" / "part-1.jsonl"


def faulted(step: int, entry: str, *args: str, env: dict[str, str] | None = None) -> int:
    """Run ``entry`` (MODULE:FUNCTION) with ``args`` in a subprocess killed at file step ``step``;
    its exit code (-9 when killed)."""
    proc = subprocess.run(
        [sys.executable, "-m", "tests.faults", str(step), entry, *args],
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **(env or {})},
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, -9), proc.stderr.decode()
    return proc.returncode


def kill_at_every_step(
    entry: str, args: list[str], target: Path, old: bytes, reset: Callable[[], None]
) -> tuple[int, bytes]:
    """Kill the command at step 1, 2, ... until it ends by itself; after each kill the target must
    hold exactly its old bytes or exactly the final ones. Returns (kills, final bytes)."""
    killed_states: list[bytes] = []
    for step in range(1, 500):
        reset()
        if faulted(step, entry, *args) == 0:
            new = target.read_bytes()
            assert new != old, "the command changed nothing: the test proves nothing"
            for state in killed_states:
                assert state in (old, new), f"a kill left {len(state)} bytes, neither old nor new"
            return step - 1, new
        killed_states.append(target.read_bytes())
    raise AssertionError("the command never finished")


# ---------------------------------------------------------------- 1: kill -9 during a write


def synthetic_records(n: int) -> list[Record]:
    """``n`` valid records, about 400 bytes each."""
    read = {"url": "https://arxiv.org/abs/2301.00001", "retrieved": "2026-12-01"}
    return [
        Record.model_validate(
            {
                "id": f"url:https://example.org/work/{i:05d}",
                "title": f"Work number {i} on sparse features in a transformer's residual stream",
                "authors": [f"Author {i} One", f"Author {i} Two", f"Author {i} Three"],
                "date": "2023-01-02",
                "sources": {"title": read, "authors": read, "date": read},
            }
        )
        for i in range(n)
    ]


def test_a_kill_during_the_bibliography_rewrite_leaves_old_or_new(tmp_path: Path) -> None:
    """The rewrite of a 1.4 MB file (two os.write calls), killed at every step: the file holds its
    old bytes or its new ones, never a part (a kill at the old in-place write left 0 bytes)."""
    records = synthetic_records(3500)
    lines = [dump_record(r) for r in records]
    old = "".join(reversed(lines)).encode()  # valid but not canonical: the rewrite sorts it
    assert len(old) > 1 << 20
    target = tmp_path / "bibliography" / "part-1.jsonl"

    kills, new = kill_at_every_step(
        "interp_kg.curation.bibliography:main",
        ["--rewrite", str(target.parent)],
        target,
        old,
        lambda: write(target, old),
    )
    assert kills >= 4, kills  # the temporary file's open, its two writes, its fsync, the rename...
    assert new == "".join(lines).encode()


def test_a_kill_during_export_to_a_file_leaves_old_or_new(tmp_path: Path, bundled_store_dir: Path) -> None:
    target = tmp_path / "graph.nt"
    old = b"<http://example.org/old> <http://example.org/p> <http://example.org/o> .\n"

    def reset() -> None:
        write(target, old)

    kills, new = kill_at_every_step(
        "interp_kg.cli.main:main",
        ["export", "-f", "ntriples", "-o", str(target), "--store", str(bundled_store_dir)],
        target,
        old,
        reset,
    )
    assert kills >= 3 and new.count(b"\n") > 10_000


def test_the_mapping_and_the_proposals_are_written_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both go through the one writer: a failure before the rename leaves the old file."""
    from interp_kg.curation.bibliography import write_file
    from interp_kg.curation.wikidata_mapping import Mapping, write_mapping

    mapping, proposals = tmp_path / "mapping.json", tmp_path / "proposals.jsonl"
    mapping.write_text("old mapping\n")
    proposals.write_text("old proposals\n")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(atomic.WriteError, match="No space left"):
        write_mapping(Mapping(), mapping)
    with pytest.raises(atomic.WriteError, match="No space left"):
        write_file(proposals, synthetic_records(3))
    assert mapping.read_text() == "old mapping\n" and proposals.read_text() == "old proposals\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mapping.json", "proposals.jsonl"]


# ---------------------------------------------------------------- 2: concurrent edits


class _Hooked(BaseHTTPRequestHandler):
    """Answers every request with empty SPARQL results; runs ``hook`` once, at the first request,
    before answering (a person saving a file while the command waits for the service)."""

    hook: list[Callable[[], None]]

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        while self.hook:
            self.hook.pop()()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(EMPTY_SOLUTIONS)))
        self.end_headers()
        self.wfile.write(EMPTY_SOLUTIONS)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def hooked_endpoint(hook: Callable[[], None]) -> Iterator[str]:
    handler = type("Handler", (_Hooked,), {"hook": [hook]})
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as url:
        yield f"{url}/sparql"


def test_an_edit_saved_during_reconcile_is_not_overwritten(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    shutil.copy(REPO / "data" / "wikidata" / "mapping.json", mapping)
    store = list_store(tmp_path, mapping)
    edited = mapping.read_text("utf-8").replace('"status": "confirmed"', '"status": "candidate"')

    def curator_saves() -> None:
        mapping.write_text(edited, encoding="utf-8")

    with hooked_endpoint(curator_saves) as endpoint:
        proc = run(
            "wikidata", "reconcile", "--endpoint", endpoint, "--store", str(store), "--mapping", str(mapping),
            "--cache-dir", str(tmp_path / "cache"), "--retries", "0",
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    # merged record by record: the record the curator changed is as they left it
    assert '"status": "candidate"' in mapping.read_text("utf-8"), "the curator's edit is kept"
    assert '"status": "confirmed"' not in mapping.read_text("utf-8")
    assert "kept" in proc.stderr or "kept" in proc.stdout, proc.stdout + proc.stderr
    assert not list(tmp_path.glob(".mapping.json.*")), "no temporary file left"


def test_reconcile_without_an_edit_writes_and_says_where(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    shutil.copy(REPO / "data" / "wikidata" / "mapping.json", mapping)
    store = list_store(tmp_path, mapping)
    with hooked_endpoint(lambda: None) as endpoint:
        proc = run(
            "wikidata", "reconcile", "--endpoint", endpoint, "--store", str(store), "--mapping", str(mapping),
            "--cache-dir", str(tmp_path / "cache"), "--retries", "0",
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {mapping}" in proc.stdout
    assert load_mapping(mapping).venues[0].status == "confirmed"


def test_a_rewrite_refuses_a_file_edited_meanwhile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rewrite reads every file, then writes: an edit saved in between is not overwritten."""
    from interp_kg.curation import bibliography

    records = [loc.record for loc in read_file(SOURCE)][:20]
    folder = tmp_path / "bibliography"
    text = "".join(dump_record(r) for r in reversed(records))
    write(folder / "part-1.jsonl", text)
    real_load = bibliography.load

    def load_then_edit(path: Path) -> bibliography.Bibliography:
        loaded = real_load(path)
        write(folder / "part-1.jsonl", text + "\n")  # the curator's save, after the read
        return loaded

    monkeypatch.setattr(bibliography, "load", load_then_edit)
    with pytest.raises(atomic.FileChanged, match="changed since it was read"):
        bibliography.rewrite(folder)
    assert (folder / "part-1.jsonl").read_text("utf-8") == text + "\n"


# ---------------------------------------------------------------- 3: where curation commands write


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package laid out as a wheel installs it: ``interp_kg/_resources/`` holding a copy of
    the bundled data (so a wrong write would land in the copy, and show)."""
    site = tmp_path_factory.mktemp("site")
    shutil.copytree(
        REPO / "src" / "interp_kg",
        site / "interp_kg",
        ignore=shutil.ignore_patterns("__pycache__", "_resources"),
    )
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(REPO / folder, site / "interp_kg" / "_resources" / folder)
    return site


def run_installed(site: Path, user: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "INTERP_KG_USER_DATA": str(user)}
    return subprocess.run(
        [sys.executable, "-m", "interp_kg", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_the_installed_package_writes_to_the_user_data_dir(installed: Path, tmp_path: Path) -> None:
    user = tmp_path / "user"
    resources = installed / "interp_kg" / "_resources" / "data"
    before = {p: p.read_bytes() for p in resources.rglob("*") if p.is_file()}
    store = tmp_path / "store"
    proc = run_installed(installed, user, "build", str(WIKIDATA_LIST), "--store", str(store), "-q")
    assert proc.returncode == 0, proc.stderr
    with hooked_endpoint(lambda: None) as endpoint:
        proc = run_installed(
            installed, user, "wikidata", "reconcile", "--endpoint", endpoint, "--store", str(store),
            "--cache-dir", str(tmp_path / "cache"), "--retries", "0",
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    written = user / "wikidata" / "mapping.json"
    assert f"wrote {written}" in proc.stdout
    assert load_mapping(written).venues[0].node == "venue/neurips", "started from the bundled mapping"

    with recording_arxiv() as base:
        proc = run_installed(
            installed, user, "enrich", str(WIKIDATA_LIST), "--service", "arxiv", "--limit", "1",
            "--arxiv-url", f"{base}/arxiv/query",
        )  # fmt: skip
    proposals = user / "bibliography" / "proposals.jsonl"
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {proposals}" in proc.stderr
    assert [loc.record.key for loc in read_file(proposals)] == ["arxiv:2301.00001"]
    assert {p: p.read_bytes() for p in resources.rglob("*") if p.is_file()} == before, (
        "package data untouched"
    )

    # from now on, the build reads the mapping the command wrote
    proc = run_installed(installed, user, "build", str(WIKIDATA_LIST), "--store", str(store), "-q")
    assert proc.returncode == 0, proc.stderr
    assert str(written) in [c.path for c in read_info(store).curated]


@contextlib.contextmanager
def recording_arxiv() -> Iterator[str]:
    """A local arXiv API answering every query with the feed of arXiv 2301.00001."""
    feed = (REPO / "tests" / "data" / "enrich" / "arxiv-2301.00001.xml").read_bytes()
    with recording() as recorder:
        recorder.answers["/arxiv/query"] = Answer(content_type="application/atom+xml", body=feed)
        yield recorder.url


def test_the_package_in_use_writes_curation_where_it_should() -> None:
    """A checkout (an editable install, as in development) writes into its data folder; an
    installed package (as CI installs it: `pip install .`) into the user data dir."""
    from interp_kg.resources import curated_path, data_path, packaged, user_data_root, writable_checkout

    if packaged():
        assert not writable_checkout()
        assert curated_path("wikidata/mapping.json") == user_data_root() / "wikidata/mapping.json"
    else:
        assert writable_checkout()
        assert curated_path("wikidata/mapping.json") == data_path("wikidata/mapping.json")


# ---------------------------------------------------------------- 4: a build on shrunken curated data


def test_a_build_on_a_truncated_bibliography_warns_naming_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "bibliography"
    shutil.copytree(REPO / "data" / "bibliography", folder)
    store = tmp_path / "store"
    proc = run("build", str(BUNDLED), "--store", str(store), "--bibliography", str(folder), "-q")
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    counts = {Path(c.path).name: c.records for c in read_info(store).curated}
    assert counts["part-1.jsonl"] > 100 and counts["aliases.toml"] > 0 and counts["mapping.json"] == 1
    (folder / "part-1.jsonl").write_bytes(b"")  # what a kill during the old in-place write left
    proc = run("build", str(BUNDLED), "--store", str(store), "--bibliography", str(folder), "-q")
    assert proc.returncode == 0, proc.stderr
    warning = [line for line in proc.stderr.splitlines() if line.startswith("WARNING")]
    assert warning and "shrank sharply" in warning[0]
    assert any(f"{folder / 'part-1.jsonl'}: {counts['part-1.jsonl']} -> 0" in line for line in warning), (
        warning
    )
    proc = run("build", str(BUNDLED), "--store", str(store), "--bibliography", str(folder), "-q")
    assert "WARNING" not in proc.stderr, "compared with the previous build, not the first"


def test_an_emptied_mapping_warns(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    shutil.copy(REPO / "data" / "wikidata" / "mapping.json", mapping)
    store = tmp_path / "store"
    assert (
        run("build", str(BUNDLED), "--store", str(store), "--wikidata-mapping", str(mapping)).returncode == 0
    )
    mapping.write_text(json.dumps({}), encoding="utf-8")
    proc = run("build", str(BUNDLED), "--store", str(store), "--wikidata-mapping", str(mapping), "-q")
    assert proc.returncode == 0, proc.stderr
    assert f"WARNING:   {mapping}: 1 -> 0 wikidata mapping records" in proc.stderr
