"""Citation files of many works: each topic's (with its sub-topics), venue's and author's, and
the whole dataset's in ``dumps/``: each work's entries made once (by the same writers as the
files beside its page, :func:`interp_kg.site.meta.citation_files`, so the bytes agree) and
joined. They need only the index, so they are written while the page workers work."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from pathlib import Path

import orjson

from interp_kg.citations.write import WRITERS, csl_item
from interp_kg.formats import CITATION_FORMATS, FORMATS, suffix
from interp_kg.site.collect import Index
from interp_kg.site.dataset import DUMPS_DIR, GZ
from interp_kg.site.ondisk import Db
from interp_kg.site.render import Writer
from interp_kg.site.selection import Selection

#: dumps/ file -> its label: every work's citation in each citation format.
CITATION_DUMPS: dict[str, str] = {f"interp-kg{suffix(n)}": FORMATS[n].label for n in CITATION_FORMATS}


class Entries:
    """The works' citation entries, each made once: text (BibTeX, RIS), an item (CSL-JSON, kept
    as its indented text). With an index file they are kept in a scratch file beside it (only
    this process writes it; the page workers read the index), so memory does not grow with the
    works."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.cache: dict[str, dict[str, str]] = {}
        self.scratch: Db | None = None
        if index.db is not None:
            self.scratch = Db(index.db.path + ".entries")
            self.scratch.conn.execute(
                "CREATE TABLE IF NOT EXISTS entry (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID"
            )
            self.scratch.conn.execute("BEGIN")
            index.db.conn.execute("CREATE TEMP TABLE IF NOT EXISTS want (k TEXT PRIMARY KEY) WITHOUT ROWID")

    def close(self) -> None:
        """Remove the scratch file."""
        if self.scratch is not None:
            self.scratch.close()
            Path(self.scratch.path).unlink(missing_ok=True)

    def get(self, work: str) -> dict[str, str] | None:
        if self.scratch is None:
            found = self.cache.get(work)
        else:
            blob = self.scratch.one("SELECT v FROM entry WHERE k = ?", (work,))
            found = None if blob is None else orjson.loads(blob)
        if found is None:
            cite = self.index.cite.get(work)
            if cite is None or self.index.stem(work) is None:
                return None
            found = {
                name: _csl(csl_item(cite)) if name == "csl-json" else WRITERS[name]([cite])
                for name in CITATION_FORMATS
            }
            if self.scratch is None:
                self.cache[work] = found
            else:
                self.scratch.conn.execute("INSERT INTO entry VALUES (?, ?)", (work, orjson.dumps(found)))
        return found

    def ordered(self, works: Iterable[str]) -> list[str]:
        """``works`` with a citation, each once, ordered by citation key."""
        index = self.index
        if index.db is None:
            return sorted((w for w in set(works) if w in index.cite), key=lambda w: (index.cite[w].key, w))
        conn = index.db.conn
        conn.execute("DELETE FROM temp.want")
        conn.executemany("INSERT OR IGNORE INTO temp.want VALUES (?)", ((w,) for w in works))
        sql = "SELECT w.k FROM temp.want w JOIN citekey c ON c.k = w.k ORDER BY c.v, w.k"
        return [w for (w,) in index.db.query(sql)]

    def write(self, w: Writer, stem: str, works: Iterable[str], end: str = "") -> None:
        """Each format's file of ``works`` (``stem`` + its suffix + ``end``), ordered by citation
        key; entries joined by a blank line (BibTeX, RIS) or as a JSON array (CSL-JSON)."""
        ordered = self.ordered(works)
        with contextlib.ExitStack() as stack:
            files = {
                name: stack.enter_context(w.open(f"{stem}{suffix(name)}{end}")) for name in CITATION_FORMATS
            }
            csl = files["csl-json"]
            csl.write(b"[")
            first = True
            for work in ordered:
                entry = self.get(work)
                if entry is None:
                    continue
                for name, f in files.items():
                    if name == "csl-json":
                        f.write((b"\n  " if first else b",\n  ") + entry[name].encode("utf-8"))
                    else:
                        f.write(("" if first else "\n").encode("utf-8") + entry[name].encode("utf-8"))
                first = False
            csl.write(b"]\n" if first else b"\n]\n")


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
    entries.close()
