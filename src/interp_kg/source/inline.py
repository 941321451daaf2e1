"""One unit's text -> title, alias, star, links: markdown-it-py's inline tokens, plus the
recovery of malformed links that markdown leaves as plain text.

A unit is a bullet, or a line of a paragraph, a table cell or an HTML unit (converted to Markdown
by :mod:`interp_kg.source.html`). The title is the bold text at the start (``**Title**``, also
inside a link: ``[**Title**](url)``), else the text before the first link, else the first link's
text when it is not a hint such as ``github`` or ``ICLR 2024`` (that link's label is then left
empty: a title says nothing about the venue). Brackets around a link (``Title [[ICLR
2023](url)]``) are not part of the text; links to badge images (shields.io and the like) are not
links of a work. A star marker anywhere in the text outside link labels (or in the title's own
link text) marks the unit as featured."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from interp_kg.identifiers.schemes import identify, repair_target
from interp_kg.source.boilerplate import is_badge_url
from interp_kg.source.models import DiagnosticCode, Link
from interp_kg.source.text import STARS, has_star, strip_symbols
from interp_kg.trusted import trusted


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(["emphasis", "link", "image", "escape", "backticks", "entity", "autolink"])
    # Keep link targets exactly as written: the repair of malformed targets needs the raw text,
    # and markdown-it's URL normalisation costs more than the rest of the inline parse.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


_MD = _make_parser()
# A link markdown could not read: `[[label]](target` closed by `)`, `}` or the end of the text.
_MALFORMED = re.compile(r"\[\[?\s*([^\[\]\n]{1,120}?)\s*\]\]?\s*\(([^()\n]*?)(?:\)|\}|$)")
_ALIAS = re.compile(r"^\(\s*([^()]{1,60}?)\s*\)")
# A short name after a title that is a link: one word with a letter, `(SERAC)`, `(*ROME*)`.
_LINK_ALIAS = re.compile(r"^\(\s*[*_]{0,2}([A-Za-z][\w.+-]{0,30})[*_]{0,2}\s*\)")
# The canonical shape of an entry, `🌟**Title** [[label]](url) [label](url)`, with none of the
# characters that could give markdown another reading (emphasis, escapes, code, entities, HTML,
# nested brackets). Such a line reads the same with or without markdown-it, only ~10x faster;
# ``tests/test_inline_fast_path.py`` checks that equivalence. Everything else takes markdown-it.
_FAST = re.compile(
    r"(?P<pre>[^\w*\\`\[\]<>&()\x00-\x1f\x7f]*)"
    r"\*\*(?P<title>[^\W_](?:[^*_\\`\[\]<>&\x00-\x1f\x7f]*[^\s*_\\`\[\]<>&\x00-\x1f\x7f])?)\*\*"
    r"(?P<links>(?:[ \t]+(?:\[\[[^\[\]\\`*_<>&\x00-\x1f]+\]\]|\[[^\[\]\\`*_<>&\x00-\x1f]+\])"
    r"\([^\s()<>\\\[\]\x00-\x1f\x7f]+\))*)"
)
_FAST_LINK = re.compile(r"\[\[?([^\[\]]+)\]\]?\(([^()\s]+)\)")
_ENTITY = re.compile(r"&#?\w+;")
# A URL written as text (GitHub links it): not inside a link target (after `](`) nor in brackets.
_BARE_URL = re.compile(r"(?<![\w(<\[/=\"'])https?://[^\s<>()\[\]]+")


@dataclass
class InlineResult:
    """What one bullet's text says."""

    title: str | None = None
    alias: str | None = None
    featured: bool = False
    links: list[Link] = field(default_factory=list)
    rest: str = ""
    images: int = 0
    anchors: int = 0
    problems: list[tuple[DiagnosticCode, str]] = field(default_factory=list)
    #: sources of the images (badges, avatars, charts): they say what a line without a title is
    image_urls: list[str] = field(default_factory=list)
    #: links to badge images, left out of :attr:`links`
    badges: int = 0
    #: whether the title is bold (``**Title**``, ``[**Title**](url)``), and the text before it
    bold: bool = False
    pre: str = ""


