"""``interp-kg site build``: every IRI gets a page and RDF files, the site is byte-stable, uses
relative links only, loads nothing from the network, escapes every text, and describes itself."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pyoxigraph
import pytest

from interp_kg.site.build import build_site
from interp_kg.site.collect import build_index
from interp_kg.site.conneg import MEDIA_TYPES, htaccess, negotiate
from interp_kg.site.paths import document, listing_chunk, page_href, resource_stem, safe_segment
from interp_kg.store.build import build
from interp_kg.store.builds import NTRIPLES_FILE, current_build, open_store
from tests.conftest import ID, write

WORK = ID + "paper/arxiv-2404.03592"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
DCAT = "http://www.w3.org/ns/dcat#"
HOSTILE = """\
# List

## Tools <script>alert(1)</script> ../../escape

* **<script>alert("x")</script> ../../../etc/passwd** [[arxiv 2401]](https://arxiv.org/abs/2401.00001)
* **A title with </script><img src=x onerror=alert(2)> and &amp;** [[blog]](https://example.org/post)
* **../../outside** [[blog]](javascript:alert(3))
"""


@pytest.fixture(scope="module")
def site(bundled_store_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(bundled_store_dir, out, jobs=1)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _graph(data: bytes, fmt: pyoxigraph.RdfFormat) -> set[pyoxigraph.Triple]:
    return {q.triple for q in pyoxigraph.parse(data, format=fmt)}


def test_every_subject_has_a_page_and_rdf_files(site: Path, bundled_store_dir: Path) -> None:
    index = build_index(str(current_build(bundled_store_dir) / NTRIPLES_FILE), ID)
    store = open_store(bundled_store_dir)
    subjects = {
        q.subject.value for q in store.quads_for_pattern(None, None, None) if q.subject.value.startswith(ID)
    }
    assert len(index.subjects) > 500 and set(index.subjects) == subjects
    assert any("/authorship/" in iri for iri in index.subjects)
    for iri in index.subjects:
        stem = resource_stem(iri, ID)
        assert stem is not None
        chunk = document(stem)  # listings in blocks, authorship nodes in their work's documents
        doc = chunk[0] if chunk else stem
        for ext in ("html", "ttl", "jsonld", "nt"):
            assert (site / f"{doc}.{ext}").is_file(), f"{iri}: no {doc}.{ext}"
        if chunk:
            assert f'id="{chunk[1]}"' in (site / f"{doc}.html").read_text(encoding="utf-8")


def test_the_rdf_files_hold_the_resource_triples(site: Path, bundled_store_dir: Path) -> None:
    """A work's files hold its statements and its authorship nodes' (published inside them)."""
    store = open_store(bundled_store_dir)
    own = {q.triple for q in store.quads_for_pattern(pyoxigraph.NamedNode(WORK), None, None)}
    nodes = [t.object for t in own if t.predicate.value.endswith("#authorship")]
    assert len(own) > 8 and nodes
    expected = own | {q.triple for node in nodes for q in store.quads_for_pattern(node, None, None)}
    stem = site / "id/paper/arxiv-2404.03592"
    assert _graph(Path(f"{stem}.nt").read_bytes(), pyoxigraph.RdfFormat.N_TRIPLES) == expected
    ttl = Path(f"{stem}.ttl").read_bytes()
    assert _graph(ttl, pyoxigraph.RdfFormat.TURTLE) == expected
    assert ttl.startswith(b"@prefix ikg: ")
    assert _graph(Path(f"{stem}.jsonld").read_bytes(), pyoxigraph.RdfFormat.JSON_LD) == expected


def test_a_work_page_says_what_a_researcher_wants(site: Path) -> None:
    html = (site / "id/paper/arxiv-2404.03592.html").read_text(encoding="utf-8")
    assert "<h1>ReFT: Representation Finetuning for Language Models</h1>" in html
    assert '<a href="../../id/venue/arxiv.html">arXiv</a> 2024' in html
    assert 'href="https://arxiv.org/abs/2404.03592"' in html
    assert 'href="https://github.com/stanfordnlp/pyreft"' in html
    assert "../../id/topic/paper-blog/by-topic/application.html" in html
    assert "awesome-llm-interpretability.md:322" in html  # the line of the list
    authors = re.search(r'<p class="byline">(.*?)</p>', html)
    assert authors is not None and authors.group(1).startswith('<a href="../../id/author/')
    assert ">Zhengxuan Wu</a>" in authors.group(1).split(",")[0]  # in the order of the authorships
    for media, ext in (
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/n-triples", "nt"),
    ):
        assert f'<link rel="alternate" type="{media}" href="../../id/paper/arxiv-2404.03592.{ext}">' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "ScholarlyArticle" and data["@id"] == WORK
    assert data["datePublished"].startswith("2024")
    assert data["identifier"] == [{"@type": "PropertyValue", "propertyID": "arXiv", "value": "2404.03592"}]


def test_a_topic_page_has_breadcrumb_subtopics_and_newest_works_first(site: Path) -> None:
    html = (site / "id/topic/paper-blog.html").read_text(encoding="utf-8")
    assert "<h2>Sub-topics</h2>" in html
    html = (site / "id/topic/paper-blog/by-topic/application.html").read_text(encoding="utf-8")
    crumbs = re.search(r'<nav class="crumbs">(.*?)</nav>', html)
    assert crumbs is not None and "Paper &amp; Blog" in crumbs.group(1)
    longest = 0
    for page in (site / "id/topic").rglob("*.html"):
        works = page.read_text(encoding="utf-8").split("<h2>Works, newest first", 1)[-1]
        years = [int(y) for y in re.findall(r'<span class="meta">\w+ · (\d{4})</span>', works)]
        assert years == sorted(years, reverse=True), page
        longest = max(longest, len(years))
    assert longest > 10


def test_home_page_has_tree_counts_and_offline_search(site: Path) -> None:
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<form action="search.html" method="get" role="search">' in html
    assert '<input type="search" id="q" name="q"' in html
    assert "id/topic/paper-blog/by-topic.html" in html
    search = (site / "search.html").read_text(encoding="utf-8")
    for script in ("vendor/minisearch.js", "search-data.js", "search.js"):
        assert f'<script src="{script}" defer></script>' in search
    data = (site / "search-data.js").read_text(encoding="utf-8")
    docs = json.loads(data.removeprefix("window.IKG_SEARCH = ").removesuffix(";\n"))
    reft = next(d for d in docs if d["t"] == "ReFT: Representation Finetuning for Language Models")
    assert reft["h"] == "id/paper/arxiv-2404.03592.html" and reft["k"] == "paper" and reft["y"] == 2024
    assert reft["a"][0] == "Zhengxuan Wu" and reft["tp"] == ["Application"]
    assert all((site / d["h"]).is_file() for d in docs)


def test_site_is_byte_identical_across_rebuilds(
    site: Path, bundled_store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("interp_kg.site.render.PAGES_PER_WORKER", 100)  # two worker processes
    monkeypatch.setattr("interp_kg.site.build.DUMPS_APART", 0)  # and the dumps in a third
    again = tmp_path / "again"
    build_site(bundled_store_dir, again, jobs=2)
    assert _files(again) == _files(site)


def test_source_date_epoch_makes_sites_of_two_builds_of_one_list_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write(
        tmp_path / "list.md", "# L\n\n## T\n\n* **A paper** [[arxiv]](https://arxiv.org/abs/2401.00001)\n"
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sites = []
    for name in ("one", "two"):
        build([src], tmp_path / name / "store")
        build_site(tmp_path / name / "store", tmp_path / name / "site", jobs=1)
        sites.append(_files(tmp_path / name / "site"))
    assert sites[0] == sites[1]
    assert b"2023-11-14T22:13:20Z" in sites[0]["void.ttl"]


def test_links_are_relative_and_resolve_and_nothing_loads_from_the_network(site: Path) -> None:
    checked = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', html), page
        for target in re.findall(r'(?:href|src)="([^"]+)"', html):
            if target.startswith(("http://", "https://", "data:")):
                continue
            assert not target.startswith("/"), f"{page}: absolute link {target}"
            path, _, fragment = target.partition("#")
            if not path:  # a place on the page itself
                assert f'id="{fragment}"' in html, f"{page}: no anchor {target}"
                continue
            assert (page.parent / path).resolve().is_file(), f"{page}: broken link {target}"
            checked += 1
    assert checked > 5000


def test_ontology_page_lists_every_term(site: Path) -> None:
    from interp_kg.resources import ontology_path

    html = (site / "ontology.html").read_text(encoding="utf-8")
    ttl = ontology_path("interp-kg.ttl").read_bytes()
    terms = {
        str(q.subject.value)
        for q in pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE)
        if q.predicate.value.endswith("#type")
        and q.subject.value.startswith("https://w3id.org/interp-kg/ontology#")
    }
    assert len(terms) > 40
    for term in terms:
        assert f'id="{term.rsplit("#", 1)[1]}"' in html, term
    assert '<a href="https://schema.org/ScholarlyArticle" rel="noopener">schema:ScholarlyArticle</a>' in html
    for name in ("ontology.ttl", "ontology.jsonld", "ontology.nt", "shapes.ttl", "context.jsonld"):
        assert (site / name).is_file()


def test_dumps_and_the_dataset_description(site: Path, bundled_store_dir: Path) -> None:
    store = open_store(bundled_store_dir)
    triples = len(store)
    dumps = site / "dumps"
    assert len(_graph((dumps / "interp-kg.ttl").read_bytes(), pyoxigraph.RdfFormat.TURTLE)) == triples
    raw = (dumps / "interp-kg.nt.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert len(_graph(gzip.decompress(raw), pyoxigraph.RdfFormat.N_TRIPLES)) == triples
    assert len(_graph((dumps / "interp-kg.jsonld").read_bytes(), pyoxigraph.RdfFormat.JSON_LD)) == triples
    void = pyoxigraph.Store()
    void.load((site / "void.ttl").read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    ds = pyoxigraph.NamedNode("https://w3id.org/interp-kg/void#dataset")
    count = next(void.quads_for_pattern(ds, pyoxigraph.NamedNode(VOID + "triples"), None))
    assert int(count.object.value) == triples
    for name in ("interp-kg.ttl", "interp-kg.nt.gz", "interp-kg.jsonld"):
        url = pyoxigraph.NamedNode(f"https://w3id.org/interp-kg/dumps/{name}")
        size = next(void.quads_for_pattern(url, pyoxigraph.NamedNode(DCAT + "byteSize"), None)).object.value
        assert int(size) == (dumps / name).stat().st_size
        checksum = pyoxigraph.NamedNode(url.value + "#sha256")
        value = next(
            void.quads_for_pattern(checksum, pyoxigraph.NamedNode(SPDX + "checksumValue"), None)
        ).object.value
        assert value == hashlib.sha256((dumps / name).read_bytes()).hexdigest()
    parts = list(void.quads_for_pattern(ds, pyoxigraph.NamedNode(VOID + "classPartition"), None))
    assert len(parts) >= 8
    assert list(void.quads_for_pattern(ds, pyoxigraph.NamedNode(VOID + "exampleResource"), None))
    assert not list(void.quads_for_pattern(ds, pyoxigraph.NamedNode(VOID + "sparqlEndpoint"), None))
    created = next(void.quads_for_pattern(ds, pyoxigraph.NamedNode("http://purl.org/dc/terms/created"), None))
    assert created.object.value.endswith("Z")


def test_sparql_endpoint_goes_into_the_description(bundled_store_dir: Path, tmp_path: Path) -> None:
    build_site(bundled_store_dir, tmp_path / "s", sparql_endpoint="https://example.org/sparql", jobs=1)
    ttl = (tmp_path / "s" / "void.ttl").read_text(encoding="utf-8")
    assert "void:sparqlEndpoint <https://example.org/sparql>" in ttl


def test_hostile_titles_neither_inject_markup_nor_escape_the_folder(tmp_path: Path) -> None:
    source = write(tmp_path / "work" / "list.md", HOSTILE)
    build([source], tmp_path / "work" / "store")
    out = tmp_path / "work" / "out" / "site"
    before = {p for p in tmp_path.rglob("*")}
    build_site(tmp_path / "work" / "store", out, jobs=1)
    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p in (out, out.parent) or out in p.parents for p in created), sorted(
        created - {out}
    )
    assert not (tmp_path / "etc").exists() and not (tmp_path / "escape").exists()
    pages = list(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img" not in html, page
        assert 'href="javascript:' not in html, page
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            json.loads(block)  # the whole block: no value closed the element early
    text = "".join(p.read_text(encoding="utf-8") for p in pages)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ../../../etc/passwd" in text


def test_iris_cannot_name_files_outside_the_site() -> None:
    assert resource_stem(ID + "paper/../../../etc/passwd", ID) == "id/paper/" + "/".join(
        safe_segment(s) for s in ("..", "..", "..", "etc", "passwd")
    )
    for bad in ("..", ".", "", ".htaccess", "a b", "%2e%2e", "x?y"):
        assert safe_segment(bad).startswith("_") and "/" not in safe_segment(bad)
    assert safe_segment("arxiv-2404.03592") == "arxiv-2404.03592"
    assert resource_stem("https://example.org/x", ID) is None
    assert page_href("id/listing/l/L1322", "id/paper/x.html") == "../../id/listing/l/L1xxx.html#L1322"
    assert page_href("id/listing/l/L7", "index.html") == "id/listing/l/Lxxx.html#L7"


def test_htaccess_negotiates_every_media_type() -> None:
    rules = htaccess("/interp-kg/")
    for media, ext in MEDIA_TYPES.items():
        assert f"$1.{ext} [R=303,L]" in rules
        if ext != "html":
            assert "%{HTTP_ACCEPT} " + media.replace("+", "\\+") in rules
    assert "RewriteBase /interp-kg/" in rules
    assert r"RewriteRule ^(id/listing/[^/]+)/L(\d*?)(\d{1,3})$ $1/L$2xxx.html#L$2$3 [R=303,NE,L]" in rules
    listing = re.compile(r"^(id/listing/[^/]+)/L(\d*?)(\d{1,3})$")  # the rule's regex, checked here
    for line in (7, 322, 999, 1000, 1322, 12345):
        m = listing.match(f"id/listing/l/L{line}")
        assert m is not None and (f"{m[1]}/L{m[2]}xxx", f"L{m[2]}{m[3]}") == listing_chunk(
            f"id/listing/l/L{line}"
        )
    assert r"RewriteRule ^(id/.+)/authorship/(\d+)$ $1.html#authorship-$2 [R=303,NE,L]" in rules
    assert document("id/paper/x/authorship/3") == ("id/paper/x", "authorship-3")
    assert page_href("id/paper/x/authorship/3", "index.html") == "id/paper/x.html#authorship-3"
    assert "https://host.example/kg/$1.ttl" in htaccess("/interp-kg/", "https://host.example/kg/")
    assert negotiate("text/html,application/xhtml+xml,*/*;q=0.8") == "html"
    assert negotiate("text/turtle") == "ttl"
    assert negotiate("application/ld+json;q=0, text/turtle") == "ttl"
    assert negotiate(None) == "html"
    from interp_kg.site.conneg import CITATION_TYPES

    for ext in CITATION_TYPES.values():  # works, topics, venues, authors have citation files
        assert (
            f"RewriteRule ^(id/(?:paper|tool|tutorial|video|topic|venue|author)/.+)$ $1.{ext} [R=303,L]"
            in rules
        )
    assert rules.index("# application/x-bibtex") > rules.index("# text/turtle")  # RDF first
    assert "AddType application/x-bibtex .bib" in rules


def test_site_build_refuses_a_folder_it_did_not_write(bundled_store_dir: Path, tmp_path: Path) -> None:
    from interp_kg.errors import InterpKgError

    write(tmp_path / "mine" / "notes.txt", "keep me")
    with pytest.raises(InterpKgError, match="not a site built by interp-kg"):
        build_site(bundled_store_dir, tmp_path / "mine", jobs=1)
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / ".mine.partial").exists()


def test_authors_and_wikidata_links_are_rendered_when_present() -> None:
    from interp_kg.site.collect import AUTHOR_P, SAME_AS, Index, Resource
    from interp_kg.site.pages import resource_page

    work, author = ID + "paper/x", ID + "author/jane-doe"
    lines = [
        f"<{work}> <{AUTHOR_P}> <{author}> .",
        f"<{work}> <{SAME_AS}> <http://www.wikidata.org/entity/Q42> .",
    ]
    index = Index(ID, label={work: "X", author: "Jane <Doe>"}, kind={work: "paper", author: "author"})
    html = resource_page(Resource(work, lines), index, "id/paper/x", lambda iri: pytest.fail(iri))
    assert '<p class="byline"><a href="../../id/author/jane-doe.html">Jane &lt;Doe&gt;</a></p>' in html
    assert '<a href="http://www.wikidata.org/entity/Q42" rel="noopener">Q42</a>' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["author"] == [{"@id": author, "@type": "Person", "name": "Jane <Doe>"}]
    assert data["sameAs"] == ["http://www.wikidata.org/entity/Q42"]
