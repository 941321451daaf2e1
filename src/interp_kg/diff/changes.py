"""Two versions of a list -> what changed, at the level of works and topics (``interp-kg diff``).

Both versions go through the pipeline (parse -> catalog) and are compared as catalogs, so moving,
re-wrapping or re-encoding a line changes nothing. They are read one after the other, each batch by
batch as it is parsed, and of each work only the facts compared here are kept, on disk
(:mod:`interp_kg.diff.facts`): never two whole catalogs, nor the old version's works while the new
one is read. Both are one list (the topics of the two files are one namespace), and their IRIs are
the ones a build would give them: the old version's from the bundled registry, the new version's
from that registry with the old version's IRIs added to it (:mod:`interp_kg.catalog.persist`), so a
work or topic keeps its IRI as it would in a store. Reported: works **added**, **removed**,
**merged** (two works of the old version are one work of the new: the older IRI stands for both, the
other is ``owl:sameAs`` it), **moved** (the topics they are listed under changed), **renamed** (same
work, new title) and with **links changed** (their set of URLs changed); topics **added**,
**removed** and **renamed** (new heading text, or put under another parent: the topic keeps its
IRI). Other edits of a work (notes, stars, aliases) and the "By Source" venues and authors are not
compared.

Matching works, in this order (each step sees only what the earlier ones left):

1. the same IRI (``paper/arxiv-2302.12461``, ``tool/github-...``, or the title slug of a work
   without identifiers): the registry gives a work its IRI across versions;
2. a shared identifier (arXiv id, DOI, OpenReview id, ..., a tool's GitHub repository): a work that
   gained a stronger identifier has a new slug;
3. the same normalised title (:func:`interp_kg.source.text.title_key`): a title-only work that gained one;
4. a URL that exactly one leftover work on each side links to: a title-only work whose title changed.

What is still left is added or removed.

Matching topics. Topics with the same IRI are the same topic (the registry keeps a topic's IRI when
its heading is renamed or moved); the others are matched top-down, among the children of two
matched topics (or among the top-level topics):

1. the same slug segment (the heading text, slugified): the same topic; a heading whose text changed
   only in case or punctuation keeps its IRI and is reported renamed;
2. among the leftovers, pairs whose works (listed under the topic or its sub-topics, matched as
   above) are mostly the same, Jaccard similarity >= :data:`RENAME_THRESHOLD`, best pair first: renamed;
3. when exactly one topic is left on each side and neither holds any work (a section of venues, say):
   renamed.

The rest is added or removed, sub-topics included. Sub-topics of a renamed topic are matched in
turn; they are reported only when their own heading changed. A work is moved when the topics it is
listed under differ from the new counterparts of its old topics, so renaming a topic moves none of
its works.

Example:

>>> old = "# L\\n## Probing\\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\\n"
>>> new = "# L\\n## Probes\\n* **A** [[arxiv]](https://arxiv.org/abs/2301.00001)\\n"
>>> d = diff_texts(old, new)
>>> [(t.old_label, t.label, t.iri == t.old_iri) for t in d.topics.renamed], d.works.moved
([('Probing', 'Probes', True)], ())
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from interp_kg.catalog.curated import Curated
from interp_kg.catalog.models import TOPIC_SLUG, Catalog, SourceList, Topic
from interp_kg.catalog.persist import IriBook
from interp_kg.catalog.works import CatalogBuilder, list_ref
from interp_kg.curation.aliases import default_aliases
from interp_kg.diff.facts import FactsFile, HasFacts, WorkFacts, join_by_slug
from interp_kg.escape import md_cell, md_code, md_url
from interp_kg.gcpause import no_gc
from interp_kg.rdf import vocab as v
from interp_kg.rdf.graph import GraphWriter
from interp_kg.rdf.ntriples import lit
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI, prefixes_for, turtle_header
from interp_kg.source.models import WorkKind
from interp_kg.source.parse import iter_parse_text, read_source
from interp_kg.source.text import title_key

ChangeKind = Literal[
    "added",
    "removed",
    "merged",
    "moved",
    "renamed",
    "links-changed",
    "topic-added",
    "topic-removed",
    "topic-renamed",
]
DiffFormat = Literal["text", "md", "json", "turtle", "ntriples", "atom"]

#: Two leftover sibling topics whose works have at least this Jaccard similarity are one topic renamed.
RENAME_THRESHOLD = 0.5

_IRI = r"^https?://\S+$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- the diff result --------------------------------------------------------------------------


class SourceInfo(_Model):
    """One of the two versions compared."""

    name: str = Field(min_length=1, description="The file as given on the command line, e.g. 'old.md'.")
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of its text as decoded (UTF-8, LF newlines): the file's own for clean UTF-8.",
    )
    iri: str = Field(pattern=_IRI, description="IRI of this version in the changeset, from its SHA-256.")


class TopicRef(_Model):
    """A topic as one version of the list names it."""

    iri: str = Field(pattern=_IRI, description="IRI of the topic in that version.")
    label: str = Field(min_length=1, description="The heading text.")
    path: str = Field(
        min_length=1, description="Heading texts from the top-level topic down, joined by ' > '."
    )


class WorkChange(_Model):
    """The work a change is about."""

    iri: str = Field(pattern=_IRI, description="IRI of the work in the new version (the old one if removed).")
    slug: str = Field(min_length=1, description="The IRI path, e.g. 'paper/arxiv-2302.12461'.")
    label: str = Field(
        min_length=1, description="Title of the work in the new version (the old one if removed)."
    )
    kind: WorkKind = Field(description="Class of the work: paper, tool, tutorial or video.")


class ListedWork(WorkChange):
    """A work added or removed, with the topics it is (or was) listed under."""

    topics: tuple[TopicRef, ...] = Field(default=(), description="Its topics in that version, by IRI.")


class MatchedWorkChange(WorkChange):
    """A change to a work both versions list."""

    old_iri: str = Field(pattern=_IRI, description="IRI of the work in the old version (usually the same).")


class MergedWork(MatchedWorkChange):
    """A work of the old version that is one with another: its IRI now stands for that work's."""

    old_title: str = Field(min_length=1, description="Its title in the old version.")


