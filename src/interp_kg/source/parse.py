"""Markdown list -> :class:`~interp_kg.source.models.ParsedList`.

Awesome lists are line-oriented, so the block level is read line by line: ATX and setext
headings, bullets and numbered items with their nesting by indentation, paragraphs, pipe tables,
HTML blocks (``<table>``, ``<details>``, ``<p>``...) and blockquotes; fenced code and HTML
comments are skipped. :class:`~interp_kg.source.builder.ListBuilder` turns each block into
entries, notes and diagnostics; the text of a unit goes through markdown-it-py's inline parser
(:mod:`interp_kg.source.inline`), tables through its table rule (:mod:`interp_kg.source.tables`)
and HTML through the standard library's HTML parser (:mod:`interp_kg.source.html`).
"""

from __future__ import annotations

import os
import re
import select
import stat
import time
from collections.abc import Callable, Generator
from pathlib import Path

from interp_kg.errors import SourceError
from interp_kg.source.builder import ListBuilder
from interp_kg.source.html import Element, markdown_lines, parse_html
from interp_kg.source.layout import Layout, load_layout
from interp_kg.source.models import Diagnostic, Entry, Heading, ParsedList
from interp_kg.source.tables import DELIMITER, pipe_table
from interp_kg.source.text import DecodeWarning, decode, repair

#: Larger sources are refused with a clear message rather than exhausting memory.
MAX_SOURCE_BYTES = 512 * 1024 * 1024

_HEADING_START = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")


def heading(line: str) -> tuple[int, str] | None:
    """An ATX heading's level and text (its closing ``#`` sequence dropped), else None. In time
    linear in the line (a regex with an optional closing sequence backtracked on long runs of
    spaces: 2,000 such headings took minutes).

    >>> heading("## Sparse Coding ##"), heading("#no"), heading("### C# ## #")
    ((2, 'Sparse Coding'), None, (3, 'C# ##'))
    """
    m = _HEADING_START.match(line)
    if m is None:
        return None
    text = line[m.end() :].strip(" \t")
    bare = text.rstrip("#")
    if not bare:  # only the closing sequence
        return len(m.group(1)), ""
    if len(bare) < len(text) and bare[-1] in " \t":
        text = bare.rstrip(" \t")
    return len(m.group(1)), text


_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
# fullmatch, greedy tail (stripped by the caller): a lazy `(.*?)[ \t]*$` costs 20x more
_BULLET = re.compile(r"([ \t]*)([*+-]|\d{1,9}[.)])(?:[ \t]+(.*))?")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HR = re.compile(r"^ {0,3}([*_-])(?:[ \t]*\1){2,}[ \t]*$")
# The first tag of a line that starts an HTML block: `<table>`, `</details>`, `<p align=...>`.
_HTML_TAG = re.compile(r"^ {0,3}<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)")
_TABLE_OPEN = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.IGNORECASE)

