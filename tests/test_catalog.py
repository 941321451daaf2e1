"""Entries -> works, topics, venues, authors: identity, kinds, venues and years."""

from __future__ import annotations

from interp_kg.catalog.models import Catalog, Work
from interp_kg.catalog.works import build_catalog
from interp_kg.source.parse import parse_text


def catalog(text: str) -> Catalog:
    return build_catalog([parse_text(text, "list.md")])


def work(cat: Catalog, title: str) -> Work:
    found = [w for w in cat.works if w.title == title]
    assert len(found) == 1, [w.title for w in cat.works]
    return found[0]


def test_same_paper_under_two_topics_is_one_work_with_two_topics_and_listings() -> None:
    cat = catalog(
        "# L\n## A\n* 🌟**Progress measures for grokking** [[ICLR 2023]](https://openreview.net/forum?id=9XFSbDPmdW)\n"
        "## B\n* **Progress measures for grokking** [[ICLR 2023]](https://openreview.net/forum?id=9XFSbDPmdW)\n"
    )
    w = work(cat, "Progress measures for grokking")
    assert w.slug == "paper/openreview-9XFSbDPmdW"
    assert w.topics == ("topics/list/a", "topics/list/b")  # a list of its own: topics/<list>/...
    assert [li.line for li in w.listings] == [3, 5]
    assert w.featured


def test_linkless_entry_merges_with_the_linked_one_by_title() -> None:
    cat = catalog(
        "# L\n## A\n* **In-context learning and induction heads**\n## B\n"
        "* **In-Context Learning and Induction Heads** [[TCT]](https://transformer-circuits.pub/2022/x)\n"
    )
    assert len(cat.works) == 1
    assert cat.works[0].topics == ("topics/list/a", "topics/list/b")


def test_same_title_different_arxiv_ids_stay_two_works() -> None:
    cat = catalog(
        "* **Same Title** [[arxiv]](https://arxiv.org/abs/2401.00001)\n"
        "* **Same Title** [[arxiv]](https://arxiv.org/abs/2401.00002)\n"
    )
    assert len(cat.works) == 2


def test_merge_by_doi_across_url_forms() -> None:
    cat = catalog(
        "* **X** [[TIST]](https://dl.acm.org/doi/10.1145/3639372)\n"
        "* **X, a survey** [[doi]](https://doi.org/10.1145/3639372)\n"
    )
    assert len(cat.works) == 1
    assert any(d.code == "conflicting-titles" for d in cat.findings)


def test_paper_and_its_code_repository_are_two_linked_nodes() -> None:
    cat = catalog(
        "# L\n## Library\n* **pyreft** [[github]](https://github.com/stanfordnlp/pyreft)\n"
        "## Application\n* **ReFT: Representation Finetuning** "
        "[[arxiv 2404]](https://arxiv.org/abs/2404.03592) "
        "[[github]](https://github.com/stanfordnlp/pyreft)\n"
    )
    tool = work(cat, "pyreft")
    paper = work(cat, "ReFT: Representation Finetuning")
    assert (tool.kind, paper.kind) == ("tool", "paper")
    assert paper.software == (tool.slug,)
    assert paper.code_repositories == ("https://github.com/stanfordnlp/pyreft",)
    assert tool.code_repositories == ("https://github.com/stanfordnlp/pyreft",)


def test_kinds_by_section_and_by_link() -> None:
    cat = catalog(
        "# L\n## Tutorial\n* **Concrete Steps** [[blog]](https://www.neelnanda.io/x)\n"
        "## Video\n* **Chris Olah talk** [[Youtube]](https://www.youtube.com/watch?v=2Rdp9GvcYOE)\n"
        "## Visualization\n* **sae_vis** [[github]](https://github.com/callummcdougall/sae_vis)\n"
        "  * **SAE-VIS: Announcement Post** [[lesswrong]](https://www.lesswrong.com/posts/nAhy6ZquNY7AD3RkD/x)\n"
    )
    kinds = {w.title: w.kind for w in cat.works}
    assert kinds == {
        "Concrete Steps": "tutorial",
        "Chris Olah talk": "video",
        "sae_vis": "tool",
        "SAE-VIS: Announcement Post": "paper",
    }
    post = work(cat, "SAE-VIS: Announcement Post")
    assert post.sub_entry_of == (work(cat, "sae_vis").slug,)


def test_by_source_gives_venues_and_authors() -> None:
    cat = catalog(
        "# L\n## Paper\n### By Source\n* **Transformer Circuits Thread** [[blog]](https://transformer-circuits.pub/)\n"
        "* **Some Blog Nobody Knows** [[blog]](https://example.org/)\n"
        "* **Neel Nanda** [[blog]](https://www.neelnanda.io/) "
        "[[google scholar]](https://scholar.google.com/citations?user=GLnX3MkAAAAJ)\n"
    )
    assert cat.works == ()
    assert [a.name for a in cat.authors] == ["Neel Nanda"]
    assert cat.authors[0].scholar_ids == ("GLnX3MkAAAAJ",)
    slugs = {v.slug: v for v in cat.venues}
    assert slugs["venue/transformer-circuits"].known
    assert not slugs["venue/some-blog-nobody-knows"].known
    assert any(d.code == "unknown-venue" for d in cat.findings)


