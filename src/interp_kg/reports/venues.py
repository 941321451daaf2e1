"""The venues report: works per canonical venue and year, with the presentation kinds.

Figures come from the report queries ``venues.rq`` and ``venue-years.rq``. Rows: one per venue
and year, venues with the most works first (then by label and IRI), years ascending with the works
the list gives no year for last; then the works with no venue; venues no work appeared at have one
row with ``year`` null and ``works`` 0. A work at two venues would count under each; in the
bundled list every work has at most one venue, so the ``works`` column adds up to ``works_total``.

JSON schema (``--format json``)::

    {"report": "venues", "works_total": 209, "rows": [{...}, ...]}

Each row: ``venue`` (IRI, null for works with no venue), ``label``, ``kind`` (conference, journal,
workshop, preprint, forum or blog; null when unknown or no venue), ``peer_reviewed`` (true, false
or null), ``year`` (null: no year), ``works``, and ``presentations``: works per presentation kind
the list gives, every kind present (``oral``, ``spotlight``, ``poster``, ``findings``,
``workshop``, ``tutorial``, ``demo``).

CSV (``--format csv``): the columns of :data:`CSV_COLUMNS`, one ``presentation_<kind>`` column per
presentation kind.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.escape import CsvValue, md_cell, md_cells, md_table
from interp_kg.identifiers.venue_kinds import Presentation, VenueKind
from interp_kg.reports.common import (
    QUERY_TIMEOUT,
    PlainTable,
    ReportFormat,
    console_text,
    renderers,
    run_report_query,
)

if TYPE_CHECKING:
    from interp_kg.sparql.query import Backend

PRESENTATIONS: Final[tuple[Presentation, ...]] = get_args(Presentation)
NO_VENUE: Final = "(no venue)"


class VenueYearRow(BaseModel):
    """The works of one venue in one year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    venue: str | None = Field(description="IRI of the venue; null for the works with no venue.")
    label: str = Field(min_length=1, description=f"The venue's name; {NO_VENUE!r} for none.")
    kind: VenueKind | None = Field(description="The kind of venue; null when unknown.")
    peer_reviewed: bool | None = Field(description="Whether the venue is peer reviewed; null when unknown.")
    year: int | None = Field(description="The year; null for the works with no year.")
    works: int = Field(ge=0, description="Works at the venue in the year.")
    presentations: dict[Presentation, int] = Field(description="Works per presentation kind, every kind.")


