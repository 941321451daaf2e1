"""``interp-kg lint``: source-level problems a list curator can fix, each with ``file:line``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.persist import IriBook
from interp_kg.catalog.stream import source_list
from interp_kg.catalog.works import CatalogBuilder
from interp_kg.checks.curated import bibliography_findings
from interp_kg.curation.aliases import default_aliases
from interp_kg.curation.bibliography import Bibliography, default_folder
from interp_kg.curation.bibliography import load as load_bibliography
from interp_kg.gcpause import no_gc
from interp_kg.identifiers.venues import LabelHint, VenueMatch, VenueTable, load_venue_table
from interp_kg.source.lists import ListSource, in_order, local_source
from interp_kg.source.models import Diagnostic, Entry, Link, ListSummary
from interp_kg.source.parse import iter_parse_file

#: Link kinds whose URL must be on one of these hosts.
HINT_HOSTS = {
    "github": ("github.com",),
    "youtube": ("youtube.com", "youtu.be"),
    "google scholar": ("scholar.google.",),
    "openreview": ("openreview.net",),
}


def _host(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host.removeprefix("www.")


def _arxiv_ids(link: Link) -> list[str]:
    return [i.value for i in link.identifiers if i.scheme == "arxiv"]


def link_problems(link: Link, table: VenueTable) -> Iterator[str]:
    """What is wrong between a link's label (a hint) and its URL (the authority)."""
    if not link.label:
        return
    match = table.match_label(link.label)
    host = _host(link.url)
    if isinstance(match, LabelHint):
        hosts = HINT_HOSTS.get(match.kind)
        if hosts and not any(h in host for h in hosts):
            yield f"label [{link.label}] says {match.kind}, but the URL is on {host}"
        yymm = match.yymm
        ids = _arxiv_ids(link)
        if yymm and ids and not ids[0].startswith(yymm):
            yield f"label [{link.label}] says {yymm}, but the URL is arXiv {ids[0]}"
        for problem in match.problems:
            yield f"label [{link.label}]: {problem}"
        return
    assert isinstance(match, VenueMatch)
    for problem in match.problems:
        yield f"label [{link.label}]: {problem}"
    if match.known and match.venue.key == "arxiv":
        ids = _arxiv_ids(link)
        if not ids:
            yield f"label [{link.label}] says arXiv, but the URL is on {host}"
        else:
            number = match.yymm or (str(match.year) if match.year is not None else None)
            if number is not None and not ids[0].startswith(number):
                yield f"label [{link.label}] says {number}, but the URL is arXiv {ids[0]} (yymm {ids[0][:4]})"
    elif (
        match.known
        and match.venue.kind in ("preprint", "forum")
        and match.venue.hosts
        and not any(host == h or host.endswith("." + h) for h in match.venue.hosts)
    ):
        yield f"label [{link.label}] says {match.venue.name}, but the URL is on {host}"


def _entry_findings(source: str, entry: Entry, table: VenueTable) -> Iterator[Diagnostic]:
    if not entry.links:
        yield Diagnostic(
            file=source, line=entry.line, code="no-link", message=f"entry {entry.title!r} has no link"
        )
    for link in entry.links:
        for problem in link_problems(link, table):
            yield Diagnostic(file=source, line=entry.line, code="label-url-mismatch", message=problem)


def lint_sources(
    paths: Sequence[Path | ListSource], bibliography: Bibliography | None = None
) -> list[Diagnostic]:
    """Parse and lint source lists (and the curated records of their works: see :func:`lint_report`)."""
    return lint_report(paths, bibliography).findings


@dataclass(frozen=True)
class LintReport:
    """The findings of ``lint``, and per list what became of its units (the summary lines)."""

    findings: list[Diagnostic]
    summaries: tuple[ListSummary, ...]


def lint_report(paths: Sequence[Path | ListSource], bibliography: Bibliography | None = None) -> LintReport:
    """:func:`lint_sources`, with each list's summary: how many units became works. The lists are
    read in the order that decides between them, as a build reads them, and named as a build names
    them. All findings are sorted by file, line and code; with those of the curated bibliography
    records of their works (default: ``data/bibliography/``).

    Each list is read as it is parsed, in batches: an entry's own findings are made as it comes,
    and the catalog keeps what later checks need of it (its keys, title and links: no source text,
    no notes), so a list of a million entries is linted in bounded memory."""
    sources = in_order([p if isinstance(p, ListSource) else local_source(p) for p in paths])
    table = load_venue_table()
    findings: set[Diagnostic] = set()
    summaries = []
    # the works are checked as they are built and let go (a catalog of a million works is GBs)
    aliases = default_aliases()
    book = IriBook(aliases=aliases, remember=False)  # lint mints no IRI to keep
    builder = CatalogBuilder(table, Curated(aliases=aliases), book, keep_works=False)
    with no_gc():  # a 100k-entry list: 10.8 s -> 6.9 s
        for src in sources:

            def check(entries: Sequence[Entry], source: str = src.source) -> None:
                for entry in entries:
                    findings.update(_entry_findings(source, entry, table))

            parser = iter_parse_file(src.path, source=src.source, keep=False)
            parsed, count = builder.read(src.source, parser, source_list(src), check)
            findings.update(parsed.diagnostics)
            summaries.append(parsed.summary(count))
        bib = bibliography if bibliography is not None else load_bibliography(default_folder())
        findings.update(bibliography_findings(builder.works(), bib, aliases))
        findings.update(builder.catalog().findings)
    ordered = sorted(findings, key=lambda d: (d.file, d.line, d.code, d.message))
    return LintReport(ordered, tuple(summaries))
