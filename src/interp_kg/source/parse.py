"""Markdown list -> :class:`~interp_kg.source.models.ParsedList`.

Awesome lists are line-oriented, so the block level is read line by line (ATX and setext
headings, bullets and their nesting by indentation, fenced code and HTML comments skipped);
each bullet's text goes through markdown-it-py's inline parser (:mod:`interp_kg.source.inline`).
Every bullet ends as an entry, a note on its parent entry, or a diagnostic naming its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path

from interp_kg.errors import SourceError
from interp_kg.source.inline import parse_inline
from interp_kg.source.layout import Layout, load_layout
from interp_kg.source.models import (
    Diagnostic,
    DiagnosticCode,
    Entry,
    Heading,
    Link,
    ParsedList,
    SectionKind,
    Severity,
)
from interp_kg.source.text import decode, repair, strip_symbols

#: Larger sources are refused with a clear message rather than exhausting memory.
MAX_SOURCE_BYTES = 512 * 1024 * 1024

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# fullmatch, greedy tail (stripped by the caller): a lazy `(.*?)[ \t]*$` costs 20x more
_BULLET = re.compile(r"([ \t]*)([*+-]|\d{1,9}[.)])(?:[ \t]+(.*))?")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HR = re.compile(r"^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")

ProgressCallback = Callable[[int, int], None]
#: Called with entries that can no longer change (and the headings read so far), while parsing.
#: Entries that :func:`iter_parse_text` yields at a time, at least (once they are final).
FINAL_BATCH = 2000


@dataclass
class _Draft:
    """An entry while its nested bullets are still being read."""

    line: int
    title: str
    alias: str | None
    featured: bool
    links: list[Link]
    notes: list[str]
    heading: int | None
    parent: int | None
    text: str

    def freeze(self) -> Entry:
        return Entry(
            line=self.line,
            title=self.title,
            alias=self.alias,
            featured=self.featured,
            links=_dedupe_links(self.links),
            notes=tuple(self.notes),
            heading=self.heading,
            parent=self.parent,
            text=self.text,
        )


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


class _Builder:
    """Accumulates what one pass over the lines finds."""

    def __init__(
        self,
        source: str,
        layout: Layout,
        is_hint_label: Callable[[str], bool],
        stream: bool = False,
    ) -> None:
        self.stream = stream
        #: batches of final entries, with the headings read so far, not yet taken
        self.ready: list[tuple[tuple[Entry, ...], tuple[Heading, ...]]] = []
        self.frozen: list[Entry] = []
        self.source = source
        self.layout = layout
        self.is_hint_label = is_hint_label
        self.title: str | None = None
        self.headings: list[Heading] = []
        self.heading_stack: list[Heading] = []
        self.entries: list[_Draft] = []
        self.diagnostics: list[Diagnostic] = []
        self.bullets = 0
        self.notes = 0
        # (content column, entry dict or None) of the open bullets, outermost first
        self.stack: list[tuple[int, _Draft | None]] = []
        self.seen_bullet = False

    def warn(self, line: int, code: DiagnosticCode, message: str, severity: Severity = "warning") -> None:
        self.diagnostics.append(
            Diagnostic(file=self.source, line=line, code=code, message=message, severity=severity)
        )

    def heading(self, line: int, level: int, raw: str) -> None:
        self.stack.clear()
        # A heading closes every open bullet: the entries so far are final.
        if self.stream and len(self.entries) - len(self.frozen) >= FINAL_BATCH:
            batch = tuple(e.freeze() for e in self.entries[len(self.frozen) :])
            self.frozen.extend(batch)
            self.ready.append((batch, tuple(self.headings)))
        title = strip_symbols(_inline_plain(raw))
        if not title:
            return
        if level == 1 and self.title is None and not self.headings and not self.seen_bullet:
            self.title = title
            return
        while self.heading_stack and self.heading_stack[-1].level >= level:
            self.heading_stack.pop()
        parent = self.heading_stack[-1] if self.heading_stack else None
        # Section names ("Library", "Video") count near the top of the list only: a topic called
        # "Code" deep under "By Topic" is still a topic of papers.
        own = self.layout.section_of(title) if len(self.heading_stack) <= 1 else None
        section: SectionKind | None = own or (parent.section if parent else None)
        h = Heading(
            index=len(self.headings),
            line=line,
            level=level,
            title=title,
            parent=parent.index if parent else None,
            section=section,
        )
        self.headings.append(h)
        self.heading_stack.append(h)

    def bullet(self, line: int, indent: int, content_col: int, text: str) -> None:
        self.bullets += 1
        self.seen_bullet = True
        while self.stack and self.stack[-1][0] > indent:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        if not text.strip():
            self.warn(line, "no-title", "empty bullet")
            self.stack.append((content_col, None))
            return
        res = parse_inline(text, self.is_hint_label)
        for code, msg in res.problems:
            self.warn(line, code, msg)
        entry: _Draft | None = None
        if res.title and (parent is None or _has_own_title(text)):
            entry = _Draft(
                line=line,
                title=res.title,
                alias=res.alias,
                featured=res.featured,
                links=list(res.links),
                notes=[res.rest] if res.rest and parent is None and _is_note(res.rest) else [],
                heading=self.heading_stack[-1].index if self.heading_stack else None,
                parent=parent.line if parent else None,
                text=text,
            )
            self.entries.append(entry)
        elif parent is not None and (res.title or res.rest or res.links):
            note = (
                res.title if res.title and not res.rest else " ".join(x for x in (res.title, res.rest) if x)
            )
            if note:
                parent.notes.append(note)
            parent.links.extend(res.links)
            self.notes += 1
        elif res.anchors and not res.links:
            self.warn(
                line, "toc-line", "table-of-contents line (links within the page), not an entry", "info"
            )
        elif res.images and not res.links:
            self.warn(line, "image-line", "image line, not an entry", "info")
        elif res.links:
            self.warn(line, "link-only", "bullet with links but no title, not an entry")
        else:
            self.warn(
                line,
                "no-title" if parent is None else "orphan-note",
                "bullet without a title" if parent is None else "nested note under a bullet that is no entry",
            )
        self.stack.append((content_col, entry))

    def continuation(self, text: str) -> None:
        """A lazy continuation line of the last bullet: re-read the joined text."""
        if not self.stack or self.stack[-1][1] is None:
            return
        entry = self.stack[-1][1]
        joined = f"{entry.text} {text.strip()}"
        res = parse_inline(joined, self.is_hint_label)
        if res.title:
            entry.title, entry.alias, entry.featured, entry.text = res.title, res.alias, res.featured, joined
            entry.links = list(res.links)

    def result(self) -> ParsedList:
        entries = (*self.frozen, *(e.freeze() for e in self.entries[len(self.frozen) :]))
        return ParsedList(
            source=self.source,
            title=self.title,
            headings=tuple(self.headings),
            entries=entries,
            diagnostics=tuple(self.diagnostics),
            bullets=self.bullets,
            notes=self.notes,
        )


def _dedupe_links(links: list[Link]) -> tuple[Link, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for link in links:
        key = (link.label, link.url)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return tuple(out)


def _has_own_title(text: str) -> bool:
    """A nested bullet is an entry of its own only when its title is bold (``**...**``)."""
    return "**" in text or "__" in text


def _is_note(rest: str) -> bool:
    return any(ch.isalpha() for ch in rest)


def _inline_plain(raw: str) -> str:
    """Heading text without markdown: link texts kept, emphasis and escapes removed."""
    raw = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    raw = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw)
    return raw.replace("**", "").replace("__", "").replace("`", "")


def _is_hint_label(label: str) -> bool:
    """Whether a link label is a hint (``github``, ``arxiv 2402``, ``ICLR``) rather than a title."""
    from interp_kg.identifiers.venues import LabelHint, load_venue_table

    m = load_venue_table().match_label(label)
    return isinstance(m, LabelHint) or m.known or m.year is not None or m.yymm is not None


#: What :func:`iter_parse_text` yields: entries that are final, and the headings read so far.
FinalEntries = tuple[tuple[Entry, ...], tuple[Heading, ...]]


def parse_text(
    text: str,
    source: str,
    *,
    layout: Layout | None = None,
    is_hint_label: Callable[[str], bool] | None = None,
    progress: ProgressCallback | None = None,
) -> ParsedList:
    """Parse a list's text (already decoded). ``source`` names it in diagnostics."""
    return _drain(
        iter_parse_text(text, source, layout=layout, is_hint_label=is_hint_label, progress=progress)
    )


