"""The topic-coverage report: how well each section of the list is covered, and what to act on.

Figures come from the report queries ``coverage-facts.rq`` (the works' facts counted per topic,
and the works listed under several topics), ``coverage-tree.rq``, ``coverage-linked.rq`` and
``works-without-topic.rq``, run one after the other (the facts read row by row, counted as they
come: a store of a million works gives half a million rows); this module sums the counts up the
topic tree (see :mod:`.topics`), puts them in tree order and derives shares, medians and flags.

Rows follow the topic tree (``skos:broader``), depth first, siblings in the order the list gives
them (ikg:listOrder), then by IRI. ``works`` counts the works listed directly under
a topic; every other figure counts the works listed under it **or any topic below it**, each work
once (``works_total``).

JSON schema (``--format json``): one object::

    {
      "report": "coverage",
      "parameters": {"thin": 3, "stale_before": 2023},
      "totals": {...figures over all works...},
      "rows": [{...one object per topic...}],
      "works_without_topic": [{"work": IRI, "kind": "paper", "title": "..."}]
    }

Each row of ``rows`` (``totals`` has the figures only, where ``shared`` counts the works listed
under two or more topics):

- ``topic`` (IRI), ``label``, ``parent`` (IRI or null), ``path`` (labels from the top-level topic
  down to this one), ``depth`` (0 for a top-level topic);
- ``works``: works listed directly under the topic; ``works_total``: under it or a sub-topic;
- ``papers``, ``tools``, ``tutorials``, ``videos``, ``featured`` (starred works);
- ``sources``: other entries listed directly under it (people and venues, as in "By Source");
- ``linked_tools``: tools its works link to (``ikg:software``), wherever those are listed;
- ``works_dated`` (works with a year), ``year_min``, ``year_max``, ``year_median`` (null without
  dated works), ``works_per_year`` (``{"2023": 5, ...}``, dated works only);
- ``peer_reviewed`` (works with a venue whose ``ikg:peerReviewed`` is true: conference, journal,
  workshop), ``preprint_or_blog`` (works with venues, none peer reviewed: preprint servers, forums,
  blogs), ``no_venue``, and ``share_peer_reviewed``, ``share_preprint_or_blog`` (of
  ``works_total``, four decimals, 0.0 for an empty topic);
- ``venue_kinds``: works per venue kind, every kind present (``conference``, ``journal``,
  ``workshop``, ``preprint``, ``forum``, ``blog``, ``none``);
- ``with_authors``, ``share_authors`` (papers with a curated author list, ``ikg:author``, of
  ``papers``), ``with_date``, ``share_date`` (papers with a curated date, ``dcterms:issued``), and
  ``authors``: distinct people credited with the works;
- ``with_code``, ``share_code`` (an ``ikg:codeRepository``); ``with_wikidata``, ``share_wikidata``
  (a ``schema:sameAs`` to a ``http://www.wikidata.org/entity/`` IRI);
- ``with_arxiv``, ``with_doi``, ``with_openreview``, ``with_acl``, ``with_scholarly_id`` (any of
  the four), ``share_scholarly_id``;
- ``shared``: works also listed under a topic outside this one's sub-tree, and ``shared_with``:
  those topics, as ``{"topic": IRI, "label": ..., "works": n}``, most shared first;
- ``flags``: any of ``thin`` (``works_total`` below ``--thin``; not for a section that lists only
  people and venues, nor for a heading with no work), ``stale`` (dated works, none from
  ``--stale-before`` or later) and ``papers-no-tool`` (``--no-tool-min-papers`` papers or more,
  but no tool listed under it and none linked from its works).

CSV (``--format csv``): one row per topic, the columns of :data:`CSV_COLUMNS`: the row fields
above with ``path`` joined by :data:`PATH_SEPARATOR` (`` \u203a ``), ``flags`` joined by ``;``,
``works_per_year`` and ``shared_with`` as ``key=value`` pairs joined by ``;``
(``2023=5;2024=3``, ``IRI=2;IRI=1``), and ``venue_kinds`` as one ``venue_<kind>`` column per
kind. Works listed under no topic are in the JSON, Markdown, table and HTML outputs only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.escape import CsvValue, md_cell, md_cells, md_table
from interp_kg.identifiers.venue_kinds import VenueKind
from interp_kg.reports.common import (
    QUERY_TIMEOUT,
    PlainTable,
    ReportFormat,
    console_text,
    fold_report_query,
    joined,
    median,
    percent,
    renderers,
    run_report_queries,
    run_report_query,
    share,
)
from interp_kg.reports.topics import FACT_BITS, KeyedCounts, ancestors, direct_works

if TYPE_CHECKING:
    from interp_kg.reports.html import Figure
    from interp_kg.sparql.query import Backend

#: Default of ``--thin``: a topic with fewer works (sub-topics included) is thin.
DEFAULT_THIN: Final = 3
#: Default of ``--no-tool-min-papers``: a topic is flagged for lacking a tool only from this many
#: papers (sub-topics included). Most topics of a literature list hold papers and no tool: at 1,
#: the flag fired on 34 of 45 topics, which is noise; at 20 it marks the few large areas where a
#: tool is most likely missing.
DEFAULT_NO_TOOL_MIN: Final = 20
#: Default of ``--stale-before``: a topic whose newest dated work is older is stale. A fixed year,
#: not one computed from today's date, so a report of the same store is the same every day.
DEFAULT_STALE_BEFORE: Final = 2023

Flag = Literal["thin", "stale", "papers-no-tool"]
VenueKindOrNone = Literal[VenueKind, "none"]
VENUE_KINDS: Final[tuple[VenueKindOrNone, ...]] = (*get_args(VenueKind), "none")
WorkKind = Literal["paper", "tool", "tutorial", "video"]
PATH_SEPARATOR: Final = " \u203a "  # a single right-pointing angle quotation mark


class SharedWith(BaseModel):
    """Another topic that lists some of a topic's works."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    topic: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:", description="IRI of the other topic.")
    label: str = Field(description="The other topic's label.")
    works: int = Field(ge=1, description="Works listed under both.")


