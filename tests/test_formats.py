"""The one format registry (:mod:`interp_kg.formats`): every command's writers are exactly the
formats the registry gives it, ``--format`` offers them, an ``-o`` suffix picks one (an unknown
suffix is an error naming the known ones), and the site negotiates its RDF media types from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest
from typer.testing import CliRunner

from interp_kg.citations.write import WRITERS as CITATION_WRITERS
from interp_kg.cli.main import app
from interp_kg.diff.changes import WRITERS as DIFF_WRITERS
from interp_kg.formats import (
    CITATION_FORMATS,
    COMMAND_FORMATS,
    FORMATS,
    RDF_EXPORT_FORMATS,
    SITE_RDF_FORMATS,
    FormatError,
    from_output,
    suffix,
)
from interp_kg.rdf.export import WRITERS as EXPORT_WRITERS
from interp_kg.reports.common import REPORT_FORMATS
from interp_kg.site import conneg
from interp_kg.sparql.results import ResultFormat


def test_every_command_writes_exactly_its_registered_formats() -> None:
    assert tuple(EXPORT_WRITERS) == RDF_EXPORT_FORMATS
    assert tuple(CITATION_WRITERS) == CITATION_FORMATS
    assert COMMAND_FORMATS["export"] == RDF_EXPORT_FORMATS + CITATION_FORMATS
    assert tuple(DIFF_WRITERS) == COMMAND_FORMATS["diff"]
    assert COMMAND_FORMATS["report"] == REPORT_FORMATS
    assert get_args(ResultFormat) == COMMAND_FORMATS["query"]
    assert {n for names in COMMAND_FORMATS.values() for n in names} <= FORMATS.keys()


@pytest.mark.parametrize("command", ["export", "query", "lint", "queries", "diff"])
def test_format_choices_come_from_the_registry(command: str) -> None:
    args = [command, "--format", "nonsense"] if command != "diff" else ["diff", "a", "b", "-f", "nonsense"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    for name in COMMAND_FORMATS[command]:  # type: ignore[index]
        assert repr(name) in result.output or name in result.output, (command, name, result.output)


def test_report_format_choices_come_from_the_registry() -> None:
    result = CliRunner().invoke(app, ["report", "venues", "--format", "nonsense"])
    assert result.exit_code == 2
    assert all(name in result.output for name in COMMAND_FORMATS["report"])


@pytest.mark.parametrize(
    ("command", "name", "expected"),
    [
        ("export", "kg.jsonld", "jsonld"),
        ("export", "kg.TTL", "turtle"),
        ("export", "kg.owl", "rdfxml"),
        ("export", "refs.bib", "bibtex"),
        ("export", "refs.csl.json", "csl-json"),
        ("export", "refs.json", "csl-json"),
        ("export", "refs.RIS", "ris"),
        ("diff", "new.atom", "atom"),
        ("report", "cov.htm", "html"),
        ("report", "cov.markdown", "md"),
        ("query", "rows.tsv", "tsv"),
        ("diff", "changes.nt", "ntriples"),
        ("diff", "changes", "text"),
    ],
)
def test_a_suffix_picks_the_format(command: str, name: str, expected: str) -> None:
    assert from_output(command, Path(name), "text" if command == "diff" else "csv") == expected  # type: ignore[arg-type]


def test_an_unknown_suffix_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(FormatError) as caught:
        from_output("report", Path("coverage.xlsx"), "csv")
    message = str(caught.value)
    assert "coverage.xlsx" in message and ".html (html)" in message and ".csv (csv)" in message
    assert caught.value.exit_code == 2


def test_export_to_an_unknown_suffix_fails_in_one_line_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "kg.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "interp_kg", "export", "-o", str(out), "--store", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "cannot tell the format of kg.xlsx" in proc.stderr
    assert not out.exists()


def test_the_site_negotiates_the_registered_rdf_media_types() -> None:
    expected = {FORMATS[n].media_type: suffix(n)[1:] for n in SITE_RDF_FORMATS}
    assert {m: e for m, e in conneg.MEDIA_TYPES.items() if e != "html"} == expected
    for name in SITE_RDF_FORMATS:
        assert conneg.CONTENT_TYPES[suffix(name)[1:]].split(";")[0] == FORMATS[name].media_type
    assert {FORMATS[n].media_type: suffix(n)[1:] for n in CITATION_FORMATS} == conneg.CITATION_TYPES
    assert conneg.negotiate("application/x-bibtex") == "bib"
    assert conneg.negotiate("application/vnd.citationstyles.csl+json") == "csl.json"
    assert conneg.negotiate("text/turtle, application/x-bibtex") == "ttl"  # RDF first
