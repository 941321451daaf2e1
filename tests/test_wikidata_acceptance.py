"""Acceptance of issue 17: reconcile and QuickStatements as a user runs them, against a real
Oxigraph server holding a small Wikidata-shaped extract (tests/data/wikidata/acceptance/extract.ttl:
made-up items for papers found by arXiv id and by DOI, one by title only, a conflict, a blog post,
a tool), with a made-up list and its curated records (list.md, bibliography/).

Every mapping status is checked, the counts of what was created and skipped, and the batch line by
line for one item of each kind; no CREATE is ever written for an item that was not searched or
that was found by an identifier, and every reference URL is a primary record."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from interp_kg.curation.primary import default_primary_hosts
from interp_kg.curation.wikidata_mapping import dump_mapping, load_mapping
from tests.oxigraph_server import running_server
from tests.test_cli import run
from tests.wikidata_helpers import parse_v1

DATA = Path(__file__).parent / "data" / "wikidata" / "acceptance"
TODAY = dt.date.today().isoformat()
ARXIV = "S248\tQ118398\tS854\t"
ANTHOLOGY = 'S854\t"https://aclanthology.org/2023.acl-long.10001/"\tS813\t+2026-11-22T00:00:00Z/11'
POST = 'S854\t"https://www.lesswrong.com/posts/AbCdEfGhIjKlMnOpQ/a-blog-post-about-features"'
ACL = "paper/acl-2023.acl-long.10001"


def load_extract(base_url: str) -> None:
    import urllib.request

    request = urllib.request.Request(
        f"{base_url}/store?default",
        data=(DATA / "extract.ttl").read_bytes(),
        headers={"Content-Type": "text/turtle"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status in (200, 201, 204)


@dataclass
class Flow:
    """A user's run: the files, the endpoint, and each command's result."""

    tmp: Path
    endpoint: str
    store: Path
    mapping: Path
    reconciled: subprocess.CompletedProcess[str]

    def args(self) -> tuple[str, ...]:
        return (
            "--store",
            str(self.store),
            "--mapping",
            str(self.mapping),
            "--bibliography",
            str(DATA / "bibliography"),
        )

    def reconcile(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return run(
            "wikidata", "reconcile", "--endpoint", self.endpoint, *self.args(), "--no-labels",
            "--cache-dir", str(self.tmp / "cache"), *extra,
        )  # fmt: skip

    def batch(self, *extra: str) -> tuple[str, str]:
        """The batch's text and the command's stderr (it must succeed)."""
        out = self.tmp / "batch.qs"
        proc = run("wikidata", "quickstatements", *self.args(), "-o", str(out), "--explain", *extra)
        assert proc.returncode == 0, proc.stderr
        text = out.read_text("utf-8")
        parse_v1(text)
        return text, proc.stderr

    def records(self) -> dict[tuple[str, str], dict[str, object]]:
        data = json.loads(self.mapping.read_text("utf-8"))
        return {(w["work"], w.get("version", "work")): w for w in data["works"]}


def build(store: Path, mapping: Path, source: Path = DATA / "list.md") -> None:
    proc = run(
        "build", str(source), "--store", str(store), "--bibliography", str(DATA / "bibliography"),
        "--wikidata-mapping", str(mapping), "-q",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def flow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flow]:
    tmp = tmp_path_factory.mktemp("acceptance")
    mapping = tmp / "mapping.json"
    shutil.copy(DATA / "mapping.json", mapping)
    store = tmp / "store"
    build(store, mapping)
    with running_server(tmp / "wikidata") as url:
        load_extract(url)
        endpoint = f"{url}/query"
        f = Flow(tmp, endpoint, store, mapping, subprocess.CompletedProcess([], 0))
        f.reconciled = f.reconcile()
        assert f.reconciled.returncode == 0, f.reconciled.stderr
        yield f


@pytest.fixture(scope="module")
def first_batch(flow: Flow) -> tuple[str, str]:
    return flow.batch()


def blocks(text: str) -> dict[str, list[str]]:
    """Each CREATE block by its label, and each linked item's lines by its QID."""
    out: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        if line == "CREATE":
            current = ""
            continue
        fields = line.split("\t")
        if fields[0] == "LAST" and fields[1] == "Len":
            current = fields[2].strip('"')
            out[current] = []
        elif fields[0] == "LAST":
            out[current].append(line)
        else:
            out.setdefault(fields[0], []).append(line)
    return out


# ---------------------------------------------------------------- reconcile: every status


