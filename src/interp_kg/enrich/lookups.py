"""``interp-kg enrich``: propose missing authors and dates from the arXiv, Crossref and OpenReview APIs.

For every paper of the list whose curated record (``data/bibliography/part-*.jsonl``) lacks the
author list or the date, the paper is looked up by its identifiers, strongest first: arXiv id ->
the arXiv API (Atom: ``<entry><author><name>``, ``<published>``), DOI -> Crossref
(``message.author[].given/family``, ``issued.date-parts``), OpenReview id -> the OpenReview API v2
(``notes[].content.authors.value``, ``pdate``/``cdate``). What it finds goes to
``data/bibliography/proposals.jsonl`` for a curator to review (same record schema, each fact with
the public page a reviewer can check it on); curated files are never written, so a curated value
is never overwritten. A fetched value that disagrees with a curated one is reported as a conflict.

Requests go through the one HTTP client (:class:`interp_kg.http.Client`): a polite ``User-Agent``
(with the contact when given), timeouts, retries on HTTP 429/5xx, connection errors and timeouts
honouring ``Retry-After`` up to its cap, and a size cap on answers. They are spaced per service
(:data:`INTERVALS`: arXiv asks for 3 s between calls). The client's clock is injected, so tests
never sleep. Base URLs come from the options or ``INTERP_KG_ARXIV_API``, ``INTERP_KG_CROSSREF_API``,
``INTERP_KG_OPENREVIEW_API``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from interp_kg import atomic
from interp_kg.catalog.curated import record_key
from interp_kg.catalog.models import Catalog, Work
from interp_kg.curation.aliases import name_key
from interp_kg.curation.bibliography import Bibliography, Record, load, parse_records, write_file
from interp_kg.errors import InterpKgError, RemoteError
from interp_kg.http import Client
from interp_kg.rdf.graph import listing_slug
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI

Service = Literal["arxiv", "crossref", "openreview"]
SERVICES: tuple[Service, ...] = ("arxiv", "crossref", "openreview")
DEFAULT_URLS: dict[Service, str] = {
    "arxiv": "https://export.arxiv.org/api/query",
    "crossref": "https://api.crossref.org/works/",
    "openreview": "https://api2.openreview.net/notes",
}
ENV_URLS: dict[Service, str] = {
    "arxiv": "INTERP_KG_ARXIV_API",
    "crossref": "INTERP_KG_CROSSREF_API",
    "openreview": "INTERP_KG_OPENREVIEW_API",
}
#: Seconds between two requests to one service (arXiv's API terms ask for 3): the ``intervals``
#: of the client :func:`enrich` is given, keyed by service.
INTERVALS: dict[str, float] = {"arxiv": 3.0, "crossref": 1.0, "openreview": 1.0}
PROPOSALS_FILE = "proposals.jsonl"
ATOM = "{http://www.w3.org/2005/Atom}"


class EnrichError(InterpKgError):
    """An answer could not be read (malformed, or not about the paper); the message is one line.
    Failed requests are :class:`~interp_kg.errors.RemoteError` s of the client."""

    exit_code = 5


def base_urls(overrides: dict[Service, str | None] | None = None) -> dict[Service, str]:
    """Base URL per service: the override, else the environment variable, else the default."""
    overrides = overrides or {}
    return {s: overrides.get(s) or os.environ.get(ENV_URLS[s]) or DEFAULT_URLS[s] for s in SERVICES}


# -- the three services ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """What one service says about a work."""

    authors: tuple[str, ...] | None
    date: str | None
    page: str  # the public page a reviewer can check the facts on
    title: str | None = None
    identifier: str | None = None  # the record's own id (arXiv id without version, DOI, forum id)


def parse_arxiv(body: bytes, arxiv_id: str, url: str) -> Found:
    """An arXiv API Atom feed -> authors and first-version date (``<published>``)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise EnrichError(f"malformed Atom XML from {url}: {exc}") from None
    for entry in root.iter(f"{ATOM}entry"):
        entry_id = (entry.findtext(f"{ATOM}id") or "").strip()
        if not entry_id.rstrip("/").split("/abs/")[-1].startswith(arxiv_id):
            continue
        names = tuple(
            n.strip() for a in entry.iter(f"{ATOM}author") if (n := a.findtext(f"{ATOM}name")) and n.strip()
        )
        published = (entry.findtext(f"{ATOM}published") or "").strip()[:10]
        title = " ".join((entry.findtext(f"{ATOM}title") or "").split())
        found_id = entry_id.rstrip("/").split("/abs/")[-1]
        return Found(
            authors=names or None,
            date=_checked_date(published, url),
            page=f"https://arxiv.org/abs/{arxiv_id}",
            title=title or None,
            identifier=found_id.rsplit("v", 1)[0] if re.search(r"v\d+$", found_id) else found_id,
        )
    raise EnrichError(f"not found: no entry for arXiv {arxiv_id} in the feed from {url}")


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise EnrichError(f"malformed JSON from {url}: {exc}") from None


