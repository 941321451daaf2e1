"""Every list layout the parser reads, each on an excerpt written for these tests
(``tests/data/layouts/``): every work's title, URLs, venue, year and topic path, and the rule and
line of everything that is not read as a work."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from interp_kg.catalog.models import Catalog
from interp_kg.catalog.works import build_catalog
from interp_kg.source.models import ParsedList
from interp_kg.source.parse import parse_file

LAYOUTS = Path(__file__).parent / "data" / "layouts"


@dataclass(frozen=True)
class W:
    """What a test expects of a work."""

    title: str
    urls: tuple[str, ...]
    venue: str | None
    year: int | None
    topic: str
    kind: str = "paper"
    featured: bool = False
    aliases: tuple[str, ...] = ()


def read(name: str) -> tuple[ParsedList, Catalog]:
    parsed = parse_file(LAYOUTS / name)
    return parsed, build_catalog([parsed])


def works(cat: Catalog) -> list[W]:
    """The catalog's works in list order, as :class:`W`."""
    topics = {t.slug: t for t in cat.topics}
    venues = {v.slug: v.venue.name for v in cat.venues}

    def path(slug: str) -> str:
        labels = []
        node: str | None = slug
        while node is not None:
            labels.append(topics[node].label)
            node = topics[node].parent
        return " / ".join(reversed(labels))

    ordered = sorted(cat.works, key=lambda w: min(li.line for li in w.listings))
    return [
        W(
            title=w.title,
            urls=w.urls,
            venue=venues[w.venue] if w.venue else None,
            year=w.year,
            topic=" | ".join(path(t) for t in w.topics),
            kind=w.kind,
            featured=w.featured,
            aliases=w.aliases,
        )
        for w in ordered
    ]


def not_works(parsed: ParsedList, cat: Catalog) -> list[tuple[int, str]]:
    """Line and rule of every diagnostic of the parse and the catalog."""
    return sorted((d.line, d.code) for d in (*parsed.diagnostics, *cat.findings))


def test_numbered_items() -> None:
    parsed, cat = read("numbered.md")
    assert works(cat) == [
        W(
            "Locating and Editing Factual Associations in GPT",
            ("https://arxiv.org/abs/2202.05262",),
            "NeurIPS",
            2022,
            "Papers / Locate, then edit",
        ),
        W(
            "Mass-Editing Memory in a Transformer",
            ("https://arxiv.org/abs/2210.07229",),
            "ICLR",
            2023,
            "Papers / Locate, then edit",
        ),
        W(
            "PMET: Precise Model Editing in a Transformer",
            ("https://arxiv.org/abs/2308.08742",),
            "AAAI",
            2024,
            "Papers / Locate, then edit",
        ),
        W(  # its continuation line adds the code link
            "Knowledge Neurons in Pretrained Transformers",
            (
                "https://aclanthology.org/2022.acl-long.581/",
                "https://github.com/Hunter-DDM/knowledge-neurons",
            ),
            "ACL",
            2022,
            "Papers / Locate, then edit",
        ),
        W(
            "Fast Model Editing at Scale",
            ("https://github.com/eric-mitchell/mend", "https://openreview.net/forum?id=0DcZxeWfOPt"),
            "OpenReview",
            None,
            "Papers / Meta-learned editors",
        ),
        W(  # the stars badge on its continuation line is no link
            "Memory-Based Model Editing at Scale",
            ("https://arxiv.org/abs/2206.06520",),
            "arXiv",
            2022,
            "Papers / Meta-learned editors",
        ),
        W(  # a long link text with a year in it is a title, not a venue label
            "SemEval-2024 Task 6: SHROOM, a Shared-task on Hallucinations and Related Observable "
            "Overgeneration Mistakes",
            ("https://helsinki-nlp.github.io/shroom/",),
            None,
            None,
            "Papers / Meta-learned editors",
        ),
        W("EasyEdit", ("https://github.com/zjunlp/EasyEdit",), None, None, "Tools", kind="tool"),
    ]
    assert not_works(parsed, cat) == [
        (7, "toc-line"),
        (8, "toc-line"),
        (27, "link-only"),
        (35, "star-history-line"),
        (39, "licence-line"),
    ]


