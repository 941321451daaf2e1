"""The escapers: the Markdown cell, code span and autolink, the CSV writer, and the HTML of the
templates. A hostile text (markup, table pipes, backticks, wiki links, line breaks, entities,
quotes, block markers) comes back from each as the same text."""

from __future__ import annotations

import csv
import doctest
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup

import interp_kg.escape as escape_module
import interp_kg.templating as templating_module
from interp_kg.escape import csv_bytes, md_cell, md_cells, md_code, md_table, md_url
from interp_kg.templating import environment, html_escape, script_json

#: Texts a title, label or note may hold, each a way to break out of its cell or line.
HOSTILE = (
    "<script>alert(1)</script>",
    "a | b || c",
    "`code` and ``double`` and `",
    "[[wiki]] and [link](javascript:alert(1)) and ![img](x.png)",
    "line one\nline two\r\nthree\ttab",
    "Tom & Jerry &amp; &#35; &#x41; &copy; &",
    "\"double\" and 'single' quotes",
    "*em* _em_ __strong__ ~~strike~~ a*b*c",
    "# heading",
    "> quote",
    "- item",
    "+ item",
    "1. item",
    "2) item",
    "<b>bold</b> <!-- comment --> <https://example.org> <a href='x'>",
    "back\\slash \\* \\",
    "   spaced   out   ",
    "---",
    "|",
)


def markdown() -> MarkdownIt:
    """A CommonMark parser with GitHub's tables and strikethrough."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def flat(tokens: list[Token]) -> list[Token]:
    """Every token, inline children included."""
    out = []
    for token in tokens:
        out.append(token)
        out += flat(token.children or [])
    return out


def no_html(tokens: list[Token]) -> None:
    found = [t for t in flat(tokens) if t.type in ("html_inline", "html_block")]
    assert not found, [t.content for t in found]


def plain(inline: Token) -> str:
    """The text of an inline token that must hold text only (no emphasis, code, link or HTML)."""
    children = inline.children or []
    assert all(c.type == "text" for c in children), [c.type for c in children]
    return "".join(c.content for c in children)


def table_cells(text: str) -> list[list[str]]:
    """The body cells of the one table in ``text``, as the text a reader sees."""
    tokens = markdown().parse(text)
    no_html(tokens)
    rows: list[list[str]] = []
    in_body = False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and in_body:
            rows.append([])
        elif token.type == "inline" and in_body:
            rows[-1].append(plain(token))
    return rows


def shown(text: str) -> str:
    """What a cell shows for ``text``: the same text on one line."""
    return " ".join(text.split())


@pytest.mark.parametrize("text", HOSTILE)
def test_a_markdown_cell_shows_its_text_in_a_table(text: str) -> None:
    table = md_table(["a", "b"], [False, True], [[md_cell(text), md_cell("x")]])
    assert table_cells(table) == [[shown(text), "x"]]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_markdown_cell_shows_its_text_as_a_paragraph_list_item_and_heading(text: str) -> None:
    if not shown(text):
        return
    for line, block in ((md_cell(text), "paragraph_open"), (f"- {md_cell(text)}", "bullet_list_open")):
        tokens = markdown().parse(line + "\n")
        no_html(tokens)
        assert tokens[0].type == block, (text, [t.type for t in tokens])
        assert [plain(t) for t in tokens if t.type == "inline"] == [shown(text)]
    tokens = markdown().parse(f"## {md_cell(text)}\n")
    assert tokens[0].type == "heading_open" and plain(tokens[1]) == shown(text)


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("Paper & Blog | *new*  &amp;", "Paper & Blog \\| \\*new\\* &amp;amp;"),
        ("plain words", "plain words"),
        ("  spaced\nout\ttext ", "spaced out text"),
        ("[link](x) <b> `code` _u_ #h \\", "\\[link\\](x) &lt;b> \\`code\\` \\_u\\_ \\#h \\\\"),
        ("&#35; &copy; &x", "&amp;\\#35; &amp;copy; &x"),
        ("sae_vis _init_ a__b", "sae_vis \\_init\\_ a\\_\\_b"),  # inside a word, _ is text
        ("see https://x.org/a_b#c_ [x]", "see https://x.org/a_b#c_ \\[x\\]"),
        ("https://x.org/*a*[b]~c~&amp;|d", "https://x.org/\\*a\\*\\[b\\]\\~c\\~&amp;amp;\\|d"),
        ("a > b", "a > b"),  # no tag can open: kept
        ("> a", "&gt; a"),
        ("- a", "\\- a"),
        ("2024. A year", "2024\\. A year"),
        ("2024.5", "2024.5"),
        ("[[wiki]]", "\\[\\[wiki\\]\\]"),
        ("~~gone~~", "\\~\\~gone\\~\\~"),
    ],
)
def test_markdown_cells_escape_what_markdown_would_read(text: str, cell: str) -> None:
    assert md_cell(text) == cell


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), max_size=5))
def test_markdown_rows_are_escaped_as_cell_by_cell(rows: list[list[str]]) -> None:
    assert md_cells(rows) == [[md_cell(cell) for cell in row] for row in rows]


@given(st.text(alphabet=st.sampled_from("ab <>&|`*_[]#~-+1.)\\\n>;"), max_size=12))
def test_any_text_of_markdown_characters_comes_back_from_a_cell(text: str) -> None:
    assert table_cells(md_table(["a"], [False], [[md_cell(text)]])) == [[shown(text)]]


def test_code_spans_and_autolinks_fall_back_to_text_when_they_would_break() -> None:
    for text in ("old.md", "a`b", "x\ny"):
        tokens = markdown().parse(f"see {md_code(text)}\n")
        no_html(tokens)
        children = tokens[1].children or []
        assert "".join(c.content for c in children) == f"see {shown(text)}"
    for url in ("https://example.org/a_b?x=1&y=<2>", "https://x.org/><script>alert(1)</script>", "a b"):
        tokens = markdown().parse(f"added {md_url(url)}\n")
        no_html(tokens)
    link = markdown().parse(f"{md_url('https://example.org/a_b')}\n")[1].children or []
    assert link[0].type == "link_open" and link[0].attrs["href"] == "https://example.org/a_b"


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_reads_back_the_exact_value(text: str) -> None:
    data = csv_bytes(["label", "n", "ok", "none"], [{"label": text, "n": 3, "ok": False, "none": None}])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert rows == [["label", "n", "ok", "none"], [text, "3", "false", ""]]
    assert data.endswith(b"\r\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_templates_escape_text_and_attributes(text: str) -> None:
    page = environment("interp_kg.site").from_string('<p title="{{ t }}">{{ t }}</p>{{ m }}')
    out = page.render(t=text, m=Markup("<b>trusted</b>"))
    assert out == f'<p title="{html_escape(text)}">{html_escape(text)}</p><b>trusted</b>'
    assert "<script" not in out.replace("<b>trusted</b>", "")


def test_undefined_names_in_templates_are_errors() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        environment("interp_kg.site").from_string("{{ missing }}").render()


def test_json_in_a_script_element_cannot_close_it() -> None:
    data = {"name": "</script><script>alert(1)</script><!-- & -->"}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    import json

    assert json.loads(text) == data


def test_docstring_examples() -> None:
    for module in (escape_module, templating_module):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
