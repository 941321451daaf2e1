"""The parser on the tricky lines of real awesome lists: one behaviour per test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from interp_kg.source.models import ParsedList
from interp_kg.source.parse import parse_text

Parse = Callable[[str], ParsedList]


def only_entry(parsed: ParsedList):  # type: ignore[no-untyped-def]
    assert len(parsed.entries) == 1, parsed.entries
    return parsed.entries[0]


def codes(parsed: ParsedList) -> list[str]:
    return [d.code for d in parsed.diagnostics]


def test_mojibake_star_and_apostrophe_are_repaired(parse: Parse) -> None:
    e = only_entry(
        parse("* ðŸŒŸ**So You Donâ€™t Have To** [[AF]](https://www.alignmentforum.org/posts/x/y)\n")
    )
    assert e.title == "So You Don\u2019t Have To"
    assert e.featured


@pytest.mark.parametrize(
    "line",
    [
        "* 🌟**Title** [[x]](https://a.org/)",
        "* **🌟Title** [[x]](https://a.org/)",
        "* **Title** 🌟 [[x]](https://a.org/)",
        "* ⭐ **Title**",
    ],
)
def test_star_inside_or_outside_the_bold(parse: Parse, line: str) -> None:
    e = only_entry(parse(line + "\n"))
    assert e.title == "Title"
    assert e.featured


def test_unstarred_entry_is_not_featured(parse: Parse) -> None:
    assert not only_entry(parse("* **Title** [[arxiv]](https://arxiv.org/abs/2401.00001)\n")).featured


@pytest.mark.parametrize("marker", ["*", "-", "+", "1.", "12)"])
def test_bullet_markers(parse: Parse, marker: str) -> None:
    assert only_entry(parse(f"{marker} **Title** [[github]](https://github.com/a/b)\n")).title == "Title"


def test_nested_entry_with_its_own_title_is_an_entry_related_to_its_parent(parse: Parse) -> None:
    p = parse(
        "* **Parent** [[ICLR 2024]](https://openreview.net/forum?id=Ebt7JgMHv1)\n"
        "  * **A Reply** [[arxiv 2401]](https://arxiv.org/abs/2401.12631)\n"
    )
    parent, child = p.entries
    assert child.title == "A Reply"
    assert child.parent == parent.line == 1
    assert child.links[0].identifiers[0].value == "2401.12631"


def test_nested_bullet_without_title_is_a_note_on_its_parent(parse: Parse) -> None:
    p = parse(
        "* **Label Words are Anchors** [[EMNLP 2023]](https://aclanthology.org/2023.emnlp-main.609)\n"
        "  * EMNLP 2023 best paper\n"
    )
    e = only_entry(p)
    assert e.notes == ("EMNLP 2023 best paper",)
    assert p.notes == 1 and p.bullets == 2


def test_entry_without_a_link(parse: Parse) -> None:
    e = only_entry(parse("* 🌟**In-context learning and induction heads**\n"))
    assert e.links == ()
    assert e.title == "In-context learning and induction heads"


@pytest.mark.parametrize("level", range(1, 7))
def test_heading_levels(parse: Parse, level: int) -> None:
    p = parse(f"# List\n\n{'#' * level} Topic\n\n* **T** [[a]](https://a.org/x)\n")
    assert p.title == "List"
    assert [(h.title, h.level) for h in p.headings] == [("Topic", level)]
    assert p.entries[0].heading == 0


def test_heading_with_emoji_is_cleaned(parse: Parse) -> None:
    p = parse("# L\n## 🔬 Probing ✨\n* **T**\n")
    assert p.headings[0].title == "Probing"


def test_repeated_heading_names_are_distinct_headings(parse: Parse) -> None:
    p = parse("# L\n## A\n### General\n* **x**\n## B\n### General\n* **y**\n")
    general = [h for h in p.headings if h.title == "General"]
    assert len(general) == 2
    assert {h.parent for h in general} == {0, 2}
    assert [e.heading for e in p.entries] == [general[0].index, general[1].index]


def test_heading_nesting_follows_levels(parse: Parse) -> None:
    p = parse("# L\n## A\n#### Deep\n### Mid\n## B\n")
    parents = {h.title: (p.headings[h.parent].title if h.parent is not None else None) for h in p.headings}
    assert parents == {"A": None, "Deep": "A", "Mid": "A", "B": None}


def test_crlf_bom_and_whitespace_lines_parse_like_lf(parse: Parse) -> None:
    from interp_kg.source.parse import parse_text
    from interp_kg.source.text import decode

    lf = "# L\n\n## T\n\n* **A** [[x]](https://a.org/a)\n   \n\t\n* **B**\n"
    text, warning = decode(("\ufeff" + lf.replace("\n", "\r\n")).encode("utf-8"), "crlf.md")
    assert warning is None
    assert parse_text(text, "list.md") == parse(lf)


def test_toc_lines_are_not_entries_but_are_reported(parse: Parse) -> None:
    p = parse("- [Library](#library)\n- [Survey](#survey)\n  - [Sub](#sub)\n")
    assert p.entries == ()
    assert codes(p) == ["toc-line"] * 3
    assert [d.line for d in p.diagnostics] == [1, 2, 3]


def test_image_and_link_only_lines_are_not_entries(parse: Parse) -> None:
    p = parse("* ![badge](https://img.shields.io/x.svg)\n* [[github]](https://github.com/a/b)\n")
    assert p.entries == ()
    assert codes(p) == ["image-line", "link-only"]


def test_escaped_characters_in_titles(parse: Parse) -> None:
    e = only_entry(
        parse(
            "* **AtP\\*: An efficient and scalable method** [[arxiv 2403]](https://arxiv.org/abs/2403.00745)\n"
        )
    )
    assert e.title == "AtP*: An efficient and scalable method"


def test_alias_after_the_title(parse: Parse) -> None:
    e = only_entry(
        parse(
            "* **Locating and Editing Factual Associations in GPT** (*ROME*) "
            "[[NIPS 2022]](https://proceedings.neurips.cc/paper_files/paper/2022/hash/"
            "6f1d43d5a82a37e89b0665b33bf3a182-Abstract-Conference.html)\n"
        )
    )
    assert e.alias == "ROME"
    assert e.title == "Locating and Editing Factual Associations in GPT"


def test_plain_awesome_layout_title_from_link_text(parse: Parse) -> None:
    e = only_entry(
        parse(
            "* [Toy Models of Superposition](https://transformer-circuits.pub/2022/toy_model/) - a classic\n"
        )
    )
    assert e.title == "Toy Models of Superposition"
    assert e.notes == ("a classic",)


def test_bold_less_title_before_links(parse: Parse) -> None:
    e = only_entry(parse("* Patchscopes [[arxiv]](http://arxiv.org/abs/2401.06102)\n"))
    assert e.title == "Patchscopes"


def test_lazy_continuation_line_joins_the_bullet(parse: Parse) -> None:
    e = only_entry(parse("* **Title**\n  [[arxiv 2401]](https://arxiv.org/abs/2401.12631)\n"))
    assert [link.url for link in e.links] == ["https://arxiv.org/abs/2401.12631"]


def test_fenced_code_and_comments_are_skipped(parse: Parse) -> None:
    p = parse("```\n* **not an entry**\n```\n<!--\n* **hidden**\n-->\n* **real**\n")
    assert [e.title for e in p.entries] == ["real"]


def test_setext_heading(parse: Parse) -> None:
    p = parse("Title\n=====\n\nSection\n-------\n* **x**\n")
    assert p.title == "Title"
    assert [h.title for h in p.headings] == ["Section"]


def test_empty_bullet_is_reported(parse: Parse) -> None:
    p = parse("*\n* **x**\n")
    assert codes(p) == ["no-title"]


# -- malformed links ---------------------------------------------------------------------------


def link_of(parse: Parse, line: str):  # type: ignore[no-untyped-def]
    p = parse(line + "\n")
    e = only_entry(p)
    assert len(e.links) == 1, e.links
    return e.links[0], p


def test_link_nested_in_link_target(parse: Parse) -> None:
    link, p = link_of(
        parse, "* **T** [[arxiv 2305]]([10.48550/arXiv.2305.13417](http://arxiv.org/abs/2305.13417))"
    )
    assert link.url == "http://arxiv.org/abs/2305.13417"
    assert ("arxiv", "2305.13417") in link.identifiers
    assert codes(p) == ["malformed-link"]


def test_single_bracket_label(parse: Parse) -> None:
    link, p = link_of(parse, "* **T** [arxiv 2310](https://arxiv.org/abs/2310.19852)")
    assert link.label == "arxiv 2310"
    assert codes(p) == []


def test_arxiv_colon_target(parse: Parse) -> None:
    link, p = link_of(parse, "* **T** [[arxiv 2403]](arXiv:2403.19521)")
    assert link.url == "https://arxiv.org/abs/2403.19521"
    assert codes(p) == ["malformed-link"]


def test_target_closed_by_brace(parse: Parse) -> None:
    link, p = link_of(parse, "* **T** [[arxiv 2403]](https://arxiv.org/abs/2403.19851}")
    assert link.url == "https://arxiv.org/abs/2403.19851"
    assert "malformed-link" in codes(p)


def test_space_inside_url(parse: Parse) -> None:
    link, p = link_of(parse, "* **T** [[arxiv 2310]](https://arxiv.org/abs/ 2310.01405)")
    assert link.url == "https://arxiv.org/abs/2310.01405"
    assert "malformed-link" in codes(p)


def test_double_slash_in_path(parse: Parse) -> None:
    link, p = link_of(parse, "* **T** [[arxiv 2309]](https://arxiv.org/abs//2309.15025)")
    assert link.url == "https://arxiv.org/abs/2309.15025"
    assert codes(p) == ["malformed-link"]


def test_parentheses_inside_url(parse: Parse) -> None:
    link, p = link_of(parse, "* **T** [[wiki]](https://en.wikipedia.org/wiki/Attention_(machine_learning))")
    assert link.url == "https://en.wikipedia.org/wiki/Attention_(machine_learning)"
    assert codes(p) == []


def test_unrecoverable_target_is_reported_not_kept(parse: Parse) -> None:
    p = parse("* **T** [[arxiv]](not a url at all)\n")
    assert only_entry(p).links == ()
    assert codes(p) == ["bad-target"]
    assert p.diagnostics[0].line == 1


def test_url_is_the_authority_not_the_label(parse: Parse) -> None:
    link, _ = link_of(parse, "* **T** [[arxiv 2303]](http://arxiv.org/abs/2302.12461)")
    assert link.identifiers == (("arxiv", "2302.12461"),)
    link, _ = link_of(parse, "* **T** [[github 2403]](http://arxiv.org/abs/2403.19851)")
    assert link.identifiers == (("arxiv", "2403.19851"),)


def test_diagnostics_name_file_and_line(parse: Parse) -> None:
    p = parse("# L\n\n* **ok**\n* [[github]](https://github.com/a/b)\n")
    assert str(p.diagnostics[0]).startswith("list.md:4: warning:")


def test_section_names_count_near_the_top_only(parse: Parse) -> None:
    p = parse("# L\n## Code\n### Library\n* **lib**\n## Papers\n### By Topic\n#### Code\n* **paper**\n")
    assert [(h.title, h.section) for h in p.headings] == [
        ("Code", "tool"),
        ("Library", "tool"),
        ("Papers", None),
        ("By Topic", None),
        ("Code", None),
    ]


def test_inline_bold_inside_a_bold_title_keeps_the_rest_of_the_title() -> None:
    text = "# L\n## S\n* **A and <b>bold</b> words after** [[blog]](https://example.org/a)\n"
    assert [e.title for e in parse_text(text, "l.md").entries] == ["A and bold words after"]


def test_an_encoding_error_is_reported_at_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    from interp_kg.source.parse import parse_file

    path = tmp_path / "list.md"
    path.write_bytes(
        b"# L\n\n## S\n\n* **Fine** [[blog]](https://e.org/a)\n* **Caf\xe9** [[blog]](https://e.org/b)\n"
    )
    warning = next(d for d in parse_file(path).diagnostics if d.code == "encoding")
    assert (warning.line, warning.message) == (6, "not valid UTF-8 (byte 55, line 6); read as Windows-1252")


def test_a_pipe_nobody_writes_to_and_an_endless_device_end_in_one_line(tmp_path: Path) -> None:
    import os

    from interp_kg.errors import SourceError
    from interp_kg.source.parse import read_special

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match=r"nothing to read after 0\.2 s"):
        read_special(fifo, 1 << 20, seconds=5, first_byte=0.2)
    with pytest.raises(SourceError, match=r"more than the 1,048,576-byte limit"):
        read_special(Path("/dev/zero"), 1 << 20)


def test_a_pipe_with_a_writer_is_read(tmp_path: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "interp_kg", "lint", "/dev/stdin"],
        input="# L\n\n## S\n\n* **Paper** [[blog]](https://example.org/p)\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "1 unit -> 1 entry" in proc.stderr


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("## Sparse Coding ##", (2, "Sparse Coding")),
        ("### C# ## #", (3, "C# ##")),
        ("## ##", (2, "")),
        ("#no", None),
        ("####### seven", None),
        ("   # three spaces", (1, "three spaces")),
        ("## a" + " " * 5000 + "b", (2, "a" + " " * 5000 + "b")),  # no backtracking on long runs
    ],
)
def test_atx_headings(line: str, expected: tuple[int, str] | None) -> None:
    from interp_kg.source.parse import heading

    assert heading(line) == expected