class VenuesReport(BaseModel):
    """The venues report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report: Literal["venues"] = Field(default="venues", description="Which report this is.")
    works_total: int = Field(ge=0, description="Works in the graph.")
    rows: list[VenueYearRow] = Field(description="One row per venue and year.")


CSV_COLUMNS: Final[tuple[str, ...]] = (
    "venue",
    "label",
    "kind",
    "peer_reviewed",
    "year",
    "works",
    *(f"presentation_{p}" for p in PRESENTATIONS),
)


def venues_report(backend: Backend, timeout: float = QUERY_TIMEOUT) -> VenuesReport:
    """The venues report of the graph ``backend`` queries (``timeout``: seconds per query)."""
    venues = {r["venue"]: r for r in run_report_query(backend, "venues", timeout)}  # sorted: first label kept
    cells: dict[tuple[str | None, int | None], dict[str, int]] = defaultdict(dict)
    for r in run_report_query(backend, "venue-years", timeout):
        cells[(r.get("venue"), r.get("year"))][r.get("presentation", "")] = int(r["works"])
    for venue in venues:
        if not any(v == venue for v, _ in cells):
            cells[(venue, None)][""] = 0
    per_venue: dict[str | None, int] = defaultdict(int)
    for (venue, _), counts in cells.items():
        per_venue[venue] += counts.get("", 0)

    def label(venue: str | None) -> str:
        return NO_VENUE if venue is None else str(venues.get(venue, {}).get("label", venue))

    def order(key: tuple[str | None, int | None]) -> tuple[bool, int, str, str, bool, int]:
        venue, year = key
        return (
            venue is None,
            -per_venue[venue],
            label(venue).casefold(),
            venue or "",
            year is None,
            year or 0,
        )

    rows = []
    for venue, year in sorted(cells, key=order):
        counts = cells[(venue, year)]
        info: dict[str, Any] = venues.get(venue, {}) if venue is not None else {}
        rows.append(
            VenueYearRow(
                venue=venue,
                label=label(venue),
                kind=info.get("kind"),
                peer_reviewed=info.get("peerReviewed"),
                year=year,
                works=counts.get("", 0),
                presentations={p: counts.get(p, 0) for p in PRESENTATIONS},
            )
        )
    (count,) = run_report_query(backend, "work-count", timeout)
    return VenuesReport(works_total=int(count["works"]), rows=rows)


# -- rendering --------------------------------------------------------------------------------


def csv_record(row: VenueYearRow) -> dict[str, CsvValue]:
    """A row as the cells of :data:`CSV_COLUMNS`."""
    data: dict[str, Any] = row.model_dump()
    for p, n in row.presentations.items():
        data[f"presentation_{p}"] = n
    return {c: data[c] for c in CSV_COLUMNS}


HEADERS: Final[tuple[str, ...]] = ("Venue", "Kind", "Peer-reviewed", "Year", "Works", *PRESENTATIONS)
NUMERIC: Final[tuple[bool, ...]] = (False, False, False, True, True, *(True for _ in PRESENTATIONS))


def view_rows(report: VenuesReport) -> list[list[str]]:
    """Plain-text cells of the Markdown, table and HTML views; a venue is named on its first row."""
    out: list[list[str]] = []
    previous: object = object()
    for row in report.rows:
        first = row.venue != previous
        previous = row.venue
        reviewed = "" if row.peer_reviewed is None else ("yes" if row.peer_reviewed else "no")
        out.append(
            [
                row.label if first else "",
                (row.kind or "") if first else "",
                reviewed if first else "",
                "no year" if row.year is None else str(row.year),
                str(row.works),
                *(str(row.presentations[p] or "") for p in PRESENTATIONS),
            ]
        )
    return out


def summary(report: VenuesReport) -> str:
    """One sentence on the whole."""
    named = {r.venue for r in report.rows if r.venue is not None}
    used = {r.venue for r in report.rows if r.venue is not None and r.works}
    none = sum(r.works for r in report.rows if r.venue is None)
    return (
        f"{report.works_total} works; {len(used)} of {len(named)} venues have works; "
        f"{none} works have no venue."
    )


def to_markdown(report: VenuesReport) -> str:
    """The report as Markdown."""
    rows = md_cells(view_rows(report))
    return "\n".join(
        ["# Works per venue and year", "", md_cell(summary(report)), "", md_table(HEADERS, NUMERIC, rows)]
    )


def to_table(report: VenuesReport, *, width: int | None = None, color: bool = False) -> str:
    """The report as a table for the terminal."""
    from rich.text import Text

    rows = view_rows(report)
    # For the terminal: venue and year first, repeated in each block of columns when the terminal
    # is too narrow for all (see PlainTable.blocks); the venue's name wraps beyond 24 columns;
    # presentation kinds no row has are left out (Markdown, CSV and JSON keep every column).
    first = [HEADERS.index(h) for h in ("Venue", "Year", "Works", "Kind", "Peer-reviewed")]
    keep = first + [i for i, h in enumerate(HEADERS) if h in PRESENTATIONS and any(row[i] for row in rows)]
    table = PlainTable(
        [HEADERS[i] for i in keep],
        [NUMERIC[i] for i in keep],
        [[row[i] for i in keep] for row in rows],
        no_wrap=[HEADERS[i] != "Venue" for i in keep],
        repeat=2,
        max_width=[24 if HEADERS[i] == "Venue" else None for i in keep],
    )
    return console_text([Text(summary(report)), Text(""), table], width, color)


def to_html(report: VenuesReport) -> bytes:
    """The report as a self-contained HTML page with a chart (pygal)."""
    from interp_kg.reports import charts
    from interp_kg.reports.html import Block, Figure, Heading, Page, Table, chart, render

    venues = list(dict.fromkeys((row.venue, row.label) for row in report.rows if row.works))
    years = sorted({row.year for row in report.rows if row.works}, key=lambda y: (y is None, y or 0))
    series = {
        ("no year" if year is None else str(year)): [
            float(sum(r.works for r in report.rows if (r.venue, r.label) == venue and r.year == year))
            for venue in venues
        ]
        for year in years
    }
    svg = charts.stacked_bars("venues", [label for _, label in venues], series, xlabel="works")
    blocks: list[Block] = [
        Heading("Works per venue"),
        Figure(chart(svg), "Works per venue, by year ('no year': the list gives none)."),
        Heading("Venues and years"),
        Table(
            HEADERS,
            NUMERIC,
            view_rows(report),
            links=[  # a venue's first row links to its IRI (its page and works)
                (r.venue or "") if cells[0] else ""
                for r, cells in zip(report.rows, view_rows(report), strict=True)
            ],
        ),
    ]
    return render(Page("Works per venue and year", summary(report), blocks))


RENDERERS: Final = renderers(to_table, to_markdown, to_html, CSV_COLUMNS, csv_record)


def render_venues(
    report: VenuesReport, fmt: ReportFormat, *, width: int | None = None, color: bool = False
) -> bytes:
    """The report in ``fmt``; ``width`` and ``color`` apply to the terminal table only."""
    return RENDERERS[fmt](report, width, color)
