r"""The escapers of the plain-text output languages, for every writer of the project (HTML has its
own: the autoescaping templates of :mod:`interp_kg.templating`).

- **Markdown**: :func:`md_cell` (and :func:`md_cells`, the same for a whole table at once), the
  text of a table cell, list item, heading or paragraph; :func:`md_code` and :func:`md_url` for
  code spans and autolinks; :func:`md_table`. Used by ``query -f md``, the Markdown reports and
  ``diff -f md``.
- **CSV**: :func:`csv_bytes`, RFC 4180 through the :mod:`csv` module (the reports). The SPARQL
  CSV and TSV results formats of ``interp-kg query`` are written by pyoxigraph, and the
  QuickStatements V1 commands by :mod:`interp_kg.wikidata.quickstatements` (a syntax of its own).

A Markdown cell shows its text as text, whatever the text holds:

- the characters that Markdown reads anywhere in a line are backslash-escaped: ``\``, `````,
  ``*``, ``[``, ``]``, ``|``, ``#``, ``~``, and ``_`` unless it is inside a word (``sae_vis``: an
  underscore between letters or digits starts no emphasis);
- ``<`` is written as the entity ``&lt;``, so that no HTML tag, comment or autolink can start (a
  Markdown renderer shows raw HTML live); an ``&`` that would start an entity or character
  reference as ``&amp;`` (any other ``&`` is literal in Markdown and stays as it is);
- every run of whitespace, newlines included, becomes one space;
- what would start a block at the start of the text is escaped too: ``>`` (a quote) as ``&gt;``,
  ``-``, ``+``, ``1.`` and ``1)`` (a list) with a backslash; a ``>`` anywhere else is inert (no
  tag can open) and stays as it is;
- in a bare ``http(s)://`` URL, which GitHub turns into a link, ``_`` and ``#`` stay as they are: a
  backslash there would become part of the link. (A URL ends at whitespace or at a character no
  IRI may hold: ``<``, ``>``, ``|``, a backtick or a backslash. A renderer without GitHub's
  autolinks may read ``_x_`` inside such a URL as emphasis: a style, never markup.)

>>> print(md_cell("Paper & Blog | <b>*new*</b>  &amp;\n- x > y"))
Paper & Blog \| &lt;b>\*new\*&lt;/b> &amp;amp; - x > y
>>> print(md_cell("- [[wiki]] `code`"), md_cell("> quote"))
\- \[\[wiki\]\] \`code\` &gt; quote
>>> print(md_cell("_init_ sae_vis https://example.org/a_b#_c"))
\_init\_ sae_vis https://example.org/a_b#_c
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

# -- Markdown -----------------------------------------------------------------------------------

#: What needs an escape in a cell, if anything does: most cells need none.
_NEEDS = re.compile(r"[\\`*_\[\]|#~&<]")
#: A bare URL (see the module docstring) holding something to keep or escape (any other URL needs
#: no escape), an underscore at either end of a word, a character to escape, or an ``&`` that
#: would start an entity or a character reference. Every alternative starts with a literal
#: character, so that the regex engine skips to those: the ``h`` of the URL is outside its group.
_MD = re.compile(
    r"h(?P<url>ttps?://[^\s<>|`\\\x00_#*\[\]~&]*[_#*\[\]~&][^\s<>|`\\\x00]*)"
    r"|_(?:(?![^\W_])|(?<![^\W_]_))"
    r"|\\|`|\*|\[|\]|\||#|~|<"
    r"|&(?=#?[A-Za-z0-9]+;)"
)
#: What is escaped in a bare URL: what could still start emphasis, a strikethrough or a link.
_IN_URL = re.compile(r"[*\[\]~]|&(?=#?[A-Za-z0-9]+;)")
_SPACES = re.compile(r"\s+")
#: What starts a block at the start of a cell (after the NUL each cell is given here): ``>`` (a
#: quote), ``-`` or ``+`` (a list; ``*`` and ``#`` are escaped everywhere), or digits and ``.`` or
#: ``)`` before a space or the end.
_LEADING = re.compile(r"\x00( ?)([->+]|\d{1,9}[.)](?= |\x00|$))")


def _char(m: re.Match[str]) -> str:
    c = m[0]
    return "&amp;" if c == "&" else "&lt;" if c == "<" else "\\" + c


def _escape(m: re.Match[str]) -> str:
    if m.lastgroup == "url":
        url = m[0]
        return _IN_URL.sub(_char, url) if _IN_URL.search(url) else url
    return _char(m)


def _leading(m: re.Match[str]) -> str:
    marker = m[2]
    if marker == ">":
        escaped = "&gt;"
    elif marker in "-+":
        escaped = "\\" + marker
    else:
        escaped = marker[:-1] + "\\" + marker[-1]
    return "\x00" + m[1] + escaped


def md_cell(text: str) -> str:
    r"""``text`` as the text of a Markdown table cell, list item, heading or paragraph: shown as
    it is, on one line (see the module docstring).

    >>> md_cell("&#35; &copy; &x")
    '&amp;\\#35; &amp;copy; &x'
    >>> md_cell("2024. A year")
    '2024\\. A year'
    """
    if _NEEDS.search(text):  # most cells need no escape: a search is cheaper than a rewrite
        text = _MD.sub(_escape, text)
    text = " ".join(text.split())
    if text and text[0] in "->+0123456789":
        text = _LEADING.sub(_leading, "\x00" + text, count=1)[1:]
    return text


def md_cells(rows: Iterable[Sequence[str]]) -> list[list[str]]:
    r""":func:`md_cell` of every cell of ``rows``, in one pass over all of them: the cells are
    joined with NUL (which no whitespace run, escape or entity crosses), escaped and split again,
    since a call per cell costs more than its work on a table of 100k rows.

    >>> md_cells([["Paper & Blog", " *new*  "], ["a|b", "&amp;"], ["- x", "1) y"]])
    [['Paper & Blog', '\\*new\\*'], ['a\\|b', '&amp;amp;'], ['\\- x', '1\\) y']]
    """
    table = rows if isinstance(rows, list) else list(rows)
    cells = [cell for row in table for cell in row]
    blob = "\x00" + "\x00".join(cells)  # a NUL before each cell
    if blob.count("\x00") != len(cells):  # a cell with NUL of its own: cell by cell
        return [[md_cell(cell) for cell in row] for row in table]
    if _NEEDS.search(blob):
        blob = _MD.sub(_escape, blob)
    blob = _LEADING.sub(_leading, _SPACES.sub(" ", blob))
    done = [cell.strip(" ") for cell in blob.split("\x00")[1:]]
    out: list[list[str]] = []
    start = 0
    for row in table:
        end = start + len(row)
        out.append(done[start:end])
        start = end
    return out


_AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>\x7f]*")


def md_code(text: str) -> str:
    r"""``text`` as an inline code span; as escaped text (:func:`md_cell`) when it holds a backtick
    (which would end the span early) or a line break.

    >>> md_code("old.md"), md_code("a`<b>`")
    ('`old.md`', 'a\\`&lt;b>\\`')
    """
    return f"`{text}`" if "`" not in text and "\n" not in text and "\r" not in text else md_cell(text)


def md_url(url: str) -> str:
    """``url`` as a Markdown autolink (``<https://...>``); as escaped text (:func:`md_cell`) when it
    cannot be one (a space, ``<``, ``>`` or a control character in it): a broken autolink would be
    read as an HTML tag.

    >>> md_url("https://example.org/a_b"), md_url("https://x.org/><script>")
    ('<https://example.org/a_b>', 'https://x.org/>&lt;script>')
    """
    return f"<{url}>" if _AUTOLINK.fullmatch(url) else md_cell(url)


def md_table(headers: Sequence[str], right: Sequence[bool], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table; ``right[i]`` right-aligns column ``i``. Headers and cells
    are Markdown already (see :func:`md_cell`).

    >>> print(md_table(["a", "n"], [False, True], [["x", "1"]]), end="")
    | a | n |
    |---|---:|
    | x | 1 |
    """
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if r else "---" for r in right) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# -- CSV ----------------------------------------------------------------------------------------

#: A value of a CSV cell.
CsvValue = str | int | float | bool | None


def csv_bytes(columns: Sequence[str], records: Iterable[Mapping[str, CsvValue]]) -> bytes:
    """RFC 4180 CSV in UTF-8 with a header row (fields quoted where needed, CRLF line ends, as the
    SPARQL CSV results format); booleans as ``true``/``false``, None as an empty cell.

    >>> csv_bytes(["a", "b"], [{"a": 'say "hi", then', "b": True}])
    b'a,b\\r\\n"say ""hi"", then",true\\r\\n'
    """

    def cell(v: CsvValue) -> str | int | float:
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return v

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([cell(record[c]) for c in columns])
    return buf.getvalue().encode("utf-8")
