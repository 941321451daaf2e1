"""Lines about a list itself, not works: badges, news, its table of contents, star-history charts,
contributors, its licence, how to cite it.

A unit is *about the list* when it sits under a section named in ``data/layout.toml``'s
``[about]`` table, when its bold title says so (``**News**: ...``), or, for a unit that is no
entry, when its links or images point to a service of that kind (star-history.com,
contrib.rocks, creativecommons.org...). Such units are kept out of the works, each reported with
the kind's rule (severity info).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from interp_kg.source.layout import AboutKind
from interp_kg.source.models import DiagnosticCode

#: The rule that reports a unit of each kind.
RULE: dict[AboutKind, DiagnosticCode] = {
    "news": "news-line",
    "contents": "toc-line",
    "star-history": "star-history-line",
    "contributors": "contributor-line",
    "licence": "licence-line",
    "citation": "citation-line",
}

#: What the diagnostic says, by kind.
MESSAGE: dict[AboutKind, str] = {
    "news": "news or changelog line, not an entry",
    "contents": "table-of-contents line, not an entry",
    "star-history": "star-history chart, not an entry",
    "contributors": "contributors line, not an entry",
    "licence": "licence line, not an entry",
    "citation": "how to cite the list, not an entry",
}

# Images of badges (shields.io and the like): a link to one is no link of a work.
_BADGE = re.compile(
    r"^https?://(?:[\w-]+\.)*(?:shields\.io|badgen\.net|badge\.fury\.io|forthebadge\.com|"
    r"awesome\.re/badge|img\.badgesize\.io)(?:[/?#]|$)|/badges?/[^?#]*\.svg|/badge\.svg(?:$|[?#])",
    re.IGNORECASE,
)

# Services a link or image of each kind points to.
_KIND_URLS: tuple[tuple[AboutKind, re.Pattern[str]], ...] = (
    (
        "star-history",
        re.compile(r"star-history\.com|starchart\.cc|starcharts\.|/stargazers(?:[/?#]|$)", re.IGNORECASE),
    ),
    (
        "contributors",
        re.compile(
            r"contrib\.rocks|allcontributors\.org|contributors-img|/graphs/contributors|"
            r"/(?:CONTRIBUTING|contributing)(?:\.md)?(?:[?#]|$)",
            re.IGNORECASE,
        ),
    ),
    (
        "licence",
        re.compile(
            r"creativecommons\.org/(?:licenses|publicdomain)|opensource\.org/licen[cs]es|"
            r"/LICEN[CS]E(?:\.\w+)?(?:[?#]|$)|shields\.io/(?:badge/licen[cs]e|github/license)",
            re.IGNORECASE,
        ),
    ),
)

# Words one of the URLs of `_KIND_URLS` holds (a cheap test before the patterns).
_KIND_SCREEN = re.compile("star|contrib|CONTRIB|icen|ICEN|creativecommons|opensource")

#: Bold titles that open a line of news rather than name a work (``**News**: ...``).
_NEWS_TITLES = frozenset({"news", "update", "updates", "latest news", "changelog", "what's new", "new"})


def is_badge_url(url: str) -> bool:
    """Whether ``url`` is a badge image (shields.io, badgen, ``.../badge.svg``...)."""
    if "adge" not in url and "hields" not in url and "ADGE" not in url:
        return False
    return _BADGE.search(url) is not None


def kind_of_url(url: str) -> AboutKind | None:
    """The kind of line about the list that a link or image points to, if any."""
    for kind, pattern in _KIND_URLS:
        if pattern.search(url):
            return kind
    return None


def kind_of_urls(urls: Sequence[str]) -> AboutKind | None:
    """The kind of line about the list that every one of ``urls`` (links and images) points to;
    None when one of them points elsewhere, or there are none."""
    if not _KIND_SCREEN.search(" ".join(urls)):  # most lines: one search, no pattern
        return None
    found: AboutKind | None = None
    for url in urls:
        kind = kind_of_url(url)
        if kind is None or (found is not None and kind != found):
            return None
        found = kind
    return found


def is_news_title(title: str) -> bool:
    """Whether a bold title announces news (``**News**``, ``**Update:**``), not a work."""
    return len(title) < 16 and title.strip().rstrip(":").strip().lower() in _NEWS_TITLES
