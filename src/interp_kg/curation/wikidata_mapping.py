"""The curated mapping to Wikidata: ``data/wikidata/mapping.json``.

Reviewable JSON with one canonical writer (:func:`dump_mapping`: records sorted, keys sorted,
UTF-8, two-space indent), so that a reconcile run or a person's edit shows as a small diff and a
test can require the file on disk to equal its canonical form.

- ``works``: a work (by its IRI path, ``paper/arxiv-2302.12461``) and its item, with provenance: the
  identifier that matched, its value, the day it was retrieved, and the statements the item had
  then (so that QuickStatements proposes only what is missing).
- ``venues``, ``topics``, ``authors``: proposals found by label are ``candidate``; a person sets
  ``status`` to ``confirmed`` after checking the item. Only confirmed links reach the graph.
- ``conflicts``: two items for one work, or one item for two works. Never resolved by the tool:
  the works involved get no link until a person decides (by editing Wikidata or this file).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interp_kg.errors import InterpKgError
from interp_kg.identifiers.wikidata import QID_PATTERN
from interp_kg.resources import data_path

MAPPING_FILE = "wikidata/mapping.json"

#: How a work was matched: the identifier kind whose value the item holds.
MatchKind = Literal["arxiv", "arxiv-doi", "doi", "openreview", "github"]
#: A proposal found by label, or a link a person checked.
LinkStatus = Literal["candidate", "confirmed"]
#: skos:exactMatch or skos:closeMatch (topics); venues and authors are always ``exact`` (schema:sameAs).
MatchRelation = Literal["exact", "close"]
ConflictKind = Literal["several-items", "several-works"]

_QID = Field(pattern=QID_PATTERN, description="The Wikidata item, e.g. 'Q1961016'.")
_PID = r"P[1-9][0-9]*"


class MappingError(InterpKgError):
    """The mapping file is unreadable or does not fit the models."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WorkLink(_Model):
    """A work and the Wikidata item that holds one of its identifiers."""

    work: str = Field(pattern=r"^(paper|tool|tutorial|video)/\S+$", description="IRI path of the work.")
    qid: str = _QID
    matched_by: MatchKind = Field(description="The identifier kind that matched.")
    value: str = Field(min_length=1, description="The identifier value as Wikidata holds it.")
    retrieved: dt.date = Field(description="The day the match was looked up.")
    statements: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Property -> values the item had when retrieved (QIDs, strings, IRIs), for the "
        "properties QuickStatements would add.",
    )

    @model_validator(mode="after")
    def _sorted_statements(self) -> WorkLink:
        for pid, values in self.statements.items():
            if not re.fullmatch(_PID, pid):
                raise ValueError(f"statements: {pid!r} is not a property id (P...)")
            if list(values) != sorted(set(values)):
                raise ValueError(f"statements.{pid}: values must be sorted and unique")
        return self


class ConceptLink(_Model):
    """A venue, topic or author and a Wikidata item for it: a candidate or a confirmed link."""

    node: str = Field(
        pattern=r"^(venue|topic|topics|author)/[a-z0-9/-]+$",
        description="IRI path: venue/..., topic/... (topics/<list>/... of another list), author/...",
    )
    qid: str = _QID
    status: LinkStatus = Field(description="'candidate' until a person confirms it.")
    relation: MatchRelation = Field(
        default="exact", description="For topics: skos:exactMatch (exact) or skos:closeMatch (close)."
    )
    label: str | None = Field(default=None, description="The item's English label when it was found.")
    classes: tuple[str, ...] = Field(default=(), description="The item's P31 classes when it was found.")
    source: str = Field(
        min_length=1, description="Where the link comes from: 'label look-up', or the checked source."
    )
    retrieved: dt.date | None = Field(default=None, description="The day it was looked up or checked.")