def _checked_date(value: str, url: str) -> str | None:
    if not value:
        return None
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        elif len(value) == 7:
            dt.date.fromisoformat(value + "-01")
        elif not (len(value) == 4 and value.isdigit()):
            raise ValueError(value)
    except ValueError:
        raise EnrichError(f"malformed date {value!r} from {url}") from None
    return value


def parse_crossref(body: bytes, doi: str, url: str) -> Found:
    """A Crossref ``/works/{doi}`` answer -> authors (given + family) and ``issued`` date."""
    data = _json(body, url)
    try:
        message = data["message"]
        authors = tuple(
            " ".join(p for p in (a.get("given", "").strip(), a.get("family", "").strip()) if p)
            or a.get("name", "").strip()
            for a in message.get("author", [])
            if isinstance(a, dict)
        )
        parts = message.get("issued", {}).get("date-parts", [[]])[0] or []
        titles = message.get("title") or []
        title = " ".join(str(titles[0]).split()) if titles else None
        found_doi = message.get("DOI")
    except (KeyError, TypeError, AttributeError, IndexError):
        raise EnrichError(f"unexpected JSON from {url}: no message.author / message.issued") from None
    date = "-".join(
        f"{int(p):02d}" if i else f"{int(p):04d}" for i, p in enumerate(parts[:3]) if p is not None
    )
    return Found(
        authors=tuple(a for a in authors if a) or None,
        date=_checked_date(date, url),
        page=f"https://doi.org/{doi}",
        title=title or None,
        identifier=str(found_doi) if found_doi else None,
    )


def parse_openreview(body: bytes, forum: str, url: str) -> Found:
    """An OpenReview API v2 ``/notes?id=`` answer -> ``content.authors.value`` and the
    publication date (``pdate``, else ``cdate``; milliseconds since the epoch, UTC)."""
    data = _json(body, url)
    try:
        notes = [n for n in data["notes"] if n.get("id") == forum] or data["notes"][:1]
        if not notes:
            raise EnrichError(f"not found: no note {forum} in the answer from {url}")
        note = notes[0]
        authors = note.get("content", {}).get("authors", {}).get("value")
        title = note.get("content", {}).get("title", {}).get("value")
        found_id = note.get("id")
        stamp = note.get("pdate") or note.get("cdate")
    except (KeyError, TypeError, AttributeError):
        raise EnrichError(f"unexpected JSON from {url}: no notes[].content.authors") from None
    if authors is not None and not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        raise EnrichError(f"unexpected JSON from {url}: content.authors.value is not a list of names")
    date = None
    if isinstance(stamp, int | float):
        date = dt.datetime.fromtimestamp(stamp / 1000, tz=dt.UTC).date().isoformat()
    return Found(
        authors=tuple(a.strip() for a in authors if a.strip()) or None if authors else None,
        date=date,
        page=f"https://openreview.net/forum?id={forum}",
        title=" ".join(title.split()) if isinstance(title, str) and title.strip() else None,
        identifier=found_id if isinstance(found_id, str) else None,
    )


# -- the run ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What happened for one work: a proposal, a conflict, a failure or nothing new."""

    key: str
    kind: Literal["proposal", "conflict", "failure", "nothing", "fetched"]
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.kind}: {self.message}"


@dataclass
class EnrichResult:
    outcomes: list[Outcome] = field(default_factory=list)
    proposals_file: Path | None = None
    written: bool = False

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "failure"]


def lookups(work: Work, record: Record | None) -> list[tuple[Service, str]]:
    """The services to ask about ``work``, strongest identifier first."""
    out: list[tuple[Service, str]] = []
    arxiv = sorted({i.value for i in work.identifiers if i.scheme == "arxiv"})
    if not arxiv and record is not None and record.arxiv_id:
        arxiv = [record.arxiv_id]
    out += [("arxiv", a) for a in arxiv[:1]]
    out += [("crossref", d) for d in sorted({i.value for i in work.identifiers if i.scheme == "doi"})[:1]]
    out += [
        ("openreview", o) for o in sorted({i.value for i in work.identifiers if i.scheme == "openreview"})[:1]
    ]
    return out


def service_url(service: Service, base: str, value: str) -> str:
    if service == "arxiv":
        return f"{base}?{urllib.parse.urlencode({'id_list': value, 'max_results': 1})}"
    if service == "crossref":
        return base.rstrip("/") + "/" + urllib.parse.quote(value, safe="/")
    return f"{base}?{urllib.parse.urlencode({'id': value})}"


PARSERS: dict[Service, Callable[[bytes, str, str], Found]] = {
    "arxiv": parse_arxiv,
    "crossref": parse_crossref,
    "openreview": parse_openreview,
}


def _same_authors(a: Sequence[str], b: Sequence[str]) -> bool:
    return [name_key(x) for x in a] == [name_key(x) for x in b]


def fetch(client: Client, service: Service, url: str) -> bytes:
    """The body of ``url``, spaced as ``service`` asks; :class:`RemoteError` when the request fails."""
    return client.request("GET", url, headers={"Accept": "*/*"}, pace=service, shown=url).content


