"""The ``interp-kg`` command line. Thin: options are parsed here, the work is done by the library.

Heavy imports (rdflib, pyshacl, SPARQLWrapper, pyoxigraph) happen inside the commands that need
them, so ``interp-kg --help`` starts fast.
"""

from __future__ import annotations

import os
import sys

# pydantic (which typer imports) scans every installed package for plugins at start-up; the CLI
# uses none. Set before the first pydantic import; the environment can still override it.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, cast

import typer

from interp_kg.cli.diff import diff_command
from interp_kg.cli.enrich import enrich_command
from interp_kg.cli.options import (
    MAPPING_DEFAULT,
    ContactOption,
    ListOption,
    MaxResponseOption,
    OfflineOption,
    OutputOption,
    SourcesFileOption,
    StoreOption,
    check_base_iri,
    format_option,
    http_client,
    mapping_source,
    output_format,
    source_specs,
    store_dir,
    terminal_color,
    write_output,
)
from interp_kg.cli.report import report_app
from interp_kg.cli.site import site_app
from interp_kg.cli.wikidata import wikidata_app
from interp_kg.errors import InterpKgError, QueryError, QueryTimeout, RemoteRejected

if TYPE_CHECKING:
    from interp_kg.sparql.query import Backend
    from interp_kg.sparql.results import ResultFormat

