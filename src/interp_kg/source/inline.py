"""One bullet's text -> title, alias, star, links: markdown-it-py's inline tokens, plus the
recovery of malformed links that markdown leaves as plain text."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from interp_kg.identifiers.schemes import identify, iri_safe, repair_target
from interp_kg.source.models import DiagnosticCode, Link
from interp_kg.source.text import STARS, strip_symbols


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
    fixed = repair_target(target)
    if fixed.url is None:
        why = "; ".join(fixed.problems) or "not a URL"
        res.problems.append(("bad-target", f"link [{label}] has no usable URL ({target!r}: {why})"))
        return
    repaired = (*fixed.problems, *(("not valid markdown link syntax",) if recovered else ()))
    if repaired:
        res.problems.append(("malformed-link", f"link [{label}] repaired: {'; '.join(repaired)}"))
    res.links.append(
        Link(label=label, url=iri_safe(fixed.url), identifiers=tuple(identify(fixed.url)), repaired=repaired)
    )


def _scan_text(res: InlineResult, text: str) -> str:
    """Recover malformed links from plain text; returns the text that is left."""
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


def _parse_fast(text: str) -> InlineResult | None:
    """The canonical entry shape without markdown-it, or None when the text is not of that shape."""
    m = _FAST.fullmatch(text)
    if m is None or _ENTITY.search(text) or not m.group("title").strip():
        return None
    res = InlineResult()
    res.featured = not STARS.isdisjoint(m.group("pre") + m.group("title"))
    res.title = strip_symbols(m.group("title")) or None
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
    href = ""
    before: list[str] = []
    between: list[str] = []
    after: list[str] = []
    first_link_label: str | None = None
    for tok in tokens:
        kind = tok.type
        if kind == "strong_open" and title is None and not res.links:
            title, in_title = [], True
        elif kind == "strong_close" and in_title:
            in_title, title_done = False, True
        elif kind == "link_open":
            label, href = [], str(tok.attrs.get("href", ""))
        elif kind == "link_close" and label is not None:
            joined = "".join(label)
            if first_link_label is None and not href.startswith("#"):
                first_link_label = joined
            _add_link(res, joined, href, recovered=False)
            label = None
        elif kind in ("text", "code_inline", "softbreak", "hardbreak"):
            content = " " if kind.endswith("break") else tok.content
            if label is not None:
                label.append(content)
            elif in_title and title is not None:
                title.append(content)
            elif title_done and not res.links:
                between.append(content)
            elif title_done or res.links:
                after.append(content)
            else:
                before.append(content)
        elif kind == "image":
            res.images += 1
    outside = "".join(before) + "".join(title or ()) + "".join(between)
    res.featured = not STARS.isdisjoint(outside)
    tail = _scan_text(res, "".join(between) + "".join(after))
    if title is not None:
        res.title = strip_symbols("".join(title)) or None
        m = _ALIAS.match("".join(between).strip())
        if m:
            res.alias = strip_symbols(m.group(1).strip("*_ ")) or None
            tail = tail.replace(m.group(0), "", 1)  # the alias is not also a note
        res.rest = strip_symbols(tail)
        return res
    lead = strip_symbols(_scan_text(res, "".join(before)))
    if lead and any(ch.isalnum() for ch in lead):
        res.title = lead.rstrip(" :-\u2013\u2014")
        res.rest = strip_symbols(tail)
    elif first_link_label is not None and not is_hint_label(_unbracket(first_link_label)):
        res.title = strip_symbols(_unbracket(first_link_label)) or None
        res.rest = strip_symbols(tail).lstrip(" :-\u2013\u2014")
    else:
        res.rest = strip_symbols(tail)
    return res
