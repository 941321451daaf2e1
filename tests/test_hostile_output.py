"""Hostile titles through every writer: a list whose titles, topics and notes hold markup, table
pipes, backticks, wiki brackets, entities and quotes, written as site pages, HTML reports,
Markdown (``query -f md``, ``report -f md``, ``diff -f md``) and CSV, and each output read back:
HTML with :mod:`html.parser` (the text is text, no element was injected), Markdown with
markdown-it-py (the cells hold the text, no HTML token), CSV with :mod:`csv` (the exact value)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from markdown_it.token import Token

from interp_kg.diff.changes import ListDiff, diff_texts
from interp_kg.diff.changes import render as render_diff
from interp_kg.reports.authors import authors_report, missing_report, render_authors
from interp_kg.reports.common import ReportFormat
from interp_kg.reports.coverage import coverage_report, render_coverage
from interp_kg.reports.timeline import render_timeline, timeline_report
from interp_kg.reports.venues import render_venues, venues_report
from interp_kg.reports.wikidata import render_wikidata, wikidata_report
from interp_kg.site.build import build_site
from interp_kg.source.parse import parse_text
from interp_kg.sparql.query import LocalBackend, Result
from interp_kg.sparql.results import render as render_result
from interp_kg.store.build import build
from interp_kg.store.builds import open_store
from tests.conftest import write
from tests.test_escape import HOSTILE, flat, markdown, no_html, plain, shown, table_cells

TOPIC = "Q&A <script>alert(1)</script> | pipes ]] & \"quotes\" 'single'"
SECOND = "Second <!-- comment --> topic"
NOTE = "a note with <i>html</i> | and [[brackets]]"
LIST = f"""\
# A hostile list

## Q&A <script>alert(1)</script> \\| pipes ]] & "quotes" 'single'

