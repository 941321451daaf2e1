"""QuickStatements V1: one golden test per statement kind, a whole batch compared with a golden
file, every batch checked by a strict V1 parser, and author name strings read off a hand-made
graph with ordered authorship (an RDF list, or positioned authorship nodes)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import replace
from pathlib import Path

import pyoxigraph as px
import pytest

from interp_kg.curation.wikidata_mapping import ConceptLink, Conflict, Mapping, WorkLink
from interp_kg.wikidata.quickstatements import quickstatements
from interp_kg.wikidata.works import PublicationDate, WorkFacts, read_works

GOLDEN = Path(__file__).parent / "golden" / "wikidata"
UPDATE = bool(os.environ.get("INTERP_KG_UPDATE_GOLDEN"))
RETRIEVED = dt.date(2026, 11, 25)
ID = "https://w3id.org/interp-kg/id/"
IKG = "https://w3id.org/interp-kg/ontology#"
ARXIV_SOURCE = 'S248\tQ118398\tS854\t"https://arxiv.org/abs/2302.12461"\tS813\t+2026-11-25T00:00:00Z/11'
TOPIC_ITEM = "Q900000011"  # made up, as in tests/data/wikidata/fixture.ttl
VENUE_ITEM = "Q1961016"  # NeurIPS, from issue 5

# ---------------------------------------------------------------- a strict QuickStatements V1 parser

_ITEM = re.compile(r"Q[1-9][0-9]*")
_PROP = re.compile(r"P[1-9][0-9]*")
_STRING = re.compile(r'"[^\t\n\r]*"')
_MONO = re.compile(r'[a-z]{2,3}(-[a-z]+)?:"[^\t\n\r]*"')
_TIME = re.compile(r"\+(\d{4})-(\d{2})-(\d{2})T00:00:00Z/(9|10|11)")


def value_kind(value: str) -> str:
    """The kind of a V1 value, or an AssertionError saying why it is not one."""
    if _ITEM.fullmatch(value):
        return "item"
    if _MONO.fullmatch(value):
        return "monolingual"
    if _TIME.fullmatch(value):
        m = _TIME.fullmatch(value)
        assert m is not None
        try:
            dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise AssertionError(f"not a real day: {value!r}") from None
        return "time"
    if _STRING.fullmatch(value):
        assert value.strip() == value and "  " not in value, f"untrimmed string {value!r}"
        return "string"
    raise AssertionError(f"not a V1 value: {value!r}")


def parse_v1(text: str) -> list[tuple[str, str, str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """Commands as (subject, property, value, qualifiers, sources); asserts V1 syntax throughout."""
    assert text == "" or text.endswith("\n"), "the batch ends with a newline"
    assert "\r" not in text
    commands = []
    created = False
    for n, line in enumerate(text.splitlines(), start=1):
        assert line, f"line {n}: empty"
        if line == "CREATE":
            created = True
            continue
        fields = line.split("\t")
        assert all(fields), f"line {n}: empty field"
        subject, prop, value, rest = fields[0], fields[1], fields[2], fields[3:]
        assert (subject == "LAST" and created) or _ITEM.fullmatch(subject), f"line {n}: subject {subject!r}"
        if prop in ("Len", "Den", "Aen"):
            assert value_kind(value) == "string" and not rest, f"line {n}: label"
            continue
        assert _PROP.fullmatch(prop), f"line {n}: property {prop!r}"
        value_kind(value)
        assert len(rest) % 2 == 0, f"line {n}: a qualifier or source without a value"
        qualifiers, sources = [], []
        for key, val in zip(rest[::2], rest[1::2], strict=True):
            value_kind(val)
            if key.startswith("S"):
                assert re.fullmatch(r"S[1-9][0-9]*", key), f"line {n}: source {key!r}"
                sources.append((key, val))
            else:
                assert _PROP.fullmatch(key) and not sources, f"line {n}: qualifier {key!r} after a source"
                qualifiers.append((key, val))
        assert sources, f"line {n}: a statement without a source"
        commands.append((subject, prop, value, qualifiers, sources))
    return commands


def test_the_parser_rejects_what_v1_does_not_allow() -> None:
    for bad in (
        'LAST\tP1476\ten:"x"\tS854\t"u"\n',  # LAST without CREATE
        'Q1\tP577\t+2023-13-01T00:00:00Z/11\tS854\t"u"\n',
        'Q1\tP577\t+2023-01-01T00:00:00Z/12\tS854\t"u"\n',
        'Q1\tP818\t"a\tb"\tS854\t"u"\n',
        'Q1\tP818\t"x"\n',
        'Q1\tP818\t"x"\tS854\n',
        'Q1\tP818\t"x"\tSP854\t"u"\n',
    ):
        with pytest.raises(AssertionError):
            parse_v1(bad)


# ---------------------------------------------------------------- statements, one kind at a time


def paper(**kw: object) -> WorkFacts:
    base = WorkFacts(
        iri=ID + "paper/arxiv-2302.12461",
        slug="paper/arxiv-2302.12461",
        kind="paper",
        title="Analyzing\tTransformers\nin Embedding Space",
        year=2023,
        arxiv=["2302.12461"],
        urls=["https://arxiv.org/abs/2302.12461"],
        venue="venue/arxiv",
        venue_peer_reviewed=False,
        topics=["topic/sparse-coding"],
    )
    return replace(base, **kw)  # type: ignore[arg-type]


CONFIRMED = Mapping(
    venues=(ConceptLink(node="venue/neurips", qid=VENUE_ITEM, status="confirmed", source="issue 5"),),
    topics=(ConceptLink(node="topic/sparse-coding", qid=TOPIC_ITEM, status="confirmed", source="checked"),),
)


def lines(work: WorkFacts, mapping: Mapping = CONFIRMED) -> list[str]:
    text = quickstatements([work], mapping, retrieved=RETRIEVED)
    parse_v1(text)
    return text.splitlines()


def test_create_then_last() -> None:
    out = lines(paper())
    assert out[0] == "CREATE"
    assert out[1] == 'LAST\tLen\t"Analyzing Transformers in Embedding Space"'
    assert all(line.startswith("LAST\t") for line in out[1:])


def test_p31_preprint_for_an_arxiv_only_paper() -> None:
    assert f"LAST\tP31\tQ580922\t{ARXIV_SOURCE}" in lines(paper())


def test_p31_scholarly_article_at_a_peer_reviewed_venue() -> None:
    out = lines(paper(venue="venue/neurips", venue_peer_reviewed=True))
    assert f"LAST\tP31\tQ13442814\t{ARXIV_SOURCE}" in out


def test_p1476_title_with_tabs_and_newlines_stripped() -> None:
    assert f'LAST\tP1476\ten:"Analyzing Transformers in Embedding Space"\t{ARXIV_SOURCE}' in lines(paper())


def test_p1476_keeps_inner_quotes() -> None:
    out = lines(paper(title='What "Knowledge" Means'))
    assert f'LAST\tP1476\ten:"What "Knowledge" Means"\t{ARXIV_SOURCE}' in out


def test_p818_bare_arxiv_id() -> None:
    assert f'LAST\tP818\t"2302.12461"\t{ARXIV_SOURCE}' in lines(paper())


def test_p356_arxiv_doi_upper_cased() -> None:
    assert f'LAST\tP356\t"10.48550/ARXIV.2302.12461"\t{ARXIV_SOURCE}' in lines(paper())


def test_p356_other_doi_upper_cased_and_sourced_by_its_url() -> None:
    work = paper(slug="paper/doi-x", arxiv=[], dois=["10.1162/tacl_a_00001"], urls=[])
    assert (
        'LAST\tP356\t"10.1162/TACL_A_00001"\tS854\t"https://doi.org/10.1162/tacl_a_00001"'
        "\tS813\t+2026-11-25T00:00:00Z/11"
    ) in lines(work)


def test_p8968_openreview_forum_id() -> None:
    work = paper(arxiv=[], openreview=["abcdEFGH12"], urls=[])
    assert (
        'LAST\tP8968\t"abcdEFGH12"\tS854\t"https://openreview.net/forum?id=abcdEFGH12"'
        "\tS813\t+2026-11-25T00:00:00Z/11"
    ) in lines(work)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"year": 2023, "arxiv": []}, "+2023-01-01T00:00:00Z/9"),
        ({}, "+2023-02-01T00:00:00Z/10"),  # the month of the arXiv id
        ({"year": 2024}, "+2024-01-01T00:00:00Z/9"),  # the arXiv month disagrees with the year
        ({"issued": PublicationDate(2023, 2, 24, 11)}, "+2023-02-24T00:00:00Z/11"),
    ],
)
def test_p577_with_precision(changes: dict[str, object], expected: str) -> None:
    out = [line for line in lines(paper(**changes)) if "\tP577\t" in line]
    assert len(out) == 1 and out[0].split("\t")[2] == expected


def test_p1433_only_for_a_confirmed_venue() -> None:
    at_neurips = paper(venue="venue/neurips", venue_peer_reviewed=True)
    assert any(line.startswith(f"LAST\tP1433\t{VENUE_ITEM}\t") for line in lines(at_neurips))
    candidate = Mapping(
        venues=(ConceptLink(node="venue/neurips", qid=VENUE_ITEM, status="candidate", source="l"),)
    )
    assert not any("\tP1433\t" in line for line in lines(at_neurips, candidate))


def test_p921_only_for_a_confirmed_topic() -> None:
    assert any(line.startswith(f"LAST\tP921\t{TOPIC_ITEM}\t") for line in lines(paper()))
    assert not any("\tP921\t" in line for line in lines(paper(), Mapping()))


def test_p2093_with_p1545_when_authors_exist() -> None:
    out = lines(paper(authors=["Guy Dar", "Mor Geva"]))
    assert f'LAST\tP2093\t"Guy Dar"\tP1545\t"1"\t{ARXIV_SOURCE}' in out
    assert f'LAST\tP2093\t"Mor Geva"\tP1545\t"2"\t{ARXIV_SOURCE}' in out
    assert not any("\tP2093\t" in line for line in lines(paper()))


def test_only_missing_statements_for_a_linked_work() -> None:
    link = WorkLink(
        work="paper/arxiv-2302.12461",
        qid="Q900000001",
        matched_by="arxiv",
        value="2302.12461",
        retrieved=RETRIEVED,
        statements={"P31": ("Q13442814",), "P1476": ("Other form",), "P818": ("2302.12461",), "P577": ("x",)},
    )
    mapping = CONFIRMED.model_copy(update={"works": (link,)})
    assert lines(paper(), mapping) == [
        f'Q900000001\tP356\t"10.48550/ARXIV.2302.12461"\t{ARXIV_SOURCE}',
        f'Q900000001\tP921\t{TOPIC_ITEM}\tS854\t"https://arxiv.org/abs/2302.12461"\tS813\t+2026-11-25T00:00:00Z/11',
    ], "P31, P1476 and P577 are there (in whatever form), P818 has our value"


def test_existing_values_are_compared_case_insensitively() -> None:
    link = WorkLink(
        work="paper/arxiv-2302.12461",
        qid="Q900000001",
        matched_by="arxiv",
        value="2302.12461",
        retrieved=RETRIEVED,
        statements={"P356": ("10.48550/arxiv.2302.12461",), "P818": ("2302.12461",), "P921": (TOPIC_ITEM,)},
    )
    out = lines(paper(), CONFIRMED.model_copy(update={"works": (link,)}))
    assert not any("\tP356\t" in line or "\tP818\t" in line or "\tP921\t" in line for line in out)


def test_conflicted_works_get_nothing() -> None:
    conflict = Conflict(
        kind="several-items",
        works=("paper/arxiv-2302.12461",),
        qids=("Q900000004", "Q900000005"),
        evidence=(),
        retrieved=RETRIEVED,
    )
    assert lines(paper(), CONFIRMED.model_copy(update={"conflicts": (conflict,)})) == []


def test_tools_are_not_created() -> None:
    tool = WorkFacts(
        iri=ID + "tool/x", slug="tool/x", kind="tool", title="x", repositories=["https://github.com/a/b"]
    )
    assert lines(tool) == []


def test_a_whole_batch_is_golden() -> None:
    works = [
        paper(authors=["Guy Dar", "Mor Geva", "Ankit Gupta", "Jonathan Berant"]),
        paper(
            iri=ID + "paper/openreview-abcdEFGH12",
            slug="paper/openreview-abcdEFGH12",
            title="A Workshop Paper",
            arxiv=[],
            openreview=["abcdEFGH12"],
            venue="venue/neurips",
            venue_peer_reviewed=True,
            urls=["https://openreview.net/forum?id=abcdEFGH12"],
        ),
    ]
    text = quickstatements(works, CONFIRMED, retrieved=RETRIEVED)
    parse_v1(text)
    path = GOLDEN / "batch.qs"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert text == path.read_text("utf-8"), (
        "batch.qs differs: rerun with INTERP_KG_UPDATE_GOLDEN=1 and review"
    )
    assert text == quickstatements(list(reversed(works)), CONFIRMED, retrieved=RETRIEVED), "order-independent"


# ---------------------------------------------------------------- authors off a hand-made graph


def _n(iri: str) -> px.NamedNode:
    return px.NamedNode(iri)


def authored_graph() -> px.Store:
    """Two works: one with an RDF list of authors, one with positioned authorship nodes."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    label, typ = _n("http://www.w3.org/2000/01/rdf-schema#label"), _n(rdf + "type")
    store = px.Store()
    quads: list[px.Quad] = []

    def add(
        s: px.NamedNode | px.BlankNode, p: px.NamedNode, o: px.NamedNode | px.BlankNode | px.Literal
    ) -> None:
        quads.append(px.Quad(s, p, o))

    people = {}
    for slug, name in (("a", "Ann One"), ("b", "Bob Two"), ("c", "Cy Three")):
        people[slug] = _n(ID + f"author/{slug}")
        add(people[slug], typ, _n(IKG + "Author"))
        add(people[slug], label, px.Literal(name))
    for slug in ("paper/listed", "paper/positioned"):
        w = _n(ID + slug)
        add(w, typ, _n(IKG + "Work"))
        add(w, typ, _n(IKG + "Paper"))
        add(w, label, px.Literal(slug))
    cells = [px.BlankNode(f"l{i}") for i in range(3)]
    add(_n(ID + "paper/listed"), _n(IKG + "authorList"), cells[0])
    for i, who in enumerate(("c", "a", "b")):
        add(cells[i], _n(rdf + "first"), people[who])
        add(cells[i], _n(rdf + "rest"), cells[i + 1] if i < 2 else _n(rdf + "nil"))
    for position, who in ((2, "a"), (1, "b")):
        node = _n(ID + f"authorship/positioned/{position}")
        add(_n(ID + "paper/positioned"), _n(IKG + "authorship"), node)
        add(node, _n(IKG + "author"), people[who])
        add(
            node,
            _n(IKG + "position"),
            px.Literal(str(position), datatype=_n("http://www.w3.org/2001/XMLSchema#integer")),
        )
    store.extend(quads)
    return store


