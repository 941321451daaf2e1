"""The site in a real browser: Debian's headless Chromium, driven by Playwright, through
``interp-kg site serve``. Home, a topic page and a work page load with no console error and no
failed request; a link from the topic page leads to a work page; the search box finds a work.
Skipped outside CI when Chromium is missing, required in CI (as in ``test_report_html``)."""

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
def url(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    site = tmp_path_factory.mktemp("browsed") / "site"
    build_site(bundled_store_dir, site, jobs=1)
    with serving(make_server(site, port=0)) as base:
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
        page.wait_for_selector("#results li a")
        assert "ReFT" in page.locator("#results li a").first.inner_text()

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
