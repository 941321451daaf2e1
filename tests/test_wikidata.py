"""Reconciling with Wikidata against a real Oxigraph server holding a small fixture in Wikidata's
own RDF shape (tests/data/wikidata/fixture.ttl): matches by each identifier kind, DOI case,
no match, conflicts, candidates by label, 429 with Retry-After, 500, a timeout, the User-Agent,
the cache; then the links in a build and in the reports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as px
import pytest

from interp_kg import __version__
from interp_kg.curation.wikidata_mapping import ConceptLink, Mapping, WorkRecord, load_mapping, write_mapping
from interp_kg.errors import RemoteError, RemoteRejected, RemoteTooLarge
from interp_kg.http import Client, HttpPolicy, retry_after, user_agent
from interp_kg.store.builds import open_store
from interp_kg.wikidata.client import PACE, SparqlClient
from interp_kg.wikidata.client import Answer as Answered
from interp_kg.wikidata.reconcile import ReconcileSummary, reconcile
from interp_kg.wikidata.works import WorkFacts, read_works
from tests.local_http import GIB, Answer, FakeClock, Recorder
from tests.oxigraph_server import running_server
from tests.wikidata_helpers import TODAY, Proxy, Scripted, list_store, load_fixture, run_proxy

ARXIV = "paper/arxiv-2301.00001"
DOI = "paper/doi-10.1162-tacl_a_00001"
OPENREVIEW = "paper/openreview-abcdEFGH12"
TWO_ITEMS = "paper/arxiv-2301.00002"
TWIN_1, TWIN_2 = "paper/arxiv-2301.00003", "paper/arxiv-2301.00004"
NOWHERE = "paper/arxiv-2301.00005"
TOOL = "tool/github-Example-Org-SomeTool"
SAME_AS = px.NamedNode("https://schema.org/sameAs")
EXACT_MATCH = px.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
ID = "https://w3id.org/interp-kg/id/"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server holding the fixture; yields its query URL."""
    with running_server(tmp_path_factory.mktemp("wikidata") / "db") as url:
        load_fixture(url)
        yield f"{url}/query"


@pytest.fixture(scope="module")
def works(tmp_path_factory: pytest.TempPathFactory) -> list[WorkFacts]:
    return read_works(open_store(list_store(tmp_path_factory.mktemp("list"))))


def client(
    endpoint: str,
    tmp: Path,
    time: FakeClock | None = None,
    *,
    contact: str | None = None,
    min_interval: float = 0.0,
    **policy: float,
) -> SparqlClient:
    """The command's client (65 s per request, 4 retries) on a fake clock, unless ``policy`` says."""
    http = Client(
        HttpPolicy.model_validate({"timeout": 65.0, "retries": 4, **policy}),
        contact=contact,
        clock=time or FakeClock(),
        intervals={PACE: min_interval},
    )
    return SparqlClient(endpoint, http, cache_dir=tmp / "cache", today=lambda: TODAY)


@pytest.fixture(scope="module")
def reconciled(
    wikidata: str, works: list[WorkFacts], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Mapping, ReconcileSummary]:
    tmp = tmp_path_factory.mktemp("run")
    return reconcile(
        client(wikidata, tmp),
        works,
        Mapping(),
        venues={"venue/iclr": "ICLR", "venue/tacl": "TACL"},
        topics={"topics/list/sparse-coding": "Sparse Coding"},
        today=TODAY,
    )


def record(mapping: Mapping, work: str, version: str = "work") -> WorkRecord:
    return mapping.records()[(work, version)]


def test_matches_by_arxiv_id(reconciled: tuple[Mapping, ReconcileSummary], wikidata: str) -> None:
    r = record(reconciled[0], ARXIV)
    assert (r.status, r.qid, r.matched_by, r.value, r.searched, r.endpoint) == (
        "confirmed",
        "Q900000001",
        "arxiv",
        "2301.00001",
        TODAY,
        wikidata,
    )
    assert r.looked_up == ("arxiv 2301.00001", "arxiv-doi 10.48550/ARXIV.2301.00001", "title Paper by arXiv")


