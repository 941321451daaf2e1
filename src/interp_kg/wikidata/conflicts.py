"""Matches that cannot all be right: two items for one work, one item for two works.

They are found, recorded in the mapping file and reported; the tool never picks a winner.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from interp_kg.curation.wikidata_mapping import Conflict, MatchKind


@dataclass(frozen=True, order=True)
class Match:
    """A work whose identifier ``value`` (of ``kind``) an item holds."""

    work: str
    kind: MatchKind
    value: str
    qid: str

    def evidence(self) -> str:
        return f"{self.work} {self.kind} {self.value} -> {self.qid}"


def find_conflicts(matches: Iterable[Match], linked: dict[str, str], today: dt.date) -> tuple[Conflict, ...]:
    """Conflicts among ``matches`` and the links already made (``linked``: work -> QID)."""
    matches = sorted(set(matches))
    items: dict[str, set[str]] = defaultdict(set)
    works: dict[str, set[str]] = defaultdict(set)
    evidence: dict[str, list[str]] = defaultdict(list)
    for m in matches:
        items[m.work].add(m.qid)
        works[m.qid].add(m.work)
        evidence[m.work].append(m.evidence())
        evidence[m.qid].append(m.evidence())
    for work, qid in linked.items():
        if work in items:
            items[work].add(qid)
            evidence[work].append(f"{work} mapping -> {qid}")
        works[qid].add(work)
        evidence[qid].append(f"{work} mapping -> {qid}")
    out: list[Conflict] = []
    for work, qids in sorted(items.items()):
        if len(qids) > 1:
            out.append(
                Conflict(
                    kind="several-items",
                    works=(work,),
                    qids=tuple(sorted(qids)),
                    evidence=tuple(sorted(set(evidence[work]))),
                    retrieved=today,
                )
            )
    for qid, ws in sorted(works.items()):
        if len(ws) > 1:
            out.append(
                Conflict(
                    kind="several-works",
                    works=tuple(sorted(ws)),
                    qids=(qid,),
                    evidence=tuple(sorted(set(evidence[qid]))),
                    retrieved=today,
                )
            )
    return tuple(out)


def conflicted_works(conflicts: Iterable[Conflict]) -> set[str]:
    """The works a conflict involves: they get no new link."""
    return {w for c in conflicts for w in c.works}
