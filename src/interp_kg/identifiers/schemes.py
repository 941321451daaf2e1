"""Link targets -> usable URLs -> scholarly identifiers.

Three pure, standard-library-only functions sit between the markdown parser and the catalog:

* :func:`repair_target` turns a link target as the markdown parser saw it (possibly mangled:
  a link nested in the target, ``arXiv:ID``, a stray ``}``, spaces, ``//`` in the path, ...)
  into an absolute http(s) URL plus short notes of what had to be repaired.
* :func:`identify` reads the identifiers a URL carries (arXiv id, DOI, OpenReview id, ACL
  Anthology id, GitHub repository, PMLR / NeurIPS / IEEE paper, Google Scholar profile,
  YouTube channel or video, LessWrong / Alignment Forum post or sequence), in canonical form.
* :func:`iri_safe` percent-encodes what an RFC 3987 IRI (and thus an N-Triples ``<...>``
  term) may not contain, leaving valid URLs untouched.

They run a few hundred thousand times on a large list, so every regular expression is compiled
at module level, identification dispatches on the host through a dict, and no pattern can
backtrack catastrophically.
"""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Callable
from typing import Literal, NamedTuple, get_args
from urllib.parse import parse_qsl, unquote

__all__ = [
    "WORK_SCHEMES",
    "Identifier",
    "RepairedTarget",
    "Scheme",
    "identify",
    "iri_safe",
    "repair_target",
]

Scheme = Literal[
    "arxiv",
    "doi",
    "openreview",
    "acl",
    "github",
    "pmlr",
    "neurips",
    "ieee",
    "scholar",
    "youtube_channel",
    "youtube_video",
    "lesswrong_post",
    "lesswrong_sequence",
]


#: Identifier schemes that identify a paper-like work, strongest first (also the IRI slug order).
WORK_SCHEMES = (
    "arxiv",
    "doi",
    "openreview",
    "acl",
    "pmlr",
    "neurips",
    "ieee",
    "lesswrong_post",
    "youtube_video",
    "youtube_channel",
    "lesswrong_sequence",
)


class Identifier(NamedTuple):
    """An identifier carried by a URL: its ``scheme`` and ``value`` in canonical form."""

    scheme: Scheme
    value: str


class RepairedTarget(NamedTuple):
    """The result of :func:`repair_target`.

    ``url`` is a usable absolute http(s) URL (already :func:`iri_safe`), or ``None`` when
    nothing could be recovered; ``problems`` are short human-readable notes of what was
    repaired or wrong, empty when the target was clean.
    """

    url: str | None
    problems: tuple[str, ...]


# ---------------------------------------------------------------------------------------------
# iri_safe
# ---------------------------------------------------------------------------------------------

# RFC 3987 ``ucschar`` (non-ASCII characters allowed anywhere) and ``iprivate`` (query only).
_UCSCHAR = (
    "\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd\U00040000-\U0004fffd"
    "\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
    "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
    "\U000d0000-\U000dfffd\U000e1000-\U000efffd"
)
_IPRIVATE = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED = r"A-Za-z0-9\-._~" + _UCSCHAR
_SUB_DELIMS = r"!$&'()*+,;="


def _disallowed(allowed: str) -> re.Pattern[str]:
    """A pattern matching a run of characters outside ``allowed`` and ``%`` that start no escape."""
    return re.compile(rf"(?:[^{allowed}%]|%(?![0-9A-Fa-f]{{2}}))+")


_BAD_IN_PATH = _disallowed(_UNRESERVED + _SUB_DELIMS + ":@/")
_BAD_IN_QUERY = _disallowed(_UNRESERVED + _SUB_DELIMS + ":@/?" + _IPRIVATE)
_BAD_IN_FRAGMENT = _disallowed(_UNRESERVED + _SUB_DELIMS + ":@/?")
_BAD_IN_USERINFO = _disallowed(_UNRESERVED + _SUB_DELIMS + ":")
_BAD_IN_REG_NAME = _disallowed(_UNRESERVED + _SUB_DELIMS)

