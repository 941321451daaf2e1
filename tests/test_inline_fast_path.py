"""The fast path for canonical entry lines reads exactly what markdown-it reads."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interp_kg.source.inline import _parse_fast, parse_inline
from interp_kg.source.parse import _is_hint_label
from tests.conftest import BUNDLED, REPO

BULLET = re.compile(r"^\s*(?:[*+-]|\d+[.)])\s+(.*?)\s*$")


def bullet_texts() -> list[str]:
    texts = []
    for path in (BUNDLED, REPO / "tests" / "golden" / "tricky.md"):
        from interp_kg.source.text import repair

        for line in path.read_text("utf-8").splitlines():
            if m := BULLET.match(repair(line)):
                texts.append(m.group(1))
    return texts


def same(text: str) -> bool:
    """Whether the fast path applies; if it does, it must agree with markdown-it."""
    quick = _parse_fast(text)
    if quick is None:
        return False
    assert quick == parse_inline(text, _is_hint_label, fast=False), text
    return True


def test_fast_path_agrees_on_every_real_line() -> None:
    texts = bullet_texts()
    used = sum(same(t) for t in texts)
    assert used > 150  # most real lines take the fast path


@pytest.mark.parametrize(
    "text",
    [
        "**AtP\\*: An efficient method** [[arxiv 2403]](https://arxiv.org/abs/2403.00745)",
        "**Locating** (*ROME*) [[NIPS 2022]](https://a.org/x)",
        "**T** [[arxiv 2305]]([10.48550/arXiv.2305.13417](http://arxiv.org/abs/2305.13417))",
        "**T** [[x]](https://arxiv.org/abs/ 2310.01405)",
        "** T** [[x]](https://a.org/)",
        "abc**T** [[x]](https://a.org/)",
        "**T &amp; U** [[x]](https://a.org/)",
        "**T** [[x]](https://a.org/?a=1&amp;b=2)",
        "[Library](#library)",
    ],
)
def test_fast_path_declines_lines_that_need_markdown(text: str) -> None:
    assert _parse_fast(text) is None


PIECES = st.sampled_from(
    [
        "**",
        "*",
        "_",
        "__",
        "[[",
        "]]",
        "[",
        "]",
        "(",
        ")",
        " ",
        "\t",
        "🌟",
        "⭐",
        "\\",
        "`",
        "&",
        "&amp;",
        "<",
        ">",
        "#",
        "!",
        "?",
        ":",
        "title",
        "T",
        "2402",
        "arxiv",
        "https://arxiv.org/abs/2402.00001",
        "https://github.com/a/b",
        "ü",
        "\N{RIGHT SINGLE QUOTATION MARK}",
        "-",
        ".",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_fast_path_agrees_with_markdown_it_on_generated_lines(text: str) -> None:
    same(text)


LABELS = st.sampled_from(["arxiv 2402", "github", "ICLR 2024"])
URLS = st.sampled_from(["https://arxiv.org/abs/2402.00001", "https://github.com/o/r", "http://x.org/a_b*c"])
LINKS = st.lists(st.tuples(st.sampled_from(["[[{}]]", "[{}]"]), LABELS, URLS), max_size=3)
TITLES = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\n\r"), min_size=1, max_size=30)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["", "🌟", "⭐ ", " "]), TITLES, LINKS)
def test_fast_path_agrees_on_canonical_shapes(
    pre: str, title: str, links: list[tuple[str, str, str]]
) -> None:
    text = f"{pre}**{title}**" + "".join(f" {fmt.format(label)}({url})" for fmt, label, url in links)
    same(text)
