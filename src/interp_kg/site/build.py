"""``interp-kg site build``: the whole static site from the store's current build.

Pages are written as they are produced: a first pass over the graph's N-Triples (the file its
build loaded into the store) reads a small index (labels, classes, years, the topic tree, who is
listed where, where each subject's lines are) and the counts; a second reads the graph subject by
subject and writes each resource's page and RDF files at once, and the JSON-LD dump node by node,
while the Turtle and N-Triples dumps are written from the same file. The site is
built in a sibling folder and swapped in when complete. Nothing depends on the clock: the
creation date is the store build's, and every listing is sorted, so the same store gives the same
bytes.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interp_kg.atomic import replace_directory
from interp_kg.errors import InterpKgError
from interp_kg.site import conneg
from interp_kg.site.cite_files import citation_dumps, write_collections
from interp_kg.site.collect import WORK_KINDS, Index, scan
from interp_kg.site.dataset import (
    CC0,
    DUMPS_DIR,
    JSONLD_DUMP,
    Description,
    Stats,
    dump_type,
    dump_types,
    file_digest,
    void_html,
    void_prefixes,
    void_triples,
    write_dumps,
    write_jsonld_dump,
)
from interp_kg.site.feeds import write_feeds
from interp_kg.site.html import STYLE, STYLE_FILE, external
from interp_kg.site.ontology_page import ontology_html
from interp_kg.site.pages import ListVersion, authors_page, dumps_page, home_page, search_page
from interp_kg.site.rdf import ntriples
from interp_kg.site.redirects import redirect_page, redirect_rules, replacements
from interp_kg.site.render import Worker, Writer, collect, node_files, render_parts, spawn, split, stop
from interp_kg.site.search import DATA_FILE, PAGE_FILE, SCRIPT, SCRIPT_FILE, search_data, vendored
from interp_kg.site.selection import Selection

if TYPE_CHECKING:
    from interp_kg.store.buildinfo import BuildInfo

MARKER = ".interp-kg-site"
#: The index of the graph (:mod:`interp_kg.site.ondisk`), in the partial site while it is built.
INDEX_FILE = ".site-index.sqlite"
#: From this size of N-Triples (about 10,000 works) the dumps are written by a process of their
#: own, beside the scan and the pages; below it they take less than a process's start-up.
DUMPS_APART = 16 << 20
TITLE = "Interp-KG: the Awesome-LLM-Interpretability list as linked data"


@dataclass(frozen=True)
class SiteSummary:
    """What a site build wrote."""

    out: Path
    resources: int
    files: int
    triples: int
    seconds: float


def site_root(base_iri: str) -> str:
    """The site's root IRI: the base IRI less its trailing ``id/`` (``https://w3id.org/interp-kg/``)."""
    return base_iri[: -len("id/")] if base_iri.endswith("/id/") else base_iri


def _examples(index: Index) -> tuple[str, ...]:
    out = []
    for kinds in (WORK_KINDS, {"topic"}, {"venue"}, {"author"}):
        found = min(index.of_kind(kinds), default=None)
        out += [found] if found is not None else []
    return tuple(out)


def _sources(info: BuildInfo) -> tuple[tuple[str, str | None], ...]:
    """(name, SHA-256) of each source list, as the build recorded it: a bundled list named with its
    version, date and upstream file (builds before build.json kept lists: hashed now, if present)."""
    import hashlib

    if info.lists:
        return tuple(
            (
                f"{x.file} (list version {x.version} of {x.date}, {x.upstream})"
                if x.version
                else f"{x.file} (from {x.url}, retrieved {x.retrieved})"
                if x.url
                else x.file,
                x.sha256,
            )
            for x in info.lists
        )
    out = []
    for s in info.sources:
        path = Path(s)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        out.append((path.name, digest))
    return tuple(out)


def _upstream(info: BuildInfo) -> str | None:
    """The upstream file of a graph built from one bundled list (the dataset's dct:source)."""
    return info.lists[0].upstream if len(info.lists) == 1 else None


def _swap(partial: Path, out: Path) -> None:
    if out.exists() and not (out / MARKER).exists() and (not out.is_dir() or any(out.iterdir())):
        shutil.rmtree(partial, ignore_errors=True)
        raise InterpKgError(f"{out} exists and is not a site built by interp-kg: give an empty or new folder")
    replace_directory(partial, out)