# RFC 3986 appendix B, the generic split of a URI reference into its five components.
_URI_PARTS = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*")
_PORT = re.compile(r"[0-9]*")

# The common case, checked in one go: an http(s) URL of plain ASCII with valid escapes.
_SAFE_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})"
_PLAINLY_SAFE = re.compile(
    rf"https?://[A-Za-z0-9.\-]+(?::[0-9]*)?(?:/{_SAFE_CHAR}*|\?{_SAFE_CHAR}*)?(?:#{_SAFE_CHAR}*)?"
)


_PCT_BYTE = tuple(f"%{b:02X}" for b in range(256))


def _pct(match: re.Match[str]) -> str:
    """Percent-encode the matched text as UTF-8 (lone surrogates are passed through)."""
    return "".join(map(_PCT_BYTE.__getitem__, match.group().encode("utf-8", "surrogatepass")))


def _safe_authority(authority: str) -> str:
    """Encode an authority so that it parses as ``[iuserinfo@]ihost[:port]``."""
    userinfo, at, hostport = authority.rpartition("@")
    prefix = _BAD_IN_USERINFO.sub(_pct, userinfo) + at
    if hostport.startswith("["):
        literal, bracket, rest = hostport[1:].partition("]")
        if bracket and _PORT.fullmatch(rest[1:]) and rest[:1] in ("", ":") and _is_ipv6(literal):
            return prefix + hostport
    else:
        host, colon, port = hostport.rpartition(":")
        if colon and _PORT.fullmatch(port):
            return prefix + _BAD_IN_REG_NAME.sub(_pct, host) + ":" + port
    return prefix + _BAD_IN_REG_NAME.sub(_pct, hostport)


def _is_ipv6(text: str) -> bool:
    """Whether ``text`` is a plain IPv6 address (no zone id)."""
    if "%" in text:
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def iri_safe(url: str) -> str:
    """Percent-encode ``url`` where needed so that it is a valid IRI for N-Triples.

    Per component (RFC 3987), characters an IRI may not contain -- spaces, control characters,
    ``< > " { } | \\ ^`` and the backtick, ``[ ]`` outside an IPv6 host, a second ``#``, a ``%``
    that starts no escape, non-characters -- are UTF-8 percent-encoded. Existing escapes are
    never decoded, so the function is idempotent and leaves valid URLs unchanged.
    """
    if _PLAINLY_SAFE.fullmatch(url):
        return url
    match = _URI_PARTS.fullmatch(url)
    if match is None:  # pragma: no cover - the pattern matches every string
        return _BAD_IN_PATH.sub(_pct, url)
    scheme, authority, path, query, fragment = match.groups()
    out: list[str] = []
    if scheme is not None:
        out += [scheme if _URI_SCHEME.fullmatch(scheme) else _BAD_IN_PATH.sub(_pct, scheme), ":"]
    if authority is not None:
        out += ["//", _safe_authority(authority)]
    out.append(_BAD_IN_PATH.sub(_pct, path))
    if query is not None:
        out += ["?", _BAD_IN_QUERY.sub(_pct, query)]
    if fragment is not None:
        out += ["#", _BAD_IN_FRAGMENT.sub(_pct, fragment)]
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# identify
# ---------------------------------------------------------------------------------------------

_SCHEME_ORDER: dict[str, int] = {scheme: i for i, scheme in enumerate(get_args(Scheme))}

