"""Data tests of the curated bibliography against both bundled lists (issue 16): facts checked
against each other and against the list, and every fact with a source and a retrieval date.

Each rule of :mod:`interp_kg.checks.curated` must find nothing on the bundled data (a finding's
message says how to fix it), and each must catch a planted problem, so that the test can fail.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from interp_kg.catalog.models import Catalog
from interp_kg.catalog.works import build_catalog
from interp_kg.checks.curated import bibliography_findings, own_repositories
from interp_kg.curation.aliases import AliasTable, default_aliases
from interp_kg.curation.bibliography import default_folder, load
from interp_kg.curation.primary import default_primary_hosts
from interp_kg.source.bundled import bundled_list_path, bundled_lists
from interp_kg.source.parse import parse_file, parse_text
from tests.conftest import write

VERSIONS = bundled_lists().names()


@pytest.fixture(scope="module", params=VERSIONS)
def catalog(request: pytest.FixtureRequest) -> Catalog:
    return build_catalog([parse_file(bundled_list_path(request.param))])


def test_every_curated_fact_has_a_source_and_a_retrieval_date() -> None:
    bib = load(default_folder())
    today = dt.date.today()
    for located in bib.records:
        record = located.record
        for fact, source in record.sources.items():
            assert getattr(record, fact) is not None, (located.where, fact)
            assert dt.date(2026, 11, 1) <= source.retrieved <= today, (located.where, fact, source.retrieved)


def test_the_curated_facts_agree_with_each_other_and_with_the_list(catalog: Catalog) -> None:
    findings = bibliography_findings(catalog, load(default_folder()), default_aliases())
    assert not findings, "\n".join(str(d) for d in findings)


def test_a_source_has_a_reason_exactly_when_it_is_not_a_primary_record(catalog: Catalog) -> None:
    bib, hosts = load(default_folder()), default_primary_hosts()
    for work in catalog.works:
        if (located := bib.for_work(work)) is None:
            continue
        own = own_repositories(work)
        for fact, source in located.record.sources.items():
            primary = hosts.is_primary(source.url, own)
            assert primary == (source.secondary is None), (
                f"{located.where}: sources.{fact}: {source.url} is "
                + (
                    "primary: drop its 'secondary' reason"
                    if primary
                    else "not primary: give a 'secondary' reason"
                )
            )


def test_every_bundled_list_file_has_its_recorded_checksum() -> None:
    import hashlib

    for entry in bundled_lists().versions:
        data = bundled_list_path(entry.name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry.sha256, entry.name


# -- each rule catches a planted problem ------------------------------------------------------------

LIST = """\
# L

## Papers

* **Attention Heads Explained** [[arxiv 2403]](https://arxiv.org/abs/2403.00001)
* **Probing Probes** [[ICLR 2024]](https://openreview.net/forum?id=probeAAAAA1)
"""
READ = {"url": "https://arxiv.org/abs/2403.00001", "retrieved": "2026-12-01"}


def _findings(tmp_path: Path, *records: dict[str, object], aliases: AliasTable | None = None) -> list[str]:
    write(tmp_path / "bib" / "part-1.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    catalog = build_catalog([parse_text(LIST, "list.md")])
    return [str(d) for d in bibliography_findings(catalog, load(tmp_path / "bib"), aliases or AliasTable())]


def test_a_date_before_the_arxiv_month_is_caught(tmp_path: Path) -> None:
    record = {"id": "arxiv:2403.00001", "title": "Attention Heads Explained", "date": "2023-11-02"}
    found = _findings(tmp_path, {**record, "sources": {"title": READ, "date": READ}})
    assert any("[date-arxiv-mismatch]" in f for f in found), found


def test_a_title_other_than_the_lists_is_caught_unless_the_note_says_why(tmp_path: Path) -> None:
    record = {"id": "arxiv:2403.00001", "title": "Heads, Explained Otherwise", "sources": {"title": READ}}
    assert any("[title-differs]" in f for f in _findings(tmp_path, record))
    assert _findings(tmp_path, {**record, "note": "Retitled in v2; the list keeps the v1 title."}) == []
    same = {**record, "title": "attention heads: explained!"}  # case and punctuation only
    assert _findings(tmp_path, same) == []


def test_an_identifier_disagreeing_with_the_lists_url_is_caught(tmp_path: Path) -> None:
    record = {
        "id": "openreview:probeAAAAA1",
        "title": "Probing Probes",
        "arxiv_id": "2401.99999",
        "sources": {"title": READ, "arxiv_id": READ},
    }
    assert not _findings(tmp_path, record)  # the list gives no arXiv id: the record adds one
    record["openreview_id"] = "probeBBBBB2"
    record["sources"] = {**record["sources"], "openreview_id": READ}  # type: ignore[dict-item]
    assert any("[identifier-disagrees]" in f for f in _findings(tmp_path, record))


def test_a_fact_read_on_a_mirror_needs_a_reason(tmp_path: Path) -> None:
    mirror = {"url": "https://paper-digest.example/2403.00001", "retrieved": "2026-12-01"}
    record = {"id": "arxiv:2403.00001", "title": "Attention Heads Explained", "sources": {"title": mirror}}
    found = _findings(tmp_path, record)
    assert any("[secondary-source]" in f and "paper-digest.example" in f for f in found), found
    reasoned = {**mirror, "secondary": "the arXiv page was not reachable"}
    assert _findings(tmp_path, {**record, "sources": {"title": reasoned}}) == []


def test_a_person_under_two_names_is_caught(tmp_path: Path) -> None:
    a = {"id": "arxiv:2403.00001", "title": "Attention Heads Explained", "authors": ["Chris Olah", "Ann Bee"]}
    b = {"id": "openreview:probeAAAAA1", "title": "Probing Probes", "authors": ["Christopher Olah"]}
    records = [{**r, "sources": {"title": READ, "authors": READ}} for r in (a, b)]
    assert any("[likely-duplicate-author]" in f for f in _findings(tmp_path, *records))