app = typer.Typer(
    name="interp-kg",
    help=(
        "Query, link and curate the LLM-interpretability literature as linked data.\n\n"
        "Examples:\n\n"
        "  interp-kg build                      # the bundled Awesome-LLM-Interpretability list\n\n"
        "  interp-kg build my-list.md --store ./kg\n\n"
        "  interp-kg export --format jsonld -o kg.jsonld\n\n"
        "  interp-kg validate\n\n"
        "  interp-kg lint my-list.md"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from interp_kg import __version__

        typer.echo(f"interp-kg {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Query, link and curate the LLM-interpretability literature as linked data."""


SourcesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        help="List(s) to read: Markdown files, http(s) URLs, or github:owner/repo[@ref][:path] "
        "(the file on raw.githubusercontent.com; ref HEAD and README.md by default). "
        "Default: the bundled Awesome-LLM-Interpretability list.",
        show_default=False,
    ),
]


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def build(
    sources: SourcesArgument = None,
    version: ListOption = None,
    sources_file: SourcesFileOption = None,
    offline: OfflineOption = False,
    store: StoreOption = None,
    base_iri: Annotated[
        str, typer.Option("--base-iri", help="Base IRI of the data (works, topics, venues...).")
    ] = "https://w3id.org/interp-kg/id/",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
    bibliography: Annotated[
        Path | None,
        typer.Option(
            "--bibliography",
            help="Folder of curated authors and dates (part-*.jsonl). "
            "Default: the bundled data/bibliography.",
            show_default=False,
        ),
    ] = None,
    wikidata_mapping: Annotated[
        Path | None,
        typer.Option(
            "--wikidata-mapping",
            help=f"Links to Wikidata to add (confirmed ones only). {MAPPING_DEFAULT}",
            show_default=False,
        ),
    ] = None,
    abstracts: Annotated[
        Path | None,
        typer.Option(
            "--abstracts",
            envvar="INTERP_KG_ABSTRACTS",
            help="Folder of your fetched abstracts (abstracts.jsonl, `interp-kg enrich --abstracts`). "
            "Default: $INTERP_KG_ABSTRACTS, else <user data dir>/interp-kg/abstracts when it exists.",
            show_default=False,
        ),
    ] = None,
    optimize: Annotated[
        bool,
        typer.Option(
            "--optimize",
            help="Compact the store after loading it: queries on a large list run 1.5-3x faster, "
            "the build takes longer (5-10 s more at 100k entries).",
        ),
    ] = False,
    contact: ContactOption = None,
    max_response_mib: MaxResponseOption = 64,
) -> None:
    """Parse list(s), build the graph and load it into the store (swapped in only when complete).

    Several lists make one graph: each list's topics are a concept scheme of their own, a work
    several lists name is one node with a listing in each, and every IRI a build of this store
    (or the bundled lists) gave out keeps its meaning (the registry beside the store). Lists given
    by URL are cached; with --offline, or when the server cannot be reached, the cached copy is read.

    Examples: `interp-kg build`, `interp-kg build list.md --store ./kg`,
    `interp-kg build a.md github:owner/awesome-list`, `interp-kg build --sources lists.toml`,
    `interp-kg build big-list.md --optimize`.
    """
    from interp_kg.source.lists import resolve
    from interp_kg.store.build import build as run_build

    specs = source_specs(sources, version, sources_file)
    client = None
    if not offline and any(spec.url for spec in specs):
        client = http_client(contact, max_response_mib=max_response_mib, timeout=60.0, retries=2)
    try:
        lists = resolve(specs, client=client, offline=offline)
    finally:
        if client is not None:
            client.close()
    for src in lists:
        if src.note and not quiet:
            _err(f"{src.spec.given}: {src.note}")
    progress = None
    if not quiet and sys.stderr.isatty() and sum(src.bytes for src in lists) > 2_000_000:
        from rich.progress import Progress

        bar = Progress(transient=True)
        task = bar.add_task("parsing", total=None)
        bar.start()

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            if done == total:
                bar.stop()

    check_base_iri(base_iri)
    target = store_dir(store)
    from interp_kg.catalog.curated import Curated
    from interp_kg.curation.aliases import default_aliases, default_aliases_path
    from interp_kg.curation.bibliography import default_folder, load
    from interp_kg.curation.wikidata_mapping import load_mapping

    if bibliography is not None and not bibliography.is_dir():
        raise typer.BadParameter(f"{bibliography} is not a folder", param_hint="--bibliography")
    from interp_kg.curation.abstracts import default_abstracts_dir, load_abstracts

    mapping_file = mapping_source(wikidata_mapping)
    curated = Curated(
        load(bibliography or default_folder()),
        default_aliases(),
        load_mapping(mapping_file),
        load_abstracts(abstracts or default_abstracts_dir()),
        aliases_file=default_aliases_path(),
        mapping_file=mapping_file,
    )
    result = run_build(
        lists, target, base_iri=base_iri, progress=progress, curated=curated, optimize=optimize
    )
    if not quiet:
        for d in result.diagnostics:
            if d.severity != "info":
                _err(str(d))
    info = result.info
    if not quiet:
        for summary in result.summaries:
            typer.echo(f"read {summary}")
    works = ", ".join(f"{n} {k}s" for k, n in info.works.items())
    typer.echo(
        f"built {target}: {info.bullets} bullets -> {info.entries} entries, {info.notes} notes; "
        f"{sum(info.works.values())} works ({works}); {info.topics} topics, {info.venues} venues, "
        f"{info.authors} authors; {info.triples} triples; {info.warnings} warnings; {info.seconds:.2f} s"
    )
    if result.shrinkage:
        _err(
            "WARNING: curated data shrank sharply since the previous build (a truncated or emptied "
            "file?); check these files, e.g. with `git diff`, and rebuild:"
        )
        for line in result.shrinkage:
            _err(f"WARNING:   {line}")


@app.command()
def export(
    fmt: Annotated[
        str | None, format_option("export", "Default: the suffix of -o FILE, else turtle.")
    ] = None,
    profile: Annotated[
        Literal["full", "wikidata"],
        typer.Option(
            "--profile",
            help="full: the whole graph; wikidata: the works in the shape of Wikidata's own RDF "
            "(wdt: and p:/ps:/pq: statements, references, time values with their precision), wd: "
            "IRIs for the works the mapping links.",
        ),
    ] = "full",
    mapping_file: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="With --profile wikidata: the mapping file. Default: data/wikidata/mapping.json.",
            show_default=False,
        ),
    ] = None,
    bibliography: Annotated[
        Path | None,
        typer.Option(
            "--bibliography",
            help="With --profile wikidata: the curated records. Default: the bundled data/bibliography.",
            show_default=False,
        ),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            help="Citations only: the works of this topic and its sub-topics "
            "(an IRI, a prefixed name or a label).",
            show_default=False,
        ),
    ] = None,
    author: Annotated[
        str | None,
        typer.Option("--author", help="Citations only: this person's works.", show_default=False),
    ] = None,
    venue: Annotated[
        str | None,
        typer.Option("--venue", help="Citations only: the works of this venue.", show_default=False),
    ] = None,
    saved: Annotated[
        str | None,
        typer.Option(
            "--query", help="Citations only: the works a saved query's results name.", show_default=False
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="NAME=VALUE for --query's parameters; repeatable.", show_default=False
        ),
    ] = None,
    output: OutputOption = None,
    store: StoreOption = None,
) -> None:
    """Export the built graph (byte-identical across runs): RDF (JSON-LD is compact, with our
    context), or citations of its works (BibTeX, CSL-JSON, RIS) for reference managers, all or a
    selection (--topic, --author, --venue, --query; several: the works in all of them).

    Examples: `interp-kg export -o kg.jsonld`, `interp-kg export -f ntriples | wc -l`,
    `interp-kg export --profile wikidata -o works-wikidata.ttl`,
    `interp-kg export -o sae.bib --topic "Sparse Coding"`, `interp-kg export -f ris --author "Neel Nanda"`.
    """
    fmt = output_format("export", fmt, output, "turtle")
    from interp_kg.formats import CITATION_FORMATS

    if fmt in CITATION_FORMATS:
        if profile != "full":
            raise typer.BadParameter("--profile is for JSON-LD, not citations")
        from interp_kg.citations.select import Selection, select
        from interp_kg.citations.write import WRITERS as CITATION_WRITERS
        from interp_kg.store.builds import open_store

        chosen = Selection(topic=topic, author=author, venue=venue, query=saved, params=_parse_params(param))
        cited = select(open_store(store_dir(store)), chosen)
        write_output(CITATION_WRITERS[fmt](cited).encode("utf-8"), output)
        if chosen.given and not cited:
            _err("no work matches the selection")
        return
    if topic or author or venue or saved or param:
        raise typer.BadParameter(
            "--topic, --author, --venue and --query select works to cite: give "
            "--format bibtex, csl-json or ris"
        )
    if profile == "wikidata":
        from interp_kg.cli.wikidata import statement_context, works_streamed
        from interp_kg.wikidata.profile import write_profile

        works, base = works_streamed(store, bibliography)
        ctx = statement_context(mapping_file, base)
        write_output(lambda out: write_profile(works, ctx, fmt, out), output)
        return
    if mapping_file is not None or bibliography is not None:
        raise typer.BadParameter("--mapping and --bibliography go with --profile wikidata")
    from interp_kg.rdf.export import write
    from interp_kg.store.builds import open_graph

    source = open_graph(store_dir(store))
    write_output(lambda out: write(source, fmt, out), output)