def test_matches_by_doi_whatever_the_case(reconciled: tuple[Mapping, ReconcileSummary]) -> None:
    r = record(reconciled[0], DOI)
    assert (r.qid, r.matched_by, r.value) == ("Q900000002", "doi", "10.1162/TACL_A_00001")


def test_matches_by_openreview_id(reconciled: tuple[Mapping, ReconcileSummary]) -> None:
    r = record(reconciled[0], OPENREVIEW)
    assert (r.qid, r.matched_by) == ("Q900000003", "openreview")


def test_matches_tools_by_repository_url(reconciled: tuple[Mapping, ReconcileSummary]) -> None:
    r = record(reconciled[0], TOOL)
    assert (r.qid, r.matched_by, r.value) == (
        "Q900000007",
        "github",
        "https://github.com/Example-Org/SomeTool",
    )


def test_no_match_is_recorded_as_not_found_per_version(
    reconciled: tuple[Mapping, ReconcileSummary], wikidata: str
) -> None:
    """A NeurIPS paper with an arXiv id is two items (preprint, venue version), each searched."""
    assert NOWHERE not in reconciled[0].work_links()
    for version in ("preprint", "published"):
        r = record(reconciled[0], NOWHERE, version)
        assert (r.status, r.searched, r.endpoint) == ("not-found", TODAY, wikidata)
        assert "title Paper nowhere" in r.looked_up
    assert "arxiv 2301.00005" in record(reconciled[0], NOWHERE, "preprint").looked_up
    assert "arxiv 2301.00005" not in record(reconciled[0], NOWHERE, "published").looked_up


def test_linked_items_statements_are_recorded(reconciled: tuple[Mapping, ReconcileSummary]) -> None:
    statements = record(reconciled[0], ARXIV).statements
    assert statements["P818"] == ("2301.00001",)
    assert statements["P31"] == ("Q13442814",)
    assert "P356" not in statements and "P921" not in statements


def test_two_items_for_one_work_is_a_conflict_not_a_link(
    reconciled: tuple[Mapping, ReconcileSummary],
) -> None:
    mapping = reconciled[0]
    assert TWO_ITEMS not in mapping.work_links()
    r = record(mapping, TWO_ITEMS)
    assert (r.status, r.conflict, r.qids) == ("conflict", "several-items", ("Q900000004", "Q900000005"))
    (conflict,) = [c for c in mapping.conflicts if c.kind == "several-items"]
    assert conflict.works == (TWO_ITEMS,)
    assert conflict.qids == ("Q900000004", "Q900000005")


def test_one_item_for_two_works_is_a_conflict_not_a_link(
    reconciled: tuple[Mapping, ReconcileSummary],
) -> None:
    mapping = reconciled[0]
    assert TWIN_1 not in mapping.work_links() and TWIN_2 not in mapping.work_links()
    assert {record(mapping, w).status for w in (TWIN_1, TWIN_2)} == {"conflict"}
    (conflict,) = [c for c in mapping.conflicts if c.kind == "several-works"]
    assert (conflict.works, conflict.qids) == ((TWIN_1, TWIN_2), ("Q900000006",))


def test_a_new_match_against_a_link_a_person_made_is_a_conflict(
    wikidata: str, works: list[WorkFacts], tmp_path: Path
) -> None:
    curated = Mapping.model_validate(
        {"works": [{"work": ARXIV, "status": "confirmed", "qid": "Q900000099", "matched_by": "person"}]}
    )
    mapping, _ = reconcile(client(wikidata, tmp_path), works, curated, today=TODAY)
    r = record(mapping, ARXIV)
    assert (r.status, r.qids) == ("conflict", ("Q900000001", "Q900000099")), "never silently replaced"
    assert f"{ARXIV} mapping -> Q900000099" in r.evidence
    assert any(c.works == (ARXIV,) and c.qids == ("Q900000001", "Q900000099") for c in mapping.conflicts)


