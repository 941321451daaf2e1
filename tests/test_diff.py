"""``interp-kg diff``: two versions of a list compared at the level of works and topics.

tests/data/diff/old.md is the bundled list as it was; new.md is a copy with 2 works added, 2 removed,
1 moved, 1 renamed, 1 with a changed link, 1 heading renamed, 1 topic added and 1 removed.
"""

from __future__ import annotations

import doctest
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import get_args

import pytest
import typer
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from interp_kg.cli.diff import DiffTrouble, diff_command
from interp_kg.diff import changes as diff_module
from interp_kg.diff.changes import (
    WRITERS,
    DiffFormat,
    ListDiff,
    TopicChange,
    WorkChange,
    diff_files,
    diff_texts,
    render,
)
from interp_kg.errors import SourceError
from interp_kg.formats import COMMAND_FORMATS
from interp_kg.rdf import vocab
from interp_kg.rdf.prefixes import IKG
from tests.conftest import BUNDLED, ID, write

DATA = Path(__file__).parent / "data" / "diff"
OLD = DATA / "old.md"
NEW = DATA / "new.md"
IKG_NS = Namespace(IKG)
# old.md and new.md are copies of the bundled list under other names: a list of their own, named
# after the new version (topics/new/...)

SAFETY = "topics/new/paper-blog/by-topic/application/refusal-and-safety"
CODEBASE = "topics/new/code/codebase"
VISUALIZATION = "topics/new/paper-blog/by-topic/tools-techniques-methods/visualization"
VISULIZATION = "topics/new/paper-blog/by-topic/tools-techniques-methods/visulization"
TOOLS_GENERAL = "topics/new/paper-blog/by-topic/tools-techniques-methods/general"
EMBEDDING = "topics/new/paper-blog/by-topic/tools-techniques-methods/embedding-projection"


@pytest.fixture(scope="module")
def fixture_diff() -> ListDiff:
    return diff_files(OLD, NEW)


def _slugs(items: Sequence[WorkChange | TopicChange]) -> list[str]:
    return [i.slug for i in items]


# -- the two versions in tests/data/diff -----------------------------------------------------


def test_works_added_and_removed(fixture_diff: ListDiff) -> None:
    works = fixture_diff.works
    assert _slugs(works.added) == [
        "paper/arxiv-2406.11717",
        "paper/scaling-monosemanticity-extracting-interpretable-features-from-claude-3-sonnet",
    ]
    assert [t.iri for t in works.added[0].topics] == [ID + SAFETY]
    assert _slugs(works.removed) == ["paper/arxiv-2402.17762", "tool/github-Phylliida-mamba_interp"]
    assert works.removed[1].kind == "tool" and works.removed[1].label == "mamba interpretability"


def test_work_moved(fixture_diff: ListDiff) -> None:
    (moved,) = fixture_diff.works.moved
    assert moved.slug == "paper/arxiv-2401.06102" and moved.iri == moved.old_iri
    assert [t.iri for t in moved.from_topics] == [ID + TOOLS_GENERAL]
    assert [t.iri for t in moved.to_topics] == [ID + EMBEDDING]


def test_work_renamed(fixture_diff: ListDiff) -> None:
    (renamed,) = fixture_diff.works.renamed
    assert renamed.slug == "paper/lesswrong-AcKRB8wDpdaN6v6ru"
    assert (renamed.old_title, renamed.new_title) == (
        "interpreting GPT: the logit lens",
        "Interpreting GPT: The Logit Lens",
    )


def test_links_changed(fixture_diff: ListDiff) -> None:
    (relinked,) = fixture_diff.works.links_changed
    assert relinked.slug == "paper/arxiv-2310.19852"
    assert relinked.removed_urls == ("https://alignmentsurvey.com/",)
    assert relinked.added_urls == ("https://alignmentsurvey.com/en/",)


def test_topics_added_removed_renamed(fixture_diff: ListDiff) -> None:
    topics = fixture_diff.topics
    assert _slugs(topics.added) == [SAFETY]
    assert _slugs(topics.removed) == [CODEBASE]
    (renamed,) = topics.renamed
    # the renamed heading keeps its topic's IRI (the registry), so a build of new.md would too
    assert (renamed.iri, renamed.old_iri) == (ID + VISULIZATION, ID + VISULIZATION)
    assert (renamed.old_label, renamed.label) == ("Visulization", "Visualization")