def test_a_star_on_a_source_marks_its_venue_or_person_featured() -> None:
    # issue 16 point 5: `**🌟Title**` under "By Source" kept no star (venues and people had none)
    cat = catalog(
        "# L\n## Paper\n### By Source\n"
        "* **🌟Transformer Circuits Thread** [[blog]](https://transformer-circuits.pub/)\n"
        "* **AI Alignment Forum** [[forum]](https://www.alignmentforum.org/)\n"
        "* 🌟**Neel Nanda** [[google scholar]](https://scholar.google.com/citations?user=GLnX3MkAAAAJ)\n"
        "## Papers\n* **A Paper** [[AlignmentForum]](https://www.alignmentforum.org/posts/abc/a-paper)\n"
    )
    venues = {v.slug: v.featured for v in cat.venues}
    assert venues == {"venue/transformer-circuits": True, "venue/alignment-forum": False}
    assert [(a.name, a.featured) for a in cat.authors] == [("Neel Nanda", True)]


def test_featured_sources_are_ikg_featured_in_the_graph() -> None:
    from interp_kg.rdf import vocab as v
    from interp_kg.rdf.graph import GraphWriter

    cat = catalog(
        "# L\n## Paper\n### By Source\n"
        "* **🌟Transformer Circuits Thread** [[blog]](https://transformer-circuits.pub/)\n"
        "* **🌟Neel Nanda** [[google scholar]](https://scholar.google.com/citations?user=GLnX3MkAAAAJ)\n"
    )
    lines = "".join(GraphWriter().lines(cat))
    for slug in ("venue/transformer-circuits", "author/neel-nanda"):
        assert f"<https://w3id.org/interp-kg/id/{slug}> <{v.FEATURED}> " in lines


def test_venue_canonical_with_year_and_presentation() -> None:
    cat = catalog(
        "* **A** [[NIPS 2023]](https://proceedings.neurips.cc/paper_files/paper/2023/hash/"
        "34e1dbe95d34d7ebaf99b9bcaeb5b2be-Abstract-Conference.html)\n"
        "* **B** [[ICLR 2024 oral]](https://openreview.net/forum?id=aN4Jf6Cx69)\n"
        "* **C** [[EMNLP 2023 Findings]](https://arxiv.org/abs/2304.13734)\n"
    )
    a, b, c = (work(cat, t) for t in "ABC")
    assert (a.venue, a.year, a.presentation) == ("venue/neurips", 2023, None)
    assert (b.venue, b.year, b.presentation) == ("venue/iclr", 2024, "oral")
    assert (c.venue, c.year, c.presentation) == ("venue/emnlp", 2023, "findings")


def test_unknown_venue_is_kept_and_reported() -> None:
    cat = catalog("* **A** [[FooConf 2023]](https://example.org/a)\n")
    assert work(cat, "A").venue == "venue/fooconf"
    assert [d.code for d in cat.findings] == ["unknown-venue"]


def test_year_from_label_then_arxiv_id_then_label_yymm() -> None:
    cat = catalog(
        "* **A** [[ICLR 2024]](https://arxiv.org/abs/2310.00001)\n"
        "* **B** [[arxiv 2303]](https://arxiv.org/abs/2302.12461)\n"
        "* **C** [[AlignmentForum 2312]](https://www.alignmentforum.org/posts/pYcEhoAoPfHhgJ8YC/x)\n"
    )
    assert [work(cat, t).year for t in "ABC"] == [2024, 2023, 2023]


def test_peer_reviewed_label_beats_arxiv_link() -> None:
    cat = catalog(
        "* **A** [[SaTML 2023]](https://ieeexplore.ieee.org/abstract/document/10136140) "
        "[[arxiv 2207]](https://arxiv.org/abs/2207.13243)\n"
    )
    assert work(cat, "A").venue == "venue/satml"
    assert work(cat, "A").slug == "paper/arxiv-2207.13243"


def test_five_general_topics_are_five_topics() -> None:
    from interp_kg.source.parse import parse_file
    from tests.conftest import BUNDLED

    cat = build_catalog([parse_file(BUNDLED)])
    general = [t for t in cat.topics if t.label == "General"]
    assert len(general) == 5
    assert len({t.parent for t in general}) == 5


def test_catalog_is_deterministic() -> None:
    from interp_kg.source.parse import parse_file
    from tests.conftest import BUNDLED

    assert build_catalog([parse_file(BUNDLED)]) == build_catalog([parse_file(BUNDLED)])
