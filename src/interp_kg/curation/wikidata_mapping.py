"""The curated mapping to Wikidata: ``data/wikidata/mapping.json``.

Reviewable JSON with one canonical writer (:func:`dump_mapping`: records sorted, keys sorted,
UTF-8, two-space indent), so that a reconcile run or a person's edit shows as a small diff and a
test can require the file on disk to equal its canonical form. :func:`write_mapping` writes it
atomically (a temporary file renamed over it) and, given what was read (:func:`read_mapping`),
never loses a person's edit made while a run was going: a record changed on disk since it was
read is kept as the person left it (a three-way merge, record by record).

- ``works``: what the latest search found for each work, one record per Wikidata item the work
  should have (:class:`WorkRecord`; ``version``: ``work`` for a work that is one item,
  ``preprint`` and ``published`` for a paper with an arXiv preprint and a venue version, which
  Wikidata keeps apart). Each record has a ``status``:

  - ``confirmed``: the item, and how it was matched (an identifier the item holds, a title
    candidate a person picked, or a link a person made), with the statements it had;
  - ``candidate``: items with the same title and year, for a person to confirm (set ``status`` to
    ``confirmed``, ``qid`` to the item, ``matched_by`` to ``title``) or rule out (move their QIDs
    to ``rejected``: they are never proposed again);
  - ``conflict``: two items for one work, or one item for two works; never resolved by the tool;
  - ``not-found``: nothing, on the day ``searched`` at ``endpoint``, for everything in
    ``looked_up``. Only such a record lets ``wikidata quickstatements`` create an item.
- ``venues``, ``topics``, ``authors``: proposals found by label are ``candidate``; a person sets
  ``status`` to ``confirmed`` after checking the item. Only confirmed links reach the graph.
- ``published_in``: the item a venue version is published in (P1433): a proceedings volume of one
  year, or a journal (any year). Never the conference series. Added by a person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from interp_kg.errors import InterpKgError
from interp_kg.identifiers.wikidata import QID_PATTERN
from interp_kg.resources import data_path

if TYPE_CHECKING:
    from interp_kg.atomic import Snapshot

MAPPING_FILE = "wikidata/mapping.json"

#: An identifier kind a work is looked up by: the property of :mod:`interp_kg.identifiers.wikidata`
#: whose value the item holds (arXiv P818, arXiv's DOI and other DOIs P356, OpenReview P8968,
#: a tool's repository P1324, a website P856).
MatchKind = Literal["arxiv", "arxiv-doi", "doi", "openreview", "github", "website"]
MATCH_KINDS: tuple[MatchKind, ...] = ("arxiv", "arxiv-doi", "doi", "openreview", "github", "website")
#: How a confirmed item was matched: one of :data:`MatchKind`, a title candidate a person
#: confirmed (``title``), or a link a person made (``person``).
HowMatched = Literal["arxiv", "arxiv-doi", "doi", "openreview", "github", "website", "title", "person"]
#: What the latest search says about a work's item.
WorkStatus = Literal["confirmed", "candidate", "conflict", "not-found"]
#: Which item of a work: the work itself, or the preprint or the venue version of a paper that has both.
Version = Literal["work", "preprint", "published"]
#: A proposal found by label, or a link a person checked.
LinkStatus = Literal["candidate", "confirmed"]
#: skos:exactMatch or skos:closeMatch (topics); venues and authors are always ``exact`` (schema:sameAs).
MatchRelation = Literal["exact", "close"]
ConflictKind = Literal["several-items", "several-works"]

_QID = Field(pattern=QID_PATTERN, description="The Wikidata item, e.g. 'Q1961016'.")
_PID = r"P[1-9][0-9]*"
_QID_RE = re.compile(QID_PATTERN)


class MappingError(InterpKgError):
    """The mapping file is unreadable or does not fit the models."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Candidate(_Model):
    """An item whose title equals the work's (normalised) and whose year agrees, or which has none."""

    qid: str = _QID
    title: str = Field(min_length=1, description="The item's label or title (P1476) that matched.")
    year: int | None = Field(default=None, description="The year of the item's P577, if it has one.")


