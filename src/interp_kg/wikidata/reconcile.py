"""``interp-kg wikidata reconcile``: find the Wikidata items of the graph's works, venues and
topics, and leave a record of every search.

Each item a work should have (:func:`interp_kg.wikidata.items.versions`: the work, or a paper's
preprint and venue version) is looked up:

1. by every identifier kind Wikidata has a verified property for, in batched ``VALUES`` queries,
   one kind at a time: arXiv id (P818) and arXiv's DOI ``10.48550/ARXIV.<id>`` (P356) for a
   preprint; the venue's DOI (P356, which Wikidata stores upper-cased), the OpenReview forum id
   (P8968) for a venue version; a tool's GitHub repository URL (P1324) and a work's own website
   (P856) for a work that is one item. An identifier match is exact: it confirms the item,
   unless it conflicts (:mod:`.conflicts`).
2. when no identifier matches, by title: items whose English label or title (P1476) is one of
   the work's titles (as written, whitespace collapsed, without a final period, with plain
   quotes), compared normalised (:func:`title_key`), whose publication year (P577) is one of the
   work's years or which have none, become ``candidate`` s for a person to confirm. Never links.
3. otherwise the item is ``not-found``, with the day the endpoint answered and the endpoint.

Every search is recorded in the mapping (:class:`~interp_kg.curation.wikidata_mapping.WorkRecord`):
what was looked up, when, where, and what was found. Records a person made or confirmed are never
replaced by the tool (a different item found by identifier makes them a conflict), candidates a
person ruled out are never proposed again. Linked items are then asked for the statements
QuickStatements would add, so that only missing ones are proposed. Venues and topics are looked
up by English label or alias and become candidates.

What each item is searched by is in :mod:`.targets`; the queries, plain SPARQL 1.1 that runs on the
Wikidata Query Service, QLever's Wikidata endpoint and an Oxigraph server alike, are in :mod:`.queries`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from interp_kg.curation.wikidata_mapping import (
    Candidate,
    ConceptLink,
    Mapping,
    MatchKind,
    Version,
    WorkRecord,
    canonical,
)
from interp_kg.identifiers import wikidata as wd
from interp_kg.wikidata import items
from interp_kg.wikidata.client import Answer, SparqlClient
from interp_kg.wikidata.conflicts import Linked, Match, several_items, several_works
from interp_kg.wikidata.queries import (
    VENUE_CLASS_WORDS,
    identifier_query,
    label_query,
    statements_query,
    title_query,
)
from interp_kg.wikidata.targets import Target, targets_of, title_key, title_variants, year_of
from interp_kg.wikidata.works import WorkFacts

DEFAULT_BATCH = 200
MAX_CANDIDATES = 5
#: Identifier kinds in the order a match is preferred (the strongest first).
KIND_ORDER: tuple[MatchKind, ...] = ("arxiv", "arxiv-doi", "doi", "openreview", "github", "website")


@dataclass
class ReconcileSummary:
    """What a run found."""

    works: int = 0
    targets: int = 0
    looked_up: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    new_links: int = 0
    conflicts: int = 0
    candidates: int = 0
    replaced: list[str] = field(default_factory=list)
    requests: int = 0
    cache_hits: int = 0
    oldest_answer: dt.date | None = None


def _batches(values: Iterable[str], size: int) -> Iterator[list[str]]:
    ordered = sorted(values)
    for i in range(0, len(ordered), size):
        yield ordered[i : i + size]


def _qid(binding: dict[str, dict[str, str]], name: str) -> str | None:
    term = binding.get(name)
    return wd.qid_of(term["value"]) if term and term.get("type") == "uri" else None


def _statement_value(term: dict[str, str]) -> str:
    if term.get("type") == "uri":
        return wd.qid_of(term["value"]) or term["value"]
    return term["value"]


@dataclass
class _Found:
    """What the queries said about each target, and the day of the oldest answer used for it."""

    matches: list[Match] = field(default_factory=list)
    titles: dict[tuple[str, Version], dict[str, Candidate]] = field(default_factory=lambda: defaultdict(dict))
    fetched: dict[tuple[str, Version], dt.date] = field(default_factory=dict)

    def saw(self, keys: Iterable[tuple[str, Version]], answer: Answer) -> None:
        for key in keys:
            old = self.fetched.get(key)
            self.fetched[key] = answer.fetched if old is None else min(old, answer.fetched)


def find_matches(client: SparqlClient, targets: Sequence[Target], batch: int, found: _Found) -> None:
    """Every (item of a work, identifier, item) match, one batched query per kind and batch."""
    by_kind: dict[MatchKind, dict[str, set[tuple[str, Version]]]] = {k: defaultdict(set) for k in KIND_ORDER}
    for t in targets:
        for kind, wanted in t.lookups:
            by_kind[kind][wanted].add(t.key)
    for kind in KIND_ORDER:
        by_value = by_kind[kind]
        for chunk in _batches(by_value, batch):
            answer = client.select(identifier_query(kind, chunk))
            found.saw({k for v in chunk for k in by_value[v]}, answer)
            upper = {v.upper(): v for v in chunk}
            for b in answer.bindings:
                qid, value = _qid(b, "item"), b.get("value", {}).get("value")
                if qid is None or value is None:
                    continue
                key = value if value in by_value else upper.get(value.upper(), "")
                for work, version in sorted(by_value.get(key, ())):
                    found.matches.append(Match(work, version, kind, value, qid))


def find_titles(client: SparqlClient, targets: Sequence[Target], batch: int, found: _Found) -> None:
    """Title candidates of ``targets``: items with one of their titles (normalised) and one of
    their years, or no date."""
    by_variant: dict[str, set[tuple[str, Version]]] = defaultdict(set)
    wanted: dict[tuple[str, Version], Target] = {t.key: t for t in targets}
    for t in targets:
        for title in t.titles:
            for variant in title_variants(title):
                by_variant[variant].add(t.key)
    for chunk in _batches(by_variant, batch):
        answer = client.select(title_query(chunk))
        found.saw({k for v in chunk for k in by_variant[v]}, answer)
        seen: dict[tuple[str, str], set[int | None]] = defaultdict(set)
        for b in answer.bindings:
            qid, text = _qid(b, "item"), b.get("title", {}).get("value")
            if qid is not None and text is not None:
                seen[(text, qid)].add(year_of(b.get("date", {}).get("value")))
        for (text, qid), years in seen.items():
            for key in by_variant.get(text, ()):
                t = wanted[key]
                if title_key(text) not in {title_key(x) for x in t.titles}:
                    continue
                dated = {y for y in years if y is not None}
                if dated and t.years and not dated & t.years:
                    continue  # another work of the same title (a work with no year cannot tell)
                year = min(dated & t.years or dated) if dated else None
                found.titles[key].setdefault(qid, Candidate(qid=qid, title=text, year=year))


def item_statements(
    client: SparqlClient, qids: Iterable[str], batch: int = DEFAULT_BATCH
) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, dt.date]]:
    """QID -> property -> the values the item has (of :data:`STATEMENT_PROPERTIES`); and QID ->
    the day they were read."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    days: dict[str, dt.date] = {}
    for chunk in _batches(set(qids), batch):
        answer = client.select(statements_query(chunk))
        days.update(dict.fromkeys(chunk, answer.fetched))
        for b in answer.bindings:
            qid, prop = _qid(b, "item"), b.get("p", {}).get("value", "")
            if qid is None or not prop.startswith(wd.DIRECT) or "value" not in b:
                continue
            found[qid][prop[len(wd.DIRECT) :]].add(_statement_value(b["value"]))
    statements = {q: {p: tuple(sorted(vs)) for p, vs in props.items()} for q, props in found.items()}
    return statements, days