class CoverageFigures(BaseModel):
    """Figures over a set of works: a topic with its sub-topics, or all works."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    works_total: int = Field(ge=0, description="Works in the set, each once.")
    papers: int = Field(ge=0, description="Papers among them.")
    tools: int = Field(ge=0, description="Tools among them.")
    tutorials: int = Field(ge=0, description="Tutorials among them.")
    videos: int = Field(ge=0, description="Videos among them.")
    featured: int = Field(ge=0, description="Works the list stars.")
    linked_tools: int = Field(ge=0, description="Tools the works link to by ikg:software.")
    works_dated: int = Field(ge=0, description="Works with a year.")
    year_min: int | None = Field(description="Earliest year; null without dated works.")
    year_max: int | None = Field(description="Latest year; null without dated works.")
    year_median: float | None = Field(description="Median year of the dated works; null without any.")
    works_per_year: dict[str, int] = Field(description="Dated works per year, years ascending.")
    peer_reviewed: int = Field(ge=0, description="Works with a peer-reviewed venue.")
    preprint_or_blog: int = Field(ge=0, description="Works with venues, none of them peer reviewed.")
    no_venue: int = Field(ge=0, description="Works with no venue.")
    share_peer_reviewed: float = Field(ge=0, le=1, description="peer_reviewed / works_total.")
    share_preprint_or_blog: float = Field(ge=0, le=1, description="preprint_or_blog / works_total.")
    venue_kinds: dict[VenueKindOrNone, int] = Field(description="Works per venue kind ('none': no venue).")
    with_authors: int = Field(ge=0, description="Papers with a curated author list (ikg:author).")
    share_authors: float = Field(ge=0, le=1, description="with_authors / papers.")
    with_date: int = Field(ge=0, description="Papers with a curated date (dcterms:issued).")
    share_date: float = Field(ge=0, le=1, description="with_date / papers.")
    authors: int = Field(ge=0, description="Distinct people credited with the works.")
    with_code: int = Field(ge=0, description="Works with a code repository.")
    share_code: float = Field(ge=0, le=1, description="with_code / works_total.")
    with_wikidata: int = Field(ge=0, description="Works with a schema:sameAs link to a Wikidata entity.")
    share_wikidata: float = Field(ge=0, le=1, description="with_wikidata / works_total.")
    with_arxiv: int = Field(ge=0, description="Works with an arXiv id.")
    with_doi: int = Field(ge=0, description="Works with a DOI.")
    with_openreview: int = Field(ge=0, description="Works with an OpenReview id.")
    with_acl: int = Field(ge=0, description="Works with an ACL Anthology id.")
    with_scholarly_id: int = Field(ge=0, description="Works with any of those four identifiers.")
    share_scholarly_id: float = Field(ge=0, le=1, description="with_scholarly_id / works_total.")
    shared: int = Field(
        ge=0,
        description="Works also listed under a topic outside this sub-tree "
        "(in the totals: works listed under two or more topics).",
    )


class CoverageRow(CoverageFigures):
    """One topic of the tree with its figures and flags."""

    topic: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:", description="IRI of the topic.")
    label: str = Field(description="The topic's label (skos:prefLabel).")
    parent: str | None = Field(description="IRI of the enclosing topic (skos:broader); null at the top.")
    path: list[str] = Field(min_length=1, description="Labels from the top-level topic down to this one.")
    depth: int = Field(ge=0, description="0 for a top-level topic.")
    works: int = Field(ge=0, description="Works listed directly under the topic.")
    sources: int = Field(ge=0, description="Other entries (people, venues) listed directly under it.")
    shared_with: list[SharedWith] = Field(description="Topics outside the sub-tree listing its works.")
    flags: list[Flag] = Field(description="What a curator may act on: thin, stale, papers-no-tool.")


class WorkRef(BaseModel):
    """A work, named."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    work: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:", description="IRI of the work.")
    kind: WorkKind = Field(description="paper, tool, tutorial or video.")
    title: str = Field(description="The work's title (rdfs:label).")


