"""What the block reader (:mod:`interp_kg.source.parse`) finds -> entries, notes, diagnostics.

One method per kind of block: :meth:`ListBuilder.heading`, :meth:`~ListBuilder.bullet` (and its
continuation lines and paragraphs), :meth:`~ListBuilder.paragraph`, :meth:`~ListBuilder.table`,
:meth:`~ListBuilder.html_block` and the ``<details>`` scopes. Every *unit* (a bullet, a table row,
a paragraph or HTML unit with a link) ends as an entry, a note of an entry, or a diagnostic that
names its line and rule; :attr:`ParsedList.units` and :attr:`ParsedList.skipped` count them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from interp_kg.source.boilerplate import MESSAGE, RULE, is_news_title, kind_of_urls
from interp_kg.source.html import Element, inline_markdown, markdown_lines, parse_html
from interp_kg.source.inline import InlineResult, parse_inline
from interp_kg.source.layout import AboutKind, Layout
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
from interp_kg.source.tables import Table, html_table, read_row
from interp_kg.source.text import strip_symbols
from interp_kg.source.units import UnitRead, bullet_notes, read_lines, strip_numbering, text_venue
from interp_kg.trusted import trusted

TOC_MESSAGE = "table-of-contents line (links within the page), not an entry"
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
#: HTML elements read as a whole unit unless they hold one of ``_BLOCKS``.
_BLOCKS = frozenset({"table", "ul", "ol", "dl", "details", "p", "div", "section", "center", "blockquote"})
_BLOCKS_AND_HEADINGS = _BLOCKS | frozenset(_HEADINGS)
# A <summary> that only opens its block ("Click to expand"), rather than naming a group.
_GENERIC_SUMMARY = re.compile(
    r"^(?:click|show|hide|expand|collapse|see|view|more|details?|toggle|open|read more|full list)\b",
    re.IGNORECASE,
)
# An HTML tag in a bullet's text (`<br />`, `<a href=...>`, `<b>`), which Markdown shows as HTML.
_INLINE_TAG = re.compile(r"</?(?:br|a|b|strong|i|em|img|sup|sub|span|font|code)\b", re.IGNORECASE)
_COUNT = re.compile(r"\s*\(\s*\d+(?:\s+\w+)?\s*\)\s*$")
_NUMBERING_ONLY = re.compile(r"(?:\d{1,4}[.)]?|\[\d{1,4}\]|#\d{1,4})?")


@dataclass
class _Draft:
    """An entry while its nested bullets or following lines are still being read."""

    line: int
    title: str
    alias: str | None
    featured: bool
    links: list[Link]
    notes: list[str]
    heading: int | None
    parent: int | None
    text: str
    venue: str | None = None
    year: int | None = None
    #: among the entries: a paragraph entry is, once it has a link (its own or a following line's)
    listed: bool = True
    #: a <details> summary's entry: the paragraphs of the block are its own
    body: bool = False

    def freeze(self) -> Entry:
        # venue and year only when set, as a validated entry would have them in its fields set
        hints = _NO_HINTS
        if self.venue is not None or self.year is not None:
            hints = {"venue": self.venue, "year": self.year}
        return trusted(
            Entry,
            line=self.line,
            title=self.title,
            alias=self.alias,
            featured=self.featured,
            links=_dedupe_links(self.links),
            notes=tuple(self.notes),
            heading=self.heading,
            parent=self.parent,
            text=self.text,
            **hints,
        )


_NO_HINTS: dict[str, object] = {}


def _dedupe_links(links: list[Link]) -> tuple[Link, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for link in links:
        key = (link.label, link.url)
        if key not in seen:
            seen.add(key)
            out.append(link)
    return tuple(out)


def has_own_title(text: str) -> bool:
    """A nested bullet is an entry of its own only when its title is bold (``**...**``)."""
    return "**" in text or "__" in text


def inline_plain(raw: str) -> str:
    """Heading text without markdown: link texts kept, emphasis and escapes removed."""
    raw = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", raw)
    raw = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw)
    return raw.replace("**", "").replace("__", "").replace("`", "")


def _about_urls(res: InlineResult | UnitRead, links: Sequence[Link]) -> AboutKind | None:
    """The kind of line about the list that every link and image of a unit points to, if any."""
    if len(links) == 1 and not res.image_urls:
        return kind_of_urls((links[0].url,))
    return kind_of_urls([link.url for link in links] + res.image_urls)


class ListBuilder:
    """Accumulates what one pass over a list's blocks finds."""

    def __init__(
        self,
        source: str,
        layout: Layout,
        is_hint_label: Callable[[str], bool],
        stream: bool = False,
        final_batch: int = 2000,
        keep: bool = True,
    ) -> None:
        self.stream = stream
        self.final_batch = final_batch
        #: whether the result holds the entries already yielded (a reader that takes each batch as
        #: it comes, such as ``lint`` of a million entries, keeps none of them twice)
        self.keep = keep
        #: batches of final entries, with the headings read so far, not yet taken
        self.ready: list[tuple[tuple[Entry, ...], tuple[Heading, ...]]] = []
        self.frozen: list[Entry] = []
        self.source = source
        self.layout = layout
        self.is_hint_label = is_hint_label
        self.title: str | None = None
        self.headings: list[Heading] = []
        self.heading_stack: list[Heading] = []
        self.about: dict[int, AboutKind] = {}  # heading index -> kind of section about the list
        self.entries: list[_Draft] = []  # not yet frozen (the frozen ones are in ``frozen``)
        self.diagnostics: list[Diagnostic] = []
        self.bullets = 0
        self.notes = 0
        self.units = 0
        self.skipped: Counter[DiagnosticCode] = Counter()
        # (content column, entry or None) of the open bullets, outermost first
        self.stack: list[tuple[int, _Draft | None]] = []
        self.seen_bullet = False
        #: the entry that following paragraphs belong to (a paragraph entry, a title-only item)
        self.open: _Draft | None = None
        #: heading stacks to restore when a <details> block or a table's topic group closes
        self.scopes: list[list[Heading]] = []

    # -- diagnostics --------------------------------------------------------------------------
    def warn(self, line: int, code: DiagnosticCode, message: str, severity: Severity = "warning") -> None:
        self.diagnostics.append(
            Diagnostic(file=self.source, line=line, code=code, message=message, severity=severity)
        )

    def skip(self, line: int, code: DiagnosticCode, message: str, severity: Severity = "warning") -> None:
        """A unit that becomes no entry nor note: its diagnostic, counted in the summary."""
        self.warn(line, code, message, severity)
        self.skipped[code] += 1

    def skip_about(self, line: int, kind: AboutKind, what: str = "") -> None:
        self.skip(line, RULE[kind], MESSAGE[kind] + what, "info")

    def about_kind(self) -> AboutKind | None:
        """The kind of section about the list the current heading is in, if any."""
        return self.about.get(self.heading_stack[-1].index) if self.heading_stack else None

    # -- headings -----------------------------------------------------------------------------
    def heading(self, line: int, level: int, raw: str, *, plain: bool = False) -> None:
        self.stack.clear()
        self.open = None
        # A heading closes every open bullet: the entries so far are final.
        if self.stream and len(self.entries) >= self.final_batch:
            batch = tuple(e.freeze() for e in self.entries)
            if self.keep:
                self.frozen.extend(batch)
            self.entries.clear()  # final: their drafts go (a million of them are GBs)
            self.ready.append((batch, tuple(self.headings)))
        title = strip_symbols(raw if plain else inline_plain(raw))
        if not title:
            return
        if level == 1 and self.title is None and not self.headings and not self.seen_bullet:
            self.title = title
            return
        while self.heading_stack and self.heading_stack[-1].level >= level:
            self.heading_stack.pop()
        parent = self.heading_stack[-1] if self.heading_stack else None
        # Section names ("Library", "Video", "News") count near the top of the list only: a topic
        # called "Code" deep under "By Topic" is still a topic of papers.
        near_top = len(self.heading_stack) <= 1
        own = self.layout.section_of(title) if near_top else None
        section: SectionKind | None = own or (parent.section if parent else None)
        h = Heading(
            index=len(self.headings),
            line=line,
            level=level,
            title=title,
            parent=parent.index if parent else None,
            section=section,
        )
        about = (self.layout.about_of(title) if near_top else None) or (
            self.about.get(parent.index) if parent else None
        )
        if about is not None:
            self.about[h.index] = about
        self.headings.append(h)
        self.heading_stack.append(h)

    def open_scope(self, line: int, title: str | None) -> None:
        """A group of units under a heading of its own (a ``<details>`` summary, a table's topic
        column), one level below the current heading, until :meth:`close_scope`."""
        self.scopes.append(list(self.heading_stack))
        if title:
            level = self.heading_stack[-1].level + 1 if self.heading_stack else 2
            self.heading(line, min(max(level, 2), 6), title, plain=True)

    def close_scope(self) -> None:
        if self.scopes:
            self.heading_stack[:] = self.scopes.pop()
        self.stack.clear()
        self.open = None

    # -- entries ------------------------------------------------------------------------------
    def _entry(self, draft: _Draft) -> _Draft:
        self.entries.append(draft)
        return draft

    def _draft(self, line: int, res: InlineResult, unit: UnitRead, text: str) -> _Draft:
        assert res.title is not None
        return _Draft(
            line=line,
            title=strip_numbering(res.title),
            alias=res.alias,
            featured=res.featured,
            links=list(unit.links),
            notes=list(unit.notes),
            heading=self.heading_stack[-1].index if self.heading_stack else None,
            parent=None,
            text=text,
            venue=unit.venue,
        )

    def _open_entry(self, draft: _Draft) -> None:
        """An entry of a paragraph or HTML unit, which the following paragraphs may add to: among
        the entries (and counted as a unit) once it has a link (a bold line alone is no work)."""
        draft.listed = bool(draft.links)
        if draft.listed:
            self.units += 1
            self._entry(draft)
        self.open = draft

    def _attach(self, entry: _Draft, unit: UnitRead) -> None:
        """Lines that belong to ``entry``: their links and texts become its own."""
        entry.links.extend(unit.links)
        entry.notes.extend(unit.notes)
        entry.venue = entry.venue or unit.venue
        if not entry.listed and entry.links:
            entry.listed = True
            self.units += 1
            self._entry(entry)

    def _problems(self, line: int, problems: Sequence[tuple[DiagnosticCode, str]]) -> None:
        for code, msg in problems:
            self.warn(line, code, msg)

    # -- bullets ------------------------------------------------------------------------------
    def bullet(self, line: int, indent: int, content_col: int, text: str) -> None:
        self.bullets += 1
        self.units += 1
        self.seen_bullet = True
        self.open = None
        while self.stack and self.stack[-1][0] > indent:
            self.stack.pop()
        parent = self.stack[-1][1] if self.stack else None
        if not text.strip():
            self.skip(line, "no-title", "empty bullet")
            self.stack.append((content_col, None))
            return
        res, more = self._read_bullet(text)
        about = self.about_kind() if self.about else None
        if about is None and res.title and len(res.title) < 16 and is_news_title(res.title):
            about = "news"
        if about is None and (res.links or res.image_urls) and (not res.title or len(res.title) <= 40):
            about = _about_urls(res, res.links)  # a star-history chart, a licence (no paper title)
        if about is not None:
            if res.anchors and not res.links:
                self.skip(line, "toc-line", TOC_MESSAGE, "info")
            else:
                self.skip_about(line, about)
            self.stack.append((content_col, None))
            return
        for code, msg in res.problems:
            self.warn(line, code, msg)
        entry: _Draft | None = None
        if res.title and (parent is None or has_own_title(text)):
            if more is None:
                venue = text_venue(res) if res.rest else None
                notes = bullet_notes(res, venue) if parent is None and res.rest else []
            else:
                venue, notes = more.venue, more.notes if parent is None else []
            entry = self._entry(
                _Draft(
                    line=line,
                    title=res.title,
                    alias=res.alias,
                    featured=res.featured,
                    links=list(res.links),
                    notes=notes,
                    heading=self.heading_stack[-1].index if self.heading_stack else None,
                    parent=parent.line if parent else None,
                    text=text,
                    venue=venue,
                )
            )
            if parent is None and not res.links:  # `1. **Title**`: its links may follow
                self.open = entry
        elif parent is not None and (res.title or res.rest or res.links):
            note = (
                res.title if res.title and not res.rest else " ".join(x for x in (res.title, res.rest) if x)
            )
            if note:
                parent.notes.append(note)
            parent.links.extend(res.links)
            self.notes += 1
        elif res.anchors and not res.links:
            self.skip(line, "toc-line", TOC_MESSAGE, "info")
        elif res.images and not res.links:
            self.skip(line, "image-line", "image line, not an entry", "info")
        elif res.links:
            self.skip(line, "link-only", "bullet with links but no title, not an entry")
        elif parent is None:
            self.skip(line, "no-title", "bullet without a title")
        else:
            self.skip(line, "orphan-note", "nested note under a bullet that is no entry")
        self.stack.append((content_col, entry))

    def _read_bullet(self, text: str) -> tuple[InlineResult, UnitRead | None]:
        """A bullet's text; with inline HTML (``**Title** <br /> Authors <br /> ...``), read as the
        lines ``<br>`` makes: the first for the title, all for links (in the result), notes and
        venue (in the :class:`UnitRead`)."""
        if "<" in text and _INLINE_TAG.search(text) and (lines := markdown_lines(text)):
            unit = read_lines(lines, self.is_hint_label)
            res = unit.head
            res.links, res.problems, res.image_urls = unit.links, unit.problems, unit.image_urls
            res.anchors, res.images = unit.anchors, unit.images
            return res, unit
        return parse_inline(text, self.is_hint_label), None

    def continuation(self, text: str) -> None:
        """A lazy continuation line of the last bullet: re-read the joined text."""
        if not self.stack or self.stack[-1][1] is None:
            return
        entry = self.stack[-1][1]
        joined = f"{entry.text} {text.strip()}"
        res, more = self._read_bullet(joined)
        if res.title:
            entry.title, entry.alias, entry.featured, entry.text = res.title, res.alias, res.featured, joined
            entry.links = list(res.links)
            if more is None:
                entry.venue = text_venue(res)
            else:
                entry.venue = more.venue
                if entry.parent is None:
                    entry.notes = more.notes

    def item_paragraph(self, line: int, lines: Sequence[str]) -> None:
        """A paragraph inside the last bullet (indented, after a blank line): its links and text
        belong to the bullet's entry."""
        entry = self.stack[-1][1] if self.stack else None
        unit = read_lines(lines, self.is_hint_label, titled=False)
        held = bool(unit.links or unit.anchors)
        if entry is not None:
            self._problems(line, unit.problems)
            self._attach(entry, unit)
            if held:
                self.units += 1
                self.notes += 1
        elif held:
            self.units += 1
            self.skip(line, "orphan-note", "paragraph with links under a bullet that is no entry")

    # -- paragraphs ---------------------------------------------------------------------------
    def paragraph(self, line: int, lines: Sequence[str]) -> None:
        """A paragraph, as Markdown lines (``<br>`` broke lines, HTML became Markdown).

        It is an entry when it starts with a bold title (``**Title**``, ``1. **Title**``,
        ``**Title** <br />``) that is not prose (``**Note:** ...``, ``**Name** is a list ...``);
        its other lines give links, notes and a venue. The paragraphs after an entry that has no
        link yet (a bold title alone, a title-only item) belong to it, up to the first one with
        links, when those links are labelled as links (``[paper]``, ``[code]``, ``[arXiv]``), not
        as text (``More papers are on [the project page](...)``)."""
        if not lines:
            return
        head = parse_inline(lines[0], self.is_hint_label)
        about = self.about_kind()
        if about is None and _is_entry_head(head):
            unit = read_lines(lines, self.is_hint_label)
            self._problems(line, unit.problems)
            kind = _about_urls(unit, unit.links)
            if kind is None:
                self._open_entry(self._draft(line, head, unit, " ".join(lines)))
            else:
                self.units += 1
                self.skip_about(line, kind)
            return
        unit = read_lines(lines, self.is_hint_label, titled=False)
        held = bool(unit.links or unit.anchors)
        entry = self.open
        if (
            about is None
            and entry is not None
            and (
                entry.body
                or (
                    not entry.links
                    and not head.bold
                    and all(not link.label or self.is_hint_label(link.label) for link in unit.links)
                )
            )
        ):
            self._problems(line, unit.problems)
            self._attach(entry, unit)
            if held:
                self.units += 1
                self.notes += 1
            return
        self.open = None
        if not held:
            return
        self.units += 1
        self._not_a_work(line, unit, about, head, "paragraph")

    def _not_a_work(
        self, line: int, unit: UnitRead, about: AboutKind | None, head: InlineResult, what: str
    ) -> None:
        """A unit with links that is no entry: the diagnostic that says why."""
        if about is not None:
            self.skip_about(line, about)
        elif head.bold and head.title and is_news_title(head.title):
            self.skip_about(line, "news")
        elif unit.anchors and not unit.links:
            self.skip(line, "toc-line", TOC_MESSAGE, "info")
        elif (kind := _about_urls(unit, unit.links)) is not None:
            self.skip_about(line, kind)
        elif unit.images and all(not link.label for link in unit.links):
            self.skip(line, "image-line", f"{what} of linked images (badges, logos), not an entry", "info")
        elif what == "paragraph":
            self.skip(
                line,
                "paragraph-link",
                "paragraph with links that names no work (no bold title at its start, or it reads "
                "as a sentence), not an entry: if it is one, make it a bullet or start it with "
                "the **title**",
                "info",
            )
        else:
            self.skip(
                line,
                "html-link",
                f"HTML {what} with links but no title, not an entry: start it with the <b>title</b>",
            )

    # -- tables -------------------------------------------------------------------------------
    def table(self, table: Table) -> None:
        """A pipe or HTML table: each body row with a title becomes an entry."""
        self.stack.clear()
        self.open = None
        roles = self.layout.column_roles(table.header)
        about = self.about_kind()
        if about is not None or "title" not in roles:
            reads = [read_row(row, [None] * len(row.cells), self.is_hint_label) for row in table.rows]
            links = [link for r in reads for link in r.links]
            anchors = sum(r.anchors for r in reads)
            if not links and not anchors:
                return
            self.units += 1
            images = [u for r in reads for u in r.image_urls]
            kind = about or kind_of_urls([link.url for link in links] + images)
            if not links:
                self.skip(table.line, "toc-line", TOC_MESSAGE, "info")
            elif kind is not None:
                self.skip_about(table.line, kind, f" (a table of {_rows(len(table.rows))})")
            else:
                header = " | ".join(h or "(empty)" for h in table.header) or "(none)"
                self.skip(
                    table.line,
                    "table-no-title-column",
                    f"table without a title column (header: {header}): its {_rows(len(table.rows))} "
                    "not read as works; name the column of titles 'Title' (data/layout.toml lists "
                    "the names read)",
                )
            return
        title_column = table.header[roles.index("title")] or "title"
        topic: str | None = None
        scoped = False
        for row in table.rows:
            r = read_row(row, roles, self.is_hint_label)
            if "topic" in roles and r.topic != topic and (r.title or r.links):
                if scoped:
                    self.close_scope()
                self.open_scope(row.line, r.topic)
                topic, scoped = r.topic, True
            if not r.title and not r.links and not r.anchors:
                continue  # an empty or text-only row: no unit
            self.units += 1
            self._problems(row.line, r.problems)
            if row.extra_links:
                self.warn(
                    row.line,
                    "table-extra-cells",
                    f"row has more cells than the header ({len(table.header)}): the links in the "
                    "cells beyond it are not read; add a column to the header",
                )
            if not r.title:
                if r.anchors and not r.links:
                    self.skip(row.line, "toc-line", TOC_MESSAGE, "info")
                else:
                    self.skip(
                        row.line,
                        "table-row-no-title",
                        f"table row with links but no title in column '{title_column}', not an entry",
                    )
                continue
            self._entry(
                _Draft(
                    line=row.line,
                    title=r.title,
                    alias=r.alias,
                    featured=r.featured,
                    links=r.links,
                    notes=r.notes,
                    heading=self.heading_stack[-1].index if self.heading_stack else None,
                    parent=None,
                    text=r.text,
                    venue=r.venue,
                    year=r.year,
                )
            )
        if scoped:
            self.close_scope()

    # -- HTML ---------------------------------------------------------------------------------
    def html_block(self, line: int, text: str) -> None:
        """An HTML block: headings, tables, lists, <details>, paragraphs, read in order."""
        self.stack.clear()
        self.html_children(parse_html(text, line))

    def html_children(self, node: Element) -> None:
        """The children of an HTML element, in order: blocks one by one, inline runs as units."""
        run: list[Element | str] = []
        for child in node.children:
            if isinstance(child, str) or child.tag not in _BLOCKS_AND_HEADINGS:
                run.append(child)
                continue
            self._html_run(run, child.line)
            run = []
            tag = child.tag
            if tag in _HEADINGS:
                self.heading(child.line, _HEADINGS[tag], child.text(), plain=True)
            elif tag == "table":
                self.table(html_table(child, self.layout))
            elif tag in ("ul", "ol", "dl"):
                for item in child.find_all("li", "dd", "dt"):
                    self.html_unit(item, "list item")
            elif tag == "details":
                self.details(child)
            elif any(True for _ in child.find_all(*_BLOCKS_AND_HEADINGS)):
                self.html_children(child)
            else:
                self.html_unit(child, "paragraph")
        self._html_run(run, node.line)

    def _html_run(self, run: list[Element | str], line: int) -> None:
        """Inline HTML between blocks (``<a href><img></a>``, text): one paragraph-like unit."""
        if any(isinstance(x, Element) or x.strip() for x in run):
            first = next((x.line for x in run if isinstance(x, Element)), line)
            self.html_unit(Element("#run", {}, first, list(run)), "paragraph")

    def html_unit(self, element: Element, what: str) -> None:
        """An HTML list item or paragraph: an entry when it starts with a bold title (or, for a
        list item, a link whose text is a title); else a diagnostic when it holds links."""
        lines = inline_markdown(element)
        if not lines:
            return
        head = parse_inline(lines[0], self.is_hint_label)
        about = self.about_kind()
        titled = head.title is not None and (_is_entry_head(head) or (what == "list item" and not head.bold))
        if about is None and titled:
            unit = read_lines(lines, self.is_hint_label)
            if unit.anchors and not unit.links:  # `See also <a href="#tools">the tools</a>`
                self.units += 1
                self.skip(element.line, "toc-line", TOC_MESSAGE, "info")
                return
            self._problems(element.line, unit.problems)
            kind = _about_urls(unit, unit.links)
            if kind is not None:
                self.units += 1
                self.skip_about(element.line, kind)
                return
            self._open_entry(self._draft(element.line, head, unit, " ".join(lines)))
            return
        if what == "paragraph":
            self.paragraph(element.line, lines)
            return
        unit = read_lines(lines, self.is_hint_label, titled=False)
        if unit.links or unit.anchors:
            self.units += 1
            self._not_a_work(element.line, unit, about, head, what)

    def details(self, element: Element) -> None:
        """A whole ``<details>`` element (its body HTML)."""
        summary = next(element.find_all("summary"), None)
        body = Element("#body", {}, element.line, [c for c in element.children if c is not summary])
        self.open_details(element.line, summary)
        self.html_children(body)
        self.close_details()

    def open_details(self, line: int, summary: Element | None) -> None:
        """A ``<details>`` block opens: a summary with a link is an entry (the block's lines are
        its notes); else the summary names a group of the units in the block (a topic one level
        down), unless it only says "Click to expand"."""
        lines = inline_markdown(summary) if summary is not None else []
        unit = read_lines(lines, self.is_hint_label) if lines else None
        if unit is not None and unit.links and unit.title:
            self.scopes.append(list(self.heading_stack))
            self._problems(line, unit.problems)
            draft = self._draft(line, unit.head, unit, " ".join(lines))
            draft.body = True
            self._open_entry(draft)
            return
        title = _COUNT.sub("", summary.text()) if summary is not None else ""
        self.open_scope(line, None if _GENERIC_SUMMARY.match(title) else title)

    def close_details(self) -> None:
        self.close_scope()

    # -- result -------------------------------------------------------------------------------
    def result(self) -> ParsedList:
        entries = (*self.frozen, *(e.freeze() for e in self.entries))
        return ParsedList(
            source=self.source,
            title=self.title,
            headings=tuple(self.headings),
            entries=entries,
            diagnostics=tuple(self.diagnostics),
            bullets=self.bullets,
            notes=self.notes,
            units=self.units,
            skipped=dict(sorted(self.skipped.items())),
        )


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _is_entry_head(head: InlineResult) -> bool:
    """Whether a paragraph's first line names a work: a bold title at its start (after the list's
    numbering or a star), not a label such as ``**Note:**`` nor the start of a sentence."""
    if not head.bold or not head.title or is_news_title(head.title):
        return False
    if head.title.endswith(":") or not _NUMBERING_ONLY.fullmatch(head.pre.rstrip(" .:-")):
        return False
    rest = head.rest.lstrip(" :-\u2013\u2014")
    return not (rest[:1].islower() and not head.rest.startswith(("(", "[")))
