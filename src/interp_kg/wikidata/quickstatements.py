"""``interp-kg wikidata quickstatements``: QuickStatements V1 that is safe to run as it is.

An item is created (``CREATE``) only when the mapping's latest search for it says ``not-found``,
searched less than ``max_age`` days ago for everything the work is known by now; when the work's
other version (a paper's preprint or venue version) is linked to no item, or a person ruled that
item out for this version (``rejected``); when its class is verified; and when its title and each
of its identifiers can be stated from their primary record (so that the next reconcile finds the
new item by them). A linked item gets only the
statements it lacks (as reconcile read it, no longer than ``max_age`` days ago), and never a
second value of a property it has. Everything left out is counted, with the command or edit
that fixes it (:data:`ITEM_REASONS`, :data:`STATEMENT_REASONS`).

Each statement carries the reference of the fact it states (:mod:`.statements`): ``S248`` for a
database with a verified item (arXiv), ``S854`` the page the fact was read on, ``S813`` the day it
was read there. A fact whose only source is not its primary record is never written.

V1 syntax: one command per line, fields separated by tabs; ``CREATE`` then ``LAST`` for the new
item; strings in double quotes; a title as ``en:"..."`` (monolingual text); a date as
``+YYYY-MM-DDT00:00:00Z/P`` with precision 9 (year), 10 (month) or 11 (day); item values as QIDs;
qualifiers as property/value pairs after the value, then sources as ``S``-prefixed pairs. Tabs,
newlines and other control characters in strings become single spaces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

from interp_kg.curation.wikidata_mapping import WorkRecord
from interp_kg.errors import InterpKgError
from interp_kg.identifiers import wikidata as wd
from interp_kg.wikidata import items
from interp_kg.wikidata.statements import Context, Item, Reference, Statement, Value, build_items
from interp_kg.wikidata.targets import targets_of
from interp_kg.wikidata.works import PublicationDate, WorkFacts

DEFAULT_MAX_AGE = 30
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
#: Identifier statements a new item must carry from their primary record.
IDENTIFIER_PROPERTIES: Final = frozenset({wd.ARXIV_ID, wd.DOI, wd.OPENREVIEW_ID, wd.SOURCE_CODE_REPOSITORY})
_AUTHORS: Final = frozenset({wd.AUTHOR, wd.AUTHOR_NAME_STRING})

#: Why an item gets no CREATE or no statements: (what, how to fix it).
ITEM_REASONS: Final[dict[str, tuple[str, str]]] = {
    "never-searched": ("never searched on Wikidata", "run `interp-kg wikidata reconcile`"),
    "too-old": (
        "searched longer ago than --max-age",
        "run `interp-kg wikidata reconcile --refresh`",
    ),
    "stale-search": (
        "searched before their identifiers or titles changed",
        "run `interp-kg wikidata reconcile`",
    ),
    "sibling-linked": (
        "whose work's other version is linked to an item (which may hold this version too)",
        "if that item is not this version, add its QID to this record's rejected; if it is, confirm it",
    ),
    "candidate": (
        "with title candidates to review",
        "confirm one or reject them in the mapping file (README: Linking to Wikidata)",
    ),
    "conflict": ("in a conflict", "resolve it by hand: `interp-kg report wikidata` lists them"),
    "no-class": (
        "whose class has no verified id, or whose kind is unknown",
        "a maintainer verifies the id (README: unverified Wikidata ids)",
    ),
    "no-title": (
        "with no title read on their primary record",
        "read it there (`interp-kg enrich --verify`), see `interp-kg report wikidata`",
    ),
    "title-other-version": (
        "whose title was read on the other version's record (a preprint's on the venue's, or the reverse)",
        "a record holds one title: these wait for a title per version (README: Linking to Wikidata)",
    ),
    "identifier-unsourced": (
        "with an identifier not read on its primary record",
        "read it there (`interp-kg enrich --verify`), see `interp-kg report wikidata`",
    ),
    "linked-too-old": (
        "linked, but their statements were read longer ago than --max-age",
        "run `interp-kg wikidata reconcile --refresh`",
    ),
    "linked-unread": (
        "linked by a person, their statements never read",
        "run `interp-kg wikidata reconcile`",
    ),
}
STATEMENT_REASONS: Final[dict[str, tuple[str, str]]] = {
    "secondary-source": (
        "whose only source is not the fact's primary record",
        "read them there (`interp-kg enrich --verify`); `interp-kg report wikidata` lists them",
    ),
    "no-source": (
        "no curated record sources (values of the list's links only)",
        "curate them in data/bibliography with the page they were read on",
    ),
    "own-list": ("sourced to a line of the list itself", "read them on the work's own record"),
    "unverified-id": (
        "needing a property or item id not verified",
        "a maintainer verifies it (README: unverified Wikidata ids)",
    ),
    "no-venue-item": (
        "P1433 with no proceedings or journal item in the mapping",
        "add it under published_in in the mapping file",
    ),
    "venue-unknown": (
        "P1433 of a venue version whose venue the list does not give",
        "give the venue in the list's link label (e.g. [[NeurIPS 2023]])",
    ),
    "item-has-value": (
        "where the linked item has another value (a second one is never added)",
        "compare them by hand",
    ),
    "item-has-authors": ("authors of a linked item that lists authors already", "compare them by hand"),
}


class NotReconciled(InterpKgError):
    """No work of the mapping was ever searched on Wikidata: a batch would create blindly."""


def string(text: str) -> str:
    """A V1 string value: control characters as one space, trimmed, in double quotes.

    >>> string("A\\ttitle\\nsplit ")
    '"A title split"'
    """
    return '"' + " ".join(_CONTROL.sub(" ", text).split()) + '"'


def monolingual(text: str, language: str = "en") -> str:
    """A V1 monolingual text value: ``en:"..."``."""
    return f"{language}:{string(text)}"


def time_value(date: PublicationDate | dt.date) -> str:
    """A V1 time value: ``+2023-02-01T00:00:00Z/10`` (unknown month and day as 01).

    >>> time_value(PublicationDate(2023, 2, 1, 10))
    '+2023-02-01T00:00:00Z/10'
    """
    if isinstance(date, dt.date):
        date = PublicationDate(date.year, date.month, date.day, 11)
    month = date.month if date.precision >= 10 else 1
    day = date.day if date.precision >= 11 else 1
    return f"+{date.year:04d}-{month:02d}-{day:02d}T00:00:00Z/{date.precision}"


def v1_value(value: Value) -> str:
    """A statement's value in V1."""
    if value.kind == "item":
        return value.text
    if value.kind == "monolingual":
        return monolingual(value.text)
    if value.kind == "time":
        assert value.date is not None
        return time_value(value.date)
    return string(value.text)