def test_numbered_items_keep_their_description_and_nested_note() -> None:
    parsed, _ = read("numbered.md")
    by_line = {e.line: e for e in parsed.entries}
    assert by_line[15].notes == ("ICLR 2023. MEMIT spreads thousands of edits over several layers.",)
    assert by_line[23].notes == (
        "Keeps the edits in an explicit memory and sends matching inputs to a counterfactual model.",
    )
    assert [link.label for link in by_line[14].links] == [""]  # the title is no venue label


def test_pipe_tables() -> None:
    parsed, cat = read("pipe-tables.md")
    assert works(cat) == [
        W(  # a star before the title, a title link, an empty paper cell
            "Sparse Feature Circuits: Discovering and Editing Interpretable Causal Graphs in Language Models",
            ("https://arxiv.org/abs/2403.19647", "https://github.com/saprmarks/feature-circuits"),
            "ICLR",
            2025,
            "Circuits",
            featured=True,
        ),
        W(  # authors after <br> in the title cell; '-' for no venue
            "Attribution Patching Outperforms Automated Circuit Discovery",
            ("https://arxiv.org/abs/2310.10348",),
            "arXiv",
            2023,
            "Circuits",
        ),
        W(  # a bold title; the code cell's badge links to the repository
            "Towards Automated Circuit Discovery for Mechanistic Interpretability",
            (
                "https://arxiv.org/pdf/2304.14997",
                "https://github.com/ArthurConmy/Automatic-Circuit-Discovery",
            ),
            "NeurIPS",
            2023,
            "Circuits",
        ),
        W(
            "Interpretability in the Wild: a Circuit for Indirect Object Identification in GPT-2 small",
            ("https://arxiv.org/abs/2211.00593", "https://github.com/redwoodresearch/Easy-Transformer"),
            "ICLR",
            2023,
            "Circuits",
        ),
        W(  # no outer pipes; the venue names no year, the Year column does
            "Language Models Represent Space and Time",
            ("https://arxiv.org/abs/2310.02207", "https://github.com/wesg52/world-models"),
            "ICLR",
            2024,
            "Probing",
        ),
        W(
            "The Geometry of Truth: Emergent Linear Structure in Large Language Model Representations "
            "of True/False Datasets",
            ("https://arxiv.org/abs/2310.06824",),
            "COLM",
            2023,
            "Probing",
        ),
        W(  # an escaped pipe in the venue cell; the cell beyond the header is not read
            "Discovering Latent Knowledge in Language Models Without Supervision",
            ("https://openreview.net/forum?id=ETKGuby0hcs",),
            "ICLR",
            2023,
            "Probing",
        ),
    ]
    assert not_works(parsed, cat) == [
        (13, "table-row-no-title"),
        (21, "table-extra-cells"),
        (25, "table-no-title-column"),
        (32, "contributor-line"),
    ]


def test_pipe_table_rows_keep_the_authors_as_a_note() -> None:
    parsed, _ = read("pipe-tables.md")
    row = next(e for e in parsed.entries if e.line == 10)
    assert row.notes == ("Syed, Rager, Conmy",)
    assert row.text.startswith("| 2023-10 | Attribution Patching")


def test_html_tables() -> None:
    parsed, cat = read("html-tables.md")
    assert works(cat) == [
        W(  # rowspan: the Category cell names the topic of two rows
            "Locating and Editing Factual Associations in GPT",
            ("https://arxiv.org/abs/2202.05262", "https://github.com/kmeng01/rome"),
            "NeurIPS",
            2022,
            "Methods / Locate-then-edit",
        ),
        W(
            "Mass-Editing Memory in a Transformer",
            ("https://arxiv.org/abs/2210.07229", "https://github.com/kmeng01/memit"),
            "ICLR",
            2023,
            "Methods / Locate-then-edit",
        ),
        W(  # <b> title, a star as an HTML entity, the link on the line after <br>
            "Aging with GRACE: Lifelong Model Editing with Discrete Key-Value Adaptors",
            ("https://arxiv.org/abs/2211.11031",),
            "NeurIPS",
            2023,
            "Methods / Memory-based",
            featured=True,
        ),
        W(
            "Memory-Based Model Editing at Scale",
            ("https://arxiv.org/abs/2206.06520", "https://github.com/eric-mitchell/serac"),
            "ICML",
            2022,
            "Methods / Memory-based",
            aliases=("SERAC",),
        ),
        W(  # <thead>/<tbody>, two links in one cell, the year in its own column
            "Evaluating the Ripple Effects of Knowledge Editing in Language Models",
            ("https://arxiv.org/abs/2307.12976", "https://github.com/edenbiran/RippleEdits"),
            "Transactions of the Association for Computational Linguistics",
            2024,
            "Evaluation",
        ),
        W(  # the venue column wins over the label 'ACL Anthology'
            "Can We Edit Factual Knowledge by In-Context Learning?",
            ("https://aclanthology.org/2023.emnlp-main.296",),
            "EMNLP",
            2023,
            "Evaluation",
        ),
    ]
    assert not_works(parsed, cat) == [
        (3, "image-line"),
        (39, "table-row-no-title"),
        (60, "table-no-title-column"),
    ]


