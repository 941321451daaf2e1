"""Curated bibliographic facts: who wrote a work, in which order, when it first appeared, and its
identifiers, each fact with the primary record it was read from and the day it was read.

``data/bibliography/*.jsonl`` holds one :class:`Record` per line, keyed by the work's strongest
identifier (``arxiv:2302.12461``, ``doi:10.1145/3639372``, ``openreview:0ZUKLCxwBo``,
``acl:2023.acl-long.893``, ..., or ``url:https://...`` for a work with none). Every fact (title,
authors, date, published, arxiv_id, doi, openreview_id, acl_id, pmlr_id) has an entry in
``sources``: the URL of the page it was read on and the day it was read (:class:`Source`).
A record is matched to a work by its key and by each identifier it holds.

There is one writer (:func:`dump_record`, :func:`write_file`); ``tests/test_bibliography.py``
checks that writing the shipped files again changes nothing. Re-format after an edit or a merge:

    python -m interp_kg.curation.bibliography --rewrite data/bibliography
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from interp_kg.atomic import Snapshot, read, write_text
from interp_kg.errors import InterpKgError
from interp_kg.identifiers.schemes import WORK_SCHEMES, Identifier

#: Key schemes, strongest first (the order a work's record key is chosen in): the works', then a
#: tool's repository, then the work's first link.
KEY_SCHEMES = (*WORK_SCHEMES, "github", "url")
KEY_PATTERN = r"^(" + "|".join(KEY_SCHEMES) + r"):\S+$"
DATE_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
ARXIV_PATTERN = r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})$"
#: Precision of a date: its XSD datatype.
DatePrecision = Literal["date", "gYearMonth", "gYear"]
#: The facts a record can hold, each with its :class:`Source`.
Fact = Literal[
    "title", "authors", "date", "published", "arxiv_id", "doi", "openreview_id", "acl_id", "pmlr_id"
]
FACTS: tuple[Fact, ...] = (
    "title",
    "authors",
    "date",
    "published",
    "arxiv_id",
    "doi",
    "openreview_id",
    "acl_id",
    "pmlr_id",
)
#: Identifier fields of a record -> the identifier scheme of :mod:`interp_kg.identifiers.schemes`.
IDENTIFIER_FIELDS: dict[str, str] = {
    "arxiv_id": "arxiv",
    "doi": "doi",
    "openreview_id": "openreview",
    "acl_id": "acl",
    "pmlr_id": "pmlr",
}

SourceUrl = Annotated[
    str,
    Field(
        pattern=r"^https?://[^\s<>\"{}|\\^`]+$",
        description='The public page the fact was read from (an IRI: no spaces, <>"{}|\\^`).',
    ),
]
PersonName = Annotated[str, Field(min_length=1, pattern=r"^\S(.*\S)?$", description="A name as written.")]


class BibliographyError(InterpKgError):
    """A curated bibliography file is malformed (the message names file:line)."""

    exit_code = 2


class Source(BaseModel):
    """Where and when one fact was read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: SourceUrl
    retrieved: dt.date = Field(description="The day the fact was read on that page.")
    secondary: str | None = Field(
        default=None,
        min_length=1,
        description="Why the fact was read on a page that is not its primary record (a mirror, an "
        "aggregator); required for such a page (data/bibliography/primary-hosts.toml), absent otherwise.",
    )


