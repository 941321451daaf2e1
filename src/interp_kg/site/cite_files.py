"""Citation files of many works: each topic's (with its sub-topics), venue's and author's, and
the whole dataset's in ``dumps/``, made from the works' own citation files (written by the page
workers beside each work's page: :func:`interp_kg.site.meta.citation_files`), so each work is
formatted once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import orjson

from interp_kg.formats import CITATION_FORMATS, FORMATS, suffix
from interp_kg.site.collect import Index
from interp_kg.site.dataset import DUMPS_DIR
from interp_kg.site.render import Writer

#: dumps/ file -> its label: every work's citation in each citation format.
CITATION_DUMPS: dict[str, str] = {f"interp-kg{suffix(n)}": FORMATS[n].label for n in CITATION_FORMATS}


class Entries:
    """The works' citation texts, read from their files once."""

    def __init__(self, root: Path, index: Index) -> None:
        self.root = root
        self.index = index
        self.cache: dict[str, dict[str, str | object]] = {}

    def get(self, work: str) -> dict[str, str | object] | None:
        found = self.cache.get(work)
        if found is None:
            stem = self.index.stem(work)
            if stem is None or work not in self.index.cite:
                return None
            found = {}
            for name in CITATION_FORMATS:
                text = (self.root / f"{stem}{suffix(name)}").read_text(encoding="utf-8")
                found[name] = orjson.loads(text)[0] if name == "csl-json" else text
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


def write_collections(w: Writer, root: Path, index: Index) -> None:
    """The citation files of every topic, venue and author with works, and of the dataset."""
    entries = Entries(root, index)
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