def test_paragraph_entries() -> None:
    parsed, cat = read("paragraphs.md")
    assert works(cat) == [
        W(  # `**1. Title** <br />`, authors and venue on the following lines
            "Inference-Time Intervention: Eliciting Truthful Answers from a Language Model",
            ("https://arxiv.org/abs/2306.03341", "https://github.com/likenneth/honest_llama"),
            "NeurIPS",
            2023,
            "Activation steering",
        ),
        W(  # its venue and links in the paragraphs after the title
            "Steering Llama 2 via Contrastive Activation Addition",
            ("https://arxiv.org/abs/2312.06681", "https://github.com/nrimsky/CAA"),
            "ACL",
            2024,
            "Activation steering",
        ),
        W(  # `3\\. **Title**`, then `Authors · arXiv 2023 · [paper](...)`
            "Representation Engineering: A Top-Down Approach to AI Transparency",
            ("https://arxiv.org/abs/2310.01405", "https://www.ai-transparency.org/"),
            "arXiv",
            2023,
            "Activation steering",
        ),
        W(  # `**🌟Title** <br/>`: starred inside the bold
            "Discovering Latent Knowledge in Language Models Without Supervision",
            ("https://openreview.net/forum?id=ETKGuby0hcs",),
            "ICLR",
            2023,
            "Truthfulness",
            featured=True,
        ),
        W(  # `1. **Title**`, a blank line, the item's indented paragraph
            "The Internal State of an LLM Knows When It's Lying",
            ("https://arxiv.org/abs/2304.13734",),
            "EMNLP",
            2023,
            "Truthfulness",
        ),
        W(  # `2. **Title**` and its links on the next, unindented line
            "The Geometry of Truth: Emergent Linear Structure in Large Language Model Representations "
            "of True/False Datasets",
            ("https://arxiv.org/abs/2310.06824", "https://github.com/saprmarks/geometry-of-truth"),
            "arXiv",
            2023,
            "Truthfulness",
        ),
        W(  # `1. **Title.** <br />` with lazy lines: the list's full stop is no part of the title
            "Editing Large Language Models: Problems, Methods, and Opportunities",
            ("https://arxiv.org/abs/2305.13172", "https://github.com/zjunlp/EasyEdit"),
            "EMNLP",
            2023,
            "Editing surveys",
        ),
        W(
            "Knowledge Editing for Large Language Models: A Survey",
            ("https://arxiv.org/abs/2310.16218",),
            "arXiv",
            2023,
            "Editing surveys",
        ),
    ]
    # `**Note:** ...`, `**Name** is a ...` (prose), and a sentence with a link after a bold line
    # that has none (`**Still to sort**` is no work)
    assert not_works(parsed, cat) == [(3, "paragraph-link"), (20, "paragraph-link"), (39, "paragraph-link")]


def test_paragraph_entries_keep_authors_as_notes_but_not_a_bare_venue() -> None:
    parsed, _ = read("paragraphs.md")
    by_line = {e.line: e for e in parsed.entries}
    assert by_line[7].notes == (
        "Kenneth Li, Oam Patel, Fernanda Viégas, Hanspeter Pfister, Martin Wattenberg",
    )
    assert by_line[17].notes == ("Andy Zou et al. · arXiv 2023",)
    assert by_line[24].notes == ()  # its line `ICLR 2023` is its venue
    assert by_line[43].notes == ("Yunzhi Yao et al.",)  # `EMNLP 2023.` is its venue


