"""Citation files of many works: each topic's (with its sub-topics), venue's and author's, and
the whole dataset's in ``dumps/``: each work's entries made once (by the same writers as the
files beside its page, :func:`interp_kg.site.meta.citation_files`, so the bytes agree) and
joined. They need only the index, so they are written while the page workers work."""

from __future__ import annotations

from collections.abc import Iterable

import orjson

from interp_kg.citations.write import WRITERS, csl_item
from interp_kg.formats import CITATION_FORMATS, FORMATS, suffix
from interp_kg.site.collect import Index
from interp_kg.site.dataset import DUMPS_DIR
from interp_kg.site.render import Writer

#: dumps/ file -> its label: every work's citation in each citation format.
CITATION_DUMPS: dict[str, str] = {f"interp-kg{suffix(n)}": FORMATS[n].label for n in CITATION_FORMATS}


class Entries:
    """The works' citation entries, each made once: text (BibTeX, RIS), an item (CSL-JSON)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.cache: dict[str, dict[str, str | object]] = {}

    def get(self, work: str) -> dict[str, str | object] | None:
        found = self.cache.get(work)
        if found is None:
            cite = self.index.cite.get(work)
            if cite is None or self.index.stem(work) is None:
                return None
            found = {
                name: csl_item(cite) if name == "csl-json" else WRITERS[name]([cite])
                for name in CITATION_FORMATS
            }
            self.cache[work] = found
        return found

    def joined(self, works: Iterable[str]) -> dict[str, str]:
        """Each format's file of ``works``, ordered by citation key."""
        index = self.index
        ordered = sorted((w for w in set(works) if w in index.cite), key=lambda w: (index.cite[w].key, w))
        texts: dict[str, list[str]] = {name: [] for name in CITATION_FORMATS}
        items = []
        for w in ordered:
            entry = self.get(w)
            if entry is None:
                continue
            for name in CITATION_FORMATS:
                if name == "csl-json":
                    items.append(entry[name])
                else:
                    texts[name].append(str(entry[name]))
        out = {name: "\n".join(t) for name, t in texts.items() if name != "csl-json"}
        out["csl-json"] = orjson.dumps(items, option=orjson.OPT_INDENT_2).decode() + "\n"
        return out


def write_collections(w: Writer, index: Index) -> None:
    """The citation files of every topic, venue and author with works, and of the dataset."""
    entries = Entries(index)
    groups: list[tuple[str, list[str]]] = []
    for iri, kind in index.kind.items():
        if kind == "topic":
            groups.append((iri, index.all_below(iri)))
        elif kind == "venue":
            groups.append((iri, index.venue_works.get(iri, [])))
        elif kind == "author":
            groups.append((iri, index.author_works.get(iri, [])))
    for iri, works in sorted(groups):
        stem = index.stem(iri)
        if stem is None or not works:
            continue
        for name, text in entries.joined(works).items():
            w.write(f"{stem}{suffix(name)}", text)
    every = entries.joined(index.cite)
    for name, text in every.items():
        w.write(f"{DUMPS_DIR}/interp-kg{suffix(name)}", text)
