"""HTML blocks of a list -> a small tree (the standard library's :mod:`html.parser`) -> Markdown.

Awesome lists write some units in HTML: ``<table>`` grids of papers, ``<details>`` groups,
``<p>`` paragraphs with ``<br>`` lines, ``<h2>`` headings. The tree keeps what the reader needs
(tags, attributes, text, the source line of each element) and :func:`inline_markdown` turns an
element's content back into Markdown lines, so that one inline reader
(:func:`interp_kg.source.inline.parse_inline`) reads every layout alike: ``<a href>`` becomes a
link, ``<b>`` bold, ``<img>`` an image, ``<br>`` and block elements a new line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

#: Elements without content or end tag.
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: Elements whose content starts a new line in :func:`inline_markdown`.
_BLOCK = frozenset(
    {
        "address", "article", "aside", "blockquote", "center", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: An open element that a new one of these tags closes (HTML's implied end tags, simplified).
_CLOSED_BY: dict[str, frozenset[str]] = {
    "tr": frozenset({"tr", "td", "th"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "li": frozenset({"li"}),
    "p": frozenset({"p"}),
    "thead": frozenset({"thead", "tbody", "tr", "td", "th"}),
    "tbody": frozenset({"thead", "tbody", "tr", "td", "th"}),
}
#: ... but not across these.
_SCOPE = frozenset({"table", "ul", "ol", "details", "div", "blockquote"})
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>&])")
_SPACE = re.compile(r"[ \t\r\n]+")


@dataclass
class Element:
    """An HTML element: its tag, attributes, content (elements and text) and source line."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element | str] = field(default_factory=list)

    def find_all(self, *tags: str) -> Iterator[Element]:
        """Descendants with one of ``tags``, in document order (not inside a match)."""
        for child in self.children:
            if isinstance(child, Element):
                if child.tag in tags:
                    yield child
                else:
                    yield from child.find_all(*tags)

    def elements(self) -> Iterator[Element]:
        """The child elements."""
        return (c for c in self.children if isinstance(c, Element))

    def text(self) -> str:
        """The plain text, whitespace collapsed."""
        return _SPACE.sub(" ", "".join(_texts(self))).strip()


def _texts(node: Element) -> Iterator[str]:
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.tag == "br":
            yield " "
        else:
            yield from _texts(child)


class _TreeBuilder(HTMLParser):
    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.root = Element("#root", {}, first_line)
        self.stack: list[Element] = [self.root]

    def _line(self) -> int:
        return self.first_line + self.getpos()[0] - 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        closes = _CLOSED_BY.get(tag)
        if closes:
            for depth in range(len(self.stack) - 1, 0, -1):
                open_tag = self.stack[depth].tag
                if open_tag in _SCOPE:
                    break
                if open_tag in closes:
                    del self.stack[depth:]
                    break
        element = Element(tag, {k: v or "" for k, v in attrs}, self._line())
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, self._line()))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str, first_line: int = 1) -> Element:
    """The elements of an HTML block (``#root`` holds them); lines count from ``first_line``."""
    builder = _TreeBuilder(first_line)
    builder.feed(text)
    builder.close()
    return builder.root


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", _SPACE.sub(" ", text))


def _url(href: str) -> str:
    return href.strip().replace(" ", "%20").replace("(", "%28").replace(")", "%29")


_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
"""Markdown emphasis for the HTML tags that give it."""