def test_a_link_a_person_made_is_kept(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    made = {"work": NOWHERE, "version": "preprint", "status": "confirmed", "qid": "Q900000098",
            "matched_by": "person", "note": "checked by hand"}  # fmt: skip
    mapping, _ = reconcile(
        client(wikidata, tmp_path), works, Mapping.model_validate({"works": [made]}), today=TODAY
    )
    r = record(mapping, NOWHERE, "preprint")
    assert (r.status, r.qid, r.matched_by, r.note) == ("confirmed", "Q900000098", "person", "checked by hand")
    assert r.searched == TODAY, "its identifiers were searched again (nothing else holds them)"


def test_venue_and_topic_candidates_by_label_and_alias(reconciled: tuple[Mapping, ReconcileSummary]) -> None:
    mapping = reconciled[0]
    venues = [(c.node, c.qid, c.status, c.classes) for c in mapping.venues]
    # "ICLR" also labels an item whose class is a film: by default only conference series and
    # journals (by their class's English label) are proposed
    assert venues == [("venue/iclr", "Q900000010", "candidate", ("Q900000090",))]
    assert [(c.node, c.qid, c.status) for c in mapping.topics] == [
        ("topics/list/sparse-coding", "Q900000011", "candidate")
    ]


def test_venue_candidates_filtered_by_class(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    mapping, _ = reconcile(
        client(wikidata, tmp_path),
        works,
        Mapping(),
        venues={"venue/iclr": "ICLR"},
        venue_classes=("Q900000091",),
        today=TODAY,
    )
    assert [c.qid for c in mapping.venues] == ["Q900000012"]


def test_confirmed_venues_are_not_looked_up_again(
    wikidata: str, works: list[WorkFacts], tmp_path: Path
) -> None:
    confirmed = ConceptLink(node="venue/iclr", qid="Q900000010", status="confirmed", source="checked by hand")
    mapping, _ = reconcile(
        client(wikidata, tmp_path),
        works,
        Mapping(venues=(confirmed,)),
        venues={"venue/iclr": "ICLR"},
        today=TODAY,
    )
    assert mapping.venues == (confirmed,)


def test_batches_and_summary(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    c = client(wikidata, tmp_path)
    _, summary = reconcile(c, works, Mapping(), today=TODAY, batch=2)
    assert summary.matched == {"arxiv": 5, "doi": 1, "github": 1, "openreview": 1}
    assert summary.new_links == 4 and summary.conflicts == 3
    assert summary.status == {"confirmed": 4, "conflict": 3, "not-found": 2}
    # batches of 2: arxiv 5 values -> 3, arxiv-doi 5 -> 3, doi 1, openreview 1, github 4 URL forms -> 2,
    # the unmatched items' titles ("Paper nowhere", both versions) -> 1, the 4 linked items' statements -> 2
    assert c.requests == 3 + 3 + 1 + 1 + 2 + 1 + 2


def test_the_cache_answers_a_rerun(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    first = client(wikidata, tmp_path)
    one, _ = reconcile(first, works, Mapping(), today=TODAY)
    again = client("http://127.0.0.1:9/unreachable", tmp_path)
    again.endpoint = wikidata  # same key, and a request would fail: only the cache can answer
    two, _ = reconcile(again, works, Mapping(), today=TODAY)
    assert (again.requests, again.cache_hits) == (0, first.requests)
    assert one == two


def test_cached_answers_keep_their_day(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    """A rerun a week later answered from the cache records the day the endpoint answered: a
    not-found that old is not made younger by reading it again."""
    reconcile(client(wikidata, tmp_path), works, Mapping(), today=TODAY)
    later = client(wikidata, tmp_path)
    later.today = lambda: TODAY + dt.timedelta(days=7)
    mapping, summary = reconcile(later, works, Mapping(), today=TODAY + dt.timedelta(days=7))
    assert later.requests == 0 and summary.oldest_answer == TODAY
    assert record(mapping, NOWHERE, "preprint").searched == TODAY
    later.use_cache = False  # --refresh
    mapping, _ = reconcile(later, works, Mapping(), today=TODAY + dt.timedelta(days=7))
    assert record(mapping, NOWHERE, "preprint").searched == TODAY + dt.timedelta(days=7)


def test_a_run_cut_short_resumes_from_the_cache(
    wikidata: str, works: list[WorkFacts], tmp_path: Path
) -> None:
    time = FakeClock()
    with run_proxy(Proxy(wikidata, [Scripted(), Scripted(), Scripted(400)])) as proxy:
        with pytest.raises(RemoteRejected):
            reconcile(client(proxy.url, tmp_path, time), works, Mapping(), today=TODAY)
        again = client(proxy.url, tmp_path, time)
        mapping, _ = reconcile(again, works, Mapping(), today=TODAY)
    assert again.cache_hits == 2, "the two answers of the first run are not asked again"
    assert record(mapping, ARXIV).qid == "Q900000001"


def test_the_user_agent_names_tool_version_and_contact(
    wikidata: str, works: list[WorkFacts], tmp_path: Path
) -> None:
    with run_proxy(Proxy(wikidata)) as proxy:
        reconcile(
            client(proxy.url, tmp_path, contact="mailto:curator@example.org"),
            works[:1],
            Mapping(),
            today=TODAY,
        )
        assert proxy.user_agents
        assert set(proxy.user_agents) == {f"interp-kg/{__version__} (mailto:curator@example.org)"}
    assert user_agent() == f"interp-kg/{__version__} (https://w3id.org/interp-kg)"


def test_429_waits_as_long_as_retry_after_says(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    time = FakeClock()
    script = [Scripted(429, {"Retry-After": "7"}), Scripted(429, {"Retry-After": "3"})]
    with run_proxy(Proxy(wikidata, script)) as proxy:
        c = client(proxy.url, tmp_path, time)
        mapping, _ = reconcile(c, works, Mapping(), today=TODAY)
        assert time.sleeps == [7.0, 3.0]
        assert mapping.work_links()[ARXIV] == ("Q900000001",)


def test_min_interval_spaces_requests(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    time = FakeClock()
    c = client(wikidata, tmp_path, time, min_interval=1.5)
    reconcile(c, works[:1], Mapping(), today=TODAY)
    assert c.requests > 1 and time.sleeps == [1.5] * (c.requests - 1)


def test_a_500_backs_off_exponentially_then_succeeds(
    wikidata: str, works: list[WorkFacts], tmp_path: Path
) -> None:
    time = FakeClock()
    with run_proxy(Proxy(wikidata, [Scripted(500), Scripted(503)])) as proxy:
        mapping, _ = reconcile(client(proxy.url, tmp_path, time, backoff=2.0), works, Mapping(), today=TODAY)
    assert time.sleeps == [2.0, 4.0]
    assert ARXIV in mapping.work_links()


def test_a_503_with_retry_after_is_honoured(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    time = FakeClock()
    with run_proxy(Proxy(wikidata, [Scripted(503, {"Retry-After": "11"})])) as proxy:
        reconcile(client(proxy.url, tmp_path, time), works, Mapping(), today=TODAY)
    assert time.sleeps == [11.0]


def test_persistent_500s_give_up_with_one_line(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    time = FakeClock()
    with (
        run_proxy(Proxy(wikidata, [Scripted(500)] * 3)) as proxy,
        pytest.raises(RemoteError, match=r"failed \(HTTP 500: scripted failure\); gave up after 3 tries$"),
    ):
        reconcile(client(proxy.url, tmp_path, time, retries=2), works, Mapping(), today=TODAY)
    assert time.sleeps == [2.0, 4.0]


@pytest.mark.parametrize(("header", "waited"), [("3600", 120.0), ("100000", 120.0), ("inf", 2.0)])
def test_a_long_or_unreadable_retry_after_is_capped(
    wikidata: str, works: list[WorkFacts], tmp_path: Path, header: str, waited: float
) -> None:
    """A Retry-After longer than the cap (120 s by default) is cut to it; one that is not a
    finite number of seconds counts as absent (the backoff's 2 s)."""
    time = FakeClock()
    with run_proxy(Proxy(wikidata, [Scripted(429, {"Retry-After": header})])) as proxy:
        mapping, _ = reconcile(client(proxy.url, tmp_path, time), works, Mapping(), today=TODAY)
    assert time.sleeps == [waited]
    assert ARXIV in mapping.work_links()


def test_a_400_is_not_retried(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    time = FakeClock()
    with (
        run_proxy(Proxy(wikidata, [Scripted(400)])) as proxy,
        pytest.raises(RemoteRejected, match=r"rejected the request \(HTTP 400: scripted failure\)$"),
    ):
        reconcile(client(proxy.url, tmp_path, time), works, Mapping(), today=TODAY)
    assert time.sleeps == []


def test_a_timeout_is_one_line(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    with (
        run_proxy(Proxy(wikidata, [Scripted(hold=True)])) as proxy,
        pytest.raises(RemoteError, match=r"no answer from .* within 0.3 s \(the Wikidata Query Service"),
    ):
        reconcile(client(proxy.url, tmp_path, timeout=0.3, retries=0), works, Mapping(), today=TODAY)


def test_a_timeout_is_retried(wikidata: str, works: list[WorkFacts], tmp_path: Path) -> None:
    time = FakeClock()
    with run_proxy(Proxy(wikidata, [Scripted(hold=True)])) as proxy:
        mapping, _ = reconcile(client(proxy.url, tmp_path, time, timeout=0.3), works, Mapping(), today=TODAY)
    assert time.sleeps == [2.0]
    assert ARXIV in mapping.work_links()


def test_an_unreachable_endpoint_is_one_line(works: list[WorkFacts], tmp_path: Path) -> None:
    from tests.oxigraph_server import free_port

    with pytest.raises(RemoteError, match="cannot reach"):
        reconcile(client(f"http://127.0.0.1:{free_port()}/query", tmp_path), works, Mapping(), today=TODAY)


def test_retry_after_forms() -> None:
    assert retry_after("120", 0.0) == 120.0
    assert retry_after("Thu, 01 Jan 1970 00:01:00 GMT", 30.0) == 30.0
    assert retry_after(None, 0.0) is None and retry_after("later", 0.0) is None


# ---------------------------------------------------------------- the links in the graph


def test_build_adds_only_confirmed_links(
    reconciled: tuple[Mapping, ReconcileSummary], tmp_path: Path
) -> None:
    mapping = reconciled[0]
    topics = tuple(c.model_copy(update={"status": "confirmed"}) for c in mapping.topics)
    path = tmp_path / "mapping.json"
    write_mapping(mapping.model_copy(update={"topics": topics}), path)
    store = open_store(list_store(tmp_path, path))
    same_as = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(None, SAME_AS, None)}
    wd = "http://www.wikidata.org/entity/"
    assert same_as == {
        (ID + ARXIV, wd + "Q900000001"),
        (ID + DOI, wd + "Q900000002"),
        (ID + OPENREVIEW, wd + "Q900000003"),
        (ID + TOOL, wd + "Q900000007"),
    }, "work links only: the venue candidates are not confirmed"
    exact = {(q.subject.value, q.object.value) for q in store.quads_for_pattern(None, EXACT_MATCH, None)}
    assert exact == {(ID + "topics/list/sparse-coding", wd + "Q900000011")}


def test_the_reports_count_the_links(reconciled: tuple[Mapping, ReconcileSummary], tmp_path: Path) -> None:
    from interp_kg.reports.coverage import coverage_report
    from interp_kg.reports.wikidata import wikidata_report
    from interp_kg.sparql.query import LocalBackend

    path = tmp_path / "mapping.json"
    write_mapping(reconciled[0], path)
    backend = LocalBackend(open_store(list_store(tmp_path, path)))
    totals = coverage_report(backend).totals
    assert (totals.with_wikidata, totals.works_total) == (4, 8)
    report = wikidata_report(backend, load_mapping(path).conflicts)
    classes = {c.cls: (c.nodes, c.linked) for c in report.classes}
    assert classes["paper"] == (7, 3) and classes["tool"] == (1, 1) and classes["author"] == (0, 0)
    sparse = next(r for r in report.rows if r.label == "Sparse Coding")
    assert (sparse.works, sparse.linked, sparse.share) == (7, 3, 0.4286)
    assert {u.work for u in report.unlinked} == {ID + p for p in (TWO_ITEMS, TWIN_1, TWIN_2, NOWHERE)}
    assert [c.kind for c in report.conflicts] == ["several-items", "several-works"]


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_redirect_to_another_host_is_refused(
    recorder: Recorder, works: list[WorkFacts], tmp_path: Path, status: int
) -> None:
    port = recorder.url.rsplit(":", 1)[1]
    recorder.answers["/query"] = Answer(
        status=status, headers={"Location": f"http://localhost:{port}/q"}, body=b""
    )
    with pytest.raises(RemoteError, match=rf"on another host \(127.0.0.1:{port} -> localhost:{port}\)"):
        reconcile(client(f"{recorder.url}/query", tmp_path), works, Mapping(), today=TODAY)
    assert [r.path for r in recorder.requests] == ["/query"]


def test_a_1_gib_answer_is_refused_unread(recorder: Recorder, works: list[WorkFacts], tmp_path: Path) -> None:
    recorder.answers["/query"] = Answer(stream=GIB, declare_length=False)
    with pytest.raises(RemoteTooLarge, match="is larger than 64 MiB"):
        reconcile(client(f"{recorder.url}/query", tmp_path), works, Mapping(), today=TODAY)
    assert recorder.streamed.wait(30) and recorder.sent["/query"] < GIB // 4


# ---------------------------------------------------------------- title candidates


class _Answers:
    """A stand-in for the client: every title query gets the same bindings."""

    def __init__(self, bindings: list[dict[str, dict[str, str]]]) -> None:
        self.bindings = bindings

    def select(self, query: str) -> Answered:
        return Answered(self.bindings, TODAY)


def _hit(title: str, qid: str, date: str | None) -> dict[str, dict[str, str]]:
    row = {"title": {"type": "literal", "value": title}, "item": {"type": "uri", "value": f"{ID_WD}{qid}"}}
    return row | ({"date": {"type": "literal", "value": date}} if date else {})


ID_WD = "http://www.wikidata.org/entity/"


@pytest.mark.parametrize(
    ("years", "date", "candidate"),
    [
        ({2023}, "2023-05-01T00:00:00Z", True),
        ({2023}, None, True),  # an undated item: a person checks it
        ({2023}, "2019-05-01T00:00:00Z", False),  # another work of the same title
        (set(), "2019-05-01T00:00:00Z", True),  # a work with no year cannot rule it out
    ],
)
def test_title_candidates_need_the_title_and_a_year_of_the_work(
    years: set[int], date: str | None, candidate: bool
) -> None:
    from interp_kg.wikidata.reconcile import _Found, find_titles
    from interp_kg.wikidata.targets import Target

    target = Target("paper/x", "work", titles={"Towards  Monosemanticity."}, years=years)
    found = _Found()
    find_titles(_Answers([_hit("Towards Monosemanticity", "Q5", date)]), [target], 10, found)  # type: ignore[arg-type]
    assert (("paper/x", "work") in found.titles) == candidate
