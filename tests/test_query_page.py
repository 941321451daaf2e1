"""The query page of ``interp-kg serve`` (issue 19.6): ``GET /`` answers our page (the prefixes in
the editor, the saved queries as examples) instead of Oxigraph's bare UI, it is valid HTML, and in
Chromium a query runs against the server's own ``/query`` with no request going elsewhere."""

from __future__ import annotations

import signal
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from interp_kg.curation.saved_queries import load_catalogue
from interp_kg.sparql.query_page import query_page
from interp_kg.sparql.server import serve
from tests.oxigraph_server import free_port
from tests.test_html_valid import _nu
from tests.test_report_html import browser  # noqa: F401 - the shared browser fixture

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_the_page_holds_the_prefixes_and_every_saved_select_query() -> None:
    page = query_page().decode("utf-8")
    assert "PREFIX ikg: &lt;https://w3id.org/interp-kg/ontology#&gt;" in page
    for q in load_catalogue().values():
        if q.form == "select":
            assert f'id="example-{q.name}"' in page


def test_the_page_is_valid_html(tmp_path: Path) -> None:
    page = tmp_path / "query.html"
    page.write_bytes(query_page())
    result = _nu([page])
    assert result.returncode == 0, result.stdout + result.stderr


def test_serve_answers_the_page_and_runs_a_query_in_chromium(
    bundled_store_dir: Path,
    browser: Browser,  # noqa: F811
) -> None:
    seen: dict[str, object] = {}

    def ready(url: str) -> None:
        try:
            with urllib.request.urlopen(url + "/", timeout=10) as answer:
                seen["type"] = answer.headers["Content-Type"]
                seen["page"] = answer.read().decode("utf-8")
            context = browser.new_context()
            page = context.new_page()
            outside: list[str] = []
            page.on("request", lambda r: None if r.url.startswith((url, "data:")) else outside.append(r.url))
            page.goto(url + "/", wait_until="load")
            example = page.locator("button[data-example='example-featured-works']")
            page.locator("details", has=example).locator("summary").click()
            example.click()
            page.click("#form button[type=submit]")
            page.wait_for_selector("#results table tr:nth-child(2)")
            seen["rows"] = page.locator("#results table tr").count() - 1
            seen["status"] = page.locator("#status").inner_text()
            seen["outside"] = outside
            context.close()
        finally:
            signal.raise_signal(signal.SIGINT)

    assert serve(bundled_store_dir, port=free_port(), ready=ready) == 0
    assert seen["type"] == "text/html; charset=utf-8"
    assert "Saved queries" in str(seen["page"])
    assert isinstance(seen["rows"], int) and seen["rows"] > 5
    assert "rows in" in str(seen["status"])
    assert seen["outside"] == []
