"""The published ontology (ontology/interp-kg.ttl) and SHACL shapes (ontology/shapes.ttl).

Checks that they parse, that they and :mod:`interp_kg.rdf.vocab` declare the same ``ikg:`` terms, that
their ``@prefix`` lines agree with :data:`interp_kg.rdf.prefixes.PREFIXES`, and that the shapes accept
a small valid graph and catch the defects they are meant to catch.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SH

from interp_kg.rdf import vocab
from interp_kg.rdf.prefixes import IKG, PREFIXES, turtle_header

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_FILE = ROOT / "ontology" / "interp-kg.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
ONTOLOGY_IRI = URIRef("https://w3id.org/interp-kg/ontology")

ikg = Namespace(IKG)
ID = Namespace(PREFIXES["id"])

DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)

#: every ikg: term in vocab.py: constant name -> IRI (``vocab.IKG``, the namespace itself, is no term)
VOCAB_TERMS: dict[str, URIRef] = {
    name: URIRef(value)
    for name, value in vars(vocab).items()
    if not name.startswith("_") and isinstance(value, str) and value.startswith(IKG) and value != IKG
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def _ikg_terms(graph: Graph) -> set[URIRef]:
    terms = set()
    for triple in graph:
        for node in triple:
            if isinstance(node, URIRef) and str(node).startswith(IKG):
                terms.add(node)
    return terms


# -- parsing and header -----------------------------------------------------------------------


def test_both_files_parse(ontology: Graph, shapes: Graph) -> None:
    assert len(ontology) > 0, f"{ONTOLOGY_FILE} parsed to an empty graph"
    assert len(shapes) > 0, f"{SHAPES_FILE} parsed to an empty graph"


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology, f"<{ONTOLOGY_IRI}> must be an owl:Ontology"
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    dcterms = Namespace(PREFIXES["dcterms"])
    vann = Namespace(PREFIXES["vann"])
    assert ontology.value(ONTOLOGY_IRI, dcterms.title) is not None
    assert ontology.value(ONTOLOGY_IRI, dcterms.description) is not None
    assert ontology.value(ONTOLOGY_IRI, dcterms.license) == URIRef(
        "https://creativecommons.org/publicdomain/zero/1.0/"
    )
    assert ontology.value(ONTOLOGY_IRI, vann.preferredNamespacePrefix) == Literal("ikg")
    assert ontology.value(ONTOLOGY_IRI, vann.preferredNamespaceUri) == Literal(IKG)


# -- ontology <-> vocab.py --------------------------------------------------------------------


def test_vocab_has_ikg_terms() -> None:
    # guards the discovery below: an empty VOCAB_TERMS would make the declaration tests vacuous
    assert len(VOCAB_TERMS) >= 30
    assert URIRef(vocab.WORK) in VOCAB_TERMS.values()


@pytest.mark.parametrize("name", sorted(VOCAB_TERMS))
def test_vocab_term_declared(ontology: Graph, name: str) -> None:
    term = VOCAB_TERMS[name]
    local = term[len(IKG) :]
    fix = f"declare ikg:{local} in ontology/interp-kg.ttl with rdfs:label and rdfs:comment"
    types = set(ontology.objects(term, RDF.type))
    assert types & set(DECLARATION_TYPES), (
        f"vocab.{name} (ikg:{local}) is not declared as owl:Class, owl:ObjectProperty, "
        f"owl:DatatypeProperty or owl:AnnotationProperty: {fix}"
    )
    labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
    assert len(labels) == 1, f"ikg:{local} needs exactly one English rdfs:label, has {len(labels)}: {fix}"
    comments = list(ontology.objects(term, RDFS.comment))
    assert len(comments) == 1, f"ikg:{local} needs exactly one rdfs:comment, has {len(comments)}: {fix}"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in ontology, (
        f"ikg:{local} needs rdfs:isDefinedBy <{ONTOLOGY_IRI}> in ontology/interp-kg.ttl"
    )


def test_ontology_declares_only_vocab_terms(ontology: Graph) -> None:
    unknown = _ikg_terms(ontology) - set(VOCAB_TERMS.values())
    assert not unknown, (
        f"ontology/interp-kg.ttl uses ikg: terms that src/interp_kg/rdf/vocab.py does not define: "
        f"{sorted(unknown)}; add them to vocab.py or remove them from the ontology"
    )


def test_shapes_use_only_vocab_terms(shapes: Graph) -> None:
    unknown = {t for t in _ikg_terms(shapes) if not str(t).endswith("Shape")} - set(VOCAB_TERMS.values())
    assert not unknown, (
        f"ontology/shapes.ttl uses ikg: terms that src/interp_kg/rdf/vocab.py does not define: "
        f"{sorted(unknown)}"
    )


def test_every_ontology_class_and_property_is_in_vocab(ontology: Graph) -> None:
    declared = {s for t in DECLARATION_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)}
    assert declared == set(VOCAB_TERMS.values()), (
        f"declared but not in vocab.py: {sorted(declared - set(VOCAB_TERMS.values()))}; "
        f"in vocab.py but not declared: {sorted(set(VOCAB_TERMS.values()) - declared)}"
    )


# -- prefixes ---------------------------------------------------------------------------------

PREFIX_LINE = re.compile(r"^@prefix\s+([A-Za-z][\w\-]*)?:\s*<([^>]*)>\s*\.\s*$")


@pytest.mark.parametrize("path", [ONTOLOGY_FILE, SHAPES_FILE], ids=lambda p: p.name)
def test_prefixes_agree_with_prefix_map(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    declared: dict[str, str] = {}
    body_lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(r"(?i)^(@prefix|prefix|@base|base)\b", stripped):
            match = PREFIX_LINE.match(stripped)
            assert match, f"{path.name}: write prefixes as '@prefix x: <...> .' (no @base), not: {line!r}"
            prefix, namespace = match.group(1) or "", match.group(2)
            assert prefix not in declared, f"{path.name}: prefix {prefix!r} declared twice"
            declared[prefix] = namespace
        elif not stripped.startswith("#"):
            body_lines.append(line)
    body = "\n".join(body_lines)
    for prefix, namespace in declared.items():
        assert prefix in PREFIXES, f"{path.name}: prefix {prefix!r} is not in interp_kg.rdf.prefixes.PREFIXES"
        assert namespace == PREFIXES[prefix], (
            f"{path.name}: prefix {prefix!r} is <{namespace}>, PREFIXES has <{PREFIXES[prefix]}>"
        )
        assert re.search(rf"(?<![\w\-./]){re.escape(prefix)}:", body), (
            f"{path.name}: prefix {prefix!r} is declared but not used; remove it"
        )
    # the converse (every prefix used is declared) holds because the file parses


# -- the shapes themselves --------------------------------------------------------------------


def test_every_shape_explains_itself(shapes: Graph) -> None:
    node_shapes = set(shapes.subjects(RDF.type, SH.NodeShape))
    assert node_shapes, "ontology/shapes.ttl declares no sh:NodeShape"
    for shape in node_shapes:
        assert str(shape).startswith(IKG) and str(shape).endswith("Shape"), (
            f"{shape}: name shapes ikg:...Shape"
        )
        assert shapes.value(shape, SH.message) is not None, f"{shape} needs an sh:message"
        assert any(shapes.objects(shape, SH.targetClass)) or any(shapes.objects(shape, SH.targetSubjectsOf))
        for prop in shapes.objects(shape, SH.property):
            path = shapes.value(prop, SH.path)
            assert shapes.value(prop, SH.name) is not None, f"{shape} / {path}: property shape needs sh:name"
            assert shapes.value(prop, SH.message) is not None, (
                f"{shape} / {path}: property shape needs sh:message"
            )


def test_shape_targets_are_declared_classes(ontology: Graph, shapes: Graph) -> None:
    for target in shapes.objects(None, SH.targetClass):
        if str(target).startswith(IKG):
            assert (target, RDF.type, OWL.Class) in ontology, f"sh:targetClass {target} is not an owl:Class"


# -- validation -------------------------------------------------------------------------------

VALID = """
id:scheme a skos:ConceptScheme ;
    rdfs:label "Awesome-LLM-Interpretability" ;
    dcterms:source "awesome-llm-interpretability.md" .

