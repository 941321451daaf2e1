"""``interp-kg wikidata``: reconcile the graph with Wikidata and propose the missing statements.

Thin, like :mod:`interp_kg.cli.main`: options are parsed here, the work is done by
:mod:`interp_kg.wikidata`. Heavy imports happen inside the commands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interp_kg.cli.options import (
    MAPPING_DEFAULT,
    MAPPING_FILE,
    ContactOption,
    MaxResponseOption,
    MaxRetryAfterOption,
    OutputOption,
    RequestTimeoutOption,
    RetriesOption,
    StoreOption,
    http_client,
    mapping_source,
    store_dir,
    write_output,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from interp_kg.wikidata.statements import Context
    from interp_kg.wikidata.works import WorkFacts

WIKIDATA_QUERY_SERVICE = "https://query.wikidata.org/sparql"

wikidata_app = typer.Typer(
    name="wikidata",
    help=(
        "Link the graph to Wikidata: find the items of works, venues and topics, keep the links in "
        "a reviewable mapping file (data/wikidata/mapping.json, or its copy in the user data dir when "
        "installed), and propose the missing items and "
        "statements as QuickStatements V1 for a person to review.\n\n"
        "Examples:\n\n"
        "  interp-kg wikidata reconcile --contact mailto:me@example.org\n\n"
        "  interp-kg wikidata reconcile --endpoint URL   # another Wikidata endpoint, e.g. QLever's\n\n"
        "  interp-kg wikidata quickstatements -o batch.qs"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

MappingOption = Annotated[
    Path | None,
    typer.Option("--mapping", help=f"The mapping file. {MAPPING_DEFAULT}", show_default=False),
]
BibliographyOption = Annotated[
    Path | None,
    typer.Option(
        "--bibliography",
        help="Folder of the curated records (part-*.jsonl): each fact with the page it was read on. "
        "Default: the bundled data/bibliography.",
        show_default=False,
    ),
]


def works_of(store: Path | None, bibliography: Path | None) -> tuple[list[WorkFacts], str]:
    """The built graph's works, each with its curated record, and the graph's base IRI."""
    from interp_kg.curation.bibliography import default_folder, load
    from interp_kg.store.builds import open_store, read_info
    from interp_kg.wikidata.works import read_works

    if bibliography is not None and not bibliography.is_dir():
        raise typer.BadParameter(f"{bibliography} is not a folder", param_hint="--bibliography")
    target = store_dir(store)
    base = read_info(target).base_iri
    return read_works(open_store(target), base, load(bibliography or default_folder())), base


def works_streamed(store: Path | None, bibliography: Path | None) -> tuple[Iterator[WorkFacts], str]:
    """:func:`works_of`, one work at a time, read off the build's canonical N-Triples
    (:func:`interp_kg.wikidata.works.scan_works`; the store's options checked first)."""
    from interp_kg.curation.bibliography import default_folder, load
    from interp_kg.store.builds import open_graph
    from interp_kg.wikidata.works import scan_works

    if bibliography is not None and not bibliography.is_dir():
        raise typer.BadParameter(f"{bibliography} is not a folder", param_hint="--bibliography")
    source = open_graph(store_dir(store))
    return scan_works(source, load(bibliography or default_folder())), source.base_iri


def recorded_of(store: Path | None, bibliography: Path | None) -> tuple[list[WorkFacts], str]:
    """The built graph's works that have a curated record (found by index look-ups), and its base IRI."""
    from interp_kg.curation.bibliography import default_folder, load
    from interp_kg.store.builds import open_store, read_info
    from interp_kg.wikidata.works import recorded_works

    if bibliography is not None and not bibliography.is_dir():
        raise typer.BadParameter(f"{bibliography} is not a folder", param_hint="--bibliography")
    target = store_dir(store)
    base = read_info(target).base_iri
    return recorded_works(open_store(target), load(bibliography or default_folder()), base), base


def statement_context(mapping_file: Path | None, base: str) -> Context:
    """What statements are made with: the mapping, the alias table, the primary hosts."""
    from interp_kg.curation.aliases import default_aliases
    from interp_kg.curation.primary import default_primary_hosts
    from interp_kg.curation.wikidata_mapping import load_mapping
    from interp_kg.wikidata.statements import Context

    return Context(load_mapping(mapping_file), default_aliases(), default_primary_hosts(), base)


@wikidata_app.command()
def reconcile(
    endpoint: Annotated[
        str, typer.Option("--endpoint", help="SPARQL endpoint holding Wikidata (WDQS or QLever's).")
    ] = WIKIDATA_QUERY_SERVICE,
    contact: ContactOption = None,
    batch: Annotated[int, typer.Option("--batch", min=1, max=1000, help="Values per VALUES query.")] = 200,
    venue_class: Annotated[
        list[str] | None,
        typer.Option(
            "--venue-class",
            help="Keep only venue candidates that are instances of this item (QID); repeatable. "
            "Default: items with the venue's label whose class's English label says "
            "'conference series' or 'journal'.",
            show_default=False,
        ),
    ] = None,
    no_labels: Annotated[
        bool, typer.Option("--no-labels", help="Skip the venue and topic look-ups by label.")
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            envvar="INTERP_KG_CACHE_DIR",
            help="Answer cache. Default: the user cache dir (interp-kg/wikidata).",
            show_default=False,
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option(
            "--refresh",
            help="Ask the endpoint again (the records then carry today's date); refresh the cache.",
        ),
    ] = False,
    timeout: RequestTimeoutOption = 65.0,
    retries: RetriesOption = 4,
    max_retry_after: MaxRetryAfterOption = 120.0,
    max_response_mib: MaxResponseOption = 64,
    mapping_file: MappingOption = None,
    bibliography: BibliographyOption = None,
    store: StoreOption = None,
) -> None:
    """Search Wikidata for the item of every work (a paper with a preprint and a venue version:
    one item each) and record what was found in the mapping file: confirmed (by an identifier:
    arXiv id, DOI, OpenReview id, a tool's GitHub repository, a website), candidate (same title
    and year: for a person to confirm), conflict, or not-found (with the day and the endpoint).
    Venue and topic items are proposed by label.

    Records people made or edited are kept, also when they edit the file while this runs.
    Answers are cached: a rerun (or a run cut short) asks only what it has not asked yet.
    Then: review the candidates, `interp-kg wikidata quickstatements`, `interp-kg build`.
    """
    import pyoxigraph

    from interp_kg.atomic import snapshot
    from interp_kg.curation.wikidata_mapping import read_mapping, write_mapping
    from interp_kg.resources import curated_path
    from interp_kg.sparql.query import LocalBackend
    from interp_kg.store.builds import open_store
    from interp_kg.wikidata.client import MIN_INTERVAL, PACE, SparqlClient
    from interp_kg.wikidata.reconcile import reconcile as run

    http = http_client(
        contact,
        max_response_mib=max_response_mib,
        intervals={PACE: MIN_INTERVAL},
        timeout=timeout,
        retries=retries,
        max_retry_after=max_retry_after,
    )
    works, base = works_of(store, bibliography)
    client = SparqlClient(endpoint, http, cache_dir=cache_dir, use_cache=not refresh)
    venues: dict[str, str] = {}
    topics: dict[str, str] = {}
    if not no_labels:
        backend = LocalBackend(open_store(store_dir(store)))
        for name, cls, label in (("venue", "Venue", "rdfs:label"), ("topic", "Topic", "skos:prefLabel")):
            text = (
                "PREFIX ikg: <https://w3id.org/interp-kg/ontology#>\n"
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                f"SELECT ?node ?label WHERE {{ ?node a ikg:{cls} ; {label} ?label }} ORDER BY ?node"
            )
            for node, lab in backend.execute(text, {}, "select", 30.0).rows:
                if isinstance(node, pyoxigraph.NamedNode) and isinstance(lab, pyoxigraph.Literal):
                    (venues if name == "venue" else topics)[node.value[len(base) :]] = lab.value
    source = mapping_source(mapping_file)
    written = mapping_file or curated_path(MAPPING_FILE)
    same = written.resolve() == source.resolve()
    seen = None if same else snapshot(written)  # a first copy in the user data dir: must not appear meanwhile
    read = read_mapping(source)
    updated, summary = run(
        client,
        works,
        read.mapping,
        venues=venues,
        topics=topics,
        venue_classes=venue_class or (),
        batch=batch,
    )
    kept = write_mapping(updated, written, since=read if same else None, expect=seen)
    matched = ", ".join(f"{k} {n}" for k, n in sorted(summary.matched.items())) or "none"
    status = ", ".join(
        f"{summary.status.get(k, 0)} {k}" for k in ("confirmed", "candidate", "conflict", "not-found")
    )
    typer.echo(
        f"{summary.works} works, {summary.targets} items searched: {status}; matches by {matched}; "
        f"{summary.new_links} new links; {summary.candidates} new venue/topic candidates; "
        f"{summary.requests} requests, {summary.cache_hits} from cache; wrote {written}"
    )
    if summary.oldest_answer is not None and summary.cache_hits:
        typer.echo(f"the oldest answer used is of {summary.oldest_answer} (--refresh asks again)", err=True)
    for replaced in summary.replaced:
        typer.echo(
            f"{replaced}: record dropped (the work's items changed: a preprint or venue version)", err=True
        )
    for key in kept:
        typer.echo(f"kept as edited on disk while this ran: {key}", err=True)
    if summary.conflicts:
        typer.echo("conflicts are not resolved: see `interp-kg report wikidata`", err=True)


@wikidata_app.command()
def quickstatements(
    output: OutputOption = None,
    max_age: Annotated[
        int,
        typer.Option(
            "--max-age",
            min=0,
            help="Create an item only when the search that did not find it is younger than this "
            "many days (and add statements to a linked item only when it was read since).",
        ),
    ] = 30,
    create: Annotated[
        bool, typer.Option("--create/--no-create", help="CREATE items searched and not found.")
    ] = True,
    add: Annotated[bool, typer.Option("--add/--no-add", help="Add the statements linked items lack.")] = True,
    explain: Annotated[
        bool, typer.Option("--explain", help="Name every item left out, and why, on stderr.")
    ] = False,
    mapping_file: MappingOption = None,
    bibliography: BibliographyOption = None,
    store: StoreOption = None,
) -> None:
    """Write QuickStatements V1 that is safe to run as it is: CREATE only for items the latest
    reconcile searched (younger than --max-age) and did not find, and only the statements linked
    items lack. Each statement is referenced to the primary record its fact was read on (S854),
    the day it was read (S813) and, for arXiv, S248; facts read only on a mirror are left out.
    What is left out is counted on stderr with the command that fixes it. Exit 1 when no work
    has been searched at all.

    Examples: `interp-kg wikidata quickstatements -o batch.qs`, `... --no-create --explain`.
    """
    from interp_kg.wikidata.quickstatements import quickstatements as run
    from interp_kg.wikidata.quickstatements import summary_lines

    works, base = works_of(store, bibliography)
    batch = run(
        works,
        statement_context(mapping_source(mapping_file), base),
        today=dt.date.today(),
        max_age=max_age,
        create=create,
        add=add,
    )
    write_output(batch.text.encode("utf-8"), output)
    for text in summary_lines(batch, max_age):
        typer.echo(text, err=True)
    if explain:
        for target, reason, detail in batch.details:
            typer.echo(f"{target}: {reason}" + (f" ({detail})" if detail else ""), err=True)
