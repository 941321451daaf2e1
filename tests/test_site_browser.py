"""The site in a real browser: Debian's headless Chromium, driven by Playwright, through
``interp-kg site serve`` and from ``file://``. Home, a topic page, a work page and the search page
load with no console error, no failed request and no request leaving the site; a link from the
topic page leads to a work page; the search finds a paper from a misspelled title word and a
facet narrows the hits; the Cite box shows BibTeX; the citation meta tags, read as Zotero's
connector reads them, give the authors in order and the date. Skipped outside CI when Chromium is
missing, required in CI (as in ``test_report_html``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from interp_kg.site.build import build_site
from interp_kg.site.serve import make_server
from tests.local_http import serving
from tests.test_report_html import browser  # noqa: F401 - the shared browser fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TOPIC = "/id/topic/paper-blog/by-topic/tools-techniques-methods/sparse-coding"


@pytest.fixture(scope="module")
def site_dir(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("browsed") / "site"
    build_site(bundled_store_dir, site, jobs=1)
    return site


@pytest.fixture(scope="module")
def url(site_dir: Path) -> Iterator[str]:
    with serving(make_server(site_dir, port=0)) as base:
        yield base


class Watch:
    """Console errors, page errors, failed requests and requests outside the site."""

    def __init__(self, page: Page, own: str) -> None:
        self.problems: list[str] = []
        page.on(
            "console", lambda m: self.problems.append(f"console: {m.text}") if m.type == "error" else None
        )
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))
        page.on(
            "response",
            lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
        )
        page.on(
            "request",
            lambda r: None if r.url.startswith((own, "data:")) else self.problems.append(f"outside: {r.url}"),
        )


def test_home_topic_and_work_pages_in_chromium(browser: Browser, url: str) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page, url)
    try:
        page.goto(url + "/", wait_until="load")
        assert "Interp-KG" in page.title()
        page.fill("#q", "representation finetuning")
        page.press("#q", "Enter")  # the home page's form opens the search page
        page.wait_for_selector("#hits li a")
        assert "/search.html?q=" in page.url
        assert "ReFT" in page.locator("#hits li a").first.inner_text()

        page.goto(url + TOPIC, wait_until="load")  # the IRI path: 303 to the page
        assert page.url.endswith(TOPIC + ".html")
        heading = page.locator("h1").inner_text()
        assert heading
        work_link = page.locator("ul.works li a").first
        title = work_link.inner_text()
        work_link.click()
        page.wait_for_load_state("load")
        assert "/id/paper/" in page.url or "/id/tool/" in page.url
        assert page.locator("h1").inner_text() == title

        page.goto(url + "/id/paper/arxiv-2404.03592", wait_until="load")
        assert page.locator("h1").inner_text() == "ReFT: Representation Finetuning for Language Models"
        assert page.locator('script[type="application/ld+json"]').count() == 1
    finally:
        context.close()
    assert watch.problems == []


def test_search_forgives_misspellings_and_facets_narrow(browser: Browser, url: str) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page, url)
    try:
        page.goto(url + "/search.html", wait_until="load")
        page.fill("#q", "Representaton Finetunning")  # two misspelled title words
        page.wait_for_selector("#hits li a")
        assert (
            page.locator("#hits li a").first.inner_text()
            == "ReFT: Representation Finetuning for Language Models"
        )

        page.fill("#q", "sparse")
        page.wait_for_selector("#hits li a")
        before = page.locator("#hits li").count()
        year = page.locator('fieldset[data-facet="y"] input[value="2023"]')
        year.check()
        after = page.locator("#hits li").count()
        assert 0 < after < before
        metas = page.locator("#hits li .meta").all_inner_texts()
        assert all(" · 2023" in m for m in metas), metas
        kind = page.locator('fieldset[data-facet="k"] input').first
        kind.check()
        assert page.locator("#hits li").count() <= after
        assert page.locator("#summary").inner_text().endswith(("work", "works"))
    finally:
        context.close()
    assert watch.problems == []


ZOTERO_STYLE = """() => {
  const get = name => Array.from(document.querySelectorAll('meta[name="' + name + '"]')).map(m => m.content);
  return {title: get("citation_title")[0], authors: get("citation_author"),
          date: (get("citation_publication_date")[0] || get("citation_date")[0])};
}"""


def test_cite_box_and_citation_tags_of_a_paper(browser: Browser, url: str) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page, url)
    try:
        page.goto(url + "/id/paper/arxiv-2404.03592", wait_until="load")
        cite = page.locator("#cite pre#bibtex")
        assert cite.is_visible()
        text = cite.inner_text()
        assert text.startswith("@misc{wu2024reft,") and "author = {Wu, Zhengxuan and Arora, Aryaman" in text
        found = page.evaluate(ZOTERO_STYLE)
        assert found["title"] == "ReFT: Representation Finetuning for Language Models"
        assert found["authors"] == [
            "Wu, Zhengxuan",
            "Arora, Aryaman",
            "Wang, Zheng",
            "Geiger, Atticus",
            "Jurafsky, Dan",
            "Manning, Christopher D",
            "Potts, Christopher",
        ]
        assert found["date"] == "2024/04/04"
        with page.expect_download() as download:
            page.locator('#cite a[href$=".bib"]').click()
        assert download.value.suggested_filename == "arxiv-2404.03592.bib"
        assert page.locator("#data").get_attribute("open") is None  # the raw data stays folded
    finally:
        context.close()
    assert watch.problems == []


def test_search_works_from_file_urls(browser: Browser, site_dir: Path) -> None:  # noqa: F811
    context = browser.new_context()
    page = context.new_page()
    watch = Watch(page, site_dir.as_uri())
    try:
        page.goto((site_dir / "search.html").as_uri() + "?q=monosemantcity", wait_until="load")
        page.wait_for_selector("#hits li a")
        assert "onosemanticity" in page.locator("#hits li a").first.inner_text()
    finally:
        context.close()
    assert watch.problems == []
