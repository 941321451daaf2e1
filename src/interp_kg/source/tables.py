"""Tables of works: Markdown pipe tables (markdown-it-py's table rule) and HTML ``<table>``
blocks (:mod:`interp_kg.source.html`), read alike once their cells are Markdown lines.

The header row says what each column holds (``data/layout.toml``'s ``[columns]``: title,
venue, year or date, code, links, authors, notes, topic; in any order). Each body row with a
title becomes an entry: the title cell's first line is the title (its link the work's link, its
other lines notes and perhaps a venue), the venue and year cells are hints for the venue and
year, every link in the row is a link of the work (badges are not), authors and notes cells are
notes. A table without a title column is reported, not guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from interp_kg.source.html import Element, inline_markdown, markdown_lines, table_rows
from interp_kg.source.layout import ColumnRole, Layout
from interp_kg.source.models import DiagnosticCode, Link
from interp_kg.source.text import has_star, strip_symbols
from interp_kg.source.units import read_lines, strip_numbering, venue_in_text, year_in_text

_TABLES = MarkdownIt("zero").enable(["table"])
#: A delimiter row: `|---|:---:|`, `--- | ---`.
DELIMITER = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_EMPTY_CELL = frozenset({"", "-", "--", "\u2013", "\u2014", "n/a", "na", "none", "/", "tbd", "?"})
_CODE_SPAN = re.compile(r"`[^`]*`")
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


@dataclass
class Table:
    """A table's header (plain text per column) and body rows (Markdown lines per cell)."""

    line: int
    header: list[str]
    rows: list[TableRow]


@dataclass
class TableRow:
    """One body row: its source line, its cells as Markdown lines, its text as the entry's text,
    and whether cells beyond the header hold links (Markdown drops them)."""

    line: int
    cells: list[list[str]]
    text: str
    extra_links: bool = False


@dataclass
class RowRead:
    """What one row says: an entry's parts, or why it is none."""

    line: int
    text: str
    title: str | None = None
    alias: str | None = None
    featured: bool = False
    links: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    topic: str | None = None
    problems: list[tuple[DiagnosticCode, str]] = field(default_factory=list)
    image_urls: list[str] = field(default_factory=list)
    anchors: int = 0


def _cells_of(line: str) -> int:
    """How many cells a pipe-table line has (pipes escaped or in code spans do not count)."""
    body = _CODE_SPAN.sub("", line.strip())
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return len(_UNESCAPED_PIPE.findall(body)) + 1


def _after_cell(line: str, n: int) -> str:
    """The text of a pipe-table line after its ``n``-th cell."""
    body = line.strip().removeprefix("|")
    pipes = [m.start() for m in _UNESCAPED_PIPE.finditer(body)]
    return body[pipes[n - 1] + 1 :] if len(pipes) >= n else ""


def pipe_table(lines: Sequence[str], first_line: int) -> Table | None:
    """A Markdown pipe table (header, delimiter row, body rows) read by markdown-it-py; None when
    markdown-it does not read the lines as a table (the header and delimiter rows disagree)."""
    tokens = _TABLES.parse("\n".join(lines))
    header: list[str] = []
    rows: list[TableRow] = []
    in_head = False
    row: list[list[str]] | None = None
    row_at = 0
    for tok in tokens:
        kind = tok.type
        if kind == "thead_open":
            in_head = True
        elif kind == "thead_close":
            in_head = False
        elif kind == "tr_open":
            row, row_at = [], (tok.map[0] if tok.map else 0)
        elif kind == "inline" and row is not None:
            if in_head:
                header.append(strip_symbols(" ".join(markdown_plain(tok.content))))
            else:
                row.append(markdown_lines(tok.content))
        elif kind == "tr_close" and row is not None:
            if not in_head:
                raw = lines[row_at].strip()
                extra = _cells_of(raw) > len(header) and "](" in _after_cell(raw, len(header))
                rows.append(TableRow(first_line + row_at, row, raw, extra))
            row = None
        elif kind == "table_close":
            break
    if not header:
        return None
    return Table(line=first_line, header=header, rows=rows)


def markdown_plain(text: str) -> list[str]:
    """Header text: Markdown lines with the markup of links and emphasis taken off."""
    out = []
    for line in markdown_lines(text):
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        out.append(line.replace("**", "").replace("__", "").replace("`", "").strip("*_ "))
    return out


def html_table(table: Element, layout: Layout) -> Table:
    """An HTML ``<table>`` (rowspan and colspan laid out): its first row is the header when it is
    made of ``<th>`` cells or names a column the layout knows; else the table has no header."""
    grid = table_rows(table)
    if not grid:
        return Table(line=table.line, header=[], rows=[])
    head = grid[0]
    header = [strip_symbols(cell.text()) if cell is not None else "" for cell in head.cells]
    if head.header or any(role is not None for role in layout.column_roles(header)):
        body = grid[1:]
    else:
        header, body = [], grid
    rows = []
    for row in body:
        cells = [inline_markdown(cell) if cell is not None else [] for cell in row.cells]
        text = " | ".join(" ".join(lines) for lines in cells)
        rows.append(TableRow(row.line, cells, text or f"<tr> at line {row.line}"))
    return Table(line=table.line, header=header, rows=rows)


def read_row(
    row: TableRow, roles: Sequence[ColumnRole | None], is_hint_label: Callable[[str], bool]
) -> RowRead:
    """One body row of a table whose columns have ``roles`` (one of them the title)."""
    out = RowRead(line=row.line, text=row.text)
    notes_after: list[str] = []
    for role, lines in zip(roles, row.cells, strict=False):
        if not lines:
            continue
        if role == "title":
            unit = read_lines(lines, is_hint_label)
            head = unit.head
            out.title = strip_numbering(head.title) if head.title else None
            out.alias, out.featured = head.alias, head.featured
            out.links[:0] = unit.links
            out.notes[:0] = unit.notes
            out.venue = out.venue or unit.venue
            _absorb(out, unit.problems, unit.image_urls, unit.anchors)
            continue
        unit = read_lines(lines, is_hint_label, titled=False)
        out.links.extend(unit.links)
        _absorb(out, unit.problems, unit.image_urls, unit.anchors)
        text = " ".join(unit.texts).strip()
        if not text or text.lower() in _EMPTY_CELL:
            out.featured = out.featured or has_star(" ".join(lines))
            continue
        if role == "venue":
            out.venue = venue_in_text(text) or text
        elif role == "year":
            out.year = year_in_text(text)
        elif role == "topic":
            out.topic = text
        elif role in ("authors", "notes"):
            notes_after.append(text)
    out.notes.extend(notes_after)
    return out


def _absorb(
    out: RowRead, problems: list[tuple[DiagnosticCode, str]], images: list[str], anchors: int
) -> None:
    out.problems.extend(problems)
    out.image_urls.extend(images)
    out.anchors += anchors
