"""``interp-kg site``: build the static linked-data site, and serve it with content negotiation.

Thin, like :mod:`interp_kg.cli.main`: the work is done by :mod:`interp_kg.site`, imported inside the
commands so that ``interp-kg --help`` stays fast.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from interp_kg.cli.options import StoreOption, store_dir
from interp_kg.site.selection import DOCUMENT_FORMATS, DOCUMENT_KINDS, Selection

site_app = typer.Typer(
    name="site",
    help=(
        "The graph as a static linked-data site: a page and Turtle, JSON-LD and N-Triples files "
        "for every IRI, the ontology, dumps and a VoID/DCAT description, and an .htaccess for "
        "content negotiation.\n\n"
        "Examples:\n\n"
        "  interp-kg site build -o site\n\n"
        "  interp-kg site build -o site --only work --formats html --gzip-dumps  (a large graph)\n\n"
        "  interp-kg site serve site --port 8000"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@site_app.command("build")
def build_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the site to (replaced when complete).")
    ],
    store: StoreOption = None,
    sparql_endpoint: Annotated[
        str | None,
        typer.Option(
            "--sparql-endpoint",
            help="Public SPARQL endpoint URL to name in the dataset description. Default: none.",
            show_default=False,
        ),
    ] = None,
    license_iri: Annotated[
        str, typer.Option("--license", help="IRI of the data's licence.")
    ] = "https://creativecommons.org/publicdomain/zero/1.0/",
    source_url: Annotated[
        str | None,
        typer.Option("--source-url", help="URL of the source list, for the description.", show_default=False),
    ] = None,
    site_url: Annotated[
        str | None,
        typer.Option(
            "--site-url",
            help="Where the site is hosted, when not at https://w3id.org/interp-kg/ itself: the "
            ".htaccess then redirects there (w3id style). Default: redirects within the site.",
            show_default=False,
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=0, help="Worker processes writing pages (0: the CPUs, at most 2)."),
    ] = 0,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="The previous release of the list: the Atom feeds hold the works the built list adds "
            "to it. Default: the bundled version before the one built (none for another list).",
            show_default=False,
        ),
    ] = None,
    only: Annotated[
        str | None,
        typer.Option(
            "--only",
            metavar="KIND[,KIND...]",
            help="Write the documents of these kinds of resource only: "
            + ", ".join(DOCUMENT_KINDS)
            + " (work: papers, tools, tutorials, videos). The home, search, downloads and description "
            "pages, the feeds and the dumps are always written, identical whatever is selected, so the "
            "folders of builds with different selections merge into the full site. Default: every kind.",
            show_default=False,
        ),
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option(
            "--formats",
            metavar="FORMAT[,FORMAT...]",
            help="The files each selected resource gets: "
            + ", ".join(DOCUMENT_FORMATS)
            + " (cite: a work's BibTeX, RIS and CSL-JSON, and those of each topic, venue and author). "
            "Default: all of them.",
            show_default=False,
        ),
    ] = None,
    gzip_dumps: Annotated[
        bool,
        typer.Option(
            "--gzip-dumps",
            help="Compress every dump in dumps/ with gzip (.gz); the N-Triples dump always is. "
            "Default: only the N-Triples dump.",
        ),
    ] = False,
) -> None:
    """Write the site of the built graph into a folder; the same store gives the same bytes.

    A full site is about seven files per work. For a large graph (a million entries: about 7
    million files and 18 GB), write a part of it: e.g. `--only work --formats html --gzip-dumps`
    (each work's page and the dumps, about 1 million files); the index the build keeps is on disk,
    so its memory does not grow with the graph.

    Examples: `interp-kg site build -o site`, `interp-kg site build -o site --sparql-endpoint
    https://example.org/sparql`, `interp-kg site build -o site-works --only work --formats
    html,ttl,jsonld --gzip-dumps`.
    """
    from interp_kg.site.build import build_site

    try:
        selection = Selection.parse(only, formats)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    workers = jobs or min(2, os.cpu_count() or 1)
    summary = build_site(
        store_dir(store),
        output,
        sparql_endpoint=sparql_endpoint,
        license_iri=license_iri,
        source_url=source_url,
        site_url=site_url,
        jobs=workers,
        previous=previous,
        selection=selection,
        gzip_dumps=gzip_dumps,
    )
    part = (
        ""
        if selection.everything
        else f" (only {','.join(sorted(selection.kinds))}: {','.join(sorted(selection.formats))})"
    )
    typer.echo(
        f"site {summary.out}: {summary.resources} resources{part}, {summary.files} files, "
        f"{summary.triples} triples; {summary.seconds:.2f} s"
    )


@site_app.command("serve")
def serve_command(
    folder: Annotated[Path, typer.Argument(help="A folder written by `interp-kg site build`.")],
    port: Annotated[int, typer.Option("--port", help="TCP port on 127.0.0.1.", min=1, max=65535)] = 8000,
    sparql_endpoint: Annotated[
        str | None,
        typer.Option(
            "--sparql-endpoint",
            help="Pass /sparql on to this SPARQL endpoint (e.g. `interp-kg serve`'s "
            "http://127.0.0.1:7878). Default: /sparql answers 404.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve a built site on 127.0.0.1 with the content negotiation of its .htaccess, until
    interrupted.

    Example: `interp-kg site serve site --port 8000 --sparql-endpoint http://127.0.0.1:7878`.
    """
    from interp_kg.site.serve import serve

    def ready(url: str) -> None:
        typer.echo(f"serving {folder} at {url}/ ; Ctrl-C stops")

    try:
        serve(folder, port=port, sparql=sparql_endpoint, ready=ready)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)