def _drain(parser: Generator[FinalEntries, None, ParsedList]) -> ParsedList:
    while True:
        try:
            next(parser)
        except StopIteration as done:
            parsed: ParsedList = done.value
            return parsed


def iter_parse_text(
    text: str,
    source: str,
    *,
    layout: Layout | None = None,
    is_hint_label: Callable[[str], bool] | None = None,
    progress: ProgressCallback | None = None,
    stream: bool = True,
) -> Generator[FinalEntries, None, ParsedList]:
    """Parse a list's text, yielding batches of entries as soon as they are final (a build streams
    their listings to the store while the parse goes on); returns the whole :class:`ParsedList`."""
    if is_hint_label is None:
        is_hint_label = _is_hint_label
    b = _Builder(source, layout or load_layout(), is_hint_label, stream)
    lines = text.split("\n")
    total = len(lines)
    fence: str | None = None
    in_comment = False
    prev_blank = True
    prev_para: tuple[int, str] | None = None
    for i, raw in enumerate(lines, start=1):
        if progress is not None and i % 20000 == 0:
            progress(i, total)
        if fence is not None:
            if raw.lstrip().startswith(fence):
                fence = None
            continue
        if in_comment:
            in_comment = "-->" not in raw
            continue
        line = repair(raw)
        stripped = line.strip()
        if not stripped:
            prev_blank, prev_para = True, None
            continue
        first = stripped[0]  # cheap guards: most lines are bullets, and skip the regexes below
        if first in "`~" and (m := _FENCE.match(line)):
            fence = m.group(1)[0] * 3
            b.stack.clear()
            continue
        if first == "<" and stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if first == "#" and (m := _HEADING.match(line)):
            b.heading(i, len(m.group(1)), m.group(2) or "")
            if b.ready:
                yield b.ready.pop()
            prev_blank, prev_para = False, None
            continue
        if prev_para is not None and _SETEXT.match(line):
            b.heading(prev_para[0], 1 if stripped[0] == "=" else 2, prev_para[1])
            prev_blank, prev_para = False, None
            continue
        if first in "*-_" and _HR.match(line):
            b.stack.clear()
            prev_blank, prev_para = True, None
            continue
        if m := _BULLET.fullmatch(line):
            indent = _width(m.group(1))
            marker = m.group(2)
            content = (m.group(3) or "").rstrip()
            b.bullet(i, indent, indent + len(marker) + 1, content)
            prev_blank, prev_para = False, None
            continue
        indent = _width(line[: len(line) - len(line.lstrip())])
        if b.stack and (not prev_blank or indent >= 2):
            if not prev_blank:
                b.continuation(stripped)
            prev_blank = False
            continue
        b.stack.clear()
        prev_blank, prev_para = False, (i, stripped)
    if progress is not None:
        progress(total, total)
    return b.result()


