"""``interp-kg enrich --verify``: read the curated facts again on their primary records.

For every curated record of a paper of the list, each service the record has an identifier for
is asked (arXiv for its arXiv id, Crossref for its DOI, OpenReview for its forum id; through the
one HTTP client, spaced as :data:`~interp_kg.enrich.lookups.INTERVALS` says), and each fact the
service's record holds is compared with the curated one:

- arXiv: the title, the byline, the first version's date (``date``), the arXiv id;
- Crossref: the title, the byline, the issued date (``published``), the DOI;
- OpenReview: the title, the byline, the publication date (``published``), the forum id.

Titles agree when equal but for whitespace (case counts: a title is kept as its record writes
it), bylines when the same names in the same order (as :func:`~interp_kg.curation.aliases.name_key`
compares them; a byline marked incomplete as a prefix), dates when the service's starts with the
curated one (which may be less precise), DOIs whatever their case.

What is found goes to ``verified.jsonl`` beside the records (:mod:`interp_kg.curation.verification`):
the primary page and today's date for each fact, agreeing or not. Curated records are never
written; a curator applies the agreeing ones (``python -m interp_kg.curation.verification --apply``).
Every disagreement is an outcome (one line on stdout).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

from interp_kg.catalog.models import Catalog, Work
from interp_kg.curation.aliases import name_key
from interp_kg.curation.bibliography import Fact, Record, Source, load
from interp_kg.curation.verification import (
    VERIFIED_FILE,
    Verification,
    curated_value,
    read_verifications,
    write_verifications,
)
from interp_kg.enrich.lookups import (
    PARSERS,
    SERVICES,
    EnrichError,
    EnrichResult,
    Found,
    Outcome,
    Service,
    base_urls,
    fetch,
    service_url,
)
from interp_kg.errors import RemoteError
from interp_kg.http import Client

#: The facts each service's record holds, and how to read each from what it answered.
READINGS: dict[Service, dict[Fact, Callable[[Found], str | tuple[str, ...] | None]]] = {
    "arxiv": {
        "title": lambda f: f.title,
        "authors": lambda f: f.authors,
        "date": lambda f: f.date,
        "arxiv_id": lambda f: f.identifier,
    },
    "crossref": {
        "title": lambda f: f.title,
        "authors": lambda f: f.authors,
        "published": lambda f: f.date,
        "doi": lambda f: f.identifier,
    },
    "openreview": {
        "title": lambda f: f.title,
        "authors": lambda f: f.authors,
        "published": lambda f: f.date,
        "openreview_id": lambda f: f.identifier,
    },
}


def agrees(fact: Fact, curated: str | tuple[str, ...], found: str | tuple[str, ...], record: Record) -> bool:
    """Whether a service's value of ``fact`` is the curated one (see the module's rules).

    >>> r = Record.model_validate({"id": "arxiv:2301.00001", "title": "T",
    ...     "sources": {"title": {"url": "https://arxiv.org/abs/2301.00001", "retrieved": "2026-01-01"}}})
    >>> agrees("title", "A  Title", "A Title", r), agrees("title", "A Title", "A title", r)
    (True, False)
    >>> agrees("date", "2023-01", "2023-01-02", r), agrees("doi", "10.1/ab", "10.1/AB", r)
    (True, True)
    """
    if fact == "authors":
        mine, theirs = [name_key(n) for n in curated], [name_key(n) for n in found]
        return mine == theirs or (not record.authors_complete and theirs[: len(mine)] == mine)
    assert isinstance(curated, str) and isinstance(found, str)
    if fact == "title":
        return " ".join(curated.split()) == " ".join(found.split())
    if fact in ("date", "published"):
        return found.startswith(curated)
    if fact == "doi":
        return curated.lower() == found.lower()
    return curated == found


def _plan(work: Work, record: Record) -> list[tuple[Service, str]]:
    """The services to ask about ``record`` and the identifier for each: the record's own, else
    the list's."""
    listed = {i.scheme: i.value for i in sorted(work.identifiers)}
    arxiv = record.arxiv_id or listed.get("arxiv")
    doi = record.doi or listed.get("doi")
    forum = record.openreview_id or listed.get("openreview")
    plan: list[tuple[Service, str | None]] = [("arxiv", arxiv), ("crossref", doi), ("openreview", forum)]
    return [
        (s, v)
        for s, v in plan
        if v is not None and not (s == "crossref" and v.lower().startswith("10.48550/"))
    ]


def verify(
    catalog: Catalog,
    folder: Path,
    client: Client,
    *,
    urls: dict[Service, str] | None = None,
    services: Iterable[Service] = SERVICES,
    limit: int | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> EnrichResult:
    """Check the curated facts of ``catalog``'s papers in ``folder`` against the services and write
    what is found to ``folder/verified.jsonl`` (unless ``dry_run``). Curated files are only read."""
    today = today or dt.date.today()
    bib = load(folder)
    urls = urls or base_urls()
    allowed = set(services)
    path = folder / VERIFIED_FILE
    result = EnrichResult(proposals_file=path)
    found_now: list[Verification] = []
    seen: set[str] = set()
    for work in catalog.works:
        located = bib.for_work(work) if work.kind == "paper" else None
        if located is None or located.record.key in seen:
            continue
        record = located.record
        plan = [(s, v) for s, v in _plan(work, record) if s in allowed]
        if not plan:
            continue
        if limit is not None and len(seen) >= limit:
            break
        seen.add(record.key)
        for service, value in plan:
            url = service_url(service, urls[service], value)
            try:
                found = PARSERS[service](fetch(client, service, url), value, url)
            except (EnrichError, RemoteError) as exc:
                result.outcomes.append(Outcome(record.key, "failure", f"{service}: {exc}"))
                continue
            source = Source(url=found.page, retrieved=today)
            for fact, read in READINGS[service].items():
                curated, theirs = curated_value(record, fact), read(found)
                if curated is None or theirs is None:
                    continue
                ok = agrees(fact, curated, theirs, record)
                found_now.append(
                    Verification(
                        id=record.key,
                        fact=fact,
                        service=service,
                        agrees=ok,
                        curated=curated,
                        found=theirs,
                        source=source,
                    )
                )
                if not ok:
                    shown = "; ".join(theirs) if isinstance(theirs, tuple) else theirs
                    mine = "; ".join(curated) if isinstance(curated, tuple) else curated
                    result.outcomes.append(
                        Outcome(
                            record.key, "conflict", f"{fact}: {service} gives {shown!r}, curated {mine!r}"
                        )
                    )
        agreed = sorted({v.fact for v in found_now if v.id == record.key and v.agrees})
        if agreed:
            result.outcomes.append(Outcome(record.key, "proposal", "agrees: " + ", ".join(agreed)))
    if found_now and not dry_run:
        write_verifications(path, [*read_verifications(path), *found_now])
        result.written = True
    return result