def test_every_item_ends_with_a_status(flow: Flow) -> None:
    got = {
        key: (r["status"], r.get("qid"), r.get("matched_by"), [c["qid"] for c in r.get("candidates", [])])
        for key, r in flow.records().items()
    }
    assert got == {
        ("paper/arxiv-2301.10001", "work"): ("confirmed", "Q900000101", "arxiv", []),
        (ACL, "preprint"): ("candidate", None, None, ["Q900000102"]),
        (ACL, "published"): ("confirmed", "Q900000102", "doi", []),
        ("paper/arxiv-2302.10003", "work"): ("candidate", None, None, ["Q900000103"]),
        ("paper/arxiv-2303.10004", "work"): ("conflict", None, None, []),
        ("paper/arxiv-2401.10005", "work"): ("not-found", None, None, []),
        ("paper/arxiv-2401.10006", "work"): ("not-found", None, None, []),
        ("paper/arxiv-2401.10007", "work"): ("not-found", None, None, []),
        ("paper/arxiv-2401.10008", "work"): ("not-found", None, None, []),
        ("paper/lesswrong-AbCdEfGhIjKlMnOpQ", "work"): ("confirmed", "Q900000106", "website", []),
        ("paper/lesswrong-ZyXwVuTsRqPoNmLkJ", "work"): ("not-found", None, None, []),
        ("tool/github-Example-Org-FoundTool", "work"): ("confirmed", "Q900000107", "github", []),
        ("tool/github-Example-Org-NewTool", "work"): ("not-found", None, None, []),
    }
    assert "13 items searched: 4 confirmed, 2 candidate, 1 conflict, 6 not-found" in flow.reconciled.stdout


def test_each_record_says_when_where_and_what_was_searched(flow: Flow) -> None:
    nowhere = flow.records()[("paper/arxiv-2401.10005", "work")]
    assert (nowhere["searched"], nowhere["endpoint"]) == (TODAY, flow.endpoint)
    assert nowhere["looked_up"] == [
        "arxiv 2401.10005",
        "arxiv-doi 10.48550/ARXIV.2401.10005",
        "title Nowhere Preprint",
    ], "the decoy titled 'Nowhere Preprint' is of 2019: not a candidate"
    found = flow.records()[(ACL, "published")]
    assert (found["value"], found["statements"]) == (
        "10.18653/V1/2023.ACL-LONG.10001",
        {"P31": ["Q13442814"], "P356": ["10.18653/V1/2023.ACL-LONG.10001"]},
    )
    conflict = flow.records()[("paper/arxiv-2303.10004", "work")]
    assert (conflict["conflict"], conflict["qids"]) == ("several-items", ["Q900000104", "Q900000105"])
    assert dump_mapping(load_mapping(flow.mapping)) == flow.mapping.read_text("utf-8"), "written canonically"


# ---------------------------------------------------------------- the batch


def test_the_counts_of_what_is_created_and_skipped(first_batch: tuple[str, str]) -> None:
    _, stderr = first_batch
    assert "3 items to create, 23 statements in all (3 linked items get statements they lack)" in stderr
    for line in (
        "skipped 2 items with title candidates to review",
        "skipped 1 items in a conflict",
        "skipped 1 items with an identifier not read on its primary record",
        "skipped 1 items whose class has no verified id",
        "skipped 1 items with no title read on their primary record",
        "left out 2 statements whose only source is not the fact's primary record",
    ):
        assert line in stderr, line
    assert "created because searched and not found on: http://127.0.0.1:" in stderr
    assert "paper/lesswrong-ZyXwVuTsRqPoNmLkJ: no-class" in stderr


def test_only_items_searched_and_not_found_are_created(first_batch: tuple[str, str]) -> None:
    text, _ = first_batch
    created = [line.split("\t")[2] for line in text.splitlines() if line.startswith("LAST\tLen\t")]
    assert created == ['"Nowhere Preprint"', '"Mirror Sourced Paper"', '"NewTool"']
    assert text.count("CREATE\n") == 3
    for found_by_identifier in ("2301.10001", "2303.10004", "2305.10002"):
        assert f'LAST\tP818\t"{found_by_identifier}"' not in text


def test_a_preprint_created(first_batch: tuple[str, str]) -> None:
    ref = ARXIV + '"https://arxiv.org/abs/2401.10005"\tS813\t+2026-11-2'
    assert blocks(first_batch[0])["Nowhere Preprint"] == [
        f"LAST\tP31\tQ580922\t{ref}4T00:00:00Z/11",
        f'LAST\tP1476\ten:"Nowhere Preprint"\t{ref}4T00:00:00Z/11',
        f'LAST\tP818\t"2401.10005"\t{ref}4T00:00:00Z/11',
        f'LAST\tP356\t"10.48550/ARXIV.2401.10005"\t{ref}4T00:00:00Z/11',
        f"LAST\tP577\t+2024-01-18T00:00:00Z/11\t{ref}6T00:00:00Z/11",
        f'LAST\tP50\tQ900000160\tP1545\t"1"\t{ref}5T00:00:00Z/11',
        f'LAST\tP2093\t"Cy Coder"\tP1545\t"2"\t{ref}5T00:00:00Z/11',
    ]