def test_title_then_venue_link_bullets() -> None:
    parsed, cat = read("title-venue-bullets.md")
    tc = "Transformer Circuits Thread"
    assert works(cat) == [
        W(  # no stray ` [` in the title
            "Toy Models of Superposition",
            ("https://transformer-circuits.pub/2022/toy_model/index.html",),
            tc,
            None,
            "Features and superposition",
        ),
        W(  # the badge-only continuation line adds no link of its own
            "Sparse Autoencoders Find Highly Interpretable Features in Language Models",
            ("https://github.com/HoagyC/sparse_coding", "https://openreview.net/forum?id=F76bwRSLeK"),
            "ICLR",
            2024,
            "Features and superposition",
        ),
        W(  # badge images in the item's paragraph are no links
            "Finding Neurons in a Haystack: Case Studies with Sparse Probing",
            ("https://arxiv.org/abs/2305.01610",),
            "Transactions on Machine Learning Research",
            2023,
            "Features and superposition",
        ),
        W(  # `[**Title**](url) ⭐`
            "Towards Monosemanticity: Decomposing Language Models With Dictionary Learning",
            ("https://transformer-circuits.pub/2023/monosemantic-features",),
            tc,
            None,
            "Features and superposition",
            featured=True,
        ),
        W(  # `**🌟Title**`
            "Scaling Monosemanticity: Extracting Interpretable Features from Claude 3 Sonnet",
            ("https://transformer-circuits.pub/2024/scaling-monosemanticity/",),
            tc,
            None,
            "Features and superposition",
            featured=True,
        ),
        W(  # `:star: Title [[arXiv 2022](url)]`
            "Polysemanticity and Capacity in Neural Networks",
            ("https://arxiv.org/abs/2210.01892",),
            "arXiv",
            2022,
            "Features and superposition",
            featured=True,
        ),
    ]
    assert not_works(parsed, cat) == [(15, "link-only")]  # an arXiv badge alone, no title


def test_details_blocks() -> None:
    parsed, cat = read("details.md")
    tc = "Transformer Circuits Thread"
    assert works(cat) == [
        W(  # the summary names a group: a topic one level down
            "A Mathematical Framework for Transformer Circuits",
            ("https://transformer-circuits.pub/2021/framework/index.html",),
            tc,
            None,
            "Mechanisms / Circuits",
        ),
        W(
            "In-context Learning and Induction Heads",
            ("https://transformer-circuits.pub/2022/in-context-learning-and-induction-heads/index.html",),
            tc,
            None,
            "Mechanisms / Circuits",
        ),
        W(
            "Progress measures for grokking via mechanistic interpretability",
            ("https://openreview.net/forum?id=9XFSbDPmdW",),
            "ICLR",
            2023,
            "Mechanisms / Circuits",
        ),
        W(  # "Click to expand": no topic of its own
            "Causal Abstractions of Neural Networks",
            ("https://arxiv.org/abs/2106.02997",),
            "NeurIPS",
            2021,
            "Mechanisms",
        ),
        W(  # a summary with a link is the work; the block's paragraph adds its code link
            "Dissecting Recall of Factual Associations in Auto-Regressive Language Models",
            (
                "https://arxiv.org/abs/2304.14767",
                "https://github.com/google-research/google-research/tree/master/dissecting_factual_predictions",
            ),
            "EMNLP",
            2023,
            "Mechanisms",
        ),
        W(  # an HTML list in the block
            "Editing Large Language Models: Problems, Methods, and Opportunities",
            ("https://arxiv.org/abs/2305.13172",),
            "EMNLP",
            2023,
            "Mechanisms / Model editing",
        ),
        W(
            "Evaluating the Ripple Effects of Knowledge Editing in Language Models",
            ("https://arxiv.org/abs/2307.12976",),
            "Transactions of the Association for Computational Linguistics",
            2024,
            "Mechanisms / Model editing",
        ),
        W(  # after </details>, back under the headings
            "TransformerLens",
            ("https://github.com/TransformerLensOrg/TransformerLens",),
            None,
            None,
            "Tools",
            kind="tool",
        ),
    ]
    assert not_works(parsed, cat) == [(33, "toc-line")]


