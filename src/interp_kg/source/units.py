"""Reading a unit of several lines: a paragraph entry, an HTML list item, a table's title cell.

A unit's lines (Markdown; HTML already turned into Markdown by :mod:`interp_kg.source.html`) are
read by :func:`interp_kg.source.inline.parse_inline`: the first line gives the title, the others
links, notes (authors, a description) and a venue named in the text (``*ICLR 2024*``,
``NeurIPS 2022.``, ``Venue: EMNLP 2023``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from interp_kg.source.inline import InlineResult, parse_inline
from interp_kg.source.models import DiagnosticCode, Link

# Pieces of a text that may name a venue on their own: split at punctuation and dashes.
_CHUNKS = re.compile(r"[.,;:|()\[\]{}\u00b7\u2022\u2013\u2014]|\s[-/]\s")
_LEAD_WORDS = re.compile(
    r"^(?:(?:published|accepted|presented|appeared|appears)\s+)?(?:in|at|by|to|on)\s+", re.IGNORECASE
)
# `NeurIPS'23`: a year in two digits after a venue's name.
_SHORT_YEAR = re.compile(r"(?<=[A-Za-z])\s*['\u2019](\d{2})\b")
# `1. `, `12) `, `[3] ` at the start of a title: the list's numbering, not the title.
_NUMBERING = re.compile(r"^(?:\d{1,4}[.)]|\[\d{1,4}\])\s+")
# Separators between the pieces of a line (`Authors · arXiv 2023 · [paper](...)`).
_SEPARATORS = "\u00b7\u2022|/;,\u2013\u2014-"
_SEPARATOR_RUN = re.compile(r"\s*([\u00b7\u2022|/;,\u2013\u2014-])(?:\s*[\u00b7\u2022|/;,\u2013\u2014-])+\s*")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def venue_in_text(text: str) -> str | None:
    """The first piece of ``text`` that is a known venue on its own (``ICLR 2024``, ``NeurIPS'23``,
    ``In EMNLP 2023 Findings``), as written (less the lead word); None when there is none."""
    if not text or text.lower() == text:  # every venue name has a capital letter
        return None
    from interp_kg.identifiers.venues import VenueMatch, load_venue_table

    table = load_venue_table()
    for chunk in _CHUNKS.split(text):
        chunk = _LEAD_WORDS.sub("", chunk.strip(" *_`'\"")).strip()
        if not chunk or len(chunk) > 60 or not any(ch.isalpha() for ch in chunk):
            continue
        chunk = _SHORT_YEAR.sub(lambda m: f" 20{m.group(1)}", chunk)
        m = table.match_label(chunk)
        if isinstance(m, VenueMatch) and m.known and not m.problems:
            return chunk
    return None


def year_in_text(text: str) -> int | None:
    """The first year (1950-2099) in a text such as ``2024-03``, ``Mar 2024`` or ``2023/10/01``."""
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def strip_numbering(title: str) -> str:
    """A title without the list's numbering (``1. Title``, ``[3] Title`` -> ``Title``)."""
    return _NUMBERING.sub("", title, count=1) or title


def _never_a_title(label: str) -> bool:
    return True


@dataclass
class UnitRead:
    """What the lines of a unit say."""

    head: InlineResult
    links: list[Link] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    venue: str | None = None
    problems: list[tuple[DiagnosticCode, str]] = field(default_factory=list)
    image_urls: list[str] = field(default_factory=list)
    anchors: int = 0
    images: int = 0
    #: the text of every line outside its links (``2024`` too, which is no note)
    texts: list[str] = field(default_factory=list)

    @property
    def title(self) -> str | None:
        return self.head.title


def read_lines(
    lines: Sequence[str], is_hint_label: Callable[[str], bool], *, titled: bool = True
) -> UnitRead:
    """Read a unit's lines: the first for its title (when ``titled``), every line for links,
    notes and a venue named in the text."""
    first = parse_inline(lines[0], is_hint_label if titled else _never_a_title) if lines else InlineResult()
    unit = UnitRead(head=first)
    _gather(unit, first, head=titled)
    for line in lines[1:]:
        _gather(unit, parse_inline(line, _never_a_title), head=False)
    unit.venue = next((v for note in unit.notes if (v := venue_in_text(note))), None)
    if unit.venue is not None:  # a line that only names the venue is no note: `(EMNLP 2023)`
        unit.notes = [note for note in unit.notes if not names_only(note, unit.venue)]
    return unit


def _gather(unit: UnitRead, res: InlineResult, *, head: bool) -> None:
    unit.links.extend(res.links)
    unit.problems.extend(res.problems)
    unit.image_urls.extend(res.image_urls)
    unit.anchors += res.anchors
    unit.images += res.images
    text = _tidy(res.rest if head else " ".join(x for x in (res.pre, res.title, res.rest) if x))
    if text:
        unit.texts.append(text)
        if any(ch.isalpha() for ch in text) and not _link_word(text):
            unit.notes.append(text)


def _link_word(text: str) -> bool:
    """Whether ``text`` only names a kind of link (``Code:``, ``Paper``, ``Links``)."""
    if len(text) > 20:
        return False
    from interp_kg.identifiers.venues import LabelHint, load_venue_table

    m = load_venue_table().match_label(text.strip(" :.-"))
    return isinstance(m, LabelHint) and not m.problems


def names_only(text: str, venue: str) -> bool:
    """Whether ``text`` says nothing but ``venue`` (``(EMNLP 2023)``, ``NeurIPS'23.``)."""
    bare = _LEAD_WORDS.sub("", text.strip(" .,;:()[]{}*_-\u2013\u2014")).strip()
    return bare == venue or _SHORT_YEAR.sub(lambda m: f" 20{m.group(1)}", bare) == venue


def _tidy(text: str) -> str:
    """A line's text once its links are out: runs of separators (`` · · ``, `` | ``) as one,
    none at the ends."""
    return _SEPARATOR_RUN.sub(r" \1 ", text).strip(_SEPARATORS + " ")


def text_venue(res: InlineResult) -> str | None:
    """A venue named in a bullet's text after its title (``- [Title](url) - NeurIPS 2022``)."""
    return venue_in_text(res.rest) if res.rest else None


def bullet_notes(res: InlineResult, venue: str | None) -> list[str]:
    """The note a bullet's text after its title makes, unless it only names the venue."""
    if not res.rest or not any(ch.isalpha() for ch in res.rest):
        return []
    return [] if venue is not None and names_only(res.rest, venue) else [res.rest]