id:topic-tools a ikg:Topic ;
    rdfs:label "Tools/Techniques/Methods" ;
    skos:prefLabel "Tools/Techniques/Methods" ;
    skos:inScheme id:scheme ;
    ikg:listOrder 1 ;
    skos:topConceptOf id:scheme .

id:topic-embedding-projection a ikg:Topic ;
    rdfs:label "Embedding Projection" ;
    skos:prefLabel "Embedding Projection" ;
    skos:broader id:topic-tools ;
    ikg:listOrder 2 ;
    skos:inScheme id:scheme .

id:venue-acl a ikg:Venue ;
    rdfs:label "ACL" ;
    ikg:venueKind "conference" ;
    ikg:peerReviewed true .

id:venue-arxiv a ikg:Venue ;
    rdfs:label "arXiv" ;
    ikg:venueKind "preprint" ;
    ikg:peerReviewed false .

id:listing-87 a ikg:Listing ;
    rdfs:label "awesome-llm-interpretability.md line 87" ;
    ikg:sourceFile "awesome-llm-interpretability.md" ;
    ikg:line 87 ;
    ikg:sourceText "* **Analyzing Transformers in Embedding Space** [[ACL 2023]](...)" ;
    ikg:topic id:topic-embedding-projection .

id:listing-30 a ikg:Listing ;
    ikg:sourceFile "awesome-llm-interpretability.md" ;
    ikg:line 30 ;
    ikg:topic id:topic-tools .