# New-style ids are YYMM.NNNN (2007-2014) or YYMM.NNNNN (2015-); old-style archive[.CLASS]/YYMMNNN.
_ARXIV_NEW_ID = r"(?:(?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\.\d{4}|(?:1[5-9]|[2-9]\d)(?:0[1-9]|1[0-2])\.\d{5})"
_ARXIV_ID = rf"(?:{_ARXIV_NEW_ID}|[A-Za-z]+(?:-[A-Za-z]+)*(?:\.[A-Za-z\-]+)?/\d{{7}})"
_ARXIV_PATH = re.compile(
    rf"/+(?:abs|pdf|html|ps|format)/+({_ARXIV_ID})(?:v\d+)?(?:\.pdf)?(?:/.*)?", re.DOTALL
)
_ARXIV_BARE = re.compile(rf"({_ARXIV_ID})(?:v\d+)?")
_ARXIV_DOI_PREFIX = "10.48550/arxiv."

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_TRAILING_PUNCTUATION = "/.,;:'\" "
_OPENER_OF = {")": "(", "]": "[", "}": "{", ">": "<"}
_DOI_ON_DOI_ORG = re.compile(r"/+(10\..*)", re.DOTALL)
_DOI_AFTER_DOI_SEGMENT = re.compile(r"/doi/(?:[A-Za-z]+/)?(10\..*)", re.DOTALL)
_DOI_ON_SPRINGER = re.compile(
    r"/(?:article|chapter|book|referenceworkentry|protocol|content/pdf)/(10\..*)", re.DOTALL
)

_ACL_ID = re.compile(
    r"/(?:anthology/)?(?:[A-Za-z]/[A-Za-z]\d{2}/)?"
    r"(?:(\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d+)|([A-Z]\d{2}-\d{4}))"
    r"(?:v\d+)?(?:\.(?:pdf|bib|xml))?/?",
    re.IGNORECASE,
)

_GITHUB_REPO = re.compile(r"/([A-Za-z0-9][A-Za-z0-9\-]*)/([A-Za-z0-9._\-]+)(?:/.*)?", re.DOTALL)
_GITHUB_NOT_OWNERS = frozenset(
    [
        "about",
        "account",
        "apps",
        "blog",
        "business",
        "codespaces",
        "collections",
        "contact",
        "copilot",
        "customer-stories",
        "dashboard",
        "discussions",
        "education",
        "enterprise",
        "enterprises",
        "events",
        "explore",
        "features",
        "git-guides",
        "home",
        "issues",
        "join",
        "login",
        "logout",
        "marketplace",
        "mobile",
        "new",
        "nonprofit",
        "notifications",
        "open-source",
        "organizations",
        "orgs",
        "password_reset",
        "pricing",
        "pulls",
        "readme",
        "resources",
        "search",
        "security",
        "sessions",
        "settings",
        "signup",
        "site",
        "solutions",
        "sponsors",
        "stars",
        "team",
        "topics",
        "trending",
        "users",
        "watching",
    ]
)

_PMLR_PAPER = re.compile(r"/([vr]\d+)/([A-Za-z0-9_\-]+)(?:\.(?:html|pdf))?(?:/.*)?", re.DOTALL)
_NEURIPS_PAPER = re.compile(
    r"/(?:paper_files/)?paper/(\d{4})/(?:hash|file)/([0-9a-fA-F]{32})(?:[-.][^/]*)?/?", re.DOTALL
)
_IEEE_DOCUMENT = re.compile(r"/(?:abstract/)?document/(\d+)(?:/.*)?", re.DOTALL)
_DIGITS = re.compile(r"\d+")
_TOKEN = re.compile(r"[A-Za-z0-9_\-]+")

_YOUTUBE_VIDEO_ID = re.compile(r"[A-Za-z0-9_\-]{11}")
_YOUTUBE_VIDEO_PATH = re.compile(r"/(?:embed|shorts|live|v|e)/([A-Za-z0-9_\-]{11})(?:/.*)?", re.DOTALL)
_YOUTU_BE_PATH = re.compile(r"/([A-Za-z0-9_\-]{11})/?")
_YOUTUBE_CHANNEL_PATH = re.compile(
    r"/(?:(@[^/]+)|channel/([A-Za-z0-9_\-]+)|(?:c|user)/([^/]+))(?:/.*)?", re.DOTALL
)