class MovedWork(MatchedWorkChange):
    """A work whose topics changed."""

    from_topics: tuple[TopicRef, ...] = Field(
        description="Old topics it is no longer listed under (old IRIs)."
    )
    to_topics: tuple[TopicRef, ...] = Field(description="New topics it was not listed under before.")


class RenamedWork(MatchedWorkChange):
    """A work whose title changed."""

    old_title: str = Field(min_length=1, description="Title in the old version.")
    new_title: str = Field(min_length=1, description="Title in the new version.")


class RelinkedWork(MatchedWorkChange):
    """A work whose set of URLs changed."""

    removed_urls: tuple[str, ...] = Field(description="URLs only the old version gives, sorted.")
    added_urls: tuple[str, ...] = Field(description="URLs only the new version gives, sorted.")


class TopicChange(_Model):
    """A topic added or removed."""

    iri: str = Field(
        pattern=_IRI, description="IRI of the topic in the new version (the old one if removed)."
    )
    slug: str = Field(pattern=TOPIC_SLUG, description="The IRI path, e.g. 'topic/code/library'.")
    label: str = Field(min_length=1, description="The heading text in that version.")
    path: str = Field(
        min_length=1, description="Heading texts from the top-level topic down, joined by ' > '."
    )


class RenamedTopic(TopicChange):
    """A topic whose heading text or place changed (``label`` and ``path`` are the new ones)."""

    old_iri: str = Field(pattern=_IRI, description="IRI of the topic in the old version.")
    old_label: str = Field(min_length=1, description="The heading text in the old version.")
    old_path: str = Field(min_length=1, description="The old heading path, joined by ' > '.")


class WorkChanges(_Model):
    """Changes of works, each list sorted by IRI. A work can be in several (moved and renamed, say)."""

    added: tuple[ListedWork, ...] = Field(default=(), description="Works only the new version lists.")
    removed: tuple[ListedWork, ...] = Field(default=(), description="Works only the old version lists.")
    merged: tuple[MergedWork, ...] = Field(
        default=(), description="Works of the old version now one with another (owl:sameAs it)."
    )
    moved: tuple[MovedWork, ...] = Field(default=(), description="Works listed under other topics.")
    renamed: tuple[RenamedWork, ...] = Field(default=(), description="Works with a new title.")
    links_changed: tuple[RelinkedWork, ...] = Field(default=(), description="Works with other URLs.")


class TopicChanges(_Model):
    """Changes of topics, each list sorted by IRI."""

    added: tuple[TopicChange, ...] = Field(default=(), description="Topics only the new version has.")
    removed: tuple[TopicChange, ...] = Field(default=(), description="Topics only the old version has.")
    renamed: tuple[RenamedTopic, ...] = Field(
        default=(), description="Topics with a new heading text or under another parent."
    )


class WorkCounts(_Model):
    """How many works each version lists and how many changed, by kind of change."""

    old: int = Field(ge=0, description="Works in the old version.")
    new: int = Field(ge=0, description="Works in the new version.")
    added: int = Field(ge=0, description="Works added.")
    removed: int = Field(ge=0, description="Works removed.")
    merged: int = Field(default=0, ge=0, description="Works of the old version merged into another.")
    moved: int = Field(ge=0, description="Works moved between topics.")
    renamed: int = Field(ge=0, description="Works renamed.")
    links_changed: int = Field(ge=0, description="Works whose links changed.")
    unchanged: int = Field(ge=0, description="Works in both versions without any reported change.")


class TopicCounts(_Model):
    """How many topics each version has and how many changed."""

    old: int = Field(ge=0, description="Topics in the old version.")
    new: int = Field(ge=0, description="Topics in the new version.")
    added: int = Field(ge=0, description="Topics added.")
    removed: int = Field(ge=0, description="Topics removed.")
    renamed: int = Field(ge=0, description="Topics renamed.")


class DiffSummary(_Model):
    """What was compared and how much changed."""

    old: SourceInfo = Field(description="The old version.")
    new: SourceInfo = Field(description="The new version.")
    base_iri: str = Field(pattern=_IRI, description="Base IRI of the data the IRIs are minted under.")
    changeset: str = Field(pattern=_IRI, description="IRI of the changeset, from the two SHA-256s.")
    changes: int = Field(ge=0, description="Number of changes: the length of every list added up.")
    works: WorkCounts = Field(description="Counts of works.")
    topics: TopicCounts = Field(description="Counts of topics.")


class ListDiff(_Model):
    """What changed between two versions of a list (the JSON output of ``interp-kg diff``)."""

    works: WorkChanges = Field(description="Changes of works.")
    topics: TopicChanges = Field(description="Changes of topics.")
    summary: DiffSummary = Field(description="What was compared and how much changed.")

    @property
    def changed(self) -> bool:
        """Whether anything changed (the command exits 1 if so, like ``diff``)."""
        return self.summary.changes > 0


