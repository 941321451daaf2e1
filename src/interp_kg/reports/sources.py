"""The sources report: how much of a list the curated bibliography covers, and how much of it
rests on primary records (``interp-kg report sources``).

Unlike the other reports it reads the list(s) and the curated data, not the store: the figures
are about the curated records (data/bibliography/) behind a build. Per list: papers with ordered
authors, with a date, with an arXiv id or a DOI (the list's and the records'), works marked as
having no byline to find; curated facts read on a primary record
(data/bibliography/primary-hosts.toml) and the others, each listed with its reason.

JSON schema (``--format json``)::

    {"report": "sources", "lists": [...], "totals": {...}, "targets": [...], "rows": [{...}, ...]}

``totals``: ``papers``, ``with_authors``, ``with_date``, ``with_arxiv_or_doi``, ``no_authors``
(works whose record says why they have no byline), ``records``, ``facts``, ``primary_facts``.
``targets``: per figure its share, the target share and whether it is met. A row (a fact read on
a page that is not its primary record): ``record`` (its key), ``work`` (IRI path), ``fact``,
``url``, ``host``, ``retrieved``, ``reason``.

CSV (``--format csv``): the rows, in the columns of :data:`CSV_COLUMNS`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.escape import CsvValue, md_cell, md_cells, md_table
from interp_kg.reports.common import PlainTable, ReportFormat, console_text, percent, renderers, share

if TYPE_CHECKING:
    from interp_kg.catalog.curated import Curated

#: The curation targets of issue 16 (shares of the list's papers, and of the curated facts).
Figure = Literal["with_authors", "with_date", "with_arxiv_or_doi", "primary_facts"]
TARGETS: Final[dict[Figure, float]] = {
    "with_authors": 0.97,
    "with_date": 0.97,
    "with_arxiv_or_doi": 0.88,
    "primary_facts": 0.95,
}
CSV_COLUMNS: Final = ("record", "work", "fact", "url", "host", "retrieved", "reason")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ListRef(_Model):
    """A list the figures are about."""

    file: str = Field(description="The list's file name.")
    version: str | None = Field(description="Its bundled version (data/sources.toml), if it is one.")


class SourcesTotals(_Model):
    """Counts over the list's works and their curated records."""

    papers: int = Field(ge=0, description="Papers of the list.")
    with_authors: int = Field(ge=0, description="Papers with an ordered, curated byline.")
    with_date: int = Field(ge=0, description="Papers with a curated date.")
    with_arxiv_or_doi: int = Field(ge=0, description="Papers with an arXiv id or a DOI in the graph.")
    no_authors: int = Field(ge=0, description="Works whose record says why they have no byline.")
    records: int = Field(ge=0, description="Curated records of the list's works.")
    facts: int = Field(ge=0, description="Facts of those records.")
    primary_facts: int = Field(ge=0, description="Facts read on their primary record.")


class Target(_Model):
    """A figure against its target."""

    figure: Figure
    share: float = Field(ge=0, le=1, description="Of the papers (of the facts for primary_facts).")
    target: float = Field(ge=0, le=1, description="The share to reach.")
    met: bool


class SecondaryFact(_Model):
    """A fact read on a page that is not its primary record."""

    record: str = Field(description="The record's key.")
    work: str = Field(description="IRI path of the work.")
    fact: str = Field(description="The fact (authors, date, title, ...).")
    url: str = Field(description="The page it was read on.")
    host: str = Field(description="That page's host.")
    retrieved: str = Field(description="When it was read.")
    reason: str = Field(description="Why not on the primary record (the record's own words).")


class SourcesReport(_Model):
    """The whole report."""

    report: Literal["sources"] = "sources"
    lists: tuple[ListRef, ...]
    totals: SourcesTotals
    targets: tuple[Target, ...]
    rows: tuple[SecondaryFact, ...] = Field(description="The secondary facts, by record and fact.")


@dataclass(frozen=True)
class _RecordFigures:
    """What the report keeps of one curated record: the work it was counted with, and its figures."""

    slug: str
    no_authors: bool
    facts: int
    primary: int
    rows: tuple[SecondaryFact, ...]