def _dataset_json(
    desc: Description, dumps: dict[str, tuple[int, str]], counts: list[tuple[str, int]]
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": desc.iri,
        "name": desc.title,
        "description": "The Awesome-LLM-Interpretability list as RDF: "
        + ", ".join(f"{n} {k}" for k, n in counts)
        + ".",
        "license": desc.license,
        "url": desc.root,
        "isBasedOn": [n for n, _ in desc.sources],
        "distribution": [
            {
                "@type": "DataDownload",
                "contentUrl": f"{desc.root}{DUMPS_DIR}/{f}",
                "encodingFormat": dump_type(f)[0],
                "contentSize": f"{size} B",
            }
            for f, (size, _) in sorted(dumps.items())
        ],
    }
    if desc.created:
        doc["dateCreated"] = desc.created
    return doc


def _write_ontology(w: Writer) -> None:
    import pyoxigraph

    from interp_kg.resources import ontology_path

    raw = ontology_path("interp-kg.ttl").read_bytes()
    triples = sorted((q.triple for q in pyoxigraph.parse(raw, format=pyoxigraph.RdfFormat.TURTLE)), key=str)
    w.write("ontology.html", ontology_html(triples))
    w.write("ontology.ttl", raw)
    w.write("ontology.nt", ntriples(triples))
    w.write("ontology.jsonld", pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD) or b"")
    w.write("shapes.ttl", ontology_path("shapes.ttl").read_bytes())
    w.write("context.jsonld", ontology_path("context.jsonld").read_bytes())


def _write_void(
    w: Writer, desc: Description, stats: Stats, dumps: dict[str, tuple[int, str]], index: Index
) -> None:
    import pyoxigraph

    triples = void_triples(desc, stats, dumps)
    prefixes = void_prefixes(desc.base_iri)
    body = pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes) or b""
    body = b"".join(line for line in body.splitlines(keepends=True) if not line.startswith(b"@prefix "))
    w.write("void.ttl", "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()).encode() + body)
    w.write("void.nt", ntriples(triples))
    w.write("void.jsonld", pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.JSON_LD) or b"")
    w.write("void.html", void_html(desc, stats, dumps, index.label))