def _unbracket(label: str) -> str:
    label = label.strip()
    while label.startswith("[") and label.endswith("]"):
        label = label[1:-1].strip()
    return label


def _add_link(res: InlineResult, label: str, target: str, recovered: bool) -> None:
    label = _unbracket(label)
    if target.startswith("#"):
        res.anchors += 1
        return
    if ("adge" in target or "hields" in target) and is_badge_url(target):
        res.badges += 1
        return
    fixed = repair_target(target)
    if fixed.url is None:
        why = "; ".join(fixed.problems) or "not a URL"
        res.problems.append(("bad-target", f"link [{label}] has no usable URL ({target!r}: {why})"))
        return
    repaired = (*fixed.problems, *(("not valid markdown link syntax",) if recovered else ()))
    if repaired:
        res.problems.append(("malformed-link", f"link [{label}] repaired: {'; '.join(repaired)}"))
    res.links.append(
        trusted(
            Link,
            label=label,
            url=fixed.url,  # repair_target's URL is IRI-safe already
            identifiers=tuple(identify(fixed.url)),
            repaired=repaired,
        )
    )


def _scan_text(res: InlineResult, text: str) -> str:
    """Recover malformed links and bare URLs (which GitHub shows as links) from plain text;
    returns the text that is left."""
    if "://" in text:
        text = _bare_urls(res, text)
    if "](" not in text and "[[" not in text and "] (" not in text:
        return text
    rest = []
    pos = 0
    for m in _MALFORMED.finditer(text):
        rest.append(text[pos : m.start()])
        _add_link(res, m.group(1), m.group(2), recovered=True)
        pos = m.end()
    rest.append(text[pos:])
    left = "".join(rest)
    if "](" in left or "[[" in left:
        res.problems.append(
            ("unparsed-link", f"text that looks like a link could not be read: {left.strip()!r}")
        )
    return left


def _title(text: str) -> str | None:
    """A title, clean: no emoji or markup, no full stop of the list's own (``**Title.**``; an
    abbreviation keeps its stop: ``Makelov et al.``)."""
    title = strip_symbols(text)
    if title.endswith(".") and len(title.rsplit(None, 1)[-1]) > 4 and not title.endswith(".."):
        title = title[:-1].rstrip()
    return title or None


def _bare_urls(res: InlineResult, text: str) -> str:
    """Take the bare ``http(s)://`` URLs out of ``text`` as links without a label."""
    rest = []
    pos = 0
    for m in _BARE_URL.finditer(text):
        url = m.group(0).rstrip(".,;:!?'\"")
        rest.append(text[pos : m.start()])
        _add_link(res, "", url, recovered=False)
        pos = m.end()  # the punctuation after it goes too: `see https://x.org/a.`
    rest.append(text[pos:])
    return "".join(rest)


def _parse_fast(text: str) -> InlineResult | None:
    """The canonical entry shape without markdown-it, or None when the text is not of that shape."""
    m = _FAST.fullmatch(text)
    if m is None or _ENTITY.search(text) or not m.group("title").strip():
        return None
    pre, title = m.group("pre", "title")
    res = InlineResult()
    res.bold = True
    if pre:
        res.pre = strip_symbols(pre)
    res.featured = not STARS.isdisjoint(pre + title) or (":" in title and has_star(title))
    res.title = _title(title)
    for label, target in _FAST_LINK.findall(m.group("links")):
        _add_link(res, label, target, recovered=False)
    return res


