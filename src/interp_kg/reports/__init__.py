"""Reports on the built graph: topic coverage, venues, timeline, Wikidata links.

Every figure is counted by a SPARQL query of ``queries/reports/`` run on a
:class:`~interp_kg.query.Backend` (the local store, usually); the modules here arrange the counts
and write them as a terminal table, Markdown, CSV, JSON or a self-contained HTML page.

- :mod:`.coverage`: the topic tree with per-topic figures and flags (``interp-kg report coverage``)
- :mod:`.venues`: works per venue and year, with presentation kinds (``interp-kg report venues``)
- :mod:`.timeline`: works per year and month, overall and per top-level topic
  (``interp-kg report timeline``)
- :mod:`.authors`: works per person, and the papers lacking curated authors or date
  (``interp-kg report authors [--missing]``)
- :mod:`.wikidata`: links to Wikidata per class and topic, unlinked works, conflicts
  (``interp-kg report wikidata``)
- :mod:`.common`: the report queries, typed values, CSV/JSON/Markdown writers
- :mod:`.html`, :mod:`.charts`: the HTML pages and their SVG charts (pygal, imported only there)

Each report module documents its JSON and CSV schema in its docstring.
"""

from __future__ import annotations

from interp_kg.reports.authors import (
    AuthorsReport,
    MissingFactsReport,
    authors_report,
    missing_report,
    render_authors,
)
from interp_kg.reports.common import REPORT_FORMATS, SUFFIX_FORMATS, ReportFormat
from interp_kg.reports.coverage import CoverageReport, coverage_report, render_coverage
from interp_kg.reports.timeline import TimelineReport, render_timeline, timeline_report
from interp_kg.reports.venues import VenuesReport, render_venues, venues_report
from interp_kg.reports.wikidata import WikidataReport, render_wikidata, wikidata_report

__all__ = [
    "REPORT_FORMATS",
    "SUFFIX_FORMATS",
    "AuthorsReport",
    "CoverageReport",
    "MissingFactsReport",
    "ReportFormat",
    "TimelineReport",
    "VenuesReport",
    "WikidataReport",
    "authors_report",
    "coverage_report",
    "missing_report",
    "render_authors",
    "render_coverage",
    "render_timeline",
    "render_venues",
    "render_wikidata",
    "timeline_report",
    "venues_report",
    "wikidata_report",
]
