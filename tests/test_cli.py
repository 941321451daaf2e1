"""The command line as a script sees it: exit codes, one-line errors, stdout by default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from interp_kg.store.builds import build_lock
from tests.conftest import write


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("INTERP_KG_STORE", None) if env is None or "INTERP_KG_STORE" not in env else None
    return subprocess.run(
        [sys.executable, "-m", "interp_kg", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("interp-kg: error:") and text in lines[0], lines[0]


def test_build_without_arguments_uses_the_current_bundled_list_from_any_directory(tmp_path: Path) -> None:
    proc = run("build", "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "321 entries" in proc.stdout and "297 works" in proc.stdout
    info = json.loads((tmp_path / "s" / "current" / "build.json").read_text("utf-8"))
    assert [(x["file"], x["version"]) for x in info["lists"]] == [
        ("awesome-llm-interpretability-2026-01.md", "2026-01")
    ]
    where = run("where", "--store", str(tmp_path / "s"))
    assert "bundled list 2026-01 (2026-01-22)" in where.stdout and "/blob/d485ecf/README.md" in where.stdout


def test_build_list_picks_the_april_2024_snapshot(tmp_path: Path) -> None:
    proc = run("build", "--list", "2024-04", "--store", str(tmp_path / "s"))
    assert proc.returncode == 0, proc.stderr
    assert "226 entries" in proc.stdout and "209 works" in proc.stdout
    assert run("validate", "--store", str(tmp_path / "s")).returncode == 0


def test_build_list_refuses_an_unknown_version_and_sources_with_it(tmp_path: Path) -> None:
    proc = run("build", "--list", "1999-01", "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "is not a bundled list: 2026-01, 2024-04" in proc.stderr
    proc = run("build", "x.md", "--list", "2024-04", "--store", str(tmp_path / "s"))
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_store_from_environment_variable(tmp_path: Path) -> None:
    assert run("build", "-q", env={"INTERP_KG_STORE": str(tmp_path / "env")}).returncode == 0
    proc = run("export", "-f", "ntriples", env={"INTERP_KG_STORE": str(tmp_path / "env")})
    assert proc.returncode == 0 and proc.stdout.count("\n") > 3000


def test_export_to_file(tmp_path: Path) -> None:
    assert run("build", "-q", "--store", str(tmp_path / "s")).returncode == 0
    out = tmp_path / "kg.ttl"
    proc = run("export", "--store", str(tmp_path / "s"), "-f", "turtle", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert out.read_text("utf-8").startswith("@prefix ikg:")


@pytest.mark.parametrize(
    ("content", "text"),
    [(None, "no such file"), (b"", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_bad_sources_give_one_line_errors(tmp_path: Path, content: bytes | None, text: str) -> None:
    src = tmp_path / "list.md"
    if content is not None:
        write(src, content)
    assert_one_line_error(run("build", str(src), "--store", str(tmp_path / "s")), 2, text)


def test_directory_as_source(tmp_path: Path) -> None:
    assert_one_line_error(run("build", str(tmp_path), "--store", str(tmp_path / "s")), 2, "is a directory")


def test_locked_store(tmp_path: Path) -> None:
    with build_lock(tmp_path / "s"):
        assert_one_line_error(run("build", "--store", str(tmp_path / "s")), 3, "locked by another")


def test_unwritable_store(tmp_path: Path) -> None:
    blocker = write(tmp_path / "file", "x")
    assert_one_line_error(run("build", "--store", str(blocker / "s")), 3, "cannot write the store directory")


def test_export_without_a_store(tmp_path: Path) -> None:
    assert_one_line_error(run("export", "--store", str(tmp_path / "none")), 3, "run `interp-kg build` first")


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("export", "--format", "yaml", "--store", str(tmp_path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_validate_exit_code(tmp_path: Path) -> None:
    assert run("build", "-q", "--store", str(tmp_path / "s")).returncode == 0
    proc = run("validate", "--store", str(tmp_path / "s"))
    assert proc.returncode == 0 and proc.stdout.startswith("conforms")


def test_lint_strict_exits_non_zero_on_the_bundled_list() -> None:
    proc = run("lint", "--strict", "--list", "2024-04")
    assert proc.returncode == 1
    assert "awesome-llm-interpretability.md:98: warning: label [arxiv 2303]" in proc.stdout


LAYOUTS = Path(__file__).parent / "data" / "layouts"


def test_lint_names_every_unit_not_read_as_a_work_and_sums_up_each_list() -> None:
    proc = run("lint", str(LAYOUTS / "pipe-tables.md"), str(LAYOUTS / "html-tables.md"))
    assert proc.returncode == 0, proc.stderr
    assert (
        "pipe-tables.md:25: warning: table without a title column (header: Benchmark | Size | Download)"
        in (proc.stdout)
    )
    assert "html-tables.md:39: warning: table row with links but no title" in proc.stdout
    assert proc.stderr.splitlines()[:2] == [  # the lists in the order a build reads them (by name)
        "read html-tables.md: 9 units -> 6 entries, 0 notes, 3 not read as works "
        "(1 image-line, 1 table-no-title-column, 1 table-row-no-title)",
        "read pipe-tables.md: 10 units -> 7 entries, 0 notes, 3 not read as works "
        "(1 contributor-line, 1 table-no-title-column, 1 table-row-no-title)",
    ]


def test_lint_json_gives_the_rule_of_each_unit_not_read_as_a_work() -> None:
    import json

    proc = run("lint", str(LAYOUTS / "about-lines.md"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    found = {
        (d["line"], d["code"], d["severity"])
        for d in json.loads(proc.stdout)
        if d["file"] == "about-lines.md"
    }
    assert {
        (5, "news-line", "info"),
        (32, "star-history-line", "info"),
        (46, "licence-line", "info"),
    } <= found


def test_build_prints_what_became_of_each_lists_units(tmp_path: Path) -> None:
    proc = run("build", str(LAYOUTS / "details.md"), "--store", str(tmp_path / "s"))
    assert proc.returncode == 0, proc.stderr
    assert "read details.md: 10 units -> 8 entries, 1 note, 1 not read as works (1 toc-line)\n" in proc.stdout
    quiet = run("build", str(LAYOUTS / "details.md"), "--store", str(tmp_path / "s"), "-q")
    assert "read details.md" not in quiet.stdout


def test_help_shows_examples() -> None:
    proc = run("--help")
    assert proc.returncode == 0 and "interp-kg export --format jsonld" in proc.stdout
