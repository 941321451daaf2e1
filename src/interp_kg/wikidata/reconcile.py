"""``interp-kg wikidata reconcile``: find the Wikidata items of the graph's works, venues and topics.

Works are looked up by identifier in batched ``VALUES`` queries, one identifier kind at a time:
arXiv id (P818, and arXiv's DOI ``10.48550/ARXIV.<id>`` in P356), DOI (P356, which Wikidata stores
upper-cased), OpenReview forum id (P8968) and, for tools, the GitHub repository URL (P1324). An
identifier match is exact, so it becomes a link, unless it conflicts (:mod:`.conflicts`). Linked
items are then asked for the statements QuickStatements would add, so that only missing ones are
proposed. Venues and topics are looked up by English label or alias and become *candidates*,
which a person confirms in the mapping file.

Values reach the endpoint as RDF terms in ``VALUES`` blocks (N-Triples syntax), never as pasted text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from interp_kg.curation.wikidata_mapping import ConceptLink, Mapping, MatchKind, WorkLink, canonical
from interp_kg.identifiers import wikidata as wd
from interp_kg.rdf.ntriples import lit
from interp_kg.wikidata.client import SparqlClient
from interp_kg.wikidata.conflicts import Match, conflicted_works, find_conflicts
from interp_kg.wikidata.works import WorkFacts

DEFAULT_BATCH = 200
MAX_CANDIDATES = 5
#: Properties whose values the linked items are asked for (what QuickStatements may add).
STATEMENT_PROPERTIES = (
    wd.INSTANCE_OF,
    wd.TITLE,
    wd.ARXIV_ID,
    wd.DOI,
    wd.OPENREVIEW_ID,
    wd.PUBLICATION_DATE,
    wd.PUBLISHED_IN,
    wd.AUTHOR_NAME_STRING,
    wd.MAIN_SUBJECT,
    wd.SOURCE_CODE_REPOSITORY,
)
_PREFIXES = (
    f"PREFIX wd: <{wd.ENTITY}>\nPREFIX wdt: <{wd.DIRECT}>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
_GITHUB = re.compile(r"^https?://(?:www\.)?github\.com/([^/\s]+)/([^/\s#?]+?)(?:\.git)?/?$", re.IGNORECASE)


@dataclass
class ReconcileSummary:
    """What a run found."""

    works: int = 0
    looked_up: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    new_links: int = 0
    conflicts: int = 0
    candidates: int = 0
    requests: int = 0
    cache_hits: int = 0


def github_key(url: str) -> str | None:
    """``owner/repo`` in lower case for a GitHub repository URL, else None.

    >>> github_key("https://github.com/NeelNanda-io/TransformerLens.git")
    'neelnanda-io/transformerlens'
    """
    m = _GITHUB.match(url)
    return f"{m.group(1)}/{m.group(2)}".lower() if m else None


def _github_variants(url: str) -> list[str]:
    m = _GITHUB.match(url)
    if not m:
        return []
    base = f"https://github.com/{m.group(1)}/{m.group(2)}"
    return [base, base + "/", base + ".git", base.replace("https://", "http://", 1)]


def identifier_lookups(works: Sequence[WorkFacts]) -> dict[MatchKind, dict[str, set[str]]]:
    """Identifier kind -> value as Wikidata holds it -> the works with that value."""
    kinds: tuple[MatchKind, ...] = ("arxiv", "arxiv-doi", "doi", "openreview", "github")
    out: dict[MatchKind, dict[str, set[str]]] = {k: defaultdict(set) for k in kinds}
    for w in works:
        for a in w.arxiv:
            out["arxiv"][a].add(w.slug)
            out["arxiv-doi"][wd.arxiv_doi(a)].add(w.slug)
        for d in w.dois:
            out["doi"][d.upper()].add(w.slug)
        for o in w.openreview:
            out["openreview"][o].add(w.slug)
        if w.kind == "tool":
            for repo in w.repositories:
                for variant in _github_variants(repo):
                    out["github"][variant].add(w.slug)
    return out


_PROPERTY: dict[MatchKind, str] = {
    "arxiv": wd.ARXIV_ID,
    "arxiv-doi": wd.DOI,
    "doi": wd.DOI,
    "openreview": wd.OPENREVIEW_ID,
    "github": wd.SOURCE_CODE_REPOSITORY,
}


def identifier_query(kind: MatchKind, values: Sequence[str]) -> str:
    """The look-up of items holding any of ``values`` for ``kind``'s property."""
    terms = " ".join(f"<{x}>" if kind == "github" else lit(x) for x in values)
    return (
        f"{_PREFIXES}SELECT ?value ?item WHERE {{\n  VALUES ?value {{ {terms} }}\n"
        f"  ?item wdt:{_PROPERTY[kind]} ?value .\n}}\n"
    )


def statements_query(qids: Sequence[str]) -> str:
    """The values the items have for :data:`STATEMENT_PROPERTIES`."""
    items = " ".join(f"wd:{q}" for q in qids)
    props = " ".join(f"wdt:{p}" for p in STATEMENT_PROPERTIES)
    return (
        f"{_PREFIXES}SELECT ?item ?p ?value WHERE {{\n  VALUES ?item {{ {items} }}\n"
        f"  VALUES ?p {{ {props} }}\n  ?item ?p ?value .\n}}\n"
    )


