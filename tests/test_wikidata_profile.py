"""``export --profile wikidata`` writes Wikidata's own RDF shape: the same SPARQL (the authors of a
paper in order; the paper with an arXiv id; papers per year; a date's precision; a reference's
retrieval day) gives the same shape of answer on the dump of the acceptance list and on a fixture
written in Wikidata's RDF format (tests/data/wikidata/wikidata-rdf.ttl: made-up items, since no
real Wikidata data could be fetched)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as px
import pytest

from tests.test_cli import run

DATA = Path(__file__).parent / "data" / "wikidata"
ACCEPTANCE = DATA / "acceptance"
PREFIXES = """\
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX psv: <http://www.wikidata.org/prop/statement/value/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX pr: <http://www.wikidata.org/prop/reference/>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
AUTHORS_IN_ORDER = (
    PREFIXES
    + """SELECT ?ordinal ?author ?name WHERE {
  ?paper wdt:P818 "2401.10005" .
  { ?paper p:P50 ?st . ?st ps:P50 ?author ; pq:P1545 ?ordinal .
    ?author rdfs:label ?name FILTER(LANG(?name) = "en") }
  UNION
  { ?paper p:P2093 ?st . ?st ps:P2093 ?name ; pq:P1545 ?ordinal }
} ORDER BY xsd:integer(?ordinal)"""
)
PAPER_BY_ARXIV_ID = (
    PREFIXES + 'SELECT ?paper ?title WHERE { ?paper wdt:P818 "2401.10005" ; wdt:P1476 ?title }'
)
PAPERS_PER_YEAR = (
    PREFIXES
    + """SELECT ?year (COUNT(DISTINCT ?paper) AS ?papers) WHERE {
  ?paper wdt:P31 wd:Q580922 ; wdt:P577 ?date .
  BIND(YEAR(?date) AS ?year)
} GROUP BY ?year ORDER BY ?year"""
)
PRECISION = (
    PREFIXES
    + """SELECT ?date ?precision ?calendar WHERE {
  ?paper wdt:P818 "2401.10005" ; p:P577 ?st .
  ?st ps:P577 ?date ; psv:P577 [ wikibase:timePrecision ?precision ; wikibase:timeCalendarModel ?calendar ] .
}"""
)
RETRIEVED = (
    PREFIXES
    + """SELECT ?url ?retrieved ?database WHERE {
  ?paper wdt:P818 "2401.10005" ; p:P818 ?st .
  ?st prov:wasDerivedFrom ?ref . ?ref pr:P854 ?url ; pr:P813 ?retrieved ; pr:P248 ?database .
}"""
)