id:listing-56 a ikg:Listing ;
    ikg:sourceFile "awesome-llm-interpretability.md" ;
    ikg:line 56 .

id:listing-68 a ikg:Listing ;
    ikg:sourceFile "awesome-llm-interpretability.md" ;
    ikg:line 68 .

id:paper a ikg:Paper ;
    rdfs:label "Analyzing Transformers in Embedding Space" ;
    ikg:alias "embedding-space analysis" ;
    ikg:year 2023 ;
    ikg:venue id:venue-acl ;
    ikg:presentation "oral" ;
    ikg:featured true ;
    ikg:topic id:topic-embedding-projection ;
    ikg:url <https://aclanthology.org/2023.acl-long.893> ;
    ikg:aclAnthologyId "2023.acl-long.893" ;
    ikg:arxivId "2209.02535" ;
    ikg:doi "10.18653/v1/2023.acl-long.893" ;
    ikg:openReviewId "6t0Kwf8-jrj" ;
    ikg:pmlrId "v162/mitchell22a" ;
    ikg:neuripsId "2023/34e1dbe95d34d7ebaf99b9bcaeb5b2be" ;
    ikg:ieeeXploreId "10136140" ;
    ikg:lessWrongPostId "AcKRB8wDpdaN6v6ru" ;
    ikg:software id:tool ;
    ikg:codeRepository <https://github.com/stanfordnlp/pyreft> ;
    ikg:listing id:listing-87 .

id:reply a ikg:Paper ;
    rdfs:label "A Reply" ;
    ikg:arxivId "hep-th/9901001" ;
    ikg:aclAnthologyId "P19-1001" ;
    ikg:subEntryOf id:paper ;
    ikg:note "EMNLP 2023 best paper" ;
    ikg:listing id:listing-87 .

id:tool a ikg:Tool ;
    rdfs:label "pyreft" ;
    ikg:githubRepository "stanfordnlp/pyreft" ;
    ikg:codeRepository <https://github.com/stanfordnlp/pyreft> ;
    ikg:url <https://github.com/stanfordnlp/pyreft> ;
    ikg:note "A Powerful, Parameter-Efficient, and Interpretable way of fine-tuning" ;
    ikg:topic id:topic-tools ;
    ikg:listing id:listing-30 .

id:tutorial a ikg:Tutorial ;
    rdfs:label "200 Concrete Open Problems in Mechanistic Interpretability" ;
    ikg:lessWrongSequenceId "yivyHaCAmMJ3CqSyj" ;
    ikg:listing id:listing-30 .

id:video a ikg:Video ;
    rdfs:label "Chris Olah - Looking Inside Neural Networks" ;
    ikg:youtubeVideoId "2Rdp9GvcYOE" ;
    ikg:listing id:listing-56 .