def test_nothing_else_is_reported(fixture_diff: ListDiff) -> None:
    s = fixture_diff.summary
    assert s.changes == 10
    assert s.works.model_dump() == {
        "old": 209,
        "new": 209,
        "added": 2,
        "removed": 2,
        "merged": 0,
        "moved": 1,
        "renamed": 1,
        "links_changed": 1,
        "unchanged": 204,
    }
    assert s.topics.model_dump() == {"old": 45, "new": 45, "added": 1, "removed": 1, "renamed": 1}
    # the works under the renamed topic did not move
    assert not {VISULIZATION, VISUALIZATION} & {
        t.iri[len(ID) :] for m in fixture_diff.works.moved for t in (*m.from_topics, *m.to_topics)
    }


def test_identical_inputs_give_no_changes() -> None:
    d = diff_files(OLD, OLD)
    assert not d.changed and d.summary.changes == 0
    assert d.summary.works.unchanged == d.summary.works.old == 209
    assert render(d, "text").decode().endswith("no changes (209 works, 45 topics)\n")


def test_mis_decoded_and_clean_utf8_give_no_changes(tmp_path: Path) -> None:
    raw = BUNDLED.read_text("utf-8")
    clean = raw.replace("ðŸŒŸ", "\N{GLOWING STAR}").replace("â€™", "\N{RIGHT SINGLE QUOTATION MARK}")
    assert clean != raw
    d = diff_files(write(tmp_path / "raw.md", raw), write(tmp_path / "clean.md", clean))
    assert not d.changed, render(d, "text").decode()
    assert d.summary.old.sha256 != d.summary.new.sha256


# -- matching rules, on small lists ---------------------------------------------------------


def _diff(old: str, new: str) -> ListDiff:
    return diff_texts("# L\n" + old, "# L\n" + new)


def test_title_only_work_renamed_is_matched_by_its_url() -> None:
    d = _diff(
        "## A\n* **Toy Models** [[blog]](https://t.pub/toy)\n",
        "## A\n* **Toy models of superposition** [[blog]](https://t.pub/toy)\n",
    )
    (renamed,) = d.works.renamed
    assert (
        renamed.old_iri == ID + "paper/toy-models" and renamed.iri == ID + "paper/toy-models-of-superposition"
    )
    assert not d.works.added and not d.works.removed and d.summary.changes == 1
    nt = render(d, "ntriples").decode()
    assert f"<{vocab.PREVIOUS_WORK}> <{ID}paper/toy-models>" in nt


def test_shared_url_matches_only_one_to_one() -> None:
    # two renamed title-only works link to the same page: which became which is not knowable
    old = "## A\n* **One** [[blog]](https://t.pub/x)\n* **Two** [[blog]](https://t.pub/x)\n"
    new = "## A\n* **Uno** [[blog]](https://t.pub/x)\n* **Dos** [[blog]](https://t.pub/x)\n"
    d = _diff(old, new)
    assert _slugs(d.works.added) == ["paper/dos", "paper/uno"]
    assert _slugs(d.works.removed) == ["paper/one", "paper/two"]
    assert not d.works.renamed
    # one of them unchanged: the other pair is the only one left with that link
    d = _diff(old, new.replace("Dos", "Two"))
    assert [(w.old_title, w.new_title) for w in d.works.renamed] == [("One", "Uno")]


def test_title_only_work_gaining_an_identifier_is_matched_by_title() -> None:
    d = _diff(
        "## A\n* **Toy Models** [[blog]](https://t.pub/toy)\n",
        "## A\n* **Toy models** [[blog]](https://t.pub/toy) [[arxiv]](https://arxiv.org/abs/2209.10652)\n",
    )
    (relinked,) = d.works.links_changed
    # the work keeps its IRI: a build of the new version finds it in the registry by its title
    assert (relinked.old_iri, relinked.iri) == (ID + "paper/toy-models", ID + "paper/toy-models")
    assert relinked.added_urls == ("https://arxiv.org/abs/2209.10652",) and not relinked.removed_urls
    assert [w.new_title for w in d.works.renamed] == ["Toy models"]
    assert not d.works.added and not d.works.removed


