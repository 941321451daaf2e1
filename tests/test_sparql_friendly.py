"""SPARQL that is pleasant (issue 19.6): ad-hoc queries get the project's prefixes (a query's own
PREFIX wins), syntax errors show the line, the column and a caret, unknown saved queries and
parameters get "did you mean", ``queries`` in a pipe prints whole names, ``works-by-author``
gives one row per work."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from interp_kg.cli.main import app
from interp_kg.curation.saved_queries import load_catalogue


def _query(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "interp_kg", "query", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_ad_hoc_queries_have_the_prefixes(bundled_store_dir: Path) -> None:
    result = _query(
        bundled_store_dir, "--sparql", "SELECT (COUNT(?w) AS ?n) WHERE { ?w a ikg:Paper }", "-f", "csv"
    )
    assert result.returncode == 0, result.stderr
    assert int(next(iter(csv.DictReader(io.StringIO(result.stdout))))["n"]) > 100


def test_a_querys_own_prefix_wins(bundled_store_dir: Path) -> None:
    text = "PREFIX ikg: <http://example.org/> SELECT (COUNT(?w) AS ?n) WHERE { ?w a ikg:Paper }"
    result = _query(bundled_store_dir, "--sparql", text, "-f", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["n", "0"]


def test_a_syntax_error_shows_line_column_and_caret(bundled_store_dir: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text(
        "SELECT ?t WHERE {\n  ?w a ikg:Paper ;\n     rdfs:label ?t\n  FILTR(?t)\n}\n", encoding="utf-8"
    )
    result = _query(bundled_store_dir, "--file", str(query))
    assert result.returncode == 6
    lines = result.stderr.splitlines()
    assert lines[0].startswith("interp-kg: error: syntax error at line 4, column ")
    assert lines[1] == "  4 |   FILTR(?t)"
    column = int(lines[0].split("column ")[1].split(":")[0])
    assert lines[2].index("^") == len("  4 | ") + column - 1  # the caret under the column named
    assert "u{" not in result.stderr and "['" not in result.stderr  # no grammar dump


def test_an_undeclared_prefix_is_named_at_its_place(bundled_store_dir: Path) -> None:
    result = _query(bundled_store_dir, "--sparql", "SELECT ?t WHERE { ?w a foo:Paper ; rdfs:label ?t }")
    assert result.returncode == 6
    lines = result.stderr.splitlines()
    assert "column 24: undeclared prefix 'foo:'" in lines[0]
    assert lines[2].index("^") == lines[1].index("foo:")


def test_unknown_names_get_did_you_mean(bundled_store_dir: Path) -> None:
    result = _query(bundled_store_dir, "works-by-autor")
    assert result.returncode == 6 and "did you mean works-by-author" in result.stderr
    result = _query(bundled_store_dir, "works-by-author", "-p", "autor=Neel Nanda")
    assert result.returncode == 6 and "did you mean author?" in result.stderr


def test_queries_in_a_pipe_prints_whole_names() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "interp_kg", "queries"], capture_output=True, text=True, check=True
    )
    for q in load_catalogue().values():
        assert q.name in result.stdout and q.title in result.stdout


def test_works_by_author_gives_one_row_per_work(bundled_store_dir: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "query",
            "works-by-author",
            "-p",
            "author=Neel Nanda",
            "-f",
            "csv",
            "--store",
            str(bundled_store_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    works = [r["work"] for r in rows]
    assert len(works) == len(set(works)) > 3
    framework = next(
        r for r in rows if r["work"].endswith("a-mathematical-framework-for-transformer-circuits")
    )
    assert framework["position"] == "2" and framework["authors"] == "25"
