"""What each Wikidata item of a work is searched by: its identifiers in the form Wikidata holds
them, its titles (and the exact forms they are sent as), and the years its date may carry."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from interp_kg.curation.wikidata_mapping import MatchKind, Version
from interp_kg.identifiers import wikidata as wd
from interp_kg.wikidata import items
from interp_kg.wikidata.works import WorkFacts

_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s#?]+?)(?:\.git)?/?$", re.IGNORECASE)
#: Hosts whose pages are records of an identifier scheme, not a work's own website.
_NOT_WEBSITES = (
    "arxiv.org",
    "doi.org",
    "openreview.net",
    "aclanthology.org",
    "github.com",
    "proceedings.mlr.press",
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "youtube.com",
    "youtu.be",
)
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2010": "-"}
)


def _github_variants(url: str) -> list[str]:
    m = _GITHUB.match(url)
    if not m:
        return []
    base = f"https://github.com/{m.group(1)}/{m.group(2)}"
    return [base, base + "/", base + ".git", base.replace("https://", "http://", 1)]


def _website_variants(url: str) -> list[str]:
    host = re.sub(r"^https?://([^/]+).*$", r"\1", url).lower().removeprefix("www.")
    if any(host == h or host.endswith("." + h) for h in _NOT_WEBSITES):
        return []
    bare = re.sub(r"^https?://", "", url).rstrip("/")
    return sorted({f"{scheme}://{bare}{slash}" for scheme in ("https", "http") for slash in ("", "/")})


def title_key(title: str) -> str:
    """A title as compared: Unicode-normalised, plain quotes and dashes, case-folded, whitespace
    collapsed, without final punctuation.

    >>> title_key("Towards  Monosemanticity: Decomposing Language Models\u2019 Features.")
    "towards monosemanticity: decomposing language models' features"
    """
    text = unicodedata.normalize("NFKC", title).translate(_QUOTES).casefold()
    return " ".join(text.split()).rstrip(".;:,! ")


def title_variants(title: str) -> list[str]:
    """The exact strings a title is searched as: as written, whitespace collapsed, without a final
    period, with plain quotes and dashes, with typographic apostrophes.

    >>> title_variants("Models' Features.")
    ["Models' Features", "Models' Features.", 'Models\u2019 Features.']
    """
    collapsed = " ".join(title.split())
    plain = collapsed.translate(_QUOTES)
    forms = {title, collapsed, collapsed.rstrip("."), plain, plain.replace("'", "\u2019")}
    return sorted(f for f in forms if f)


@dataclass
class Target:
    """One item to find: a work's version, what it is looked up by, its titles and years."""

    work: str
    version: Version
    lookups: set[tuple[MatchKind, str]] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    years: set[int] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, Version]:
        return (self.work, self.version)

    def searched_for(self) -> tuple[str, ...]:
        """What the search asks for, as the mapping records it."""
        return tuple(
            sorted({f"{kind} {value}" for kind, value in self.lookups} | {f"title {t}" for t in self.titles})
        )


def year_of(text: str | None) -> int | None:
    return int(text[:4]) if text and text[:4].isdigit() else None


def targets_of(work: WorkFacts) -> list[Target]:
    """The items ``work`` should have, with their identifiers (as Wikidata holds them), titles and years."""
    record = work.record
    versions = items.versions(work)
    arxiv = set(work.arxiv) | ({record.arxiv_id} if record is not None and record.arxiv_id else set())
    dois = {d.upper() for d in work.dois} | (
        {record.doi.upper()} if record is not None and record.doi else set()
    )
    forums = set(work.openreview) | (
        {record.openreview_id} if record is not None and record.openreview_id else set()
    )
    out = []
    for version in versions:
        t = Target(work.slug, version)
        if version != "published":
            for a in arxiv:
                t.lookups |= {("arxiv", a), ("arxiv-doi", wd.arxiv_doi(a))}
            t.lookups |= {("arxiv-doi", d) for d in dois if d.startswith(wd.ARXIV_DOI_PREFIX)}
            if record is not None:
                t.years |= {y for y in (year_of(record.date),) if y}
            t.years |= {2000 + int(a[:2]) for a in arxiv if re.match(r"^\d{4}\.", a)}
        if version != "preprint":
            t.lookups |= {("doi", d) for d in dois if not d.startswith(wd.ARXIV_DOI_PREFIX)}
            t.lookups |= {("openreview", f) for f in forums}
            if record is not None:
                t.years |= {y for y in (year_of(record.published), year_of(record.date)) if y}
        if version == "work":
            if work.kind == "tool":
                for key in work.ids.get("github", ()):
                    t.lookups |= {("github", u) for u in _github_variants(f"https://github.com/{key}")}
                for repo in work.repositories:
                    t.lookups |= {("github", u) for u in _github_variants(repo)}
            if not arxiv and not dois and not forums:
                for url in work.urls:
                    t.lookups |= {("website", u) for u in _website_variants(url)}
        if work.year is not None:
            t.years.add(work.year)
        if record is not None and (version == "work" or items.belongs(work, version, "title")):
            t.titles.add(record.title)
        t.titles.add(work.title)
        out.append(t)
    return out
