"""The saved-query catalogue (``queries/*.rq``) run on the bundled list.

Every saved query has at least one case below with its expected answer, derived from reading
``data/awesome-llm-interpretability.md``: the whole result for small answers (inline, or a golden
TSV file under ``tests/golden/queries/``), the row count and a few known rows for big ones. The
other tests check what every query must be: SPARQL 1.1 only (rdflib's parser, no extension
functions), a header with a title and a description, its parameters projected and used in the
top-level group, and safe parameter binding.

After an intended change to a query, regenerate its golden file with
``INTERP_KG_UPDATE_GOLDEN=1 pytest tests/test_saved_queries.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
import pytest
from rdflib.plugins.sparql import prepareQuery

from interp_kg.curation.saved_queries import SavedQuery, load_catalogue
from interp_kg.errors import QueryError
from interp_kg.rdf.prefixes import PREFIXES
from interp_kg.rdf.vocab import XSD_INTEGER
from interp_kg.sparql.query import LocalBackend, Result, bind, inject_values, values_block, with_limit
from interp_kg.sparql.results import show
from interp_kg.store.builds import open_store
from tests.conftest import REPO

QUERIES = REPO / "queries"
CATALOGUE = load_catalogue(QUERIES)
GOLDEN = Path(__file__).parent / "golden" / "queries"
UPDATE = bool(os.environ.get("INTERP_KG_UPDATE_GOLDEN"))
IKG = PREFIXES["ikg"]

Row = tuple[str, ...]


@dataclass(frozen=True)
class Case:
    """One run of a saved query and what it must give (rows as :func:`show` renders them)."""

    params: Mapping[str, str] = field(default_factory=dict)
    #: the exact rows, in order (None: not checked here)
    rows: tuple[Row, ...] | None = None
    #: compare every row with ``tests/golden/queries/<case id>.tsv``
    golden: bool = False
    #: the number of rows (None: not checked here)
    count: int | None = None
    #: rows that must be there, as {column: value}
    contains: tuple[Mapping[str, str], ...] = ()
    #: rows that must not be there, as {column: value}
    excludes: tuple[Mapping[str, str], ...] = ()


T = "id:topic/paper-blog/by-topic/"
GROKKING = "Progress measures for grokking via mechanistic interpretability"

# Expected answers, read off the bundled list (191 papers, 9 tools, 5 tutorials, 4 videos; 45 topics).
CASES: dict[str, Case] = {
    "featured-works": Case(golden=True, count=13),  # 15 starred lines, two works starred twice
    "works-in-topic/sparse-coding": Case({"topic": "Sparse Coding"}, golden=True, count=6),
    "works-in-topic/component": Case(
        {"topic": "Component"},  # its four sub-topics: 10 + 6 + 3 + 9 lines, no work twice
        count=28,
        contains=(
            {"work": "paper:toy-models-of-superposition", "listedIn": f"{T}component/neuron"},
            {"work": "paper:in-context-learning-and-induction-heads", "listedIn": f"{T}component/attention"},
        ),
        excludes=({"work": "paper:in-context-learning-and-induction-heads", "listedIn": f"{T}component"},),
    ),
    # 185 works (209 - 8 code - 7 surveys - 5 tutorials - 4 videos), 8 of them in two sub-topics
    "works-in-topic/by-iri": Case({"topic": "id:topic/paper-blog"}, count=193),
    "topic-tree": Case(
        golden=True,
        count=45,
        contains=(
            {"label": "By Topic", "depth": "1", "direct": "0", "total": "185"},
            {"label": "Task Solving/Function/Ability", "depth": "2", "total": "49"},  # 50 lines, Llamas twice
            {"topic": f"{T}application", "direct": "1", "total": "41"},  # ReFT directly under it
            {"label": "By Source", "direct": "0", "total": "0"},
        ),
    ),
    "works-by-venue/iclr": Case(
        {"venue": "ICLR"},
        count=24,
        contains=(
            {"year": "2023", "work": "paper:openreview-9XFSbDPmdW", "presentation": ""},
            {"year": "2024", "work": "paper:openreview-aN4Jf6Cx69", "presentation": "oral"},
            {"year": "2024", "work": "paper:openreview-fpoAYV6Wsk", "presentation": "spotlight"},
        ),
    ),
    "works-by-venue/tmlr": Case(
        {"venue": "venue:tmlr"},
        count=1,
        contains=({"year": "2023", "work": "paper:openreview-JYs1R9IMJr"},),
    ),
    "venue-overview": Case(golden=True, count=18),
    "works-per-year": Case(
        rows=(
            # years from the list, else from the curated dates of data/bibliography/ (these figures
            # move when curation adds dates to works whose link text gives no year)
            ("2024", "91", "91", "21"),
            # the EACL 2023 tutorial is the one non-paper; Fakepedia ([arxiv 2403] -> 2312.02073) is 2023
            ("2023", "86", "85", "32"),
            ("2022", "8", "8", "5"),
            ("2021", "3", "3", "2"),
            ("2020", "1", "1", "0"),  # the logit lens post on LessWrong
            ("", "20", "3", "0"),
        ),
    ),
    "papers-not-peer-reviewed": Case(
        count=132,  # 191 papers - 59 at ICLR, NeurIPS, EMNLP, ACL, ICML, EACL, CoNLL, SaTML or journals
        contains=(
            {
                "work": "paper:toy-models-of-superposition",
                "venue": "Transformer Circuits Thread",
                "kind": "blog",
            },
            # no year in the list; 2023 from its curated date
            {
                "work": "paper:openreview-0ZUKLCxwBo",
                "venue": "OpenReview",
                "kind": "preprint",
                "year": "2023",
            },
            {"work": "paper:arxiv-2404.03592", "venue": "arXiv", "kind": "preprint", "year": "2024"},
        ),
        excludes=({"work": "paper:openreview-9XFSbDPmdW"}, {"kind": "conference"}, {"kind": "journal"}),
    ),
    "papers-with-code": Case(
        golden=True,
        count=6,  # the five papers with a [github] link, and the AI Alignment survey
        contains=({"work": "paper:arxiv-2404.03592", "tool": "tool:github-stanfordnlp-pyreft"},),
    ),
    "tools-and-papers": Case(
        golden=True,
        count=9,
        contains=(
            {
                "tool": "tool:github-stanfordnlp-pyreft",
                "relation": "software",
                "work": "paper:arxiv-2404.03592",
            },
            {
                "tool": "tool:github-callummcdougall-sae_vis",
                "relation": "sub-entry",
                "work": "paper:lesswrong-nAhy6ZquNY7AD3RkD",
            },
            {"tool": "tool:github-neelnanda-io-TransformerLens", "relation": "", "work": ""},
        ),
    ),
    "works-in-several-topics": Case(
        golden=True,
        count=16,  # 8 works listed twice
        contains=(
            {"title": GROKKING, "topics": "2", "topicLabel": "Arithmetic Ability"},
            {"title": GROKKING, "topics": "2", "topicLabel": "Phase Transition/Grokking"},
            {
                "work": "paper:openreview-UEdS2lIgfY",
                "topicLabel": "General",
                "parentLabel": "Feature Representation/Probing-based",
            },
        ),
    ),
    "topic-pairs-sharing-works": Case(
        golden=True,
        count=6,  # from the 8 works listed twice
        contains=(
            {"label1": "Neuron", "label2": "Multilingual/Crosslingual", "shared": "2"},
            {"label1": "Phase Transition/Grokking", "label2": "Arithmetic Ability", "shared": "2"},
        ),
    ),
    "newest-works-per-topic": Case(
        count=98,  # with the years of curated dates
        contains=(
            {
                "topic": f"{T}tools-techniques-methods/sparse-coding",
                "year": "2024",
                "work": "paper:openreview-F76bwRSLeK",
            },
            {"topic": "id:topic/survey", "year": "2024", "work": "paper:arxiv-2309.01029"},
            {
                "topic": "id:topic/tutorial",
                "year": "2023",
                "work": "tutorial:transformer-specific-interpretability",
            },
        ),
        # 2023 papers of the topic are not its newest; the Code topics have no years at all
        excludes=({"topic": "id:topic/survey", "year": "2023"}, {"topic": "id:topic/code/library"}),
    ),
    "search-titles/alias": Case(
        {"keyword": "rome"},  # a word of one title, and the short name (ROME) of another
        golden=True,
        count=2,
    ),
    "search-titles/case": Case(
        {"keyword": "Sparse AutoEncoder"},
        count=3,
        contains=(
            {"work": "tool:github-callummcdougall-sae_vis", "title": "Sparse AutoEncoder Visulization"},
            {"work": "paper:openreview-F76bwRSLeK", "venue": "ICLR", "year": "2024"},
            {"work": "paper:lesswrong-f9EgfLSurAiqRJySD", "venue": "AI Alignment Forum"},
        ),
    ),
    "papers-without-identifier": Case(
        # 2 Transformer Circuits, 8 forum posts, 1 NeurIPS, 1 blog post; the curated records give
        # the others an arXiv id or a DOI (Toy Models: arXiv 2209.10652)
        count=12,
        contains=(
            {
                "work": "paper:towards-monosemanticity-decomposing-language-models-with-dictionary-learning",
                "venue": "Transformer Circuits Thread",
                "year": "2023",
            },
            {"work": "paper:lesswrong-AcKRB8wDpdaN6v6ru", "venue": "LessWrong", "year": "2020"},
        ),
        excludes=(
            {"work": "paper:arxiv-2309.01029"},
            {"work": "paper:acl-2023.acl-long.893"},
            {"work": "paper:toy-models-of-superposition"},
            {"work": "paper:pmlr-v162-mitchell22a"},
        ),
    ),
    # authorship comes from the curated bibliography (data/bibliography/): golden files, plus rows
    # read off its records that any later curation keeps
    "works-by-author/by-name": Case(
        {"author": "Mor Geva"},  # the list's "Gor meva": one node with the bylines' Mor Geva
        golden=True,
        contains=(
            {
                "author": "author:mor-geva",
                "work": "paper:acl-2021.emnlp-main.446",
                "position": "1",
                "authors": "4",
            },
        ),
        excludes=({"position": "0"}, {"authors": "0"}),
    ),
    "works-by-author/by-iri": Case(
        {"author": "author:neel-nanda"},
        contains=(
            {
                "work": "paper:a-mathematical-framework-for-transformer-circuits",
                "position": "2",
                "authors": "25",
            },
        ),
    ),
    "prolific-authors-per-topic": Case(
        golden=True,
        contains=({"topicLabel": "Paper & Blog", "author": "author:neel-nanda"},),
        excludes=({"works": "1"}, {"works": "2"}),
    ),
    "prolific-authors-per-topic/min-1": Case({"min": "1"}, excludes=({"works": "0"},)),
    "co-author-pairs": Case(
        golden=True,
        contains=(
            {"author1": "author:atticus-geiger", "author2": "author:christopher-potts"},
            {"author1": "author:david-bau", "author2": "author:yonatan-belinkov"},
        ),
        excludes=({"works": "1"},),
    ),
    "authors-shared-between-topics": Case(
        golden=True,
        contains=({"author": "author:neel-nanda", "topicLabel": "Attention"},),
        excludes=({"topics": "1"}, {"topics": "2"}),
    ),
    "works-without-wikidata-link": Case(
        count=209,  # no work has a schema:sameAs link yet
        contains=(
            {"work": "paper:arxiv-2404.03592", "kind": "ikg:Paper", "arxivId": "2404.03592", "doi": ""},
            {"work": "paper:arxiv-2309.01029", "arxivId": "2309.01029", "doi": "10.1145/3639372"},
            {"work": "tool:github-stanfordnlp-pyreft", "kind": "ikg:Tool", "title": "pyreft"},
        ),
    ),
    "venue-mix-per-section": Case(
        golden=True,
        count=41,
        contains=(
            {"label": "Survey", "kind": "preprint", "works": "4"},
            {"label": "Paper & Blog", "kind": "none", "works": "1"},  # the sae_vis tool
            {"label": "Video", "kind": "none", "works": "4"},
        ),
    ),
    "listings-of-work/title": Case(
        {"work": GROKKING},
        golden=True,
        count=2,
        contains=({"line": "174"}, {"line": "275"}),
    ),
    "listings-of-work/prefixed-name": Case(
        {"work": "paper:arxiv-2404.03592"},
        count=1,
        contains=({"line": "322", "topic": f"{T}application", "topicLabel": "Application"},),
    ),
    "sub-entries": Case(
        golden=True,
        count=2,
        contains=(
            {"parent": "paper:openreview-Ebt7JgMHv1", "work": "paper:arxiv-2401.12631", "line": "104"},
            {"parent": "tool:github-callummcdougall-sae_vis", "line": "131"},
        ),
    ),
    "shared-links": Case(
        golden=True,
        count=1,  # the two Neel Nanda tutorials, both linked to /getting-started
        contains=(
            {
                "work1": "tutorial:concrete-steps-to-get-started-in-transformer-mechanistic-interpretability",
                "work2": "tutorial:mechanistic-interpretability-quickstart-guide",
            },
        ),
    ),
    "recent-works/default": Case(
        count=91,
        contains=({"since": "2024", "year": "2024", "work": "paper:arxiv-2309.01029"},),
        excludes=({"year": "2023"},),
    ),
    "recent-works/2021": Case({"since": "2021"}, count=188, excludes=({"year": "2020"},)),
    "recent-works/future": Case({"since": "2025"}, rows=()),
    "works-with-notes": Case(
        # the 10 nested remarks of the list (the alias "(ROME)" is an alias, not a note)
        count=10,
        contains=(
            {"work": "paper:acl-2023.emnlp-main.609", "note": "EMNLP 2023 best paper"},
            {
                "work": "paper:openreview-aN4Jf6Cx69",
                "note": "Highest scores at ICLR 2024: 10, 10, 8, 8. And by one author only!",
            },
            {
                "work": "tool:github-stanfordnlp-pyvene",
                "note": "Supports customizable interventions on a range of different PyTorch modules",
            },
        ),
    ),
}


@pytest.fixture(scope="module")
def backend(bundled_store_dir: Path) -> LocalBackend:
    return LocalBackend(open_store(bundled_store_dir))


def query_name(case_id: str) -> str:
    return case_id.split("/", 1)[0]


def run(backend: LocalBackend, saved: SavedQuery, params: Mapping[str, str]) -> Result:
    bindings = bind(saved, params, backend, 30)
    return backend.execute(with_limit(saved.text, None), bindings, saved.form, 30)


def shown(result: Result) -> list[Row]:
    return [tuple(show(term) for term in row) for row in result.rows]


def tsv(variables: tuple[str, ...], rows: list[Row]) -> str:
    def cell(text: str) -> str:
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")

    return "".join("\t".join(cell(c) for c in row) + "\n" for row in [variables, *rows])


def matches(row: Mapping[str, str], pattern: Mapping[str, str]) -> bool:
    return all(row[column] == value for column, value in pattern.items())


# -- the catalogue's answers --------------------------------------------------------------------


def test_every_saved_query_has_a_case() -> None:
    assert {query_name(c) for c in CASES} == set(CATALOGUE)


def test_the_catalogue_has_at_least_fifteen_queries() -> None:
    """The issue's floor: a catalogue of at least 15 research questions."""
    assert len(CATALOGUE) >= 15


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_saved_query_gives_the_expected_answer(backend: LocalBackend, case_id: str) -> None:
    case = CASES[case_id]
    result = run(backend, CATALOGUE[query_name(case_id)], case.params)
    rows = shown(result)
    named = [dict(zip(result.variables, row, strict=True)) for row in rows]
    if case.rows is not None:
        assert rows == list(case.rows)
    if case.golden:
        path = GOLDEN / f"{case_id.replace('/', '--')}.tsv"
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(tsv(result.variables, rows), encoding="utf-8", newline="\n")
        assert path.exists(), f"missing golden file {path}: run with INTERP_KG_UPDATE_GOLDEN=1"
        assert tsv(result.variables, rows) == path.read_text("utf-8"), f"{case_id} differs from {path.name}"
    if case.count is not None:
        assert len(rows) == case.count
    for pattern in case.contains:
        assert any(matches(row, pattern) for row in named), f"no row with {pattern}"
    for pattern in case.excludes:
        assert not any(matches(row, pattern) for row in named), f"a row with {pattern}"


