"""Where the bundled ontology, data and saved queries live.

In an installed wheel they ship inside the package (``interp_kg/_resources/``); in a source
checkout (editable install, tests) they are the top-level ``ontology/``, ``data/`` and
``queries/`` folders of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


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