@app.command()
def validate(store: StoreOption = None) -> None:
    """SHACL-validate the built graph against ontology/shapes.ttl; exit 4 on violations.

    Example: `interp-kg validate && echo clean`.
    """
    from interp_kg.checks.validate import validate_store
    from interp_kg.store.builds import open_store

    report = validate_store(open_store(store_dir(store)))
    typer.echo(report.text)
    if not report.conforms:
        raise typer.Exit(4)


@app.command()
def lint(
    sources: SourcesArgument = None,
    version: ListOption = None,
    sources_file: SourcesFileOption = None,
    offline: OfflineOption = False,
    fmt: Annotated[str, format_option("lint", "Default: text.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there is any warning.")] = False,
) -> None:
    """Report source-level problems with file:line: label/URL mismatches, unknown venues,
    entries without a link, the same work under conflicting titles, malformed links, and every
    bullet, table, paragraph or HTML block with a link that is not read as a work (each with its
    rule; the README's diagnostics reference says how to fix it). The text format ends with a line
    per list: how many of its units became entries, notes, or diagnostics.

    Examples: `interp-kg lint`, `interp-kg lint list.md --format json`.
    """
    from interp_kg.checks.lint import lint_report
    from interp_kg.source.lists import resolve

    specs = source_specs(sources, version, sources_file)
    client = None
    if not offline and any(spec.url for spec in specs):
        client = http_client(None, max_response_mib=64, timeout=60.0, retries=2)
    try:
        lists = resolve(specs, client=client, offline=offline)
    finally:
        if client is not None:
            client.close()
    report = lint_report(lists)
    findings = report.findings
    if fmt == "json":
        import json

        typer.echo(json.dumps([d.model_dump() for d in findings], indent=2, ensure_ascii=False))
    else:
        for d in findings:
            typer.echo(str(d))
        for summary in report.summaries:
            typer.echo(f"read {summary}", err=True)
        typer.echo(f"{len(findings)} findings", err=True)
    if strict and any(d.severity != "info" for d in findings):
        raise typer.Exit(1)


