"""``interp-kg diff``: the command's options; the work is done by :mod:`interp_kg.diff.changes`.

Registered in :mod:`interp_kg.cli.main` with ``app.command("diff")(diff_command)``. The diff library
(pydantic models, the catalog, pyoxigraph for Turtle) is imported only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer

from interp_kg.cli.options import OutputOption, check_base_iri, format_option, output_format, write_output
from interp_kg.errors import InterpKgError
from interp_kg.rdf.prefixes import DEFAULT_BASE_IRI

if TYPE_CHECKING:
    from interp_kg.diff.changes import DiffFormat


class DiffTrouble(InterpKgError):
    """The diff could not be made or written: exit 2, as `diff` does, since 1 means "they differ"."""

    exit_code = 2


def diff_command(
    old: Annotated[Path, typer.Argument(help="The old version of the list.", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The new version of the list.", show_default=False)],
    fmt: Annotated[
        str | None,
        format_option(
            "diff", "turtle and ntriples write the changeset. Default: the suffix of -o FILE, else text."
        ),
    ] = None,
    output: OutputOption = None,
    base_iri: Annotated[
        str, typer.Option("--base-iri", help="Base IRI of the data, as given to `interp-kg build`.")
    ] = DEFAULT_BASE_IRI,
) -> None:
    """Compare two versions of a list at the level of works and topics, not lines: works added,
    removed, moved between topics, renamed, or with changed links; topics added, removed, renamed.
    Exit 0 when nothing changed, 1 when something did (like `diff`), 2 when a file cannot be read.

    Examples: `interp-kg diff old.md new.md`,
    `interp-kg diff <(git show HEAD~1:list.md) list.md -f md`,
    `interp-kg diff old.md new.md -f turtle -o changes.ttl`.
    """
    from interp_kg.diff.changes import diff_files, render

    out_fmt = cast("DiffFormat", output_format("diff", fmt, output, "text"))
    result = diff_files(old, new, base_iri=check_base_iri(base_iri, DiffTrouble))
    write_output(render(result, out_fmt), output, DiffTrouble)
    if result.changed:
        raise typer.Exit(1)