def load(data: bytes) -> px.Store:
    store = px.Store()
    store.load(data, format=px.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> Iterator[px.Store]:
    tmp = tmp_path_factory.mktemp("profile")
    store = tmp / "store"
    bibliography = str(ACCEPTANCE / "bibliography")
    mapping = str(ACCEPTANCE / "mapping.json")
    proc = run("build", str(ACCEPTANCE / "list.md"), "--store", str(store), "--bibliography", bibliography,
               "--wikidata-mapping", mapping, "-q")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    out = tmp / "dump.ttl"
    proc = run("export", "--profile", "wikidata", "--store", str(store), "--mapping", mapping,
               "--bibliography", bibliography, "-o", str(out))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    yield load(out.read_bytes())


@pytest.fixture(scope="module")
def wikidata() -> px.Store:
    return load((DATA / "wikidata-rdf.ttl").read_bytes())


def rows(store: px.Store, query: str) -> tuple[list[str], list[list[px.NamedNode | px.Literal | None]]]:
    result = store.query(query)
    assert isinstance(result, px.QuerySolutions)
    names = [v.value for v in result.variables]
    return names, [[s[n] for n in names] for s in result]  # type: ignore[misc]


def shape(term: px.NamedNode | px.Literal | None) -> str:
    """What kind of term an answer cell is: an IRI, or a literal of a datatype or language."""
    if term is None:
        return "unbound"
    if isinstance(term, px.NamedNode):
        return "IRI"
    return f"literal@{term.language}" if term.language else f"literal^^{term.datatype.value}"


def same_shape(query: str, a: px.Store, b: px.Store) -> list[list[px.NamedNode | px.Literal | None]]:
    names_a, rows_a = rows(a, query)
    names_b, rows_b = rows(b, query)
    assert names_a == names_b
    assert rows_a and rows_b, "each answers something"
    assert [[shape(t) for t in r] for r in rows_a] == [[shape(t) for t in r] for r in rows_b]
    return rows_a


def test_the_authors_of_a_paper_in_order(dump: px.Store, wikidata: px.Store) -> None:
    got = same_shape(AUTHORS_IN_ORDER, dump, wikidata)
    assert [(o.value, n.value) for o, _, n in got] == [("1", "Ann Author"), ("2", "Cy Coder")]  # type: ignore[union-attr]
    assert got == rows(wikidata, AUTHORS_IN_ORDER)[1], "the same answer: P50 with P1545, P2093 with P1545"


def test_the_paper_with_an_arxiv_id(dump: px.Store, wikidata: px.Store) -> None:
    ((paper, title),) = same_shape(PAPER_BY_ARXIV_ID, dump, wikidata)
    assert paper == px.NamedNode("https://w3id.org/interp-kg/id/paper/arxiv-2401.10005"), "ours: not linked"
    assert title == px.Literal("Nowhere Preprint", language="en")


def test_papers_per_year(dump: px.Store, wikidata: px.Store) -> None:
    got = same_shape(PAPERS_PER_YEAR, dump, wikidata)
    assert [(y.value, n.value) for y, n in got] == [("2023", "4"), ("2024", "3")]  # type: ignore[union-attr]


def test_a_date_and_its_precision(dump: px.Store, wikidata: px.Store) -> None:
    got = same_shape(PRECISION, dump, wikidata)
    assert got == rows(wikidata, PRECISION)[1]


def test_a_reference_with_its_retrieval_day(dump: px.Store, wikidata: px.Store) -> None:
    got = same_shape(RETRIEVED, dump, wikidata)
    assert got == rows(wikidata, RETRIEVED)[1], "the day the fact was read, not the day of the dump"


def test_linked_works_are_wd_items(tmp_path: Path) -> None:
    """With a mapping that links a work, its statements are the item's (wd: IRI)."""
    import json
    import shutil

    mapping = tmp_path / "mapping.json"
    shutil.copy(ACCEPTANCE / "mapping.json", mapping)
    data = json.loads(mapping.read_text("utf-8"))
    data["works"] = [{"work": "paper/arxiv-2401.10005", "status": "confirmed", "qid": "Q900000201",
                      "matched_by": "person"}]  # fmt: skip
    mapping.write_text(json.dumps(data), encoding="utf-8")
    store = tmp_path / "store"
    bibliography = str(ACCEPTANCE / "bibliography")
    assert run("build", str(ACCEPTANCE / "list.md"), "--store", str(store), "--bibliography", bibliography,
               "-q").returncode == 0  # fmt: skip
    proc = run("export", "--profile", "wikidata", "--store", str(store), "--mapping", str(mapping),
               "--bibliography", bibliography, "-f", "ntriples")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert (
        '<http://www.wikidata.org/entity/Q900000201> <http://www.wikidata.org/prop/direct/P818> "2401.10005"'
        in proc.stdout
    )
    assert "<https://w3id.org/interp-kg/id/paper/arxiv-2401.10005>" not in proc.stdout


def test_the_works_read_off_the_sorted_ntriples_are_the_works_of_the_store(bundled_store_dir: Path) -> None:
    """``scan_works`` (the export's reader: one pass over the canonical N-Triples) gives every
    work :func:`iter_works` (one store look-up per work) gives, with the same facts, records
    included; only the order may differ."""
    from interp_kg.curation.bibliography import default_folder
    from interp_kg.curation.bibliography import load as load_bibliography
    from interp_kg.store.builds import open_graph
    from interp_kg.wikidata.works import iter_works, scan_works

    bibliography = load_bibliography(default_folder())
    source = open_graph(bundled_store_dir)
    looked_up = {w.iri: w for w in iter_works(source.store, source.base_iri, bibliography)}
    scanned = {w.iri: w for w in scan_works(source, bibliography)}
    assert len(looked_up) > 200
    assert scanned.keys() == looked_up.keys()
    assert [scanned[k] for k in sorted(scanned)] == [looked_up[k] for k in sorted(looked_up)]
    assert sum(1 for w in scanned.values() if w.authors) > 150
    assert sum(1 for w in scanned.values() if w.record is not None) > 150