class Record(BaseModel):
    """The bibliographic facts of one work, each with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=KEY_PATTERN,
        description="The work's strongest identifier as scheme:value, e.g. 'arxiv:2302.12461'.",
    )
    title: str = Field(min_length=1, description="The title exactly as the source writes it.")
    authors: tuple[PersonName, ...] | None = Field(
        default=None, min_length=1, description="The authors' names in the order of the byline."
    )
    authors_complete: bool = Field(
        default=True, description="False when the source showed only the first authors."
    )
    no_authors: str | None = Field(
        default=None,
        min_length=1,
        description="Why the work has no byline to record (an anonymous post, a tool with no personal "
        "byline); excludes 'authors'.",
    )
    date: str | None = Field(
        default=None,
        pattern=DATE_PATTERN,
        description="The first public version's date (arXiv v1, the post's day): YYYY[-MM[-DD]].",
    )
    published: str | None = Field(
        default=None,
        pattern=DATE_PATTERN,
        description="The venue version's publication date, as the venue's page gives it.",
    )
    arxiv_id: str | None = Field(default=None, pattern=ARXIV_PATTERN, description="The arXiv id, no version.")
    doi: str | None = Field(
        default=None,
        pattern=r"^10\.\d{4,9}/\S+$",
        description="The DOI of the version of record, as the publisher or the Anthology records it.",
    )
    openreview_id: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{6,}$", description="OpenReview forum id."
    )
    acl_id: str | None = Field(default=None, pattern=r"^\S+$", description="ACL Anthology paper id.")
    pmlr_id: str | None = Field(default=None, pattern=r"^v\d+/\S+$", description="PMLR volume/paper id.")
    sources: dict[Fact, Source] = Field(description="Each fact's source: the page it was read on, and when.")
    note: str | None = Field(default=None, min_length=1, description="A curator's remark.")

    @field_validator("date", "published")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        if value is not None and len(value) == 10:
            dt.date.fromisoformat(value)  # 2023-02-30 is refused
        return value

    @field_validator("doi")
    @classmethod
    def _doi_lower(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None  # DOIs are case-insensitive

    @model_validator(mode="after")
    def _consistent(self) -> Record:
        for fact in FACTS:
            present = getattr(self, fact) is not None
            if present and fact not in self.sources:
                raise ValueError(f"'{fact}' has no entry in 'sources': a fact needs its source")
            if not present and fact in self.sources:
                raise ValueError(f"sources.{fact} is given without the fact")
        if self.authors is not None and self.no_authors is not None:
            raise ValueError("'authors' and 'no_authors' exclude each other")
        if self.authors is None and not self.authors_complete:
            raise ValueError("'authors_complete' needs 'authors'")
        return self

    @property
    def key(self) -> str:
        """The record's key: its id."""
        return self.id

    @property
    def identifiers(self) -> list[Identifier]:
        """The identifiers the record holds: its key's and each identifier field's."""
        scheme, value = self.id.split(":", 1)
        found = [Identifier(scheme, value)] if scheme != "url" else []  # type: ignore[arg-type]
        for name, sch in IDENTIFIER_FIELDS.items():
            if (v := getattr(self, name)) is not None and (sch, v) != (scheme, value):
                found.append(Identifier(sch, v))  # type: ignore[arg-type]
        return found

    def source(self, fact: Fact) -> Source | None:
        return self.sources.get(fact)

    @property
    def authors_source(self) -> str | None:
        """URL of the page the byline was read on."""
        s = self.sources.get("authors")
        return s.url if s is not None else None

    @property
    def date_source(self) -> str | None:
        """URL of the page the date was read on."""
        s = self.sources.get("date")
        return s.url if s is not None else None

    @property
    def precision(self) -> DatePrecision | None:
        """The XSD datatype matching the date's precision."""
        if self.date is None:
            return None
        return {10: "date", 7: "gYearMonth"}.get(len(self.date), "gYear")  # type: ignore[return-value]

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None


@dataclass(frozen=True)
class Located:
    """A record and where it was read."""

    record: Record
    file: Path
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


class WorkKeys(Protocol):
    """What a record is matched by: a work's identifiers, its links and its IRI path."""

    @property
    def slug(self) -> str: ...
    @property
    def identifiers(self) -> Sequence[Identifier]: ...
    @property
    def urls(self) -> Sequence[str]: ...


@dataclass
class Bibliography:
    """Every record of a folder, indexed by key and for matching works."""

    records: list[Located] = field(default_factory=list)
    by_key: dict[str, Located] = field(default_factory=dict)
    #: (scheme, value) tuples (equal to :class:`~interp_kg.identifiers.schemes.Identifier`) and URLs
    #: -> record: a work is matched without building a string (the build's hot path)
    index: dict[object, Located] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.records)

    def add(self, located: Located) -> None:
        """Add a record; :class:`BibliographyError` when its key is taken."""
        key = located.record.key
        if (old := self.by_key.get(key)) is not None:
            raise BibliographyError(f"{located.where}: {key} is already given at {old.where}")
        self.records.append(located)
        self.by_key[key] = located
        scheme, value = key.split(":", 1)
        if scheme == "url":
            self.index[value] = located
        for ident in located.record.identifiers:
            if (old := self.index.get(ident)) is not None and old is not located:
                raise BibliographyError(
                    f"{located.where}: {ident.scheme}:{ident.value} is already given at {old.where}"
                )
            self.index[ident] = located

    def for_work(self, work: WorkKeys) -> Located | None:
        """The record of ``work``: by its identifiers, strongest first, then its URLs."""
        index = self.index
        if not index:
            return None
        for ident in work.identifiers:
            if (hit := index.get(ident)) is not None:
                return hit
        for url in work.urls:
            if (hit := index.get(url)) is not None:
                return hit
        return None


