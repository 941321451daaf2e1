"""``interp-kg enrich --verify`` against local fake arXiv, Crossref and OpenReview services (a real
HTTP server on 127.0.0.1 answering in each API's format, tests/data/enrich/): every curated fact a
service holds is read again; the ones that agree get their primary page and the day, the others
are flagged; curated files are never written; a curator applies the agreeing ones."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from interp_kg.catalog.works import build_catalog
from interp_kg.curation.bibliography import load
from interp_kg.curation.verification import VERIFIED_FILE, apply, read_verifications
from interp_kg.enrich.verify import verify
from interp_kg.http import Client, HttpPolicy
from interp_kg.source.parse import parse_text
from tests.conftest import write
from tests.local_http import Answer, FakeClock, Recorder
from tests.test_cli import run

DATA = Path(__file__).parent / "data" / "enrich"
TODAY = dt.date(2026, 12, 10)
MIRROR = "https://paper-digest.example/x"
LIST = """\
# A list

## Papers

* **Paper A** [[arxiv 2301]](https://arxiv.org/abs/2301.00001)
* **Paper D** [[ACM]](https://doi.org/10.1145/3639372)
* **Paper O** [[ICLR 2024]](https://openreview.net/forum?id=paperOOOOO1)
"""


def _src(url: str, secondary: bool = False) -> dict[str, str]:
    return {"url": url, "retrieved": "2026-11-01"} | ({"secondary": "read on a mirror"} if secondary else {})


RECORDS = [
    {
        "id": "arxiv:2301.00001",
        "title": "Paper A: A Test Fixture",
        "authors": ["Ann Author", "Mor Geva", "Bob Builder"],
        "date": "2023-01",
        "arxiv_id": "2301.00001",
        "sources": {
            "title": _src(MIRROR, True),
            "authors": _src(MIRROR, True),
            "date": _src("https://arxiv.org/abs/2301.00001v2"),
            "arxiv_id": _src(MIRROR, True),
        },
    },
    {
        "id": "doi:10.1145/3639372",
        "title": "Paper D: a test fixture",
        "authors": ["Dora Doi", "Erik Émile"],
        "published": "2024-02",
        "doi": "10.1145/3639372",
        "sources": {f: _src(MIRROR, True) for f in ("title", "authors", "published", "doi")},
    },
    {
        "id": "openreview:paperOOOOO1",
        "title": "Paper O: A Test Fixture",
        "authors": ["Olga One", "Oscar Two"],
        "openreview_id": "paperOOOOO1",
        "sources": {f: _src(MIRROR, True) for f in ("title", "authors", "openreview_id")},
    },
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "bibliography"
    write(out / "part-1.jsonl", "".join(json.dumps(r) + "\n" for r in RECORDS))
    return out


def serve(recorder: Recorder) -> dict[str, str]:
    """The three services' answers on the recorder; their base URLs."""
    recorder.answers["/arxiv/query"] = Answer(
        content_type="application/atom+xml", body=(DATA / "arxiv-2301.00001.xml").read_bytes()
    )
    recorder.answers["/crossref/works/10.1145/3639372"] = Answer(
        content_type="application/json", body=(DATA / "crossref-10.1145-3639372.json").read_bytes()
    )
    recorder.answers["/openreview/notes"] = Answer(
        content_type="application/json", body=(DATA / "openreview-paperOOOOO1.json").read_bytes()
    )
    base = recorder.url
    return {
        "arxiv": f"{base}/arxiv/query",
        "crossref": f"{base}/crossref/works/",
        "openreview": f"{base}/openreview/notes",
    }


def digest(folder: Path) -> str:
    return hashlib.sha256((folder / "part-1.jsonl").read_bytes()).hexdigest()


def client() -> Client:
    return Client(HttpPolicy(timeout=5, retries=0), contact="curator@example.org", clock=FakeClock())


def test_verify_reads_every_fact_again_and_flags_each_disagreement(recorder: Recorder, folder: Path) -> None:
    before = digest(folder)
    catalog = build_catalog([parse_text(LIST, "list.md")])
    result = verify(catalog, folder, client(), urls=serve(recorder), today=TODAY)  # type: ignore[arg-type]
    assert digest(folder) == before, "curated files are never written"
    assert not result.failures
    found = {(v.id, v.fact, v.service): v for v in read_verifications(folder / VERIFIED_FILE)}
    assert {k: v.agrees for k, v in found.items()} == {
        ("arxiv:2301.00001", "title", "arxiv"): True,
        ("arxiv:2301.00001", "authors", "arxiv"): True,
        ("arxiv:2301.00001", "date", "arxiv"): True,  # 2023-01 is the month of 2023-01-02
        ("arxiv:2301.00001", "arxiv_id", "arxiv"): True,
        ("doi:10.1145/3639372", "title", "crossref"): False,  # the case differs
        ("doi:10.1145/3639372", "authors", "crossref"): False,  # the consortium is missing
        ("doi:10.1145/3639372", "published", "crossref"): True,
        ("doi:10.1145/3639372", "doi", "crossref"): True,
        ("openreview:paperOOOOO1", "title", "openreview"): True,
        ("openreview:paperOOOOO1", "authors", "openreview"): True,
        ("openreview:paperOOOOO1", "openreview_id", "openreview"): True,
    }
    a = found[("arxiv:2301.00001", "title", "arxiv")]
    assert (a.source.url, a.source.retrieved) == ("https://arxiv.org/abs/2301.00001", TODAY)
    assert found[("doi:10.1145/3639372", "doi", "crossref")].source.url == "https://doi.org/10.1145/3639372"
    conflicts = sorted(str(o) for o in result.outcomes if o.kind == "conflict")
    assert conflicts == [
        "doi:10.1145/3639372: conflict: authors: crossref gives 'Dora Doi; Erik Émile; The Test Consortium', "
        "curated 'Dora Doi; Erik Émile'",
        "doi:10.1145/3639372: conflict: title: crossref gives 'Paper D: A Test Fixture', "
        "curated 'Paper D: a test fixture'",
    ]


def test_apply_sources_the_agreeing_facts_to_their_primary_record(recorder: Recorder, folder: Path) -> None:
    catalog = build_catalog([parse_text(LIST, "list.md")])
    verify(catalog, folder, client(), urls=serve(recorder), today=TODAY)  # type: ignore[arg-type]
    changed = apply(folder)
    assert len(changed) == 8
    records = {loc.record.key: loc.record for loc in load(folder).records}
    a = records["arxiv:2301.00001"]
    assert (
        a.sources["title"].url == "https://arxiv.org/abs/2301.00001" and a.sources["title"].secondary is None
    )
    assert a.sources["title"].retrieved == TODAY
    assert a.sources["date"].url == "https://arxiv.org/abs/2301.00001v2", "a primary source is kept"
    d = records["doi:10.1145/3639372"]
    assert d.sources["authors"].url == MIRROR, "a disagreement is never applied"
    assert d.sources["doi"].url == "https://doi.org/10.1145/3639372"
    assert apply(folder) == [], "applying again changes nothing"


def test_a_value_edited_since_the_verification_is_not_applied(recorder: Recorder, folder: Path) -> None:
    catalog = build_catalog([parse_text(LIST, "list.md")])
    verify(catalog, folder, client(), urls=serve(recorder), today=TODAY)  # type: ignore[arg-type]
    text = (folder / "part-1.jsonl").read_text("utf-8").replace("Olga One", "Olga Uno")
    (folder / "part-1.jsonl").write_text(text, encoding="utf-8")
    apply(folder)
    o = {loc.record.key: loc.record for loc in load(folder).records}["openreview:paperOOOOO1"]
    assert o.sources["authors"].url == MIRROR and o.sources["title"].url.startswith("https://openreview.net/")


def test_the_command(recorder: Recorder, folder: Path, tmp_path: Path) -> None:
    urls = serve(recorder)
    listed = tmp_path / "list.md"
    listed.write_text(LIST, encoding="utf-8")
    before = digest(folder)
    proc = run(
        "enrich", str(listed), "--verify", "--bibliography", str(folder), "--retries", "0",
        "--arxiv-url", urls["arxiv"], "--crossref-url", urls["crossref"],
        "--openreview-url", urls["openreview"],
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "doi:10.1145/3639372: conflict: title: crossref gives" in proc.stdout
    assert "3 records with agreeing facts, 2 disagreements, 0 failures" in proc.stderr
    assert digest(folder) == before and (folder / VERIFIED_FILE).exists()