class CoverageParameters(BaseModel):
    """The thresholds the flags were computed with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    thin: int = Field(ge=0, description="Topics with fewer works (sub-topics included) are thin.")
    stale_before: int = Field(description="Topics whose newest dated work is older are stale.")
    no_tool_min_papers: int = Field(
        default=DEFAULT_NO_TOOL_MIN,
        ge=1,
        description="Topics with at least this many papers and no tool are flagged papers-no-tool.",
    )


class CoverageReport(BaseModel):
    """The topic-coverage report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    report: Literal["coverage"] = Field(default="coverage", description="Which report this is.")
    parameters: CoverageParameters = Field(description="Thresholds of the flags.")
    totals: CoverageFigures = Field(description="Figures over all works.")
    rows: list[CoverageRow] = Field(description="One row per topic, in tree order.")
    works_without_topic: list[WorkRef] = Field(description="Works listed under no topic.")

    def flagged(self, flag: Flag) -> list[CoverageRow]:
        """The rows with ``flag``, in tree order."""
        return [row for row in self.rows if flag in row.flags]


#: CSV columns, in order (see the module docstring).
CSV_COLUMNS: Final[tuple[str, ...]] = (
    "topic",
    "label",
    "parent",
    "path",
    "depth",
    "works",
    "works_total",
    "papers",
    "tools",
    "tutorials",
    "videos",
    "featured",
    "sources",
    "linked_tools",
    "works_dated",
    "year_min",
    "year_max",
    "year_median",
    "works_per_year",
    "peer_reviewed",
    "preprint_or_blog",
    "no_venue",
    "share_peer_reviewed",
    "share_preprint_or_blog",
    *(f"venue_{kind}" for kind in VENUE_KINDS),
    "with_authors",
    "share_authors",
    "with_date",
    "share_date",
    "authors",
    "with_code",
    "share_code",
    "with_wikidata",
    "share_wikidata",
    "with_arxiv",
    "with_doi",
    "with_openreview",
    "with_acl",
    "with_scholarly_id",
    "share_scholarly_id",
    "shared",
    "shared_with",
    "flags",
)


# -- building the report ----------------------------------------------------------------------


#: The figures counted per fact bit (:data:`interp_kg.reports.topics.FACT_BITS`), by field name.
_BIT_FIELDS: Final[tuple[tuple[str, str], ...]] = (
    ("papers", "paper"),
    ("tools", "tool"),
    ("tutorials", "tutorial"),
    ("videos", "video"),
    ("featuredWorks", "featured"),
    ("datedWorks", "dated"),
    ("peerReviewed", "reviewed"),
    ("withCode", "code"),
    ("withWikidata", "wikidata"),
    ("withArxiv", "arxiv"),
    ("withDoi", "doi"),
    ("withOpenReview", "openreview"),
    ("withAcl", "acl"),
)


@cache
def _fact_fields(facts: int) -> tuple[str, ...]:
    """The counts a work with the fact bits ``facts`` adds one to (kinds as ``kind:<kind>``)."""
    has = {name: bool(facts & bit) for name, bit in FACT_BITS.items()}
    fields = ["works", *(field for field, name in _BIT_FIELDS if has[name])]
    if has["venue"] and not has["reviewed"]:
        fields.append("preprintOrBlog")
    if not has["venue"]:
        fields.append("withoutVenue")
    if has["arxiv"] or has["doi"] or has["openreview"] or has["acl"]:
        fields.append("withScholarlyId")
    if has["paper"] and has["authors"]:
        fields.append("withAuthors")
    if has["paper"] and has["date"]:
        fields.append("withDate")
    kinds: list[VenueKindOrNone] = [kind for kind in VENUE_KINDS if kind != "none" and has[kind]]
    kinds = kinds or ["none"]
    fields += [f"kind:{kind}" for kind in kinds]
    return tuple(fields)


def _counts(values: Mapping[Any, int]) -> tuple[dict[str, int], dict[int, int], dict[str, int]]:
    """Figures, works per year and works per venue kind from the works per ``(facts, year)``."""
    counts: dict[str, int] = defaultdict(int)
    years: dict[int, int] = defaultdict(int)
    for (facts, year), n in values.items():
        for field in _fact_fields(facts):
            counts[field] += n
        if facts & FACT_BITS["dated"]:
            years[year] += n
    kinds = {field[5:]: n for field, n in counts.items() if field.startswith("kind:")}
    return counts, dict(years), kinds


