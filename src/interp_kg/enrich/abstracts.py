"""``interp-kg enrich --abstracts``: each paper's abstract, fetched from its primary record (the
arXiv API, the OpenReview API v2, Crossref) into the user's abstracts file
(:mod:`interp_kg.curation.abstracts`), with the record's URL and the day. Never into the bundled
data. Papers whose abstract the file holds are skipped unless ``refresh``.

Each service is asked through the one HTTP client with the spacing :data:`~.lookups.INTERVALS`
gives it (3 s between arXiv calls); a paper is asked by its arXiv id, else its OpenReview id,
else its DOI. What the services answer: arXiv's Atom ``<summary>``; OpenReview's
``content.abstract.value``; Crossref's ``message.abstract`` (JATS XML, its tags dropped).
Whitespace is collapsed. A failed request or an answer without an abstract is an outcome line;
the rest are still written.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from interp_kg.catalog.models import Catalog, Work
from interp_kg.curation.abstracts import AbstractRecord, load_abstracts, write_abstracts
from interp_kg.enrich.lookups import ATOM, EnrichError, Outcome, Service, _json, base_urls, fetch, service_url
from interp_kg.errors import RemoteError
from interp_kg.http import Client

#: The page each service's record is read on (``{}``: the identifier).
PAGES: dict[Service, str] = {
    "arxiv": "https://arxiv.org/abs/{}",
    "openreview": "https://openreview.net/forum?id={}",
    "crossref": "https://doi.org/{}",
}
#: Identifier scheme -> service, in the order a paper is asked.
ORDER: tuple[tuple[str, Service], ...] = (
    ("arxiv", "arxiv"),
    ("openreview", "openreview"),
    ("doi", "crossref"),
)
_TAG = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    return " ".join(text.split())


def arxiv_abstract(body: bytes, arxiv_id: str, url: str) -> str | None:
    """The ``<summary>`` of the arXiv API entry for ``arxiv_id``."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise EnrichError(f"malformed Atom XML from {url}: {exc}") from None
    for entry in root.iter(f"{ATOM}entry"):
        if (entry.findtext(f"{ATOM}id") or "").rstrip("/").split("/abs/")[-1].startswith(arxiv_id):
            return _clean(entry.findtext(f"{ATOM}summary") or "") or None
    raise EnrichError(f"not found: no entry for arXiv {arxiv_id} in the feed from {url}")


def openreview_abstract(body: bytes, forum: str, url: str) -> str | None:
    """``content.abstract.value`` of the OpenReview note ``forum``."""
    data = _json(body, url)
    try:
        notes = [n for n in data["notes"] if n.get("id") == forum] or data["notes"][:1]
        value = notes[0].get("content", {}).get("abstract", {}).get("value") if notes else None
    except (KeyError, TypeError, AttributeError):
        raise EnrichError(f"unexpected JSON from {url}: no notes[].content") from None
    return _clean(value) if isinstance(value, str) and value.strip() else None


def crossref_abstract(body: bytes, doi: str, url: str) -> str | None:
    """``message.abstract`` of a Crossref work (JATS XML: its tags dropped, its title too)."""
    data = _json(body, url)
    try:
        value = data["message"].get("abstract")
    except (KeyError, TypeError, AttributeError):
        raise EnrichError(f"unexpected JSON from {url}: no message") from None
    if not isinstance(value, str):
        return None
    value = re.sub(r"<jats:title>.*?</jats:title>", " ", value, flags=re.S)
    return _clean(_TAG.sub(" ", value)) or None


PARSERS = {"arxiv": arxiv_abstract, "openreview": openreview_abstract, "crossref": crossref_abstract}


@dataclass
class AbstractsResult:
    outcomes: list[Outcome] = field(default_factory=list)
    file: Path | None = None
    written: bool = False
    found: int = 0

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "failure"]


def _asks(work: Work, services: set[Service]) -> list[tuple[str, Service, str]]:
    out = []
    for scheme, service in ORDER:
        values = sorted(i.value for i in work.identifiers if i.scheme == scheme)
        if values and service in services:
            out.append((scheme, service, values[0]))
    return out


def fetch_abstracts(
    catalog: Catalog,
    folder: Path,
    client: Client,
    *,
    urls: dict[Service, str] | None = None,
    services: Iterable[Service] = ("arxiv", "crossref", "openreview"),
    limit: int | None = None,
    dry_run: bool = False,
    refresh: bool = False,
    today: str | None = None,
) -> AbstractsResult:
    """Fetch the abstracts of ``catalog``'s papers into ``folder/abstracts.jsonl``."""
    urls = urls or base_urls()
    allowed = set(services)
    have = load_abstracts(folder)
    day = today or dt.date.today().isoformat()
    result = AbstractsResult(file=folder / "abstracts.jsonl")
    fetched: dict[str, AbstractRecord] = {}
    asked = 0
    for work in sorted(catalog.works, key=lambda w: w.slug):
        if work.kind != "paper":
            continue
        asks = _asks(work, allowed)
        if not asks:
            continue
        if not refresh and any(f"{scheme}:{value}" in have for scheme, _, value in asks):
            continue
        if limit is not None and asked >= limit:
            break
        asked += 1
        for scheme, service, value in asks:
            url = service_url(service, urls[service], value)
            try:
                text = PARSERS[service](fetch(client, service, url), value, url)
            except (RemoteError, EnrichError) as exc:
                result.outcomes.append(Outcome(work.slug, "failure", f"{service}: {exc}"))
                continue
            if text is None:
                result.outcomes.append(Outcome(work.slug, "nothing", f"{service} gives no abstract"))
                continue
            key = f"{scheme}:{value}"
            fetched[key] = AbstractRecord(
                id=key, abstract=text, source=PAGES[service].format(value), retrieved=day
            )
            result.outcomes.append(
                Outcome(work.slug, "fetched", f"abstract from {PAGES[service].format(value)}")
            )
            break
    result.found = len(fetched)
    if fetched and not dry_run:
        write_abstracts(folder, [*have.values(), *fetched.values()])
        result.written = True
    return result
