"""What the reports share: the report queries, typed values, the terminal tables and the format
registry of a report (Markdown and CSV are written by :mod:`interp_kg.escape`, HTML by
:mod:`.html`).

The report queries live in ``queries/reports/*.rq``, with the header format of the saved queries
(:mod:`interp_kg.curation.saved_queries`) but out of the user-facing catalogue. Every figure of a
report is counted by one of them; the report modules only arrange the counts (tree order, shares,
medians, flags).

Output is byte-stable: rows in a fixed order, JSON with sorted keys and ``ensure_ascii=False``,
CSV with a fixed column order (RFC 4180: quoted where needed, CRLF line ends, as the SPARQL CSV
results format), shares rounded to four decimals.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast, get_args

from pydantic import BaseModel

from interp_kg.curation.saved_queries import SavedQuery, load_catalogue
from interp_kg.escape import CsvValue, csv_bytes
from interp_kg.resources import queries_dir

if TYPE_CHECKING:
    import pyoxigraph
    from rich.console import RenderableType

    from interp_kg.sparql.query import Backend, Result

#: Output formats of every report (the formats :data:`interp_kg.formats.COMMAND_FORMATS` gives
#: ``report``; a test checks they agree).
ReportFormat = Literal["table", "md", "csv", "json", "html"]
REPORT_FORMATS: Final[tuple[ReportFormat, ...]] = get_args(ReportFormat)
#: Seconds a report query may run by default (``--timeout``).
QUERY_TIMEOUT: Final = 30.0
T = TypeVar("T")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = frozenset(
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "unsignedInt",
        "unsignedLong",
    )
)
_FLOATS = frozenset(_XSD + t for t in ("decimal", "double", "float"))


def reports_queries_dir() -> Path:
    """The folder of the report queries: ``queries/reports/``."""
    return queries_dir() / "reports"


@cache
def report_query(name: str) -> SavedQuery:
    """The report query ``queries/reports/<name>.rq``."""
    return load_catalogue(reports_queries_dir())[name]


@cache
def _cast(datatype: str) -> Callable[[str], str | int | float | bool]:
    """How a literal of ``datatype`` becomes a Python value."""
    if datatype in _INTEGERS:
        return int
    if datatype in _FLOATS:
        return float
    if datatype == _XSD + "boolean":
        return lambda lexical: lexical in ("true", "1")
    return str


def value(term: Any) -> str | int | float | bool | None:
    """A result term as a Python value: IRIs and strings as ``str``, numbers and booleans typed.
    (Called for every cell of a report's rows: a large report has hundreds of thousands.)"""
    import pyoxigraph

    if term is None:
        return None
    if type(term) is pyoxigraph.Literal:
        return _cast(term.datatype.value)(term.value)
    return str(term.value)


def report_result(backend: Backend, name: str, timeout: float = QUERY_TIMEOUT) -> Result:
    """The result of a report query as the backend gives it (terms, by position)."""
    query = report_query(name)
    return backend.execute(query.text, {}, query.form, timeout)


def run_report_query(backend: Backend, name: str, timeout: float = QUERY_TIMEOUT) -> list[dict[str, Any]]:
    """The solutions of a report query, one dict per row; unbound variables are absent. For a
    query of many rows, :func:`fold_report_query` reads them one at a time instead."""
    result = report_result(backend, name, timeout)
    return [
        {var: value(term) for var, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]


def run_report_queries(
    backend: Backend, names: Sequence[str], timeout: float = QUERY_TIMEOUT
) -> dict[str, list[dict[str, Any]]]:
    """:func:`run_report_query` for each name, one after the other: on a large store each query
    holds its joins' tables while it runs (hundreds of MiB at a million works), so two at a time
    would add their peaks."""
    return {name: run_report_query(backend, name, timeout) for name in names}


def fold_report_query(
    backend: Backend,
    name: str,
    fold: Callable[[Sequence[str], Iterable[Sequence[Any]]], T],
    timeout: float = QUERY_TIMEOUT,
) -> T:
    """``fold(variables, rows)`` over the solutions of a report query, the rows (terms, by
    position; None where unbound) read one at a time from the local store as ``fold`` takes them,
    so that a report holds what it keeps of them only, never the whole answer (a remote backend
    gives its answer whole). Reading and folding together must end within ``timeout`` seconds,
    else :class:`~interp_kg.errors.QueryTimeout`."""
    from interp_kg.sparql.query import LocalBackend, store_errors, within

    query = report_query(name)

    def read(solutions: pyoxigraph.QuerySolutions) -> Iterator[tuple[Any, ...]]:
        with store_errors():  # the store's, as the rows are read
            for solution in solutions:
                yield tuple(solution)

    def work() -> T:
        if isinstance(backend, LocalBackend):
            with store_errors():
                solutions = cast("pyoxigraph.QuerySolutions", backend.store.query(query.text))
            return fold(tuple(v.value for v in solutions.variables), read(solutions))
        result = backend.execute(query.text, {}, query.form, timeout)
        return fold(result.variables, result.rows)

    return within(timeout, work, "interp-kg-report")


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    import ctypes

    try:
        return cast("Callable[[int], int]", ctypes.CDLL(None).malloc_trim)
    except (OSError, AttributeError):  # not glibc
        return None


def released() -> None:
    """Hand back to the system the memory a finished query's evaluation freed (glibc keeps freed
    heap, and each thread's arena, for reuse by C code; Python's own objects come from separate
    mappings, so without this a report's rows would be added on top of the query's peak). Call it
    between the query and the building of a large report. Nothing where malloc is not glibc's."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def share(part: int, whole: int) -> float:
    """``part / whole`` rounded to four decimals; 0.0 when ``whole`` is 0."""
    return round(part / whole, 4) if whole else 0.0


def percent(fraction: float) -> str:
    """A share as a whole percentage: ``0.2857`` -> ``29%``."""
    return f"{fraction:.0%}"


def median(histogram: Mapping[int, int]) -> float | None:
    """The median of the values a ``value -> count`` histogram describes; None when it is empty.

    >>> median({2023: 2, 2024: 1})
    2023.0
    >>> median({2023: 1, 2024: 1})
    2023.5
    """
    n = sum(histogram.values())
    if n == 0:
        return None
    wanted = sorted({(n - 1) // 2, n // 2})
    found: list[int] = []
    seen = 0
    for key in sorted(histogram):
        count = histogram[key]
        found += [key for position in wanted if seen <= position < seen + count]
        seen += count
    return sum(found) / len(found)


def to_json(report: BaseModel) -> bytes:
    """The report as indented JSON: sorted keys, UTF-8, one final newline (the bytes of
    ``json.dumps(..., indent=2, sort_keys=True, ensure_ascii=False)``, written by orjson: the
    standard library's indenting encoder is pure Python, 1 s for a large report)."""
    import orjson

    return orjson.dumps(
        report.model_dump(mode="json"),
        option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE,
    )


def joined(mapping: Mapping[str, int]) -> str:
    """A mapping as one CSV cell: ``key=value`` pairs joined by ``;``, in the mapping's order."""
    return ";".join(f"{k}={v}" for k, v in mapping.items())


#: Tables with more rows than this are laid out by :class:`PlainTable` even when rich would wrap
#: their cells: rich measures and wraps every cell (minutes for 100k rows); the plain layout keeps
#: every cell whole on one line (lines may be wider than the terminal).
LARGE_TABLE_ROWS: Final = 1000
_EMOJI_CODE = re.compile(r":\S*?:")  # what rich may read as an emoji code (``:smile:``)


@dataclass(frozen=True)
class PlainTable:
    """A table for the terminal, written as rich writes ``Table(box=None, padding=(0, 1),
    show_edge=False, pad_edge=False, header_style="bold")`` with a centred title: columns as wide
    as their widest cell, two spaces between them, right-justified where ``right``.

    Without colour, when the table fits the width and no cell needs rich (markup, emoji codes,
    control characters), it is written here, byte for byte as rich would (a test compares them),
    in a fraction of the time; with colour, or when rich would wrap cells, rich writes it, except
    for tables of more than :data:`LARGE_TABLE_ROWS` rows, which are written here unwrapped.
    Cells are strings or :class:`rich.text.Text` (styled, never read as markup).

    With ``repeat`` > 0, a table wider than the terminal is written as blocks of columns one under
    the other, each with the first ``repeat`` columns again (as pandas prints a wide frame), so
    that no figure is cut to fit: see :meth:`blocks`.
    """

    headers: Sequence[str]
    right: Sequence[bool]
    rows: Sequence[Sequence[Any]]
    title: str | None = None
    no_wrap: Sequence[bool] = ()
    repeat: int = 0
    max_width: Sequence[int | None] = ()

    def _no_wrap(self) -> list[bool]:
        return list(self.no_wrap) or [False] * len(self.headers)

    def _max_width(self) -> list[int | None]:
        return list(self.max_width) or [None] * len(self.headers)

    def _columns(self) -> list[list[str]]:
        """Each column's header and cells as plain text."""
        columns: list[list[str]] = [[header] for header in self.headers]
        for cells in self.rows:
            for column, cell in zip(columns, cells, strict=True):
                column.append(cell if isinstance(cell, str) else cell.plain)
        return columns

    @staticmethod
    def _lengths(columns: list[list[str]]) -> list[list[int]]:
        """The terminal width of each cell: a column of printable ASCII (most) is measured by len,
        other columns as rich measures them (wide characters take two cells, control characters
        none). Column by column: a large table has hundreds of thousands of cells."""
        from rich.cells import cell_len

        lengths: list[list[int]] = []
        for column in columns:
            joined = "".join(column)
            plain_ascii = joined.isascii() and joined.isprintable()
            lengths.append(
                [len(c) for c in column]
                if plain_ascii
                else [len(c) if c.isascii() and c.isprintable() else cell_len(c) for c in column]
            )
        return lengths

    def widths(self) -> list[int]:
        """The terminal width of each column: its widest cell or header, or its ``max_width``."""
        return [
            max(ns) if m is None else min(max(ns), m)
            for ns, m in zip(self._lengths(self._columns()), self._max_width(), strict=True)
        ]

    def blocks(self, width: int) -> list[PlainTable]:
        """This table, or blocks of its columns that each fit ``width`` (the first ``repeat``
        columns in every block; at least one more column a block, even if that is too wide)."""
        if not self.repeat:
            return [self]
        widths = self.widths()
        if sum(widths) + 2 * (len(widths) - 1) <= width:
            return [self]
        key = list(range(self.repeat))
        key_width = sum(widths[i] + 2 for i in key)
        groups: list[list[int]] = [[]]
        filled = key_width
        for i in range(self.repeat, len(widths)):
            if groups[-1] and filled + widths[i] > width:
                groups.append([])
                filled = key_width
            groups[-1].append(i)
            filled += widths[i] + 2
        no_wrap, most = self._no_wrap(), self._max_width()
        return [
            PlainTable(
                headers=[self.headers[i] for i in key + group],
                right=[self.right[i] for i in key + group],
                rows=[[cells[i] for i in key + group] for cells in self.rows],
                title=self.title if n == 0 else None,
                no_wrap=[no_wrap[i] for i in key + group],
                max_width=[most[i] for i in key + group],
            )
            for n, group in enumerate(groups)
        ]

    def rich_table(self) -> Any:
        """The same table as a :class:`rich.table.Table`."""
        from rich.table import Table

        table = Table(
            title=self.title,
            header_style="bold",
            show_edge=False,
            pad_edge=False,
            box=None,
            padding=(0, 1),
        )
        columns = zip(self.headers, self.right, self._no_wrap(), self._max_width(), strict=True)
        for header, right, keep, at_most in columns:
            # "fold": a cell too wide for its column goes on over more lines, never cut to "…"
            table.add_column(
                header,
                justify="right" if right else "left",
                no_wrap=keep,
                overflow="fold",
                max_width=at_most,
            )
        for cells in self.rows:
            table.add_row(*cells)
        return table

    def plain(self, width: int | None, color: bool) -> str | None:
        """The table as text when written here (see the class), else None."""
        from rich.cells import cell_len

        large = len(self.rows) > LARGE_TABLE_ROWS
        if color and not large:
            return None
        columns = self._columns()
        if not large:
            for column in columns:
                for text in column[1:]:
                    if "[" in text or _EMOJI_CODE.search(text) or not text.isprintable():
                        return None
                if not column[0].isprintable():
                    return None
        lengths = self._lengths(columns)
        widths = [max(column) for column in lengths]
        if not large and any(m is not None and w > m for w, m in zip(widths, self._max_width(), strict=True)):
            return None  # rich wraps the cells of a column wider than its max_width
        total = sum(widths) + 2 * (len(widths) - 1)
        fits = width is not None and total <= width
        title_width = cell_len(self.title) if self.title else 0
        if not large and (not fits or title_width > total):
            return None
        padded = [
            [" " * (w - n) + c for c, n in zip(column, ns, strict=True)]
            if right
            else [c + " " * (w - n) for c, n in zip(column, ns, strict=True)]
            for column, ns, w, right in zip(columns, lengths, widths, self.right, strict=True)
        ]
        lines = ["  ".join(row) for row in zip(*padded, strict=True)]
        if self.title:
            left = max(total - title_width, 0) // 2
            lines.insert(0, " " * left + self.title + " " * max(total - title_width - left, 0))
        return "\n".join(lines) + "\n"


def console_text(renderables: Sequence[RenderableType | PlainTable], width: int | None, color: bool) -> str:
    """What rich prints for ``renderables``: with ANSI styles when ``color``, else plain text.
    A :class:`PlainTable` is written by itself where it can be (see there)."""
    from rich.console import Console

    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        soft_wrap=False,
    )
    for renderable in renderables:
        if isinstance(renderable, PlainTable):
            for n, block in enumerate(renderable.blocks(console.width)):
                if n:
                    console.print()
                text = block.plain(width, color)
                if text is not None:
                    console.file.write(text)
                else:
                    console.print(block.rich_table())
            continue
        console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined,no-any-return]


Renderer = Callable[[Any, "int | None", bool], bytes]


def renderers(
    to_table: Callable[..., str],
    to_markdown: Callable[[Any], str],
    to_html: Callable[[Any], bytes],
    columns: Sequence[str],
    record: Callable[[Any], Mapping[str, CsvValue]],
) -> dict[ReportFormat, Renderer]:
    """The format -> renderer registry of a report (each report supplies its own pieces). The
    terminal table and Markdown end with what the graph was built from, when :func:`stated`."""
    return {
        "table": lambda r, width, color: (to_table(r, width=width, color=color) + _built_from_line()).encode(
            "utf-8"
        ),
        "md": lambda r, width, color: (to_markdown(r) + _built_from_md()).encode("utf-8"),
        "csv": lambda r, width, color: csv_bytes(columns, (record(row) for row in r.rows)),
        "json": lambda r, width, color: to_json(r),
        "html": lambda r, width, color: to_html(r),
    }


def _built_from_line() -> str:
    from interp_kg.reports.html import BUILT_FROM

    text = BUILT_FROM.get()
    return f"\n{text}\n" if text else ""


def _built_from_md() -> str:
    from interp_kg.escape import md_cell
    from interp_kg.reports.html import BUILT_FROM

    text = BUILT_FROM.get()
    return f"\n{md_cell(text)}\n" if text else ""


@contextmanager
def stated(built_from: str) -> Iterator[None]:
    """Within it, every report rendered as a table, Markdown or HTML states ``built_from`` (the
    list, its version and date the graph was built from); CSV and JSON stay the data alone."""
    from interp_kg.reports.html import BUILT_FROM

    token = BUILT_FROM.set(built_from)
    try:
        yield
    finally:
        BUILT_FROM.reset(token)
