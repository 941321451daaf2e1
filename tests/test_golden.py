"""Golden files: the tricky list's graph (Turtle) and diagnostics are compared byte for byte.

After an intended change, regenerate with ``INTERP_KG_UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from interp_kg.catalog.curated import Curated
from interp_kg.checks.lint import lint_sources
from interp_kg.curation.bibliography import Bibliography
from interp_kg.rdf.export import export
from interp_kg.store.build import build
from interp_kg.store.builds import open_store

GOLDEN = Path(__file__).parent / "golden"
UPDATE = bool(os.environ.get("INTERP_KG_UPDATE_GOLDEN"))


def check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing golden file {path}: run with INTERP_KG_UPDATE_GOLDEN=1"
    assert actual == path.read_text("utf-8"), f"{name} differs from the golden file"


@pytest.fixture(scope="module")
def tricky_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("tricky")
    # without the curated bibliography: the golden graph is the parser's and the catalog's, and
    # stays put when curation adds facts (tests/test_bibliography.py covers the bibliographic pass)
    curated = replace(Curated.bundled(), bibliography=Bibliography())
    build([GOLDEN / "tricky.md"], store, with_queries=False, curated=curated)
    return store


def test_tricky_graph_is_golden(tricky_store: Path) -> None:
    check("tricky.ttl", export(open_store(tricky_store), "turtle").decode("utf-8"))


def test_tricky_lint_is_golden() -> None:
    check("tricky.lint.txt", "".join(f"{d}\n" for d in lint_sources([GOLDEN / "tricky.md"], Bibliography())))
