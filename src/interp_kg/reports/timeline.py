"""The timeline report: works per year and month, for all works and per top-level topic.

Figures come from the report query ``timeline.rq``. The year is the work's ``ikg:year``; the
month comes from its arXiv id (``yymm``, new-style ``2302.12461`` or old-style
``hep-th/9901001``) and only when the id's year is the work's year: a paper listed as "ICLR 2024"
with an arXiv id from 2023 gets no month. Each work counts once per scope.

Rows: all works first (``topic`` null, ``label`` "All works"), then each top-level topic in the
order the list gives them (then by IRI); within a scope, years ascending with the works with no
year last, months ascending with the works with no month last in their year.

JSON schema (``--format json``)::

    {"report": "timeline", "rows": [{...}, ...]}

Each row: ``topic`` (IRI of the top-level topic; null for all works), ``label``, ``year`` (null:
no year), ``month`` (1-12; null: no month known), ``works``.

CSV (``--format csv``): the same fields as columns, in that order (:data:`CSV_COLUMNS`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.escape import CsvValue, md_cell, md_cells, md_table
from interp_kg.reports.common import (
    QUERY_TIMEOUT,
    ReportFormat,
    console_text,
    renderers,
    run_report_query,
)

if TYPE_CHECKING:
    from interp_kg.sparql.query import Backend

ALL_WORKS: Final = "All works"
MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class TimelineRow(BaseModel):
    """The works of one scope in one year and month."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: str | None = Field(description="IRI of the top-level topic; null for all works.")
    label: str = Field(min_length=1, description=f"The topic's label; {ALL_WORKS!r} for all works.")
    year: int | None = Field(description="The year; null for works with no year.")
    month: int | None = Field(ge=1, le=12, description="The month (from the arXiv id); null when unknown.")
    works: int = Field(ge=1, description="Works of the scope in that year and month.")


class TimelineReport(BaseModel):
    """The timeline report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report: Literal["timeline"] = Field(default="timeline", description="Which report this is.")
    rows: list[TimelineRow] = Field(description="One row per scope, year and month with works.")

    def scopes(self) -> list[tuple[str | None, str]]:
        """``(topic, label)`` of each scope, in row order."""
        return list(dict.fromkeys((row.topic, row.label) for row in self.rows))

    def grid(self, topic: str | None) -> dict[int | None, dict[int | None, int]]:
        """year -> month -> works for one scope (``None`` keys: no year, no month)."""
        out: dict[int | None, dict[int | None, int]] = defaultdict(dict)
        for row in self.rows:
            if row.topic == topic:
                out[row.year][row.month] = row.works
        return dict(out)


CSV_COLUMNS: Final[tuple[str, ...]] = ("topic", "label", "year", "month", "works")


def timeline_report(backend: Backend, timeout: float = QUERY_TIMEOUT) -> TimelineReport:
    """The timeline report of the graph ``backend`` queries (``timeout``: seconds per query)."""
    labels: dict[str | None, str] = {None: ALL_WORKS}
    place: dict[str | None, int] = {None: -1}  # the list order of the top-level topics
    for r in run_report_query(backend, "top-topics", timeout):
        labels[r["topic"]] = r["label"]
        place[r["topic"]] = int(r["order"])
    counts = run_report_query(backend, "timeline", timeout)

    def order(r: dict[str, Any]) -> tuple[int, str, bool, int, bool, int]:
        topic, year, month = r.get("topic"), r.get("year"), r.get("month")
        return (
            place.get(topic, 1 << 62),
            topic or "",
            year is None,
            year or 0,
            month is None,
            month or 0,
        )

    rows = [
        TimelineRow(
            topic=r.get("topic"),
            label=labels.get(r.get("topic"), str(r.get("topic"))),
            year=r.get("year"),
            month=r.get("month"),
            works=int(r["works"]),
        )
        for r in sorted(counts, key=order)
    ]
    return TimelineReport(rows=rows)


# -- rendering --------------------------------------------------------------------------------


def csv_record(row: TimelineRow) -> dict[str, CsvValue]:
    """A row as the cells of :data:`CSV_COLUMNS`."""
    return {c: getattr(row, c) for c in CSV_COLUMNS}


HEADERS: Final[tuple[str, ...]] = ("Year", *MONTHS, "No month", "Total")
NUMERIC: Final[tuple[bool, ...]] = tuple(True for _ in HEADERS)


def grid_rows(report: TimelineReport, topic: str | None) -> list[list[str]]:
    """Plain-text cells of one scope's year x month grid: a row per year, then a total row."""
    grid = report.grid(topic)
    out = []
    columns: list[int | None] = [*range(1, 13), None]
    for year in sorted(grid, key=lambda y: (y is None, y or 0)):
        months = grid[year]
        cells = [str(months.get(m, "")) for m in columns]
        out.append(["no year" if year is None else str(year), *cells, str(sum(months.values()))])
    totals = [sum(grid[y].get(m, 0) for y in grid) for m in columns]
    out.append(["Total", *(str(n or "") for n in totals), str(sum(totals))])
    return out