* **<script>alert("x")</script> \\| a \\| b \\[\\[wiki\\]\\] & &amp;amp; "q" 'q' tick \\` \\# h** [[arxiv 2401]](https://arxiv.org/abs/2401.00001)
* **- starts like a list > and <b>bold</b> \\~\\~strike\\~\\~** [[blog]](https://example.org/post_1) - {NOTE}
* **1. Numbered & <img src=x onerror=alert(2)>** [[NeurIPS 2023]](https://example.org/x)

## {SECOND}

* **Plain work** [[blog]](https://example.org/plain)
"""
#: The titles as the parser reads them (it drops inline formatting tags such as <b> and <img>, and
#: keeps the rest as text): every writer must show them as text.
TITLES = tuple(e.title for e in parse_text(LIST, "list.md").entries if e.title != "Plain work")
assert len(TITLES) == 3 and "<script>" in TITLES[0] and "~~strike~~" in TITLES[1], TITLES
#: What a page or report may hold: any other element was injected by a value.
HTML_ELEMENTS = frozenset(
    {
        *("html", "head", "meta", "title", "link", "style", "script", "body", "header", "main"),
        *("footer", "nav", "section", "h1", "h2", "h3", "p", "a", "span", "code", "br", "dl", "dt"),
        *("dd", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "details", "summary"),
        *("blockquote", "label", "input", "figure", "figcaption", "pre", "form", "button", "strong", "div"),
        *("noscript",),
    }
)
SVG_ELEMENTS = frozenset(
    {"svg", "g", "defs", "rect", "circle", "path", "text", "tspan", "title", "desc", "line", "polyline"}
)


class Page(HTMLParser):
    """Elements, attributes and text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}  # element -> the text directly in each of them
        self.open: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "link", "br", "input"):
            self.open.append(tag)
            self.text.setdefault(tag, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            self.text[self.open[-1]][-1] += data

    def texts(self, tag: str) -> list[str]:
        return self.text.get(tag, [])


def check_elements(page: Page, allowed: frozenset[str]) -> None:
    """Only ``allowed`` elements, no event-handler attribute, no script but data or our own files,
    no ``javascript:`` link."""
    for tag, attrs in page.elements:
        assert tag in allowed, f"<{tag}> injected"
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), attrs
        if tag == "script":
            assert attrs.get("type") == "application/ld+json" or attrs.get("src") in (
                "vendor/minisearch.js",
                "search-data.js",
                "search.js",
            ), attrs
    for block in page.texts("script"):
        if block.strip():
            json.loads(block)  # the whole block: no value closed the element early


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    build([write(folder / "list.md", LIST)], folder / "store")
    return folder / "store"


@pytest.fixture(scope="module")
def backend(store: Path) -> LocalBackend:
    return LocalBackend(open_store(store))


def test_the_list_gives_the_hostile_names(backend: LocalBackend) -> None:
    report = coverage_report(backend)
    assert [row.label for row in report.rows] == [TOPIC, SECOND]
    titles = {row.title for row in missing_report(backend).rows}
    assert set(TITLES) <= titles


# -- HTML -----------------------------------------------------------------------------------------


def test_site_pages_show_the_names_as_text(store: Path, tmp_path: Path) -> None:
    build_site(store, tmp_path / "site", jobs=1)
    headings: list[str] = []
    titles: list[str] = []
    for path in sorted((tmp_path / "site").rglob("*.html")):
        page = Page(path.read_text(encoding="utf-8"))
        check_elements(page, HTML_ELEMENTS)
        headings += page.texts("h1")
        titles += page.texts("title")
    for name in (*TITLES, TOPIC, SECOND):
        assert name in headings, name
        assert f"{name} · interp-kg" in titles, name
    work = (tmp_path / "site" / "id" / "paper" / "arxiv-2401.00001.html").read_text(encoding="utf-8")
    (data,) = [b for b in Page(work).texts("script") if b.strip()]
    assert json.loads(data)["name"] == TITLES[0]


REPORTS: dict[str, Callable[[LocalBackend, ReportFormat], bytes]] = {
    "coverage": lambda b, f: render_coverage(coverage_report(b), f),
    "venues": lambda b, f: render_venues(venues_report(b), f),
    "timeline": lambda b, f: render_timeline(timeline_report(b), f),
    "authors": lambda b, f: render_authors(authors_report(b), f),
    "missing": lambda b, f: render_authors(missing_report(b), f),
    "wikidata": lambda b, f: render_wikidata(wikidata_report(b), f),
}
#: The hostile names each report shows.
SHOWN = {
    "coverage": (TOPIC, SECOND),
    "venues": (),
    "timeline": (TOPIC, SECOND),
    "authors": (),
    "missing": TITLES,
    "wikidata": (TOPIC, SECOND, *TITLES),
}


@pytest.mark.parametrize("name", REPORTS)
def test_html_reports_show_the_names_as_text(backend: LocalBackend, name: str) -> None:
    page = Page(REPORTS[name](backend, "html").decode("utf-8"))
    check_elements(page, HTML_ELEMENTS | SVG_ELEMENTS)
    assert not page.texts("script")
    cells = page.texts("td") + page.texts("h2") + page.texts("li") + page.texts("a")
    for shown_name in SHOWN[name]:
        assert shown_name in cells, shown_name


def test_coverage_tooltips_and_charts_hold_the_names_as_text(backend: LocalBackend) -> None:
    page = Page(render_coverage(coverage_report(backend), "html").decode("utf-8"))
    tooltips = [attrs["title"] for tag, attrs in page.elements if tag == "td" and "title" in attrs]
    assert str(tooltips[0]).startswith(f"{TOPIC}\nhttps://w3id.org/interp-kg/id/topics/list/"), tooltips[0]
    assert any(TOPIC in text for text in page.texts("text")), "the chart labels"


# -- Markdown -------------------------------------------------------------------------------------


def only_text(tokens: list[Token], allowed: frozenset[str] = frozenset({"text"})) -> None:
    """No HTML token, and every inline token holds only ``allowed`` children."""
    no_html(tokens)
    for token in tokens:
        if token.type == "inline":
            kinds = {child.type for child in token.children or []}
            assert kinds <= allowed, (token.content, kinds)


@pytest.mark.parametrize("name", REPORTS)
def test_markdown_reports_show_the_names_as_text(backend: LocalBackend, name: str) -> None:
    text = REPORTS[name](backend, "md").decode("utf-8")
    tokens = markdown().parse(text)
    only_text(tokens)
    shown_text = [plain(t).strip("\u2003") for t in tokens if t.type == "inline"]
    for shown_name in SHOWN[name]:
        assert shown_name in shown_text, shown_name
    if name == "coverage":  # the flags: one list item per thin topic, with its path
        assert f"{SECOND} (1 work)" not in text  # the name is escaped in the Markdown itself
        assert any(s.startswith(SECOND + " (") for s in shown_text)


def test_query_markdown_shows_every_value_as_one_cell(backend: LocalBackend) -> None:
    values = [*HOSTILE, *TITLES]
    rows = tuple((pyoxigraph.Literal(v), pyoxigraph.Literal(str(n))) for n, v in enumerate(values))
    md = render_result(Result(form="select", variables=("title", "n"), rows=rows), "md").decode()
    assert table_cells(md) == [[shown(v), str(n)] for n, v in enumerate(values)]
    out = backend.execute(
        "SELECT ?label WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label",
        {},
        "select",
        30.0,
    )
    cells = [row[0] for row in table_cells(render_result(out, "md").decode())]
    assert set(TITLES) | {TOPIC, SECOND} <= set(cells)


def test_diff_markdown_shows_the_names_as_text() -> None:
    old = LIST
    added = "* **New <script>x</script> ]] work** [[blog]](https://example.org/n?a=<1>)\n"
    new = (
        LIST.replace("1. Numbered & <img src=x onerror=alert(2)>", "1. Renumbered <img src=y> | `x`")
        .replace("* **Plain work** [[blog]](https://example.org/plain)\n", "")
        .replace(f"## {SECOND}\n", f"## {SECOND}\n\n{added}")
    )
    diff: ListDiff = diff_texts(old, new, old_name="old `<b>`.md", new_name="new.md")
    assert diff.works.added and diff.works.removed and diff.works.renamed
    text = render_diff(diff, "md").decode("utf-8")
    tokens = markdown().parse(text)
    allowed = frozenset({"text", "strong_open", "strong_close", "s_open", "s_close", "code_inline"})
    only_text(tokens, allowed | {"link_open", "link_close"})
    strong = []
    for token in tokens:
        children = token.children or []
        for i, child in enumerate(children):
            if child.type in ("strong_open", "s_open"):
                strong.append(children[i + 1].content)
    (renamed,) = diff.works.renamed
    for label in (renamed.old_title, renamed.new_title, *(w.label for w in diff.works.added)):
        assert label in strong, label
    heading = next(t for t in tokens if t.type == "inline")
    assert "".join(c.content for c in heading.children or []) == "Changes from old `<b>`.md to new.md"
    assert not [t for t in flat(tokens) if t.type == "link_open" and "<" in str(t.attrs.get("href"))]


# -- CSV ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", REPORTS)
def test_csv_reports_read_back_the_exact_names(backend: LocalBackend, name: str) -> None:
    rows: list[dict[str, Any]] = list(
        csv.DictReader(io.StringIO(REPORTS[name](backend, "csv").decode("utf-8"), newline=""))
    )
    values = {value for row in rows for value in row.values()}
    expected = {"coverage": (TOPIC, SECOND), "timeline": (TOPIC, SECOND), "missing": TITLES}
    for shown_name in expected.get(name, ()):
        assert shown_name in values, shown_name
