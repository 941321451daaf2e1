"""``interp-kg report``: coverage, venue and timeline reports of the built graph.

Thin, like :mod:`interp_kg.cli.main`: options are parsed here, the reports are computed and written by
:mod:`interp_kg.reports`. Heavy imports (pyoxigraph, rich, pygal for HTML) happen inside the
commands.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from interp_kg.cli.options import (
    MAPPING_DEFAULT,
    ListOption,
    OutputOption,
    StoreOption,
    format_option,
    mapping_source,
    output_format,
    source_paths,
    store_dir,
    terminal_color,
    write_output,
)

if TYPE_CHECKING:
    from interp_kg.reports.common import ReportFormat
    from interp_kg.sparql.query import Backend

report_app = typer.Typer(
    name="report",
    help=(
        "Reports on the built graph, for curators: topic coverage, venues, timeline, authors, "
        "Wikidata links.\n\n"
        "Each prints a table on a terminal and CSV when piped; --format picks table, md (Markdown "
        "to paste into a README), csv, json or html (a self-contained page with charts), and -o "
        "writes a file (its suffix picks the format when --format is not given).\n\n"
        "Examples:\n\n"
        "  interp-kg report coverage\n\n"
        "  interp-kg report coverage -f html -o coverage.html\n\n"
        "  interp-kg report venues -f md\n\n"
        "  interp-kg report timeline -f json | jq '.rows[] | select(.topic == null)'"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

FormatOption = Annotated[
    str | None,
    format_option("report", "Default: the suffix of -o FILE, else table on a terminal and csv when piped."),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        help="Give up when one of the report's queries (with the reading of its rows) takes longer, in "
        "seconds. A store of a million works needs about 300.",
        min=0.1,
    ),
]


def _backend(store: Path | None) -> Backend:
    from interp_kg.sparql.query import LocalBackend
    from interp_kg.store.builds import open_store

    return LocalBackend(open_store(store_dir(store)))


def _format(fmt: str | None, output: Path | None) -> ReportFormat:
    """The report format to write (``--format``, else the ``-o`` suffix's, else by the terminal)."""
    default = "table" if output is None and sys.stdout.isatty() else "csv"
    return cast("ReportFormat", output_format("report", fmt, output, default))


def _built_from(store: Path | None) -> str:
    """What the graph was built from, for the reports to state: each list with its bundled
    version, date and upstream commit, and the interp-kg version."""
    from interp_kg.store.builds import read_info

    info = read_info(store_dir(store))
    lists = []
    for item in info.lists:
        if item.version is not None:
            commit = item.upstream.rsplit("/blob/", 1)[-1].split("/")[0] if item.upstream else ""
            lists.append(
                f"{item.file} (list version {item.version} of {item.date}"
                + (f", upstream commit {commit}" if commit and commit != "HEAD" else "")
                + ")"
            )
        else:
            lists.append(f"{item.file} (sha256 {item.sha256[:12]})")
    return f"Built from {'; '.join(lists) or ', '.join(info.sources)} by interp-kg {info.version}."


@contextmanager
def _stating(store: Path | None) -> Iterator[None]:
    """Reports rendered within it state what the graph was built from."""
    from interp_kg.reports.common import stated

    with stated(_built_from(store)):
        yield


def _console(output: Path | None) -> dict[str, Any]:
    """Width and colour of a terminal table: the terminal's on a terminal, else wide and plain."""
    if output is None and sys.stdout.isatty():
        return {"width": None, "color": terminal_color()}
    return {"width": 200, "color": False}


@report_app.command()
def coverage(
    store: StoreOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    thin: Annotated[
        int, typer.Option("--thin", min=0, help="Flag topics with fewer works (sub-topics included).")
    ] = 3,
    stale_before: Annotated[
        int,
        typer.Option(
            "--stale-before",
            help="Flag topics whose dated works are all older than this year (topics with no dated "
            "work are not judged; a fixed default, so that a report of the same store does not "
            "change with the date).",
        ),
    ] = 2023,
    no_tool_min_papers: Annotated[
        int,
        typer.Option(
            "--no-tool-min-papers",
            min=1,
            help="Flag topics with at least this many papers (sub-topics included) and no tool.",
        ),
    ] = 20,
    timeout: TimeoutOption = 30.0,
) -> None:
    """The topic tree with, per topic: works (directly and with sub-topics), papers and tools,
    featured works, years, peer-reviewed and preprint shares, code, Wikidata links, works shared
    with other topics; and flags: thin and stale topics, papers without a tool, works under no topic.

    Examples: `interp-kg report coverage`, `interp-kg report coverage -f md --thin 5`,
    `interp-kg report coverage -o coverage.html`.
    """
    from interp_kg.reports.coverage import coverage_report, render_coverage

    out_fmt = _format(fmt, output)
    report = coverage_report(
        _backend(store), thin=thin, stale_before=stale_before, no_tool_min=no_tool_min_papers, timeout=timeout
    )
    with _stating(store):
        write_output(render_coverage(report, out_fmt, **_console(output)), output)
    if out_fmt == "csv" and report.works_without_topic:
        n = len(report.works_without_topic)
        typer.echo(f"note: {n} work(s) listed under no topic; --format json or md names them", err=True)


@report_app.command()
def venues(
    store: StoreOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Works per canonical venue and year, with the presentation kinds (oral, spotlight, poster,
    findings, workshop, tutorial, demo); works with no venue or no year included.

    Examples: `interp-kg report venues`, `interp-kg report venues -f csv -o venues.csv`.
    """
    from interp_kg.reports.venues import render_venues, venues_report

    out_fmt = _format(fmt, output)
    report = venues_report(_backend(store), timeout)
    with _stating(store):
        write_output(render_venues(report, out_fmt, **_console(output)), output)


@report_app.command()
def timeline(
    store: StoreOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Works per year and month (the month from the arXiv id), for all works and per top-level
    topic.

    Examples: `interp-kg report timeline`, `interp-kg report timeline -f html -o timeline.html`.
    """
    from interp_kg.reports.timeline import render_timeline, timeline_report

    out_fmt = _format(fmt, output)
    report = timeline_report(_backend(store), timeout)
    with _stating(store):
        write_output(render_timeline(report, out_fmt, **_console(output)), output)


@report_app.command()
def authors(
    store: StoreOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    missing: Annotated[
        bool,
        typer.Option(
            "--missing",
            help="List the papers without curated authors or date (with the identifiers `interp-kg "
            "enrich` looks them up by) instead of the people. Default: the people.",
        ),
    ] = False,
    timeout: TimeoutOption = 30.0,
) -> None:
    """The people of the graph with their works, first-author works, years and topics; with
    --missing, the papers that lack a curated author list or date (data/bibliography/).

    Examples: `interp-kg report authors`, `interp-kg report authors --missing -f md`.
    """
    from interp_kg.reports.authors import authors_report, missing_report, render_authors

    out_fmt = _format(fmt, output)
    backend = _backend(store)
    report = missing_report(backend, timeout) if missing else authors_report(backend, timeout)
    with _stating(store):
        write_output(render_authors(report, out_fmt, **_console(output)), output)


@report_app.command()
def wikidata(
    store: StoreOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    mapping_file: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help=f"The mapping file whose conflicts and candidates to show. {MAPPING_DEFAULT}",
            show_default=False,
        ),
    ] = None,
    bibliography: Annotated[
        Path | None,
        typer.Option(
            "--bibliography",
            help="The curated records whose facts without a primary source to list. "
            "Default: the bundled data/bibliography.",
            show_default=False,
        ),
    ] = None,
    timeout: TimeoutOption = 30.0,
) -> None:
    """Links to Wikidata: the linked share per class (works, venues, topics, authors) and per
    topic, the works with no item, the open conflicts and title candidates of the mapping file,
    and the curated facts no batch writes because their only source is not their primary record
    (CSV: the topics).

    Examples: `interp-kg report wikidata`, `interp-kg report wikidata -f md -o wikidata.md`.
    """
    from interp_kg.cli.wikidata import recorded_of, statement_context
    from interp_kg.reports.wikidata import candidate_rows, render_wikidata, wikidata_report
    from interp_kg.wikidata.statements import secondary_facts

    out_fmt = _format(fmt, output)
    works, base = recorded_of(store, bibliography)
    ctx = statement_context(mapping_source(mapping_file), base)
    report = wikidata_report(
        _backend(store),
        ctx.mapping.conflicts,
        candidates=candidate_rows(ctx.mapping.works),
        secondary=secondary_facts(works, ctx),
        timeout=timeout,
    )
    with _stating(store):
        write_output(render_wikidata(report, out_fmt, **_console(output)), output)


@report_app.command()
def sources(
    lists: Annotated[
        list[Path] | None,
        typer.Argument(help="Markdown list(s). Default: the bundled list (see --list).", show_default=False),
    ] = None,
    version: ListOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """How much of a list the curated bibliography covers, and on which sources it rests: papers
    with ordered authors, a date, an arXiv id or DOI, against the curation targets; curated facts
    read on a primary record (data/bibliography/primary-hosts.toml), and every other fact with its
    reason. Reads the lists and the curated data, not the store.

    Examples: `interp-kg report sources`, `interp-kg report sources --list 2024-04 -f md`,
    `interp-kg report sources -f json | jq .targets`.
    """
    from interp_kg.reports.sources import render_sources, sources_report

    out_fmt = _format(fmt, output)
    report = sources_report(source_paths(lists, version))
    write_output(render_sources(report, out_fmt, **_console(output)), output)
