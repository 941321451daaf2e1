"""The Wikidata report: how much of the graph is linked to Wikidata, and what is left to do.

Figures come from the report queries ``wikidata-classes.rq``, ``wikidata-topics.rq`` and
``wikidata-keys.rq`` (summed up the topic tree, see :mod:`.topics`), the unlinked works from
``wikidata-unlinked.rq`` (the saved query ``works-without-wikidata-link``, sorted here), the
conflicts and the title candidates from the mapping file (``data/wikidata/mapping.json``), where
``interp-kg wikidata reconcile`` records them, and the curated facts kept out of Wikidata batches
because their only source is not their primary record (computed by the caller:
:func:`interp_kg.wikidata.statements.secondary_facts`).

JSON schema (``--format json``)::

    {"report": "wikidata", "classes": [...], "rows": [...], "unlinked": [...], "conflicts": [...],
     "candidates": [...], "secondary": [...]}

``classes``: one row per class (paper, tool, tutorial, video, venue, topic, author) with ``nodes``,
``linked`` and ``share``. ``rows``: one per topic, in IRI order, over the works listed under it or
below it: ``topic``, ``label``, ``item`` (the topic's own QID or null), ``works``, ``linked``,
``share``. ``unlinked``: ``work``, ``kind``, ``title``, ``arxiv_id``, ``doi``. ``conflicts``:
``kind``, ``works``, ``qids``, ``evidence``. ``candidates``: ``work``, ``version``, ``items``
(``QID "title" (year)``). ``secondary``: ``work``, ``record``, ``fact``, ``source``,
``retrieved``, ``why``.

CSV (``--format csv``): the topic rows, columns :data:`CSV_COLUMNS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.curation.primary import SecondaryFact
from interp_kg.curation.wikidata_mapping import Conflict, WorkRecord
from interp_kg.escape import CsvValue, md_cell, md_cells, md_table
from interp_kg.identifiers.wikidata import qid_of
from interp_kg.reports.common import (
    QUERY_TIMEOUT,
    PlainTable,
    ReportFormat,
    console_text,
    fold_report_query,
    percent,
    released,
    renderers,
    run_report_queries,
    share,
)
from interp_kg.reports.topics import KeyedCounts, ancestors
from interp_kg.trusted import trusted

if TYPE_CHECKING:
    from interp_kg.sparql.query import Backend

IKG: Final = "https://w3id.org/interp-kg/ontology#"
CLASSES: Final = ("Paper", "Tool", "Tutorial", "Video", "Venue", "Topic", "Author")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClassRow(_Row):
    """The links of one class of node."""

    cls: str = Field(description="The class, in lower case: paper, tool, ..., author.")
    nodes: int = Field(ge=0, description="Nodes of the class.")
    linked: int = Field(ge=0, description="Nodes linked to a Wikidata item.")
    share: float = Field(ge=0, le=1, description="linked / nodes.")


class TopicRow(_Row):
    """The links of the works under one topic (sub-topics included)."""

    topic: str = Field(description="IRI of the topic.")
    label: str = Field(description="The topic's label.")
    item: str | None = Field(description="The topic's own Wikidata item (QID), if linked.")
    works: int = Field(ge=0, description="Works listed under the topic or below it.")
    linked: int = Field(ge=0, description="Of these, works linked to a Wikidata item.")
    share: float = Field(ge=0, le=1, description="linked / works.")


class UnlinkedWork(_Row):
    """A work with no Wikidata item."""

    work: str = Field(description="IRI of the work.")
    kind: str = Field(description="paper, tool, tutorial or video.")
    title: str = Field(description="The work's title.")
    arxiv_id: str | None = Field(description="Its arXiv id, to look it up by.")
    doi: str | None = Field(description="Its DOI, to look it up by.")


class CandidateRow(_Row):
    """An item of a work with title candidates for a person to confirm or rule out."""

    work: str = Field(description="IRI path of the work.")
    version: str = Field(description="work, preprint or published.")
    items: str = Field(description='The candidates: QID "title" (year), separated by "; ".')


class WikidataReport(BaseModel):
    """The Wikidata report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report: Literal["wikidata"] = Field(default="wikidata", description="Which report this is.")
    classes: list[ClassRow] = Field(description="Links per class of node.")
    rows: list[TopicRow] = Field(description="Links per topic.")
    unlinked: list[UnlinkedWork] = Field(description="Works with no Wikidata item.")
    conflicts: list[Conflict] = Field(description="Open conflicts of the mapping file.")
    candidates: list[CandidateRow] = Field(default=[], description="Title candidates to review.")
    secondary: list[SecondaryFact] = Field(
        default=[], description="Curated facts kept out of Wikidata batches: no primary source."
    )


