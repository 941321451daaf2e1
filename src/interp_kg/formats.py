"""The one table of output formats: names, file suffixes and media types, and which commands
write which. It drives every ``--format`` choice, the format an ``-o FILE`` suffix implies (an
unknown suffix is an error naming the known ones), and the site's content negotiation.

Each command's writers live with the command's library (``interp_kg.rdf.export.WRITERS``,
``interp_kg.citations.write.WRITERS``, ``interp_kg.sparql.results.WRITERS``,
``interp_kg.reports.common.renderers``, ``interp_kg.diff.changes.WRITERS``);
``tests/test_formats.py`` checks that every writer table has exactly the formats this table gives
its command. Adding a format means one line here and one
writer there. Pure data: no imports beyond the standard library (this is on the CLI's start-up path).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from interp_kg.errors import InterpKgError

#: The commands that write in a choice of formats.
Command = Literal["export", "query", "report", "diff", "lint", "queries"]


@dataclass(frozen=True)
class OutputFormat:
    """An output format."""

    name: str
    """The ``--format`` value."""
    suffixes: tuple[str, ...]
    """File suffixes that imply it (lower case, with the dot); the first is the one to write."""
    media_type: str
    """Its media type (the ``Content-Type`` a server sends, the ``Accept`` a client asks for)."""
    label: str
    """What it is, for help texts."""


FORMATS: Final[dict[str, OutputFormat]] = {
    f.name: f
    for f in (
        OutputFormat("turtle", (".ttl",), "text/turtle", "Turtle"),
        OutputFormat("ntriples", (".nt",), "application/n-triples", "N-Triples"),
        OutputFormat("nquads", (".nq",), "application/n-quads", "N-Quads"),
        OutputFormat("jsonld", (".jsonld",), "application/ld+json", "compact JSON-LD"),
        OutputFormat("rdfxml", (".rdf", ".owl"), "application/rdf+xml", "RDF/XML"),
        OutputFormat("table", (".txt",), "text/plain", "a table for terminals"),
        OutputFormat("text", (".txt",), "text/plain", "plain text for terminals"),
        OutputFormat("csv", (".csv",), "text/csv", "CSV (RFC 4180)"),
        OutputFormat("tsv", (".tsv",), "text/tab-separated-values", "TSV"),
        OutputFormat("json", (".json",), "application/json", "JSON"),
        OutputFormat("md", (".md", ".markdown"), "text/markdown", "Markdown"),
        OutputFormat("html", (".html", ".htm"), "text/html", "a self-contained HTML page"),
        OutputFormat("bibtex", (".bib",), "application/x-bibtex", "BibTeX"),
        OutputFormat(
            "csl-json", (".csl.json", ".json"), "application/vnd.citationstyles.csl+json", "CSL-JSON"
        ),
        OutputFormat("ris", (".ris",), "application/x-research-info-systems", "RIS"),
        OutputFormat("atom", (".atom",), "application/atom+xml", "an Atom feed of the works added"),
    )
}

#: The formats of each command, in the order help texts list them; the first is the default
#: where a command has no other rule (``query`` prints a table on a terminal, CSV in a pipe).
#: The RDF formats of ``export`` (writers: ``interp_kg.rdf.export.WRITERS``).
RDF_EXPORT_FORMATS: Final = ("turtle", "ntriples", "nquads", "jsonld", "rdfxml")
#: The citation formats of ``export`` (writers: ``interp_kg.citations.write.WRITERS``), which the
#: site also publishes for each work and each topic, venue and author.
CITATION_FORMATS: Final = ("bibtex", "csl-json", "ris")

COMMAND_FORMATS: Final[dict[Command, tuple[str, ...]]] = {
    "export": RDF_EXPORT_FORMATS + CITATION_FORMATS,
    "query": ("table", "csv", "tsv", "json", "md"),
    "report": ("table", "md", "csv", "json", "html"),
    "diff": ("text", "md", "json", "turtle", "ntriples", "atom"),
    "lint": ("text", "json"),
    "queries": ("table", "json"),
}

#: The RDF formats the static site publishes each resource in, in the order content negotiation
#: tests the ``Accept`` header (HTML, the page, is the fallback).
SITE_RDF_FORMATS: Final = ("jsonld", "turtle", "ntriples")
#: The citation formats the site publishes beside a work's page (negotiated after the RDF ones).
SITE_CITATION_FORMATS: Final = CITATION_FORMATS


class FormatError(InterpKgError):
    """An output file whose suffix names no format of the command (bad usage: exit 2)."""

    exit_code = 2


def choices(command: Command) -> list[str]:
    """The ``--format`` choices of ``command``.

    >>> choices("lint")
    ['text', 'json']
    """
    return list(COMMAND_FORMATS[command])


def suffix(name: str) -> str:
    """The file suffix to write format ``name`` with.

    >>> suffix("jsonld")
    '.jsonld'
    """
    return FORMATS[name].suffixes[0]


def from_output(command: Command, output: Path | None, default: str) -> str:
    """The format an output file's suffix implies for ``command``; ``default`` for stdout or a file
    without a suffix; :class:`FormatError` naming the known suffixes for any other suffix.

    >>> from_output("export", Path("kg.jsonld"), "turtle")
    'jsonld'
    >>> from_output("report", None, "table")
    'table'
    >>> from_output("lint", Path("x.pdf"), "text")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    interp_kg.formats.FormatError: cannot tell the format of x.pdf from its suffix: ... .json (json)
    """
    if output is None or not output.suffix:
        return default
    wanted = output.name.lower()
    known = [(s, name) for name in COMMAND_FORMATS[command] for s in FORMATS[name].suffixes]
    for s, name in sorted(known, key=lambda k: -len(k[0])):  # ".csl.json" before ".json"
        if wanted.endswith(s):
            return name
    listed = ", ".join(f"{s} ({name})" for s, name in known)
    raise FormatError(
        f"cannot tell the format of {output.name} from its suffix: give --format, or one of {listed}"
    )