def test_a_paper_whose_byline_and_date_were_read_on_a_mirror(first_batch: tuple[str, str]) -> None:
    ref = ARXIV + '"https://arxiv.org/abs/2401.10006"\tS813\t+2026-11-27T00:00:00Z/11'
    assert blocks(first_batch[0])["Mirror Sourced Paper"] == [
        f"LAST\tP31\tQ580922\t{ref}",
        f'LAST\tP1476\ten:"Mirror Sourced Paper"\t{ref}',
        f'LAST\tP818\t"2401.10006"\t{ref}',
        f'LAST\tP356\t"10.48550/ARXIV.2401.10006"\t{ref}',
    ]


def test_a_tool_created(first_batch: tuple[str, str]) -> None:
    ref = 'S854\t"https://github.com/Example-Org/NewTool"\tS813\t+2026-11-30T00:00:00Z/11'
    assert blocks(first_batch[0])["NewTool"] == [
        f"LAST\tP31\tQ7397\t{ref}",
        f'LAST\tP1324\t"https://github.com/Example-Org/NewTool"\t{ref}',
    ]


def test_a_venue_version_linked_by_its_doi_gets_what_it_lacks(first_batch: tuple[str, str]) -> None:
    assert blocks(first_batch[0])["Q900000102"] == [
        f"Q900000102\tP577\t+2023-07-01T00:00:00Z/10\t{ANTHOLOGY}",
        f"Q900000102\tP1433\tQ900000150\t{ANTHOLOGY}",
        f'Q900000102\tP50\tQ900000160\tP1545\t"1"\t{ANTHOLOGY}',
        f'Q900000102\tP2093\t"Dee Dataset"\tP1545\t"2"\t{ANTHOLOGY}',
    ], "no arXiv id, no first-version date: those are the preprint's; P1433 the proceedings, not the series"


def test_a_preprint_linked_by_its_arxiv_id_gets_what_it_lacks(first_batch: tuple[str, str]) -> None:
    ref = ARXIV + '"https://arxiv.org/abs/2301.10001"\tS813\t+2026-11-20T00:00:00Z/11'
    assert blocks(first_batch[0])["Q900000101"] == [
        f'Q900000101\tP356\t"10.48550/ARXIV.2301.10001"\t{ref}',
        f'Q900000101\tP50\tQ900000160\tP1545\t"1"\t{ref}',
        f'Q900000101\tP2093\t"Bo Builder"\tP1545\t"2"\t{ref}',
    ]


def test_a_blog_post_linked_by_its_page_gets_what_it_lacks(first_batch: tuple[str, str]) -> None:
    ref = f"{POST}\tS813\t+2026-11-29T00:00:00Z/11"
    assert blocks(first_batch[0])["Q900000106"] == [
        f'Q900000106\tP1476\ten:"A Blog Post About Features"\t{ref}',
        f"Q900000106\tP577\t+2024-03-02T00:00:00Z/11\t{ref}",
        f'Q900000106\tP2093\t"Gil Poster"\tP1545\t"1"\t{ref}',
    ], "no P31: the class of blog posts is not verified"


def test_a_tool_that_has_everything_gets_nothing(first_batch: tuple[str, str]) -> None:
    assert "Q900000107" not in first_batch[0]


def test_no_reference_url_off_the_primary_hosts(first_batch: tuple[str, str]) -> None:
    hosts = default_primary_hosts()
    own = {"example-org/newtool", "example-org/foundtool"}
    urls = [s[1].strip('"') for cmd in parse_v1(first_batch[0]) for s in cmd[4] if s[0] == "S854"]
    assert len(urls) == 23
    assert all(hosts.is_primary(u, own) for u in urls), [u for u in urls if not hosts.is_primary(u, own)]
    assert not any("paper-digest" in u for u in urls)


# ---------------------------------------------------------------- review, batch again, rebuild


@pytest.fixture(scope="module")
def reviewed(flow: Flow, first_batch: tuple[str, str]) -> tuple[str, str]:
    """A person rules out the ACL preprint's candidate (it is the venue version), confirms the
    title-only candidate; reconcile runs again (from its cache), then the batch."""
    data = json.loads(flow.mapping.read_text("utf-8"))
    for w in data["works"]:
        if (w["work"], w.get("version")) == (ACL, "preprint"):
            w["rejected"] = ["Q900000102"]
        if w["work"] == "paper/arxiv-2302.10003":
            w.update(status="confirmed", qid="Q900000103", matched_by="title")
    flow.mapping.write_text(json.dumps(data), encoding="utf-8")
    again = flow.reconcile()
    assert again.returncode == 0, again.stderr
    assert "from cache" in again.stdout
    return flow.batch()