class WorkRecord(_Model):
    """What the latest search found for one item of a work."""

    work: str = Field(pattern=r"^(paper|tool|tutorial|video)/\S+$", description="IRI path of the work.")
    version: Version = Field(
        default="work",
        description="'work' (one item), or 'preprint' / 'published' for a paper with both versions.",
    )
    status: WorkStatus = Field(description="confirmed, candidate, conflict or not-found.")
    qid: str | None = Field(default=None, pattern=QID_PATTERN, description="confirmed: the item.")
    matched_by: HowMatched | None = Field(default=None, description="confirmed: how it was matched.")
    value: str | None = Field(
        default=None, min_length=1, description="confirmed by an identifier: its value as Wikidata holds it."
    )
    candidates: tuple[Candidate, ...] = Field(
        default=(), description="Items with the same title and year, lowest QID first."
    )
    rejected: tuple[str, ...] = Field(
        default=(), description="Candidates a person ruled out (QIDs, sorted): never proposed again."
    )
    conflict: ConflictKind | None = Field(default=None, description="conflict: which kind.")
    qids: tuple[str, ...] = Field(default=(), description="conflict: the items involved, sorted.")
    evidence: tuple[str, ...] = Field(default=(), description="conflict: each match, sorted.")
    searched: dt.date | None = Field(
        default=None, description="The day the endpoint answered the latest search (absent: never searched)."
    )
    endpoint: str | None = Field(default=None, min_length=1, description="The endpoint searched.")
    looked_up: tuple[str, ...] = Field(
        default=(),
        description="What the latest search asked for, sorted: 'arxiv 2301.00001', 'doi 10.…', 'title …'.",
    )
    statements: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="confirmed: property -> values the item had when searched (QIDs, strings, IRIs), "
        "for the properties QuickStatements would add.",
    )
    note: str | None = Field(default=None, min_length=1, description="A curator's remark.")

    @property
    def key(self) -> tuple[str, str]:
        """(work, version): one record per key."""
        return (self.work, self.version)

    @model_validator(mode="after")
    def _consistent(self) -> WorkRecord:
        confirmed = self.status == "confirmed"
        if confirmed != (self.qid is not None) or confirmed != (self.matched_by is not None):
            raise ValueError("'qid' and 'matched_by' are given exactly when the status is 'confirmed'")
        if self.matched_by not in (None, "title", "person") and self.value is None:
            raise ValueError(f"matched by {self.matched_by}: 'value' (the identifier) is needed")
        if self.matched_by == "title" and self.qid not in {c.qid for c in self.candidates}:
            raise ValueError("matched by title: 'qid' must be one of the 'candidates'")
        if self.status == "candidate" and not self.candidates:
            raise ValueError("a candidate record needs 'candidates'")
        if (self.status == "conflict") != (self.conflict is not None) or (
            self.status == "conflict" and not (self.qids and self.evidence)
        ):
            raise ValueError(
                "a conflict record needs 'conflict', 'qids' and 'evidence' (and only it has them)"
            )
        if self.status != "conflict" and (self.qids or self.evidence):
            raise ValueError("'qids' and 'evidence' belong to a conflict record")
        if (self.searched is None) != (self.endpoint is None):
            raise ValueError("'searched' and 'endpoint' go together")
        if self.status in ("not-found", "candidate", "conflict") and self.searched is None:
            raise ValueError(
                f"a {self.status} record comes from a search: 'searched' and 'endpoint' are needed"
            )
        for name in ("rejected", "qids", "looked_up", "evidence"):
            values = getattr(self, name)
            if list(values) != sorted(set(values)):
                raise ValueError(f"{name}: values must be sorted and unique")
        for qid in (*self.rejected, *self.qids):
            if not _QID_RE.match(qid):
                raise ValueError(f"{qid!r} is not a QID")
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


