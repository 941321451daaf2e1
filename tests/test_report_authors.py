"""`interp-kg report authors [--missing]` and the coverage report's authors column, on the bundled
graph, cross-checked against the curated records they come from (data/bibliography/)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interp_kg.catalog.works import build_catalog
from interp_kg.cli.main import app
from interp_kg.curation.bibliography import load
from interp_kg.reports.authors import (
    CSV_COLUMNS,
    MISSING_CSV_COLUMNS,
    AuthorsReport,
    MissingFactsReport,
    authors_report,
    missing_report,
    render_authors,
)
from interp_kg.reports.coverage import coverage_report
from interp_kg.source.parse import parse_file
from interp_kg.sparql.query import LocalBackend
from interp_kg.store.builds import open_store
from tests.conftest import BUNDLED, ID, REPO


@pytest.fixture(scope="module")
def backend(bundled_store_dir: Path) -> LocalBackend:
    return LocalBackend(open_store(bundled_store_dir))


@pytest.fixture(scope="module")
def curated() -> dict[str, tuple[bool, bool]]:
    """Paper IRI -> (has curated authors, has a curated date), straight from the records: the
    first version's date, else the venue version's."""
    bib = load(REPO / "data" / "bibliography")
    out = {}
    for work in build_catalog([parse_file(BUNDLED)]).works:
        if work.kind == "paper":
            located = bib.for_work(work)
            record = located.record if located else None
            dated = bool(record and (record.date or record.published))
            out[ID + work.slug] = (bool(record and record.authors), dated)
    return out


def test_missing_view_lists_exactly_the_papers_lacking_a_fact(
    backend: LocalBackend, curated: dict[str, tuple[bool, bool]]
) -> None:
    report = missing_report(backend)
    expected = {
        iri: [f for f, has in (("authors", a), ("date", d)) if not has]
        for iri, (a, d) in curated.items()
        if not (a and d)
    }
    assert {row.work: row.missing for row in report.rows} == expected
    assert [row.work for row in report.rows] == sorted(expected)


def test_totals_agree_with_the_records(backend: LocalBackend, curated: dict[str, tuple[bool, bool]]) -> None:
    totals = authors_report(backend).totals
    assert totals.papers == len(curated) == 191
    assert totals.with_authors == sum(a for a, _ in curated.values())
    assert totals.with_date == sum(d for _, d in curated.values())
    assert totals.share_authors == round(totals.with_authors / totals.papers, 4)


def test_people_rows(backend: LocalBackend) -> None:
    report = authors_report(backend)
    by_iri = {row.author: row for row in report.rows}
    geva = by_iri[ID + "author/mor-geva"]  # the list's "Gor meva", with its Google Scholar id
    assert (geva.name, geva.scholar) == ("Mor Geva", "GxpQbSkAAAAJ")
    assert geva.works >= 5 and geva.first_author >= 1
    assert ID + "author/gor-meva" not in by_iri
    works = [row.works for row in report.rows]
    assert works == sorted(works, reverse=True)
    assert report.totals.people == sum(1 for row in report.rows if row.works)


def test_formats(backend: LocalBackend) -> None:
    people, missing = authors_report(backend), missing_report(backend)
    rows = list(csv.reader(io.StringIO(render_authors(people, "csv").decode())))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == len(people.rows) + 1
    rows = list(csv.reader(io.StringIO(render_authors(missing, "csv").decode())))
    assert tuple(rows[0]) == MISSING_CSV_COLUMNS and len(rows) == len(missing.rows) + 1
    assert AuthorsReport.model_validate_json(render_authors(people, "json")) == people
    assert MissingFactsReport.model_validate_json(render_authors(missing, "json")) == missing
    assert render_authors(people, "md").decode().startswith("# Authors\n")
    assert b"<table" in render_authors(missing, "html")
    assert render_authors(people, "json") == render_authors(authors_report(backend), "json")


def test_command(bundled_store_dir: Path) -> None:
    result = CliRunner().invoke(
        app, ["report", "authors", "--missing", "--store", str(bundled_store_dir), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["report"] == "authors-missing"
    assert all(row["missing"] for row in data["rows"])


def test_coverage_has_the_authors_column(backend: LocalBackend) -> None:
    report = coverage_report(backend)
    people = authors_report(backend).totals
    assert report.totals.with_authors == people.with_authors
    assert report.totals.with_date == people.with_date
    assert report.totals.authors == people.people
    survey = next(row for row in report.rows if row.label == "Survey")
    assert 0 < survey.with_authors <= survey.papers
