"""`interp-kg enrich` against a real local HTTP server (127.0.0.1, a thread) serving recorded
answers in each API's format (tests/data/enrich/): the arXiv API's Atom feed, Crossref's
``/works/{doi}`` JSON and the OpenReview API v2 ``/notes`` JSON. Failure cases: 404, 429, a
timeout and malformed XML/JSON each give one clear line and leave the curated files byte-identical.
The HTTP client's clock is a fake: no test sleeps."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from typer.testing import CliRunner

from interp_kg.catalog.models import Catalog
from interp_kg.catalog.works import build_catalog
from interp_kg.cli.main import app
from interp_kg.curation.bibliography import load
from interp_kg.enrich.lookups import INTERVALS, PROPOSALS_FILE, EnrichResult, enrich
from interp_kg.http import Client, HttpPolicy, user_agent
from interp_kg.source.parse import parse_text
from tests.conftest import write
from tests.local_http import GIB, Answer, FakeClock, Recorder, serving

DATA = Path(__file__).parent / "data" / "enrich"

LIST = """\
# A list

## Papers

* **Paper A** [[arxiv 2301]](https://arxiv.org/abs/2301.00001)
* **Paper D** [[ACM]](https://doi.org/10.1145/3639372)
* **Paper O** [[ICLR 2024]](https://openreview.net/forum?id=paperOOOOO1)
* **Paper P** [[arxiv 2302]](https://arxiv.org/abs/2302.00002)
* **Paper C** [[arxiv 2303]](https://arxiv.org/abs/2303.00003)
"""
#: Paper P has curated authors but no date; Paper C is complete (never looked up).
_READ = '{"url": "https://arxiv.org/abs/2302.00002", "retrieved": "2026-12-01"}'
_READ_C = '{"url": "https://arxiv.org/abs/2303.00003", "retrieved": "2026-12-01"}'
CURATED = (
    '{"id": "arxiv:2302.00002", "title": "Paper P", "authors": ["Pia Partial"], '
    f'"sources": {{"title": {_READ}, "authors": {_READ}}}}}\n'
    '{"id": "arxiv:2303.00003", "title": "Paper C", "authors": ["Cy Complete"], "date": "2023-03", '
    f'"sources": {{"title": {_READ_C}, "authors": {_READ_C}, "date": {_READ_C}}}}}\n'
)

Reply = tuple[int, dict[str, str], bytes]


@dataclass
class Api:
    """What the server answers per (path, id): a list of replies, one per request (the last
    repeats). A reply of ``None`` hangs until the test ends (a timeout)."""

    replies: dict[tuple[str, str], list[Reply | None]] = field(default_factory=dict)
    seen: list[tuple[str, str, str]] = field(default_factory=list)  # (path, id, user agent)
    release: threading.Event = field(default_factory=threading.Event)
    #: run at the first request, before it is answered (a person saving a file meanwhile)
    on_request: list[Callable[[], None]] = field(default_factory=list)

    def reply(self, path: str, key: str) -> Reply | None:
        queue = self.replies.get((path, key))
        if not queue:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        return queue.pop(0) if len(queue) > 1 else queue[0]


def fixture(name: str, content_type: str) -> Reply:
    return 200, {"Content-Type": content_type}, (DATA / name).read_bytes()


ATOM = "application/atom+xml; charset=utf-8"
JSON = "application/json"


def default_api() -> Api:
    api = Api()
    api.replies[("/arxiv/query", "2301.00001")] = [fixture("arxiv-2301.00001.xml", ATOM)]
    api.replies[("/arxiv/query", "2302.00002")] = [fixture("arxiv-2302.00002.xml", ATOM)]
    api.replies[("/crossref/works/10.1145/3639372", "")] = [fixture("crossref-10.1145-3639372.json", JSON)]
    api.replies[("/openreview/notes", "paperOOOOO1")] = [fixture("openreview-paperOOOOO1.json", JSON)]
    return api


@pytest.fixture
def server() -> Iterator[tuple[str, Api]]:
    api = default_api()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            key = (query.get("id_list") or query.get("id") or [""])[0]
            api.seen.append((parts.path, key, self.headers.get("User-Agent", "")))
            while api.on_request:
                api.on_request.pop()()
            reply = api.reply(parts.path, key)
            if reply is None:
                api.release.wait(10)  # held until the test ends: the client times out first
                return
            status, headers, body = reply
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    with serving(httpd) as url:
        try:
            yield url, api
        finally:
            api.release.set()


def urls(base: str) -> dict[str, str]:
    return {
        "arxiv": f"{base}/arxiv/query",
        "crossref": f"{base}/crossref/works/",
        "openreview": f"{base}/openreview/notes",
    }


@dataclass
class Run:
    folder: Path
    catalog: Catalog
    sleeps: list[float]
    client: Client

    def __call__(self, **kwargs: object) -> EnrichResult:
        return enrich(self.catalog, self.folder, self.client, **kwargs)  # type: ignore[arg-type]

    def digest(self) -> str:
        return hashlib.sha256((self.folder / "part-1.jsonl").read_bytes()).hexdigest()


@pytest.fixture
def run(tmp_path: Path) -> Run:
    folder = tmp_path / "bibliography"
    write(folder / "part-1.jsonl", CURATED)
    clock = FakeClock()
    client = Client(
        HttpPolicy(timeout=0.3, retries=2),
        contact="curator@example.org",
        clock=clock,
        intervals=INTERVALS,
    )
    return Run(folder, build_catalog([parse_text(LIST, "list.md")]), clock.sleeps, client)


def proposals(folder: Path) -> dict[str, dict[str, object]]:
    """The proposals by key, each fact's source as ``<fact>_source`` (every one read today, the
    title's on the list line it came from)."""
    out = {}
    for line in (folder / PROPOSALS_FILE).read_text("utf-8").splitlines():
        record = json.loads(line)
        sources = record.pop("sources")
        assert sources.pop("title")["url"].startswith("https://w3id.org/interp-kg/id/listing/list/L")
        for fact, source in sources.items():
            assert source["retrieved"] == dt.date.today().isoformat()
            record[f"{fact}_source"] = source["url"]
        out[record["id"]] = record
    return out


# -- success: each API's format -----------------------------------------------------------------


def test_proposals_from_each_api_and_curated_data_untouched(server: tuple[str, Api], run: Run) -> None:
    base, api = server
    before = run.digest()
    result = run(urls=urls(base))
    assert run.digest() == before
    assert not result.failures
    found = proposals(run.folder)
    assert found["arxiv:2301.00001"] == {
        "id": "arxiv:2301.00001",
        "title": "Paper A",
        "authors": ["Ann Author", "Mor Geva", "Bob Builder"],
        "authors_source": "https://arxiv.org/abs/2301.00001",
        "date": "2023-01-02",  # <published>: the first version, not <updated>
        "date_source": "https://arxiv.org/abs/2301.00001",
    }
    assert found["doi:10.1145/3639372"]["authors"] == ["Dora Doi", "Erik Émile", "The Test Consortium"]
    assert found["doi:10.1145/3639372"]["date"] == "2024-02-22"  # issued.date-parts
    assert found["openreview:paperOOOOO1"]["authors"] == ["Olga One", "Oscar Two"]
    assert found["openreview:paperOOOOO1"]["date"] == "2024-01-16"  # pdate, UTC
    assert found["openreview:paperOOOOO1"]["date_source"] == "https://openreview.net/forum?id=paperOOOOO1"
    # Paper P: only the missing date is proposed; the curated authors are never replaced
    assert found["arxiv:2302.00002"] == {
        "id": "arxiv:2302.00002",
        "title": "Paper P",
        "date": "2023-02-01",
        "date_source": "https://arxiv.org/abs/2302.00002",
    }
    assert "arxiv:2303.00003" not in found and ("/arxiv/query", "2303.00003") not in {
        (p, k) for p, k, _ in api.seen
    }
    conflicts = [str(o) for o in result.outcomes if o.kind == "conflict"]
    assert conflicts == [
        "arxiv:2302.00002: conflict: authors differ from the curated list (arxiv has 2 names)"
    ]
    assert load(run.folder).by_key["arxiv:2302.00002"].record.date is None  # proposals are not curated data


def test_requests_are_polite_and_spaced_without_sleeping(server: tuple[str, Api], run: Run) -> None:
    base, api = server
    run(urls=urls(base))
    assert {agent for _, _, agent in api.seen} == {user_agent("curator@example.org")}
    assert "mailto:curator@example.org" in user_agent("curator@example.org")
    assert run.sleeps == [3.0]  # the second arXiv call waits out arXiv's 3 s; the others are first calls


def test_a_second_run_keeps_earlier_proposals_and_is_byte_stable(server: tuple[str, Api], run: Run) -> None:
    base, _ = server
    run(urls=urls(base), services=("arxiv",))
    first = (run.folder / PROPOSALS_FILE).read_bytes()
    run(urls=urls(base), services=("arxiv",))
    assert (run.folder / PROPOSALS_FILE).read_bytes() == first
    run(urls=urls(base))
    assert set(proposals(run.folder)) == {
        "arxiv:2301.00001",
        "arxiv:2302.00002",
        "doi:10.1145/3639372",
        "openreview:paperOOOOO1",
    }


def test_edits_saved_while_enrich_runs_are_kept(server: tuple[str, Api], run: Run) -> None:
    """Enrich read proposals.jsonl at its start and wrote it whole at its end: a curator's edit
    saved in between was lost. Now the file is merged record by record."""
    base, api = server
    run(urls=urls(base), services=("crossref",))  # an earlier run: the DOI paper's proposal
    path = run.folder / PROPOSALS_FILE
    earlier = json.loads(path.read_text("utf-8"))
    edited = {**earlier, "note": "checked against the PDF"}
    added = {
        "id": "url:https://example.org/by-hand",
        "title": "A work the curator added by hand",
        "sources": {"title": {"url": "https://example.org/by-hand", "retrieved": "2026-12-01"}},
    }

    def curator_saves() -> None:
        path.write_text(json.dumps(edited) + "\n" + json.dumps(added) + "\n", encoding="utf-8")

    api.on_request.append(curator_saves)
    result = run(urls=urls(base))
    kept = [o for o in result.outcomes if o.kind == "conflict" and "edited" in o.message]
    assert [o.key for o in kept] == ["doi:10.1145/3639372"]
    lines = path.read_text("utf-8").splitlines()
    found = {record["id"]: record for record in map(json.loads, lines)}
    assert found["doi:10.1145/3639372"] == edited, "the edit is kept"
    assert "url:https://example.org/by-hand" in found, "the record added meanwhile is kept"
    assert {"arxiv:2301.00001", "arxiv:2302.00002", "openreview:paperOOOOO1"} <= set(found)
    assert not list(run.folder.glob(f".{PROPOSALS_FILE}.*")), "no temporary file left"


def test_dry_run_writes_nothing(server: tuple[str, Api], run: Run) -> None:
    base, _ = server
    result = run(urls=urls(base), dry_run=True)
    assert [o.kind for o in result.outcomes].count("proposal") == 4
    assert not (run.folder / PROPOSALS_FILE).exists()


# -- failures: one line each, curated data byte-identical -------------------------------------------

#: case -> (service asked, how the server breaks, the one-line message expected)
FAILURES: dict[str, tuple[str, Callable[[Api], object], str]] = {
    "404": (
        "arxiv",
        lambda api: api.replies.pop(("/arxiv/query", "2301.00001")),
        r"^arxiv: http://127\.0\.0\.1:\d+/arxiv/query\?id_list=2301\.00001\S* not found \(HTTP 404",
    ),
    "429": (
        "arxiv",
        lambda api: api.replies.__setitem__(
            ("/arxiv/query", "2301.00001"), [(429, {"Retry-After": "7"}, b"slow down")]
        ),
        r"^arxiv: http://\S+ rate-limited the request \(HTTP 429: slow down\); gave up after 3 tries$",
    ),
    "timeout": (
        "arxiv",
        lambda api: api.replies.__setitem__(("/arxiv/query", "2301.00001"), [None]),
        r"^arxiv: no answer from http://\S+ within 0\.3 s; gave up after 3 tries$",
    ),
    "malformed XML": (
        "arxiv",
        lambda api: api.replies.__setitem__(
            ("/arxiv/query", "2301.00001"), [(200, {}, b"<feed><entry></feed>")]
        ),
        r"^arxiv: malformed Atom XML from http://\S+: mismatched tag: line 1, column 15$",
    ),
    "empty feed": (
        "arxiv",
        lambda api: api.replies.__setitem__(
            ("/arxiv/query", "2301.00001"), [(200, {}, b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>')]
        ),
        r"^arxiv: not found: no entry for arXiv 2301\.00001 in the feed from http://\S+$",
    ),
    "malformed Crossref JSON": (
        "crossref",
        lambda api: api.replies.__setitem__(
            ("/crossref/works/10.1145/3639372", ""), [(200, {}, b'{"message": {')]
        ),
        r"^crossref: malformed JSON from http://\S+: Expecting property name",
    ),
    "malformed OpenReview JSON": (
        "openreview",
        lambda api: api.replies.__setitem__(
            ("/openreview/notes", "paperOOOOO1"), [(200, {}, b"<html>oops</html>")]
        ),
        r"^openreview: malformed JSON from http://\S+: Expecting value",
    ),
    "OpenReview JSON of another shape": (
        "openreview",
        lambda api: api.replies.__setitem__(
            ("/openreview/notes", "paperOOOOO1"),
            [(200, {}, b'{"notes": [{"id": "paperOOOOO1", "content": {"authors": {"value": "Olga"}}}]}')],
        ),
        r"^openreview: unexpected JSON from http://\S+: content\.authors\.value is not a list of names$",
    ),
}
ASKED = {
    "arxiv": "arxiv:2301.00001",
    "crossref": "doi:10.1145/3639372",
    "openreview": "openreview:paperOOOOO1",
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_failure_gives_one_clear_line_and_leaves_curated_data_untouched(
    server: tuple[str, Api], run: Run, case: str
) -> None:
    base, api = server
    service, breakage, message = FAILURES[case]
    breakage(api)
    before = run.digest()
    result = run(urls=urls(base), services=(service,), limit=1)
    assert [o.key for o in result.failures] == [ASKED[service]]
    (failure,) = result.failures
    assert "\n" not in failure.message
    assert re.search(message, failure.message), failure.message
    assert run.digest() == before
    assert not (run.folder / PROPOSALS_FILE).exists()


def test_429_is_retried_after_the_servers_delay(server: tuple[str, Api], run: Run) -> None:
    base, api = server
    api.replies[("/arxiv/query", "2301.00001")] = [
        (429, {"Retry-After": "7"}, b""),
        fixture("arxiv-2301.00001.xml", ATOM),
    ]
    result = run(urls=urls(base), services=("arxiv",), limit=1)
    assert not result.failures
    assert run.sleeps == [7.0]  # Retry-After (which covers arXiv's 3 s spacing before the retry)
    assert proposals(run.folder)["arxiv:2301.00001"]["date"] == "2023-01-02"


# -- the command ------------------------------------------------------------------------------------


def test_command_reports_one_line_per_paper_and_exits_5_on_failure(
    server: tuple[str, Api], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base, api = server
    api.replies.pop(("/crossref/works/10.1145/3639372", ""))
    folder = tmp_path / "bibliography"
    write(folder / "part-1.jsonl", CURATED)
    before = (folder / "part-1.jsonl").read_bytes()
    source = write(tmp_path / "list.md", LIST)
    monkeypatch.setattr(
        "interp_kg.enrich.lookups.INTERVALS", {"arxiv": 0.0, "crossref": 0.0, "openreview": 0.0}
    )
    result = CliRunner().invoke(
        app,
        [
            "enrich",
            str(source),
            "--bibliography",
            str(folder),
            "--retries",
            "0",
            "--arxiv-url",
            f"{base}/arxiv/query",
            "--crossref-url",
            f"{base}/crossref/works/",
        ],
        env={"INTERP_KG_OPENREVIEW_API": f"{base}/openreview/notes"},
    )
    assert result.exit_code == 5, result.output
    lines = result.output.splitlines()
    assert any(
        line.startswith("doi:10.1145/3639372: failure: crossref: http://")
        and "/crossref/works/10.1145/3639372 not found (HTTP 404" in line
        for line in lines
    )
    assert any(line.startswith("openreview:paperOOOOO1: proposal: authors and date from") for line in lines)
    assert lines[-1].startswith("3 proposals, 1 conflicts, 1 failures (4 requests); wrote ")
    assert (folder / "part-1.jsonl").read_bytes() == before
    assert "Traceback" not in result.output


def test_the_next_service_is_asked_when_one_fails(server: tuple[str, Api], run: Run) -> None:
    base, api = server
    api.replies.pop(("/arxiv/query", "2301.00001"))
    both = "# L\n## P\n* **Paper A** [[arxiv]](https://arxiv.org/abs/2301.00001) [[ACM]](https://doi.org/10.1145/3639372)\n"
    run.catalog = build_catalog([parse_text(both, "list.md")])
    result = run(urls=urls(base))
    assert [(o.key, o.kind) for o in result.outcomes] == [("arxiv:2301.00001", "proposal")]
    assert proposals(run.folder)["arxiv:2301.00001"]["authors_source"] == "https://doi.org/10.1145/3639372"
    assert [(path, key) for path, key, _ in api.seen] == [
        ("/arxiv/query", "2301.00001"),
        ("/crossref/works/10.1145/3639372", ""),
    ]


# -- the limits of the HTTP client, as enrich meets them ----------------------------------------------


def recorder_urls(recorder: Recorder) -> dict[str, str]:
    return {
        "arxiv": f"{recorder.url}/arxiv",
        "crossref": f"{recorder.url}/crossref/",
        "openreview": f"{recorder.url}/or",
    }


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_redirect_to_another_host_is_a_failure(recorder: Recorder, run: Run, status: int) -> None:
    port = recorder.url.rsplit(":", 1)[1]
    recorder.answers["/arxiv"] = Answer(
        status=status, headers={"Location": f"http://localhost:{port}/x"}, body=b""
    )
    result = run(urls=recorder_urls(recorder), services=("arxiv",), limit=1)
    (failure,) = result.failures
    assert f"on another host (127.0.0.1:{port} -> localhost:{port}): not followed" in failure.message
    assert [r.path.split("?")[0] for r in recorder.requests] == ["/arxiv"]
    assert not (run.folder / PROPOSALS_FILE).exists()


def test_a_1_gib_answer_is_a_failure_not_read(recorder: Recorder, run: Run) -> None:
    recorder.answers["/arxiv"] = Answer(stream=GIB, declare_length=False, content_type=ATOM)
    result = run(urls=recorder_urls(recorder), services=("arxiv",), limit=1)
    (failure,) = result.failures
    assert "is larger than 64 MiB" in failure.message
    assert recorder.streamed.wait(30) and recorder.sent["/arxiv"] < GIB // 4


@pytest.mark.parametrize(("header", "waited"), [("100000", [120.0]), ("inf", [2.0, 1.0])])
def test_retry_after_is_capped(server: tuple[str, Api], run: Run, header: str, waited: list[float]) -> None:
    """Retry-After: 100000 made enrich wait 28 hours, and inf was an internal error: the cap (120 s)
    and the backoff (2 s, then what is left of arXiv's 3 s spacing)."""
    base, api = server
    api.replies[("/arxiv/query", "2301.00001")] = [
        (429, {"Retry-After": header}, b""),
        fixture("arxiv-2301.00001.xml", ATOM),
    ]
    result = run(urls=urls(base), services=("arxiv",), limit=1)
    assert not result.failures
    assert run.sleeps == waited
