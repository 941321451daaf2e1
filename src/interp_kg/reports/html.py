"""The reports as self-contained HTML pages: inline CSS, inline SVG charts (:mod:`.charts`), no
script, no external resource (a Content-Security-Policy forbids any), every text HTML-escaped.
The same report gives the same bytes.

A report describes its page as a :class:`Page` of blocks (headings, paragraphs, lists, figures,
tables) holding text; ``templates/report.html`` writes it, with autoescaping
(:mod:`interp_kg.templating`). This module knows no report: each report module builds its own
page (and its charts), so imports run one way, from the reports to here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Final

if TYPE_CHECKING:
    from markupsafe import Markup

CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
#: What the graph was built from (the list, its version and date), stated by every report: set by
#: the ``report`` command around rendering (:func:`interp_kg.reports.common.stated`).
BUILT_FROM: ContextVar[str] = ContextVar("built_from", default="")


@dataclass(frozen=True)
class Heading:
    """A section heading."""

    text: str
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text, with a CSS class when ``cls``."""

    text: str
    cls: str = ""
    kind: ClassVar[str] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    """A list of text items, each linked to ``links[i]`` when given (an IRI: the work's or topic's
    page); "None." when there are none."""

    items: Sequence[str]
    links: Sequence[str] = ()
    kind: ClassVar[str] = "bullets"

    def linked(self) -> list[tuple[str, str]]:
        """(text, link or ``""``) of each item."""
        return [(item, self.links[i] if i < len(self.links) else "") for i, item in enumerate(self.items)]


@dataclass(frozen=True)
class Figure:
    """A chart with its caption (text). ``svg`` is markup: an ``<svg>`` element drawn by
    :mod:`.charts` (see :func:`chart`), never text from the graph."""

    svg: Markup
    caption: str
    kind: ClassVar[str] = "figure"


@dataclass(frozen=True)
class Table:
    """A table of text cells, numeric columns right-aligned, with the CSS class ``cls``. Per row,
    when given: a CSS class, an indent of the first cell (in em) and a tooltip (text) on it."""

    headers: Sequence[str]
    numeric: Sequence[bool]
    rows: Sequence[Sequence[str]]
    row_classes: Sequence[str] = ()
    indents: Sequence[float] = ()
    titles: Sequence[str] = ()
    cls: str = ""
    links: Sequence[str] = ()
    """Per row, the IRI the first cell links to (its page on the site), or ``""``."""
    kind: ClassVar[str] = "table"

    def head(self) -> list[tuple[bool, str]]:
        """(numeric, text) of each header."""
        return list(zip(self.numeric, self.headers, strict=True))

    def body(self) -> Iterator[tuple[str, str, str, str, str, list[tuple[bool, str]]]]:
        """Per row: its CSS class, the first cell's indent (``"1.75"``, in em), tooltip and link
        (each ``""`` when none), the first cell, and (numeric, text) of the other cells."""
        numeric = self.numeric[1:]

        def at(values: Sequence[object], r: int) -> object:
            return values[r] if r < len(values) else None

        for r, row in enumerate(self.rows):
            indent = at(self.indents, r)
            yield (
                str(at(self.row_classes, r) or ""),
                f"{indent:.2f}" if indent else "",
                str(at(self.titles, r) or ""),
                str(at(self.links, r) or ""),
                row[0],
                list(zip(numeric, row[1:], strict=True)),
            )


@dataclass(frozen=True)
class Legend:
    """What each flag and colour means: (term, definition) pairs."""

    items: Sequence[tuple[str, str]]
    kind: ClassVar[str] = "legend"


Block = Heading | Paragraph | Bullets | Figure | Table | Legend


@dataclass(frozen=True)
class Page:
    """A report's page: its title, an introduction (text) and its blocks."""

    title: str
    intro: str
    blocks: Sequence[Block]


def chart(svg: str) -> Markup:
    """An SVG chart of :mod:`.charts` as markup, written into the page as it is. Trusted: the charts
    are drawn by pygal from figures and serialised by ElementTree, which escapes every label (see
    :mod:`.charts`); nothing else may be passed as markup."""
    from markupsafe import Markup

    return Markup(svg)


def render(page: Page) -> bytes:
    """The page as HTML, UTF-8."""
    from interp_kg.templating import render

    return render("interp_kg.reports", "report.html", page=page, csp=CSP, built_from=BUILT_FROM.get()).encode(
        "utf-8"
    )