def sources_report(paths: Sequence[Path], curated: Curated | None = None) -> SourcesReport:
    """The figures for the lists at ``paths`` with the curated data ``curated`` (default: bundled)."""
    from interp_kg.catalog.curated import Curated
    from interp_kg.catalog.works import CatalogBuilder
    from interp_kg.checks.curated import own_repositories
    from interp_kg.curation.primary import default_primary_hosts
    from interp_kg.source.bundled import bundled_lists
    from interp_kg.source.parse import iter_parse_file

    curated = curated if curated is not None else Curated.bundled()
    hosts = default_primary_hosts()
    # The works are taken one at a time as the catalog makes them and let go (a list of a million
    # entries would otherwise hold a million works): what is kept is four counts and, per curated
    # record, its figures from the first of its works in IRI order (as the catalog sorts them).
    builder = CatalogBuilder(curated=curated, keep_works=False)
    for path in paths:
        builder.read(path.name, iter_parse_file(path, keep=False))
    papers = with_authors = with_date = with_ids = 0
    records: dict[str, _RecordFigures] = {}
    for work in builder.works():
        if work.kind == "paper":
            papers += 1
            with_authors += bool(work.authorships)
            with_date += work.issued is not None
            with_ids += any(i.scheme in ("arxiv", "doi") for i in work.identifiers)
        located = curated.bibliography.for_work(work)
        if located is None:
            continue
        record = located.record
        kept = records.get(record.key)
        if kept is not None and kept.slug <= work.slug:
            continue
        own = own_repositories(work)
        rows = []
        primary = 0
        for fact, source in record.sources.items():
            if hosts.is_primary(source.url, own):
                primary += 1
                continue
            rows.append(
                SecondaryFact(
                    record=record.key,
                    work=work.slug,
                    fact=fact,
                    url=source.url,
                    host=urlsplit(source.url).hostname or "",
                    retrieved=source.retrieved.isoformat(),
                    reason=source.secondary or "no reason given",
                )
            )
        records[record.key] = _RecordFigures(
            work.slug, record.no_authors is not None, len(record.sources), primary, tuple(rows)
        )
    totals = SourcesTotals(
        papers=papers,
        with_authors=with_authors,
        with_date=with_date,
        with_arxiv_or_doi=with_ids,
        no_authors=sum(r.no_authors for r in records.values()),
        records=len(records),
        facts=sum(r.facts for r in records.values()),
        primary_facts=sum(r.primary for r in records.values()),
    )
    rows = [row for r in records.values() for row in r.rows]
    shares: dict[Figure, float] = {
        "with_authors": share(totals.with_authors, totals.papers),
        "with_date": share(totals.with_date, totals.papers),
        "with_arxiv_or_doi": share(totals.with_arxiv_or_doi, totals.papers),
        "primary_facts": share(totals.primary_facts, totals.facts),
    }
    bundled = bundled_lists()
    return SourcesReport(
        lists=tuple(
            ListRef(file=p.name, version=(b.name if (b := bundled.by_file(p)) else None)) for p in paths
        ),
        totals=totals,
        targets=tuple(
            Target(figure=name, share=shares[name], target=t, met=shares[name] >= t)
            for name, t in TARGETS.items()
        ),
        rows=tuple(sorted(rows, key=lambda r: (r.record, r.fact))),
    )


_LABELS: Final = {
    "with_authors": "papers with ordered authors",
    "with_date": "papers with a date",
    "with_arxiv_or_doi": "papers with an arXiv id or a DOI",
    "primary_facts": "curated facts read on a primary record",
}
TARGET_HEADERS: Final = ("Figure", "Count", "Share", "Target", "Met")
ROW_HEADERS: Final = ("Record", "Fact", "Host", "Retrieved", "Reason")


def summary(report: SourcesReport) -> str:
    """One sentence on the whole."""
    t = report.totals
    lists = ", ".join(f"{r.file} ({r.version})" if r.version else r.file for r in report.lists)
    return (
        f"{lists}: {t.papers} papers; {t.records} curated records with {t.facts} facts; "
        f"{t.no_authors} works marked as having no byline to find."
    )


def target_rows(report: SourcesReport) -> list[list[str]]:
    t = report.totals
    counts = {
        "with_authors": f"{t.with_authors} of {t.papers}",
        "with_date": f"{t.with_date} of {t.papers}",
        "with_arxiv_or_doi": f"{t.with_arxiv_or_doi} of {t.papers}",
        "primary_facts": f"{t.primary_facts} of {t.facts}",
    }
    return [
        [
            _LABELS[g.figure],
            counts[g.figure],
            f"{g.share:.1%}",
            percent(g.target),
            "met" if g.met else "missed",
        ]
        for g in report.targets
    ]


def fact_rows(report: SourcesReport) -> list[list[str]]:
    return [[r.record, r.fact, r.host, r.retrieved, r.reason] for r in report.rows]


def to_markdown(report: SourcesReport) -> str:
    return "\n".join(
        [
            "# Sources of the curated facts",
            "",
            md_cell(summary(report)),
            "",
            md_table(TARGET_HEADERS, (False, True, True, True, False), md_cells(target_rows(report))),
            "",
            "## Facts not read on their primary record",
            "",
            md_table(ROW_HEADERS, (False,) * 5, md_cells(fact_rows(report))),
        ]
    )


def to_table(report: SourcesReport, *, width: int | None = None, color: bool = False) -> str:
    from rich.text import Text

    targets = PlainTable(TARGET_HEADERS, (False, True, True, True, False), target_rows(report))
    facts = PlainTable(
        ROW_HEADERS[:4],
        (False,) * 4,
        [row[:4] for row in fact_rows(report)],
        title=f"{len(report.rows)} facts not read on their primary record (reasons: --format md or json)",
    )
    return console_text([Text(summary(report)), Text(""), targets, Text(""), facts], width, color)


def to_html(report: SourcesReport) -> bytes:
    from interp_kg.reports.html import Block, Heading, Page, Table, render

    blocks: list[Block] = [
        Heading("Coverage and sources"),
        Table(TARGET_HEADERS, (False, True, True, True, False), target_rows(report)),
        Heading("Facts not read on their primary record"),
        Table(ROW_HEADERS, (False,) * 5, fact_rows(report)),
    ]
    return render(Page("Sources of the curated facts", summary(report), blocks))


def csv_record(row: SecondaryFact) -> dict[str, CsvValue]:
    return {c: getattr(row, c) for c in CSV_COLUMNS}


RENDERERS: Final = renderers(to_table, to_markdown, to_html, CSV_COLUMNS, csv_record)


def render_sources(
    report: SourcesReport, fmt: ReportFormat, *, width: int | None = None, color: bool = False
) -> bytes:
    """The report in ``fmt``; ``width`` and ``color`` apply to the terminal table only."""
    return RENDERERS[fmt](report, width, color)