def _figures(
    counts: Mapping[str, Any], years: Mapping[int, int], kinds: Mapping[str, int], shared: int
) -> dict[str, Any]:
    """The :class:`CoverageFigures` fields of one scope from its query rows."""
    total = int(counts.get("works", 0))

    def n(name: str) -> int:
        return int(counts.get(name, 0))

    return {
        "works_total": total,
        "papers": n("papers"),
        "tools": n("tools"),
        "tutorials": n("tutorials"),
        "videos": n("videos"),
        "featured": n("featuredWorks"),
        "linked_tools": n("linkedTools"),
        "works_dated": n("datedWorks"),
        "year_min": min(years) if years else None,
        "year_max": max(years) if years else None,
        "year_median": median(years),
        "works_per_year": {str(y): years[y] for y in sorted(years)},
        "peer_reviewed": n("peerReviewed"),
        "preprint_or_blog": n("preprintOrBlog"),
        "no_venue": n("withoutVenue"),
        "share_peer_reviewed": share(n("peerReviewed"), total),
        "share_preprint_or_blog": share(n("preprintOrBlog"), total),
        "venue_kinds": {kind: kinds.get(kind, 0) for kind in VENUE_KINDS},
        "with_authors": n("withAuthors"),
        "share_authors": share(n("withAuthors"), n("papers")),
        "with_date": n("withDate"),
        "share_date": share(n("withDate"), n("papers")),
        "authors": n("authors"),
        "with_code": n("withCode"),
        "share_code": share(n("withCode"), total),
        "with_wikidata": n("withWikidata"),
        "share_wikidata": share(n("withWikidata"), total),
        "with_arxiv": n("withArxiv"),
        "with_doi": n("withDoi"),
        "with_openreview": n("withOpenReview"),
        "with_acl": n("withAcl"),
        "with_scholarly_id": n("withScholarlyId"),
        "share_scholarly_id": share(n("withScholarlyId"), total),
        "shared": shared,
    }


def _tree_order(topics: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, int]]:
    """``(topic, depth)`` depth first from the top-level topics; siblings in list order, then IRI.
    Topics caught in a ``skos:broader`` cycle (unreachable from the top) come last, at depth 0."""
    children: dict[str | None, list[str]] = defaultdict(list)
    for iri, info in topics.items():
        parent = info.get("parent")
        children[parent if parent in topics else None].append(iri)

    def key(iri: str) -> tuple[bool, int, str]:
        order = topics[iri].get("order")
        return (order is None, int(order or 0), iri)

    order: list[tuple[str, int]] = []
    seen: set[str] = set()
    stack = [(iri, 0) for iri in sorted(children[None], key=key, reverse=True)]
    while stack:
        iri, depth = stack.pop()
        if iri in seen:
            continue
        seen.add(iri)
        order.append((iri, depth))
        stack += [(c, depth + 1) for c in sorted(children.get(iri, []), key=key, reverse=True)]
    order += [(iri, 0) for iri in sorted(set(topics) - seen)]
    return order


def _flags(row: Mapping[str, Any], thin: int, stale_before: int, no_tool_min: int) -> list[Flag]:
    flags: list[Flag] = []
    if 0 < row["works_total"] < thin:  # a heading with no work (a table of contents) is no topic
        flags.append("thin")
    if row["works_dated"] and row["year_max"] < stale_before:
        flags.append("stale")
    if row["papers"] >= no_tool_min and not row["tools"] and not row["linked_tools"]:
        flags.append("papers-no-tool")
    return flags