def test_work_gaining_a_stronger_identifier_is_matched_by_identifier() -> None:
    d = _diff(
        "## A\n* **Paper** [[openreview]](https://openreview.net/forum?id=abcDEF123)\n",
        "## A\n* **Paper, revised** [[openreview]](https://openreview.net/forum?id=abcDEF123) "
        "[[arxiv]](https://arxiv.org/abs/2401.00001)\n",
    )
    (relinked,) = d.works.links_changed
    # an arXiv id found later does not re-key the work: its IRI stays (issue 18)
    assert (relinked.old_iri, relinked.iri) == (
        ID + "paper/openreview-abcDEF123",
        ID + "paper/openreview-abcDEF123",
    )
    assert [w.slug for w in d.works.renamed] == ["paper/openreview-abcDEF123"]


def test_renamed_parent_keeps_its_sub_topics_and_moves_no_work() -> None:
    body = "### Attention\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n### MLP\n* **B** [[arxiv]](https://arxiv.org/abs/2301.00002)\n"
    d = _diff("## Component\n" + body, "## Model Components\n" + body)
    (renamed,) = d.topics.renamed
    assert (renamed.old_iri, renamed.iri) == (ID + "topics/new/component", ID + "topics/new/component")
    assert d.summary.changes == 1 and not d.works.moved


def test_case_only_heading_change_keeps_the_iri() -> None:
    d = _diff(
        "## Sparse coding\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n",
        "## Sparse Coding\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n",
    )
    (renamed,) = d.topics.renamed
    assert renamed.iri == renamed.old_iri == ID + "topics/new/sparse-coding"
    assert "previousTopic" not in render(d, "ntriples").decode()


def test_the_only_new_heading_in_place_of_the_only_one_gone_is_a_rename() -> None:
    old = "## P\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n* **B** [[arxiv]](https://arxiv.org/abs/2301.00002)\n"
    new = (
        "## Q\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n"
        "* **C** [[arxiv]](https://arxiv.org/abs/2301.00003)\n* **D** [[arxiv]](https://arxiv.org/abs/2301.00004)\n"
    )
    d = _diff(old, new)  # the registry's rule (the only heading left under the same parent)
    (renamed,) = d.topics.renamed
    assert (renamed.old_label, renamed.label, renamed.slug) == ("P", "Q", "topics/new/p")
    assert not d.topics.removed and not d.topics.added and not d.works.moved


def test_heading_with_mostly_other_works_is_removed_and_added() -> None:
    old = (
        "## P\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n* **B** [[arxiv]](https://arxiv.org/abs/2301.00002)\n"
        "## R\n* **E** [[arxiv]](https://arxiv.org/abs/2301.00005)\n"
    )
    new = (
        "## Q\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n"
        "* **C** [[arxiv]](https://arxiv.org/abs/2301.00003)\n* **D** [[arxiv]](https://arxiv.org/abs/2301.00004)\n"
        "## S\n* **E** [[arxiv]](https://arxiv.org/abs/2301.00005)\n"
    )
    d = _diff(old, new)  # two headings gone, two new: no rename by place; works of P and Q: Jaccard 1/4
    assert _slugs(d.topics.removed) == ["topics/new/p"] and _slugs(d.topics.added) == ["topics/new/q"]
    assert [(t.old_label, t.label) for t in d.topics.renamed] == [("R", "S")]
    assert _slugs(d.works.moved) == ["paper/arxiv-2301.00001"]


def test_topic_under_another_parent_keeps_its_iri() -> None:
    paper = "* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n"
    d = _diff(f"## X\n### Probing\n{paper}## Y\n", f"## X\n## Y\n### Probing\n{paper}")
    (moved,) = d.topics.renamed
    assert moved.iri == moved.old_iri == ID + "topics/new/x/probing"
    assert (moved.old_path, moved.path) == ("X > Probing", "Y > Probing")
    assert not d.topics.removed and not d.topics.added and not d.works.moved
    assert "-> Y > Probing" in render(d, "text").decode()