def _inline(node: Element, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(_escape(child))
            continue
        tag = child.tag
        if tag == "br":
            out.append("\n")
        elif tag == "img":
            alt = _escape(child.attrs.get("alt", ""))
            if src := child.attrs.get("src", "").strip():
                out.append(f"![{alt}]({_url(src)})")
        elif tag == "a" and (href := child.attrs.get("href", "").strip()):
            inner: list[str] = []
            _inline(child, inner)
            out.append(f"[{''.join(inner).replace(chr(10), ' ').strip()}]({_url(href)})")
        elif mark := _EMPHASIS.get(tag):
            inner = []
            _inline(child, inner)
            text = "".join(inner).strip()
            if text:
                out.append(f"{mark}{text}{mark}")
        elif tag == "code":
            out.append(_escape(child.text()))
        elif tag in ("script", "style"):
            continue
        elif tag in _BLOCK:
            out.append("\n")
            _inline(child, out)
            out.append("\n")
        else:
            _inline(child, out)


def inline_markdown(node: Element) -> list[str]:
    """An element's content as Markdown lines (``<br>`` and block elements break lines); blank
    lines dropped."""
    out: list[str] = []
    _inline(node, out)
    return [line for line in (_SPACE.sub(" ", x).strip() for x in "".join(out).split("\n")) if line]


@dataclass
class Row:
    """A row of an HTML table: its source line and one cell per column (``None`` when empty)."""

    line: int
    cells: list[Element | None]
    header: bool


def table_rows(table: Element) -> list[Row]:
    """The rows of a ``<table>``, cells laid out on a grid: a cell with ``rowspan`` fills its
    column in the rows below, one with ``colspan`` the columns to its right (a header cell
    names each of them; a body cell's content counts once, in its first column)."""
    rows: list[Row] = []
    spans: dict[int, tuple[int, Element]] = {}  # column -> (rows left, cell)
    for tr in table.find_all("tr"):
        cells: list[Element | None] = []
        col = 0
        header = True
        for cell in tr.elements():
            if cell.tag not in ("td", "th"):
                continue
            while col in spans:
                left, spanned = spans[col]
                cells.append(spanned)
                spans[col] = (left - 1, spanned)
                if left <= 1:
                    del spans[col]
                col += 1
            header = header and cell.tag == "th"
            rowspan = _span(cell.attrs.get("rowspan"))
            colspan = _span(cell.attrs.get("colspan"))
            for k in range(colspan):
                cells.append(cell if k == 0 or cell.tag == "th" else None)
                if rowspan > 1:
                    spans[col] = (rowspan - 1, cell)
                col += 1
        while col in spans:
            left, spanned = spans[col]
            cells.append(spanned)
            spans[col] = (left - 1, spanned)
            if left <= 1:
                del spans[col]
            col += 1
        if cells:
            rows.append(Row(line=tr.line, cells=cells, header=header))
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 1000))
    except ValueError:
        return 1


class _MixedReader(HTMLParser):
    """Markdown text with inline HTML: the tags become Markdown, the text stays as it is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.hrefs: list[str | None] = []
        #: per open <b>: whether it was written as ``**`` (not when inside Markdown bold already:
        #: ``**A <b>B</b> C**`` would close the outer bold and cut the title short)
        self.bolds: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "br" or tag in _BLOCK:
            self.out.append("\n")
        elif tag == "a":
            href = a.get("href", "").strip()
            self.hrefs.append(href or None)
            if href:
                self.out.append("[")
        elif tag == "img" and (src := a.get("src", "").strip()):
            self.out.append(f"![{_escape(a.get('alt', ''))}]({_url(src)})")
        elif tag in ("b", "strong"):
            written = "".join(self.out).count("**") % 2 == 0
            self.bolds.append(written)
            if written:
                self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif ":" in tag or "@" in tag:  # an autolink such as <https://example.org>, not a tag
            self.out.append(self.get_starttag_text() or "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK:
            self.out.append("\n")
        elif tag == "a" and self.hrefs:
            href = self.hrefs.pop()
            if href:
                self.out.append(f"]({_url(href)})")
        elif tag in ("b", "strong"):
            if self.bolds.pop() if self.bolds else True:
                self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def markdown_lines(text: str) -> list[str]:
    """Markdown that may hold inline HTML (``**Title** <br />``, ``<a href=...>``) as Markdown
    lines: ``<br>`` and block tags break lines, links, images and bold become Markdown; blank
    lines dropped."""
    if "<" not in text:
        return [x for x in (line.strip() for line in text.split("\n")) if x]
    reader = _MixedReader()
    reader.feed(text)
    reader.close()
    joined = "".join(reader.out)
    return [x for x in (_SPACE.sub(" ", line).strip() for line in joined.split("\n")) if x]
