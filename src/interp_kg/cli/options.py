"""Options and output handling shared by every command: defined once, used by every module of
``interp_kg.cli``. Light imports only (this is on the start-up path)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer

from interp_kg.errors import InterpKgError
from interp_kg.formats import FORMATS, Command, choices, from_output

if TYPE_CHECKING:
    from interp_kg.http import Client
    from interp_kg.source.lists import ListSpec

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        envvar="INTERP_KG_STORE",
        help="Store directory. Default: $INTERP_KG_STORE, else the user data dir (see `interp-kg where`).",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE instead of stdout.", show_default=False),
]
ContactOption = Annotated[
    str | None,
    typer.Option(
        "--contact",
        envvar="INTERP_KG_CONTACT",
        help="Whom the remote service can write to, sent in the User-Agent: an e-mail address "
        "(me@example.org or mailto:me@example.org) or an http(s) URL. "
        "Default: $INTERP_KG_CONTACT, else the project's URL.",
        show_default=False,
    ),
]
MaxResponseOption = Annotated[
    int,
    typer.Option(
        "--max-response-mib",
        envvar="INTERP_KG_MAX_RESPONSE_MIB",
        min=1,
        help="Largest answer read from a remote service, in MiB (also $INTERP_KG_MAX_RESPONSE_MIB); "
        "a larger one is not read further and the command fails (exit 5).",
    ),
]
RetriesOption = Annotated[
    int,
    typer.Option(
        "--retries", min=0, max=20, help="Retries on HTTP 429, 5xx, timeouts and connection errors."
    ),
]
"""``--retries`` of the commands that call remote services (each gives its own default)."""

RequestTimeoutOption = Annotated[
    float, typer.Option("--timeout", min=0.1, help="Seconds one request may take, answer included.")
]
"""``--timeout`` of one request of the commands that call remote services."""

MaxRetryAfterOption = Annotated[
    float,
    typer.Option(
        "--max-retry-after",
        envvar="INTERP_KG_MAX_RETRY_AFTER",
        min=0,
        help="Longest wait, in seconds, a service's Retry-After gets before a retry "
        "(also $INTERP_KG_MAX_RETRY_AFTER); a longer one is cut to this.",
    ),
]


def format_option(command: Command, default_help: str) -> Any:
    """The ``--format``/``-f`` option of ``command``: its choices from :mod:`interp_kg.formats`,
    each named in the help with what it is, and what happens when it is not given."""
    names = choices(command)
    listed = ", ".join(f"{name} ({FORMATS[name].label})" for name in names)

    def parse(value: str) -> str:
        if value not in names:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(names)}")
        return value

    return typer.Option(
        "--format",
        "-f",
        parser=parse,
        metavar="[" + "|".join(names) + "]",
        help=f"Output format: {listed}. {default_help}",
        show_default=False,
    )


def output_format(command: Command, fmt: str | None, output: Path | None, default: str) -> str:
    """The format to write: ``--format`` when given, else what the ``-o`` file's suffix implies
    (an unknown suffix is an error naming the known ones), else ``default``."""
    return fmt if fmt is not None else from_output(command, output, default)


def _bundled_versions() -> tuple[list[str], str]:
    """The names of the bundled lists and the default one, read with tomllib alone (start-up path)."""
    import tomllib

    from interp_kg.resources import data_path

    data = tomllib.loads(data_path("sources.toml").read_text(encoding="utf-8"))
    return [entry["name"] for entry in data["list"]], data["default"]


def _list_help() -> str:
    names, default = _bundled_versions()
    listed = ", ".join(f"{n} (the default)" if n == default else n for n in names)
    return f"Build a bundled version of the Awesome-LLM-Interpretability list instead of SOURCE: {listed}."


def _parse_list(value: str) -> str:
    names, _ = _bundled_versions()
    if value not in names:
        raise typer.BadParameter(f"{value!r} is not a bundled list: {', '.join(names)}")
    return value


ListOption = Annotated[
    str | None,
    typer.Option("--list", parser=_parse_list, help=_list_help(), show_default=False, metavar="VERSION"),
]


def source_paths(sources: list[Path] | None, version: str | None) -> list[Path]:
    """The lists to read: SOURCE arguments, else the bundled version ``version`` (the default one
    when None). Both at once is bad usage."""
    if sources and version is not None:
        raise typer.BadParameter("give SOURCE files or --list, not both")
    if sources:
        return list(sources)
    from interp_kg.source.bundled import bundled_list_path

    return [bundled_list_path(version)]


SourcesFileOption = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        help="A sources file (TOML, [[list]] tables with source = a path, URL or github:..., and an "
        "optional name): the lists to read, in the order that decides between them (titles, "
        "classes). SOURCE arguments are read after them.",
        show_default=False,
        metavar="FILE",
    ),
]
OfflineOption = Annotated[
    bool,
    typer.Option(
        "--offline",
        help="Read lists given by URL from the cache only, without asking the server "
        "(default: revalidate the cached copy with ETag / Last-Modified, or fetch it).",
    ),
]


def source_specs(
    sources: list[str] | None, version: str | None, sources_file: Path | None = None
) -> list[ListSpec]:
    """The lists to read: those of ``sources_file``, then the SOURCE arguments (paths, URLs or
    ``github:`` shorthands), else the bundled version ``version`` (the default one when None)."""
    from interp_kg.source.lists import load_sources_file, parse_spec

    if (sources or sources_file) and version is not None:
        raise typer.BadParameter("give SOURCE files (or --sources) or --list, not both")
    specs = load_sources_file(sources_file) if sources_file is not None else []
    specs += [parse_spec(s) for s in sources or ()]
    if specs:
        return specs
    from interp_kg.source.bundled import bundled_list_path

    return [parse_spec(str(bundled_list_path(version)))]


def terminal_color() -> bool:
    """Whether output to stdout gets ANSI colour: on a terminal, unless ``NO_COLOR`` is set
    (https://no-color.org); never in a pipe or a file."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def store_dir(store: Path | None) -> Path:
    """The store directory: the option's, else the default (``$INTERP_KG_STORE`` or user data dir)."""
    from interp_kg.store.builds import default_store_dir

    return store if store is not None else default_store_dir()


def check_base_iri(base_iri: str, error: type[InterpKgError] = InterpKgError) -> str:
    """``base_iri`` when it is an http(s) IRI ending in '/' or '#', else ``error``."""
    if not base_iri.startswith(("http://", "https://")) or not base_iri.endswith(("/", "#")):
        raise error(f"--base-iri must be an http(s) IRI ending in '/' or '#', got {base_iri!r}")
    return base_iri


def write_output(
    data: bytes | Callable[[BinaryIO], object],
    output: Path | None,
    error: type[InterpKgError] = InterpKgError,
) -> None:
    """``data`` (bytes, or a function writing them to a binary stream: streamed, never held whole)
    to stdout, or to ``output`` atomically (:mod:`interp_kg.atomic`: never a half-written file,
    even after a kill)."""

    def write(out: BinaryIO) -> object:
        return data(out) if callable(data) else out.write(data)

    if output is None:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    from interp_kg.atomic import WriteError, write_stream

    try:
        write_stream(output, write)
    except WriteError as exc:
        raise error(str(exc)) from None


#: The curated Wikidata mapping, under ``data/`` (:data:`interp_kg.curation.wikidata_mapping.MAPPING_FILE`;
#: not imported, for a fast --help).
MAPPING_FILE = "wikidata/mapping.json"
MAPPING_DEFAULT = (
    "Default: data/wikidata/mapping.json of a writable checkout; installed, the copy in the user data "
    "dir ($INTERP_KG_USER_DATA, ~/.local/share/interp-kg/data on Linux) once a command wrote it, else "
    "the bundled one."
)


def mapping_source(option: Path | None) -> Path:
    """The mapping file to read: the option's, else the one curation commands write, once it
    exists, else the bundled one (:func:`interp_kg.resources.curated_source`)."""
    from interp_kg.resources import curated_source

    return option if option is not None else curated_source(MAPPING_FILE)


def http_client(
    contact: str | None,
    *,
    max_response_mib: int,
    credentials: bool = False,
    intervals: Mapping[str, float] | None = None,
    **limits: float,
) -> Client:
    """The HTTP client of a command (:mod:`interp_kg.http`): the User-Agent from ``--contact``,
    the size cap from ``--max-response-mib``, the other ``limits`` (``timeout``, ``retries``,
    ``max_retry_after``...) from the command's options; the endpoint credentials of the
    environment when ``credentials``."""
    from pydantic import ValidationError

    from interp_kg.http import MIB, NO_CREDENTIALS, Client, Credentials, HttpPolicy, contact_form

    if contact:
        try:
            contact_form(contact)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--contact") from None
    try:
        policy = HttpPolicy.model_validate({"max_bytes": max_response_mib * MIB, **limits})
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = "--" + "-".join(str(part) for part in problem["loc"]).replace("_", "-")
        raise typer.BadParameter(problem["msg"], param_hint=name) from None
    return Client(
        policy,
        contact=contact,
        credentials=Credentials.from_env() if credentials else NO_CREDENTIALS,
        intervals=intervals,
    )