@app.command()
def where(store: StoreOption = None) -> None:
    """Print the store directory in use and what it was built from."""
    from interp_kg.store.builds import read_info

    target = store_dir(store)
    typer.echo(str(target))
    if (target / "current").exists():
        info = read_info(target)
        typer.echo(
            f"built by interp-kg {info.version} from {', '.join(info.sources)}: {info.triples} triples"
        )
        for listed in info.lists:
            if listed.version is not None:
                typer.echo(f"{listed.file}: bundled list {listed.version} ({listed.date}), {listed.upstream}")
            elif listed.url is not None:
                fetched = f"{listed.url}, retrieved {listed.retrieved}"
                typer.echo(f"{listed.file}: {fetched}, sha256 {listed.sha256}")
            else:
                typer.echo(f"{listed.file}: sha256 {listed.sha256}")


EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        envvar="INTERP_KG_ENDPOINT",
        help="Run on this SPARQL 1.1 endpoint instead of the local store (an Oxigraph base URL or a "
        "query URL, e.g. Virtuoso's http://HOST:8890/sparql?default-graph-uri=GRAPH). Credentials: "
        "$INTERP_KG_ENDPOINT_TOKEN, or $INTERP_KG_ENDPOINT_USER and $INTERP_KG_ENDPOINT_PASSWORD "
        "(sent by HTTP Basic, or Digest with $INTERP_KG_ENDPOINT_AUTH=digest).",
        show_default=False,
    ),
]


@app.command("queries")
def list_queries(
    fmt: Annotated[str, format_option("queries", "Default: table.")] = "table",
) -> None:
    """List the saved queries: name, title, parameters.

    Examples: `interp-kg queries`, `interp-kg queries --format json | jq '.[].name'`.
    """
    from interp_kg.curation.saved_queries import load_catalogue

    catalogue = load_catalogue()
    if fmt == "json":
        import json

        rows = [q.summary() for q in catalogue.values()]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    cells: list[tuple[str, str, str]] = []
    for q in catalogue.values():
        params = ", ".join(f"{p.name}:{p.type}" + ("" if p.required else "?") for p in q.params)
        cells.append((q.name, q.title, params))
    table = Table("name", "title", "parameters", header_style="bold")
    for row in cells:
        table.add_row(*row)
    if sys.stdout.isatty():
        Console().print(table)
    else:  # piped: every cell whole on one line, however wide (a pipe has no width)
        width = sum(max(len(r[i]) for r in [("name", "title", "parameters"), *cells]) for i in range(3)) + 12
        Console(width=width, no_color=True, force_terminal=False).print(table)


