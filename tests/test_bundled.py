"""The bundled list end to end: every bullet accounted for, the graph valid and declared."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import rdflib

from interp_kg.catalog.works import build_catalog
from interp_kg.checks.validate import validate_store
from interp_kg.curation.aliases import default_aliases
from interp_kg.curation.bibliography import load
from interp_kg.rdf import vocab
from interp_kg.rdf.prefixes import IKG, sparql_header
from interp_kg.source.parse import parse_file
from interp_kg.store.build import BuildResult
from interp_kg.store.builds import open_store
from tests.conftest import BUNDLED, REPO, SEED

BULLET = re.compile(r"^\s*(?:[*+-]|\d+[.)])(?:\s|$)")


def test_bundled_list_is_the_seed_byte_for_byte() -> None:
    if SEED.exists():
        assert BUNDLED.read_bytes() == SEED.read_bytes()
    assert "ðŸŒŸ".encode() in BUNDLED.read_bytes(), "the bundled list keeps its original (mis-decoded) bytes"


def test_every_bullet_is_an_entry_a_note_or_a_diagnostic() -> None:
    parsed = parse_file(BUNDLED)
    bullet_lines = {
        i for i, line in enumerate(BUNDLED.read_text("utf-8").split("\n"), 1) if BULLET.match(line)
    }
    entry_lines = {e.line for e in parsed.entries}
    diag_lines = {
        d.line
        for d in parsed.diagnostics
        if d.code in ("toc-line", "link-only", "image-line", "no-title", "orphan-note")
    }
    assert parsed.bullets == len(bullet_lines) == 236
    assert len(parsed.entries) + parsed.notes + len(diag_lines) == parsed.bullets
    assert entry_lines | diag_lines <= bullet_lines
    note_lines = bullet_lines - entry_lines - diag_lines
    assert len(note_lines) == parsed.notes == 10


def test_bundled_summary(bundled_build: BuildResult) -> None:
    info = bundled_build.info
    assert (info.bullets, info.entries, info.notes) == (236, 226, 10)
    assert info.works == {"paper": 191, "tool": 9, "tutorial": 5, "video": 4}
    # the 5 people of "By Source" (one also in bylines) and every author of the records of its works
    aliases = default_aliases()
    bib = load(REPO / "data" / "bibliography")
    works = build_catalog([parse_file(BUNDLED)]).works
    records = {located.record.key: located.record for w in works if (located := bib.for_work(w))}
    people = {aliases.slug(n) for r in records.values() for n in r.authors or ()}
    listed = {
        aliases.slug(n)
        for n in ("Neel Nanda", "Gor meva", "David Bau", "Jacob Steinhardt", "Yonatan Belinkov")
    }
    assert listed <= people
    assert (info.topics, info.authors) == (45, len(people | listed))
    assert info.warnings == 2  # the two malformed links, repaired


def test_bundled_graph_validates_clean(bundled_store_dir: Path) -> None:
    report = validate_store(open_store(bundled_store_dir))
    assert report.conforms, report.text


def test_every_emitted_predicate_and_class_is_declared_in_the_ontology(bundled_store_dir: Path) -> None:
    ontology = rdflib.Graph().parse(REPO / "ontology" / "interp-kg.ttl")
    declared = {str(s) for s in ontology.subjects(rdflib.RDF.type, None)}
    store = open_store(bundled_store_dir)
    used = {str(r["p"].value) for r in store.query("SELECT DISTINCT ?p { ?s ?p ?o }")}  # type: ignore[union-attr,index]
    used |= {str(r["c"].value) for r in store.query("SELECT DISTINCT ?c { ?s a ?c }")}  # type: ignore[union-attr,index]
    ours = {u for u in used if u.startswith(IKG)}
    assert ours and ours <= declared, sorted(ours - declared)
    known_external = {v for k, v in vars(vocab).items() if k.isupper() and isinstance(v, str)}
    assert used - ours <= known_external, sorted(used - ours - known_external)


def test_bundled_facts(bundled_store_dir: Path) -> None:
    store = open_store(bundled_store_dir)
    ask = lambda q: bool(store.query(sparql_header() + "ASK {" + q + "}"))  # noqa: E731
    assert ask("paper:arxiv-2302.12461 ikg:year 2023 ; ikg:venue venue:arxiv")
    assert ask("paper:arxiv-2404.03592 ikg:software tool:github-stanfordnlp-pyreft")
    assert ask(
        "paper:arxiv-2305.13417 ikg:codeRepository "
        "<https://github.com/shacharKZ/Visualizing-the-Information-Flow-of-GPT>"
    )
    assert ask("?w ikg:alias 'ROME' ; ikg:venue venue:neurips ; ikg:year 2022")
    assert ask(
        "?w ikg:aclAnthologyId '2023.findings-acl.895' ; ikg:venue venue:acl ; ikg:presentation 'findings'"
    )
    assert ask(
        "?w ikg:openReviewId 'aN4Jf6Cx69' ; ikg:presentation 'oral' ; ikg:featured true ; "
        "ikg:note ?n FILTER(CONTAINS(?n, 'Highest scores'))"
    )
    assert not ask("?w ikg:featured false")
    titles = [
        str(r["t"].value)
        for r in store.query(  # type: ignore[union-attr,index]
            sparql_header() + "SELECT ?t { ?w a ikg:Work ; rdfs:label ?t }"
        )
    ]
    assert not [t for t in titles if "ðŸ" in t or "â€" in t or "**" in t or "🌟" in t]
    assert isinstance(store, pyoxigraph.Store)


def test_tutorial_and_channel_owners_are_the_same_people_as_the_listed_researchers(
    bundled_store_dir: Path,
) -> None:
    # data/bibliography/part-3.jsonl: owners the list's own lines name; "By Source" names
    # Neel Nanda with his Google Scholar profile, and his papers' bylines name him too
    q = sparql_header() + (
        "SELECT ?work ?sid WHERE { VALUES ?person { <https://w3id.org/interp-kg/id/author/neel-nanda> } "
        "?work ikg:author ?person . ?person ikg:googleScholarId ?sid } ORDER BY ?work"
    )
    rows = [
        (str(r["work"].value).rsplit("/id/", 1)[1], r["sid"].value)
        for r in open_store(bundled_store_dir).query(q)
    ]  # type: ignore[index,union-attr]
    works = {w for w, _ in rows}
    assert {
        "tutorial/lesswrong-sequence-yivyHaCAmMJ3CqSyj",
        "video/youtube-channel-neelnanda2469",
        "video/youtube-FnNTbqSG8w4",
    } <= works
    assert any(w.startswith("paper/") for w in works), "and the same node is a paper author"
    assert {sid for _, sid in rows} == {"GLnX3MkAAAAJ"}
