"""The site's index on disk: one SQLite file (the standard library's ``sqlite3``) that the scan
writes once and every page worker reads, instead of dictionaries pickled to each worker.

At a million entries the index (a label, kind and year per work, each subject's byte spans, every
work's citation, who is listed where) is gigabytes as Python objects, and each worker held a copy.
On disk it costs each process only SQLite's page cache (:data:`CACHE_KIB`), whatever the graph's
size; a look-up by IRI is a B-tree search (a few microseconds). The file lives beside the site
being written and is removed with it.

:class:`Table` is a read-only mapping (IRI -> value) over one two-column table, :class:`Groups`
one over a table of (collection, member) rows: the pages read them as they read dictionaries.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, Generic, TypeVar

V = TypeVar("V")

#: SQLite's page cache per connection (KiB): bounds what the index costs each process.
CACHE_KIB = 16 << 10
#: Look-ups remembered per table and process (labels and kinds of topics and venues repeat).
REMEMBERED = 1 << 14


class Db:
    """The index file: opened lazily in each process (pickles as its path)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            conn.execute("PRAGMA temp_store = FILE")
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path = state["path"]
        self._conn = None

    def query(self, sql: str, args: Iterable[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of ``sql``, streamed (a cursor of its own)."""
        return self.conn.cursor().execute(sql, tuple(args))

    def one(self, sql: str, args: Iterable[Any] = ()) -> Any:
        """The first column of the first row of ``sql`` (``None`` without a row)."""
        row = self.conn.execute(sql, tuple(args)).fetchone()
        return None if row is None else row[0]


def _same(value: Any) -> Any:
    return value


class Table(Mapping[str, V], Generic[V]):
    """Table ``name`` (``k TEXT PRIMARY KEY, v``) as a read-only mapping; ``decode`` makes a
    stored value the mapping's. Iteration is in key order. ``name`` may be a join of tables on
    ``k``, and ``value`` several columns: ``decode`` then takes them all."""

    def __init__(self, db: Db, name: str, decode: Callable[..., V] = _same, value: str = "v") -> None:
        self.db = db
        self.name = name
        self.decode = decode
        self.value = value
        self._get = f"SELECT {value} FROM {name} WHERE k = ?"
        self.remembered: dict[str, Any] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"db": self.db, "name": self.name, "decode": self.decode, "value": self.value}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["db"], state["name"], state["decode"], state["value"])  # type: ignore[misc]

    def get(self, key: str, default: Any = None) -> Any:
        found = self.remembered.get(key, self)
        if found is self:
            row = self.db.conn.execute(self._get, (key,)).fetchone()
            found = None if row is None else self.decode(*row)
            if len(self.remembered) >= REMEMBERED:
                self.remembered.clear()
            self.remembered[key] = found
        return default if found is None else found

    def __getitem__(self, key: str) -> V:
        found: V | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def fill(self, keys: Sequence[str]) -> None:
        """Remember the values of ``keys`` (sorted), read in one range scan instead of a look-up
        each: the page workers read their subjects this way, a batch at a time."""
        if not keys:
            return
        if len(self.remembered) + len(keys) > REMEMBERED:
            self.remembered.clear()
        remembered, decode = self.remembered, self.decode
        remembered.update(dict.fromkeys(keys))
        sql = f"SELECT k, {self.value} FROM {self.name} WHERE k BETWEEN ? AND ?"
        for k, *v in self.db.query(sql, (keys[0], keys[-1])):
            if k in remembered:
                remembered[k] = decode(*v)

    def __iter__(self) -> Iterator[str]:
        return (k for (k,) in self.db.query(f"SELECT k FROM {self.name} ORDER BY k"))

    def __len__(self) -> int:
        return int(self.db.one(f"SELECT COUNT(*) FROM {self.name}"))

    def items(self) -> Iterator[tuple[str, V]]:  # type: ignore[override]
        decode = self.decode
        rows = self.db.query(f"SELECT k, {self.value} FROM {self.name} ORDER BY k")
        return ((k, decode(*v)) for k, *v in rows)

    def values(self) -> Iterator[V]:  # type: ignore[override]
        decode = self.decode
        return (decode(v) for k, v in self.items())


class Groups(Mapping[str, list[str]]):
    """The ``member`` rows of group ``group`` as a read-only mapping: collection -> its members
    in the order the graph lists them."""

    def __init__(self, db: Db, group: str) -> None:
        self.db = db
        self.group = group

    def get(self, key: str, default: Any = None) -> Any:
        found = [
            m
            for (m,) in self.db.query(
                "SELECT m FROM member WHERE g = ? AND c = ? ORDER BY n", (self.group, key)
            )
        ]
        return found if found else default

    def __getitem__(self, key: str) -> list[str]:
        found: list[str] | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return (
            self.db.one("SELECT 1 FROM member WHERE g = ? AND c = ? LIMIT 1", (self.group, key)) is not None
        )

    def __iter__(self) -> Iterator[str]:
        return (
            c for (c,) in self.db.query("SELECT DISTINCT c FROM member WHERE g = ? ORDER BY c", (self.group,))
        )

    def __len__(self) -> int:
        return int(self.db.one("SELECT COUNT(DISTINCT c) FROM member WHERE g = ?", (self.group,)))

    def items(self) -> Iterator[tuple[str, list[str]]]:  # type: ignore[override]
        return grouped(self.db.query("SELECT c, m FROM member WHERE g = ? ORDER BY c, n", (self.group,)))


def grouped(rows: Iterable[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    """(key, values) of rows sorted by key.

    >>> list(grouped([("a", "1"), ("a", "2"), ("b", "3")]))
    [('a', ['1', '2']), ('b', ['3'])]
    """
    for key, run in itertools.groupby(rows, key=itemgetter(0)):
        yield key, [value for _, value in run]


class Subjects:
    """The subjects with pages, sorted (table ``subject``): a sized, iterable sequence."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def __len__(self) -> int:
        return int(self.db.one("SELECT COUNT(*) FROM subject"))

    def __iter__(self) -> Iterator[str]:
        return (k for (k,) in self.db.query("SELECT k FROM subject ORDER BY n"))

    def __contains__(self, key: object) -> bool:
        return self.db.one("SELECT 1 FROM subject WHERE k = ?", (key,)) is not None


class Spans(Mapping[str, tuple[int, ...]]):
    """Subject -> the (start, end, ...) byte spans of its lines in the N-Triples file (table
    ``run``, in the file's order)."""

    def __init__(self, db: Db) -> None:
        self.db = db
        self.remembered: dict[str, tuple[int, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"db": self.db}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["db"])  # type: ignore[misc]

    def get(self, key: str, default: Any = None) -> Any:
        found = self.remembered.get(key)
        if found is None:
            sql = "SELECT a, b FROM run WHERE s = ? ORDER BY rowid"
            found = tuple(x for row in self.db.query(sql, (key,)) for x in row)
        return found if found else default

    def fill(self, keys: Sequence[str]) -> None:
        """Hold the spans of ``keys`` (sorted), read in one range scan (until the next batch)."""
        self.remembered.clear()
        if not keys:
            return
        wanted = set(keys)
        rows = self.db.query(
            "SELECT s, a, b FROM run WHERE s BETWEEN ? AND ? ORDER BY s, rowid", (keys[0], keys[-1])
        )
        for s, run in itertools.groupby(rows, key=itemgetter(0)):
            if s in wanted:
                self.remembered[s] = tuple(x for _, a, b in run for x in (a, b))

    def __getitem__(self, key: str) -> tuple[int, ...]:
        found: tuple[int, ...] | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return (s for (s,) in self.db.query("SELECT DISTINCT s FROM run ORDER BY s"))

    def __len__(self) -> int:
        return int(self.db.one("SELECT COUNT(DISTINCT s) FROM run"))
