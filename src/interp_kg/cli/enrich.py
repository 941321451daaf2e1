"""``interp-kg enrich``: the command's options; the work is done by :mod:`interp_kg.enrich.lookups`.

Registered in :mod:`interp_kg.cli.main` with ``app.command("enrich")(enrich_command)``. The library is
imported only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from interp_kg.cli.options import (
    ContactOption,
    MaxResponseOption,
    MaxRetryAfterOption,
    RequestTimeoutOption,
    RetriesOption,
    http_client,
)

#: The services (the same as :data:`interp_kg.enrich.lookups.SERVICES`; not imported, for a fast --help).
SERVICES = ("arxiv", "crossref", "openreview")


def _url_option(service: str, env: str, default: str) -> object:
    return typer.Option(
        f"--{service}-url",
        envvar=env,
        help=f"Base URL of the {service} API. Default: ${env}, else {default}.",
        show_default=False,
    )


def enrich_command(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Markdown list(s) whose papers to look up. Default: the bundled list.", show_default=False
        ),
    ] = None,
    bibliography: Annotated[
        Path | None,
        typer.Option(
            "--bibliography",
            help="Folder of the curated records; proposals go to its proposals.jsonl. "
            "Default: the bundled data/bibliography, with proposals in data/bibliography/proposals.jsonl "
            "of a writable checkout, else in the user data dir ($INTERP_KG_USER_DATA, "
            "~/.local/share/interp-kg/data on Linux).",
            show_default=False,
        ),
    ] = None,
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            help="Ask only this service: arxiv, crossref or openreview (repeatable). Default: all.",
        ),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=0, help="Look up at most N papers. Default: all.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would be proposed; write nothing.")
    ] = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify",
            help="Instead: read every curated fact again on arXiv, Crossref and OpenReview; write "
            "each fact's primary page and today's date, agreeing or not, to verified.jsonl beside the "
            "records (apply the agreeing ones with `python -m interp_kg.curation.verification --apply "
            "DIR`); print every disagreement.",
        ),
    ] = False,
    contact: ContactOption = None,
    timeout: RequestTimeoutOption = 20.0,
    retries: RetriesOption = 3,
    max_retry_after: MaxRetryAfterOption = 120.0,
    max_response_mib: MaxResponseOption = 64,
    arxiv_url: Annotated[
        str | None, _url_option("arxiv", "INTERP_KG_ARXIV_API", "https://export.arxiv.org/api/query")
    ] = None,
    crossref_url: Annotated[
        str | None, _url_option("crossref", "INTERP_KG_CROSSREF_API", "https://api.crossref.org/works/")
    ] = None,
    openreview_url: Annotated[
        str | None, _url_option("openreview", "INTERP_KG_OPENREVIEW_API", "https://api2.openreview.net/notes")
    ] = None,
    abstracts: Annotated[
        bool,
        typer.Option(
            "--abstracts",
            help="Fetch each paper's abstract from its primary record (arXiv, else OpenReview, else "
            "Crossref) into your abstracts file (--abstracts-dir), with its URL and the day; "
            "`interp-kg build` then adds them to the graph, the site shows and searches them. "
            "Never written into the bundled data.",
        ),
    ] = False,
    abstracts_dir: Annotated[
        Path | None,
        typer.Option(
            "--abstracts-dir",
            envvar="INTERP_KG_ABSTRACTS",
            help="Folder of your abstracts.jsonl. Default: $INTERP_KG_ABSTRACTS, else "
            "<user data dir>/interp-kg/abstracts.",
            show_default=False,
        ),
    ] = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="With --abstracts: fetch again the abstracts already held.")
    ] = False,
) -> None:
    """Look up the papers lacking curated authors or date on the arXiv, Crossref and OpenReview APIs
    and write what is found to proposals.jsonl beside the curated records, for review. Curated
    records are never written; a fetched value that disagrees with one is reported as a conflict.
    One line per paper looked up; exit 5 when a lookup failed (the others are still proposed).

    With --verify, every curated fact is read again instead, and its primary page recorded.

    Examples: `interp-kg enrich --dry-run`, `interp-kg enrich --service arxiv --limit 10`,
    `interp-kg enrich --verify --contact me@example.org`.
    """
    from interp_kg.catalog.works import build_catalog
    from interp_kg.cli.options import source_paths
    from interp_kg.curation.bibliography import default_folder
    from interp_kg.enrich.lookups import INTERVALS, PROPOSALS_FILE, base_urls, enrich
    from interp_kg.resources import curated_path
    from interp_kg.source.parse import parse_file

    chosen = tuple(service or SERVICES)
    for name in chosen:
        if name not in SERVICES:
            raise typer.BadParameter(f"{name!r} is not one of {', '.join(SERVICES)}", param_hint="--service")
    client = http_client(
        contact,
        max_response_mib=max_response_mib,
        intervals=INTERVALS,
        timeout=timeout,
        retries=retries,
        max_retry_after=max_retry_after,
    )
    catalog = build_catalog([parse_file(p) for p in source_paths(sources, None)])
    urls = base_urls({"arxiv": arxiv_url, "crossref": crossref_url, "openreview": openreview_url})
    if abstracts:
        from interp_kg.curation.abstracts import default_abstracts_dir
        from interp_kg.enrich.abstracts import fetch_abstracts

        folder = abstracts_dir or default_abstracts_dir()
        fetched = fetch_abstracts(
            catalog,
            folder,
            client,
            urls=urls,
            services=chosen,  # type: ignore[arg-type]
            limit=limit,
            dry_run=dry_run,
            refresh=refresh,
        )
        for outcome in fetched.outcomes:
            typer.echo(str(outcome), err=outcome.kind == "failure")
        where = f"; wrote {fetched.file}" if fetched.written else ""
        typer.echo(
            f"{fetched.found} abstracts, {len(fetched.failures)} failures "
            f"({client.requests} requests){where}",
            err=True,
        )
        if fetched.failures:
            raise typer.Exit(5)
        return
    common = {"urls": urls, "services": chosen, "limit": limit, "dry_run": dry_run}
    if verify:
        from interp_kg.enrich.verify import verify as run_verify

        result = run_verify(catalog, bibliography or default_folder(), client, **common)  # type: ignore[arg-type]
    else:
        proposals = None if bibliography else curated_path(f"bibliography/{PROPOSALS_FILE}")
        result = enrich(catalog, bibliography or default_folder(), client, proposals_file=proposals, **common)  # type: ignore[arg-type]
    for outcome in result.outcomes:
        typer.echo(str(outcome), err=outcome.kind == "failure")
    counts = {k: sum(o.kind == k for o in result.outcomes) for k in ("proposal", "conflict", "failure")}
    where = f"; {'wrote' if result.written else 'nothing written to'} {result.proposals_file}"
    first = "records with agreeing facts" if verify else "proposals"
    second = "disagreements" if verify else "conflicts"
    typer.echo(
        f"{counts['proposal']} {first}, {counts['conflict']} {second}, {counts['failure']} failures "
        f"({client.requests} requests){where}",
        err=True,
    )
    if result.failures:
        raise typer.Exit(5)