def _parse_params(params: list[str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in params or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise typer.BadParameter(f"--param wants NAME=VALUE, got {item!r}")
        out[name.strip()] = value
    return out


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="A saved query (see `interp-kg queries`).")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param", "-p", help="NAME=VALUE for a query parameter; repeatable.", show_default=False
        ),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help="Run the SPARQL query in this file.", show_default=False)
    ] = None,
    sparql: Annotated[
        str | None, typer.Option("--sparql", help="Run this SPARQL query text.", show_default=False)
    ] = None,
    fmt: Annotated[
        str | None,
        format_option(
            "query", "Default: the suffix of -o FILE, else table on a terminal and csv when piped."
        ),
    ] = None,
    output: OutputOption = None,
    limit: Annotated[
        int, typer.Option("--limit", help="At most this many rows (0: no limit).", min=0)
    ] = 1000,
    timeout: Annotated[
        float,
        typer.Option("--timeout", help="Give up after this many seconds (Ctrl-C stops at once).", min=0.1),
    ] = 30.0,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Let a query on the local store use SPARQL SERVICE (federated query: it sends "
            "requests to the endpoints the query names). Refused by default (exit 6).",
        ),
    ] = False,
    endpoint: EndpointOption = None,
    contact: ContactOption = None,
    max_response_mib: MaxResponseOption = 64,
    store: StoreOption = None,
) -> None:
    """Run a saved query, a query file, query text, or a query on stdin.

    Examples: `interp-kg query featured-works`, `interp-kg query works-in-topic -p topic="Sparse Coding"`,
    `interp-kg query --sparql 'SELECT * { ?s ?p ?o } LIMIT 3' -f json`,
    `interp-kg query works-by-venue --endpoint http://127.0.0.1:7878`.
    """
    from interp_kg.curation.saved_queries import saved_query
    from interp_kg.sparql.narrow import run_saved
    from interp_kg.sparql.query import adhoc, bind, syntax_error, untyped_bindings
    from interp_kg.sparql.results import render

    given = [x for x in (name, file, sparql) if x is not None]
    if len(given) > 1:
        raise typer.BadParameter("give one of NAME, --file or --sparql")
    values = _parse_params(param)
    if name is not None:
        saved = saved_query(name)
    elif file is not None:
        try:
            saved = adhoc(file.read_text(encoding="utf-8"), str(file))
        except OSError as exc:
            raise InterpKgError(f"{file}: cannot read: {exc.strerror}") from None
    elif sparql is not None:
        saved = adhoc(sparql)
    elif not sys.stdin.isatty():
        saved = adhoc(sys.stdin.read(), "stdin")
    else:
        raise typer.BadParameter("give a saved query NAME, --file, --sparql, or a query on stdin")
    if endpoint:
        from interp_kg.sparql.query import RemoteBackend

        client = http_client(contact, max_response_mib=max_response_mib, credentials=True, timeout=timeout)
        backend: Backend = RemoteBackend(endpoint, client)
    else:
        from interp_kg.sparql.query import LocalBackend
        from interp_kg.store.builds import open_build

        opened, build = open_build(store_dir(store))
        backend = LocalBackend(opened, allow_service=allow_service, build=build)
    bindings = bind(saved, values, backend, timeout) if saved.params else untyped_bindings(values)
    try:
        result = run_saved(backend, saved, bindings, limit or None, timeout)
    except (QueryError, RemoteRejected):
        # A syntax error is reported at its place in the query as written, not in the text sent
        # (which may have an added LIMIT or VALUES block); a remote endpoint's own words otherwise.
        own = syntax_error(saved.text, saved.prelude)
        if own is not None:
            raise QueryError(own) from None
        raise
    terminal = output is None and sys.stdout.isatty()
    out_fmt = cast("ResultFormat", output_format("query", fmt, output, "table" if terminal else "csv"))
    write_output(render(result, out_fmt, color=terminal and terminal_color()), output)
    if limit and saved.form == "select" and len(result.rows) == limit:
        _err(f"(stopped at --limit {limit} rows)")
    elif result.cut_at is not None and len(result.rows) >= result.cut_at:
        _err(
            f"(the endpoint stops answers at {result.cut_at} rows: this one may be cut; on Virtuoso, "
            "raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini)"
        )


