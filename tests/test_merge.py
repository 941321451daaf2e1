"""Several lists in one store (issue 18.3, 18.5): one node per work, a concept scheme per list,
exports that do not depend on the order the lists are given in, and IRIs that outlive a build."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pyoxigraph
import pytest

from interp_kg.checks.lint import lint_sources
from interp_kg.rdf import vocab as v
from interp_kg.rdf.export import export
from interp_kg.store.build import build, registry_dir
from interp_kg.store.builds import open_graph, open_store
from tests.conftest import ID, write

# Two lists that share works and headings. "Circuits" is a heading of both; "Induction heads in
# context" is in both, written differently: only B's entry has an identifier.
LIST_A = """# Awesome Probing

## Circuits

* **Induction heads in context** [[blog]](https://example.org/induction-heads)
* **Progress measures for grokking** [[ICLR 2023]](https://openreview.net/forum?id=9XFSbDPmdW)

## Probing

* **Linear probes everywhere** [[arxiv 2401]](https://arxiv.org/abs/2401.00011)
"""
LIST_B = """# Awesome Circuits

## Circuits

* **Induction Heads in Context** [[arxiv]](https://arxiv.org/abs/2209.99995) [[blog]](https://example.org/induction-heads)
* **Progress measures for grokking via mechanistic interpretability** [[arxiv]](https://arxiv.org/abs/2301.05217)

## Tools

* **TransformerLens** [[github]](https://github.com/TransformerLensOrg/TransformerLens)
"""
EXPORTS = ("ntriples", "turtle", "jsonld", "nquads", "rdfxml")


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    return write(tmp_path / "awesome-probing.md", LIST_A), write(tmp_path / "awesome-circuits.md", LIST_B)


def _exports(store: Path) -> dict[str, bytes]:
    return {fmt: export(open_graph(store), fmt) for fmt in EXPORTS}


def _subjects(store: Path) -> set[str]:
    return {q.subject.value for q in open_store(store).quads_for_pattern(None, None, None)}  # type: ignore[union-attr]


def _papers(store: Path) -> set[str]:
    a, paper = pyoxigraph.NamedNode(v.TYPE), pyoxigraph.NamedNode(v.PAPER)
    return {q.subject.value for q in open_store(store).quads_for_pattern(None, a, paper)}  # type: ignore[union-attr]


def _objects(store: Path, s: str, p: str) -> list[str]:
    quads = open_store(store).quads_for_pattern(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), None)
    return sorted(q.object.value for q in quads)


def test_both_orders_give_byte_identical_exports(tmp_path: Path, lists: tuple[Path, Path]) -> None:
    a, b = lists
    build([a, b], tmp_path / "ab")
    build([b, a], tmp_path / "ba")
    assert _exports(tmp_path / "ab") == _exports(tmp_path / "ba")


def test_each_list_has_its_own_scheme_and_same_headings_stay_apart(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    store = tmp_path / "s"
    build(list(lists), store)
    a, b = ID + "topics/awesome-probing/circuits", ID + "topics/awesome-circuits/circuits"
    assert _objects(store, a, v.IN_SCHEME) == [ID + "topics/awesome-probing"]
    assert _objects(store, b, v.IN_SCHEME) == [ID + "topics/awesome-circuits"]
    assert _objects(store, ID + "topics/awesome-probing", v.LABEL) == ["Awesome Probing"]
    assert _objects(store, ID + "topics/awesome-circuits", v.TYPE) == [v.CONCEPT_SCHEME]


def test_a_work_in_two_lists_is_one_node_with_a_listing_in_each(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    store = tmp_path / "s"
    build(list(lists), store)
    induction = ID + "paper/arxiv-2209.99995"
    listings = _objects(store, induction, v.LISTING_P)
    assert listings == [ID + "listing/awesome-circuits/L5", ID + "listing/awesome-probing/L5"]
    assert _objects(store, listings[0], v.IN_LIST) == [ID + "listing/awesome-circuits"]
    assert _objects(store, listings[1], v.HEADING_PATH) == ["Circuits"]
    assert _objects(store, listings[1], v.TOPIC_P) == [ID + "topics/awesome-probing/circuits"]
    # the titles differ: the list whose entry carries an identifier (B) gives it
    assert _objects(store, induction, v.LABEL) == ["Induction Heads in Context"]
    assert _objects(store, ID + "listing/awesome-circuits", v.TYPE) == [v.SOURCE_LIST]


def test_the_curated_title_settles_a_dispute(tmp_path: Path) -> None:
    url = "https://arxiv.org/abs/2309.01029"
    a = write(tmp_path / "a.md", f"## S\n* **Explainability survey** [[arxiv]]({url})\n")
    b = write(tmp_path / "b.md", f"## S\n* **A survey of LLM explainability** [[arxiv]]({url})\n")
    store = tmp_path / "s"
    build([a, b], store)
    title = "Explainability for Large Language Models: A Survey"  # data/bibliography's record
    assert _objects(store, ID + "paper/arxiv-2309.01029", v.LABEL) == [title]


def test_a_sources_file_orders_the_lists_not_the_command_line(tmp_path: Path) -> None:
    a = write(tmp_path / "a.md", "## S\n* **Title in A** [[arxiv]](https://arxiv.org/abs/2401.99991)\n")
    b = write(tmp_path / "b.md", "## S\n* **Title in B** [[arxiv]](https://arxiv.org/abs/2401.99991)\n")
    from interp_kg.source.lists import load_sources_file, resolve

    def title(order: str) -> list[str]:
        sources = write(tmp_path / f"{order}.toml", "".join(f'[[list]]\nsource = "{x}.md"\n' for x in order))
        store = tmp_path / f"store-{order}"
        build(resolve(load_sources_file(sources)), store)
        (work,) = _papers(store)
        return _objects(store, work, v.LABEL)

    assert title("ab") == ["Title in A"] and title("ba") == ["Title in B"]
    build([b, a], tmp_path / "cli-ba")  # no sources file: by name, whatever the command line says
    build([a, b], tmp_path / "cli-ab")
    assert _exports(tmp_path / "cli-ab") == _exports(tmp_path / "cli-ba")


# -- IRIs that outlive a build ------------------------------------------------------------------


def test_every_iri_of_a_first_build_is_kept_when_a_list_is_added(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    a, b = lists
    store = tmp_path / "s"
    build([a], store)
    first = {s for s in _subjects(store) if s.startswith(ID)}
    build([a, b], store)
    second = _subjects(store)
    same_as = {
        q.subject.value
        for q in open_store(store).quads_for_pattern(None, pyoxigraph.NamedNode(v.OWL_SAME_AS), None)  # type: ignore[union-attr]
    }
    assert first <= second
    assert not first & same_as, "nothing of the first build was replaced: each stays a node of its own"
    # the work keyed by its OpenReview id keeps that IRI although B gives an arXiv id... no: B
    # names it under another title, so it is another work; the first build's IRI stands either way
    assert ID + "paper/openreview-9XFSbDPmdW" in second


def test_every_iri_of_a_bundled_build_is_kept_when_lists_are_added(
    tmp_path: Path, lists: tuple[Path, Path]
) -> None:
    from tests.conftest import BUNDLED

    store = tmp_path / "s"
    build([BUNDLED], store)
    first = {s for s in _subjects(store) if s.startswith(ID)}
    build([*lists, BUNDLED], store)
    assert first <= _subjects(store)


def test_an_identifier_found_later_does_not_re_key_a_work(tmp_path: Path) -> None:
    a = write(
        tmp_path / "a.md", "## S\n* **Toy paper** [[ICLR 2024]](https://openreview.net/forum?id=abcDEF123)\n"
    )
    b = write(tmp_path / "b.md", "## S\n* **Toy paper** [[arxiv]](https://arxiv.org/abs/2401.00001)\n")
    store = tmp_path / "s"
    build([a], store)
    build([a, b], store)
    work = ID + "paper/openreview-abcDEF123"
    assert _objects(store, work, v.ARXIV_ID) == ["2401.00001"]
    assert ID + "paper/arxiv-2401.00001" not in _subjects(store)
    # the same in a fresh store built from B alone, then A added: B's IRI stands
    fresh = tmp_path / "fresh"
    build([b], fresh)
    build([a, b], fresh)
    assert ID + "paper/arxiv-2401.00001" in _subjects(fresh)
    assert ID + "paper/openreview-abcDEF123" not in _subjects(fresh)


def test_two_works_found_to_be_one_keep_the_older_iri_and_the_other_resolves(tmp_path: Path) -> None:
    a = write(
        tmp_path / "a.md", "## S\n* **Paper One** [[ICLR 2024]](https://openreview.net/forum?id=abcDEF123)\n"
    )
    b = write(tmp_path / "b.md", "## S\n* **Paper 1, revised** [[arxiv]](https://arxiv.org/abs/2401.00001)\n")
    c = write(
        tmp_path / "c.md",
        "## S\n* **Paper One** [[openreview]](https://openreview.net/forum?id=abcDEF123) "
        "[[arxiv]](https://arxiv.org/abs/2401.00001)\n",
    )
    store = tmp_path / "s"
    build([a], store)
    build([a, b], store)
    older, newer = ID + "paper/openreview-abcDEF123", ID + "paper/arxiv-2401.00001"
    assert {older, newer} <= _subjects(store)
    build([a, b, c], store)
    assert _objects(store, newer, v.OWL_SAME_AS) == [older]
    assert _objects(store, newer, v.IS_REPLACED_BY) == [older]
    assert _objects(store, newer, v.TYPE) == []  # no node of its own
    assert len(_objects(store, older, v.LISTING_P)) == 3
    # and it stays so when the list that showed it is gone
    build([b], store)
    assert _objects(store, newer, v.OWL_SAME_AS) == [older]
    assert _objects(store, older, v.LABEL) == ["Paper 1, revised"]
    records = (registry_dir(store) / "works.jsonl").read_text("utf-8")
    assert '"replaced_by":"paper/openreview-abcDEF123"' in records


def test_a_title_correction_keeps_the_iri(tmp_path: Path) -> None:
    store = tmp_path / "s"
    build([write(tmp_path / "l.md", "## S\n* **Probing widgts** [[blog]](https://t.pub/widgets)\n")], store)
    revised = "## S\n* **Probing Widgets, Revised** [[blog]](https://t.pub/widgets)\n"
    build([write(tmp_path / "l.md", revised)], store)
    assert _objects(store, ID + "paper/probing-widgts", v.LABEL) == ["Probing Widgets, Revised"]


def test_a_renamed_or_moved_heading_keeps_its_topic_iri(tmp_path: Path) -> None:
    paper = "* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n"
    store = tmp_path / "s"
    build([write(tmp_path / "l.md", f"## Methods\n### Probing\n{paper}## Other\n")], store)
    probing = ID + "topics/l/methods/probing"
    build([write(tmp_path / "l.md", f"## Techniques\n### Probes\n{paper}## Other\n")], store)
    assert _objects(store, ID + "topics/l/methods", v.PREF_LABEL) == ["Techniques"]
    assert _objects(store, probing, v.PREF_LABEL) == ["Probes"]
    assert _objects(store, probing, v.HISTORY_NOTE) == [
        "Also listed under the heading path: Methods > Probing"
    ]
    build([write(tmp_path / "l.md", f"## Techniques\n## Other\n### Probes\n{paper}")], store)
    assert _objects(store, probing, v.BROADER) == [ID + "topics/l/other"]
    listing = _objects(store, ID + "paper/arxiv-2301.00001", v.LISTING_P)[0]
    assert _objects(store, listing, v.HEADING_PATH) == ["Other > Probes"]
    assert _objects(store, listing, v.TOPIC_P) == [probing]


def test_the_bundled_list_keeps_its_topics_and_a_list_of_its_own_is_apart(tmp_path: Path) -> None:
    from tests.conftest import BUNDLED

    mine = write(tmp_path / "mine.md", "## Survey\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n")
    store = tmp_path / "s"
    build([BUNDLED, mine], store)
    assert _objects(store, ID + "topic/survey", v.IN_SCHEME) == [ID + "scheme/topics"]
    assert _objects(store, ID + "topics/mine/survey", v.IN_SCHEME) == [ID + "topics/mine"]


# -- a URL that contradicts another list's identifier -----------------------------------------


def test_a_contradicting_url_merges_nothing_and_lint_says_so(tmp_path: Path) -> None:
    a = write(
        tmp_path / "a.md",
        "## S\n* **Work X** [[blog]](https://example.org/x)\n* **Work Y** [[arxiv]](https://arxiv.org/abs/2401.00002)\n",
    )
    b = write(tmp_path / "b.md", "## S\n* **Work X** [[arxiv]](https://arxiv.org/abs/2401.00002)\n")
    store = tmp_path / "s"
    build([a, b], store)
    assert _papers(store) == {ID + "paper/work-x", ID + "paper/arxiv-2401.00002"}
    assert _objects(store, ID + "paper/arxiv-2401.00002", v.LABEL) == ["Work Y"]
    found = [d for d in lint_sources([a, b]) if d.code == "contradicting-url"]
    assert [(d.file, d.line) for d in found] == [("b.md", 2)]
    assert "a.md:2" in found[0].message


def test_the_same_title_with_other_identifiers_is_two_works_and_a_warning(tmp_path: Path) -> None:
    a = write(tmp_path / "a.md", "## S\n* **Same Title** [[arxiv]](https://arxiv.org/abs/2401.00001)\n")
    b = write(tmp_path / "b.md", "## S\n* **Same Title** [[arxiv]](https://arxiv.org/abs/2401.00009)\n")
    store = tmp_path / "s"
    build([a, b], store)
    assert {ID + "paper/arxiv-2401.00001", ID + "paper/arxiv-2401.00009"} <= _subjects(store)
    (found,) = [d for d in lint_sources([a, b]) if d.code == "contradicting-url"]
    assert (found.file, found.line) == ("b.md", 2) and "arxiv:2401.00001" in found.message


def test_a_replaced_iri_redirects_in_the_site(tmp_path: Path) -> None:
    from interp_kg.site.build import build_site

    a = write(
        tmp_path / "a.md", "## S\n* **Paper One** [[ICLR 2024]](https://openreview.net/forum?id=abcDEF123)\n"
    )
    b = write(tmp_path / "b.md", "## S\n* **Paper 1, revised** [[arxiv]](https://arxiv.org/abs/2401.00001)\n")
    c = write(
        tmp_path / "c.md",
        "## S\n* **Paper One** [[openreview]](https://openreview.net/forum?id=abcDEF123) "
        "[[arxiv]](https://arxiv.org/abs/2401.00001)\n",
    )
    store = tmp_path / "s"
    build([a, b], store)
    build([a, b, c], store)
    site = tmp_path / "site"
    build_site(store, site, jobs=1)
    rules = (site / ".htaccess").read_text("utf-8").splitlines()
    rule = r"RewriteRule ^id/paper/arxiv\-2401\.00001$ id/paper/openreview-abcDEF123 [R=301,L]"
    assert rules.index(rule) < rules.index(
        "# listings: published a thousand lines to a document (see interp_kg.site.paths)"
    )
    page = (site / "id/paper/arxiv-2401.00001.html").read_text("utf-8")
    assert '<a href="../../id/paper/openreview-abcDEF123.html">Paper One</a>' in page
    assert 'http-equiv="refresh" content="0; url=../../id/paper/openreview-abcDEF123.html"' in page
    assert "owl:sameAs paper:openreview-abcDEF123" in (site / "id/paper/arxiv-2401.00001.ttl").read_text(
        "utf-8"
    )


def test_diff_says_which_works_were_merged(tmp_path: Path) -> None:
    from interp_kg.diff.changes import diff_texts, render

    old = (
        "## S\n* **Paper One** [[ICLR 2024]](https://openreview.net/forum?id=abcDEF123)\n"
        "* **Paper 1, revised** [[arxiv]](https://arxiv.org/abs/2401.00001)\n"
    )
    new = (
        "## S\n* **Paper One** [[openreview]](https://openreview.net/forum?id=abcDEF123) "
        "[[arxiv]](https://arxiv.org/abs/2401.00001)\n"
    )
    d = diff_texts(old, new)
    (merged,) = d.works.merged
    assert (merged.old_iri, merged.iri) == (ID + "paper/arxiv-2401.00001", ID + "paper/openreview-abcDEF123")
    assert not d.works.removed and d.summary.works.merged == 1
    text = render(d, "text").decode()
    assert "  = Paper 1, revised  [paper/arxiv-2401.00001] -> [paper/openreview-abcDEF123]" in text
    assert "1 merged" in text.splitlines()[1]


def test_a_store_built_before_the_registry_keeps_what_it_published(tmp_path: Path) -> None:
    """A build made before the registry (a list of one's own minted topic/..., and the work its
    OpenReview id): the next build registers those IRIs first."""
    import hashlib

    from interp_kg.store.buildinfo import BuildInfo, ListInfo
    from interp_kg.store.builds import build_lock, load_build

    text = "## Widgets\n* **Toy paper** [[ICLR 2024]](https://openreview.net/forum?id=abcDEF123)\n## Survey\n"
    old = "\n".join(
        f"<{ID}{s}> <{p}> {o} ."
        for s, p, o in (
            ("paper/openreview-abcDEF123", v.TYPE, f"<{v.PAPER}>"),
            ("paper/openreview-abcDEF123", v.LABEL, '"Toy paper"'),
            ("paper/openreview-abcDEF123", v.OPENREVIEW_ID, '"abcDEF123"'),
            ("paper/openreview-abcDEF123", v.LISTING_P, f"<{ID}listing/mine/L2>"),
            ("paper/openreview-abcDEF123", v.TOPIC_P, f"<{ID}topic/widgets>"),
            ("topic/widgets", v.TYPE, f"<{v.TOPIC}>"),
            ("topic/widgets", v.PREF_LABEL, '"Widgets"'),
            ("topic/survey", v.TYPE, f"<{v.TOPIC}>"),
            ("topic/survey", v.PREF_LABEL, '"Survey"'),
        )
    )
    store = tmp_path / "s"

    def produce(out: BinaryIO) -> BuildInfo:
        out.write((old + "\n").encode())
        digest = hashlib.sha256(text.encode()).hexdigest()
        listed = ListInfo(file="mine.md", path="mine.md", sha256=digest, bytes=len(text))
        counts = {"bullets": 1, "entries": 1, "notes": 0, "topics": 1, "venues": 0, "authors": 0}
        return BuildInfo.model_validate(
            {
                "version": "0.1.0",
                "sources": ["mine.md"],
                "lists": [listed],
                "base_iri": ID,
                "works": {"paper": 1},
                "triples": 0,
                "warnings": 0,
                "seconds": 0,
                **counts,
            }
        )

    with build_lock(store):
        load_build(store, produce)
    mine = write(
        tmp_path / "mine.md",
        text.replace("abcDEF123)", "abcDEF123) [[arxiv]](https://arxiv.org/abs/2401.00001)"),
    )
    build([mine], store)
    assert _objects(store, ID + "paper/openreview-abcDEF123", v.ARXIV_ID) == ["2401.00001"]
    assert _objects(store, ID + "topic/widgets", v.OWL_SAME_AS) == [ID + "topics/mine/widgets"]
    # the bundled list's own IRI for its Survey section is not given to this list's
    assert _objects(store, ID + "topic/survey", v.OWL_SAME_AS) == []
    assert (registry_dir(store) / "topics.jsonl").is_file()
