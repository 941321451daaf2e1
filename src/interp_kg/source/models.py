"""Pydantic models of the pipeline: what the parser reads off a list (:class:`ParsedList`) and
what the catalog makes of it (:class:`Catalog`: works, topics, venues, authors)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, InstanceOf

from interp_kg.identifiers.schemes import Identifier

#: Every rule a diagnostic can name; each is documented in the README's diagnostics reference.
DiagnosticCode = Literal[
    "encoding",
    "toc-line",
    "link-only",
    "image-line",
    "no-title",
    "orphan-note",
    "paragraph-link",
    "table-no-title-column",
    "table-row-no-title",
    "table-extra-cells",
    "html-link",
    "news-line",
    "star-history-line",
    "contributor-line",
    "licence-line",
    "citation-line",
    "malformed-link",
    "unparsed-link",
    "bad-target",
    "label-url-mismatch",
    "unknown-venue",
    "no-link",
    "conflicting-titles",
    "contradicting-url",
    "date-after-year",
    "date-arxiv-mismatch",
    "likely-duplicate-author",
    "title-differs",
    "identifier-disagrees",
    "secondary-source",
]
Severity = Literal["error", "warning", "info"]
WorkKind = Literal["paper", "tool", "tutorial", "video"]
SectionKind = Literal["tool", "tutorial", "video", "source"]


#: An :class:`Identifier` in a model: an instance passes as it is (the parser makes hundreds of
#: thousands: checking beats rebuilding), a plain ``(scheme, value)`` pair (a dump) becomes one.
IdentifierValue = InstanceOf[Identifier] | Identifier


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Diagnostic(_Model):
    """A problem found in a source list, located by file and line."""

    file: str = Field(description="Name of the source file, as given to the parser.")
    line: int = Field(ge=1, description="1-based line number in the source file.")
    code: DiagnosticCode = Field(description="Machine-readable kind of problem.")
    message: str = Field(min_length=1, description="What is wrong, in one line.")
    severity: Severity = Field(default="warning", description="How serious the problem is.")

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message} [{self.code}]"


class Link(_Model):
    """A link of an entry: its label (a hint) and its URL (the authority for identifiers)."""

    label: str = Field(description="The link text without brackets, e.g. 'arxiv 2303'.")
    url: str = Field(pattern=r"^https?://", description="The absolute URL, repaired where it was malformed.")
    identifiers: tuple[IdentifierValue, ...] = Field(default=(), description="Identifiers the URL carries.")
    repaired: tuple[str, ...] = Field(default=(), description="What was repaired in the link, if anything.")


class Heading(_Model):
    """A section heading of the list; each one becomes a Topic."""

    index: int = Field(ge=0, description="Position among the headings of the list.")
    line: int = Field(ge=1, description="1-based source line.")
    level: int = Field(ge=1, le=6, description="Heading level, 1 for '#' to 6 for '######'.")
    title: str = Field(min_length=1, description="Heading text, cleaned of emoji and markup.")
    parent: int | None = Field(default=None, description="Index of the enclosing heading, if any.")
    section: SectionKind | None = Field(default=None, description="What entries under it are, if special.")


class Entry(_Model):
    """A bullet of the list with its own title: a work, or under 'By Source' a venue or author."""

    line: int = Field(ge=1, description="1-based source line of the bullet.")
    title: str = Field(min_length=1, description="The entry's title, cleaned of emoji and markup.")
    alias: str | None = Field(default=None, description="A short name given after the title, e.g. 'ROME'.")
    featured: bool = Field(default=False, description="Whether the entry is starred.")
    links: tuple[Link, ...] = Field(default=(), description="The entry's links, in source order.")
    notes: tuple[str, ...] = Field(default=(), description="Texts of nested bullets without a title.")
    heading: int | None = Field(default=None, description="Index of the heading the entry is listed under.")
    parent: int | None = Field(default=None, description="Line of the entry this one is nested under.")
    text: str = Field(
        description="The source line, repaired, without the bullet marker (a table row's or an HTML "
        "unit's cells as Markdown, a paragraph's lines joined)."
    )
    venue: str | None = Field(
        default=None,
        description="A venue the list names outside link labels: a table's venue column, or a text "
        "such as '*ICLR 2024*' on a line of its own. A hint, as link labels are.",
    )
    year: int | None = Field(
        default=None, ge=1900, le=2999, description="The year of a table's year or date column."
    )


class ParsedList(_Model):
    """Everything read off one source list."""

    source: str = Field(description="Name of the source file.")
    title: str | None = Field(default=None, description="The list's own title (its first '#' heading).")
    headings: tuple[Heading, ...] = Field(default=(), description="Section headings, in source order.")
    entries: tuple[Entry, ...] = Field(default=(), description="Entries, in source order.")
    diagnostics: tuple[Diagnostic, ...] = Field(default=(), description="Problems found, in source order.")
    bullets: int = Field(default=0, ge=0, description="Number of bullets read.")
    notes: int = Field(default=0, ge=0, description="Number of units that became notes of an entry.")
    units: int = Field(
        default=0,
        ge=0,
        description="Units read that may hold a work: bullets, table rows, and paragraphs and HTML "
        "units with a link.",
    )
    skipped: dict[DiagnosticCode, int] = Field(
        default_factory=dict,
        description="Units that became neither an entry nor a note, by the rule of their diagnostic.",
    )

    def summary(self, entries: int | None = None) -> ListSummary:
        """How many units became entries, notes, or diagnostics (``entries``: when they were dropped)."""
        return ListSummary(
            source=self.source,
            units=self.units,
            entries=len(self.entries) if entries is None else entries,
            notes=self.notes,
            skipped=self.skipped,
        )


class ListSummary(_Model):
    """What became of one list's units: the line ``lint`` and ``build`` print per list."""

    source: str = Field(description="Name of the source file.")
    units: int = Field(ge=0, description="Units read (see ParsedList.units).")
    entries: int = Field(ge=0, description="Units that became entries (works, or venues and people).")
    notes: int = Field(ge=0, description="Units that became notes of an entry.")
    skipped: dict[DiagnosticCode, int] = Field(
        default_factory=dict, description="Units that became a diagnostic, by rule."
    )

    def __str__(self) -> str:
        left = sum(self.skipped.values())
        why = ", ".join(f"{n} {code}" for code, n in sorted(self.skipped.items()))
        return (
            f"{self.source}: {_count(self.units, 'unit')} -> {_count(self.entries, 'entry', 'entries')}, "
            f"{_count(self.notes, 'note')}, {left} not read as works" + (f" ({why})" if why else "")
        )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"
