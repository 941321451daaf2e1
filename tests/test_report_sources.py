"""``interp-kg report sources``: the curation coverage of a list and the sources of its facts."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from interp_kg.catalog.curated import Curated
from interp_kg.curation.bibliography import load
from interp_kg.reports.sources import render_sources, sources_report
from tests.conftest import BUNDLED, write

LIST = """\
# L

## Papers

* **Paper A** [[arxiv 2301]](https://arxiv.org/abs/2301.00001)
* **Paper B** [[blog]](https://example.org/b)

## Code

* **ToolX** [[github]](https://github.com/Owner/ToolX)
"""
ARXIV = {"url": "https://arxiv.org/abs/2301.00001", "retrieved": "2026-12-01"}
MIRROR = {"url": "https://digest.example/2301.00001", "retrieved": "2026-12-01", "secondary": "no arXiv page"}
REPO = {"url": "https://github.com/Owner/ToolX/blob/main/README.md", "retrieved": "2026-12-01"}
PAPER_A = {"id": "arxiv:2301.00001", "title": "Paper A", "authors": ["Ann A"], "date": "2023-01-02"}
TOOL = {"id": "github:Owner/ToolX", "title": "ToolX", "no_authors": "no personal byline"}
RECORDS = [
    {**PAPER_A, "sources": {"title": ARXIV, "authors": ARXIV, "date": MIRROR}},
    {**TOOL, "sources": {"title": REPO}},
]


def test_figures_targets_and_secondary_facts(tmp_path: Path) -> None:
    write(tmp_path / "bib" / "part-1.jsonl", "".join(json.dumps(r) + "\n" for r in RECORDS))
    curated = replace(Curated.bundled(), bibliography=load(tmp_path / "bib"))
    report = sources_report([write(tmp_path / "list.md", LIST)], curated)
    t = report.totals
    assert (t.papers, t.with_authors, t.with_date, t.with_arxiv_or_doi) == (2, 1, 1, 1)
    assert (t.no_authors, t.records, t.facts, t.primary_facts) == (1, 2, 4, 3)  # the tool's own repo counts
    assert {g.figure: (g.share, g.met) for g in report.targets} == {
        "with_authors": (0.5, False),
        "with_date": (0.5, False),
        "with_arxiv_or_doi": (0.5, False),
        "primary_facts": (0.75, False),
    }
    assert [(r.record, r.fact, r.host, r.reason) for r in report.rows] == [
        ("arxiv:2301.00001", "date", "digest.example", "no arXiv page")
    ]
    for fmt in ("table", "md", "csv", "json", "html"):
        assert b"digest.example" in render_sources(report, fmt)  # type: ignore[arg-type]


def test_the_command_reports_the_bundled_snapshot() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "interp_kg", "report", "sources", "--list", "2024-04", "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert data["lists"] == [{"file": BUNDLED.name, "version": "2024-04"}]
    assert data["totals"]["papers"] == 191
    assert {g["figure"] for g in data["targets"]} == {
        "with_authors",
        "with_date",
        "with_arxiv_or_doi",
        "primary_facts",
    }