ProgressCallback = Callable[[int, int], None]
#: Entries that :func:`iter_parse_text` yields at a time, at least (once they are final).
FINAL_BATCH = 2000


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _is_hint_label(label: str) -> bool:
    """Whether a link label is a hint (``github``, ``arxiv 2402``, ``ICLR 2024 MI Workshop``,
    ``FooConf 2023``) rather than a title. A longer label that the venue table reads only in part
    (``Code Llama: Open Foundation Models for Code``, ``Language Models Represent Space and Time
    (2023)``) is a title."""
    from interp_kg.identifiers.venues import LabelHint, load_venue_table

    if not label.strip():
        return True
    m = load_venue_table().match_label(label)
    words = len(label.split())
    if isinstance(m, LabelHint):
        return words <= 3 or not m.problems
    if m.known:
        return words <= 5 or not m.problems
    return (m.year is not None or m.yymm is not None) and words <= 3


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
    keep: bool = True,
) -> Generator[FinalEntries, None, ParsedList]:
    """Parse a list's text, yielding batches of entries as soon as they are final (a build streams
    their listings to the store while the parse goes on); returns the whole :class:`ParsedList`,
    or, unless ``keep``, the list without the entries it yielded (the last batch's are in it)."""
    if is_hint_label is None:
        is_hint_label = _is_hint_label
    b = ListBuilder(source, layout or load_layout(), is_hint_label, stream, FINAL_BATCH, keep)
    lines = text.split("\n")
    del text  # the lines hold it now (a 1M-entry list is 140 MB of text)
    total = len(lines)
    fence: str | None = None
    in_comment = False
    prev_blank = True
    i = 0
    while i < total:
        raw = lines[i]
        i += 1
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
            prev_blank = True
            continue
        first = stripped[0]  # cheap guards: most lines are bullets, and skip the regexes below
        if first in "`~" and (m := _FENCE.match(line)):
            fence = m.group(1)[0] * 3
            b.stack.clear()
            continue
        if first == "<" and stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if first == "#" and (h := heading(line)) is not None:
            b.heading(i, h[0], h[1])
            if b.ready:
                yield b.ready.pop()
            prev_blank = False
            continue
        if first in "*-_" and _HR.match(line):
            b.stack.clear()
            b.open = None
            prev_blank = True
            continue
        if m := _BULLET.fullmatch(line):
            indent = _width(m.group(1))
            marker = m.group(2)
            content = (m.group(3) or "").rstrip()
            b.bullet(i, indent, indent + len(marker) + 1, content)
            prev_blank = False
            continue
        indent = _width(line[: len(line) - len(line.lstrip())])
        if b.stack and (not prev_blank or indent >= 2):
            if not prev_blank:
                b.continuation(stripped)
            else:  # a paragraph inside the item: its lines up to the next blank one
                start, block = i, [line]
                i = _paragraph_end(lines, i, block, lazy=True)
                b.item_paragraph(start, markdown_lines("\n".join(block)))
            prev_blank = False
            continue
        b.stack.clear()
        prev_blank = False
        if first == "<" and (m := _HTML_TAG.match(line)):
            i = _html(b, lines, i, line, closing=bool(m.group(1)), tag=m.group(2).lower())
            continue
        if "|" in stripped and i < total and DELIMITER.match(lines[i]) and (table := _table(lines, i)):
            start, block, i = i, table, i + len(table) - 1
            read = pipe_table([repair(x) for x in block], start)
            if read is not None:
                b.table(read)
                continue
            i = start  # not a table after all: a paragraph
        if first == ">":
            start, block = i, [line]
            i = _paragraph_end(lines, i, block, quote=True)
            b.paragraph(start, markdown_lines("\n".join(x.lstrip()[1:] for x in block)))
            continue
        start, block = i, [line]
        i = _paragraph_end(lines, i, block)
        if i < total and _SETEXT.match(lines[i]):
            level = 1 if lines[i].strip()[0] == "=" else 2
            b.heading(start, level, " ".join(x.strip() for x in block))
            i += 1
            continue
        b.paragraph(start, markdown_lines("\n".join(block)))
    if progress is not None:
        progress(total, total)
    return b.result()


def _starts_block(line: str) -> bool:
    """Whether ``line`` (repaired) ends a paragraph: a blank line, a heading, a fence, a bullet,
    a rule, an HTML block, a blockquote."""
    stripped = line.strip()
    if not stripped:
        return True
    first = stripped[0]
    return bool(
        (first == "#" and heading(line) is not None)
        or (first in "`~" and _FENCE.match(line))
        or (first in "*-_" and _HR.match(line))
        or (first == "<" and (_HTML_TAG.match(line) or stripped.startswith("<!--")))
        or first == ">"
        or _BULLET.fullmatch(line)
    )


def _paragraph_end(
    lines: list[str], i: int, block: list[str], *, lazy: bool = False, quote: bool = False
) -> int:
    """Add the lines of the paragraph that goes on at ``lines[i]`` to ``block``; returns the
    index of the first line after it (a setext underline is left for the caller)."""
    while i < len(lines):
        line = repair(lines[i])
        if quote:
            if not line.lstrip().startswith(">"):
                break
        elif _starts_block(line) or (_SETEXT.match(line) and not lazy):
            break
        elif i + 1 < len(lines) and "|" in line and DELIMITER.match(lines[i + 1]):
            break  # a table's header row
        block.append(line)
        i += 1
    return i


def _table(lines: list[str], delimiter: int) -> list[str]:
    """The lines of a pipe table whose delimiter row is ``lines[delimiter]``: its header row and
    the rows up to the first blank line or line without a pipe."""
    end = delimiter + 1
    while end < len(lines) and lines[end].strip() and "|" in lines[end] and not _starts_block(lines[end]):
        end += 1
    return lines[delimiter - 1 : end]


