"""The HTML reports in a real browser: Debian's headless Chromium driven by Playwright.

Each chart's ``<svg>`` (pygal, see ``reports/charts.py``) must render with a non-zero size and the
expected number of marks (a dot or bar per non-zero figure, each drawn with a non-zero size), the
page must request nothing but its own file and log no console error. Outside CI the test is
skipped when ``/usr/bin/chromium`` is missing; in CI (``$CI`` set) it must run, and ``.ci/run``
installs Chromium first.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from interp_kg.reports.coverage import CoverageReport, coverage_report, render_coverage
from interp_kg.reports.timeline import TimelineReport, render_timeline, timeline_report
from interp_kg.reports.venues import VenuesReport, render_venues, venues_report
from interp_kg.sparql.query import LocalBackend
from interp_kg.store.build import build
from interp_kg.store.builds import open_store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = "install Debian's chromium (apt-get install chromium) to run the browser test"
#: Charts per page.
CHARTS = {"coverage": 3, "venues": 1, "timeline": 2}


def _unavailable(reason: str) -> NoReturn:
    """Skip, except in CI, where the browser test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the browser test: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _unavailable(MISSING)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("install the test dependencies (pip install '.[test]') for Playwright")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def coverage_marks(report: CoverageReport) -> list[int]:
    """Marks of the coverage charts: a dot per non-zero (topic, year or 'no year') cell; a bar
    segment per non-zero (section, venue kind); a dot per non-zero (topic, identifier) share."""
    rows = [r for r in report.rows if r.works_total]
    sections = [r for r in rows if r.depth == 0 or any(o.parent == r.topic for o in rows)]
    years = sum(len(r.works_per_year) + (r.works_total > r.works_dated) for r in rows)
    kinds = sum(1 for r in sections for n in r.venue_kinds.values() if n)
    ids = sum(
        1
        for r in rows
        for n in (r.with_arxiv, r.with_doi, r.with_openreview, r.with_acl, r.with_scholarly_id)
        if n
    )
    return [years, kinds, ids]


def venues_marks(report: VenuesReport) -> list[int]:
    """A bar segment per (venue, year) with works."""
    return [len({(r.venue, r.year) for r in report.rows if r.works})]


def timeline_marks(report: TimelineReport) -> list[int]:
    """A bar segment per (top-level topic, year) with works; a bar per month with works from the
    first to the last such month."""
    topics = [topic for topic, _ in report.scopes() if topic is not None]
    per_topic = sum(1 for t in topics for months in report.grid(t).values() if sum(months.values()))
    months = sum(1 for y, m in report.grid(None).items() if y is not None for mo, n in m.items() if mo and n)
    return [per_topic, months]


@pytest.fixture(scope="module")
def pages(
    bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, list[int]]]:
    """Each page's file and the marks its charts must draw."""
    backend = LocalBackend(open_store(bundled_store_dir))
    folder = tmp_path_factory.mktemp("html")
    coverage, venues, timeline = coverage_report(backend), venues_report(backend), timeline_report(backend)
    html = {
        "coverage": (render_coverage(coverage, "html"), coverage_marks(coverage)),
        "venues": (render_venues(venues, "html"), venues_marks(venues)),
        "timeline": (render_timeline(timeline, "html"), timeline_marks(timeline)),
    }
    out = {}
    for name, (data, marks) in html.items():
        out[name] = (folder / f"{name}.html", marks)
        out[name][0].write_bytes(data)
    return out


@dataclass
class Visit:
    """What loading a page did: its charts' sizes, the URLs it requested, its console errors."""

    boxes: list[tuple[float, float]] = field(default_factory=list)
    drawn: list[tuple[float, float]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    marks: list[int] = field(default_factory=list)
    empty_marks: list[int] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    scripts: int = 0
    dialogs: list[str] = field(default_factory=list)

    def network(self, own: str) -> list[str]:
        """Requests other than the page's own file (``data:`` URLs are not network requests)."""
        return sorted({u for u in self.requested if u != own and not u.startswith("data:")})


def visit(browser: Browser, path: Path) -> Visit:
    """Open ``path`` offline (every other request is recorded and aborted) and measure its SVGs."""
    url = path.as_uri()
    seen = Visit()
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(r: Any) -> None:
        seen.requested.append(r.request.url)
        if r.request.url == url:
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("request", lambda request: seen.requested.append(request.url))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok
        seen.scripts = page.locator("script").count()
        svgs = page.locator("svg")
        for i in range(svgs.count()):
            svg = svgs.nth(i)
            box = svg.bounding_box()
            seen.boxes.append((box["width"], box["height"]) if box else (0.0, 0.0))
            width, height = svg.evaluate("e => { const b = e.getBBox(); return [b.width, b.height]; }")
            seen.drawn.append((width, height))
            seen.labels.append(svg.locator("text").count())
            sizes = svg.evaluate(
                "e => Array.from(e.querySelectorAll('circle.dot, rect.rect'))"
                ".map(m => { const b = m.getBBox(); return b.width * b.height; })"
            )
            seen.marks.append(len(sizes))
            seen.empty_marks.append(sum(1 for size in sizes if size <= 0))
    finally:
        context.close()
    return seen


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_page_renders_its_charts_offline(
    browser: Browser, pages: dict[str, tuple[Path, list[int]]], name: str
) -> None:
    page, marks = pages[name]
    seen = visit(browser, page)
    assert len(seen.boxes) == CHARTS[name]
    assert seen.marks == marks, "one dot or bar per non-zero figure"
    assert seen.empty_marks == [0] * CHARTS[name], "every mark has a size"
    assert all(n > 0 for n in marks)
    for i, ((width, height), (drawn_w, drawn_h), labels) in enumerate(
        zip(seen.boxes, seen.drawn, seen.labels, strict=True)
    ):
        assert width > 50 and height > 50, f"chart {i} is {width} x {height} px"
        assert drawn_w > 0 and drawn_h > 0, f"chart {i} draws nothing"
        assert labels > 3, f"chart {i} has no labels"
    assert not seen.network(page.as_uri()), f"the page requested {seen.network(page.as_uri())}"
    assert not seen.errors, f"console errors: {seen.errors}"
    assert seen.scripts == 0


def test_markup_in_labels_stays_text(browser: Browser, tmp_path: Path) -> None:
    source = tmp_path / "list.md"
    source.write_text(
        "# List\n\n## Q&A <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "* **A paper** [[arxiv 2401]](https://arxiv.org/abs/2401.00001)\n",
        encoding="utf-8",
    )
    build([source], tmp_path / "store")
    page = tmp_path / "coverage.html"
    page.write_bytes(render_coverage(coverage_report(LocalBackend(open_store(tmp_path / "store"))), "html"))
    seen = visit(browser, page)
    assert (seen.scripts, seen.dialogs, seen.errors) == (0, [], [])
    assert not seen.network(page.as_uri())
    assert len(seen.boxes) == 3


def test_the_check_sees_requests_and_errors(browser: Browser, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><title>bad</title><img src="http://127.0.0.1:9/x.png">'
        '<script>console.error("boom")</script><svg width="10" height="10"></svg>',
        encoding="utf-8",
    )
    seen = visit(browser, bad)
    assert seen.network(bad.as_uri()) == ["http://127.0.0.1:9/x.png"]
    assert "boom" in seen.errors
