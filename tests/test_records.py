"""Records built without re-validation on the hot paths satisfy their models' constraints."""

from __future__ import annotations

from pathlib import Path

import pytest

from interp_kg.catalog.models import Work
from interp_kg.catalog.works import build_catalog
from interp_kg.source.models import Entry, Link, ParsedList
from interp_kg.source.parse import parse_file
from tests.conftest import BUNDLED, REPO

LISTS = [BUNDLED, REPO / "tests" / "golden" / "tricky.md"]


@pytest.fixture(scope="module", params=LISTS, ids=lambda p: p.name)
def parsed(request: pytest.FixtureRequest) -> ParsedList:
    path: Path = request.param
    return parse_file(path)


def test_every_entry_and_link_validates(parsed: ParsedList) -> None:
    for entry in parsed.entries:
        assert Entry.model_validate(entry.model_dump()) == entry
        for link in entry.links:
            assert Link.model_validate(link.model_dump()) == link


def test_every_work_validates(parsed: ParsedList) -> None:
    for work in build_catalog([parsed]).works:
        assert Work.model_validate(work.model_dump()) == work
