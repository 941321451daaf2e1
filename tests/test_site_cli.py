"""``interp-kg site build`` and ``site serve`` as a script sees them: a summary line, one-line
errors with their exit codes, never a traceback; two workers give the same bytes as one."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write
from tests.test_cli import assert_one_line_error, run


def test_site_build_by_the_cli(bundled_store_dir: Path, tmp_path: Path) -> None:
    for jobs in ("1", "2"):
        proc = run("site", "build", "-o", str(tmp_path / jobs), "--store", str(bundled_store_dir), "-j", jobs)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith(f"site {tmp_path / jobs}: ") and " resources, " in proc.stdout
    one = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*") if p.is_file()}
    assert one == two and len(one) > 1000


def test_site_build_errors_are_one_line(bundled_store_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "notes" / "keep.txt", "mine")
    proc = run("site", "build", "-o", str(tmp_path / "notes"), "--store", str(bundled_store_dir))
    assert_one_line_error(proc, 1, "is not a site built by interp-kg")
    proc = run("site", "build", "-o", str(tmp_path / "out"), "--store", str(tmp_path / "no-store"))
    assert_one_line_error(proc, 3, "no store at")


def test_site_serve_needs_a_built_site(tmp_path: Path) -> None:
    proc = run("site", "serve", str(tmp_path), "--port", "8765")
    assert_one_line_error(proc, 1, "is not a built site")