@dataclass(frozen=True)
class Version:
    """One version of the list as the diff compares it: the facts of its works (on disk), its
    topics, and the IRIs its registry replaced (a :class:`~interp_kg.catalog.models.Catalog` has
    the same)."""

    facts: FactsFile
    topics: tuple[Topic, ...]
    replaced: tuple[tuple[str, str], ...]


# -- matching ---------------------------------------------------------------------------------


def _greedy(scored: Iterable[tuple[float, str, str]]) -> list[tuple[str, str]]:
    """One-to-one (old, new) pairs from scored candidates, best first; ties by old, then new slug."""
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    pairs = []
    for _, o, n in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if o not in taken_old and n not in taken_new:
            taken_old.add(o)
            taken_new.add(n)
            pairs.append((o, n))
    return pairs


def _identifier_keys(work: HasFacts) -> set[str]:
    return {
        f"{scheme}:{value.lower() if scheme == 'github' else value}" for scheme, value in work.identifiers
    }


def _title_keys(work: HasFacts) -> set[str]:
    return {title_key(work.title)}


def _url_keys(work: HasFacts) -> set[str]:
    return set(work.urls)


def _pairs_by_keys(
    old: Sequence[HasFacts], new: Sequence[HasFacts], keys: Callable[[HasFacts], set[str]], *, unique: bool
) -> list[tuple[str, str]]:
    """Pairs of works sharing keys, most shared first; ``unique``: only keys one work on each side has."""
    old_with: dict[str, list[str]] = defaultdict(list)
    new_with: dict[str, list[str]] = defaultdict(list)
    for w in old:
        for k in keys(w):
            old_with[k].append(w.slug)
    for w in new:
        for k in keys(w):
            new_with[k].append(w.slug)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for k, olds in old_with.items():
        news = new_with.get(k, [])
        if unique and (len(olds) != 1 or len(news) != 1):
            continue
        for o in olds:
            for n in news:
                shared[(o, n)] += 1
    return _greedy((count, o, n) for (o, n), count in shared.items())


def match_works(old: Sequence[HasFacts], new: Sequence[HasFacts]) -> dict[str, str]:
    """Old work slug -> new work slug, for every work both versions list (see the module docstring)."""
    new_slugs = {w.slug for w in new}
    pairs = {w.slug: w.slug for w in old if w.slug in new_slugs}
    for keys, unique in ((_identifier_keys, False), (_title_keys, False), (_url_keys, True)):
        taken = set(pairs.values())
        old_left = [w for w in old if w.slug not in pairs]
        new_left = [w for w in new if w.slug not in taken]
        if not old_left or not new_left:
            break
        pairs.update(_pairs_by_keys(old_left, new_left, keys, unique=unique))
    return pairs


class _TopicTree:
    """The topics of one version: children, heading paths, and the works under each (sub-topics
    too). Only the topics the matching may ask about are watched (:meth:`add` keeps their works):
    those not matched by their IRI, and their sub-topics."""

    def __init__(self, topics: Sequence[Topic], unmatched: Iterable[str], writer: GraphWriter) -> None:
        self.writer = writer
        self.topics = {t.slug: t for t in topics}
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for t in topics:
            self.children[t.parent].append(t.slug)
        #: the unmatched topics and everything under them
        self.watched: set[str] = set()
        todo = list(unmatched)
        while todo:
            slug = todo.pop()
            if slug not in self.watched:
                self.watched.add(slug)
                todo.extend(self.children.get(slug, ()))
        #: the works listed right under each watched topic (by the key :meth:`add` was given)
        self.direct: dict[str, list[str]] = defaultdict(list)
        self._under: dict[str, set[str]] = {}

    def add(self, key: str, topics: Iterable[str]) -> None:
        """Note a work (``key``: its IRI path in the new version if both list it) under ``topics``."""
        for slug in topics:
            if slug in self.watched:
                self.direct[slug].append(key)

    def works(self, slug: str) -> set[str]:
        """The works listed under a topic or any of its sub-topics."""
        found = self._under.get(slug)
        if found is None:
            assert slug in self.watched, f"the works of {slug} were not kept"
            found = set(self.direct.get(slug, ()))
            for child in self.children.get(slug, ()):
                found |= self.works(child)
            self._under[slug] = found
        return found

    def path(self, slug: str) -> str:
        labels = []
        node: str | None = slug
        while node is not None and node in self.topics:
            labels.append(self.topics[node].label)
            node = self.topics[node].parent
        return " > ".join(reversed(labels))

    def iri(self, slug: str) -> str:
        return self.writer.iri(slug)[1:-1]

    def ref(self, slug: str) -> TopicRef:
        return TopicRef(iri=self.iri(slug), label=self.topics[slug].label, path=self.path(slug))

    def change(self, slug: str) -> TopicChange:
        return TopicChange(iri=self.iri(slug), slug=slug, label=self.topics[slug].label, path=self.path(slug))


def _segment(slug: str) -> str:
    return slug.rsplit("/", 1)[-1]