def v1_reference(ref: Reference) -> list[str]:
    """A reference as V1 source fields: S248 (when a database), S854, S813."""
    out = ["S248", ref.stated_in] if ref.stated_in else []
    return [*out, "S854", string(ref.url), "S813", time_value(ref.retrieved)]


def line(subject: str, s: Statement) -> str:
    """One V1 command: subject, property, value, qualifiers, sources."""
    fields = [subject, s.prop, v1_value(s.value)]
    for q, v in s.qualifiers:
        fields += [q, v1_value(v)]
    assert s.reference is not None and s.blocked is None, "only referenced statements are written"
    fields += v1_reference(s.reference)
    return "\t".join(fields)


@dataclass
class Batch:
    """A batch and what was left out of it, counted by reason."""

    text: str = ""
    created: int = 0
    added: int = 0
    linked_items: int = 0
    skipped_items: Counter[str] = field(default_factory=Counter)
    skipped_statements: Counter[str] = field(default_factory=Counter)
    #: Per item left out: (target, reason, detail), for ``--explain``.
    details: list[tuple[str, str, str]] = field(default_factory=list)
    endpoints: set[str] = field(default_factory=set)
    #: QID -> property -> values this batch adds (as compared), so an item gets one value.
    given: dict[str, dict[str, set[str]]] = field(default_factory=dict)


def missing(
    statements: Sequence[Statement], existing: dict[str, tuple[str, ...]]
) -> tuple[list[Statement], Counter[str]]:
    """The statements an item lacks, and the ones left out because it has another value: one
    value per property (a single value is what the identifiers, the title, the date and the class
    take), and no author statement when it lists authors already."""
    have = {p: {v.upper() for v in vs} for p, vs in existing.items()}
    has_authors = bool(_AUTHORS & have.keys())
    out: list[Statement] = []
    left: Counter[str] = Counter()
    for s in statements:
        if s.value.compare in have.get(s.prop, set()):
            continue  # there already
        if s.prop in _AUTHORS:
            if has_authors:
                left["item-has-authors"] += 1
            else:
                out.append(s)
        elif s.prop in have:
            left["item-has-value"] += 1
        else:
            out.append(s)
    return out, left


def _writable(statements: Iterable[Statement], counts: Counter[str]) -> list[Statement]:
    out = []
    for s in statements:
        if s.blocked is None:
            out.append(s)
        else:
            counts[s.blocked] += 1
    return out


def _skip(batch: Batch, item: Item, reason: str, detail: str = "") -> None:
    batch.skipped_items[reason] += 1
    batch.details.append((item.target, reason, detail))


def _create(item: Item, batch: Batch) -> Iterator[str]:
    """The CREATE block of ``item``, or nothing (counted) when it may not be created."""
    if item.cls is None:
        _skip(batch, item, "no-class", next((n.detail for n in item.notes if n.what == wd.INSTANCE_OF), ""))
        return
    if item.label is None:
        record = item.work.record
        other = record is not None and not items.belongs(item.work, item.version, "title")
        _skip(batch, item, "title-other-version" if other else "no-title")
        return
    unsourced = [s.prop for s in item.statements if s.prop in IDENTIFIER_PROPERTIES and s.blocked is not None]
    if unsourced:
        _skip(batch, item, "identifier-unsourced", ", ".join(sorted(set(unsourced))))
        return
    statements = _writable(item.statements, batch.skipped_statements)
    for note in item.notes:
        batch.skipped_statements[note.reason] += 1
    batch.created += 1
    batch.added += len(statements)
    yield "CREATE"
    yield "\t".join(["LAST", "Len", string(item.label)])
    for s in statements:
        yield line("LAST", s)