def _ntriples_source(build_dir: Path, partial: Path) -> Path:
    """The N-Triples file the build loaded into its store; when there is none (a store built
    another way), the store's default graph dumped into ``partial`` (removed when done)."""
    import pyoxigraph

    from interp_kg.store.builds import NTRIPLES_FILE

    if (build_dir / NTRIPLES_FILE).is_file():
        return build_dir / NTRIPLES_FILE
    target = partial / f".{NTRIPLES_FILE}"
    store = pyoxigraph.Store.read_only(str(build_dir / "oxigraph"))
    store.dump(target, format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return target


def _created(build_json: Path) -> str:
    """When the dataset was made: ``$SOURCE_DATE_EPOCH`` when set (the reproducible-builds
    convention: the same list then gives the same site whenever its store was built), else when
    the store was built."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    seconds = int(epoch) if epoch.isdigit() else int(build_json.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_site(
    store_dir: Path,
    out: Path,
    *,
    sparql_endpoint: str | None = None,
    license_iri: str = CC0,
    source_url: str | None = None,
    site_url: str | None = None,
    jobs: int = 2,
    previous: Path | None = None,
    selection: Selection | None = None,
    gzip_dumps: bool = False,
) -> SiteSummary:
    """Build the site of the store at ``store_dir`` into ``out`` (replaced when complete), the
    pages written by up to ``jobs`` worker processes. ``previous``: the previous release of the
    list, whose feed says what this one adds (default: the bundled version before the one built,
    when the store was built from a bundled list)."""
    from interp_kg import __version__
    from interp_kg.store.builds import pinned_build, read_build_info

    start = time.perf_counter()
    build_dir = pinned_build(store_dir)
    info = read_build_info(build_dir, store_dir)
    base = info.base_iri
    root = site_root(base)
    partial = out.with_name(f".{out.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    dumper: list[Worker] = []
    w = Writer(partial)
    try:
        partial.mkdir(parents=True)
        source = _ntriples_source(build_dir, partial)
        dumps_dir = partial / DUMPS_DIR
        dumps_dir.mkdir()
        if jobs > 1 and source.stat().st_size >= DUMPS_APART:  # beside the scan and the pages
            dumper.append(spawn(write_dumps, source, dumps_dir, base, gzip_dumps))
        index, stats = scan(str(source), base, info.triples, str(partial / INDEX_FILE))
        parts, jobs = split(index, jobs, selection)
        # the search data, the collections' citations and the replaced IRIs need only the index and
        # the graph: made while the workers write the pages
        replaced: list[tuple[str, str]] = []

        def meanwhile() -> None:
            w.write_pieces(DATA_FILE, search_data(index))
            write_collections(w, index, selection, gzip_dumps)
            replaced.extend(replacements(source, base))

        results = render_parts(str(source), index, parts, partial, dumps_dir, meanwhile, jobs)
        for old, new in replaced:  # over the generic page written for it: a page that sends on
            found = redirect_page(old, new, base, index.name(new))
            if found is not None:
                w.write(*found)
        if dumper:
            collect(dumper)
        else:
            write_dumps(source, dumps_dir, base, gzip_dumps)
        nodes = [f for part in parts for f in node_files(dumps_dir, part.number)]
        jsonld_dump = JSONLD_DUMP + (".gz" if gzip_dumps else "")
        write_jsonld_dump(dumps_dir / jsonld_dump, base, nodes[0::2] + nodes[1::2])
        for f in nodes:
            f.unlink()
        if source.parent == partial:
            source.unlink()
        types = dump_types(gzip_dumps)
        cite_types = citation_dumps(gzip_dumps)
        dumps = {f: file_digest(dumps_dir / f) for f in types}
        cited = {f: file_digest(dumps_dir / f) for f in cite_types}
        created = _created(build_dir / "build.json")
        lists = [
            ListVersion(
                item.file,
                item.version,
                item.date,
                external(item.upstream, f"upstream {item.upstream.rsplit('/blob/', 1)[-1].split('/')[0]}")
                if item.upstream
                else None,
            )
            for item in info.lists
        ]
        desc = Description(
            root=root,
            base_iri=base,
            title=TITLE,
            license=license_iri,
            version=__version__,
            sources=_sources(info),
            source_url=source_url or _upstream(info),
            created=created,
            sparql_endpoint=sparql_endpoint,
            examples=_examples(index),
            source_urls=tuple(x.upstream for x in info.lists if x.upstream) if len(info.lists) > 1 else (),
        )
        _write_void(w, desc, stats, dumps, index)
        _write_ontology(w)
        first = ("paper", "tool", "tutorial", "video", "work", "topic", "venue", "author")
        per_kind = index.kind_counts()
        kinds = sorted(per_kind, key=lambda k: (first.index(k) if k in first else len(first), k))
        counts = [(f"{k}s", per_kind[k]) for k in kinds if k != "listing"]
        counts.append(("triples", stats.triples))
        home = home_page(
            index,
            title=TITLE,
            counts=counts,
            dataset_json=_dataset_json(desc, dumps, counts),
            lists=lists,
            created=created,
        )
        w.write("index.html", home)
        w.write("authors.html", authors_page(index))
        w.write(PAGE_FILE, search_page())
        downloads = [(f, types[f][1], *dumps[f]) for f in sorted(types)]
        downloads += [(f, cite_types[f], *cited[f]) for f in sorted(cite_types)]
        w.write(f"{DUMPS_DIR}/index.html", dumps_page(downloads, external(license_iri), created, lists))
        write_feeds(w, index, info, root, created, previous)
        w.write(STYLE_FILE, STYLE)
        w.write(SCRIPT_FILE, SCRIPT)
        for rel, data in vendored():
            w.write(rel, data)
        path = "/" + root.split("://", 1)[-1].split("/", 1)[-1] if "://" in root else "/"
        dest = site_url or ""
        w.write(".htaccess", conneg.htaccess(path, site_url, redirect_rules(replaced, base, dest)))
        w.write(MARKER, "A site written by `interp-kg site build`; the next build replaces this folder.\n")
        if index.db is not None:
            index.db.close()
        (partial / INDEX_FILE).unlink()
    except OSError as exc:
        stop(dumper)
        shutil.rmtree(partial, ignore_errors=True)
        raise InterpKgError(f"cannot write the site {out}: {exc.strerror or exc}") from None
    except BaseException:
        stop(dumper)
        shutil.rmtree(partial, ignore_errors=True)
        raise
    finally:
        w.close()
    _swap(partial, out)
    files = w.files + sum(r.files for r in results) + len(dump_types(gzip_dumps))
    resources = sum(r.resources for r in results)
    return SiteSummary(out, resources, files, stats.triples, round(time.perf_counter() - start, 3))