_FORUM_ID = r"[A-Za-z0-9]{17}"
_FORUM_PATH = re.compile(
    rf"/(?:posts/(?P<post>{_FORUM_ID})|s/(?P<seq>{_FORUM_ID})(?:/p/(?P<seqpost>{_FORUM_ID}))?)(?:/.*)?",
    re.DOTALL,
)

# scheme, optional userinfo, host (group 1), optional port, path (2), query (3); fragment ignored.
_HTTP_URL = re.compile(
    r"[Hh][Tt][Tt][Pp][Ss]?://(?:[^@/?#]*@)?([^/?#:@]+)(?::[0-9]*)?(?=[/?#]|$)([^?#]*)(?:\?([^#]*))?"
)

_Handler = Callable[[str, str], list[Identifier]]


def _query_param(query: str, name: str) -> str | None:
    """The first value of ``name`` in the query string, stripped; ``None`` when absent."""
    for key, value in parse_qsl(query):
        if key == name:
            return value.strip()
    return None


def _canonical_arxiv(arxiv_id: str) -> str:
    """Canonical arXiv id: new-style as is, old-style with lower-case archive, upper-case class."""
    if "/" not in arxiv_id:
        return arxiv_id
    subject, number = arxiv_id.split("/", 1)
    archive, dot, subject_class = subject.partition(".")
    if len(subject_class) == 2:
        subject_class = subject_class.upper()
    return f"{archive.lower()}{dot}{subject_class}/{number}"


def _doi_ids(raw: str) -> list[Identifier]:
    """Identifiers for a DOI found in a URL path: the DOI, plus the arXiv id of an arXiv DOI."""
    doi = unquote(raw).strip()
    surplus = {closer: doi.count(closer) - doi.count(opener) for closer, opener in _OPENER_OF.items()}
    end = len(doi)
    while end:
        last = doi[end - 1]
        if last in _DOI_TRAILING_PUNCTUATION:
            end -= 1
        elif doi[end - 4 : end].lower() == ".pdf":
            end -= 4
        elif surplus.get(last, 0) > 0:
            surplus[last] -= 1
            end -= 1
        else:
            break
    doi = doi[:end]
    if not _DOI.fullmatch(doi):
        return []
    canonical = doi.lower()
    ids = [Identifier("doi", canonical)]
    if canonical.startswith(_ARXIV_DOI_PREFIX):
        arxiv = _ARXIV_BARE.fullmatch(doi[len(_ARXIV_DOI_PREFIX) :])
        if arxiv:
            ids.insert(0, Identifier("arxiv", _canonical_arxiv(arxiv.group(1))))
    return ids


def _arxiv(path: str, query: str) -> list[Identifier]:
    match = _ARXIV_PATH.fullmatch(path)
    return [Identifier("arxiv", _canonical_arxiv(match.group(1)))] if match else []


def _doi_org(path: str, query: str) -> list[Identifier]:
    match = _DOI_ON_DOI_ORG.fullmatch(path)
    return _doi_ids(match.group(1)) if match else []


def _doi_segment(path: str, query: str) -> list[Identifier]:
    match = _DOI_AFTER_DOI_SEGMENT.fullmatch(path)
    return _doi_ids(match.group(1)) if match else []


def _springer(path: str, query: str) -> list[Identifier]:
    match = _DOI_ON_SPRINGER.fullmatch(path)
    return _doi_ids(match.group(1)) if match else []


def _plos(path: str, query: str) -> list[Identifier]:
    doi = _query_param(query, "id")
    return _doi_ids(doi) if doi and path.rstrip("/").endswith("/article") else []


def _openreview(path: str, query: str) -> list[Identifier]:
    if path.rstrip("/") not in ("/forum", "/pdf"):
        return []
    forum = _query_param(query, "id")
    return [Identifier("openreview", forum)] if forum and _TOKEN.fullmatch(forum) else []


