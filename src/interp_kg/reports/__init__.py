"""Reports on the built graph: topic coverage, venues, timeline, Wikidata links.

Every figure is counted by a SPARQL query of ``queries/reports/`` run on a
:class:`~interp_kg.sparql.query.Backend` (the local store, usually); the modules here arrange the counts
and write them as a terminal table, Markdown, CSV, JSON or a self-contained HTML page.

- :mod:`.coverage`: the topic tree with per-topic figures and flags (``interp-kg report coverage``)
- :mod:`.venues`: works per venue and year, with presentation kinds (``interp-kg report venues``)
- :mod:`.timeline`: works per year and month, overall and per top-level topic
  (``interp-kg report timeline``)
- :mod:`.authors`: works per person, and the papers lacking curated authors or date
  (``interp-kg report authors [--missing]``)
- :mod:`.wikidata`: links to Wikidata per class and topic, unlinked works, conflicts
  (``interp-kg report wikidata``)
- :mod:`.common`: the report queries, typed values, terminal tables, JSON, the format registry
  (Markdown cells and CSV: :mod:`interp_kg.escape`)
- :mod:`.html`, :mod:`.charts`: the HTML page of a report (``templates/report.html``: each report
  module describes its page and draws its charts) and the SVG charts (pygal, imported only there)

Each report module documents its JSON and CSV schema in its docstring.

May import: everything up to ``sparql``/``checks``/``diff``; not ``wikidata``, ``site`` or ``enrich``
(its siblings).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interp_kg.reports.authors import (
        AuthorsReport,
        MissingFactsReport,
        authors_report,
        missing_report,
        render_authors,
    )
    from interp_kg.reports.common import REPORT_FORMATS, ReportFormat
    from interp_kg.reports.coverage import CoverageReport, coverage_report, render_coverage
    from interp_kg.reports.timeline import TimelineReport, render_timeline, timeline_report
    from interp_kg.reports.venues import VenuesReport, render_venues, venues_report
    from interp_kg.reports.wikidata import WikidataReport, render_wikidata, wikidata_report

#: Where each public name lives: imported on first use, so that running one report does not
#: import (and build the models of) the others.
_MODULES = {
    "AuthorsReport": "authors",
    "MissingFactsReport": "authors",
    "authors_report": "authors",
    "missing_report": "authors",
    "render_authors": "authors",
    "REPORT_FORMATS": "common",
    "ReportFormat": "common",
    "CoverageReport": "coverage",
    "coverage_report": "coverage",
    "render_coverage": "coverage",
    "TimelineReport": "timeline",
    "render_timeline": "timeline",
    "timeline_report": "timeline",
    "VenuesReport": "venues",
    "render_venues": "venues",
    "venues_report": "venues",
    "WikidataReport": "wikidata",
    "render_wikidata": "wikidata",
    "wikidata_report": "wikidata",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = [
    "REPORT_FORMATS",
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
