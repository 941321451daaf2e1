"""Counting works up the topic tree without expanding them to every topic above them.

The reports count, per topic, the works listed under it **or any topic below it**, each work once.
Expanding every work to the topics above it in SPARQL (the closure of ``skos:broader`` joined to
the works' topics) makes several rows per work, which is slow on a large store. Instead the report
queries count works per *key* (``coverage-facts.rq``, ``wikidata-keys.rq``): the topic of a work
listed under exactly one topic, the work itself for a work listed under several (the queries give
those works once per topic, about 5% of the works), none for a work listed under no topic. The
keys partition the works, so a topic's figures are the sum of the counts of the keys whose topics
lie in its sub-tree, each key once. The tree itself is small (a few thousand topics) and closed
here.

A fact of a work is a bit of the number ``?facts`` (see :data:`FACT_BITS`, the same as in
``coverage-facts.rq``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Final

#: The bits of ``?facts`` in ``coverage-facts.rq``.
FACT_BITS: Final[Mapping[str, int]] = {
    "paper": 1,
    "tool": 2,
    "tutorial": 4,
    "video": 8,
    "featured": 16,
    "dated": 32,
    "venue": 64,
    "code": 128,
    "arxiv": 256,
    "doi": 512,
    "openreview": 1024,
    "acl": 2048,
    "authors": 4096,
    "date": 8192,
    "wikidata": 16384,
    "reviewed": 32768,
    "conference": 65536,
    "journal": 131072,
    "workshop": 262144,
    "preprint": 524288,
    "forum": 1048576,
    "blog": 2097152,
}


def ancestors(parents: Mapping[str, Iterable[str]], topics: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each topic with itself and every topic above it (``skos:broader*``), cycles included.

    >>> sorted(ancestors({"b": ["a"], "c": ["b"]}, ["a", "b", "c"])["c"])
    ['a', 'b', 'c']
    """
    out: dict[str, frozenset[str]] = {}
    for topic in topics:
        seen = {topic}
        stack = [topic]
        while stack:
            for parent in parents.get(stack.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        out[topic] = frozenset(seen)
    return out


class KeyedCounts:
    """Counts per key summed up the tree: ``up[topic]`` maps a value (such as ``(facts, year)``)
    to the number of works under the topic or below it with that value; ``total`` over all works.

    ``closure``: :func:`ancestors` of the topics; ``multi``: the topics of each work listed under
    two or more topics. A key that is neither a topic of ``closure`` nor a work of ``multi`` (a
    work under no topic, or under a node that is not a topic) counts in ``total`` only.
    """

    def __init__(self, closure: Mapping[str, frozenset[str]], multi: Mapping[str, Iterable[str]]) -> None:
        self.closure = closure
        self.multi = multi
        self.up: dict[str, dict[object, int]] = defaultdict(lambda: defaultdict(int))
        self.total: dict[object, int] = defaultdict(int)
        self._scopes: dict[str | None, frozenset[str]] = {}

    def scope(self, key: str | None) -> frozenset[str]:
        """The topics a key's works count under: those above any topic the works are listed under."""
        found = self._scopes.get(key)
        if found is None:
            topics = self.multi.get(key, ()) if key is not None and key not in self.closure else (key,)
            found = frozenset().union(*(self.closure.get(t, ()) for t in topics if t is not None))
            self._scopes[key] = found
        return found

    def add(self, key: str | None, value: object, n: int) -> None:
        """Count ``n`` works of ``key`` with ``value``."""
        self.total[value] += n
        for topic in self.scope(key):
            self.up[topic][value] += n


def direct_works(
    closure: Mapping[str, object], keys: Mapping[str | None, int], multi: Mapping[str, Iterable[str]]
) -> dict[str, int]:
    """Works listed directly under each topic, from the works per key."""
    out: dict[str, int] = defaultdict(int)
    for key, n in keys.items():
        if key is not None and key in closure:
            out[key] += n
    for topics in multi.values():
        for topic in set(topics):
            out[topic] += 1
    return out