def test_every_golden_file_belongs_to_a_case() -> None:
    cases = {f"{c.replace('/', '--')}.tsv" for c, case in CASES.items() if case.golden}
    assert {p.name for p in GOLDEN.glob("*.tsv")} <= cases


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_saved_query_gives_no_duplicate_rows(backend: LocalBackend, case_id: str) -> None:
    rows = shown(run(backend, CATALOGUE[query_name(case_id)], CASES[case_id].params))
    assert len(set(rows)) == len(rows)


# -- what every saved query must be ---------------------------------------------------------------

#: SPARQL 1.1 built-in functions and aggregates, and the keywords a '(' may follow.
_SPARQL11_WORDS = """
    STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE RAND ABS CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE
    ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS
    TIMEZONE TZ NOW UUID STRUUID MD5 SHA1 SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT SAMETERM ISIRI
    ISURI ISBLANK ISLITERAL ISNUMERIC REGEX SUBSTR REPLACE
    COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT
    SELECT FILTER BIND HAVING BY ASC DESC IN VALUES WHERE
"""
SPARQL11_CALLS = frozenset(_SPARQL11_WORDS.split())
#: the XSD casts of SPARQL 1.1 (section 17.5)
XSD_CASTS = frozenset(
    f"{PREFIXES['xsd']}{t}"
    for t in ("boolean", "double", "float", "decimal", "integer", "dateTime", "string")
)
_TOKENS = re.compile(r'<[^<>\s]*>|#[^\n]*|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
_IRI = re.compile(r"<([^<>\s]*)>")
_PREFIX_DECL = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


def code_of(text: str) -> str:
    """The query text without comments and string literals (IRIs kept)."""
    return _TOKENS.sub(lambda m: m.group(0) if m.group(0).startswith("<") else " ", text)


def function_calls(text: str) -> tuple[set[str], set[str]]:
    """The function IRIs (expanded) and the bare names called with '(' in ``text``."""
    code = code_of(text)
    declared = {p or "": ns for p, ns in _PREFIX_DECL.findall(code)}
    iris = set(re.findall(r"<([^<>\s]*)>\s*\(", code))
    for prefix, local in re.findall(r"(?<![\w?$])([A-Za-z][\w-]*)?:([\w.-]*)\s*\(", _IRI.sub(" ", code)):
        iris.add(declared.get(prefix or "", f"{prefix}:") + local)
    bare = {m.upper() for m in re.findall(r"(?<![\w?$:])([A-Za-z_]+)\s*\(", _IRI.sub(" ", code))}
    return iris, bare


def top_level_where(text: str) -> str:
    """The top-level WHERE group of a query, without its sub-SELECTs (comments and strings blanked)."""
    code = _IRI.sub("<>", code_of(text))
    start = re.search(r"\bWHERE\s*\{", code, re.IGNORECASE)
    assert start is not None, "no WHERE group"
    out: list[str] = []
    depth, skip_from = 0, None
    stack: list[bool] = []  # per open brace: does it open a sub-SELECT?
    i = start.end() - 1
    while i < len(code):
        ch = code[i]
        if ch == "{":
            is_select = bool(re.match(r"\{\s*SELECT\b", code[i:], re.IGNORECASE))
            stack.append(is_select)
            if is_select and skip_from is None:
                skip_from = len(stack)
            depth += 1
        elif ch == "}":
            depth -= 1
            if skip_from == len(stack):
                skip_from = None
                stack.pop()
                i += 1
                continue
            stack.pop()
            if depth == 0:
                break
        if skip_from is None:
            out.append(ch)
        i += 1
    return "".join(out)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_parses_as_sparql_1_1(name: str) -> None:
    prepareQuery(CATALOGUE[name].text)


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_calls_no_extension_function(name: str) -> None:
    iris, bare = function_calls(CATALOGUE[name].text)
    assert iris <= XSD_CASTS, f"extension function(s): {sorted(iris - XSD_CASTS)}"
    assert bare <= SPARQL11_CALLS, f"not SPARQL 1.1: {sorted(bare - SPARQL11_CALLS)}"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_avoids_describe_and_bare_group_concat(name: str) -> None:
    saved = CATALOGUE[name]
    assert saved.form != "describe"
    for call in re.findall(r"GROUP_CONCAT\s*\((.*?)\)", code_of(saved.text), re.IGNORECASE | re.DOTALL):
        assert re.search(r"\bSEPARATOR\b", call, re.IGNORECASE), "GROUP_CONCAT without SEPARATOR"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_declares_the_project_prefixes(name: str) -> None:
    declared = _PREFIX_DECL.findall(code_of(CATALOGUE[name].text))
    assert declared, "no PREFIX declarations"
    assert all(PREFIXES.get(prefix) == ns for prefix, ns in declared), declared


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_has_a_title_and_a_description(name: str) -> None:
    saved = CATALOGUE[name]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert saved.title.strip() and saved.description.strip()
    assert saved.form == "select"


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_saved_query_is_ordered(name: str) -> None:
    tail = code_of(CATALOGUE[name].text).rsplit("}", 1)[1]
    assert re.search(r"\bORDER\s+BY\b", tail, re.IGNORECASE), "no top-level ORDER BY"


WITH_PARAMS = sorted(n for n, q in CATALOGUE.items() if q.params)


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_saved_query_projects_its_parameters(name: str) -> None:
    saved = CATALOGUE[name]
    projected = {str(v) for v in prepareQuery(saved.text).algebra["PV"]}
    assert {p.name for p in saved.params} <= projected


@pytest.mark.parametrize("name", WITH_PARAMS)
def test_saved_query_uses_its_parameters_in_the_top_level_group(name: str) -> None:
    saved = CATALOGUE[name]
    group = top_level_where(saved.text)
    for p in saved.params:
        assert re.search(rf"[?$]{p.name}\b", group), f"?{p.name} is not used in the top-level WHERE group"


# -- parameters are data, and bad ones are refused ----------------------------------------------

NASTY = (
    '") } UNION { ?s ?p ?o } #',
    '"""',
    "'''",
    "\\",
    '\\"',
    "two\nlines",
    "} ; DROP ALL ; {",
    "{ ?s ?p ?o }",
    "?title",
    "<http://example.org/x>",
    "'",
    "%22",
)


@pytest.fixture
def tiny_store() -> pyoxigraph.Store:
    """Works titled with each nasty value inside other text, and decoys that match other readings."""
    store = pyoxigraph.Store()
    titles = [f"Before {value} after" for value in NASTY]
    titles += ["Plain title", "UNION of things", "Other: ?s ?p ?o", "Back\\slash"]
    label = pyoxigraph.NamedNode(PREFIXES["rdfs"] + "label")
    a = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
    work = pyoxigraph.NamedNode(IKG + "Work")
    nodes = [
        pyoxigraph.NamedNode(f"https://w3id.org/interp-kg/id/paper/t{i:02d}") for i in range(len(titles))
    ]
    for node, title in zip(nodes, titles, strict=True):
        store.add(pyoxigraph.Quad(node, a, work))
        store.add(pyoxigraph.Quad(node, label, pyoxigraph.Literal(title)))
    # the sort key a build writes (graph.GraphWriter.title_order): lower-cased title, then IRI
    order = pyoxigraph.NamedNode(IKG + "titleOrder")
    ranked = sorted(zip(titles, nodes, strict=True), key=lambda tn: (tn[0].lower(), tn[1].value))
    for place, (_title, node) in enumerate(ranked, 1):
        store.add(
            pyoxigraph.Quad(
                node, order, pyoxigraph.Literal(str(place), datatype=pyoxigraph.NamedNode(XSD_INTEGER))
            )
        )
    return store


def expected_titles(store: pyoxigraph.Store, keyword: str) -> list[str]:
    label = PREFIXES["rdfs"] + "label"
    found = [(q.object.value, q.subject.value) for q in store if q.predicate.value == label]
    return [t for t, _ in sorted(found, key=lambda f: (f[0].lower(), f[1])) if keyword.lower() in t.lower()]


@pytest.mark.parametrize("keyword", NASTY)
def test_string_parameter_matches_literally(tiny_store: pyoxigraph.Store, keyword: str) -> None:
    size = len(tiny_store)
    result = run(LocalBackend(tiny_store), CATALOGUE["search-titles"], {"keyword": keyword})
    assert [row[2].value for row in result.rows] == expected_titles(tiny_store, keyword)
    assert {row[0].value for row in result.rows} == {keyword}
    assert len(tiny_store) == size


@pytest.mark.parametrize("keyword", NASTY)
def test_string_parameter_matches_literally_in_a_values_block(
    tiny_store: pyoxigraph.Store, keyword: str
) -> None:
    saved = CATALOGUE["search-titles"]
    bindings = bind(saved, {"keyword": keyword}, LocalBackend(tiny_store), 30)
    text = inject_values(saved.text, values_block(dict(bindings)))
    titles = [s["title"].value for s in tiny_store.query(text)]  # type: ignore[index,union-attr]
    assert titles == expected_titles(tiny_store, keyword)


def test_string_parameter_is_not_query_text(backend: LocalBackend) -> None:
    result = run(backend, CATALOGUE["search-titles"], {"keyword": '") || true || ("'})
    assert result.rows == ()


BAD_PARAMS = {
    "ill-typed integer": ("recent-works", {"since": "abc"}, r"since: 'abc' is not an integer"),
    "unknown name": ("search-titles", {"keyword": "x", "topic": "Survey"}, r"unknown parameter\(s\) topic"),
    "missing required": ("search-titles", {}, r"parameter keyword \(string\) is required"),
    "label matching nothing": (
        "works-in-topic",
        {"topic": "No Such Topic"},
        r"no topic labelled 'No Such Topic'",
    ),
    "label matching five topics": (
        "works-in-topic",
        {"topic": "General"},
        r"5 topics are labelled 'General'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PARAMS))
def test_bad_parameter_is_refused_with_a_clear_message(backend: LocalBackend, case: str) -> None:
    name, params, message = BAD_PARAMS[case]
    with pytest.raises(QueryError, match=message):
        run(backend, CATALOGUE[name], params)