class Conflict(_Model):
    """Matches that cannot all be right; reported, never resolved by the tool."""

    kind: ConflictKind = Field(
        description="several-items: one work, several items; several-works: the reverse."
    )
    works: tuple[str, ...] = Field(min_length=1, description="IRI paths of the works involved, sorted.")
    qids: tuple[str, ...] = Field(min_length=1, description="The items involved, sorted.")
    evidence: tuple[str, ...] = Field(description="Each match, as 'work kind value -> QID', sorted.")
    retrieved: dt.date = Field(description="The day the conflict was found.")


class Mapping(_Model):
    """The whole mapping file."""

    works: tuple[WorkLink, ...] = Field(default=(), description="One link per work, sorted by work.")
    venues: tuple[ConceptLink, ...] = Field(default=(), description="Venue links, sorted.")
    topics: tuple[ConceptLink, ...] = Field(default=(), description="Topic links, sorted.")
    authors: tuple[ConceptLink, ...] = Field(default=(), description="Author links, sorted.")
    conflicts: tuple[Conflict, ...] = Field(default=(), description="Open conflicts, sorted.")

    @model_validator(mode="after")
    def _well_formed(self) -> Mapping:
        seen = [w.work for w in self.works]
        if len(seen) != len(set(seen)):
            raise ValueError("works: a work is linked twice (a conflict belongs under 'conflicts')")
        for field, prefix in (("venues", "venue/"), ("topics", "topic/"), ("authors", "author/")):
            links: tuple[ConceptLink, ...] = getattr(self, field)
            for link in links:
                # a topic of another list than the bundled one is topics/<list>/...
                other_list = field == "topics" and link.node.startswith("topics/")
                if not link.node.startswith(prefix) and not other_list:
                    raise ValueError(f"{field}: {link.node!r} is not a {prefix}... node")
            pairs = [(c.node, c.qid) for c in links]
            if len(pairs) != len(set(pairs)):
                raise ValueError(f"{field}: a (node, qid) pair appears twice")
        return self

    def confirmed(self, field: Literal["venues", "topics", "authors"]) -> dict[str, ConceptLink]:
        """Node -> its confirmed link (the first by QID when a node has several)."""
        out: dict[str, ConceptLink] = {}
        for link in getattr(self, field):
            if link.status == "confirmed":
                out.setdefault(link.node, link)
        return out

    def work_links(self) -> dict[str, WorkLink]:
        """Work IRI path -> its link."""
        return {w.work: w for w in self.works}


def canonical(mapping: Mapping) -> Mapping:
    """``mapping`` with every record list in the canonical order."""
    return Mapping(
        works=tuple(sorted(mapping.works, key=lambda w: w.work)),
        venues=_sorted_links(mapping.venues),
        topics=_sorted_links(mapping.topics),
        authors=_sorted_links(mapping.authors),
        conflicts=tuple(sorted(set(mapping.conflicts), key=lambda c: (c.kind, c.works, c.qids))),
    )


def _sorted_links(links: Iterable[ConceptLink]) -> tuple[ConceptLink, ...]:
    return tuple(sorted(links, key=lambda c: (c.node, c.qid)))


def dump_mapping(mapping: Mapping) -> str:
    """The canonical text of a mapping file (the one writer)."""
    data = canonical(mapping).model_dump(mode="json", exclude_defaults=True)
    for key in ("works", "venues", "topics", "authors", "conflicts"):
        data.setdefault(key, [])
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def default_mapping_path() -> Path:
    """The bundled mapping file, ``data/wikidata/mapping.json``."""
    return data_path(MAPPING_FILE)


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and validate a mapping file (default: the bundled one); an absent file is an empty mapping.
    :class:`MappingError` names the file and the first problem."""
    path = path or default_mapping_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Mapping()
    except OSError as exc:
        raise MappingError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        return Mapping.model_validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        raise MappingError(f"{path}: {where}: {err['msg']} ({exc.error_count()} problem(s))") from None


def write_mapping(mapping: Mapping, path: Path | None = None) -> None:
    """Write ``mapping`` canonically to ``path`` (default: the bundled file), through a temporary file."""
    import os

    path = path or default_mapping_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dump_mapping(mapping), encoding="utf-8", newline="\n")
    os.replace(tmp, path)