def test_a_candidate_ruled_out_is_never_proposed_again(flow: Flow, reviewed: tuple[str, str]) -> None:
    preprint = flow.records()[(ACL, "preprint")]
    assert (preprint["status"], preprint["rejected"]) == ("not-found", ["Q900000102"])
    ref = ARXIV + '"https://arxiv.org/abs/2305.10002"\tS813\t+2026-11-21T00:00:00Z/11'
    assert blocks(reviewed[0])["Found by DOI at ACL"] == [
        f"LAST\tP31\tQ580922\t{ref}",
        f'LAST\tP1476\ten:"Found by DOI at ACL"\t{ref}',
        f'LAST\tP818\t"2305.10002"\t{ref}',
        f'LAST\tP356\t"10.48550/ARXIV.2305.10002"\t{ref}',
        f"LAST\tP577\t+2023-05-17T00:00:00Z/11\t{ref}",
    ], "the preprint is its own item; its byline was read on the venue version's record"


def test_a_confirmed_candidate_is_kept_and_completed(flow: Flow, reviewed: tuple[str, str]) -> None:
    titled = flow.records()[("paper/arxiv-2302.10003", "work")]
    assert (titled["status"], titled["qid"], titled["matched_by"]) == ("confirmed", "Q900000103", "title")
    assert [line.split("\t")[1] for line in blocks(reviewed[0])["Q900000103"]] == [
        "P31",
        "P818",
        "P356",
        "P2093",
    ]


def test_the_rebuild_links_the_confirmed_items(flow: Flow, reviewed: tuple[str, str], tmp_path: Path) -> None:
    build(flow.store, flow.mapping)
    proc = run(
        "query", "--store", str(flow.store), "-f", "csv", "--sparql",
        "SELECT ?work ?item WHERE { ?work a <https://w3id.org/interp-kg/ontology#Work> ; "
        "<https://schema.org/sameAs> ?item } ORDER BY ?work ?item",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    linked = {line.split(",")[1].rsplit("/", 1)[1].strip() for line in proc.stdout.splitlines()[1:]}
    assert linked == {"Q900000101", "Q900000102", "Q900000103", "Q900000106", "Q900000107"}


def test_a_search_older_than_max_age_creates_nothing(flow: Flow, reviewed: tuple[str, str]) -> None:
    text, stderr = flow.batch("--max-age", "0")
    assert "CREATE" not in text and text == ""
    assert (
        "skipped 7 items searched longer ago than --max-age (0 days): "
        "run `interp-kg wikidata reconcile --refresh`"
    ) in stderr
    assert "skipped 5 items linked, but their statements were read longer ago" in stderr


def test_a_work_added_since_the_search_is_skipped(
    flow: Flow, reviewed: tuple[str, str], tmp_path: Path
) -> None:
    later = tmp_path / "later.md"
    later.write_text(
        (DATA / "list.md").read_text("utf-8")
        + "* **Added Later** [[arXiv 2024]](https://arxiv.org/abs/2402.10009)\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    build(store, flow.mapping, later)
    out = tmp_path / "later.qs"
    proc = run(
        "wikidata", "quickstatements", "--store", str(store), "--mapping", str(flow.mapping),
        "--bibliography", str(DATA / "bibliography"), "-o", str(out), "--explain",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "skipped 1 items never searched on Wikidata: run `interp-kg wikidata reconcile`" in proc.stderr
    assert "paper/arxiv-2402.10009: never-searched" in proc.stderr
    assert "Added Later" not in out.read_text("utf-8")


def test_no_reconciliation_at_all_is_an_error(flow: Flow, tmp_path: Path) -> None:
    proc = run(
        "wikidata", "quickstatements", "--store", str(flow.store), "--mapping", str(DATA / "mapping.json"),
        "--bibliography", str(DATA / "bibliography"),
    )  # fmt: skip
    assert proc.returncode == 1 and proc.stdout == ""
    assert "no work has been searched on Wikidata: run `interp-kg wikidata reconcile` first" in proc.stderr


def test_report_wikidata_lists_candidates_and_facts_without_a_primary_source(
    flow: Flow, first_batch: tuple[str, str]
) -> None:
    proc = run("report", "wikidata", *flow.args(), "-f", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    secondary = {(f["work"], f["fact"]) for f in report["secondary"]}
    assert secondary == {
        ("paper/arxiv-2401.10006", "authors"),
        ("paper/arxiv-2401.10006", "date"),
        ("paper/arxiv-2401.10007", "arxiv_id"),
    }
    assert all(
        f["why"] == "made up for the tests: the primary page was not read" for f in report["secondary"]
    )
