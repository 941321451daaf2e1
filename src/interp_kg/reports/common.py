"""What the reports share: the report queries, typed values, and the plain-text writers.

The report queries live in ``queries/reports/*.rq``, with the header format of the saved queries
(:mod:`interp_kg.saved`) but out of the user-facing catalogue. Every figure of a report is counted
by one of them; the report modules only arrange the counts (tree order, shares, medians, flags).

Output is byte-stable: rows in a fixed order, JSON with sorted keys and ``ensure_ascii=False``,
CSV with a fixed column order (RFC 4180: quoted where needed, CRLF line ends, as the SPARQL CSV
results format), shares rounded to four decimals.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from pydantic import BaseModel

from interp_kg.resources import queries_dir
from interp_kg.saved import SavedQuery, load_catalogue

if TYPE_CHECKING:
    from rich.console import RenderableType

    from interp_kg.query import Backend

#: Output formats of every report; also the ``--format`` choices of ``interp-kg report``.
ReportFormat = Literal["table", "md", "csv", "json", "html"]
REPORT_FORMATS: Final[tuple[ReportFormat, ...]] = get_args(ReportFormat)
#: The format an output file's suffix implies when no ``--format`` is given.
SUFFIX_FORMATS: Final[Mapping[str, ReportFormat]] = {
    ".csv": "csv",
    ".htm": "html",
    ".html": "html",
    ".json": "json",
    ".markdown": "md",
    ".md": "md",
    ".txt": "table",
}
#: Seconds a report query may run.
QUERY_TIMEOUT: Final = 30.0
#: A value of a CSV cell.
CsvValue = str | int | float | bool | None

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


def value(term: Any) -> str | int | float | bool | None:
    """A result term as a Python value: IRIs and strings as ``str``, numbers and booleans typed."""
    import pyoxigraph

    if term is None:
        return None
    if isinstance(term, pyoxigraph.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype in _FLOATS:
            return float(term.value)
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
    return str(term.value)


def run_report_query(backend: Backend, name: str) -> list[dict[str, Any]]:
    """The solutions of a report query, one dict per row; unbound variables are absent."""
    query = report_query(name)
    result = backend.execute(query.text, {}, query.form, QUERY_TIMEOUT)
    return [
        {var: value(term) for var, term in zip(result.variables, row, strict=True) if term is not None}
        for row in result.rows
    ]


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
    """The report as indented JSON: sorted keys, UTF-8, one final newline."""
    text = json.dumps(report.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def to_csv(columns: Sequence[str], records: Iterable[Mapping[str, CsvValue]]) -> bytes:
    """RFC 4180 CSV with a header row; booleans as ``true``/``false``, None as an empty cell."""

    def cell(v: CsvValue) -> str | int | float:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return v

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell(record[c]) for c in columns])
    return buf.getvalue().encode("utf-8")


def joined(mapping: Mapping[str, int]) -> str:
    """A mapping as one CSV cell: ``key=value`` pairs joined by ``;``, in the mapping's order."""
    return ";".join(f"{k}={v}" for k, v in mapping.items())


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md_text(text: str) -> str:
    r"""Text for a Markdown table cell: Markdown punctuation and entity-like ``&`` escaped, on one line.

    >>> print(md_text("Paper & Blog | *new*  &amp;"))
    Paper & Blog \| \*new\* &amp;amp;
    """
    return " ".join(_ENTITY.sub("&amp;", text.translate(_MD_SPECIAL)).split())


def md_table(headers: Sequence[str], right: Sequence[bool], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; ``right[i]`` right-aligns column ``i``. Cells are
    Markdown already (see :func:`md_text`)."""
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if r else "---" for r in right) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def console_text(renderables: Sequence[RenderableType], width: int | None, color: bool) -> str:
    """What rich prints for ``renderables``: with ANSI styles when ``color``, else plain text."""
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
    """The format -> renderer registry of a report (each report supplies its own pieces)."""
    return {
        "table": lambda r, width, color: to_table(r, width=width, color=color).encode("utf-8"),
        "md": lambda r, width, color: to_markdown(r).encode("utf-8"),
        "csv": lambda r, width, color: to_csv(columns, (record(row) for row in r.rows)),
        "json": lambda r, width, color: to_json(r),
        "html": lambda r, width, color: to_html(r),
    }