def test_lines_about_the_list_are_kept_out_of_the_works() -> None:
    parsed, cat = read("about-lines.md")
    assert works(cat) == [
        W(
            "Steering Language Models With Activation Engineering",
            ("https://arxiv.org/abs/2308.10248",),
            "arXiv",
            2023,
            "Steering",
        )
    ]
    assert not_works(parsed, cat) == [
        (3, "image-line"),  # badges
        (5, "news-line"),  # `🔥 **News**: ...`
        (9, "news-line"),
        (10, "news-line"),
        (14, "toc-line"),
        (15, "toc-line"),  # an outside link in the table of contents
        (20, "star-history-line"),  # a bullet with a title, but only a star-history chart
        (24, "contributor-line"),
        (28, "contributor-line"),
        (32, "star-history-line"),
        (36, "citation-line"),
        (46, "licence-line"),
    ]
    assert {d.severity for d in parsed.diagnostics} == {"info"}


@pytest.mark.parametrize("name", sorted(p.name for p in LAYOUTS.glob("*.md")))
def test_every_unit_becomes_an_entry_a_note_or_a_diagnostic(name: str) -> None:
    parsed = parse_file(LAYOUTS / name)
    assert len(parsed.entries) + parsed.notes + sum(parsed.skipped.values()) == parsed.units
    skipped_lines = {d.line for d in parsed.diagnostics if d.code in parsed.skipped}
    assert len(skipped_lines) == sum(parsed.skipped.values())


def test_the_summary_line_counts_units() -> None:
    parsed, _ = read("html-tables.md")
    assert str(parsed.summary()) == (
        "html-tables.md: 9 units -> 6 entries, 0 notes, 3 not read as works "
        "(1 image-line, 1 table-no-title-column, 1 table-row-no-title)"
    )


# -- the rules behind the layouts, one at a time ----------------------------------------------


def parse_one(text: str) -> ParsedList:
    from interp_kg.source.parse import parse_text

    return parse_text(text, "list.md")


@pytest.mark.parametrize(
    ("label", "hint"),
    [
        ("github", True),
        ("arxiv 2402", True),
        ("ICLR 2024 oral", True),
        ("ICML 2024 MI Workshop", True),
        ("FooConf 2023", True),
        ("Toy Models of Superposition", False),
        ("Language Models Represent Space and Time (2023)", False),
        ("Code Llama: Open Foundation Models for Code", False),
    ],
)
def test_which_link_texts_are_hints_and_which_are_titles(label: str, hint: bool) -> None:
    from interp_kg.source.parse import _is_hint_label

    assert _is_hint_label(label) is hint


def test_a_title_link_keeps_no_label_and_its_star_after_it() -> None:
    entry = parse_one(
        "- [Toy Models of Superposition](https://transformer-circuits.pub/2022/toy_model/) ⭐\n"
    )
    (e,) = entry.entries
    assert (e.title, e.featured, [link.label for link in e.links]) == (
        "Toy Models of Superposition",
        True,
        [""],
    )


def test_bare_urls_are_links() -> None:
    (e,) = parse_one("- Patchscopes: https://arxiv.org/abs/2401.06102.\n").entries
    assert e.title == "Patchscopes"
    assert [link.url for link in e.links] == ["https://arxiv.org/abs/2401.06102"]


def test_a_venue_named_after_a_title_link_is_the_venue_not_a_note() -> None:
    (e,) = parse_one("1. [Sparse Probing](https://arxiv.org/abs/2305.01610) (TMLR 2023)\n").entries
    assert (e.venue, e.notes) == ("TMLR 2023", ())


def test_a_news_title_is_no_work() -> None:
    p = parse_one("- **News**: the [2024 edition](https://example.org/2024) is out\n")
    assert p.entries == () and [d.code for d in p.diagnostics] == ["news-line"]


def test_a_bold_line_alone_is_no_work() -> None:
    p = parse_one("## Section\n\n**Still to read**\n\nNothing here yet.\n")
    assert p.entries == () and p.units == 0


def test_a_table_header_and_delimiter_that_disagree_is_a_paragraph() -> None:
    p = parse_one("| Title | Venue |\n|---|\n| [A](https://example.org/a) | ICLR |\n")
    assert p.entries == () and [d.code for d in p.diagnostics] == ["paragraph-link"]


def test_an_unclosed_html_table_still_ends_at_the_end_of_the_list() -> None:
    p = parse_one(
        "<table>\n<tr><th>Title</th></tr>\n<tr><td><a href='https://example.org/a'>A Paper</a></td></tr>\n"
    )
    assert [e.title for e in p.entries] == ["A Paper"]