def test_authors_in_order_from_an_rdf_list_or_positions() -> None:
    works = {w.slug: w for w in read_works(authored_graph())}
    assert works["paper/listed"].authors == ["Cy Three", "Ann One", "Bob Two"]
    assert works["paper/positioned"].authors == ["Bob Two", "Ann One"]


def test_p2093_off_the_graph() -> None:
    works = {w.slug: w for w in read_works(authored_graph())}
    out = quickstatements([works["paper/positioned"]], Mapping(), retrieved=RETRIEVED)
    parse_v1(out)
    names = [(f[2], f[4]) for f in (line.split("\t") for line in out.splitlines()) if f[1:2] == ["P2093"]]
    assert names == [('"Bob Two"', '"1"'), ('"Ann One"', '"2"')]


def test_curated_authors_and_dates_cite_the_pages_they_were_read_from() -> None:
    # as the build writes them: ikg:authorship nodes with the name as written and its source,
    # dcterms:issued with ikg:dateSource (data/bibliography/)
    store = px.Store()
    work, person = _n(ID + "paper/arxiv-2302.12461"), _n(ID + "author/mor-geva")
    node = _n(ID + "paper/arxiv-2302.12461/authorship/1")
    byline, page = "https://example.org/byline", "https://example.org/dated"
    rdf, xsd = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2001/XMLSchema#"
    store.extend(
        px.Quad(*t)
        for t in (
            (work, _n(rdf + "type"), _n(IKG + "Work")),
            (work, _n(rdf + "type"), _n(IKG + "Paper")),
            (work, _n("http://www.w3.org/2000/01/rdf-schema#label"), px.Literal("A paper")),
            (work, _n(IKG + "arxivId"), px.Literal("2302.12461")),
            (
                work,
                _n("http://purl.org/dc/terms/issued"),
                px.Literal("2023-02-24", datatype=_n(xsd + "date")),
            ),
            (work, _n(IKG + "dateSource"), _n(page)),
            (work, _n(IKG + "authorship"), node),
            (node, _n(IKG + "person"), person),
            (node, _n(IKG + "position"), px.Literal("1", datatype=_n(xsd + "integer"))),
            (node, _n(IKG + "nameAsWritten"), px.Literal("M. Geva (as printed)")),
            (node, _n("http://www.w3.org/ns/prov#wasDerivedFrom"), _n(byline)),
            (person, _n(rdf + "type"), _n(IKG + "Author")),
            (person, _n("http://www.w3.org/2000/01/rdf-schema#label"), px.Literal("Mor Geva")),
        )
    )
    [facts] = read_works(store)
    assert (facts.authors, facts.authors_source, facts.date_source) == (
        ["M. Geva (as printed)"],
        byline,
        page,
    )
    out = quickstatements([facts], Mapping(), retrieved=RETRIEVED)
    parse_v1(out)
    fields = [line.split("\t") for line in out.splitlines()]
    author = next(f for f in fields if f[1:2] == ["P2093"])
    assert author[2] == '"M. Geva (as printed)"' and author[5:7] == ["S854", f'"{byline}"']
    date = next(f for f in fields if f[1:2] == ["P577"])
    assert date[2] == "+2023-02-24T00:00:00Z/11" and date[3:5] == ["S854", f'"{page}"']
    title = next(f for f in fields if f[1:2] == ["P1476"])
    assert title[3:5] == ["S248", "Q118398"], "facts read off arXiv stay stated in arXiv"