def test_section_without_works_renamed_when_it_is_the_only_one_left() -> None:
    d = _diff(
        "## By Source\n* **Neel Nanda** [[blog]](https://www.neelnanda.io/)\n",
        "## Sources\n* **Neel Nanda** [[blog]](https://www.neelnanda.io/)\n",
    )
    assert [(t.old_label, t.label) for t in d.topics.renamed] == [("By Source", "Sources")]
    assert d.summary.works.old == 0 and d.summary.changes == 1


def test_work_leaving_one_of_its_two_topics_is_moved() -> None:
    paper = "* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\n"
    d = _diff(f"## X\n{paper}## Y\n{paper}", f"## X\n{paper}## Y\n")
    (moved,) = d.works.moved
    assert [t.label for t in moved.from_topics] == ["Y"] and moved.to_topics == ()


# -- outputs --------------------------------------------------------------------------------


def test_json_keys_as_documented(fixture_diff: ListDiff) -> None:
    doc = json.loads(render(fixture_diff, "json"))
    work, matched, topic = {"iri", "slug", "label", "kind"}, {"old_iri"}, {"iri", "slug", "label", "path"}
    assert set(doc) == {"works", "topics", "summary"}
    assert set(doc["works"]) == {"added", "removed", "merged", "moved", "renamed", "links_changed"}
    assert set(doc["topics"]) == {"added", "removed", "renamed"}
    assert set(doc["summary"]) == {"old", "new", "base_iri", "changeset", "changes", "works", "topics"}
    assert set(doc["summary"]["old"]) == {"name", "sha256", "iri"}
    works = doc["works"]
    assert set(works["added"][0]) == set(works["removed"][0]) == work | {"topics"}
    assert set(works["moved"][0]) == work | matched | {"from_topics", "to_topics"}
    assert set(works["renamed"][0]) == work | matched | {"old_title", "new_title"}
    assert set(works["links_changed"][0]) == work | matched | {"removed_urls", "added_urls"}
    assert set(works["moved"][0]["to_topics"][0]) == {"iri", "label", "path"}
    assert set(doc["topics"]["added"][0]) == set(doc["topics"]["removed"][0]) == topic
    assert set(doc["topics"]["renamed"][0]) == topic | {"old_iri", "old_label", "old_path"}
    assert ListDiff.model_validate(doc) == fixture_diff


def test_changeset_turtle_parses_and_says_what_changed(fixture_diff: ListDiff) -> None:
    g = Graph().parse(data=render(fixture_diff, "turtle").decode(), format="turtle")
    assert not any(isinstance(node, BNode) for triple in g for node in triple)
    (cs,) = g.subjects(RDF.type, IKG_NS.Changeset)
    assert str(cs) == fixture_diff.summary.changeset
    changes = list(g.objects(cs, IKG_NS.change))
    kinds = sorted(str(g.value(c, IKG_NS.changeKind)) for c in changes)
    assert kinds == [
        "added",
        "added",
        "links-changed",
        "moved",
        "removed",
        "removed",
        "renamed",
        "topic-added",
        "topic-removed",
        "topic-renamed",
    ]
    used = set(g.objects(cs, URIRef(vocab.PROV_USED)))
    assert used == {URIRef(fixture_diff.summary.old.iri), URIRef(fixture_diff.summary.new.iri)}
    assert g.value(cs, IKG_NS.fromVersion) == URIRef(fixture_diff.summary.old.iri)
    moved = next(c for c in changes if str(g.value(c, IKG_NS.changeKind)) == "moved")
    assert g.value(moved, IKG_NS.changedWork) == URIRef(ID + "paper/arxiv-2401.06102")
    assert g.value(moved, IKG_NS.toTopic) == URIRef(ID + EMBEDDING)


def test_changeset_is_the_same_graph_in_both_rdf_formats(fixture_diff: ListDiff) -> None:
    ttl = Graph().parse(data=render(fixture_diff, "turtle").decode(), format="turtle")
    nt = Graph().parse(data=render(fixture_diff, "ntriples").decode(), format="nt")
    assert ttl.isomorphic(nt)