def label_candidates(
    client: SparqlClient,
    labels: dict[str, str],
    *,
    classes: Sequence[str] = (),
    class_words: Sequence[str] = (),
    batch: int = DEFAULT_BATCH,
    max_candidates: int = MAX_CANDIDATES,
) -> dict[str, list[tuple[str, str, tuple[str, ...]]]]:
    """Node -> up to ``max_candidates`` (QID, label, P31 classes) for ``labels`` (node -> label),
    lowest QIDs first; only items of one of ``classes`` when given, else, when ``class_words``
    are given, only items with a class whose English label contains one of them."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node, label in labels.items():
        by_label[label].append(node)
    hits: dict[tuple[str, str], set[str]] = defaultdict(set)
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)  # the classes' English labels
    for chunk in _batches(by_label, batch):
        for b in client.select(label_query(chunk)).bindings:
            qid, found = _qid(b, "item"), b.get("label", {}).get("value")
            if qid is None or found is None:
                continue
            cls = _qid(b, "class")
            hits[(found, qid)].update({cls} if cls else set())
            if "classLabel" in b:
                kinds[(found, qid)].add(b["classLabel"]["value"].lower())
    words = [w.lower() for w in class_words]
    out: dict[str, list[tuple[str, str, tuple[str, ...]]]] = defaultdict(list)
    for (label, qid), item_classes in sorted(hits.items(), key=lambda kv: (kv[0][0], int(kv[0][1][1:]))):
        if classes and not item_classes & set(classes):
            continue
        if not classes and words and not any(w in k for w in words for k in kinds[(label, qid)]):
            continue
        for node in by_label.get(label, ()):
            if len(out[node]) < max_candidates:
                out[node].append((qid, label, tuple(sorted(item_classes))))
    return dict(out)


def _person_made(record: WorkRecord | None) -> bool:
    """Whether a person made or confirmed the record's link (the tool never replaces it)."""
    return record is not None and record.status == "confirmed" and record.matched_by in ("title", "person")