id:channel a ikg:Video ;
    rdfs:label "Neel Nanda's Channel" ;
    ikg:youtubeChannel "@neelnanda2469" ;
    ikg:listing id:listing-56 .

id:neel-nanda a ikg:Author ;
    rdfs:label "Neel Nanda" ;
    ikg:googleScholarId "GLnX3MkAAAAJ" ;
    ikg:url <https://www.neelnanda.io/> ;
    ikg:listing id:listing-68 .
"""


def _graph(turtle: str) -> Graph:
    return Graph().parse(data=turtle_header() + turtle, format="turtle")


def _validate(ontology: Graph, shapes: Graph, turtle: str) -> tuple[bool, set[URIRef], str]:
    """Validate ``turtle`` (prefixes from PREFIXES) and return (conforms, violated paths, report)."""
    conforms, results, text = pyshacl.validate(
        _graph(turtle), shacl_graph=shapes, ont_graph=ontology, inference="none", allow_warnings=False
    )
    paths = {p for p in results.objects(None, SH.resultPath) if isinstance(p, URIRef)}
    return bool(conforms), paths, text


def _with(turtle: str, old: str, new: str) -> str:
    assert turtle.count(old) == 1, f"test data: {old!r} must occur exactly once"
    return turtle.replace(old, new)


def test_valid_graph_conforms(ontology: Graph, shapes: Graph) -> None:
    conforms, _, text = _validate(ontology, shapes, VALID)
    assert conforms, text


def test_work_shape_reaches_subclasses(ontology: Graph, shapes: Graph) -> None:
    # sh:targetClass ikg:Work must hit an ikg:Paper (via rdfs:subClassOf from the ontology)
    data = VALID + 'id:orphan a ikg:Paper ; rdfs:label "Not from any line" .\n'
    conforms, paths, text = _validate(ontology, shapes, data)
    assert not conforms
    assert URIRef(vocab.LISTING_P) in paths, text


def test_paper_with_two_labels(ontology: Graph, shapes: Graph) -> None:
    data = _with(
        VALID,
        'rdfs:label "Analyzing Transformers in Embedding Space" ;',
        'rdfs:label "Analyzing Transformers in Embedding Space" , "Analyzing Transformers" ;',
    )
    conforms, paths, text = _validate(ontology, shapes, data)
    assert not conforms
    assert paths == {RDFS.label}, text


def test_year_as_string(ontology: Graph, shapes: Graph) -> None:
    data = _with(VALID, "ikg:year 2023 ;", 'ikg:year "2023" ;')
    conforms, paths, text = _validate(ontology, shapes, data)
    assert not conforms
    assert paths == {URIRef(vocab.YEAR)}, text


def test_arxiv_id_with_version(ontology: Graph, shapes: Graph) -> None:
    data = _with(VALID, 'ikg:arxivId "2209.02535" ;', 'ikg:arxivId "2302.12461v2" ;')
    conforms, paths, text = _validate(ontology, shapes, data)
    assert not conforms
    assert paths == {URIRef(vocab.ARXIV_ID)}, text


def test_topic_without_pref_label(ontology: Graph, shapes: Graph) -> None:
    data = _with(VALID, '    skos:prefLabel "Embedding Projection" ;\n', "")
    conforms, paths, text = _validate(ontology, shapes, data)
    assert not conforms
    assert paths == {URIRef(vocab.PREF_LABEL)}, text


DEFECTS = [
    # (test id, text in VALID, replacement, the path that must be reported)
    ("doi-upper-case", '"10.18653/v1/2023.acl-long.893"', '"10.18653/V1/2023.ACL-LONG.893"', vocab.DOI),
    ("doi-as-url", '"10.18653/v1/2023.acl-long.893"', '"https://doi.org/10.18653/v1"', vocab.DOI),
    ("acl-id-with-pdf", '"2023.acl-long.893" ;', '"2023.acl-long.893.pdf" ;', vocab.ACL_ANTHOLOGY_ID),
    ("openreview-id-with-query", '"6t0Kwf8-jrj"', '"forum?id=6t0Kwf8-jrj"', vocab.OPENREVIEW_ID),
    ("github-repository-without-owner", '"stanfordnlp/pyreft" ;', '"stanfordnlp" ;', vocab.GITHUB_REPOSITORY),
    (
        "code-repository-as-string",
        "ikg:codeRepository <https://github.com/stanfordnlp/pyreft> ;\n    ikg:url",
        'ikg:codeRepository "https://github.com/stanfordnlp/pyreft" ;\n    ikg:url',
        vocab.CODE_REPOSITORY,
    ),
    (
        "url-as-string",
        "ikg:url <https://www.neelnanda.io/>",
        'ikg:url "https://www.neelnanda.io/"',
        vocab.URL,
    ),
    ("two-venues", "ikg:venue id:venue-acl ;", "ikg:venue id:venue-acl , id:venue-arxiv ;", vocab.VENUE_P),
    ("venue-not-a-venue", "ikg:venue id:venue-acl ;", "ikg:venue id:topic-tools ;", vocab.VENUE_P),
    ("year-out-of-range", "ikg:year 2023 ;", "ikg:year 23 ;", vocab.YEAR),
    ("featured-not-boolean", "ikg:featured true ;", 'ikg:featured "yes" ;', vocab.FEATURED),
    (
        "topic-not-a-topic",
        "ikg:topic id:topic-embedding-projection ;\n    ikg:url",
        "ikg:topic id:venue-acl ;\n    ikg:url",
        vocab.TOPIC_P,
    ),
    ("venue-kind-unknown", 'ikg:venueKind "conference"', 'ikg:venueKind "conf"', vocab.VENUE_KIND),
    ("peer-reviewed-not-boolean", "ikg:peerReviewed true", 'ikg:peerReviewed "true"', vocab.PEER_REVIEWED),
    (
        "two-broader-topics",
        "skos:broader id:topic-tools ;",
        "skos:broader id:topic-tools , id:scheme ;",
        vocab.BROADER,
    ),
    ("line-zero", "ikg:line 87 ;", "ikg:line 0 ;", vocab.LINE),
    ("listing-without-line", "    ikg:line 30 ;\n", "", vocab.LINE),
    (
        "listing-without-source-file",
        'ikg:sourceFile "awesome-llm-interpretability.md" ;\n    ikg:line 30',
        "ikg:line 30",
        vocab.SOURCE_FILE,
    ),
    ("scholar-id-with-query", '"GLnX3MkAAAAJ"', '"user=GLnX3MkAAAAJ"', vocab.GOOGLE_SCHOLAR_ID),
    ("youtube-video-id-with-query", '"2Rdp9GvcYOE"', '"watch?v=2Rdp9GvcYOE"', vocab.YOUTUBE_VIDEO_ID),
]


@pytest.mark.parametrize(("old", "new", "path"), [pytest.param(*d[1:], id=d[0]) for d in DEFECTS])
def test_defect_is_flagged(ontology: Graph, shapes: Graph, old: str, new: str, path: str) -> None:
    conforms, paths, text = _validate(ontology, shapes, _with(VALID, old, new))
    assert not conforms, f"{new!r} should be flagged"
    assert URIRef(path) in paths, text


def test_the_standard_terms_of_persistent_iris_are_declared_as_used() -> None:
    """owl:sameAs, dcterms:isReplacedBy and skos:historyNote are other vocabularies' terms: the
    ontology says how the graph uses them, and the shapes check a replaced IRI."""
    text = ONTOLOGY_FILE.read_text("utf-8")
    section = text[text.index("# Persistent IRIs") :]
    for term in ("owl:sameAs", "dcterms:isReplacedBy", "skos:historyNote", "skos:inScheme"):
        assert term in section, (
            f"say how the graph uses {term} in the Persistent IRIs section of {ONTOLOGY_FILE}"
        )
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    replaced = URIRef(IKG + "ReplacedShape")
    assert (replaced, SH.targetSubjectsOf, URIRef(vocab.IS_REPLACED_BY)) in shapes
    paths = {shapes.value(p, SH.path) for p in shapes.objects(replaced, SH.property)}
    assert paths == {URIRef(vocab.IS_REPLACED_BY), URIRef(vocab.OWL_SAME_AS)}