def _acl(path: str, query: str) -> list[Identifier]:
    match = _ACL_ID.fullmatch(path)
    if not match:
        return []
    new, old = match.groups()
    return [Identifier("acl", new.lower() if new else old.upper())]


def _github(path: str, query: str) -> list[Identifier]:
    match = _GITHUB_REPO.fullmatch(path)
    if not match or match.group(1).lower() in _GITHUB_NOT_OWNERS:
        return []
    repo = match.group(2).removesuffix(".git")
    if repo in ("", ".", ".."):
        return []
    return [Identifier("github", f"{match.group(1)}/{repo}")]


def _pmlr(path: str, query: str) -> list[Identifier]:
    match = _PMLR_PAPER.fullmatch(path)
    return [Identifier("pmlr", f"{match.group(1)}/{match.group(2)}")] if match else []


def _neurips(path: str, query: str) -> list[Identifier]:
    match = _NEURIPS_PAPER.fullmatch(path)
    return [Identifier("neurips", f"{match.group(1)}/{match.group(2).lower()}")] if match else []


def _ieee(path: str, query: str) -> list[Identifier]:
    match = _IEEE_DOCUMENT.fullmatch(path)
    if match:
        return [Identifier("ieee", match.group(1))]
    number = _query_param(query, "arnumber") if query else None
    return [Identifier("ieee", number)] if number and _DIGITS.fullmatch(number) else []


def _scholar(path: str, query: str) -> list[Identifier]:
    if path.rstrip("/") != "/citations":
        return []
    user = _query_param(query, "user")
    return [Identifier("scholar", user)] if user and _TOKEN.fullmatch(user) else []


def _youtube(path: str, query: str) -> list[Identifier]:
    if path.rstrip("/") == "/watch":
        video = _query_param(query, "v")
        return [Identifier("youtube_video", video)] if video and _YOUTUBE_VIDEO_ID.fullmatch(video) else []
    match = _YOUTUBE_VIDEO_PATH.fullmatch(path)
    if match:
        return [Identifier("youtube_video", match.group(1))]
    match = _YOUTUBE_CHANNEL_PATH.fullmatch(path)
    if match:
        handle, channel, name = match.groups()
        return [Identifier("youtube_channel", handle or channel or name)]
    return []


def _youtu_be(path: str, query: str) -> list[Identifier]:
    match = _YOUTU_BE_PATH.fullmatch(path)
    return [Identifier("youtube_video", match.group(1))] if match else []


def _forum(path: str, query: str) -> list[Identifier]:
    match = _FORUM_PATH.fullmatch(path)
    if not match:
        return []
    post = match.group("post") or match.group("seqpost")
    if post:
        return [Identifier("lesswrong_post", post)]
    return [Identifier("lesswrong_sequence", match.group("seq"))]


#: host (lower case, without ``www.``) -> the handler reading identifiers off path and query.
_HANDLERS: dict[str, _Handler] = {
    "arxiv.org": _arxiv,
    "export.arxiv.org": _arxiv,
    "browse.arxiv.org": _arxiv,
    "doi.org": _doi_org,
    "dx.doi.org": _doi_org,
    "dl.acm.org": _doi_segment,
    "onlinelibrary.wiley.com": _doi_segment,
    "tandfonline.com": _doi_segment,
    "journals.sagepub.com": _doi_segment,
    "pubs.acs.org": _doi_segment,
    "science.org": _doi_segment,
    "pnas.org": _doi_segment,
    "link.springer.com": _springer,
    "journals.plos.org": _plos,
    "openreview.net": _openreview,
    "aclanthology.org": _acl,
    "aclweb.org": _acl,
    "github.com": _github,
    "raw.githubusercontent.com": _github,
    "proceedings.mlr.press": _pmlr,
    "proceedings.neurips.cc": _neurips,
    "papers.neurips.cc": _neurips,
    "papers.nips.cc": _neurips,
    "ieeexplore.ieee.org": _ieee,
    "scholar.google.com": _scholar,
    "youtube.com": _youtube,
    "m.youtube.com": _youtube,
    "music.youtube.com": _youtube,
    "youtube-nocookie.com": _youtube,
    "youtu.be": _youtu_be,
    "lesswrong.com": _forum,
    "alignmentforum.org": _forum,
    "greaterwrong.com": _forum,
}