def _error_line(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        parts.append(f"{loc}: {err['msg']}" if loc else err["msg"])
    return "; ".join(parts)


def read_file(path: Path) -> Iterator[Located]:
    """The records of one ``.jsonl`` file; :class:`BibliographyError` naming file:line on bad input."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BibliographyError(f"{path}: cannot read: {exc}") from None
    return parse_records(path, text)


def parse_records(path: Path, text: str) -> Iterator[Located]:
    """The records of ``text``, read from ``path``; :class:`BibliographyError` naming file:line."""
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BibliographyError(f"{path}:{n}: not JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(data, dict):
            raise BibliographyError(f"{path}:{n}: a record must be a JSON object")
        try:
            record = Record.model_validate(data)
        except ValidationError as exc:
            raise BibliographyError(f"{path}:{n}: {_error_line(exc)}") from None
        yield Located(record, path, n)


def record_files(folder: Path) -> list[Path]:
    """The curated record files of a folder (``part-*.jsonl``), sorted by name."""
    return sorted(folder.glob("part-*.jsonl"))


def load(folder: Path) -> Bibliography:
    """Every record under ``folder``; a key given twice is an error naming both places."""
    bib = Bibliography()
    if not folder.is_dir():
        return bib
    for path in record_files(folder):
        for located in read_file(path):
            bib.add(located)
    return bib


def default_folder() -> Path:
    from interp_kg.resources import data_path

    return data_path("bibliography")


# -- the canonical writer ---------------------------------------------------------------------

_FIELD_ORDER = tuple(Record.model_fields)


def dump_record(record: Record) -> str:
    """One record as its canonical JSON line (fields in model order; defaults and Nones left out)."""
    data = record.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["sources"] = {f: data["sources"][f] for f in FACTS if f in data["sources"]}
    ordered = {k: data[k] for k in _FIELD_ORDER if k in data}
    return json.dumps(ordered, ensure_ascii=False) + "\n"


def sort_key(record: Record) -> tuple[int, str]:
    scheme = record.key.split(":", 1)[0]
    rank = KEY_SCHEMES.index(scheme) if scheme in KEY_SCHEMES else len(KEY_SCHEMES)
    return rank, record.key


def dump_file(records: Iterable[Record]) -> str:
    """The canonical text of a file of ``records``: sorted by key scheme and key, one per line."""
    return "".join(dump_record(r) for r in sorted(records, key=sort_key))


def write_file(path: Path, records: Iterable[Record], *, expect: Snapshot | None = None) -> None:
    """Write ``records`` to ``path`` canonically (:func:`dump_file`), atomically: a reader or a
    killed run sees the old file or the new one (:mod:`interp_kg.atomic`). ``expect``: the file
    must still hold what was read (else :class:`~interp_kg.atomic.FileChanged`)."""
    write_text(path, dump_file(records), expect=expect, hint="read it again and retry")


def rewrite(folder: Path) -> list[Path]:
    """Load every file of ``folder`` (validating everything, duplicates included, before writing
    anything) and write each canonically. Returns the files whose bytes changed. A file edited
    while this runs is not overwritten (:class:`~interp_kg.atomic.FileChanged`)."""
    seen = {path: read(path) for path in record_files(folder)}
    bib = load(folder)
    changed = []
    for path, (before, snapshot) in seen.items():
        text = dump_file(loc.record for loc in bib.records if loc.file == path)
        if text.encode("utf-8") != before:
            write_text(path, text, expect=snapshot, hint="the rewrite stopped here: run it again")
            changed.append(path)
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m interp_kg.curation.bibliography --rewrite DIR``."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m interp_kg.curation.bibliography", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--rewrite", type=Path, required=True, metavar="DIR", help="the folder to rewrite")
    args = parser.parse_args(argv)
    try:
        changed = rewrite(args.rewrite)
    except InterpKgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    for path in changed:
        print(f"rewrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