def parse_inline(text: str, is_hint_label: Callable[[str], bool], *, fast: bool = True) -> InlineResult:
    """Read a bullet's text (without its marker). ``is_hint_label`` tells link labels that are
    hints (``github``, ``arxiv 2402``) from labels that are titles (``[A Paper Title](url)``).
    ``fast=False`` forces markdown-it even for lines of the canonical shape."""
    if fast and (quick := _parse_fast(text)) is not None:
        return quick
    res = InlineResult()
    tokens = _MD.parseInline(text)[0].children or []
    title: list[str] | None = None
    in_title = False
    title_done = False
    label: list[str] | None = None
    label_bold = False  # the link's text is bold: `[**Title**](url)`
    href = ""
    before: list[str] = []
    between: list[str] = []
    after: list[str] = []
    first_link: tuple[int | None, str] | None = None  # (index in res.links, text) of the first URL link
    title_link: str | None = None  # the text of `[**Title**](url)`
    last: list[str] | None = None  # where the last text went
    closed = False  # the last token closed a link
    for tok in tokens:
        kind = tok.type
        if kind == "strong_open":
            if label is not None:
                label_bold = label_bold or (title is None and not res.links)
            elif title is None and not res.links:
                title, in_title = [], True
        elif kind == "strong_close" and in_title:
            in_title, title_done = False, True
        elif kind == "link_open":
            if last and last[-1].endswith("["):  # `Title [[Venue](url)]`: the brackets wrap the link
                last[-1] = last[-1][:-1]
            label, href, label_bold = [], str(tok.attrs.get("href", "")), False
        elif kind == "link_close" and label is not None:
            joined = "".join(label)
            added = len(res.links)
            _add_link(res, joined, href, recovered=False)
            kept = len(res.links) > added
            if kept and label_bold and title is None:
                title_link, title_done = joined, True
                res.links[added] = res.links[added].model_copy(update={"label": ""})
            elif first_link is None and not href.startswith("#"):
                first_link = (added if kept else None, joined)
            label, last, closed = None, None, True
            continue
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            content = " " if kind.endswith("break") else tok.content
            if closed and content.startswith("]"):
                content = content[1:]
            if label is not None:
                last = label
            elif in_title and title is not None:
                last = title
            elif title_done and not res.links:
                last = between
            elif title_done or res.links:
                last = after
            else:
                last = before
            last.append(content)
        elif kind == "image":
            res.images += 1
            res.image_urls.append(str(tok.attrs.get("src", "")))
        closed = False
    if title_link is not None:
        title = [title_link]
    res.featured = has_star("".join((*before, *(title or ()), *between, *after)))
    tail = _scan_text(res, "".join(between) + "".join(after))
    if title is not None:
        res.title = _title("".join(title))
        res.bold, res.pre = True, strip_symbols("".join(before))
        m = _ALIAS.match("".join(between).strip())
        if m:
            res.alias = strip_symbols(m.group(1).strip("*_ ")) or None
            tail = tail.replace(m.group(0), "", 1)  # the alias is not also a note
        res.rest = strip_symbols(tail)
        if title_link is not None:
            res.rest = res.rest.lstrip(" :-\u2013\u2014")
        return res
    lead = strip_symbols(_scan_text(res, "".join(before)))
    if lead and any(ch.isalnum() for ch in lead):
        res.title = lead.rstrip(" :-\u2013\u2014")  # a sentence, or a nested bullet's note: keep its stop
        res.rest = strip_symbols(tail)
    elif first_link is not None and not is_hint_label(_unbracket(first_link[1])):
        index, text_of_link = first_link
        res.title = _title(_unbracket(text_of_link))
        res.featured = res.featured or has_star(text_of_link)
        if res.title and index is not None:  # the link's text is the title, not a venue hint
            res.links[index] = res.links[index].model_copy(update={"label": ""})
        m = _LINK_ALIAS.match(tail.strip())
        if m and not is_hint_label(m.group(1)):  # `[Title](url) (SERAC)`, not `(ICLR)`
            res.alias = m.group(1)
            tail = tail.replace(m.group(0), "", 1)
        res.rest = strip_symbols(tail).lstrip(" :-\u2013\u2014")
    else:
        res.rest = strip_symbols(tail)
    return res
