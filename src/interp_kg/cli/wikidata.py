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
    StoreOption,
    http_client,
    mapping_source,
    store_dir,
    write_output,
)

if TYPE_CHECKING:
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


def _works(store: Path | None) -> tuple[list[WorkFacts], str]:
    """The built graph's works and its base IRI."""
    from interp_kg.store.builds import open_store, read_info
    from interp_kg.wikidata.works import read_works

    target = store_dir(store)
    base = read_info(target).base_iri
    return read_works(open_store(target), base), base


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
        bool, typer.Option("--refresh", help="Ask the endpoint again; refresh the cache.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1.0, help="Seconds one request may take, answer included.")
    ] = 65.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries", min=0, max=20, help="Retries on HTTP 429, 5xx, timeouts and connection errors."
        ),
    ] = 4,
    max_retry_after: MaxRetryAfterOption = 120.0,
    max_response_mib: MaxResponseOption = 64,
    mapping_file: MappingOption = None,
    store: StoreOption = None,
) -> None:
    """Look up the Wikidata items of all works by arXiv id, DOI, OpenReview id and (tools) GitHub
    repository URL, and propose venue and topic items by label; write the mapping file.

    Identifier matches become links; conflicts (two items for one work, one item for two works)
    are recorded and reported, never resolved. Label matches are candidates: set their status to
    "confirmed" in the mapping file after checking them. Then rebuild: `interp-kg build`.
    """
    import pyoxigraph

    from interp_kg.atomic import snapshot
    from interp_kg.curation.wikidata_mapping import load_mapping, write_mapping
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
    works, base = _works(store)
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
    written = mapping_file or curated_path(MAPPING_FILE)
    seen = snapshot(written)  # a person's edit saved while this runs is not overwritten
    mapping = load_mapping(mapping_source(mapping_file))
    updated, summary = run(
        client, works, mapping, venues=venues, topics=topics, venue_classes=venue_class or (), batch=batch
    )
    write_mapping(updated, written, expect=seen)
    matched = ", ".join(f"{k} {n}" for k, n in sorted(summary.matched.items())) or "none"
    typer.echo(
        f"{summary.works} works; matches by {matched}; {summary.new_links} new links; "
        f"{summary.conflicts} conflicts; {summary.candidates} new venue/topic candidates; "
        f"{summary.requests} requests, {summary.cache_hits} from cache; wrote {written}"
    )
    if summary.conflicts:
        typer.echo("conflicts are not resolved: see `interp-kg report wikidata`", err=True)


@wikidata_app.command()
def quickstatements(
    output: OutputOption = None,
    retrieved: Annotated[
        str | None,
        typer.Option(
            "--retrieved",
            help="The 'retrieved' (S813) date of the sources, YYYY-MM-DD. Default: today.",
            show_default=False,
        ),
    ] = None,
    create: Annotated[
        bool, typer.Option("--create/--no-create", help="CREATE items for unlinked papers.")
    ] = True,
    add: Annotated[
        bool, typer.Option("--add/--no-add", help="Add missing statements to linked items.")
    ] = True,
    mapping_file: MappingOption = None,
    store: StoreOption = None,
) -> None:
    """Write QuickStatements V1 for the papers Wikidata lacks (CREATE blocks) and the statements
    linked items lack, each sourced (S248/S854, S813). Review before running it.

    Examples: `interp-kg wikidata quickstatements -o batch.qs`, `... --no-create`.
    """
    from interp_kg.curation.wikidata_mapping import load_mapping
    from interp_kg.wikidata.quickstatements import quickstatements as run

    try:
        day = dt.date.fromisoformat(retrieved) if retrieved else dt.date.today()
    except ValueError:
        raise typer.BadParameter(f"--retrieved wants YYYY-MM-DD, got {retrieved!r}") from None
    works, _ = _works(store)
    text = run(works, load_mapping(mapping_source(mapping_file)), retrieved=day, create=create, add=add)
    write_output(text.encode("utf-8"), output)
