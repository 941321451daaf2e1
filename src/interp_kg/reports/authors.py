"""The authors report: who wrote what, and which papers still lack curated facts.

Two views of one graph, both counted by the report queries ``authors.rq``,
``papers-missing-facts.rq`` and ``author-totals.rq``:

- ``interp-kg report authors``: one row per person, most works first (then by name and IRI);
- ``interp-kg report authors --missing``: one row per paper with no curated author list or no
  curated date (by IRI), with the identifiers ``interp-kg enrich`` can look it up by. A fact no
  source showed stays missing and is listed here.

JSON schema (``--format json``)::

    {"report": "authors", "totals": {...}, "rows": [{...}, ...]}          # the people
    {"report": "authors-missing", "totals": {...}, "rows": [{...}, ...]}  # --missing

``totals``: ``papers``, ``with_authors``, ``with_date``, ``share_authors``, ``share_date`` (of the
papers, four decimals), ``people`` (persons credited with a work), ``authorships`` (places in
bylines). A person row: ``author`` (IRI), ``name``, ``scholar`` (Google Scholar id or null),
``works``, ``first_author`` (works where they are first), ``year_min``, ``year_max`` (null without
dated works), ``topics`` (topics their works are listed under). A missing row: ``work`` (IRI),
``title``, ``missing`` (``["authors"]``, ``["date"]`` or both), ``arxiv``, ``doi``, ``openreview``,
``acl`` (identifiers or null).

CSV (``--format csv``): the row fields in the order of :data:`CSV_COLUMNS` or
:data:`MISSING_CSV_COLUMNS`, ``missing`` joined by ``;``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.escape import CsvValue, md_cell, md_cells, md_table
from interp_kg.reports.common import (
    QUERY_TIMEOUT,
    PlainTable,
    ReportFormat,
    console_text,
    fold_report_query,
    percent,
    released,
    renderers,
    run_report_query,
    share,
)
from interp_kg.trusted import trusted

if TYPE_CHECKING:
    from interp_kg.sparql.query import Backend

MissingFact = Literal["authors", "date"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthorTotals(_Model):
    """Figures over the whole graph."""

    papers: int = Field(ge=0, description="Papers in the graph.")
    with_authors: int = Field(ge=0, description="Papers with a curated author list.")
    with_date: int = Field(ge=0, description="Papers with a curated date.")
    share_authors: float = Field(ge=0, le=1, description="with_authors / papers.")
    share_date: float = Field(ge=0, le=1, description="with_date / papers.")
    people: int = Field(ge=0, description="People credited with at least one work.")
    authorships: int = Field(ge=0, description="Places in bylines (ikg:Authorship nodes).")


class AuthorRow(_Model):
    """One person."""

    author: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:", description="IRI of the person.")
    name: str = Field(min_length=1, description="The person's name (rdfs:label).")
    scholar: str | None = Field(description="Google Scholar user id, when known.")
    works: int = Field(ge=0, description="Works credited to the person.")
    first_author: int = Field(ge=0, description="Works where the person is first author.")
    year_min: int | None = Field(description="Year of their earliest dated work.")
    year_max: int | None = Field(description="Year of their latest dated work.")
    topics: int = Field(ge=0, description="Topics their works are listed under.")


class MissingRow(_Model):
    """A paper lacking a curated fact."""

    work: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:", description="IRI of the paper.")
    title: str = Field(description="The paper's title.")
    missing: list[MissingFact] = Field(min_length=1, description="The facts it lacks.")
    arxiv: str | None = Field(description="Its arXiv id, if any.")
    doi: str | None = Field(description="Its DOI, if any.")
    openreview: str | None = Field(description="Its OpenReview id, if any.")
    acl: str | None = Field(description="Its ACL Anthology id, if any.")


class AuthorsReport(_Model):
    """The people of the graph and their works."""

    report: Literal["authors"] = Field(default="authors", description="Which report this is.")
    totals: AuthorTotals = Field(description="Figures over the whole graph.")
    rows: list[AuthorRow] = Field(description="One row per person, most works first.")


class MissingFactsReport(_Model):
    """The papers lacking curated authors or date."""

    report: Literal["authors-missing"] = Field(default="authors-missing", description="Which report this is.")
    totals: AuthorTotals = Field(description="Figures over the whole graph.")
    rows: list[MissingRow] = Field(description="One row per paper lacking a fact, by IRI.")


CSV_COLUMNS: Final = ("author", "name", "scholar", "works", "first_author", "year_min", "year_max", "topics")
MISSING_CSV_COLUMNS: Final = ("work", "title", "missing", "arxiv", "doi", "openreview", "acl")


def _totals(backend: Backend, timeout: float) -> AuthorTotals:
    (t,) = run_report_query(backend, "author-totals", timeout)
    papers = int(t.get("papers", 0))
    return AuthorTotals(
        papers=papers,
        with_authors=int(t.get("withAuthors", 0)),
        with_date=int(t.get("withDate", 0)),
        share_authors=share(int(t.get("withAuthors", 0)), papers),
        share_date=share(int(t.get("withDate", 0)), papers),
        people=int(t.get("people", 0)),
        authorships=int(t.get("authorships", 0)),
    )


def authors_report(backend: Backend, timeout: float = QUERY_TIMEOUT) -> AuthorsReport:
    """One row per person of the graph ``backend`` queries (``timeout``: seconds per query)."""
    rows = [
        AuthorRow(
            author=r["author"],
            name=r["name"],
            scholar=r.get("scholar"),
            works=int(r.get("works", 0)),
            first_author=int(r.get("firstAuthor", 0)),
            year_min=r.get("yearMin"),
            year_max=r.get("yearMax"),
            topics=int(r.get("topics", 0)),
        )
        for r in run_report_query(backend, "authors", timeout)
    ]
    return AuthorsReport(totals=_totals(backend, timeout), rows=rows)


#: The identifier fields of a missing row and the query's variables for them.
_IDS: Final = (("arxiv", "arxivId"), ("doi", "doi"), ("openreview", "openReviewId"), ("acl", "aclId"))
_ID_FIELDS: Final = tuple(field for field, _ in _IDS)
#: The variables of ``papers-missing-facts.rq`` a row keeps, in this order.
_MISSING_VARIABLES: Final = ("work", "title", "missingAuthors", "missingDate", *(var for _, var in _IDS))


def missing_report(backend: Backend, timeout: float = QUERY_TIMEOUT) -> MissingFactsReport:
    """The papers of the graph ``backend`` queries with no curated authors or no curated date
    (``timeout``: seconds per query)."""
    # Up to one row per paper (~900k on a store of a million works): each row kept as a tuple of
    # its cells' values as it is read (an IRI, a plain string or a boolean; no typed conversion),
    # sorted here by IRI (an ORDER BY over IRI strings is slow in the store), the query's freed
    # memory handed back, then the rows made.

    def collect(variables: Sequence[str], found: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        at = {name: i for i, name in enumerate(variables)}
        cells = itemgetter(*(at[name] for name in _MISSING_VARIABLES))
        return [tuple(None if term is None else term.value for term in cells(row)) for row in found]

    found = fold_report_query(backend, "papers-missing-facts", collect, timeout)
    found.sort(key=itemgetter(0))
    released()
    totals = _totals(backend, timeout)
    # Made without validation (interp_kg.trusted): the values come from the store as the query
    # shapes them; a validated model per row costs twice the memory (its own fields_set).
    rows = [
        trusted(
            MissingRow,
            work=work,
            title=title or "",
            missing=[fact for fact, flag in (("authors", authors), ("date", date)) if flag == "true"],
            **dict(zip(_ID_FIELDS, ids, strict=True)),
        )
        for work, title, authors, date, *ids in found
    ]
    del found
    return trusted(MissingFactsReport, totals=totals, rows=rows)


# -- rendering --------------------------------------------------------------------------------


def summary(totals: AuthorTotals) -> str:
    """One sentence on the whole."""
    return (
        f"{totals.papers} papers: {totals.with_authors} ({percent(totals.share_authors)}) with curated "
        f"authors, {totals.with_date} ({percent(totals.share_date)}) with a curated date; "
        f"{totals.people} people in {totals.authorships} places in bylines."
    )


HEADERS: Final = ("Author", "Works", "First author", "Years", "Topics", "Google Scholar")
NUMERIC: Final = (False, True, True, True, True, False)
MISSING_HEADERS: Final = ("Paper", "Missing", "Identifier", "IRI")
MISSING_NUMERIC: Final = (False, False, False, False)


def _years(row: AuthorRow) -> str:
    if row.year_min is None:
        return ""
    return str(row.year_min) if row.year_min == row.year_max else f"{row.year_min}\u2013{row.year_max}"


def _identifier(row: MissingRow) -> str:
    for scheme, value in (
        ("arXiv", row.arxiv),
        ("DOI", row.doi),
        ("OpenReview", row.openreview),
        ("ACL", row.acl),
    ):
        if value:
            return f"{scheme} {value}"
    return ""


def view_rows(report: AuthorsReport | MissingFactsReport) -> list[list[str]]:
    """Plain-text cells of the Markdown, table and HTML views."""
    if isinstance(report, MissingFactsReport):
        return [[r.title, ", ".join(r.missing), _identifier(r), r.work] for r in report.rows]
    return [
        [r.name, str(r.works), str(r.first_author), _years(r), str(r.topics), r.scholar or ""]
        for r in report.rows
    ]


def _headers(report: AuthorsReport | MissingFactsReport) -> tuple[tuple[str, ...], tuple[bool, ...], str]:
    if isinstance(report, MissingFactsReport):
        return MISSING_HEADERS, MISSING_NUMERIC, "Papers without curated authors or date"
    return HEADERS, NUMERIC, "Authors"


def to_markdown(report: AuthorsReport | MissingFactsReport) -> str:
    """The report as Markdown."""
    headers, numeric, title = _headers(report)
    rows = md_cells(view_rows(report))
    return "\n".join(
        [f"# {title}", "", md_cell(summary(report.totals)), "", md_table(headers, numeric, rows)]
    )


def to_table(
    report: AuthorsReport | MissingFactsReport, *, width: int | None = None, color: bool = False
) -> str:
    """The report as a table for the terminal."""
    from rich.text import Text

    headers, numeric, _ = _headers(report)
    table = PlainTable(headers, numeric, view_rows(report))
    return console_text([Text(summary(report.totals)), Text(""), table], width, color)


def to_html(report: AuthorsReport | MissingFactsReport) -> bytes:
    """The report as a self-contained HTML page."""
    from interp_kg.reports.html import Page, Table, render

    headers, numeric, title = _headers(report)
    if isinstance(report, MissingFactsReport):
        links = [r.work for r in report.rows]  # each paper's IRI: its page
    else:
        links = [r.author for r in report.rows]  # each person's IRI: their page and works
    table = Table(headers, numeric, view_rows(report), cls="authors", links=links)
    return render(Page(title, summary(report.totals), [table]))


def csv_record(row: AuthorRow) -> dict[str, CsvValue]:
    data: dict[str, Any] = row.model_dump()
    return {c: data[c] for c in CSV_COLUMNS}


def missing_csv_record(row: MissingRow) -> dict[str, CsvValue]:
    data: dict[str, Any] = row.model_dump()
    data["missing"] = ";".join(row.missing)
    return {c: data[c] for c in MISSING_CSV_COLUMNS}


RENDERERS: Final = renderers(to_table, to_markdown, to_html, CSV_COLUMNS, csv_record)
MISSING_RENDERERS: Final = renderers(to_table, to_markdown, to_html, MISSING_CSV_COLUMNS, missing_csv_record)


def render_authors(
    report: AuthorsReport | MissingFactsReport,
    fmt: ReportFormat,
    *,
    width: int | None = None,
    color: bool = False,
) -> bytes:
    """The report in ``fmt``; ``width`` and ``color`` apply to the terminal table only."""
    registry = MISSING_RENDERERS if isinstance(report, MissingFactsReport) else RENDERERS
    return registry[fmt](report, width, color)