CSV_COLUMNS: Final = ("topic", "label", "item", "works", "linked", "share")


def candidate_rows(records: tuple[WorkRecord, ...]) -> list[CandidateRow]:
    """The mapping's records with title candidates, sorted."""
    return [
        CandidateRow(
            work=r.work,
            version=r.version,
            items="; ".join(f'{c.qid} "{c.title}" ({c.year or "no date"})' for c in r.candidates),
        )
        for r in sorted(records, key=lambda r: r.key)
        if r.status == "candidate"
    ]


def wikidata_report(
    backend: Backend,
    conflicts: tuple[Conflict, ...] = (),
    *,
    candidates: list[CandidateRow] | None = None,
    secondary: list[SecondaryFact] | None = None,
    timeout: float = QUERY_TIMEOUT,
) -> WikidataReport:
    """The Wikidata report of the graph ``backend`` queries, with the mapping's ``conflicts`` and
    ``candidates``, and the ``secondary`` facts (``timeout``: seconds per query)."""
    results = run_report_queries(backend, ("wikidata-topics", "wikidata-classes"), timeout)
    counts = {r["class"]: r for r in results["wikidata-classes"]}
    classes = []
    for name in CLASSES:
        r = counts.get(IKG + name, {})
        nodes, linked = int(r.get("nodes", 0)), int(r.get("linkedNodes", 0))
        classes.append(ClassRow(cls=name.lower(), nodes=nodes, linked=linked, share=share(linked, nodes)))
    parents: dict[str, list[str]] = defaultdict(list)
    topics: dict[tuple[str, str], dict[str, Any]] = {}
    for r in results["wikidata-topics"]:
        if "parent" in r:
            parents[r["topic"]].append(r["parent"])
        topics.setdefault((r["topic"], r["label"]), r)
    # A work listed under several topics comes once per topic (as ?multi) and is keyed by itself.
    multi: dict[str, list[str]] = defaultdict(list)
    multi_linked: dict[str, int] = {}
    per_key: list[tuple[str, int, int]] = []

    def keys(variables: Sequence[str], found: Iterable[Sequence[Any]]) -> None:
        topic, work, works, linked = (variables.index(v) for v in ("topic", "multi", "works", "linkedWorks"))
        for cells in found:
            if cells[work] is not None:
                multi[cells[work].value].append(cells[topic].value)
                multi_linked[cells[work].value] = int(cells[linked].value)
            else:
                per_key.append((cells[topic].value, int(cells[works].value), int(cells[linked].value)))

    fold_report_query(backend, "wikidata-keys", keys, timeout)
    per_key += [(work, 1, linked) for work, linked in sorted(multi_linked.items())]
    closure = ancestors(parents, {topic for topic, _ in topics})
    keyed = KeyedCounts(closure, multi)
    for key, works, linked in per_key:
        keyed.add(key, "works", works)
        keyed.add(key, "linked", linked)
    rows = []
    for (topic, _), r in sorted(topics.items()):
        counted = keyed.up.get(topic, {})
        works, linked = counted.get("works", 0), counted.get("linked", 0)
        rows.append(
            TopicRow(
                topic=r["topic"],
                label=r["label"],
                item=qid_of(r["topicItem"]) if "topicItem" in r else None,
                works=works,
                linked=linked,
                share=share(linked, works),
            )
        )
    # The unlinked works (~900k on a store of a million works) are kept as tuples of their cells'
    # values as they are read, sorted here by the keys of the saved query's ORDER BY, the query's
    # freed memory handed back, then made without validation (interp_kg.trusted: the values come
    # from the store as the query shapes them; a validated model per work costs twice the memory).

    def unlinked_works(variables: Sequence[str], found: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
        cells = itemgetter(*(variables.index(v) for v in ("kind", "title", "work", "arxivId", "doi")))
        return [tuple(None if term is None else term.value for term in cells(row)) for row in found]

    found = fold_report_query(backend, "wikidata-unlinked", unlinked_works, timeout)
    found.sort(key=lambda c: (c[0], c[1].lower(), c[2]))
    released()
    unlinked = [
        trusted(UnlinkedWork, work=work, kind=kind, title=title, arxiv_id=arxiv_id, doi=doi)
        for kind, title, work, arxiv_id, doi in found
    ]
    del found
    return WikidataReport.model_validate(
        {
            "classes": classes,
            "rows": rows,
            "unlinked": unlinked,
            "conflicts": list(conflicts),
            "candidates": candidates or [],
            "secondary": secondary or [],
        }
    )


# -- rendering --------------------------------------------------------------------------------


def csv_record(row: TopicRow) -> dict[str, CsvValue]:
    """A topic row as the cells of :data:`CSV_COLUMNS`."""
    data = row.model_dump()
    return {c: data[c] for c in CSV_COLUMNS}


def summary(report: WikidataReport) -> str:
    """One sentence on the whole."""
    works = [c for c in report.classes if c.cls in ("paper", "tool", "tutorial", "video")]
    total, linked = sum(c.nodes for c in works), sum(c.linked for c in works)
    return (
        f"{linked} of {total} works ({percent(share(linked, total))}) are linked to Wikidata; "
        f"{len(report.unlinked)} unlinked; {len(report.conflicts)} open conflicts; "
        f"{len(report.candidates)} items with candidates to review; "
        f"{len(report.secondary)} curated facts kept out of batches (no primary source)."
    )


CLASS_HEADERS: Final = ("Class", "Nodes", "Linked", "Share")
TOPIC_HEADERS: Final = ("Topic", "Item", "Works", "Linked", "Share")
UNLINKED_HEADERS: Final = ("Work", "Kind", "Title", "arXiv", "DOI")
CONFLICT_HEADERS: Final = ("Kind", "Works", "Items")
CANDIDATE_HEADERS: Final = ("Work", "Version", "Candidates")
SECONDARY_HEADERS: Final = ("Work", "Fact", "Read on", "Retrieved", "Why")


def _sections(report: WikidataReport) -> list[tuple[str, tuple[str, ...], tuple[bool, ...], list[list[str]]]]:
    return [
        (
            "Linked share per class",
            CLASS_HEADERS,
            (False, True, True, True),
            [[c.cls, str(c.nodes), str(c.linked), percent(c.share)] for c in report.classes],
        ),
        (
            "Linked share per topic (sub-topics included)",
            TOPIC_HEADERS,
            (False, False, True, True, True),
            [[r.label, r.item or "", str(r.works), str(r.linked), percent(r.share)] for r in report.rows],
        ),
        (
            "Works without a Wikidata item",
            UNLINKED_HEADERS,
            (False, False, False, False, False),
            [[u.work, u.kind, u.title, u.arxiv_id or "", u.doi or ""] for u in report.unlinked],
        ),
        (
            "Conflicts (resolve by hand)",
            CONFLICT_HEADERS,
            (False, False, False),
            [[c.kind, " ".join(c.works), " ".join(c.qids)] for c in report.conflicts],
        ),
        (
            "Title candidates (confirm one, or reject them, in the mapping file)",
            CANDIDATE_HEADERS,
            (False, False, False),
            [[c.work, c.version, c.items] for c in report.candidates],
        ),
        (
            "Facts kept out of Wikidata batches (read them on their primary record)",
            SECONDARY_HEADERS,
            (False, False, False, False, False),
            [[f.work, f.fact, f.source, f.retrieved, f.why] for f in report.secondary],
        ),
    ]


def to_markdown(report: WikidataReport) -> str:
    """The report as Markdown."""
    parts = ["# Wikidata links", "", md_cell(summary(report)), ""]
    for title, headers, numeric, rows in _sections(report):
        parts += [f"## {title}", ""]
        parts.append(md_table(headers, numeric, md_cells(rows)) if rows else "None.\n")
    return "\n".join(parts)


def to_table(report: WikidataReport, *, width: int | None = None, color: bool = False) -> str:
    """The report as tables for the terminal."""
    from rich.text import Text

    out: list[PlainTable | Text] = [Text(summary(report))]
    for title, headers, numeric, rows in _sections(report):
        out += [Text(""), PlainTable(headers, numeric, rows, title=title)]
    return console_text(out, width, color)


def to_html(report: WikidataReport) -> bytes:
    """The report as a self-contained HTML page."""
    from interp_kg.reports.html import Block, Heading, Page, Paragraph, Table, render

    blocks: list[Block] = []
    for title, headers, numeric, rows in _sections(report):
        blocks.append(Heading(title))
        blocks.append(Table(headers, numeric, rows) if rows else Paragraph("None."))
    return render(Page("Wikidata links", summary(report), blocks))


RENDERERS: Final = renderers(to_table, to_markdown, to_html, CSV_COLUMNS, csv_record)


def render_wikidata(
    report: WikidataReport, fmt: ReportFormat, *, width: int | None = None, color: bool = False
) -> bytes:
    """The report in ``fmt``; ``width`` and ``color`` apply to the terminal table only."""
    return RENDERERS[fmt](report, width, color)