def _handler_for(host: str) -> _Handler | None:
    """The handler for a lower-case host, ``www.`` and a trailing dot ignored."""
    host = host.rstrip(".").removeprefix("www.")
    handler = _HANDLERS.get(host)
    if handler is None and host.startswith("scholar.google."):
        return _scholar
    return handler


def identify(url: str) -> list[Identifier]:
    """All identifiers that the http(s) ``url`` carries, in canonical form; ``[]`` when none.

    The list is ordered by scheme (the order of :data:`Scheme`) and free of duplicates. Hosts
    compare case-insensitively, with or without ``www.``; a URL that does not parse gives ``[]``.
    """
    parts = _HTTP_URL.match(url)
    if parts is None:
        return []
    host, path, query = parts.groups()
    handler = _handler_for(host.lower())
    if handler is None:
        return []
    ids = handler(path, query or "")
    if len(ids) > 1:
        ids = sorted(set(ids), key=lambda i: (_SCHEME_ORDER[i.scheme], i.value))
    return ids


# ---------------------------------------------------------------------------------------------
# repair_target
# ---------------------------------------------------------------------------------------------

_MAX_UNWRAP = 8  # layers of <...> and [text](href) peeled off a target; real data has one at most
_NESTED_LINK = re.compile(r"(?:\[|%5B)(?P<text>.*?)(?:\]|%5D)\((?P<href>.*)", re.IGNORECASE | re.DOTALL)
_ARXIV_TARGET = re.compile(rf"arxiv(?:\s|%20|:)++({_ARXIV_ID}(?:v\d+)?)(.*)", re.IGNORECASE | re.DOTALL)
_ARXIV_PSEUDO_SCHEME = re.compile(r"arxiv(?:\s|%20)*:", re.IGNORECASE)
_BARE_ARXIV_TARGET = re.compile(rf"{_ARXIV_NEW_ID}(?:v\d+)?")
_DOI_TARGET = re.compile(r"(?:doi(?:\s|%20|:)++)?(10\.\d{4,9}/.+)", re.IGNORECASE | re.DOTALL)
_WHITESPACE = re.compile(r"\s+")
_PCT_SPACES = re.compile(r"(?:%20)+")
_HTTP_PREFIX = re.compile(r"(https?):(/*)", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_BARE_HOST = re.compile(r"([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)(?=[/?#:]|$)")
_HOST_NAME = re.compile(r"(?:[\w\-]+\.)+[\w\-]+\.?|localhost", re.UNICODE)
_URL_PARTS = re.compile(r"(https?://)([^/?#]*)([^?#]*)(.*)", re.DOTALL)
_DOUBLE_SLASH = re.compile(r"(?<!:)//+")
# The common, clean case: an http(s) URL with a dotted host and no port, plain ASCII, valid
# escapes but no %20 or encoded closer, no "//" in the path and no brackets of any kind.
_CLEAN_CHAR = r"(?:[A-Za-z0-9\-._~!$&'*+,;=:@]|%(?!20|7[Dd]|5[Dd]|3[Ee])[0-9A-Fa-f]{2})"
_CLEAN_TARGET = re.compile(
    rf"https?://(?:[A-Za-z0-9\-]+\.)+[A-Za-z0-9\-]+(?:/{_CLEAN_CHAR}+)*/?"
    rf"(?:\?(?:{_CLEAN_CHAR}|[/?])*)?(?:#(?:{_CLEAN_CHAR}|[/?])*)?"
)
_ASCII_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)
_TRAILING_CLOSERS: tuple[tuple[str, str, str], ...] = (
    # (closing text, its opening counterpart, problem)
    ("}", "{", "target closed by '}'"),
    ("%7D", "%7B", "target closed by '}'"),
    (")", "(", "unbalanced trailing ')' removed"),
    ("]", "[", "unbalanced trailing ']' removed"),
    ("%5D", "%5B", "unbalanced trailing ']' removed"),
    (">", "<", "stray trailing '>' removed"),
    ("%3E", "%3C", "stray trailing '>' removed"),
)


