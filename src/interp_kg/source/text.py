"""Bytes to clean text: decoding, mojibake repair (ftfy), and cleaning titles of emoji and markup."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from interp_kg.errors import SourceError

#: Characters that mark an entry as featured ("starred") in awesome lists.
STARS = frozenset("\N{GLOWING STAR}\N{WHITE MEDIUM STAR}\N{BLACK STAR}\N{SPARKLES}")
#: GitHub's emoji shortcodes for those characters (``:star:`` renders as a star).
STAR_SHORTCODES = frozenset({":star:", ":star2:", ":glowing_star:", ":sparkles:"})
# An emoji shortcode standing alone (``:fire: Title``): markup, not text of the title.
_SHORTCODE = re.compile(r"(?<!\S):[a-z0-9_+-]{1,40}:(?!\S)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f"))


class DecodeWarning(NamedTuple):
    """Why a file was not read as UTF-8, and the line of its first bad byte."""

    line: int
    message: str


def decode(data: bytes, name: str) -> tuple[str, DecodeWarning | None]:
    """Decode a source file's bytes; returns the text (LF newlines, no BOM) and a warning or None.

    Raises :class:`SourceError` for empty or binary input. UTF-8 is expected; anything else is
    read as Windows-1252 (which maps every byte) and reported at the line of its first bad byte,
    so no input is refused for its bytes.

    >>> decode(b"ok\\nfine\\nbad \\xff byte\\n", "x.md")[1]
    DecodeWarning(line=3, message='not valid UTF-8 (byte 12, line 3); read as Windows-1252')
    """
    if not data.strip():
        raise SourceError(f"{name}: the file is empty")
    if b"\x00" in data[:65536]:
        raise SourceError(f"{name}: looks like a binary file (it contains NUL bytes), not a markdown list")
    warning = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = data.decode("cp1252", errors="replace")
        line = data.count(b"\n", 0, exc.start) + 1
        warning = DecodeWarning(
            line, f"not valid UTF-8 (byte {exc.start}, line {line}); read as Windows-1252"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, warning


@lru_cache(maxsize=4096)
def _fix(line: str) -> str:
    import ftfy

    return ftfy.fix_text(line, uncurl_quotes=False, fix_character_width=False, normalization="NFC")


def repair(line: str) -> str:
    """Repair mojibake (UTF-8 once read as Windows-1252, e.g. a star emoji); ASCII lines pass as they are."""
    if line.isascii():
        return line
    return _fix(line)


def is_star(ch: str) -> bool:
    """Whether ``ch`` is one of the characters that mark a featured entry."""
    return ch in STARS


def has_star(text: str) -> bool:
    """Whether ``text`` holds a star marker: a star character, or its shortcode (``:star:``)."""
    if not STARS.isdisjoint(text):
        return True
    return (
        ":" in text
        and (":star" in text or ":sparkles:" in text or ":glowing" in text)
        and any(m.group(0) in STAR_SHORTCODES for m in _SHORTCODE.finditer(text))
    )


def strip_symbols(text: str) -> str:
    """Remove emoji (characters and ``:shortcodes:``), other pictographic symbols and zero-width
    characters; collapse whitespace."""
    if not text.isascii():
        text = text.translate(_ZERO_WIDTH)
        text = "".join(ch for ch in text if unicodedata.category(ch) != "So")
    text = " ".join(text.split())  # whitespace collapsed: str.split's is the regex's \s
    if text[:1] == ":" or " :" in text:  # a shortcode stands alone: at the start or after a space
        text = " ".join(_SHORTCODE.sub("", text).split())
    return text


def slugify(text: str, max_length: int = 80) -> str:
    """A lower-case ASCII slug: letters and digits joined by ``-`` (``"Paper & Blog"`` -> ``paper-blog``)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"


_NOT_ALNUM = re.compile(r"[\W_]+")
#: ASCII but letters and digits, deleted (``str.translate``: the regex's work on ASCII, twice as fast)
_ASCII_NOT_ALNUM = dict.fromkeys(c for c in range(128) if not chr(c).isalnum())


def title_key(title: str) -> str:
    """The normalised form of a title used to match the same work across the list.

    >>> title_key("Sparse Autoencoders_Find (2023)!"), title_key("Caf\u00e9 \u00dcber Stra\u00dfe")
    ('sparseautoencodersfind2023', 'cafeuberstrasse')
    """
    if title.isascii():
        return title.lower().translate(_ASCII_NOT_ALNUM)
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", title).casefold())