def test_html_headings_are_headings() -> None:
    p = parse_one(
        '<h1 align="center">My List</h1>\n\n<h2 id="probing">Probing</h2>\n\n- **A** [[x]](https://example.org/a)\n'
    )
    assert p.title == "My List"
    assert [h.title for h in p.headings] == ["Probing"]
    assert p.entries[0].heading == 0


def test_details_closed_inside_an_html_block_closes_its_topic() -> None:
    p = parse_one(
        "## A\n<details>\n<summary>Group</summary>\n<ul>\n"
        "<li><a href='https://example.org/1'>First Paper</a></li>\n</ul>\n</details>\n\n"
        "- **Second Paper** [[x]](https://example.org/2)\n"
    )
    topic = {h.index: h.title for h in p.headings}
    assert [(e.title, topic[e.heading or 0]) for e in p.entries] == [
        ("First Paper", "Group"),
        ("Second Paper", "A"),
    ]


PIECES = [
    "\n",
    "\n\n",
    "| ",
    " |",
    "|---|---|\n",
    "| Title | Venue |\n",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "<th>Title</th>",
    '<td rowspan="2">',
    "<details>",
    "<summary>",
    "</summary>",
    "</details>",
    "<br>",
    "<b>",
    "</b>",
    '<a href="https://example.org/x">',
    "</a>",
    "**",
    "1. ",
    "- ",
    "  ",
    "> ",
    "## H\n",
    "[t](https://arxiv.org/abs/2401.00001)",
    "[[code]](https://github.com/a/b)",
    "![b](https://img.shields.io/x)",
    "[s](#s)",
    "Title",
    "ICLR 2024",
    "🌟",
    ":star:",
    "```",
]


def _markdownish() -> object:
    from hypothesis import strategies as st

    return st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def test_layout_pieces_in_any_order_never_break_the_count() -> None:
    from hypothesis import given, settings

    @settings(max_examples=400, deadline=None)
    @given(_markdownish())
    def check(text: str) -> None:
        parsed = parse_one(text)
        assert len(parsed.entries) + parsed.notes + sum(parsed.skipped.values()) == parsed.units
        assert all(d.line >= 1 for d in parsed.diagnostics)
        build_catalog([parsed])

    check()


def test_layout_names_are_sorted_and_name_one_thing() -> None:
    import tomllib

    from interp_kg.resources import data_path
    from interp_kg.source.layout import load_layout

    raw = tomllib.loads(data_path("layout.toml").read_text("utf-8"))
    for table in ("sections", "about", "columns"):
        for kind, names in raw[table].items():
            if (table, kind) != ("columns", "title"):  # the title names are in order of preference
                assert names == sorted(names), f"data/layout.toml [{table}] {kind}: sort the names"
    layout = load_layout()
    for table in (layout.sections, layout.about, layout.columns):
        seen: dict[str, str] = {}
        for kind, keys in table.items():
            for key in keys:
                assert seen.setdefault(key, kind) == kind, (
                    f"data/layout.toml: {key!r} is {seen[key]} and {kind}"
                )


def test_every_rule_is_in_the_readme_diagnostics_reference() -> None:
    from typing import get_args

    from interp_kg.source.models import DiagnosticCode

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    reference = readme.split("### Diagnostics reference", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip().strip("`") for line in reference.splitlines() if line.startswith("| `")
    }
    assert rows == set(get_args(DiagnosticCode)), "document each rule in the README's diagnostics reference"


def test_an_html_list_item_with_links_but_no_title_is_reported() -> None:
    p = parse_one('<ul>\n<li><a href="https://github.com/example/tool">code</a></li>\n</ul>\n')
    assert p.entries == () and [(d.line, d.code) for d in p.diagnostics] == [(2, "html-link")]


def test_a_paragraph_with_links_in_a_bullet_that_is_no_entry_is_reported() -> None:
    p = parse_one("- [Contents](#contents)\n\n  See [the other list](https://example.org/list).\n")
    assert [(d.line, d.code) for d in p.diagnostics] == [(1, "toc-line"), (3, "orphan-note")]


def test_a_paragraph_inside_an_item_adds_its_links_to_the_entry() -> None:
    p = parse_one(
        "1. **A Paper**\n\n   Some Author. ICLR 2024. [[paper]](https://openreview.net/forum?id=abc)\n"
    )
    (e,) = p.entries
    assert (e.venue, [link.url for link in e.links]) == ("ICLR 2024", ["https://openreview.net/forum?id=abc"])
    assert p.notes == 1 and p.units == 2
