"""Citation files of many works: each topic's (with its sub-topics), venue's and author's, and
the whole dataset's in ``dumps/``: each work's entries made once (by the same writers as the
files beside its page, :func:`interp_kg.site.meta.citation_files`, so the bytes agree) and
joined. They need only the index, so they are written while the page workers work."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import orjson

from interp_kg.citations.write import WRITERS, csl_item
from interp_kg.formats import CITATION_FORMATS, FORMATS, suffix
from interp_kg.site.collect import Index
from interp_kg.site.dataset import DUMPS_DIR, GZ
from interp_kg.site.render import Writer
from interp_kg.site.selection import Selection

#: dumps/ file -> its label: every work's citation in each citation format.
CITATION_DUMPS: dict[str, str] = {f"interp-kg{suffix(n)}": FORMATS[n].label for n in CITATION_FORMATS}


class Entries:
    """The works' citation entries, each made once: text (BibTeX, RIS), an item (CSL-JSON, kept
    as its indented text). With an index file they are kept there (table ``entry``), so memory
    does not grow with the works."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.cache: dict[str, dict[str, str]] = {}
        self.db = index.db
        if self.db is not None:
            self.db.conn.execute(
                "CREATE TABLE IF NOT EXISTS entry (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID"
            )
            self.db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS want (k TEXT PRIMARY KEY) WITHOUT ROWID")

    def get(self, work: str) -> dict[str, str] | None:
        if self.db is None:
            found = self.cache.get(work)
        else:
            blob = self.db.one("SELECT v FROM entry WHERE k = ?", (work,))
            found = None if blob is None else orjson.loads(blob)
        if found is None:
            cite = self.index.cite.get(work)
            if cite is None or self.index.stem(work) is None:
                return None
            found = {
                name: _csl(csl_item(cite)) if name == "csl-json" else WRITERS[name]([cite])
                for name in CITATION_FORMATS
            }
            if self.db is None:
                self.cache[work] = found
            else:
                self.db.conn.execute("INSERT INTO entry VALUES (?, ?)", (work, orjson.dumps(found)))
        return found

    def ordered(self, works: Iterable[str]) -> list[str]:
        """``works`` with a citation, each once, ordered by citation key."""
        index = self.index
        if self.db is None:
            return sorted((w for w in set(works) if w in index.cite), key=lambda w: (index.cite[w].key, w))
        conn = self.db.conn
        conn.execute("DELETE FROM temp.want")
        conn.executemany("INSERT OR IGNORE INTO temp.want VALUES (?)", ((w,) for w in works))
        sql = "SELECT w.k FROM temp.want w JOIN citekey c ON c.k = w.k ORDER BY c.v, w.k"
        return [w for (w,) in self.db.query(sql)]

    def write(self, w: Writer, stem: str, works: Iterable[str], end: str = "") -> None:
        """Each format's file of ``works`` (``stem`` + its suffix + ``end``), ordered by citation
        key."""
        ordered = self.ordered(works)
        for name in CITATION_FORMATS:
            w.write_pieces(f"{stem}{suffix(name)}{end}", self._pieces(name, ordered))

    def _pieces(self, name: str, works: list[str]) -> Iterator[str]:
        sep = ""
        if name == "csl-json":
            yield "["
            sep = "\n  "
        for work in works:
            entry = self.get(work)
            if entry is None:
                continue
            yield sep + entry[name]
            sep = ",\n  " if name == "csl-json" else "\n"
        if name == "csl-json":
            yield ("\n]" if sep != "\n  " else "]") + "\n"


def _csl(item: object) -> str:
    """A CSL-JSON item as it stands indented in an array."""
    return orjson.dumps(item, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n  ")


def citation_dumps(gzipped: bool = False) -> dict[str, str]:
    """The dataset's citation files in ``dumps/``: name -> label."""
    if not gzipped:
        return CITATION_DUMPS
    return {f"{name}.gz": f"{label}, gzip-compressed" for name, label in CITATION_DUMPS.items()}


def write_collections(
    w: Writer, index: Index, selection: Selection | None = None, gzipped: bool = False
) -> None:
    """The citation files of every topic, venue and author with works (those ``selection``
    wants, when it wants citation files), and of the dataset (``.gz`` when ``gzipped``)."""
    entries = Entries(index)
    selection = selection or Selection()
    kinds = set() if "cite" not in selection.formats else {"topic", "venue", "author"} & selection.kinds
    for iri in sorted(index.of_kind(kinds)) if kinds else ():
        kind = index.kind.get(iri)
        stem = index.stem(iri)
        if stem is None:
            continue
        if kind == "topic":
            works = index.all_below(iri)
        elif kind == "venue":
            works = index.venue_works.get(iri, [])
        else:
            works = index.author_works.get(iri, [])
        if works:
            entries.write(w, stem, works)
    entries.write(w, f"{DUMPS_DIR}/interp-kg", index.cite, GZ if gzipped else "")