class VenueItem(_Model):
    """The item a venue's papers of one year are published in (P1433): a proceedings volume, or a
    journal (``year`` absent: every year). Never a conference series."""

    venue: str = Field(pattern=r"^venue/[a-z0-9-]+$", description="IRI path of the venue.")
    year: int | None = Field(
        default=None, ge=1900, le=2100, description="The proceedings' year; absent for a journal."
    )
    kind: Literal["proceedings", "journal"] = Field(description="A proceedings volume or a journal.")
    qid: str = _QID
    status: LinkStatus = Field(description="'candidate' until a person confirms it.")
    label: str | None = Field(default=None, description="The item's English label.")
    source: str = Field(min_length=1, description="Where the link was checked.")
    retrieved: dt.date | None = Field(default=None, description="The day it was checked.")

    @model_validator(mode="after")
    def _year_for_proceedings(self) -> VenueItem:
        if (self.kind == "proceedings") != (self.year is not None):
            raise ValueError("a proceedings volume has a 'year'; a journal has none")
        return self


class Conflict(_Model):
    """Matches that cannot all be right; reported, never resolved by the tool (a view of the
    conflict records, :attr:`Mapping.conflicts`)."""

    kind: ConflictKind = Field(
        description="several-items: one work, several items; several-works: the reverse."
    )
    works: tuple[str, ...] = Field(min_length=1, description="IRI paths of the works involved, sorted.")
    qids: tuple[str, ...] = Field(min_length=1, description="The items involved, sorted.")
    evidence: tuple[str, ...] = Field(description="Each match, as 'work kind value -> QID', sorted.")
    retrieved: dt.date = Field(description="The day the conflict was found.")