class _Unusable(Exception):
    """Raised inside :func:`repair_target` when no URL can be recovered."""


def _add(problems: list[str], problem: str) -> None:
    if problem not in problems:
        problems.append(problem)


def _unwrap(target: str, problems: list[str]) -> str:
    """Remove angle brackets and nested ``[text](href)`` links around the real target."""
    for _ in range(_MAX_UNWRAP):
        if target.startswith("<"):
            target = target[1:-1] if target.endswith(">") else target[1:]
            target = target.strip()
            _add(problems, "angle brackets removed")
            continue
        nested = _NESTED_LINK.fullmatch(target)
        if nested is None:
            return target
        href = nested.group("href").strip()
        if href.endswith(")") and href.count(")") > href.count("("):
            href = href[:-1].strip()
        target = href or nested.group("text").strip()
        _add(problems, "link nested in link target")
    return target


def _expand_pseudo_scheme(target: str, problems: list[str]) -> str:
    """``arXiv:ID``, a bare arXiv id, ``doi:10.x/y`` and a bare DOI -> their resolver URLs."""
    arxiv = _ARXIV_TARGET.fullmatch(target)
    if arxiv:
        _add(problems, "arXiv:ID target turned into an arXiv URL")
        return f"https://arxiv.org/abs/{arxiv.group(1)}{arxiv.group(2)}"
    if _ARXIV_PSEUDO_SCHEME.match(target):
        raise _Unusable("arXiv: target without a valid arXiv id")
    if _BARE_ARXIV_TARGET.fullmatch(target):
        _add(problems, "arXiv:ID target turned into an arXiv URL")
        return f"https://arxiv.org/abs/{target}"
    doi = _DOI_TARGET.fullmatch(target)
    if doi:
        _add(problems, "DOI target turned into a doi.org URL")
        path = _WHITESPACE.sub("", doi.group(1)).replace("?", "%3F").replace("#", "%23")
        return f"https://doi.org/{path}"
    return target


def _remove_spaces(target: str) -> str:
    """Remove whitespace, and ``%20`` runs at a path segment, query or fragment boundary."""
    target = _WHITESPACE.sub("", target)
    if "%20" not in target:
        return target

    def at_boundary(match: re.Match[str]) -> str:
        start, end = match.span()
        if start == 0 or target[start - 1] in "/=?&#" or end == len(target) or target[end] in "/?&#":
            return ""
        return match.group()

    return _PCT_SPACES.sub(at_boundary, target)


def _strip_trailing_closers(target: str, problems: list[str]) -> str:
    """Strip unbalanced closing brackets (``}`` ``)`` ``]`` ``>``, raw or escaped) at the end."""
    upper = target.translate(_ASCII_UPPER)  # length-preserving, unlike str.upper
    surplus = {closer: upper.count(closer) - upper.count(opener) for closer, opener, _ in _TRAILING_CLOSERS}
    end = len(upper)
    changed = True
    while changed:
        changed = False
        for closer, _, problem in _TRAILING_CLOSERS:
            if surplus[closer] > 0 and upper.endswith(closer, 0, end):
                end -= len(closer)
                surplus[closer] -= 1
                _add(problems, problem)
                changed = True
    return target[:end]


