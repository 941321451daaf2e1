"""Where the bundled ontology, data and saved queries live, and where curated data is written.

In an installed wheel they ship inside the package (``interp_kg/_resources/``); in a source
checkout (editable install, tests) they are the top-level ``ontology/``, ``data/`` and
``queries/`` folders of the repository.

A curation command given no path (``enrich``'s proposals, ``wikidata reconcile``'s mapping) writes
into the checkout's ``data/`` when the package runs from a checkout whose ``data/`` this user may
write, and otherwise into the user data directory (:func:`user_data_root`): never into an
installed package, which the next install would erase. Once a file exists there, it is the one
commands read (:func:`curated_source`).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

USER_DATA_ENV = "INTERP_KG_USER_DATA"


@cache
def resource_root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    return here.parents[1]


def ontology_path(name: str) -> Path:
    """A file of the published ontology, e.g. ``interp-kg.ttl``."""
    return resource_root() / "ontology" / name


def data_path(name: str) -> Path:
    """A bundled data file, e.g. ``venues.toml``."""
    return resource_root() / "data" / name


def queries_dir() -> Path:
    """The folder of saved SPARQL queries."""
    return resource_root() / "queries"


def packaged() -> bool:
    """Whether the bundled files are an installed package's (not a source checkout's)."""
    return resource_root().name == "_resources"


def user_data_root() -> Path:
    """Where curated data is written when the bundled ``data/`` is not a writable checkout:
    ``$INTERP_KG_USER_DATA``, else ``<user data dir>/interp-kg/data`` (on Linux
    ``~/.local/share/interp-kg/data``)."""
    env = os.environ.get(USER_DATA_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("interp-kg", appauthor=False)) / "data"


def writable_checkout() -> bool:
    """Whether the bundled ``data/`` is a source checkout's folder that this user may write."""
    return not packaged() and os.access(resource_root() / "data", os.W_OK)


def curated_path(name: str) -> Path:
    """Where a command writes the curated file ``name`` (a path under ``data/``, e.g.
    ``wikidata/mapping.json``) when it is given no path: ``data/<name>`` in a writable checkout,
    else ``<name>`` under :func:`user_data_root`."""
    return data_path(name) if writable_checkout() else user_data_root() / name


def curated_source(name: str) -> Path:
    """Where the curated file ``name`` is read when no path is given: the file commands write
    (:func:`curated_path`) once it exists, else the bundled one."""
    written = curated_path(name)
    return written if written.exists() else data_path(name)