class Mapping(_Model):
    """The whole mapping file."""

    works: tuple[WorkRecord, ...] = Field(
        default=(), description="One record per (work, version), sorted by work and version."
    )
    venues: tuple[ConceptLink, ...] = Field(default=(), description="Venue links, sorted.")
    topics: tuple[ConceptLink, ...] = Field(default=(), description="Topic links, sorted.")
    authors: tuple[ConceptLink, ...] = Field(default=(), description="Author links, sorted.")
    published_in: tuple[VenueItem, ...] = Field(
        default=(), description="Proceedings volumes and journals of venues (P1433), sorted."
    )

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: object) -> object:
        """Read a file of the first format: its work links (no status) are confirmed records, and
        its conflicts are dropped (the next reconcile finds them again, as conflict records)."""
        if not isinstance(data, dict) or "conflicts" not in data:
            return data
        data = {k: v for k, v in data.items() if k != "conflicts"}
        works = []
        for w in data.get("works", []):
            if isinstance(w, dict) and "status" not in w and "retrieved" in w:
                w = {k: v for k, v in w.items() if k != "retrieved"} | {"status": "confirmed"}
            works.append(w)
        data["works"] = works
        return data

    @model_validator(mode="after")
    def _well_formed(self) -> Mapping:
        seen = [w.key for w in self.works]
        if len(seen) != len(set(seen)):
            raise ValueError("works: a (work, version) has two records (a conflict is one record)")
        for work in {w.work for w in self.works}:
            versions = {w.version for w in self.works if w.work == work}
            if "work" in versions and len(versions) > 1:
                raise ValueError(f"works: {work} has a 'work' record beside preprint/published records")
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
        keys = [(p.venue, p.year) for p in self.published_in]
        if len(keys) != len(set(keys)):
            raise ValueError("published_in: a (venue, year) appears twice")
        return self

    def confirmed(self, field: Literal["venues", "topics", "authors"]) -> dict[str, ConceptLink]:
        """Node -> its confirmed link (the first by QID when a node has several)."""
        out: dict[str, ConceptLink] = {}
        for link in getattr(self, field):
            if link.status == "confirmed":
                out.setdefault(link.node, link)
        return out

    def records(self) -> dict[tuple[str, str], WorkRecord]:
        """(work, version) -> its record."""
        return {w.key: w for w in self.works}

    def work_links(self) -> dict[str, tuple[str, ...]]:
        """Work IRI path -> the QIDs of its confirmed records, sorted (what the build links)."""
        out: dict[str, set[str]] = {}
        for w in self.works:
            if w.status == "confirmed" and w.qid is not None:
                out.setdefault(w.work, set()).add(w.qid)
        return {work: tuple(sorted(qids)) for work, qids in out.items()}

    def venue_item(self, venue: str, year: int | None) -> VenueItem | None:
        """The confirmed P1433 target of ``venue``'s papers of ``year``: its proceedings volume of
        that year, else its journal; None when the mapping has neither."""
        found = {(p.venue, p.year): p for p in self.published_in if p.status == "confirmed"}
        if year is not None and (hit := found.get((venue, year))) is not None:
            return hit
        journal = found.get((venue, None))
        return journal if journal is not None and journal.kind == "journal" else None

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """The conflict records as conflicts: one per work with several items, one per item with
        several works."""
        out: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Conflict] = {}
        groups: dict[tuple[str, ...], list[WorkRecord]] = {}
        for w in self.works:
            if w.status != "conflict" or w.conflict is None or w.searched is None:
                continue
            if w.conflict == "several-items":
                c = Conflict(
                    kind="several-items",
                    works=(w.work,),
                    qids=w.qids,
                    evidence=w.evidence,
                    retrieved=w.searched,
                )
                out[(c.kind, c.works, c.qids)] = c
            else:
                groups.setdefault(w.qids, []).append(w)
        for qids, members in groups.items():
            works = tuple(sorted({m.work for m in members}))
            evidence = tuple(sorted({e for m in members for e in m.evidence}))
            retrieved = min(m.searched for m in members if m.searched is not None)
            c = Conflict(kind="several-works", works=works, qids=qids, evidence=evidence, retrieved=retrieved)
            out[(c.kind, c.works, c.qids)] = c
        return tuple(out[k] for k in sorted(out))


def canonical(mapping: Mapping) -> Mapping:
    """``mapping`` with every record list in the canonical order."""
    order = {"work": 0, "preprint": 1, "published": 2}
    return Mapping(
        works=tuple(sorted(mapping.works, key=lambda w: (w.work, order[w.version]))),
        venues=_sorted_links(mapping.venues),
        topics=_sorted_links(mapping.topics),
        authors=_sorted_links(mapping.authors),
        published_in=tuple(sorted(mapping.published_in, key=lambda p: (p.venue, p.year or 0))),
    )


def _sorted_links(links: Iterable[ConceptLink]) -> tuple[ConceptLink, ...]:
    return tuple(sorted(links, key=lambda c: (c.node, c.qid)))


def dump_mapping(mapping: Mapping) -> str:
    """The canonical text of a mapping file (the one writer)."""
    data = canonical(mapping).model_dump(mode="json", exclude_defaults=True)
    for key in ("works", "venues", "topics", "authors", "published_in"):
        data.setdefault(key, [])
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def default_mapping_path() -> Path:
    """The bundled mapping file, ``data/wikidata/mapping.json``."""
    return data_path(MAPPING_FILE)


@dataclass(frozen=True)
class ReadMapping:
    """A mapping file as read: the models, and the exact text (None: there was no file), so that a
    later write can tell whether someone changed the file meanwhile."""

    path: Path
    mapping: Mapping
    text: str | None


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise MappingError(f"{path}: cannot read: {exc.strerror}") from None


def _parse(path: Path, text: str | None) -> Mapping:
    if text is None:
        return Mapping()
    try:
        return Mapping.model_validate_json(text)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "top level"
        raise MappingError(f"{path}: {where}: {err['msg']} ({exc.error_count()} problem(s))") from None