def to_markdown(report: TimelineReport) -> str:
    """The report as Markdown: one year x month table per scope."""
    out = ["# Works per year and month", "", md_cell(NOTE), ""]
    for topic, label in report.scopes():
        out += [f"## {md_cell(label)}", ""]
        out.append(md_table(HEADERS, NUMERIC, md_cells(grid_rows(report, topic))))
    return "\n".join(out)


NOTE: Final = (
    "Year: the year the list gives. Month: from the arXiv id, when it is from that year; "
    "other works are counted under 'No month'."
)


def to_table(report: TimelineReport, *, width: int | None = None, color: bool = False) -> str:
    """The report as tables for the terminal, one per scope."""
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = [Text(NOTE, style="dim")]
    for topic, label in report.scopes():
        table = Table(
            title=label, header_style="bold", show_edge=False, box=None, padding=(0, 1), title_justify="left"
        )
        for header in HEADERS:
            table.add_column(header, justify="right")
        for cells in grid_rows(report, topic):
            table.add_row(*cells, style="bold" if cells[0] == "Total" else "")
        parts += [Text(""), table]
    return console_text(parts, width, color)


def to_html(report: TimelineReport) -> bytes:
    """The report as a self-contained HTML page with charts (pygal)."""
    from interp_kg.reports import charts
    from interp_kg.reports.html import Block, Figure, Heading, Page, Table, chart, render

    scopes = report.scopes()
    topics = [(topic, label) for topic, label in scopes if topic is not None]
    all_grid = report.grid(None)
    years = sorted(all_grid, key=lambda y: (y is None, y or 0))
    per_year = {
        label: [float(sum(report.grid(topic).get(year, {}).values())) for year in years]
        for topic, label in topics
    }
    year_chart = charts.column_bars(
        "years", ["no year" if y is None else str(y) for y in years], per_year, ylabel="works"
    )
    dated = [y for y in years if y is not None]
    months = [(y, m) for y in range(min(dated), max(dated) + 1) for m in range(1, 13)] if dated else []
    while months and not all_grid.get(months[0][0], {}).get(months[0][1]):
        months.pop(0)
    while months and not all_grid.get(months[-1][0], {}).get(months[-1][1]):
        months.pop()
    month_chart = charts.column_bars(
        "months",
        [f"{y}-{m:02d}" for y, m in months],
        {"works": [float(all_grid.get(y, {}).get(m, 0)) for y, m in months]},
        ylabel="works",
        label_every=3 if len(months) > 12 else 1,
    )
    blocks: list[Block] = [
        Heading("Works per year"),
        Figure(chart(year_chart), "Works per year, by top-level topic ('no year': the list gives none)."),
        Heading("Works per month"),
        Figure(chart(month_chart), "Works per month, for the works whose arXiv id gives the month."),
    ]
    for topic, label in scopes:
        blocks += [Heading(label), Table(HEADERS, NUMERIC, grid_rows(report, topic))]
    return render(Page("Works per year and month", NOTE, blocks))


RENDERERS: Final = renderers(to_table, to_markdown, to_html, CSV_COLUMNS, csv_record)


def render_timeline(
    report: TimelineReport, fmt: ReportFormat, *, width: int | None = None, color: bool = False
) -> bytes:
    """The report in ``fmt``; ``width`` and ``color`` apply to the terminal table only."""
    return RENDERERS[fmt](report, width, color)