def _additions(item: Item, record: WorkRecord, batch: Batch) -> Iterator[str]:
    """The statements linked item ``record.qid`` lacks, counting what this batch already gives it
    (an item holding both versions of a paper gets one date, one DOI, one byline)."""
    assert record.qid is not None
    given = batch.given.setdefault(record.qid, {})
    have = {
        p: tuple(sorted({*record.statements.get(p, ()), *given.get(p, ())}))
        for p in {*record.statements, *given}
    }
    lacking, left = missing(item.statements, have)
    batch.skipped_statements.update(left)
    statements = _writable(lacking, batch.skipped_statements)
    for note in item.notes:
        if note.what not in have:
            batch.skipped_statements[note.reason] += 1
    if statements:
        batch.linked_items += 1
        batch.added += len(statements)
    for s in statements:
        given.setdefault(s.prop, set()).add(s.value.compare)
        yield line(record.qid, s)


def quickstatements(
    works: Iterable[WorkFacts],
    ctx: Context,
    *,
    today: dt.date,
    max_age: int = DEFAULT_MAX_AGE,
    create: bool = True,
    add: bool = True,
) -> Batch:
    """The V1 batch: CREATE blocks for items searched and not found (``create``) and the missing
    statements of linked items (``add``). :class:`NotReconciled` when the mapping records no
    search at all."""
    records = ctx.mapping.records()
    if not any(r.searched is not None for r in ctx.mapping.works):
        raise NotReconciled(
            "no work has been searched on Wikidata: run `interp-kg wikidata reconcile` first "
            "(nothing is created without a search that found nothing)"
        )
    run = _Run(Batch(), today, max_age, create, add)
    lines: list[str] = []
    for work in sorted(works, key=lambda w: w.slug):
        looked_up = {t.version: set(t.searched_for()) for t in targets_of(work)}
        built = build_items(work, ctx)
        linked = {
            item.version: r.qid
            for item in built
            if (r := records.get((work.slug, item.version))) is not None and r.status == "confirmed" and r.qid
        }
        for item in built:
            record = records.get((work.slug, item.version))
            siblings = {qid for version, qid in linked.items() if version != item.version}
            lines += list(_one(item, record, looked_up[item.version], siblings, run))
    run.batch.text = "".join(x + "\n" for x in lines)
    return run.batch


@dataclass(frozen=True)
class _Run:
    """A batch being written, and its options."""

    batch: Batch
    today: dt.date
    max_age: int
    create: bool
    add: bool


def _one(
    item: Item, record: WorkRecord | None, looked_up: set[str], siblings: set[str], run: _Run
) -> Iterator[str]:
    """The lines of one item: additions to its linked item, its CREATE block, or nothing (counted).
    ``siblings``: the items the work's other version is linked to."""
    batch, today, max_age, create, add = run.batch, run.today, run.max_age, run.create, run.add
    if record is None:
        _skip(batch, item, "never-searched")
        return
    age = (today - record.searched).days if record.searched is not None else None
    if record.status == "confirmed":
        if not add:
            return
        if age is None:
            _skip(batch, item, "linked-unread", record.qid or "")
        elif age >= max_age:
            _skip(batch, item, "linked-too-old", f"{record.qid}, read {record.searched}")
        else:
            yield from _additions(item, record, batch)
        return
    if record.status in ("candidate", "conflict"):
        _skip(batch, item, record.status, " ".join(c.qid for c in record.candidates) or " ".join(record.qids))
        return
    if not create:
        return
    assert record.searched is not None and age is not None and record.endpoint is not None
    if age >= max_age:
        _skip(batch, item, "too-old", f"searched {record.searched}")
        return
    if not looked_up <= set(record.looked_up):
        _skip(batch, item, "stale-search", ", ".join(sorted(looked_up - set(record.looked_up))))
        return
    if unruled := sorted(siblings - set(record.rejected)):
        _skip(batch, item, "sibling-linked", " ".join(unruled))
        return
    batch.endpoints.add(record.endpoint)
    yield from _create(item, batch)


def summary_lines(batch: Batch, max_age: int) -> list[str]:
    """What the batch holds and what was left out, with the fixes: for stderr."""
    out = [
        f"{batch.created} items to create, {batch.added} statements in all "
        f"({batch.linked_items} linked items get statements they lack)"
    ]
    if batch.endpoints:
        out.append("created because searched and not found on: " + ", ".join(sorted(batch.endpoints)))
    for reason, n in sorted(batch.skipped_items.items()):
        what, fix = ITEM_REASONS[reason]
        what = what.replace("--max-age", f"--max-age ({max_age} days)")
        out.append(f"skipped {n} items {what}: {fix}")
    for reason, n in sorted(batch.skipped_statements.items()):
        what, fix = STATEMENT_REASONS[reason]
        out.append(f"left out {n} statements {what}: {fix}")
    return out