@app.command()
def push(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            envvar="INTERP_KG_ENDPOINT",
            help="The server: an Oxigraph base URL, or its query URL with --store-url/--update-url.",
            show_default=False,
        ),
    ],
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph",
            help="Replace this named graph (Virtuoso: required, it has no default graph of its own). "
            "Default: the default graph.",
            show_default=False,
        ),
    ] = None,
    store_url: Annotated[
        str | None,
        typer.Option(
            "--store-url", help="Graph Store Protocol URL (default: BASE/store).", show_default=False
        ),
    ] = None,
    update_url: Annotated[
        str | None,
        typer.Option("--update-url", help="SPARQL Update URL (default: BASE/update).", show_default=False),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds the whole push may take: upload, move and, after a failure, the clean-up.",
            min=0.1,
        ),
    ] = 300.0,
    contact: ContactOption = None,
    max_response_mib: MaxResponseOption = 64,
    store: StoreOption = None,
) -> None:
    """Upload the built graph to a SPARQL server (Graph Store Protocol): into a temporary graph,
    then moved over the target in one update, so a failed push leaves the remote graph as it was.
    Credentials: $INTERP_KG_ENDPOINT_TOKEN, or $INTERP_KG_ENDPOINT_USER and
    $INTERP_KG_ENDPOINT_PASSWORD, sent by HTTP Basic, or by HTTP Digest with
    $INTERP_KG_ENDPOINT_AUTH=digest (Virtuoso).

    Examples: `interp-kg push --endpoint http://127.0.0.1:7878 --graph https://w3id.org/interp-kg/graph`;
    Virtuoso: `INTERP_KG_ENDPOINT_AUTH=digest interp-kg push --endpoint http://HOST:8890/sparql
    --update-url http://HOST:8890/sparql-auth --store-url http://HOST:8890/sparql-graph-crud-auth
    --graph https://w3id.org/interp-kg/graph`.
    """
    from interp_kg.rdf.export import export
    from interp_kg.sparql.remote import Endpoint
    from interp_kg.sparql.remote import push as run_push
    from interp_kg.store.builds import open_graph

    target = Endpoint.from_url(endpoint, update_url=update_url, store_url=store_url)
    client = http_client(contact, max_response_mib=max_response_mib, credentials=True, timeout=timeout)
    data = export(open_graph(store_dir(store)), "ntriples")
    run_push(target, data, graph=graph, timeout=timeout, client=client)
    triples = data.count(b"\n")
    typer.echo(f"pushed {triples} triples to {graph or 'the default graph'}")


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="TCP port on 127.0.0.1.", min=1, max=65535)] = 7878,
    allow_service: Annotated[
        bool,
        typer.Option(
            "--allow-service",
            help="Let queries use SPARQL SERVICE (the server then sends requests to any endpoint a "
            "client's query names). Refused by default (HTTP 400).",
        ),
    ] = False,
    store: StoreOption = None,
) -> None:
    """Serve the built store read-only over the SPARQL 1.1 Protocol (the Oxigraph server, with its
    query UI) on 127.0.0.1 until interrupted. Updates are refused, and so are queries that use
    SERVICE unless --allow-service. Restart it after a build.

    Example: `interp-kg serve --port 7878`, then `interp-kg query featured-works --endpoint http://127.0.0.1:7878`.
    """
    from interp_kg.sparql.server import serve as run_serve

    def ready(url: str) -> None:
        typer.echo(
            f"serving {store_dir(store)} read-only at {url} (SPARQL endpoint {url}/query); Ctrl-C stops"
        )

    code = run_serve(store_dir(store), port=port, ready=ready, allow_service=allow_service)
    if code:
        raise typer.Exit(code)


app.command("diff")(diff_command)
app.command("enrich")(enrich_command)
app.add_typer(report_app, name="report")
app.add_typer(site_app, name="site")
app.add_typer(wikidata_app, name="wikidata")


def main() -> None:
    """Console entry point: one-line errors and exit codes scripts can trust, never a traceback."""
    try:
        app()
    except QueryTimeout as exc:
        _err(f"interp-kg: error: {exc}")
        sys.stdout.flush()
        os._exit(exc.exit_code)  # the query thread cannot be cancelled: leave without waiting
    except InterpKgError as exc:
        _err(f"interp-kg: error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interp-kg: interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, with a way to get the traceback
        if os.environ.get("INTERP_KG_DEBUG"):
            raise
        _err(
            f"interp-kg: internal error: {type(exc).__name__}: {exc} (set INTERP_KG_DEBUG=1 for a traceback)"
        )
        sys.exit(70)


if __name__ == "__main__":
    main()