def _record(
    t: Target,
    old: WorkRecord | None,
    found: _Found,
    matches: list[Match],
    items_conflict: dict[tuple[str, Version], tuple[set[str], list[str]]],
    works_conflict: dict[tuple[str, Version], tuple[str, list[str]]],
    endpoint: str,
) -> WorkRecord:
    """The new record of ``t`` from what the search found (``old``: its record before)."""
    if _person_made(old) and t.key not in items_conflict and t.key not in works_conflict:
        assert old is not None
        if t.key not in found.fetched:  # nothing was asked about it: its record stays as it was
            return old
        return old.model_copy(
            update={"searched": found.fetched[t.key], "endpoint": endpoint, "looked_up": t.searched_for()}
        )
    base: dict[str, object] = {
        "work": t.work,
        "version": t.version,
        "searched": found.fetched[t.key],
        "endpoint": endpoint,
        "looked_up": t.searched_for(),
        "rejected": old.rejected if old is not None else (),
        "note": old.note if old is not None else None,
    }
    if t.key in items_conflict:
        qids, evidence = items_conflict[t.key]
        conflict = {
            "conflict": "several-items",
            "qids": tuple(sorted(qids)),
            "evidence": tuple(sorted(set(evidence))),
        }
        return WorkRecord.model_validate(base | {"status": "conflict"} | conflict)
    if t.key in works_conflict:
        qid, evidence = works_conflict[t.key]
        conflict = {"conflict": "several-works", "qids": (qid,), "evidence": tuple(sorted(set(evidence)))}
        return WorkRecord.model_validate(base | {"status": "conflict"} | conflict)
    if matches:
        best = min(matches, key=lambda m: (KIND_ORDER.index(m.kind), m.value))
        return WorkRecord.model_validate(
            base | {"status": "confirmed", "qid": best.qid, "matched_by": best.kind, "value": best.value}
        )
    rejected = set(old.rejected) if old is not None else set()
    titled = sorted(found.titles.get(t.key, {}).values(), key=lambda c: int(c.qid[1:]))
    candidates = tuple(c for c in titled if c.qid not in rejected)[:MAX_CANDIDATES]
    if candidates:
        return WorkRecord.model_validate(base | {"status": "candidate", "candidates": candidates})
    return WorkRecord.model_validate(base | {"status": "not-found"})


