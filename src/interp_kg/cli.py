"""The ``interp-kg`` command line. Thin: options are parsed here, the work is done by the library.

Heavy imports (rdflib, pyshacl, SPARQLWrapper, pyoxigraph) happen inside the commands that need
them, so ``interp-kg --help`` starts fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from interp_kg.errors import InterpKgError

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

ExportFormatName = Literal["turtle", "ntriples", "nquads", "jsonld", "rdfxml"]

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="INTERP_KG_STORE",
        help="Store directory. Default: $INTERP_KG_STORE, else the user data dir (see `interp-kg where`).",
        show_default=False,
    ),
]
SourcesArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Markdown list(s) to read. Default: the bundled Awesome-LLM-Interpretability list.",
        show_default=False,
    ),
]


def _store_dir(store: Path | None) -> Path:
    from interp_kg.store import default_store_dir

    return store if store is not None else default_store_dir()


def _sources(sources: list[Path] | None) -> list[Path]:
    from interp_kg.resources import bundled_list

    return list(sources) if sources else [bundled_list()]


def _err(message: str) -> None:
    typer.echo(message, err=True)


@app.command()
def build(
    sources: SourcesArgument = None,
    store: StoreOption = None,
    base_iri: Annotated[
        str, typer.Option("--base-iri", help="Base IRI of the data (works, topics, venues...).")
    ] = "https://w3id.org/interp-kg/id/",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
) -> None:
    """Parse list(s), build the graph and load it into the store (swapped in only when complete).

    Examples: `interp-kg build`, `interp-kg build list.md --store ./kg`.
    """
    from interp_kg.build import build as run_build

    paths = _sources(sources)
    progress = None
    if not quiet and sys.stderr.isatty() and sum(p.stat().st_size for p in paths if p.is_file()) > 2_000_000:
        from rich.progress import Progress

        bar = Progress(transient=True)
        task = bar.add_task("parsing", total=None)
        bar.start()

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
            if done == total:
                bar.stop()

    if not base_iri.startswith(("http://", "https://")) or not base_iri.endswith(("/", "#")):
        raise InterpKgError(f"--base-iri must be an http(s) IRI ending in '/' or '#', got {base_iri!r}")
    store_dir = _store_dir(store)
    result = run_build(paths, store_dir, base_iri=base_iri, progress=progress)
    if not quiet:
        for d in result.diagnostics:
            if d.severity != "info":
                _err(str(d))
    info = result.info
    works = ", ".join(f"{n} {k}s" for k, n in info.works.items())
    typer.echo(
        f"built {store_dir}: {info.bullets} bullets -> {info.entries} entries, {info.notes} notes; "
        f"{sum(info.works.values())} works ({works}); {info.topics} topics, {info.venues} venues, "
        f"{info.authors} authors; {info.triples} triples; {info.warnings} warnings; {info.seconds:.2f} s"
    )


@app.command()
def export(
    fmt: Annotated[ExportFormatName, typer.Option("--format", "-f", help="RDF format.")] = "turtle",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE instead of stdout.", show_default=False),
    ] = None,
    store: StoreOption = None,
) -> None:
    """Export the built graph (byte-identical across runs). JSON-LD is compact, with our context.

    Examples: `interp-kg export -f jsonld -o kg.jsonld`, `interp-kg export -f ntriples | wc -l`.
    """
    from interp_kg.export import export as run_export
    from interp_kg.store import open_store, read_info

    store_dir = _store_dir(store)
    data = run_export(open_store(store_dir), fmt, read_info(store_dir).base_iri)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        tmp = output.with_name(f".{output.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, output)
    except OSError as exc:
        raise InterpKgError(f"cannot write {output}: {exc.strerror}") from None


@app.command()
def validate(store: StoreOption = None) -> None:
    """SHACL-validate the built graph against ontology/shapes.ttl; exit 4 on violations.

    Example: `interp-kg validate && echo clean`.
    """
    from interp_kg.store import open_store
    from interp_kg.validate import validate_store

    report = validate_store(open_store(_store_dir(store)))
    typer.echo(report.text)
    if not report.conforms:
        raise typer.Exit(4)


@app.command()
def lint(
    sources: SourcesArgument = None,
    fmt: Annotated[Literal["text", "json"], typer.Option("--format", "-f", help="Output format.")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there is any warning.")] = False,
) -> None:
    """Report source-level problems with file:line: label/URL mismatches, unknown venues,
    entries without a link, the same work under conflicting titles, malformed links.

    Examples: `interp-kg lint`, `interp-kg lint list.md --format json`.
    """
    from interp_kg.lint import lint_sources

    findings = lint_sources(_sources(sources))
    if fmt == "json":
        import json

        typer.echo(json.dumps([d.model_dump() for d in findings], indent=2, ensure_ascii=False))
    else:
        for d in findings:
            typer.echo(str(d))
        typer.echo(f"{len(findings)} findings", err=True)
    if strict and any(d.severity != "info" for d in findings):
        raise typer.Exit(1)


@app.command()
def where(store: StoreOption = None) -> None:
    """Print the store directory in use and what it was built from."""
    from interp_kg.store import read_info

    store_dir = _store_dir(store)
    typer.echo(str(store_dir))
    if (store_dir / "current").exists():
        info = read_info(store_dir)
        typer.echo(
            f"built by interp-kg {info.version} from {', '.join(info.sources)}: {info.triples} triples"
        )


def main() -> None:
    """Console entry point: one-line errors and exit codes scripts can trust, never a traceback."""
    try:
        app()
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
