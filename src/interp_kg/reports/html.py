"""The reports as self-contained HTML pages: inline CSS, inline SVG charts (:mod:`.charts`), no
script, no external resource (a Content-Security-Policy forbids any), every text HTML-escaped.
The same report gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, Final

from interp_kg.reports import charts
from interp_kg.reports.common import percent

if TYPE_CHECKING:
    from interp_kg.reports.coverage import CoverageReport, CoverageRow
    from interp_kg.reports.timeline import TimelineReport
    from interp_kg.reports.venues import VenuesReport

CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE: Final = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
       margin: 0; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 1.5em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
figure { margin: 1em 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.8em 0; }
th, td { padding: 0.2em 0.55em; border-bottom: 1px solid #eee; vertical-align: top; }
th { text-align: left; background: #f5f5f5; position: sticky; top: 0; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.top td { font-weight: 600; }
table.coverage td:last-child { color: #a15c00; }
.note { color: #555; font-size: 0.9em; }
"""


def page(title: str, intro: str, blocks: Iterable[str]) -> bytes:
    """A whole HTML page: ``title`` and ``intro`` are text, ``blocks`` HTML made by this module."""
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{escape(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="interp-kg">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{paragraph(intro)}"
    )
    return (head + "".join(blocks) + "</main>\n</body>\n</html>\n").encode("utf-8")


def heading(text: str) -> str:
    """A section heading."""
    return f"<h2>{escape(text)}</h2>\n"


def paragraph(text: str, cls: str = "") -> str:
    """A paragraph of text."""
    attr = f' class="{escape(cls)}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>\n"


def bullet_list(items: Sequence[str]) -> str:
    """A list of text items; "None." when empty."""
    if not items:
        return paragraph("None.")
    return "<ul>\n" + "".join(f"<li>{escape(item)}</li>\n" for item in items) + "</ul>\n"


def figure(svg: str, caption: str) -> str:
    """A chart (an ``<svg>`` element from :mod:`.charts`) with its caption (text)."""
    return f"<figure>\n{svg}<figcaption>{escape(caption)}</figcaption>\n</figure>\n"


def table(
    headers: Sequence[str],
    numeric: Sequence[bool],
    rows: Iterable[Sequence[str]],
    *,
    row_classes: Sequence[str] = (),
    indents: Sequence[float] = (),
    titles: Sequence[str] = (),
    cls: str = "",
) -> str:
    """A table of text cells, numeric columns right-aligned, with the CSS class ``cls``. Per row,
    when given: a CSS class, an indent of the first cell (in em) and a tooltip (text) on it."""

    def at(values: Sequence[Any], r: int) -> Any:
        return values[r] if r < len(values) else None

    number = ' class="n"'
    out = [f'<table class="{escape(cls)}">\n<thead><tr>' if cls else "<table>\n<thead><tr>"]
    out += [f"<th{number if numeric[i] else ''}>{escape(h)}</th>" for i, h in enumerate(headers)]
    out.append("</tr></thead>\n<tbody>\n")
    for r, row in enumerate(rows):
        row_class = at(row_classes, r)
        out.append(f'<tr class="{escape(row_class)}">' if row_class else "<tr>")
        for i, cell in enumerate(row):
            attrs = number if numeric[i] else ""
            if i == 0 and at(indents, r):
                attrs += f' style="padding-left: {at(indents, r):.2f}em"'
            if i == 0 and at(titles, r):
                attrs += f' title="{escape(at(titles, r))}"'
            out.append(f"<td{attrs}>{escape(cell)}</td>")
        out.append("</tr>\n")
    out.append("</tbody>\n</table>\n")
    return "".join(out)


def _fraction(part: int, whole: int) -> float:
    """``part / whole``, 0.0 for an empty whole (unrounded, for drawing)."""
    return part / whole if whole else 0.0


# -- coverage ---------------------------------------------------------------------------------


def _indented(row: CoverageRow) -> str:
    return "\u00a0\u00a0\u00a0" * row.depth + row.label


#: Rows of a per-topic chart at most: a larger tree is shown down to the deepest level that fits.
#: pygal costs ~4 ms per row, and a chart of hundreds of rows is a page thousands of pixels tall
#: that nobody reads at a glance; the table lists every topic.
MAX_CHART_ROWS: Final = 100


def _shallow(rows: list[CoverageRow], what: str = "topics") -> tuple[list[CoverageRow], str]:
    """The rows down to the deepest level with at most :data:`MAX_CHART_ROWS` rows (the
    top-level topics at least), and a sentence for the caption when some are left out."""
    if len(rows) <= MAX_CHART_ROWS:
        return rows, ""
    depth = 0
    while sum(row.depth <= depth + 1 for row in rows) <= MAX_CHART_ROWS:
        depth += 1
    kept = [row for row in rows if row.depth <= depth]
    return kept, (
        f" Shown down to level {depth + 1} of the tree: {len(kept):,} of {len(rows):,} {what} "
        "(the table lists them all)."
    )


def coverage_charts(report: CoverageReport) -> list[str]:
    """The coverage page's figures: topic x year heatmap, venue mix, identifier completeness."""
    from interp_kg.reports.coverage import VENUE_KINDS

    shown = [row for row in report.rows if row.works_total]
    parents = {row.parent for row in shown}
    sections, sections_cut = _shallow([row for row in shown if row.depth == 0 or row.topic in parents])
    shown, cut = _shallow(shown)
    labels = [_indented(row) for row in shown]
    t = report.totals
    years = [str(y) for y in range(t.year_min, t.year_max + 1)] if t.year_min and t.year_max else []
    per_year = [
        [row.works_per_year.get(y, 0) for y in years] + [row.works_total - row.works_dated] for row in shown
    ]
    out = [
        figure(
            charts.heatmap(
                "topic-years",
                labels,
                [*years, "no year"],
                per_year,
                cell_text=[[str(v) if v else "" for v in r] for r in per_year],
                gamma=0.5,
                title="Works per year",
                bold=[row.depth == 0 for row in shown],
            ),
            "Works per topic and year (a topic counts the works of its sub-topics, each once; "
            "'no year': works the list gives no year for)." + cut,
        )
    ]
    mix: dict[str, list[float]] = {
        kind: [_fraction(row.venue_kinds[kind], row.works_total) for row in sections]
        for kind in VENUE_KINDS
        if any(row.venue_kinds[kind] for row in sections)
    }
    out.append(
        figure(
            charts.stacked_bars(
                "venue-mix",
                [f"{_indented(row)} (n={row.works_total})" for row in sections],
                mix,
                xlabel="share of works by kind of venue",
                percent=True,
                bold=[row.depth == 0 for row in sections],
            ),
            "Venue mix of each top-level topic and of each topic with sub-topics: the share of its works "
            "per kind of venue ('none': no venue given)." + sections_cut,
        )
    )
    id_columns = ("arXiv", "DOI", "OpenReview", "ACL Anthology", "any of these")
    shares = [
        [
            _fraction(n, row.works_total)
            for n in (row.with_arxiv, row.with_doi, row.with_openreview, row.with_acl, row.with_scholarly_id)
        ]
        for row in shown
    ]
    out.append(
        figure(
            charts.heatmap(
                "identifiers",
                labels,
                list(id_columns),
                shares,
                cell_text=[[percent(v) if v else "" for v in r] for r in shares],
                vmax=1.0,
                ramp="greens",
                title="Share of works with the identifier",
                bold=[row.depth == 0 for row in shown],
            ),
            "Identifier completeness per topic: the share of its works with an arXiv id, a DOI, an "
            "OpenReview id, an ACL Anthology id, or any of the four." + cut,
        )
    )
    return out


def coverage_page(report: CoverageReport) -> bytes:
    """The coverage report as a self-contained HTML page."""
    from interp_kg.reports.coverage import (
        LEGEND,
        PATH_SEPARATOR,
        VIEW_COLUMNS,
        flag_sections,
        summary,
        view_cells,
    )

    blocks = [heading("Charts"), *coverage_charts(report), heading("Topics")]
    blocks.append(
        table(
            [h for h, _ in VIEW_COLUMNS],
            [n for _, n in VIEW_COLUMNS],
            ([row.label, *view_cells(row)] for row in report.rows),
            row_classes=["top" if row.depth == 0 else "" for row in report.rows],
            indents=[0.55 + 1.2 * row.depth for row in report.rows],
            titles=[f"{PATH_SEPARATOR.join(row.path)}\n{row.topic}" for row in report.rows],
            cls="coverage",
        )
    )
    blocks.append(paragraph(LEGEND, "note"))
    for title, items in flag_sections(report):
        blocks += [heading(title), bullet_list(items)]
    return page("Topic coverage", summary(report), blocks)


# -- venues -----------------------------------------------------------------------------------


def venues_page(report: VenuesReport) -> bytes:
    """The venues report as a self-contained HTML page."""
    from interp_kg.reports.venues import HEADERS, NUMERIC, summary, view_rows

    venues = list(dict.fromkeys((row.venue, row.label) for row in report.rows if row.works))
    years = sorted({row.year for row in report.rows if row.works}, key=lambda y: (y is None, y or 0))
    series = {
        ("no year" if year is None else str(year)): [
            float(sum(r.works for r in report.rows if (r.venue, r.label) == venue and r.year == year))
            for venue in venues
        ]
        for year in years
    }
    chart = charts.stacked_bars("venues", [label for _, label in venues], series, xlabel="works")
    blocks = [
        heading("Works per venue"),
        figure(chart, "Works per venue, by year ('no year': the list gives none)."),
        heading("Venues and years"),
        table(HEADERS, NUMERIC, view_rows(report)),
    ]
    return page("Works per venue and year", summary(report), blocks)


# -- timeline ---------------------------------------------------------------------------------


def timeline_page(report: TimelineReport) -> bytes:
    """The timeline report as a self-contained HTML page."""
    from interp_kg.reports.timeline import HEADERS, NOTE, NUMERIC, grid_rows

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
    blocks = [
        heading("Works per year"),
        figure(year_chart, "Works per year, by top-level topic ('no year': the list gives none)."),
        heading("Works per month"),
        figure(month_chart, "Works per month, for the works whose arXiv id gives the month."),
    ]
    for topic, label in scopes:
        blocks += [heading(label), table(HEADERS, NUMERIC, grid_rows(report, topic))]
    return page("Works per year and month", NOTE, blocks)
