"""Options and output handling shared by every command: defined once, used by ``cli``,
``cli_report`` and ``cli_diff``. Light imports only (this is on the start-up path)."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interp_kg.errors import InterpKgError

if TYPE_CHECKING:
    from interp_kg.http import Client

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


def write_output(data: bytes, output: Path | None, error: type[InterpKgError] = InterpKgError) -> None:
    """``data`` to stdout, or to ``output`` through a temporary file (never a half-written file)."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(f".{output.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, output)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise error(f"cannot write {output}: {exc.strerror}") from None


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