def _jaccard(a: set[str], b: set[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _match_topics(old: _TopicTree, new: _TopicTree) -> dict[str, str]:
    """Old topic slug -> new topic slug: the same IRI, then top-down from the top-level topics
    (see the module docstring)."""
    pairs: dict[str, str] = {slug: slug for slug in old.topics if slug in new.topics}
    paired = set(pairs.values())  # kept up to date: a set made again per pair was quadratic
    todo: list[tuple[str | None, str | None]] = [(None, None), *pairs.items()]
    while todo:
        old_parent, new_parent = todo.pop()
        olds = [o for o in old.children.get(old_parent, []) if o not in pairs]
        news = [n for n in new.children.get(new_parent, []) if n not in paired]
        by_segment = {_segment(n): n for n in news}
        found = [(o, by_segment[_segment(o)]) for o in olds if _segment(o) in by_segment]
        taken_old, taken_new = {p for p, _ in found}, {q for _, q in found}
        old_left = [o for o in olds if o not in taken_old]
        new_left = [n for n in news if n not in taken_new]
        scores = ((_jaccard(old.works(o), new.works(n)), o, n) for o in old_left for n in new_left)
        renamed = _greedy(s for s in scores if s[0] >= RENAME_THRESHOLD)
        found += renamed
        taken_old, taken_new = {p for p, _ in renamed}, {q for _, q in renamed}
        old_left = [o for o in old_left if o not in taken_old]
        new_left = [n for n in new_left if n not in taken_new]
        if len(old_left) == len(new_left) == 1 and not old.works(old_left[0]) and not new.works(new_left[0]):
            found.append((old_left[0], new_left[0]))
        for o, n in found:
            pairs[o] = n
            paired.add(n)
            todo.append((o, n))
    return pairs


# -- the diff ---------------------------------------------------------------------------------


_Item = TypeVar("_Item", bound=WorkChange | TopicChange)


def _by_iri(items: Iterable[_Item]) -> tuple[_Item, ...]:
    """Changes sorted by IRI (the order of every list in a :class:`ListDiff`)."""
    return tuple(sorted(items, key=lambda x: x.iri))


def _sha256(text: str, chunk: int = 1 << 20) -> str:
    """SHA-256 of ``text`` in UTF-8, encoded a megabyte of characters at a time (not all at once:
    a list of a million entries is 140 MB)."""
    digest = hashlib.sha256()
    for start in range(0, len(text), chunk):
        digest.update(text[start : start + chunk].encode("utf-8"))
    return digest.hexdigest()


def source_info(name: str, text: str, base_iri: str = DEFAULT_BASE_IRI) -> SourceInfo:
    """Name, SHA-256 and changeset IRI of one version of a list, from its decoded text."""
    digest = _sha256(text)
    return SourceInfo(name=name, sha256=digest, iri=f"{base_iri}source/{digest[:16]}")


def _listed(w: WorkFacts, tree: _TopicTree, iri: str) -> ListedWork:
    return ListedWork(
        iri=iri, slug=w.slug, label=w.title, kind=w.kind, topics=tuple(tree.ref(t) for t in w.topics)
    )


def diff_versions(
    old: Version,
    new: Version,
    old_source: SourceInfo,
    new_source: SourceInfo,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> ListDiff:
    """Compare two versions: works and topics matched as the module docstring says. The works are
    read a bucket at a time (:func:`~interp_kg.diff.facts.join_by_slug`); memory holds the pairs
    that may have changed, the works not matched by their IRI, and the works under the topics
    not matched by theirs."""
    writer = GraphWriter(base_iri)

    def iri(slug: str) -> str:
        return writer.iri(slug)[1:-1]

    old_topics = {t.slug for t in old.topics}
    new_topics = {t.slug for t in new.topics}
    old_tree = _TopicTree(old.topics, old_topics - new_topics, writer)
    new_tree = _TopicTree(new.topics, new_topics - old_topics, writer)
    replacing = {n for _, n in new.replaced}
    #: the new works an IRI of the old version was replaced by
    survivors: dict[str, WorkFacts] = {}
    #: pairs of works that may have changed (the others have the same facts and topic IRIs)
    compared: list[tuple[WorkFacts, WorkFacts]] = []
    old_left: list[WorkFacts] = []
    new_left: list[WorkFacts] = []
    same_iri = 0
    for ow, nw in join_by_slug(old.facts, new.facts):
        if nw is None:
            assert ow is not None
            old_left.append(ow)
            continue
        if nw.slug in replacing:
            survivors[nw.slug] = nw
        if ow is None:
            new_left.append(nw)
            continue
        same_iri += 1
        old_tree.add(ow.slug, ow.topics)
        new_tree.add(nw.slug, nw.topics)
        if (
            ow.title != nw.title
            or ow.urls != nw.urls
            or ow.topics != nw.topics
            or not new_topics.issuperset(ow.topics)
        ):
            compared.append((ow, nw))
    old_left.sort(key=lambda w: w.slug)
    new_left.sort(key=lambda w: w.slug)
    left_slugs = {w.slug for w in old_left}
    # a work of the old version whose IRI the new version's registry replaced: one with another
    merged_into = {o: n for o, n in new.replaced if o in left_slugs and n in survivors}
    work_pairs = match_works([w for w in old_left if w.slug not in merged_into], new_left)
    new_matched = set(work_pairs.values())
    new_by_slug = {w.slug: w for w in new_left}
    for ow in old_left:
        old_tree.add(work_pairs.get(ow.slug, f"old:{ow.slug}"), ow.topics)
        if ow.slug in work_pairs:
            compared.append((ow, new_by_slug[work_pairs[ow.slug]]))
    for nw in new_left:
        new_tree.add(nw.slug if nw.slug in new_matched else f"new:{nw.slug}", nw.topics)
    topic_pairs = _match_topics(old_tree, new_tree)

    moved, renamed, relinked = [], [], []
    for ow, nw in compared:
        common = {
            "iri": iri(nw.slug),
            "slug": nw.slug,
            "label": nw.title,
            "kind": nw.kind,
            "old_iri": iri(ow.slug),
        }
        now = set(nw.topics)
        mapped = {topic_pairs.get(t) for t in ow.topics}
        left = [t for t in ow.topics if topic_pairs.get(t) not in now]
        joined = [t for t in nw.topics if t not in mapped]
        if left or joined:
            moved.append(
                MovedWork(
                    **common,
                    from_topics=tuple(old_tree.ref(t) for t in left),
                    to_topics=tuple(new_tree.ref(t) for t in joined),
                )
            )
        if ow.title != nw.title:
            renamed.append(RenamedWork(**common, old_title=ow.title, new_title=nw.title))
        if set(ow.urls) != set(nw.urls):
            relinked.append(
                RelinkedWork(
                    **common,
                    removed_urls=tuple(sorted(set(ow.urls) - set(nw.urls))),
                    added_urls=tuple(sorted(set(nw.urls) - set(ow.urls))),
                )
            )
    added = [_listed(w, new_tree, iri(w.slug)) for w in new_left if w.slug not in new_matched]
    removed = [
        _listed(w, old_tree, iri(w.slug))
        for w in old_left
        if w.slug not in work_pairs and w.slug not in merged_into
    ]
    merged = [
        MergedWork(
            iri=iri(merged_into[w.slug]),
            slug=merged_into[w.slug],
            label=survivors[merged_into[w.slug]].title,
            kind=survivors[merged_into[w.slug]].kind,
            old_iri=iri(w.slug),
            old_title=w.title,
        )
        for w in old_left
        if w.slug in merged_into
    ]

    new_topics_matched = set(topic_pairs.values())
    topics_added = [new_tree.change(t.slug) for t in new.topics if t.slug not in new_topics_matched]
    topics_removed = [old_tree.change(t.slug) for t in old.topics if t.slug not in topic_pairs]
    topics_renamed = [
        RenamedTopic(
            **new_tree.change(n).model_dump(),
            old_iri=iri(o),
            old_label=old_tree.topics[o].label,
            old_path=old_tree.path(o),
        )
        for o, n in topic_pairs.items()
        if old_tree.topics[o].label != new_tree.topics[n].label
        or topic_pairs.get(old_tree.topics[o].parent or "") != new_tree.topics[n].parent
    ]

    works = WorkChanges(
        added=_by_iri(added),
        removed=_by_iri(removed),
        merged=tuple(sorted(merged, key=lambda m: m.old_iri)),
        moved=_by_iri(moved),
        renamed=_by_iri(renamed),
        links_changed=_by_iri(relinked),
    )
    topics = TopicChanges(
        added=_by_iri(topics_added), removed=_by_iri(topics_removed), renamed=_by_iri(topics_renamed)
    )
    touched = {c.slug for c in (*works.moved, *works.renamed, *works.links_changed)}
    changes = sum(len(getattr(works, f)) for f in WorkChanges.model_fields) + sum(
        len(getattr(topics, f)) for f in TopicChanges.model_fields
    )
    pair_hash = _sha256(f"{old_source.sha256}:{new_source.sha256}")
    summary = DiffSummary(
        old=old_source,
        new=new_source,
        base_iri=base_iri,
        changeset=f"{base_iri}changeset/{pair_hash[:16]}",
        changes=changes,
        works=WorkCounts(
            old=old.facts.count,
            new=new.facts.count,
            added=len(works.added),
            removed=len(works.removed),
            merged=len(works.merged),
            moved=len(works.moved),
            renamed=len(works.renamed),
            links_changed=len(works.links_changed),
            unchanged=same_iri + len(work_pairs) - len(touched),
        ),
        topics=TopicCounts(
            old=len(old.topics),
            new=len(new.topics),
            added=len(topics.added),
            removed=len(topics.removed),
            renamed=len(topics.renamed),
        ),
    )
    return ListDiff(works=works, topics=topics, summary=summary)


def diff_catalogs(
    old: Catalog,
    new: Catalog,
    old_source: SourceInfo,
    new_source: SourceInfo,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> ListDiff:
    """Compare two catalogs held whole (:mod:`interp_kg.diff.seed`'s, of the small bundled lists):
    their works' facts go through a temporary folder as :func:`diff_sources`'s do."""
    with tempfile.TemporaryDirectory(prefix="interp-kg-diff-") as folder:
        versions = []
        for name, catalog in (("old", old), ("new", new)):
            facts = FactsFile(Path(folder) / f"{name}.facts")
            try:
                for work in catalog.works:
                    facts.add(work)
            finally:
                facts.close()
            versions.append(Version(facts=facts, topics=catalog.topics, replaced=catalog.replaced))
        old_version, new_version = versions
        return diff_versions(old_version, new_version, old_source, new_source, base_iri=base_iri)


def read_version(
    read: Callable[[], str], name: str, ref: SourceList, book: IriBook, facts: FactsFile, base_iri: str
) -> tuple[SourceInfo, Version]:
    """Catalogue one version as a build would, batch by batch as it is parsed, writing of each work
    only the facts the diff compares into ``facts`` (:class:`~interp_kg.diff.facts.FactsFile`).
    ``read`` gives its decoded text, which nothing holds once the parser has split it into lines
    (a million entries with one emoji are 560 MB of text: four bytes a character)."""
    text = read()
    info = source_info(name, text, base_iri)
    parser = iter_parse_text(text, ref.source, keep=False)
    del text
    try:
        builder = CatalogBuilder(book=book, curated=Curated(aliases=book.aliases), keep_works=False)
        builder.read(ref.source, parser, ref)
        del parser
        for work in builder.works():
            facts.add(work)
    finally:
        facts.close()
    catalog = builder.catalog()
    return info, Version(facts=facts, topics=catalog.topics, replaced=catalog.replaced)


def following(book: IriBook) -> IriBook:
    """The IRIs of the new version: the registry as a build of the old version would leave it
    (:meth:`IriBook.local <interp_kg.catalog.persist.IriBook.local>`; the works it minted are read
    from its spool, :class:`~interp_kg.catalog.persist.Minted`, which the new book takes over: a
    million works' models would be about 0.8 GB), keeping none of what it mints."""
    return IriBook(
        book.layers.base, book.local(fresh=False), book.aliases, remember=False, earlier=book.fresh
    )


def diff_texts(
    old_text: str,
    new_text: str,
    *,
    old_name: str = "old.md",
    new_name: str = "new.md",
    base_iri: str = DEFAULT_BASE_IRI,
) -> ListDiff:
    """Compare two versions of a list given as (decoded) text; the names label them in the output."""
    return diff_sources(
        lambda: old_text, lambda: new_text, old_name=old_name, new_name=new_name, base_iri=base_iri
    )


def diff_sources(
    old: Callable[[], str],
    new: Callable[[], str],
    *,
    old_name: str = "old.md",
    new_name: str = "new.md",
    base_iri: str = DEFAULT_BASE_IRI,
) -> ListDiff:
    """Compare two versions of a list, each read (decoded) when its turn comes: the old one, then
    the new one. The facts of their works are kept in a temporary folder, removed at the end."""
    with no_gc(), tempfile.TemporaryDirectory(prefix="interp-kg-diff-") as folder:  # no_gc: 25 -> 15 s
        old_ref, new_ref = _one_list(Path(old_name).name, Path(new_name).name)
        book = IriBook(aliases=default_aliases())
        old_info, old_version = read_version(
            old, old_name, old_ref, book, FactsFile(Path(folder) / "old.facts"), base_iri
        )
        book = following(book)
        new_info, new_version = read_version(
            new, new_name, new_ref, book, FactsFile(Path(folder) / "new.facts"), base_iri
        )
        del book
        return diff_versions(old_version, new_version, old_info, new_info, base_iri=base_iri)


def _one_list(old: str, new: str) -> tuple[SourceList, SourceList]:
    """The two versions as one list: the bundled list when either is a bundled file, else the
    list the new version's file names."""
    old_ref, new_ref = list_ref(old), list_ref(new)
    lead = old_ref if old_ref.bare and not new_ref.bare else new_ref
    same = {"name": lead.name, "bare": lead.bare}
    return old_ref.model_copy(update=same), new_ref.model_copy(update=same)


def diff_files(old: Path, new: Path, *, base_iri: str = DEFAULT_BASE_IRI) -> ListDiff:
    """Compare two list files; raises :class:`~interp_kg.errors.SourceError` if one cannot be read.
    The new one is read once the old one is catalogued."""
    return diff_sources(
        lambda: read_source(old)[0],
        lambda: read_source(new)[0],
        old_name=str(old),
        new_name=str(new),
        base_iri=base_iri,
    )


# -- output -----------------------------------------------------------------------------------


def _slug(iri: str, w: WorkChange) -> str:
    """The IRI path of ``iri`` (a data IRI under the same base as ``w``'s)."""
    base = w.iri[: len(w.iri) - len(w.slug)]
    return iri[len(base) :] if iri.startswith(base) else iri


def _counts_line(diff: ListDiff) -> str:
    w, t = diff.summary.works, diff.summary.topics
    merged = f"{w.merged} merged, " if w.merged else ""
    return (
        f"works: {w.added} added, {w.removed} removed, {merged}{w.moved} moved, {w.renamed} renamed, "
        f"{w.links_changed} with changed links ({w.old} -> {w.new}); "
        f"topics: {t.added} added, {t.removed} removed, {t.renamed} renamed ({t.old} -> {t.new})"
    )


def render_text(diff: ListDiff) -> str:
    """A plain-text report for terminals: a summary line, then one block per kind of change."""
    s = diff.summary
    head = f"{s.old.name} -> {s.new.name}: "
    if not diff.changed:
        return f"{head}no changes ({s.works.new} works, {s.topics.new} topics)\n"
    out = [f"{head}{s.changes} changes", f"  {_counts_line(diff)}"]

    def block(title: str, lines: Iterable[str]) -> None:
        lines = list(lines)
        if lines:
            out.extend(["", f"{title}:", *lines])

    block("topics added", (f"  + {t.path}" for t in diff.topics.added))
    block("topics removed", (f"  - {t.path}" for t in diff.topics.removed))
    block(
        "topics renamed",
        (
            f"  ~ {t.old_path}\n    -> {t.label if t.label != t.old_label else t.path}"
            for t in diff.topics.renamed
        ),
    )

    def listed(sign: str, w: ListedWork) -> str:
        where = "".join(f"\n      in {t.path}" for t in w.topics)
        return f"  {sign} {w.label}  [{w.slug}]{where}"

    block("works added", (listed("+", w) for w in diff.works.added))
    block("works removed", (listed("-", w) for w in diff.works.removed))
    block(
        "works merged (the old IRI is owl:sameAs the one that stands for both)",
        (f"  = {w.old_title}  [{_slug(w.old_iri, w)}] -> [{w.slug}]" for w in diff.works.merged),
    )
    block(
        "works moved",
        (
            f"  > {w.label}  [{w.slug}]"
            + "".join(f"\n      from {t.path}" for t in w.from_topics)
            + "".join(f"\n      to   {t.path}" for t in w.to_topics)
            for w in diff.works.moved
        ),
    )
    block(
        "works renamed", (f"  ~ {w.old_title}\n    -> {w.new_title}  [{w.slug}]" for w in diff.works.renamed)
    )
    block(
        "works with changed links",
        (
            f"  * {w.label}  [{w.slug}]"
            + "".join(f"\n      - {u}" for u in w.removed_urls)
            + "".join(f"\n      + {u}" for u in w.added_urls)
            for w in diff.works.links_changed
        ),
    )
    return "\n".join(out) + "\n"


def _topics_md(topics: Sequence[TopicRef]) -> str:
    return ", ".join(md_cell(t.path) for t in topics) or "(no topic)"


def render_markdown(diff: ListDiff) -> str:
    """A Markdown report (for a pull request or a changelog): one section per kind of change."""
    s = diff.summary
    out = [f"# Changes from {md_code(s.old.name)} to {md_code(s.new.name)}", ""]
    if not diff.changed:
        out.append(f"No changes ({s.works.new} works, {s.topics.new} topics).")
        return "\n".join(out) + "\n"
    out.append(f"{s.changes} changes: {_counts_line(diff).replace('->', '→')}.")

    def section(title: str, items: Sequence[str]) -> None:
        if items:
            out.extend(["", f"### {title} ({len(items)})", "", *(f"- {i}" for i in items)])

    if diff.topics.added or diff.topics.removed or diff.topics.renamed:
        out.extend(["", "## Topics"])
        section("Added", [md_cell(t.path) for t in diff.topics.added])
        section("Removed", [md_cell(t.path) for t in diff.topics.removed])
        section(
            "Renamed",
            [
                f"{md_cell(t.path)} (was **{md_cell(t.old_label)}**, {md_code(t.old_iri)})"
                for t in diff.topics.renamed
            ],
        )
    works = diff.works
    if any((works.added, works.removed, works.merged, works.moved, works.renamed, works.links_changed)):
        out.extend(["", "## Works"])

        def listed(w: ListedWork) -> str:
            return f"**{md_cell(w.label)}** ({md_code(w.slug)})" + "".join(
                f" — {md_cell(t.path)}" for t in w.topics
            )

        section("Added", [listed(w) for w in works.added])
        section("Removed", [listed(w) for w in works.removed])
        section(
            "Merged",
            [
                f"**{md_cell(w.old_title)}** ({md_code(_slug(w.old_iri, w))}) is now {md_code(w.slug)}"
                for w in works.merged
            ],
        )
        section(
            "Moved",
            [
                f"**{md_cell(w.label)}**: {_topics_md(w.from_topics)} → {_topics_md(w.to_topics)}"
                for w in works.moved
            ],
        )
        section(
            "Renamed", [f"~~{md_cell(w.old_title)}~~ → **{md_cell(w.new_title)}**" for w in works.renamed]
        )
        section(
            "Links changed",
            [
                f"**{md_cell(w.label)}**: "
                + "; ".join(
                    [
                        *(f"removed {md_url(u)}" for u in w.removed_urls),
                        *(f"added {md_url(u)}" for u in w.added_urls),
                    ]
                )
                for w in works.links_changed
            ],
        )
    return "\n".join(out) + "\n"


def render_json(diff: ListDiff) -> str:
    """The diff as JSON (the :class:`ListDiff` model; keys sorted, UTF-8 kept)."""
    return json.dumps(diff.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _change_triples(cs: str, node: str, kind: ChangeKind, label: str) -> Iterator[str]:
    yield f"<{cs}> <{v.CHANGE_P}> {node} .\n"
    yield f"{node} <{v.TYPE}> <{v.CHANGE}> .\n"
    yield f"{node} <{v.LABEL}> {lit(f'{kind}: {label}')} .\n"
    yield f"{node} <{v.CHANGE_KIND}> {lit(kind)} .\n"


def changeset_triples(diff: ListDiff) -> Iterator[str]:
    """The changeset as N-Triples lines (with their newlines), unsorted: one ``ikg:Changeset`` using
    the two versions, one ``ikg:Change`` per change; every node has an IRI (no blank nodes)."""
    s = diff.summary
    cs = s.changeset
    yield f"<{cs}> <{v.TYPE}> <{v.CHANGESET}> .\n"
    yield f"<{cs}> <{v.TYPE}> <{v.PROV_ACTIVITY}> .\n"
    yield f"<{cs}> <{v.LABEL}> {lit(f'changes from {s.old.name} to {s.new.name}')} .\n"
    for prop, src in ((v.FROM_VERSION, s.old), (v.TO_VERSION, s.new)):
        yield f"<{cs}> <{prop}> <{src.iri}> .\n"
        yield f"<{cs}> <{v.PROV_USED}> <{src.iri}> .\n"
        yield f"<{src.iri}> <{v.TYPE}> <{v.PROV_ENTITY}> .\n"
        yield f"<{src.iri}> <{v.LABEL}> {lit(src.name)} .\n"
        yield f"<{src.iri}> <{v.IDENTIFIER}> {lit(f'sha256:{src.sha256}')} .\n"

    def node(kind: ChangeKind, slug: str) -> str:
        return f"<{cs}/{kind}/{slug}>"

    def work(kind: ChangeKind, w: WorkChange) -> Iterator[str]:
        n = node(kind, w.slug)
        yield from _change_triples(cs, n, kind, w.label)
        yield f"{n} <{v.CHANGED_WORK}> <{w.iri}> .\n"
        if isinstance(w, MatchedWorkChange) and w.old_iri != w.iri:
            yield f"{n} <{v.PREVIOUS_WORK}> <{w.old_iri}> .\n"

    works, topics = diff.works, diff.topics
    for w in works.added:
        yield from work("added", w)
        yield f"{node('added', w.slug)} <{v.NEW_VALUE}> {lit(w.label)} .\n"
    for w in works.removed:
        yield from work("removed", w)
        yield f"{node('removed', w.slug)} <{v.OLD_VALUE}> {lit(w.label)} .\n"
    for mw in works.merged:
        old_slug = _slug(mw.old_iri, mw)
        n = node("merged", old_slug)
        yield from _change_triples(cs, n, "merged", mw.old_title)
        yield f"{n} <{v.CHANGED_WORK}> <{mw.iri}> .\n"
        yield f"{n} <{v.PREVIOUS_WORK}> <{mw.old_iri}> .\n"
        yield f"{n} <{v.OLD_VALUE}> {lit(mw.old_title)} .\n"
    for m in works.moved:
        yield from work("moved", m)
        yield from (f"{node('moved', m.slug)} <{v.FROM_TOPIC}> <{t.iri}> .\n" for t in m.from_topics)
        yield from (f"{node('moved', m.slug)} <{v.TO_TOPIC}> <{t.iri}> .\n" for t in m.to_topics)
    for r in works.renamed:
        yield from work("renamed", r)
        yield f"{node('renamed', r.slug)} <{v.OLD_VALUE}> {lit(r.old_title)} .\n"
        yield f"{node('renamed', r.slug)} <{v.NEW_VALUE}> {lit(r.new_title)} .\n"
    for k in works.links_changed:
        yield from work("links-changed", k)
        yield from (f"{node('links-changed', k.slug)} <{v.OLD_VALUE}> {lit(u)} .\n" for u in k.removed_urls)
        yield from (f"{node('links-changed', k.slug)} <{v.NEW_VALUE}> {lit(u)} .\n" for u in k.added_urls)

    def topic(kind: ChangeKind, t: TopicChange) -> Iterator[str]:
        n = node(kind, t.slug)
        yield from _change_triples(cs, n, kind, t.label)
        yield f"{n} <{v.CHANGED_TOPIC}> <{t.iri}> .\n"

    for t in topics.added:
        yield from topic("topic-added", t)
        yield f"{node('topic-added', t.slug)} <{v.NEW_VALUE}> {lit(t.label)} .\n"
    for t in topics.removed:
        yield from topic("topic-removed", t)
        yield f"{node('topic-removed', t.slug)} <{v.OLD_VALUE}> {lit(t.label)} .\n"
    for rt in topics.renamed:
        n = node("topic-renamed", rt.slug)
        yield from topic("topic-renamed", rt)
        if rt.old_iri != rt.iri:
            yield f"{n} <{v.PREVIOUS_TOPIC}> <{rt.old_iri}> .\n"
        yield f"{n} <{v.OLD_VALUE}> {lit(rt.old_label)} .\n"
        yield f"{n} <{v.NEW_VALUE}> {lit(rt.label)} .\n"


def render_ntriples(diff: ListDiff) -> str:
    """The changeset as N-Triples: unique lines, sorted."""
    return "".join(sorted(set(changeset_triples(diff))))


def render_turtle(diff: ListDiff) -> str:
    """The changeset as Turtle (pyoxigraph), with the prefix map's ``@prefix`` lines in its order."""
    import pyoxigraph

    triples = [
        q.triple
        for q in pyoxigraph.parse(
            render_ntriples(diff).encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
    ]
    # Data IRIs stay whole where their paths hold '/' (as in `interp-kg export`).
    prefixes = {p: ns for p, ns in prefixes_for(diff.summary.base_iri).items() if p != "id"}
    out = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)
    assert out is not None
    # pyoxigraph writes the prefixes in hash order; put them in the prefix map's order.
    body = "".join(
        line for line in out.decode("utf-8").splitlines(keepends=True) if not line.startswith("@prefix ")
    )
    return turtle_header(prefixes) + body


def render_atom(diff: ListDiff) -> str:
    """An Atom feed of the works the new version adds (:mod:`interp_kg.diff.feed`), each linked
    at its IRI; updated at ``$SOURCE_DATE_EPOCH`` when set, else now."""
    import os
    from datetime import UTC, datetime

    from interp_kg.diff.feed import Feed, FeedEntry, atom_feed

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    updated = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    base = diff.summary.base_iri
    entries = [
        FeedEntry(
            id=w.iri,
            title=w.label,
            link=w.iri,
            updated=updated,
            summary=f"New {w.kind} in {diff.summary.new.name}"
            + (": " + "; ".join(t.path for t in w.topics) if w.topics else ""),
            categories=tuple(t.label for t in w.topics),
        )
        for w in diff.works.added
    ]
    feed = Feed(
        id=diff.summary.new.iri,
        title=f"Works added in {diff.summary.new.name}",
        subtitle=f"{len(entries)} works added since {diff.summary.old.name}",
        self_link=diff.summary.changeset,
        alternate=base,
        updated=updated,
        entries=entries,
    )
    return atom_feed(feed).decode("utf-8")


#: Output format -> renderer; drives both dispatch and the CLI's ``--format`` choices.
WRITERS: Mapping[DiffFormat, Callable[[ListDiff], str]] = {
    "text": render_text,
    "md": render_markdown,
    "json": render_json,
    "turtle": render_turtle,
    "ntriples": render_ntriples,
    "atom": render_atom,
}


def render(diff: ListDiff, fmt: DiffFormat) -> bytes:
    """The diff in ``fmt`` (a key of :data:`WRITERS`), UTF-8 encoded."""
    return WRITERS[fmt](diff).encode("utf-8")
