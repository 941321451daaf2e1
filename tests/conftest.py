"""Shared fixtures: the bundled list, a parser for inline snippets, a store built once, and a
recording HTTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from interp_kg.source.models import ParsedList
from interp_kg.source.parse import parse_text
from interp_kg.store.build import BuildResult, build
from tests.local_http import Recorder, recording

REPO = Path(__file__).resolve().parents[1]
BUNDLED = REPO / "data" / "awesome-llm-interpretability.md"
SEED = REPO.parent / "shared" / "seed" / "awesome-llm-interpretability.md"
ID = "https://w3id.org/interp-kg/id/"


@pytest.fixture
def parse() -> Callable[[str], ParsedList]:
    """Parse a markdown snippet named ``list.md``."""
    return lambda text: parse_text(text, "list.md")


@pytest.fixture(scope="session")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The bundled list, built once into a session store."""
    return build([BUNDLED], tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def bundled_store_dir(bundled_build: BuildResult) -> Path:
    return bundled_build.path.parents[1]


def write(path: Path, text: str | bytes) -> Path:
    """Write a test source file (bytes as they are, text as UTF-8 with LF newlines)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="\n")
    return path


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    """The recording HTTP server of :mod:`tests.local_http`, on 127.0.0.1."""
    with recording() as record:
        yield record