def reconcile(
    client: SparqlClient,
    works: Sequence[WorkFacts],
    mapping: Mapping,
    *,
    venues: dict[str, str] | None = None,
    topics: dict[str, str] | None = None,
    venue_classes: Sequence[str] = (),
    today: dt.date | None = None,
    batch: int = DEFAULT_BATCH,
) -> tuple[Mapping, ReconcileSummary]:
    """The mapping with a fresh record for every item of ``works``; records of other works, and
    what people decided, are kept.

    ``venues`` and ``topics`` map node IRI paths to labels to look up (nodes with a confirmed
    link are skipped). ``today`` only dates venue and topic candidates: a work's record carries
    the day of the answers it was made from."""
    today = today or dt.date.today()
    summary = ReconcileSummary(works=len(works))
    targets = [t for w in works for t in targets_of(w)]
    summary.targets = len(targets)
    for t in targets:
        for kind, _ in t.lookups:
            summary.looked_up[kind] = summary.looked_up.get(kind, 0) + 1
    existing = mapping.records()
    found = _Found()
    find_matches(client, targets, batch, found)
    matched_keys = {(m.work, m.version) for m in found.matches}
    find_titles(
        client,
        [t for t in targets if t.key not in matched_keys and not _person_made(existing.get(t.key))],
        batch,
        found,
    )
    for m in found.matches:
        summary.matched[m.kind] = summary.matched.get(m.kind, 0) + 1
    run_works = {t.work for t in targets}
    ours = {t.key for t in targets}
    # links people made, and links of works not in this run, count in conflicts
    linked = [
        Linked(r.work, r.version, r.qid)
        for r in mapping.works
        if r.status == "confirmed" and r.qid is not None and (_person_made(r) or r.work not in run_works)
    ]
    items_conflict = several_items(found.matches, [link for link in linked if link.work in run_works])
    works_conflict: dict[tuple[str, Version], tuple[str, list[str]]] = {}
    for qid, (keys, evidence) in several_works(found.matches, linked).items():
        for key in keys:
            works_conflict[key] = (qid, evidence)
    by_key: dict[tuple[str, Version], list[Match]] = defaultdict(list)
    for m in found.matches:
        by_key[(m.work, m.version)].append(m)
    records: dict[tuple[str, str], WorkRecord] = {r.key: r for r in mapping.works if r.work not in run_works}
    for t in targets:
        old = existing.get(t.key)
        record = _record(
            t, old, found, by_key.get(t.key, []), items_conflict, works_conflict, client.endpoint
        )
        if record.status == "confirmed" and (old is None or old.qid != record.qid):
            summary.new_links += 1
        records[record.key] = record
    summary.replaced = sorted(
        items.target(r.work, r.version) for r in mapping.works if r.work in run_works and r.key not in ours
    )
    # the statements the linked items have now
    confirmed = {r.qid for r in records.values() if r.work in run_works and r.status == "confirmed" and r.qid}
    statements, _ = item_statements(client, confirmed, batch)
    for record_key, r in list(records.items()):
        if r.work in run_works and r.status == "confirmed" and r.qid in confirmed:
            records[record_key] = r.model_copy(update={"statements": statements.get(r.qid, {})})
        if r.work in run_works:
            summary.status[r.status] = summary.status.get(r.status, 0) + 1
    summary.conflicts = summary.status.get("conflict", 0)
    new_venues = _candidates(
        client, mapping.venues, venues or {}, venue_classes, today, batch, VENUE_CLASS_WORDS
    )
    new_topics = _candidates(client, mapping.topics, topics or {}, (), today, batch)
    summary.candidates = len(new_venues) - len(mapping.venues) + len(new_topics) - len(mapping.topics)
    summary.requests, summary.cache_hits = client.requests, client.cache_hits
    summary.oldest_answer = min(found.fetched.values(), default=None)
    updated = Mapping(
        works=tuple(records.values()),
        venues=new_venues,
        topics=new_topics,
        authors=mapping.authors,
        published_in=mapping.published_in,
    )
    return canonical(updated), summary


def _candidates(
    client: SparqlClient,
    existing: tuple[ConceptLink, ...],
    labels: dict[str, str],
    classes: Sequence[str],
    today: dt.date,
    batch: int,
    class_words: Sequence[str] = (),
) -> tuple[ConceptLink, ...]:
    confirmed = {c.node for c in existing if c.status == "confirmed"}
    wanted = {node: label for node, label in labels.items() if node not in confirmed}
    if not wanted:
        return existing
    known = {(c.node, c.qid) for c in existing}
    out = list(existing)
    for node, found in label_candidates(
        client, wanted, classes=classes, class_words=class_words, batch=batch
    ).items():
        for qid, label, item_classes in found:
            if (node, qid) not in known:
                out.append(
                    ConceptLink(
                        node=node,
                        qid=qid,
                        status="candidate",
                        label=label,
                        classes=item_classes,
                        source="label look-up",
                        retrieved=today,
                    )
                )
    return tuple(out)
