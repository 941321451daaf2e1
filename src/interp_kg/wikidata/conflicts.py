"""Matches that cannot all be right: two items for one work, one item for two works.

They are found, recorded in the mapping file as ``conflict`` records and reported; the tool never
picks a winner. The two versions of one paper (:mod:`.items`) may share an item: Wikidata holds
some papers as one item with both versions' identifiers, which is not a conflict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from interp_kg.curation.wikidata_mapping import MatchKind, Version
from interp_kg.wikidata.items import target


@dataclass(frozen=True, order=True)
class Match:
    """An item of a work whose identifier ``value`` (of ``kind``) the item holds."""

    work: str
    version: Version
    kind: MatchKind
    value: str
    qid: str

    def evidence(self) -> str:
        return f"{target(self.work, self.version)} {self.kind} {self.value} -> {self.qid}"


@dataclass(frozen=True)
class Linked:
    """An item of a work a person linked (a confirmed record the tool did not make)."""

    work: str
    version: Version
    qid: str

    def evidence(self) -> str:
        return f"{target(self.work, self.version)} mapping -> {self.qid}"


Key = tuple[str, Version]


def several_items(
    matches: Iterable[Match], linked: Iterable[Linked]
) -> dict[Key, tuple[set[str], list[str]]]:
    """(work, version) -> (its items, evidence) where there are several."""
    items: dict[Key, set[str]] = defaultdict(set)
    evidence: dict[Key, list[str]] = defaultdict(list)
    for m in sorted(set(matches)):
        items[(m.work, m.version)].add(m.qid)
        evidence[(m.work, m.version)].append(m.evidence())
    for link in linked:
        key = (link.work, link.version)
        if key in items:
            items[key].add(link.qid)
            evidence[key].append(link.evidence())
    return {k: (qids, evidence[k]) for k, qids in items.items() if len(qids) > 1}


def several_works(
    matches: Iterable[Match], linked: Iterable[Linked]
) -> dict[str, tuple[set[Key], list[str]]]:
    """QID -> (the items of works it stands for, evidence) where those are items of more than one work."""
    keys: dict[str, set[Key]] = defaultdict(set)
    evidence: dict[str, list[str]] = defaultdict(list)
    for m in sorted(set(matches)):
        keys[m.qid].add((m.work, m.version))
        evidence[m.qid].append(m.evidence())
    for link in linked:
        keys[link.qid].add((link.work, link.version))
        evidence[link.qid].append(link.evidence())
    return {qid: (ks, evidence[qid]) for qid, ks in keys.items() if len({work for work, _ in ks}) > 1}