def read_mapping(path: Path | None = None) -> ReadMapping:
    """Read and validate a mapping file (default: the bundled one), keeping its text."""
    path = path or default_mapping_path()
    text = _read_text(path)
    return ReadMapping(path, _parse(path, text), text)


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and validate a mapping file (default: the bundled one); an absent file is an empty mapping.
    :class:`MappingError` names the file and the first problem."""
    return read_mapping(path).mapping


K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=BaseModel)


def _merge_section(
    base: Iterable[R], ours: Iterable[R], theirs: Iterable[R], key: Callable[[R], K], kept: list[str]
) -> list[R]:
    b, o, t = ({key(r): r for r in rs} for rs in (base, ours, theirs))
    out = []
    for k in sorted(b.keys() | o.keys() | t.keys(), key=repr):
        if t.get(k) != b.get(k):  # changed (or added, or removed) on disk since it was read
            kept.append(str(k))
            if k in t:
                out.append(t[k])
        elif k in o:
            out.append(o[k])
    return out


def merge(base: Mapping, ours: Mapping, theirs: Mapping) -> tuple[Mapping, list[str]]:
    """Three-way merge, record by record: ``ours`` (a run's result, computed from ``base``) and
    ``theirs`` (the file now). A record someone changed, added or removed on disk since ``base``
    was read stays as they left it; every other record is ours. Returns the merge and the keys of
    the records kept from disk."""
    kept: list[str] = []
    merged = Mapping(
        works=tuple(_merge_section(base.works, ours.works, theirs.works, lambda w: w.key, kept)),
        venues=tuple(_merge_section(base.venues, ours.venues, theirs.venues, _link_key, kept)),
        topics=tuple(_merge_section(base.topics, ours.topics, theirs.topics, _link_key, kept)),
        authors=tuple(_merge_section(base.authors, ours.authors, theirs.authors, _link_key, kept)),
        published_in=tuple(
            _merge_section(
                base.published_in, ours.published_in, theirs.published_in, lambda p: (p.venue, p.year), kept
            )
        ),
    )
    return canonical(merged), kept


def _link_key(link: ConceptLink) -> tuple[str, str]:
    return (link.node, link.qid)


def write_mapping(
    mapping: Mapping,
    path: Path | None = None,
    *,
    since: ReadMapping | None = None,
    expect: Snapshot | None = None,
) -> list[str]:
    """Write ``mapping`` canonically to ``path`` (default: ``since``'s file, else the bundled one),
    atomically (:mod:`interp_kg.atomic`).

    With ``since`` (the file as read before ``mapping`` was computed from it), a file changed
    meanwhile is merged record by record (:func:`merge`): what someone edited on disk is kept; the
    file must not change again between that read and the rename (else the merge is redone).
    Without it, ``expect`` (a snapshot taken when the run began) guards a file that must not have
    changed at all. Returns the keys of the records kept from disk (empty when nobody touched it)."""
    from interp_kg.atomic import FileChanged, read, write_text

    path = since.path if since is not None and path is None else (path or default_mapping_path())
    if since is None:
        write_text(
            path,
            dump_mapping(mapping),
            expect=expect,
            hint="someone wrote it meanwhile; run the command again (reconcile's answers are cached)",
        )
        return []
    kept: list[str] = []
    final = mapping
    for _ in range(10):
        data, seen = read(path)
        current = data.decode("utf-8") if data is not None else None
        if current != since.text:
            try:
                final, kept = merge(since.mapping, mapping, _parse(path, current))
            except ValidationError as exc:
                raise MappingError(
                    f"{path}: changed while being written, and the changes cannot be merged: "
                    f"{exc.errors()[0]['msg']}"
                ) from None
        try:
            write_text(path, dump_mapping(final), expect=seen)
        except FileChanged:
            continue  # edited again between the read and the rename: merge again
        return kept
    raise MappingError(f"{path}: changed again and again while being written; try again")