def enrich(
    catalog: Catalog,
    folder: Path,
    client: Client,
    *,
    urls: dict[Service, str] | None = None,
    services: Iterable[Service] = SERVICES,
    limit: int | None = None,
    dry_run: bool = False,
    proposals_file: Path | None = None,
) -> EnrichResult:
    """Look up the papers of ``catalog`` lacking curated facts in ``folder`` through ``client``
    and add what is found to ``proposals_file`` (default ``folder/proposals.jsonl``) unless
    ``dry_run``. Curated files are only read. The proposals file is merged record by record
    (:func:`save_proposals`): a proposal a person edited or added while this ran is kept."""
    bib: Bibliography = load(folder)
    urls = urls or base_urls()
    allowed = set(services)
    proposals_path = proposals_file if proposals_file is not None else folder / PROPOSALS_FILE
    data, seen = atomic.read(proposals_path)
    proposals = _proposals(proposals_path, data)
    result = EnrichResult(proposals_file=proposals_path)
    new: dict[str, Record] = {}
    asked = 0
    for work in catalog.works:
        if work.kind != "paper":
            continue
        located = bib.for_work(work)
        record = located.record if located else None
        if record is not None and record.authors is not None and record.date is not None:
            continue
        plan = [(s, v) for s, v in lookups(work, record) if s in allowed]
        if not plan:
            continue
        if limit is not None and asked >= limit:
            break
        asked += 1
        key = record.key if record is not None else record_key(work)
        found, service, errors = None, plan[0][0], []
        for service, value in plan:  # the next service when one fails
            url = service_url(service, urls[service], value)
            try:
                found = PARSERS[service](fetch(client, service, url), value, url)
                break
            except (EnrichError, RemoteError) as exc:
                errors.append(f"{service}: {exc}")
        if found is None:
            result.outcomes.append(Outcome(key, "failure", "; ".join(errors)))
            continue
        fields: dict[str, Any] = {}
        read = {"url": found.page, "retrieved": dt.date.today().isoformat()}
        sources: dict[str, Any] = {}
        notes = []
        if found.authors is not None:
            if record is None or record.authors is None:
                fields.update(authors=found.authors)
                sources["authors"] = read
            elif not _same_authors(record.authors, found.authors):
                notes.append(
                    f"authors differ from the curated list ({service} has {len(found.authors)} names)"
                )
        if found.date is not None:
            if record is None or record.date is None:
                fields.update(date=found.date)
                sources["date"] = read
            elif record.date != found.date and not found.date.startswith(record.date):
                notes.append(f"date {found.date} from {service} differs from the curated {record.date}")
        for note in notes:
            result.outcomes.append(Outcome(key, "conflict", note))
        if not fields:
            if not notes:
                result.outcomes.append(Outcome(key, "nothing", f"{service} has no missing fact"))
            continue
        # the title as the list writes it, sourced to the line of the list it was read on
        listing = work.listings[0]
        title_source = {
            "url": DEFAULT_BASE_IRI + listing_slug(listing.source, listing.line),
            "retrieved": read["retrieved"],
        }
        try:
            proposal = Record.model_validate(
                {"id": key, "title": work.title, **fields, "sources": {"title": title_source, **sources}}
            )
        except ValidationError as exc:
            result.outcomes.append(
                Outcome(key, "failure", f"{service}: unusable answer: {exc.errors()[0]['msg']}")
            )
            continue
        new[key] = proposal
        facts = " and ".join(f for f in ("authors", "date") if f in fields)
        result.outcomes.append(Outcome(key, "proposal", f"{facts} from {found.page}"))
    if new and not dry_run:
        for key in save_proposals(proposals_path, seen, proposals, new):
            result.outcomes.append(
                Outcome(
                    key, "conflict", f"{proposals_path} was edited for this work meanwhile: the edit is kept"
                )
            )
        result.written = True
    return result


def _proposals(path: Path, data: bytes | None) -> dict[str, Record]:
    if data is None:
        return {}
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EnrichError(f"{path}: cannot read: {exc}") from None
    return {p.record.key: p.record for p in parse_records(path, text)}


#: Times :func:`save_proposals` reads the file again when it changes between its read and its write.
SAVE_ATTEMPTS = 5


def save_proposals(
    path: Path, seen: atomic.Snapshot, read_then: dict[str, Record], new: dict[str, Record]
) -> list[str]:
    """Add ``new`` proposals to the file at ``path``, record by record, keeping every change made
    to it since it was read (``seen``, holding ``read_then``): records added, edited or removed
    by someone else stay as they are now, and a new proposal for a work whose record was edited
    or added meanwhile is dropped. Returns the keys of the proposals so dropped. The file is
    written atomically, and only if it did not change again since this read it."""
    for _ in range(SAVE_ATTEMPTS):
        data, now = atomic.read(path)
        current = read_then if now.sha256 == seen.sha256 else _proposals(path, data)
        merged = dict(current)
        dropped = []
        for key, record in new.items():
            if key in current and current[key] != read_then.get(key):
                dropped.append(key)
            else:
                merged[key] = record
        try:
            write_file(path, merged.values(), expect=now)
        except atomic.FileChanged:
            continue
        return dropped
    raise atomic.FileChanged(f"{path} kept changing while enrich saved its proposals: not written; run again")