def _html(b: ListBuilder, lines: list[str], i: int, line: str, *, closing: bool, tag: str) -> int:
    """An HTML block that starts with ``line`` (``lines[i - 1]``); returns the index after it.

    ``<details>`` and ``</details>`` open and close a scope, whatever lies between (Markdown
    or HTML) is read as usual. A ``<table>`` block runs to its ``</table>``; any other block to
    the next blank line (CommonMark's rule), or further while a table in it is open."""
    start = i
    if closing and tag == "details":
        b.close_details()
        return i
    if tag == "details":
        head = [line]
        while "</summary>" not in "\n".join(head).lower() and i < len(lines) and lines[i].strip():
            if "<summary" not in "\n".join(head).lower() and "<summary" not in lines[i].lower():
                break
            head.append(repair(lines[i]))
            i += 1
        text = "\n".join(head)
        if "</details>" in text.lower():  # the whole block on its lines: one HTML block
            i = _html_end(lines, i, head)
            b.html_block(start, "\n".join(head))
            return i
        root = parse_html(text, start)
        details = next(root.find_all("details"), None)
        summary = next(details.find_all("summary"), None) if details is not None else None
        b.open_details(start, summary)
        if details is not None:  # anything after the summary on its lines
            rest = [c for c in details.children if c is not summary]
            b.html_children(Element("#rest", {}, start, rest))
        return i
    block = [line]
    i = _html_end(lines, i, block)
    text = "\n".join(block)
    b.html_block(start, text)
    low = text.lower()
    for _ in range(low.count("</details>") - low.count("<details")):  # closes a block opened above
        b.close_details()
    return i


def _html_end(lines: list[str], i: int, block: list[str]) -> int:
    """Add the lines of an HTML block to ``block`` (up to a blank line, past it while a
    ``<table>`` in it is open); returns the index after it."""
    depth = sum(len(_TABLE_OPEN.findall(x)) - len(_TABLE_CLOSE.findall(x)) for x in block)
    while i < len(lines):
        line = lines[i]
        if not line.strip() and depth <= 0:
            break
        line = repair(line)
        depth += len(_TABLE_OPEN.findall(line)) - len(_TABLE_CLOSE.findall(line))
        block.append(line)
        i += 1
        if depth <= 0 and "</table" in line.lower():
            break
    return i


#: Seconds a source that is not a regular file (a pipe, a device) may take to give all its bytes,
#: and to give its first byte (a pipe nobody writes to gives none).
SPECIAL_SOURCE_SECONDS = 60.0
SPECIAL_FIRST_BYTE_SECONDS = 10.0


def read_source(path: Path, *, max_bytes: int = MAX_SOURCE_BYTES) -> tuple[str, DecodeWarning | None]:
    """Read and decode a source file; one-line :class:`SourceError` on every way it can fail.
    A source that is not a regular file (``<(git show ...)``, ``/dev/stdin``) is read with the
    same byte cap, in bounded time (:func:`read_special`)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceError(f"{path}: is a directory, not a markdown file")
    if not stat.S_ISREG(info.st_mode):
        return decode(read_special(path, max_bytes), str(path))
    if info.st_size > max_bytes:
        raise SourceError(f"{path}: {info.st_size:,} bytes is larger than the {max_bytes:,}-byte limit")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    return decode(data, str(path))


def read_special(
    path: Path,
    max_bytes: int,
    seconds: float = SPECIAL_SOURCE_SECONDS,
    first_byte: float = SPECIAL_FIRST_BYTE_SECONDS,
) -> bytes:
    """The bytes of a pipe or device: opened without waiting for a writer, read until its end,
    at most ``max_bytes`` (``/dev/zero`` ends there), within ``seconds``, the first within
    ``first_byte`` (a pipe nobody writes to)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
    start = time.monotonic()
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            limit = seconds if chunks else min(seconds, first_byte)
            left = start + limit - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                if not chunks:
                    raise SourceError(f"{path}: nothing to read after {limit:g} s (a pipe nobody writes to?)")
                raise SourceError(f"{path}: still sending after {seconds:g} s: not read")
            try:
                chunk = os.read(fd, 1 << 20)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise SourceError(f"{path}: cannot read: {exc.strerror}") from None
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(f"{path}: more than the {max_bytes:,}-byte limit: not read")
            chunks.append(chunk)
    finally:
        os.close(fd)


def parse_file(
    path: Path, *, source: str | None = None, progress: ProgressCallback | None = None
) -> ParsedList:
    """Read, decode, repair and parse one list file. ``source`` (default: the file name) names it."""
    return _drain(iter_parse_file(path, source=source, progress=progress, stream=False))


def iter_parse_file(
    path: Path,
    *,
    source: str | None = None,
    progress: ProgressCallback | None = None,
    stream: bool = True,
    keep: bool = True,
) -> Generator[FinalEntries, None, ParsedList]:
    """:func:`parse_file`, yielding batches of final entries as :func:`iter_parse_text` does
    (``keep``: see there)."""
    text, warning = read_source(path)
    name = source or path.name
    parser = iter_parse_text(text, name, progress=progress, stream=stream, keep=keep)
    del text  # held by the parser until it has split it into lines
    parsed = yield from parser
    if warning:
        extra = Diagnostic(file=name, line=warning.line, code="encoding", message=warning.message)
        parsed = parsed.model_copy(update={"diagnostics": (extra, *parsed.diagnostics)})
    return parsed
