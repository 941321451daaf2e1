"""The site as a researcher meets it (issue 19): citation meta tags and the Cite box, citation
files read back by their libraries, topics in the list's order with repeated labels told apart,
a home page that says what the data holds and as of when, the downloads page, Atom feeds that
parse and are valid Atom, and the vendored search library with its licence."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import bibtexparser
import feedparser
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares as m

from interp_kg.site.build import build_site
from interp_kg.store.build import build
from tests.atom_check import atom_problems
from tests.conftest import BUNDLED, REPO

REFT = "id/paper/arxiv-2404.03592"
SCHEMA = json.loads((REPO / "src/interp_kg/citations/schema/csl-data.json").read_text())


@pytest.fixture(scope="module")
def site(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reader") / "site"
    build_site(bundled_store_dir, out, jobs=1)
    return out


def _meta(html: str) -> list[tuple[str, str]]:
    return [
        (name, html_lib.unescape(content))
        for name, content in re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', html)
    ]


def test_highwire_tags_give_the_authors_in_order_and_the_date(site: Path) -> None:
    tags = _meta((site / f"{REFT}.html").read_text(encoding="utf-8"))
    assert ("citation_title", "ReFT: Representation Finetuning for Language Models") in tags
    authors = [v for k, v in tags if k == "citation_author"]
    assert authors[:2] == ["Wu, Zhengxuan", "Arora, Aryaman"] and authors[-1] == "Potts, Christopher"
    assert ("citation_publication_date", "2024/04/04") in tags
    assert ("citation_arxiv_id", "2404.03592") in tags
    assert ("citation_pdf_url", "https://arxiv.org/pdf/2404.03592") in tags


def test_the_cite_box_and_the_citation_files_read_back(site: Path) -> None:
    html = (site / f"{REFT}.html").read_text(encoding="utf-8")
    box = re.search(r'<pre class="bibtex" id="bibtex">(.*?)</pre>', html, re.S)
    assert box is not None
    shown = html_lib.unescape(box.group(1))
    assert shown == (site / f"{REFT}.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(shown, append_middleware=[m.LatexDecodingMiddleware()])
    (entry,) = library.entries
    assert entry.key == "wu2024reft" and entry.fields_dict["eprint"].value == "2404.03592"
    assert entry.fields_dict["author"].value.startswith("Wu, Zhengxuan and Arora, Aryaman")
    (record,) = rispy.loads((site / f"{REFT}.ris").read_text(encoding="utf-8"))
    assert record["authors"][0] == "Wu, Zhengxuan" and record["id"] == "wu2024reft"
    items = json.loads((site / f"{REFT}.csl.json").read_text(encoding="utf-8"))
    jsonschema.validate(items, SCHEMA)
    assert items[0]["issued"] == {"date-parts": [[2024, 4, 4]]}
    for suffix in (".bib", ".ris", ".csl.json"):
        assert f'href="../../{REFT}{suffix}" download' in html


def test_the_data_section_holds_the_raw_line_and_the_iris(site: Path) -> None:
    html = (site / f"{REFT}.html").read_text(encoding="utf-8")
    before, _, data = html.partition('<details id="data"><summary>Data</summary>')
    assert data, "no Data section"
    assert "awesome-llm-interpretability.md:322" in data and "/authorship/1</code>" in data
    assert "[[arxiv" not in before and "/authorship/" not in before.split("</head>")[1]


def test_collections_and_dumps_cite_every_work(site: Path) -> None:
    topic = site / "id/topic/paper-blog/by-topic/tools-techniques-methods/sparse-coding.bib"
    entries = bibtexparser.parse_string(topic.read_text(encoding="utf-8")).entries
    assert len(entries) > 5
    everything = json.loads((site / "dumps/interp-kg.csl.json").read_text(encoding="utf-8"))
    jsonschema.validate(everything, SCHEMA)
    keys = [item["id"] for item in everything]
    assert (
        len(keys)
        == len(set(keys))
        == sum(
            1
            for _ in (site / "id").rglob("*.csl.json")
            if "/paper/" in str(_) or "/tool/" in str(_) or "/tutorial/" in str(_) or "/video/" in str(_)
        )
    )
    assert len(rispy.loads((site / "dumps/interp-kg.ris").read_text(encoding="utf-8"))) == len(keys)
    for suffix in (".bib", ".ris"):  # the collections hold the works' own entries, byte for byte
        assert (site / f"{REFT}{suffix}").read_text(encoding="utf-8") in (
            site / f"dumps/interp-kg{suffix}"
        ).read_text(encoding="utf-8")
    reft = json.loads((site / f"{REFT}.csl.json").read_text(encoding="utf-8"))[0]
    assert reft in everything


def test_topics_follow_the_list_and_repeated_labels_say_their_parent(site: Path) -> None:
    headings = [
        line.lstrip("#").strip()
        for line in BUNDLED.read_text(encoding="utf-8").splitlines()
        if re.match(r"^#{2,6} ", line)
    ]
    home = (site / "index.html").read_text(encoding="utf-8").split("<h2>Topics</h2>", 1)[1]
    shown = [html_lib.unescape(t) for t in re.findall(r'<a href="id/topic/[^"]+">([^<]+)</a>', home)]
    at, found = 0, 0
    for label in shown:  # each label at or after the heading of the one before it
        if label in headings[at:]:
            at = headings.index(label, at)
            found += 1
        else:
            assert label not in headings, f"{label} comes before the topic shown above it"
    assert found > 20
    generals = [p for p in (site / "id/topic").rglob("general.html")]
    assert len(generals) > 1
    for page in generals:
        title = re.search(r"<title>(.*?) · interp-kg</title>", page.read_text(encoding="utf-8"))
        assert title is not None and " \u203a General" in html_lib.unescape(title.group(1))


def test_home_page_says_what_the_data_holds(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "Data as of <strong>April 2024</strong>" in html and "list version 2024-04" in html
    assert "<h2>Newest works</h2>" in html
    assert html.count('href="id/author/') == 0 and 'href="authors.html"' in html
    assert '<link rel="alternate" type="application/atom+xml" href="feed.atom"' in html
    authors = (site / "authors.html").read_text(encoding="utf-8")
    assert authors.count('href="id/author/') > 500


def test_the_downloads_page_gives_sizes_checksums_and_the_licence(site: Path) -> None:
    import hashlib

    html = (site / "dumps/index.html").read_text(encoding="utf-8")
    assert "creativecommons.org/publicdomain/zero/1.0/" in html
    for name in ("interp-kg.ttl", "interp-kg.nt.gz", "interp-kg.jsonld", "interp-kg.bib", "interp-kg.ris"):
        data = (site / "dumps" / name).read_bytes()
        assert f'<a href="{name}">{name}</a>' in html
        assert f"{len(data):,} bytes" in html and hashlib.sha256(data).hexdigest() in html


def test_search_library_is_vendored_with_its_licence(site: Path) -> None:
    assert (site / "vendor/minisearch.js").read_bytes().startswith(b"(function (global, factory)")
    assert "Luca Ongaro" in (site / "vendor/minisearch-LICENSE.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def feed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("feeds")
    data = REPO / "tests/data/diff"
    build([data / "new.md"], folder / "store")
    out = folder / "site"
    build_site(folder / "store", out, jobs=1, previous=data / "old.md")
    return out


def test_the_feed_lists_the_works_added_since_the_previous_release(feed_site: Path) -> None:
    from interp_kg.diff.changes import diff_files

    data = (feed_site / "feed.atom").read_bytes()
    assert atom_problems(data) == []
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    diff = diff_files(REPO / "tests/data/diff/old.md", REPO / "tests/data/diff/new.md")
    assert {e.id for e in parsed.entries} == {w.iri for w in diff.works.added} != set()
    assert all(e.link == e.id for e in parsed.entries)


def test_every_topic_feed_is_valid_and_holds_its_works(feed_site: Path) -> None:
    # topic/ for the bundled lists, topics/<list>/ for the others
    feeds = sorted((feed_site / "id").glob("topic*/**/*.atom"))
    assert feeds
    total = set()
    for path in feeds:
        data = path.read_bytes()
        assert atom_problems(data) == [], path
        parsed = feedparser.parse(data)
        assert not parsed.bozo, path
        total |= {e.id for e in parsed.entries}
    everything = {e.id for e in feedparser.parse((feed_site / "feed.atom").read_bytes()).entries}
    assert total <= everything


def test_the_atom_check_catches_what_rfc_4287_forbids() -> None:
    bad = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><updated>yesterday</updated>
    <entry><title>x</title><id>relative</id><updated>2024-01-01T00:00:00Z</updated></entry></feed>"""
    problems = atom_problems(bad)
    assert any("atom:id elements" in p for p in problems)
    assert any("RFC 3339" in p for p in problems)
    assert any("absolute IRI" in p for p in problems)
    assert any("no atom:author" in p for p in problems)
    assert any("alternate atom:link" in p for p in problems)