def coverage_report(
    backend: Backend,
    *,
    thin: int = DEFAULT_THIN,
    stale_before: int = DEFAULT_STALE_BEFORE,
    no_tool_min: int = DEFAULT_NO_TOOL_MIN,
    timeout: float = QUERY_TIMEOUT,
) -> CoverageReport:
    """The topic-coverage report of the graph ``backend`` queries.

    ``thin``: topics with at least one work and fewer than ``thin`` (sub-topics included) are
    flagged thin; ``stale_before``: topics whose newest dated work is from an earlier year are
    flagged stale; ``no_tool_min``: topics with at least that many papers and no tool are flagged
    papers-no-tool; ``timeout``: seconds each report query may take.
    """
    tree = run_report_query(backend, "coverage-tree", timeout)  # unordered: sorted here (few rows)
    topics: dict[str, dict[str, Any]] = {}
    parents: dict[str, list[str]] = defaultdict(list)
    for r in sorted(tree, key=lambda r: (r["topic"], "parent" in r, r.get("parent", ""))):
        topics.setdefault(r["topic"], r)  # a topic with two parents: the tree uses the first IRI
        if "parent" in r:
            parents[r["topic"]].append(r["parent"])
    del tree
    closure = ancestors(parents, topics)
    # Works listed under several topics come once per topic, with their facts, and are counted
    # once their topics are all known; every other row counts the works of one topic (or of none)
    # with the same facts and year, and is counted as it is read (a large store has many rows).
    multi: dict[str, list[str]] = defaultdict(list)
    multi_values: dict[str, tuple[int, int]] = {}
    keyed = KeyedCounts(closure, multi)
    per_key: dict[str | None, int] = defaultdict(int)

    def count(variables: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        at = {name: i for i, name in enumerate(variables)}
        topic_at, multi_at, facts_at, year_at, works_at = (
            at[name] for name in ("topic", "multi", "facts", "year", "works")
        )
        for cells in rows:
            topic = cells[topic_at]
            key = None if topic is None else topic.value
            facts_year = (int(cells[facts_at].value), int(cells[year_at].value))
            work = cells[multi_at]
            if work is not None:
                multi[work.value].append(key)  # type: ignore[arg-type]  # a multi row has a topic
                multi_values[work.value] = facts_year
            else:
                n = int(cells[works_at].value)
                keyed.add(key, facts_year, n)
                per_key[key] += n

    fold_report_query(backend, "coverage-facts", count, timeout)
    for work, facts_year in sorted(multi_values.items()):
        keyed.add(work, facts_year, 1)
        per_key[work] += 1
    results = run_report_queries(backend, ("coverage-linked", "works-without-topic"), timeout)
    direct = direct_works(closure, per_key, multi)
    people: dict[str | None, set[str]] = defaultdict(set)
    tools: dict[str | None, set[str]] = defaultdict(set)
    for r in results["coverage-linked"]:
        scopes: list[str | None] = [None, *keyed.scope(r["topic"])] if "topic" in r else [None]
        for scope in scopes:
            if "person" in r:
                people[scope].add(r["person"])
            if "linkedTool" in r:
                tools[scope].add(r["linkedTool"])
    shared: dict[str | None, int] = {None: len(multi)}
    shared_with: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for listed in multi.values():
        for topic in frozenset().union(*(closure.get(t, ()) for t in listed)):
            outside = {other for other in listed if topic not in closure.get(other, (other,))}
            if outside:
                shared[topic] = shared.get(topic, 0) + 1
                for other in outside:
                    shared_with[topic][other] += 1
    without_topic = [
        WorkRef(work=r["work"], kind=r["kind"].rsplit("#", 1)[-1].lower(), title=r["title"])
        for r in sorted(
            results["works-without-topic"], key=lambda r: (r["title"].lower(), r["work"], r["kind"])
        )
    ]

    def figures(scope: str | None) -> dict[str, Any]:
        counts, years, kinds = _counts(keyed.total if scope is None else keyed.up.get(scope, {}))
        counts["linkedTools"] = len(tools.get(scope, ()))
        counts["authors"] = len(people.get(scope, ()))
        return _figures(counts, years, kinds, shared.get(scope, 0))

    paths: dict[str, list[str]] = {}
    rows: list[CoverageRow] = []
    for iri, depth in _tree_order(topics):
        info = topics[iri]
        parent = info.get("parent")
        paths[iri] = [*paths.get(parent, []), info["label"]] if parent in paths else [info["label"]]
        others = sorted(shared_with.get(iri, {}).items(), key=lambda p: (-p[1], p[0]))
        fields = {
            **figures(iri),
            "topic": iri,
            "label": info["label"],
            "parent": parent,
            "path": paths[iri],
            "depth": depth,
            "works": direct.get(iri, 0),
            "sources": int(info.get("sources", 0)),
            "shared_with": [
                SharedWith(topic=o, label=topics[o]["label"] if o in topics else o, works=n)
                for o, n in others
            ],
        }
        rows.append(CoverageRow(**fields, flags=_flags(fields, thin, stale_before, no_tool_min)))
    return CoverageReport(
        parameters=CoverageParameters(thin=thin, stale_before=stale_before, no_tool_min_papers=no_tool_min),
        totals=CoverageFigures(**figures(None)),
        rows=rows,
        works_without_topic=without_topic,
    )


# -- rendering --------------------------------------------------------------------------------


def csv_record(row: CoverageRow) -> dict[str, CsvValue]:
    """A row as the cells of :data:`CSV_COLUMNS`."""
    data: dict[str, Any] = row.model_dump()
    data["path"] = PATH_SEPARATOR.join(row.path)
    data["flags"] = ";".join(row.flags)
    data["works_per_year"] = joined(row.works_per_year)
    data["shared_with"] = joined({s.topic: s.works for s in row.shared_with})
    for kind, n in row.venue_kinds.items():
        data[f"venue_{kind}"] = n
    return {c: data[c] for c in CSV_COLUMNS}


def _years(f: CoverageFigures) -> str:
    if f.year_min is None:
        return ""
    return str(f.year_min) if f.year_min == f.year_max else f"{f.year_min}\u2013{f.year_max}"


def _median(f: CoverageFigures) -> str:
    return "" if f.year_median is None else f"{f.year_median:g}"


def summary(report: CoverageReport) -> str:
    """One paragraph of plain text on all works."""
    t = report.totals
    kinds = ", ".join(
        f"{n} {name}"
        for name, n in (
            ("papers", t.papers),
            ("tools", t.tools),
            ("tutorials", t.tutorials),
            ("videos", t.videos),
        )
        if n
    )
    text = f"{t.works_total} works ({kinds}) under {len(report.rows)} topics; {t.featured} featured; "
    text += f"{t.shared} listed under two or more topics. "
    if t.year_min is not None:
        text += f"Years {_years(t)} (median {_median(t)}) for the {t.works_dated} works with a year. "
    text += (
        f"{percent(t.share_peer_reviewed)} peer-reviewed, {percent(t.share_preprint_or_blog)} preprint, "
        f"forum or blog only, {t.no_venue} with no venue; {percent(t.share_authors)} of papers with "
        f"authors ({t.authors} people) and {percent(t.share_date)} with a date; "
        f"{percent(t.share_code)} with code; "
        f"{percent(t.share_scholarly_id)} with an arXiv id, DOI, OpenReview or ACL Anthology id; "
        f"{percent(t.share_wikidata)} with a Wikidata link."
    )
    return text


#: Column headers of the Markdown, table and HTML views, and whether each is numeric.
VIEW_COLUMNS: Final[tuple[tuple[str, bool], ...]] = (
    ("Topic", False),
    ("Works", True),
    ("Total", True),
    ("Papers", True),
    ("Tools", True),
    ("Featured", True),
    ("Years", True),
    ("Median", True),
    ("Peer-reviewed", True),
    ("Preprint/blog", True),
    ("Authors", True),
    ("Code", True),
    ("Wikidata", True),
    ("Shared", True),
    ("Flags", False),
)
#: What the columns mean, under the table.
LEGEND: Final = (
    "Works: listed directly under the topic; every other figure counts the works under it or any "
    "sub-topic, each once (Total). Peer-reviewed: a conference, journal or workshop venue; "
    "Preprint/blog: only preprint servers, forums or blogs. Authors: papers with a curated author "
    "list. Code: with a code repository. "
    "Shared: also listed under a topic outside this one."
)


def flag_legend(report: CoverageReport) -> list[tuple[str, str]]:
    """Each flag with its definition and threshold, and what the page's colours mean."""
    p = report.parameters
    rows = len(report.rows)

    def fired(flag: Flag) -> str:
        return f" Raised on {len(report.flagged(flag))} of {rows} topics."

    return [
        (
            "thin",
            f"1 to {p.thin - 1} works under the topic, sub-topics included (--thin {p.thin}): "
            "too few to stand as a topic; merge it or fill it." + fired("thin"),
        ),
        (
            "stale",
            f"the topic has dated works and none from {p.stale_before} or later (--stale-before "
            f"{p.stale_before}): look for recent work." + fired("stale"),
        ),
        (
            "papers-no-tool",
            f"{p.no_tool_min_papers} or more papers (sub-topics included) and no tool, neither listed "
            f"under the topic nor linked from its works (--no-tool-min-papers {p.no_tool_min_papers}): "
            "a large area whose code the list does not point to." + fired("papers-no-tool"),
        ),
        ("Flags column", "the flags of the row, in orange."),
        ("Bold rows", "top-level topics; the rows below are indented by depth."),
        (
            "Works per year (chart)",
            "darker blue: more works that year (square-root scale, so that small counts show); the "
            "number is in the cell.",
        ),
        ("Venue mix (chart)", "each colour a kind of venue, as the chart's own key names them."),
        ("Identifier shares (chart)", "darker green: a larger share of the topic's works (0 to 100%)."),
        ("Links", "a topic or a work links to its IRI, which resolves to its page on the site."),
    ]


def view_cells(row: CoverageRow) -> list[str]:
    """The cells after "Topic" in the Markdown, table and HTML views (plain text)."""
    return [
        str(row.works),
        str(row.works_total),
        str(row.papers),
        str(row.tools),
        str(row.featured),
        _years(row),
        _median(row),
        percent(row.share_peer_reviewed),
        percent(row.share_preprint_or_blog),
        percent(row.share_authors) if row.papers else "",
        percent(row.share_code),
        percent(row.share_wikidata),
        str(row.shared),
        ", ".join(row.flags),
    ]


def flag_sections(report: CoverageReport) -> list[tuple[str, list[str]]]:
    """The flags as ``(heading, items)``, items in plain text."""
    p = report.parameters

    def named(row: CoverageRow, detail: str) -> str:
        return f"{PATH_SEPARATOR.join(row.path)} ({detail})"

    def count(n: int, noun: str) -> str:
        return f"{n} {noun}" + ("" if n == 1 else "s")

    return [
        (
            f"Thin topics (1 to {p.thin - 1} works, sub-topics included)",
            [named(r, count(r.works_total, "work")) for r in report.flagged("thin")],
        ),
        (
            f"Stale topics (dated works, none from {p.stale_before} or later)",
            [named(r, f"newest {r.year_max}") for r in report.flagged("stale")],
        ),
        (
            f"Topics with {p.no_tool_min_papers} or more papers but no tool (none listed under them, "
            "none linked from their works)",
            [named(r, count(r.papers, "paper")) for r in report.flagged("papers-no-tool")],
        ),
        (
            "Works listed under no topic",
            [f"{w.title} ({w.kind}, {w.work})" for w in report.works_without_topic],
        ),
    ]


def to_markdown(report: CoverageReport) -> str:
    """The report as Markdown to paste into a README: summary, topic table, flags."""
    cells = md_cells([[row.label, *view_cells(row)] for row in report.rows])
    rows = [
        ["&emsp;" * row.depth + label, *rest] for row, (label, *rest) in zip(report.rows, cells, strict=True)
    ]
    headers = [h for h, _ in VIEW_COLUMNS]
    out = ["# Topic coverage", "", md_cell(summary(report)), ""]
    out += [md_table(headers, [numeric for _, numeric in VIEW_COLUMNS], rows), md_cell(LEGEND), ""]
    for heading, items in flag_sections(report):
        out += [f"## {md_cell(heading)}", ""]
        out += [f"- {md_cell(item)}" for item in items] if items else ["None."]
        out.append("")
    return "\n".join(out)


def tree_guides(rows: list[CoverageRow]) -> list[str]:
    """Box-drawing guides (``├─ ``, ``│  ``, ``└─ ``) before each label of rows in tree order."""
    last: list[bool] = []
    for i, row in enumerate(rows):
        later = (r for r in rows[i + 1 :] if r.depth <= row.depth)
        nxt = next(later, None)
        last.append(nxt is None or nxt.depth < row.depth or nxt.parent != row.parent)
    guides: list[str] = []
    open_levels: list[bool] = []  # per depth: whether the ancestor at that depth has later siblings
    for row, is_last in zip(rows, last, strict=True):
        del open_levels[row.depth :]
        prefix = "".join("│  " if still_open else "   " for still_open in open_levels[1:])
        guides.append("" if row.depth == 0 else prefix + ("└─ " if is_last else "├─ "))
        open_levels.append(not is_last)
    return guides


def to_table(report: CoverageReport, *, width: int | None = None, color: bool = False) -> str:
    """The report as a tree-table for the terminal."""
    from rich.text import Text

    rows = []
    for guide, row in zip(tree_guides(report.rows), report.rows, strict=True):
        label = Text.assemble((guide, "dim"), (row.label, "bold" if row.depth == 0 else ""))
        cells = view_cells(row)
        rows.append([label, *cells[:-1], Text(cells[-1], style="yellow")])
    table = PlainTable(
        [h for h, _ in VIEW_COLUMNS],
        [numeric for _, numeric in VIEW_COLUMNS],
        rows,
        no_wrap=[h == "Topic" for h, _ in VIEW_COLUMNS],
        repeat=1,  # on a narrow terminal: blocks of columns, each with the topic tree
    )
    parts: list[Any] = [Text(summary(report)), Text(""), table, Text(""), Text(LEGEND, style="dim")]
    for heading, items in flag_sections(report):
        parts.append(Text(f"\n{heading}: {len(items) or 'none'}", style="bold"))
        parts += [Text(f"  - {item}") for item in items]
    return console_text(parts, width, color)


#: Rows of a per-topic chart at most: a larger tree is shown down to the deepest level that fits.
#: pygal costs ~4 ms per row, and a chart of hundreds of rows is a page thousands of pixels tall
#: that nobody reads at a glance; the table lists every topic.
MAX_CHART_ROWS: Final = 100


def _shallow(rows: list[CoverageRow], what: str = "topics") -> tuple[list[CoverageRow], str]:
    """The rows down to the deepest level with at most :data:`MAX_CHART_ROWS` rows (the
    top-level topics at least), and a sentence for the caption when some are left out."""
    if len(rows) <= MAX_CHART_ROWS:
        return rows, ""
    depth = 0
    while sum(row.depth <= depth + 1 for row in rows) <= MAX_CHART_ROWS:
        depth += 1
    kept = [row for row in rows if row.depth <= depth]
    return kept, (
        f" Shown down to level {depth + 1} of the tree: {len(kept):,} of {len(rows):,} {what} "
        "(the table lists them all)."
    )


def _indented(row: CoverageRow) -> str:
    return "\u00a0\u00a0\u00a0" * row.depth + row.label


def _fraction(part: int, whole: int) -> float:
    """``part / whole``, 0.0 for an empty whole (unrounded, for drawing)."""
    return part / whole if whole else 0.0


def html_figures(report: CoverageReport) -> list[Figure]:
    """The coverage page's figures: topic x year heatmap, venue mix, identifier completeness."""
    from interp_kg.reports import charts
    from interp_kg.reports.html import Figure, chart

    shown = [row for row in report.rows if row.works_total]
    parents = {row.parent for row in shown}
    sections, sections_cut = _shallow([row for row in shown if row.depth == 0 or row.topic in parents])
    shown, cut = _shallow(shown)
    labels = [_indented(row) for row in shown]
    t = report.totals
    years = [str(y) for y in range(t.year_min, t.year_max + 1)] if t.year_min and t.year_max else []
    per_year = [
        [row.works_per_year.get(y, 0) for y in years] + [row.works_total - row.works_dated] for row in shown
    ]
    out = [
        Figure(
            chart(
                charts.heatmap(
                    "topic-years",
                    labels,
                    [*years, "no year"],
                    per_year,
                    cell_text=[[str(v) if v else "" for v in r] for r in per_year],
                    gamma=0.5,
                    title="Works per year",
                    bold=[row.depth == 0 for row in shown],
                )
            ),
            "Works per topic and year (a topic counts the works of its sub-topics, each once; "
            "'no year': works the list gives no year for)." + cut,
        )
    ]
    mix: dict[str, list[float]] = {
        kind: [_fraction(row.venue_kinds[kind], row.works_total) for row in sections]
        for kind in VENUE_KINDS
        if any(row.venue_kinds[kind] for row in sections)
    }
    out.append(
        Figure(
            chart(
                charts.stacked_bars(
                    "venue-mix",
                    [f"{_indented(row)} (n={row.works_total})" for row in sections],
                    mix,
                    xlabel="share of works by kind of venue",
                    percent=True,
                    bold=[row.depth == 0 for row in sections],
                )
            ),
            "Venue mix of each top-level topic and of each topic with sub-topics: the share of its works "
            "per kind of venue ('none': no venue given)." + sections_cut,
        )
    )
    id_columns = ("arXiv", "DOI", "OpenReview", "ACL Anthology", "any of these")
    shares = [
        [
            _fraction(n, row.works_total)
            for n in (row.with_arxiv, row.with_doi, row.with_openreview, row.with_acl, row.with_scholarly_id)
        ]
        for row in shown
    ]
    out.append(
        Figure(
            chart(
                charts.heatmap(
                    "identifiers",
                    labels,
                    list(id_columns),
                    shares,
                    cell_text=[[percent(v) if v else "" for v in r] for r in shares],
                    vmax=1.0,
                    ramp="greens",
                    title="Share of works with the identifier",
                    bold=[row.depth == 0 for row in shown],
                )
            ),
            "Identifier completeness per topic: the share of its works with an arXiv id, a DOI, an "
            "OpenReview id, an ACL Anthology id, or any of the four." + cut,
        )
    )
    return out


def to_html(report: CoverageReport) -> bytes:
    """The report as a self-contained HTML page with charts (pygal)."""
    from interp_kg.reports.html import Block, Bullets, Heading, Legend, Page, Paragraph, Table, render

    blocks: list[Block] = [Heading("Charts"), *html_figures(report), Heading("Topics")]
    blocks.append(
        Table(
            [h for h, _ in VIEW_COLUMNS],
            [n for _, n in VIEW_COLUMNS],
            [[path_label(row, report), *view_cells(row)] for row in report.rows],
            row_classes=["top" if row.depth == 0 else "" for row in report.rows],
            indents=[0.55 + 1.2 * row.depth for row in report.rows],
            titles=[f"{PATH_SEPARATOR.join(row.path)}\n{row.topic}" for row in report.rows],
            cls="coverage",
            links=[row.topic for row in report.rows],
        )
    )
    blocks.append(Paragraph(LEGEND, "note"))
    blocks += [Heading("Legend: flags and colours"), Legend(flag_legend(report))]
    for (title, items), links in zip(flag_sections(report), flag_links(report), strict=True):
        blocks += [Heading(title), Bullets(items, links)]
    return render(Page("Topic coverage", summary(report), blocks))


def path_label(row: CoverageRow, report: CoverageReport) -> str:
    """A topic's label, with its parent's before it when another topic has the same label."""
    repeated = _repeated(report)
    return PATH_SEPARATOR.join(row.path[-2:]) if row.label in repeated and len(row.path) > 1 else row.label


def _repeated(report: CoverageReport) -> set[str]:
    seen: dict[str, int] = defaultdict(int)
    for row in report.rows:
        seen[row.label] += 1
    return {label for label, n in seen.items() if n > 1}


def flag_links(report: CoverageReport) -> list[list[str]]:
    """The IRIs the items of :func:`flag_sections` link to, section by section."""
    return [
        [r.topic for r in report.flagged("thin")],
        [r.topic for r in report.flagged("stale")],
        [r.topic for r in report.flagged("papers-no-tool")],
        [w.work for w in report.works_without_topic],
    ]


RENDERERS: Final = renderers(to_table, to_markdown, to_html, CSV_COLUMNS, csv_record)


def render_coverage(
    report: CoverageReport, fmt: ReportFormat, *, width: int | None = None, color: bool = False
) -> bytes:
    """The report in ``fmt``; ``width`` and ``color`` apply to the terminal table only."""
    return RENDERERS[fmt](report, width, color)
