"""Lint findings about curated facts against the list (``interp-kg lint``): a curated date after
the list's year or outside the month of the work's arXiv id, a title that differs from the list's
beyond case and punctuation, an identifier that disagrees with the list's URL, a fact read on a
page that is not its primary record without a reason, and author names that look like one person
written two ways."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from interp_kg.catalog.models import Catalog, Work
from interp_kg.curation.aliases import AliasTable, likely_duplicates
from interp_kg.curation.bibliography import IDENTIFIER_FIELDS, Bibliography, Located
from interp_kg.curation.primary import PrimaryHosts, default_primary_hosts
from interp_kg.source.models import Diagnostic
from interp_kg.source.text import title_key

_NEW_ARXIV_ID = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")


def _arxiv_month_findings(work: Work, located: Located) -> Iterator[Diagnostic]:
    """A curated date (with a month) outside the month an arXiv id says the first version came out
    in (or the month before): probably a venue's date where the first version's was meant."""
    date = located.record.date
    if date is None or len(date) < 7:
        return
    for ident in work.identifiers:
        if ident.scheme == "arxiv" and (m := _NEW_ARXIV_ID.fullmatch(ident.value)):
            year, month = 2000 + int(m.group(1)), int(m.group(2))
            first = f"{year}-{month:02d}"
            # the id's month is the announcement's: a version submitted on the last days of the
            # month before gets it too
            before = f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"
            if date[:7] not in (first, before):
                yield Diagnostic(
                    file=shown_path(located.file),
                    line=located.line,
                    code="date-arxiv-mismatch",
                    message=f"{located.record.key}: curated date {date} is not in {first}, the month of "
                    f"arXiv {ident.value}'s first version: check the date (a venue's date?)",
                )
            return


def shown_path(path: Path) -> str:
    """``path`` relative to the working directory when it is below it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def author_names(records: Iterable[Located]) -> list[str]:
    return [name for located in records for name in (located.record.authors or ())]


def own_repositories(work: Work) -> set[str]:
    """``owner/repo`` of the work's own GitHub repositories (a tool's, a paper's code): primary
    records of that work's facts."""
    own = {i.value for i in work.identifiers if i.scheme == "github"}
    return own | {url.removeprefix("https://github.com/") for url in work.code_repositories}


def _record_findings(work: Work, located: Located, hosts: PrimaryHosts) -> Iterator[Diagnostic]:
    record = located.record
    where = {"file": shown_path(located.file), "line": located.line}
    note = (record.note or "").lower()
    explained = "title" in note or work.title.lower() in note  # the curator says why
    if title_key(record.title) != title_key(work.title) and not explained:
        yield Diagnostic(
            **where,
            code="title-differs",
            message=f"{record.key}: the record's title {record.title!r} differs from the list's "
            f"{work.title!r}: check it, and say why in the record's note (a later version's title?)",
        )
    listed = {(i.scheme, i.value) for i in work.identifiers}
    for name, scheme in IDENTIFIER_FIELDS.items():
        value = getattr(record, name)
        others = sorted(v for s, v in listed if s == scheme)
        if value is not None and others and value not in others:
            yield Diagnostic(
                **where,
                code="identifier-disagrees",
                message=f"{record.key}: {name} {value} disagrees with the list's URL ({scheme} {others[0]}): "
                "one of them is wrong",
            )
    own = own_repositories(work)
    for fact, source in record.sources.items():
        if source.secondary is None and not hosts.is_primary(source.url, own):
            yield Diagnostic(
                **where,
                code="secondary-source",
                message=f"{record.key}: {fact} was read on {source.url}, not a primary record "
                "(data/bibliography/primary-hosts.toml): read it on the primary record, or give the "
                "reason in sources.{fact}.secondary".replace("{fact}", fact),
            )


def bibliography_findings(
    catalog: Catalog | Iterable[Work],
    bibliography: Bibliography,
    aliases: AliasTable,
    hosts: PrimaryHosts | None = None,
) -> list[Diagnostic]:
    """Lint findings of the records matching the works of ``catalog`` (or the works as a catalog
    streams them, each read once): a curated date after the list's year or outside the month of
    the work's arXiv id, and author names that look like one person written two ways."""
    hosts = hosts if hosts is not None else default_primary_hosts()
    findings = []
    matched: dict[str, list[Located]] = defaultdict(list)
    for work in catalog.works if isinstance(catalog, Catalog) else catalog:
        located = bibliography.for_work(work)
        if located is None:
            continue
        matched[located.record.key].append(located)
        year = located.record.year
        if year is not None and work.year is not None and year > work.year:
            findings.append(
                Diagnostic(
                    file=shown_path(located.file),
                    line=located.line,
                    code="date-after-year",
                    message=f"{located.record.key}: curated date {located.record.date} is after the "
                    f"list's year {work.year} for {work.slug}: check the date or the list's link text",
                )
            )
        findings.extend(_arxiv_month_findings(work, located))
        findings.extend(_record_findings(work, located, hosts))
    records = [group[0] for group in matched.values()]
    first_place: dict[str, Located] = {}
    for located in sorted(records, key=lambda r: (str(r.file), r.line)):
        for name in located.record.authors or ():
            first_place.setdefault(aliases.canonical(name), located)
    for a, b in likely_duplicates(author_names(records), aliases):
        where = first_place.get(b) or first_place[a]
        findings.append(
            Diagnostic(
                file=shown_path(where.file),
                line=where.line,
                code="likely-duplicate-author",
                message=f"authors {a!r} and {b!r} may be one person: if so, add them to "
                "data/authors/aliases.toml with a source",
            )
        )
    return findings
