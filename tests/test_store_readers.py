"""Readers never see a half-gone build, and a build killed at any moment leaves a working store
(issue 15, finding 7): `query`, `where` and `export` loop in other processes through 60 rebuilds
with no failure, and a build killed at each of its steps on the file system (tests/faults.py)
leaves `where`, `export` and `site build` working on the old graph or the new one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from interp_kg.store.build import build
from interp_kg.store.builds import PIN_FILE, current_build, prune, read_build_info
from tests.conftest import REPO, write

REBUILDS = 60


def small_list(path: Path, entries: int) -> Path:
    lines = "".join(
        f"* **Paper {n}** [[arxiv]](https://arxiv.org/abs/2401.{n:05d})\n" for n in range(entries)
    )
    return write(path, "# L\n## Topic\n" + lines)


def interp_kg(*args: str, store: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "INTERP_KG_STORE": str(store), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "interp_kg", *args]
    return subprocess.run(command, capture_output=True, env=env, timeout=120, check=False)


READERS = {
    "query": ("query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv"),
    "where": ("where",),
    "export": ("export", "-f", "ntriples"),
}


def test_readers_in_other_processes_never_fail_during_60_rebuilds(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lists = [small_list(tmp_path / "a.md", 3), small_list(tmp_path / "b.md", 40)]
    build([lists[0]], store)
    done = threading.Event()
    reads: dict[str, int] = dict.fromkeys(READERS, 0)
    failures: list[str] = []

    def read_in_a_loop(name: str) -> None:
        while not done.is_set():
            proc = interp_kg(*READERS[name], store=store)
            reads[name] += 1
            if proc.returncode != 0 or (name == "export" and not proc.stdout):
                failures.append(f"{name}: exit {proc.returncode}: {proc.stderr.decode().strip()}")

    threads = [threading.Thread(target=read_in_a_loop, args=(name,)) for name in READERS]
    for thread in threads:
        thread.start()
    try:
        for n in range(REBUILDS):
            build([lists[n % 2]], store)
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert failures == [], f"{len(failures)} of {sum(reads.values())} reads failed: {failures[:3]}"
    assert all(n >= 5 for n in reads.values()), reads
    left = sorted(p.name for p in (store / "builds").iterdir())
    assert len(left) <= 2 + len(READERS), f"old builds pile up: {left}"


def test_a_pinned_build_is_kept_and_goes_once_unpinned(tmp_path: Path) -> None:
    """A reader's pin (a process holding the current build open) keeps that build through
    rebuilds; the first build after the reader ends removes it."""
    store = tmp_path / "store"
    source = small_list(tmp_path / "a.md", 3)
    build([source], store)
    first = current_build(store)
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from pathlib import Path; from interp_kg.store.builds import open_store; "
            "s = open_store(Path(sys.argv[1])); print(len(s), flush=True); sys.stdin.read()",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and int(reader.stdout.readline()) > 0  # the reader holds it
        for _ in range(3):
            build([source], store)
        assert first.exists(), "a build a reader has open is not removed"
        assert read_build_info(first).entries == 3
    finally:
        assert reader.stdin is not None
        reader.stdin.close()
        reader.wait(30)
    build([source], store)
    assert not first.exists(), "removed once no reader pins it"


def test_prune_keeps_what_it_is_told_and_skips_leftovers(tmp_path: Path) -> None:
    root = tmp_path / "store"
    for name in ("a", "b", "c", "d.partial"):
        (root / "builds" / name / "oxigraph").mkdir(parents=True)
        (root / "builds" / name / PIN_FILE).touch()
    assert prune(root, keep={"c", "b"}) == ["a"]
    assert sorted(p.name for p in (root / "builds").iterdir()) == ["b", "c", "d.partial"]


# ---------------------------------------------------------------- kill -9 at every moment of a build

CHECK = """
import sys
from typer.testing import CliRunner
from interp_kg.cli.main import app
store, site = sys.argv[1:]
runner = CliRunner()
for args in (["where", "--store", store], ["site", "build", "-o", site, "--store", store]):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, (args, result.output, result.exception)
result = runner.invoke(app, ["export", "-f", "ntriples", "--store", store])
assert result.exit_code == 0, result.output
sys.stdout.write(result.stdout)
"""


def test_a_build_killed_at_every_step_leaves_a_working_store(tmp_path: Path) -> None:
    old_list, new_list = small_list(tmp_path / "old.md", 3), small_list(tmp_path / "new.md", 5)
    pristine = tmp_path / "pristine"
    build([old_list], pristine)
    build([old_list], pristine)  # a current build and a previous one: the killed build prunes
    graphs = {"old": export(pristine)}
    store = tmp_path / "store"
    outcomes = []
    for step in range(1, 300):
        shutil.rmtree(store, ignore_errors=True)
        shutil.copytree(pristine, store, symlinks=True)
        code = faulted_build(step, new_list, store)
        check = subprocess.run(
            [sys.executable, "-c", CHECK, str(store), str(tmp_path / "site")],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
        assert check.returncode == 0, f"killed at step {step}: {check.stderr}"
        if code == 0:
            graphs["new"] = check.stdout
            break
        outcomes.append(check.stdout)
    else:
        raise AssertionError("the build never finished")
    assert graphs["new"] != graphs["old"]
    assert len(outcomes) >= 10, "too few steps to call it every moment"
    for n, graph in enumerate(outcomes, 1):
        assert graph in graphs.values(), f"killed at step {n}: the store holds neither graph"
    assert any(g == graphs["new"] for g in outcomes), "some kills come after the swap"
    build([new_list], store)  # the next build clears what the kills left
    left = {p.name for p in (store / "builds").iterdir()} | {p.name for p in store.glob(".current.*")}
    assert all(not name.endswith((".partial", ".removing")) and "current" not in name for name in left), left


def export(store: Path) -> str:
    proc = interp_kg("export", "-f", "ntriples", store=store)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode()


def faulted_build(step: int, source: Path, store: Path) -> int:
    command = ["build", str(source), "--store", str(store), "-q"]
    proc = subprocess.run(
        [sys.executable, "-m", "tests.faults", str(step), "interp_kg.cli.main:main", *command],
        capture_output=True,
        cwd=REPO,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, -9), proc.stderr.decode()
    return proc.returncode


@pytest.fixture(autouse=True)
def _no_store_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTERP_KG_STORE", raising=False)