def _absolutize(target: str, problems: list[str]) -> str:
    """Make sure the target starts with ``http://`` or ``https://``, or raise :class:`_Unusable`."""
    http = _HTTP_PREFIX.match(target)
    if http:
        scheme, slashes = http.groups()
        if slashes != "//":
            _add(problems, "malformed '//' after scheme")
        if scheme != scheme.lower():
            _add(problems, "scheme lower-cased")
        return f"{scheme.lower()}://{target[http.end() :]}"
    if target.startswith("//"):
        _add(problems, "scheme-relative URL, https assumed")
        return "https:" + target
    if target.startswith("#"):
        raise _Unusable("in-page anchor, not an absolute URL")
    bare = _BARE_HOST.match(target)
    if bare and (bare.group(1).lower().startswith("www.") or _handler_for(bare.group(1).lower())):
        _add(problems, "missing scheme, https assumed")
        return "https://" + target
    other = _OTHER_SCHEME.match(target)
    if other:
        raise _Unusable(f"not an http(s) URL ('{other.group(1).lower()}:')")
    raise _Unusable("not an absolute URL")


def _check_authority(authority: str) -> None:
    """Raise :class:`_Unusable` unless ``authority`` has a plausible host and port."""
    hostport = authority.rpartition("@")[2]
    if hostport.startswith("["):
        literal, _, rest = hostport[1:].partition("]")
        host_ok, port = _is_ipv6(literal), rest[1:] if rest.startswith(":") else rest or None
    else:
        host, colon, port_text = hostport.rpartition(":")
        host, port = (host, port_text) if colon else (hostport, None)
        host_ok = _HOST_NAME.fullmatch(host) is not None
    if not host_ok:
        raise _Unusable("invalid host")
    if port and not (port.isascii() and port.isdigit() and int(port) <= 65535):
        raise _Unusable("invalid port")


def _repair(raw: str, problems: list[str]) -> str:
    """The repair pipeline; returns the URL or raises :class:`_Unusable`."""
    target = raw.strip()
    if not target:
        raise _Unusable("empty link target")
    target = _unwrap(target, problems)
    target = _expand_pseudo_scheme(target, problems)
    despaced = _remove_spaces(target)
    if despaced != target:
        _add(problems, "space inside URL removed")
        target = despaced
    target = _strip_trailing_closers(target, problems)
    if not target:
        raise _Unusable("empty link target")
    url = _absolutize(target, problems)
    split = _URL_PARTS.fullmatch(url)
    if split is None:  # pragma: no cover - _absolutize returns "http(s)://..."
        raise _Unusable("not an absolute URL")
    scheme, authority, path, tail = split.groups()
    _check_authority(authority)
    if "//" in path:
        collapsed = _DOUBLE_SLASH.sub("/", path)
        if collapsed != path:
            _add(problems, "double slash in path")
            url = scheme + authority + collapsed + tail
    safe = iri_safe(url)
    if safe != url:
        _add(problems, "unsafe characters percent-encoded")
    return safe


def repair_target(raw: str) -> RepairedTarget:
    """Recover a usable absolute http(s) URL from a link target as the markdown parser saw it.

    Repairs, each noted in ``problems``: angle brackets, a ``[text](href)`` link nested in the
    target (percent-encoded brackets too; the inner href wins), ``arXiv:ID`` / bare new-style
    arXiv id / ``doi:`` / bare DOI targets, whitespace inside the URL (and ``%20`` at a path or
    query boundary), unbalanced trailing ``}`` ``)`` ``]`` ``>``, a missing or malformed scheme
    (``www.`` and known hosts get ``https://``), ``//`` inside the path, and characters an IRI
    may not hold. Legitimate parentheses and existing percent-escapes are kept. When nothing
    usable remains (anchors, relative paths, other schemes, empty or garbage), ``url`` is
    ``None`` and ``problems`` holds the single reason.
    """
    if _CLEAN_TARGET.fullmatch(raw):
        return RepairedTarget(raw, ())
    problems: list[str] = []
    try:
        url = _repair(raw, problems)
    except _Unusable as reason:
        return RepairedTarget(None, (str(reason),))
    return RepairedTarget(url, tuple(problems))
