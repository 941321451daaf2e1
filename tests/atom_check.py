"""An Atom feed checked against RFC 4287's requirements (the elements a feed and an entry must
carry, their cardinality, RFC 3339 times, absolute IRIs), element by element; returns what is
wrong, one line each."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
#: RFC 3339 date-time (RFC 4287 section 3.3).
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _absolute_iri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "tag"))


def _once(parent: ET.Element, name: str, where: str, problems: list[str]) -> ET.Element | None:
    found = parent.findall(ATOM + name)
    if len(found) != 1:
        problems.append(f"{where}: {len(found)} atom:{name} elements, must be exactly one")
        return None
    return found[0]


def atom_problems(data: bytes) -> list[str]:
    """What keeps ``data`` from being an Atom feed as RFC 4287 defines it (empty when valid)."""
    problems: list[str] = []
    root = ET.fromstring(data)
    if root.tag != ATOM + "feed":
        return [f"the root is {root.tag}, not atom:feed"]
    for name in ("id", "title", "updated"):
        element = _once(root, name, "feed", problems)
        if element is not None and not (element.text or "").strip():
            problems.append(f"feed: empty atom:{name}")
    ident = root.find(ATOM + "id")
    if ident is not None and not _absolute_iri(ident.text or ""):
        problems.append(f"feed: atom:id {ident.text!r} is not an absolute IRI")
    updated = root.find(ATOM + "updated")
    if updated is not None and not DATE.match(updated.text or ""):
        problems.append(f"feed: atom:updated {updated.text!r} is not an RFC 3339 date-time")
    entries = root.findall(ATOM + "entry")
    feed_author = root.find(ATOM + "author")
    if feed_author is not None and feed_author.find(ATOM + "name") is None:
        problems.append("feed: atom:author without atom:name")
    links = root.findall(ATOM + "link")
    if not any(link.get("rel") == "self" for link in links):
        problems.append("feed: no atom:link rel='self' (RFC 4287 4.1.1: SHOULD)")
    alternates = {
        (link.get("type"), link.get("hreflang"))
        for link in links
        if link.get("rel", "alternate") == "alternate"
    }
    if len(alternates) != sum(1 for link in links if link.get("rel", "alternate") == "alternate"):
        problems.append("feed: two alternate links with the same type and hreflang")
    for link in links:
        if not link.get("href"):
            problems.append("feed: atom:link without href")
    seen: set[tuple[str, str]] = set()
    for n, entry in enumerate(entries, 1):
        where = f"entry {n}"
        for name in ("id", "title", "updated"):
            _once(entry, name, where, problems)
        eid = entry.find(ATOM + "id")
        eup = entry.find(ATOM + "updated")
        if eid is not None and not _absolute_iri(eid.text or ""):
            problems.append(f"{where}: atom:id {eid.text!r} is not an absolute IRI")
        if eup is not None and not DATE.match(eup.text or ""):
            problems.append(f"{where}: atom:updated {eup.text!r} is not an RFC 3339 date-time")
        published = entry.find(ATOM + "published")
        if published is not None and not DATE.match(published.text or ""):
            problems.append(f"{where}: atom:published {published.text!r} is not an RFC 3339 date-time")
        if feed_author is None and entry.find(ATOM + "author") is None:
            problems.append(f"{where}: no atom:author, and the feed has none")
        content = entry.find(ATOM + "content")
        entry_links = entry.findall(ATOM + "link")
        if content is None and not any(link.get("rel", "alternate") == "alternate" for link in entry_links):
            problems.append(f"{where}: neither atom:content nor an alternate atom:link")
        if content is None and entry.find(ATOM + "summary") is None:
            problems.append(f"{where}: no atom:summary and no atom:content")
        key = ((eid.text or "") if eid is not None else "", (eup.text or "") if eup is not None else "")
        if key in seen:
            problems.append(f"{where}: the same atom:id and atom:updated as an earlier entry")
        seen.add(key)
    return problems