def test_changeset_iri_is_stable_and_follows_the_inputs() -> None:
    a = diff_files(OLD, NEW).summary.changeset
    assert diff_files(OLD, NEW).summary.changeset == a
    assert diff_files(NEW, OLD).summary.changeset != a
    assert a.startswith(ID + "changeset/")


def test_every_format_renders_byte_identically(fixture_diff: ListDiff) -> None:
    again = diff_files(OLD, NEW)
    for fmt in WRITERS:
        assert render(again, fmt) == render(fixture_diff, fmt), fmt


def test_text_and_markdown_name_every_change(fixture_diff: ListDiff) -> None:
    for fmt in ("text", "md"):
        out = render(fixture_diff, fmt).decode()
        for needle in (
            "Refusal and Safety",
            "Codebase",
            "Visulization",
            "mamba interpretability",
            "Patchscopes",
            "Interpreting GPT: The Logit Lens",
            "https://alignmentsurvey.com/en/",
        ):
            assert needle in out, (fmt, needle)


def test_markdown_escapes_titles() -> None:
    d = _diff("## A\n", "## A\n* **AtP\\*: a\\_b \\_c\\_** [[arxiv]](https://arxiv.org/abs/2403.00745)\n")
    assert "**AtP\\*: a_b \\_c\\_**" in render(d, "md").decode()  # an underscore inside a word is text


def test_format_choices_are_the_renderers() -> None:
    assert set(COMMAND_FORMATS["diff"]) == set(get_args(DiffFormat)) == set(WRITERS)


def test_docstring_examples() -> None:
    result = doctest.testmod(diff_module)
    assert result.attempted > 0 and result.failed == 0


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        diff_files(OLD, tmp_path / "nope.md")


# -- the command ----------------------------------------------------------------------------


def _app() -> typer.Typer:
    app = typer.Typer()
    app.callback()(lambda: None)
    app.command("diff")(diff_command)
    return app


def test_command_exit_codes() -> None:
    runner = CliRunner()
    same = runner.invoke(_app(), ["diff", str(OLD), str(OLD)])
    assert same.exit_code == 0, same.output
    changed = runner.invoke(_app(), ["diff", str(OLD), str(NEW), "-f", "json"])
    assert changed.exit_code == 1
    assert json.loads(changed.stdout)["summary"]["changes"] == 10


def test_command_writes_the_changeset_byte_identically_across_processes(tmp_path: Path) -> None:
    code = (
        "import sys; from interp_kg.cli import main as cli; from interp_kg.cli.diff import diff_command\n"
        "if 'diff' not in {c.name for c in cli.app.registered_commands}:\n"
        "    cli.app.command('diff')(diff_command)\n"
        "sys.argv = ['interp-kg', *sys.argv[1:]]; cli.main()\n"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", code, "diff", *args],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )

    outs = [tmp_path / "a.ttl", tmp_path / "b.ttl"]
    for out in outs:
        proc = run(str(OLD), str(NEW), "-f", "turtle", "-o", str(out))
        assert proc.returncode == 1 and proc.stdout == "", proc.stderr
    assert outs[0].read_bytes() == outs[1].read_bytes() == render(diff_files(OLD, NEW), "turtle")
    missing = run(str(OLD), str(tmp_path / "nope.md"))
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"interp-kg: error: {tmp_path / 'nope.md'}: no such file"]


def test_command_base_iri() -> None:
    runner = CliRunner()
    bad = runner.invoke(_app(), ["diff", str(OLD), str(NEW), "--base-iri", "urn:x"])
    assert isinstance(bad.exception, DiffTrouble) and bad.exception.exit_code == 2
    out = runner.invoke(
        _app(), ["diff", str(OLD), str(NEW), "-f", "ntriples", "--base-iri", "https://ex.org/kg/"]
    )
    assert out.exit_code == 1
    assert "<https://ex.org/kg/paper/arxiv-2401.06102>" in out.stdout and ID not in out.stdout