#: What the English label of a venue candidate's class (P31) must contain, by default: the issue
#: asks for "conference series and journals", and no class QID is verified, so classes are
#: recognised by their labels ("scientific conference series", "academic journal", ...).
VENUE_CLASS_WORDS = ("conference series", "journal")


def label_query(labels: Sequence[str]) -> str:
    """Items whose English label or alias is one of ``labels``, with their P31 classes and the
    classes' English labels."""
    terms = " ".join(lit(x) + "@en" for x in labels)
    return (
        f"{_PREFIXES}SELECT ?label ?item ?class ?classLabel WHERE {{\n  VALUES ?label {{ {terms} }}\n"
        f"  ?item rdfs:label|skos:altLabel ?label .\n  OPTIONAL {{ ?item wdt:{wd.INSTANCE_OF} ?class .\n"
        f'    OPTIONAL {{ ?class rdfs:label ?classLabel FILTER(LANG(?classLabel) = "en") }} }}\n}}\n'
    )


def _batches(values: Iterable[str], size: int) -> Iterator[list[str]]:
    values = sorted(values)
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _qid(binding: dict[str, dict[str, str]], name: str) -> str | None:
    term = binding.get(name)
    return wd.qid_of(term["value"]) if term and term.get("type") == "uri" else None


def _statement_value(term: dict[str, str]) -> str:
    if term.get("type") == "uri":
        return wd.qid_of(term["value"]) or term["value"]
    return term["value"]


def find_matches(client: SparqlClient, works: Sequence[WorkFacts], batch: int = DEFAULT_BATCH) -> list[Match]:
    """Every (work, identifier, item) match, one batched query per kind and batch."""
    matches: list[Match] = []
    for kind, by_value in identifier_lookups(works).items():
        for chunk in _batches(by_value, batch):
            for b in client.select(identifier_query(kind, chunk)):
                qid, value = _qid(b, "item"), b.get("value", {}).get("value")
                if qid is None or value is None:
                    continue
                key = (
                    value
                    if value in by_value
                    else next((v for v in chunk if v.upper() == value.upper()), None)
                )
                for work in sorted(by_value.get(key, ())) if key else ():
                    matches.append(Match(work, kind, value, qid))
    return sorted(set(matches))


def item_statements(
    client: SparqlClient, qids: Iterable[str], batch: int = DEFAULT_BATCH
) -> dict[str, dict[str, tuple[str, ...]]]:
    """QID -> property -> the values the item has (of :data:`STATEMENT_PROPERTIES`)."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for chunk in _batches(set(qids), batch):
        for b in client.select(statements_query(chunk)):
            qid, prop = _qid(b, "item"), b.get("p", {}).get("value", "")
            if qid is None or not prop.startswith(wd.DIRECT) or "value" not in b:
                continue
            found[qid][prop[len(wd.DIRECT) :]].add(_statement_value(b["value"]))
    return {q: {p: tuple(sorted(vs)) for p, vs in props.items()} for q, props in found.items()}


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
        for b in client.select(label_query(chunk)):
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
    """The mapping updated with what the endpoint knows; curated entries are kept as they are.

    ``venues`` and ``topics`` map node IRI paths to labels to look up (nodes with a confirmed
    link are skipped)."""
    today = today or dt.date.today()
    summary = ReconcileSummary(works=len(works))
    lookups = identifier_lookups(works)
    summary.looked_up = {k: len(v) for k, v in lookups.items() if v}
    matches = find_matches(client, works, batch)
    for m in matches:
        summary.matched[m.kind] = summary.matched.get(m.kind, 0) + 1
    existing = mapping.work_links()
    linked = {w: link.qid for w, link in existing.items()}
    conflicts = find_conflicts(matches, linked, today)
    blocked = conflicted_works(conflicts)
    links = dict(existing)
    for m in matches:  # sorted: the strongest kind of a work comes first (arxiv < arxiv-doi < doi ...)
        if m.work not in links and m.work not in blocked:
            links[m.work] = WorkLink(
                work=m.work, qid=m.qid, matched_by=m.kind, value=m.value, retrieved=today
            )
            summary.new_links += 1
    statements = item_statements(client, {link.qid for link in links.values()}, batch)
    links = {
        w: link.model_copy(update={"statements": statements.get(link.qid, {})})
        if link.qid in statements
        else link
        for w, link in links.items()
    }
    new_venues = _candidates(
        client, mapping.venues, venues or {}, venue_classes, today, batch, VENUE_CLASS_WORDS
    )
    new_topics = _candidates(client, mapping.topics, topics or {}, (), today, batch)
    summary.conflicts = len(conflicts)
    summary.candidates = len(new_venues) - len(mapping.venues) + len(new_topics) - len(mapping.topics)
    summary.requests, summary.cache_hits = client.requests, client.cache_hits
    updated = Mapping(
        works=tuple(links.values()),
        venues=new_venues,
        topics=new_topics,
        authors=mapping.authors,
        conflicts=conflicts,
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