def read_source(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> tuple[str, str | None]:
    """Read and decode a source file; one-line :class:`SourceError` on every way it can fail."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    if path.is_dir():
        raise SourceError(f"{path}: is a directory, not a markdown file")
    if size > max_bytes:
        raise SourceError(f"{path}: {size:,} bytes is larger than the {max_bytes:,}-byte limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    return decode(data, str(path))


def parse_file(
    path: Path, *, source: str | None = None, progress: ProgressCallback | None = None
) -> ParsedList:
    """Read, decode, repair and parse one list file. ``source`` (default: the file name) names it."""
    return _drain(iter_parse_file(path, source=source, progress=progress, stream=False))


def iter_parse_file(
    path: Path, *, source: str | None = None, progress: ProgressCallback | None = None, stream: bool = True
) -> Generator[FinalEntries, None, ParsedList]:
    """:func:`parse_file`, yielding batches of final entries as :func:`iter_parse_text` does."""
    text, warning = read_source(path)
    name = source or path.name
    parsed = yield from iter_parse_text(text, name, progress=progress, stream=stream)
    if warning:
        extra = Diagnostic(file=name, line=1, code="encoding", message=warning)
        parsed = parsed.model_copy(update={"diagnostics": (extra, *parsed.diagnostics)})
    return parsed
